//! Snapshot tests of what users read: the table and the JSON report, replayed from the
//! fixtures (frozen in time, so byte-for-byte stable). Review changes with `cargo insta review`.

mod common;
use common::*;

fn replay(fixture: &str, args: &[&str]) -> (String, i32) {
    let out = Home::new()
        .cmd()
        .args([
            "check",
            "--facts",
            &format!("fixtures/examples/{fixture}.json"),
        ])
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap(),
    )
}

#[test]
fn table_exported_expiring() {
    let (out, code) = replay("exported-expiring", &["--expected-runtime", "6h"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn table_sso_expired() {
    let (out, code) = replay("sso-expired", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn table_chained_duration() {
    let (out, code) = replay("chained-duration", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn table_shadowed_profile() {
    let (out, code) = replay("shadowed-profile", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn table_no_credentials() {
    let (out, code) = replay("no-credentials", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn table_pass() {
    let (out, code) = replay("exported-8h", &["--expected-runtime", "6h"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(out);
}

#[test]
fn json_exported_expiring() {
    let (out, code) = replay(
        "exported-expiring",
        &["--expected-runtime", "6h", "--output", "json"],
    );
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}
