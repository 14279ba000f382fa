//! What botocore checks before a deferred provider's first call can be made: the settings it
//! reads while it builds the resolver (the instance-metadata ones), the client it creates for
//! STS or SSO (retries, region, endpoint, the selected profile's `sso_session` and `services`),
//! and the request parameters it validates. Each is a way a Python job gets no credentials
//! although its configuration looks complete; each is a `ChainStopped` problem here.

use super::ini::Section;
use super::{Config, get};
use crate::env::Env;

/// Python's `int()` over a string: surrounding whitespace, a sign, ASCII digits with single
/// underscores between them. (Python also accepts other Unicode decimal digits; not modelled.)
pub fn py_int(s: &str) -> Option<i64> {
    let t = s.trim();
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
        || !digits.chars().all(|c| c.is_ascii_digit() || c == '_')
    {
        return None;
    }
    let n: i64 = digits.replace('_', "").parse().ok()?;
    Some(if neg { -n } else { n })
}

/// A setting as botocore's config chain reads it: the variable when present (even empty),
/// else the selected profile's key.
fn setting<'a>(env: &'a Env, profile: &'a Section, var: &str, key: &str) -> Option<&'a str> {
    env.raw(var).or_else(|| get(profile, key))
}

/// Stage B: the instance-metadata settings, converted while the resolver is built (before any
/// provider, the environment's included).
pub fn resolver_settings(env: &Env, profile: &Section) -> Result<(), String> {
    for (var, key) in [
        ("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout"),
        (
            "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
            "metadata_service_num_attempts",
        ),
    ] {
        if let Some(v) = setting(env, profile, var, key)
            && py_int(v).is_none()
        {
            return Err(format!(
                "{key} = '{}' is not a whole number: botocore raises ValueError before it \
                 looks for credentials",
                crate::redact::clip(v)
            ));
        }
    }
    if let Some(mode) = setting(
        env,
        profile,
        "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
        "ec2_metadata_service_endpoint_mode",
    ) && !["ipv4", "ipv6"].contains(&mode.to_lowercase().as_str())
    {
        return Err(format!(
            "ec2_metadata_service_endpoint_mode = '{}' is neither ipv4 nor ipv6: botocore \
             raises InvalidIMDSEndpointModeError before it looks for credentials",
            crate::redact::clip(mode)
        ));
    }
    Ok(())
}

/// `utils.validate_region_name`: a host label (no leading or trailing `-`, not all digits).
fn valid_region(r: &str) -> bool {
    let all_digits = !r.is_empty() && r.chars().all(|c| c.is_ascii_digit());
    let label = r.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    r.len() <= 63 && label && !all_digits && !r.starts_with('-') && !r.ends_with('-')
}

fn region_problem(region: &str, what: &str) -> Option<String> {
    if region.is_empty() {
        return Some(format!(
            "the {what} region is blank: botocore builds an invalid endpoint and raises ValueError"
        ));
    }
    (!valid_region(region)).then(|| {
        format!(
            "the {what} region '{}' is not a valid region name: botocore raises \
             InvalidRegionError",
            crate::redact::clip(region)
        )
    })
}

