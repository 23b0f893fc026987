//! Custom policies (with version rotation), the instance RAM role, and policy attachments to the user and role.

use ram_policy::{evaluate_trust, Context, PolicyDocument, TrustPrincipal};

use super::{absent, Need, PolicyRef};
use crate::context::{is_managed, Attached, Ctx, MANAGED_MARKER};
use crate::error::{Result, WorkflowError};
use crate::report::StepResult;

/// RAM's limit of versions per custom policy.
pub(crate) const MAX_POLICY_VERSIONS: usize = 5;

/// Whether custom policy `name` exists and carries the marker (cached per run).
async fn policy_managed(ctx: &mut Ctx<'_>, name: &str) -> Result<Option<bool>> {
    let key = name.to_ascii_lowercase();
    if let Some(known) = ctx.policies.get(&key) {
        return Ok(*known);
    }
    let found = absent(ctx.clients.ram.get_policy().policy_name(name).policy_type("Custom").send().await)
        .map_err(WorkflowError::api("GetPolicy"))?;
    let state = found.map(|r| is_managed(r.policy.as_ref().and_then(|p| p.description.as_deref())));
    ctx.policies.insert(key, state);
    Ok(state)
}

/// Whether role `name` exists and carries the marker (cached per run).
async fn role_managed(ctx: &mut Ctx<'_>, name: &str) -> Result<Option<bool>> {
    let key = name.to_ascii_lowercase();
    if let Some(known) = ctx.roles.get(&key) {
        return Ok(*known);
    }
    let found =
        absent(ctx.clients.ram.get_role().role_name(name).send().await).map_err(WorkflowError::api("GetRole"))?;
    let state = found.map(|r| is_managed(r.role.as_ref().and_then(|p| p.description.as_deref())));
    ctx.roles.insert(key, state);
    Ok(state)
}

/// How to name the option `field` to a person: the command-line flag and the options field.
pub(crate) fn option_hint(field: &str) -> String {
    format!("--{} (option {field})", field.replace('_', "-"))
}

/// Who custom policy `name` is attached to, in words (best effort: a failed read is said, not raised).
async fn attached_entities(ctx: &Ctx<'_>, name: &str) -> String {
    let listed = ctx.clients.ram.list_entities_for_policy().policy_name(name).policy_type("Custom").send().await;
    let r = match listed {
        Ok(r) => r,
        Err(e) => {
            return format!("who else uses it is unknown (ListEntitiesForPolicy: {})", e.code().unwrap_or("failed"))
        }
    };
    let mut parts = Vec::new();
    for (what, names) in [
        ("users", r.users.into_iter().filter_map(|u| u.user_name).collect::<Vec<_>>()),
        ("roles", r.roles.into_iter().filter_map(|x| x.role_name).collect()),
        ("groups", r.groups.into_iter().filter_map(|g| g.group_name).collect()),
    ] {
        if !names.is_empty() {
            parts.push(format!("{what} {}", names.join(", ")));
        }
    }
    if parts.is_empty() {
        "it is attached to no user, role or group today".to_owned()
    } else {
        format!("it is attached to {}", parts.join("; "))
    }
}

