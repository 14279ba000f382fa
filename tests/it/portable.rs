//! The portable Linux binary: `scripts/test` builds the whole suite for
//! `x86_64-unknown-linux-gnu.2.17` with zig as the linker (cargo-zigbuild), as
//! `scripts/release` builds the release binary, so the binary every integration test drives is
//! the one that must run on any Linux with glibc 2.17 or later. Here it runs, and `objdump`
//! (binutils) says which glibc symbol versions it asks for: none newer than 2.17.
//!
//! Plain `cargo test` builds for this machine's own glibc, so the check is
//! `#[ignore = "needs scripts/test"]` (it reads `EXPIRY_DOCTOR_PORTABLE_TARGET`, which
//! `scripts/test` exports). The version parsing is tested on its own.

use crate::common::moto::required;
use std::process::Command;

/// The glibc floor of the release binaries (docs/install.md).
const FLOOR: (u32, u32, u32) = (2, 17, 0);

/// Every `GLIBC_x.y[.z]` symbol version named in `objdump -T` output (`GLIBC_PRIVATE` is not a
/// version and is not expected in a program).
fn glibc_versions(objdump: &str) -> Vec<(u32, u32, u32)> {
    let mut out = Vec::new();
    for (i, _) in objdump.match_indices("GLIBC_") {
        let rest = &objdump[i + "GLIBC_".len()..];
        let end = rest
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(rest.len());
        let mut parts = rest[..end]
            .split('.')
            .filter(|p| !p.is_empty())
            .map(|p| p.parse::<u32>());
        if let (Some(Ok(major)), Some(Ok(minor))) = (parts.next(), parts.next()) {
            let patch = parts.next().and_then(Result::ok).unwrap_or(0);
            out.push((major, minor, patch));
        }
    }
    out
}

#[test]
fn glibc_versions_are_read_from_objdump_output() {
    let sample = "\
0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.2.5) memcpy
0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.17) clock_gettime
0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.34) __libc_start_main
0000000000000000  w   D  *UND*  0000000000000000  Base        __gmon_start__
";
    let found = glibc_versions(sample);
    assert_eq!(found, [(2, 2, 5), (2, 17, 0), (2, 34, 0)]);
    // What the check below would say of a binary built against this machine's glibc.
    assert!(found.iter().max().unwrap() > &FLOOR);
    assert!(glibc_versions("GLIBC_PRIVATE only").is_empty());
}

#[test]
#[ignore = "needs scripts/test"]
fn the_tested_binary_needs_no_glibc_newer_than_2_17() {
    let target = required("EXPIRY_DOCTOR_PORTABLE_TARGET");
    assert!(
        target.ends_with("-unknown-linux-gnu.2.17"),
        "scripts/test builds for a glibc 2.17 target, not {target}"
    );
    let bin = env!("CARGO_BIN_EXE_expiry-doctor");
    assert!(
        bin.contains(&format!("/{}/", target.trim_end_matches(".2.17"))),
        "the binary under test is the one built for {target}: {bin}"
    );

    let version = Command::new(bin).arg("--version").output().unwrap();
    assert!(version.status.success(), "{bin} --version failed");
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("expiry-doctor "));

    let dump = Command::new("objdump").args(["-T", bin]).output().unwrap();
    assert!(dump.status.success(), "objdump -T {bin} failed");
    let dump = String::from_utf8(dump.stdout).unwrap();
    let versions = glibc_versions(&dump);
    assert!(
        !versions.is_empty(),
        "a gnu binary links glibc dynamically: objdump -T found no GLIBC_ version in {bin}"
    );
    let newest = versions.iter().max().unwrap();
    let too_new: Vec<&str> = dump
        .lines()
        .filter(|l| glibc_versions(l).iter().any(|v| v > &FLOOR))
        .collect();
    assert!(
        newest <= &FLOOR,
        "{bin} needs GLIBC_{}.{}.{}, newer than 2.17:\n{}",
        newest.0,
        newest.1,
        newest.2,
        too_new.join("\n")
    );

    // Only glibc's own libraries (and libgcc_s, part of every gnu toolchain): nothing a
    // minimal glibc 2.17 system might lack.
    let dynamic = Command::new("readelf").args(["-d", bin]).output().unwrap();
    let dynamic = String::from_utf8(dynamic.stdout).unwrap();
    let needed: Vec<&str> = dynamic
        .lines()
        .filter(|l| l.contains("(NEEDED)"))
        .filter_map(|l| l.split('[').nth(1)?.split(']').next())
        .collect();
    assert!(
        !needed.is_empty(),
        "readelf -d {bin} lists no NEEDED library"
    );
    for lib in &needed {
        assert!(
            [
                "libc.so.6",
                "libm.so.6",
                "libdl.so.2",
                "libpthread.so.0",
                "librt.so.1",
                "libgcc_s.so.1",
                "ld-linux-x86-64.so.2",
                "ld-linux-aarch64.so.1",
            ]
            .contains(lib),
            "{bin} needs {lib}, which is not part of glibc: {needed:?}"
        );
    }
}
