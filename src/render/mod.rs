//! Turning a [`Report`](crate::verdict::Report) (or a triage report, an audit, a wrapped
//! job's record) into text. One printer per format; each renders the same data and decides
//! nothing; `text.rs` owns the sentences and `fixes.rs` the steps. Only `main` writes what
//! these return.

pub mod exec;
pub mod explain;
pub mod fixes;
pub mod fleet;
pub mod github;
pub mod json;
pub mod markdown;
pub mod prompt;
pub mod roles;
pub mod sanitize;
pub mod table;
pub mod text;
pub mod triage;

use crate::fixes::{Fix, FixId};
use serde::Serialize;
use text::Say;

/// `text` in `style` when colour is on (anstyle's escape codes), else as it is.
pub(crate) fn paint(text: &str, style: anstyle::Style, color: bool) -> String {
    if color {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

/// The "Fixes" section of the check and triage tables (empty without fixes): the recommended
/// fix first with its steps, then the alternatives, each with when to prefer it; config
/// comments dimmed.
pub(crate) fn fixes_section(fixes: &[Fix], color: bool) -> String {
    use anstyle::{AnsiColor, Style};
    let Some((first, alternatives)) = fixes.split_first() else {
        return String::new();
    };
    let bold = Style::new().bold();
    let mut out = format!("\n{}\n", paint("Fix (recommended)", bold, color));
    let one = |n: usize, fix: &Fix, alternative: bool, out: &mut String| {
        let plan = fixes::plan(fix);
        out.push_str(&format!(
            "  {n}. {} {}\n",
            paint(&plan.title, bold, color),
            paint(
                &format!("[{}]", fix.id().name()),
                Style::new().dimmed(),
                color
            )
        ));
        if alternative {
            out.push_str(&format!(
                "       {}\n",
                paint(
                    &format!("prefer when {}", fix.id().doc().prefer_when),
                    Style::new().italic(),
                    color
                )
            ));
        }
        for line in plan.commands().iter().flat_map(|c| c.lines()) {
            let style = if line.starts_with('#') {
                Style::new().dimmed()
            } else {
                Style::new().fg_color(Some(AnsiColor::Cyan.into()))
            };
            out.push_str(&format!("       {}\n", paint(line, style, color)));
        }
    };
    one(1, first, false, &mut out);
    if !alternatives.is_empty() {
        out.push_str(&format!("\n{}\n", paint("Alternatives", bold, color)));
        for (i, fix) in alternatives.iter().enumerate() {
            one(i + 2, fix, true, &mut out);
        }
    }
    out
}

/// A fix as every JSON document carries it: id, title, why, the steps, `commands` (the same
/// steps as version 1 wrote them), whether it is the recommendation and, for an alternative,
/// when to prefer it.
#[derive(Serialize)]
pub(crate) struct JsonFix {
    id: FixId,
    title: String,
    why: &'static str,
    recommended: bool,
    prefer_when: &'static str,
    commands: Vec<String>,
    steps: Vec<fixes::Step>,
}

impl JsonFix {
    /// The fixes of one report or diagnosis, in order: the first is the recommendation.
    pub(crate) fn list(fixes: &[Fix]) -> Vec<JsonFix> {
        fixes
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let plan = fixes::plan(f);
                JsonFix {
                    id: f.id(),
                    why: f.id().doc().why,
                    recommended: i == 0,
                    prefer_when: f.id().doc().prefer_when,
                    commands: plan.commands(),
                    title: plan.title,
                    steps: plan.steps,
                }
            })
            .collect()
    }
}

