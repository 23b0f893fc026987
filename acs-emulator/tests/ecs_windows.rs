//! Windows run-as: the simulated agent reads the user's password from OOS with the instance role, as the real
//! agent does, and every failure along the way shows in the invocation result.

mod support;

use acs_emulator::{Emulator, EmulatorHandle, Seed, SeedInstance};
use serde_json::Value;
use support::*;

const R: &str = "cn-hangzhou";
const WINDOWS: &str = "i-emu-windows-0001";
const ROLE: &str = "AxtSecretRamRole";
const PARAM: &str = "axtSecretPassword";
const PASSWORD: &str = "Emu-Passw0rd-user01";

async fn start() -> EmulatorHandle {
    let seed = Seed::demo()
        .instance(SeedInstance::windows("i-win-ghost", R).user_with_password("user01", PASSWORD).ram_role("GhostRole"))
        .instance(
            SeedInstance::windows("i-win-untrusted", R).user_with_password("user01", PASSWORD).ram_role("Untrusted"),
        );
    Emulator::builder().seed(seed).start().await.expect("emulator starts")
}

/// Creates a role trusted by ECS with `policy` attached (when given).
async fn role(emu: &EmulatorHandle, name: &str, policy: Option<(&str, &str)>) {
    let ep = emu.endpoint_url();
    let root = Creds::root(emu);
    let trust = ram_policy::procedure::ecs_trust_policy().to_json();
    ok(&ep, &root, RAM, "CreateRole", &[("RoleName", name), ("AssumeRolePolicyDocument", &trust)]).await;
    if let Some((policy_name, document)) = policy {
        ok(&ep, &root, RAM, "CreatePolicy", &[("PolicyName", policy_name), ("PolicyDocument", document)]).await;
        ok(
            &ep,
            &root,
            RAM,
            "AttachPolicyToRole",
            &[("RoleName", name), ("PolicyName", policy_name), ("PolicyType", "Custom")],
        )
        .await;
    }
}

