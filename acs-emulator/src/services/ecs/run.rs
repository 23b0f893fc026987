//! RunCommand, InvokeCommand and StopInvocation.

use super::model::{now_ms, placeholders, Command, InstanceRun, Invocation};
use super::{
    check_text_limits, check_type, command_arn, decode_content, idempotency, instance_arn, new_id, Ctx, Reply,
};
use crate::error::ApiError;
use crate::services::agent::{self, Job};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// At most this many instances per RunCommand/InvokeCommand.
pub const MAX_INSTANCES: usize = 100;
/// At most this many instances per StopInvocation.
pub const MAX_STOP_INSTANCES: usize = 50;
/// Saved commands per region.
pub const MAX_COMMANDS: usize = 500;

/// What to run, before it is bound to instances.
struct Script {
    command_id: String,
    name: String,
    description: String,
    kind: String,
    content: String,
    working_dir: String,
    timeout: i64,
    enable_parameter: bool,
    launcher: String,
}

/// The requested target instances, in request order without duplicates (count checked, existence not: that comes
/// after authorization, see [`check_targets_exist`]).
fn requested_targets(ctx: &Ctx<'_>, max: usize) -> Result<Vec<String>, ApiError> {
    // A set, not a scan of `ids`: a 2 MB body holds ~100,000 items, and quadratic de-duplication held the state
    // lock for many seconds.
    let mut seen = std::collections::HashSet::new();
    let ids: Vec<String> =
        ctx.params.list("InstanceId").into_iter().filter(|id| seen.insert(*id)).map(str::to_owned).collect();
    if ids.is_empty() {
        if ctx.params.has_any("ResourceTag") {
            return Err(ApiError::invalid_parameter(
                "ResourceTag",
                "the emulator's instances carry no tags; select instances with InstanceId.N",
            ));
        }
        return Err(ApiError::missing_parameter("InstanceId"));
    }
    if ids.len() > max {
        return Err(ApiError::forbidden(
            "InstanceIds.ExceedLimit",
            format!("At most {max} instances may be given, got {}.", ids.len()),
        ));
    }
    Ok(ids)
}

/// `InvalidInstance.NotFound` for the first id that is not an instance of `region`.
pub(super) fn check_targets_exist<S: AsRef<str>>(ctx: &Ctx<'_>, region: &str, ids: &[S]) -> Result<(), ApiError> {
    for id in ids.iter().map(AsRef::as_ref) {
        if ctx.state.ecs.instance(id).is_none_or(|i| i.region != region) {
            return Err(ApiError::not_found(
                "InvalidInstance.NotFound",
                format!("The instance {id} does not exist in region {region}."),
            ));
        }
    }
    Ok(())
}

/// `Username`, checked (`Username.ExceedLimit`).
fn username<'a>(ctx: &Ctx<'a>) -> Result<Option<&'a str>, ApiError> {
    let user = ctx.params.non_empty("Username");
    if user.is_some_and(|u| u.chars().count() > 255) {
        return Err(ApiError::forbidden("Username.ExceedLimit", "The username exceeds 255 characters."));
    }
    if ctx.params.non_empty("WindowsPasswordName").is_some_and(|u| u.chars().count() > 255) {
        return Err(ApiError::invalid_parameter("WindowsPasswordName", "at most 255 characters"));
    }
    Ok(user)
}

