//! A web identity token, read from its file: the JWT's `iat` and `exp` (the payload, base64url;
//! the signature is STS's to check, not ours), and whether something rotates it. A token that
//! is not a JWT, or carries no `exp`, leaves the times unknown.

use super::files;
use crate::env::Env;
use crate::facts::{Problem, ProblemKind, TokenRotation, WebIdentity};
use base64::Engine;
use chrono::{DateTime, Utc};

/// Where Kubernetes projects service-account tokens (EKS IRSA among them); the kubelet
/// rewrites a projected token well before it expires.
const PROJECTED_TOKEN_DIRS: &[&str] = &[
    "/var/run/secrets/eks.amazonaws.com/",
    "/var/run/secrets/kubernetes.io/",
];

/// Reads the token file `path` (named by `subject`). A missing or unreadable file is a
/// problem, and the token's facts are what could be read.
pub fn read(env: &Env, path: &str, subject: &str, problems: &mut Vec<Problem>) -> WebIdentity {
    let file = env.expand_home(path);
    let shown = file.display().to_string();
    let mut token = WebIdentity {
        token_file: shown.clone(),
        rotated_by: rotation(env, &shown),
        ..WebIdentity::default()
    };
    match files::read_capped(&file, files::CACHE_CAP) {
        Ok(Some(bytes)) => {
            if let Some((iat, exp)) = jwt_times(&bytes) {
                token.issued_at = iat;
                token.expires_at = exp;
            }
        }
        Ok(None) => problems.push(Problem::new(
            ProblemKind::TokenFile,
            shown,
            format!("does not exist (named by {subject}): AssumeRoleWithWebIdentity will fail"),
        )),
        Err(why) => problems.push(Problem::new(ProblemKind::TokenFile, shown, why)),
    }
    token
}

/// A projected Kubernetes token (inside a pod: `KUBERNETES_SERVICE_HOST` is set, or the file is
/// where Kubernetes projects tokens) is rewritten by the kubelet; nothing else is known to
/// rotate.
fn rotation(env: &Env, path: &str) -> Option<TokenRotation> {
    let projected = PROJECTED_TOKEN_DIRS.iter().any(|d| path.starts_with(d));
    (projected || env.var("KUBERNETES_SERVICE_HOST").is_some()).then_some(TokenRotation::Kubelet)
}

/// A JWT's `iat` and `exp`, each when it carries it.
pub type JwtTimes = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// The `iat` and `exp` of a JWT (`header.payload.signature`), as instants.
pub fn jwt_times(bytes: &[u8]) -> Option<JwtTimes> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    let mut parts = text.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&json).ok()?;
    let time = |key: &str| {
        claims
            .get(key)
            .and_then(serde_json::Value::as_i64)
            // A NumericDate is seconds (RFC 7519 §2); the one range for every instant read.
            .and_then(|s| crate::timestamps::from_epoch(s, 0))
    };
    Some((time("iat"), time("exp")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.sig", b64(r#"{"alg":"RS256"}"#), b64(claims))
    }

    #[test]
    fn a_jwt_s_times_are_read_from_its_payload() {
        let t = jwt_times(jwt(r#"{"iat":1795420800,"exp":1795507200,"sub":"x"}"#).as_bytes());
        assert_eq!(
            t,
            Some((
                Some("2026-11-23T08:00:00Z".parse().unwrap()),
                Some("2026-11-24T08:00:00Z".parse().unwrap())
            ))
        );
        assert_eq!(jwt_times(b"not a jwt"), None);
        assert_eq!(
            jwt_times(jwt(r#"{"sub":"x"}"#).as_bytes()),
            Some((None, None))
        );
        assert_eq!(jwt_times(b"a.!!!.c"), None);
    }

    #[test]
    fn projected_kubernetes_tokens_are_rotated() {
        let env = Env::fake([("HOME", "/h")], "2026-11-23T08:00:00Z".parse().unwrap());
        assert_eq!(
            rotation(
                &env,
                "/var/run/secrets/eks.amazonaws.com/serviceaccount/token"
            ),
            Some(TokenRotation::Kubelet)
        );
        assert_eq!(rotation(&env, "/tmp/gitlab-oidc-token"), None);
    }
}
