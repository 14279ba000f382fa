//! `triage` output: the failing lines with their numbers, the timeline, the diagnosis, the
//! fixes (table); or the version-1 triage JSON.

use super::JsonFix;
use super::paint;
use super::text as human;
use crate::aws::Failure;
use crate::triage::diagnose::{Diagnosis, ExpiryMatch, Lifetime, Token};
use crate::triage::{Encoding, Note, TriageReport, Unreadable};
use anstyle::{AnsiColor, Style};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// How close to a lifetime an elapsed time must be to match it (`triage::diagnose::matches`).
pub const TOLERANCE: &str = "within 10% (at least 5m) before or 2% (at least 2m) after";

/// A lifetime, named; `seconds` is the role's own MaxSessionDuration when that is the one.
fn lifetime(l: Lifetime, seconds: Option<i64>) -> String {
    match l {
        Lifetime::AssumeRoleMinimum => "the 15-minute minimum AssumeRole session".into(),
        Lifetime::AssumeRoleDefault => {
            "the 1 h default AssumeRole duration / role-chaining cap".into()
        }
        Lifetime::SsoSession => "the 8 h default IAM Identity Center session".into(),
        Lifetime::RoleSessionMaximum => "the 12 h maximum role session".into(),
        Lifetime::GetSessionToken => "the 36 h maximum GetSessionToken session".into(),
        Lifetime::MaxSessionDuration => match seconds {
            Some(s) => format!("the role's MaxSessionDuration ({})", human::duration(s)),
            None => "the role's MaxSessionDuration".into(),
        },
        Lifetime::KnownExpiry => "the credentials' known expiry".into(),
        Lifetime::EcrAuthorizationToken => "the 12 h lifetime of an ECR authorization token".into(),
        Lifetime::EksToken => "the 15-minute lifetime of an EKS authentication token".into(),
        Lifetime::PresignedUrl => match seconds {
            Some(s) => format!(
                "the presigned URL's own X-Amz-Expires ({})",
                human::duration(s)
            ),
            None => "the presigned URL's own X-Amz-Expires".into(),
        },
    }
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// What expired, when it was another token than the AWS credentials.
fn token_expired(token: Token) -> String {
    match token {
        Token::EcrAuthorization => "the ECR authorization token docker logged in with had \
            expired (it lasts 12 h; refreshing the AWS credentials does not renew it)."
            .into(),
        Token::EksAuthentication => "the EKS authentication token had expired (it lasts 15 \
            minutes; only a new `aws eks get-token` renews it)."
            .into(),
        Token::PresignedUrl { expires_seconds } => format!(
            "the presigned URL had expired{} (a URL lasts at most 7 days, and never longer than \
             the credentials that signed it).",
            expires_seconds
                .map(|s| format!(" (X-Amz-Expires {})", human::duration(s)))
                .unwrap_or_default()
        ),
    }
}

/// The diagnosis in a paragraph: when, what, and which lifetime it matches.
pub fn explanation(d: &Diagnosis) -> String {
    let Some(cause) = d.cause else {
        return format!(
            "No AWS credential, clock or permission error in {} lines.",
            d.lines
        );
    };
    let line = d.failure_line.unwrap_or_default();
    let at = format!(
        "line {line} ({})",
        d.failure_code.as_deref().unwrap_or_default()
    );
    let when = match (d.started_at, d.elapsed_seconds) {
        (Some(s), Some(e)) => format!(
            "The job started at {} and failed {} later, at {at}",
            utc(s),
            human::precise(e)
        ),
        _ => format!("The job failed at {at}; the log carries no usable times"),
    };
    match cause {
        Failure::Expired | Failure::SsoExpired => {
            let limit_text = match &d.expiry {
                Some(ExpiryMatch::KnownExpiry { expires_at }) => {
                    format!(
                        "That is the credentials' known expiry ({}).",
                        utc(*expires_at)
                    )
                }
                Some(ExpiryMatch::Lifetime {
                    lifetime: l,
                    seconds,
                }) => format!(
                    "That matches {} ({TOLERANCE}).",
                    lifetime(*l, Some(*seconds))
                ),
                Some(ExpiryMatch::OtherToken {
                    elapsed_seconds,
                    expires_at,
                }) => format!(
                    "{} matches no standard lifetime ({TOLERANCE}), and the credentials were known \
                     to expire at {} instead: what expired was likely another token (a source \
                     profile's session, or one the job obtained itself).",
                    human::precise(*elapsed_seconds),
                    utc(*expires_at)
                ),
                Some(ExpiryMatch::NoLifetime { elapsed_seconds }) if d.expired_token.is_some() => {
                    format!(
                        "{} matches no lifetime of that token ({TOLERANCE}): it was likely \
                         obtained well before the job started.",
                        human::precise(*elapsed_seconds)
                    )
                }
                Some(ExpiryMatch::NoLifetime { elapsed_seconds }) => format!(
                    "{} matches no standard lifetime ({TOLERANCE}): the credentials were likely \
                     obtained well before the job started, or have an expiry of their own; pass \
                     --expires-at if you know it.",
                    human::precise(*elapsed_seconds)
                ),
                None => String::new(),
            };
            if cause == Failure::SsoExpired {
                format!("{when}: the SSO token or session had expired. {limit_text}")
            } else if let Some(token) = d.expired_token {
                format!("{when}: {} {limit_text}", token_expired(token))
            } else {
                format!("{when}: the credentials had expired and were not refreshed. {limit_text}")
            }
        }
        Failure::ClockSkew => match d.clock_offset_seconds {
            Some(o) => format!(
                "{when}: AWS rejected the request's signature time. The local clock was {} {} AWS \
                 (offset {o:+.0}s).",
                human::duration(o.abs().round() as i64),
                if o > 0.0 { "behind" } else { "ahead of" }
            ),
            None => format!(
                "{when}: AWS rejected the request's signature time; the local clock was off by \
                 more than 5 minutes."
            ),
        },
        Failure::NoCredentials => format!(
            "{when}: the SDK found no credentials at all (the source it used disappeared, or \
             never existed)."
        ),
        Failure::InvalidToken => format!(
            "{when}: AWS did not recognise the credentials (revoked keys, a session token that \
             does not match its keys, or another partition). Not a lifetime problem."
        ),
        Failure::AccessDenied => format!(
            "Only permission errors ({} line(s), first at line {line}): the credentials worked; \
             a policy refused the call. Not a credential lifetime problem.",
            d.class_lines
        ),
        Failure::Throttling => format!(
            "Only throttling ({} line(s), first at line {line}): AWS slowed the job down. Not a \
             credential problem.",
            d.class_lines
        ),
    }
}

/// Failing lines shown in the table; the JSON keeps up to `scan::KEPT_EVENTS`.
const SHOWN_LINES: usize = 10;

/// A failing line as the table and Markdown show it: sanitized, its first 160 characters.
fn shown(e: &crate::triage::scan::Event) -> String {
    super::sanitize::line(&e.text).chars().take(160).collect()
}

fn stamp(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string())
        .unwrap_or_else(|| "(no time)".into())
}

