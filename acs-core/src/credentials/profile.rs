//! aliyun-cli profiles (`~/.aliyun/config.json`) and the credentials INI file (`~/.alibabacloud/credentials`).

use super::ecs_metadata::EcsMetadataProvider;
use super::sts::{session_name_or_default, sts_endpoint, AssumeRoleProvider};
use super::{Credentials, CredentialsError, Env, ProvideCredentials, StaticProvider};
use futures::future::BoxFuture;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Endpoint overrides for the providers a profile may need (STS for role profiles, the metadata service for
/// ECS role profiles). `None` means the real service.
#[derive(Clone, Debug, Default)]
pub struct ProviderEndpoints {
    /// STS base URL, e.g. `http://127.0.0.1:PORT`.
    pub sts: Option<String>,
    /// Metadata service base URL.
    pub metadata: Option<String>,
}

impl ProviderEndpoints {
    fn assume_role(
        &self,
        source: Arc<dyn ProvideCredentials>,
        role_arn: String,
        session: String,
        duration: Option<u32>,
        sts_region: Option<&str>,
    ) -> AssumeRoleProvider {
        let mut p = AssumeRoleProvider::from_arc(source, role_arn).with_session_name(session);
        if let Some(d) = duration.filter(|d| *d > 0) {
            p = p.with_duration_seconds(d);
        }
        match &self.sts {
            Some(url) => p.with_endpoint(url.clone()),
            None => p.with_endpoint(sts_endpoint(sts_region)),
        }
    }

    fn metadata(&self, env: Arc<dyn Env>, role_name: Option<String>) -> EcsMetadataProvider {
        let mut p = EcsMetadataProvider::new(env);
        if let Some(url) = &self.metadata {
            p = p.with_endpoint(url.clone());
        }
        match role_name {
            Some(r) => p.with_role_name(r),
            None => p,
        }
    }
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct CliConfig {
    current: String,
    profiles: Vec<CliProfile>,
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
struct CliProfile {
    name: String,
    mode: String,
    access_key_id: String,
    access_key_secret: String,
    sts_token: String,
    ram_role_arn: String,
    ram_session_name: String,
    expired_seconds: u32,
    sts_region: String,
    ram_role_name: String,
    source_profile: String,
    region_id: String,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// Credentials from an aliyun-cli profile (`~/.aliyun/config.json`). Profile = explicit >
/// `ALIBABA_CLOUD_PROFILE` > the file's `current`. Modes: `AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`,
/// `ChainableRamRoleArn`.
#[derive(Debug)]
pub struct CliProfileProvider {
    env: Arc<dyn Env>,
    path: Option<PathBuf>,
    profile: Option<String>,
    endpoints: ProviderEndpoints,
}

impl CliProfileProvider {
    /// Reads `<home>/.aliyun/config.json`, with home and variables from `env`.
    pub fn new(env: Arc<dyn Env>) -> Self {
        CliProfileProvider { env, path: None, profile: None, endpoints: ProviderEndpoints::default() }
    }

    /// Another config file.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// A profile name (overrides `ALIBABA_CLOUD_PROFILE` and `current`).
    pub fn with_profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Endpoint overrides for STS and the metadata service.
    pub fn with_endpoints(mut self, endpoints: ProviderEndpoints) -> Self {
        self.endpoints = endpoints;
        self
    }

    fn path(&self) -> Option<PathBuf> {
        self.path.clone().or_else(|| self.env.home_dir().map(|h| h.join(".aliyun").join("config.json")))
    }

    fn load(&self) -> Result<(CliConfig, PathBuf), CredentialsError> {
        let path = self.path().ok_or_else(|| CredentialsError::not_configured("no home directory"))?;
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(CredentialsError::not_configured(format!("{} does not exist", path.display())))
            }
            Err(e) => return Err(CredentialsError::new(format!("cannot read {}: {e}", path.display()))),
        };
        let config: CliConfig = serde_json::from_str(strip_bom(&text))
            .map_err(|e| CredentialsError::new(format!("{} is not a valid aliyun config: {e}", path.display())))?;
        Ok((config, path))
    }

    fn selected<'a>(&self, config: &'a CliConfig, path: &std::path::Path) -> Result<&'a CliProfile, CredentialsError> {
        let name = self
            .profile
            .clone()
            .or_else(|| self.env.non_empty("ALIBABA_CLOUD_PROFILE"))
            .or_else(|| opt(&config.current))
            .unwrap_or_else(|| "default".to_owned());
        config
            .profiles
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| CredentialsError::new(format!("profile {name:?} not found in {}", path.display())))
    }

    /// The region of the selected profile (`region_id`), if any.
    pub fn region(&self) -> Option<String> {
        let (config, path) = self.load().ok()?;
        self.selected(&config, &path).ok().and_then(|p| opt(&p.region_id))
    }

    fn provider_for(
        &self,
        config: &CliConfig,
        profile: &CliProfile,
        depth: usize,
    ) -> Result<Arc<dyn ProvideCredentials>, CredentialsError> {
        let name = &profile.name;
        let ak = || -> Result<Credentials, CredentialsError> {
            match (opt(&profile.access_key_id), opt(&profile.access_key_secret)) {
                (Some(id), Some(secret)) => Ok(Credentials::new(id, secret)),
                _ => Err(CredentialsError::new(format!("profile {name:?} lacks access_key_id/access_key_secret"))),
            }
        };
        let role_arn = || {
            opt(&profile.ram_role_arn)
                .ok_or_else(|| CredentialsError::new(format!("profile {name:?} lacks ram_role_arn")))
        };
        let session = session_name_or_default(opt(&profile.ram_session_name), &*self.env);
        let duration = Some(profile.expired_seconds);
        let sts_region = opt(&profile.sts_region);
        match profile.mode.as_str() {
            "AK" | "" => Ok(Arc::new(StaticProvider::new(ak()?))),
            "StsToken" => {
                let token = opt(&profile.sts_token)
                    .ok_or_else(|| CredentialsError::new(format!("profile {name:?} lacks sts_token")))?;
                Ok(Arc::new(StaticProvider::new(ak()?.with_security_token(token))))
            }
            "RamRoleArn" => Ok(Arc::new(self.endpoints.assume_role(
                Arc::new(StaticProvider::new(ak()?)),
                role_arn()?,
                session,
                duration,
                sts_region.as_deref(),
            ))),
            "EcsRamRole" => Ok(Arc::new(self.endpoints.metadata(self.env.clone(), opt(&profile.ram_role_name)))),
            "ChainableRamRoleArn" => {
                if depth >= 5 {
                    return Err(CredentialsError::new(format!("profile {name:?}: source_profile chain is too deep")));
                }
                let source_name = opt(&profile.source_profile)
                    .ok_or_else(|| CredentialsError::new(format!("profile {name:?} lacks source_profile")))?;
                let source = config.profiles.iter().find(|p| p.name == source_name).ok_or_else(|| {
                    CredentialsError::new(format!("profile {name:?}: source profile {source_name:?} not found"))
                })?;
                let source = self.provider_for(config, source, depth + 1)?;
                Ok(Arc::new(self.endpoints.assume_role(source, role_arn()?, session, duration, sts_region.as_deref())))
            }
            other => Err(CredentialsError::new(format!("profile {name:?}: unsupported mode {other:?}"))),
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let (config, path) = self.load()?;
        let profile = self.selected(&config, &path)?;
        let provider = self.provider_for(&config, profile, 0)?;
        provider.provide_credentials().await
    }
}

