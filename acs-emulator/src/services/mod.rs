//! The service handlers and the interface they implement.
//!
//! # Handler interface
//!
//! Each service module (`ram`, `sts`, `ecs`, `oos`, `kms`) exposes
//!
//! ```text
//! pub struct XxxState { .. }                              // its part of crate::state::State
//! impl XxxState { pub fn from_seed(seed: &Seed) -> Self } // (StsState: Default)
//! pub fn handle(ctx: &mut Ctx<'_>) -> Reply               // one call
//! ```
//!
//! By the time `handle` runs, the framework has already: routed by API version, checked that the action exists in
//! the bundled `operations.json`, verified the signature (V1 or V3), resolved the [`Principal`], applied fault
//! injection, and checked every parameter `operations.json` marks as required (`MissingParameter`).
//!
//! The handler then
//! 1. reads parameters with [`Params`] accessors (`required`, `bool`, `int`, `list("InstanceId")`, `json`), which
//!    already answer `MissingParameter`/`InvalidParameter`;
//! 2. **authorizes** with [`Ctx::authorize`] (`<product>:<Action>` on the resource ARNs it names, e.g. every
//!    instance of a RunCommand, plus context such as `ecs:CommandRunAs`), or [`Ctx::authorize_check`] for any
//!    other action (dependent actions such as `kms:GetSecretValue` for OOS `WithDecryption`). The account root is
//!    always allowed. Authorize **before** any existence check (`…NotFound`): build the ARNs from the request's
//!    ids, which need not exist, so a denied caller cannot probe which ids exist. A handler that answers successfully without any authorization decision is a bug: the
//!    framework turns that into `InternalError`. Calls that need no permission call [`Ctx::skip_authorization`];
//! 3. validates and mutates `ctx.state` (the whole account: `ctx.state.ram`, `ctx.state.ecs`, ...) and returns
//!    the response body as a JSON object **without** `RequestId` (the framework adds it). Field names are exactly
//!    those of `operations.json`.
//!
//! Errors are [`ApiError`]s: `ApiError::not_found("EntityNotExist.User", "...")`, `ApiError::conflict(..)`, ...
//! Never put secrets into messages.
//!
//! Background work (the simulated agent) clones [`Ctx::shared`] into a `tokio::spawn`ed task, sleeps
//! [`Shared::execution_delay`], then takes [`Shared::lock`]. An agent acting with an instance role gets
//! credentials from [`sts::issue_instance_session`] and checks its permissions with [`crate::authz::authorize`]
//! using [`sts::principal_of`] and [`RequestEnv::internal`].
//!
//! RAM internals other services may use: [`ram::RamState::role`] (trust policy, attachments),
//! [`ram::RamState::role_policies`], [`ram::RamState::user_policies`].

pub mod agent;
pub mod ecs;
pub mod kms;
pub mod oos;
pub mod paging;
pub mod ram;
pub mod sts;

use crate::authz::{Check, RequestEnv};
use crate::catalog::Service;
use crate::error::ApiError;
use crate::params::Params;
use crate::principal::Principal;
use crate::state::{Shared, State};

/// What a handler returns: the response object (without `RequestId`) or an error.
pub type Reply = Result<serde_json::Value, ApiError>;

/// Everything one handler call can see and change.
pub struct Ctx<'a> {
    /// The service (chosen by API version).
    pub service: Service,
    /// The action name, e.g. `RunCommand`.
    pub action: &'a str,
    /// The decoded parameters (query ∪ form body).
    pub params: &'a Params,
    /// The authenticated caller.
    pub principal: &'a Principal,
    /// Request facts (request id, source IP, arrival time).
    pub env: &'a RequestEnv,
    /// The whole account, locked for this call.
    pub state: &'a mut State,
    shared: &'a Shared,
    authorized: bool,
}

impl<'a> Ctx<'a> {
    /// A context for one call (the server builds it; tests of handlers may too).
    pub fn new(
        service: Service,
        action: &'a str,
        params: &'a Params,
        principal: &'a Principal,
        env: &'a RequestEnv,
        state: &'a mut State,
        shared: &'a Shared,
    ) -> Ctx<'a> {
        Ctx { service, action, params, principal, env, state, shared, authorized: false }
    }

    /// The emulator core, to clone into background tasks.
    pub fn shared(&self) -> &Shared {
        self.shared
    }

    /// The account id.
    pub fn account_id(&self) -> &str {
        &self.state.account_id
    }

    /// `<product>:<Action>` of this call, e.g. `ecs:RunCommand`.
    pub fn ram_action(&self) -> String {
        format!("{}:{}", self.service.product(), self.action)
    }

    /// `acs:<product>:<region>:<account>:<relative>` for this call's service.
    pub fn arn(&self, region: &str, relative: &str) -> String {
        format!("acs:{}:{region}:{}:{relative}", self.service.product(), self.state.account_id)
    }

    /// Authorizes this call's own action (`<product>:<Action>`) on `resources` with extra `context` pairs.
    pub fn authorize<I, S>(&mut self, resources: I, context: &[(&str, &str)]) -> Result<(), ApiError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut check = Check::new(self.ram_action()).resources(resources);
        for (k, v) in context {
            check = check.context(*k, *v);
        }
        self.authorize_check(&check)
    }

    /// Authorizes any check (e.g. the dependent `kms:GetSecretValue` of OOS `WithDecryption`).
    pub fn authorize_check(&mut self, check: &Check) -> Result<(), ApiError> {
        self.authorized = true;
        crate::authz::authorize(self.state, self.principal, self.env, check)
    }

    /// Marks the call as needing no permission (e.g. `sts:GetCallerIdentity`).
    pub fn skip_authorization(&mut self) {
        self.authorized = true;
    }

    /// `RegionId`, which must be one of the account's regions: otherwise ECS answers HTTP 403
    /// `InvalidRegionId.NotFound` (as `operations.json` documents for Cloud Assistant), KMS and OOS HTTP 400
    /// `InvalidRegionId` (undocumented there; our choice).
    pub fn region(&self) -> Result<&'a str, ApiError> {
        let region = self.params.required("RegionId")?;
        if self.state.regions.iter().any(|r| r == region) {
            return Ok(region);
        }
        let message = format!("The specified region {region:?} does not exist.");
        Err(match self.service {
            Service::Ecs => ApiError::forbidden("InvalidRegionId.NotFound", message),
            _ => ApiError::bad_request("InvalidRegionId", message),
        })
    }
}

/// Runs the handler of `ctx.service`; adds nothing to the body (the server adds `RequestId`).
pub fn dispatch(ctx: &mut Ctx<'_>) -> Reply {
    let reply = match ctx.service {
        Service::Ram => ram::handle(ctx),
        Service::Sts => sts::handle(ctx),
        Service::Ecs => ecs::handle(ctx),
        Service::Oos => oos::handle(ctx),
        Service::Kms => kms::handle(ctx),
    };
    match reply {
        Ok(_) if !ctx.authorized => {
            Err(ApiError::internal(format!("{} answered without an authorization decision", ctx.action)))
        }
        other => other,
    }
}
