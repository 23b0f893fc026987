//! Principals and authorization: RAM users evaluated against their policies, Forbidden.RAM details, STS
//! AssumeRole (permission AND trust), temporary credentials and their failures, instance-role sessions.

mod support;

use acs_emulator::{Emulator, Seed, SeedInstance};
use base64::Engine as _;
use support::*;

const READ_USERS: &str =
    r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ram:GetUser","ram:ListUsers"],"Resource":"*"}]}"#;
const DENY_BOB: &str =
    r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"ram:GetUser","Resource":"acs:ram:*:*:user/bob"}]}"#;
const ASSUME_ANY: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}]}"#;

fn trust_account(account: &str) -> String {
    format!(
        r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{{"RAM":["acs:ram::{account}:root"]}}}}]}}"#
    )
}

const TRUST_ECS: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":["ecs.aliyuncs.com"]}}]}"#;

#[tokio::test]
async fn ram_user_without_permission_gets_forbidden_ram_with_detail() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let alice = ram_user(&emu, "alice", &[], &[]).await;
    let (status, body) = call(&ep, &alice, RAM, "ListUsers", &[]).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["Code"], "Forbidden.RAM");
    assert!(body["Message"].as_str().unwrap_or_default().contains("not authorized"));
    let d = &body["AccessDeniedDetail"];
    assert_eq!(d["AuthAction"], "ram:ListUsers");
    assert_eq!(d["AuthPrincipalType"], "SubUser");
    assert_eq!(d["AuthPrincipalOwnerId"], emu.account_id());
    assert_eq!(d["AuthPrincipalDisplayName"], "alice");
    assert_eq!(d["NoPermissionType"], "ImplicitDeny");
    assert_eq!(d["PolicyType"], "AccountLevelIdentityBasedPolicy");
    let diag = base64::engine::general_purpose::STANDARD
        .decode(d["EncodedDiagnosticMessage"].as_str().unwrap_or_default())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    assert!(diag.contains("ram:ListUsers"), "{diag}");
}

#[tokio::test]
async fn policies_allow_and_explicit_deny_wins() {
    let emu = start_demo().await;
    let (ep, root) = (emu.endpoint_url(), Creds::root(&emu));
    ok(&ep, &root, RAM, "CreateUser", &[("UserName", "bob")]).await;
    let reader = ram_user(&emu, "reader", &[], &[("readUsers", READ_USERS), ("denyBob", DENY_BOB)]).await;
    let listed = ok(&ep, &reader, RAM, "ListUsers", &[]).await;
    assert_eq!(listed["Users"]["User"].as_array().map(Vec::len), Some(2));
    ok(&ep, &reader, RAM, "GetUser", &[("UserName", "reader")]).await;
    let body = fails(&ep, &reader, RAM, "GetUser", &[("UserName", "bob")], "Forbidden.RAM").await;
    assert_eq!(body["AccessDeniedDetail"]["NoPermissionType"], "ExplicitDeny");
    // Not allowed to write; the user is not created.
    fails(&ep, &reader, RAM, "CreateUser", &[("UserName", "eve")], "Forbidden.RAM").await;
    fails(&ep, &root, RAM, "GetUser", &[("UserName", "eve")], "EntityNotExist.User").await;
    // A policy change applies to the next call (default version switch).
    ok(
        &ep,
        &root,
        RAM,
        "CreatePolicyVersion",
        &[("PolicyName", "denyBob"), ("PolicyDocument", READ_USERS), ("SetAsDefault", "true")],
    )
    .await;
    ok(&ep, &reader, RAM, "GetUser", &[("UserName", "bob")]).await;
}

