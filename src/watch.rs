//! What the job's credentials look like while it runs: one observation per wake-up, the
//! wake-ups themselves (every interval, and at the moments that matter around the expiry),
//! and the one condition worth a loud warning. Pure: the gathering is `commands/check.rs`'s.

use crate::facts::{Facts, KeyId, Probe, ProbeKind, Problem, ProblemKind, Sdk, Source};
use crate::timestamps::{earlier, later};
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Observation {
    pub at: DateTime<Utc>,
    pub source: Source,
    pub profile: Option<String>,
    pub access_key_id: Option<KeyId>,
    pub expires_at: Option<DateTime<Utc>>,
    /// Seconds from `at` to `expires_at` (negative once expired).
    pub seconds_left: Option<i64>,
    /// Whether the SDK will fetch new credentials by itself when these run out.
    pub auto_refresh: Option<bool>,
    /// New credentials since the previous observation: a later expiry or another key.
    pub refreshed: bool,
    /// Why the credentials could not be resolved this time, when they could not.
    #[serde(skip)]
    pub error: Option<Unobserved>,
}

/// Why an observation found no credentials.
#[derive(Clone, Debug, PartialEq)]
pub enum Unobserved {
    /// The credential provider failed.
    Probe(Probe),
    /// A local step ran out of time (a credential_process).
    Problem(Problem),
    /// Nothing in the chain.
    NoCredentials,
}

/// One observation, from credentials-only facts gathered now.
pub fn observe(facts: &Facts, previous: Option<&Observation>) -> Observation {
    let c = &facts.credentials;
    let at = facts.checked_at;
    let error = facts
        .probes
        .iter()
        .find(|p| p.kind == ProbeKind::Credentials && p.error.is_some())
        .map(|p| Unobserved::Probe(p.clone()))
        .or_else(|| {
            facts
                .problems
                .iter()
                .find(|p| p.kind == ProblemKind::Deadline)
                .map(|p| Unobserved::Problem(p.clone()))
        })
        .or_else(|| (c.source == Source::None).then_some(Unobserved::NoCredentials));
    let refreshed = previous.is_some_and(|p| {
        let later = match (p.expires_at, c.expires_at) {
            (Some(before), Some(now)) => now > before,
            _ => false,
        };
        let other_key = p.access_key_id.is_some()
            && c.access_key_id.is_some()
            && p.access_key_id != c.access_key_id;
        later || other_key
    });
    Observation {
        at,
        source: c.source,
        profile: c.profile.clone(),
        access_key_id: c.access_key_id.clone(),
        expires_at: c.expires_at,
        seconds_left: c.expires_at.map(|e| (e - at).num_seconds()),
        auto_refresh: c.auto_refresh,
        refreshed,
        error,
    }
}

/// The observation at `now` when the job's SDK (`sdk`) still holds the credentials it had at
/// `previous`: refreshing credentials are cached by the SDK and not asked for again until
/// shortly before they expire ([`refresh_buffer`]: 10 s for aws-config, 15 min for botocore),
/// so asking the provider sooner would mint a session (an AssumeRole, a CloudTrail event) the
/// job never sees. `None` when the job's SDK would ask now, or nothing is cached (no expiry
/// known, a failure, credentials that never refresh: those are looked at again, which mints
/// nothing).
///
/// [`refresh_buffer`]: crate::aws::limits::refresh_buffer
pub fn held(previous: &Observation, now: DateTime<Utc>, sdk: Sdk) -> Option<Observation> {
    let expires = previous.expires_at?;
    let buffer = TimeDelta::seconds(crate::aws::limits::refresh_buffer(sdk));
    let cached = previous.error.is_none()
        && previous.auto_refresh == Some(true)
        && now < earlier(expires, buffer);
    cached.then(|| Observation {
        at: now,
        seconds_left: Some((expires - now).num_seconds()),
        refreshed: false,
        ..previous.clone()
    })
}

