//! Property tests of every parser the crate owns, through its public API: arbitrary input
//! (huge, Unicode, control characters, invalid UTF-8) never panics and stays bounded in time,
//! and generated valid input round-trips to exactly the value it was made from.
//!
//! Case counts are modest so the whole file runs in seconds in a debug build. Every config
//! sets `failure_persistence: None`: proptest would otherwise write `proptest-regressions/`
//! files into the repository, and the suite checks that nothing writes unexpected files. A
//! failing case is printed minimised; turn it into a unit test to keep it.

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, SubsecRound,
    TimeDelta, Timelike, Utc,
};
use expiry_doctor::aws::Failure;
use expiry_doctor::checks::{self, Options};
use expiry_doctor::cli;
use expiry_doctor::env::{Env, LocalZone};
use expiry_doctor::facts::{
    Chaining, Clock, Credentials, CurrentSession, ErrorClass, ExpirySource, Facts, HopKind,
    Identity, IdentityType, KeyId, LimitSource, NamedSource, NoRefresh, NtpProblem, Origin, Probe,
    ProbeError, ProbeFailure, ProbeKind, Problem, ProblemKind, ProfileHop, RefreshEnd,
    RefreshLimit, RefreshLimitKind, SessionLimit, Source, Sso, TokenRotation, WebIdentity,
};
use expiry_doctor::gather::caches;
use expiry_doctor::gather::files;
use expiry_doctor::gather::profiles::{self, Outcome, RoleHop, SsoProfile};
use expiry_doctor::timestamps::{self, Dialect};
use expiry_doctor::triage::classes::{self, Class, Match};
use expiry_doctor::triage::classify::Classifier;
use expiry_doctor::triage::{Encoding, lines, logtime, text};
use expiry_doctor::{render, replay, verdict};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};
use std::io::{BufReader, Cursor, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// Shared strategies and helpers
// ---------------------------------------------------------------------------------------------

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        // Never write proptest-regressions/ files into the repository.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// 9999-12-31T23:59:59Z, the last second with a four-digit year.
const MAX_SECS: i64 = 253_402_300_799;

/// How long one call of a parser may take on one input, however hostile (debug build).
const BOUND: Duration = Duration::from_secs(2);

fn ts(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).expect("in chrono's range")
}

/// Strings a user, a file or an attacker could hand a parser: arbitrary Unicode, control
/// characters, near-misses of the valid forms, and very long values.
fn hostile_string() -> BoxedStrategy<String> {
    prop_oneof![
        4 => any::<String>(),
        2 => "[0-9hmsdwyTZU:+., -]{0,40}",
        2 => "[\\x00-\\x1f\\x7f\u{85}\u{2028}\u{feff}a-z0-9:\\[\\]]{0,40}",
        1 => prop::collection::vec(any::<char>(), 0..256).prop_map(String::from_iter),
        1 => ("\\PC{1,8}", 1usize..20_000).prop_map(|(s, n)| s.repeat(n)),
        1 => ("[0-9]{1,3}", 1usize..5_000).prop_map(|(s, n)| format!("{}h", s.repeat(n))),
        1 => ("[0-9:-]{1,4}", 1usize..5_000).prop_map(|(s, n)| format!("2026-11-23T{}", s.repeat(n))),
    ]
    .boxed()
}

/// Text for names, messages and values: mostly plain, sometimes any Unicode at all.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "[a-zA-Z0-9:/._@ -]{0,24}",
        1 => any::<String>(),
        1 => "\\PC{0,16}",
    ]
    .boxed()
}

/// Any instant with a four-digit year from 1970 on, with or without a fraction.
fn instant() -> BoxedStrategy<DateTime<Utc>> {
    prop_oneof![
        3 => (0..=MAX_SECS, 0u32..1_000_000_000),
        2 => (0..=MAX_SECS).prop_map(|s| (s, 0)),
        1 => select(vec![(0, 0), (MAX_SECS, 0), (MAX_SECS, 999_999_999), (1_795_442_520, 0)]),
    ]
    .prop_map(|(s, n)| DateTime::from_timestamp(s, n).expect("in range"))
    .boxed()
}

fn seconds_format() -> impl Strategy<Value = SecondsFormat> {
    select(vec![
        SecondsFormat::Secs,
        SecondsFormat::Millis,
        SecondsFormat::Micros,
        SecondsFormat::Nanos,
        SecondsFormat::AutoSi,
    ])
}

/// `t` cut to the precision `sf` writes.
fn truncate(t: DateTime<Utc>, sf: SecondsFormat) -> DateTime<Utc> {
    match sf {
        SecondsFormat::Secs => t.trunc_subsecs(0),
        SecondsFormat::Millis => t.trunc_subsecs(3),
        SecondsFormat::Micros => t.trunc_subsecs(6),
        _ => t,
    }
}

fn dialect() -> impl Strategy<Value = Dialect> {
    select(vec![
        Dialect::Zoned,
        Dialect::LocalWallClock,
        Dialect::EpochSeconds,
    ])
}

/// Any fixed offset chrono accepts (to the second), and the machine's own zone.
fn local_zone() -> impl Strategy<Value = LocalZone> {
    prop_oneof![
        Just(LocalZone::System),
        (-86_399i32..=86_399)
            .prop_map(|s| LocalZone::Fixed(FixedOffset::east_opt(s).expect("in range"))),
    ]
}

fn one_line_and_short(message: &str, max_chars: usize) -> bool {
    !message.contains('\n') && !message.contains('\r') && message.chars().count() <= max_chars
}

/// Arbitrary JSON, with keys biased towards the names the readers look for so that the
/// structure is sometimes nearly right.
fn json_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        text().prop_map(Value::String),
        instant().prop_map(|t| Value::String(t.to_rfc3339())),
        // Dates a hand-edited report can hold that no reader accepts (issue 17).
        select(vec![
            "+262142-12-31T23:59:59Z",
            "-262143-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z",
            "1969-12-31T23:59:59Z",
        ])
        .prop_map(|t| Value::String(t.to_string())),
    ];
    let key = prop_oneof![
        3 => select(vec![
            "Credentials", "Expiration", "AccessKeyId", "SecretAccessKey", "SessionToken",
            "expiresAt", "accessToken", "refreshToken", "registrationExpiresAt", "version",
            "checked_at", "credentials", "identity", "session_limit", "clock", "sso",
            "profile_chain", "problems", "probes", "source", "expires_at", "access_key_id",
            "expected_runtime_seconds", "kind", "refresh_limit", "until", "at_most_seconds",
        ])
        .prop_map(str::to_string),
        1 => text(),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// A throwaway HOME, and an `Env` that sees only it.
struct FakeHome {
    dir: tempfile::TempDir,
    env: Env,
}

fn fake_home() -> FakeHome {
    let dir = tempfile::tempdir().expect("a temp dir");
    let home = dir.path().to_str().expect("a UTF-8 temp path").to_string();
    let env = Env::fake([("HOME", home)], ts(1_795_442_520));
    FakeHome { dir, env }
}

impl FakeHome {
    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&path, bytes).expect("write");
        path
    }
}

// ---------------------------------------------------------------------------------------------
// Command-line values: durations, role ARNs, NTP servers, times
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(128))]

    /// Any string: no panic, answered quickly, errors are a fixed one-line form (never an echo
    /// of the input), and whatever is accepted is stable when shown and read again.
    #[test]
    fn cli_value_parsers_never_panic_on_any_string(s in hostile_string()) {
        let started = Instant::now();
        let duration = cli::parse_duration(&s);
        let arn = cli::parse_role_arn(&s);
        let ntp = cli::parse_ntp_server(&s);
        let time = cli::parse_time(&s);
        prop_assert!(started.elapsed() < BOUND, "{} bytes took {:?}", s.len(), started.elapsed());
        for err in [duration.as_ref().err(), arn.as_ref().err(), ntp.as_ref().err(), time.as_ref().err()]
            .into_iter()
            .flatten()
        {
            prop_assert!(one_line_and_short(err, 120), "{err:?}");
        }
        if let Ok(d) = duration {
            let shown = humantime::format_duration(d).to_string();
            prop_assert_eq!(cli::parse_duration(&shown), Ok(d), "shown as {:?}", shown);
        }
        if let Ok(a) = &arn {
            prop_assert_eq!(a, &s);
        }
        if let Ok(n) = &ntp {
            prop_assert_eq!(cli::parse_ntp_server(n), Ok(n.clone()));
            let port = n.rsplit_once(':').map(|(_, p)| p.parse::<u16>());
            prop_assert!(matches!(port, Some(Ok(p)) if p > 0), "{n}");
        }
        if let Ok(t) = time
            && (1..=9999).contains(&t.year())
        {
            prop_assert_eq!(cli::parse_time(&t.to_rfc3339()), Ok(t));
        }
    }

    /// For any whole number of hours, minutes and seconds, `{h}h{m}m{s}s` (any subset, with
    /// or without spaces between units or around the value) is exactly that many seconds.
    #[test]
    fn hours_minutes_seconds_round_trip(
        h in prop::option::of(0u64..1_000_000),
        m in prop::option::of(0u64..1_000_000),
        s in prop::option::of(0u64..1_000_000),
        sep in select(vec!["", " "]),
        pad in select(vec!["", " ", "\t", "\n "]),
    ) {
        prop_assume!(h.is_some() || m.is_some() || s.is_some());
        let want = Duration::from_secs(
            h.unwrap_or(0) * 3600 + m.unwrap_or(0) * 60 + s.unwrap_or(0),
        );
        let parts: Vec<String> = [(h, "h"), (m, "m"), (s, "s")]
            .iter()
            .filter_map(|(v, unit)| v.map(|v| format!("{v}{unit}")))
            .collect();
        let given = format!("{pad}{}{pad}", parts.join(sep));
        prop_assert_eq!(cli::parse_duration(&given), Ok(want), "{:?}", given);
        let (h, m, s) = (h.unwrap_or(0), m.unwrap_or(0), s.unwrap_or(0));
        prop_assert_eq!(cli::parse_duration(&format!("{h}h{m}m{s}s")), Ok(want));
        // And what humantime shows for it reads back the same.
        let shown = humantime::format_duration(want).to_string();
        prop_assert_eq!(cli::parse_duration(&shown), Ok(want), "shown as {:?}", shown);
    }

    /// A bare number is refused, never guessed to be seconds.
    #[test]
    fn bare_numbers_are_not_durations(n in "[0-9]{1,30}", pad in "[ \t]{0,2}") {
        let given = format!("{pad}{n}{pad}");
        prop_assert!(cli::parse_duration(&given).is_err(), "{:?}", given);
    }

    /// Every well-formed role ARN is accepted as given; one account digit too few or too many,
    /// a 65-character name, or a user instead of a role is refused.
    #[test]
    fn role_arns_are_accepted_verbatim_and_near_misses_refused(
        partition in select(vec!["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"]),
        account in "[0-9]{12}",
        path in prop::collection::vec("[A-Za-z0-9+=,.@_-]{1,12}", 0..4),
        name in "[A-Za-z0-9+=,.@_-]{1,64}",
    ) {
        let path: String = path.iter().map(|p| format!("{p}/")).collect();
        let arn = format!("arn:{partition}:iam::{account}:role/{path}{name}");
        prop_assert_eq!(cli::parse_role_arn(&arn), Ok(arn.clone()));
        let short = format!("arn:{partition}:iam::{}:role/{path}{name}", &account[1..]);
        prop_assert!(cli::parse_role_arn(&short).is_err(), "{short}");
        let long = format!("arn:{partition}:iam::{account}0:role/{path}{name}");
        prop_assert!(cli::parse_role_arn(&long).is_err(), "{long}");
        let long_name = format!("{name}{}", "x".repeat(65 - name.len()));
        let too_long = format!("arn:{partition}:iam::{account}:role/{path}{long_name}");
        prop_assert!(cli::parse_role_arn(&too_long).is_err(), "{too_long}");
        let user = format!("arn:{partition}:iam::{account}:user/{path}{name}");
        prop_assert!(cli::parse_role_arn(&user).is_err(), "{user}");
    }

    /// `HOST[:PORT]` normalises to `HOST:PORT` (123 by default); IPv6 hosts get brackets.
    #[test]
    fn ntp_servers_normalise_to_host_and_port(
        host in "[a-z0-9][a-z0-9._-]{0,30}",
        v6 in prop::collection::vec("[0-9a-f]{0,4}", 3..8),
        port in prop::option::of(1u16..),
        bracketed in any::<bool>(),
    ) {
        let want_port = port.unwrap_or(123);
        let given = match port {
            Some(p) => format!("{host}:{p}"),
            None => host.clone(),
        };
        prop_assert_eq!(cli::parse_ntp_server(&given), Ok(format!("{host}:{want_port}")));
        let v6 = v6.join(":");
        let given = match (port, bracketed) {
            (Some(p), _) => format!("[{v6}]:{p}"),
            (None, true) => format!("[{v6}]"),
            (None, false) => v6.clone(),
        };
        prop_assert_eq!(cli::parse_ntp_server(&given), Ok(format!("[{v6}]:{want_port}")));
        let port_zero = format!("{host}:0");
        prop_assert!(cli::parse_ntp_server(&port_zero).is_err(), "{}", port_zero);
    }

    /// `--now`-style times: RFC 3339 at any precision, and zone-less forms read as UTC.
    #[test]
    fn times_round_trip_through_parse_time(t in instant(), sf in seconds_format(), z in any::<bool>()) {
        prop_assert_eq!(cli::parse_time(&t.to_rfc3339_opts(sf, z)), Ok(truncate(t, sf)));
        let secs = t.trunc_subsecs(0);
        for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"] {
            prop_assert_eq!(cli::parse_time(&t.format(fmt).to_string()), Ok(secs));
        }
        let minute = secs.with_second(0).expect("second 0 exists");
        for fmt in ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
            prop_assert_eq!(cli::parse_time(&t.format(fmt).to_string()), Ok(minute));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Expiry dialects (timestamps::parse)
