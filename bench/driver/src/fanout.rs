//! Fan-out: RunCommand on N instances, 100 per call, then every instance's result collected.

use crate::cpu::{cpu_seconds, peak_rss_kib};
use crate::Target;
use anyhow::{anyhow, bail, Context as _, Result};
use clap::Args;
use ecs_client::{ContentEncoding, InvocationResult};
use futures::{StreamExt as _, TryStreamExt as _};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Arguments of `fanout`.
#[derive(Debug, Args)]
pub struct FanoutArgs {
    #[command(flatten)]
    target: Target,
    /// Instance ids are `{prefix}{n:06}` for n in 1..=count (as bench/run writes the seed).
    #[arg(long, default_value = "i-bench-")]
    id_prefix: String,
    /// Number of instances.
    #[arg(long)]
    count: usize,
    /// Instances per RunCommand (the API allows at most 100).
    #[arg(long, default_value_t = 100)]
    per_call: usize,
    /// API calls in flight at once.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 300)]
    max_seconds: u64,
}

/// Bound of one paging round (a page holds 50 results: far more than the 100 instances of one invocation).
const MAX_PAGES: u32 = 100;

/// Counts API calls (retries are disabled, so one send is one call).
#[derive(Default)]
struct Calls {
    run: AtomicU64,
    describe: AtomicU64,
}

/// Pages through DescribeInvocationResults of `invoke_id` until `expected` instances reached a terminal status.
async fn collect(
    client: &ecs_client::Client,
    region: &str,
    invoke_id: &str,
    expected: usize,
    calls: &Calls,
    deadline: Instant,
) -> Result<Vec<InvocationResult>> {
    let mut delay = Duration::from_millis(20);
    loop {
        let mut pages = client
            .describe_invocation_results()
            .region_id(region)
            .invoke_id(invoke_id)
            .content_encoding(ContentEncoding::PlainText)
            .max_results(50)
            .into_paginator()
            .pages();
        let mut results = Vec::with_capacity(expected);
        let mut round_pages = 0;
        while let Some(page) = pages.try_next().await.with_context(|| format!("describing {invoke_id}"))? {
            calls.describe.fetch_add(1, Ordering::Relaxed);
            round_pages += 1;
            if round_pages > MAX_PAGES {
                bail!("{invoke_id}: more than {MAX_PAGES} pages of results");
            }
            results.extend(page.invocation.map(|p| p.invocation_results).unwrap_or_default());
        }
        let finished = results.iter().filter(|r| r.invocation_status.as_ref().is_some_and(|s| s.is_terminal())).count();
        if results.len() >= expected && finished == results.len() {
            return Ok(results);
        }
        if Instant::now() + delay > deadline {
            bail!("{invoke_id}: {finished}/{expected} instances finished when the time ran out");
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_millis(500));
    }
}

/// Runs `fanout` and returns its report.
pub async fn run(args: &FanoutArgs) -> Result<Value> {
    if args.count == 0 || args.per_call == 0 || args.per_call > 100 || args.concurrency == 0 {
        bail!("--count, --concurrency must be at least 1 and --per-call between 1 and 100");
    }
    let client = args.target.client()?;
    let region = args.target.region.as_str();
    let ids: Vec<String> = (1..=args.count).map(|n| format!("{}{n:06}", args.id_prefix)).collect();
    let calls = Calls::default();
    let deadline = Instant::now() + Duration::from_secs(args.max_seconds);
    let cpu_before = cpu_seconds()?;
    let start = Instant::now();

    // RunCommand, `per_call` instances each, `concurrency` calls in flight
    let invocations: Vec<(String, usize)> = futures::stream::iter(ids.chunks(args.per_call))
        .map(|batch| {
            let (client, calls) = (&client, &calls);
            async move {
                let response = client
                    .run_command()
                    .region_id(region)
                    .instance_ids(batch.iter().cloned())
                    .command_type(ecs_client::CommandType::RunShellScript)
                    .command_content("echo fan-out")
                    .username("user01")
                    .send()
                    .await;
                calls.run.fetch_add(1, Ordering::Relaxed);
                let invoke_id = response?.invoke_id.ok_or_else(|| anyhow!("RunCommand returned no InvokeId"))?;
                Ok::<_, anyhow::Error>((invoke_id, batch.len()))
            }
        })
        .buffer_unordered(args.concurrency)
        .try_collect()
        .await?;
    let dispatched = start.elapsed().as_secs_f64();

    // collect every instance's result, `concurrency` invocations at once
    let collected: Vec<Vec<InvocationResult>> = futures::stream::iter(invocations.iter())
        .map(|(invoke_id, expected)| collect(&client, region, invoke_id, *expected, &calls, deadline))
        .buffer_unordered(args.concurrency)
        .try_collect()
        .await?;
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds()? - cpu_before;

    let results: usize = collected.iter().map(Vec::len).sum();
    let succeeded = collected
        .iter()
        .flatten()
        .filter(|r| r.invocation_status == Some(ecs_client::InstanceInvocationStatus::Success))
        .count();
    let (run_calls, describe_calls) = (calls.run.load(Ordering::Relaxed), calls.describe.load(Ordering::Relaxed));
    Ok(json!({
        "client": "rust",
        "instances": args.count,
        "invocations": invocations.len(),
        "run_calls": run_calls,
        "describe_calls": describe_calls,
        "api_calls": run_calls + describe_calls,
        "results": results,
        "succeeded": succeeded,
        "dispatch_s": dispatched,
        "wall_s": wall,
        "cpu_s": cpu,
        "peak_rss_kib": peak_rss_kib()?,
    }))
}
