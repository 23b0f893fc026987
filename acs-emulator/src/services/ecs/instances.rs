//! DescribeInstances, DescribeRegions, DescribeCloudAssistantStatus and the instance RAM role operations.

use super::model::{now_ms, Instance};
use super::{date, instance_arn, Ctx, Reply};
use crate::authz::Check;
use crate::error::ApiError;
use crate::services::agent::ECS_SERVICE;
use crate::services::paging::Page;
use crate::services::ram::Role;
use serde_json::{json, Map, Value};

/// The agent version the emulator reports.
pub const AGENT_VERSION: &str = "2.2.3.857";

/// `InstanceIds`: a JSON array of ids (`InvalidInstanceIds.Malformed` otherwise), at most `max`.
fn instance_ids_json(ctx: &Ctx<'_>, max: usize) -> Result<Option<Vec<String>>, ApiError> {
    let Some(raw) = ctx.params.non_empty("InstanceIds") else { return Ok(None) };
    let ids: Vec<String> = serde_json::from_str(raw).map_err(|_| {
        ApiError::bad_request(
            "InvalidInstanceIds.Malformed",
            "InstanceIds must be a JSON array of instance ids, e.g. [\"i-1\",\"i-2\"].",
        )
    })?;
    if ids.len() > max {
        return Err(ApiError::bad_request(
            "InvalidInstanceIds.Malformed",
            format!("InstanceIds may list at most {max} instances."),
        ));
    }
    Ok(Some(ids))
}

fn instance_body(i: &Instance) -> Value {
    json!({
        "InstanceId": i.id,
        "InstanceName": i.name,
        "HostName": i.name,
        "Description": "",
        "RegionId": i.region,
        "ZoneId": format!("{}-a", i.region),
        "Status": i.status,
        "OSType": i.os.lower(),
        "OSName": i.os.image_name(),
        "OSNameEn": i.os.image_name(),
        "ImageId": i.os.image_id(),
        "InstanceType": "ecs.g7.large",
        "InstanceTypeFamily": "ecs.g7",
        "Cpu": 2,
        "Memory": 8192,
        "InstanceChargeType": "PostPaid",
        "InternetChargeType": "PayByTraffic",
        "InstanceNetworkType": "vpc",
        "IoOptimized": true,
        "CreationTime": date(i.created),
        "StartTime": date(i.created),
        "ExpiredTime": "2099-12-31T15:59Z",
        "DeletionProtection": false,
        "SerialNumber": "",
        "ResourceGroupId": "",
        "Tags": {"Tag": []},
        "SecurityGroupIds": {"SecurityGroupId": []},
        "PublicIpAddress": {"IpAddress": []},
        "InnerIpAddress": {"IpAddress": []},
        "VpcAttributes": {"VpcId": "", "VSwitchId": "", "NatIpAddress": "", "PrivateIpAddress": {"IpAddress": []}},
        "OperationLocks": {"LockReason": []},
        "MetadataOptions": {"HttpEndpoint": "enabled", "HttpTokens": "optional", "HttpPutResponseHopLimit": 1},
    })
}

pub(super) fn describe_instances(ctx: &mut Ctx<'_>) -> Reply {
    let region = ctx.region()?;
    let arn = ctx.arn(region, "*");
    ctx.authorize([arn], &[])?;
    let ids = instance_ids_json(ctx, 100)?;
    let page = Page::ecs(ctx.params)?;
    let name = ctx.params.non_empty("InstanceName");
    let status = ctx.params.non_empty("Status");
    let items: Vec<Value> = ctx
        .state
        .ecs
        .instances
        .values()
        .filter(|i| i.region == region)
        .filter(|i| ids.as_ref().is_none_or(|ids| ids.contains(&i.id)))
        .filter(|i| name.is_none_or(|n| name_matches(n, &i.name)))
        .filter(|i| status.is_none_or(|s| s.eq_ignore_ascii_case(&i.status)))
        .map(instance_body)
        .collect();
    let (items, info) = page.take(items);
    let mut out = Map::new();
    out.insert("Instances".into(), json!({"Instance": items}));
    info.write_ecs(&mut out);
    Ok(Value::Object(out))
}

/// `InstanceName` filter: exact, or a prefix when it ends with `*`.
fn name_matches(pattern: &str, name: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => name == pattern,
    }
}

pub(super) fn describe_regions(ctx: &mut Ctx<'_>) -> Reply {
    let arn = format!("acs:ecs:*:{}:*", ctx.account_id());
    ctx.authorize([arn], &[])?;
    let regions: Vec<Value> = ctx
        .state
        .regions
        .iter()
        .map(|r| {
            json!({"RegionId": r, "LocalName": r, "RegionEndpoint": format!("ecs.{r}.aliyuncs.com"), "Status": "available"})
        })
        .collect();
    Ok(json!({"Regions": {"Region": regions}}))
}

