//! Tiny loopback HTTP stubs for what moto cannot do: an STS that answers ExpiredToken, a
//! listener that never answers, an IMDSv2 endpoint, an ECS credentials endpoint.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};

pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    pub headers: Vec<(&'static str, String)>,
}

impl Response {
    pub fn ok(content_type: &'static str, body: impl Into<String>) -> Response {
        Response {
            status: 200,
            content_type,
            body: body.into(),
            headers: Vec::new(),
        }
    }
    pub fn status(status: u16, body: impl Into<String>) -> Response {
        Response {
            status,
            content_type: "text/plain",
            body: body.into(),
            headers: Vec::new(),
        }
    }
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

pub struct Stub {
    pub url: String,
    pub port: u16,
}

type Handler = dyn Fn(&Request) -> Response + Send + Sync;

/// Serves `handler` on a free loopback port until the test process ends.
pub fn http(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> Stub {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handler: Arc<Handler> = Arc::new(handler);
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let handler = handler.clone();
            std::thread::spawn(move || serve(conn, &*handler));
        }
    });
    Stub {
        url: format!("http://127.0.0.1:{port}"),
        port,
    }
}

fn serve(mut conn: TcpStream, handler: &Handler) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let (method, path) = (
            parts.next().unwrap_or("").to_string(),
            parts.next().unwrap_or("").to_string(),
        );
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.push((k.trim().to_string(), v.trim().to_string()));
            }
        }
        let len = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse::<usize>().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let resp = handler(&Request {
            method,
            path,
            headers,
            body,
        });
        let date = httpdate();
        let extra: String = resp
            .headers
            .iter()
            .map(|(k, v)| format!("{k}: {v}\r\n"))
            .collect();
        let head = format!(
            "HTTP/1.1 {} X\r\nContent-Type: {}\r\nContent-Length: {}\r\nDate: {date}\r\n{extra}\r\n",
            resp.status,
            resp.content_type,
            resp.body.len()
        );
        // One write: a reused connection would otherwise wait for the client's delayed ACK
        // (Nagle) before the body, about 40 ms a request.
        let mut whole = head.into_bytes();
        whole.extend_from_slice(resp.body.as_bytes());
        if conn.write_all(&whole).is_err() {
            return;
        }
    }
}

fn httpdate() -> String {
    chrono::Utc::now()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}

/// Accepts connections and reads them, but never answers: an endpoint that hangs.
pub fn blackhole() -> Stub {
    blackhole_watched().0
}

/// As [`blackhole`], and says so on the channel each time a request arrives (the first bytes
/// of a connection were read): from then on the client is waiting for an answer that never
/// comes.
pub fn blackhole_watched() -> (Stub, Receiver<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (arrived, rx) = channel();
    std::thread::spawn(move || {
        for mut conn in listener.incoming().flatten() {
            let arrived = arrived.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                let mut told = false;
                // Read until the client hangs up; the connection stays open until then.
                while let Ok(n) = conn.read(&mut buf) {
                    if n == 0 {
                        return;
                    }
                    if !told {
                        told = true;
                        let _ = arrived.send(());
                    }
                }
            });
        }
    });
    (
        Stub {
            url: format!("http://127.0.0.1:{port}"),
            port,
        },
        rx,
    )
}

/// STS answering every call with an AWS query-protocol error, as AWS words it.
pub fn sts_error(status: u16, code: &'static str, message: &'static str) -> Stub {
    http(move |_| Response {
        status,
        content_type: "text/xml",
        headers: Vec::new(),
        body: format!(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n    \
             <Type>Sender</Type>\n    <Code>{code}</Code>\n    <Message>{message}</Message>\n  \
             </Error>\n  <RequestId>4c0b0c4e-0000-4000-8000-000000000000</RequestId>\n</ErrorResponse>\n"
        ),
    })
}

/// STS answering every call with the real ExpiredToken error body.
pub fn sts_expired_token() -> Stub {
    sts_error(
        403,
        "ExpiredToken",
        "The security token included in the request is expired",
    )
}

/// Credentials JSON with the given expiry.
fn creds_json(key: &str, expiration: &str, extra: &str) -> String {
    format!(
        r#"{{"AccessKeyId": "{key}", "SecretAccessKey": "{}", "Token": "{}", "Expiration": "{expiration}"{extra}}}"#,
        super::SECRET,
        super::TOKEN
    )
}

/// IMDSv2: a token, one role, its credentials.
pub fn imds(role: &'static str, key: &'static str, expiration: String) -> Stub {
    http(move |req| {
        let token_ok = req.header("x-aws-ec2-metadata-token") == Some("stub-token");
        match (req.method.as_str(), req.path.as_str()) {
            ("PUT", "/latest/api/token") => Response::ok("text/plain", "stub-token")
                .header("x-aws-ec2-metadata-token-ttl-seconds", "21600"),
            (_, _) if !token_ok => Response::status(401, ""),
            ("GET", "/latest/meta-data/iam/security-credentials/") => {
                Response::ok("text/plain", role)
            }
            ("GET", p) if p == format!("/latest/meta-data/iam/security-credentials/{role}") => {
                Response::ok(
                    "application/json",
                    creds_json(
                        key,
                        &expiration,
                        r#", "Code": "Success", "Type": "AWS-HMAC", "LastUpdated": "2026-01-01T00:00:00Z""#,
                    ),
                )
            }
            _ => Response::status(404, ""),
        }
    })
}