async fn attach(emu: &EmulatorHandle, instance: &str, role: &str) {
    let ids = format!(r#"["{instance}"]"#);
    let body = ok(
        &emu.endpoint_url(),
        &Creds::root(emu),
        ECS,
        "AttachInstanceRamRole",
        &[("RegionId", R), ("InstanceIds", &ids), ("RamRoleName", role)],
    )
    .await;
    assert_eq!(body["FailCount"], 0, "{body}");
}

async fn parameter(emu: &EmulatorHandle, region: &str, value: &str, key: Option<&str>) {
    let mut params = vec![("RegionId", region), ("Name", PARAM), ("Value", value)];
    if let Some(k) = key {
        params.push(("KeyId", k));
    }
    ok(&emu.endpoint_url(), &Creds::root(emu), OOS, "CreateSecretParameter", &params).await;
}

/// The full Windows setup of the procedure, as root.
async fn procedure(emu: &EmulatorHandle) {
    let policy = ram_policy::procedure::instance_role_policy().to_json();
    role(emu, ROLE, Some(("instanceRolePolicy", &policy))).await;
    attach(emu, WINDOWS, ROLE).await;
    parameter(emu, R, PASSWORD, None).await;
}

/// RunCommand as root of the account; returns the single PlainText result.
async fn run(emu: &EmulatorHandle, instance: &str, user: &str, password_name: Option<&str>) -> Value {
    let ep = emu.endpoint_url();
    let root = Creds::root(emu);
    let mut params = vec![
        ("RegionId", R),
        ("Type", "RunPowerShellScript"),
        ("InstanceId.1", instance),
        ("CommandContent", "whoami"),
    ];
    params.push(("Username", user));
    if let Some(p) = password_name {
        params.push(("WindowsPasswordName", p));
    }
    let body = ok(&ep, &root, ECS, "RunCommand", &params).await;
    let id = body["InvokeId"].as_str().unwrap_or_default().to_owned();
    let body = ok(
        &ep,
        &root,
        ECS,
        "DescribeInvocationResults",
        &[("RegionId", R), ("InvokeId", &id), ("ContentEncoding", "PlainText")],
    )
    .await;
    body["Invocation"]["InvocationResults"]["InvocationResult"][0].clone()
}

fn assert_failure(result: &Value, code: &str, info_contains: &str) {
    assert_eq!(result["InvocationStatus"], "Failed", "{result}");
    assert_eq!(result["ErrorCode"], code, "{result}");
    let info = result["ErrorInfo"].as_str().unwrap_or_default();
    assert!(info.contains(info_contains), "ErrorInfo {info:?} should mention {info_contains:?}");
    assert!(!info.contains(PASSWORD), "the password leaked into ErrorInfo");
}

#[tokio::test]
async fn user01_runs_with_the_password_from_oos() {
    let emu = start().await;
    procedure(&emu).await;
    let r = run(&emu, WINDOWS, "user01", Some(PARAM)).await;
    assert_eq!(r["InvocationStatus"], "Success", "{r}");
    assert_eq!(r["Output"], "demo-windows\\user01\n", "whoami prints lower-case host\\user");
    // user names are case-insensitive on Windows
    let r = run(&emu, WINDOWS, "USER01", Some(PARAM)).await;
    assert_eq!(r["InvocationStatus"], "Success", "{r}");
    // System needs no password
    let r = run(&emu, WINDOWS, "System", None).await;
    assert_eq!(r["Output"], "nt authority\\system\n");
}

#[tokio::test]
async fn whoami_names_the_computer_by_its_15_character_netbios_name() {
    let seed = Seed::demo().instance(
        SeedInstance::windows("i-win-long", R).named("Windows-Server-2022-Prod").user_with_password("user01", PASSWORD),
    );
    let emu = Emulator::builder().seed(seed).start().await.expect("emulator starts");
    procedure(&emu).await;
    attach(&emu, "i-win-long", ROLE).await;
    let r = run(&emu, "i-win-long", "user01", Some(PARAM)).await;
    assert_eq!(r["InvocationStatus"], "Success", "{r}");
    assert_eq!(r["Output"], "windows-server-\\user01\n", "Windows truncates the computer name to 15 characters");
}

#[tokio::test]
async fn missing_password_name_fails_with_parameter_failed() {
    let emu = start().await;
    procedure(&emu).await;
    assert_failure(&run(&emu, WINDOWS, "user01", None).await, "ParameterFailed", "WindowsPasswordName");
}

#[tokio::test]
async fn no_role_attached_fails_with_role_name_failed() {
    let emu = start().await;
    parameter(&emu, R, PASSWORD, None).await;
    assert_failure(&run(&emu, WINDOWS, "user01", Some(PARAM)).await, "RoleNameFailed", "no RAM role is attached");
}

#[tokio::test]
async fn unknown_or_untrusted_roles_fail_with_role_name_failed() {
    let emu = start().await;
    parameter(&emu, R, PASSWORD, None).await;
    assert_failure(&run(&emu, "i-win-ghost", "user01", Some(PARAM)).await, "RoleNameFailed", "does not exist");
    let account_trust = format!(
        r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{{"RAM":["acs:ram::{}:root"]}}}}]}}"#,
        emu.account_id()
    );
    ok(
        &emu.endpoint_url(),
        &Creds::root(&emu),
        RAM,
        "CreateRole",
        &[("RoleName", "Untrusted"), ("AssumeRolePolicyDocument", &account_trust)],
    )
    .await;
    assert_failure(&run(&emu, "i-win-untrusted", "user01", Some(PARAM)).await, "RoleNameFailed", "ecs.aliyuncs.com");
}

