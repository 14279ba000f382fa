//! The classifier over the whole corpus of real error lines in `fixtures/triage/corpus/`
//! (each line's source is in fixtures/triage/README.md): every line of a class file must be
//! classified as that class, and no line of `not-aws.txt` as anything.

use expiry_doctor::triage::classes::Class;
use expiry_doctor::triage::classify::Classifier;

fn corpus(name: &str) -> Vec<String> {
    let path = format!(
        "{}/fixtures/triage/corpus/{name}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(str::to_string)
        .collect()
}

fn check(name: &str, want: Option<Class>) {
    assert!(corpus(name).len() >= 8, "{name}: too few lines");
    check_any(name, want);
}

fn check_any(name: &str, want: Option<Class>) {
    let c = Classifier::new();
    let lines = corpus(name);
    let wrong: Vec<String> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let got = c.classify(l.as_bytes()).map(|h| h.class);
            (got != want).then(|| format!("  {name}.txt:{}: got {got:?}: {l}", i + 1))
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {} lines misclassified:\n{}",
        wrong.len(),
        lines.len(),
        wrong.join("\n")
    );
}

#[test]
fn expired() {
    check("expired", Some(Class::Expired));
}

#[test]
fn sso_expired() {
    check("sso-expired", Some(Class::SsoExpired));
}

#[test]
fn clock_skew() {
    check("clock-skew", Some(Class::ClockSkew));
}

#[test]
fn invalid_token() {
    check("invalid-token", Some(Class::InvalidToken));
}

#[test]
fn no_credentials() {
    check("no-credentials", Some(Class::NoCredentials));
}

#[test]
fn access_denied() {
    check("access-denied", Some(Class::AccessDenied));
}

#[test]
fn throttling() {
    check("throttling", Some(Class::Throttling));
}

#[test]
fn lines_outside_aws_are_not_classified() {
    check_any("not-aws", None);
}

#[test]
fn aws_lines_that_are_not_failures_are_not_classified() {
    check_any("not-failures", None);
}
