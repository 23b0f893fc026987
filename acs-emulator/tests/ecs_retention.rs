//! Bounded memory: beyond `max_invocations` the oldest finished invocations are dropped with their output and
//! ClientTokens; pending and running ones never are.

mod support;

use acs_emulator::{Emulator, EmulatorHandle};
use serde_json::Value;
use std::time::Duration;
use support::*;

const R: &str = "cn-hangzhou";
const LINUX: &str = "i-emu-linux-0001";

async fn start(max: usize, delay: Duration) -> EmulatorHandle {
    Emulator::builder().max_invocations(max).execution_delay(delay).start().await.expect("emulator starts")
}

async fn run(emu: &EmulatorHandle, content: &str, token: Option<&str>) -> String {
    let mut params =
        vec![("RegionId", R), ("Type", "RunShellScript"), ("InstanceId.1", LINUX), ("CommandContent", content)];
    if let Some(t) = token {
        params.push(("ClientToken", t));
    }
    let body = ok(&emu.endpoint_url(), &Creds::root(emu), ECS, "RunCommand", &params).await;
    body["InvokeId"].as_str().unwrap_or_default().to_owned()
}

/// The InvokeIds DescribeInvocations lists, newest first.
async fn listed(emu: &EmulatorHandle) -> Vec<String> {
    let body = ok(
        &emu.endpoint_url(),
        &Creds::root(emu),
        ECS,
        "DescribeInvocations",
        &[("RegionId", R), ("MaxResults", "50")],
    )
    .await;
    body["Invocations"]["Invocation"]
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["InvokeId"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

async fn results(emu: &EmulatorHandle, invoke_id: &str) -> Value {
    let ep = emu.endpoint_url();
    let body = ok(
        &ep,
        &Creds::root(emu),
        ECS,
        "DescribeInvocationResults",
        &[("RegionId", R), ("InvokeId", invoke_id), ("ContentEncoding", "PlainText")],
    )
    .await;
    body["Invocation"]["InvocationResults"]["InvocationResult"].clone()
}

#[tokio::test]
async fn the_oldest_finished_invocations_go_first_with_their_output_and_tokens() {
    let emu = start(3, Duration::ZERO).await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let mut ids = Vec::new();
    for (i, token) in ["tok-0", "tok-1", "tok-2", "tok-3", "tok-4"].into_iter().enumerate() {
        ids.push(run(&emu, &format!("echo run-{i}"), Some(token)).await);
    }
    let newest_first: Vec<String> = ids.iter().rev().take(3).cloned().collect();
    assert_eq!(listed(&emu).await, newest_first);
    {
        let state = emu.shared().lock();
        assert_eq!(state.ecs.invocation_count(), 3);
        assert_eq!(state.ecs.client_token_count(), 3, "the dropped invocations' tokens are gone too");
        assert_eq!(state.ecs.max_invocations(), 3);
    }
    // the dropped ones are unknown, output included
    assert_eq!(results(&emu, &ids[0]).await, serde_json::json!([]));
    assert_eq!(results(&emu, &ids[4]).await[0]["Output"], "run-4\n");
    // looked up by id, an invocation is still only found in its own region
    let elsewhere =
        ok(&ep, &root, ECS, "DescribeInvocations", &[("RegionId", "cn-shanghai"), ("InvokeId", &ids[4])]).await;
    assert_eq!(elsewhere["TotalCount"], 0, "{elsewhere}");
    fails(&ep, &root, ECS, "StopInvocation", &[("RegionId", R), ("InvokeId", &ids[1])], "InvalidInvokeId.NotFound")
        .await;
    // a kept token still replays; a dropped one starts a new invocation
    assert_eq!(run(&emu, "echo run-4", Some("tok-4")).await, ids[4]);
    let again = run(&emu, "echo run-0", Some("tok-0")).await;
    assert!(!ids.contains(&again), "{again} is new");
    assert_eq!(listed(&emu).await.len(), 3);
}

#[tokio::test]
async fn running_invocations_are_never_dropped() {
    // an hour-long execution: everything stays pending for the whole test
    let emu = start(2, Duration::from_secs(3600)).await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let mut ids = Vec::new();
    for i in 0..4 {
        ids.push(run(&emu, &format!("echo {i}"), Some(&format!("tok-{i}"))).await);
    }
    assert_eq!(listed(&emu).await.len(), 4, "over the limit while they run");
    // stopping the second-oldest finishes it: the next invocation drops it, and only it
    ok(&ep, &root, ECS, "StopInvocation", &[("RegionId", R), ("InvokeId", &ids[1])]).await;
    assert_eq!(listed(&emu).await.len(), 4, "pruning happens when an invocation is added");
    ids.push(run(&emu, "echo 4", None).await);
    let kept = listed(&emu).await;
    assert_eq!(kept, vec![ids[4].clone(), ids[3].clone(), ids[2].clone(), ids[0].clone()]);
    assert_eq!(emu.shared().lock().ecs.client_token_count(), 3);
}

#[tokio::test]
async fn the_limit_is_at_least_one_and_keeps_the_newest() {
    let emu = start(0, Duration::ZERO).await;
    let first = run(&emu, "echo a", None).await;
    let second = run(&emu, "echo b", None).await;
    assert_eq!(listed(&emu).await, vec![second.clone()]);
    assert_ne!(first, second);
    assert_eq!(results(&emu, &second).await[0]["Output"], "b\n");
}
