//! `credential-source`: which provider of the default chain serves the credentials, whether
//! they are temporary, and whether the SDK will refresh them. Also where broken configuration
//! surfaces: a config file that does not parse fails here, naming file and line.

use super::{CheckId, Doc, Finding, Options, Status};
use crate::facts::{ErrorClass, Facts, ProbeKind, ProblemKind, Source};
use crate::fixes;

pub const DOC: Doc = Doc {
    what: "Finds the provider the SDK's default credential chain would use (environment, \
           profile, web identity, container, instance metadata, in that order), says whether \
           its credentials are temporary and whether the SDK refreshes them, and lists the \
           lower-priority sources they shadow.",
    why: "Where credentials come from decides whether a long job survives: exported variables \
          are a snapshot that nothing refreshes, while a role profile, SSO, web identity or an \
          instance/task role is refreshed by the SDK before expiry. A broken ~/.aws/config makes \
          every SDK fail before the job does anything.",
    fix: "Run the job with a source the SDK refreshes (use-refreshing-profile), configure \
          credentials when none are found (configure-credentials), or repair the file and line \
          named in the finding (repair-config).",
};

pub fn check(f: &Facts, _opts: &Options) -> Finding {
    let id = CheckId::CredentialSource;
    let c = &f.credentials;

    // Broken configuration comes first: it is what the user must fix before anything else.
    let broken: Vec<_> = f
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::ConfigFile && p.subject != "HOME")
        .collect();
    if let Some(first) = broken.first() {
        let mut finding = Finding::new(
            id,
            Status::Fail,
            format!("cannot use the AWS config: {first}"),
        )
        .details(broken.iter().skip(1).map(|p| p.to_string()))
        .fix(fixes::repair_config(
            &first.subject,
            first.line,
            &first.message,
            Some(&first.subject),
        ));
        if c.source != Source::None {
            finding = finding.detail(format!(
                "credentials would come from {} ({})",
                c.source,
                c.source_detail.clone().unwrap_or_default()
            ));
        }
        return finding;
    }

    let profile_problems: Vec<_> = f.problems_of(ProblemKind::Profile).collect();
    let process_failures: Vec<_> = f.problems_of(ProblemKind::CredentialProcess).collect();
    let deadline_hits: Vec<_> = f.problems_of(ProblemKind::Deadline).collect();
    let token_problems: Vec<_> = f.problems_of(ProblemKind::TokenFile).collect();
    let warnings: Vec<String> = f
        .problems
        .iter()
        .filter(|p| matches!(p.kind, ProblemKind::Environment) || p.subject == "HOME")
        .map(|p| p.to_string())
        .collect();

    if let Some(p) = process_failures.first() {
        return Finding::new(
            id,
            Status::Fail,
            format!(
                "{} {}: the SDK will fail the same way",
                p.subject, p.message
            ),
        )
        .details(warnings);
    }
    if let Some(p) = deadline_hits.first() {
        return Finding::new(
            id,
            Status::Error,
            format!(
                "{} {} (--timeout): its credentials are unknown",
                p.subject, p.message
            ),
        )
        .details(warnings);
    }
    // The SDK's own provider failed (live): what the job would hit at its first call.
    if let Some(probe) = f.probe(ProbeKind::Credentials)
        && let Some(e) = &probe.error
    {
        let profile = c.profile.clone().unwrap_or_else(|| "default".into());
        // A probe that broke (timeout, network, a garbled or oversized reply) is `error`; what
        // the provider said (an expired SSO token, a broken profile, nothing found) is `fail`.
        let status = match e.class {
            ErrorClass::Timeout
            | ErrorClass::Network
            | ErrorClass::Other
            | ErrorClass::Throttling => Status::Error,
            _ => Status::Fail,
        };
        let what = if c.source == Source::None {
            "any source".to_string()
        } else {
            c.source.to_string()
        };
        let mut finding = Finding::new(
            id,
            status,
            format!(
                "the SDK could not obtain credentials from {what}: {}",
                e.message
            ),
        )
        .details(warnings);
        if c.source == Source::Sso || f.sso.is_some() {
            finding = finding.fix(fixes::sso_login(&profile));
        } else if c.source == Source::None {
            finding = finding.fix(fixes::configure_credentials(None));
        }
        return finding;
    }
    if c.source == Source::WebIdentity
        && let Some(p) = token_problems.first()
    {
        return Finding::new(id, Status::Fail, format!("web identity token {p}")).details(warnings);
    }

    if c.source == Source::None {
        if let Some(p) = profile_problems.first() {
            let profile = f.profile_chain.first().map(|h| h.profile.as_str());
            return Finding::new(id, Status::Fail, format!("no credentials: {p}"))
                .details(profile_problems.iter().skip(1).map(|p| p.to_string()))
                .details(warnings)
                .fix(fixes::repair_config(&p.subject, p.line, &p.message, None))
                .fix(fixes::configure_credentials(profile));
        }
        let detail = c.source_detail.clone().unwrap_or_default();
        if !f.imds_disabled && f.offline {
            return Finding::new(
                id,
                Status::Warn,
                "no credentials found locally; the EC2 instance role was not asked (--offline)",
            )
            .detail(detail)
            .details(warnings)
            .fix(fixes::configure_credentials(None));
        }
        return Finding::new(
            id,
            Status::Fail,
            "no credentials found: every AWS call will fail",
        )
        .detail(detail)
        .details(warnings)
        .fix(fixes::configure_credentials(None));
    }

    let kind = match c.temporary {
        Some(true) => "temporary credentials",
        Some(false) => "long-term keys",
        None => "credentials",
    };
    let key = c
        .access_key_id
        .as_ref()
        .map(|k| format!(" ({})", k.as_str()))
        .unwrap_or_default();
    let refresh = match (c.auto_refresh, c.temporary) {
        (_, Some(false)) => "they do not expire",
        (Some(true), _) => "refreshed by the SDK",
        (Some(false), _) => "never refreshed",
        (None, _) => "refresh unknown",
    };
    let mut finding = Finding::new(
        id,
        Status::Pass,
        format!("{}: {kind}{key}, {refresh}", c.source),
    );
    if let Some(d) = &c.source_detail {
        finding = finding.detail(d.clone());
    }
    if !c.shadowed_sources.is_empty() {
        let names: Vec<&str> = c.shadowed_sources.iter().map(|s| s.as_str()).collect();
        finding = finding.detail(format!(
            "also configured, but shadowed: {}",
            names.join(", ")
        ));
    }
    if c.source == Source::Environment
        && let Some(p) = &c.shadowed_profile
    {
        finding = finding.detail(format!(
            "the exported variables win over profile {p} in every SDK (the AWS CLI's --profile \
             flag would ignore them)"
        ));
    }
    let soft: Vec<String> = profile_problems
        .iter()
        .chain(token_problems.iter())
        .map(|p| p.to_string())
        .chain(warnings)
        .collect();
    if !soft.is_empty() {
        finding.status = Status::Warn;
        finding = finding.details(soft);
    }
    finding
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{KeyId, Problem};

    fn facts() -> Facts {
        Facts::empty("2026-11-23T13:31:00Z".parse().unwrap())
    }

    #[test]
    fn nothing_found_with_imds_disabled_fails() {
        let mut f = facts();
        f.imds_disabled = true;
        let r = check(&f, &Options::default());
        assert_eq!(r.status, Status::Fail);
        assert_eq!(r.fixes[0].id, crate::fixes::FixId::ConfigureCredentials);
    }

    #[test]
    fn nothing_found_locally_offline_is_only_a_warning_on_a_possible_ec2_host() {
        let mut f = facts();
        f.offline = true;
        let r = check(&f, &Options::default());
        assert_eq!(r.status, Status::Warn);
        assert!(r.summary.contains("--offline"));
    }

    #[test]
    fn a_config_parse_error_fails_naming_file_and_line_even_with_credentials() {
        let mut f = facts();
        f.credentials.source = Source::Environment;
        f.problems.push(
            Problem::new(
                ProblemKind::ConfigFile,
                "/home/me/.aws/config",
                "Invalid profile definition",
            )
            .at_line(Some(7)),
        );
        let r = check(&f, &Options::default());
        assert_eq!(r.status, Status::Fail);
        assert!(
            r.summary.contains("/home/me/.aws/config line 7"),
            "{}",
            r.summary
        );
    }

    #[test]
    fn exported_session_credentials_pass_but_say_they_never_refresh() {
        let mut f = facts();
        f.credentials.source = Source::Environment;
        f.credentials.temporary = Some(true);
        f.credentials.auto_refresh = Some(false);
        f.credentials.access_key_id = Some(KeyId::redact("ASIAEXAMPLEKEYIDWXYZ"));
        let r = check(&f, &Options::default());
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            r.summary,
            "environment: temporary credentials (ASIA…WXYZ), never refreshed"
        );
    }

    #[test]
    fn a_failing_credential_process_fails() {
        let mut f = facts();
        f.credentials.source = Source::CredentialProcess;
        f.problems.push(Problem::new(
            ProblemKind::CredentialProcess,
            "credential_process of profile p",
            "exited with status 1",
        ));
        assert_eq!(check(&f, &Options::default()).status, Status::Fail);
        let mut f = facts();
        f.credentials.source = Source::CredentialProcess;
        f.problems.push(Problem::new(
            ProblemKind::Deadline,
            "credential_process of profile p",
            "did not finish",
        ));
        assert_eq!(check(&f, &Options::default()).status, Status::Error);
    }
}
