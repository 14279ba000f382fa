//! The SDK set up the way a job's SDK is, but bounded: region, endpoints and profile resolved by
//! aws-config itself (so `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_STS`, `AWS_REGION` and the
//! profile's `region` mean what they mean to the job), with connect and operation timeouts
//! derived from the run's deadline on every client, and an interceptor that reads the server's
//! `Date` header.
//!
//! aws-config reads the process environment itself; gathering's own reading goes through
//! `Env`. The binary runs both on the same process environment, and live tests run the binary
//! with a cleared environment, so the two always agree.

use crate::env::{Clock, Env};
use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sdk_sts::config::interceptors::{
    BeforeDeserializationInterceptorContextRef, BeforeTransmitInterceptorContextRef,
};
use aws_sdk_sts::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_sts::error::BoxError;
use chrono::{DateTime, Utc};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// The region STS is asked in when nothing configures one: its global endpoint lives there.
pub const GLOBAL_STS_REGION: &str = "us-east-1";
pub const GLOBAL_STS_ENDPOINT: &str = "https://sts.amazonaws.com";

/// Time left before `deadline`, never zero (the SDK rejects a zero timeout).
pub fn remaining(deadline: Instant) -> Duration {
    deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_millis(1))
}

/// Timeouts for a call that must end by `deadline`. The operation timeout carries the deadline;
/// the connect timeout is a constant 3 s (a blackholed address should not eat the whole budget
/// of the other probes' retries) and there is no separate read timeout. Keeping the
/// connector's settings constant matters: the HTTP client builds one connector (TLS roots,
/// connection pool) per distinct setting, and a deadline-derived value would build a new one
/// for every client (a 200-profile audit peaked at 60 MiB instead of 23; docs/benchmarks.md).
pub fn timeouts(deadline: Instant) -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_secs(3))
        .operation_timeout(remaining(deadline))
        .build()
}

/// Loads the SDK configuration as the job would, bounded by `deadline`.
pub async fn load(profile: Option<&str>, region: Option<&str>, deadline: Instant) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(super::http::client())
        .timeout_config(timeouts(deadline))
        // Throttling and 5xx are retried (standard mode, 3 attempts) within the operation
        // timeout, i.e. within the deadline.
        .retry_config(RetryConfig::standard().with_max_attempts(3));
    if let Some(p) = profile {
        loader = loader.profile_name(p);
    }
    if let Some(r) = region {
        loader = loader.region(Region::new(r.to_string()));
    }
    loader.load().await
}

/// The SDK configuration, loaded once and kept, for a caller that asks more than once (`exec`'s
/// watch): its credential provider is then the same instance every time, as the job's own SDK
/// keeps one for its whole run. A load cut short by its deadline is tried again next time.
#[derive(Debug, Default)]
pub struct Held(tokio::sync::OnceCell<SdkConfig>);

impl Held {
    pub async fn config(
        &self,
        profile: Option<&str>,
        region: Option<&str>,
        deadline: Instant,
    ) -> SdkConfig {
        self.0
            .get_or_init(|| load(profile, region, deadline))
            .await
            .clone()
    }
}

/// Where the region came from, in the order the SDK looks, for the report.
pub fn region_source(env: &Env, flag: Option<&str>, resolved: Option<&Region>) -> String {
    if flag.is_some() {
        return "--region".into();
    }
    if resolved.is_none() {
        return format!("none configured: STS global endpoint ({GLOBAL_STS_REGION})");
    }
    for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        if env.var(var).is_some() {
            return var.into();
        }
    }
    "profile or instance metadata".into()
}

/// What the `Date` header said, and when we sent and received.
#[derive(Clone, Copy, Debug)]
pub struct ServerClock {
    pub server: DateTime<Utc>,
    pub sent: DateTime<Utc>,
    pub received: DateTime<Utc>,
}

impl ServerClock {
    /// Reference minus local, in seconds. `Date` has one-second resolution and is truncated,
    /// so the server's instant is taken as the middle of its second, compared with the middle
    /// of our request's flight (the server stamped the reply somewhere in between).
    pub fn offset_seconds(&self) -> f64 {
        let server = self.server.timestamp_millis() as f64 / 1000.0 + 0.5;
        let local =
            (self.sent.timestamp_millis() + self.received.timestamp_millis()) as f64 / 2000.0;
        server - local
    }
}

