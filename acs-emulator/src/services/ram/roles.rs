//! CreateRole, GetRole, UpdateRole, DeleteRole, ListRoles (trust policies validated as `PolicyKind::Trust`).

use super::model::{Role, MAX_ROLES};
use super::{arn, date, paginate, validate, with_page};
use crate::error::ApiError;
use crate::ids::{now_unix, random_digits};
use crate::services::{Ctx, Reply};
use ram_policy::PolicyKind;
use serde_json::{json, Value};

/// Longest trust policy document.
const MAX_TRUST_CHARS: usize = 2_048;

pub(super) fn not_found(name: &str) -> ApiError {
    ApiError::not_found("EntityNotExist.Role", format!("The role does not exist: {name}."))
}

/// Validates the name and authorizes on `role/<name>`.
pub(super) fn authorize_role(ctx: &mut Ctx<'_>, name: &str) -> Result<(), ApiError> {
    validate::role_name(name)?;
    let resource = arn(ctx, &format!("role/{name}"));
    ctx.authorize([resource], &[])
}

fn session_duration(ctx: &Ctx<'_>, param: &str) -> Result<Option<i64>, ApiError> {
    ctx.params.int_in(param, 3600, 43_200, &format!("InvalidParameter.{param}"))
}

fn role_json(r: &Role, account_id: &str) -> Value {
    json!({
        "RoleName": r.name,
        "RoleId": r.role_id,
        "Arn": r.arn,
        "Description": r.description,
        "AssumeRolePolicyDocument": r.trust_policy_text,
        "MaxSessionDuration": r.max_session_duration,
        "CreateDate": date(r.created),
        "UpdateDate": date(r.updated),
        "IsServiceLinkedRole": false,
        "RolePrincipalName": format!("{}@role.{account_id}.onaliyunservice.com", r.name),
    })
}

pub(super) fn create(ctx: &mut Ctx<'_>) -> Reply {
    let p = ctx.params;
    let name = p.required("RoleName")?;
    authorize_role(ctx, name)?;
    let text = p.required("AssumeRolePolicyDocument")?;
    let trust = validate::document("AssumeRolePolicyDocument", text, PolicyKind::Trust, MAX_TRUST_CHARS)?;
    let description = p.get("Description").unwrap_or("");
    validate::description("Description", description, 1024)?;
    let max_session = session_duration(ctx, "MaxSessionDuration")?.unwrap_or(3600);
    let account = ctx.state.account_id.clone();
    let ram = &mut ctx.state.ram;
    let key = name.to_ascii_lowercase();
    if ram.roles.contains_key(&key) {
        return Err(ApiError::conflict("EntityAlreadyExists.Role", format!("The role already exists: {name}.")));
    }
    if ram.roles.len() >= MAX_ROLES {
        return Err(ApiError::conflict(
            "LimitExceeded.Role",
            format!("The count of roles exceeds the limit: {MAX_ROLES}."),
        ));
    }
    let now = now_unix();
    let role = Role {
        name: name.to_owned(),
        role_id: random_digits(19),
        arn: Role::arn_for(&account, name),
        description: description.to_owned(),
        trust_policy_text: text.to_owned(),
        trust_policy: trust,
        max_session_duration: max_session,
        created: now,
        updated: now,
        attached: Vec::new(),
    };
    let mut body = role_json(&role, &account);
    if let Value::Object(m) = &mut body {
        for k in ["UpdateDate", "IsServiceLinkedRole", "RolePrincipalName"] {
            m.remove(k);
        }
    }
    ram.roles.insert(key, role);
    Ok(json!({ "Role": body }))
}

pub(super) fn get(ctx: &mut Ctx<'_>) -> Reply {
    let name = ctx.params.required("RoleName")?;
    authorize_role(ctx, name)?;
    let role = ctx.state.ram.role(name).ok_or_else(|| not_found(name))?;
    Ok(json!({ "Role": role_json(role, &ctx.state.account_id) }))
}

pub(super) fn update(ctx: &mut Ctx<'_>) -> Reply {
    let p = ctx.params;
    let name = p.required("RoleName")?;
    authorize_role(ctx, name)?;
    let trust = match p.non_empty("NewAssumeRolePolicyDocument") {
        Some(text) => {
            Some((text, validate::document("NewAssumeRolePolicyDocument", text, PolicyKind::Trust, MAX_TRUST_CHARS)?))
        }
        None => None,
    };
    if let Some(d) = p.get("NewDescription") {
        validate::description("NewDescription", d, 1024)?;
    }
    let max_session = session_duration(ctx, "NewMaxSessionDuration")?;
    let account = ctx.state.account_id.clone();
    let role = ctx.state.ram.roles.get_mut(&name.to_ascii_lowercase()).ok_or_else(|| not_found(name))?;
    if let Some((text, doc)) = trust {
        role.trust_policy_text = text.to_owned();
        role.trust_policy = doc;
    }
    if let Some(d) = p.get("NewDescription") {
        role.description = d.to_owned();
    }
    if let Some(m) = max_session {
        role.max_session_duration = m;
    }
    role.updated = now_unix();
    let mut body = role_json(role, &account);
    if let Value::Object(m) = &mut body {
        m.remove("IsServiceLinkedRole");
        m.remove("RolePrincipalName");
    }
    Ok(json!({ "Role": body }))
}

pub(super) fn delete(ctx: &mut Ctx<'_>) -> Reply {
    let name = ctx.params.required("RoleName")?;
    authorize_role(ctx, name)?;
    let ram = &mut ctx.state.ram;
    let key = name.to_ascii_lowercase();
    let role = ram.roles.get(&key).ok_or_else(|| not_found(name))?;
    if !role.attached.is_empty() {
        return Err(ApiError::conflict(
            "DeleteConflict.Role.Policy",
            format!("The role {name} still has attached policies; detach them first."),
        ));
    }
    ram.roles.remove(&key);
    Ok(json!({}))
}

pub(super) fn list(ctx: &mut Ctx<'_>) -> Reply {
    let resource = arn(ctx, "*");
    ctx.authorize([resource], &[])?;
    let account = ctx.state.account_id.clone();
    let roles: Vec<(&String, &Role)> = ctx.state.ram.roles.iter().collect();
    let (page, next) = paginate(roles, |(k, _)| (*k).clone(), ctx.params)?;
    let list: Vec<Value> = page
        .into_iter()
        .map(|(_, r)| {
            let mut v = role_json(r, &account);
            if let Value::Object(m) = &mut v {
                for k in ["AssumeRolePolicyDocument", "IsServiceLinkedRole", "RolePrincipalName"] {
                    m.remove(k);
                }
            }
            v
        })
        .collect();
    Ok(with_page(json!({ "Roles": { "Role": list } }), next))
}
