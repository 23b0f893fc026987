//! CreateUser, GetUser, UpdateUser, DeleteUser, ListUsers.

use super::model::{User, MAX_USERS};
use super::{arn, date, paginate, validate, with_page};
use crate::error::ApiError;
use crate::ids::{now_unix, random_digits};
use crate::services::{Ctx, Reply};
use serde_json::{json, Value};

pub(super) fn not_found(name: &str) -> ApiError {
    ApiError::not_found("EntityNotExist.User", format!("The user does not exist: {name}."))
}

pub(super) fn user_json(u: &User) -> Value {
    json!({
        "UserName": u.name,
        "UserId": u.user_id,
        "DisplayName": u.display_name,
        "Comments": u.comments,
        "Email": u.email,
        "MobilePhone": u.mobile_phone,
        "CreateDate": date(u.created),
        "UpdateDate": date(u.updated),
    })
}

/// Authorizes on `user/<name>` after checking the name's syntax.
pub(super) fn authorize_user(ctx: &mut Ctx<'_>, param: &str, name: &str) -> Result<(), ApiError> {
    validate::user_name(param, name)?;
    let resource = arn(ctx, &format!("user/{name}"));
    ctx.authorize([resource], &[])
}

pub(super) fn create(ctx: &mut Ctx<'_>) -> Reply {
    let p = ctx.params;
    let name = p.required("UserName")?;
    authorize_user(ctx, "UserName", name)?;
    let display_name = p.non_empty("DisplayName").unwrap_or(name);
    validate::display_name("DisplayName", display_name)?;
    let comments = p.get("Comments").unwrap_or("");
    validate::comments("Comments", comments)?;
    let email = p.non_empty("Email");
    if let Some(email) = email {
        validate::email("Email", email)?;
    }
    let mobile = p.non_empty("MobilePhone");
    if let Some(m) = mobile {
        validate::mobile_phone("MobilePhone", m)?;
    }
    let ram = &mut ctx.state.ram;
    let key = name.to_ascii_lowercase();
    if ram.users.contains_key(&key) {
        return Err(ApiError::conflict("EntityAlreadyExists.User", format!("The user already exists: {name}.")));
    }
    if ram.users.len() >= MAX_USERS {
        return Err(ApiError::conflict(
            "LimitExceeded.User",
            format!("The count of users exceeds the limit: {MAX_USERS}."),
        ));
    }
    let now = now_unix();
    let user = User {
        name: name.to_owned(),
        user_id: random_digits(16),
        display_name: display_name.to_owned(),
        comments: comments.to_owned(),
        email: email.unwrap_or_default().to_owned(),
        mobile_phone: mobile.unwrap_or_default().to_owned(),
        created: now,
        updated: now,
        login_profile: None,
        attached: Vec::new(),
    };
    let mut body = user_json(&user);
    if let Value::Object(m) = &mut body {
        m.remove("UpdateDate");
    }
    ram.users.insert(key, user);
    Ok(json!({ "User": body }))
}

pub(super) fn get(ctx: &mut Ctx<'_>) -> Reply {
    let name = ctx.params.required("UserName")?;
    authorize_user(ctx, "UserName", name)?;
    let user = ctx.state.ram.user(name).ok_or_else(|| not_found(name))?;
    Ok(json!({ "User": user_json(user) }))
}

pub(super) fn update(ctx: &mut Ctx<'_>) -> Reply {
    let p = ctx.params;
    let name = p.required("UserName")?;
    authorize_user(ctx, "UserName", name)?;
    let new_name = p.non_empty("NewUserName");
    if let Some(n) = new_name {
        validate::user_name("NewUserName", n)?;
    }
    if let Some(v) = p.non_empty("NewDisplayName") {
        validate::display_name("NewDisplayName", v)?;
    }
    if let Some(v) = p.get("NewComments") {
        validate::comments("NewComments", v)?;
    }
    if let Some(v) = p.non_empty("NewEmail") {
        validate::email("NewEmail", v)?;
    }
    if let Some(v) = p.non_empty("NewMobilePhone") {
        validate::mobile_phone("NewMobilePhone", v)?;
    }
    let ram = &mut ctx.state.ram;
    let key = name.to_ascii_lowercase();
    let mut user = ram.users.get(&key).cloned().ok_or_else(|| not_found(name))?;
    if let Some(n) = new_name {
        let new_key = n.to_ascii_lowercase();
        if new_key != key && ram.users.contains_key(&new_key) {
            return Err(ApiError::conflict("EntityAlreadyExists.User", format!("The user already exists: {n}.")));
        }
        user.name = n.to_owned();
    }
    if let Some(v) = p.non_empty("NewDisplayName") {
        user.display_name = v.to_owned();
    }
    if let Some(v) = p.get("NewComments") {
        user.comments = v.to_owned();
    }
    if let Some(v) = p.get("NewEmail") {
        user.email = v.to_owned();
    }
    if let Some(v) = p.get("NewMobilePhone") {
        user.mobile_phone = v.to_owned();
    }
    user.updated = now_unix();
    let new_key = user.name.to_ascii_lowercase();
    if new_key != key {
        ram.users.remove(&key);
        for k in ram.access_keys.values_mut() {
            if k.owner == super::KeyOwner::User(key.clone()) {
                k.owner = super::KeyOwner::User(new_key.clone());
            }
        }
    }
    let body = user_json(&user);
    ram.users.insert(new_key, user);
    Ok(json!({ "User": body }))
}

pub(super) fn delete(ctx: &mut Ctx<'_>) -> Reply {
    let name = ctx.params.required("UserName")?;
    authorize_user(ctx, "UserName", name)?;
    let ram = &mut ctx.state.ram;
    let key = name.to_ascii_lowercase();
    let user = ram.users.get(&key).ok_or_else(|| not_found(name))?;
    if ram.access_keys.values().any(|k| k.owner == super::KeyOwner::User(key.clone())) {
        return Err(ApiError::conflict(
            "DeleteConflict.User.AccessKey",
            format!("The user {name} still has AccessKeys; delete them first."),
        ));
    }
    if user.login_profile.is_some() {
        return Err(ApiError::conflict(
            "DeleteConflict.User.LoginProfile",
            format!("The user {name} still has a login profile; delete it first."),
        ));
    }
    if !user.attached.is_empty() {
        return Err(ApiError::conflict(
            "DeleteConflict.User.Policy",
            format!("The user {name} still has attached policies; detach them first."),
        ));
    }
    ram.users.remove(&key);
    Ok(json!({}))
}

pub(super) fn list(ctx: &mut Ctx<'_>) -> Reply {
    let resource = arn(ctx, "*");
    ctx.authorize([resource], &[])?;
    let users: Vec<(&String, &User)> = ctx.state.ram.users.iter().collect();
    let (page, next) = paginate(users, |(k, _)| (*k).clone(), ctx.params)?;
    let list: Vec<Value> = page.into_iter().map(|(_, u)| user_json(u)).collect();
    Ok(with_page(json!({ "Users": { "User": list } }), next))
}
