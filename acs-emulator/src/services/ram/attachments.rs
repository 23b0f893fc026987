//! AttachPolicyToUser/Role, DetachPolicyFromUser/Role, ListPoliciesForUser/Role, ListEntitiesForPolicy.
//!
//! Limits per user: 20 system + 10 custom policies (`LimitExceeded.User.Policy`); per role: 20 + 5
//! (`LimitExceeded.Role.Policy`).

use super::date;
use super::model::{Attachment, PolicyType, RamState};
use super::policies::{authorize_policy, not_found as policy_not_found};
use super::roles::{authorize_role, not_found as role_not_found};
use super::users::{authorize_user, not_found as user_not_found};
use crate::error::ApiError;
use crate::ids::now_unix;
use crate::services::{Ctx, Reply};
use serde_json::{json, Value};

#[derive(Clone, Copy)]
enum Entity {
    User,
    Role,
}

impl Entity {
    fn label(self) -> &'static str {
        match self {
            Entity::User => "User",
            Entity::Role => "Role",
        }
    }

    fn param(self) -> &'static str {
        match self {
            Entity::User => "UserName",
            Entity::Role => "RoleName",
        }
    }

    fn limits(self) -> (usize, usize) {
        match self {
            Entity::User => (20, 10),
            Entity::Role => (20, 5),
        }
    }

    fn authorize(self, ctx: &mut Ctx<'_>, name: &str) -> Result<(), ApiError> {
        match self {
            Entity::User => authorize_user(ctx, "UserName", name),
            Entity::Role => authorize_role(ctx, name),
        }
    }

    fn not_found(self, name: &str) -> ApiError {
        match self {
            Entity::User => user_not_found(name),
            Entity::Role => role_not_found(name),
        }
    }

    fn attachments<'s>(self, ram: &'s mut RamState, name: &str) -> Option<&'s mut Vec<Attachment>> {
        let key = name.to_ascii_lowercase();
        match self {
            Entity::User => ram.users.get_mut(&key).map(|u| &mut u.attached),
            Entity::Role => ram.roles.get_mut(&key).map(|r| &mut r.attached),
        }
    }
}

fn same(a: &Attachment, policy_type: PolicyType, name: &str) -> bool {
    a.policy_type == policy_type && a.policy_name.eq_ignore_ascii_case(name)
}

fn attach(ctx: &mut Ctx<'_>, entity: Entity) -> Reply {
    let p = ctx.params;
    let policy_name = p.required("PolicyName")?;
    let policy_type = PolicyType::parse(p.required("PolicyType")?)?;
    let entity_name = p.required(entity.param())?;
    authorize_policy(ctx, policy_name)?;
    entity.authorize(ctx, entity_name)?;
    let ram = &mut ctx.state.ram;
    let canonical = match policy_type {
        PolicyType::System => ram_policy::system_policy_names()
            .iter()
            .find(|n| n.eq_ignore_ascii_case(policy_name))
            .map(|n| n.to_string()),
        PolicyType::Custom => ram.custom_policy(policy_name).map(|c| c.name.clone()),
    };
    let list = entity.attachments(ram, entity_name).ok_or_else(|| entity.not_found(entity_name))?;
    let canonical = canonical.ok_or_else(|| policy_not_found(policy_name))?;
    if list.iter().any(|a| same(a, policy_type, policy_name)) {
        return Err(ApiError::conflict(
            format!("EntityAlreadyExists.{}.Policy", entity.label()),
            format!("The policy {policy_name} is already attached to {entity_name}."),
        ));
    }
    let (max_system, max_custom) = entity.limits();
    let max = if policy_type == PolicyType::System { max_system } else { max_custom };
    if list.iter().filter(|a| a.policy_type == policy_type).count() >= max {
        return Err(ApiError::conflict(
            format!("LimitExceeded.{}.Policy", entity.label()),
            format!("{entity_name} already has the maximum of {max} {} policies attached.", policy_type.as_str()),
        ));
    }
    list.push(Attachment { policy_type, policy_name: canonical, attached: now_unix() });
    Ok(json!({}))
}

