//! Authorization: every call by a RAM user or a role session is evaluated with `ram_policy::evaluate`.
//!
//! Handlers describe what they need with a [`Check`] (action, resource ARNs, extra context keys) and call
//! [`crate::services::Ctx::authorize`]; other code holding the state (e.g. the simulated Cloud Assistant agent acting
//! with an instance role) calls [`authorize`] directly. Each resource is evaluated separately and all must be
//! allowed. The global context keys `acs:SourceIp`, `acs:SecureTransport` (false: the emulator speaks plain HTTP),
//! `acs:CurrentTime` and `acs:MFAPresent` are always set.

use crate::error::{AccessDeniedDetail, ApiError};
use crate::principal::Principal;
use crate::state::State;
use base64::Engine as _;
use ram_policy::{Context, NamedPolicy, PolicyDocument, Request};

/// What one call needs to be allowed: `action` on every resource, with extra context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// The RAM action, e.g. `ecs:RunCommand`.
    pub action: String,
    /// Resource ARNs; each must be allowed. Empty means `*`.
    pub resources: Vec<String>,
    /// Extra context keys (e.g. `ecs:CommandRunAs` → `user01`); repeat a key for several values.
    pub context: Vec<(String, String)>,
}

impl Check {
    /// A check of `action` (e.g. `kms:GetSecretValue`).
    pub fn new(action: impl Into<String>) -> Check {
        Check { action: action.into(), resources: Vec::new(), context: Vec::new() }
    }

    /// Adds a resource ARN.
    pub fn resource(mut self, arn: impl Into<String>) -> Check {
        self.resources.push(arn.into());
        self
    }

    /// Adds several resource ARNs.
    pub fn resources<I, S>(mut self, arns: I) -> Check
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.resources.extend(arns.into_iter().map(Into::into));
        self
    }

    /// Adds a context value.
    pub fn context(mut self, key: impl Into<String>, value: impl Into<String>) -> Check {
        self.context.push((key.into(), value.into()));
        self
    }
}

/// Facts about the request that go into the global context keys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestEnv {
    /// The request id of this call.
    pub request_id: String,
    /// The caller's IP address.
    pub source_ip: String,
    /// Whether the call came over TLS (never, for the emulator).
    pub secure_transport: bool,
    /// Seconds since the Unix epoch when the request arrived.
    pub now: i64,
    /// The `Host` header (used as `HostId`).
    pub host: String,
}

impl RequestEnv {
    /// The environment of a call the emulator makes itself (e.g. the agent on an instance).
    pub fn internal(now: i64) -> RequestEnv {
        RequestEnv {
            request_id: crate::ids::request_id(),
            source_ip: "100.100.100.200".to_owned(),
            secure_transport: true,
            now,
            host: "localhost".to_owned(),
        }
    }

    fn context(&self) -> Context {
        Context::new()
            .with("acs:SourceIp", self.source_ip.clone())
            .with("acs:SecureTransport", if self.secure_transport { "true" } else { "false" })
            .with("acs:CurrentTime", acs_signer::format_timestamp(self.now))
            .with("acs:MFAPresent", "false")
    }
}

/// The wording of the real `Forbidden.RAM` message.
pub const FORBIDDEN_MESSAGE: &str =
    "User not authorized to operate on the specified resource, or this API doesn't support RAM.";

/// Is `principal` allowed `check`? Root always is; users and role sessions are evaluated against the policies
/// attached to them (custom by name from the RAM state, system via `ram_policy::system_policy`).
/// A denial is HTTP 403 `Forbidden.RAM` with `AccessDeniedDetail`.
pub fn authorize(state: &State, principal: &Principal, env: &RequestEnv, check: &Check) -> Result<(), ApiError> {
    let (policies, session_policy): (Vec<(&str, &PolicyDocument)>, Option<&PolicyDocument>) = match principal {
        Principal::Root { .. } => return Ok(()),
        Principal::User { user_name, .. } => (state.ram.user_policies(user_name), None),
        Principal::RoleSession { role_name, session_policy, .. } => {
            (state.ram.role_policies(role_name), session_policy.as_ref())
        }
    };
    let named: Vec<NamedPolicy<'_>> = policies.iter().map(|(name, document)| NamedPolicy { name, document }).collect();
    let mut context = env.context();
    for (k, v) in &check.context {
        context.insert(k.clone(), v.clone());
    }
    let star = ["*".to_owned()];
    let resources: &[String] = if check.resources.is_empty() { &star } else { &check.resources };
    for resource in resources {
        let request = Request::new(check.action.clone(), resource.clone()).with_context(context.clone());
        let evaluation = ram_policy::evaluate(&named, &request);
        if !evaluation.is_allowed() {
            return Err(denial(principal, check, resource, &evaluation));
        }
        if let Some(document) = session_policy {
            let session = [NamedPolicy { name: "SessionPolicy", document }];
            let evaluation = ram_policy::evaluate(&session, &request);
            if !evaluation.is_allowed() {
                return Err(denial(principal, check, resource, &evaluation));
            }
        }
    }
    Ok(())
}

fn denial(principal: &Principal, check: &Check, resource: &str, evaluation: &ram_policy::Evaluation) -> ApiError {
    let no_permission_type = match evaluation.decision {
        ram_policy::Decision::ExplicitDeny => "ExplicitDeny",
        _ => "ImplicitDeny",
    };
    let explanation = format!("Action: {}\nResource: {resource}\n{}", check.action, evaluation.explain());
    let detail = AccessDeniedDetail {
        auth_action: check.action.clone(),
        auth_principal_type: principal.principal_type().to_owned(),
        auth_principal_owner_id: principal.account_id().to_owned(),
        auth_principal_display_name: principal.display_name(),
        no_permission_type: no_permission_type.to_owned(),
        policy_type: "AccountLevelIdentityBasedPolicy".to_owned(),
        encoded_diagnostic_message: base64::engine::general_purpose::STANDARD.encode(explanation),
    };
    ApiError::forbidden("Forbidden.RAM", FORBIDDEN_MESSAGE).with_access_denied_detail(detail)
}