// ---------------------------------------------------------------------------------------------

/// How an RFC 3339 / ISO 8601 expiry is written by some tool.
#[derive(Clone, Copy, Debug)]
enum ZoneForm {
    /// `…Z`
    Z,
    /// `…+00:00`
    PlusZero,
    /// `…±HH:MM` in that zone's wall-clock time.
    Offset(i32),
    /// `2026-11-23 14:02:00Z`
    SpaceZ,
    /// `2026-11-23 14:02:00+00:00`
    SpacePlusZero,
    /// `…UTC` (old AWS CLI v2 SSO cache), `… UTC`.
    UtcSuffix(bool),
    /// `…±HHMM`
    BasicOffset(i32),
}

fn zone_form() -> impl Strategy<Value = ZoneForm> {
    let minutes = -(23 * 60 + 59)..=(23 * 60 + 59);
    prop_oneof![
        Just(ZoneForm::Z),
        Just(ZoneForm::PlusZero),
        minutes.clone().prop_map(ZoneForm::Offset),
        Just(ZoneForm::SpaceZ),
        Just(ZoneForm::SpacePlusZero),
        any::<bool>().prop_map(ZoneForm::UtcSuffix),
        minutes.prop_map(ZoneForm::BasicOffset),
    ]
}

/// `t` written in `form`; `None` when the zone's wall clock leaves four-digit years.
fn write_zoned(t: DateTime<Utc>, sf: SecondsFormat, form: ZoneForm) -> Option<String> {
    let in_zone = |minutes: i32| {
        let local = t.with_timezone(&FixedOffset::east_opt(minutes * 60).expect("in range"));
        (0..=9999).contains(&local.year()).then_some(local)
    };
    Some(match form {
        ZoneForm::Z => t.to_rfc3339_opts(sf, true),
        ZoneForm::PlusZero => t.to_rfc3339_opts(sf, false),
        ZoneForm::Offset(m) => in_zone(m)?.to_rfc3339_opts(sf, false),
        ZoneForm::SpaceZ => t.to_rfc3339_opts(sf, true).replacen('T', " ", 1),
        ZoneForm::SpacePlusZero => t.to_rfc3339_opts(sf, false).replacen('T', " ", 1),
        ZoneForm::UtcSuffix(spaced) => {
            let z = t.to_rfc3339_opts(sf, true);
            let body = z.strip_suffix('Z').expect("ends in Z");
            format!("{body}{}UTC", if spaced { " " } else { "" })
        }
        ZoneForm::BasicOffset(m) => in_zone(m)?.format("%Y-%m-%dT%H:%M:%S%.f%z").to_string(),
    })
}

