//! `roles` output: the roles that cannot give the session, with their commands; the IAM
//! Identity Center roles; counts. Table, Markdown, or JSON.

use crate::human;
use crate::roles::Audit;

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
            .map(|r| r.role_name.len())
            .max()
            .unwrap_or(0);
        for r in &a.too_short {
            out.push_str(&format!(
                "  {:width$}  MaxSessionDuration {:>5}   {}\n",
                r.role_name,
                human::duration(r.max_session_duration_seconds),
                r.command.clone().unwrap_or_default()
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
            out.push_str(&format!("  {}\n", r.role_name));
        }
        out.push_str(
            "  read one: aws sso-admin describe-permission-set --instance-arn <INSTANCE_ARN> \
             --permission-set-arn <PERMISSION_SET_ARN> --query PermissionSet.SessionDuration\n",
        );
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
                r.role_name,
                human::duration(r.max_session_duration_seconds),
                r.command.clone().unwrap_or_default()
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

pub fn json(a: &Audit) -> String {
    let mut s = serde_json::to_string_pretty(a).expect("the audit serialises");
    s.push('\n');
    s
}
