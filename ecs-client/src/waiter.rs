//! Waiting for a Cloud Assistant invocation to finish, and running a command in one call.

use std::sync::Mutex;

use acs_core::waiter::{wait_until_described, WaiterConfig};
use acs_core::Error;
use futures::TryStreamExt as _;

use crate::models::{ContentEncoding, InstanceInvocationStatus, InvocationErrorCode, InvocationResult};
use crate::operations::RunCommandFluentBuilder;
use crate::Client;

/// How one instance finished.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceOutcome {
    /// The instance.
    pub instance_id: String,
    /// Terminal per-instance status (`Success`, `Failed`, `Timeout`, ...).
    pub status: InstanceInvocationStatus,
    /// Exit code of the command, when it ran.
    pub exit_code: Option<i64>,
    /// Why it failed (`ExitCodeNonzero`, `AccountNotExists`, ...); `None` on success.
    pub error_code: Option<InvocationErrorCode>,
    /// Readable failure message.
    pub error_info: Option<String>,
    /// The command's output, decoded from Base64 (at most 24 KB are kept by the service).
    pub output: String,
    /// Bytes of output the service cut off.
    pub dropped: Option<i64>,
    /// The OS user the command ran as, when reported.
    pub username: Option<String>,
}

impl InstanceOutcome {
    /// `Success` with exit code 0 (or none reported).
    pub fn succeeded(&self) -> bool {
        self.status == InstanceInvocationStatus::Success && self.exit_code.unwrap_or(0) == 0
    }
}

/// How an invocation finished on every instance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvocationOutcome {
    /// The invocation.
    pub invoke_id: String,
    /// One entry per instance, in the order the service returned them.
    pub instances: Vec<InstanceOutcome>,
}

impl InvocationOutcome {
    /// Every instance succeeded.
    pub fn all_succeeded(&self) -> bool {
        !self.instances.is_empty() && self.instances.iter().all(InstanceOutcome::succeeded)
    }
}

/// Decodes an `Output` field: Base64 when it decodes, else the text as received.
pub(crate) fn decode_output(raw: Option<&str>) -> String {
    crate::output::decode(raw).unwrap_or_else(|| raw.unwrap_or("").to_owned())
}

fn is_finished(result: &InvocationResult) -> bool {
    match &result.invocation_status {
        Some(InstanceInvocationStatus::Unknown(_)) | None => {
            // a status this SDK does not know: fall back on the record status
            result.invoke_record_status.as_ref().is_some_and(|s| s.is_terminal())
        }
        Some(status) => status.is_terminal(),
    }
}

fn outcome(result: InvocationResult) -> InstanceOutcome {
    InstanceOutcome {
        instance_id: result.instance_id.unwrap_or_default(),
        status: result.invocation_status.unwrap_or_else(|| InstanceInvocationStatus::Unknown(String::new())),
        exit_code: result.exit_code,
        error_code: result.error_code,
        error_info: result.error_info.filter(|s| !s.is_empty()),
        output: decode_output(result.output.as_deref()),
        dropped: result.dropped,
        username: result.username,
    }
}

fn summarize(results: &[InvocationResult]) -> String {
    if results.is_empty() {
        return "no invocation results yet".to_owned();
    }
    results
        .iter()
        .map(|r| {
            format!(
                "{}={}",
                r.instance_id.as_deref().unwrap_or("?"),
                r.invocation_status.as_ref().map(|s| s.as_str()).unwrap_or("?")
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl Client {
    /// Polls DescribeInvocationResults (Base64 output) with backoff until every instance of `invoke_id` reached a
    /// terminal status, then returns each instance's status, exit code, error and decoded output.
    ///
    /// After `config.deadline` it fails with [`Error::WaiterTimeout`] whose `last_state` lists each instance's
    /// last status. Service errors stop the wait (throttling is already retried by the runtime).
    pub async fn wait_for_invocation_with(
        &self,
        region: &str,
        invoke_id: &str,
        config: &WaiterConfig,
    ) -> Result<InvocationOutcome, Error> {
        let last = Mutex::new(String::from("not polled yet"));
        let poll = || async {
            let results: Vec<InvocationResult> = self
                .describe_invocation_results()
                .region_id(region)
                .invoke_id(invoke_id)
                .content_encoding(ContentEncoding::Base64)
                .into_paginator()
                .items()
                .try_collect()
                .await?;
            if let Ok(mut guard) = last.lock() {
                *guard = summarize(&results);
            }
            tracing::debug!(invoke_id, instances = results.len(), "polled invocation results");
            if results.is_empty() || !results.iter().all(is_finished) {
                return Ok(None);
            }
            Ok(Some(InvocationOutcome {
                invoke_id: invoke_id.to_owned(),
                instances: results.into_iter().map(outcome).collect(),
            }))
        };
        let describe = |_attempt: u32| last.lock().map(|s| s.clone()).unwrap_or_default();
        wait_until_described(config, poll, describe).await
    }

    /// [`Client::wait_for_invocation_with`] with the default backoff (500 ms doubling to 5 s) and a 10 min deadline.
    pub async fn wait_for_invocation(&self, region: &str, invoke_id: &str) -> Result<InvocationOutcome, Error> {
        self.wait_for_invocation_with(region, invoke_id, &WaiterConfig::default()).await
    }

    /// Sends a prepared RunCommand (see [`Client::run_command`]) and waits for it on every instance.
    ///
    /// The region is the request's `RegionId`, else the configured region.
    pub async fn run_and_wait(
        &self,
        run: RunCommandFluentBuilder,
        config: &WaiterConfig,
    ) -> Result<InvocationOutcome, Error> {
        let region = run
            .as_request()
            .region_id
            .clone()
            .or_else(|| self.core().config().region().map(str::to_owned))
            .ok_or_else(|| Error::invalid_input("RegionId", "is required (set it or configure a region)"))?;
        let response = run.send().await?;
        let invoke_id = response.invoke_id.filter(|id| !id.is_empty()).ok_or_else(|| Error::Decode {
            message: "RunCommand response has no InvokeId".to_owned(),
            status: 200,
            body_excerpt: String::new(),
        })?;
        self.wait_for_invocation_with(&region, &invoke_id, config).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_is_decoded_from_base64_or_kept() {
        assert_eq!(decode_output(Some("dXNlcjAxCg==")), "user01\n");
        assert_eq!(decode_output(Some("not base64!")), "not base64!");
        assert_eq!(decode_output(None), "");
    }

    #[test]
    fn unknown_status_falls_back_on_record_status() {
        let mut r = InvocationResult {
            invocation_status: Some(InstanceInvocationStatus::Unknown("Brand-new".into())),
            ..InvocationResult::default()
        };
        assert!(!is_finished(&r));
        r.invoke_record_status = Some(crate::models::InvokeRecordStatus::Finished);
        assert!(is_finished(&r));
        r.invocation_status = Some(InstanceInvocationStatus::Running);
        assert!(!is_finished(&r));
    }
}
