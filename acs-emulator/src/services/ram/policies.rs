//! Policies and their versions: CreatePolicy, GetPolicy, DeletePolicy, ListPolicies, CreatePolicyVersion,
//! GetPolicyVersion, ListPolicyVersions, DeletePolicyVersion, SetDefaultPolicyVersion.
//!
//! Documents are stored and returned exactly as submitted. System policies come from `ram_policy`'s bundle
//! (one version, `v1`).

use super::model::{CustomPolicy, PolicyType, PolicyVersion, RamState, MAX_CUSTOM_POLICIES, MAX_VERSIONS};
use super::{arn, date, paginate, validate, with_page};
use crate::error::ApiError;
use crate::ids::now_unix;
use crate::services::{Ctx, Reply};
use ram_policy::PolicyKind;
use serde_json::{json, Value};

/// When the bundled system policies are said to have been created.
const SYSTEM_POLICY_DATE: i64 = 1_420_070_400;
/// Longest identity policy document.
const MAX_DOCUMENT_CHARS: usize = 6_144;

pub(super) fn not_found(name: &str) -> ApiError {
    ApiError::not_found("EntityNotExist.Policy", format!("The policy does not exist: {name}."))
}

fn version_not_found(name: &str, version: &str) -> ApiError {
    ApiError::not_found(
        "EntityNotExist.Policy.Version",
        format!("The version {version} of policy {name} does not exist."),
    )
}

/// Validates the name and authorizes on `policy/<name>`.
pub(super) fn authorize_policy(ctx: &mut Ctx<'_>, name: &str) -> Result<(), ApiError> {
    validate::policy_name(name)?;
    let resource = arn(ctx, &format!("policy/{name}"));
    ctx.authorize([resource], &[])
}

fn custom<'s>(ram: &'s RamState, name: &str) -> Result<&'s CustomPolicy, ApiError> {
    ram.custom_policy(name).ok_or_else(|| not_found(name))
}

fn custom_mut<'s>(ram: &'s mut RamState, name: &str) -> Result<&'s mut CustomPolicy, ApiError> {
    ram.policies.get_mut(&name.to_ascii_lowercase()).ok_or_else(|| not_found(name))
}

/// How many users and roles have the policy attached.
pub(super) fn attachment_count(ram: &RamState, policy_type: PolicyType, name: &str) -> usize {
    let matches = |a: &super::Attachment| a.policy_type == policy_type && a.policy_name.eq_ignore_ascii_case(name);
    ram.users.values().filter(|u| u.attached.iter().any(matches)).count()
        + ram.roles.values().filter(|r| r.attached.iter().any(matches)).count()
}

fn version_json(v: &PolicyVersion, default: &str) -> Value {
    json!({
        "VersionId": v.version_id,
        "IsDefaultVersion": v.version_id == default,
        "PolicyDocument": v.document_text,
        "CreateDate": date(v.created),
    })
}

fn system_version_json(name: &str) -> Option<Value> {
    let text = ram_policy::system_policy_json(name)?;
    Some(json!({
        "VersionId": "v1",
        "IsDefaultVersion": true,
        "PolicyDocument": text,
        "CreateDate": date(SYSTEM_POLICY_DATE),
    }))
}

fn custom_summary(ram: &RamState, p: &CustomPolicy) -> Value {
    json!({
        "PolicyName": p.name,
        "PolicyType": "Custom",
        "Description": p.description,
        "DefaultVersion": p.default_version,
        "AttachmentCount": attachment_count(ram, PolicyType::Custom, &p.name),
        "CreateDate": date(p.created),
        "UpdateDate": date(p.updated),
    })
}

fn system_summary(ram: &RamState, name: &str) -> Value {
    json!({
        "PolicyName": name,
        "PolicyType": "System",
        "Description": "",
        "DefaultVersion": "v1",
        "AttachmentCount": attachment_count(ram, PolicyType::System, name),
        "CreateDate": date(SYSTEM_POLICY_DATE),
        "UpdateDate": date(SYSTEM_POLICY_DATE),
    })
}

