//! One HTTP client for every probe: the SDK's own (hyper, rustls on aws-lc, proxies from the
//! environment, as aws-config's default), shared by the STS and IAM clients and by aws-config's
//! credential providers (SSO portal, container endpoint, instance metadata), and bounded:
//! a reply that announces more than `MAX_REPLY` bytes is refused before its body is read, so
//! a hostile or broken endpoint cannot make the gate hold 100 MB in memory.

use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::{Builder, ConnectorBuilder, tls};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use std::sync::OnceLock;

/// STS, IAM and credential endpoints answer in kilobytes.
pub const MAX_REPLY: u64 = 1024 * 1024;

/// A reply refused for its size, before its body was read: a type of its own, so that the
/// failure is recognised by type wherever it surfaces (`errors.rs`).
#[derive(Debug)]
pub struct OversizedReply {
    pub announced: u64,
}

impl std::fmt::Display for OversizedReply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the reply announces {} bytes, more than the {MAX_REPLY} an AWS API answer needs; not read",
            self.announced
        )
    }
}

impl std::error::Error for OversizedReply {}

#[derive(Debug)]
struct Bounded(SharedHttpClient);

impl HttpClient for Bounded {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(BoundedConnector(
            self.0.http_connector(settings, components),
        ))
    }
}

#[derive(Debug)]
struct BoundedConnector(SharedHttpConnector);

impl HttpConnector for BoundedConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let reply = self.0.call(request);
        HttpConnectorFuture::new(async move {
            let response = reply.await?;
            let announced = response
                .headers()
                .get("content-length")
                .and_then(|v| v.trim().parse::<u64>().ok());
            if let Some(len) = announced
                && len > MAX_REPLY
            {
                return Err(ConnectorError::other(
                    Box::new(OversizedReply { announced: len }),
                    None,
                ));
            }
            Ok(response)
        })
    }
}

/// The process-wide client (connections are pooled across probes and profiles).
pub fn client() -> SharedHttpClient {
    static CLIENT: OnceLock<SharedHttpClient> = OnceLock::new();
    CLIENT
        .get_or_init(|| {
            let inner = Builder::new().build_with_connector_fn(|settings, components| {
                let mut b = ConnectorBuilder::default().tls_provider(tls::Provider::Rustls(
                    tls::rustls_provider::CryptoMode::AwsLc,
                ));
                b.set_connector_settings(settings.cloned());
                if let Some(c) = components {
                    b.set_sleep_impl(c.sleep_impl());
                }
                b.set_proxy_config(Some(ProxyConfig::from_env()));
                b.build()
            });
            SharedHttpClient::new(Bounded(inner))
        })
        .clone()
}

/// A provider configuration that uses the bounded client.
pub fn provider_config() -> aws_config::provider_config::ProviderConfig {
    aws_config::provider_config::ProviderConfig::default().with_http_client(client())
}