impl ProvideCredentials for CliProfileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch())
    }
}

/// `text` without a leading UTF-8 byte order mark (as Windows editors save files).
fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Parses an INI file into sections of `key = value` (comments start with `;` or `#`; a leading byte order mark
/// and CRLF line ends are accepted).
pub(crate) fn parse_ini(text: &str) -> Result<HashMap<String, HashMap<String, String>>, String> {
    let mut sections: HashMap<String, HashMap<String, String>> = HashMap::new();
    let mut current: Option<String> = None;
    for (i, raw) in strip_bom(text).lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with(';') || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let name = rest.strip_suffix(']').ok_or_else(|| format!("line {}: unclosed section header", i + 1))?;
            let name = name.trim().to_owned();
            sections.entry(name.clone()).or_default();
            current = Some(name);
            continue;
        }
        let (k, v) = line.split_once('=').ok_or_else(|| format!("line {}: expected key = value", i + 1))?;
        let section = current.as_ref().ok_or_else(|| format!("line {}: key outside a section", i + 1))?;
        let v = v.trim().trim_matches('"');
        sections.entry(section.clone()).or_default().insert(k.trim().to_owned(), v.to_owned());
    }
    Ok(sections)
}

/// Credentials from the INI file `ALIBABA_CLOUD_CREDENTIALS_FILE` or `<home>/.alibabacloud/credentials`.
/// Section = explicit > `ALIBABA_CLOUD_PROFILE` > `default`; `type = access_key | ecs_ram_role | ram_role_arn`.
#[derive(Debug)]
pub struct IniFileProvider {
    env: Arc<dyn Env>,
    path: Option<PathBuf>,
    section: Option<String>,
    endpoints: ProviderEndpoints,
}

