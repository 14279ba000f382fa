//! Random credential configurations for the differential tests: an environment, a config
//! file, a credentials file and the caches, as one scenario of `tests/support/oracle-protocol.md`.
//! The classes where botocore and aws-config are known to differ are over-sampled; each
//! scenario is tagged with the classes it exercises, so that a disagreement can be grouped.

use serde::Serialize;
use std::collections::BTreeMap;

/// A seeded generator (splitmix64): the same seed gives the same scenarios on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x0005_EED0_FEC5_D0C7)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One scenario, as the oracles read it.
#[derive(Clone, Debug, Serialize)]
pub struct Scenario {
    pub id: String,
    pub env: BTreeMap<String, String>,
    pub files: BTreeMap<String, String>,
}

/// A scenario and the classes it exercises.
pub struct Tagged {
    pub scenario: Scenario,
    pub tags: Vec<&'static str>,
}

const STATIC_KEY: &str = "AKIAEXAMPLESTATIC001";
const TEMP_KEY: &str = "ASIAEXAMPLETEMPKEY01";
const SECRET: &str = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY0";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKEN";
const ACCOUNT: &str = "123456789012";
const NAMES: &[&str] = &["dev", "etl", "base", "job", "ops"];

/// The SSO token cache's file name for a session name or a legacy start URL: sha1, hex.
pub fn sso_cache_name(key: &str) -> String {
    use sha1::Digest;
    let digest = sha1::Sha1::digest(key.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!(".aws/sso/cache/{hex}.json")
}

/// RFC 3339, UTC, seconds.
fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// What a profile section holds, before it is written as text.
#[derive(Clone, Debug)]
struct Section {
    /// The name as a job selects it.
    name: String,
    keys: Vec<(String, String)>,
}

/// The scenario under construction.
struct Builder<'a> {
    rng: &'a mut Rng,
    now: chrono::DateTime<chrono::Utc>,
    env: BTreeMap<String, String>,
    files: BTreeMap<String, String>,
    config: Vec<Section>,
    credentials: Vec<Section>,
    sso_sessions: Vec<(String, Vec<(String, String)>)>,
    tags: Vec<&'static str>,
}