/// When to look next: after `interval`, or earlier at 15 and 5 minutes before the expiry and
/// just after it (did something refresh them?).
pub fn next_wake(
    now: DateTime<Utc>,
    interval: TimeDelta,
    expires_at: Option<DateTime<Utc>>,
) -> DateTime<Utc> {
    let mut next = later(now, interval);
    if let Some(e) = expires_at {
        for moment in [
            earlier(e, TimeDelta::minutes(15)),
            earlier(e, TimeDelta::minutes(5)),
            later(e, TimeDelta::seconds(1)),
        ] {
            if moment > now && moment < next {
                next = moment;
            }
        }
    }
    next
}

/// The observation in effect at `at` (when the job first failed): the last one before it that
/// knew an expiry, else the last that did (a failure before the first observation).
pub fn in_effect(observations: &[Observation], at: Option<DateTime<Utc>>) -> Option<&Observation> {
    let known = || observations.iter().rev().filter(|o| o.expires_at.is_some());
    known()
        .find(|o| at.is_none_or(|t| o.at <= t))
        .or_else(|| known().next())
}

/// The credentials expire before the job's expected end, and nothing will replace them.
pub fn runs_out(obs: &Observation, expected_end: Option<DateTime<Utc>>) -> bool {
    match (obs.expires_at, expected_end) {
        (Some(expires), Some(end)) => expires < end && obs.auto_refresh != Some(true),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn refreshing(expires: &str) -> Observation {
        Observation {
            at: at("2026-11-23T08:00:00Z"),
            source: Source::AssumeRole,
            profile: Some("job".into()),
            access_key_id: None,
            expires_at: Some(at(expires)),
            seconds_left: Some(3600),
            auto_refresh: Some(true),
            refreshed: true,
            error: None,
        }
    }

    #[test]
    fn the_sdk_holds_refreshing_credentials_until_just_before_they_expire() {
        let before = refreshing("2026-11-23T09:00:00Z");
        let later = held(&before, at("2026-11-23T08:59:49Z"), Sdk::Rust).expect("still held");
        assert_eq!(later.at, at("2026-11-23T08:59:49Z"));
        assert_eq!(later.seconds_left, Some(11));
        assert_eq!(later.expires_at, before.expires_at);
        assert!(!later.refreshed, "the same credentials, not a refresh");
        // Within the SDK's buffer, it asks the provider again: so does the watch.
        assert_eq!(held(&before, at("2026-11-23T08:59:50Z"), Sdk::Rust), None);
        // botocore asks 15 minutes before.
        assert!(held(&before, at("2026-11-23T08:44:59Z"), Sdk::Python).is_some());
        assert_eq!(held(&before, at("2026-11-23T08:45:00Z"), Sdk::Python), None);
    }

    #[test]
    fn only_refreshing_credentials_that_were_obtained_are_held() {
        let mut never = refreshing("2026-11-23T09:00:00Z");
        never.auto_refresh = Some(false);
        assert_eq!(held(&never, at("2026-11-23T08:10:00Z"), Sdk::Rust), None);
        let mut unknown = refreshing("2026-11-23T09:00:00Z");
        unknown.expires_at = None;
        assert_eq!(held(&unknown, at("2026-11-23T08:10:00Z"), Sdk::Rust), None);
        let mut failed = refreshing("2026-11-23T09:00:00Z");
        failed.error = Some(Unobserved::NoCredentials);
        assert_eq!(held(&failed, at("2026-11-23T08:10:00Z"), Sdk::Rust), None);
    }

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn wakes_at_the_interval_and_at_the_moments_before_and_after_expiry() {
        let every = TimeDelta::minutes(5);
        let expiry = Some(t("2026-11-23T10:00:00Z"));
        // Far from expiry: the interval.
        assert_eq!(
            next_wake(t("2026-11-23T09:00:00Z"), every, expiry),
            t("2026-11-23T09:05:00Z")
        );
        // 17 minutes before: the 15-minute mark comes first.
        assert_eq!(
            next_wake(t("2026-11-23T09:43:00Z"), every, expiry),
            t("2026-11-23T09:45:00Z")
        );
        // Just past the 15-minute mark: the 5-minute mark.
        assert_eq!(
            next_wake(t("2026-11-23T09:51:00Z"), every, expiry),
            t("2026-11-23T09:55:00Z")
        );
        // After the 5-minute mark: just after the expiry.
        assert_eq!(
            next_wake(t("2026-11-23T09:58:00Z"), every, expiry),
            t("2026-11-23T10:00:01Z")
        );
        // Past it, and with no expiry: the interval.
        assert_eq!(
            next_wake(t("2026-11-23T10:00:02Z"), every, expiry),
            t("2026-11-23T10:05:02Z")
        );
        assert_eq!(
            next_wake(t("2026-11-23T09:58:00Z"), every, None),
            t("2026-11-23T10:03:00Z")
        );
    }

    fn obs(expires: &str, auto_refresh: Option<bool>) -> Observation {
        Observation {
            at: t("2026-11-23T09:00:00Z"),
            source: Source::Environment,
            profile: None,
            access_key_id: None,
            expires_at: Some(t(expires)),
            seconds_left: None,
            auto_refresh,
            refreshed: false,
            error: None,
        }
    }

    #[test]
    fn only_credentials_that_end_before_the_job_and_do_not_refresh_run_out() {
        let end = Some(t("2026-11-23T12:00:00Z"));
        assert!(runs_out(&obs("2026-11-23T10:00:00Z", Some(false)), end));
        assert!(runs_out(&obs("2026-11-23T10:00:00Z", None), end));
        assert!(!runs_out(&obs("2026-11-23T10:00:00Z", Some(true)), end));
        assert!(!runs_out(&obs("2026-11-23T13:00:00Z", Some(false)), end));
        assert!(!runs_out(&obs("2026-11-23T10:00:00Z", Some(false)), None));
    }

    #[test]
    fn the_expiry_in_effect_is_the_last_known_before_the_failure() {
        let mut first = obs("2026-11-23T10:00:00Z", Some(true));
        first.at = t("2026-11-23T09:00:00Z");
        let mut unknown = obs("2026-11-23T10:00:00Z", None);
        unknown.at = t("2026-11-23T09:30:00Z");
        unknown.expires_at = None;
        let mut second = obs("2026-11-23T11:00:00Z", Some(true));
        second.at = t("2026-11-23T10:00:01Z");
        let all = [first.clone(), unknown, second.clone()];
        let at = |s: &str| in_effect(&all, Some(t(s))).and_then(|o| o.expires_at);
        // Failed before the refresh: the first expiry, not the unknown one after it.
        assert_eq!(at("2026-11-23T09:59:59Z"), first.expires_at);
        assert_eq!(at("2026-11-23T10:30:00Z"), second.expires_at);
        // Failed before anything was observed, or at an unknown time: the latest known.
        assert_eq!(at("2026-11-23T08:00:00Z"), second.expires_at);
        assert_eq!(in_effect(&all, None), Some(&second));
        assert_eq!(in_effect(&[], None), None);
    }

    #[test]
    fn a_later_expiry_or_another_key_is_a_refresh() {
        let mut facts = Facts::empty(t("2026-11-23T09:10:00Z"));
        facts.credentials.source = Source::Container;
        facts.credentials.expires_at = Some(t("2026-11-23T10:10:00Z"));
        let first = obs("2026-11-23T10:00:00Z", Some(true));
        let o = observe(&facts, Some(&first));
        assert!(o.refreshed);
        assert_eq!(o.seconds_left, Some(3600));
        assert!(!observe(&facts, None).refreshed);
        facts.credentials.expires_at = Some(t("2026-11-23T10:00:00Z"));
        assert!(!observe(&facts, Some(&first)).refreshed);
    }
}
