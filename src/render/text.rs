//! Every sentence of a `check` report: findings, notes, facts, the verdict line; and the way
//! an engineer reads durations and times at 3 a.m.: `31m`, `8h02m`, `in 31m`, `5m ago`,
//! `14:02 UTC`. One place, so every format says the same thing, in the zone it asks for
//! (the user's own in the table, UTC in every machine format and every file written).

use crate::checks::{
    self, Bound, BoundWhy, ClockRef, Note, Reason, clock_skew, credential_source, expected_runtime,
    expiration, identity, session_limit,
};
use crate::env::LocalZone;
use crate::facts::{
    Chaining, CurrentSession, Described, ExpirySource, IdentityType, KeyId, LimitSource,
    NamedSource, NoRefresh, NtpProblem, Origin, Probe, ProbeError, ProbeFailure, Problem,
    RefreshEnd, Source,
};
use crate::verdict::Report;
use chrono::{DateTime, FixedOffset, Local, NaiveDateTime, Offset, TimeZone, Utc};

/// The zone times are shown in: UTC in machine-readable output, the user's own zone in the
/// table.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub enum Zone {
    #[default]
    Utc,
    Local(LocalZone),
}

impl Zone {
    /// Wall-clock time and the zone's label (`UTC`, `+05:30`). A time whose local wall clock
    /// chrono cannot hold (beyond its last year, east of UTC) is shown in UTC: any instant
    /// renders, never a panic.
    fn wall(self, t: DateTime<Utc>) -> (NaiveDateTime, String) {
        let utc = (t.naive_utc(), "UTC".to_string());
        let offset: FixedOffset = match self {
            Zone::Utc => return utc,
            Zone::Local(LocalZone::System) => Local.offset_from_utc_datetime(&t.naive_utc()).fix(),
            Zone::Local(LocalZone::Fixed(o)) => o,
        };
        let label = if offset.local_minus_utc() == 0 {
            "UTC".to_string()
        } else {
            offset.to_string()
        };
        match t.naive_utc().checked_add_offset(offset) {
            Some(wall) => (wall, label),
            None => utc,
        }
    }
}

/// Compact duration: `45s`, `31m`, `10m02s`, `8h`, `8h02m`, `2d03h`. Seconds are shown only
/// below an hour, minutes only below two days: the precision a deadline needs.
pub fn duration(secs: i64) -> String {
    let s = secs.unsigned_abs();
    let (d, h, m, sec) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60, s % 60);
    let body = if d > 0 {
        if h > 0 {
            format!("{d}d{h:02}h")
        } else {
            format!("{d}d")
        }
    } else if h > 0 {
        if m > 0 {
            format!("{h}h{m:02}m")
        } else {
            format!("{h}h")
        }
    } else if m > 0 {
        if sec > 0 {
            format!("{m}m{sec:02}s")
        } else {
            format!("{m}m")
        }
    } else {
        format!("{sec}s")
    };
    if secs < 0 { format!("-{body}") } else { body }
}

/// Every unit down to the second: `1h00m12s`, `11h58m41s`, `10m10s`, `3s`. For elapsed times
/// that are compared with limits, where the seconds are the evidence.
pub fn precise(secs: i64) -> String {
    let s = secs.unsigned_abs();
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    let body = if h > 0 {
        format!("{h}h{m:02}m{sec:02}s")
    } else if m > 0 {
        format!("{m}m{sec:02}s")
    } else {
        format!("{sec}s")
    };
    if secs < 0 { format!("-{body}") } else { body }
}

/// `in 31m` or `5m ago`, relative to `now`; beyond ten minutes, to the nearest minute (the
/// seconds are noise by then).
pub fn relative(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let ms = (t - now).num_milliseconds();
    let mut secs = (ms as f64 / 1000.0).round() as i64;
    if secs.abs() >= 600 {
        secs = (secs as f64 / 60.0).round() as i64 * 60;
    }
    if secs >= 0 {
        format!("in {}", duration(secs))
    } else {
        format!("{} ago", duration(-secs))
    }
}

/// `14:02 UTC` when `t` is on the same day as `now` (in `zone`), `2026-11-24 14:02 UTC`
/// otherwise; `15:02 +01:00` in a local zone.
pub fn clock(t: DateTime<Utc>, now: DateTime<Utc>, zone: Zone) -> String {
    let (wall, label) = zone.wall(t);
    let (today, _) = zone.wall(now);
    if wall.date() == today.date() {
        format!("{} {label}", wall.format("%H:%M"))
    } else {
        format!("{} {label}", wall.format("%Y-%m-%d %H:%M"))
    }
}

/// `2026-11-23 14:02 UTC` (or `… +05:30` in a local zone), whatever `now` is.
pub fn stamp(t: DateTime<Utc>, zone: Zone) -> String {
    let (wall, label) = zone.wall(t);
    format!("{} {label}", wall.format("%Y-%m-%d %H:%M"))
}

/// `14:02 UTC (in 31m)`.
pub fn when(t: DateTime<Utc>, now: DateTime<Utc>, zone: Zone) -> String {
    format!("{} ({})", clock(t, now, zone), relative(t, now))
}

/// What sentences need besides the finding: the moment "in 31m" is relative to, and the zone.
#[derive(Clone, Copy, Debug)]
pub struct Say {
    pub now: DateTime<Utc>,
    pub zone: Zone,
}

impl Say {
    pub fn new(now: DateTime<Utc>, zone: Zone) -> Say {
        Say { now, zone }
    }

    fn when(&self, t: DateTime<Utc>) -> String {
        when(t, self.now, self.zone)
    }

    fn clock(&self, t: DateTime<Utc>) -> String {
        clock(t, self.now, self.zone)
    }
}

/// `aws sso-admin describe-permission-set …`: how to read a permission set's session duration.
pub const DESCRIBE_PERMISSION_SET: &str = "aws sso-admin describe-permission-set --instance-arn <INSTANCE_ARN> \
     --permission-set-arn <PERMISSION_SET_ARN> --query PermissionSet.SessionDuration";

/// The verdict line: the verdict and the finding that decided it.
pub fn headline(report: &Report, say: &Say) -> String {
    super::sanitize::own(headline_words(report, say))
}

