//! The caches the AWS CLI (and botocore) keep under `~/.aws`: assumed-role and SSO role
//! credentials in `cli/cache`, SSO access tokens in `sso/cache`.
//!
//! The file names are SHA-1 hashes of the request that produced them, computed exactly as
//! botocore does, so we open the one entry the CLI would use for this profile instead of
//! guessing from the newest file. Only expiry fields and the (redacted) key id are kept;
//! secrets are never deserialised.

use super::files;
use super::profiles::{RoleHop, SsoProfile};
use crate::env::Env;
use crate::facts::{KeyId, Problem, ProblemKind};
use crate::timestamps::{self, Dialect};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde::de::IgnoredAny;
use sha1::{Digest, Sha1};
use std::path::{Path, PathBuf};

fn sha1_hex(s: &str) -> String {
    Sha1::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A JSON string as Python's `json.dumps` writes it (`ensure_ascii=True`), which is what
/// botocore hashes.
fn py_json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

enum PyValue<'a> {
    Str(&'a str),
    Int(i64),
}

/// `json.dumps(args, sort_keys=True)` with the given separators.
fn py_json_object(mut fields: Vec<(&str, PyValue<'_>)>, item_sep: &str, key_sep: &str) -> String {
    fields.sort_by(|a, b| a.0.cmp(b.0));
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| {
            let v = match v {
                PyValue::Str(s) => py_json_str(s),
                PyValue::Int(n) => n.to_string(),
            };
            format!("{}{key_sep}{v}", py_json_str(k))
        })
        .collect();
    format!("{{{}}}", body.join(item_sep))
}

/// botocore's `AssumeRoleCredentialFetcher._create_cache_key`: the AssumeRole arguments
/// (without a generated session name), `json.dumps(sort_keys=True)`, SHA-1.
pub fn assume_role_cache_key(role: &RoleHop) -> String {
    let mut fields = vec![("RoleArn", PyValue::Str(&role.role_arn))];
    if let Some(n) = &role.session_name {
        fields.push(("RoleSessionName", PyValue::Str(n)));
    }
    if let Some(x) = &role.external_id {
        fields.push(("ExternalId", PyValue::Str(x)));
    }
    if let Some(m) = &role.mfa_serial {
        fields.push(("SerialNumber", PyValue::Str(m)));
    }
    if let Some(d) = role.duration_seconds {
        fields.push(("DurationSeconds", PyValue::Int(d)));
    }
    sha1_hex(&py_json_object(fields, ", ", ": "))
}

/// botocore's `SSOCredentialFetcher._create_cache_key` (compact separators).
pub fn sso_role_cache_key(sso: &SsoProfile) -> Option<String> {
    let mut fields = vec![
        ("roleName", PyValue::Str(sso.role_name.as_deref()?)),
        ("accountId", PyValue::Str(sso.account_id.as_deref()?)),
    ];
    match &sso.session_name {
        Some(s) => fields.push(("sessionName", PyValue::Str(s))),
        None => fields.push(("startUrl", PyValue::Str(&sso.start_url))),
    }
    Some(sha1_hex(&py_json_object(fields, ",", ":")))
}

/// The SSO token cache is keyed by the session name, or by the start URL for legacy profiles.
pub fn sso_token_cache_key(sso: &SsoProfile) -> String {
    sso_token_key(sso.session_name.as_deref(), &sso.start_url)
}

fn sso_token_key(session_name: Option<&str>, start_url: &str) -> String {
    sha1_hex(session_name.unwrap_or(start_url))
}

/// The SSO token cache entry of a session (or, legacy, a start URL): the file the SDK reads.
pub fn sso_token_path(env: &Env, session_name: Option<&str>, start_url: &str) -> Option<PathBuf> {
    Some(
        cache_dir(env, &["sso", "cache"])?
            .join(format!("{}.json", sso_token_key(session_name, start_url))),
    )
}

fn cache_dir(env: &Env, parts: &[&str]) -> Option<PathBuf> {
    let mut p = env.home()?.join(".aws");
    for part in parts {
        p.push(part);
    }
    Some(p)
}

/// Credentials the AWS CLI cached for a role.
#[derive(Clone, Debug, PartialEq)]
pub struct CachedCredentials {
    pub expires_at: DateTime<Utc>,
    pub key_id: Option<KeyId>,
    pub path: PathBuf,
}

#[derive(Deserialize)]
struct CliCacheFile {
    #[serde(rename = "Credentials")]
    credentials: CliCacheCredentials,
}

#[derive(Deserialize)]
struct CliCacheCredentials {
    #[serde(rename = "AccessKeyId")]
    access_key_id: Option<String>,
    #[serde(rename = "Expiration")]
    expiration: String,
}

/// Reads `~/.aws/cli/cache/<key>.json`. `None` when absent; malformed entries are problems.
pub fn read_cli_cache(
    env: &Env,
    key: &str,
    problems: &mut Vec<Problem>,
) -> Option<CachedCredentials> {
    let path = cache_dir(env, &["cli", "cache"])?.join(format!("{key}.json"));
    let text = read_cache_text(&path, problems)?;
    let parsed: CliCacheFile = match serde_json::from_str(&text) {
        Ok(p) => p,
        Err(e) => {
            problems.push(cache_problem(
                &path,
                format!("is not an AWS CLI cache entry: {}", json_shape_error(&e)),
            ));
            return None;
        }
    };
    match timestamps::parse(&parsed.credentials.expiration, Dialect::Zoned, env.zone()) {
        Ok(expires_at) => Some(CachedCredentials {
            expires_at,
            key_id: parsed
                .credentials
                .access_key_id
                .as_deref()
                .map(KeyId::redact),
            path,
        }),
        Err(why) => {
            problems.push(cache_problem(
                &path,
                format!("Credentials.Expiration {why}"),
            ));
            None
        }
    }
}

/// What the SSO token cache says about a session.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SsoToken {
    pub expires_at: Option<DateTime<Utc>>,
    pub has_refresh_token: bool,
    pub registration_expires_at: Option<DateTime<Utc>>,
    pub path: PathBuf,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SsoTokenFile {
    expires_at: Option<String>,
    refresh_token: Option<IgnoredAny>,
    registration_expires_at: Option<String>,
    access_token: Option<IgnoredAny>,
}

/// Reads `~/.aws/sso/cache/<key>.json`. `Ok(None)`-like `None` when never logged in.
pub fn read_sso_token(
    env: &Env,
    sso: &SsoProfile,
    problems: &mut Vec<Problem>,
) -> Option<SsoToken> {
    let path =
        cache_dir(env, &["sso", "cache"])?.join(format!("{}.json", sso_token_cache_key(sso)));
    let text = read_cache_text(&path, problems)?;
    let parsed: SsoTokenFile = match serde_json::from_str(&text) {
        Ok(p) => p,
        Err(e) => {
            problems.push(cache_problem(
                &path,
                format!("is not an SSO token cache entry: {}", json_shape_error(&e)),
            ));
            return None;
        }
    };
    if parsed.access_token.is_none() {
        problems.push(cache_problem(&path, "holds no accessToken".into()));
    }
    let mut time = |field: &str, v: Option<String>| {
        let v = v?;
        match timestamps::parse(&v, Dialect::Zoned, env.zone()) {
            Ok(t) => Some(t),
            Err(why) => {
                problems.push(cache_problem(&path, format!("{field} {why}")));
                None
            }
        }
    };
    let expires_at = time("expiresAt", parsed.expires_at);
    let registration_expires_at = time("registrationExpiresAt", parsed.registration_expires_at);
    Some(SsoToken {
        expires_at,
        has_refresh_token: parsed.refresh_token.is_some(),
        registration_expires_at,
        path,
    })
}

fn read_cache_text(path: &Path, problems: &mut Vec<Problem>) -> Option<String> {
    match files::read_text(path, files::CACHE_CAP) {
        Ok(text) => text,
        Err(why) => {
            problems.push(cache_problem(path, why));
            None
        }
    }
}

/// serde_json quotes the offending value ("invalid type: string \"…\", expected …"). A cache
/// entry holds secrets and may be any size, so only the value's type, what was expected and
/// where are kept.
fn json_shape_error(e: &serde_json::Error) -> String {
    crate::redact::serde_message(&e.to_string())
}

fn cache_problem(path: &Path, message: String) -> Problem {
    Problem::new(ProblemKind::CacheFile, path.display().to_string(), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(arn: &str) -> RoleHop {
        RoleHop {
            profile: "job".into(),
            role_arn: arn.into(),
            duration_seconds: None,
            mfa_serial: None,
            external_id: None,
            session_name: None,
        }
    }

    #[test]
    fn json_errors_never_quote_the_value() {
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".repeat(100);
        let text = format!(r#"{{"Credentials": "{secret}"}}"#);
        let Err(e) = serde_json::from_str::<CliCacheFile>(&text) else {
            panic!("accepted")
        };
        let got = json_shape_error(&e);
        assert!(!got.contains("wJalr"), "{got}");
        assert!(got.starts_with("invalid type: string, expected"), "{got}");
        assert!(got.contains("line 1 column"), "{got}");
        assert!(got.chars().count() <= 200);
        let Err(e) = serde_json::from_str::<CliCacheFile>("{") else {
            panic!("accepted")
        };
        assert!(json_shape_error(&e).contains("EOF"));
    }

    #[test]
    fn keys_hash_the_same_json_botocore_does() {
        // python3 -c 'import json,hashlib;print(hashlib.sha1(json.dumps({"RoleArn":"arn:aws:iam::123456789012:role/etl"},sort_keys=True).encode()).hexdigest())'
        assert_eq!(
            py_json_object(
                vec![(
                    "RoleArn",
                    PyValue::Str("arn:aws:iam::123456789012:role/etl")
                )],
                ", ",
                ": "
            ),
            r#"{"RoleArn": "arn:aws:iam::123456789012:role/etl"}"#
        );
        let mut r = role("arn:aws:iam::123456789012:role/etl");
        r.duration_seconds = Some(7200);
        r.mfa_serial = Some("arn:aws:iam::123456789012:mfa/bob".into());
        let json = py_json_object(
            vec![
                ("RoleArn", PyValue::Str(&r.role_arn)),
                (
                    "SerialNumber",
                    PyValue::Str("arn:aws:iam::123456789012:mfa/bob"),
                ),
                ("DurationSeconds", PyValue::Int(7200)),
            ],
            ", ",
            ": ",
        );
        assert_eq!(
            json,
            r#"{"DurationSeconds": 7200, "RoleArn": "arn:aws:iam::123456789012:role/etl", "SerialNumber": "arn:aws:iam::123456789012:mfa/bob"}"#
        );
        // CPython: hashlib.sha1(json.dumps({...the three args...}, sort_keys=True).encode()).hexdigest()
        assert_eq!(
            assume_role_cache_key(&r),
            "28bdb294e5ff1542e7f956db1444900365c4c5b3"
        );
        assert_eq!(
            assume_role_cache_key(&role("arn:aws:iam::123456789012:role/etl")),
            "c2bbf6b13701d249de25ee17141564c118087d5a"
        );
        assert_eq!(py_json_str("é\"\n"), r#""\u00e9\"\n""#);
    }

    #[test]
    fn sso_keys() {
        let sso = SsoProfile {
            profile: "dev".into(),
            session_name: Some("corp".into()),
            start_url: "https://corp.awsapps.com/start".into(),
            region: "us-east-1".into(),
            account_id: Some("123456789012".into()),
            role_name: Some("Dev".into()),
        };
        // `printf %s corp | sha1sum`
        assert_eq!(
            sso_token_cache_key(&sso),
            "ee0bfd2552fbd840c02cc48b6e823320543c450f"
        );
        let sso = SsoProfile {
            role_name: Some("Developer".into()),
            ..sso
        };
        // CPython, botocore's separators=(",", ":") form.
        assert_eq!(
            sso_role_cache_key(&sso).as_deref(),
            Some("5ff7ef65433a1f661637cbf499bb9f479b3d3f64")
        );
    }
}
