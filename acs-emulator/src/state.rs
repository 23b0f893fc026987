//! The whole emulated account behind one lock: one state struct per service, each defined in its service module.

use crate::error::ApiError;
use crate::principal::Principal;
use crate::seed::Seed;
use crate::services::{ecs::EcsState, kms::KmsState, oos::OosState, ram::RamState, sts::StsState};
use secrecy::SecretString;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Everything the emulator remembers. Handlers get `&mut State` for the duration of one call.
#[derive(Debug)]
pub struct State {
    /// The account id (16 digits).
    pub account_id: String,
    /// Regions of the account.
    pub regions: Vec<String>,
    /// RAM users, policies, roles, AccessKeys (including the root's).
    pub ram: RamState,
    /// STS role sessions.
    pub sts: StsState,
    /// ECS instances, commands, invocations.
    pub ecs: EcsState,
    /// OOS secret parameters.
    pub oos: OosState,
    /// KMS keys, aliases, secrets.
    pub kms: KmsState,
}

impl State {
    /// The initial state described by `seed`.
    pub fn from_seed(seed: &Seed) -> State {
        State {
            account_id: seed.account_id.clone(),
            regions: seed.regions.clone(),
            ram: RamState::from_seed(seed),
            sts: StsState::default(),
            ecs: EcsState::from_seed(seed),
            oos: OosState::from_seed(seed),
            kms: KmsState::from_seed(seed),
        }
    }

    /// Finds who owns `access_key_id` and the secret to verify the signature with.
    ///
    /// Errors: `InvalidAccessKeyId.NotFound`, `InvalidAccessKeyId.Inactive`, and for STS keys
    /// `MissingSecurityToken` (an STS key without its token), `InvalidSecurityToken.Malformed` (unknown token),
    /// `InvalidSecurityToken.MismatchWithAccessKey`,
    /// `InvalidSecurityToken.Expired`.
    pub fn resolve_access_key(
        &self,
        access_key_id: &str,
        security_token: Option<&str>,
        now: i64,
    ) -> Result<(Principal, SecretString), ApiError> {
        if let Some(found) = self.ram.resolve_access_key(&self.account_id, access_key_id)? {
            return Ok(found);
        }
        if let Some(found) = self.sts.resolve(&self.account_id, access_key_id, security_token, now)? {
            return Ok(found);
        }
        Err(ApiError::not_found("InvalidAccessKeyId.NotFound", "Specified access key is not found."))
    }
}

/// The emulator's shared core: the state behind its lock and the run-time settings.
///
/// Cheap to clone. Handlers reach it through [`crate::services::Ctx::shared`] to start background work (e.g. the
/// simulated agent finishing an invocation after the execution delay): clone it into a `tokio::spawn`ed task and
/// call [`Shared::lock`] there — never hold the lock across an `.await`.
#[derive(Clone, Debug)]
pub struct Shared {
    inner: Arc<SharedInner>,
}

#[derive(Debug)]
struct SharedInner {
    state: Mutex<State>,
    execution_delay: Duration,
}

impl Shared {
    /// A core around `state`.
    pub fn new(state: State, execution_delay: Duration) -> Shared {
        Shared { inner: Arc::new(SharedInner { state: Mutex::new(state), execution_delay }) }
    }

    /// Locks the state (a panic in another holder does not make it unusable).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.inner.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// How long simulated command executions take.
    pub fn execution_delay(&self) -> Duration {
        self.inner.execution_delay
    }
}
