//! `roles` output: the roles that cannot give the session, with their commands; the IAM
//! Identity Center roles; counts. Table, Markdown, or JSON.

use super::fixes;
use super::text as human;
use crate::checks::roles::{Audit, RoleLimit};
use crate::facts::{ErrorClass, ProbeError};
use serde::Serialize;

/// The command that makes a role long enough.
/// A role's name from IAM, as every line shows it: through the sanitizer.
fn name(r: &RoleLimit) -> std::borrow::Cow<'_, str> {
    super::sanitize::line(&r.role_name)
}

fn command(r: &RoleLimit) -> Option<String> {
    r.fix
        .as_ref()
        .and_then(|f| fixes::plan(f).commands().into_iter().next())
}

/// Why the roles could not be listed.
pub fn list_failed(e: &ProbeError) -> String {
    let hint = if e.class == ErrorClass::ACCESS_DENIED {
        " (expiry-doctor roles needs iam:ListRoles)"
    } else {
        ""
    };
    format!("iam:ListRoles: {}{hint}", super::text::probe_error(e, None))
}

/// The SDK was not loaded: a file it reads would block it (a FIFO in place of the config).
pub fn config_would_block(path: &std::path::Path) -> String {
    format!(
        "cannot load the AWS configuration: {} is not a regular file the SDK can read to its \
         end without waiting (a FIFO, a socket, a terminal): not read",
        path.display()
    )
}

pub fn table(a: &Audit) -> String {
    let min = human::duration(a.min_session_seconds);
    let mut out = format!(
        "expiry-doctor roles · {} roles · minimum session {min}\n\n",
        a.roles_total
    );
    if a.too_short.is_empty() {
        out.push_str(&format!("Every assumable role can give a {min} session.\n"));
    } else {
        out.push_str(&format!(
            "Roles that cannot give a {min} session ({}):\n",
            a.too_short.len()
        ));
        let width = a
            .too_short
            .iter()
            .map(|r| name(r).chars().count())
            .max()
            .unwrap_or(0);
        for r in &a.too_short {
            out.push_str(&format!(
                "  {:width$}  MaxSessionDuration {:>5}   {}\n",
                name(r),
                human::duration(r.max_session_duration_seconds),
                command(r).unwrap_or_default()
            ));
        }
    }
    if !a.sso_reserved.is_empty() {
        out.push_str(&format!(
            "\nIAM Identity Center roles ({}): bounded by their permission set's session duration, \
             not MaxSessionDuration:\n",
            a.sso_reserved.len()
        ));
        for r in &a.sso_reserved {
            out.push_str(&format!("  {}\n", name(r)));
        }
        out.push_str(&format!("  read one: {}\n", human::DESCRIBE_PERMISSION_SET));
    }
    out.push_str(&format!(
        "\n{} long enough, {} too short, {} IAM Identity Center, {} service-linked (not assumable by jobs)\n",
        a.long_enough,
        a.too_short.len(),
        a.sso_reserved.len(),
        a.service_linked
    ));
    out
}

pub fn markdown(a: &Audit) -> String {
    let min = human::duration(a.min_session_seconds);
    let mut out = format!(
        "### expiry-doctor roles: {} of {} roles cannot give a {min} session\n\n",
        a.too_short.len(),
        a.roles_total
    );
    if !a.too_short.is_empty() {
        out.push_str("| role | MaxSessionDuration | fix |\n|---|---|---|\n");
        for r in &a.too_short {
            out.push_str(&format!(
                "| `{}` | {} | `{}` |\n",
                name(r).replace('`', "'").replace('|', "\\|"),
                human::duration(r.max_session_duration_seconds),
                command(r).unwrap_or_default()
            ));
        }
    }
    if !a.sso_reserved.is_empty() {
        out.push_str(&format!(
            "\n{} IAM Identity Center roles are bounded by their permission sets instead.\n",
            a.sso_reserved.len()
        ));
    }
    out
}

/// A role in the JSON audit: the command that fixes it beside it (`too_short` only).
#[derive(Serialize)]
struct JsonRole<'a> {
    #[serde(flatten)]
    role: &'a RoleLimit,
    #[serde(skip_serializing_if = "Option::is_none")]
    command: Option<String>,
}

#[derive(Serialize)]
struct JsonAudit<'a> {
    version: u32,
    min_session_seconds: i64,
    roles_total: usize,
    too_short: Vec<JsonRole<'a>>,
    sso_reserved: Vec<JsonRole<'a>>,
    service_linked: usize,
    long_enough: usize,
}

pub fn json(a: &Audit) -> String {
    fn roles(rs: &[RoleLimit]) -> Vec<JsonRole<'_>> {
        rs.iter()
            .map(|role| JsonRole {
                role,
                command: command(role),
            })
            .collect()
    }
    let doc = JsonAudit {
        version: a.version,
        min_session_seconds: a.min_session_seconds,
        roles_total: a.roles_total,
        too_short: roles(&a.too_short),
        sso_reserved: roles(&a.sso_reserved),
        service_linked: a.service_linked,
        long_enough: a.long_enough,
    };
    super::sanitize::json(&doc)
}
