//! Client configuration: region, credentials, signature version, endpoints, timeouts, retries, user agent.

use crate::credentials::{
    CachingProvider, CliProfileProvider, DefaultChain, Env, OsEnv, ProvideCredentials, StaticProvider,
};
use crate::{Credentials, Error, Network, Service, SignatureVersion};
use std::sync::Arc;
use std::time::Duration;

/// Default connect timeout (the official SDKs' default).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default read timeout: the longest wait for data from the server (the official SDKs' default).
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Default largest response body a call accepts: 64 MiB, far above any response of these APIs.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// Retry settings (PROTOCOL.md §6). Default: 4 attempts, base 200 ms, cap 20 s.
#[derive(Clone, Debug)]
pub struct RetryConfig {
    /// Attempts in total, including the first; `1` disables retries.
    pub max_attempts: u32,
    /// Backoff base: attempt `n` waits up to `base_delay * 2^(n-1)`, jittered.
    pub base_delay: Duration,
    /// Upper bound of a single wait, including one asked for by `x-acs-retry-after`.
    pub max_delay: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig { max_attempts: 4, base_delay: Duration::from_millis(200), max_delay: Duration::from_secs(20) }
    }
}

impl RetryConfig {
    /// One attempt, no retries.
    pub fn disabled() -> Self {
        RetryConfig { max_attempts: 1, ..RetryConfig::default() }
    }
}

/// Client configuration. Cheap to clone; `Debug` never shows secrets.
///
/// Proxies: the HTTP client honours `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (upper or lower case)
/// from the process environment; with an [`endpoint_url`](ConfigBuilder::endpoint_url) on `127.0.0.1`/`localhost`,
/// put those hosts in `NO_PROXY` if a proxy is set.
#[derive(Clone)]
pub struct Config {
    region: Option<String>,
    credentials: Arc<dyn ProvideCredentials>,
    signature_version: SignatureVersion,
    endpoint_url: Option<String>,
    network: Network,
    connect_timeout: Duration,
    read_timeout: Duration,
    attempt_timeout: Option<Duration>,
    max_response_bytes: u64,
    retry: RetryConfig,
    user_agent: String,
    user_agent_suffix: Option<String>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("signature_version", &self.signature_version)
            .field("endpoint_url", &self.endpoint_url)
            .field("network", &self.network)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

impl Config {
    /// A builder with the defaults: V3, public endpoints, 5 s connect, 10 s read, 4 attempts, default chain.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// Region from `ALIBABA_CLOUD_REGION_ID` (else the aliyun-cli profile's `region_id`), credentials from the
    /// default chain, proxy from `HTTPS_PROXY`/`NO_PROXY`.
    pub fn from_env() -> Result<Config, Error> {
        Config::from_env_with(Arc::new(OsEnv))
    }

    /// [`Config::from_env`] over an injected environment.
    pub fn from_env_with(env: Arc<dyn Env>) -> Result<Config, Error> {
        let mut b = Config::builder().credentials_provider(DefaultChain::with_env(env.clone()));
        let region = env
            .non_empty("ALIBABA_CLOUD_REGION_ID")
            .map(|r| r.trim().to_owned())
            .or_else(|| CliProfileProvider::new(env.clone()).region());
        if let Some(region) = region {
            b = b.region(region);
        }
        b.build()
    }

