//! State shared by the steps of one run: the clients, caches of what was read, what this run created, the
//! progress sink and the wait settings.

use std::collections::HashMap;

use acs_core::waiter::{wait_until, WaiterConfig};
use acs_core::SecretString;

use crate::credentials_file::AccessKeyPair;
use crate::error::{Result, WorkflowError};
use crate::report::{ProgressEvent, ProgressSink};
use crate::Clients;

/// Marks what the workflow created (user `Comments`, policy/role/parameter `Description`), so that teardown
/// removes only that and a re-run recognises it.
pub const MANAGED_MARKER: &str = "Created by runas-workflow";

/// A policy attached to a user or role: (`System`|`Custom`, name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Attached {
    pub(crate) policy_type: String,
    pub(crate) name: String,
}

pub(crate) struct Ctx<'a> {
    pub(crate) clients: &'a Clients,
    pub(crate) progress: Option<&'a ProgressSink>,
    pub(crate) visibility: &'a WaiterConfig,
    /// AccessKey ids the workflow knows it made (credentials file, this process).
    pub(crate) known_key_ids: Vec<String>,
    /// The workflow set the user's console login (its password is in the credentials file or this process).
    pub(crate) known_login_profile: bool,
    /// Where the new user's secrets are kept (`credentials_out`): a key of the workflow's user that is not there
    /// is orphaned (its secret is lost).
    pub(crate) credentials_path: Option<&'a std::path::Path>,
    /// Replace orphaned AccessKeys (`rotate_access_key`).
    pub(crate) rotate_access_key: bool,
    /// Orphaned AccessKeys to delete once the new secrets are written (set by the AccessKey step).
    pub(crate) obsolete_keys: Vec<String>,
    /// Windows password to store, when this is the Windows procedure.
    pub(crate) windows_password: Option<&'a SecretString>,
    /// Set when a step created the login profile.
    pub(crate) new_password: Option<SecretString>,
    /// Set when a step created the AccessKey.
    pub(crate) new_key: Option<AccessKeyPair>,
    /// user name (lower case) → carries the marker (`None` = absent).
    pub(crate) users: HashMap<String, Option<bool>>,
    /// role name (lower case) → carries the marker (`None` = absent).
    pub(crate) roles: HashMap<String, Option<bool>>,
    /// custom policy name (lower case) → carries the marker (`None` = absent).
    pub(crate) policies: HashMap<String, Option<bool>>,
    /// Users (lower case) created by this run: they have no login profile, key or attachment yet.
    pub(crate) fresh_users: std::collections::HashSet<String>,
    /// Roles (lower case) created by this run: nothing is attached to them yet.
    pub(crate) fresh_roles: std::collections::HashSet<String>,
    /// user name (lower case) → attached policies.
    pub(crate) user_policies: HashMap<String, Vec<Attached>>,
    /// role name (lower case) → attached policies.
    pub(crate) role_policies: HashMap<String, Vec<Attached>>,
    /// role name (lower case) → the instances of the workflow's region it is attached to (teardown's guard).
    pub(crate) instances_using_role: HashMap<String, Vec<String>>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(clients: &'a Clients, progress: Option<&'a ProgressSink>, visibility: &'a WaiterConfig) -> Self {
        Ctx {
            clients,
            progress,
            visibility,
            known_key_ids: Vec::new(),
            known_login_profile: false,
            credentials_path: None,
            rotate_access_key: false,
            obsolete_keys: Vec::new(),
            windows_password: None,
            new_password: None,
            new_key: None,
            users: HashMap::new(),
            roles: HashMap::new(),
            policies: HashMap::new(),
            fresh_users: std::collections::HashSet::new(),
            fresh_roles: std::collections::HashSet::new(),
            user_policies: HashMap::new(),
            role_policies: HashMap::new(),
            instances_using_role: HashMap::new(),
        }
    }

    pub(crate) fn emit(&self, event: ProgressEvent) {
        if let Some(sink) = self.progress {
            sink(&event);
        }
    }

    /// Polls `probe` (true = visible; not-found errors count as "not yet") until it is true.
    pub(crate) async fn wait_visible<F, Fut>(&self, what: &str, mut probe: F) -> Result<()>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = std::result::Result<bool, acs_core::Error>>,
    {
        // First look without announcing a wait: usually the entity is there at once.
        match probe().await {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(WorkflowError::Api { operation: "wait for visibility", source: e }),
        }
        self.emit(ProgressEvent::Waiting { what: format!("waiting until {what} is visible") });
        let result = wait_until(self.visibility, || {
            let fut = probe();
            async move {
                match fut.await {
                    Ok(true) => Ok(Some(())),
                    Ok(false) => Ok(None),
                    Err(e) if e.is_not_found() => Ok(None),
                    Err(e) => Err(e),
                }
            }
        })
        .await;
        self.emit(ProgressEvent::WaitOver);
        match result {
            Ok(()) => Ok(()),
            Err(acs_core::Error::WaiterTimeout { waited, .. }) => {
                Err(WorkflowError::NotVisible { what: what.to_owned(), seconds: waited.as_secs() })
            }
            Err(e) => Err(WorkflowError::Api { operation: "wait for visibility", source: e }),
        }
    }
}

/// Whether a text carries the marker.
pub(crate) fn is_managed(text: Option<&str>) -> bool {
    text.is_some_and(|t| t.contains(MANAGED_MARKER))
}

/// The default wait for a new RAM entity to become visible: 500 ms doubling to 4 s, at most 60 s.
pub(crate) fn default_visibility_wait() -> WaiterConfig {
    WaiterConfig {
        initial_delay: std::time::Duration::from_millis(500),
        max_delay: std::time::Duration::from_secs(4),
        deadline: std::time::Duration::from_secs(60),
    }
}
