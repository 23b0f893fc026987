//! Hand-written tests of the Cloud Assistant conveniences: plain-text content, generated ClientToken, the
//! invocation waiter, run_and_wait, pagination, error responses, unknown enum values and client-side limits.

use std::time::Duration;

use acs_core::test_util::{assert_invalid_input, config, params};
use acs_core::waiter::WaiterConfig;
use acs_core::{Error, RetryConfig, SignatureVersion};
use ecs_client::{
    Client, CommandType, ContentEncoding, InstanceInvocationStatus, InvocationErrorCode, InvokeRecordStatus,
    RepeatMode, Tag,
};
use futures::TryStreamExt as _;
use serde_json::json;
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::from_config(&config(server, SignatureVersion::V3)).expect("client")
}

fn fast_retry() -> RetryConfig {
    RetryConfig { max_attempts: 3, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(5) }
}

fn fast_waiter(deadline: Duration) -> WaiterConfig {
    WaiterConfig { initial_delay: Duration::from_millis(1), max_delay: Duration::from_millis(5), deadline }
}

fn action(name: &str) -> wiremock::matchers::HeaderExactMatcher {
    header("x-acs-action", name)
}

fn b64(text: &str) -> String {
    acs_core::params::base64_text(text)
}

fn results_body(entries: &[(&str, &str, Option<i64>, &str, &str)]) -> serde_json::Value {
    let results: Vec<_> = entries
        .iter()
        .map(|(instance, status, exit, error_code, output)| {
            json!({
                "InstanceId": instance, "InvocationStatus": status, "ExitCode": exit, "ErrorCode": error_code,
                "ErrorInfo": if error_code.is_empty() { "" } else { "the command exited with a non-zero code" },
                "Output": b64(output), "Dropped": 0, "InvokeId": "t-1", "Username": "user01",
                "InvokeRecordStatus": if *status == "Running" { "Running" } else { "Finished" }
            })
        })
        .collect();
    json!({"RequestId": "r", "Invocation": {"InvocationResults": {"InvocationResult": results}, "TotalCount": entries.len(), "NextToken": ""}})
}

#[tokio::test]
async fn run_command_sends_plain_text_as_base64_with_a_generated_client_token_and_the_username() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"RequestId": "r", "InvokeId": "t-1", "CommandId": "c-1"})),
        )
        .expect(2)
        .mount(&server)
        .await;
    let ecs = client(&server);
    for _ in 0..2 {
        let resp = ecs
            .run_command()
            .instance_ids(["i-1", "i-2"])
            .command_type(CommandType::RunShellScript)
            .command_content("echo 'hello world' && whoami")
            .username("user01")
            .send()
            .await
            .expect("sent");
        assert_eq!(resp.invoke_id.as_deref(), Some("t-1"));
    }
    let sent = params(&server).await;
    let first = &sent[0];
    assert_eq!(first.get("RegionId").map(String::as_str), Some("cn-hangzhou"), "region defaults to the config");
    assert_eq!(first.get("CommandContent"), Some(&b64("echo 'hello world' && whoami")));
    assert_eq!(first.get("ContentEncoding").map(String::as_str), Some("Base64"));
    assert_eq!(first.get("Username").map(String::as_str), Some("user01"));
    assert_eq!(first.get("Type").map(String::as_str), Some("RunShellScript"));
    assert_eq!(first.get("InstanceId.1").map(String::as_str), Some("i-1"));
    assert_eq!(first.get("InstanceId.2").map(String::as_str), Some("i-2"));
    assert!(!first.contains_key("KeepCommand") && !first.contains_key("Timeout"), "absent fields are omitted");
    let token1 = first.get("ClientToken").expect("a ClientToken is generated");
    let token2 = sent[1].get("ClientToken").expect("a ClientToken is generated");
    assert_eq!(token1.len(), 36);
    assert!(token1.is_ascii());
    assert_ne!(token1, token2, "a fresh token per call");
}