    /// A builder holding every setting of this configuration (including its credentials provider), to derive a
    /// variant, e.g. `config.to_builder().static_credentials(id, secret).build()`.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            region: self.region.clone(),
            credentials: Some(self.credentials.clone()),
            signature_version: self.signature_version,
            endpoint_url: self.endpoint_url.clone(),
            network: self.network,
            connect_timeout: Some(self.connect_timeout),
            read_timeout: Some(self.read_timeout),
            attempt_timeout: self.attempt_timeout,
            max_response_bytes: Some(self.max_response_bytes),
            retry: Some(self.retry.clone()),
            user_agent_suffix: self.user_agent_suffix.clone(),
        }
    }

    /// The same configuration with another credentials provider (wrapped in a refresh cache).
    pub fn with_credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Config {
        self.credentials = Arc::new(CachingProvider::new(provider));
        self
    }

    /// The default region.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The signature version used for every call.
    pub fn signature_version(&self) -> SignatureVersion {
        self.signature_version
    }

    /// The credentials provider (already wrapped in a refresh cache).
    pub fn credentials_provider(&self) -> &Arc<dyn ProvideCredentials> {
        &self.credentials
    }

    /// The explicit endpoint override, if any.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Public or VPC endpoints.
    pub fn network(&self) -> Network {
        self.network
    }

    /// Connect timeout (TCP and TLS).
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// Read timeout: the longest wait for data from the server (for the response to start, then between two reads
    /// of its body).
    pub fn read_timeout(&self) -> Duration {
        self.read_timeout
    }

    /// The limit of a whole attempt (connect, send, response, body), if any; a call's
    /// [`CallOptions::attempt_timeout`](crate::CallOptions::attempt_timeout) overrides it.
    pub fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt_timeout
    }

    /// The largest response body a call accepts, in bytes.
    pub fn max_response_bytes(&self) -> u64 {
        self.max_response_bytes
    }

    /// Retry settings.
    pub fn retry(&self) -> &RetryConfig {
        &self.retry
    }

    /// The `User-Agent` header sent.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// `https://ecs-cn-hangzhou.aliyuncs.com` etc. (PROTOCOL.md §7), or the explicit endpoint_url override.
    ///
    /// `region` overrides the configured region. RAM is global; STS without a region uses `sts.aliyuncs.com`.
    pub fn endpoint(&self, service: Service, region: Option<&str>) -> Result<String, Error> {
        if let Some(url) = &self.endpoint_url {
            return Ok(url.trim_end_matches('/').to_owned());
        }
        let region = region.or(self.region.as_deref()).map(str::trim).filter(|r| !r.is_empty());
        if let Some(r) = region {
            check_region(r)?;
        }
        let need = |r: Option<&str>| -> Result<String, Error> {
            r.map(str::to_owned).ok_or_else(|| {
                Error::Config(format!(
                    "{} needs a region: set it on the config, in ALIBABA_CLOUD_REGION_ID or as RegionId",
                    service.product_code()
                ))
            })
        };
        let code = service.product_code();
        let host = match (service, self.network) {
            (Service::Ram, Network::Public) => "ram.aliyuncs.com".to_owned(),
            (Service::Ram, Network::Vpc) => "ram.vpc-proxy.aliyuncs.com".to_owned(),
            (Service::Sts, Network::Public) => match region {
                Some(r) => format!("sts.{r}.aliyuncs.com"),
                None => "sts.aliyuncs.com".to_owned(),
            },
            (Service::Ecs, Network::Public) => {
                let r = need(region)?;
                if r == "cn-hangzhou" {
                    "ecs-cn-hangzhou.aliyuncs.com".to_owned()
                } else {
                    format!("ecs.{r}.aliyuncs.com")
                }
            }
            (_, Network::Public) => format!("{code}.{}.aliyuncs.com", need(region)?),
            (_, Network::Vpc) => format!("{code}-vpc.{}.aliyuncs.com", need(region)?),
        };
        Ok(format!("https://{host}"))
    }
}

fn check_region(region: &str) -> Result<(), Error> {
    if region.len() > 64 || !region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Err(Error::invalid_input("RegionId", format!("{region:?} is not a region id (like cn-hangzhou)")));
    }
    Ok(())
}

/// Builds a [`Config`]; every setter takes `self` and returns `Self`.
#[derive(Default)]
pub struct ConfigBuilder {
    region: Option<String>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    signature_version: SignatureVersion,
    endpoint_url: Option<String>,
    network: Network,
    connect_timeout: Option<Duration>,
    read_timeout: Option<Duration>,
    attempt_timeout: Option<Duration>,
    max_response_bytes: Option<u64>,
    retry: Option<RetryConfig>,
    user_agent_suffix: Option<String>,
}

impl std::fmt::Debug for ConfigBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConfigBuilder")
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("signature_version", &self.signature_version)
            .field("endpoint_url", &self.endpoint_url)
            .finish_non_exhaustive()
    }
}

