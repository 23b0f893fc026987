//! STS `2015-04-01`: `AssumeRole` (caller permission on `sts:AssumeRole` on `acs:ram:*:<account>:role/<name>` AND
//! the role's trust policy), `GetCallerIdentity` (needs no permission), and instance-role sessions for the
//! simulated agent.

use super::{Ctx, Reply};
use crate::error::ApiError;
use crate::ids::random_alnum;
use crate::principal::Principal;
use crate::services::ram::Role;
use crate::state::State;
use ram_policy::{Context, PolicyDocument, PolicyKind, TrustPrincipal};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;
use std::collections::BTreeMap;

/// The service principal of ECS, which instance roles must trust.
pub const ECS_SERVICE_PRINCIPAL: &str = "ecs.aliyuncs.com";

/// Temporary credentials of a role session.
#[derive(Clone, Debug)]
pub struct TempCredentials {
    /// `STS.…`.
    pub access_key_id: String,
    /// The temporary secret (redacted in `Debug`).
    pub access_key_secret: SecretString,
    /// The security token (redacted in `Debug`).
    pub security_token: SecretString,
    /// Expiration, `YYYY-MM-DDThh:mm:ssZ`.
    pub expiration: String,
    /// Expiration in Unix seconds.
    pub expiration_unix: i64,
}

#[derive(Clone, Debug)]
struct Session {
    secret: SecretString,
    token: SecretString,
    expiration: i64,
    role_name: String,
    role_id: String,
    session_name: String,
    policy: Option<PolicyDocument>,
}

/// Live (and recently expired) role sessions, by temporary AccessKey ID.
#[derive(Debug, Default)]
pub struct StsState {
    sessions: BTreeMap<String, Session>,
}

impl StsState {
    /// Starts a session of `role` lasting `duration_seconds` from `now`.
    pub fn issue(
        &mut self,
        role: &Role,
        session_name: &str,
        duration_seconds: i64,
        policy: Option<PolicyDocument>,
        now: i64,
    ) -> TempCredentials {
        // Forget sessions that expired more than a day ago (expired ones are kept to answer `.Expired`).
        self.sessions.retain(|_, s| s.expiration + 86_400 > now);
        let access_key_id = format!("STS.{}", random_alnum(25));
        let secret = SecretString::from(random_alnum(44));
        let token = SecretString::from(format!("CAIS{}", random_alnum(300)));
        let expiration = now + duration_seconds;
        self.sessions.insert(
            access_key_id.clone(),
            Session {
                secret: secret.clone(),
                token: token.clone(),
                expiration,
                role_name: role.name.clone(),
                role_id: role.role_id.clone(),
                session_name: session_name.to_owned(),
                policy,
            },
        );
        TempCredentials {
            access_key_id,
            access_key_secret: secret,
            security_token: token,
            expiration: acs_signer::format_timestamp(expiration),
            expiration_unix: expiration,
        }
    }

    /// Makes a session expire now (for tests of `InvalidSecurityToken.Expired`). Returns whether it existed.
    pub fn expire(&mut self, access_key_id: &str, now: i64) -> bool {
        match self.sessions.get_mut(access_key_id) {
            Some(s) => {
                s.expiration = now - 1;
                true
            }
            None => false,
        }
    }

    /// The principal and secret of a temporary key; `Ok(None)` when the id is not an STS key.
    pub(crate) fn resolve(
        &self,
        account_id: &str,
        access_key_id: &str,
        token: Option<&str>,
        now: i64,
    ) -> Result<Option<(Principal, SecretString)>, ApiError> {
        let Some(session) = self.sessions.get(access_key_id) else { return Ok(None) };
        let token = token.filter(|t| !t.is_empty()).ok_or_else(|| {
            ApiError::bad_request(
                "MissingSecurityToken",
                "A temporary (STS) AccessKey needs its SecurityToken with every request.",
            )
        })?;
        if !acs_signer::signatures_equal(token, session.token.expose_secret()) {
            let known = self.sessions.values().any(|s| acs_signer::signatures_equal(token, s.token.expose_secret()));
            return Err(if known {
                ApiError::bad_request(
                    "InvalidSecurityToken.MismatchWithAccessKey",
                    "The security token does not belong to the AccessKey ID.",
                )
            } else {
                ApiError::bad_request("InvalidSecurityToken.Malformed", "The security token you provided is malformed.")
            });
        }
        if now >= session.expiration {
            return Err(ApiError::bad_request("InvalidSecurityToken.Expired", "Specified SecurityToken is expired."));
        }
        Ok(Some((session_principal(account_id, access_key_id, session), session.secret.clone())))
    }
}

fn session_principal(account_id: &str, access_key_id: &str, s: &Session) -> Principal {
    Principal::RoleSession {
        account_id: account_id.to_owned(),
        role_name: s.role_name.clone(),
        role_id: s.role_id.clone(),
        session_name: s.session_name.clone(),
        access_key_id: access_key_id.to_owned(),
        session_policy: s.policy.clone(),
    }
}

/// The principal of a live temporary AccessKey (for the agent acting with an instance role).
pub fn principal_of(state: &State, access_key_id: &str, now: i64) -> Option<Principal> {
    let session = state.sts.sessions.get(access_key_id).filter(|s| s.expiration > now)?;
    Some(session_principal(&state.account_id, access_key_id, session))
}

