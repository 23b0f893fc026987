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
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
///
/// # Active tasks
/// DescribeCloudAssistantStatus's `ActiveTaskCount` comes from a per-instance index of the invocations that may
/// still be pending or running there ([`EcsState::active_task_count`]), not from a scan of every kept invocation:
/// an invocation enters the index of each of its instances when it starts, leaves it when it is stopped there or
/// pruned, and — since runs finish by the passage of time, with no event — is dropped from an instance's index the
/// first time a count finds it finished.
#[derive(Debug)]
pub struct EcsState {
    instances: BTreeMap<String, Instance>,
    commands: BTreeMap<String, Command>,
    /// Invocations by creation sequence number (oldest first).
    invocations: BTreeMap<u64, Invocation>,
    invocation_index: HashMap<String, u64>,
    /// Instance id → sequence numbers of its invocations not yet seen finished (see [Active tasks](EcsState#active-tasks)).
    active_runs: HashMap<String, BTreeSet<u64>>,
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
            active_runs: HashMap::new(),
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

    /// Test hook: releases `instance_id` as if its owner had deleted it (the emulator serves no delete-instance
    /// operation). The instance, and with it its RAM role attachment, is gone: every call naming it answers
    /// `InvalidInstanceId.NotFound`. Its past invocations are kept. Returns whether it existed.
    pub fn release_instance(&mut self, instance_id: &str) -> bool {
        self.active_runs.remove(instance_id);
        self.instances.remove(instance_id).is_some()
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

    /// How many invocations are pending or running on `instance_id` at `now_ms`; forgets those found finished.
    pub fn active_task_count(&mut self, instance_id: &str, now_ms: u128, delay: std::time::Duration) -> usize {
        let Some(active) = self.active_runs.get_mut(instance_id) else { return 0 };
        let invocations = &self.invocations;
        active.retain(|seq| invocations.get(seq).is_some_and(|inv| inv.is_active_on(instance_id, now_ms, delay)));
        let count = active.len();
        if count == 0 {
            self.active_runs.remove(instance_id);
        }
        count
    }

    /// Stops the runs of `invoke_id` on `instance_ids` at `now_ms` (a run already stopped keeps its first stop) and
    /// takes the invocation out of those instances' active index. Returns false when there is no such invocation.
    fn stop_runs(&mut self, invoke_id: &str, instance_ids: &[String], now_ms: u128) -> bool {
        let Some(&seq) = self.invocation_index.get(invoke_id) else { return false };
        let Some(invocation) = self.invocations.get_mut(&seq) else { return false };
        let elapsed = now_ms.saturating_sub(invocation.created_ms);
        for run in invocation.runs.iter_mut().filter(|r| instance_ids.contains(&r.instance_id)) {
            run.stopped_after_ms.get_or_insert(elapsed);
        }
        for id in instance_ids {
            self.forget_active(id, seq);
        }
        true
    }

    /// Takes invocation `seq` out of `instance_id`'s active index.
    fn forget_active(&mut self, instance_id: &str, seq: u64) {
        if let Some(active) = self.active_runs.get_mut(instance_id) {
            active.remove(&seq);
            if active.is_empty() {
                self.active_runs.remove(instance_id);
            }
        }
    }

    /// Records a new invocation, then applies the retention limit at `now_ms` (see [Retention](EcsState#retention)).
    fn push_invocation(&mut self, invocation: Invocation, now_ms: u128, delay: std::time::Duration) {
        let seq = self.next_invocation;
        self.next_invocation += 1;
        self.invocation_index.insert(invocation.invoke_id.clone(), seq);
        for run in &invocation.runs {
            self.active_runs.entry(run.instance_id.clone()).or_default().insert(seq);
        }
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
                for run in &inv.runs {
                    self.forget_active(&run.instance_id, s);
                }
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

/// The documented lengths of `Name` (128), `Description` (512) and `WorkingDir` (200).
fn check_text_limits(ctx: &Ctx<'_>) -> Result<(), ApiError> {
    if ctx.params.non_empty("WorkingDir").is_some_and(|d| d.chars().count() > 200) {
        return Err(ApiError::invalid_parameter("WorkingDir", "at most 200 characters"));
    }
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

#[cfg(test)]
mod tests {
    use super::model::{InstanceRun, Outcome};
    use super::*;
    use std::time::Duration;

    const DELAY: Duration = Duration::from_millis(1000);

    fn invocation(id: &str, created_ms: u128, instances: &[&str]) -> Invocation {
        let success = Outcome { status: "Success", started: true, ..Outcome::rejected("", "") };
        let runs = instances
            .iter()
            .map(|i| InstanceRun {
                instance_id: (*i).into(),
                username: "root".into(),
                outcome: success.clone(),
                stopped_after_ms: None,
            })
            .collect();
        Invocation::for_test(id, created_ms, runs)
    }

    #[test]
    fn a_released_instance_is_gone_with_its_role() {
        let seed = Seed::demo();
        let mut state = EcsState::from_seed(&seed);
        let id = "i-emu-windows-0001";
        if let Some(i) = state.instances.get_mut(id) {
            i.ram_role = Some("SomeRole".into());
        }
        assert_eq!(state.instance_ram_role(id), Some("SomeRole"));
        assert!(state.release_instance(id));
        assert!(state.instance(id).is_none());
        assert_eq!(state.instance_ram_role(id), None);
        assert!(!state.release_instance(id), "already gone");
        assert!(state.instance("i-emu-linux-0001").is_some(), "the others stay");
    }

    /// The count the index must give: a scan of every kept invocation, as DescribeCloudAssistantStatus did before.
    fn scanned(state: &EcsState, instance: &str, now: u128) -> usize {
        state.invocations.values().filter(|inv| inv.is_active_on(instance, now, DELAY)).count()
    }

    /// Index count and scan agree for every instance at `now`; returns the counts of i-1 and i-2.
    fn counts(state: &mut EcsState, now: u128) -> (usize, usize) {
        for id in ["i-1", "i-2"] {
            let expected = scanned(state, id, now);
            assert_eq!(state.active_task_count(id, now, DELAY), expected, "{id} at {now}");
        }
        (state.active_task_count("i-1", now, DELAY), state.active_task_count("i-2", now, DELAY))
    }

    #[test]
    fn active_task_counts_follow_start_stop_finish_and_prune() {
        let mut state = EcsState::default();
        let t0 = 1_000_000;
        // start: each instance of an invocation counts it
        state.push_invocation(invocation("t-a", t0, &["i-1", "i-2"]), t0, DELAY);
        assert_eq!(counts(&mut state, t0), (1, 1));
        state.push_invocation(invocation("t-b", t0 + 200, &["i-1"]), t0 + 200, DELAY);
        assert_eq!(counts(&mut state, t0 + 200), (2, 1));
        // stop: only the named instance loses the invocation, at once; stopping again changes nothing
        assert!(state.stop_runs("t-a", &["i-1".to_owned()], t0 + 300));
        assert_eq!(counts(&mut state, t0 + 300), (1, 1));
        assert!(state.stop_runs("t-a", &["i-1".to_owned()], t0 + 400));
        assert_eq!(counts(&mut state, t0 + 400), (1, 1));
        assert!(!state.stop_runs("t-nope", &["i-1".to_owned()], t0 + 400));
        // finish: t-a ends on i-2 at t0 + 1000, t-b at t0 + 1200; finished entries leave the index
        assert_eq!(counts(&mut state, t0 + 1000), (1, 0));
        assert!(!state.active_runs.contains_key("i-2"));
        assert_eq!(counts(&mut state, t0 + 1200), (0, 0));
        assert!(state.active_runs.is_empty());

        // prune: a finished invocation that was never counted leaves the index when it is dropped
        let mut state = EcsState::default();
        state.set_max_invocations(1);
        state.push_invocation(invocation("t-c", t0, &["i-1", "i-2"]), t0, DELAY);
        state.push_invocation(invocation("t-d", t0 + 5000, &["i-2"]), t0 + 5000, DELAY);
        assert!(state.invocation("t-c").is_none(), "t-c was pruned");
        assert!(!state.active_runs.contains_key("i-1"), "the pruned invocation left i-1's index");
        assert_eq!(state.active_runs.get("i-2").map(BTreeSet::len), Some(1), "only t-d is left on i-2");
        assert_eq!(counts(&mut state, t0 + 5000), (0, 1));
        // a running invocation is never pruned, so it keeps counting past the limit
        state.push_invocation(invocation("t-e", t0 + 5100, &["i-2"]), t0 + 5100, DELAY);
        assert_eq!(counts(&mut state, t0 + 5100), (0, 2));
        assert_eq!(counts(&mut state, t0 + 7000), (0, 0));
    }
}
