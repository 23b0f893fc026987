//! Credentials of the ECS instance RAM role, from the metadata service (`100.100.100.200`).

use super::http::{self, describe};
use super::{Credentials, CredentialsError, Env, ProvideCredentials};
use futures::future::BoxFuture;
use std::sync::Arc;
use std::time::Duration;

/// The metadata service address.
pub const DEFAULT_METADATA_ENDPOINT: &str = "http://100.100.100.200";
const TOKEN_TTL_HEADER: &str = "X-aliyun-ecs-metadata-token-ttl-seconds";
const TOKEN_HEADER: &str = "X-aliyun-ecs-metadata-token";
const CREDENTIALS_PATH: &str = "/latest/meta-data/ram/security-credentials/";

/// Fetches the instance RAM role's temporary credentials: a session token first (`PUT /latest/api/token`), then,
/// unless `ALIBABA_CLOUD_IMDSV1_DISABLED=true`, without a token if that fails. The role name comes from
/// [`with_role_name`](Self::with_role_name), `ALIBABA_CLOUD_ECS_METADATA`, or the metadata service itself.
/// Disabled by `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`. 1 s connect and read timeouts.
#[derive(Debug)]
pub struct EcsMetadataProvider {
    env: Arc<dyn Env>,
    endpoint: String,
    role_name: Option<String>,
    http: Result<reqwest::Client, String>,
}

impl EcsMetadataProvider {
    /// Reads its switches from `env`; talks to [`DEFAULT_METADATA_ENDPOINT`].
    pub fn new(env: Arc<dyn Env>) -> Self {
        EcsMetadataProvider {
            env,
            endpoint: DEFAULT_METADATA_ENDPOINT.to_owned(),
            role_name: None,
            http: http::client(Duration::from_secs(1), Duration::from_secs(1), false),
        }
    }

    /// Another metadata service base URL (for tests).
    pub fn with_endpoint(mut self, base_url: impl Into<String>) -> Self {
        self.endpoint = base_url.into().trim_end_matches('/').to_owned();
        self
    }

    /// A fixed role name instead of asking the metadata service.
    pub fn with_role_name(mut self, role_name: impl Into<String>) -> Self {
        self.role_name = Some(role_name.into()).filter(|r| !r.is_empty());
        self
    }

    async fn token(&self, http: &reqwest::Client) -> Result<Option<String>, CredentialsError> {
        let v1_disabled = self.env.flag("ALIBABA_CLOUD_IMDSV1_DISABLED");
        let result = http
            .put(format!("{}/latest/api/token", self.endpoint))
            .header(TOKEN_TTL_HEADER, "21600")
            .send()
            .await
            .map_err(describe);
        let failure = match result {
            Ok(resp) => match http::read(resp).await {
                Ok((200, body)) => match String::from_utf8(body) {
                    Ok(t) if !t.trim().is_empty() => return Ok(Some(t.trim().to_owned())),
                    _ => "empty or non-text token".to_owned(),
                },
                Ok((status, _)) => format!("HTTP {status}"),
                Err(e) => e,
            },
            Err(e) => e,
        };
        if v1_disabled {
            return Err(CredentialsError::new(format!(
                "metadata token request failed ({failure}) and ALIBABA_CLOUD_IMDSV1_DISABLED=true forbids the fallback"
            )));
        }
        tracing::debug!(reason = %failure, "metadata token unavailable, falling back to v1");
        Ok(None)
    }

    async fn get(&self, http: &reqwest::Client, path: &str, token: Option<&str>) -> Result<Vec<u8>, CredentialsError> {
        let mut req = http.get(format!("{}{path}", self.endpoint));
        if let Some(t) = token {
            req = req.header(TOKEN_HEADER, t);
        }
        let resp = req.send().await.map_err(|e| CredentialsError::new(format!("metadata service: {}", describe(e))))?;
        match http::read(resp).await {
            Ok((200, body)) => Ok(body),
            Ok((status, _)) => Err(CredentialsError::new(format!("metadata service: HTTP {status} for {path}"))),
            Err(e) => Err(CredentialsError::new(format!("metadata service: {e}"))),
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        if self.env.flag("ALIBABA_CLOUD_ECS_METADATA_DISABLED") {
            return Err(CredentialsError::not_configured("disabled by ALIBABA_CLOUD_ECS_METADATA_DISABLED=true"));
        }
        let http = http::require(&self.http)?;
        let token = self.token(http).await?;
        let role = match self.role_name.clone().or_else(|| self.env.non_empty("ALIBABA_CLOUD_ECS_METADATA")) {
            Some(r) => r,
            None => {
                let body = self.get(http, CREDENTIALS_PATH, token.as_deref()).await?;
                String::from_utf8_lossy(&body)
                    .lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty())
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        CredentialsError::new("metadata service: no RAM role is attached to this instance")
                    })?
            }
        };
        if role.contains('/') || role.contains("..") {
            return Err(CredentialsError::new(format!("metadata service: invalid role name {role:?}")));
        }
        let body = self.get(http, &format!("{CREDENTIALS_PATH}{role}"), token.as_deref()).await?;
        let json = http::parse_json(&body, "metadata service")?;
        let code = json.get("Code").and_then(|c| c.as_str()).unwrap_or("");
        if code != "Success" {
            return Err(CredentialsError::new(format!(
                "metadata service: credentials of role {role} have Code {code:?}"
            )));
        }
        http::temporary_credentials(&json, "metadata service")
    }
}

impl ProvideCredentials for EcsMetadataProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch())
    }
}
