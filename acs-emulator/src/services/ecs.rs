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

/// How many invocations an emulator keeps by default before it drops the oldest finished ones.
pub const DEFAULT_MAX_INVOCATIONS: usize = 100_000;

/// ECS state: instances, saved commands, invocations and ClientToken records.
///
/// # Retention
/// At most [`EcsState::max_invocations`] invocations are kept (default [`DEFAULT_MAX_INVOCATIONS`]): when a new
/// one exceeds the limit, the oldest *finished* ones (every run succeeded, failed, was cancelled or terminated)
/// are dropped with their output and their `ClientToken`s, so a long-running emulator does not grow without bound.
/// Pending and running invocations are never dropped (the count may exceed the limit while they run), nor is the
/// invocation just created. A dropped invocation is unknown afterwards (`InvalidInvokeId.NotFound`, absent from
/// the describes), and its token may be used again for a new call.
#[derive(Debug)]
pub struct EcsState {
    instances: BTreeMap<String, Instance>,
    commands: BTreeMap<String, Command>,
    /// Invocations by creation sequence number (oldest first).
    invocations: BTreeMap<u64, Invocation>,
    invocation_index: HashMap<String, u64>,
    next_invocation: u64,
    max_invocations: usize,
    client_tokens: idempotency::ClientTokens,
}

impl Default for EcsState {
    fn default() -> EcsState {
        EcsState {
            instances: BTreeMap::new(),
            commands: BTreeMap::new(),
            invocations: BTreeMap::new(),
            invocation_index: HashMap::new(),
            next_invocation: 0,
            max_invocations: DEFAULT_MAX_INVOCATIONS,
            client_tokens: idempotency::ClientTokens::default(),
        }
    }
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
        self.invocation_index.get(invoke_id).and_then(|seq| self.invocations.get(seq))
    }

    /// How many invocations are kept.
    pub fn invocation_count(&self) -> usize {
        self.invocations.len()
    }

    /// How many `ClientToken`s are remembered.
    pub fn client_token_count(&self) -> usize {
        self.client_tokens.len()
    }

    /// The retention limit (see [Retention](EcsState#retention)).
    pub fn max_invocations(&self) -> usize {
        self.max_invocations
    }

    /// Sets the retention limit (at least 1); takes effect with the next new invocation.
    pub fn set_max_invocations(&mut self, max: usize) {
        self.max_invocations = max.max(1);
    }

    fn invocation_mut(&mut self, invoke_id: &str) -> Option<&mut Invocation> {
        self.invocation_index.get(invoke_id).and_then(|seq| self.invocations.get_mut(seq))
    }

    /// Invocations in `region`, newest first.
    fn invocations_newest_first<'s>(&'s self, region: &'s str) -> impl Iterator<Item = &'s Invocation> + 's {
        self.invocations.values().rev().filter(move |i| i.region == region)
    }

    /// Invocations in `region`, newest first; only `invoke_id` when given (found through the index, so polling one
    /// invocation does not scan them all).
    fn select_invocations<'s>(&'s self, region: &'s str, invoke_id: Option<&str>) -> Vec<&'s Invocation> {
        match invoke_id {
            Some(id) => self.invocation(id).filter(|i| i.region == region).into_iter().collect(),
            None => self.invocations_newest_first(region).collect(),
        }
    }

    /// Records a new invocation, then applies the retention limit at `now_ms` (see [Retention](EcsState#retention)).
    fn push_invocation(&mut self, invocation: Invocation, now_ms: u128, delay: std::time::Duration) {
        let seq = self.next_invocation;
        self.next_invocation += 1;
        self.invocation_index.insert(invocation.invoke_id.clone(), seq);
        self.invocations.insert(seq, invocation);
        let excess = self.invocations.len().saturating_sub(self.max_invocations);
        if excess == 0 {
            return;
        }
        let dropped: Vec<u64> = self
            .invocations
            .iter()
            .filter(|(s, inv)| **s != seq && inv.is_finished(now_ms, delay))
            .map(|(s, _)| *s)
            .take(excess)
            .collect();
        let mut ids = Vec::with_capacity(dropped.len());
        for s in dropped {
            if let Some(inv) = self.invocations.remove(&s) {
                self.invocation_index.remove(&inv.invoke_id);
                ids.push(inv.invoke_id);
            }
        }
        self.client_tokens.forget_invocations(ids.iter().map(String::as_str));
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
