//! Temporary credentials from STS: `AssumeRole` (V1-signed) and `AssumeRoleWithOIDC` (unsigned).

use super::http::{self, describe};
use super::{Credentials, CredentialsError, Env, ProvideCredentials};
use crate::request::{self, encode_pairs};
use crate::{Operation, OperationKind, Service, SignatureVersion};
use futures::future::BoxFuture;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Default `DurationSeconds`.
pub const DEFAULT_DURATION_SECONDS: u32 = 3600;
/// Smallest `DurationSeconds` STS accepts.
pub const MIN_DURATION_SECONDS: u32 = 900;

/// `https://sts.aliyuncs.com` or `https://sts.{region}.aliyuncs.com`.
pub(crate) fn sts_endpoint(region: Option<&str>) -> String {
    match region.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => format!("https://sts.{r}.aliyuncs.com"),
        None => "https://sts.aliyuncs.com".to_owned(),
    }
}

fn default_session_name(env: Option<&dyn Env>) -> String {
    env.and_then(|e| e.non_empty("ALIBABA_CLOUD_ROLE_SESSION_NAME")).unwrap_or_else(|| {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        format!("acs-rust-sdk-{secs}")
    })
}

async fn post_sts(
    http: &reqwest::Client,
    url: String,
    headers: &[(String, String)],
    body: Vec<u8>,
    action: &str,
) -> Result<Credentials, CredentialsError> {
    let mut req = http.post(url);
    for (k, v) in headers {
        req = req.header(k.as_str(), v.as_str());
    }
    let resp =
        req.body(body).send().await.map_err(|e| CredentialsError::new(format!("STS {action}: {}", describe(e))))?;
    let (status, body) = http::read(resp).await.map_err(|e| CredentialsError::new(format!("STS {action}: {e}")))?;
    if !(200..300).contains(&status) {
        let err = crate::error::parse_error_body(status, &body, None);
        return Err(CredentialsError::new(format!("STS {action} failed: {err}")));
    }
    let json = http::parse_json(&body, &format!("STS {action}"))?;
    let creds = json
        .get("Credentials")
        .ok_or_else(|| CredentialsError::new(format!("STS {action}: response has no Credentials")))?;
    http::temporary_credentials(creds, &format!("STS {action}"))
}

/// Assumes a RAM role with `AssumeRole`, signing with V1 using the source provider's credentials.
#[derive(Debug)]
pub struct AssumeRoleProvider {
    source: Arc<dyn ProvideCredentials>,
    role_arn: String,
    session_name: String,
    duration_seconds: u32,
    policy: Option<String>,
    external_id: Option<String>,
    endpoint: String,
    http: Result<reqwest::Client, String>,
}

impl AssumeRoleProvider {
    /// Assumes `role_arn` with credentials from `source`; session name `acs-rust-sdk-<time>`, 3600 s, global STS.
    pub fn new(source: impl ProvideCredentials + 'static, role_arn: impl Into<String>) -> Self {
        AssumeRoleProvider::from_arc(Arc::new(source), role_arn)
    }

    pub(crate) fn from_arc(source: Arc<dyn ProvideCredentials>, role_arn: impl Into<String>) -> Self {
        AssumeRoleProvider {
            source,
            role_arn: role_arn.into(),
            session_name: default_session_name(None),
            duration_seconds: DEFAULT_DURATION_SECONDS,
            policy: None,
            external_id: None,
            endpoint: sts_endpoint(None),
            http: http::client(Duration::from_secs(5), Duration::from_secs(10), true),
        }
    }

    /// `RoleSessionName`.
    pub fn with_session_name(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        if !name.is_empty() {
            self.session_name = name;
        }
        self
    }

    /// `DurationSeconds` (raised to at least 900).
    pub fn with_duration_seconds(mut self, seconds: u32) -> Self {
        self.duration_seconds = seconds.max(MIN_DURATION_SECONDS);
        self
    }

