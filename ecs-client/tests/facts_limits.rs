//! ECS Cloud Assistant facts the client checks before any I/O, and the emulator's answer to the same values when
//! the client check is bypassed (so both sides agree): RunCommand `Parameters` needs `EnableParameter=true`;
//! DescribeCloudAssistantStatus takes at most 50 `InstanceId.N`.

use std::collections::BTreeMap;

use acs_core::test_util::{assert_invalid_input, config, config_at};
use acs_core::{ExposeSecret, SignatureVersion};
use acs_emulator::{Emulator, EmulatorHandle};
use ecs_client::operations::{describe_cloud_assistant_status, run_command};
use ecs_client::{
    Client, CommandType, ContentEncoding, DescribeCloudAssistantStatusRequest, DescribeCloudAssistantStatusResponse,
    RunCommandRequest, RunCommandResponse,
};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const LINUX: &str = "i-emu-linux-0001";

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("i-{i}")).collect()
}

#[tokio::test]
async fn parameters_need_enable_parameter_and_status_takes_50_instances_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let ecs = Client::from_config(&config(&server, SignatureVersion::V3)).expect("client");
    let run = || {
        ecs.run_command()
            .region_id("cn-hangzhou")
            .instance_id(LINUX)
            .command_type("RunShellScript")
            .command_content("echo {{x}}")
    };
    assert_invalid_input(run().parameter("x", "1").send().await, "Parameters");
    assert_invalid_input(run().parameter("x", "1").enable_parameter(false).send().await, "Parameters");
    let err = run().parameter("x", "1").send().await.expect_err("no EnableParameter");
    assert!(err.to_string().contains("EnableParameter"), "{err}");
    assert!(run().parameter("x", "1").enable_parameter(true).as_request().validate().is_ok());
    assert!(run().enable_parameter(false).as_request().validate().is_ok(), "no Parameters, no rule");

    let status = || ecs.describe_cloud_assistant_status().region_id("cn-hangzhou");
    assert_invalid_input(status().instance_ids(ids(51)).send().await, "InstanceId");
    assert!(status().instance_ids(ids(50)).as_request().validate().is_ok());
}

fn core(emu: &EmulatorHandle) -> acs_core::Client {
    let root = emu.root_credentials();
    let config = config_at(
        &emu.endpoint_url(),
        &root.access_key_id,
        root.access_key_secret.expose_secret(),
        SignatureVersion::V3,
    );
    acs_core::Client::new(config).expect("core client")
}

#[tokio::test]
async fn the_emulator_refuses_what_the_client_refuses() {
    let emu = Emulator::builder().start().await.expect("emulator");
    let core = core(&emu);

    let run = RunCommandRequest {
        region_id: Some("cn-hangzhou".into()),
        instance_ids: vec![LINUX.into()],
        command_type: Some(CommandType::RunShellScript),
        command_content: Some("echo {{x}}".into()),
        content_encoding: Some(ContentEncoding::PlainText),
        username: Some("root".into()),
        parameters: BTreeMap::from([("x".to_owned(), serde_json::json!("1"))]),
        ..RunCommandRequest::default()
    };
    assert!(run.validate().is_err(), "the client refuses Parameters without EnableParameter");
    let err = core.call::<_, RunCommandResponse>(&run_command::OPERATION, &run).await.expect_err("emulator refuses");
    assert_eq!(err.code(), Some("Parameter.Disabled"), "{err}");
    let enabled = RunCommandRequest { enable_parameter: Some(true), ..run };
    assert!(enabled.validate().is_ok());
    let started =
        core.call::<_, RunCommandResponse>(&run_command::OPERATION, &enabled).await.expect("emulator runs it");
    assert!(started.invoke_id.is_some_and(|id| !id.is_empty()));

    let status = DescribeCloudAssistantStatusRequest {
        region_id: Some("cn-hangzhou".into()),
        instance_ids: ids(51),
        ..DescribeCloudAssistantStatusRequest::default()
    };
    assert!(status.validate().is_err(), "the client refuses 51 instances");
    let err = core
        .call::<_, DescribeCloudAssistantStatusResponse>(&describe_cloud_assistant_status::OPERATION, &status)
        .await
        .expect_err("emulator refuses");
    assert_eq!(err.code(), Some("InstanceIds.ExceedLimit"), "{err}");
}