#[tokio::test]
async fn assume_role_needs_permission_and_trust() {
    let emu = start_demo().await;
    let (ep, root) = (emu.endpoint_url(), Creds::root(&emu));
    let account = emu.account_id().to_owned();
    let trust = trust_account(&account);
    ok(&ep, &root, RAM, "CreateRole", &[("RoleName", "reader-role"), ("AssumeRolePolicyDocument", &trust)]).await;
    ok(&ep, &root, RAM, "CreatePolicy", &[("PolicyName", "readUsers"), ("PolicyDocument", READ_USERS)]).await;
    ok(
        &ep,
        &root,
        RAM,
        "AttachPolicyToRole",
        &[("RoleName", "reader-role"), ("PolicyName", "readUsers"), ("PolicyType", "Custom")],
    )
    .await;
    ok(&ep, &root, RAM, "CreateRole", &[("RoleName", "ecs-only"), ("AssumeRolePolicyDocument", TRUST_ECS)]).await;
    let arn = format!("acs:ram::{account}:role/reader-role");

    // Without sts:AssumeRole permission.
    let nobody = ram_user(&emu, "nobody", &[], &[]).await;
    let body =
        fails(&ep, &nobody, STS, "AssumeRole", &[("RoleArn", &arn), ("RoleSessionName", "s1")], "NoPermission").await;
    assert_eq!(body["AccessDeniedDetail"]["AuthAction"], "sts:AssumeRole");

    // With permission; trusted.
    let caller = ram_user(&emu, "caller", &[], &[("assumeAny", ASSUME_ANY)]).await;
    let assumed = ok(
        &ep,
        &caller,
        STS,
        "AssumeRole",
        &[("RoleArn", &arn), ("RoleSessionName", "session-1"), ("DurationSeconds", "900")],
    )
    .await;
    assert_eq!(assumed["AssumedRoleUser"]["Arn"], format!("acs:ram::{account}:assumed-role/reader-role/session-1"));
    assert!(assumed["AssumedRoleUser"]["AssumedRoleId"].as_str().is_some_and(|id| id.ends_with(":session-1")));
    let creds = &assumed["Credentials"];
    assert!(creds["AccessKeyId"].as_str().is_some_and(|k| k.starts_with("STS.")));
    assert!(creds["Expiration"].as_str().is_some_and(|e| acs_signer::parse_timestamp(e).is_some()));
    let session = Creds::from_assume_role(&assumed);
    let me = ok(&ep, &session, STS, "GetCallerIdentity", &[]).await;
    assert_eq!(me["IdentityType"], "AssumedRoleUser");
    // The session has the role's permissions, not the caller's.
    ok(&ep, &session, RAM, "ListUsers", &[]).await;
    let body = fails(&ep, &session, RAM, "CreateUser", &[("UserName", "x")], "Forbidden.RAM").await;
    assert_eq!(body["AccessDeniedDetail"]["AuthPrincipalType"], "AssumedRoleUser");
    assert_eq!(body["AccessDeniedDetail"]["AuthPrincipalDisplayName"], "reader-role:session-1");

    // A session policy narrows the session.
    let narrow = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ram:GetUser","Resource":"*"}]}"#;
    let assumed =
        ok(&ep, &caller, STS, "AssumeRole", &[("RoleArn", &arn), ("RoleSessionName", "narrow"), ("Policy", narrow)])
            .await;
    let narrow_session = Creds::from_assume_role(&assumed);
    ok(&ep, &narrow_session, RAM, "GetUser", &[("UserName", "caller")]).await;
    fails(&ep, &narrow_session, RAM, "ListUsers", &[], "Forbidden.RAM").await;

    // Not trusted / bad parameters / unknown role.
    let ecs_arn = format!("acs:ram::{account}:role/ecs-only");
    fails(&ep, &caller, STS, "AssumeRole", &[("RoleArn", &ecs_arn), ("RoleSessionName", "s2")], "NoPermission").await;
    fails(
        &ep,
        &caller,
        STS,
        "AssumeRole",
        &[("RoleArn", &arn), ("RoleSessionName", "s3"), ("DurationSeconds", "899")],
        "InvalidParameter.DurationSeconds",
    )
    .await;
    fails(
        &ep,
        &caller,
        STS,
        "AssumeRole",
        &[("RoleArn", &arn), ("RoleSessionName", "s3"), ("DurationSeconds", "3601")],
        "InvalidParameter.DurationSeconds",
    )
    .await;
    let ghost = format!("acs:ram::{account}:role/ghost");
    fails(&ep, &caller, STS, "AssumeRole", &[("RoleArn", &ghost), ("RoleSessionName", "s4")], "EntityNotExist.Role")
        .await;
    fails(
        &ep,
        &caller,
        STS,
        "AssumeRole",
        &[("RoleArn", "role/x"), ("RoleSessionName", "s4")],
        "InvalidParameter.RoleArn",
    )
    .await;
    fails(&ep, &caller, STS, "AssumeRole", &[("RoleArn", &arn)], "MissingParameter").await;
    // The account root may not assume roles.
    fails(&ep, &root, STS, "AssumeRole", &[("RoleArn", &arn), ("RoleSessionName", "s5")], "NoPermission").await;
}