/// The ECS/EKS container credentials endpoint (`AWS_CONTAINER_CREDENTIALS_FULL_URI`).
pub fn ecs(key: &'static str, expiration: String) -> Stub {
    http(move |req| match req.path.as_str() {
        "/creds" => Response::ok(
            "application/json",
            creds_json(
                key,
                &expiration,
                r#", "RoleArn": "arn:aws:iam::123456789012:role/task""#,
            ),
        ),
        _ => Response::status(404, ""),
    })
}

/// An ECS endpoint whose every answer is a new session, as a task role's are when the agent
/// rotates them: credentials expiring `lifetime_secs` after the request, and at least a second
/// later than the previous answer's however quickly the requests come. Also returns the
/// expirations served, in order.
pub fn ecs_refreshing(key: &'static str, lifetime_secs: i64) -> (Stub, Arc<Mutex<Vec<String>>>) {
    let served = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = served.clone();
    let stub = http(move |req| match req.path.as_str() {
        "/creds" => {
            let mut served = log.lock().unwrap();
            // A new session each time: `lifetime_secs` from now, and later than the last one.
            let fresh = chrono::Utc::now() + chrono::TimeDelta::seconds(lifetime_secs);
            let after_last = served
                .last()
                .and_then(|t| t.parse::<chrono::DateTime<chrono::Utc>>().ok())
                .map(|t| t + chrono::TimeDelta::seconds(1));
            let expiration = after_last
                .map_or(fresh, |t| t.max(fresh))
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string();
            served.push(expiration.clone());
            Response::ok(
                "application/json",
                creds_json(
                    key,
                    &expiration,
                    r#", "RoleArn": "arn:aws:iam::123456789012:role/task""#,
                ),
            )
        }
        _ => Response::status(404, ""),
    });
    (stub, served)
}

/// The IAM Identity Center portal's GetRoleCredentials (`AWS_ENDPOINT_URL_SSO`): role
/// credentials for any account and role, for a bearer token, expiring at `expires_ms`.
pub fn sso_portal(expires_ms: i64) -> Stub {
    http(move |req| {
        if !req.path.starts_with("/federation/credentials")
            || req.header("x-amz-sso_bearer_token").is_none()
        {
            return Response::status(401, "{\"message\":\"Session token not found or invalid\"}");
        }
        Response::ok(
            "application/json",
            format!(
                r#"{{"roleCredentials": {{"accessKeyId": "ASIASSOSTUBKEYXXWXYZ", "secretAccessKey": "{}", "sessionToken": "{}", "expiration": {expires_ms}}}}}"#,
                super::SECRET,
                super::TOKEN
            ),
        )
    })
}

/// The XML of an IAM role as GetRole and ListRoles return it.
fn iam_role_xml(name: &str, max_session_duration: i64) -> String {
    format!(
        "<Path>/</Path><RoleName>{name}</RoleName><RoleId>AROAEXAMPLEROLEID0001</RoleId>\
         <Arn>arn:aws:iam::123456789012:role/{name}</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate>\
         <MaxSessionDuration>{max_session_duration}</MaxSessionDuration>"
    )
}

/// STS and IAM on one endpoint (`AWS_ENDPOINT_URL`), as far as a check needs them:
/// GetCallerIdentity answers a session of role `etl`, and GetRole and ListRoles answer that
/// role with `max_session_duration`, whatever it is (IAM itself allows 3600 to 43200).
pub fn sts_and_iam(max_session_duration: i64) -> Stub {
    http(move |req| {
        let body = String::from_utf8_lossy(&req.body);
        let xml = |action: &str, ns: &str, result: String| {
            Response::ok(
                "text/xml",
                format!(
                    "<{action}Response xmlns=\"{ns}\"><{action}Result>{result}</{action}Result>\
                     <ResponseMetadata><RequestId>4c0b0c4e-0000-4000-8000-000000000000</RequestId>\
                     </ResponseMetadata></{action}Response>"
                ),
            )
        };
        const STS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";
        const IAM: &str = "https://iam.amazonaws.com/doc/2010-05-08/";
        if body.contains("Action=GetCallerIdentity") {
            xml(
                "GetCallerIdentity",
                STS,
                "<Arn>arn:aws:sts::123456789012:assumed-role/etl/job</Arn>\
                 <UserId>AROAEXAMPLEROLEID0001:job</UserId><Account>123456789012</Account>"
                    .into(),
            )
        } else if body.contains("Action=GetRole") {
            xml(
                "GetRole",
                IAM,
                format!("<Role>{}</Role>", iam_role_xml("etl", max_session_duration)),
            )
        } else if body.contains("Action=ListRoles") {
            xml(
                "ListRoles",
                IAM,
                format!(
                    "<IsTruncated>false</IsTruncated><Roles><member>{}</member></Roles>",
                    iam_role_xml("etl", max_session_duration)
                ),
            )
        } else {
            Response::status(400, "")
        }
    })
}