/// A custom policy named `name`: absent (create), the workflow's (new default version when the document differs),
/// or someone else's — adopted read-only when its default version is already equivalent, else a conflict (a new
/// version would change the permissions of everything it is attached to).
pub(super) async fn inspect_policy(
    ctx: &mut Ctx<'_>,
    name: &str,
    wanted: &PolicyDocument,
    option: &str,
) -> Result<Need> {
    let found = absent(ctx.clients.ram.get_policy().policy_name(name).policy_type("Custom").send().await)
        .map_err(WorkflowError::api("GetPolicy"))?;
    let Some(resp) = found else {
        ctx.policies.insert(name.to_ascii_lowercase(), None);
        return Ok(Need::Create(format!("custom policy {name} does not exist")));
    };
    let policy = resp.policy.unwrap_or_default();
    let managed = is_managed(policy.description.as_deref());
    ctx.policies.insert(name.to_ascii_lowercase(), Some(managed));
    let version = resp.default_policy_version.clone().unwrap_or_default();
    let current = version.document().or_else(|| policy.document());
    let label = version.version_id.or(policy.default_version).unwrap_or_else(|| "?".into());
    let same = matches!(current, Some(Ok(doc)) if doc.equivalent(wanted));
    Ok(match (same, managed) {
        (true, true) => Need::Nothing(format!("custom policy {name} has this document (default version {label})")),
        (true, false) => Need::Nothing(format!(
            "custom policy {name} was not created by this workflow and already has this document (default version \
             {label}): used as it is, never changed, kept at teardown"
        )),
        (false, true) => Need::Update(format!(
            "the default version {label} of {name} has another document: a new default version would be added"
        )),
        (false, false) => Need::Conflict(format!(
            "custom policy {name} exists, was not created by this workflow and its default version {label} has \
             another document; changing it would change the permissions of everyone it is attached to ({}). Choose \
             another name with {}, or give {name} the procedure's document yourself so that it can be used as it is",
            attached_entities(ctx, name).await,
            option_hint(option)
        )),
    })
}

pub(super) async fn apply_policy(
    ctx: &mut Ctx<'_>,
    name: &str,
    document: &PolicyDocument,
    purpose: &str,
    option: &str,
    update: bool,
) -> Result<(StepResult, String)> {
    if !update {
        let created = ctx
            .clients
            .ram
            .create_policy()
            .policy_name(name)
            .policy_document(document)
            .description(format!("{MANAGED_MARKER}: {purpose}"))
            .send()
            .await;
        match created {
            Ok(_) => {
                ctx.policies.insert(name.to_ascii_lowercase(), Some(true));
                let ram = ctx.clients.ram.clone();
                ctx.wait_visible(&format!("policy {name}"), || {
                    let b = ram.get_policy().policy_name(name).policy_type("Custom");
                    async move { b.send().await.map(|r| r.policy.is_some()) }
                })
                .await?;
                return Ok((StepResult::Created, format!("custom policy {name}: {purpose}")));
            }
            Err(e) if e.is_already_exists() => {
                // Lost response or concurrent run: look at what is there now.
                match inspect_policy(ctx, name, document, option).await? {
                    Need::Nothing(_) => {
                        return Ok((StepResult::Unchanged, format!("custom policy {name} already existed")));
                    }
                    Need::Update(_) => {}
                    Need::Conflict(why) => return Err(WorkflowError::Conflict(why)),
                    Need::Create(_) => return Err(WorkflowError::Api { operation: "CreatePolicy", source: e }),
                }
            }
            Err(e) => return Err(WorkflowError::Api { operation: "CreatePolicy", source: e }),
        }
    }
    // A new default version; at the limit, delete the oldest non-default version first.
    let ram = &ctx.clients.ram;
    let versions = ram
        .list_policy_versions()
        .policy_name(name)
        .policy_type("Custom")
        .send()
        .await
        .map_err(WorkflowError::api("ListPolicyVersions"))?
        .policy_versions;
    let mut rotated = None;
    if versions.len() >= MAX_POLICY_VERSIONS {
        if let Some(oldest) = oldest_non_default(&versions) {
            ram.delete_policy_version()
                .policy_name(name)
                .version_id(&oldest)
                .send()
                .await
                .map_err(WorkflowError::api("DeletePolicyVersion"))?;
            rotated = Some(oldest);
        }
    }
    let created = ram
        .create_policy_version()
        .policy_name(name)
        .policy_document(document)
        .set_as_default(true)
        .send()
        .await
        .map_err(WorkflowError::api("CreatePolicyVersion"))?;
    let id = created.policy_version.and_then(|v| v.version_id).unwrap_or_else(|| "?".into());
    let mut detail = format!("new default version {id} of {name}");
    if let Some(old) = rotated {
        detail
            .push_str(&format!(" (deleted the oldest non-default version {old}: {MAX_POLICY_VERSIONS} is the limit)"));
    }
    Ok((StepResult::Updated, detail))
}