impl ConfigBuilder {
    /// The default region (e.g. `cn-hangzhou`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Where credentials come from; wrapped in a cache that refreshes temporary credentials before expiry.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(CachingProvider::new(provider)));
        self
    }

    /// A fixed AccessKey pair.
    pub fn static_credentials(self, access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        self.credentials_provider(StaticProvider::new(Credentials::new(access_key_id, access_key_secret)))
    }

    /// V3 (default) or V1.
    pub fn signature_version(mut self, v: SignatureVersion) -> Self {
        self.signature_version = v;
        self
    }

    /// An explicit endpoint such as `http://127.0.0.1:PORT`, used for EVERY service.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Public (default) or VPC endpoints.
    pub fn network(mut self, n: Network) -> Self {
        self.network = n;
        self
    }

    /// Connect timeout: establishing the TCP connection and the TLS session; default 5 s. Exceeding it is an
    /// [`Error::Timeout`] of kind [`Connect`](crate::TimeoutKind::Connect), retried (the request was not sent).
    pub fn connect_timeout(mut self, d: Duration) -> Self {
        self.connect_timeout = Some(d);
        self
    }

    /// Read timeout: the longest the client waits for data from the server, for the response to start (counted
    /// from the start of the attempt) and then between two reads of the body; default 10 s. A server that keeps
    /// sending, however slowly, never trips it: use [`attempt_timeout`](Self::attempt_timeout) to bound the whole
    /// attempt. Exceeding it is an [`Error::Timeout`] of kind [`Read`](crate::TimeoutKind::Read).
    ///
    /// Earlier versions of this crate used `read_timeout` as a whole-attempt timeout; that is now `attempt_timeout`.
    pub fn read_timeout(mut self, d: Duration) -> Self {
        self.read_timeout = Some(d);
        self
    }

    /// Attempt timeout: the limit of one whole attempt (connect, send, response and body); default none, as in
    /// the official SDKs (connect and read timeouts catch a dead connection). Each retry gets the full limit again.
    /// [`CallOptions::attempt_timeout`](crate::CallOptions::attempt_timeout) overrides it per call. Exceeding it is
    /// an [`Error::Timeout`] of kind [`Attempt`](crate::TimeoutKind::Attempt), retried only for reads and writes
    /// carrying a `ClientToken`.
    pub fn attempt_timeout(mut self, d: Duration) -> Self {
        self.attempt_timeout = Some(d);
        self
    }

    /// The largest response body a call accepts, in bytes; default [`DEFAULT_MAX_RESPONSE_BYTES`] (64 MiB).
    ///
    /// Enforced while the body streams in (whether or not a `Content-Length` announces it): a larger response fails
    /// with [`Error::ResponseTooLarge`] naming the action and the limit, and is not retried. Must be at least 1.
    /// The credential providers' own requests (metadata service, STS, credentials URI) have a fixed limit of
    /// [`crate::credentials::MAX_RESPONSE_BYTES`] (1 MiB).
    pub fn max_response_bytes(mut self, bytes: u64) -> Self {
        self.max_response_bytes = Some(bytes);
        self
    }

    /// Retry settings.
    pub fn retry(mut self, r: RetryConfig) -> Self {
        self.retry = Some(r);
        self
    }

    /// Appended to the `User-Agent` header (e.g. your application's name and version).
    pub fn user_agent_suffix(mut self, s: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(s.into());
        self
    }

    /// Checks and builds the configuration. Without a credentials provider the default chain is used (lazily:
    /// nothing is read until the first call).
    pub fn build(self) -> Result<Config, Error> {
        if let Some(r) = self.region.as_deref() {
            check_region(r)
                .map_err(|_| Error::Config(format!("region {r:?} is not a region id (like cn-hangzhou)")))?;
        }
        if let Some(url) = self.endpoint_url.as_deref() {
            let shown = without_user_info(url);
            let parsed = reqwest::Url::parse(url).map_err(|e| Error::Config(format!("endpoint_url {shown:?}: {e}")))?;
            if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
                return Err(Error::Config(format!("endpoint_url {shown:?} must be an http(s) URL with a host")));
            }
            crate::request::split_endpoint(url)?;
        }
        for (name, timeout) in [
            ("connect_timeout", self.connect_timeout),
            ("read_timeout", self.read_timeout),
            ("attempt_timeout", self.attempt_timeout),
        ] {
            if timeout == Some(Duration::ZERO) {
                return Err(Error::Config(format!("{name} must be longer than zero")));
            }
        }
        let max_response_bytes = self.max_response_bytes.unwrap_or(DEFAULT_MAX_RESPONSE_BYTES);
        if max_response_bytes == 0 {
            return Err(Error::Config("max_response_bytes must be at least 1".into()));
        }
        let retry = self.retry.unwrap_or_default();
        if retry.max_attempts == 0 {
            return Err(Error::Config("retry.max_attempts must be at least 1".into()));
        }
        let mut user_agent = format!(
            "acs-rust-sdk/{} ({}; {})",
            env!("CARGO_PKG_VERSION"),
            std::env::consts::OS,
            std::env::consts::ARCH
        );
        let user_agent_suffix = self.user_agent_suffix.filter(|s| !s.is_empty());
        if let Some(s) = &user_agent_suffix {
            if s.chars().any(|c| c.is_control()) {
                return Err(Error::Config("user_agent_suffix must not contain control characters".into()));
            }
            user_agent.push(' ');
            user_agent.push_str(s);
        }
        Ok(Config {
            region: self.region,
            credentials: self.credentials.unwrap_or_else(|| Arc::new(CachingProvider::new(DefaultChain::new()))),
            signature_version: self.signature_version,
            endpoint_url: self.endpoint_url,
            network: self.network,
            connect_timeout: self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
            read_timeout: self.read_timeout.unwrap_or(DEFAULT_READ_TIMEOUT),
            attempt_timeout: self.attempt_timeout,
            max_response_bytes,
            retry,
            user_agent,
            user_agent_suffix,
        })
    }
}

