//! Authorization comes before existence, as in the real services: a RAM user without permission asking about an
//! id that does not exist is told `Forbidden.RAM` (so it cannot probe which ids exist), and only a caller who is
//! allowed learns that the id does not exist.

mod support;

use acs_emulator::{EmulatorHandle, Seed, SeedInstance};
use support::*;

const R: &str = "cn-hangzhou";
const LINUX: &str = "i-emu-linux-0001";
const ALLOW_ALL: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

/// One probe: an operation about a missing id and the code an allowed caller gets.
struct Probe {
    version: &'static str,
    action: &'static str,
    params: Vec<(&'static str, String)>,
    not_found: &'static str,
}

fn probe(
    version: &'static str,
    action: &'static str,
    params: &[(&'static str, &str)],
    not_found: &'static str,
) -> Probe {
    Probe { version, action, params: params.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(), not_found }
}

async fn start() -> EmulatorHandle {
    let seed = Seed::demo().instance(SeedInstance::linux("i-linux-2", R).users(["user01"]));
    acs_emulator::Emulator::builder().seed(seed).start().await.expect("emulator starts")
}

/// Runs every probe as `nobody` (no policy: expects `denied_code` with HTTP 403) and as `admin` (everything
/// allowed: expects the probe's not-found code).
async fn check(emu: &EmulatorHandle, probes: &[Probe], denied_code: &str) {
    let ep = emu.endpoint_url();
    let nobody = ram_user(emu, "nobody", &[], &[]).await;
    let admin = ram_user(emu, "admin", &[], &[("allowAll", ALLOW_ALL)]).await;
    for p in probes {
        let params: Vec<(&str, &str)> = p.params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = call(&ep, &nobody, p.version, p.action, &params).await;
        assert_eq!((status, body["Code"].as_str()), (403, Some(denied_code)), "{} as nobody: {body}", p.action);
        let (status, body) = call(&ep, &admin, p.version, p.action, &params).await;
        assert_eq!(body["Code"].as_str(), Some(p.not_found), "{} as admin: HTTP {status} {body}", p.action);
        assert!(status >= 400, "{}: {status}", p.action);
    }
}

#[tokio::test]
async fn ecs_authorizes_before_looking_up_ids() {
    let emu = start().await;
    let root = Creds::root(&emu);
    let ep = emu.endpoint_url();
    let created = ok(
        &ep,
        &root,
        ECS,
        "CreateCommand",
        &[("RegionId", R), ("Name", "c"), ("Type", "RunShellScript"), ("CommandContent", "d2hvYW1p")],
    )
    .await;
    let command = created["CommandId"].as_str().unwrap_or_default().to_owned();
    let run = ok(
        &ep,
        &root,
        ECS,
        "RunCommand",
        &[("RegionId", R), ("Type", "RunShellScript"), ("CommandContent", "id"), ("InstanceId.1", LINUX)],
    )
    .await;
    let invoke = run["InvokeId"].as_str().unwrap_or_default().to_owned();
    let shell = [("RegionId", R), ("Type", "RunShellScript"), ("CommandContent", "whoami")];
    let probes = vec![
        probe(
            ECS,
            "RunCommand",
            &[shell.as_slice(), &[("InstanceId.1", "i-ghost")]].concat(),
            "InvalidInstance.NotFound",
        ),
        probe(
            ECS,
            "RunCommand",
            &[shell.as_slice(), &[("InstanceId.1", LINUX), ("InstanceId.2", "i-ghost"), ("Username", "user01")]]
                .concat(),
            "InvalidInstance.NotFound",
        ),
        probe(
            ECS,
            "InvokeCommand",
            &[("RegionId", R), ("CommandId", "c-ghost"), ("InstanceId.1", LINUX)],
            "InvalidCmdId.NotFound",
        ),
        probe(
            ECS,
            "InvokeCommand",
            &[("RegionId", R), ("CommandId", &command), ("InstanceId.1", "i-ghost")],
            "InvalidInstance.NotFound",
        ),
        probe(ECS, "StopInvocation", &[("RegionId", R), ("InvokeId", "t-ghost")], "InvalidInvokeId.NotFound"),
        probe(
            ECS,
            "StopInvocation",
            &[("RegionId", R), ("InvokeId", "t-ghost"), ("InstanceId.1", LINUX)],
            "InvalidInvokeId.NotFound",
        ),
        probe(
            ECS,
            "StopInvocation",
            &[("RegionId", R), ("InvokeId", &invoke), ("InstanceId.1", "i-ghost")],
            "InvalidInstance.NotFound",
        ),
        probe(
            ECS,
            "DescribeCloudAssistantStatus",
            &[("RegionId", R), ("InstanceId.1", "i-ghost")],
            "InvalidInstance.NotFound",
        ),
        probe(
            ECS,
            "ModifyCommand",
            &[("RegionId", R), ("CommandId", "c-ghost"), ("Name", "n")],
            "InvalidCmdId.NotFound",
        ),
        probe(ECS, "DeleteCommand", &[("RegionId", R), ("CommandId", "c-ghost")], "InvalidCmdId.NotFound"),
        probe(
            ECS,
            "DescribeInstanceRamRole",
            &[("RegionId", R), ("InstanceIds", r#"["i-ghost"]"#)],
            "InvalidInstanceId.NotFound",
        ),
        probe(
            ECS,
            "AttachInstanceRamRole",
            &[("RegionId", R), ("InstanceIds", &format!(r#"["{LINUX}"]"#)), ("RamRoleName", "GhostRole")],
            "InvalidRamRole.NotFound",
        ),
    ];
    check(&emu, &probes, "Forbidden.RAM").await;
    // nothing ran and nothing was stopped on the way
    let all = ok(&ep, &root, ECS, "DescribeInvocations", &[("RegionId", R)]).await;
    assert_eq!(all["TotalCount"], 1);
    assert_ne!(all["Invocations"]["Invocation"][0]["InvocationStatus"], "Stopped");
}

#[tokio::test]
async fn pass_role_is_decided_before_the_role_is_looked_up() {
    let emu = start().await;
    let ecs_only = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:*InstanceRamRole","Resource":"*"}]}"#;
    let user = ram_user(&emu, "ecsOnly", &[], &[("ecsRoleOps", ecs_only)]).await;
    let params = [("RegionId", R), ("InstanceIds", r#"["i-emu-linux-0001"]"#), ("RamRoleName", "GhostRole")];
    fails(&emu.endpoint_url(), &user, ECS, "AttachInstanceRamRole", &params, "InvalidUser.PassRoleForbidden").await;
}

#[tokio::test]
async fn ram_authorizes_before_looking_up_names() {
    let emu = start().await;
    let probes = vec![
        probe(RAM, "GetUser", &[("UserName", "ghost")], "EntityNotExist.User"),
        probe(RAM, "UpdateUser", &[("UserName", "ghost"), ("NewDisplayName", "g")], "EntityNotExist.User"),
        probe(RAM, "DeleteUser", &[("UserName", "ghost")], "EntityNotExist.User"),
        probe(RAM, "GetLoginProfile", &[("UserName", "ghost")], "EntityNotExist.User"),
        probe(RAM, "ListAccessKeys", &[("UserName", "ghost")], "EntityNotExist.User"),
        probe(RAM, "DeleteAccessKey", &[("UserAccessKeyId", "LTAIghost")], "EntityNotExist.User.AccessKey"),
        probe(RAM, "ListPoliciesForUser", &[("UserName", "ghost")], "EntityNotExist.User"),
        probe(RAM, "GetRole", &[("RoleName", "ghost")], "EntityNotExist.Role"),
        probe(RAM, "DeleteRole", &[("RoleName", "ghost")], "EntityNotExist.Role"),
        probe(RAM, "GetPolicy", &[("PolicyName", "ghost"), ("PolicyType", "Custom")], "EntityNotExist.Policy"),
        probe(RAM, "DeletePolicy", &[("PolicyName", "ghost")], "EntityNotExist.Policy"),
        probe(RAM, "ListPolicyVersions", &[("PolicyName", "ghost"), ("PolicyType", "Custom")], "EntityNotExist.Policy"),
        probe(
            RAM,
            "AttachPolicyToUser",
            &[("PolicyName", "allowAll"), ("PolicyType", "Custom"), ("UserName", "ghost")],
            "EntityNotExist.User",
        ),
    ];
    check(&emu, &probes, "Forbidden.RAM").await;
}

#[tokio::test]
async fn oos_and_kms_authorize_before_looking_up_names() {
    let emu = start().await;
    let probes = vec![
        probe(OOS, "GetSecretParameter", &[("RegionId", R), ("Name", "ghost")], "EntityNotExists.Parameter"),
        probe(
            OOS,
            "UpdateSecretParameter",
            &[("RegionId", R), ("Name", "ghost"), ("Value", "v")],
            "EntityNotExists.Parameter",
        ),
        probe(OOS, "DeleteSecretParameter", &[("RegionId", R), ("Name", "ghost")], "EntityNotExists.Parameter"),
        probe(KMS, "DescribeKey", &[("RegionId", R), ("KeyId", "key-ghost")], "Forbidden.KeyNotFound"),
        probe(KMS, "DisableKey", &[("RegionId", R), ("KeyId", "key-ghost")], "Forbidden.KeyNotFound"),
        probe(
            KMS,
            "Encrypt",
            &[("RegionId", R), ("KeyId", "alias/ghost"), ("Plaintext", "aGk=")],
            "Forbidden.AliasNotFound",
        ),
        probe(KMS, "DeleteAlias", &[("RegionId", R), ("AliasName", "alias/ghost")], "Forbidden.AliasNotFound"),
        probe(KMS, "GetSecretValue", &[("RegionId", R), ("SecretName", "ghost")], "Forbidden.ResourceNotFound"),
        probe(KMS, "DeleteSecret", &[("RegionId", R), ("SecretName", "ghost")], "Forbidden.ResourceNotFound"),
    ];
    check(&emu, &probes, "Forbidden.RAM").await;
}

#[tokio::test]
async fn sts_authorizes_before_looking_up_the_role() {
    let emu = start().await;
    let ghost = format!("acs:ram::{}:role/ghost", emu.account_id());
    let probes =
        vec![probe(STS, "AssumeRole", &[("RoleArn", &ghost), ("RoleSessionName", "s1")], "EntityNotExist.Role")];
    // STS answers its own code for a RAM denial
    check(&emu, &probes, "NoPermission").await;
}