    /// A session `Policy` (JSON text) narrowing the role's permissions.
    pub fn with_policy(mut self, policy: impl Into<String>) -> Self {
        self.policy = Some(policy.into()).filter(|p| !p.is_empty());
        self
    }

    /// `ExternalId`.
    pub fn with_external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into()).filter(|p| !p.is_empty());
        self
    }

    /// The regional STS endpoint `sts.{region}.aliyuncs.com`.
    pub fn with_region(mut self, region: &str) -> Self {
        self.endpoint = sts_endpoint(Some(region));
        self
    }

    /// Another STS base URL (for tests and private endpoints).
    pub fn with_endpoint(mut self, base_url: impl Into<String>) -> Self {
        self.endpoint = base_url.into().trim_end_matches('/').to_owned();
        self
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let http = http::require(&self.http)?;
        let source = self.source.provide_credentials().await?;
        let mut params = vec![
            ("RoleArn".to_owned(), self.role_arn.clone()),
            ("RoleSessionName".to_owned(), self.session_name.clone()),
            ("DurationSeconds".to_owned(), self.duration_seconds.to_string()),
        ];
        if let Some(p) = &self.policy {
            params.push(("Policy".to_owned(), p.clone()));
        }
        if let Some(id) = &self.external_id {
            params.push(("ExternalId".to_owned(), id.clone()));
        }
        let op = Operation::new(Service::Sts, "AssumeRole", OperationKind::Write);
        let nonce = request::new_nonce().map_err(|e| CredentialsError::new(e.to_string()))?;
        let signed = request::build(
            SignatureVersion::V1,
            &op,
            &self.endpoint,
            &params,
            &source,
            &request::now_timestamp(),
            &nonce,
        )
        .map_err(|e| CredentialsError::new(format!("STS AssumeRole: {e}")))?;
        tracing::debug!(role_arn = %self.role_arn, "assuming role");
        post_sts(http, signed.url, &signed.headers, signed.body, "AssumeRole").await
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch())
    }
}

/// RRSA: exchanges the OIDC token in a file for role credentials with `AssumeRoleWithOIDC` (no signature needed).
/// From the environment: `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE`.
#[derive(Debug)]
pub struct OidcProvider {
    role_arn: String,
    provider_arn: String,
    token_file: PathBuf,
    session_name: String,
    duration_seconds: u32,
    endpoint: String,
    http: Result<reqwest::Client, String>,
}

impl OidcProvider {
    /// An explicit configuration.
    pub fn new(role_arn: impl Into<String>, provider_arn: impl Into<String>, token_file: impl Into<PathBuf>) -> Self {
        OidcProvider {
            role_arn: role_arn.into(),
            provider_arn: provider_arn.into(),
            token_file: token_file.into(),
            session_name: default_session_name(None),
            duration_seconds: DEFAULT_DURATION_SECONDS,
            endpoint: sts_endpoint(None),
            http: http::client(Duration::from_secs(5), Duration::from_secs(10), true),
        }
    }