fn detach(ctx: &mut Ctx<'_>, entity: Entity) -> Reply {
    let p = ctx.params;
    let policy_name = p.required("PolicyName")?;
    let policy_type = PolicyType::parse(p.required("PolicyType")?)?;
    let entity_name = p.required(entity.param())?;
    authorize_policy(ctx, policy_name)?;
    entity.authorize(ctx, entity_name)?;
    let ram = &mut ctx.state.ram;
    if !ram.policy_exists(policy_type, policy_name) {
        return Err(policy_not_found(policy_name));
    }
    let list = entity.attachments(ram, entity_name).ok_or_else(|| entity.not_found(entity_name))?;
    let before = list.len();
    list.retain(|a| !same(a, policy_type, policy_name));
    if list.len() == before {
        return Err(ApiError::not_found(
            format!("EntityNotExist.{}.Policy", entity.label()),
            format!("The policy {policy_name} is not attached to {entity_name}."),
        ));
    }
    Ok(json!({}))
}

fn list_for(ctx: &mut Ctx<'_>, entity: Entity) -> Reply {
    let name = ctx.params.required(entity.param())?;
    entity.authorize(ctx, name)?;
    let ram = &mut ctx.state.ram;
    let attached = entity.attachments(ram, name).ok_or_else(|| entity.not_found(name))?.clone();
    let list: Vec<Value> = attached
        .iter()
        .map(|a| {
            let (description, default) = match a.policy_type {
                PolicyType::System => (String::new(), "v1".to_owned()),
                PolicyType::Custom => ram
                    .custom_policy(&a.policy_name)
                    .map(|c| (c.description.clone(), c.default_version.clone()))
                    .unwrap_or_default(),
            };
            json!({
                "PolicyName": a.policy_name,
                "PolicyType": a.policy_type.as_str(),
                "Description": description,
                "DefaultVersion": default,
                "AttachDate": date(a.attached),
            })
        })
        .collect();
    Ok(json!({ "Policies": { "Policy": list } }))
}

pub(super) fn attach_to_user(ctx: &mut Ctx<'_>) -> Reply {
    attach(ctx, Entity::User)
}

pub(super) fn attach_to_role(ctx: &mut Ctx<'_>) -> Reply {
    attach(ctx, Entity::Role)
}

pub(super) fn detach_from_user(ctx: &mut Ctx<'_>) -> Reply {
    detach(ctx, Entity::User)
}

pub(super) fn detach_from_role(ctx: &mut Ctx<'_>) -> Reply {
    detach(ctx, Entity::Role)
}

pub(super) fn list_for_user(ctx: &mut Ctx<'_>) -> Reply {
    list_for(ctx, Entity::User)
}

pub(super) fn list_for_role(ctx: &mut Ctx<'_>) -> Reply {
    list_for(ctx, Entity::Role)
}

pub(super) fn list_entities(ctx: &mut Ctx<'_>) -> Reply {
    let name = ctx.params.required("PolicyName")?;
    let policy_type = PolicyType::parse(ctx.params.required("PolicyType")?)?;
    authorize_policy(ctx, name)?;
    let ram = &ctx.state.ram;
    if !ram.policy_exists(policy_type, name) {
        return Err(policy_not_found(name));
    }
    let attached_at = |list: &[Attachment]| list.iter().find(|a| same(a, policy_type, name)).map(|a| a.attached);
    let users: Vec<Value> = ram
        .users
        .values()
        .filter_map(|u| {
            attached_at(&u.attached).map(|t| {
                json!({ "UserName": u.name, "UserId": u.user_id, "DisplayName": u.display_name, "AttachDate": date(t) })
            })
        })
        .collect();
    let roles: Vec<Value> = ram
        .roles
        .values()
        .filter_map(|r| {
            attached_at(&r.attached).map(|t| {
                json!({ "RoleName": r.name, "RoleId": r.role_id, "Arn": r.arn, "Description": r.description, "AttachDate": date(t) })
            })
        })
        .collect();
    Ok(json!({ "Users": { "User": users }, "Roles": { "Role": roles }, "Groups": { "Group": [] } }))
}