/// `--output markdown`: the answer, the failing lines, the diagnosis and the fixes, for
/// incident notes and merge-request comments.
pub fn markdown(r: &TriageReport) -> String {
    use super::markdown::cell;
    let s = &r.scan;
    let mut out = format!("### expiry-doctor triage: {}\n\n", cell(&headline(r)));
    out.push_str(&format!(
        "Log `{}` · {} lines\n",
        super::sanitize::line(&r.source).replace('`', "'"),
        s.lines
    ));
    if !s.events.is_empty() {
        out.push_str("\n| line | time | class | text |\n|---|---|---|---|\n");
        for e in s.events.iter().take(SHOWN_LINES) {
            out.push_str(&format!(
                "| {} | {} | `{}` | {} |\n",
                e.line,
                stamp(e.timestamp),
                e.class.name(),
                cell(&shown(e))
            ));
        }
    }
    out.push_str(&format!(
        "\n#### Diagnosis\n\n{}\n",
        cell(&explanation(&r.diagnosis))
    ));
    for n in &r.notes {
        out.push_str(&format!("\n> {}\n", cell(&note(n))));
    }
    out.push_str(&super::markdown::fixes_section(&r.fixes));
    out
}

/// The one-line answer: `TOKEN-EXPIRY: failed 1h00m12s after start: matches …`.
pub fn headline(r: &TriageReport) -> String {
    let answer = answer(r);
    let credential = r.diagnosis.cause.is_some_and(|c| c.is_credential_cause());
    if credential || r.notes.is_empty() {
        return answer;
    }
    // What was found is no reason to rule out what was not read.
    let doubts: Vec<String> = r.notes.iter().map(doubt).collect();
    format!("{answer}; but {}", doubts.join("; "))
}