    /// From `env`, or a not-configured error naming the missing variables.
    pub fn from_env(env: &dyn Env) -> Result<Self, CredentialsError> {
        let vars = ["ALIBABA_CLOUD_ROLE_ARN", "ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "ALIBABA_CLOUD_OIDC_TOKEN_FILE"];
        let values: Vec<Option<String>> = vars.iter().map(|v| env.non_empty(v)).collect();
        match (&values[0], &values[1], &values[2]) {
            (Some(role), Some(provider), Some(file)) => {
                let mut p = OidcProvider::new(role, provider, file);
                p.session_name = default_session_name(Some(env));
                if let Some(r) = env.non_empty("ALIBABA_CLOUD_STS_REGION") {
                    p.endpoint = sts_endpoint(Some(&r));
                }
                Ok(p)
            }
            _ => {
                let missing: Vec<&str> =
                    vars.iter().zip(&values).filter(|(_, v)| v.is_none()).map(|(k, _)| *k).collect();
                Err(CredentialsError::not_configured(format!("{} not set", missing.join(", "))))
            }
        }
    }

    /// `RoleSessionName`.
    pub fn with_session_name(mut self, name: impl Into<String>) -> Self {
        self.session_name = name.into();
        self
    }

    /// Another STS base URL (for tests and private endpoints).
    pub fn with_endpoint(mut self, base_url: impl Into<String>) -> Self {
        self.endpoint = base_url.into().trim_end_matches('/').to_owned();
        self
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let http = http::require(&self.http)?;
        let token = std::fs::read_to_string(&self.token_file).map_err(|e| {
            CredentialsError::new(format!("cannot read OIDC token file {}: {e}", self.token_file.display()))
        })?;
        let nonce = request::new_nonce().map_err(|e| CredentialsError::new(e.to_string()))?;
        let params = [
            ("Action", "AssumeRoleWithOIDC"),
            ("Version", Service::Sts.api_version()),
            ("Format", "JSON"),
            ("Timestamp", &request::now_timestamp()),
            ("SignatureNonce", &nonce),
            ("RoleArn", &self.role_arn),
            ("OIDCProviderArn", &self.provider_arn),
            ("OIDCToken", token.trim()),
            ("RoleSessionName", &self.session_name),
            ("DurationSeconds", &self.duration_seconds.to_string()),
        ];
        let headers = [("content-type".to_owned(), "application/x-www-form-urlencoded".to_owned())];
        let body = encode_pairs(&params).into_bytes();
        post_sts(http, format!("{}/", self.endpoint), &headers, body, "AssumeRoleWithOIDC").await
    }
}

impl ProvideCredentials for OidcProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch())
    }
}

/// Credentials from `ALIBABA_CLOUD_CREDENTIALS_URI`: a GET returning
/// `{"Code": "Success", "AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"}`.
#[derive(Debug)]
pub struct CredentialsUriProvider {
    uri: String,
    http: Result<reqwest::Client, String>,
}

impl CredentialsUriProvider {
    /// Fetches from `uri`.
    pub fn new(uri: impl Into<String>) -> Self {
        CredentialsUriProvider {
            uri: uri.into(),
            http: http::client(Duration::from_secs(5), Duration::from_secs(10), true),
        }
    }

    /// From `ALIBABA_CLOUD_CREDENTIALS_URI`.
    pub fn from_env(env: &dyn Env) -> Result<Self, CredentialsError> {
        env.non_empty("ALIBABA_CLOUD_CREDENTIALS_URI")
            .map(CredentialsUriProvider::new)
            .ok_or_else(|| CredentialsError::not_configured("ALIBABA_CLOUD_CREDENTIALS_URI not set"))
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let http = http::require(&self.http)?;
        let resp = http
            .get(&self.uri)
            .send()
            .await
            .map_err(|e| CredentialsError::new(format!("credentials URI: {}", describe(e))))?;
        let (status, body) =
            http::read(resp).await.map_err(|e| CredentialsError::new(format!("credentials URI: {e}")))?;
        if status != 200 {
            return Err(CredentialsError::new(format!("credentials URI: HTTP {status}")));
        }
        let json = http::parse_json(&body, "credentials URI")?;
        match json.get("Code").and_then(|c| c.as_str()) {
            Some("Success") | None => http::temporary_credentials(&json, "credentials URI"),
            Some(code) => Err(CredentialsError::new(format!("credentials URI: Code {code:?}"))),
        }
    }
}

impl ProvideCredentials for CredentialsUriProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch())
    }
}

/// Sets the default session name from `env` (used by the profile providers).
pub(crate) fn session_name_or_default(name: Option<String>, env: &dyn Env) -> String {
    name.filter(|n| !n.is_empty()).unwrap_or_else(|| default_session_name(Some(env)))
}