impl Builder<'_> {
    fn tag(&mut self, t: &'static str) {
        if !self.tags.contains(&t) {
            self.tags.push(t);
        }
    }

    fn env_credentials(&mut self) {
        let variant = self.rng.below(10);
        let (key, secret_var, token) = match variant {
            0 => (STATIC_KEY, "AWS_SECRET_ACCESS_KEY", None),
            1 | 2 => (TEMP_KEY, "AWS_SECRET_ACCESS_KEY", Some("AWS_SESSION_TOKEN")),
            3 => (
                TEMP_KEY,
                "AWS_SECRET_ACCESS_KEY",
                Some("AWS_SECURITY_TOKEN"),
            ),
            4 => {
                self.tag("env-key-without-secret");
                self.env
                    .insert("AWS_ACCESS_KEY_ID".into(), STATIC_KEY.into());
                return;
            }
            5 => {
                self.tag("env-secret-without-key");
                self.env
                    .insert("AWS_SECRET_ACCESS_KEY".into(), SECRET.into());
                return;
            }
            6 => {
                self.tag("env-legacy-secret-name");
                (STATIC_KEY, "SECRET_ACCESS_KEY", None)
            }
            7 => {
                self.tag("env-blank-values");
                let blank = self.rng.pick(&["", " "]).to_string();
                self.env.insert("AWS_ACCESS_KEY_ID".into(), blank.clone());
                self.env.insert("AWS_SECRET_ACCESS_KEY".into(), blank);
                return;
            }
            _ => (TEMP_KEY, "AWS_SECRET_ACCESS_KEY", Some("AWS_SESSION_TOKEN")),
        };
        self.tag("env-credentials");
        self.env.insert("AWS_ACCESS_KEY_ID".into(), key.into());
        self.env.insert(secret_var.into(), SECRET.into());
        if let Some(t) = token {
            self.env.insert(t.into(), TOKEN.into());
        }
        if self.rng.chance(0.3) {
            let value = if self.rng.chance(0.3) {
                self.tag("env-expiry-epoch");
                (self.now + chrono::TimeDelta::hours(2))
                    .timestamp()
                    .to_string()
            } else {
                rfc3339(self.now + chrono::TimeDelta::hours(2))
            };
            self.env.insert("AWS_CREDENTIAL_EXPIRATION".into(), value);
        }
    }

    /// A profile of a random kind named `name`; `others` are names it may point at.
    fn profile(&mut self, name: &str, others: &[String]) {
        let mut keys: Vec<(String, String)> = Vec::new();
        let kind = self.rng.below(14);
        match kind {
            0 | 1 => {
                // Static keys: in the credentials file, the config file, or split.
                let temp = self.rng.chance(0.3);
                let mut creds = vec![
                    (
                        "aws_access_key_id".to_string(),
                        if temp { TEMP_KEY } else { STATIC_KEY }.to_string(),
                    ),
                    ("aws_secret_access_key".into(), SECRET.into()),
                ];
                if temp {
                    creds.push(("aws_session_token".into(), TOKEN.into()));
                }
                match self.rng.below(5) {
                    0 => {
                        self.tag("static-keys-in-config");
                        keys.extend(creds);
                    }
                    1 => {
                        self.tag("keys-split-between-files");
                        keys.push(creds[0].clone());
                        self.credentials.push(Section {
                            name: name.into(),
                            keys: creds[1..].to_vec(),
                        });
                    }
                    _ => {
                        self.tag("static-keys-in-credentials");
                        self.credentials.push(Section {
                            name: name.into(),
                            keys: creds,
                        });
                    }
                }
            }
            2..=4 => {
                self.tag("role-source-profile");
                keys.push((
                    "role_arn".into(),
                    format!("arn:aws:iam::{ACCOUNT}:role/{name}-role"),
                ));
                let source = match self.rng.below(8) {
                    0 => {
                        self.tag("role-source-profile-self");
                        name.to_string()
                    }
                    1 => {
                        self.tag("role-source-profile-missing");
                        "nowhere".to_string()
                    }
                    _ if others.is_empty() => name.to_string(),
                    _ => self.rng.pick(others).clone(),
                };
                keys.push(("source_profile".into(), source));
                if self.rng.chance(0.25) {
                    self.tag("duration-seconds");
                    let d = self.rng.pick(&["3600", "7200", "43200", "1h"]).to_string();
                    keys.push(("duration_seconds".into(), d));
                }
                if self.rng.chance(0.1) {
                    self.tag("role-both-sources");
                    keys.push(("credential_source".into(), "Environment".into()));
                }
            }
            5 => {
                self.tag("role-credential-source");
                keys.push((
                    "role_arn".into(),
                    format!("arn:aws:iam::{ACCOUNT}:role/{name}-role"),
                ));
                let v = self.rng.pick(&[
                    "Environment",
                    "EcsContainer",
                    "Ec2InstanceMetadata",
                    "environment",
                    "ecscontainer",
                    "Ec2InstanceMetadta",
                ]);
                if v.chars().next().is_some_and(char::is_lowercase) || v.ends_with("dta") {
                    self.tag("credential-source-spelling");
                }
                keys.push(("credential_source".into(), v.to_string()));
            }
            6 => {
                self.tag("role-without-source");
                keys.push((
                    "role_arn".into(),
                    format!("arn:aws:iam::{ACCOUNT}:role/{name}-role"),
                ));
            }
            7 | 8 => self.sso_profile(&mut keys),
            9 => {
                self.tag("web-identity-profile");
                if self.rng.chance(0.85) {
                    keys.push((
                        "role_arn".into(),
                        format!("arn:aws:iam::{ACCOUNT}:role/{name}-web"),
                    ));
                } else {
                    self.tag("web-identity-profile-without-role");
                }
                keys.push((
                    "web_identity_token_file".into(),
                    "{HOME}/profile-token".into(),
                ));
                if self.rng.chance(0.85) {
                    self.files
                        .insert("profile-token".into(), "profile-web-identity-token".into());
                } else {
                    self.tag("web-identity-token-missing");
                }
            }
            10 | 11 => {
                self.tag("credential-process");
                let command = match self.rng.below(6) {
                    0 => {
                        self.tag("credential-process-fails");
                        "cat {HOME}/no-such-output.json".to_string()
                    }
                    1 => {
                        self.tag("credential-process-shell-syntax");
                        "cat ~/proc.json".to_string()
                    }
                    _ => "cat {HOME}/proc.json".to_string(),
                };
                keys.push(("credential_process".into(), command));
                let expires = rfc3339(self.now + chrono::TimeDelta::hours(1));
                self.files.insert(
                    "proc.json".into(),
                    format!(
                        r#"{{"Version": 1, "AccessKeyId": "{TEMP_KEY}", "SecretAccessKey": "{SECRET}", "SessionToken": "{TOKEN}", "Expiration": "{expires}"}}"#
                    ),
                );
                if self.rng.chance(0.2) {
                    self.tag("credential-process-and-keys");
                    self.credentials.push(Section {
                        name: name.into(),
                        keys: vec![
                            ("aws_access_key_id".into(), STATIC_KEY.into()),
                            ("aws_secret_access_key".into(), SECRET.into()),
                        ],
                    });
                }
            }
            12 => {
                self.tag("login-session");
                keys.push((
                    "login_session".into(),
                    format!("arn:aws:iam::{ACCOUNT}:user/{name}"),
                ));
            }
            _ => {
                self.tag("region-only-profile");
            }
        }
        if self.rng.chance(0.5) {
            keys.push(("region".into(), "us-east-1".into()));
        }
        self.config.push(Section {
            name: name.into(),
            keys,
        });
    }

    fn sso_profile(&mut self, keys: &mut Vec<(String, String)>) {
        let start_url = "https://corp.awsapps.com/start";
        let legacy = self.rng.chance(0.35);
        let cache_key = if legacy {
            self.tag("sso-legacy");
            keys.push(("sso_start_url".into(), start_url.into()));
            keys.push(("sso_region".into(), "us-east-1".into()));
            start_url.to_string()
        } else {
            self.tag("sso-session");
            let session = "corp".to_string();
            keys.push(("sso_session".into(), session.clone()));
            if !self.sso_sessions.iter().any(|(n, _)| *n == session) && self.rng.chance(0.93) {
                self.sso_sessions.push((
                    session.clone(),
                    vec![
                        ("sso_start_url".into(), start_url.into()),
                        ("sso_region".into(), "us-east-1".into()),
                    ],
                ));
            } else if !self.sso_sessions.iter().any(|(n, _)| *n == session) {
                self.tag("sso-session-section-missing");
            }
            if self.rng.chance(0.1) {
                self.tag("sso-session-and-start-url");
                let url = if self.rng.chance(0.5) {
                    start_url
                } else {
                    "https://other.awsapps.com/start"
                };
                keys.push(("sso_start_url".into(), url.into()));
            }
            session
        };
        match self.rng.below(10) {
            0 => {
                self.tag("sso-without-role");
                keys.push(("sso_account_id".into(), ACCOUNT.into()));
            }
            1 if !legacy => self.tag("sso-token-only"),
            _ => {
                keys.push(("sso_account_id".into(), ACCOUNT.into()));
                keys.push(("sso_role_name".into(), "Developer".into()));
            }
        }
        let token = match self.rng.below(10) {
            0 | 1 => {
                self.tag("sso-no-cached-token");
                None
            }
            2 => {
                self.tag("sso-token-expired-refreshable");
                Some(format!(
                    r#"{{"startUrl": "{start_url}", "region": "us-east-1", "accessToken": "expired-sso-access-token", "expiresAt": "{}", "refreshToken": "sso-refresh-token", "clientId": "client-id", "clientSecret": "client-secret", "registrationExpiresAt": "{}"}}"#,
                    rfc3339(self.now - chrono::TimeDelta::hours(1)),
                    rfc3339(self.now + chrono::TimeDelta::days(30)),
                ))
            }
            3 => {
                self.tag("sso-token-expired");
                Some(format!(
                    r#"{{"startUrl": "{start_url}", "region": "us-east-1", "accessToken": "expired-sso-access-token", "expiresAt": "{}"}}"#,
                    rfc3339(self.now - chrono::TimeDelta::hours(1)),
                ))
            }
            _ => Some(format!(
                r#"{{"startUrl": "{start_url}", "region": "us-east-1", "accessToken": "sso-access-token", "expiresAt": "{}"}}"#,
                rfc3339(self.now + chrono::TimeDelta::hours(6)),
            )),
        };
        if let Some(t) = token {
            self.files.insert(sso_cache_name(&cache_key), t);
        }
    }

    /// Writes the sections as INI text, with the quirks the scenario drew.
    fn render(&mut self, config_file: bool) -> String {
        let sections = if config_file {
            self.config.clone()
        } else {
            self.credentials.clone()
        };
        let mut out = String::new();
        let mut written: Vec<String> = Vec::new();
        for s in &sections {
            let header = if config_file && s.name != "default" {
                match self.rng.below(30) {
                    0 => {
                        self.tag("ini-spaces-in-header");
                        format!("[ profile {} ]", s.name)
                    }
                    1 => {
                        self.tag("ini-quoted-profile-name");
                        format!("[profile \"{}\"]", s.name)
                    }
                    2 => {
                        self.tag("ini-two-spaces-in-header");
                        format!("[profile  {}]", s.name)
                    }
                    _ => format!("[profile {}]", s.name),
                }
            } else if config_file && self.rng.chance(0.2) {
                self.tag("ini-profile-default");
                "[profile default]".to_string()
            } else {
                format!("[{}]", s.name)
            };
            if written.contains(&header) {
                self.tag("ini-duplicate-section");
            }
            written.push(header.clone());
            out.push_str(&header);
            out.push('\n');
            for (k, v) in &s.keys {
                let line = match self.rng.below(40) {
                    0 => {
                        self.tag("ini-colon-delimiter");
                        format!("{k}: {v}")
                    }
                    1 => {
                        self.tag("ini-inline-comment");
                        format!("{k} = {v} # set by hand")
                    }
                    2 => {
                        self.tag("ini-upper-case-key");
                        format!("{} = {v}", k.to_uppercase())
                    }
                    3 => {
                        self.tag("ini-indented-key");
                        format!("  {k} = {v}")
                    }
                    _ => format!("{k} = {v}"),
                };
                out.push_str(&line);
                out.push('\n');
                if self.rng.chance(0.02) {
                    self.tag("ini-duplicate-key");
                    out.push_str(&format!("{k} = {v}\n"));
                }
            }
            if self.rng.chance(0.03) {
                self.tag("ini-nested-section");
                out.push_str("s3 =\n  max_concurrent_requests = 20\n");
            }
        }
        if config_file {
            for (name, keys) in self.sso_sessions.clone() {
                out.push_str(&format!("[sso-session {name}]\n"));
                for (k, v) in keys {
                    out.push_str(&format!("{k} = {v}\n"));
                }
            }
            if self.rng.chance(0.02) {
                self.tag("ini-duplicate-section");
                if let Some(s) = sections.first() {
                    out.push_str(&format!("[profile {}]\nregion = eu-west-1\n", s.name));
                }
            }
        }
        if self.rng.chance(0.01) {
            self.tag("ini-garbage-line");
            out.push_str("this line is neither a key nor a section\n");
        }
        out
    }
}