#[tokio::test]
async fn an_explicit_client_token_and_raw_content_are_kept() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"RequestId": "r", "InvokeId": "t-1"})))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .run_command()
        .instance_id("i-1")
        .command_type("RunShellScript")
        .command_content_raw("whoami")
        .content_encoding(ContentEncoding::PlainText)
        .client_token("my-token-1")
        .send()
        .await
        .expect("sent");
    let sent = params(&server).await;
    assert_eq!(sent[0].get("ClientToken").map(String::as_str), Some("my-token-1"));
    assert_eq!(sent[0].get("CommandContent").map(String::as_str), Some("whoami"));
    assert_eq!(sent[0].get("ContentEncoding").map(String::as_str), Some("PlainText"));
}

#[tokio::test]
async fn waiter_polls_until_every_instance_is_terminal_and_decodes_output() {
    let server = MockServer::start().await;
    let running = results_body(&[("i-1", "Running", None, "", ""), ("i-2", "Pending", None, "", "")]);
    Mock::given(method("POST"))
        .and(action("DescribeInvocationResults"))
        .respond_with(ResponseTemplate::new(200).set_body_json(running))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    let done = results_body(&[
        ("i-1", "Success", Some(0), "", "user01\n"),
        ("i-2", "Failed", Some(1), "ExitCodeNonzero", "oops\n"),
    ]);
    Mock::given(method("POST"))
        .and(action("DescribeInvocationResults"))
        .respond_with(ResponseTemplate::new(200).set_body_json(done))
        .expect(1)
        .mount(&server)
        .await;
    let outcome = client(&server)
        .wait_for_invocation_with("cn-hangzhou", "t-1", &fast_waiter(Duration::from_secs(30)))
        .await
        .expect("finished");
    assert_eq!(outcome.invoke_id, "t-1");
    assert_eq!(outcome.instances.len(), 2);
    let ok = &outcome.instances[0];
    assert_eq!(ok.status, InstanceInvocationStatus::Success);
    assert_eq!(ok.exit_code, Some(0));
    assert_eq!(ok.output, "user01\n");
    assert_eq!(ok.error_code, None, "an empty ErrorCode is no error");
    assert!(ok.succeeded());
    let failed = &outcome.instances[1];
    assert_eq!(failed.status, InstanceInvocationStatus::Failed);
    assert_eq!(failed.exit_code, Some(1));
    assert_eq!(failed.error_code, Some(InvocationErrorCode::ExitCodeNonzero));
    assert_eq!(failed.error_info.as_deref(), Some("the command exited with a non-zero code"));
    assert_eq!(failed.output, "oops\n");
    assert!(!outcome.all_succeeded());
    for p in params(&server).await {
        assert_eq!(p.get("InvokeId").map(String::as_str), Some("t-1"));
        assert_eq!(p.get("ContentEncoding").map(String::as_str), Some("Base64"));
    }
}

#[tokio::test]
async fn waiter_gives_up_at_the_deadline_with_the_last_state() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(results_body(&[("i-1", "Running", None, "", "")])))
        .mount(&server)
        .await;
    let err = client(&server)
        .wait_for_invocation_with("cn-hangzhou", "t-1", &fast_waiter(Duration::from_millis(30)))
        .await
        .expect_err("deadline");
    match err {
        Error::WaiterTimeout { last_state, .. } => assert!(last_state.contains("i-1=Running"), "{last_state}"),
        other => panic!("expected WaiterTimeout, got {other:?}"),
    }
}

