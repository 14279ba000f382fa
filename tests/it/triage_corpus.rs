//! The classifier over the whole corpus of real log lines in `fixtures/triage/corpus/` (each
//! line's source is in fixtures/triage/README.md): at least 98 % of every class file's lines
//! must be classified as that class (issue 19's bar; today all of them are), and no line of
//! `not-aws.txt` or `not-failures.txt` as anything. A failure prints every miss.

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

/// The lines of `name` not classified as `want`, as printable misses.
fn misses(name: &str, want: Option<Class>) -> (usize, Vec<String>) {
    let c = Classifier::new();
    let lines = corpus(name);
    let wrong = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let got = c.classify(l.as_bytes()).map(|h| h.class);
            (got != want).then(|| format!("  {name}.txt:{}: got {got:?}: {l}", i + 1))
        })
        .collect();
    (lines.len(), wrong)
}

/// A class file: at least 98 % of its lines are that class.
fn check(name: &str, want: Class) {
    let (n, wrong) = misses(name, Some(want));
    assert!(n >= 8, "{name}: too few lines");
    let right = n - wrong.len();
    assert!(
        right * 100 >= n * 98,
        "{name}: {right} of {n} lines ({:.1} %) classified as {want:?}, below 98 %; misses:\n{}",
        right as f64 * 100.0 / n as f64,
        wrong.join("\n")
    );
}

/// A negative file: none of its lines is classified.
fn check_none(name: &str) {
    let (n, wrong) = misses(name, None);
    assert!(
        wrong.is_empty(),
        "{name}: {} of {n} lines classified:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn expired() {
    check("expired", Class::Expired);
}

#[test]
fn sso_expired() {
    check("sso-expired", Class::SsoExpired);
}

#[test]
fn clock_skew() {
    check("clock-skew", Class::ClockSkew);
}

#[test]
fn invalid_token() {
    check("invalid-token", Class::InvalidToken);
}

#[test]
fn no_credentials() {
    check("no-credentials", Class::NoCredentials);
}

#[test]
fn access_denied() {
    check("access-denied", Class::AccessDenied);
}

#[test]
fn throttling() {
    check("throttling", Class::Throttling);
}

#[test]
fn lines_outside_aws_are_not_classified() {
    check_none("not-aws");
}

#[test]
fn aws_lines_that_are_not_failures_are_not_classified() {
    check_none("not-failures");
}

/// Every corpus line has its row (tool, address) in the README, and each section's heading
/// gives its file's line count: a line added without its source fails here.
#[test]
fn every_line_has_its_source_in_the_readme() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/triage");
    let readme = std::fs::read_to_string(format!("{dir}/README.md")).expect("README.md");
    let mut files: Vec<String> = std::fs::read_dir(format!("{dir}/corpus"))
        .expect("corpus/")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    for file in files {
        let name = file.trim_end_matches(".txt");
        let n = corpus(name).len();
        let heading = format!("### `corpus/{file}` ({n} lines)");
        let at = readme
            .find(&heading)
            .unwrap_or_else(|| panic!("README.md has no heading {heading:?}"));
        let section = &readme[at + heading.len()..];
        let section = &section[..section.find("\n### ").unwrap_or(section.len())];
        let rows: Vec<usize> = section
            .lines()
            .filter_map(|l| l.strip_prefix("| ")?.split(' ').next()?.parse().ok())
            .collect();
        assert_eq!(rows, (1..=n).collect::<Vec<_>>(), "{file}: rows 1..={n}");
        for row in section
            .lines()
            .filter(|l| l.starts_with("| ") && !l.starts_with("| Line"))
        {
            if row.starts_with("| ---") {
                continue;
            }
            assert!(row.contains("https://"), "{file}: no address in {row}");
        }
    }
}