/// Substitutes `{{name}}` placeholders from `Parameters` (checked against the script's placeholders).
fn substitute(ctx: &Ctx<'_>, script: &Script) -> Result<(String, String), ApiError> {
    let given: Option<BTreeMap<String, Value>> = ctx.params.json("Parameters")?;
    let raw = ctx.params.non_empty("Parameters").unwrap_or_default().to_owned();
    let Some(given) = given.filter(|g| !g.is_empty()) else {
        if script.enable_parameter && !placeholders(&script.content).is_empty() {
            return Err(ApiError::forbidden(
                "Parameter.NotMatched",
                "The command has parameters but no Parameters were given.",
            ));
        }
        return Ok((script.content.clone(), raw));
    };
    if !script.enable_parameter {
        return Err(ApiError::not_found("Parameter.Disabled", "The command does not enable custom parameters."));
    }
    if given.len() > 10 {
        return Err(ApiError::forbidden("ParameterCount.ExceedLimit", "At most 10 parameters may be given."));
    }
    if given.keys().any(|k| k.chars().count() > 64) {
        return Err(ApiError::forbidden("ParameterKey.ExceedLimit", "A parameter name exceeds 64 characters."));
    }
    let names = placeholders(&script.content);
    if names.len() != given.len() || names.iter().any(|n| !given.contains_key(n)) {
        return Err(ApiError::forbidden(
            "Parameter.NotMatched",
            format!("Parameters must give exactly the command's parameters: {}.", names.join(", ")),
        ));
    }
    let mut content = script.content.clone();
    for (name, value) in &given {
        let text = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        content = content.replace(&format!("{{{{{name}}}}}"), &text);
        content = content.replace(&format!("{{{{ {name} }}}}"), &text);
    }
    Ok((content, raw))
}

fn check_repeat(ctx: &Ctx<'_>) -> Result<String, ApiError> {
    let mode = ctx.params.non_empty("RepeatMode").unwrap_or("Once");
    if !matches!(mode, "Once" | "Period" | "NextRebootOnly" | "EveryReboot" | "DryRun") {
        return Err(ApiError::invalid_parameter("RepeatMode", "Once, Period, NextRebootOnly, EveryReboot or DryRun"));
    }
    if mode == "Period" && ctx.params.non_empty("Frequency").is_none() {
        return Err(ApiError::forbidden("MissingParam.Frequency", "RepeatMode Period needs a Frequency."));
    }
    Ok(mode.to_owned())
}

/// Authorizes the call per instance, grouping instances by their effective `ecs:CommandRunAs`.
fn authorize_targets(
    ctx: &mut Ctx<'_>,
    region: &str,
    ids: &[String],
    user: Option<&str>,
    command: Option<&str>,
) -> Result<(), ApiError> {
    let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for id in ids {
        let run_as = match (user, ctx.state.ecs.instance(id)) {
            (Some(u), _) => u.to_owned(),
            (None, Some(i)) => i.os.default_user().to_owned(),
            (None, None) => "root".to_owned(),
        };
        groups.entry(run_as).or_default().push(instance_arn(ctx, region, id));
    }
    let command_arn = command.map(|c| command_arn(ctx, region, c));
    for (run_as, mut arns) in groups {
        arns.extend(command_arn.clone());
        ctx.authorize(arns, &[("ecs:CommandRunAs", run_as.as_str())])?;
    }
    Ok(())
}

/// Binds `script` to the instances, lets the agent decide every outcome, records the invocation.
fn start(
    ctx: &mut Ctx<'_>,
    region: &str,
    script: &Script,
    ids: &[String],
    user: Option<&str>,
) -> Result<String, ApiError> {
    let (content, parameters) = substitute(ctx, script)?;
    let repeat_mode = check_repeat(ctx)?;
    let password_name = ctx.params.non_empty("WindowsPasswordName");
    let now = ctx.env.now;
    let mut runs = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(instance) = ctx.state.ecs.instances.get_mut(id) else { continue };
        instance.invocation_count += 1;
        instance.last_invoked = Some(now);
        let instance = instance.clone();
        let run_as = user.unwrap_or(instance.os.default_user());
        let job = Job {
            instance: &instance,
            username: run_as,
            password_name,
            command_type: &script.kind,
            script: &content,
            timeout_secs: u64::try_from(script.timeout).unwrap_or(0),
        };
        let outcome = agent::execute(ctx.state, &job, now);
        runs.push(InstanceRun {
            instance_id: id.clone(),
            username: run_as.to_owned(),
            outcome,
            stopped_after_ms: None,
        });
    }
    let invoke_id = new_id("t");
    let invocation = Invocation {
        invoke_id: invoke_id.clone(),
        region: region.to_owned(),
        command_id: script.command_id.clone(),
        command_name: script.name.clone(),
        command_description: script.description.clone(),
        command_type: script.kind.clone(),
        content,
        parameters,
        username: user.unwrap_or_default().to_owned(),
        timeout: script.timeout,
        working_dir: script.working_dir.clone(),
        repeat_mode,
        frequency: ctx.params.non_empty("Frequency").unwrap_or_default().to_owned(),
        launcher: script.launcher.clone(),
        container: (
            ctx.params.non_empty("ContainerId").unwrap_or_default().to_owned(),
            ctx.params.non_empty("ContainerName").unwrap_or_default().to_owned(),
        ),
        termination_mode: ctx.params.non_empty("TerminationMode").unwrap_or_default().to_owned(),
        created_ms: now_ms(),
        runs,
    };
    let delay = ctx.shared().execution_delay();
    ctx.state.ecs.push_invocation(invocation, now_ms(), delay);
    Ok(invoke_id)
}