fn headline_words(report: &Report, say: &Say) -> String {
    let own = sdk_headline(report, say);
    if report.others.is_empty() {
        return own;
    }
    let others: Vec<String> = report
        .others
        .iter()
        .map(|o| {
            format!(
                "{}: {}",
                sdk_job(o.facts.sdk.unwrap_or_default()),
                o.verdict.name().to_uppercase()
            )
        })
        .collect();
    format!(
        "{own} (for {}; {})",
        sdk_job(report.facts.sdk.unwrap_or_default()),
        others.join("; ")
    )
}

/// Who an SDK's answer is for.
pub fn sdk_job(sdk: crate::facts::Sdk) -> &'static str {
    match sdk {
        crate::facts::Sdk::Python => "a Python job (botocore: boto3, the AWS CLI)",
        crate::facts::Sdk::Rust => "a Rust job (aws-config)",
    }
}

/// When the SDKs differ, the lines that say which SDK gets what (none when they agree).
pub fn sdk_lines(report: &Report, say: &Say) -> Vec<String> {
    if report.others.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![
        "The SDKs see these credentials differently; the verdict is the worse one. Name the \
         job's SDK with --sdk python or --sdk rust."
            .to_string(),
    ];
    for r in std::iter::once(report).chain(&report.others) {
        lines.push(format!(
            "{}: {}",
            sdk_job(r.facts.sdk.unwrap_or_default()),
            sdk_headline(r, say)
        ));
    }
    lines
}

/// One SDK's headline, without the other SDKs' answers.
pub fn sdk_headline(report: &Report, say: &Say) -> String {
    super::sanitize::own(sdk_headline_words(report, say))
}

fn sdk_headline_words(report: &Report, say: &Say) -> String {
    let label = report.verdict.name().to_uppercase();
    match report.deciding() {
        Some(d) if d.finding.id == checks::CheckId::ExpectedRuntime => {
            format!("{label}: {}", reason(&d.finding.reason, say))
        }
        Some(d) => {
            let more = if d.others > 0 {
                format!(" (+{} more)", d.others)
            } else {
                String::new()
            };
            format!(
                "{label}: {}: {}{more}",
                d.finding.id,
                reason(&d.finding.reason, say)
            )
        }
        None => format!("{label}: no problem found"),
    }
}

/// A finding's answer, in one line.
pub fn reason(r: &Reason, say: &Say) -> String {
    super::sanitize::own(reason_words(r, say))
}

fn reason_words(r: &Reason, say: &Say) -> String {
    match r {
        Reason::CredentialSource(r) => credential_source_reason(r, say),
        Reason::Identity(r) => identity_reason(r),
        Reason::Expiration(r) => expiration_reason(r, say),
        Reason::SessionLimit(r) => session_limit_reason(r),
        Reason::ExpectedRuntime(r) => expected_runtime_reason(r, say),
        Reason::ClockSkew(r) => clock_skew_reason(r),
    }
}

fn credential_source_reason(r: &credential_source::Reason, say: &Say) -> String {
    use credential_source::{Reason as R, Refresh};
    match r {
        R::ConfigUnusable { problem: p } => format!("cannot use the AWS config: {}", problem(p)),
        R::ProcessFailed { problem: p } => {
            format!(
                "{} {}: the SDK will fail the same way",
                p.subject, p.message
            )
        }
        R::ProcessStopped { problem: p } => format!(
            "{} {}; a job running unattended has no one to answer it, so it was ended",
            p.subject,
            helper_stopped(&p.message)
        ),
        R::ProcessNotRun { source, problem: p } => format!(
            "{source}: {} was not run ({}): the credentials it gives were neither obtained nor \
             checked",
            p.subject, p.message
        ),
        R::ProcessTimedOut { problem: p } => format!(
            "{} {} (--timeout): its credentials are unknown",
            p.subject, p.message
        ),
        R::ChainStopped { problem: p } => format!("no credentials: {}", problem(p)),
        R::NotReached { problem: p } => format!("not checked: {} ({})", p.message, p.subject),
        R::ProviderFailed { source, probe } => {
            let what = match source {
                Source::None => "any source".to_string(),
                s => s.to_string(),
            };
            format!(
                "the SDK could not obtain credentials from {what}: {}",
                failure(probe)
            )
        }
        R::NotVerified { source, probe } => format!(
            "{source}: found locally, not verified live: {}",
            probe_failure(probe)
        ),
        R::NothingFoundLocallyUnverified { probe } => format!(
            "no credentials found locally, and the rest of the chain was not verified: {}",
            probe_failure(probe)
        ),
        R::TemporaryKeyWithoutToken {
            source,
            access_key_id,
        } => format!(
            "{source}: the temporary key {} comes without its session token: AWS rejects every \
             call made with it (InvalidClientTokenId)",
            access_key_id.as_ref().map_or("(ASIA…)", KeyId::as_str)
        ),
        R::WebIdentityTokenExpired { token_file, at } => format!(
            "web-identity: the token in {token_file} expired at {}: AssumeRoleWithWebIdentity \
             refuses it (InvalidIdentityToken)",
            say.when(*at)
        ),
        R::ContainerEndpointUnusable { problem: p } => {
            format!("container: the SDKs refuse the endpoint: {}", problem(p))
        }
        R::NoSsoToken { source } => format!(
            "{source}: no SSO token is cached for this session: the SDK cannot fetch role \
             credentials"
        ),
        R::SsoTokenExpired { source, at } => format!(
            "{source}: the SSO access token expired at {}: the SDK cannot fetch role credentials",
            say.when(*at)
        ),
        R::WebIdentityTokenUnreadable { problem: p } => {
            format!("web identity token {}", problem(p))
        }
        R::ProfileBroken { problem: p } => format!("no credentials: {}", problem(p)),
        R::NothingFoundOffline => {
            "no credentials found locally; the EC2 instance role was not asked (--offline)".into()
        }
        R::NothingFound => "no credentials found: every AWS call will fail".into(),
        R::Found {
            source,
            temporary,
            access_key_id,
            refresh,
        } => {
            let kind = match temporary {
                Some(true) => "temporary credentials",
                Some(false) => "long-term keys",
                None => "credentials",
            };
            let key = access_key_id
                .as_ref()
                .map(|k| format!(" ({})", k.as_str()))
                .unwrap_or_default();
            let refresh = match refresh {
                Refresh::DoesNotExpire => "they do not expire",
                Refresh::Refreshed => "refreshed by the SDK",
                Refresh::Never => "never refreshed",
                Refresh::Unknown => "refresh unknown",
            };
            format!("{source}: {kind}{key}, {refresh}")
        }
    }
}

