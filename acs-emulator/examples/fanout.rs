//! Benchmark (not a test): RunCommand fan-out to 10,000 seeded instances, 100 per call, and every result
//! collected with DescribeInvocationResults (NextToken pages of 50). Prints wall time, requests per second and
//! the process's peak resident memory (`VmHWM`, emulator and client share the process).
//!
//! `cargo run --release -p acs-emulator --example fanout [-- INSTANCES CONCURRENCY]`

#[path = "../tests/support/mod.rs"]
mod support;

use acs_emulator::{Emulator, Seed};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{Creds, Overrides, Signed, Style, ECS};
use tokio::task::JoinSet;

const REGION: &str = "cn-hangzhou";

async fn send(client: &reqwest::Client, signed: &Signed) -> Result<serde_json::Value, String> {
    let method = reqwest::Method::from_bytes(signed.method.as_bytes()).map_err(|e| e.to_string())?;
    let mut req = client.request(method, &signed.url);
    for (k, v) in &signed.headers {
        req = req.header(k, v);
    }
    let resp = req.body(signed.body.clone()).send().await.map_err(|e| e.to_string())?;
    let status = resp.status().as_u16();
    let text = resp.text().await.map_err(|e| e.to_string())?;
    let body: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("HTTP {status}: {e}"))?;
    if status == 200 {
        Ok(body)
    } else {
        Err(format!("HTTP {status}: {body}"))
    }
}

async fn call(
    client: &reqwest::Client,
    endpoint: &str,
    creds: &Creds,
    action: &str,
    params: &[(&str, &str)],
) -> Result<serde_json::Value, String> {
    let signed = support::sign(Style::V3, endpoint, creds, ECS, action, params, &Overrides::default());
    send(client, &signed).await
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let instances: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let concurrency: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(8);
    let seed = Seed::new("1234567890123456")
        .root_key("LTAIBenchRootKey", "BenchRootSecret")
        .many_linux_instances(REGION, instances);
    let ids: Vec<String> = seed.instances.iter().map(|i| i.id.clone()).collect();
    let emu = Emulator::builder().seed(seed).start().await.map_err(|e| e.to_string())?;
    let endpoint = Arc::new(emu.endpoint_url());
    let creds = Arc::new(Creds::root(&emu));
    let client = reqwest::Client::builder().pool_max_idle_per_host(concurrency).build().map_err(|e| e.to_string())?;
    let rss_before = peak_rss_kib().unwrap_or(0);

    // Phase 1: fan-out.
    let started = Instant::now();
    let chunks: Vec<Vec<String>> = ids.chunks(100).map(<[String]>::to_vec).collect();
    let mut invoke_ids = Vec::with_capacity(chunks.len());
    let mut pending = chunks.into_iter();
    let mut set = JoinSet::new();
    let spawn_next = |set: &mut JoinSet<Result<String, String>>, chunk: Vec<String>| {
        let (client, endpoint, creds) = (client.clone(), endpoint.clone(), creds.clone());
        set.spawn(async move {
            let keys: Vec<String> = (1..=chunk.len()).map(|n| format!("InstanceId.{n}")).collect();
            let mut params = vec![
                ("RegionId", REGION),
                ("Type", "RunShellScript"),
                ("CommandContent", "whoami\necho fan-out"),
                ("Username", "user01"),
            ];
            params.extend(keys.iter().map(String::as_str).zip(chunk.iter().map(String::as_str)));
            let body = call(&client, &endpoint, &creds, "RunCommand", &params).await?;
            body["InvokeId"].as_str().map(str::to_owned).ok_or_else(|| format!("no InvokeId in {body}"))
        });
    };
    for chunk in pending.by_ref().take(concurrency) {
        spawn_next(&mut set, chunk);
    }
    while let Some(joined) = set.join_next().await {
        invoke_ids.push(joined.map_err(|e| e.to_string())??);
        if let Some(chunk) = pending.next() {
            spawn_next(&mut set, chunk);
        }
    }
    let fanout = started.elapsed();
    let run_calls = invoke_ids.len();

    // Phase 2: collect every result.
    let started = Instant::now();
    let mut set = JoinSet::new();
    let mut queue = invoke_ids.into_iter();
    let collect = |set: &mut JoinSet<Result<(usize, usize, usize), String>>, invoke_id: String| {
        let (client, endpoint, creds) = (client.clone(), endpoint.clone(), creds.clone());
        set.spawn(async move {
            let (mut calls, mut results, mut successes) = (0, 0, 0);
            let mut token = String::new();
            loop {
                let mut params = vec![
                    ("RegionId", REGION),
                    ("InvokeId", invoke_id.as_str()),
                    ("MaxResults", "50"),
                    ("ContentEncoding", "PlainText"),
                ];
                if !token.is_empty() {
                    params.push(("NextToken", token.as_str()));
                }
                let body = call(&client, &endpoint, &creds, "DescribeInvocationResults", &params).await?;
                calls += 1;
                let page = &body["Invocation"];
                for r in page["InvocationResults"]["InvocationResult"].as_array().into_iter().flatten() {
                    results += 1;
                    if r["InvocationStatus"] == "Success" && r["Output"] == "user01\nfan-out\n" {
                        successes += 1;
                    }
                }
                token = page["NextToken"].as_str().unwrap_or_default().to_owned();
                if token.is_empty() {
                    return Ok((calls, results, successes));
                }
            }
        });
    };
    for id in queue.by_ref().take(concurrency) {
        collect(&mut set, id);
    }
    let (mut describe_calls, mut results, mut successes) = (0, 0, 0);
    while let Some(joined) = set.join_next().await {
        let (c, r, s) = joined.map_err(|e| e.to_string())??;
        describe_calls += c;
        results += r;
        successes += s;
        if let Some(id) = queue.next() {
            collect(&mut set, id);
        }
    }
    let collecting = started.elapsed();
    let rps = |calls: usize, d: Duration| calls as f64 / d.as_secs_f64().max(f64::EPSILON);
    println!("instances={instances} concurrency={concurrency}");
    println!("fanout: run_command_calls={run_calls} wall_ms={} rps={:.0}", fanout.as_millis(), rps(run_calls, fanout));
    println!(
        "collect: describe_calls={describe_calls} results={results} successes={successes} wall_ms={} rps={:.0}",
        collecting.as_millis(),
        rps(describe_calls, collecting)
    );
    let total = fanout + collecting;
    println!(
        "total: requests={} wall_ms={} rps={:.0} peak_rss_kib={} (after seeding: {rss_before})",
        run_calls + describe_calls,
        total.as_millis(),
        rps(run_calls + describe_calls, total),
        peak_rss_kib().unwrap_or(0)
    );
    emu.shutdown().await;
    if successes != instances {
        return Err(format!("only {successes} of {instances} instances reported success"));
    }
    Ok(())
}