/// `url` as it may be shown in a message: anything between `://` and the last `@` of the authority (a user name and
/// password) replaced by `***`.
fn without_user_info(url: &str) -> std::borrow::Cow<'_, str> {
    let Some(start) = url.find("://").map(|i| i + 3) else { return url.into() };
    let authority_end = url[start..].find(['/', '?', '#']).map_or(url.len(), |i| start + i);
    match url[start..authority_end].rfind('@') {
        Some(at) => format!("{}***{}", &url[..start], &url[start + at..]).into(),
        None => url.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_errors_never_show_a_password() {
        for url in ["ftp://user:pw-SENTINEL@h", "http://user:pw-SENTINEL@", "https://user:pw-SENTINEL@h:99999"] {
            let e = Config::builder().endpoint_url(url).build().unwrap_err().to_string();
            assert!(e.contains("endpoint_url") && !e.contains("pw-SENTINEL") && !e.contains("user:"), "{e}");
        }
        assert_eq!(without_user_info("http://h:1/p@x"), "http://h:1/p@x");
        assert_eq!(without_user_info("http://a:b@h:1/p"), "http://***@h:1/p");
    }
    use crate::credentials::MapEnv;

    fn cfg(region: Option<&str>, network: Network) -> Config {
        let mut b = Config::builder().static_credentials("id", "s").network(network);
        if let Some(r) = region {
            b = b.region(r);
        }
        b.build().unwrap()
    }

    #[test]
    fn endpoint_rules() {
        let c = cfg(Some("cn-hangzhou"), Network::Public);
        assert_eq!(c.endpoint(Service::Ecs, None).unwrap(), "https://ecs-cn-hangzhou.aliyuncs.com");
        assert_eq!(c.endpoint(Service::Ecs, Some("cn-beijing")).unwrap(), "https://ecs.cn-beijing.aliyuncs.com");
        assert_eq!(c.endpoint(Service::Ram, None).unwrap(), "https://ram.aliyuncs.com");
        assert_eq!(c.endpoint(Service::Oos, None).unwrap(), "https://oos.cn-hangzhou.aliyuncs.com");
        assert_eq!(c.endpoint(Service::Kms, None).unwrap(), "https://kms.cn-hangzhou.aliyuncs.com");
        assert_eq!(c.endpoint(Service::Sts, None).unwrap(), "https://sts.cn-hangzhou.aliyuncs.com");
        let v = cfg(Some("cn-shanghai"), Network::Vpc);
        assert_eq!(v.endpoint(Service::Ecs, None).unwrap(), "https://ecs-vpc.cn-shanghai.aliyuncs.com");
        assert_eq!(v.endpoint(Service::Ram, None).unwrap(), "https://ram.vpc-proxy.aliyuncs.com");
        assert_eq!(v.endpoint(Service::Kms, None).unwrap(), "https://kms-vpc.cn-shanghai.aliyuncs.com");
        assert_eq!(v.endpoint(Service::Sts, None).unwrap(), "https://sts-vpc.cn-shanghai.aliyuncs.com");
        let none = cfg(None, Network::Public);
        assert_eq!(none.endpoint(Service::Sts, None).unwrap(), "https://sts.aliyuncs.com");
        assert_eq!(none.endpoint(Service::Ram, None).unwrap(), "https://ram.aliyuncs.com");
        assert!(matches!(none.endpoint(Service::Ecs, None), Err(Error::Config(_))));
        assert!(matches!(none.endpoint(Service::Ecs, Some("evil.com/x")), Err(Error::InvalidInput { .. })));
    }

    #[test]
    fn override_applies_to_every_service() {
        let c = Config::builder().static_credentials("id", "s").endpoint_url("http://127.0.0.1:8080/").build().unwrap();
        for s in [Service::Ecs, Service::Ram, Service::Oos, Service::Kms, Service::Sts] {
            assert_eq!(c.endpoint(s, None).unwrap(), "http://127.0.0.1:8080");
        }
        assert!(Config::builder().endpoint_url("not a url").build().is_err());
        assert!(Config::builder().endpoint_url("ftp://x").build().is_err());
    }

    #[test]
    fn endpoint_url_parts_that_would_be_dropped_are_rejected() {
        // Requests always go to `/` of the host: a path, query, fragment or user info would be silently lost.
        for url in
            ["http://gw.example/ecs", "http://gw.example/ecs/", "http://h:1/?a=b", "http://h/#f", "http://u:p@h/"]
        {
            match Config::builder().static_credentials("id", "s").endpoint_url(url).build() {
                Err(Error::Config(message)) => assert!(message.contains("endpoint_url"), "{message}"),
                other => panic!("{url}: expected a configuration error, got {other:?}"),
            }
        }
        for url in ["http://[::1]:8080", "https://ecs.example:8443/", "http://127.0.0.1:9"] {
            assert!(Config::builder().static_credentials("id", "s").endpoint_url(url).build().is_ok(), "{url}");
        }
    }

    #[test]
    fn defaults_and_from_env() {
        let c = Config::from_env_with(Arc::new(MapEnv::new().with("ALIBABA_CLOUD_REGION_ID", "cn-beijing"))).unwrap();
        assert_eq!(c.region(), Some("cn-beijing"));
        assert_eq!(c.signature_version(), SignatureVersion::V3);
        assert_eq!(c.connect_timeout(), Duration::from_secs(5));
        assert_eq!(c.read_timeout(), Duration::from_secs(10));
        assert_eq!(c.retry().max_attempts, 4);
        assert_eq!(c.attempt_timeout(), None);
        assert_eq!(c.max_response_bytes(), 64 * 1024 * 1024);
        for zero in [
            Config::builder().connect_timeout(Duration::ZERO),
            Config::builder().read_timeout(Duration::ZERO),
            Config::builder().attempt_timeout(Duration::ZERO),
        ] {
            assert!(matches!(zero.build(), Err(Error::Config(m)) if m.contains("_timeout")));
        }
        assert!(Config::builder().max_response_bytes(0).build().is_err());
        assert!(Config::builder().region("CN HANGZHOU").build().is_err());
        assert!(Config::builder().retry(RetryConfig { max_attempts: 0, ..RetryConfig::default() }).build().is_err());
        let ua = Config::builder().user_agent_suffix("app/1").build().unwrap();
        assert!(ua.user_agent().starts_with("acs-rust-sdk/") && ua.user_agent().ends_with(" app/1"));
    }

    #[tokio::test]
    async fn to_builder_keeps_settings_and_swaps_credentials() {
        let base = Config::builder()
            .region("cn-beijing")
            .static_credentials("a", "s")
            .signature_version(SignatureVersion::V1)
            .endpoint_url("http://127.0.0.1:1")
            .network(Network::Vpc)
            .read_timeout(Duration::from_secs(3))
            .attempt_timeout(Duration::from_secs(7))
            .max_response_bytes(4096)
            .retry(RetryConfig::disabled())
            .user_agent_suffix("app/2")
            .build()
            .unwrap();
        let derived = base.to_builder().static_credentials("b", "t").build().unwrap();
        assert_eq!(derived.region(), Some("cn-beijing"));
        assert_eq!(derived.signature_version(), SignatureVersion::V1);
        assert_eq!(derived.endpoint_url(), Some("http://127.0.0.1:1"));
        assert_eq!(derived.network(), Network::Vpc);
        assert_eq!(derived.read_timeout(), Duration::from_secs(3));
        assert_eq!(derived.attempt_timeout(), Some(Duration::from_secs(7)));
        assert_eq!(derived.max_response_bytes(), 4096);
        assert_eq!(derived.retry().max_attempts, 1);
        assert_eq!(derived.user_agent(), base.user_agent());
        let id = |c: &Config| {
            let p = c.credentials_provider().clone();
            async move { p.provide_credentials().await.unwrap().access_key_id }
        };
        assert_eq!(id(&derived).await, "b");
        assert_eq!(id(&base).await, "a");
        let swapped = base.clone().with_credentials_provider(StaticProvider::new(Credentials::new("c", "u")));
        assert_eq!(id(&swapped).await, "c");
    }

    #[test]
    fn debug_has_no_secret() {
        let c = Config::builder().static_credentials("AKID", "SENTINEL-SECRET").build().unwrap();
        let d = format!("{c:?}");
        assert!(d.contains("AKID") && !d.contains("SENTINEL"), "{d}");
    }
}