fn code(c: &Option<String>) -> &str {
    c.as_deref().unwrap_or_default()
}

fn identity_reason(r: &identity::Reason) -> String {
    use identity::Reason as R;
    match r {
        R::Answered { principal, arn } => {
            let kind = match principal {
                Some(IdentityType::User) => "IAM user",
                Some(IdentityType::AssumedRole) => "assumed role",
                Some(IdentityType::FederatedUser) => "federated user",
                Some(IdentityType::Root) => "root user",
                None => "principal",
            };
            format!("{kind} {arn}")
        }
        R::NoCredentials => "no credentials to identify".into(),
        R::NotAskedOffline => "not asked: --offline (sts:GetCallerIdentity)".into(),
        R::NotAskedHelperNotRun => {
            "not asked: the credential_process was not run (--no-credential-process)".into()
        }
        R::NotAskedNoCredentials => "not asked: the SDK could not obtain credentials".into(),
        R::NotVerified { probe } => format!("not verified: {}", probe_failure(probe)),
        R::NotAsked => "not asked".into(),
        R::AnsweredWithoutArn => "sts:GetCallerIdentity answered without an ARN".into(),
        R::Expired { code: c } => format!(
            "AWS says the credentials have already expired ({})",
            code(c)
        ),
        R::NotRecognised { code: c } => format!(
            "AWS does not recognise the credentials ({}): revoked, deleted, or from another \
             partition",
            code(c)
        ),
        R::Denied { code: c } => format!(
            "sts:GetCallerIdentity was denied ({}): an SCP or VPC endpoint policy blocks it",
            code(c)
        ),
        R::ClockRejected { code: c } => format!(
            "AWS rejected the request's time ({}): the local clock is off",
            code(c)
        ),
        R::Throttled { code: c } => format!(
            "STS throttled the call ({}) through every retry the deadline allowed",
            code(c)
        ),
        R::Unreachable { probe } => probe_failure(probe),
        R::Failed { probe } => format!("sts:GetCallerIdentity failed: {}", failure(probe)),
    }
}

fn expiration_reason(r: &expiration::Reason, say: &Say) -> String {
    use expiration::Reason as R;
    match r {
        R::NoCredentials => "no credentials".into(),
        R::NoCredentialsObtained => "no credentials obtained (see credential-source)".into(),
        R::HelperNotRun => {
            "unknown: the credential_process was not run (--no-credential-process)".into()
        }
        R::RejectedAsExpired => {
            "AWS rejects the credentials as expired (sts:GetCallerIdentity)".into()
        }
        R::LongTermKeys => "long-term keys: they do not expire".into(),
        R::NoSsoToken => {
            "no SSO token is cached for this session: the SDK cannot fetch role credentials".into()
        }
        R::SsoTokenExpired { at } => format!(
            "the SSO access token expired at {}: the SDK cannot fetch role credentials",
            say.when(*at)
        ),
        R::ProviderHandedOutExpired { at } => format!(
            "the credential provider handed out credentials that had already expired at {}",
            say.when(*at)
        ),
        R::CachedSessionExpired { at } => format!(
            "the cached session expired at {}; the SDK fetches new credentials",
            say.when(*at)
        ),
        R::Expired { at } => format!("credentials expired at {}", say.when(*at)),
        R::Expires { at } => format!("credentials expire at {}", say.when(*at)),
        R::RefreshedExpiryUnknown => {
            "refreshed by the SDK; the current session's expiry is known to the live provider only"
                .into()
        }
        R::Unknown => "expiry unknown: nothing records when these session credentials end".into(),
    }
}

fn role(r: &Option<String>) -> &str {
    r.as_deref().unwrap_or("the role")
}

fn in_profile(profile: &Option<String>) -> String {
    profile
        .as_deref()
        .map(|p| format!(" in profile {p}"))
        .unwrap_or_default()
}

fn session_limit_reason(r: &session_limit::Reason) -> String {
    use session_limit::{PlanBound, Reason as R};
    match r {
        R::NoCredentials => "no credentials".into(),
        R::FederatedUserSession => {
            "federated-user session (GetFederationToken): up to 36h, bounded by no role".into()
        }
        R::UserSession => {
            "IAM user session (GetSessionToken): up to 36h, bounded by no role".into()
        }
        R::LongTermUserKeys => "no role: long-term IAM user keys".into(),
        R::RootUser => "no role: the account's root user".into(),
        R::IdentityCenterRole => {
            "IAM Identity Center role: its sessions last the permission set's \
             session duration (1h by default, 12h at most), whatever iam:GetRole says"
                .into()
        }
        R::DurationOutOfRange { asked, profile } => format!(
            "duration_seconds = {asked}{} is outside AssumeRole's 900–43200 range: AssumeRole \
             fails with ValidationError",
            in_profile(profile)
        ),
        R::DurationAboveChainCap { asked, profile } => format!(
            "duration_seconds = {asked}{} asks for {} but the session is chained: AssumeRole \
             refuses more than 1h",
            in_profile(profile),
            duration(*asked)
        ),
        R::DurationMayExceedChainCap { asked, profile } => format!(
            "duration_seconds = {asked}{} asks for {}; if the source credentials are a role \
             session, AssumeRole refuses more than 1h",
            in_profile(profile),
            duration(*asked)
        ),
        R::DurationAboveMax {
            asked,
            profile,
            role: r,
            max,
        } => format!(
            "duration_seconds = {asked}{} exceeds {}'s MaxSessionDuration of {}: AssumeRole \
             fails with ValidationError",
            in_profile(profile),
            role(r),
            duration(*max)
        ),
        R::PlannedTooShort {
            role: r,
            bound,
            why,
            runtime_seconds,
        } => format!(
            "a session of {} lasts at most {} ({}); the job needs {}",
            role(r),
            duration(*bound),
            match why {
                PlanBound::MaxSessionDuration { max } => {
                    format!("its MaxSessionDuration is {}", duration(*max))
                }
                PlanBound::Chained => {
                    "assumed with the current credentials it is chained (1h cap)".into()
                }
            },
            duration(*runtime_seconds)
        ),
        R::MaxUnknownGetRoleDenied { role: r, role_arn } => format!(
            "{}: MaxSessionDuration unknown: iam:GetRole is not allowed; pass \
             --max-session-duration, or allow iam:GetRole on {}",
            role(r),
            role_arn
                .clone()
                .unwrap_or_else(|| format!("role {}", role(r)))
        ),
        R::MaxUnknownGetRoleFailed { role: r, probe } => format!(
            "{}: MaxSessionDuration unknown: {}",
            role(r),
            probe_failure(probe)
        ),
        R::ExportedRoleUnknown { offline: true } => {
            "the role behind the exported credentials is not known offline".into()
        }
        R::ExportedRoleUnknown { offline: false } => {
            "the role behind the exported credentials is not known".into()
        }
        R::NoRole { source } => format!("no role is assumed ({source})"),
        R::PlannedChained { role: r, max } => format!(
            "{}: sessions up to {}, but assumed with the current credentials a session is capped \
             at 1h",
            role(r),
            duration(*max)
        ),
        R::Chained { role: r } => format!("{}: chained session, capped at 1h", role(r)),
        R::SessionsUpTo { role: r, max } => {
            format!("{}: sessions up to {}", role(r), duration(*max))
        }
        R::MaxUnknown { role: r, offline } => format!(
            "{}: MaxSessionDuration unknown{} (pass --max-session-duration)",
            role(r),
            if *offline { " offline" } else { "" }
        ),
    }
}

