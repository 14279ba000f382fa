//! Loading `--facts FILE`: a saved version-1 report, a Facts fixture, or the JSON array of
//! an `--all-profiles` audit (one report per profile, picked with `--profile NAME` or replayed
//! whole with `--all-profiles`).
//!
//! A file named on the command line that cannot be used is a usage error (exit 2), and the
//! message names the file and, for a bad value, its JSON path (`credentials.expires_at`), so a
//! hand-edited fixture is fixed in one go.

use crate::facts::{Facts, ProblemKind};
use std::path::Path;

/// Facts files are a few kilobytes; a report of 40 profiles stays far below this.
const FACTS_CAP: u64 = 16 * 1024 * 1024;

/// Saved facts, and the expected runtime saved with them (a report), if any.
pub type Saved = (Facts, Option<i64>);

/// Where the file is read from, and until when: `-` is stdin, and a pipe or FIFO (`<(…)`,
/// `/dev/stdin`) is read until the run's deadline (`timeout` is the flag, for the message).
#[derive(Clone, Copy, Debug)]
pub struct Within {
    pub deadline: tokio::time::Instant,
    pub timeout: std::time::Duration,
}

/// The facts of one run: a single report or fixture, or, from an audit's array, the report of
/// `profile` (which a single report must match too, when given).
pub async fn load(path: &Path, profile: Option<&str>, within: Within) -> Result<Saved, String> {
    let shown = path.display();
    let mut all = load_all(path, within).await?;
    // The names are the file's: each is clipped, and a long audit is summarised.
    let holds = || {
        const SHOWN: usize = 20;
        let mut names: Vec<String> = all
            .iter()
            .take(SHOWN)
            .map(|(f, _)| {
                f.credentials
                    .profile
                    .as_deref()
                    .map_or_else(|| "?".into(), crate::redact::clip)
            })
            .collect();
        if all.len() > SHOWN {
            names.push(format!("and {} more", all.len() - SHOWN));
        }
        names.join(", ")
    };
    match profile {
        Some(name) => {
            let at = all
                .iter()
                .position(|(f, _)| f.credentials.profile.as_deref() == Some(name))
                .ok_or_else(|| {
                    format!(
                        "--facts {shown} holds no report of profile {name} (it holds: {})",
                        holds()
                    )
                })?;
            Ok(all.swap_remove(at))
        }
        None if all.len() == 1 => Ok(all.remove(0)),
        None => Err(format!(
            "--facts {shown} is an --all-profiles audit of {} profiles: pick one with \
             --profile NAME ({}), or replay them all with --all-profiles",
            all.len(),
            holds()
        )),
    }
}

/// Every report the file holds: one for a report or fixture, one per profile for an audit.
pub async fn load_all(path: &Path, within: Within) -> Result<Vec<Saved>, String> {
    let shown = path.display();
    let bytes = crate::gather::files::read_named(path, FACTS_CAP, within.deadline, within.timeout)
        .await
        .map_err(|why| format!("--facts {shown} {why}"))?
        .ok_or_else(|| format!("--facts {shown} does not exist"))?;
    parse_all(&bytes).map_err(|why| format!("--facts {shown}: {why}"))
}

fn parse_all(bytes: &[u8]) -> Result<Vec<Saved>, String> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| format!("not JSON (line {}, column {})", e.line(), e.column()))?;
    match &value {
        serde_json::Value::Array(items) if items.is_empty() => {
            Err("an empty array: an audit of no profiles".into())
        }
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                if !item.is_object() {
                    return Err(format!("[{i}]: expected a report (a JSON object)"));
                }
                parse_value(item).map_err(|why| format!("[{i}].{why}"))
            })
            .collect(),
        _ => parse_value(&value).map(|saved| vec![saved]),
    }
}

pub fn parse(bytes: &[u8]) -> Result<Saved, String> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| format!("not JSON (line {}, column {})", e.line(), e.column()))?;
    parse_value(&value)
}

