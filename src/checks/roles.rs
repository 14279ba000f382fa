//! The audit behind `roles --min-session DUR` (not a check of the `check` pipeline): which
//! roles cannot give a session that long (MaxSessionDuration below it), which are IAM Identity
//! Center roles (bounded by their permission set, whatever MaxSessionDuration says), and which
//! are service-linked (not assumable by a job). Pure: `gather/live/roles.rs` lists the roles.

use crate::aws::limits;
use crate::fixes::Fix;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoleLimit {
    pub role_name: String,
    pub arn: String,
    pub max_session_duration_seconds: i64,
    /// What makes the role long enough (`too_short` only).
    #[serde(skip)]
    pub fix: Option<Fix>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Audit {
    pub version: u32,
    pub min_session_seconds: i64,
    pub roles_total: usize,
    /// Roles whose MaxSessionDuration is below the minimum, shortest first.
    pub too_short: Vec<RoleLimit>,
    /// `AWSReservedSSO_*`: sessions last the permission set's duration instead.
    pub sso_reserved: Vec<RoleLimit>,
    /// Under `/aws-service-role/`: used by AWS services, not assumable by a job.
    pub service_linked: usize,
    pub long_enough: usize,
}

impl Audit {
    /// 1 when some role cannot give the session, else 0.
    pub fn exit_code(&self) -> u8 {
        u8::from(!self.too_short.is_empty())
    }
}

/// A role as ListRoles returns it.
#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    pub name: String,
    pub arn: String,
    pub path: String,
    pub max_session_duration_seconds: i64,
}

/// Sorts the roles into the audit. Pure. A role is long enough when one session lasts the
/// job plus the margin: `check`'s rule, so both suggest the same MaxSessionDuration.
pub fn classify(roles: &[Role], min_session_seconds: i64, margin_seconds: i64) -> Audit {
    let need = min_session_seconds.saturating_add(margin_seconds);
    let mut audit = Audit {
        version: 1,
        min_session_seconds,
        roles_total: roles.len(),
        too_short: Vec::new(),
        sso_reserved: Vec::new(),
        service_linked: 0,
        long_enough: 0,
    };
    for r in roles {
        let limit = |fix| RoleLimit {
            role_name: r.name.clone(),
            arn: r.arn.clone(),
            max_session_duration_seconds: r.max_session_duration_seconds,
            fix,
        };
        if r.path.starts_with("/aws-service-role/") {
            audit.service_linked += 1;
        } else if limits::is_sso_role(&r.name)
            || r.path.starts_with("/aws-reserved/sso.amazonaws.com/")
        {
            audit.sso_reserved.push(limit(None));
        } else if r.max_session_duration_seconds < need {
            audit
                .too_short
                .push(limit(Some(Fix::RaiseMaxSessionDuration {
                    role: r.name.clone(),
                    needed_seconds: need,
                    request: None,
                })));
        } else {
            audit.long_enough += 1;
        }
    }
    audit.too_short.sort_by(|a, b| {
        a.max_session_duration_seconds
            .cmp(&b.max_session_duration_seconds)
            .then(a.role_name.cmp(&b.role_name))
    });
    audit
        .sso_reserved
        .sort_by(|a, b| a.role_name.cmp(&b.role_name));
    audit
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(name: &str, path: &str, max: i64) -> Role {
        Role {
            name: name.into(),
            arn: format!("arn:aws:iam::123456789012:role{path}{name}"),
            path: path.into(),
            max_session_duration_seconds: max,
        }
    }

    #[test]
    fn sorts_roles_into_the_audit() {
        let roles = [
            role("etl", "/", 3600),
            role("batch", "/jobs/", 7200),
            role("long", "/", 43_200),
            role(
                "AWSReservedSSO_Admin_0123",
                "/aws-reserved/sso.amazonaws.com/",
                43_200,
            ),
            role(
                "AWSServiceRoleForSupport",
                "/aws-service-role/support.amazonaws.com/",
                3600,
            ),
        ];
        let a = classify(&roles, 6 * 3600, 300);
        assert_eq!(a.roles_total, 5);
        let names: Vec<&str> = a.too_short.iter().map(|r| r.role_name.as_str()).collect();
        assert_eq!(names, ["etl", "batch"]);
        assert_eq!(
            a.too_short[0].fix,
            Some(Fix::RaiseMaxSessionDuration {
                role: "etl".into(),
                needed_seconds: 6 * 3600 + 300,
                request: None,
            })
        );
        assert_eq!(a.sso_reserved.len(), 1);
        assert_eq!((a.service_linked, a.long_enough), (1, 1));
        assert_eq!(a.exit_code(), 1);
        assert_eq!(classify(&roles, 3600, 0).exit_code(), 0);
    }

    /// `roles --min-session 6h` and `check --expected-runtime 6h` (both with the 5m margin)
    /// suggest the same MaxSessionDuration: the review found 21600 against 25200.
    #[test]
    fn roles_and_check_suggest_the_same_max_session_duration() {
        let a = classify(&[role("etl", "/", 3600)], 6 * 3600, 300);
        let Some(Fix::RaiseMaxSessionDuration { needed_seconds, .. }) = a.too_short[0].fix else {
            panic!("{a:?}")
        };
        let check_need = 6 * 3600 + 300;
        assert_eq!(
            limits::session_seconds_for(needed_seconds),
            limits::session_seconds_for(check_need)
        );
        assert_eq!(limits::session_seconds_for(needed_seconds), 25_200);
        // A role whose sessions last exactly the job leaves no margin: too short, as in check.
        assert_eq!(
            classify(&[role("six", "/", 6 * 3600)], 6 * 3600, 300)
                .too_short
                .len(),
            1
        );
    }
}