/// What a client for `service` (`sts`, `sso`) fails on when botocore creates it, for the
/// selected profile `selected`; `signed` for AssumeRole (which needs a region once an endpoint
/// URL is configured).
pub fn client(
    cfg: &Config,
    env: &Env,
    selected: &Section,
    service: &str,
    signed: bool,
) -> Result<(), String> {
    if let Some(v) = setting(env, selected, "AWS_MAX_ATTEMPTS", "max_attempts")
        && py_int(v).is_none()
    {
        return Err(format!(
            "max_attempts = '{}' is not a whole number: botocore raises ValueError when it \
             creates the {service} client",
            crate::redact::clip(v)
        ));
    }
    if let Some(v) = setting(env, selected, "AWS_RETRY_MODE", "retry_mode")
        && !["legacy", "standard", "adaptive"].contains(&v)
    {
        return Err(format!(
            "retry_mode = '{}' is not legacy, standard or adaptive: botocore raises \
             InvalidRetryModeError when it creates the {service} client",
            crate::redact::clip(v)
        ));
    }
    // Every client asks the selected profile's SSO token provider for a bearer token.
    if let Some(name) = get(selected, "sso_session") {
        match cfg.sso_sessions.get(name) {
            Some(s) if s.contains_key("sso_start_url") && s.contains_key("sso_region") => {}
            _ => {
                return Err(format!(
                    "names sso_session {name}, whose [sso-session {name}] section is missing or \
                     lacks sso_start_url/sso_region: botocore raises InvalidConfigError when it \
                     creates the {service} client"
                ));
            }
        }
    }
    let ignore_endpoints = setting(
        env,
        selected,
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "ignore_configured_endpoint_urls",
    )
    .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let var = format!(
        "AWS_ENDPOINT_URL_{}",
        service.to_uppercase().replace('-', "_")
    );
    let endpoint_from_env = env.is_set(&var) || env.is_set("AWS_ENDPOINT_URL");
    let mut endpoint_configured = !ignore_endpoints && endpoint_from_env;
    if !ignore_endpoints && !endpoint_from_env {
        if let Some(services) = get(selected, "services") {
            match cfg.services.get(services) {
                None => {
                    return Err(format!(
                        "names services = {services}, but there is no [services {services}] \
                         section: botocore raises InvalidConfigError when it creates the \
                         {service} client"
                    ));
                }
                Some(s) => {
                    endpoint_configured |= s.get(service).is_some_and(|v| match v {
                        super::ini::Value::Nested(m) => m.contains_key("endpoint_url"),
                        super::ini::Value::Text(_) => false,
                    });
                }
            }
        }
        endpoint_configured |= selected.contains_key("endpoint_url");
    }
    if service == "sts" {
        let region = setting(env, selected, "AWS_DEFAULT_REGION", "region");
        if let Some(r) = region
            && let Some(why) = region_problem(r, "STS")
        {
            return Err(why);
        }
        if signed && region.is_none() && endpoint_configured {
            return Err(
                "an endpoint URL is configured but no region (AWS_DEFAULT_REGION or the \
                 profile's region; botocore does not read AWS_REGION): a signed AssumeRole \
                 raises NoRegionError"
                    .into(),
            );
        }
    }
    Ok(())
}

/// The SSO client's region, `sso_region`.
pub fn sso_region(region: &str) -> Result<(), String> {
    match region_problem(region, "SSO") {
        Some(why) => Err(why),
        None => Ok(()),
    }
}

/// AssumeRole's parameters as botocore validates them before sending (minimum lengths and
/// values only).
pub fn assume_role_params(
    role_arn: &str,
    session_name: Option<&str>,
    external_id: Option<&str>,
    duration: Option<i64>,
) -> Result<(), String> {
    let short = |what: &str, min: usize| {
        format!("{what} is shorter than {min} characters: botocore raises ParamValidationError")
    };
    if role_arn.chars().count() < 20 {
        return Err(short(
            &format!("role_arn '{}'", crate::redact::clip(role_arn)),
            20,
        ));
    }
    if let Some(n) = session_name.filter(|n| !n.is_empty())
        && n.chars().count() < 2
    {
        return Err(short(
            &format!("role_session_name '{}'", crate::redact::clip(n)),
            2,
        ));
    }
    if let Some(e) = external_id
        && e.chars().count() < 2
    {
        return Err(short(
            &format!("external_id '{}'", crate::redact::clip(e)),
            2,
        ));
    }
    if let Some(d) = duration
        && d < 900
    {
        return Err(format!(
            "duration_seconds = {d} is below 900: botocore raises ParamValidationError"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_int_accepts_what_int_accepts() {
        for (s, n) in [
            ("3600", 3600),
            (" 3600 ", 3600),
            ("+7", 7),
            ("-7", -7),
            ("3_600", 3600),
        ] {
            assert_eq!(py_int(s), Some(n), "{s}");
        }
        for s in ["", "1h", "3600.0", "_1", "1_", "1__0", "0x10"] {
            assert_eq!(py_int(s), None, "{s}");
        }
    }

    #[test]
    fn region_names_are_host_labels() {
        assert!(valid_region("us-east-1"));
        assert!(!valid_region("not a region"));
        assert!(!valid_region("-us"));
        assert!(!valid_region("123"));
    }
}
