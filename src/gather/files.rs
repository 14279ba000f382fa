//! Reading small local files (AWS config, caches, tokens) with a size cap.
//!
//! Every file expiry-doctor reads goes through here. A cache file can be garbage or gigabytes
//! (a disk filled by a runaway process, `/dev/zero` symlinked in), and a path can name what is
//! not a file at all: a FIFO blocks whoever opens it until something writes to it, forever if
//! nothing does, and no `--timeout` can interrupt a blocked read on the runtime's thread. So a
//! path is opened without blocking (`O_NONBLOCK`), asked what it is (`fstat` on the open
//! descriptor, so it cannot be swapped in between), and read only when it is a regular file,
//! never more than the cap. Every failure comes back as a sentence naming the reason, for a
//! `Problem`.

use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::Path;

/// Config files of organisations with hundreds of profiles stay far below this.
pub const CONFIG_CAP: u64 = 8 * 1024 * 1024;
/// Cache entries and tokens are a few kilobytes.
pub const CACHE_CAP: u64 = 1024 * 1024;

/// What a path names, when it is not a regular file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Special {
    Directory,
    Fifo,
    CharDevice,
    BlockDevice,
    Socket,
    Other,
}

impl Special {
    /// `is a FIFO (named pipe), not a regular file`.
    pub fn words(self) -> &'static str {
        match self {
            Special::Directory => "is a directory, not a file",
            Special::Fifo => "is a FIFO (named pipe), not a regular file",
            Special::CharDevice => "is a character device, not a regular file",
            Special::BlockDevice => "is a block device, not a regular file",
            Special::Socket => "is a socket, not a regular file",
            Special::Other => "is not a regular file",
        }
    }

    fn of(t: std::fs::FileType) -> Option<Special> {
        #[cfg(unix)]
        use std::os::unix::fs::FileTypeExt;
        if t.is_file() {
            return None;
        }
        if t.is_dir() {
            return Some(Special::Directory);
        }
        #[cfg(unix)]
        {
            if t.is_fifo() {
                return Some(Special::Fifo);
            }
            if t.is_char_device() {
                return Some(Special::CharDevice);
            }
            if t.is_block_device() {
                return Some(Special::BlockDevice);
            }
            if t.is_socket() {
                return Some(Special::Socket);
            }
        }
        Some(Special::Other)
    }
}

/// Why a path was not read, for a sentence that names it.
fn refused(special: Special) -> String {
    match special {
        Special::Directory => special.words().into(),
        // Reading a pipe waits for a writer (forever when there is none) and takes what it
        // holds from whoever else reads it: the job's own SDK.
        _ => format!("{}: not read", special.words()),
    }
}

/// Opens `path` for reading without ever blocking, even when it is a FIFO with no writer.
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// What `path` names when it exists and is not a regular file, without opening it (a `stat`
/// never blocks).
pub fn special(path: &Path) -> Option<Special> {
    std::fs::metadata(path)
        .ok()
        .and_then(|m| Special::of(m.file_type()))
}

/// Whether the AWS SDK, reading `path` with a blocking read to its end, could wait forever or
/// without bound: a FIFO, a socket, a block device, or a character device that does not end
/// at once (a terminal, `/dev/zero`). `/dev/null`, a common way to switch a file off, is
/// fine; so are a missing file, a regular one and a directory (the SDK fails on it at once).
pub fn blocks_sdk(path: &Path) -> bool {
    match special(path) {
        None | Some(Special::Directory) => false,
        Some(Special::CharDevice) => {
            let mut one = [0u8; 1];
            !matches!(
                open_nonblocking(path).and_then(|mut f| f.read(&mut one)),
                Ok(0)
            )
        }
        Some(_) => true,
    }
}

/// `Ok(None)` when the file does not exist; `Err(reason)` when it exists but cannot be used:
/// not a regular file, too large, unreadable.
pub fn read_capped(path: &Path, cap: u64) -> Result<Option<Vec<u8>>, String> {
    let file = match open_nonblocking(path) {
        Ok(f) => f,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_reason(&e)),
    };
    let meta = file.metadata().map_err(|e| io_reason(&e))?;
    match Special::of(meta.file_type()) {
        None => {}
        // Read without waiting: `/dev/null` (a file switched off) is empty, `/dev/zero` stops
        // at the cap, a terminal with nothing typed is refused.
        Some(Special::CharDevice) => {}
        Some(special) => return Err(refused(special)),
    }
    if meta.len() > cap {
        return Err(format!(
            "is {} bytes; files over {} bytes are not read",
            meta.len(),
            cap
        ));
    }
    let mut buf = Vec::new();
    // `take` also bounds a file that grows while it is read.
    match file.take(cap + 1).read_to_end(&mut buf) {
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::WouldBlock => {
            return Err(format!(
                "{} with nothing to read without waiting (a terminal?): not read",
                Special::CharDevice.words()
            ));
        }
        Err(e) => return Err(io_reason(&e)),
    }
    if buf.len() as u64 > cap {
        return Err(format!("is larger than {cap} bytes; not read"));
    }
    Ok(Some(buf))
}