/// `--verbose`: every fact gathered, and where it came from, one line each.
pub(crate) fn facts_lines(f: &crate::facts::Facts, zone: text::Zone) -> Vec<String> {
    use text as human;
    let c = &f.credentials;
    let opt = |v: Option<String>| v.unwrap_or_else(|| "unknown".into());
    let mut v = vec![
        format!(
            "source: {} ({})",
            c.source,
            opt(c.origin().as_ref().map(text::origin))
        ),
        format!(
            "profile: {}",
            c.profile.clone().unwrap_or_else(|| "none".into())
        ),
        format!(
            "temporary: {}, refreshed by the SDK: {}",
            opt(c.temporary.map(|b| b.to_string())),
            opt(c.auto_refresh.map(|b| b.to_string()))
        ),
        format!(
            "access key id: {}",
            opt(c.access_key_id.as_ref().map(|k| k.as_str().to_string()))
        ),
        format!(
            "expires: {} (from {})",
            opt(c.expires_at.map(|t| human::stamp(t, zone))),
            opt(c.expiry_source.map(|s| text::expiry_source(s).to_string()))
        ),
    ];
    if let Some(why) = c.no_refresh() {
        v.push(format!("refresh: {}", text::no_refresh(&why)));
    }
    if let Some(l) = &c.refresh_limit {
        v.push(format!(
            "refreshing ends: {} ({})",
            l.until
                .map(|t| human::stamp(t, zone))
                .or_else(|| l
                    .at_most_seconds
                    .map(|s| format!("at most {} from now", human::duration(s))))
                .unwrap_or_else(|| "at an unknown time".into()),
            text::refresh_end(&l.end())
        ));
    }
    if !c.shadowed_sources.is_empty() {
        let names: Vec<&str> = c.shadowed_sources.iter().map(|s| s.name()).collect();
        v.push(format!("shadowed: {}", names.join(", ")));
    }
    for hop in &f.profile_chain {
        let mut line = format!("profile chain: {} ({})", hop.profile, hop.kind.name());
        if let Some(r) = &hop.role_arn {
            line.push_str(&format!(" role_arn={r}"));
        }
        if let Some(s) = &hop.source_profile {
            line.push_str(&format!(" source_profile={s}"));
        }
        if let Some(s) = &hop.credential_source {
            line.push_str(&format!(" credential_source={s}"));
        }
        if let Some(d) = hop.duration_seconds {
            line.push_str(&format!(" duration_seconds={d}"));
        }
        if hop.mfa_serial.is_some() {
            line.push_str(" mfa_serial=set");
        }
        v.push(line);
    }
    if let Some(s) = &f.sso {
        v.push(format!(
            "sso: session {} start URL {} token expires {} refresh token {} (cache {})",
            opt(s.session_name.clone()),
            opt(s.start_url.clone()),
            opt(s.token_expires_at.map(|t| human::stamp(t, zone))),
            opt(s.has_refresh_token.map(|b| b.to_string())),
            opt(s.cache_file.clone())
        ));
    }
    if let Some(arn) = &f.identity.arn {
        v.push(format!(
            "identity: {arn} (account {})",
            opt(f.identity.account.clone())
        ));
    }
    let l = &f.session_limit;
    if l.role_name.is_some() || l.max_session_duration_seconds.is_some() {
        v.push(format!(
            "role: {} max session {} ({}) chaining {} duration_seconds {}",
            opt(l.role_name.clone()),
            opt(l.max_session_duration_seconds.map(human::duration)),
            opt(l.max_session_duration_source.map(|s| match s {
                crate::facts::LimitSource::Flag => "flag".to_string(),
                crate::facts::LimitSource::GetRole => "getrole".to_string(),
            })),
            opt(l.role_chaining.map(|b| b.to_string())),
            opt(l.configured_duration_seconds.map(|d| d.to_string()))
        ));
    }
    if let Some(r) = &f.region {
        v.push(format!("region: {r} ({})", opt(f.region_source.clone())));
    }
    if f.clock.ntp_offset_seconds.is_some() || f.clock.aws_offset_seconds.is_some() {
        v.push(format!(
            "clock: NTP {} ({}), AWS {}",
            opt(f.clock.ntp_offset_seconds.map(|o| format!("{o:+.3}s"))),
            opt(f.clock.ntp_server.clone()),
            opt(f.clock.aws_offset_seconds.map(|o| format!("{o:+.3}s")))
        ));
    }
    for p in &f.probes {
        v.push(format!(
            "probe: {} at {} in {}ms: {}",
            p.target,
            p.endpoint.clone().unwrap_or_else(|| "-".into()),
            p.elapsed_ms,
            if p.error.is_some() {
                text::failure(p)
            } else {
                "ok".into()
            }
        ));
        // The chain of causes, each in its own words, outermost first.
        for cause in p.error.iter().flat_map(|e| e.causes.iter()) {
            v.push(format!("  because: {cause}"));
        }
    }
    for p in &f.problems {
        v.push(format!("could not read: {}", text::problem(p)));
    }
    if f.offline {
        v.push("offline: no network probe was run".into());
    }
    v.into_iter().map(sanitize::own).collect()
}

/// A finding's summary and its notes, as lines, in `say`'s zone.
pub(crate) fn finding_lines(f: &crate::checks::Finding, say: &Say) -> (String, Vec<String>) {
    (
        text::reason(&f.reason, say),
        f.notes.iter().map(|n| text::note(n, say)).collect(),
    )
}