#[tokio::test]
async fn waiter_stops_on_a_service_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            json!({"RequestId": "r", "Code": "InvalidInvokeId.NotFound", "Message": "no such invocation"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .wait_for_invocation_with("cn-hangzhou", "t-404", &fast_waiter(Duration::from_secs(30)))
        .await
        .expect_err("not found");
    assert_eq!(err.code(), Some("InvalidInvokeId.NotFound"));
}

#[tokio::test]
async fn run_and_wait_runs_then_waits() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(action("RunCommand"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"RequestId": "r", "InvokeId": "t-9", "CommandId": "c-9"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(action("DescribeInvocationResults"))
        .respond_with(ResponseTemplate::new(200).set_body_json(results_body(&[(
            "i-1",
            "Success",
            Some(0),
            "",
            "user01\n",
        )])))
        .expect(1)
        .mount(&server)
        .await;
    let ecs = client(&server);
    let run = ecs
        .run_command()
        .instance_id("i-1")
        .command_type("RunShellScript")
        .command_content("whoami")
        .username("user01");
    let outcome = ecs.run_and_wait(run, &fast_waiter(Duration::from_secs(30))).await.expect("done");
    assert_eq!(outcome.invoke_id, "t-9");
    assert!(outcome.all_succeeded());
    assert_eq!(outcome.instances[0].output, "user01\n");
    let sent = params(&server).await;
    assert_eq!(sent[1].get("InvokeId").map(String::as_str), Some("t-9"));
}

#[tokio::test]
async fn forbidden_ram_carries_the_access_denied_detail() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "RequestId": "req-403", "HostId": "ecs.aliyuncs.com", "Code": "Forbidden.RAM",
            "Message": "User not authorized to operate on the specified resource, or this API doesn't support RAM.",
            "Recommend": "https://api.aliyun.com/troubleshoot?q=Forbidden.RAM",
            "AccessDeniedDetail": {"AuthAction": "ecs:RunCommand", "AuthPrincipalType": "SubUser",
                "AuthPrincipalOwnerId": "1234567890123456", "AuthPrincipalDisplayName": "commandUser",
                "NoPermissionType": "ImplicitDeny", "PolicyType": "AccountLevelIdentityBasedPolicy",
                "EncodedDiagnosticMessage": "AQEAAAAA"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .run_command()
        .instance_id("i-1")
        .command_type("RunShellScript")
        .command_content("whoami")
        .username("root")
        .send()
        .await
        .expect_err("denied");
    assert!(err.is_access_denied());
    assert_eq!(err.code(), Some("Forbidden.RAM"));
    assert_eq!(err.request_id(), Some("req-403"));
    let detail = err.service_error().and_then(|s| s.access_denied_detail.clone()).expect("detail parsed");
    assert_eq!(detail.auth_action.as_deref(), Some("ecs:RunCommand"));
    assert_eq!(detail.no_permission_type.as_deref(), Some("ImplicitDeny"));
}

#[tokio::test]
async fn throttling_is_retried_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"RequestId": "r1", "Code": "Throttling.User", "Message": "Request was denied due to user flow control."})))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"RequestId": "r2", "Regions": {"Region": [{"RegionId": "cn-hangzhou", "LocalName": "China (Hangzhou)"}]}})))
        .expect(1)
        .mount(&server)
        .await;
    let ecs = Client::from_config(
        &config(&server, SignatureVersion::V3).to_builder().retry(fast_retry()).build().expect("config"),
    )
    .expect("client");
    let regions = ecs.describe_regions().send().await.expect("retried");
    assert_eq!(regions.request_id.as_deref(), Some("r2"));
    assert_eq!(regions.regions[0].region_id.as_deref(), Some("cn-hangzhou"));
}

#[tokio::test]
async fn unknown_enum_values_are_kept() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"RequestId": "r", "Invocation": {"InvocationResults": {"InvocationResult": [
            {"InstanceId": "i-1", "InvocationStatus": "Hibernating", "InvokeRecordStatus": "Paused", "ErrorCode": "QuantumFlux", "ExitCode": "3"}
        ]}}})))
        .mount(&server)
        .await;
    let resp = client(&server).describe_invocation_results().invoke_id("t-1").send().await.expect("parsed");
    let r = &resp.invocation.expect("page").invocation_results[0];
    assert_eq!(r.invocation_status, Some(InstanceInvocationStatus::Unknown("Hibernating".into())));
    assert_eq!(r.invoke_record_status, Some(InvokeRecordStatus::Unknown("Paused".into())));
    assert_eq!(r.error_code.as_ref().map(|c| c.as_str()), Some("QuantumFlux"));
    assert_eq!(r.exit_code, Some(3), "numbers sent as strings parse");
    assert!(!InstanceInvocationStatus::Unknown("Hibernating".into()).is_terminal());
}