/// The oldest non-default version (`v3` < `v10`: compared by number, then by creation date).
pub(crate) fn oldest_non_default(versions: &[ram_client::PolicyVersion]) -> Option<String> {
    versions
        .iter()
        .filter(|v| !v.is_default_version.unwrap_or(false))
        .filter_map(|v| v.version_id.clone().map(|id| (version_number(&id), v.create_date.clone(), id)))
        .min()
        .map(|(_, _, id)| id)
}

fn version_number(id: &str) -> u64 {
    id.trim_start_matches(['v', 'V']).parse().unwrap_or(u64::MAX)
}

async fn attached_to_user(ctx: &mut Ctx<'_>, user: &str) -> Result<Vec<Attached>> {
    let key = user.to_ascii_lowercase();
    if let Some(list) = ctx.user_policies.get(&key) {
        return Ok(list.clone());
    }
    let list = if super::access::user_is_empty(ctx, user) {
        Vec::new()
    } else {
        absent(ctx.clients.ram.list_policies_for_user().user_name(user).send().await)
            .map_err(WorkflowError::api("ListPoliciesForUser"))?
            .map(|r| r.policies.into_iter().filter_map(attached).collect())
            .unwrap_or_default()
    };
    ctx.user_policies.insert(key, list.clone());
    Ok(list)
}

async fn attached_to_role(ctx: &mut Ctx<'_>, role: &str) -> Result<Vec<Attached>> {
    let key = role.to_ascii_lowercase();
    if let Some(list) = ctx.role_policies.get(&key) {
        return Ok(list.clone());
    }
    let list = if ctx.roles.get(&key) == Some(&None) || ctx.fresh_roles.contains(&key) {
        Vec::new()
    } else {
        absent(ctx.clients.ram.list_policies_for_role().role_name(role).send().await)
            .map_err(WorkflowError::api("ListPoliciesForRole"))?
            .map(|r| r.policies.into_iter().filter_map(attached).collect())
            .unwrap_or_default()
    };
    ctx.role_policies.insert(key, list.clone());
    Ok(list)
}

fn attached(p: ram_client::Policy) -> Option<Attached> {
    Some(Attached {
        policy_type: p.policy_type.map(|t| t.as_str().to_owned()).unwrap_or_default(),
        name: p.policy_name?,
    })
}

fn contains(list: &[Attached], policy: &PolicyRef) -> bool {
    list.iter()
        .any(|a| a.name.eq_ignore_ascii_case(&policy.name) && a.policy_type.eq_ignore_ascii_case(policy.type_str()))
}

fn remember(map: &mut std::collections::HashMap<String, Vec<Attached>>, owner: &str, policy: &PolicyRef, on: bool) {
    let list = map.entry(owner.to_ascii_lowercase()).or_default();
    list.retain(|a| !(a.name.eq_ignore_ascii_case(&policy.name) && a.policy_type == policy.type_str()));
    if on {
        list.push(Attached { policy_type: policy.type_str().to_owned(), name: policy.name.clone() });
    }
}

pub(super) async fn inspect_user_attachment(ctx: &mut Ctx<'_>, user: &str, policy: &PolicyRef) -> Result<Need> {
    let list = attached_to_user(ctx, user).await?;
    Ok(if contains(&list, policy) {
        Need::Nothing(format!("{} policy {} is attached to {user}", policy.type_str(), policy.name))
    } else {
        Need::Create(format!("attach {} policy {} to {user}", policy.type_str(), policy.name))
    })
}

pub(super) async fn inspect_role_attachment(ctx: &mut Ctx<'_>, role: &str, policy: &PolicyRef) -> Result<Need> {
    let list = attached_to_role(ctx, role).await?;
    Ok(if contains(&list, policy) {
        Need::Nothing(format!("{} policy {} is attached to role {role}", policy.type_str(), policy.name))
    } else {
        Need::Create(format!("attach {} policy {} to role {role}", policy.type_str(), policy.name))
    })
}