proptest! {
    #![proptest_config(config(128))]

    /// Any string, in every dialect and zone: no panic, answered quickly, and an error is one
    /// short line (the value is shortened and its control characters replaced).
    #[test]
    fn expiry_values_never_panic(s in hostile_string(), d in dialect(), zone in local_zone()) {
        let started = Instant::now();
        let parsed = timestamps::parse(&s, d, zone);
        prop_assert!(started.elapsed() < BOUND, "{} bytes took {:?}", s.len(), started.elapsed());
        if let Err(e) = parsed {
            prop_assert!(one_line_and_short(&e, 200), "{e:?}");
        }
    }

    /// Any instant from 1970 to 9999, written as RFC 3339 with `Z`, `+00:00`, any offset, a
    /// space for the `T`, the old `UTC` suffix, a basic `+HHMM` offset, and any fraction,
    /// reads back as the same instant (to the precision written) in every dialect.
    #[test]
    fn rfc3339_expiries_round_trip(
        t in instant(),
        sf in seconds_format(),
        form in zone_form(),
        d in dialect(),
        zone in local_zone(),
        pad in select(vec!["", " ", "\n", " \t"]),
    ) {
        let t = truncate(t, sf);
        let Some(written) = write_zoned(t, sf, form) else {
            return Ok(()); // the wall clock in that zone is year 10000
        };
        let given = format!("{pad}{written}{pad}");
        prop_assert_eq!(timestamps::parse(&given, d, zone), Ok(t), "{:?}", given);
    }

    /// The one epoch rule, in every dialect: ten digits are seconds, thirteen milliseconds,
    /// read back exactly; any other number of digits is refused, never guessed (sixteen digits
    /// of microseconds are not a date 50,000 years away).
    #[test]
    fn epoch_expiries_round_trip(
        secs in 1_000_000_000i64..=9_999_999_999,
        millis in 1_000_000_000_000i64..=9_999_999_999_999,
        other in prop_oneof![0i64..=999_999_999, 10_000_000_000i64..=999_999_999_999, 10_000_000_000_000i64..=i64::MAX],
        d in dialect(),
        zone in local_zone(),
    ) {
        prop_assert_eq!(timestamps::parse(&secs.to_string(), d, zone), Ok(ts(secs)));
        prop_assert_eq!(timestamps::parse(&format!(" {secs}\n"), d, zone), Ok(ts(secs)));
        prop_assert_eq!(
            timestamps::parse(&millis.to_string(), d, zone),
            Ok(DateTime::from_timestamp_millis(millis).expect("in range"))
        );
        prop_assert!(timestamps::parse(&other.to_string(), d, zone).is_err(), "{}", other);
    }

    /// awsume's `AWSUME_EXPIRATION`: a wall-clock time without a zone, in any fixed local zone,
    /// is that wall-clock time in that zone; where a zone is required it is refused, never
    /// guessed.
    #[test]
    fn local_wall_clock_expiries_round_trip(
        t in instant(),
        offset in -86_399i32..=86_399,
        fmt in select(vec![
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M:%S%.6f",
            "%Y-%m-%dT%H:%M:%S%.3f",
            "%Y-%m-%d %H:%M:%S%.f",
        ]),
    ) {
        let wall: NaiveDateTime = t.naive_utc();
        let written = wall.format(fmt).to_string();
        let precise = match fmt {
            f if f.ends_with("%.6f") => wall.trunc_subsecs(6),
            f if f.ends_with("%.3f") => wall.trunc_subsecs(3),
            f if f.ends_with("%.f") => wall,
            _ => wall.trunc_subsecs(0),
        };
        let off = FixedOffset::east_opt(offset).expect("in range");
        let want = precise.and_utc() - TimeDelta::seconds(i64::from(offset));
        let got = timestamps::parse(&written, Dialect::LocalWallClock, LocalZone::Fixed(off));
        if timestamps::in_range(want) {
            prop_assert_eq!(got, Ok(want), "{}", written);
        } else {
            // A wall clock at either end of the range can fall outside it in UTC: the one
            // range for every instant read refuses it (issue 17).
            let err = got.unwrap_err();
            prop_assert!(err.contains("outside the years 1970 to 9999"), "{err}");
        }
        for d in [Dialect::Zoned, Dialect::EpochSeconds] {
            let err = timestamps::parse(&written, d, LocalZone::Fixed(off)).unwrap_err();
            prop_assert!(err.contains("no time zone"), "{err}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Cache files: the AWS CLI cache and the SSO token cache
// ---------------------------------------------------------------------------------------------

fn role_hop() -> BoxedStrategy<RoleHop> {
    (
        text(),
        prop_oneof!["arn:aws:iam::[0-9]{12}:role/[a-z]{1,10}", text(),],
        prop::option::of(any::<i64>()),
        prop::option::of(text()),
        prop::option::of(text()),
        prop::option::of(text()),
    )
        .prop_map(
            |(profile, role_arn, duration_seconds, mfa_serial, external_id, session_name)| {
                RoleHop {
                    profile,
                    role_arn,
                    duration_seconds,
                    mfa_serial,
                    external_id,
                    session_name,
                }
            },
        )
        .boxed()
}

fn sso_profile() -> BoxedStrategy<SsoProfile> {
    (
        text(),
        prop::option::of(text()),
        text(),
        text(),
        prop::option::of("[0-9]{12}"),
        prop::option::of(text()),
    )
        .prop_map(
            |(profile, session_name, start_url, region, account_id, role_name)| SsoProfile {
                profile,
                session_name,
                start_url,
                region,
                account_id,
                role_name,
            },
        )
        .boxed()
}

/// What can sit where a cache entry is expected.
#[derive(Clone, Debug)]
enum CacheFile {
    Absent,
    Directory,
    /// A file over the size cap (sparse, so nothing is written).
    Oversized(u64),
    Bytes(Vec<u8>),
}

fn cache_file() -> impl Strategy<Value = CacheFile> {
    prop_oneof![
        1 => Just(CacheFile::Absent),
        1 => Just(CacheFile::Directory),
        1 => (1u64..1_000_000).prop_map(CacheFile::Oversized),
        6 => prop::collection::vec(any::<u8>(), 0..1024).prop_map(CacheFile::Bytes),
        6 => json_value().prop_map(|v| CacheFile::Bytes(serde_json::to_vec(&v).expect("JSON"))),
        // A real-looking entry cut short or with a byte flipped.
        4 => (expiration_string(), any::<Index>(), any::<u8>(), any::<bool>()).prop_map(
            |(exp, at, byte, cut)| {
                let mut b = serde_json::to_vec(&json!({
                    "Credentials": {"AccessKeyId": "ASIAEXAMPLEKEYIDWXYZ", "Expiration": exp},
                    "expiresAt": exp, "accessToken": "t", "refreshToken": "r",
                }))
                .expect("JSON");
                let i = at.index(b.len());
                if cut { b.truncate(i) } else { b[i] = byte }
                CacheFile::Bytes(b)
            }
        ),
    ]
}

/// Expiration values: real ones in every form the tools write, and anything else.
fn expiration_string() -> BoxedStrategy<String> {
    prop_oneof![
        2 => (instant(), seconds_format(), zone_form())
            .prop_map(|(t, sf, form)| write_zoned(t, sf, form).unwrap_or_default()),
        1 => (0..=MAX_SECS).prop_map(|s| s.to_string()),
        1 => instant().prop_map(|t| t.format("%Y-%m-%dT%H:%M:%S").to_string()),
        2 => hostile_string(),
    ]
    .boxed()
}

impl FakeHome {
    fn place(&self, rel: &str, file: &CacheFile) -> PathBuf {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        match file {
            CacheFile::Absent => {}
            CacheFile::Directory => std::fs::create_dir(&path).expect("mkdir"),
            CacheFile::Oversized(extra) => std::fs::File::create(&path)
                .and_then(|f| f.set_len(files::CACHE_CAP + extra))
                .expect("sparse file"),
            CacheFile::Bytes(b) => std::fs::write(&path, b).expect("write"),
        }
        path
    }
}

/// Every problem is a cache-file problem that names `path`.
fn all_name(problems: &[Problem], path: &Path) -> Result<(), TestCaseError> {
    for p in problems {
        prop_assert_eq!(p.kind, ProblemKind::CacheFile, "{:?}", p);
        prop_assert_eq!(&p.subject, &path.display().to_string(), "{:?}", p);
        prop_assert!(one_line_and_short(&p.message, 400), "{:?}", p);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(96))]

    /// Whatever sits at `~/.aws/cli/cache/<key>.json`: no panic, and exactly one of a value
    /// or a problem naming the file (nothing only when there is no file).
    #[test]
    fn cli_cache_reader_never_panics_and_is_never_silent(role in role_hop(), file in cache_file()) {
        let home = fake_home();
        let key = caches::assume_role_cache_key(&role);
        prop_assert!(key.len() == 40 && key.bytes().all(|b| b.is_ascii_hexdigit()), "{key}");
        let path = home.place(&format!(".aws/cli/cache/{key}.json"), &file);
        let mut problems = Vec::new();
        let found = caches::read_cli_cache(&home.env, &key, &mut problems);
        all_name(&problems, &path)?;
        match (&file, &found) {
            (CacheFile::Absent, _) => prop_assert!(found.is_none() && problems.is_empty()),
            (_, Some(c)) => {
                prop_assert!(problems.is_empty(), "{problems:?}");
                prop_assert_eq!(&c.path, &path);
            }
            (_, None) => prop_assert_eq!(problems.len(), 1),
        }
    }

    /// A well-formed entry with any `Expiration`: a value exactly when the expiry dialect
    /// reads it (and then that instant and the redacted key id), else one problem naming the
    /// file and the field.
    #[test]
    fn cli_cache_entries_with_any_expiration(
        role in role_hop(),
        expiration in expiration_string(),
        key_id in prop::option::of(text()),
    ) {
        let home = fake_home();
        let key = caches::assume_role_cache_key(&role);
        let mut creds = json!({
            "SecretAccessKey": "never read", "SessionToken": "never read", "Expiration": expiration,
        });
        if let Some(k) = &key_id {
            creds["AccessKeyId"] = json!(k);
        }
        let entry = json!({"Credentials": creds, "AssumedRoleUser": {"Arn": "x"}, "ResponseMetadata": {}});
        let path = home.write(&format!(".aws/cli/cache/{key}.json"), entry.to_string().as_bytes());
        let mut problems = Vec::new();
        let found = caches::read_cli_cache(&home.env, &key, &mut problems);
        all_name(&problems, &path)?;
        match timestamps::parse(&expiration, Dialect::Zoned, home.env.zone()) {
            Ok(t) => {
                let c = found.expect("a readable entry");
                prop_assert!(problems.is_empty());
                prop_assert_eq!(c.expires_at, t);
                prop_assert_eq!(c.key_id, key_id.as_deref().map(KeyId::redact));
            }
            Err(_) => {
                prop_assert!(found.is_none());
                prop_assert_eq!(problems.len(), 1);
                prop_assert!(problems[0].message.starts_with("Credentials.Expiration"), "{:?}", problems[0]);
            }
        }
    }

    /// Whatever sits at `~/.aws/sso/cache/<key>.json`: no panic, and a value or a problem
    /// naming the file, never neither (a token can come with problems: no accessToken, a bad
    /// time); nothing only when there is no file.
    #[test]
    fn sso_token_reader_never_panics_and_is_never_silent(sso in sso_profile(), file in cache_file()) {
        let home = fake_home();
        let key = caches::sso_token_cache_key(&sso);
        let path = home.place(&format!(".aws/sso/cache/{key}.json"), &file);
        let mut problems = Vec::new();
        let found = caches::read_sso_token(&home.env, &sso, &mut problems);
        all_name(&problems, &path)?;
        match (&file, &found) {
            (CacheFile::Absent, _) => prop_assert!(found.is_none() && problems.is_empty()),
            (_, Some(t)) => prop_assert_eq!(&t.path, &path),
            (_, None) => prop_assert_eq!(problems.len(), 1),
        }
    }

    /// A well-formed token with any `expiresAt` / `registrationExpiresAt`: each time is read
    /// exactly when the dialect reads it, else a problem names the file and the field; a
    /// missing accessToken is a problem; a refresh token is noticed.
    #[test]
    fn sso_tokens_with_any_times(
        sso in sso_profile(),
        expires_at in prop::option::of(expiration_string()),
        registration in prop::option::of(expiration_string()),
        access in any::<bool>(),
        refresh in any::<bool>(),
    ) {
        let home = fake_home();
        let mut entry = json!({"clientId": "c", "region": "us-east-1", "startUrl": sso.start_url});
        if let Some(v) = &expires_at {
            entry["expiresAt"] = json!(v);
        }
        if let Some(v) = &registration {
            entry["registrationExpiresAt"] = json!(v);
        }
        if access {
            entry["accessToken"] = json!("secret");
        }
        if refresh {
            entry["refreshToken"] = json!("secret");
        }
        let key = caches::sso_token_cache_key(&sso);
        let path = home.write(&format!(".aws/sso/cache/{key}.json"), entry.to_string().as_bytes());
        let mut problems = Vec::new();
        let token = caches::read_sso_token(&home.env, &sso, &mut problems)
            .expect("a well-formed entry is read");
        all_name(&problems, &path)?;
        let zone = home.env.zone();
        let read = |v: &Option<String>| v.as_deref().map(|v| timestamps::parse(v, Dialect::Zoned, zone));
        let mut want_problems = usize::from(!access);
        for (field, value, got) in [
            ("expiresAt", read(&expires_at), token.expires_at),
            ("registrationExpiresAt", read(&registration), token.registration_expires_at),
        ] {
            match value {
                None => prop_assert_eq!(got, None),
                Some(Ok(t)) => prop_assert_eq!(got, Some(t)),
                Some(Err(_)) => {
                    prop_assert_eq!(got, None);
                    want_problems += 1;
                    prop_assert!(
                        problems.iter().any(|p| p.message.starts_with(&format!("{field} "))),
                        "{field}: {problems:?}"
                    );
                }
            }
        }
        prop_assert_eq!(problems.len(), want_problems, "{:?}", problems);
        prop_assert_eq!(
            problems.iter().any(|p| p.message == "holds no accessToken"),
            !access
        );
        prop_assert_eq!(token.has_refresh_token, refresh);
    }
}

proptest! {
    #![proptest_config(config(32))]

    /// A cache file holding a long value where another type belongs (the whole file a JSON
    /// string, `Credentials` a string, a long `Expiration`, a long `expiresAt`): the problem
    /// still fits on a line of the report, the way `timestamps::parse` shortens what it quotes.
    #[test]
    fn cache_problems_stay_short_whatever_the_file_holds(
        long in "[a-zA-Z0-9 ]{300,3000}",
        shape in 0usize..4,
        role in role_hop(),
        sso in sso_profile(),
    ) {
        let home = fake_home();
        let body = match shape {
            0 => json!(long),
            1 => json!({"Credentials": long, "expiresAt": 5}),
            2 => json!({"Credentials": {"Expiration": long}}),
            _ => json!({"expiresAt": long, "accessToken": "t"}),
        }
        .to_string();
        let key = caches::assume_role_cache_key(&role);
        home.write(&format!(".aws/cli/cache/{key}.json"), body.as_bytes());
        let sso_key = caches::sso_token_cache_key(&sso);
        home.write(&format!(".aws/sso/cache/{sso_key}.json"), body.as_bytes());
        let mut problems = Vec::new();
        caches::read_cli_cache(&home.env, &key, &mut problems);
        caches::read_sso_token(&home.env, &sso, &mut problems);
        prop_assert!(!problems.is_empty());
        for p in &problems {
            prop_assert!(one_line_and_short(&p.message, 400), "{} characters: {:.120}…", p.message.chars().count(), p.message);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The profile graph (profiles::load + profiles::resolve)
// ---------------------------------------------------------------------------------------------

/// Where a profile's `source_profile` points.
#[derive(Clone, Debug)]
enum SourceRef {
    /// Another generated profile (index modulo the count), possibly itself.
    Profile(usize),
    /// A profile that does not exist.
    Missing,
}

#[derive(Clone, Debug)]
struct GenProfile {
    role_arn: bool,
    source_profile: Option<SourceRef>,
    credential_source: Option<&'static str>,
    /// (aws_access_key_id, aws_secret_access_key, aws_session_token)
    keys: (bool, bool, bool),
    keys_in_credentials_file: bool,
    web_identity_token_file: bool,
    /// 0: none; 1: legacy sso_start_url; 2: sso_session with its section; 3: without it.
    sso: u8,
    sso_account_and_role: (bool, bool),
    duration_seconds: Option<&'static str>,
    credential_process: bool,
    login_session: bool,
}

/// A profile's keys at random; `loopy` makes roles chained by `source_profile` likely (so
/// that cycles are common) and everything else rare.
fn gen_profile(loopy: bool) -> BoxedStrategy<GenProfile> {
    let (rare, some) = if loopy { (0.03, 0.15) } else { (0.1, 0.3) };
    (
        prop::bool::weighted(if loopy { 0.95 } else { 0.7 }),
        prop::option::weighted(
            if loopy { 0.95 } else { 0.8 },
            prop_oneof![
                19 => any::<usize>().prop_map(SourceRef::Profile),
                1 => Just(SourceRef::Missing),
            ],
        ),
        prop::option::weighted(
            rare,
            select(vec!["Environment", "Ec2InstanceMetadata", "EcsContainer"]),
        ),
        (
            prop::bool::weighted(some),
            prop::bool::weighted(some),
            prop::bool::weighted(some),
        ),
        any::<bool>(),
        prop::bool::weighted(rare),
        prop::bool::weighted(rare * 2.0).prop_flat_map(|sso| {
            if sso {
                (1u8..=3).boxed()
            } else {
                Just(0u8).boxed()
            }
        }),
        (any::<bool>(), any::<bool>()),
        prop::option::weighted(
            rare * 2.0,
            select(vec!["3600", " 7200 ", "-5", "abc", "1h", ""]),
        ),
        prop::bool::weighted(rare),
        prop::bool::weighted(rare / 2.0),
    )
        .prop_map(
            |(
                role_arn,
                source_profile,
                credential_source,
                keys,
                keys_in_credentials_file,
                web_identity_token_file,
                sso,
                sso_account_and_role,
                duration_seconds,
                credential_process,
                login_session,
            )| GenProfile {
                role_arn,
                source_profile,
                credential_source,
                keys,
                keys_in_credentials_file,
                web_identity_token_file,
                sso,
                sso_account_and_role,
                // An empty value is no value; "" stands for "absent" here.
                duration_seconds: duration_seconds.filter(|d| !d.is_empty()),
                credential_process,
                login_session,
            },
        )
        .boxed()
}

/// Profile names as aws-config accepts them (others are dropped with a warning).
fn profile_name() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => "[A-Za-z0-9_.@:+/%-]{1,10}",
        1 => Just("default".to_string()),
        1 => select(vec!["a", "b", "c", "job", "base"]).prop_map(str::to_string),
    ]
}

#[derive(Clone, Debug)]
struct GenConfig {
    names: Vec<String>,
    profiles: Vec<GenProfile>,
    /// Index of the selected profile, or a name that does not exist.
    selected: Result<usize, String>,
}

fn gen_config() -> BoxedStrategy<GenConfig> {
    (
        prop::collection::btree_set(profile_name(), 1..7),
        prop::bool::weighted(0.7),
    )
        .prop_flat_map(|(names, loopy): (BTreeSet<String>, bool)| {
            let names: Vec<String> = names.into_iter().collect();
            let n = names.len();
            (
                Just(names),
                prop::collection::vec(gen_profile(loopy), n),
                prop_oneof![9 => (0..n).prop_map(Ok), 1 => Just(Err("nope-missing".to_string()))],
            )
        })
        .prop_map(|(names, profiles, selected)| GenConfig {
            names,
            profiles,
            selected,
        })
        .boxed()
}

impl GenConfig {
    fn source_name(&self, i: usize) -> Option<String> {
        self.profiles[i].source_profile.as_ref().map(|s| match s {
            SourceRef::Profile(j) => self.names[j % self.names.len()].clone(),
            SourceRef::Missing => "no-such-profile".to_string(),
        })
    }

    fn selected_name(&self) -> String {
        match &self.selected {
            Ok(i) => self.names[*i].clone(),
            Err(name) => name.clone(),
        }
    }

    /// `(config, credentials)` file contents.
    fn render(&self) -> (String, String) {
        let (mut config, mut credentials) = (String::new(), String::new());
        for (i, (name, p)) in self.names.iter().zip(&self.profiles).enumerate() {
            let mut c = format!("[profile {name}]\nregion = us-east-1\n");
            if p.role_arn {
                c += &format!("role_arn = arn:aws:iam::123456789012:role/r{i}\n");
            }
            if let Some(src) = self.source_name(i) {
                c += &format!("source_profile = {src}\n");
            }
            if let Some(cs) = p.credential_source {
                c += &format!("credential_source = {cs}\n");
            }
            let mut k = String::new();
            if p.keys.0 {
                k += &format!("aws_access_key_id = AKIAEXAMPLE{i:09}\n");
            }
            if p.keys.1 {
                k += "aws_secret_access_key = secret\n";
            }
            if p.keys.2 {
                k += "aws_session_token = token\n";
            }
            if p.web_identity_token_file {
                c += "web_identity_token_file = /tmp/token\n";
            }
            match p.sso {
                1 => {
                    c += "sso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n"
                }
                2 | 3 => c += &format!("sso_session = s{i}\n"),
                _ => {}
            }
            if p.sso != 0 {
                if p.sso_account_and_role.0 {
                    c += "sso_account_id = 123456789012\n";
                }
                if p.sso_account_and_role.1 {
                    c += "sso_role_name = Dev\n";
                }
            }
            if let Some(d) = p.duration_seconds {
                c += &format!("duration_seconds = {d}\n");
            }
            if p.credential_process {
                c += "credential_process = /bin/false\n";
            }
            if p.login_session {
                c += "login_session = arn:aws:iam::123456789012:user/me\n";
            }
            if p.keys_in_credentials_file {
                if !k.is_empty() {
                    credentials += &format!("[{name}]\n{k}");
                }
            } else {
                c += &k;
            }
            if p.sso == 2 {
                c += &format!(
                    "[sso-session s{i}]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n"
                );
            }
            config += &c;
        }
        (config, credentials)
    }

    /// Walks the `source_profile` edges the way aws-config's `resolve_chain` does (and, where
    /// expiry-doctor reads more, as `resolve` does: an unreadable `duration_seconds` stops the
    /// walk first). `Some(path)` when the walk comes back to a profile it has visited.
    fn loop_path(&self) -> Option<Vec<String>> {
        let index: HashMap<&str, usize> = self
            .names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        let mut name = self.selected_name();
        let mut visited: Vec<String> = Vec::new();
        loop {
            let &i = index.get(name.as_str())?;
            if visited.contains(&name) {
                visited.push(name);
                return Some(visited);
            }
            visited.push(name.clone());
            let p = &self.profiles[i];
            // A duration_seconds that is not a number is ignored, as the SDKs ignore it: it
            // stops nothing.
            // After the first profile, static keys win over everything.
            if visited.len() > 1 && p.keys.0 && p.keys.1 {
                return None;
            }
            let is_role = p.role_arn && !p.web_identity_token_file;
            if !is_role || p.credential_source.is_some() {
                return None;
            }
            let next = self.source_name(i)?;
            if next == name {
                return None; // a self-reference is the profile's own base, not a loop
            }
            name = next;
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

fn load_and_resolve(
    home: &FakeHome,
    profile: Option<&str>,
) -> (profiles::LoadedProfiles, Option<Outcome>, Vec<Problem>) {
    let mut problems = Vec::new();
    let loaded = runtime().block_on(profiles::load(&home.env, profile, &mut problems));
    let outcome = loaded.set.as_ref().map(profiles::resolve);
    (loaded, outcome, problems)
}

/// Writes the generated files into a fresh HOME, loads them (selecting the generated
/// profile) and resolves: never a problem (the files are well-formed), quick. Returns the
/// outcome and the two files' text for failure messages.
fn resolve_generated(cfg: &GenConfig) -> Result<(Outcome, String, String), TestCaseError> {
    let home = fake_home();
    let (config, credentials) = cfg.render();
    home.write(".aws/config", config.as_bytes());
    if !credentials.is_empty() {
        home.write(".aws/credentials", credentials.as_bytes());
    }
    let started = Instant::now();
    let (loaded, outcome, problems) = load_and_resolve(&home, Some(&cfg.selected_name()));
    prop_assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
    prop_assert!(problems.is_empty(), "{problems:?}\n{config}\n{credentials}");
    prop_assert!(loaded.set.is_some());
    Ok((outcome.expect("a parsed set"), config, credentials))
}

/// Lines that look like an AWS config file, broken in the ways hand-edited ones are.
fn config_line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "\\[profile [a-z0-9]{1,4}\\]",
        1 => "\\[[a-z0-9 ]{0,8}\\]?",
        1 => "\\[sso-session [a-z]{1,4}\\]",
        6 => "(role_arn|source_profile|credential_source|aws_access_key_id|aws_secret_access_key|sso_session|sso_start_url|sso_region|duration_seconds|s3) ?= ?[a-z0-9 #;=]{0,10}",
        2 => "[ \t]+[a-z_]{1,8} ?= ?[a-z0-9]{0,5}",
        1 => "[#;].{0,10}",
        1 => "[ \t]*",
        1 => any::<String>(),
    ]
}

proptest! {
    #![proptest_config(config(96))]

    /// Random profile graphs (names, `source_profile` edges including cycles, self-references
    /// and missing targets, roles, named sources, static keys in either file, SSO, web
    /// identity, credential_process, good and bad duration_seconds): loading and resolving
    /// never panics and returns quickly, and a `source_profile` cycle reachable from the
    /// selected profile (not broken first by static keys after the first profile) is
    /// `Invalid` with a message naming the loop, from the selected profile; nothing else is.
    #[test]
    fn profile_graphs_resolve_and_report_loops(cfg in gen_config()) {
        let (outcome, config, credentials) = resolve_generated(&cfg)?;
        let selected = cfg.selected_name();
        let is_loop = |o: &Outcome| matches!(o, Outcome::Invalid { message, .. } if message.starts_with("source_profile loop:"));
        match cfg.loop_path() {
            Some(path) => prop_assert_eq!(
                outcome,
                Outcome::Invalid {
                    profile: selected.clone(),
                    message: format!("source_profile loop: {}", path.join(" → ")),
                },
                "\n{}\n{}", config, credentials
            ),
            None => prop_assert!(!is_loop(&outcome), "{outcome:?}\n{config}\n{credentials}"),
        }
    }

    /// The same graphs: an `Invalid` outcome always says why (its message is what the
    /// credential-source finding and the repair-config fix show after the profile name).
    #[test]
    fn invalid_profiles_always_say_why(cfg in gen_config()) {
        let (outcome, config, credentials) = resolve_generated(&cfg)?;
        if let Outcome::Invalid { profile, message } = &outcome {
            prop_assert!(!profile.is_empty() && !message.trim().is_empty(), "{outcome:?}\n{config}\n{credentials}");
        }
    }

    /// Any bytes as `~/.aws/config` (and config-like text with broken lines): no panic, quick,
    /// and either a parsed set or a ConfigFile problem naming the file, never neither.
    #[test]
    fn any_config_file_loads_or_is_a_named_problem(
        content in prop_oneof![
            1 => prop::collection::vec(any::<u8>(), 0..2048),
            3 => ("\\[profile [a-z]{1,4}\\]", prop::collection::vec(config_line(), 0..16))
                .prop_map(|(first, l)| format!("{first}\n{}", l.join("\n")).into_bytes()),
        ],
        profile in prop::option::of(profile_name()),
    ) {
        let home = fake_home();
        let path = home.write(".aws/config", &content);
        let started = Instant::now();
        let (loaded, _outcome, problems) = load_and_resolve(&home, None);
        prop_assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
        prop_assert_eq!(loaded.set.is_some(), problems.is_empty(), "{:?}", problems);
        for p in &problems {
            prop_assert_eq!(p.kind, ProblemKind::ConfigFile, "{:?}", p);
            prop_assert_eq!(&p.subject, &path.display().to_string(), "{:?}", p);
        }
        // Selecting a profile by name resolves too (it may be missing, invalid, anything).
        let (_, _outcome, _) = load_and_resolve(&home, profile.as_deref());
        prop_assert!(started.elapsed() < BOUND * 2, "took {:?}", started.elapsed());
    }
}

// ---------------------------------------------------------------------------------------------
// triage: times on log lines
// ---------------------------------------------------------------------------------------------

/// Text before a timestamp that cannot start one (no digits, no capitals for month names),
/// ending in a separator so the stamp does not sit inside a word.
fn lead() -> impl Strategy<Value = String> {
    "([a-z \\[\\]<>|=_()-]{0,30}[ \\[(<|=])?"
}

/// Anything after a timestamp, behind a separator that cannot extend the stamp.
fn trail() -> impl Strategy<Value = Vec<u8>> {
    (
        select(vec![" ", "\t", "] ", " - ", " |"]),
        prop::collection::vec(any::<u8>(), 0..200),
    )
        .prop_map(|(sep, rest)| [sep.as_bytes(), &rest].concat())
}

/// A wall-clock time in a four-digit year (1000 to 9999).
fn wall_clock(years: std::ops::RangeInclusive<i32>) -> impl Strategy<Value = NaiveDateTime> {
    (
        years,
        1u32..=12,
        1u32..=31,
        0u32..24,
        0u32..60,
        0u32..60,
        0u32..1_000_000_000,
    )
        .prop_filter_map("a real date", |(y, mo, d, h, mi, s, n)| {
            NaiveDate::from_ymd_opt(y, mo, d)?.and_hms_nano_opt(h, mi, s, n)
        })
}

/// A fraction as written: separator and 1 to 9 digits, or none.
#[derive(Clone, Copy, Debug)]
struct Fraction(Option<(char, usize)>);

fn fraction(seps: &'static [char]) -> impl Strategy<Value = Fraction> {
    prop::option::of((select(seps), 1usize..=9)).prop_map(Fraction)
}

impl Fraction {
    /// The written fraction of `t` and `t` to the precision written.
    fn apply(self, t: NaiveDateTime) -> (String, NaiveDateTime) {
        match self.0 {
            None => (String::new(), t.trunc_subsecs(0)),
            Some((sep, digits)) => {
                let all = format!("{:09}", t.nanosecond());
                (
                    format!("{sep}{}", &all[..digits]),
                    t.trunc_subsecs(digits as u16),
                )
            }
        }
    }
}

/// A zone as written after an ISO time, and its offset in seconds.
#[derive(Clone, Copy, Debug)]
enum LogZone {
    None,
    Z(char),
    Offset {
        plus: bool,
        hh: u32,
        mm: u32,
        colon: bool,
    },
}

fn log_zone() -> impl Strategy<Value = LogZone> {
    prop_oneof![
        Just(LogZone::None),
        select(vec!['Z', 'z']).prop_map(LogZone::Z),
        (any::<bool>(), 0u32..24, 0u32..60, any::<bool>()).prop_map(|(plus, hh, mm, colon)| {
            LogZone::Offset {
                plus,
                hh,
                mm,
                colon,
            }
        }),
    ]
}

impl LogZone {
    fn written(self) -> String {
        match self {
            LogZone::None => String::new(),
            LogZone::Z(c) => c.to_string(),
            LogZone::Offset {
                plus,
                hh,
                mm,
                colon,
            } => format!(
                "{}{hh:02}{}{mm:02}",
                if plus { '+' } else { '-' },
                if colon { ":" } else { "" }
            ),
        }
    }

    fn seconds(self) -> i64 {
        match self {
            LogZone::Offset { plus, hh, mm, .. } => {
                let s = i64::from(hh * 3600 + mm * 60);
                if plus { s } else { -s }
            }
            _ => 0,
        }
    }
}

/// The line, the instant it holds, and a year hint.
fn assert_line_time(line: &[u8], year: i32, want: DateTime<Utc>) -> Result<(), TestCaseError> {
    let shown = String::from_utf8_lossy(line);
    prop_assert_eq!(logtime::parse(line, year), Some(want), "{:?}", shown);
    prop_assert!(logtime::looks_timestamped(line), "{:?}", shown);
    Ok(())
}

/// A JSON log field holding a time.
#[derive(Clone, Debug)]
enum JsonTime {
    /// Epoch seconds with 0 to 9 fraction digits.
    Seconds(i64, usize, u32),
    /// Epoch milliseconds.
    Millis(i64),
    /// An ISO string.
    Iso(NaiveDateTime, char, Fraction, LogZone),
}

fn json_time() -> BoxedStrategy<JsonTime> {
    prop_oneof![
        // The one epoch rule: ten digits are seconds (with a fraction or not), thirteen are
        // milliseconds.
        (
            1_000_000_000i64..=9_999_999_999,
            0usize..=9,
            0u32..1_000_000_000
        )
            .prop_map(|(s, d, n)| JsonTime::Seconds(s, d, n)),
        (1_000_000_000_000i64..=9_999_999_999_999).prop_map(JsonTime::Millis),
        (
            wall_clock(1000..=9999),
            select(vec!['T', ' ']),
            fraction(&['.', ',']),
            log_zone()
        )
            .prop_map(|(t, sep, f, z)| JsonTime::Iso(t, sep, f, z)),
    ]
    .boxed()
}

impl JsonTime {
    fn written_and_instant(&self) -> (String, DateTime<Utc>) {
        match *self {
            JsonTime::Seconds(s, 0, _) => (s.to_string(), ts(s)),
            JsonTime::Seconds(s, digits, n) => {
                let all = format!("{n:09}");
                let kept: u32 = all[..digits].parse().expect("digits");
                let nanos = kept * 10u32.pow(9 - digits as u32);
                (
                    format!("{s}.{}", &all[..digits]),
                    DateTime::from_timestamp(s, nanos).expect("in range"),
                )
            }
            JsonTime::Millis(ms) => (
                ms.to_string(),
                DateTime::from_timestamp_millis(ms).expect("in range"),
            ),
            JsonTime::Iso(t, sep, f, z) => {
                let (frac, t) = f.apply(t);
                let s = format!(
                    "\"{}{sep}{}{frac}{}\"",
                    t.format("%Y-%m-%d"),
                    t.format("%H:%M:%S"),
                    z.written()
                );
                (s, t.and_utc() - TimeDelta::seconds(z.seconds()))
            }
        }
    }
}

/// Other JSON fields: keys that are not time keys, values without quotes.
fn json_fields() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        (
            "x_[a-z]{0,6}",
            prop_oneof![
                "\"[a-zA-Z0-9 .:_-]{0,20}\"",
                "[0-9]{1,12}",
                Just("null".to_string())
            ],
        )
            .prop_map(|(k, v)| format!("\"{k}\":{v}")),
        0..4,
    )
}

proptest! {
    #![proptest_config(config(128))]

    /// Any bytes (invalid UTF-8, long lines): parsing, the cheap pre-test and classifying
    /// never panic and stay quick; a line that has a time always passes the pre-test (scan
    /// only parses lines that do).
    #[test]
    fn log_lines_never_panic(
        line in prop_oneof![
            4 => prop::collection::vec(any::<u8>(), 0..512),
            2 => "[0-9 :/.,TZ+{}\"@a-z-]{0,120}".prop_map(String::into_bytes),
            1 => (prop::collection::vec(any::<u8>(), 1..64), 1usize..3000)
                .prop_map(|(chunk, n)| chunk.repeat(n)),
        ],
        year in -300_000i32..300_000,
    ) {
        let classifier = Classifier::new();
        let started = Instant::now();
        let parsed = logtime::parse(&line, year);
        let stamped = logtime::looks_timestamped(&line);
        let _ = classifier.classify(&line);
        prop_assert!(started.elapsed() < BOUND, "{} bytes took {:?}", line.len(), started.elapsed());
        if parsed.is_some() {
            prop_assert!(stamped, "{:?}", String::from_utf8_lossy(&line));
        }
    }

    /// ISO 8601 with `T`, `t` or a space, `.` or `,` fractions of any length, and `Z`, an
    /// offset (with or without a colon) or no zone (read as UTC), anywhere in the first part
    /// of a line.
    #[test]
    fn iso_times_on_log_lines(
        lead in lead(),
        t in wall_clock(1000..=9999),
        sep in select(vec!['T', 't', ' ']),
        frac in fraction(&['.', ',']),
        zone in log_zone(),
        trail in trail(),
        year in 1970i32..=9999,
    ) {
        let (written_frac, t) = frac.apply(t);
        let stamp = format!("{}{sep}{}{written_frac}{}", t.format("%Y-%m-%d"), t.format("%H:%M:%S"), zone.written());
        let line = [lead.as_bytes(), stamp.as_bytes(), &trail].concat();
        assert_line_time(&line, year, t.and_utc() - TimeDelta::seconds(zone.seconds()))?;
    }

    /// Python logging: `2024-03-01 12:00:01,123 - logger - LEVEL - message` and Airflow's
    /// `[2024-03-01 12:00:01,123] {file.py:12} LEVEL - message`.
    #[test]
    fn python_logging_times(
        t in wall_clock(1970..=9999),
        airflow in any::<bool>(),
        logger in "[a-z.]{1,12}",
        level in select(vec!["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]),
        msg in "[ -~]{0,80}",
    ) {
        let t = t.trunc_subsecs(3);
        let stamp = format!("{},{:03}", t.format("%Y-%m-%d %H:%M:%S"), t.nanosecond() / 1_000_000);
        let line = if airflow {
            format!("[{stamp}] {{{logger}.py:1851}} {level} - {msg}")
        } else {
            format!("{stamp} - {logger} - {level} - {msg}")
        };
        assert_line_time(line.as_bytes(), 2000, t.and_utc())?;
    }

    /// log4j/Spark `yy/MM/dd HH:mm:ss` (20yy) and Go `yyyy/MM/dd HH:mm:ss`, with an optional
    /// fraction.
    #[test]
    fn slashed_times_on_log_lines(
        lead in lead(),
        (two_digit, t) in prop_oneof![
            wall_clock(2000..=2099).prop_map(|t| (true, t)),
            wall_clock(1000..=9999).prop_map(|t| (false, t)),
        ],
        frac in fraction(&['.']),
        trail in trail(),
    ) {
        let (written_frac, t) = frac.apply(t);
        let date = if two_digit {
            t.format("%y/%m/%d").to_string()
        } else {
            t.format("%Y/%m/%d").to_string()
        };
        let stamp = format!("{date} {}{written_frac}", t.format("%H:%M:%S"));
        let line = [lead.as_bytes(), stamp.as_bytes(), &trail].concat();
        assert_line_time(&line, 1999, t.and_utc())?;
    }

    /// syslog's `Mon dd HH:MM:SS` (day space- or zero-padded), in the year given as the hint.
    #[test]
    fn syslog_times_on_log_lines(
        lead in lead(),
        t in wall_clock(1970..=9999),
        zero_pad in any::<bool>(),
        trail in trail(),
    ) {
        let t = t.trunc_subsecs(0);
        let day = if t.day() < 10 && !zero_pad {
            format!(" {}", t.day())
        } else {
            format!("{:02}", t.day())
        };
        let stamp = format!("{} {day} {}", t.format("%b"), t.format("%H:%M:%S"));
        let line = [lead.as_bytes(), stamp.as_bytes(), &trail].concat();
        assert_line_time(&line, t.year(), t.and_utc())?;
    }

    /// JSON lines: `"ts"`/`"time"`/`"timestamp"`/`"@timestamp"` holding epoch seconds with a
    /// fraction, epoch milliseconds, or an ISO string, among other fields.
    #[test]
    fn json_times_on_log_lines(
        key in select(vec!["@timestamp", "timestamp", "time", "ts"]),
        value in json_time(),
        before in json_fields(),
        after in json_fields(),
        space in select(vec!["", " "]),
        indent in select(vec!["", " ", "\t"]),
    ) {
        let (written, want) = value.written_and_instant();
        let mut fields = before;
        fields.push(format!("\"{key}\":{space}{written}"));
        fields.extend(after);
        let line = format!("{indent}{{{}}}", fields.join(","));
        assert_line_time(line.as_bytes(), 2000, want)?;
    }
}

// ---------------------------------------------------------------------------------------------
// triage: classes
// ---------------------------------------------------------------------------------------------

struct Pat {
    text: &'static str,
    class: Class,
    rank: u8,
    code: &'static str,
    how: Match,
}

/// Every literal the classifier matches: the shared code table and the class templates.
fn patterns() -> Vec<Pat> {
    classes::fragments()
        .into_iter()
        .map(|f| Pat {
            text: f.text,
            class: f.class,
            rank: f.class.rank(),
            code: f.code,
            how: f.how,
        })
        .collect()
}

/// The line as the classifier reads it: every run of whitespace one space.
fn collapsed(line: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for &b in line {
        let space = matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c);
        if space && out.last() == Some(&b' ') {
            continue;
        }
        out.push(if space { b' ' } else { b });
    }
    out
}

/// Whether `p` occurs in the (collapsed) line by the documented semantics: a template
/// anywhere, ASCII case-insensitively; a code in its exact case, not glued to a letter or digit
/// on either side but for a following `Exception`.
fn occurs(line: &[u8], p: &Pat) -> bool {
    let n = p.text.len();
    if n == 0 || line.len() < n {
        return false;
    }
    let word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
    (0..=line.len() - n).any(|i| {
        let w = &line[i..i + n];
        match p.how {
            Match::Text => w.eq_ignore_ascii_case(p.text.as_bytes()),
            Match::Code => {
                if w != p.text.as_bytes() {
                    return false;
                }
                let starts_word = p.text.as_bytes()[0].is_ascii_alphanumeric();
                let ends_word = p.text.as_bytes()[n - 1].is_ascii_alphanumeric();
                if starts_word && i > 0 && word(line.get(i - 1)) {
                    return false;
                }
                let rest = &line[i + n..];
                !ends_word
                    || !word(rest.first())
                    || (rest.starts_with(b"Exception") && !word(rest.get(9)))
            }
        }
    })
}

/// The classifier's contract, naively: the best-ranked class among every fragment on the line,
/// named by the code of its longest fragment (any of them, when two are equally long).
fn naive_classify(line: &[u8]) -> Option<(Class, Vec<&'static str>)> {
    let line = collapsed(line);
    let pats = patterns();
    let present: Vec<&Pat> = pats.iter().filter(|p| occurs(&line, p)).collect();
    let rank = present.iter().map(|p| p.rank).min()?;
    let best: Vec<&&Pat> = present.iter().filter(|p| p.rank == rank).collect();
    let longest = best.iter().map(|p| p.text.len()).max()?;
    let codes = best
        .iter()
        .filter(|p| p.text.len() == longest)
        .map(|p| p.code)
        .collect();
    Some((best[0].class, codes))
}

/// Text made of pieces of the class fragments (so that inserting one can complete another
/// across the boundary) and random printable ASCII.
fn near_miss_text() -> BoxedStrategy<String> {
    let mut pieces: BTreeSet<String> = BTreeSet::new();
    for p in patterns() {
        for w in p.text.split(' ') {
            pieces.insert(w.to_string());
        }
        let mid = p.text.len() / 2;
        pieces.insert(p.text[..mid].to_string());
        pieces.insert(p.text[mid..].to_string());
    }
    let pieces: Vec<String> = pieces.into_iter().collect();
    prop::collection::vec(
        prop_oneof![select(pieces), "[ -~]{0,8}", Just(" ".to_string())],
        0..12,
    )
    .prop_map(|v| v.concat())
    .boxed()
}

proptest! {
    #![proptest_config(config(128))]

    /// On any line (pieces of fragments, random ASCII, invalid UTF-8), the classifier answers
    /// exactly what the naive reading of the class table says.
    #[test]
    fn classify_agrees_with_the_class_table(
        parts in prop::collection::vec(
            prop_oneof![
                near_miss_text().prop_map(String::into_bytes),
                select(patterns().iter().map(|p| p.text).collect::<Vec<_>>()).prop_map(|s| s.as_bytes().to_vec()),
                prop::collection::vec(any::<u8>(), 0..16),
            ],
            0..5,
        ),
    ) {
        let line = parts.concat();
        let got = Classifier::new().classify(&line);
        match naive_classify(&line) {
            None => prop_assert_eq!(got, None, "{:?}", String::from_utf8_lossy(&line)),
            Some((class, codes)) => {
                let hit = got.expect("a hit");
                prop_assert_eq!(hit.class, class, "{:?}", String::from_utf8_lossy(&line));
                prop_assert!(codes.contains(&hit.code), "{} not in {:?}: {:?}", hit.code, codes, String::from_utf8_lossy(&line));
            }
        }
    }

    /// One class fragment inserted into text that holds none: the line is classified, as
    /// that class or a better-ranked one, because the insertion can complete a better
    /// fragment across its edges (`Request` + `ExpiredToken` holds `RequestExpired`); exactly
    /// that class when the line holds no better-ranked fragment. Half the cases are built to
    /// straddle like that.
    #[test]
    fn an_inserted_fragment_is_found_at_its_rank_or_better((before, which, after) in insertion()) {
        let pats = patterns();
        let p = &pats[which];
        // A code is a word: it is inserted as one (a template anywhere).
        let sep = if p.how == Match::Code { " " } else { "" };
        let line = format!("{before}{sep}{}{sep}{after}", p.text);
        let hit = Classifier::new().classify(line.as_bytes());
        let hit = hit.expect("a line with a fragment is classified");
        let rank_of = |c: Class| c.rank();
        prop_assert!(rank_of(hit.class) <= p.rank, "{:?} for {:?} in {:?}", hit, p.text, line);
        let better = naive_classify(line.as_bytes()).is_some_and(|(c, _)| c.rank() < p.rank);
        if !better {
            prop_assert_eq!(hit.class, p.class, "{:?}", line);
        }
    }
}

/// Every way a better-ranked fragment `q` can straddle the edge of an inserted fragment `p`:
/// `(text before p, p's index, text after p)` with `q` split across them.
fn straddles() -> Vec<(String, usize, String)> {
    let pats = patterns();
    let mut out = Vec::new();
    for q in &pats {
        for (i, p) in pats.iter().enumerate() {
            // Templates straddle templates; a code is inserted as a word (spaced).
            if q.rank >= p.rank || q.how != Match::Text || p.how != Match::Text {
                continue;
            }
            for k in 1..q.text.len() {
                let (head, tail) = q.text.split_at(k);
                if p.text.starts_with(tail) {
                    out.push((head.to_string(), i, String::new()));
                }
                if p.text.ends_with(head) {
                    out.push((String::new(), i, tail.to_string()));
                }
            }
        }
    }
    out
}

/// Text around an inserted fragment (by index): random pieces with the fragment anywhere, or
/// built so a better fragment straddles its edge; the text alone never holds a fragment.
fn insertion() -> BoxedStrategy<(String, usize, String)> {
    let n = patterns().len();
    let straddles = straddles();
    assert!(
        !straddles.is_empty(),
        "the class table has fragments that can straddle"
    );
    prop_oneof![
        (
            near_miss_text(),
            0..n,
            near_miss_text(),
            prop::option::of(any::<Index>())
        )
            .prop_map(|(before, i, after, anywhere)| {
                let text = format!("{before}{after}");
                let at = anywhere.map_or(before.len(), |x| x.index(text.len() + 1));
                (text[..at].to_string(), i, text[at..].to_string())
            }),
        (near_miss_text(), select(straddles), near_miss_text()).prop_map(
            |(filler_before, (head, i, tail), filler_after)| {
                (
                    format!("{filler_before}{head}"),
                    i,
                    format!("{tail}{filler_after}"),
                )
            }
        ),
    ]
    .prop_filter("the text alone holds no fragment", |(before, _, after)| {
        naive_classify(format!("{before}{after}").as_bytes()).is_none()
    })
    .boxed()
}

// ---------------------------------------------------------------------------------------------
// triage: the streaming line reader
// ---------------------------------------------------------------------------------------------

/// What `for_each` should hand out for `data` with no line over the cap: the lines between line
/// ends (`\n`, `\r\n`, or a lone `\r`, as Python's universal newlines), without them; no
/// line after a final line end.
fn expected_lines(data: &[u8]) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    let mut line = Vec::new();
    let mut i = 0;
    while i < data.len() {
        match data[i] {
            b'\n' => lines.push(std::mem::take(&mut line)),
            b'\r' => {
                lines.push(std::mem::take(&mut line));
                if data.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            b => line.push(b),
        }
        i += 1;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn read_lines(reader: impl std::io::BufRead) -> (Vec<(Vec<u8>, bool)>, u64) {
    let mut out = Vec::new();
    let summary = lines::for_each(reader, None, |l, t| out.push((l.to_vec(), t)));
    assert!(matches!(summary.end, lines::End::Complete), "{summary:?}");
    (out, summary.bytes)
}

fn opened(data: Vec<u8>) -> Box<dyn std::io::BufRead> {
    lines::open(Box::new(Cursor::new(data)))
        .expect("opens")
        .reader
}

fn gzipped(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(data).expect("gzip");
    gz.finish().expect("gzip")
}

/// Log content biased towards line ends, `\r`s and runs, read as bytes: never starting with
/// the gzip magic or a byte-order mark.
fn log_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            4 => any::<u8>(),
            2 => Just(b'\n'),
            2 => Just(b'\r'),
            1 => Just(b'a'),
        ],
        0..4096,
    )
    .prop_map(|mut v| {
        if v.starts_with(&[0x1f, 0x8b]) || text::recognise(&v) != (Encoding::Utf8, 0) {
            v[0] = b'x';
        }
        v
    })
    .prop_filter("read as bytes", |v| {
        text::recognise(v) == (Encoding::Utf8, 0)
    })
}

proptest! {
    #![proptest_config(config(128))]

    /// Plain, gzipped, or through a tiny buffer (lines split across reads): the lines are the
    /// input split at every line end, `\n`, `\r\n` or a lone `\r`; none is marked truncated;
    /// every byte is counted.
    #[test]
    fn lines_are_the_input_split_at_any_line_end(data in log_bytes(), cap in 1usize..64) {
        let want = expected_lines(&data);
        for (how, (got, total)) in [
            ("plain", read_lines(opened(data.to_vec()))),
            (
                "small buffer",
                read_lines(BufReader::with_capacity(cap, Cursor::new(data.to_vec()))),
            ),
        ] {
            prop_assert_eq!(total, data.len() as u64, "{}", how);
            prop_assert!(got.iter().all(|(_, t)| !t), "{}", how);
            let got: Vec<Vec<u8>> = got.into_iter().map(|(l, _)| l).collect();
            prop_assert_eq!(&got, &want, "{}", how);
        }
        let (got, _) = read_lines(opened(gzipped(&data)));
        let got: Vec<Vec<u8>> = got.into_iter().map(|(l, _)| l).collect();
        prop_assert_eq!(&got, &want, "gzip");
    }

    /// UTF-16, little or big endian, with a byte-order mark (any text) or without one (ASCII
    /// text: the NULs tell), plain or gzipped, through any buffer size (code units and
    /// surrogate pairs split across reads): the lines are those of the same text in UTF-8.
    #[test]
    fn utf16_logs_read_as_their_utf8(
        text in utf16_text(),
        big_endian in any::<bool>(),
        bom in any::<bool>(),
        gzip in any::<bool>(),
        cap in 1usize..64,
    ) {
        let text: String = if bom {
            text
        } else {
            text.chars().map(|c| if c.is_ascii() && c != '\0' { c } else { '?' }).collect()
        };
        prop_assume!(bom || text.len() >= 4);
        let units = bom.then_some(0xFEFF_u16).into_iter().chain(text.encode_utf16());
        let mut data: Vec<u8> = units
            .flat_map(|u| if big_endian { u.to_be_bytes() } else { u.to_le_bytes() })
            .collect();
        if gzip {
            data = gzipped(&data);
        }
        let log = lines::open(Box::new(BufReader::with_capacity(cap, Cursor::new(data))))
            .expect("opens");
        let want = if big_endian { Encoding::Utf16Be } else { Encoding::Utf16Le };
        prop_assert_eq!(log.encoding, want);
        let (got, total) = read_lines(log.reader);
        prop_assert_eq!(total, text.len() as u64);
        let got: Vec<Vec<u8>> = got.into_iter().map(|(l, _)| l).collect();
        prop_assert_eq!(got, expected_lines(text.as_bytes()));
    }
}

/// Text for the UTF-16 property: any characters, weighted towards line ends, ASCII and
/// characters outside the BMP (surrogate pairs in UTF-16).
fn utf16_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => any::<char>(),
            2 => Just('\n'),
            2 => Just('\r'),
            4 => prop::char::range('a', 'z'),
            1 => prop::char::range('\u{1F300}', '\u{1F64F}'),
        ],
        0..1024,
    )
    .prop_map(String::from_iter)
}