#[tokio::test]
async fn invocation_results_paginate_with_next_token() {
    let server = MockServer::start().await;
    let page = |ids: &[&str], next: &str| {
        json!({"RequestId": "r", "Invocation": {"NextToken": next, "InvocationResults": {"InvocationResult":
            ids.iter().map(|i| json!({"InstanceId": i, "InvocationStatus": "Success"})).collect::<Vec<_>>()}}})
    };
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["i-1", "i-2"], "tok-2")))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["i-3"], "")))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let items: Vec<_> = client(&server)
        .describe_invocation_results()
        .invoke_id("t-1")
        .max_results(2)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .expect("all pages");
    let ids: Vec<_> = items.iter().filter_map(|r| r.instance_id.clone()).collect();
    assert_eq!(ids, ["i-1", "i-2", "i-3"]);
    let sent = params(&server).await;
    assert_eq!(sent.len(), 2);
    assert!(!sent[0].contains_key("NextToken"));
    assert_eq!(sent[1].get("NextToken").map(String::as_str), Some("tok-2"));
    assert_eq!(sent[1].get("MaxResults").map(String::as_str), Some("2"));
}

#[tokio::test]
async fn describe_instance_ram_role_paginates_by_page_number() {
    let server = MockServer::start().await;
    for (n, ids) in [(1, vec!["i-1", "i-2"]), (2, vec!["i-3"])] {
        let sets: Vec<_> = ids.iter().map(|i| json!({"InstanceId": i, "RamRoleName": "AxtSecretRamRole"})).collect();
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"RequestId": format!("r{n}"), "TotalCount": 3, "InstanceRamRoleSets": {"InstanceRamRoleSet": sets}})))
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    let roles: Vec<_> = client(&server)
        .describe_instance_ram_role()
        .page_size(2)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(roles.len(), 3);
    let sent = params(&server).await;
    assert_eq!(sent.len(), 2, "stops after TotalCount");
    assert_eq!(sent[1].get("PageNumber").map(String::as_str), Some("2"));
}

#[tokio::test]
async fn documented_limits_are_enforced_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let ecs = client(&server);
    let base = || {
        ecs.run_command()
            .region_id("cn-hangzhou")
            .instance_id("i-1")
            .command_type("RunShellScript")
            .command_content("whoami")
    };
    let many: Vec<String> = (0..101).map(|i| format!("i-{i}")).collect();
    assert_invalid_input(
        ecs.run_command().instance_ids(&many).command_type("RunShellScript").command_content("x").send().await,
        "InstanceId",
    );
    assert_invalid_input(
        ecs.run_command().command_type("RunShellScript").command_content("x").send().await,
        "InstanceId",
    );
    assert_invalid_input(
        ecs.run_command().instance_id("i-1").command_type("RunShellScript").send().await,
        "CommandContent",
    );
    assert_invalid_input(ecs.run_command().instance_id("i-1").command_content("x").send().await, "Type");
    // 24 KB after Base64: 18,432 plain bytes encode to exactly 24,576
    assert!(base().command_content("a".repeat(18_432)).as_request().validate().is_ok());
    assert_invalid_input(base().command_content("a".repeat(18_433)).send().await, "CommandContent");
    // raw content is plain text by default for RunCommand, so the Base64 size is what counts
    let raw = || ecs.run_command().instance_id("i-1").command_type("RunShellScript");
    assert_invalid_input(raw().command_content_raw("a".repeat(18_433)).send().await, "CommandContent");
    assert_invalid_input(
        raw().command_content_raw("a".repeat(24_577)).content_encoding(ContentEncoding::Base64).send().await,
        "CommandContent",
    );
    assert_invalid_input(base().client_token("x".repeat(65)).send().await, "ClientToken");
    assert_invalid_input(base().client_token("tökén").send().await, "ClientToken");
    assert_invalid_input(base().name("n".repeat(129)).send().await, "Name");
    assert_invalid_input(base().description("d".repeat(513)).send().await, "Description");
    assert_invalid_input(base().working_dir("w".repeat(201)).send().await, "WorkingDir");
    assert_invalid_input(base().username("u".repeat(256)).send().await, "Username");
    assert_invalid_input(base().windows_password_name("p".repeat(256)).send().await, "WindowsPasswordName");
    assert_invalid_input(base().repeat_mode(RepeatMode::Period).send().await, "Frequency");
    let eleven: Vec<(String, String)> = (0..11).map(|i| (format!("k{i}"), "v".to_owned())).collect();
    assert_invalid_input(base().parameters(eleven).send().await, "Parameters");
    assert_invalid_input(base().parameter("k".repeat(65), "v").send().await, "Parameters");
    assert_invalid_input(ecs.invoke_command().command_id("c-1").instance_id("i-1").timeout(9).send().await, "Timeout");
    assert_invalid_input(ecs.invoke_command().instance_id("i-1").send().await, "CommandId");
    assert_invalid_input(ecs.stop_invocation().invoke_id("t-1").instance_ids(&many[..51]).send().await, "InstanceId");
    assert_invalid_input(ecs.create_command().name("n").command_type("RunShellScript").send().await, "CommandContent");
    assert_invalid_input(ecs.describe_invocation_results().max_results(51).send().await, "MaxResults");
    assert_invalid_input(ecs.attach_instance_ram_role().ram_role_name("AxtSecretRamRole").send().await, "InstanceIds");
    assert_invalid_input(ecs.describe_instances().instance_ids(&many).send().await, "InstanceIds");
    // ResourceTag can select instances instead of InstanceId
    assert!(ecs
        .run_command()
        .region_id("cn-hangzhou")
        .resource_tag(Tag::new("env", "test"))
        .command_type("RunShellScript")
        .command_content("x")
        .as_request()
        .validate()
        .is_ok());
}