pub(super) fn create(ctx: &mut Ctx<'_>) -> Reply {
    let p = ctx.params;
    let name = p.required("PolicyName")?;
    authorize_policy(ctx, name)?;
    let description = p.get("Description").unwrap_or("");
    validate::description("Description", description, 1024)?;
    let text = p.required("PolicyDocument")?;
    let document = validate::document("PolicyDocument", text, PolicyKind::Identity, MAX_DOCUMENT_CHARS)?;
    let ram = &mut ctx.state.ram;
    let key = name.to_ascii_lowercase();
    if ram.policies.contains_key(&key) {
        return Err(ApiError::conflict("EntityAlreadyExists.Policy", format!("The policy already exists: {name}.")));
    }
    if ram.policies.len() >= MAX_CUSTOM_POLICIES {
        return Err(ApiError::conflict(
            "LimitExceeded.Policy",
            format!("The count of custom policies exceeds the limit: {MAX_CUSTOM_POLICIES}."),
        ));
    }
    let now = now_unix();
    let policy = CustomPolicy {
        name: name.to_owned(),
        description: description.to_owned(),
        created: now,
        updated: now,
        versions: vec![PolicyVersion {
            version_id: "v1".into(),
            document_text: text.to_owned(),
            document,
            created: now,
        }],
        default_version: "v1".into(),
        next_version: 2,
    };
    let body = json!({
        "Policy": {
            "PolicyName": policy.name,
            "PolicyType": "Custom",
            "Description": policy.description,
            "DefaultVersion": "v1",
            "CreateDate": date(now),
        }
    });
    ram.policies.insert(key, policy);
    Ok(body)
}

pub(super) fn get(ctx: &mut Ctx<'_>) -> Reply {
    let name = ctx.params.required("PolicyName")?;
    let policy_type = PolicyType::parse(ctx.params.required("PolicyType")?)?;
    authorize_policy(ctx, name)?;
    let ram = &ctx.state.ram;
    match policy_type {
        PolicyType::System => {
            let version = system_version_json(name).ok_or_else(|| not_found(name))?;
            let mut policy = system_summary(ram, name);
            policy["PolicyDocument"] = version["PolicyDocument"].clone();
            Ok(json!({ "Policy": policy, "DefaultPolicyVersion": version }))
        }
        PolicyType::Custom => {
            let p = custom(ram, name)?;
            let default = p.default().ok_or_else(|| ApiError::internal("policy without a default version"))?;
            let mut policy = custom_summary(ram, p);
            policy["PolicyDocument"] = json!(default.document_text);
            Ok(json!({ "Policy": policy, "DefaultPolicyVersion": version_json(default, &p.default_version) }))
        }
    }
}

pub(super) fn delete(ctx: &mut Ctx<'_>) -> Reply {
    let name = ctx.params.required("PolicyName")?;
    let cascade = ctx.params.bool("CascadingDelete")?.unwrap_or(false);
    authorize_policy(ctx, name)?;
    let ram = &mut ctx.state.ram;
    let p = custom(ram, name)?;
    let is_this =
        |a: &super::Attachment| a.policy_type == PolicyType::Custom && a.policy_name.eq_ignore_ascii_case(name);
    if !cascade {
        if ram.users.values().any(|u| u.attached.iter().any(is_this)) {
            return Err(ApiError::conflict(
                "DeleteConflict.Policy.User",
                format!("The policy {name} is attached to users; detach it first."),
            ));
        }
        if ram.roles.values().any(|r| r.attached.iter().any(is_this)) {
            return Err(ApiError::conflict(
                "DeleteConflict.Policy.Role",
                format!("The policy {name} is attached to roles; detach it first."),
            ));
        }
        if p.versions.len() > 1 {
            return Err(ApiError::conflict(
                "DeleteConflict.Policy.Version",
                format!("The policy {name} has non-default versions; delete them first."),
            ));
        }
    }
    for u in ram.users.values_mut() {
        u.attached.retain(|a| !is_this(a));
    }
    for r in ram.roles.values_mut() {
        r.attached.retain(|a| !is_this(a));
    }
    ram.policies.remove(&name.to_ascii_lowercase());
    Ok(json!({}))
}

pub(super) fn list(ctx: &mut Ctx<'_>) -> Reply {
    let filter = ctx.params.non_empty("PolicyType").map(PolicyType::parse).transpose()?;
    let resource = arn(ctx, "*");
    ctx.authorize([resource], &[])?;
    let ram = &ctx.state.ram;
    let mut items: Vec<(String, Value)> = Vec::new();
    if filter != Some(PolicyType::Custom) {
        for name in ram_policy::system_policy_names() {
            items.push((format!("0:{}", name.to_ascii_lowercase()), system_summary(ram, name)));
        }
    }
    if filter != Some(PolicyType::System) {
        for (key, p) in &ram.policies {
            items.push((format!("1:{key}"), custom_summary(ram, p)));
        }
    }
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let (page, next) = paginate(items, |(k, _)| k.clone(), ctx.params)?;
    let list: Vec<Value> = page.into_iter().map(|(_, v)| v).collect();
    Ok(with_page(json!({ "Policies": { "Policy": list } }), next))
}