/// Temporary credentials of the RAM role attached to `instance_id` (what the agent reads from the metadata
/// service): `None` when no role is attached, the role does not exist, or its trust policy does not trust ECS.
pub fn issue_instance_session(state: &mut State, instance_id: &str, now: i64) -> Option<TempCredentials> {
    let role_name = state.ecs.instance_ram_role(instance_id)?.to_owned();
    let role = state.ram.role(&role_name)?.clone();
    let trusted = ram_policy::evaluate_trust(
        &role.trust_policy,
        &TrustPrincipal::Service(ECS_SERVICE_PRINCIPAL.to_owned()),
        &Context::new(),
    );
    if !trusted.is_allowed() {
        return None;
    }
    Some(state.sts.issue(&role, &format!("instance-{instance_id}"), 3600, None, now))
}

/// Handles one STS call.
pub fn handle(ctx: &mut Ctx<'_>) -> Reply {
    match ctx.action {
        "AssumeRole" => assume_role(ctx),
        "GetCallerIdentity" => caller_identity(ctx),
        other => Err(ApiError::invalid_action(other)),
    }
}

fn no_permission(message: impl Into<String>) -> ApiError {
    ApiError::forbidden("NoPermission", message)
}

fn assume_role(ctx: &mut Ctx<'_>) -> Reply {
    let role_arn = ctx.params.required("RoleArn")?;
    let session_name = ctx.params.required("RoleSessionName")?;
    let account = ctx.state.account_id.clone();
    let role_name = role_arn
        .strip_prefix("acs:ram::")
        .and_then(|rest| rest.split_once(":role/"))
        .filter(|(acct, name)| !acct.is_empty() && !name.is_empty())
        .ok_or_else(|| {
            ApiError::bad_request(
                "InvalidParameter.RoleArn",
                "The parameter RoleArn must look like acs:ram::<account>:role/<name>.",
            )
        })
        .map(|(acct, name)| (acct.to_owned(), name.to_owned()))?;
    let len = session_name.chars().count();
    if !(2..=64).contains(&len) || !session_name.chars().all(|c| c.is_ascii_alphanumeric() || "._@-".contains(c)) {
        return Err(ApiError::bad_request(
            "InvalidParameter.RoleSessionName",
            "RoleSessionName must be 2-64 characters of letters, digits, '.', '@', '-' or '_'.",
        ));
    }
    let policy = match ctx.params.non_empty("Policy") {
        None => None,
        Some(text) => {
            let report = ram_policy::validate(text, PolicyKind::Identity);
            let parsed = PolicyDocument::parse(text).ok().filter(|_| report.is_valid());
            match parsed {
                Some(doc) => Some(doc),
                None => {
                    let why = report.errors.first().map(|f| f.to_string()).unwrap_or_else(|| "unparsable".into());
                    return Err(ApiError::bad_request(
                        "InvalidParameter.PolicyGrammar",
                        format!("The policy is invalid: {why}"),
                    ));
                }
            }
        }
    };
    let resource = format!("acs:ram:*:{account}:role/{}", role_name.1);
    if ctx.principal.is_root() {
        ctx.skip_authorization();
        return Err(no_permission("Roles may not be assumed by root accounts."));
    }
    ctx.authorize([resource], &[]).map_err(|mut e| {
        if e.code == "Forbidden.RAM" {
            e.code = "NoPermission".to_owned();
            e.message = "You are not authorized to do this action. You should be authorized by RAM.".to_owned();
        }
        e
    })?;
    let role = match ctx.state.ram.role(&role_name.1) {
        Some(role) if role_name.0 == account => role.clone(),
        _ => return Err(ApiError::not_found("EntityNotExist.Role", format!("The role not exists: {role_arn}."))),
    };
    let duration = ctx.params.int("DurationSeconds")?.unwrap_or(3600);
    if duration < 900 || duration > role.max_session_duration {
        return Err(ApiError::bad_request(
            "InvalidParameter.DurationSeconds",
            format!(
                "DurationSeconds must be between 900 and the role's MaxSessionDuration ({}).",
                role.max_session_duration
            ),
        ));
    }
    let trust = ram_policy::evaluate_trust(&role.trust_policy, &ctx.principal.trust_principal(), &Context::new());
    if !trust.is_allowed() {
        return Err(no_permission(format!(
            "You are not authorized to assume role {}: its trust policy does not trust {}.",
            role.arn,
            ctx.principal.arn()
        )));
    }
    let creds = ctx.state.sts.issue(&role, session_name, duration, policy, ctx.env.now);
    Ok(json!({
        "AssumedRoleUser": {
            "Arn": format!("acs:ram::{account}:assumed-role/{}/{session_name}", role.name),
            "AssumedRoleId": format!("{}:{session_name}", role.role_id),
        },
        "Credentials": {
            "AccessKeyId": creds.access_key_id,
            "AccessKeySecret": creds.access_key_secret.expose_secret(),
            "SecurityToken": creds.security_token.expose_secret(),
            "Expiration": creds.expiration,
        },
    }))
}

fn caller_identity(ctx: &mut Ctx<'_>) -> Reply {
    ctx.skip_authorization();
    let account = ctx.state.account_id.clone();
    let arn = ctx.principal.arn();
    Ok(match ctx.principal {
        Principal::Root { .. } => json!({
            "AccountId": account, "UserId": account, "PrincipalId": account, "Arn": arn, "IdentityType": "Account",
        }),
        Principal::User { user_id, .. } => json!({
            "AccountId": account, "UserId": user_id, "PrincipalId": user_id, "Arn": arn, "IdentityType": "RAMUser",
        }),
        Principal::RoleSession { role_id, session_name, .. } => json!({
            "AccountId": account, "UserId": format!("{role_id}:{session_name}"), "RoleId": role_id,
            "PrincipalId": format!("{role_id}:{session_name}"), "Arn": arn, "IdentityType": "AssumedRoleUser",
        }),
    })
}