/// The headline's answer from what was read.
fn answer(r: &TriageReport) -> String {
    let d = &r.diagnosis;
    let Some(failure) = d.cause else {
        return "NONE: no AWS credential or clock error found".into();
    };
    let cause = failure.cause_name().to_uppercase();
    let after = d
        .elapsed_seconds
        .map(|e| format!("failed {} after start", human::precise(e)))
        .unwrap_or_else(|| "failed".into());
    let limit = d.matched_limit.map(|l| lifetime(l, None));
    match failure {
        Failure::ClockSkew => match d.clock_offset_seconds {
            Some(o) => format!(
                "{cause}: {after}: the local clock was {} {} AWS",
                human::duration(o.abs().round() as i64),
                if o > 0.0 { "behind" } else { "ahead of" }
            ),
            None => format!("{cause}: {after}: the local clock was off by more than 5 minutes"),
        },
        Failure::AccessDenied | Failure::Throttling => {
            format!("{cause}: not a credential lifetime problem")
        }
        _ => match limit {
            Some(l) => format!("{cause}: {after}: matches {l}"),
            None => format!("{cause}: {after}"),
        },
    }
}

pub fn table(r: &TriageReport, color: bool) -> String {
    let s = &r.scan;
    let d = &r.diagnosis;
    let mut out = String::new();
    let read_as = match r.encoding {
        Encoding::Utf8 => String::new(),
        e => format!(" · read as {}", encoding(e)),
    };
    out.push_str(&paint(
        &format!(
            "expiry-doctor triage · {} · {} lines{read_as}",
            super::sanitize::line(&r.source),
            s.lines
        ),
        Style::new().bold(),
        color,
    ));
    out.push_str("\n\n");

    if !s.events.is_empty() {
        out.push_str(&paint("Failing lines", Style::new().bold(), color));
        out.push('\n');
        for e in s.events.iter().take(SHOWN_LINES) {
            out.push_str(&format!(
                "  line {:<8} {:<24} {:<15} {}\n",
                e.line,
                stamp(e.timestamp),
                e.class.name(),
                shown(e)
            ));
        }
        let total: u64 = s.counts.values().sum();
        if total as usize > SHOWN_LINES {
            out.push_str(&format!("  … and {} more\n", total as usize - SHOWN_LINES));
        }
        out.push('\n');
    }

    out.push_str(&paint("Timeline", Style::new().bold(), color));
    out.push('\n');
    if let Some(start) = d.started_at {
        out.push_str(&format!("  {}  job started\n", stamp(Some(start))));
    }
    for (class, line) in &s.first_of {
        let at = s
            .events
            .iter()
            .find(|e| e.line == *line)
            .and_then(|e| e.timestamp);
        let plus = match (d.started_at, at) {
            (Some(st), Some(t)) => format!("  +{}", human::precise((t - st).num_seconds())),
            _ => String::new(),
        };
        out.push_str(&format!(
            "  {}  first {} (line {line}, {} in all){plus}\n",
            stamp(at),
            class.name(),
            s.count(*class)
        ));
    }
    if let Some(last) = s.last_time {
        out.push_str(&format!("  {}  last timestamped line\n", stamp(Some(last))));
    }
    out.push('\n');

    if !r.notes.is_empty() {
        out.push_str(&paint("Notes", Style::new().bold(), color));
        out.push('\n');
        for n in &r.notes {
            out.push_str(&format!("  {}\n", note(n)));
        }
        out.push('\n');
    }

    out.push_str(&paint("Diagnosis", Style::new().bold(), color));
    out.push('\n');
    out.push_str(&format!("  {}\n", explanation(d)));

    out.push_str(&super::fixes_section(&r.fixes, color));
    out.push('\n');
    let style = if d.cause.is_some_and(|c| c.is_credential_cause()) {
        Style::new().fg_color(Some(AnsiColor::Red.into())).bold()
    } else {
        Style::new().fg_color(Some(AnsiColor::Green.into())).bold()
    };
    out.push_str(&paint(&headline(r), style, color));
    out.push('\n');
    out
}

#[derive(Serialize)]
struct JsonTriage<'a> {
    version: u32,
    source: &'a str,
    encoding: Encoding,
    lines: u64,
    bytes: u64,
    class_counts: &'a std::collections::BTreeMap<crate::triage::classes::Class, u64>,
    events: &'a [crate::triage::scan::Event],
    diagnosis: JsonDiagnosis<'a>,
    headline: String,
    fixes: Vec<JsonFix>,
    notes: Vec<JsonNote<'a>>,
}

/// A note as data, with its sentence.
#[derive(Serialize)]
struct JsonNote<'a> {
    #[serde(flatten)]
    note: &'a Note,
    text: String,
}