pub(super) async fn attach_to_user(ctx: &mut Ctx<'_>, user: &str, policy: &PolicyRef) -> Result<(StepResult, String)> {
    let sent = ctx
        .clients
        .ram
        .attach_policy_to_user()
        .user_name(user)
        .policy_name(&policy.name)
        .policy_type(policy.type_str())
        .send()
        .await;
    let result = match sent {
        Ok(_) => StepResult::Created,
        Err(e) if e.is_already_exists() => StepResult::Unchanged,
        Err(e) => return Err(WorkflowError::Api { operation: "AttachPolicyToUser", source: e }),
    };
    remember(&mut ctx.user_policies, user, policy, true);
    Ok((result, format!("{} policy {} attached to {user}", policy.type_str(), policy.name)))
}

pub(super) async fn attach_to_role(ctx: &mut Ctx<'_>, role: &str, policy: &PolicyRef) -> Result<(StepResult, String)> {
    let sent = ctx
        .clients
        .ram
        .attach_policy_to_role()
        .role_name(role)
        .policy_name(&policy.name)
        .policy_type(policy.type_str())
        .send()
        .await;
    let result = match sent {
        Ok(_) => StepResult::Created,
        Err(e) if e.is_already_exists() => StepResult::Unchanged,
        Err(e) => return Err(WorkflowError::Api { operation: "AttachPolicyToRole", source: e }),
    };
    remember(&mut ctx.role_policies, role, policy, true);
    Ok((result, format!("{} policy {} attached to role {role}", policy.type_str(), policy.name)))
}

fn ecs_may_assume(trust: &PolicyDocument) -> bool {
    let ecs = TrustPrincipal::Service(ram_policy::procedure::ECS_SERVICE.to_owned());
    evaluate_trust(trust, &ecs, &Context::new()).is_allowed()
}

pub(super) async fn inspect_role(ctx: &mut Ctx<'_>, name: &str, _trust: &PolicyDocument) -> Result<Need> {
    let found =
        absent(ctx.clients.ram.get_role().role_name(name).send().await).map_err(WorkflowError::api("GetRole"))?;
    let Some(role) = found.and_then(|r| r.role) else {
        ctx.roles.insert(name.to_ascii_lowercase(), None);
        return Ok(Need::Create(format!("RAM role {name} trusted by {}", ram_policy::procedure::ECS_SERVICE)));
    };
    let managed = is_managed(role.description.as_deref());
    ctx.roles.insert(name.to_ascii_lowercase(), Some(managed));
    let trusted = matches!(role.trust_policy(), Some(Ok(doc)) if ecs_may_assume(&doc));
    Ok(match (trusted, managed) {
        (true, _) => Need::Nothing(format!("RAM role {name} exists and ECS may assume it")),
        (false, true) => Need::Update(format!("ECS may not assume role {name}: its trust policy would be replaced")),
        (false, false) => Need::Conflict(format!(
            "RAM role {name} exists, was not created by this workflow and does not trust {}: choose another role \
             name with {}, or add that service to its trust policy",
            ram_policy::procedure::ECS_SERVICE,
            option_hint("role_name")
        )),
    })
}

pub(super) async fn apply_role(
    ctx: &mut Ctx<'_>,
    name: &str,
    trust: &PolicyDocument,
    update: bool,
) -> Result<(StepResult, String)> {
    let ram = ctx.clients.ram.clone();
    if update {
        ram.update_role()
            .role_name(name)
            .new_assume_role_policy_document(trust)
            .send()
            .await
            .map_err(WorkflowError::api("UpdateRole"))?;
        return Ok((StepResult::Updated, format!("trust policy of {name} replaced: ECS may assume it")));
    }
    let created = ram
        .create_role()
        .role_name(name)
        .assume_role_policy_document(trust)
        .description(format!("{MANAGED_MARKER}: instance role that reads the Windows password parameter"))
        .send()
        .await;
    match created {
        Ok(_) => {}
        Err(e) if e.is_already_exists() => {
            return match inspect_role(ctx, name, trust).await? {
                Need::Nothing(_) => Ok((StepResult::Unchanged, format!("RAM role {name} already existed"))),
                Need::Update(_) => Box::pin(apply_role(ctx, name, trust, true)).await,
                Need::Conflict(why) => Err(WorkflowError::Conflict(why)),
                Need::Create(_) => Err(WorkflowError::Api { operation: "CreateRole", source: e }),
            };
        }
        Err(e) => return Err(WorkflowError::Api { operation: "CreateRole", source: e }),
    }
    ctx.roles.insert(name.to_ascii_lowercase(), Some(true));
    ctx.fresh_roles.insert(name.to_ascii_lowercase());
    ctx.wait_visible(&format!("RAM role {name}"), || {
        let b = ram.get_role().role_name(name);
        async move { b.send().await.map(|r| r.role.is_some()) }
    })
    .await?;
    Ok((StepResult::Created, format!("RAM role {name} trusted by {}", ram_policy::procedure::ECS_SERVICE)))
}