#[tokio::test]
async fn role_without_oos_or_kms_permission_fails_with_parameter_failed() {
    let emu = start().await;
    let kms_only = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"kms:GetSecretValue","Resource":"*"}]}"#;
    role(&emu, ROLE, Some(("kmsOnly", kms_only))).await;
    attach(&emu, WINDOWS, ROLE).await;
    parameter(&emu, R, PASSWORD, None).await;
    assert_failure(&run(&emu, WINDOWS, "user01", Some(PARAM)).await, "ParameterFailed", "oos:GetSecretParameter");

    let emu = start().await;
    let oos_only =
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"oos:GetSecretParameter","Resource":"*"}]}"#;
    role(&emu, ROLE, Some(("oosOnly", oos_only))).await;
    attach(&emu, WINDOWS, ROLE).await;
    parameter(&emu, R, PASSWORD, None).await;
    assert_failure(&run(&emu, WINDOWS, "user01", Some(PARAM)).await, "ParameterFailed", "kms:GetSecretValue");

    let emu = start().await;
    role(&emu, ROLE, None).await;
    attach(&emu, WINDOWS, ROLE).await;
    parameter(&emu, R, PASSWORD, None).await;
    assert_failure(&run(&emu, WINDOWS, "user01", Some(PARAM)).await, "ParameterFailed", "not allowed");
}

#[tokio::test]
async fn parameter_missing_or_in_another_region_fails_with_parameter_failed() {
    let emu = start().await;
    let policy = ram_policy::procedure::instance_role_policy().to_json();
    role(&emu, ROLE, Some(("instanceRolePolicy", &policy))).await;
    attach(&emu, WINDOWS, ROLE).await;
    assert_failure(&run(&emu, WINDOWS, "user01", Some(PARAM)).await, "ParameterFailed", "does not exist");
    parameter(&emu, "cn-shanghai", PASSWORD, None).await;
    assert_failure(&run(&emu, WINDOWS, "user01", Some(PARAM)).await, "ParameterFailed", "cn-hangzhou");
}

#[tokio::test]
async fn undecryptable_parameter_fails_with_parameter_failed() {
    let emu = start().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let policy = ram_policy::procedure::instance_role_policy().to_json();
    role(&emu, ROLE, Some(("instanceRolePolicy", &policy))).await;
    attach(&emu, WINDOWS, ROLE).await;
    let key = ok(&ep, &root, KMS, "CreateKey", &[("RegionId", R)]).await;
    let key_id = key["KeyMetadata"]["KeyId"].as_str().unwrap_or_default().to_owned();
    parameter(&emu, R, PASSWORD, Some(&key_id)).await;
    assert_eq!(run(&emu, WINDOWS, "user01", Some(PARAM)).await["InvocationStatus"], "Success");
    ok(&ep, &root, KMS, "DisableKey", &[("RegionId", R), ("KeyId", &key_id)]).await;
    assert_failure(&run(&emu, WINDOWS, "user01", Some(PARAM)).await, "ParameterFailed", "could not be decrypted");
}

#[tokio::test]
async fn wrong_password_and_unknown_user() {
    let emu = start().await;
    let policy = ram_policy::procedure::instance_role_policy().to_json();
    role(&emu, ROLE, Some(("instanceRolePolicy", &policy))).await;
    attach(&emu, WINDOWS, ROLE).await;
    parameter(&emu, R, "not-the-password", None).await;
    assert_failure(
        &run(&emu, WINDOWS, "user01", Some(PARAM)).await,
        "UsernameOrPasswordInvalid_user01",
        "not the logon password",
    );
    assert_failure(&run(&emu, WINDOWS, "user03", Some(PARAM)).await, "UserInvalid_user03", "does not exist");
    // fixing the parameter (a new version) fixes the run
    ok(
        &emu.endpoint_url(),
        &Creds::root(&emu),
        OOS,
        "UpdateSecretParameter",
        &[("RegionId", R), ("Name", PARAM), ("Value", PASSWORD)],
    )
    .await;
    assert_eq!(run(&emu, WINDOWS, "user01", Some(PARAM)).await["InvocationStatus"], "Success");
}
