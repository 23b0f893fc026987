//! ECS `2014-05-26`: instances, Cloud Assistant (commands, invocations, agent status) and instance RAM roles.
//!
//! Response field names and nesting follow `operations.json` (e.g.
//! `Invocation.InvocationResults.InvocationResult[]`). Lists page with `NextToken`/`MaxResults` (≤ 50) or the
//! legacy `PageNumber`/`PageSize`; `Output` and `CommandContent` are Base64 unless `ContentEncoding=PlainText`.
//! Every `RepeatMode` is accepted but runs once (`Period` still needs `Frequency`); the outcome of each run is
//! decided by the simulated agent ([`super::agent`]) when the invocation is created and revealed after the
//! execution delay (see [`model`]).
//!
//! `ClientToken` (RunCommand, InvokeCommand, CreateCommand; scoped per account, region and action): the same token
//! with the same parameters answers the same ids and starts nothing; with different parameters it is HTTP 400
//! `IdempotentParameterMismatch`.
//!
//! Authorization: `ecs:RunCommand`/`ecs:InvokeCommand` per target instance
//! (`acs:ecs:<region>:<account>:instance/<id>`, plus `…:command/<id>` for InvokeCommand) with context
//! `ecs:CommandRunAs` = `Username`, or `root`/`System` by the instance's OS; other instance operations on the
//! instance ARNs; commands on the command ARN; describes on `acs:ecs:<region>:<account>:*`.
//! All before any existence check: StopInvocation of an unknown invocation without `InstanceId.N` is authorized on
//! `…:instance/*`, and AttachInstanceRamRole decides `ram:PassRole` on the role ARN built from `RamRoleName`.

mod commands;
mod idempotency;
mod instances;
mod invocations;
pub mod model;
mod run;

use super::{Ctx, Reply};
use crate::error::ApiError;
use crate::ids::now_unix;
use crate::seed::Seed;
use base64::Engine as _;
use model::{Command, Instance, Invocation};
use std::collections::{BTreeMap, HashMap};

/// ECS state: instances, saved commands, invocations and ClientToken records.
#[derive(Debug, Default)]
pub struct EcsState {
    instances: BTreeMap<String, Instance>,
    commands: BTreeMap<String, Command>,
    invocations: Vec<Invocation>,
    invocation_index: HashMap<String, usize>,
    client_tokens: idempotency::ClientTokens,
}

impl EcsState {
    /// The instances of the seed.
    pub fn from_seed(seed: &Seed) -> EcsState {
        let now = now_unix();
        let instances = seed.instances.iter().map(|i| (i.id.clone(), Instance::from_seed(i, now))).collect();
        EcsState { instances, ..EcsState::default() }
    }

    /// The name of the RAM role attached to `instance_id`, if any (used by
    /// [`crate::services::sts::issue_instance_session`]).
    pub fn instance_ram_role(&self, instance_id: &str) -> Option<&str> {
        self.instances.get(instance_id).and_then(|i| i.ram_role.as_deref())
    }

    /// An instance by id.
    pub fn instance(&self, instance_id: &str) -> Option<&Instance> {
        self.instances.get(instance_id)
    }

    /// An invocation by id.
    pub fn invocation(&self, invoke_id: &str) -> Option<&Invocation> {
        self.invocation_index.get(invoke_id).and_then(|&i| self.invocations.get(i))
    }

    fn push_invocation(&mut self, invocation: Invocation) {
        self.invocation_index.insert(invocation.invoke_id.clone(), self.invocations.len());
        self.invocations.push(invocation);
    }
}

