//! Amazon Resource Names: the one parser for role ARNs (`arn:aws:iam::123456789012:role/etl`)
//! and the principal ARNs sts:GetCallerIdentity returns
//! (`arn:aws:sts::123456789012:assumed-role/etl/job`).
//!
//! An ARN has six colon-separated fields and no whitespace or control character anywhere; a
//! string that breaks either rule is not an ARN, wherever it came from (a profile, an
//! endpoint, a saved report).

/// A parsed ARN, borrowing from the text it was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

/// Whose credentials these are, from a principal ARN.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Principal<'a> {
    /// `user/[path/]name`: an IAM user.
    User,
    /// `assumed-role/role/session`: a role session.
    AssumedRole {
        role: Option<&'a str>,
        session: Option<&'a str>,
    },
    /// `federated-user/name`: GetFederationToken.
    FederatedUser { name: &'a str },
    /// `root`: the account's root user.
    Root,
}

/// IAM's character set for role names, and its length limit.
const ROLE_NAME_CHARS: &str = "+=,.@_-";
const ROLE_NAME_MAX: usize = 64;

impl<'a> Arn<'a> {
    /// The ARN in `text`, or `None` when it is not one.
    pub fn parse(text: &'a str) -> Option<Arn<'a>> {
        if text.is_empty() || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return None;
        }
        let mut parts = text.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        let arn = Arn {
            partition: parts.next()?,
            service: parts.next()?,
            region: parts.next()?,
            account: parts.next()?,
            resource: parts.next()?,
        };
        (!arn.partition.is_empty() && !arn.service.is_empty()).then_some(arn)
    }

    /// The role's name in a role ARN (`role/path/etl` → `etl`) or a session ARN
    /// (`assumed-role/etl/job` → `etl`).
    pub fn role_name(&self) -> Option<&'a str> {
        if let Some(rest) = self.resource.strip_prefix("role/") {
            rest.rsplit('/').next().filter(|n| !n.is_empty())
        } else if let Some(rest) = self.resource.strip_prefix("assumed-role/") {
            rest.split('/').next().filter(|n| !n.is_empty())
        } else {
            None
        }
    }

    /// The kind of principal a sts:GetCallerIdentity ARN names.
    pub fn principal(&self) -> Option<Principal<'a>> {
        let r = self.resource;
        if r == "root" {
            return Some(Principal::Root);
        }
        if let Some(rest) = r.strip_prefix("assumed-role/") {
            let mut parts = rest.splitn(2, '/');
            let role = parts.next().filter(|s| !s.is_empty());
            let session = parts.next().filter(|s| !s.is_empty());
            return Some(Principal::AssumedRole { role, session });
        }
        if let Some(name) = r.strip_prefix("federated-user/") {
            return Some(Principal::FederatedUser { name });
        }
        r.starts_with("user/").then_some(Principal::User)
    }

    /// The role behind a session: `arn:aws:sts::1:assumed-role/etl/job` →
    /// `arn:aws:iam::1:role/etl`. A role path is not in the session ARN; IAM accepts the short
    /// form only for roles at `/`, which is the common case.
    pub fn role_of_session(&self) -> Option<String> {
        let role = match self.principal()? {
            Principal::AssumedRole { role, .. } => role?,
            _ => return None,
        };
        Some(role_arn(self.partition, self.account, role))
    }

    /// Whether this is a well-formed IAM role ARN: `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME`
    /// with a 12-digit account and a name IAM accepts.
    pub fn is_role(&self) -> bool {
        let name = self
            .resource
            .strip_prefix("role/")
            .and_then(|r| r.rsplit('/').next());
        self.partition.starts_with("aws")
            && self.service == "iam"
            && self.region.is_empty()
            && is_account_id(self.account)
            && name.is_some_and(is_role_name)
    }
}

/// `arn:PARTITION:iam::ACCOUNT:role/NAME`.
pub fn role_arn(partition: &str, account: &str, role: &str) -> String {
    format!("arn:{partition}:iam::{account}:role/{role}")
}

/// Twelve digits.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// A name IAM accepts for a role: 1 to 64 of `A-Za-z0-9+=,.@_-`.
pub fn is_role_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= ROLE_NAME_MAX
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || ROLE_NAME_CHARS.contains(c))
}

/// The role name of a role or session ARN, owned.
pub fn role_name_of(arn: &str) -> Option<String> {
    Arn::parse(arn)?.role_name().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_from_role_and_session_arns() {
        let name = |s: &str| role_name_of(s);
        assert_eq!(
            name("arn:aws:iam::123456789012:role/etl").as_deref(),
            Some("etl")
        );
        assert_eq!(
            name("arn:aws:iam::123456789012:role/service/etl").as_deref(),
            Some("etl")
        );
        assert_eq!(
            name("arn:aws:sts::123456789012:assumed-role/etl/job").as_deref(),
            Some("etl")
        );
        assert_eq!(name("arn:aws:iam::123456789012:user/bob"), None);
        assert_eq!(name("nonsense"), None);
        assert_eq!(name("arn:aws:iam::123456789012:role/etl\n::error::x"), None);
    }

    #[test]
    fn principals() {
        let p = |s: &'static str| Arn::parse(s).and_then(|a| a.principal());
        assert_eq!(
            p("arn:aws:sts::123456789012:assumed-role/etl/job-1"),
            Some(Principal::AssumedRole {
                role: Some("etl"),
                session: Some("job-1")
            })
        );
        assert_eq!(
            p("arn:aws:iam::123456789012:user/ops/bob"),
            Some(Principal::User)
        );
        assert_eq!(
            p("arn:aws:sts::123456789012:federated-user/bob"),
            Some(Principal::FederatedUser { name: "bob" })
        );
        assert_eq!(p("arn:aws:iam::123456789012:root"), Some(Principal::Root));
        assert_eq!(p("garbage"), None);
    }

    #[test]
    fn sessions_name_their_role() {
        let a = Arn::parse("arn:aws-cn:sts::123456789012:assumed-role/etl/job").unwrap();
        assert_eq!(
            a.role_of_session().as_deref(),
            Some("arn:aws-cn:iam::123456789012:role/etl")
        );
        let user = Arn::parse("arn:aws:iam::123456789012:user/bob").unwrap();
        assert_eq!(user.role_of_session(), None);
    }

    #[test]
    fn role_arns_are_validated() {
        let ok = |s: &str| Arn::parse(s).is_some_and(|a| a.is_role());
        assert!(ok("arn:aws:iam::123456789012:role/etl"));
        assert!(ok("arn:aws-cn:iam::123456789012:role/path/to/etl"));
        assert!(!ok("arn:aws:iam::123456789012:user/bob"));
        assert!(!ok("arn:aws:iam::1234:role/etl"));
        assert!(!ok("etl"));
        assert!(!ok("arn:aws:iam::123456789012:role/et l"));
        assert!(!ok(&format!(
            "arn:aws:iam::123456789012:role/{}",
            "x".repeat(65)
        )));
    }
}
