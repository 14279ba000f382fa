//! `prompt`: one word for a shell prompt, from local facts only, never failing the prompt.

use crate::check_offline::sso_home;
use crate::common::*;

fn prompt(h: &Home, args: &[&str]) -> String {
    let out = h.cmd().arg("prompt").args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert_no_secrets(&text);
    assert!(
        text.ends_with('\n') && text.lines().count() <= 1,
        "{text:?}"
    );
    text.trim_end().to_string()
}

/// Two hours from when the test wrote the expiry, read a moment later: 1h59m (or 2h on a very
/// fast machine whose clock has not moved a second).
fn about_two_hours(word: &str, prefix: &str) -> bool {
    word == format!("{prefix}1h59m") || word == format!("{prefix}2h")
}

#[test]
fn exported_session_credentials_show_the_time_left() {
    let word = prompt(&exported(Some(120)), &[]);
    assert!(about_two_hours(&word, "⏳"), "{word}");
    let word = prompt(&exported(Some(120)), &["--format", "plain"]);
    assert!(about_two_hours(&word, ""), "{word}");
    // Under --warn-within (15m by default) the prompt warns.
    let word = prompt(&exported(Some(10)), &[]);
    assert!(word == "⚠ 9m" || word == "⚠ 10m", "{word}");
    assert!(prompt(&exported(Some(10)), &["--format", "plain"]).ends_with("m!"));
    let word = prompt(&exported(Some(120)), &["--warn-within", "3h"]);
    assert!(about_two_hours(&word, "⚠ "), "{word}");
    assert_eq!(prompt(&exported(Some(-5)), &[]), "⚠ expired");
    assert_eq!(
        prompt(&exported(Some(-5)), &["--format", "plain"]),
        "expired"
    );
    assert_eq!(prompt(&exported(None), &[]), "⏳?");
}

#[test]
fn nothing_to_say_is_an_empty_line() {
    // Long-term keys never expire; no credentials is check's business, not the prompt's.
    let long_term = Home::new()
        .var("AWS_ACCESS_KEY_ID", LONG_TERM_KEY_ID)
        .var("AWS_SECRET_ACCESS_KEY", SECRET);
    assert_eq!(prompt(&long_term, &[]), "");
    assert_eq!(prompt(&Home::new(), &[]), "");
}

#[test]
fn the_files_dialects_and_sso() {
    let h = Home::new().var("AWS_PROFILE", "saml");
    h.write(
        ".aws/credentials",
        format!(
            "[saml]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n\
             aws_session_token = {TOKEN}\nx_security_token_expires = {}\n",
            rfc3339_in(120)
        ),
    );
    assert!(about_two_hours(&prompt(&h, &[]), "⏳"));
    // --profile picks another profile than AWS_PROFILE's.
    h.write(
        ".aws/credentials",
        format!(
            "[saml]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n\
             aws_session_token = {TOKEN}\nx_security_token_expires = {}\n\
             [other]\naws_access_key_id = {KEY_ID}\naws_secret_access_key = {SECRET}\n\
             aws_session_token = {TOKEN}\nx_security_token_expires = {}\n",
            rfc3339_in(120),
            rfc3339_in(-1)
        ),
    );
    assert_eq!(prompt(&h, &["--profile", "other"]), "⚠ expired");
    // An SSO login that has ended, without a refresh token: nothing works until a new login.
    assert_eq!(prompt(&sso_home(-30, false), &[]), "⚠ expired");
}

/// A credential_process is a program with side effects and a network: the prompt never runs it.
#[test]
fn a_credential_process_is_never_run() {
    let h = Home::new().var("AWS_PROFILE", "helper");
    let marker = h.path().join("ran");
    h.write(
        ".aws/config",
        format!(
            "[profile helper]\ncredential_process = sh -c 'touch {}'\n",
            marker.display()
        ),
    );
    let word = prompt(&h, &[]);
    assert!(!marker.exists(), "the helper ran");
    assert!(word.is_empty() || word == "⏳?", "{word}");
}
