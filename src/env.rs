//! The outside world as a value: environment variables, home directory, the clock and the
//! local time zone.
//!
//! `main` builds the one real [`Env`] and passes it down; nothing else reads the process
//! environment or the system clock (clippy's `disallowed-methods` in `clippy.toml` enforces
//! it). A test describes a whole machine instead (a fake HOME, exported credentials, a clock
//! it moves) and runs the real code against it, the way rustup passes its `Process` around.

use chrono::{DateTime, FixedOffset, Local, LocalResult, NaiveDateTime, TimeDelta, TimeZone, Utc};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Where the time comes from: the system clock in the binary, a clock a test moves.
#[derive(Clone, Debug)]
pub enum Clock {
    System,
    Manual(Arc<Mutex<DateTime<Utc>>>),
}

impl Clock {
    /// A clock that shows `t` until a test moves it.
    pub fn manual(t: DateTime<Utc>) -> Clock {
        Clock::Manual(Arc::new(Mutex::new(t)))
    }

    /// The current instant.
    #[allow(clippy::disallowed_methods)] // the one reading of the system clock
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Manual(t) => *t.lock().unwrap_or_else(|p| p.into_inner()),
        }
    }

    /// Moves a manual clock forward (tests); the system clock cannot be moved.
    pub fn advance(&self, by: TimeDelta) {
        if let Clock::Manual(t) = self {
            let mut t = t.lock().unwrap_or_else(|p| p.into_inner());
            *t += by;
        }
    }
}

/// Which zone a wall-clock time without an offset (awsume's `AWSUME_EXPIRATION`) is in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LocalZone {
    /// The machine's zone (`TZ`, `/etc/localtime`), as chrono reads it.
    System,
    /// A fixed offset, for tests.
    Fixed(FixedOffset),
}

impl LocalZone {
    /// Interprets a wall-clock time in this zone. An ambiguous time (the hour repeated when
    /// daylight saving ends) resolves to the earlier instant, which errs on the side of
    /// "expires sooner"; a time that does not exist (skipped by DST) is `None`.
    pub fn to_utc(self, naive: NaiveDateTime) -> Option<DateTime<Utc>> {
        let resolved = match self {
            LocalZone::System => Local
                .from_local_datetime(&naive)
                .map(|t| t.with_timezone(&Utc)),
            LocalZone::Fixed(off) => off
                .from_local_datetime(&naive)
                .map(|t| t.with_timezone(&Utc)),
        };
        match resolved {
            LocalResult::Single(t) => Some(t),
            LocalResult::Ambiguous(earlier, _) => Some(earlier),
            LocalResult::None => None,
        }
    }
}

/// A snapshot of the environment the run reads, and its clock.
#[derive(Clone, Debug)]
pub struct Env {
    vars: BTreeMap<String, String>,
    /// Variables whose value is not valid UTF-8, kept aside: the SDKs treat some of them as
    /// unset (aws-config's `HOME`, `AWS_PROFILE`), others not, and a helper must still see
    /// them.
    not_unicode: BTreeMap<String, OsString>,
    home: Option<PathBuf>,
    now: DateTime<Utc>,
    zone: LocalZone,
    clock: Clock,
}

impl Env {
    /// The real process environment. A variable whose value is not valid UTF-8 is kept
    /// aside (`not_unicode`), to be named rather than silently missing; one whose name is not
    /// UTF-8 is skipped (no AWS variable's can be). Never panics, as `std::env::vars` would.
    /// Called once, by `main`.
    #[allow(clippy::disallowed_methods)] // the one reading of the process environment
    pub fn real() -> Self {
        let mut vars: BTreeMap<String, String> = BTreeMap::new();
        let mut not_unicode: BTreeMap<String, OsString> = BTreeMap::new();
        for (k, v) in std::env::vars_os() {
            let Ok(k) = k.into_string() else { continue };
            match v.into_string() {
                Ok(v) => {
                    vars.insert(k, v);
                }
                Err(v) => {
                    not_unicode.insert(k, v);
                }
            }
        }
        let home = vars
            .get("HOME")
            .filter(|h| !h.trim().is_empty())
            .map(PathBuf::from);
        let clock = Clock::System;
        Env {
            vars,
            not_unicode,
            home,
            now: clock.now(),
            zone: LocalZone::System,
            clock,
        }
    }

