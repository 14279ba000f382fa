//! `prompt`: the time left on the current credentials, for a shell prompt. Offline and
//! side-effect free (no credential_process, no network, nothing written), bounded by a short
//! deadline, and quiet: an empty line when there is nothing to say (long-term keys, no
//! credentials, credentials that refresh without end).

use super::Output;
use crate::cli::{PromptArgs, SdkArg};
use crate::env::Env;
use crate::facts::{Facts, Sdk};
use crate::gather::{self, Request};
use chrono::{DateTime, TimeDelta, Utc};
use std::time::Duration;
use tokio::time::Instant;

/// A prompt must never hang the shell: the files are read within this.
pub const DEADLINE: Duration = Duration::from_millis(500);

/// What the prompt shows, worst first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Left {
    /// They have expired (or the SSO login behind them has).
    Expired,
    /// They end, without refreshing, this long from now.
    Remaining(TimeDelta),
    /// Session credentials whose end nothing records.
    Unknown,
    /// Nothing to show: long-term keys, no credentials, or a source that refreshes without end.
    Nothing,
}

pub async fn run(args: &PromptArgs, env: &Env) -> Output {
    let deadline = Instant::now() + DEADLINE;
    let sdks = args.sdk.unwrap_or(SdkArg::Any).sdks();
    let python = sdks.contains(&Sdk::Python);
    let Some(parsed) = gather::parse_within(env, args.profile.clone(), python, deadline).await
    else {
        return Output::stdout(crate::render::prompt::render(Left::Unknown, args), 0);
    };
    let req = Request {
        parsed: Some(parsed),
        ..Request::offline_local(args.profile.clone(), deadline)
    };
    let all: Vec<Facts> = tokio::time::timeout_at(deadline, gather::gather_sdks(env, &req, sdks))
        .await
        .unwrap_or_default();
    let now = env.now();
    let left = all
        .iter()
        .map(|facts| left(facts, now))
        .min()
        .unwrap_or(Left::Unknown);
    Output::stdout(crate::render::prompt::render(left, args), 0)
}

/// The time left on one SDK's credentials, from the offline facts.
pub fn left(facts: &Facts, now: DateTime<Utc>) -> Left {
    let creds = &facts.credentials;
    let until = |t: DateTime<Utc>| {
        if t <= now {
            Left::Expired
        } else {
            Left::Remaining(t - now)
        }
    };
    // An SSO profile whose login has ended gets nothing more until `aws sso login`.
    if let Some(sso) = &facts.sso {
        match sso.token_expires_at {
            Some(t) if t <= now && sso.has_refresh_token != Some(true) => return Left::Expired,
            _ => {}
        }
    }
    if creds.obtained == Some(false) || creds.temporary == Some(false) {
        return Left::Nothing;
    }
    if creds.auto_refresh == Some(true) {
        return match creds.refresh_limit.as_ref().and_then(|l| l.until) {
            Some(t) => until(t),
            None => Left::Nothing,
        };
    }
    match (creds.expires_at, creds.temporary) {
        (Some(t), _) => until(t),
        (None, Some(true)) => Left::Unknown,
        (None, _) => Left::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{RefreshEnd, RefreshLimit};

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn session(expires: Option<&str>) -> Facts {
        let mut f = Facts::empty(at("2026-12-06T12:00:00Z"));
        f.credentials.temporary = Some(true);
        f.credentials.auto_refresh = Some(false);
        f.credentials.expires_at = expires.map(at);
        f
    }

    #[test]
    fn time_left_expired_unknown_and_nothing() {
        let now = at("2026-12-06T12:00:00Z");
        assert_eq!(
            left(&session(Some("2026-12-06T12:31:00Z")), now),
            Left::Remaining(TimeDelta::minutes(31))
        );
        assert_eq!(
            left(&session(Some("2026-12-06T11:59:59Z")), now),
            Left::Expired
        );
        assert_eq!(
            left(&session(Some("2026-12-06T12:00:00Z")), now),
            Left::Expired
        );
        assert_eq!(left(&session(None), now), Left::Unknown);
        let mut long_term = session(None);
        long_term.credentials.temporary = Some(false);
        assert_eq!(left(&long_term, now), Left::Nothing);
        let mut none = session(None);
        none.credentials.obtained = Some(false);
        assert_eq!(left(&none, now), Left::Nothing);
    }

    #[test]
    fn refreshing_credentials_show_what_ends_the_refreshing() {
        let now = at("2026-12-06T12:00:00Z");
        let mut sso = session(Some("2026-12-06T12:10:00Z"));
        sso.credentials.auto_refresh = Some(true);
        assert_eq!(left(&sso, now), Left::Nothing, "refreshes without end");
        sso.credentials.refresh_limit = Some(RefreshLimit::new(
            RefreshEnd::SsoSession {
                default_seconds: 28_800,
            },
            Some(at("2026-12-06T19:00:00Z")),
            None,
        ));
        assert_eq!(left(&sso, now), Left::Remaining(TimeDelta::hours(7)));
    }

    #[test]
    fn the_worst_sdk_wins() {
        let a = Left::Remaining(TimeDelta::minutes(5));
        let b = Left::Remaining(TimeDelta::hours(5));
        assert_eq!([b, a, Left::Nothing].into_iter().min(), Some(a));
        assert_eq!([b, Left::Expired].into_iter().min(), Some(Left::Expired));
    }
}
