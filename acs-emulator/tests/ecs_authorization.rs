//! Cloud Assistant authorization: `ecs:RunCommand`/`ecs:InvokeCommand` per instance with `ecs:CommandRunAs`,
//! the procedure's policies attached to a RAM user, and ram:PassRole on AttachInstanceRamRole.

mod support;

use acs_emulator::{Emulator, EmulatorHandle, Seed, SeedInstance};
use serde_json::Value;
use support::*;

const R: &str = "cn-hangzhou";
const LINUX: &str = "i-emu-linux-0001";
const WINDOWS: &str = "i-emu-windows-0001";

async fn start() -> EmulatorHandle {
    let seed = Seed::demo().instance(SeedInstance::linux("i-linux-2", R).users(["user01"]));
    Emulator::builder().seed(seed).start().await.expect("emulator starts")
}

/// The procedure's RAM user: commandUserPolicy (allow user01/user02) + AliyunECSReadOnlyAccess.
async fn command_user(emu: &EmulatorHandle) -> Creds {
    let policy = ram_policy::procedure::run_as_allow_list(&["user01", "user02"]).to_json();
    ram_user(emu, "commandUser", &["AliyunECSReadOnlyAccess"], &[("commandUserPolicy", &policy)]).await
}

async fn run_as(emu: &EmulatorHandle, creds: &Creds, instance: &str, kind: &str, user: Option<&str>) -> (u16, Value) {
    let mut params = vec![("RegionId", R), ("Type", kind), ("InstanceId.1", instance), ("CommandContent", "whoami")];
    if let Some(u) = user {
        params.push(("Username", u));
    }
    call(&emu.endpoint_url(), creds, ECS, "RunCommand", &params).await
}

#[tokio::test]
async fn procedure_policy_allows_user01_and_denies_root() {
    let emu = start().await;
    let user = command_user(&emu).await;
    let (status, body) = run_as(&emu, &user, LINUX, "RunShellScript", Some("user01")).await;
    assert_eq!(status, 200, "{body}");
    let invoke_id = body["InvokeId"].as_str().unwrap_or_default().to_owned();
    // the read-only system policy lets the user read the result
    let results = ok(
        &emu.endpoint_url(),
        &user,
        ECS,
        "DescribeInvocationResults",
        &[("RegionId", R), ("InvokeId", &invoke_id), ("ContentEncoding", "PlainText")],
    )
    .await;
    assert_eq!(results["Invocation"]["InvocationResults"]["InvocationResult"][0]["Output"], "user01\n");

    let (status, body) = run_as(&emu, &user, LINUX, "RunShellScript", Some("root")).await;
    assert_eq!((status, body["Code"].as_str()), (403, Some("Forbidden.RAM")), "{body}");
    let detail = &body["AccessDeniedDetail"];
    assert_eq!(detail["AuthAction"], "ecs:RunCommand");
    assert_eq!(detail["AuthPrincipalDisplayName"], "commandUser");
    assert_eq!(detail["NoPermissionType"], "ImplicitDeny");

    // omitting Username means root on Linux: denied as well
    let (status, body) = run_as(&emu, &user, LINUX, "RunShellScript", None).await;
    assert_eq!((status, body["Code"].as_str()), (403, Some("Forbidden.RAM")), "{body}");
    // and System on Windows
    let (status, body) = run_as(&emu, &user, WINDOWS, "RunPowerShellScript", Some("system")).await;
    assert_eq!((status, body["Code"].as_str()), (403, Some("Forbidden.RAM")), "{body}");
    let (status, _) = run_as(&emu, &user, WINDOWS, "RunPowerShellScript", None).await;
    assert_eq!(status, 403);
    // a denied call leaves no invocation behind
    let all = ok(&emu.endpoint_url(), &Creds::root(&emu), ECS, "DescribeInvocations", &[("RegionId", R)]).await;
    assert_eq!(all["TotalCount"], 1);
}