pub(super) fn cloud_assistant_status(ctx: &mut Ctx<'_>) -> Reply {
    let region = ctx.region()?;
    let wanted: Vec<&str> = ctx.params.list("InstanceId");
    if wanted.len() > 50 {
        return Err(ApiError::forbidden("InstanceIds.ExceedLimit", "At most 50 instances may be given."));
    }
    let arns: Vec<String> = if wanted.is_empty() {
        vec![ctx.arn(region, "*")]
    } else {
        wanted.iter().map(|id| instance_arn(ctx, region, id)).collect()
    };
    ctx.authorize(arns, &[])?;
    super::run::check_targets_exist(ctx, region, &wanted)?;
    let os_type = ctx.params.non_empty("OSType");
    let page = Page::ecs(ctx.params)?;
    let delay = ctx.shared().execution_delay();
    let now = now_ms();
    let selected: Vec<&Instance> = ctx
        .state
        .ecs
        .instances
        .values()
        .filter(|i| i.region == region)
        .filter(|i| wanted.is_empty() || wanted.contains(&i.id.as_str()))
        .filter(|i| os_type.is_none_or(|o| o.eq_ignore_ascii_case(i.os.title())))
        .collect();
    let (selected, info) = page.take(selected);
    let ids: Vec<String> = selected.into_iter().map(|i| i.id.clone()).collect();
    // Through the per-instance active index, not a scan of every kept invocation.
    let counts: Vec<(String, usize)> = ids
        .into_iter()
        .map(|id| {
            let active = ctx.state.ecs.active_task_count(&id, now, delay);
            (id, active)
        })
        .collect();
    let items: Vec<Value> = counts
        .iter()
        .filter_map(|(id, active)| ctx.state.ecs.instance(id).map(|i| (i, *active)))
        .map(|(i, active)| {
            let online = i.cloud_assistant && i.status == "Running";
            json!({
                "InstanceId": i.id,
                "CloudAssistantStatus": if online { "true" } else { "false" },
                "CloudAssistantVersion": if i.cloud_assistant { AGENT_VERSION } else { "" },
                "OSType": i.os.title(),
                "InvocationCount": i.invocation_count,
                "ActiveTaskCount": active,
                "LastInvokedTime": i.last_invoked.map(date).unwrap_or_default(),
                "LastHeartbeatTime": if online { date(ctx.env.now) } else { String::new() },
                "SupportSessionManager": i.cloud_assistant,
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert("InstanceCloudAssistantStatusSet".into(), json!({"InstanceCloudAssistantStatus": items}));
    info.write_ecs(&mut out);
    Ok(Value::Object(out))
}

/// One per-instance result of Attach/DetachInstanceRamRole.
fn result(id: &str, code: &str, message: &str) -> Value {
    json!({"InstanceId": id, "Success": code == "200", "Code": code, "Message": message})
}

pub(super) fn attach_role(ctx: &mut Ctx<'_>) -> Reply {
    let region = ctx.region()?;
    let role_name = ctx.params.required("RamRoleName")?;
    let ids = instance_ids_json(ctx, 100)?.unwrap_or_default();
    if ids.is_empty() {
        return Err(ApiError::bad_request(
            "InvalidInstanceIds.Malformed",
            "InstanceIds must list at least one instance.",
        ));
    }
    let arns: Vec<String> = ids.iter().map(|id| instance_arn(ctx, region, id)).collect();
    ctx.authorize(arns, &[])?;
    // ram:PassRole is decided before the role is looked up (on the ARN the name gives when there is no such role),
    // so a caller who may not pass it cannot probe which roles exist.
    let role_arn = match ctx.state.ram.role(role_name) {
        Some(role) => role.arn.clone(),
        None => Role::arn_for(ctx.account_id(), role_name),
    };
    let pass = Check::new("ram:PassRole").resource(role_arn.clone());
    if let Err(e) = ctx.authorize_check(&pass) {
        if e.code == "Forbidden.RAM" {
            return Err(ApiError::forbidden(
                "InvalidUser.PassRoleForbidden",
                format!("The caller is not allowed ram:PassRole on {role_arn}."),
            ));
        }
        return Err(e);
    }
    let role = ctx.state.ram.role(role_name).cloned().ok_or_else(|| {
        ApiError::not_found("InvalidRamRole.NotFound", format!("The RAM role {role_name} does not exist."))
    })?;
    let trusted = ram_policy::evaluate_trust(
        &role.trust_policy,
        &ram_policy::TrustPrincipal::Service(ECS_SERVICE.to_owned()),
        &ram_policy::Context::new(),
    );
    if !trusted.is_allowed() {
        return Err(ApiError::not_found(
            "InvalidRamRole.NotEcsRole",
            format!("The trust policy of RAM role {role_name} does not trust {ECS_SERVICE}."),
        ));
    }
    let mut results = Vec::new();
    let mut failed = 0;
    for id in &ids {
        let outcome = match ctx.state.ecs.instances.get_mut(id) {
            Some(i) if i.region == region => match &i.ram_role {
                Some(existing) if !existing.eq_ignore_ascii_case(&role.name) => {
                    ("InvalidParameter.RamRoleAttached", "another RAM role is attached; detach it first")
                }
                _ => {
                    i.ram_role = Some(role.name.clone());
                    ("200", "success")
                }
            },
            _ => ("InvalidInstanceId.NotFound", "the instance does not exist in this region"),
        };
        if outcome.0 != "200" {
            failed += 1;
        }
        results.push(result(id, outcome.0, outcome.1));
    }
    Ok(json!({
        "RamRoleName": role.name,
        "TotalCount": ids.len(),
        "FailCount": failed,
        "AttachInstanceRamRoleResults": {"AttachInstanceRamRoleResult": results},
    }))
}

pub(super) fn detach_role(ctx: &mut Ctx<'_>) -> Reply {
    let region = ctx.region()?;
    let role_name = ctx.params.non_empty("RamRoleName");
    let ids = instance_ids_json(ctx, 100)?.unwrap_or_default();
    if ids.is_empty() {
        return Err(ApiError::bad_request(
            "InvalidInstanceIds.Malformed",
            "InstanceIds must list at least one instance.",
        ));
    }
    let arns: Vec<String> = ids.iter().map(|id| instance_arn(ctx, region, id)).collect();
    ctx.authorize(arns, &[])?;
    let mut results = Vec::new();
    let mut failed = 0;
    let mut detached_name = role_name.unwrap_or_default().to_owned();
    for id in &ids {
        let mut sets = Vec::new();
        let (code, message) = match ctx.state.ecs.instances.get_mut(id) {
            Some(i) if i.region == region => match (&i.ram_role, role_name) {
                (None, _) => ("InvalidRamRole.NotAttached", "no RAM role is attached to the instance"),
                (Some(existing), Some(wanted)) if !existing.eq_ignore_ascii_case(wanted) => {
                    ("InvalidRamRole.NotEqual", "the instance has a different RAM role attached")
                }
                (Some(existing), _) => {
                    sets.push(json!({"InstanceId": id, "RamRoleName": existing}));
                    detached_name.clone_from(existing);
                    i.ram_role = None;
                    ("200", "success")
                }
            },
            _ => ("InvalidInstanceId.NotFound", "the instance does not exist in this region"),
        };
        if code != "200" {
            failed += 1;
        }
        let mut r = result(id, code, message);
        if let Value::Object(m) = &mut r {
            m.insert("InstanceRamRoleSets".into(), json!({"InstanceRamRoleSet": sets}));
        }
        results.push(r);
    }
    Ok(json!({
        "RamRoleName": detached_name,
        "TotalCount": ids.len(),
        "FailCount": failed,
        "DetachInstanceRamRoleResults": {"DetachInstanceRamRoleResult": results},
    }))
}

pub(super) fn describe_role(ctx: &mut Ctx<'_>) -> Reply {
    let region = ctx.region()?;
    let ids = instance_ids_json(ctx, 100)?;
    let role_name = ctx.params.non_empty("RamRoleName");
    if ids.as_ref().is_none_or(Vec::is_empty) && role_name.is_none() {
        return Err(ApiError::forbidden(
            "InvalidParameter.AllEmpty",
            "Either InstanceIds or RamRoleName must be given.",
        ));
    }
    let arn = ctx.arn(region, "*");
    ctx.authorize([arn], &[])?;
    if let Some(ids) = &ids {
        if let Some(missing) = ids.iter().find(|id| ctx.state.ecs.instance(id).is_none_or(|i| i.region != region)) {
            return Err(ApiError::not_found(
                "InvalidInstanceId.NotFound",
                format!("The instance {missing} does not exist in region {region}."),
            ));
        }
    }
    let page = Page::numbered(ctx.params, 10, 100, "InvalidParam.PageNumber", "InvalidParam.PageSize")?;
    let sets: Vec<Value> = ctx
        .state
        .ecs
        .instances
        .values()
        .filter(|i| i.region == region)
        .filter(|i| ids.as_ref().is_none_or(|ids| ids.contains(&i.id)))
        .filter_map(|i| i.ram_role.as_ref().map(|r| (i, r)))
        .filter(|(_, r)| role_name.is_none_or(|n| n.eq_ignore_ascii_case(r)))
        .map(|(i, r)| json!({"InstanceId": i.id, "RamRoleName": r}))
        .collect();
    let (sets, info) = page.take(sets);
    Ok(json!({
        "RegionId": region,
        "TotalCount": info.total,
        "InstanceRamRoleSets": {"InstanceRamRoleSet": sets},
    }))
}
