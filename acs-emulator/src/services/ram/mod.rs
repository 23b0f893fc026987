//! RAM `2015-05-01`: users, login profiles and the password policy, AccessKeys, custom policies and their
//! versions, roles with trust policies, and attachments — with the documented limits and error codes.
//!
//! Resource ARNs used for authorization (`ram:<Action>`):
//! users, login profiles and AccessKeys `acs:ram:*:<account>:user/<UserName>`; policies and versions
//! `acs:ram:*:<account>:policy/<PolicyName>`; roles `acs:ram:*:<account>:role/<RoleName>`; attachments both the
//! policy and the user/role ARN; `List*` (account-wide) and `GetPasswordPolicy` `acs:ram:*:<account>:*`.
//! Names are case-insensitive (stored as created, looked up in lower case).

mod access_keys;
mod attachments;
mod login_profiles;
mod model;
mod policies;
mod roles;
mod users;
mod validate;

pub use model::{
    AccessKey, Attachment, CustomPolicy, KeyOwner, KeyStatus, LoginProfile, PasswordPolicy, PolicyType, PolicyVersion,
    RamState, Role, User,
};

use super::{Ctx, Reply};
use crate::error::ApiError;
use crate::params::Params;
use base64::Engine as _;
use serde_json::Value;

/// Handles one RAM call.
pub fn handle(ctx: &mut Ctx<'_>) -> Reply {
    match ctx.action {
        "CreateUser" => users::create(ctx),
        "GetUser" => users::get(ctx),
        "UpdateUser" => users::update(ctx),
        "DeleteUser" => users::delete(ctx),
        "ListUsers" => users::list(ctx),
        "CreateLoginProfile" => login_profiles::create(ctx),
        "GetLoginProfile" => login_profiles::get(ctx),
        "UpdateLoginProfile" => login_profiles::update(ctx),
        "DeleteLoginProfile" => login_profiles::delete(ctx),
        "GetPasswordPolicy" => login_profiles::get_password_policy(ctx),
        "CreateAccessKey" => access_keys::create(ctx),
        "ListAccessKeys" => access_keys::list(ctx),
        "UpdateAccessKey" => access_keys::update(ctx),
        "DeleteAccessKey" => access_keys::delete(ctx),
        "CreatePolicy" => policies::create(ctx),
        "GetPolicy" => policies::get(ctx),
        "DeletePolicy" => policies::delete(ctx),
        "ListPolicies" => policies::list(ctx),
        "CreatePolicyVersion" => policies::create_version(ctx),
        "GetPolicyVersion" => policies::get_version(ctx),
        "ListPolicyVersions" => policies::list_versions(ctx),
        "DeletePolicyVersion" => policies::delete_version(ctx),
        "SetDefaultPolicyVersion" => policies::set_default_version(ctx),
        "AttachPolicyToUser" => attachments::attach_to_user(ctx),
        "DetachPolicyFromUser" => attachments::detach_from_user(ctx),
        "ListPoliciesForUser" => attachments::list_for_user(ctx),
        "AttachPolicyToRole" => attachments::attach_to_role(ctx),
        "DetachPolicyFromRole" => attachments::detach_from_role(ctx),
        "ListPoliciesForRole" => attachments::list_for_role(ctx),
        "ListEntitiesForPolicy" => attachments::list_entities(ctx),
        "CreateRole" => roles::create(ctx),
        "GetRole" => roles::get(ctx),
        "UpdateRole" => roles::update(ctx),
        "DeleteRole" => roles::delete(ctx),
        "ListRoles" => roles::list(ctx),
        other => Err(ApiError::invalid_action(other)),
    }
}

/// `acs:ram:*:<account>:<relative>`.
fn arn(ctx: &Ctx<'_>, relative: &str) -> String {
    format!("acs:ram:*:{}:{relative}", ctx.state.account_id)
}

fn date(unix: i64) -> String {
    acs_signer::format_timestamp(unix)
}

/// One page of a `Marker`/`MaxItems` listing of items sorted by `key`.
fn paginate<T>(
    items: Vec<T>,
    key: impl Fn(&T) -> String,
    params: &Params,
) -> Result<(Vec<T>, Option<String>), ApiError> {
    let max = params.int_in("MaxItems", 1, 1000, "InvalidParameter.MaxItems")?.unwrap_or(100) as usize;
    let engine = &base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let start =
        match params.non_empty("Marker") {
            None => None,
            Some(marker) => {
                Some(engine.decode(marker).ok().and_then(|b| String::from_utf8(b).ok()).ok_or_else(|| {
                    ApiError::bad_request("InvalidParameter.Marker", "The specified Marker is invalid.")
                })?)
            }
        };
    let mut page: Vec<T> = Vec::new();
    let mut next = None;
    for item in items {
        let k = key(&item);
        if start.as_ref().is_some_and(|s| k < *s) {
            continue;
        }
        if page.len() == max {
            next = Some(engine.encode(k));
            break;
        }
        page.push(item);
    }
    Ok((page, next))
}

/// Adds `IsTruncated` (and `Marker` when truncated) to a listing body.
fn with_page(mut body: Value, next: Option<String>) -> Value {
    if let Value::Object(map) = &mut body {
        map.insert("IsTruncated".into(), Value::Bool(next.is_some()));
        if let Some(marker) = next {
            map.insert("Marker".into(), Value::String(marker));
        }
    }
    body
}
