//! Stamps the git revision into `--version` (`expiry-doctor 0.1.0 (1a2b3c4d5e6f)`), so a bug
//! report names the exact build. Without git (a crate tarball), the version alone.

use std::process::Command;

fn main() {
    let version = env!("CARGO_PKG_VERSION");
    let rev = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .filter(|r| !r.is_empty());
    let full = match rev {
        Some(r) => format!("{version} ({r})"),
        None => version.to_string(),
    };
    println!("cargo:rustc-env=EXPIRY_DOCTOR_VERSION={full}");
    for path in [".git/HEAD", ".git/refs/heads", ".git/packed-refs"] {
        if std::path::Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}
