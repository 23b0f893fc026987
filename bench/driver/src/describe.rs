//! Client overhead: DescribeInvocationResults in a loop at a fixed concurrency.

use crate::cpu::{cpu_seconds, peak_rss_kib, percentile};
use crate::Target;
use acs_core::waiter::WaiterConfig;
use anyhow::{bail, Context as _, Result};
use clap::Args;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Arguments of `describe`.
#[derive(Debug, Args)]
pub struct DescribeArgs {
    #[command(flatten)]
    target: Target,
    /// Instance to run the one setup command on (its invocation is then described over and over).
    #[arg(long)]
    instance: String,
    /// Requests in flight at once (tokio tasks over one shared client).
    #[arg(long, default_value_t = 1)]
    concurrency: u32,
    /// Timed requests in total (the loop also stops after --max-seconds).
    #[arg(long, default_value_t = 2_000)]
    requests: u64,
    /// Upper bound of the timed loop, in seconds.
    #[arg(long, default_value_t = 60)]
    max_seconds: u64,
    /// Untimed requests first (connections, allocator, caches).
    #[arg(long, default_value_t = 50)]
    warmup: u64,
}

/// Runs `describe` and returns its report.
pub async fn run(args: &DescribeArgs) -> Result<Value> {
    if args.concurrency == 0 || args.requests == 0 {
        bail!("--concurrency and --requests must be at least 1");
    }
    let client = args.target.client()?;
    let region = args.target.region.as_str();

    // setup (untimed): one invocation to describe
    let run = client
        .run_command()
        .region_id(region)
        .instance_id(args.instance.as_str())
        .command_type(ecs_client::CommandType::RunShellScript)
        .command_content("echo bench")
        .username("user01");
    let waiter = WaiterConfig {
        initial_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
        deadline: Duration::from_secs(30),
    };
    let outcome = client.run_and_wait(run, &waiter).await.context("setup RunCommand")?;
    let invoke_id = outcome.invoke_id;

    let describe = |client: ecs_client::Client, invoke_id: String, region: String| async move {
        client.describe_invocation_results().region_id(region).invoke_id(invoke_id).send().await
    };
    for _ in 0..args.warmup {
        describe(client.clone(), invoke_id.clone(), region.to_owned()).await.context("warm-up request")?;
    }

    let next = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let deadline = Duration::from_secs(args.max_seconds);
    let cpu_before = cpu_seconds()?;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.concurrency {
        let (client, invoke_id, region) = (client.clone(), invoke_id.clone(), region.to_owned());
        let (next, errors, total) = (next.clone(), errors.clone(), args.requests);
        tasks.push(tokio::spawn(async move {
            let mut latencies_us = Vec::new();
            while next.fetch_add(1, Ordering::Relaxed) < total && start.elapsed() < deadline {
                let t = Instant::now();
                let result = describe(client.clone(), invoke_id.clone(), region.clone()).await;
                latencies_us.push(t.elapsed().as_micros() as u64);
                let ok = result
                    .as_ref()
                    .is_ok_and(|r| r.invocation.as_ref().is_some_and(|page| !page.invocation_results.is_empty()));
                if !ok {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
            }
            latencies_us
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.context("a request task panicked")?);
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds()? - cpu_before;
    latencies.sort_unstable();
    let done = latencies.len() as f64;
    Ok(json!({
        "client": "rust",
        "concurrency": args.concurrency,
        "requests": latencies.len(),
        "errors": errors.load(Ordering::Relaxed),
        "wall_s": wall,
        "rps": done / wall,
        "cpu_s": cpu,
        "cpu_us_per_request": if done > 0.0 { cpu * 1e6 / done } else { 0.0 },
        "p50_us": percentile(&latencies, 50.0),
        "p99_us": percentile(&latencies, 99.0),
        "peak_rss_kib": peak_rss_kib()?,
    }))
}
