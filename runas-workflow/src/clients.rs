//! The four service clients the workflow uses, built over one connection pool from one [`acs_core::Config`].

use acs_core::Config;

/// ECS, RAM, OOS and KMS clients sharing one [`acs_core::Client`] (one connection pool, one credentials cache).
#[derive(Clone, Debug)]
pub struct Clients {
    /// ECS (Cloud Assistant, instance RAM roles).
    pub ecs: ecs_client::Client,
    /// RAM (users, policies, roles).
    pub ram: ram_client::Client,
    /// OOS (encrypted parameters).
    pub oos: oos_client::Client,
    /// KMS (keys).
    pub kms: kms_client::Client,
}

impl Clients {
    /// Builds the four clients from `config`.
    pub fn new(config: &Config) -> Result<Clients, acs_core::Error> {
        Ok(Clients::over(acs_core::Client::new(config.clone())?))
    }

    /// Wraps an existing runtime client four times.
    pub fn over(core: acs_core::Client) -> Clients {
        Clients {
            ecs: ecs_client::Client::new(core.clone()),
            ram: ram_client::Client::new(core.clone()),
            oos: oos_client::Client::new(core.clone()),
            kms: kms_client::Client::new(core),
        }
    }

    /// The configuration the clients were built from.
    pub fn config(&self) -> &Config {
        self.ecs.core().config()
    }

    /// The same settings (endpoint, region, signature version, network, timeouts, retries, user agent) and the same
    /// connection pool, signing with another AccessKey (e.g. to act as a newly created RAM user).
    ///
    /// Never fails today; the `Result` is kept so callers need not change if building a client ever can.
    pub fn with_access_key(&self, id: &str, secret: &str) -> Result<Clients, acs_core::Error> {
        let credentials = acs_core::Credentials::new(id, secret);
        let core = self.ecs.core().with_credentials_provider(acs_core::credentials::StaticProvider::new(credentials));
        Ok(Clients::over(core))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn with_access_key_keeps_every_setting_and_swaps_only_the_key() {
        let config = Config::builder()
            .region("cn-shanghai")
            .static_credentials("admin-id", "admin-secret")
            .endpoint_url("http://127.0.0.1:9")
            .signature_version(acs_core::SignatureVersion::V1)
            .read_timeout(Duration::from_secs(42))
            .user_agent_suffix("runas-test")
            .build()
            .unwrap();
        let clients = Clients::new(&config).unwrap();
        let user = clients.with_access_key("user-id", "user-secret").unwrap();
        let derived = user.config();
        assert_eq!(derived.region(), Some("cn-shanghai"));
        assert_eq!(derived.endpoint_url(), config.endpoint_url());
        assert_eq!(derived.signature_version(), acs_core::SignatureVersion::V1);
        assert_eq!(derived.read_timeout(), Duration::from_secs(42));
        assert_eq!(derived.user_agent(), config.user_agent());
        let creds = derived.credentials_provider().provide_credentials().await.unwrap();
        assert_eq!(creds.access_key_id, "user-id");
        let admin = clients.config().credentials_provider().provide_credentials().await.unwrap();
        assert_eq!(admin.access_key_id, "admin-id", "the original clients keep their key");
    }
}
