//! Windows only: the role attached to the instance, and the OOS encrypted parameter holding the password.

use acs_core::{CallOptions, ExposeSecret};
use futures::TryStreamExt as _;

use super::{absent, Need};
use crate::context::{is_managed, Ctx, MANAGED_MARKER};
use crate::error::{Result, WorkflowError};
use crate::report::{ProgressEvent, StepResult};

/// The role attached to `instance`; the client error as it is (`InvalidInstanceId.NotFound` for an instance that
/// does not exist in `region`).
async fn describe_attached_role(
    ctx: &Ctx<'_>,
    region: &str,
    instance: &str,
) -> std::result::Result<Option<String>, acs_core::Error> {
    let resp = ctx.clients.ecs.describe_instance_ram_role().region_id(region).instance_ids([instance]).send().await?;
    Ok(resp
        .instance_ram_role_sets
        .into_iter()
        .filter(|r| r.instance_id.as_deref().is_none_or(|id| id == instance))
        .find_map(|r| r.ram_role_name.filter(|n| !n.is_empty())))
}

async fn attached_role(ctx: &Ctx<'_>, region: &str, instance: &str) -> Result<Option<String>> {
    describe_attached_role(ctx, region, instance).await.map_err(WorkflowError::api("DescribeInstanceRamRole"))
}

/// The instances of `region` that `role` is attached to (DescribeInstanceRamRole by `RamRoleName`, every page),
/// read once per run; the instance-role step takes out the instance it detaches.
pub(super) async fn instances_using_role(ctx: &mut Ctx<'_>, region: &str, role: &str) -> Result<Vec<String>> {
    let key = role.to_ascii_lowercase();
    if let Some(known) = ctx.instances_using_role.get(&key) {
        return Ok(known.clone());
    }
    let sets: Vec<_> = ctx
        .clients
        .ecs
        .describe_instance_ram_role()
        .region_id(region)
        .ram_role_name(role)
        .page_size(100)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .map_err(WorkflowError::api("DescribeInstanceRamRole"))?;
    let mut instances: Vec<String> = sets
        .into_iter()
        .filter(|r| r.ram_role_name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(role)))
        .filter_map(|r| r.instance_id)
        .collect();
    instances.sort();
    instances.dedup();
    ctx.instances_using_role.insert(key, instances.clone());
    Ok(instances)
}

/// Why the workflow's role `role` is not deleted while `users` (instances of `region`) still use it; `instance` is
/// the one teardown was given.
pub(super) fn role_in_use(role: &str, region: &str, users: &[String], instance: &str) -> String {
    let (noun, pronoun, which) = match users {
        [_] => ("instance", "it", "that is"),
        _ => ("instances", "them", "one of them is"),
    };
    let given = if instance.is_empty() { String::new() } else { format!(" (teardown was given {instance})") };
    format!(
        "RAM role {role} is still attached to {noun} {} in {region}{given}, and a role is not deleted while an \
         instance uses it. If {which} the instance you meant, --instance (option instance_id) may be mistyped: run \
         teardown again with it. Otherwise detach the role from {pronoun} first (DetachInstanceRamRole) and run \
         teardown again",
        users.join(", "),
    )
}

pub(super) async fn inspect_instance_role(ctx: &mut Ctx<'_>, region: &str, instance: &str, role: &str) -> Result<Need> {
    Ok(match attached_role(ctx, region, instance).await? {
        None => Need::Create(format!("attach RAM role {role} to instance {instance}")),
        Some(current) if current.eq_ignore_ascii_case(role) => {
            Need::Nothing(format!("RAM role {role} is attached to instance {instance}"))
        }
        Some(other) => Need::Conflict(format!(
            "instance {instance} already has RAM role {other} attached, and an instance has only one role. Either \
             detach {other} (DetachInstanceRamRole, if nothing else on the instance needs it) and run again, or run \
             again with --role-name {other} so that the procedure's policy is attached to that role"
        )),
    })
}