pub(super) fn create_version(ctx: &mut Ctx<'_>) -> Reply {
    let p = ctx.params;
    let name = p.required("PolicyName")?;
    authorize_policy(ctx, name)?;
    let text = p.required("PolicyDocument")?;
    let set_default = p.bool("SetAsDefault")?.unwrap_or(false);
    let rotate = match p.non_empty("RotateStrategy").unwrap_or("None") {
        "None" => false,
        "DeleteOldestNonDefaultVersionWhenLimitExceeded" => true,
        other => {
            return Err(ApiError::bad_request(
                "InvalidParameter.RotateStrategy",
                format!(
                    "RotateStrategy must be None or DeleteOldestNonDefaultVersionWhenLimitExceeded, got {other:?}."
                ),
            ))
        }
    };
    let policy = custom_mut(&mut ctx.state.ram, name)?;
    let document = validate::document("PolicyDocument", text, PolicyKind::Identity, MAX_DOCUMENT_CHARS)?;
    if policy.versions.len() >= MAX_VERSIONS {
        if !rotate {
            return Err(ApiError::conflict(
                "LimitExceeded.Policy.Version",
                format!("The count of versions of policy {name} exceeds the limit: {MAX_VERSIONS}."),
            ));
        }
        let default = policy.default_version.clone();
        if let Some(oldest) = policy.versions.iter().position(|v| v.version_id != default) {
            policy.versions.remove(oldest);
        }
    }
    let now = now_unix();
    let version = PolicyVersion {
        version_id: format!("v{}", policy.next_version),
        document_text: text.to_owned(),
        document,
        created: now,
    };
    policy.next_version += 1;
    if set_default {
        policy.default_version = version.version_id.clone();
    }
    policy.updated = now;
    let body = json!({ "PolicyVersion": version_json(&version, &policy.default_version) });
    policy.versions.push(version);
    Ok(body)
}

pub(super) fn get_version(ctx: &mut Ctx<'_>) -> Reply {
    let name = ctx.params.required("PolicyName")?;
    let policy_type = PolicyType::parse(ctx.params.required("PolicyType")?)?;
    let version_id = ctx.params.required("VersionId")?;
    authorize_policy(ctx, name)?;
    validate::version_id(version_id)?;
    match policy_type {
        PolicyType::System => {
            let v = system_version_json(name).ok_or_else(|| not_found(name))?;
            if version_id != "v1" {
                return Err(version_not_found(name, version_id));
            }
            Ok(json!({ "PolicyVersion": v }))
        }
        PolicyType::Custom => {
            let p = custom(&ctx.state.ram, name)?;
            let v = p
                .versions
                .iter()
                .find(|v| v.version_id == version_id)
                .ok_or_else(|| version_not_found(name, version_id))?;
            Ok(json!({ "PolicyVersion": version_json(v, &p.default_version) }))
        }
    }
}

pub(super) fn list_versions(ctx: &mut Ctx<'_>) -> Reply {
    let name = ctx.params.required("PolicyName")?;
    let policy_type = PolicyType::parse(ctx.params.required("PolicyType")?)?;
    authorize_policy(ctx, name)?;
    let versions: Vec<Value> = match policy_type {
        PolicyType::System => vec![system_version_json(name).ok_or_else(|| not_found(name))?],
        PolicyType::Custom => {
            let p = custom(&ctx.state.ram, name)?;
            p.versions.iter().map(|v| version_json(v, &p.default_version)).collect()
        }
    };
    Ok(json!({ "PolicyVersions": { "PolicyVersion": versions } }))
}

pub(super) fn delete_version(ctx: &mut Ctx<'_>) -> Reply {
    let name = ctx.params.required("PolicyName")?;
    let version_id = ctx.params.required("VersionId")?;
    authorize_policy(ctx, name)?;
    validate::version_id(version_id)?;
    let p = custom_mut(&mut ctx.state.ram, name)?;
    let index = p
        .versions
        .iter()
        .position(|v| v.version_id == version_id)
        .ok_or_else(|| version_not_found(name, version_id))?;
    if p.default_version == version_id {
        return Err(ApiError::conflict(
            "DeleteConflict.Policy.Version.Default",
            format!("The version {version_id} is the default version of policy {name} and cannot be deleted."),
        ));
    }
    p.versions.remove(index);
    p.updated = now_unix();
    Ok(json!({}))
}

pub(super) fn set_default_version(ctx: &mut Ctx<'_>) -> Reply {
    let name = ctx.params.required("PolicyName")?;
    let version_id = ctx.params.required("VersionId")?;
    authorize_policy(ctx, name)?;
    validate::version_id(version_id)?;
    let p = custom_mut(&mut ctx.state.ram, name)?;
    if !p.versions.iter().any(|v| v.version_id == version_id) {
        return Err(version_not_found(name, version_id));
    }
    p.default_version = version_id.to_owned();
    p.updated = now_unix();
    Ok(json!({}))
}