proptest! {
    #![proptest_config(config(24))]

    /// Lines around the cap, ended by `\n`, `\r\n`, `\r` or the end of input, through the
    /// default and tiny buffers: a line is handed out whole up to `MAX_LINE` bytes (not
    /// counting its line end) and cut to `MAX_LINE` and marked truncated beyond; the next line
    /// is intact.
    #[test]
    fn long_lines_are_cut_at_the_cap(
        len in line_length(),
        end in select(vec!["\n", "\r\n", "\r", ""]),
        cap in select(vec![7usize, 4096, 300_000]),
        fill in any::<u8>().prop_filter("not a line end", |b| *b != b'\n' && *b != b'\r'),
    ) {
        cap_lines_match(len, end, cap, fill)?;
    }
}

fn line_length() -> impl Strategy<Value = usize> {
    prop_oneof![
        3 => Just(lines::MAX_LINE),
        3 => lines::MAX_LINE - 2..=lines::MAX_LINE + 2,
        1 => Just(3 * lines::MAX_LINE + 7),
        1 => 1usize..100,
    ]
}

/// One line of `len` bytes of `fill`, its end, then `next`: what `for_each` hands out.
fn cap_lines_match(len: usize, end: &str, cap: usize, fill: u8) -> Result<(), TestCaseError> {
    let mut data = vec![fill; len];
    data.extend_from_slice(end.as_bytes());
    if !end.is_empty() {
        data.extend_from_slice(b"next\n");
    }
    if data.starts_with(&[0x1f, 0x8b]) {
        data[0] = b'x';
    }
    let mut want = vec![(
        data[..len.min(lines::MAX_LINE)].to_vec(),
        len > lines::MAX_LINE,
    )];
    if !end.is_empty() {
        want.push((b"next".to_vec(), false));
    }
    // Lengths and flags first, so a failure prints something readable.
    let summary = |v: &[(Vec<u8>, bool)]| v.iter().map(|(l, t)| (l.len(), *t)).collect::<Vec<_>>();
    for (how, (got, _)) in [
        (
            "small buffer",
            read_lines(BufReader::with_capacity(cap, Cursor::new(data.clone()))),
        ),
        ("open", read_lines(opened(data))),
    ] {
        prop_assert_eq!(
            summary(&got),
            summary(&want),
            "len {} end {:?} cap {} {}",
            len,
            end,
            cap,
            how
        );
        prop_assert!(
            got == want,
            "len {} end {:?} cap {} {}: content differs",
            len,
            end,
            cap,
            how
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// --facts: replay::parse
// ---------------------------------------------------------------------------------------------

fn opt<S: Strategy>(s: S) -> impl Strategy<Value = Option<S::Value>> {
    prop::option::of(s)
}

/// Seconds fields: realistic, or (extreme) any i64 at all.
fn secs(extreme: bool) -> BoxedStrategy<i64> {
    if extreme {
        prop_oneof![
            -100i64..=100_000,
            any::<i64>(),
            select(vec![i64::MIN, i64::MAX, 0, -1])
        ]
        .boxed()
    } else {
        prop_oneof![0i64..=2 * 86_400, -3600i64..0, 43_200i64..=366 * 86_400].boxed()
    }
}

fn offset_secs(extreme: bool) -> BoxedStrategy<f64> {
    if extreme {
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .boxed()
    } else {
        prop_oneof![-4000.0f64..4000.0, -1.0f64..1.0].boxed()
    }
}

/// Whole-second times near `now` (where the checks' answers change) or anywhere in 1970-9999.
fn time_near(now: DateTime<Utc>) -> BoxedStrategy<DateTime<Utc>> {
    let n = now.timestamp();
    prop_oneof![
        3 => (-3 * 86_400i64..=3 * 86_400).prop_map(move |d| ts((n + d).clamp(0, MAX_SECS))),
        1 => (0..=MAX_SECS).prop_map(ts),
    ]
    .boxed()
}

fn key_id() -> impl Strategy<Value = KeyId> {
    prop_oneof![
        "A(S|K)IA[A-Z0-9]{16}",
        "\\PC{0,24}",
        "[A-Z0-9]{0,11}",
        "[A-Z]{4}…[A-Z0-9]{4}",
    ]
    .prop_map(|raw| KeyId::redact(&raw))
}

fn source() -> impl Strategy<Value = Source> {
    select(vec![
        Source::None,
        Source::Environment,
        Source::SharedCredentials,
        Source::AssumeRole,
        Source::Sso,
        Source::CredentialProcess,
        Source::WebIdentity,
        Source::Container,
        Source::InstanceMetadata,
        Source::Login,
    ])
}

fn expiry_source() -> impl Strategy<Value = ExpirySource> {
    select(vec![
        ExpirySource::AwsCredentialExpiration,
        ExpirySource::AwsSessionExpiration,
        ExpirySource::AwsCredentialsExpiration,
        ExpirySource::AwsSsoSessionExpiration,
        ExpirySource::AwsumeExpiration,
        ExpirySource::AwsOktaSessionExpiration,
        ExpirySource::XSecurityTokenExpires,
        ExpirySource::CliCache,
        ExpirySource::SsoCache,
        ExpirySource::CredentialProcess,
        ExpirySource::Provider,
    ])
}

/// Where credentials come from, with arbitrary names in every field that came from outside.
fn origin() -> BoxedStrategy<Origin> {
    let leaf = prop_oneof![
        any::<bool>().prop_map(|session_token| Origin::ExportedKeys { session_token }),
        Just(Origin::ExportedWebIdentity),
        text().prop_map(|variable| Origin::ContainerEndpoint { variable }),
        text().prop_map(|profile| Origin::ProfileKeys { profile }),
        (
            text(),
            select(vec![
                NamedSource::Environment,
                NamedSource::Ec2InstanceMetadata,
                NamedSource::EcsContainer
            ])
        )
            .prop_map(|(profile, source)| Origin::CredentialSource { profile, source }),
        text().prop_map(|profile| Origin::ProfileWebIdentity { profile }),
        (text(), opt(text()), opt(text())).prop_map(|(profile, session, role)| Origin::Sso {
            profile,
            session,
            role
        }),
        text().prop_map(|profile| Origin::CredentialProcess { profile }),
        text().prop_map(|profile| Origin::LoginSession { profile }),
        any::<bool>().prop_map(|imds_disabled| Origin::NoneFound { imds_disabled }),
        source().prop_map(|source| Origin::FoundLive { source }),
        (source(), source())
            .prop_map(|(source, suggested)| Origin::ResolvedLive { source, suggested }),
    ];
    leaf.prop_recursive(2, 4, 1, |inner| {
        (text(), text(), inner).prop_map(|(profile, role_arn, base)| Origin::AssumedRole {
            profile,
            role_arn,
            base: Box::new(base),
        })
    })
    .boxed()
}

fn no_refresh() -> BoxedStrategy<NoRefresh> {
    prop_oneof![
        Just(NoRefresh::Exported),
        text().prop_map(|profile| NoRefresh::SessionKeysInProfile { profile }),
        text().prop_map(|profile| NoRefresh::MfaRequired { profile }),
        Just(NoRefresh::ProcessWithoutExpiration),
    ]
    .boxed()
}

fn refresh_end(extreme: bool) -> BoxedStrategy<RefreshEnd> {
    prop_oneof![
        opt(origin()).prop_map(|base| RefreshEnd::SourceCredentials { base }),
        Just(RefreshEnd::NoSsoToken),
        Just(RefreshEnd::SsoTokenWithoutRefresh),
        Just(RefreshEnd::SsoRegistration),
        secs(extreme).prop_map(|default_seconds| RefreshEnd::SsoSession { default_seconds }),
    ]
    .boxed()
}

fn chaining() -> BoxedStrategy<Chaining> {
    prop_oneof![
        (text(), text(), text(), text()).prop_map(
            |(profile, role_arn, via_profile, via_role_arn)| Chaining::ProfileHop {
                profile,
                role_arn,
                via_profile,
                via_role_arn
            }
        ),
        opt(origin()).prop_map(|base| Chaining::InstanceRoleSource { base }),
        opt(origin()).prop_map(|base| Chaining::RoleSessionSource { base }),
        opt(origin()).prop_map(|base| Chaining::TemporarySource { base }),
        text().prop_map(|role| Chaining::SourceIsRoleSession { role }),
        text().prop_map(|arn| Chaining::SourceIsUserSession { arn }),
        Just(Chaining::PlannedFromInstanceRole),
        (
            text(),
            prop_oneof![
                opt(text()).prop_map(|role| CurrentSession::OfRole { role }),
                Just(CurrentSession::OfUser),
                source().prop_map(|source| CurrentSession::FromSource { source }),
                Just(CurrentSession::Temporary),
            ]
        )
            .prop_map(|(role_arn, current)| Chaining::PlannedWith { role_arn, current }),
    ]
    .boxed()
}

/// A report writes a typed fact's words beside it (`origin` and `source_detail`); read back,
/// the words are those of the typed fact, which wins. Words matter only without it.
fn without_shadowed_words(mut f: Facts) -> Facts {
    let c = &mut f.credentials;
    if c.origin.is_some() {
        c.legacy_source_detail = None;
    }
    if c.no_refresh.is_some() {
        c.legacy_refresh_note = None;
    }
    if let Some(l) = &mut c.refresh_limit {
        if l.end.is_some() {
            l.legacy_reason = None;
        } else {
            // A limit with neither is said by its kind; read back, those are its words.
            l.legacy_reason = Some(render::text::refresh_end(&l.end()));
        }
    }
    if f.session_limit.chaining.is_some() {
        f.session_limit.legacy_chaining_reason = None;
    }
    for p in &mut f.probes {
        let said = render::text::failure(p);
        if let Some(e) = &mut p.error {
            if e.failure.is_some() {
                e.legacy_message = None;
            } else {
                // Without a typed failure the words are all there is; read back, they are
                // what the report wrote.
                e.legacy_message = Some(said);
            }
        }
    }
    f
}

fn refresh_limit(now: DateTime<Utc>, extreme: bool) -> BoxedStrategy<RefreshLimit> {
    (
        opt(time_near(now)),
        opt(secs(extreme)),
        opt(refresh_end(extreme)),
        opt(text()),
        select(vec![
            RefreshLimitKind::SourceCredentials,
            RefreshLimitKind::SsoToken,
            RefreshLimitKind::SsoSession,
        ]),
    )
        .prop_map(
            |(until, at_most_seconds, end, legacy_reason, kind)| RefreshLimit {
                until,
                at_most_seconds,
                kind: end.as_ref().map_or(kind, RefreshEnd::kind),
                end,
                legacy_reason,
            },
        )
        .boxed()
}

fn credentials(now: DateTime<Utc>, extreme: bool) -> BoxedStrategy<Credentials> {
    (
        (
            source(),
            opt(text()),
            opt(any::<bool>()),
            opt(any::<bool>()),
            opt(key_id()),
            opt(time_near(now)),
            opt(expiry_source()),
        ),
        (
            prop::collection::vec(source(), 0..3),
            (opt(origin()), opt(text())),
            opt(prop_oneof![
                "arn:aws:iam::[0-9]{12}:role/[a-z]{1,8}",
                text()
            ]),
            (opt(no_refresh()), opt(text())),
            opt(refresh_limit(now, extreme)),
            opt(text()),
        ),
    )
        .prop_map(
            |(
                (
                    source,
                    profile,
                    temporary,
                    auto_refresh,
                    access_key_id,
                    expires_at,
                    expiry_source,
                ),
                (
                    shadowed_sources,
                    (origin, legacy_source_detail),
                    role_arn,
                    (no_refresh, legacy_refresh_note),
                    refresh_limit,
                    shadowed_profile,
                ),
            )| Credentials {
                source,
                profile,
                temporary,
                auto_refresh,
                access_key_id,
                expires_at,
                expiry_source,
                shadowed_sources,
                session_token: None,
                origin,
                role_arn,
                no_refresh,
                refresh_limit,
                shadowed_profile,
                obtained: None,
                legacy_source_detail,
                legacy_refresh_note,
            },
        )
        .boxed()
}

fn identity() -> BoxedStrategy<Identity> {
    (
        opt(prop_oneof![
            "arn:aws:sts::[0-9]{12}:assumed-role/[a-z]{1,8}/[a-z0-9-]{1,8}",
            "arn:aws:iam::[0-9]{12}:user/[a-z]{1,8}",
            text()
        ]),
        opt("[0-9]{12}"),
        opt(select(vec![
            IdentityType::User,
            IdentityType::AssumedRole,
            IdentityType::FederatedUser,
            IdentityType::Root,
        ])),
        opt(text()),
        opt(text()),
    )
        .prop_map(|(arn, account, kind, role_name, session_name)| Identity {
            arn,
            account,
            kind,
            role_name,
            session_name,
        })
        .boxed()
}

fn session_limit(extreme: bool) -> BoxedStrategy<SessionLimit> {
    (
        opt(text()),
        opt(secs(extreme)),
        opt(any::<bool>()),
        opt(secs(extreme)),
        opt(text()),
        opt(select(vec![LimitSource::Flag, LimitSource::GetRole])),
        (opt(chaining()), opt(text())),
        opt(text()),
        any::<bool>(),
    )
        .prop_map(
            |(
                role_name,
                max_session_duration_seconds,
                role_chaining,
                configured_duration_seconds,
                role_arn,
                max_session_duration_source,
                (chaining, legacy_chaining_reason),
                configured_in_profile,
                planned,
            )| SessionLimit {
                role_name,
                max_session_duration_seconds,
                role_chaining,
                configured_duration_seconds,
                role_arn,
                max_session_duration_source,
                chaining,
                configured_in_profile,
                planned,
                legacy_chaining_reason,
            },
        )
        .boxed()
}

fn clock(extreme: bool) -> BoxedStrategy<Clock> {
    (
        opt(text()),
        opt(offset_secs(extreme)),
        opt(offset_secs(extreme)),
        opt(offset_secs(extreme)),
        opt(any::<u8>()),
    )
        .prop_map(
            |(
                ntp_server,
                ntp_offset_seconds,
                aws_offset_seconds,
                ntp_delay_seconds,
                ntp_stratum,
            )| {
                Clock {
                    ntp_server,
                    ntp_offset_seconds,
                    aws_offset_seconds,
                    ntp_delay_seconds,
                    ntp_stratum,
                }
            },
        )
        .boxed()
}

fn sso(now: DateTime<Utc>) -> BoxedStrategy<Sso> {
    (
        opt(text()),
        opt(text()),
        opt("[0-9]{12}"),
        opt(text()),
        opt(time_near(now)),
        opt(any::<bool>()),
        opt(time_near(now)),
        opt(text()),
        any::<bool>(),
    )
        .prop_map(
            |(
                session_name,
                start_url,
                account_id,
                role_name,
                token_expires_at,
                has_refresh_token,
                registration_expires_at,
                cache_file,
                token_found,
            )| Sso {
                session_name,
                start_url,
                account_id,
                role_name,
                token_expires_at,
                has_refresh_token,
                registration_expires_at,
                cache_file,
                token_found,
            },
        )
        .boxed()
}

fn profile_hop(extreme: bool) -> BoxedStrategy<ProfileHop> {
    (
        text(),
        select(vec![
            HopKind::Role,
            HopKind::StaticKeys,
            HopKind::Sso,
            HopKind::CredentialProcess,
            HopKind::WebIdentity,
            HopKind::CredentialSource,
            HopKind::LoginSession,
        ]),
        opt(text()),
        opt(text()),
        opt(text()),
        opt(secs(extreme)),
        opt(text()),
    )
        .prop_map(
            |(
                profile,
                kind,
                role_arn,
                source_profile,
                credential_source,
                duration_seconds,
                mfa_serial,
            )| {
                ProfileHop {
                    profile,
                    kind,
                    role_arn,
                    source_profile,
                    credential_source,
                    duration_seconds,
                    mfa_serial,
                }
            },
        )
        .boxed()
}

fn problem() -> BoxedStrategy<Problem> {
    (
        select(vec![
            ProblemKind::ConfigFile,
            ProblemKind::Home,
            ProblemKind::Profile,
            ProblemKind::Environment,
            ProblemKind::ExpiryValue,
            ProblemKind::CacheFile,
            ProblemKind::CredentialProcess,
            ProblemKind::TokenFile,
            ProblemKind::Deadline,
        ]),
        text(),
        opt(any::<u32>()),
        text(),
    )
        .prop_map(|(kind, subject, line, message)| {
            Problem::new(kind, subject, message).at_line(line)
        })
        .boxed()
}

fn probe() -> BoxedStrategy<Probe> {
    (
        select(vec![
            ProbeKind::Credentials,
            ProbeKind::Identity,
            ProbeKind::GetRole,
            ProbeKind::InstanceMetadata,
            ProbeKind::SourceIdentity,
            ProbeKind::Ntp,
        ]),
        text(),
        opt(text()),
        any::<u64>(),
        opt((
            select(vec![
                ErrorClass::Refused(Failure::Expired),
                ErrorClass::Refused(Failure::InvalidToken),
                ErrorClass::Refused(Failure::AccessDenied),
                ErrorClass::Refused(Failure::ClockSkew),
                ErrorClass::Refused(Failure::Throttling),
                ErrorClass::Refused(Failure::SsoExpired),
                ErrorClass::Refused(Failure::NoCredentials),
                ErrorClass::Network,
                ErrorClass::Timeout,
                ErrorClass::Provider,
                ErrorClass::Other,
            ]),
            opt(text()),
            opt(probe_failure()),
            prop::collection::vec(text(), 0..3),
            opt(text()),
        )),
    )
        .prop_map(|(kind, target, endpoint, elapsed_ms, error)| Probe {
            kind,
            target,
            endpoint,
            elapsed_ms,
            error: error.map(|(class, code, failure, causes, legacy)| ProbeError {
                class,
                code,
                // A report has the typed failure, or (an earlier version's) its words.
                legacy_message: if failure.is_some() { None } else { legacy },
                failure,
                causes,
            }),
        })
        .boxed()
}

/// What happened to a probe, with arbitrary text wherever it came from outside.
fn probe_failure() -> BoxedStrategy<ProbeFailure> {
    prop_oneof![
        any::<u64>().prop_map(|waited_ms| ProbeFailure::TimedOut { waited_ms }),
        opt(text()).prop_map(|endpoint| ProbeFailure::Unreachable { endpoint }),
        (opt(text()), opt(any::<u16>()))
            .prop_map(|(endpoint, status)| ProbeFailure::UnreadableReply { endpoint, status }),
        any::<u64>().prop_map(|bytes| ProbeFailure::OversizedReply { bytes }),
        text().prop_map(|message| ProbeFailure::Service { message }),
        opt(text())
            .prop_map(|instance_metadata| ProbeFailure::NothingInChain { instance_metadata }),
        Just(ProbeFailure::InvalidConfiguration),
        Just(ProbeFailure::SsoToken),
        Just(ProbeFailure::NoProvider),
        Just(ProbeFailure::ProviderSaid),
        prop_oneof![
            Just(NtpProblem::WrongOrigin),
            text().prop_map(|code| NtpProblem::KissOfDeath { code }),
            Just(NtpProblem::Refused),
            Just(NtpProblem::Unexpected),
        ]
        .prop_map(|problem| ProbeFailure::Ntp { problem }),
        (text(), any::<i64>()).prop_map(|(role, seconds)| {
            ProbeFailure::MaxSessionDurationOutOfRange { role, seconds }
        }),
        any::<i64>().prop_map(|epoch_seconds| ProbeFailure::ExpiryOutOfRange { epoch_seconds }),
    ]
    .boxed()
}

/// Facts as gathering or a replay can make them, all times whole seconds (the report writes
/// `checked_at` to the second).
fn facts(extreme: bool) -> BoxedStrategy<Facts> {
    (0..=MAX_SECS)
        .prop_flat_map(move |now_s| {
            let now = ts(now_s);
            (
                (
                    Just(now),
                    credentials(now, extreme),
                    identity(),
                    session_limit(extreme),
                    clock(extreme),
                    opt(sso(now)),
                ),
                (
                    prop::collection::vec(profile_hop(extreme), 0..4),
                    prop::collection::vec(problem(), 0..4),
                    any::<bool>(),
                    any::<bool>(),
                    opt(text()),
                    opt(text()),
                    prop::collection::vec(probe(), 0..4),
                ),
            )
                .prop_map(
                    |(
                        (checked_at, credentials, identity, session_limit, clock, sso),
                        (
                            profile_chain,
                            problems,
                            offline,
                            imds_disabled,
                            region,
                            region_source,
                            probes,
                        ),
                    )| Facts {
                        checked_at,
                        credentials,
                        identity,
                        session_limit,
                        clock,
                        sso,
                        web_identity: None,
                        profile_chain,
                        problems,
                        offline,
                        imds_disabled,
                        region,
                        region_source,
                        probes,
                        sdk: Default::default(),
                    },
                )
        })
        .prop_flat_map(|f| {
            let now = f.checked_at;
            (Just(f), opt(web_identity(now)))
        })
        .prop_map(|(mut f, w)| {
            f.web_identity = w;
            f
        })
        .boxed()
}

fn web_identity(now: DateTime<Utc>) -> BoxedStrategy<WebIdentity> {
    (
        text(),
        opt(time_near(now)),
        opt(time_near(now)),
        opt(Just(TokenRotation::Kubelet)),
    )
        .prop_map(
            |(token_file, issued_at, expires_at, rotated_by)| WebIdentity {
                token_file,
                issued_at,
                expires_at,
                rotated_by,
            },
        )
        .boxed()
}

/// What `check --output json` prints for these facts (pipeline.rs: the checks with the
/// expected runtime, the verdict, the JSON renderer).
fn report_json(facts: Facts, runtime: Option<i64>) -> String {
    let opts = Options {
        expected_runtime: runtime.map(TimeDelta::seconds),
        ..Options::default()
    };
    let findings = checks::run_all(&facts, &opts);
    render::json::render(&verdict::build(facts, runtime, findings))
}

/// What `check --facts FILE` does with a file: parse, then check and render what it holds.
fn replay_like_the_binary(bytes: &[u8]) -> Result<(), TestCaseError> {
    match replay::parse(bytes) {
        Ok((facts, runtime)) => {
            if let Some(n) = runtime {
                prop_assert!(
                    TimeDelta::try_seconds(n).is_some(),
                    "pipeline::evaluate panics: TimeDelta::seconds({}) for a replayed \
                     expected_runtime_seconds",
                    n
                );
            }
            let json = report_json(facts.clone(), runtime);
            // The table too, in the zones furthest east and west: any date a replay accepts
            // renders in a local wall clock (issue 17: `TZ=Pacific/Kiritimati` panicked).
            let (again_facts, _) = replay::parse(json.as_bytes())
                .map_err(|e| TestCaseError::fail(format!("own report unreadable: {e}")))?;
            let opts = Options {
                expected_runtime: runtime.map(TimeDelta::seconds),
                ..Options::default()
            };
            let findings = checks::run_all(&again_facts, &opts);
            let report = verdict::build(again_facts, runtime, findings);
            for hours in [14, -12] {
                let offset = chrono::FixedOffset::east_opt(hours * 3600).expect("an offset");
                let table = render::table::render(
                    &report,
                    render::table::TableStyle {
                        color: false,
                        wrap: false,
                        zone: render::text::Zone::Local(LocalZone::Fixed(offset)),
                        verbose: true,
                    },
                );
                prop_assert!(!table.is_empty());
            }
            let (again, runtime_again) = replay::parse(json.as_bytes())
                .map_err(|e| TestCaseError::fail(format!("own report unreadable: {e}")))?;
            // The report writes `checked_at` to the second, by design. A key id with control
            // characters loses them on the second replay: key_ids_survive_a_replay's bug,
            // left to that test.
            let mut facts = facts;
            facts.checked_at = facts.checked_at.trunc_subsecs(0);
            if let Some(k) = &facts.credentials.access_key_id {
                facts.credentials.access_key_id = Some(KeyId::redact(k.as_str()));
            }
            prop_assert_eq!(again, facts);
            prop_assert_eq!(runtime_again, runtime);
        }
        Err(e) => prop_assert!(one_line_and_short(&e, 2000) && !e.is_empty(), "{e:?}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(64))]

    /// Any bytes and any JSON as a `--facts` file: no panic, and an error is one line.
    #[test]
    fn facts_files_never_panic(
        bytes in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..1024),
            json_value().prop_map(|v| serde_json::to_vec(&v).expect("JSON")),
        ],
    ) {
        let started = Instant::now();
        let parsed = replay::parse(&bytes);
        prop_assert!(started.elapsed() < BOUND);
        if let Err(e) = parsed {
            prop_assert!(one_line_and_short(&e, 2000), "{e:?}");
        }
    }

    /// Any Facts, rendered as the binary renders its JSON report and read back with
    /// `replay::parse`, are the same Facts, and the expected runtime comes back with them.
    #[test]
    fn facts_round_trip_through_the_json_report(
        facts in facts(false),
        runtime in opt(1i64..=366 * 86_400),
    ) {
        let json = report_json(facts.clone(), runtime);
        let (back, runtime_back) = replay::parse(json.as_bytes()).map_err(TestCaseError::fail)?;
        prop_assert_eq!(runtime_back, runtime);
        prop_assert_eq!(without_shadowed_words(back), without_shadowed_words(facts));
    }

    /// A real report with one field replaced by any JSON: replaying it (parse, check, render,
    /// parse again) never panics; an error is one line.
    #[test]
    fn a_report_with_any_field_replaced_replays_or_is_refused(
        facts in facts(false),
        runtime in opt(1i64..=366 * 86_400),
        path in select(vec![
            vec!["checked_at"],
            vec!["version"],
            vec!["expected_runtime_seconds"],
            vec!["credentials"],
            vec!["credentials", "source"],
            vec!["credentials", "expires_at"],
            vec!["credentials", "access_key_id"],
            vec!["credentials", "refresh_limit"],
            vec!["session_limit", "max_session_duration_seconds"],
            vec!["session_limit", "configured_duration_seconds"],
            vec!["clock", "ntp_offset_seconds"],
            vec!["clock", "ntp_stratum"],
            vec!["sso"],
            vec!["profile_chain"],
            vec!["problems"],
            vec!["probes"],
            vec!["offline"],
        ]),
        value in json_value(),
    ) {
        // A saved runtime over a year is any_saved_runtime_replays_without_panicking's case
        // (a known bug); keep this property about everything else.
        prop_assume!(
            path != ["expected_runtime_seconds"]
                || value.as_i64().is_none_or(|n| n <= 366 * 86_400)
        );
        let json = report_json(facts, runtime);
        let mut doc: Value = serde_json::from_str(&json).expect("our own JSON");
        let (last, parents) = path.split_last().expect("a path");
        let mut at = &mut doc;
        for p in parents {
            at = &mut at[*p];
        }
        at[*last] = value;
        replay_like_the_binary(&serde_json::to_vec(&doc).expect("JSON"))?;
    }

    /// Facts with extreme numbers (any i64 durations, any finite offsets, any u64 elapsed
    /// times), as a hand-edited or hostile `--facts` file can hold, with a runtime the flag
    /// accepts: the checks and the renderer never panic, and the report replays to the same
    /// facts.
    #[test]
    fn extreme_facts_replay_without_panicking(
        facts in facts(true),
        runtime in opt(1i64..=366 * 86_400),
    ) {
        replay_like_the_binary(report_json(facts, runtime).as_bytes())?;
    }

    /// Any positive `expected_runtime_seconds` in a saved report, which `replay::parse`
    /// accepts: checking it the way `pipeline::evaluate` does (`TimeDelta::seconds`, then the
    /// checks add it to `checked_at`) never panics.
    #[test]
    fn any_saved_runtime_replays_without_panicking(
        facts in facts(false),
        runtime in prop_oneof![
            366 * 86_400i64..=i64::MAX,
            366 * 86_400i64..=10_000_000_000_000,
            select(vec![i64::MAX, i64::MAX / 1000 + 1, 8_000_000_000_000]),
        ],
    ) {
        let mut doc: Value = serde_json::from_str(&report_json(facts, None)).expect("our own JSON");
        doc["expected_runtime_seconds"] = json!(runtime);
        replay_like_the_binary(&serde_json::to_vec(&doc).expect("JSON"))?;
    }

    /// Any key id, redacted as gathering redacts it, survives the JSON report and a replay
    /// (redacting a redacted id changes nothing), alone and inside Facts.
    #[test]
    fn key_ids_survive_a_replay(
        raw in prop_oneof![any::<String>(), "[\\x00-\\x1f\\x7fA-Z0-9 ]{0,24}"],
        now in 0..=MAX_SECS,
    ) {
        let k = KeyId::redact(&raw);
        let back: KeyId = serde_json::from_str(&serde_json::to_string(&k).expect("JSON"))
            .expect("a key id");
        prop_assert_eq!(&back, &k, "from {:?}", raw);
        let mut facts = Facts::empty(ts(now));
        facts.credentials.source = Source::Environment;
        facts.credentials.access_key_id = Some(k);
        let (replayed, _) = replay::parse(report_json(facts.clone(), None).as_bytes())
            .map_err(TestCaseError::fail)?;
        prop_assert_eq!(replayed, facts);
    }
}