fn expected_runtime_reason(r: &expected_runtime::Reason, say: &Say) -> String {
    use expected_runtime::Reason as R;
    let job = |end: &DateTime<Utc>| format!("the job needs until {}", say.clock(*end));
    match r {
        R::NoRuntime => "no --expected-runtime given".into(),
        R::NoCredentials => "no credentials".into(),
        R::NoCredentialsObtained => "no credentials obtained (see credential-source)".into(),
        R::HelperNotRun => {
            "unknown: the credential_process was not run (--no-credential-process)".into()
        }
        R::LongTermKeys { job_end } => format!("long-term keys do not expire; {}", job(job_end)),
        R::Refreshed { source, job_end } => {
            format!("refreshed by the SDK ({source}); {}", job(job_end))
        }
        R::RefreshEnded { since, end } => format!(
            "the SDK cannot refresh since {}: {}",
            say.when(*since),
            refresh_end(end)
        ),
        R::RefreshEndsBeforeJob {
            until,
            end,
            job_end,
        } => format!(
            "the SDK can refresh only until {} ({}), {}",
            say.when(*until),
            refresh_end(end),
            job(job_end)
        ),
        R::RefreshEndsInMargin { until, end } => format!(
            "the SDK can refresh only until {} ({}), within the margin of the job's end",
            say.when(*until),
            refresh_end(end)
        ),
        R::RefreshedUntil { until, job_end } => format!(
            "refreshed by the SDK until {}; {}",
            say.when(*until),
            job(job_end)
        ),
        R::RefreshMayEndBeforeJob {
            end,
            at_most_seconds,
            job_end,
        } => format!(
            "refreshing stops when {}, at most {} from now: {}",
            refresh_end(end),
            duration(*at_most_seconds),
            job(job_end)
        ),
        R::RefreshEndUnknown { end, job_end } => format!(
            "refreshing stops when {}, at a time nothing records; {}",
            refresh_end(end),
            job(job_end)
        ),
        R::AlreadyExpired {
            expired_at,
            job_end,
        } => format!(
            "credentials expired at {}; {}",
            say.when(*expired_at),
            job(job_end)
        ),
        R::ExpiresBeforeJobEnd {
            expires_at,
            job_end,
        } => format!(
            "credentials expire at {}, {}",
            say.when(*expires_at),
            job(job_end)
        ),
        R::ExpiresWithinMargin {
            expires_at,
            after_end_seconds,
            margin_seconds,
        } => format!(
            "credentials expire at {}, only {} after the job's expected end (margin {})",
            say.when(*expires_at),
            duration(*after_end_seconds),
            duration(*margin_seconds)
        ),
        R::Lasts { until, job_end } => format!(
            "credentials last until {}, {}",
            say.when(*until),
            job(job_end)
        ),
        R::BoundShorterThanJob {
            bound,
            runtime_seconds,
        } => format!(
            "credentials expire at most {} after they were issued ({}), but the job needs {}",
            duration(bound.seconds),
            bound_why(bound),
            duration(*runtime_seconds)
        ),
        R::UnknownExpiry { job_end } => format!(
            "credentials never refresh and their expiry is unknown; {}",
            job(job_end)
        ),
    }
}

fn clock_ref(r: &ClockRef) -> String {
    match r {
        ClockRef::Ntp { server } => format!("NTP ({})", server.as_deref().unwrap_or("NTP")),
        ClockRef::Aws => "AWS".into(),
    }
}

fn references(refs: &[ClockRef]) -> String {
    refs.iter().map(clock_ref).collect::<Vec<_>>().join(" and ")
}

fn clock_skew_reason(r: &clock_skew::Reason) -> String {
    use clock_skew::Reason as R;
    let within = |offset: f64, refs: &[ClockRef]| {
        let abs = offset.abs();
        format!(
            "local clock within {} of {}",
            if abs < 1.0 {
                format!("{:.0}ms", abs * 1000.0)
            } else {
                duration(abs.round() as i64)
            },
            references(refs)
        )
    };
    match r {
        R::NotMeasuredOffline => "not measured: --offline".into(),
        R::NtpFailedNoAws { probe } => format!("not measured: {}", failure(probe)),
        R::NotMeasured { no_ntp: true } => "not measured: --no-ntp, and STS did not answer".into(),
        R::NotMeasured { no_ntp: false } => "not measured".into(),
        R::Within {
            offset_seconds,
            references: refs,
        } => within(*offset_seconds, refs),
        R::WithinButNtpFailed {
            probe,
            offset_seconds,
            references: refs,
        } => format!(
            "NTP not measured ({}); {}",
            failure(probe),
            within(*offset_seconds, refs)
        ),
        R::Off {
            offset_seconds,
            references: refs,
        } => {
            let amount = duration(offset_seconds.abs().round() as i64);
            let direction = if *offset_seconds > 0.0 {
                "behind"
            } else {
                "ahead of"
            };
            format!(
                "local clock is {amount} {direction} {}: the SDK will treat credentials as valid \
                 or expired up to {amount} too early or too late",
                references(refs)
            )
        }
    }
}