/// Captures the last response's `Date` header, and the endpoint the request went to.
#[derive(Clone, Debug)]
pub struct Observer {
    inner: Arc<Mutex<Observed>>,
    clock: Clock,
}

#[derive(Debug, Default)]
struct Observed {
    sent: Option<DateTime<Utc>>,
    clock: Option<ServerClock>,
    endpoint: Option<String>,
}

impl Observer {
    /// An observer that stamps requests and replies with `clock`.
    pub fn new(clock: &Clock) -> Observer {
        Observer {
            inner: Arc::default(),
            clock: clock.clone(),
        }
    }

    pub fn clock(&self) -> Option<ServerClock> {
        self.inner.lock().ok()?.clock
    }

    pub fn endpoint(&self) -> Option<String> {
        self.inner.lock().ok()?.endpoint.clone()
    }
}

impl Intercept for Observer {
    fn name(&self) -> &'static str {
        "expiry-doctor-observer"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Ok(mut o) = self.inner.lock() {
            o.sent = Some(self.clock.now());
            let uri = context.request().uri();
            // Scheme and authority only: the query string of a signed request is not ours to log.
            o.endpoint = Some(
                uri.split(['?', '#'])
                    .next()
                    .unwrap_or(uri)
                    .trim_end_matches('/')
                    .to_string(),
            );
        }
        Ok(())
    }

    fn read_after_transmit(
        &self,
        context: &BeforeDeserializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let received = self.clock.now();
        let date = context
            .response()
            .headers()
            .get("date")
            .and_then(|d| DateTime::parse_from_rfc2822(d).ok())
            .map(|d| d.with_timezone(&Utc));
        if let (Ok(mut o), Some(server)) = (self.inner.lock(), date) {
            let sent = o.sent.unwrap_or(received);
            o.clock = Some(ServerClock {
                server,
                sent,
                received,
            });
        }
        Ok(())
    }
}

/// An STS client using exactly `creds`, in `config`'s region (or the global endpoint).
pub fn sts_client(
    config: &SdkConfig,
    creds: &Credentials,
    deadline: Instant,
    observer: &Observer,
    global_endpoint: bool,
) -> aws_sdk_sts::Client {
    let mut b = aws_sdk_sts::config::Builder::from(config)
        .credentials_provider(SharedCredentialsProvider::new(creds.clone()))
        .timeout_config(timeouts(deadline))
        .interceptor(observer.clone());
    if config.region().is_none() {
        b = b.region(Region::new(GLOBAL_STS_REGION));
        if global_endpoint {
            b = b.endpoint_url(GLOBAL_STS_ENDPOINT);
        }
    }
    aws_sdk_sts::Client::from_conf(b.build())
}

/// An IAM client using exactly `creds`. IAM is global; its endpoint is in `us-east-1` for the
/// `aws` partition whatever the job's region.
pub fn iam_client(
    config: &SdkConfig,
    creds: &Credentials,
    deadline: Instant,
    observer: &Observer,
) -> aws_sdk_iam::Client {
    let mut b = aws_sdk_iam::config::Builder::from(config)
        .credentials_provider(SharedCredentialsProvider::new(creds.clone()))
        .timeout_config(timeouts(deadline))
        .interceptor(observer.clone());
    if config.region().is_none() {
        b = b.region(Region::new(GLOBAL_STS_REGION));
    }
    aws_sdk_iam::Client::from_conf(b.build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_is_reference_minus_local_at_the_midpoints() {
        let t = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        // Server says 12:10:00 (i.e. 12:10:00.5 on average); we sent at 12:00:00.100 and got
        // the reply at 12:00:00.300: the local clock is 600.3 s behind.
        let c = ServerClock {
            server: t("2026-11-23T12:10:00Z"),
            sent: t("2026-11-23T12:00:00.100Z"),
            received: t("2026-11-23T12:00:00.300Z"),
        };
        assert!(
            (c.offset_seconds() - 600.3).abs() < 1e-6,
            "{}",
            c.offset_seconds()
        );
    }
}
