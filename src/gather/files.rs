//! Reading small local files (AWS config, caches, tokens) with a size cap.
//!
//! A cache file can be garbage or gigabytes (a disk filled by a runaway process, `/dev/zero`
//! symlinked in): we never read more than the cap, and every failure comes back as a sentence
//! naming the reason, for a `Problem`.

use std::io::{ErrorKind, Read};
use std::path::Path;

/// Config files of organisations with hundreds of profiles stay far below this.
pub const CONFIG_CAP: u64 = 8 * 1024 * 1024;
/// Cache entries and tokens are a few kilobytes.
pub const CACHE_CAP: u64 = 1024 * 1024;

/// `Ok(None)` when the file does not exist; `Err(reason)` when it exists but cannot be used.
pub fn read_capped(path: &Path, cap: u64) -> Result<Option<Vec<u8>>, String> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_reason(&e)),
    };
    if meta.is_dir() {
        return Err("is a directory, not a file".into());
    }
    if meta.len() > cap {
        return Err(format!(
            "is {} bytes; files over {} bytes are not read",
            meta.len(),
            cap
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| io_reason(&e))?;
    let mut buf = Vec::new();
    // `take` also bounds files whose size the metadata does not tell (pipes, /dev/zero).
    file.take(cap + 1)
        .read_to_end(&mut buf)
        .map_err(|e| io_reason(&e))?;
    if buf.len() as u64 > cap {
        return Err(format!("is larger than {cap} bytes; not read"));
    }
    Ok(Some(buf))
}

/// As [`read_capped`], requiring UTF-8 text.
pub fn read_text(path: &Path, cap: u64) -> Result<Option<String>, String> {
    match read_capped(path, cap)? {
        None => Ok(None),
        Some(bytes) => String::from_utf8(bytes).map(Some).map_err(|e| {
            format!(
                "is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            )
        }),
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        ErrorKind::PermissionDenied => "cannot be read: permission denied".into(),
        ErrorKind::IsADirectory => "is a directory, not a file".into(),
        _ => format!("cannot be read: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_directory_oversized_and_binary_files() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_capped(&dir.path().join("nope"), 10), Ok(None));
        assert!(
            read_capped(dir.path(), 10)
                .unwrap_err()
                .contains("directory")
        );
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 100]).unwrap();
        assert!(read_capped(&big, 10).unwrap_err().contains("100 bytes"));
        let bin = dir.path().join("bin");
        std::fs::write(&bin, [0xff, 0xfe, b'a']).unwrap();
        assert!(read_text(&bin, 10).unwrap_err().contains("not UTF-8"));
        let ok = dir.path().join("ok");
        std::fs::write(&ok, "hi").unwrap();
        assert_eq!(read_text(&ok, 10), Ok(Some("hi".into())));
    }

    #[cfg(unix)]
    #[test]
    fn endless_special_files_are_bounded() {
        let err = read_capped(Path::new("/dev/zero"), 1024).unwrap_err();
        assert!(err.contains("larger than 1024"), "{err}");
    }
}