fn bound_why(b: &Bound) -> String {
    match &b.why {
        BoundWhy::ChainingCap => "role chaining caps sessions at 1h".into(),
        BoundWhy::MaxSessionDuration { role: r } => format!(
            "{}'s MaxSessionDuration is {}",
            role(r),
            duration(b.seconds)
        ),
        BoundWhy::MfaSession { profile } => format!(
            "profile {profile} needs an MFA code for every session, so an unattended job gets \
             one session of {}",
            duration(b.seconds)
        ),
    }
}

/// A supporting line of a finding.
pub fn note(n: &Note, say: &Say) -> String {
    super::sanitize::own(note_words(n, say))
}

fn note_words(n: &Note, say: &Say) -> String {
    match n {
        Note::Problem { problem: p } => problem(p),
        Note::Origin { origin: o } => origin(o),
        Note::WouldComeFrom { source, origin: o } => format!(
            "credentials would come from {source} ({})",
            o.as_ref().map(origin).unwrap_or_default()
        ),
        Note::Shadowed { sources } => format!(
            "also configured, but shadowed: {}",
            sources
                .iter()
                .map(|s| s.name())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Note::LoginSessionNeedsFeature => "login_session (aws login) credentials need an SDK \
             built to read them: aws-config's `credentials-login` feature, botocore's `crt` \
             extra; a job whose SDK lacks it gets no credentials from this profile"
            .into(),
        Note::ExportsWinOverProfile { profile } => format!(
            "the exported variables win over profile {profile} in every SDK (the AWS CLI's \
             --profile flag would ignore them)"
        ),
        Note::AnsweredBy {
            endpoint,
            elapsed_ms,
        } => format!("answered by {endpoint} in {elapsed_ms}ms"),
        Note::RootUser => "the account's root user: jobs should run as a role".into(),
        Note::ServiceSaid { message } => message.clone(),
        Note::Endpoint { endpoint } => format!("endpoint {endpoint}"),
        Note::ExpiryRecordSays { source, at } => format!(
            "{} says {}",
            source.map(expiry_source).unwrap_or("the expiry record"),
            say.when(*at)
        ),
        Note::LongTermKeysRisk => {
            "long-term keys are a standing risk; prefer a role the SDK refreshes".into()
        }
        Note::RefreshEnd { end } => refresh_end(end),
        Note::ExpiryFrom { source } => format!("from {}", expiry_source(*source)),
        Note::EveryCallFails => {
            "every call fails with ExpiredToken until fresh credentials are obtained".into()
        }
        Note::RefreshedBeforeExpiry => "the SDK refreshes them before then".into(),
        Note::ExpiresAtMost { bound } => format!(
            "they expire at most {} after they were issued ({})",
            duration(bound.seconds),
            bound_why(bound)
        ),
        Note::SsoTokenRefreshes => {
            "the SDK fetches new role credentials with the SSO token as they expire".into()
        }
        Note::ReadPermissionSet => format!("read it: {DESCRIBE_PERMISSION_SET}"),
        Note::CannotCallIam { federated: true } => {
            "these credentials cannot call IAM, so no GetRole was attempted".into()
        }
        Note::CannotCallIam { federated: false } => {
            "session-token credentials cannot call IAM without MFA, so no GetRole was attempted"
                .into()
        }
        Note::MaxSessionDuration {
            role: r,
            seconds,
            source,
        } => format!(
            "{}'s MaxSessionDuration: {} ({})",
            role(r),
            duration(*seconds),
            match source {
                Some(LimitSource::Flag) => "--max-session-duration",
                Some(LimitSource::GetRole) => "iam:GetRole",
                None => "reported",
            }
        ),
        Note::IdentityCenterRole { role: r } => format!(
            "{} is an IAM Identity Center role: the permission set's session duration bounds its \
             sessions, not GetRole's 12h ({DESCRIBE_PERMISSION_SET})",
            role(r)
        ),
        Note::Chaining {
            chained: Some(true),
            why,
        } => format!(
            "role chaining: {}; sessions are capped at 1h",
            chaining(why)
        ),
        Note::Chaining { why, .. } => chaining(why),
        Note::ProbeFailed { probe } => probe_failure(probe),
        Note::ProbeCauses { probe } => probe_failure(probe),
        Note::DurationHonouredBy { asked, profile } => format!(
            "duration_seconds = {asked}{} is sent by botocore (the AWS CLI, boto3); aws-config \
             (Rust) and the AWS SDK for Java 2.x ignore it and ask for 1h (aws-sdk-java-v2#5695)",
            in_profile(profile)
        ),
        Note::DurationIgnored { asked, profile } => format!(
            "duration_seconds = {asked}{} is ignored by aws-config (Rust): it asks for the 1h \
             default and assumes the role again before each session ends (botocore sends it)",
            in_profile(profile)
        ),
        Note::AlsoSessionLimit { reason } => session_limit_reason(reason),
        Note::RefreshEndsWhen { end } => format!("refreshing ends when {}", refresh_end(end)),
        Note::LogInShortlyBefore { end } => format!(
            "refreshing stops when {}: log in shortly before a long job",
            refresh_end(end)
        ),
        Note::LastsAtMost { bound } => format!(
            "they last at most {} ({})",
            duration(bound.seconds),
            bound_why(bound)
        ),
        Note::NoRefresh { why } => no_refresh(why),
        Note::JobWindow {
            runtime_seconds,
            start,
            margin_seconds,
        } => format!(
            "job: {} from {}, plus a {} margin",
            duration(*runtime_seconds),
            say.clock(*start),
            duration(*margin_seconds)
        ),
        Note::ClockOffset { reference, seconds } => {
            format!("{}: offset {seconds:+.3}s", clock_ref(reference))
        }
        Note::NtpRoundTrip {
            delay_seconds,
            stratum,
        } => format!(
            "NTP round trip {:.1}ms, stratum {}",
            delay_seconds * 1000.0,
            stratum.map(|s| s.to_string()).unwrap_or_else(|| "?".into())
        ),
        Note::NtpDidNotAnswer { probe } => format!("NTP did not answer: {}", failure(probe)),
        Note::AwsClockNotRead => "AWS's clock was not read either (STS did not answer)".into(),
        Note::SigV4Limit => {
            "AWS rejects requests signed more than 5 minutes off its clock (Signature expired)"
                .into()
        }
    }
}

/// A failed probe in one sentence: what was asked, what happened, what to do next.
pub fn probe_failure(p: &Probe) -> String {
    super::sanitize::own(probe_failure_words(p))
}

fn probe_failure_words(p: &Probe) -> String {
    format!("{}: {}", p.target, failure(p))
}

/// What happened to a probe and what to do next, without naming the probe.
pub fn failure(p: &Probe) -> String {
    super::sanitize::own(failure_words(p))
}

fn failure_words(p: &Probe) -> String {
    match &p.error {
        None => "it answered".into(),
        Some(e) => probe_error(e, p.endpoint.as_deref()),
    }
}

/// A probe error's sentence; `endpoint` is where the probe went, when known.
pub fn probe_error(e: &ProbeError, endpoint: Option<&str>) -> String {
    super::sanitize::own(probe_error_words(e, endpoint))
}

fn probe_error_words(e: &ProbeError, endpoint: Option<&str>) -> String {
    let f = match e.failure() {
        Described::Legacy(text) => return text,
        Described::Typed(f) => f,
    };
    let root = e.causes.last().map(String::as_str);
    let because = |r: Option<&str>| r.map(|r| format!(" ({r})")).unwrap_or_default();
    let place = |ep: &Option<String>| {
        ep.as_deref()
            .or(endpoint)
            .unwrap_or("the endpoint")
            .to_string()
    };
    match f {
        ProbeFailure::TimedOut { waited_ms } => format!(
            "no answer{} within {:.1}s: a firewall that drops the traffic, or a slow endpoint \
             (check the way there, or give it more --timeout)",
            endpoint.map(|e| format!(" from {e}")).unwrap_or_default(),
            waited_ms as f64 / 1000.0
        ),
        ProbeFailure::Unreachable { endpoint: ep } => format!(
            "{} could not be reached{}: check the address, the network and any proxy",
            place(&ep),
            because(root)
        ),
        ProbeFailure::UnreadableReply {
            endpoint: ep,
            status,
        } => format!(
            "{} answered with something that is not an AWS reply{}: a proxy, a captive portal \
             or another service is in the way",
            place(&ep),
            status.map(|s| format!(" (HTTP {s})")).unwrap_or_default()
        ),
        ProbeFailure::OversizedReply { bytes } => format!(
            "the reply{} announced {bytes} bytes, more than an AWS answer needs, and was not read",
            endpoint.map(|e| format!(" from {e}")).unwrap_or_default()
        ),
        ProbeFailure::Service { message } => match (&e.code, message.is_empty()) {
            (Some(code), false) => format!("{code}: {message}"),
            (Some(code), true) => code.clone(),
            (None, _) => message,
        },
        ProbeFailure::NothingInChain { instance_metadata } => format!(
            "no provider of the default chain has credentials{}",
            instance_metadata
                .map(|why| format!("; instance metadata: {why}"))
                .unwrap_or_default()
        ),
        ProbeFailure::InvalidConfiguration => format!(
            "the SDK finds the profile configuration invalid{}",
            root.map(|r| format!(": {r}")).unwrap_or_default()
        ),
        ProbeFailure::SsoToken => {
            "the SSO token has expired or cannot be refreshed: log in again (aws sso login)".into()
        }
        ProbeFailure::InstanceMetadata { status } => format!(
            "the instance metadata service (IMDS) refused the IMDSv2 session token{}: IMDS is \
             off, IMDSv1-only, or something else answers its address (aws-config speaks IMDSv2 \
             only)",
            status.map(|s| format!(" (HTTP {s})")).unwrap_or_default()
        ),
        ProbeFailure::NoProvider => "no credential provider is configured".into(),
        ProbeFailure::ProviderSaid => root.unwrap_or("it failed without saying why").to_string(),
        ProbeFailure::Ntp { problem } => ntp_problem(&problem, endpoint.unwrap_or("the server")),
        ProbeFailure::MaxSessionDurationOutOfRange { role, seconds } => format!(
            "{} answered a MaxSessionDuration of {seconds} s for {role}, outside the {}–{} s IAM \
             allows: not believed (a proxy or a broken endpoint is in the way)",
            endpoint.unwrap_or("IAM"),
            crate::aws::limits::MAX_SESSION_DURATION_MIN,
            crate::aws::limits::MAX_SESSION_DURATION_MAX,
        ),
        ProbeFailure::ExpiryOutOfRange { epoch_seconds } => format!(
            "the credentials handed out expire outside the years 1970 to 9999 (epoch second \
             {epoch_seconds}): not believed (a broken credential endpoint)"
        ),
    }
}

fn ntp_problem(p: &NtpProblem, server: &str) -> String {
    match p {
        NtpProblem::WrongOrigin => format!(
            "{server} sent a reply that does not answer our request (wrong origin timestamp: \
             spoofed or stale)"
        ),
        NtpProblem::KissOfDeath { code } => {
            format!("{server} refused with a kiss-o'-death ({code}, stratum 0)")
        }
        NtpProblem::InvalidStratum => format!("{server} sent an invalid stratum"),
        NtpProblem::Unsynchronised => {
            format!("{server} says its own clock is unsynchronised (leap indicator 3)")
        }
        NtpProblem::NotServerMode => format!("{server} did not answer in server mode"),
        NtpProblem::UnsupportedVersion => {
            format!("{server} answered with an unsupported NTP version")
        }
        NtpProblem::MalformedReply => format!("{server} sent a malformed reply (wrong size)"),
        NtpProblem::ZeroTimestamp => format!("{server} sent a zero transmit timestamp"),
        NtpProblem::RootDistance => {
            format!("{server} is too far from its own reference (root distance)")
        }
        NtpProblem::BackwardReference => {
            format!("{server} sent a reference time after its transmit time")
        }
        NtpProblem::WrongAddress => format!("a reply came from an address other than {server}"),
        NtpProblem::Refused => {
            format!("{server} refused the connection (nothing listens there)")
        }
        NtpProblem::Unresolvable => format!("{server} could not be resolved"),
        NtpProblem::NoSocket => "no UDP socket could be opened here".into(),
        NtpProblem::Unexpected => format!("{server} could not be asked (an unexpected error)"),
    }
}

/// Something that could not be read: `FILE line N: message`, or `SUBJECT: message`.
pub fn problem(p: &Problem) -> String {
    super::sanitize::own(problem_words(p))
}

fn problem_words(p: &Problem) -> String {
    if p.kind == crate::facts::ProblemKind::HelperStopped {
        return format!("{}: {}", p.subject, helper_stopped(&p.message));
    }
    match p.line {
        Some(line) => format!("{} line {}: {}", p.subject, line, p.message),
        None => format!("{}: {}", p.subject, p.message),
    }
}

/// What the job-control signal that stopped a helper says about it.
fn helper_stopped(signal: &str) -> String {
    match signal {
        "SIGTTIN" => {
            "wanted the terminal: it read from it (a prompt) and the system stopped it (SIGTTIN)"
                .into()
        }
        "SIGTTOU" => "wanted the terminal: it set it up or wrote to it (a password prompt) and \
                      the system stopped it (SIGTTOU)"
            .into(),
        other => format!("was stopped by {other}"),
    }
}

/// Where an expiry was read, in a sentence: "from AWS_CREDENTIAL_EXPIRATION".
pub fn expiry_source(s: ExpirySource) -> &'static str {
    match s {
        ExpirySource::XSecurityTokenExpires => "x_security_token_expires in the credentials file",
        ExpirySource::CliCache => "the AWS CLI cache (~/.aws/cli/cache)",
        ExpirySource::SsoCache => "the SSO token cache (~/.aws/sso/cache)",
        ExpirySource::CredentialProcess => "the credential_process output",
        ExpirySource::Provider => "the credential provider",
        other => other.name(),
    }
}