impl IniFileProvider {
    /// Locates the file and section through `env`.
    pub fn new(env: Arc<dyn Env>) -> Self {
        IniFileProvider { env, path: None, section: None, endpoints: ProviderEndpoints::default() }
    }

    /// Another file.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// A section name (overrides `ALIBABA_CLOUD_PROFILE` and `default`).
    pub fn with_section(mut self, name: impl Into<String>) -> Self {
        self.section = Some(name.into());
        self
    }

    /// Endpoint overrides for STS and the metadata service.
    pub fn with_endpoints(mut self, endpoints: ProviderEndpoints) -> Self {
        self.endpoints = endpoints;
        self
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let (path, explicit) = match (&self.path, self.env.non_empty("ALIBABA_CLOUD_CREDENTIALS_FILE")) {
            (Some(p), _) => (p.clone(), true),
            (None, Some(p)) => (PathBuf::from(p), true),
            (None, None) => match self.env.home_dir() {
                Some(h) => (h.join(".alibabacloud").join("credentials"), false),
                None => return Err(CredentialsError::not_configured("no home directory")),
            },
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                return Err(CredentialsError::not_configured(format!("{} does not exist", path.display())))
            }
            Err(e) => return Err(CredentialsError::new(format!("cannot read {}: {e}", path.display()))),
        };
        let sections =
            parse_ini(&text).map_err(|e| CredentialsError::new(format!("{} is not valid INI: {e}", path.display())))?;
        let name = self
            .section
            .clone()
            .or_else(|| self.env.non_empty("ALIBABA_CLOUD_PROFILE"))
            .unwrap_or_else(|| "default".to_owned());
        let s = sections
            .get(&name)
            .ok_or_else(|| CredentialsError::new(format!("section [{name}] not found in {}", path.display())))?;
        let get = |k: &str| s.get(k).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let need = |k: &str| get(k).ok_or_else(|| CredentialsError::new(format!("section [{name}] lacks {k}")));
        let kind = get("type").unwrap_or_else(|| "access_key".to_owned());
        match kind.as_str() {
            "access_key" => Ok(Credentials::new(need("access_key_id")?, need("access_key_secret")?)),
            "ecs_ram_role" => self.endpoints.metadata(self.env.clone(), get("role_name")).provide_credentials().await,
            "ram_role_arn" => {
                let source =
                    Arc::new(StaticProvider::new(Credentials::new(need("access_key_id")?, need("access_key_secret")?)));
                let session = session_name_or_default(get("role_session_name"), &*self.env);
                let duration = get("duration_seconds").and_then(|d| d.parse().ok());
                let mut p = self.endpoints.assume_role(
                    source,
                    need("role_arn")?,
                    session,
                    duration,
                    get("sts_region").as_deref(),
                );
                if let Some(policy) = get("policy") {
                    p = p.with_policy(policy);
                }
                p.provide_credentials().await
            }
            other => Err(CredentialsError::new(format!("section [{name}]: unsupported type {other:?}"))),
        }
    }
}

impl ProvideCredentials for IniFileProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_parsing() {
        let s = parse_ini("; c\n[default]\ntype = access_key\naccess_key_id = a\n\n[p2]\n# x\nk=\"v=1\"\n").unwrap();
        assert_eq!(s["default"]["access_key_id"], "a");
        assert_eq!(s["p2"]["k"], "v=1");
        assert!(parse_ini("k = v").unwrap_err().contains("outside a section"));
        assert!(parse_ini("[a\n").is_err());
        assert!(parse_ini("[a]\nnovalue\n").unwrap_err().contains("line 2"));
    }
}
