//! `ClientToken`: the same token with the same parameters answers the same ids and starts nothing; with different
//! parameters it is HTTP 400 `IdempotentParameterMismatch`. Tokens are scoped per account, region and action.

mod support;

use acs_emulator::{Emulator, EmulatorHandle, Seed, SeedInstance};
use serde_json::Value;
use support::*;

const R: &str = "cn-hangzhou";
const SH: &str = "cn-shanghai";
const LINUX: &str = "i-emu-linux-0001";
const SH_LINUX: &str = "i-sh-linux-1";

async fn start() -> EmulatorHandle {
    let seed = Seed::demo()
        .instance(SeedInstance::linux("i-linux-2", R).users(["user01"]))
        .instance(SeedInstance::linux(SH_LINUX, SH).users(["user01"]));
    Emulator::builder().seed(seed).start().await.expect("emulator starts")
}

async fn invocation_count(emu: &EmulatorHandle, region: &str) -> Value {
    let body = ok(&emu.endpoint_url(), &Creds::root(emu), ECS, "DescribeInvocations", &[("RegionId", region)]).await;
    body["TotalCount"].clone()
}

fn run_params<'a>(token: &'a str, content: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("RegionId", R),
        ("Type", "RunShellScript"),
        ("InstanceId.1", LINUX),
        ("CommandContent", content),
        ("Username", "user01"),
        ("ClientToken", token),
    ]
}

#[tokio::test]
async fn run_command_replays_the_same_ids_whatever_the_signature_style() {
    let emu = start().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let params = run_params("tok-run-1", "whoami");
    let first = ok(&ep, &root, ECS, "RunCommand", &params).await;
    // a retry signed differently (another nonce, timestamp, signature and protocol) is still the same call
    let (status, second) = call_with(Style::V1Post, &ep, &root, ECS, "RunCommand", &params).await;
    assert_eq!(status, 200, "{second}");
    assert_eq!((&first["InvokeId"], &first["CommandId"]), (&second["InvokeId"], &second["CommandId"]));
    assert_eq!(invocation_count(&emu, R).await, 1);
    // parameter order does not matter either
    let mut reversed = params.clone();
    reversed.reverse();
    let third = ok(&ep, &root, ECS, "RunCommand", &reversed).await;
    assert_eq!(third["InvokeId"], first["InvokeId"]);
}

#[tokio::test]
async fn run_command_with_a_reused_token_and_other_parameters_is_a_mismatch() {
    let emu = start().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let first = ok(&ep, &root, ECS, "RunCommand", &run_params("tok-run-2", "whoami")).await;
    let (status, body) = call(&ep, &root, ECS, "RunCommand", &run_params("tok-run-2", "id")).await;
    assert_eq!((status, body["Code"].as_str()), (400, Some("IdempotentParameterMismatch")), "{body}");
    assert!(body["Message"].as_str().is_some_and(|m| m.contains("tok-run-2")), "{body}");
    // an added parameter is a difference too
    let mut more = run_params("tok-run-2", "whoami");
    more.push(("InstanceId.2", "i-linux-2"));
    fails(&ep, &root, ECS, "RunCommand", &more, "IdempotentParameterMismatch").await;
    assert_eq!(invocation_count(&emu, R).await, 1, "a mismatch starts nothing");
    // the original parameters still replay, and a fresh token runs again
    let again = ok(&ep, &root, ECS, "RunCommand", &run_params("tok-run-2", "whoami")).await;
    assert_eq!(again["InvokeId"], first["InvokeId"]);
    let fresh = ok(&ep, &root, ECS, "RunCommand", &run_params("tok-run-3", "id")).await;
    assert_ne!(fresh["InvokeId"], first["InvokeId"]);
    assert_eq!(invocation_count(&emu, R).await, 2);
}

#[tokio::test]
async fn invoke_command_and_create_command_honour_tokens() {
    let emu = start().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let create = [
        ("RegionId", R),
        ("Name", "hello"),
        ("Type", "RunShellScript"),
        ("CommandContent", "d2hvYW1p"),
        ("ClientToken", "tok-create"),
    ];
    let created = ok(&ep, &root, ECS, "CreateCommand", &create).await;
    let replayed = ok(&ep, &root, ECS, "CreateCommand", &create).await;
    assert_eq!(created["CommandId"], replayed["CommandId"]);
    let listed = ok(&ep, &root, ECS, "DescribeCommands", &[("RegionId", R)]).await;
    assert_eq!(listed["TotalCount"], 1, "{listed}");
    let mut renamed = create.to_vec();
    renamed[1] = ("Name", "other");
    fails(&ep, &root, ECS, "CreateCommand", &renamed, "IdempotentParameterMismatch").await;

    let cid = created["CommandId"].as_str().unwrap_or_default();
    let invoke = [("RegionId", R), ("CommandId", cid), ("InstanceId.1", LINUX), ("ClientToken", "tok-invoke")];
    let first = ok(&ep, &root, ECS, "InvokeCommand", &invoke).await;
    let second = ok(&ep, &root, ECS, "InvokeCommand", &invoke).await;
    assert_eq!(first["InvokeId"], second["InvokeId"]);
    let mut as_user = invoke.to_vec();
    as_user.push(("Username", "user01"));
    fails(&ep, &root, ECS, "InvokeCommand", &as_user, "IdempotentParameterMismatch").await;
    assert_eq!(invocation_count(&emu, R).await, 1);

    // after the command is deleted its token no longer names it: CreateCommand makes a new one
    ok(&ep, &root, ECS, "DeleteCommand", &[("RegionId", R), ("CommandId", cid)]).await;
    let recreated = ok(&ep, &root, ECS, "CreateCommand", &create).await;
    assert_ne!(recreated["CommandId"], created["CommandId"]);
}

#[tokio::test]
async fn tokens_are_scoped_per_region_and_action() {
    let emu = start().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let token = "tok-shared";
    let here = ok(&ep, &root, ECS, "RunCommand", &run_params(token, "whoami")).await;
    // the same token in another region, with other parameters, is another call
    let there = ok(
        &ep,
        &root,
        ECS,
        "RunCommand",
        &[
            ("RegionId", SH),
            ("Type", "RunShellScript"),
            ("InstanceId.1", SH_LINUX),
            ("CommandContent", "id"),
            ("ClientToken", token),
        ],
    )
    .await;
    assert_ne!(here["InvokeId"], there["InvokeId"]);
    assert_eq!(invocation_count(&emu, SH).await, 1);
    // and so is the same token for another action
    let created = ok(
        &ep,
        &root,
        ECS,
        "CreateCommand",
        &[
            ("RegionId", R),
            ("Name", "n"),
            ("Type", "RunShellScript"),
            ("CommandContent", "aWQ="),
            ("ClientToken", token),
        ],
    )
    .await;
    let cid = created["CommandId"].as_str().unwrap_or_default();
    let invoked = ok(
        &ep,
        &root,
        ECS,
        "InvokeCommand",
        &[("RegionId", R), ("CommandId", cid), ("InstanceId.1", LINUX), ("ClientToken", token)],
    )
    .await;
    assert_ne!(invoked["InvokeId"], here["InvokeId"]);
    assert_eq!(invocation_count(&emu, R).await, 2);
}