pub(super) async fn attach_instance_role(
    ctx: &mut Ctx<'_>,
    region: &str,
    instance: &str,
    role: &str,
) -> Result<(StepResult, String)> {
    let attach =
        ctx.clients.ecs.attach_instance_ram_role().region_id(region).instance_ids([instance]).ram_role_name(role);
    // A role created moments ago may not be visible to ECS yet: retry role-not-found answers for a while.
    let started = tokio::time::Instant::now();
    let mut delay = ctx.visibility.initial_delay;
    let mut waiting = false;
    let sent = loop {
        let sent = attach.clone().send().await;
        let role_unknown =
            matches!(&sent, Err(e) if e.code().is_some_and(|c| c.contains("RamRole") && !c.contains("Already")));
        if !role_unknown || started.elapsed() + delay > ctx.visibility.deadline {
            break sent;
        }
        if !waiting {
            ctx.emit(ProgressEvent::Waiting { what: format!("waiting until ECS sees RAM role {role}") });
            waiting = true;
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(ctx.visibility.max_delay);
    };
    if waiting {
        ctx.emit(ProgressEvent::WaitOver);
    }
    match sent {
        Ok(resp) => {
            if let Some(failed) = resp.attach_instance_ram_role_results.iter().find(|r| r.success == Some(false)) {
                // Per-instance failure inside a 200 response.
                let code = failed.code.clone().unwrap_or_default();
                if let Need::Nothing(_) = inspect_instance_role(ctx, region, instance, role).await? {
                    return Ok((StepResult::Unchanged, format!("RAM role {role} was already attached")));
                }
                return Err(WorkflowError::Conflict(format!(
                    "AttachInstanceRamRole failed for {instance}: {code} {}",
                    failed.message.clone().unwrap_or_default()
                )));
            }
            Ok((StepResult::Created, format!("RAM role {role} attached to instance {instance}")))
        }
        Err(e) => match inspect_instance_role(ctx, region, instance, role).await? {
            Need::Nothing(_) => Ok((StepResult::Unchanged, format!("RAM role {role} was already attached"))),
            Need::Conflict(why) => Err(WorkflowError::Conflict(why)),
            _ => Err(WorkflowError::Api { operation: "AttachInstanceRamRole", source: e }),
        },
    }
}

pub(super) async fn detach_instance_role(
    ctx: &mut Ctx<'_>,
    region: &str,
    instance: &str,
    role: &str,
) -> Result<(StepResult, String)> {
    let attached = match describe_attached_role(ctx, region, instance).await {
        Ok(attached) => attached,
        // A released instance has no role. The role step still refuses to delete the role while any instance of
        // the region uses it, so a mistyped id cannot take the role from the instance it is really on.
        Err(e) if e.code() == Some(ecs_client::codes::INVALID_INSTANCE_ID_NOT_FOUND) => {
            return Ok((
                StepResult::Unchanged,
                format!("instance {instance} no longer exists in {region}; nothing to detach"),
            ))
        }
        Err(e) => return Err(WorkflowError::Api { operation: "DescribeInstanceRamRole", source: e }),
    };
    match attached {
        Some(current) if current.eq_ignore_ascii_case(role) => {
            if super::policies::role_is_managed(ctx, role).await? != Some(true) {
                return Ok((StepResult::Unchanged, format!("kept: role {role} was not created by this workflow")));
            }
            ctx.clients
                .ecs
                .detach_instance_ram_role()
                .region_id(region)
                .instance_ids([instance])
                .ram_role_name(role)
                .send()
                .await
                .map_err(WorkflowError::api("DetachInstanceRamRole"))?;
            if let Some(users) = ctx.instances_using_role.get_mut(&role.to_ascii_lowercase()) {
                users.retain(|i| i != instance);
            }
            Ok((StepResult::Deleted, format!("RAM role {role} detached from instance {instance}")))
        }
        Some(other) => Ok((StepResult::Unchanged, format!("instance {instance} has another role ({other}); kept"))),
        None => Ok((StepResult::Unchanged, format!("instance {instance} has no RAM role"))),
    }
}

pub(super) async fn inspect_parameter(ctx: &mut Ctx<'_>, region: &str, name: &str) -> Result<Need> {
    let oos = &ctx.clients.oos;
    let read = oos.get_secret_parameter().region_id(region).name(name).with_decryption(true).send().await;
    let param = match read {
        Ok(r) => r.parameter.unwrap_or_default(),
        Err(e) if e.is_not_found() => {
            return Ok(Need::Create(format!("encrypted parameter {name} in {region} holding the Windows password")))
        }
        Err(e) if e.is_access_denied() => {
            absent(oos.get_secret_parameter().region_id(region).name(name).send().await)
                .map_err(WorkflowError::api("GetSecretParameter"))?;
            return Ok(Need::Nothing(format!(
                "parameter {name} exists; its value was not compared (no permission to decrypt it)"
            )));
        }
        Err(e) => return Err(WorkflowError::Api { operation: "GetSecretParameter", source: e }),
    };
    let wanted = ctx.windows_password.map(|p| p.expose_secret());
    let current = param.value.as_ref().map(|v| v.expose_secret());
    let managed = is_managed(param.description.as_deref());
    Ok(match (wanted.is_some() && current == wanted, managed) {
        (true, true) => Need::Nothing(format!("parameter {name} holds this password")),
        (true, false) => Need::Nothing(format!(
            "parameter {name} was not created by this workflow and already holds this password: used as it is, \
             kept at teardown"
        )),
        (false, true) => Need::Update(format!("parameter {name} holds another value: it would be replaced")),
        (false, false) => Need::Conflict(format!(
            "encrypted parameter {name} in {region} exists, was not created by this workflow and holds another \
             value, which may be in use: choose another name with {}, or store the Windows password in it yourself",
            super::policies::option_hint("password_param")
        )),
    })
}

pub(super) async fn apply_parameter(
    ctx: &mut Ctx<'_>,
    region: &str,
    name: &str,
    key_id: Option<&str>,
    update: bool,
) -> Result<(StepResult, String)> {
    let password = ctx
        .windows_password
        .ok_or(WorkflowError::InvalidOption { field: "password", message: "no Windows password given".into() })?;
    let oos = ctx.clients.oos.clone();
    if update {
        oos.update_secret_parameter()
            .region_id(region)
            .name(name)
            .value(password.expose_secret())
            .send()
            .await
            .map_err(WorkflowError::api("UpdateSecretParameter"))?;
        return Ok((StepResult::Updated, format!("parameter {name} now holds the given password")));
    }
    if let Some(key) = key_id {
        let options = CallOptions { region: Some(region.to_owned()), ..CallOptions::default() };
        ctx.clients.kms.describe_key().key_id(key).call_options(options).send().await.map_err(|e| {
            if e.is_not_found() {
                WorkflowError::Conflict(format!("KMS key {key} does not exist in {region}: give a key of that region"))
            } else {
                WorkflowError::Api { operation: "DescribeKey", source: e }
            }
        })?;
    }
    let mut create = oos
        .create_secret_parameter()
        .region_id(region)
        .name(name)
        .value(password.expose_secret())
        .description(format!("{MANAGED_MARKER}: Windows password for Cloud Assistant"));
    if let Some(key) = key_id {
        create = create.key_id(key);
    }
    match create.send().await {
        Ok(_) => {}
        Err(e) => {
            // Whatever the "already exists" code is (it is not documented), look the parameter up.
            return match inspect_parameter(ctx, region, name).await? {
                Need::Nothing(_) => Ok((StepResult::Unchanged, format!("parameter {name} already existed"))),
                Need::Update(_) => Box::pin(apply_parameter(ctx, region, name, key_id, true)).await,
                Need::Conflict(why) => Err(WorkflowError::Conflict(why)),
                Need::Create(_) => Err(WorkflowError::Api { operation: "CreateSecretParameter", source: e }),
            };
        }
    }
    let key = key_id.map(|k| format!("KMS key {k}")).unwrap_or_else(|| "the default service key".into());
    Ok((StepResult::Created, format!("encrypted parameter {name} in {region}, encrypted with {key}")))
}

pub(super) async fn remove_parameter(ctx: &mut Ctx<'_>, region: &str, name: &str) -> Result<(StepResult, String)> {
    let oos = &ctx.clients.oos;
    let found = absent(oos.get_secret_parameter().region_id(region).name(name).send().await)
        .map_err(WorkflowError::api("GetSecretParameter"))?;
    let Some(resp) = found else {
        return Ok((StepResult::Unchanged, format!("parameter {name} does not exist")));
    };
    if !is_managed(resp.parameter.as_ref().and_then(|p| p.description.as_deref())) {
        return Ok((StepResult::Unchanged, format!("kept parameter {name}: not created by this workflow")));
    }
    match oos.delete_secret_parameter().region_id(region).name(name).send().await {
        Ok(_) => Ok((StepResult::Deleted, format!("parameter {name}"))),
        Err(e) if e.is_not_found() => Ok((StepResult::Unchanged, format!("parameter {name} does not exist"))),
        Err(e) => Err(WorkflowError::Api { operation: "DeleteSecretParameter", source: e }),
    }
}