fn described<T>(d: &Described<T>, typed: impl Fn(&T) -> String) -> String {
    match d {
        Described::Typed(t) => typed(t),
        Described::Legacy(text) => text.clone(),
    }
}

/// Where exactly the credentials come from.
pub fn origin(o: &Described<Origin>) -> String {
    super::sanitize::own(origin_words(o))
}

fn origin_words(o: &Described<Origin>) -> String {
    described(o, origin_text)
}

fn origin_text(o: &Origin) -> String {
    match o {
        Origin::ExportedKeys {
            session_token: true,
        } => "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN exported in the \
              environment"
            .into(),
        Origin::ExportedKeys {
            session_token: false,
        } => "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY exported in the environment".into(),
        Origin::ExportedWebIdentity => {
            "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN in the environment".into()
        }
        Origin::ContainerEndpoint { variable } => {
            format!("{variable} in the environment (ECS/EKS task role)")
        }
        Origin::ProfileKeys { profile } => format!("static keys in profile {profile}"),
        Origin::CredentialSource { profile, source } => match source {
            NamedSource::Environment => format!(
                "exported environment credentials (credential_source = Environment in profile \
                 {profile})"
            ),
            NamedSource::Ec2InstanceMetadata => format!(
                "the EC2 instance role (credential_source = Ec2InstanceMetadata in profile \
                 {profile})"
            ),
            NamedSource::EcsContainer => format!(
                "the container task role (credential_source = EcsContainer in profile {profile})"
            ),
        },
        Origin::ProfileWebIdentity { profile } => {
            format!("web identity token in profile {profile}")
        }
        Origin::Sso {
            profile,
            session,
            role,
        } => match (session, role) {
            (Some(s), Some(r)) => {
                format!("IAM Identity Center role {r} via sso-session {s} (profile {profile})")
            }
            (None, Some(r)) => {
                format!("IAM Identity Center role {r} via legacy sso_start_url (profile {profile})")
            }
            _ => format!("IAM Identity Center (profile {profile})"),
        },
        Origin::CredentialProcess { profile } => format!("credential_process in profile {profile}"),
        Origin::LoginSession { profile } => {
            format!("login_session (aws login) in profile {profile}")
        }
        Origin::AssumedRole {
            profile,
            role_arn,
            base,
        } => format!(
            "profile {profile}: role {role_arn} assumed with {}",
            assumed_with(base)
        ),
        Origin::NoneFound { imds_disabled } => format!(
            "no credentials in the environment, the profile files, web identity or the container \
             endpoint; instance metadata {}",
            if *imds_disabled {
                "is disabled (AWS_EC2_METADATA_DISABLED)"
            } else {
                "not asked"
            }
        ),
        Origin::FoundLive { source } => format!("found live: {source}"),
        Origin::ResolvedLive { source, suggested } => {
            format!("the SDK resolved {source} (local files suggested {suggested})")
        }
    }
}