/// `n` scenarios from `seed`, with ids `seed-<seed>/<i>`; `now` anchors every expiry.
pub fn scenarios(seed: u64, n: usize, now: chrono::DateTime<chrono::Utc>) -> Vec<Tagged> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let mut b = Builder {
                rng: &mut rng,
                now,
                env: BTreeMap::new(),
                files: BTreeMap::new(),
                config: Vec::new(),
                credentials: Vec::new(),
                sso_sessions: Vec::new(),
                tags: Vec::new(),
            };
            b.env
                .insert("AWS_EC2_METADATA_DISABLED".into(), "true".into());
            b.env.insert("AWS_ENDPOINT_URL".into(), "{STUB}".into());
            if b.rng.chance(0.7) {
                b.env.insert("AWS_REGION".into(), "us-east-1".into());
            } else {
                b.tag("no-region");
            }
            if b.rng.chance(0.35) {
                b.env_credentials();
            }
            // Profiles: a default one half the time, and one to four named ones.
            let count = 1 + b.rng.below(4);
            let mut names: Vec<String> = Vec::new();
            if b.rng.chance(0.5) {
                names.push("default".into());
            }
            for _ in 0..count {
                let n = b.rng.pick(NAMES).to_string();
                if !names.contains(&n) {
                    names.push(n);
                }
            }
            for (j, name) in names.clone().iter().enumerate() {
                let others: Vec<String> = names
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| *k != j)
                    .map(|(_, n)| n.clone())
                    .collect();
                b.profile(name, &others);
            }
            // Selection.
            match b.rng.below(20) {
                0..=5 => {}
                6..=12 => {
                    let n = b.rng.pick(&names).clone();
                    b.env.insert("AWS_PROFILE".into(), n);
                }
                13 | 14 => {
                    b.tag("aws-profile-missing");
                    b.env.insert("AWS_PROFILE".into(), "missing".into());
                }
                15 => {
                    b.tag("aws-profile-blank");
                    b.env.insert("AWS_PROFILE".into(), "".into());
                }
                16 | 17 => {
                    b.tag("aws-default-profile");
                    let n = b.rng.pick(&names).clone();
                    b.env.insert("AWS_DEFAULT_PROFILE".into(), n);
                }
                _ => {
                    b.tag("aws-default-profile-and-aws-profile");
                    let n = b.rng.pick(&names).clone();
                    let m = b.rng.pick(&names).clone();
                    b.env.insert("AWS_DEFAULT_PROFILE".into(), n);
                    b.env.insert("AWS_PROFILE".into(), m);
                }
            }
            // Web identity from the environment.
            if b.rng.chance(0.15) {
                b.tag("web-identity-env");
                match b.rng.below(5) {
                    0 => {
                        b.tag("web-identity-env-without-role");
                        b.env.insert(
                            "AWS_WEB_IDENTITY_TOKEN_FILE".into(),
                            "{HOME}/env-token".into(),
                        );
                    }
                    1 => {
                        b.tag("web-identity-env-role-only");
                        b.env.insert(
                            "AWS_ROLE_ARN".into(),
                            format!("arn:aws:iam::{ACCOUNT}:role/ci"),
                        );
                    }
                    _ => {
                        b.env.insert(
                            "AWS_WEB_IDENTITY_TOKEN_FILE".into(),
                            "{HOME}/env-token".into(),
                        );
                        b.env.insert(
                            "AWS_ROLE_ARN".into(),
                            format!("arn:aws:iam::{ACCOUNT}:role/ci"),
                        );
                    }
                }
                if b.rng.chance(0.9) {
                    b.files
                        .insert("env-token".into(), "env-web-identity-token".into());
                }
            }
            // The container endpoint (loopback: the stub).
            if b.rng.chance(0.1) {
                b.tag("container");
                b.env.insert(
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI".into(),
                    "{STUB}/container".into(),
                );
            }
            let config = b.render(true);
            let credentials = b.render(false);
            // Where the files are: the default paths, or the override variables.
            let (config_path, credentials_path) = if b.rng.chance(0.1) {
                b.tag("file-override-variables");
                b.env
                    .insert("AWS_CONFIG_FILE".into(), "{HOME}/alt/config".into());
                b.env.insert(
                    "AWS_SHARED_CREDENTIALS_FILE".into(),
                    "{HOME}/alt/credentials".into(),
                );
                ("alt/config", "alt/credentials")
            } else {
                (".aws/config", ".aws/credentials")
            };
            if !config.is_empty() {
                b.files.insert(config_path.into(), config);
            }
            if !credentials.is_empty() {
                b.files.insert(credentials_path.into(), credentials);
            }
            let tags = std::mem::take(&mut b.tags);
            let scenario = Scenario {
                id: format!("seed-{seed}/{i:04}"),
                env: b.env,
                files: b.files,
            };
            Tagged { scenario, tags }
        })
        .collect()
}
