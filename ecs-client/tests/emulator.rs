//! End-to-end against the in-process `acs-emulator` (which speaks the wire protocol on its own): the Cloud
//! Assistant conveniences under V1 and V3, and the "run commands only as chosen users" procedure with the RAM
//! client — allowed as `user01`, `Forbidden.RAM` as `root`.

use std::time::Duration;

use acs_core::test_util::config_at;
use acs_core::waiter::WaiterConfig;
use acs_core::{ExposeSecret, SignatureVersion};
use acs_emulator::{Emulator, EmulatorHandle};
use ecs_client::{Client, CommandType, InstanceInvocationStatus};
use ram_policy::PolicyDocument;

const LINUX: &str = "i-emu-linux-0001";

fn config(emu: &EmulatorHandle, id: &str, secret: &str, version: SignatureVersion) -> acs_core::Config {
    config_at(&emu.endpoint_url(), id, secret, version)
}

fn root_config(emu: &EmulatorHandle, version: SignatureVersion) -> acs_core::Config {
    let root = emu.root_credentials();
    config(emu, &root.access_key_id, root.access_key_secret.expose_secret(), version)
}

fn waiter() -> WaiterConfig {
    WaiterConfig {
        initial_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(50),
        deadline: Duration::from_secs(30),
    }
}

#[tokio::test]
async fn run_and_wait_returns_decoded_output_under_v1_and_v3() {
    let emu = Emulator::builder().start().await.expect("emulator");
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let ecs = Client::from_config(&root_config(&emu, version)).expect("client");
        let instances = ecs.describe_instances().instance_ids([LINUX]).send().await.expect("describe instances");
        assert_eq!(instances.instances.len(), 1);
        assert_eq!(instances.instances[0].instance_id.as_deref(), Some(LINUX));
        let status = ecs.describe_cloud_assistant_status().instance_id(LINUX).send().await.expect("agent status");
        assert_eq!(status.instance_cloud_assistant_status_set[0].cloud_assistant_status, Some(true));

        let run = ecs
            .run_command()
            .instance_id(LINUX)
            .command_type(CommandType::RunShellScript)
            .command_content("whoami")
            .username("user01");
        let outcome = ecs.run_and_wait(run, &waiter()).await.expect("ran");
        assert_eq!(outcome.instances.len(), 1);
        assert_eq!(outcome.instances[0].status, InstanceInvocationStatus::Success);
        assert_eq!(outcome.instances[0].output, "user01\n");
        assert!(outcome.all_succeeded());
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn a_restricted_ram_user_runs_as_user01_but_not_as_root() {
    let emu = Emulator::builder().start().await.expect("emulator");
    let root = root_config(&emu, SignatureVersion::V3);
    let ram = ram_client::Client::from_config(&root).expect("ram");

    let policy = PolicyDocument::builder()
        .allow(["ecs:RunCommand"])
        .on(["acs:ecs:*:*:instance/*", "acs:ecs:*:*:command/*"])
        .when_string_equals("ecs:CommandRunAs", ["user01", "user02"])
        .build();
    ram.create_user().user_name("commandUser").send().await.expect("user");
    ram.create_policy().policy_name("commandUserPolicy").policy_document(&policy).send().await.expect("policy");
    for (name, kind) in [("commandUserPolicy", "Custom"), ("AliyunECSReadOnlyAccess", "System")] {
        ram.attach_policy_to_user()
            .user_name("commandUser")
            .policy_name(name)
            .policy_type(kind)
            .send()
            .await
            .expect("attach");
    }
    let again = ram.create_user().user_name("commandUser").send().await.expect_err("exists");
    assert!(again.is_already_exists());
    let key = ram.create_access_key().user_name("commandUser").send().await.expect("key").access_key.expect("key");
    let (id, secret) = (key.access_key_id.expect("id"), key.access_key_secret.expect("secret"));

    let as_user = Client::from_config(&config(&emu, &id, secret.expose_secret(), SignatureVersion::V3)).expect("ecs");
    let run = as_user.run_command().instance_id(LINUX).command_type("RunShellScript").command_content("whoami");
    let outcome = as_user.run_and_wait(run.clone().username("user01"), &waiter()).await.expect("allowed as user01");
    assert_eq!(outcome.instances[0].output, "user01\n");

    let denied = run.username("root").send().await.expect_err("root is denied");
    assert!(denied.is_access_denied(), "{denied}");
    assert_eq!(denied.code(), Some("Forbidden.RAM"));
    let detail = denied.service_error().and_then(|e| e.access_denied_detail.clone()).expect("detail");
    assert_eq!(detail.auth_action.as_deref(), Some("ecs:RunCommand"));

    let fetched = ram.get_policy().policy_name("commandUserPolicy").policy_type("Custom").send().await.expect("get");
    let doc = fetched.default_policy_version.and_then(|v| v.document()).expect("document").expect("parses");
    assert_eq!(doc, policy);
    emu.shutdown().await;
}