#[tokio::test]
async fn temporary_credentials_fail_when_expired_or_tampered() {
    let emu = start_demo().await;
    let (ep, root) = (emu.endpoint_url(), Creds::root(&emu));
    let trust = trust_account(emu.account_id());
    ok(&ep, &root, RAM, "CreateRole", &[("RoleName", "r"), ("AssumeRolePolicyDocument", &trust)]).await;
    let caller = ram_user(&emu, "caller", &[], &[("assumeAny", ASSUME_ANY)]).await;
    let arn = format!("acs:ram::{}:role/r", emu.account_id());
    let a = Creds::from_assume_role(
        &ok(&ep, &caller, STS, "AssumeRole", &[("RoleArn", &arn), ("RoleSessionName", "sa")]).await,
    );
    let b = Creds::from_assume_role(
        &ok(&ep, &caller, STS, "AssumeRole", &[("RoleArn", &arn), ("RoleSessionName", "sb")]).await,
    );
    for style in [Style::V3, Style::V1Post] {
        assert_eq!(call_with(style, &ep, &a, STS, "GetCallerIdentity", &[]).await.0, 200);
        let mut no_token = a.clone();
        no_token.token = None;
        let (status, body) = call_with(style, &ep, &no_token, STS, "GetCallerIdentity", &[]).await;
        assert_eq!((status, body["Code"].as_str()), (400, Some("MissingSecurityToken")), "{style:?}");
        let mut garbage = a.clone();
        garbage.token = Some("CAISgarbage".into());
        let (_, body) = call_with(style, &ep, &garbage, STS, "GetCallerIdentity", &[]).await;
        assert_eq!(body["Code"], "InvalidSecurityToken.Malformed", "{style:?}");
        let mut swapped = a.clone();
        swapped.token = b.token.clone();
        let (_, body) = call_with(style, &ep, &swapped, STS, "GetCallerIdentity", &[]).await;
        assert_eq!(body["Code"], "InvalidSecurityToken.MismatchWithAccessKey", "{style:?}");
    }
    let unknown = Creds { id: "STS.unknown".into(), secret: "s".into(), token: Some("CAISx".into()) };
    fails(&ep, &unknown, STS, "GetCallerIdentity", &[], "InvalidAccessKeyId.NotFound").await;
    assert!(emu.shared().lock().sts.expire(&a.id, acs_emulator::ids::now_unix()));
    fails(&ep, &a, STS, "GetCallerIdentity", &[], "InvalidSecurityToken.Expired").await;
    ok(&ep, &b, STS, "GetCallerIdentity", &[]).await;
}

#[tokio::test]
async fn instance_role_sessions_need_an_attached_role_trusting_ecs() {
    let seed = Seed::demo()
        .instance(SeedInstance::linux("i-with-role", "cn-hangzhou").ram_role("AgentRole"))
        .instance(SeedInstance::linux("i-untrusted", "cn-hangzhou").ram_role("UserRole"));
    let emu = Emulator::builder().seed(seed).start().await.expect("starts");
    let (ep, root) = (emu.endpoint_url(), Creds::root(&emu));
    assert!(emu.issue_role_session_for_instance("i-with-role").is_none(), "role does not exist yet");
    ok(&ep, &root, RAM, "CreateRole", &[("RoleName", "AgentRole"), ("AssumeRolePolicyDocument", TRUST_ECS)]).await;
    let trust = trust_account(emu.account_id());
    ok(&ep, &root, RAM, "CreateRole", &[("RoleName", "UserRole"), ("AssumeRolePolicyDocument", &trust)]).await;
    assert!(emu.issue_role_session_for_instance("i-untrusted").is_none(), "role does not trust ECS");
    assert!(emu.issue_role_session_for_instance("i-emu-linux-0001").is_none(), "no role attached");
    let temp = emu.issue_role_session_for_instance("i-with-role").expect("session");
    assert!(!format!("{temp:?}").contains(secrecy::ExposeSecret::expose_secret(&temp.access_key_secret)));
    let session = Creds::temp(&temp);
    let me = ok(&ep, &session, STS, "GetCallerIdentity", &[]).await;
    assert_eq!(me["Arn"], format!("acs:ram::{}:assumed-role/AgentRole/instance-i-with-role", emu.account_id()));
    fails(&ep, &session, RAM, "ListUsers", &[], "Forbidden.RAM").await;
}