#[tokio::test]
async fn v1_sends_the_same_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"RequestId": "r", "InvokeId": "t-1"})))
        .expect(1)
        .mount(&server)
        .await;
    let ecs = Client::from_config(&config(&server, SignatureVersion::V1)).expect("client");
    ecs.run_command()
        .instance_ids(["i-1"])
        .command_type("RunPowerShellScript")
        .command_content("whoami")
        .username("user01")
        .windows_password_name("axtSecretPassword")
        .keep_command(false)
        .send()
        .await
        .expect("sent");
    let sent = params(&server).await;
    let p = &sent[0];
    assert_eq!(p.get("Action").map(String::as_str), Some("RunCommand"));
    assert_eq!(p.get("Version").map(String::as_str), Some("2014-05-26"));
    assert_eq!(p.get("SignatureMethod").map(String::as_str), Some("HMAC-SHA1"));
    assert_eq!(p.get("WindowsPasswordName").map(String::as_str), Some("axtSecretPassword"));
    assert_eq!(p.get("KeepCommand").map(String::as_str), Some("false"), "lowercase booleans");
    assert_eq!(p.get("Username").map(String::as_str), Some("user01"));
}

#[tokio::test]
async fn run_command_without_username_sends_the_default_user_explicitly() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"RequestId": "r", "InvokeId": "t-1"})))
        .expect(4)
        .mount(&server)
        .await;
    let ecs = client(&server);
    for command_type in [CommandType::RunShellScript, CommandType::RunPowerShellScript, CommandType::RunBatScript] {
        ecs.run_command()
            .region_id("cn-hangzhou")
            .instance_ids(["i-1"])
            .command_type(command_type)
            .command_content("whoami")
            .send()
            .await
            .expect("sent");
    }
    ecs.run_command()
        .region_id("cn-hangzhou")
        .instance_ids(["i-1"])
        .command_type(CommandType::RunShellScript)
        .command_content("whoami")
        .username("user01")
        .send()
        .await
        .expect("sent");
    let users: Vec<Option<String>> = params(&server).await.iter().map(|p| p.get("Username").cloned()).collect();
    assert_eq!(
        users,
        [Some("root".to_owned()), Some("System".to_owned()), Some("System".to_owned()), Some("user01".to_owned())]
    );
}