/// Handles one ECS call.
pub fn handle(ctx: &mut Ctx<'_>) -> Reply {
    match ctx.action {
        "RunCommand" => run::run_command(ctx),
        "InvokeCommand" => run::invoke_command(ctx),
        "StopInvocation" => run::stop_invocation(ctx),
        "CreateCommand" => commands::create(ctx),
        "DescribeCommands" => commands::describe(ctx),
        "ModifyCommand" => commands::modify(ctx),
        "DeleteCommand" => commands::delete(ctx),
        "DescribeInvocations" => invocations::describe_invocations(ctx),
        "DescribeInvocationResults" => invocations::describe_results(ctx),
        "DescribeCloudAssistantStatus" => instances::cloud_assistant_status(ctx),
        "DescribeInstances" => instances::describe_instances(ctx),
        "DescribeRegions" => instances::describe_regions(ctx),
        "AttachInstanceRamRole" => instances::attach_role(ctx),
        "DetachInstanceRamRole" => instances::detach_role(ctx),
        "DescribeInstanceRamRole" => instances::describe_role(ctx),
        other => Err(ApiError::invalid_action(other)),
    }
}

/// `acs:ecs:<region>:<account>:instance/<id>`.
fn instance_arn(ctx: &Ctx<'_>, region: &str, id: &str) -> String {
    ctx.arn(region, &format!("instance/{id}"))
}

/// `acs:ecs:<region>:<account>:command/<id>`.
fn command_arn(ctx: &Ctx<'_>, region: &str, id: &str) -> String {
    ctx.arn(region, &format!("command/{id}"))
}

fn date(unix: i64) -> String {
    acs_signer::format_timestamp(unix)
}

/// Is the response content Base64 (the default) rather than `PlainText`?
fn encode_base64(ctx: &Ctx<'_>) -> Result<bool, ApiError> {
    match ctx.params.non_empty("ContentEncoding") {
        None => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("Base64") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("PlainText") => Ok(false),
        Some(_) => Err(ApiError::invalid_parameter("ContentEncoding", "must be PlainText or Base64")),
    }
}

fn encoded(text: &str, base64: bool) -> String {
    if base64 {
        base64::engine::general_purpose::STANDARD.encode(text)
    } else {
        text.to_owned()
    }
}

/// Decodes `CommandContent` given in `encoding` (`PlainText` or `Base64`; `default` when absent).
fn decode_content(ctx: &Ctx<'_>, content: &str, default: &str) -> Result<String, ApiError> {
    let encoding = ctx.params.non_empty("ContentEncoding").unwrap_or(default);
    if encoding.eq_ignore_ascii_case("PlainText") {
        check_content_size(content.len().div_ceil(3) * 4)?;
        return Ok(content.to_owned());
    }
    if !encoding.eq_ignore_ascii_case("Base64") {
        return Err(ApiError::invalid_parameter("ContentEncoding", "must be PlainText or Base64"));
    }
    check_content_size(content.len())?;
    base64::engine::general_purpose::STANDARD
        .decode(content.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| {
            ApiError::invalid_parameter("CommandContent", "not valid Base64 of UTF-8 text (ContentEncoding is Base64)")
        })
}

fn check_content_size(base64_len: usize) -> Result<(), ApiError> {
    if base64_len > 24 * 1024 {
        return Err(ApiError::forbidden(
            "CmdContent.ExceedLimit",
            "The command content exceeds 24 KB after Base64 encoding.",
        ));
    }
    Ok(())
}

fn check_type(kind: &str) -> Result<(), ApiError> {
    if matches!(kind, "RunShellScript" | "RunBatScript" | "RunPowerShellScript") {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "InvalidCmdType.NotFound",
            format!("The command type {kind:?} is not supported (RunShellScript, RunBatScript, RunPowerShellScript)."),
        ))
    }
}

fn check_name_and_description(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    if ctx.params.non_empty("Name").is_some_and(|n| n.chars().count() > 128) {
        return Err(ApiError::forbidden("CmdName.ExceedLimit", "The command name exceeds 128 characters."));
    }
    if ctx.params.non_empty("Description").is_some_and(|d| d.chars().count() > 512) {
        return Err(ApiError::forbidden("CmdDesc.ExceedLimit", "The command description exceeds 512 characters."));
    }
    Ok(())
}

/// A new `prefix-` id of lower-case letters and digits.
fn new_id(prefix: &str) -> String {
    format!("{prefix}-{}", crate::ids::random_alnum(14).to_ascii_lowercase())
}