fn timeout(ctx: &Ctx<'_>, default: i64, min: i64) -> Result<i64, ApiError> {
    let t = ctx.params.int("Timeout")?.unwrap_or(default);
    if t < min || t > 86_400 {
        return Err(ApiError::invalid_parameter("Timeout", &format!("must be between {min} and 86400 seconds")));
    }
    Ok(t)
}

fn saved_commands(ctx: &Ctx<'_>, region: &str) -> usize {
    ctx.state.ecs.commands.values().filter(|c| c.region == region).count()
}

pub(super) fn run_command(ctx: &mut Ctx<'_>) -> Reply {
    let region = ctx.region()?;
    let kind = ctx.params.required("Type")?;
    check_type(kind)?;
    check_text_limits(ctx)?;
    let content = decode_content(ctx, ctx.params.required("CommandContent")?, "PlainText")?;
    let ids = requested_targets(ctx, MAX_INSTANCES)?;
    let user = username(ctx)?;
    let claim = idempotency::claim(ctx, region)?;
    let timeout = timeout(ctx, 60, 1)?;
    let keep = ctx.params.bool("KeepCommand")?.unwrap_or(false);
    authorize_targets(ctx, region, &ids, user, None)?;
    check_targets_exist(ctx, region, &ids)?;
    if let Some(reply) = ctx.state.ecs.client_tokens.replay(claim.as_ref())? {
        return Ok(reply);
    }
    if keep && saved_commands(ctx, region) >= MAX_COMMANDS {
        return Err(ApiError::forbidden("CmdCount.ExceedQuota", "The number of saved commands reached the quota."));
    }
    let script = Script {
        command_id: new_id("c"),
        name: ctx.params.non_empty("Name").unwrap_or_default().to_owned(),
        description: ctx.params.non_empty("Description").unwrap_or_default().to_owned(),
        kind: kind.to_owned(),
        content,
        working_dir: ctx.params.non_empty("WorkingDir").unwrap_or_default().to_owned(),
        timeout,
        enable_parameter: ctx.params.bool("EnableParameter")?.unwrap_or(false),
        launcher: ctx.params.non_empty("Launcher").unwrap_or_default().to_owned(),
    };
    let invoke_id = start(ctx, region, &script, &ids, user)?;
    if keep {
        let command = Command {
            id: script.command_id.clone(),
            region: region.to_owned(),
            name: script.name,
            description: script.description,
            kind: script.kind,
            content: script.content,
            working_dir: script.working_dir,
            timeout: script.timeout,
            enable_parameter: script.enable_parameter,
            launcher: script.launcher,
            created: ctx.env.now,
            invoke_times: 1,
        };
        ctx.state.ecs.commands.insert(command.id.clone(), command);
    }
    let reply = json!({"CommandId": script.command_id, "InvokeId": invoke_id});
    if let Some(claim) = claim {
        ctx.state.ecs.client_tokens.remember(claim, &reply, idempotency::Created::Invocation(&invoke_id));
    }
    Ok(reply)
}