/// The diagnosis as version 1 wrote it, with its explanation in words.
#[derive(Serialize)]
pub(crate) struct JsonDiagnosis<'a> {
    #[serde(flatten)]
    pub diagnosis: &'a Diagnosis,
    pub explanation: String,
}

impl<'a> JsonDiagnosis<'a> {
    pub(crate) fn of(diagnosis: &'a Diagnosis) -> Self {
        JsonDiagnosis {
            diagnosis,
            explanation: explanation(diagnosis),
        }
    }
}

pub fn json(r: &TriageReport) -> String {
    let doc = JsonTriage {
        version: 1,
        source: &r.source,
        encoding: r.encoding,
        lines: r.scan.lines,
        bytes: r.scan.bytes,
        class_counts: &r.scan.counts,
        events: &r.scan.events,
        diagnosis: JsonDiagnosis::of(&r.diagnosis),
        headline: headline(r),
        fixes: JsonFix::list(&r.fixes),
        notes: r
            .notes
            .iter()
            .map(|n| JsonNote {
                note: n,
                text: note(n),
            })
            .collect(),
    };
    super::sanitize::json(&doc)
}

fn encoding(e: Encoding) -> &'static str {
    match e {
        Encoding::Utf8 => "UTF-8",
        Encoding::Utf16Le => "UTF-16 LE",
        Encoding::Utf16Be => "UTF-16 BE",
    }
}

/// A byte count as people read it: `812 bytes`, `48.0 KiB`, `1.2 GiB`.
fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut v = bytes as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

fn timeout(seconds: f64) -> String {
    humantime::format_duration(std::time::Duration::from_secs_f64(seconds)).to_string()
}

fn percent(part: u64, whole: u64) -> u64 {
    (part as f64 * 100.0 / whole.max(1) as f64).round() as u64
}

/// A note in a sentence, for the table and the JSON.
pub fn note(n: &Note) -> String {
    match n {
        Note::StoppedAtTimeout {
            timeout_seconds,
            bytes,
        } => format!(
            "Reading stopped at --timeout {} after {} (an endless pipe, a device, or a slow \
             writer): the rest was not looked at. Give a longer --timeout to read more.",
            timeout(*timeout_seconds),
            size(*bytes)
        ),
        Note::CutShort { bytes, error } => format!(
            "The log breaks off after {} ({error}): only what came before was diagnosed.",
            size(*bytes)
        ),
        Note::NotText {
            not_text_bytes,
            bytes,
        } => format!(
            "{}% of the {} read is not text (NUL or other control bytes, or not UTF-8): a \
             binary file, or text in an encoding triage does not read (it reads UTF-8 and \
             UTF-16).",
            percent(*not_text_bytes, *bytes),
            size(*bytes)
        ),
    }
}

/// A note in a few words, for the headline of a log where nothing was found.
fn doubt(n: &Note) -> String {
    match n {
        Note::StoppedAtTimeout {
            timeout_seconds,
            bytes,
        } => format!(
            "only the first {} was read (stopped at --timeout {})",
            size(*bytes),
            timeout(*timeout_seconds)
        ),
        Note::CutShort { bytes, .. } => {
            format!("the log breaks off after {}", size(*bytes))
        }
        Note::NotText {
            not_text_bytes,
            bytes,
        } => format!("{}% of it is not text", percent(*not_text_bytes, *bytes)),
    }
}

/// Why a log gave nothing to diagnose, naming it (`--log FILE …`).
pub fn unreadable(log: &str, why: &Unreadable, limit: std::time::Duration) -> String {
    let limit = humantime::format_duration(limit);
    match why {
        Unreadable::Open(e) => format!("--log {log} {}", io_words(e)),
        Unreadable::Directory => format!("--log {log} is a directory, not a log file"),
        Unreadable::NotOpenedInTime { fifo: true } => format!(
            "--log {log} is a FIFO that no program opened for writing within {limit} (--timeout)"
        ),
        Unreadable::NotOpenedInTime { fifo: false } => {
            format!("--log {log} could not be opened within {limit} (--timeout)")
        }
        Unreadable::NothingArrived if log == "-" => {
            format!("--log -: nothing arrived on stdin within {limit} (--timeout)")
        }
        Unreadable::NothingArrived => {
            format!("--log {log}: nothing arrived within {limit} (--timeout)")
        }
        Unreadable::Read(e) => format!(
            "--log {log}: {} (not a readable log or gzip file)",
            io_words(e)
        ),
    }
}

fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "does not exist".into(),
        std::io::ErrorKind::PermissionDenied => "cannot be read: permission denied".into(),
        _ => format!("cannot be read: {e}"),
    }
}