    /// A fake environment for tests: only the given variables, `HOME` taken from them.
    pub fn fake<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
        now: DateTime<Utc>,
    ) -> Self {
        let vars: BTreeMap<String, String> = vars
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        let home = vars
            .get("HOME")
            .filter(|h| !h.trim().is_empty())
            .map(PathBuf::from);
        Env {
            vars,
            not_unicode: BTreeMap::new(),
            home,
            now,
            zone: LocalZone::Fixed(FixedOffset::east_opt(0).expect("zero offset is valid")),
            clock: Clock::manual(now),
        }
    }

    /// The same machine, a fresh look: `now` read again from the clock (each observation of
    /// `exec`'s watch is a run of its own).
    pub fn renewed(&self) -> Env {
        let mut e = self.clone();
        e.now = self.clock.now();
        e
    }

    /// The same environment without exported credentials or a selected profile: what a job
    /// that selects `profile` explicitly sees (`--all-profiles` audits every profile this way).
    pub fn without_exported_credentials(&self) -> Env {
        let mut e = self.clone();
        for var in [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_SECURITY_TOKEN",
            "AWS_PROFILE",
            "AWS_DEFAULT_PROFILE",
        ] {
            e.vars.remove(var);
            e.not_unicode.remove(var);
        }
        e
    }

    /// Adds a variable whose value is not UTF-8 (tests of the real environment's oddities).
    pub fn with_os_var(mut self, name: &str, value: OsString) -> Self {
        self.vars.remove(name);
        if name == "HOME" {
            self.home = None;
        }
        self.not_unicode.insert(name.to_string(), value);
        self
    }

    /// The value of a variable that is set but not valid UTF-8, shown with U+FFFD for the bytes
    /// that are not (for a sentence; never for a lookup).
    pub fn not_unicode(&self, name: &str) -> Option<String> {
        self.not_unicode
            .get(name)
            .map(|v| v.to_string_lossy().into_owned())
    }

    /// The variables that are not valid UTF-8, as set: a helper the SDK starts inherits them.
    pub fn not_unicode_vars(&self) -> &BTreeMap<String, OsString> {
        &self.not_unicode
    }

    /// The environment as botocore sees it: Python decodes a `HOME` that is not UTF-8 with
    /// `surrogateescape` and opens `~/.aws/config` under it all the same, where aws-config
    /// treats it as unset.
    pub fn as_python_sees_it(&self) -> std::borrow::Cow<'_, Env> {
        match self.not_unicode.get("HOME") {
            Some(home) if !home.is_empty() && self.home.is_none() => {
                let mut e = self.clone();
                e.home = Some(PathBuf::from(home));
                std::borrow::Cow::Owned(e)
            }
            _ => std::borrow::Cow::Borrowed(self),
        }
    }

    /// Replaces the local zone (tests of zone-less timestamps).
    pub fn with_zone(mut self, zone: LocalZone) -> Self {
        self.zone = zone;
        self
    }

    /// A variable's value, treating a blank value as unset, as the AWS SDKs do.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    /// A variable's value exactly as set, blank or not (aws-config reads `AWS_PROFILE` so).
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// Whether a variable is present at all, even blank.
    pub fn is_set(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }

    /// All variables, for handing to aws-config's own loaders.
    pub fn vars(&self) -> &BTreeMap<String, String> {
        &self.vars
    }

    /// The home directory, `None` when `HOME` is unset or empty.
    pub fn home(&self) -> Option<&PathBuf> {
        self.home.as_ref()
    }

    /// The moment the run started; every "in 31m" is relative to it.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// The clock, for code that measures time passing (a wrapped job, a request's flight).
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn zone(&self) -> LocalZone {
        self.zone
    }

    /// Expands a leading `~` the way the AWS SDKs do for `AWS_CONFIG_FILE` and friends: only a
    /// whole first component, and left as is when there is no home.
    pub fn expand_home(&self, path: &str) -> PathBuf {
        let mut parts = std::path::Path::new(path).components();
        match (parts.next(), &self.home) {
            (Some(std::path::Component::Normal(first)), Some(home)) if first == "~" => {
                let mut out = home.clone();
                out.extend(parts);
                out
            }
            _ => PathBuf::from(path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn blank_variables_count_as_unset() {
        let env = Env::fake(
            [("AWS_PROFILE", "  "), ("A", "x")],
            at("2026-11-23T08:00:00Z"),
        );
        assert_eq!(env.var("AWS_PROFILE"), None);
        assert!(env.is_set("AWS_PROFILE"));
        assert_eq!(env.var("A"), Some("x"));
    }

    #[test]
    fn tilde_expands_only_as_first_component() {
        let env = Env::fake([("HOME", "/home/me")], at("2026-11-23T08:00:00Z"));
        assert_eq!(
            env.expand_home("~/.aws/config"),
            PathBuf::from("/home/me/.aws/config")
        );
        assert_eq!(env.expand_home("~aws/config"), PathBuf::from("~aws/config"));
        assert_eq!(env.expand_home("/etc/aws"), PathBuf::from("/etc/aws"));
        let homeless = Env::fake([("HOME", "")], at("2026-11-23T08:00:00Z"));
        assert_eq!(homeless.home(), None);
        assert_eq!(
            homeless.expand_home("~/.aws/config"),
            PathBuf::from("~/.aws/config")
        );
    }

    #[test]
    fn values_that_are_not_utf8_are_kept_aside_and_home_is_python_s() {
        use std::os::unix::ffi::OsStrExt;
        let odd = std::ffi::OsStr::from_bytes(b"/home/caf\xe9").to_os_string();
        let env = Env::fake([("HOME", "/x")], at("2026-11-23T08:00:00Z"))
            .with_os_var("HOME", odd.clone());
        assert_eq!(env.home(), None, "aws-config cannot read it");
        assert_eq!(
            env.not_unicode("HOME").as_deref(),
            Some("/home/caf\u{FFFD}")
        );
        assert_eq!(
            env.as_python_sees_it().home(),
            Some(&PathBuf::from(odd)),
            "botocore can"
        );
        assert!(
            env.without_exported_credentials()
                .not_unicode("HOME")
                .is_some()
        );
    }

    #[test]
    fn fixed_zone_converts_wall_clock_times() {
        let zone = LocalZone::Fixed(FixedOffset::east_opt(2 * 3600).unwrap());
        let naive =
            NaiveDateTime::parse_from_str("2026-11-23 10:00:00", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(zone.to_utc(naive), Some(at("2026-11-23T08:00:00Z")));
    }
}