/// What a role was assumed with: the previous role's session when chained (named, with how
/// that one was assumed), else the base credentials.
fn assumed_with(base: &Origin) -> String {
    match base {
        Origin::AssumedRole {
            profile,
            role_arn,
            base,
        } => format!(
            "the session of {role_arn} (profile {profile}, itself assumed with {})",
            assumed_with(base)
        ),
        other => origin_text(other),
    }
}

/// Why the credentials do not refresh.
pub fn no_refresh(n: &Described<NoRefresh>) -> String {
    super::sanitize::own(no_refresh_words(n))
}

fn no_refresh_words(n: &Described<NoRefresh>) -> String {
    described(n, |n| match n {
        NoRefresh::Exported => "exported variables are a snapshot: no SDK refreshes them".into(),
        NoRefresh::SessionKeysInProfile { profile } => format!(
            "session credentials written into profile {profile} (saml2aws, gimme-aws-creds, a \
             script): nothing refreshes them until that tool runs again"
        ),
        NoRefresh::MfaRequired { profile } => format!(
            "profile {profile} sets mfa_serial: every refresh needs an MFA code, which an \
             unattended job cannot type (and aws-config does not prompt for)"
        ),
        NoRefresh::ProcessWithoutExpiration => "credential_process printed no Expiration: the \
             SDKs cache the credentials for good and never run the helper again"
            .into(),
        NoRefresh::ProcessReturnsExpired => "credential_process hands back credentials that \
             have already expired: the SDK runs it again and gets the same"
            .into(),
    })
}