fn parse_value(value: &serde_json::Value) -> Result<Saved, String> {
    let obj = value.as_object().ok_or(
        "expected a JSON object (a report or a Facts fixture) or an array of reports (--all-profiles)",
    )?;
    if let Some(v) = obj.get("version")
        && v.as_u64() != Some(1)
    {
        // The number, when it is one; never a value of another type (it could be anything).
        return Err(match v.as_u64() {
            Some(n) => format!("version {n} is not supported; this build reads version 1"),
            None => "version: expected the number 1 (this build reads version 1)".into(),
        });
    }
    let runtime = match obj.get("expected_runtime_seconds") {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => Some(
            v.as_i64()
                .filter(|n| *n > 0 && n.unsigned_abs() <= crate::cli::MAX_RUNTIME_SECS)
                .ok_or(
                    "expected_runtime_seconds: expected a positive whole number of seconds, at most a year",
                )?,
        ),
    };
    let mut facts: Facts = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        // serde_json's message quotes the offending value (of any size, a secret in the wrong
        // field included): only the file, the JSON path, the kind found and the type expected
        // are said. Dates outside 1970..=9999 are refused here too (`facts::bounded`).
        let inner = crate::redact::serde_message(&e.into_inner().to_string());
        let inner = inner.lines().next().unwrap_or_default().to_string();
        if path == "." {
            inner
        } else {
            format!("{path}: {inner}")
        }
    })?;
    // Reports before version 0.2 filed an unset HOME under `config-file`.
    for p in &mut facts.problems {
        if p.kind == ProblemKind::ConfigFile && p.subject == "HOME" {
            p.kind = ProblemKind::Home;
        }
    }
    Ok((facts, runtime))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_values_name_their_json_path() {
        let err = parse(br#"{"checked_at":"2026-11-23T08:00:00Z","credentials":{"expires_at":"soon"},"identity":{},"session_limit":{},"clock":{}}"#)
            .unwrap_err();
        assert!(err.starts_with("credentials.expires_at:"), "{err}");
        let err = parse(b"{\"checked_at\": 5}").unwrap_err();
        assert!(err.starts_with("checked_at:"), "{err}");
        let err = parse(b"[1,2]").unwrap_err();
        assert!(err.contains("JSON object"), "{err}");
        let err = parse(b"{oops").unwrap_err();
        assert!(err.contains("line 1"), "{err}");
        let err = parse(br#"{"version": 2}"#).unwrap_err();
        assert!(err.contains("version 2"), "{err}");
    }

    #[test]
    fn an_unset_home_of_an_older_report_is_not_a_broken_config() {
        let (f, _) = parse(br#"{"checked_at":"2026-11-23T08:00:00Z","credentials":{},"identity":{},"session_limit":{},"clock":{},
            "problems":[{"kind":"config-file","subject":"HOME","line":null,"message":"is unset or empty"}]}"#)
            .unwrap();
        assert_eq!(f.problems[0].kind, ProblemKind::Home);
    }

    #[test]
    fn a_minimal_fixture_loads() {
        let (f, rt) = parse(br#"{"checked_at":"2026-11-23T08:00:00Z","credentials":{"source":"environment","profile":null,"temporary":true,"auto_refresh":false,"access_key_id":"ASIAEXAMPLEKEYIDWXYZ","expires_at":null,"expiry_source":null},"identity":{"arn":null,"account":null,"type":null,"role_name":null,"session_name":null},"session_limit":{"role_name":null,"max_session_duration_seconds":null,"role_chaining":null,"configured_duration_seconds":null},"clock":{"ntp_server":null,"ntp_offset_seconds":null,"aws_offset_seconds":null},"expected_runtime_seconds":3600}"#).unwrap();
        assert_eq!(rt, Some(3600));
        assert_eq!(f.credentials.access_key_id.unwrap().as_str(), "ASIA…WXYZ");
    }
}
