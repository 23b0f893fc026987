//! CreateAccessKey, ListAccessKeys, UpdateAccessKey, DeleteAccessKey (at most 2 per user; without `UserName`
//! they act on the caller's own keys, the root's included).

use super::model::{AccessKey, KeyOwner, KeyStatus, MAX_ACCESS_KEYS};
use super::users::{authorize_user, not_found};
use super::{arn, date};
use crate::error::ApiError;
use crate::ids::{now_unix, random_alnum};
use crate::principal::Principal;
use crate::services::{Ctx, Reply};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};

/// Resolves whose keys the call is about, authorizes, and checks the user exists.
fn owner(ctx: &mut Ctx<'_>) -> Result<KeyOwner, ApiError> {
    let name = match ctx.params.non_empty("UserName") {
        Some(name) => name.to_owned(),
        None => match ctx.principal {
            Principal::Root { .. } => {
                let resource = arn(ctx, "*");
                ctx.authorize([resource], &[])?;
                return Ok(KeyOwner::Root);
            }
            Principal::User { user_name, .. } => user_name.clone(),
            Principal::RoleSession { .. } => return Err(ApiError::missing_parameter("UserName")),
        },
    };
    authorize_user(ctx, "UserName", &name)?;
    if ctx.state.ram.user(&name).is_none() {
        return Err(not_found(&name));
    }
    Ok(KeyOwner::User(name.to_ascii_lowercase()))
}

fn key_json(k: &AccessKey) -> Value {
    json!({ "AccessKeyId": k.id, "Status": k.status.as_str(), "CreateDate": date(k.created) })
}

fn owned_key<'s>(ctx: &'s mut Ctx<'_>, owner: &KeyOwner) -> Result<&'s mut AccessKey, ApiError> {
    let id = ctx.params.required("UserAccessKeyId")?;
    ctx.state.ram.access_keys.get_mut(id).filter(|k| k.owner == *owner).ok_or_else(|| {
        ApiError::not_found("EntityNotExist.User.AccessKey", format!("The AccessKey does not exist: {id}."))
    })
}

pub(super) fn create(ctx: &mut Ctx<'_>) -> Reply {
    let owner = owner(ctx)?;
    let ram = &mut ctx.state.ram;
    if ram.access_keys.values().filter(|k| k.owner == owner).count() >= MAX_ACCESS_KEYS {
        return Err(ApiError::conflict(
            "LimitExceeded.User.AccessKey",
            format!("The count of AccessKeys of the user exceeds the limit: {MAX_ACCESS_KEYS}."),
        ));
    }
    let key = AccessKey {
        id: format!("LTAI{}", random_alnum(20)),
        secret: SecretString::from(random_alnum(30)),
        owner,
        status: KeyStatus::Active,
        created: now_unix(),
    };
    let body = json!({
        "AccessKey": {
            "AccessKeyId": key.id,
            "AccessKeySecret": key.secret.expose_secret(),
            "Status": key.status.as_str(),
            "CreateDate": date(key.created),
        }
    });
    ram.access_keys.insert(key.id.clone(), key);
    Ok(body)
}

pub(super) fn list(ctx: &mut Ctx<'_>) -> Reply {
    let owner = owner(ctx)?;
    let keys: Vec<Value> = ctx.state.ram.access_keys.values().filter(|k| k.owner == owner).map(key_json).collect();
    Ok(json!({ "AccessKeys": { "AccessKey": keys } }))
}

pub(super) fn update(ctx: &mut Ctx<'_>) -> Reply {
    let status = match ctx.params.required("Status")? {
        "Active" => KeyStatus::Active,
        "Inactive" => KeyStatus::Inactive,
        other => {
            return Err(ApiError::bad_request(
                "InvalidParameter.Status",
                format!("Status must be Active or Inactive, got {other:?}."),
            ))
        }
    };
    let owner = owner(ctx)?;
    owned_key(ctx, &owner)?.status = status;
    Ok(json!({}))
}

pub(super) fn delete(ctx: &mut Ctx<'_>) -> Reply {
    let owner = owner(ctx)?;
    let id = owned_key(ctx, &owner)?.id.clone();
    ctx.state.ram.access_keys.remove(&id);
    Ok(json!({}))
}