pub(super) async fn remove_policy(ctx: &mut Ctx<'_>, name: &str) -> Result<(StepResult, String)> {
    match policy_managed(ctx, name).await? {
        None => Ok((StepResult::Unchanged, format!("custom policy {name} does not exist"))),
        Some(false) => Ok((StepResult::Unchanged, format!("kept custom policy {name}: not created by this workflow"))),
        Some(true) => {
            let ram = &ctx.clients.ram;
            let versions = absent(ram.list_policy_versions().policy_name(name).policy_type("Custom").send().await)
                .map_err(WorkflowError::api("ListPolicyVersions"))?
                .map(|r| r.policy_versions)
                .unwrap_or_default();
            for v in versions.iter().filter(|v| !v.is_default_version.unwrap_or(false)) {
                if let Some(id) = &v.version_id {
                    match ram.delete_policy_version().policy_name(name).version_id(id).send().await {
                        Ok(_) => {}
                        Err(e) if e.is_not_found() => {}
                        Err(e) => return Err(WorkflowError::Api { operation: "DeletePolicyVersion", source: e }),
                    }
                }
            }
            match ram.delete_policy().policy_name(name).send().await {
                Ok(_) => {
                    ctx.policies.insert(name.to_ascii_lowercase(), None);
                    Ok((StepResult::Deleted, format!("custom policy {name}")))
                }
                Err(e) if e.is_not_found() => {
                    Ok((StepResult::Unchanged, format!("custom policy {name} does not exist")))
                }
                Err(e) if e.code().is_some_and(|c| c.starts_with("DeleteConflict")) => Ok((
                    StepResult::Unchanged,
                    format!("kept custom policy {name}: it is still attached to other users or roles"),
                )),
                Err(e) => Err(WorkflowError::Api { operation: "DeletePolicy", source: e }),
            }
        }
    }
}

/// Deletes the workflow's role, unless an instance of `region` still uses it (read once per run: teardown reads it
/// before its first change and the instance-role step takes out `instance` when it detaches the role from it). RAM
/// roles are global: attachments in other regions are not seen.
pub(super) async fn remove_role(
    ctx: &mut Ctx<'_>,
    name: &str,
    region: &str,
    instance: &str,
) -> Result<(StepResult, String)> {
    match role_managed(ctx, name).await? {
        None => Ok((StepResult::Unchanged, format!("RAM role {name} does not exist"))),
        Some(false) => Ok((StepResult::Unchanged, format!("kept RAM role {name}: not created by this workflow"))),
        Some(true) => {
            let users = super::windows::instances_using_role(ctx, region, name).await?;
            if !users.is_empty() {
                return Err(WorkflowError::Conflict(super::windows::role_in_use(name, region, &users, instance)));
            }
            match ctx.clients.ram.delete_role().role_name(name).send().await {
                Ok(_) => {
                    ctx.roles.insert(name.to_ascii_lowercase(), None);
                    Ok((StepResult::Deleted, format!("RAM role {name}")))
                }
                Err(e) if e.is_not_found() => Ok((StepResult::Unchanged, format!("RAM role {name} does not exist"))),
                Err(e) => Err(WorkflowError::Api { operation: "DeleteRole", source: e }),
            }
        }
    }
}