/// What ends the SDK's refreshing.
pub fn refresh_end(e: &Described<RefreshEnd>) -> String {
    super::sanitize::own(refresh_end_words(e))
}

fn refresh_end_words(e: &Described<RefreshEnd>) -> String {
    described(e, |e| match e {
        RefreshEnd::SourceCredentials { base: Some(base) } => format!(
            "the source credentials ({}) do not refresh",
            origin_text(base)
        ),
        RefreshEnd::SourceCredentials { base: None } => {
            "the source credentials do not refresh".into()
        }
        RefreshEnd::NoSsoToken => {
            "no SSO token is cached for this session: `aws sso login` has not been run here".into()
        }
        RefreshEnd::SsoTokenWithoutRefresh => {
            "the SSO access token expires and cannot be refreshed (no refresh token)".into()
        }
        RefreshEnd::SsoRegistration => {
            "the SSO client registration expires, after which the token cannot be refreshed".into()
        }
        RefreshEnd::WebIdentityToken { token_file } => format!(
            "the web identity token{} expires and nothing rotates it",
            if token_file.is_empty() {
                String::new()
            } else {
                format!(" in {token_file}")
            }
        ),
        RefreshEnd::SsoSession { default_seconds } => format!(
            "the IAM Identity Center session ends (its start is not recorded locally; sessions \
             last {} by default)",
            duration(*default_seconds)
        ),
    })
}

fn base_text(base: &Option<Origin>) -> String {
    base.as_ref().map(origin_text).unwrap_or_default()
}

/// Why a session is, is not, or may be chained.
pub fn chaining(c: &Described<Chaining>) -> String {
    super::sanitize::own(chaining_words(c))
}

fn chaining_words(c: &Described<Chaining>) -> String {
    described(c, |c| match c {
        Chaining::ProfileHop {
            profile,
            role_arn,
            via_profile,
            via_role_arn,
        } => format!(
            "profile {profile} assumes {role_arn} with the session of {via_role_arn} (profile \
             {via_profile})"
        ),
        Chaining::InstanceRoleSource { base } => format!(
            "the source is the EC2 instance role ({}), which AWS does not count as role chaining",
            base_text(base)
        ),
        Chaining::RoleSessionSource { base } => format!(
            "the source credentials are themselves a role session ({})",
            base_text(base)
        ),
        Chaining::TemporarySource { base } => format!(
            "the source credentials are temporary session credentials ({})",
            base_text(base)
        ),
        Chaining::SourceIsRoleSession { role } => {
            format!("the source credentials are a session of role {role} (sts:GetCallerIdentity)")
        }
        Chaining::SourceIsUserSession { arn } => {
            format!("the source credentials are a user session of {arn} (sts:GetCallerIdentity)")
        }
        Chaining::PlannedFromInstanceRole => "the current credentials are the EC2 instance role, \
             which AWS does not count as role chaining"
            .into(),
        Chaining::PlannedWith { role_arn, current } => format!(
            "the current credentials are {}: assuming {role_arn} with them is role chaining",
            match current {
                CurrentSession::OfRole { role } => {
                    format!("a session of role {}", role.as_deref().unwrap_or_default())
                }
                CurrentSession::OfUser => {
                    "session credentials (GetSessionToken or GetFederationToken)".into()
                }
                CurrentSession::FromSource { source } => format!("a role session ({source})"),
                CurrentSession::Temporary => "temporary session credentials".into(),
            }
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_compact() {
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(45), "45s");
        assert_eq!(duration(31 * 60), "31m");
        assert_eq!(duration(602), "10m02s");
        assert_eq!(duration(8 * 3600), "8h");
        assert_eq!(duration(8 * 3600 + 120 + 7), "8h02m");
        assert_eq!(duration(51 * 3600), "2d03h");
        assert_eq!(duration(-300), "-5m");
    }

    #[test]
    fn any_instant_renders_in_any_zone() {
        // chrono's last and first instants, east and west of UTC: the wall clock would fall
        // outside chrono's range; it is shown in UTC instead of panicking.
        let east = Zone::Local(LocalZone::Fixed(FixedOffset::east_opt(14 * 3600).unwrap()));
        let west = Zone::Local(LocalZone::Fixed(FixedOffset::west_opt(12 * 3600).unwrap()));
        let (max, min) = (DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC);
        assert!(stamp(max, east).ends_with(" UTC"), "{}", stamp(max, east));
        assert!(stamp(min, west).ends_with(" UTC"), "{}", stamp(min, west));
        let now: DateTime<Utc> = "2026-11-23T08:00:00Z".parse().unwrap();
        for zone in [east, west, Zone::Utc] {
            for t in [max, min, now] {
                let _ = when(t, now, zone);
                let _ = when(now, t, zone);
            }
        }
        assert_eq!(stamp(now, east), "2026-11-23 22:00 +14:00");
    }

    #[test]
    fn precise_durations_keep_the_seconds() {
        assert_eq!(precise(3612), "1h00m12s");
        assert_eq!(precise(43_121), "11h58m41s");
        assert_eq!(precise(610), "10m10s");
        assert_eq!(precise(3), "3s");
    }

    #[test]
    fn times_relative_to_now() {
        let now: DateTime<Utc> = "2026-11-23T13:31:00Z".parse().unwrap();
        let exp: DateTime<Utc> = "2026-11-23T14:02:00Z".parse().unwrap();
        assert_eq!(when(exp, now, Zone::Utc), "14:02 UTC (in 31m)");
        let kolkata = Zone::Local(LocalZone::Fixed(FixedOffset::east_opt(19_800).unwrap()));
        assert_eq!(when(exp, now, kolkata), "19:32 +05:30 (in 31m)");
        assert_eq!(relative(now, exp), "31m ago");
        let tomorrow: DateTime<Utc> = "2026-11-24T01:00:00Z".parse().unwrap();
        assert_eq!(clock(tomorrow, now, Zone::Utc), "2026-11-24 01:00 UTC");
        let almost: DateTime<Utc> = "2026-11-23T14:01:59.600Z".parse().unwrap();
        assert_eq!(relative(almost, now), "in 31m");
        let close: DateTime<Utc> = "2026-11-23T13:33:29.600Z".parse().unwrap();
        assert_eq!(relative(close, now), "in 2m30s");
    }
}