#[tokio::test]
async fn deny_list_policy_is_case_insensitive() {
    let emu = start().await;
    let policy = ram_policy::procedure::run_as_deny_list(&["root", "system"]).to_json();
    let user = ram_user(&emu, "denyListUser", &[], &[("commandUserPolicy", &policy)]).await;
    let (status, body) = run_as(&emu, &user, LINUX, "RunShellScript", Some("user02")).await;
    assert_eq!(status, 200, "{body}");
    for who in ["root", "Root", "ROOT"] {
        let (status, body) = run_as(&emu, &user, LINUX, "RunShellScript", Some(who)).await;
        assert_eq!((status, body["Code"].as_str()), (403, Some("Forbidden.RAM")), "{who}: {body}");
    }
    let (status, _) = run_as(&emu, &user, WINDOWS, "RunBatScript", Some("SYSTEM")).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn every_target_instance_must_be_allowed() {
    let emu = start().await;
    let account = emu.account_id().to_owned();
    let policy = format!(
        r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":["ecs:RunCommand","ecs:InvokeCommand"],
        "Resource":["acs:ecs:{R}:{account}:instance/{LINUX}"]}}]}}"#
    );
    let user = ram_user(&emu, "oneInstance", &[], &[("oneInstancePolicy", &policy)]).await;
    let ep = emu.endpoint_url();
    let base = [("RegionId", R), ("Type", "RunShellScript"), ("CommandContent", "whoami"), ("Username", "user01")];
    let mut one = base.to_vec();
    one.push(("InstanceId.1", LINUX));
    ok(&ep, &user, ECS, "RunCommand", &one).await;
    let mut two = one.clone();
    two.push(("InstanceId.2", "i-linux-2"));
    let body = fails(&ep, &user, ECS, "RunCommand", &two, "Forbidden.RAM").await;
    assert_eq!(body["AccessDeniedDetail"]["AuthAction"], "ecs:RunCommand");

    // InvokeCommand also needs the command ARN, which this policy does not grant
    let created = ok(
        &ep,
        &Creds::root(&emu),
        ECS,
        "CreateCommand",
        &[("RegionId", R), ("Name", "c"), ("Type", "RunShellScript"), ("CommandContent", "d2hvYW1p")],
    )
    .await;
    let cid = created["CommandId"].as_str().unwrap_or_default();
    fails(
        &ep,
        &user,
        ECS,
        "InvokeCommand",
        &[("RegionId", R), ("CommandId", cid), ("InstanceId.1", LINUX), ("Username", "user01")],
        "Forbidden.RAM",
    )
    .await;
    // the procedure policy covers command/* too
    let procedure = command_user(&emu).await;
    let body = ok(
        &ep,
        &procedure,
        ECS,
        "InvokeCommand",
        &[("RegionId", R), ("CommandId", cid), ("InstanceId.1", LINUX), ("Username", "user01")],
    )
    .await;
    assert!(body["InvokeId"].as_str().is_some_and(|id| id.starts_with("t-")));
    // StopInvocation is not part of the procedure policy nor of the read-only policy
    let invoke_id = body["InvokeId"].as_str().unwrap_or_default();
    fails(&ep, &procedure, ECS, "StopInvocation", &[("RegionId", R), ("InvokeId", invoke_id)], "Forbidden.RAM").await;
}

#[tokio::test]
async fn attaching_an_instance_role_needs_pass_role() {
    let emu = start().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let trust = ram_policy::procedure::ecs_trust_policy().to_json();
    ok(&ep, &root, RAM, "CreateRole", &[("RoleName", "AxtSecretRamRole"), ("AssumeRolePolicyDocument", &trust)]).await;
    let ecs_only = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:*InstanceRamRole","Resource":"*"}]}"#;
    let user = ram_user(&emu, "ecsAdmin", &[], &[("ecsRoleOps", ecs_only)]).await;
    let params = [("RegionId", R), ("InstanceIds", r#"["i-emu-windows-0001"]"#), ("RamRoleName", "AxtSecretRamRole")];
    fails(&ep, &user, ECS, "AttachInstanceRamRole", &params, "InvalidUser.PassRoleForbidden").await;
    let pass = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ram:PassRole","Resource":"*"}]}"#;
    let admin = ram_user(&emu, "ecsAdmin2", &[], &[("ecsRoleOps", ecs_only), ("passRole", pass)]).await;
    let body = ok(&ep, &admin, ECS, "AttachInstanceRamRole", &params).await;
    assert_eq!(body["FailCount"], 0);
    // without any ECS permission at all the call is Forbidden.RAM
    let nobody = ram_user(&emu, "nobody", &[], &[]).await;
    fails(&ep, &nobody, ECS, "AttachInstanceRamRole", &params, "Forbidden.RAM").await;
}