/// Detaches `policy` when the workflow made the owner (user/role) or the policy itself.
async fn ours_to_detach(ctx: &mut Ctx<'_>, owner_managed: Option<bool>, policy: &PolicyRef) -> Result<bool> {
    if owner_managed == Some(true) {
        return Ok(true);
    }
    if policy.system {
        return Ok(false);
    }
    Ok(policy_managed(ctx, &policy.name).await? == Some(true))
}

pub(super) async fn detach_from_user(
    ctx: &mut Ctx<'_>,
    user: &str,
    policy: &PolicyRef,
) -> Result<(StepResult, String)> {
    let owner = super::access::user_managed(ctx, user).await?;
    if owner.is_none() {
        return Ok((StepResult::Unchanged, format!("RAM user {user} does not exist")));
    }
    if !contains(&attached_to_user(ctx, user).await?, policy) {
        return Ok((StepResult::Unchanged, format!("{} is not attached to {user}", policy.name)));
    }
    if !ours_to_detach(ctx, owner, policy).await? {
        return Ok((StepResult::Unchanged, format!("kept: {user} existed before this workflow")));
    }
    match ctx
        .clients
        .ram
        .detach_policy_from_user()
        .user_name(user)
        .policy_name(&policy.name)
        .policy_type(policy.type_str())
        .send()
        .await
    {
        Ok(_) => {}
        Err(e) if e.is_not_found() => {}
        Err(e) => return Err(WorkflowError::Api { operation: "DetachPolicyFromUser", source: e }),
    }
    remember(&mut ctx.user_policies, user, policy, false);
    Ok((StepResult::Deleted, format!("{} detached from {user}", policy.name)))
}

pub(super) async fn detach_from_role(
    ctx: &mut Ctx<'_>,
    role: &str,
    policy: &PolicyRef,
) -> Result<(StepResult, String)> {
    let owner = role_managed(ctx, role).await?;
    if owner.is_none() {
        return Ok((StepResult::Unchanged, format!("RAM role {role} does not exist")));
    }
    if !contains(&attached_to_role(ctx, role).await?, policy) {
        return Ok((StepResult::Unchanged, format!("{} is not attached to role {role}", policy.name)));
    }
    if !ours_to_detach(ctx, owner, policy).await? {
        return Ok((StepResult::Unchanged, format!("kept: role {role} existed before this workflow")));
    }
    match ctx
        .clients
        .ram
        .detach_policy_from_role()
        .role_name(role)
        .policy_name(&policy.name)
        .policy_type(policy.type_str())
        .send()
        .await
    {
        Ok(_) => {}
        Err(e) if e.is_not_found() => {}
        Err(e) => return Err(WorkflowError::Api { operation: "DetachPolicyFromRole", source: e }),
    }
    remember(&mut ctx.role_policies, role, policy, false);
    Ok((StepResult::Deleted, format!("{} detached from role {role}", policy.name)))
}

pub(crate) async fn role_is_managed(ctx: &mut Ctx<'_>, name: &str) -> Result<Option<bool>> {
    role_managed(ctx, name).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(id: &str, default: bool, date: &str) -> ram_client::PolicyVersion {
        ram_client::PolicyVersion {
            version_id: Some(id.into()),
            is_default_version: Some(default),
            create_date: Some(date.into()),
            policy_document: None,
        }
    }

    #[test]
    fn oldest_non_default_compares_version_numbers() {
        let versions = [
            v("v10", false, "2024-01-10"),
            v("v9", false, "2024-01-09"),
            v("v11", true, "2024-01-11"),
            v("v12", false, "2024-01-12"),
        ];
        assert_eq!(oldest_non_default(&versions).as_deref(), Some("v9"));
        assert_eq!(oldest_non_default(&[v("v1", true, "x")]), None);
    }

    #[test]
    fn ecs_trust_is_recognised() {
        assert!(ecs_may_assume(&ram_policy::procedure::ecs_trust_policy()));
        let other = PolicyDocument::builder().allow(["sts:AssumeRole"]).principal_service(["fc.aliyuncs.com"]).build();
        assert!(!ecs_may_assume(&other));
    }
}