pub(super) fn invoke_command(ctx: &mut Ctx<'_>) -> Reply {
    let region = ctx.region()?;
    let command_id = ctx.params.required("CommandId")?;
    let ids = requested_targets(ctx, MAX_INSTANCES)?;
    let user = username(ctx)?;
    check_text_limits(ctx)?;
    let claim = idempotency::claim(ctx, region)?;
    authorize_targets(ctx, region, &ids, user, Some(command_id))?;
    let command = ctx.state.ecs.commands.get(command_id).filter(|c| c.region == region).cloned().ok_or_else(|| {
        ApiError::not_found("InvalidCmdId.NotFound", format!("The command {command_id} does not exist."))
    })?;
    check_targets_exist(ctx, region, &ids)?;
    let timeout = timeout(ctx, command.timeout, 10)?;
    if let Some(reply) = ctx.state.ecs.client_tokens.replay(claim.as_ref())? {
        return Ok(reply);
    }
    let script = Script {
        command_id: command.id.clone(),
        name: command.name.clone(),
        description: command.description.clone(),
        kind: command.kind.clone(),
        content: command.content.clone(),
        working_dir: ctx.params.non_empty("WorkingDir").map_or(command.working_dir.clone(), str::to_owned),
        timeout,
        enable_parameter: command.enable_parameter,
        launcher: ctx.params.non_empty("Launcher").map_or(command.launcher.clone(), str::to_owned),
    };
    let invoke_id = start(ctx, region, &script, &ids, user)?;
    if let Some(c) = ctx.state.ecs.commands.get_mut(command_id) {
        c.invoke_times += 1;
    }
    let reply = json!({"InvokeId": invoke_id});
    if let Some(claim) = claim {
        ctx.state.ecs.client_tokens.remember(claim, &reply, idempotency::Created::Invocation(&invoke_id));
    }
    Ok(reply)
}

pub(super) fn stop_invocation(ctx: &mut Ctx<'_>) -> Reply {
    let region = ctx.region()?;
    let invoke_id = ctx.params.required("InvokeId")?;
    let not_found =
        || ApiError::not_found("InvalidInvokeId.NotFound", format!("The invocation {invoke_id} does not exist."));
    let wanted: Vec<String> = ctx.params.list("InstanceId").into_iter().map(str::to_owned).collect();
    if wanted.len() > MAX_STOP_INSTANCES {
        return Err(ApiError::forbidden(
            "InstanceIds.ExceedLimit",
            format!("At most {MAX_STOP_INSTANCES} instances may be stopped at once."),
        ));
    }
    // The invocation's instances, if it exists: read once, used for the authorization and the targets.
    let runs: Option<Vec<String>> = ctx
        .state
        .ecs
        .invocation(invoke_id)
        .filter(|i| i.region == region)
        .map(|i| i.runs.iter().map(|r| r.instance_id.clone()).collect());
    // Authorize before telling what exists: on the instances named, else on the invocation's instances, else
    // (no such invocation) on every instance, so a caller without permission learns nothing about ids.
    let authorized_on: &[String] = match (&runs, wanted.is_empty()) {
        (_, false) => &wanted,
        (Some(runs), true) => runs,
        (None, true) => &["*".to_owned()],
    };
    let arns: Vec<String> = authorized_on.iter().map(|id| instance_arn(ctx, region, id)).collect();
    ctx.authorize(arns, &[])?;
    let runs = runs.ok_or_else(not_found)?;
    if let Some(missing) = wanted.iter().find(|w| !runs.contains(w)) {
        return Err(ApiError::not_found(
            "InvalidInstance.NotFound",
            format!("The instance {missing} is not part of invocation {invoke_id}."),
        ));
    }
    let targets = if wanted.is_empty() { runs } else { wanted };
    if !ctx.state.ecs.stop_runs(invoke_id, &targets, now_ms()) {
        return Err(not_found());
    }
    Ok(json!({}))
}
