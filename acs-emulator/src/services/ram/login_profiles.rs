//! CreateLoginProfile, GetLoginProfile, UpdateLoginProfile, DeleteLoginProfile, GetPasswordPolicy.

use super::model::LoginProfile;
use super::users::{authorize_user, not_found};
use super::{arn, date};
use crate::error::ApiError;
use crate::ids::now_unix;
use crate::services::{Ctx, Reply};
use secrecy::SecretString;
use serde_json::{json, Value};

fn no_profile(name: &str) -> ApiError {
    ApiError::not_found("EntityNotExist.User.LoginProfile", format!("The login profile of user {name} does not exist."))
}

fn check_password(ctx: &Ctx<'_>, password: &str) -> Result<(), ApiError> {
    let violations = ctx.state.ram.password_policy().violations(password);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "InvalidParameter.Password.TooWeak",
            format!("The password does not meet the password policy: it needs {}.", violations.join(", ")),
        ))
    }
}

fn profile_json(user_name: &str, p: &LoginProfile) -> Value {
    json!({
        "UserName": user_name,
        "PasswordResetRequired": p.password_reset_required,
        "MFABindRequired": p.mfa_bind_required,
        "CreateDate": date(p.created),
    })
}

pub(super) fn create(ctx: &mut Ctx<'_>) -> Reply {
    let p = ctx.params;
    let name = p.required("UserName")?;
    authorize_user(ctx, "UserName", name)?;
    let password = p.required("Password")?;
    let reset = p.bool("PasswordResetRequired")?.unwrap_or(false);
    let mfa = p.bool("MFABindRequired")?.unwrap_or(false);
    let user = ctx.state.ram.user(name).ok_or_else(|| not_found(name))?;
    if user.login_profile.is_some() {
        return Err(ApiError::conflict(
            "EntityAlreadyExists.User.LoginProfile",
            format!("The login profile of user {name} already exists."),
        ));
    }
    check_password(ctx, password)?;
    let profile = LoginProfile {
        password: SecretString::from(password.to_owned()),
        password_reset_required: reset,
        mfa_bind_required: mfa,
        created: now_unix(),
    };
    let user = ctx.state.ram.users.get_mut(&name.to_ascii_lowercase()).ok_or_else(|| not_found(name))?;
    let body = profile_json(&user.name, &profile);
    user.login_profile = Some(profile);
    Ok(json!({ "LoginProfile": body }))
}

pub(super) fn get(ctx: &mut Ctx<'_>) -> Reply {
    let name = ctx.params.required("UserName")?;
    authorize_user(ctx, "UserName", name)?;
    let user = ctx.state.ram.user(name).ok_or_else(|| not_found(name))?;
    let profile = user.login_profile.as_ref().ok_or_else(|| no_profile(name))?;
    Ok(json!({ "LoginProfile": profile_json(&user.name, profile) }))
}

pub(super) fn update(ctx: &mut Ctx<'_>) -> Reply {
    let p = ctx.params;
    let name = p.required("UserName")?;
    authorize_user(ctx, "UserName", name)?;
    let reset = p.bool("PasswordResetRequired")?;
    let mfa = p.bool("MFABindRequired")?;
    let user = ctx.state.ram.user(name).ok_or_else(|| not_found(name))?;
    if user.login_profile.is_none() {
        return Err(no_profile(name));
    }
    if let Some(password) = p.non_empty("Password") {
        check_password(ctx, password)?;
    }
    let user = ctx.state.ram.users.get_mut(&name.to_ascii_lowercase()).ok_or_else(|| not_found(name))?;
    let profile = user.login_profile.as_mut().ok_or_else(|| no_profile(name))?;
    if let Some(password) = p.non_empty("Password") {
        profile.password = SecretString::from(password.to_owned());
    }
    if let Some(v) = reset {
        profile.password_reset_required = v;
    }
    if let Some(v) = mfa {
        profile.mfa_bind_required = v;
    }
    Ok(json!({}))
}

pub(super) fn delete(ctx: &mut Ctx<'_>) -> Reply {
    let name = ctx.params.required("UserName")?;
    authorize_user(ctx, "UserName", name)?;
    let user = ctx.state.ram.users.get_mut(&name.to_ascii_lowercase()).ok_or_else(|| not_found(name))?;
    user.login_profile.take().ok_or_else(|| no_profile(name))?;
    Ok(json!({}))
}

pub(super) fn get_password_policy(ctx: &mut Ctx<'_>) -> Reply {
    let resource = arn(ctx, "*");
    ctx.authorize([resource], &[])?;
    let pp = ctx.state.ram.password_policy();
    Ok(json!({
        "PasswordPolicy": {
            "MinimumPasswordLength": pp.minimum_password_length,
            "RequireLowercaseCharacters": pp.require_lowercase_characters,
            "RequireUppercaseCharacters": pp.require_uppercase_characters,
            "RequireNumbers": pp.require_numbers,
            "RequireSymbols": pp.require_symbols,
            "HardExpiry": pp.hard_expiry,
            "MaxPasswordAge": pp.max_password_age,
            "PasswordReusePrevention": pp.password_reuse_prevention,
            "MaxLoginAttemps": pp.max_login_attempts,
        }
    }))
}