/// A file named on the command line (`--facts`), which may be a stream: `-` for stdin, or a
/// pipe or terminal (`/dev/stdin`, a shell's `<(…)`). A regular file is read as
/// [`read_capped`]; a stream is read on a thread of its own (the runtime's must never block),
/// until `deadline`: a FIFO nothing writes to ends the run in time, named, instead of hanging.
/// `timeout` is the flag's value, for the sentence.
pub async fn read_named(
    path: &Path,
    cap: u64,
    deadline: tokio::time::Instant,
    timeout: std::time::Duration,
) -> Result<Option<Vec<u8>>, String> {
    let stdin = path == Path::new("-");
    let stream = if stdin {
        Special::Fifo
    } else {
        let file = match open_nonblocking(path) {
            Ok(f) => f,
            Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_reason(&e)),
        };
        match file.metadata().map(|m| Special::of(m.file_type())) {
            Ok(None) => return read_capped(path, cap),
            Ok(Some(Special::Directory)) => return Err(refused(Special::Directory)),
            Ok(Some(special)) => special,
            Err(e) => return Err(io_reason(&e)),
        }
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    let owned = path.to_path_buf();
    // Blocked in open(2) or read(2) on a silent FIFO, this thread outlives the run; the
    // process exits without waiting for it.
    std::thread::spawn(move || {
        let read = || -> std::io::Result<Vec<u8>> {
            let source: Box<dyn Read> = if stdin {
                Box::new(std::io::stdin())
            } else {
                Box::new(File::open(&owned)?)
            };
            let mut buf = Vec::new();
            source.take(cap + 1).read_to_end(&mut buf)?;
            Ok(buf)
        };
        let _ = tx.send(read());
    });
    let what = if stdin {
        "(stdin)".to_string()
    } else {
        stream.words().to_string()
    };
    match tokio::time::timeout_at(deadline, rx).await {
        Ok(Ok(Ok(buf))) if buf.len() as u64 > cap => {
            Err(format!("is larger than {cap} bytes; not read"))
        }
        Ok(Ok(Ok(buf))) => Ok(Some(buf)),
        Ok(Ok(Err(e))) => Err(io_reason(&e)),
        Ok(Err(_)) => Err("cannot be read".into()),
        Err(_) => Err(format!(
            "{what}: nothing finished writing to it within --timeout {}",
            humantime::format_duration(timeout)
        )),
    }
}

/// The first `n` bytes of a regular file (a script's `#!` line); `None` for anything else.
pub fn read_head(path: &Path, n: usize) -> Option<Vec<u8>> {
    let file = open_nonblocking(path).ok()?;
    if Special::of(file.metadata().ok()?.file_type()).is_some() {
        return None;
    }
    let mut head = Vec::with_capacity(n);
    file.take(n as u64).read_to_end(&mut head).ok()?;
    Some(head)
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
    fn special_files_are_bounded_or_refused_without_blocking() {
        let err = read_capped(Path::new("/dev/zero"), 1024).unwrap_err();
        assert!(err.contains("larger than 1024"), "{err}");
        // `AWS_CONFIG_FILE=/dev/null` switches the file off: empty, as the SDKs read it.
        assert_eq!(read_capped(Path::new("/dev/null"), 1024), Ok(Some(vec![])));
        assert!(!blocks_sdk(Path::new("/dev/null")));
        assert!(blocks_sdk(Path::new("/dev/zero")));
        assert_eq!(read_head(Path::new("/dev/zero"), 16), None);
        assert_eq!(special(Path::new("/dev/zero")), Some(Special::CharDevice));
        assert_eq!(special(Path::new("/nonexistent/expiry-doctor")), None);
        assert!(!blocks_sdk(Path::new("/nonexistent/expiry-doctor")));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("config");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: mkfifo(3) with a NUL-terminated path we own.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        // Nothing ever writes to it: a blocking open would never return.
        let err = read_capped(&fifo, 1024).unwrap_err();
        assert!(
            err.contains("is a FIFO (named pipe), not a regular file"),
            "{err}"
        );
        assert_eq!(read_head(&fifo, 16), None);
        assert!(blocks_sdk(&fifo));
    }
}
