//! Hand-written RAM tests: typed and raw policy documents, parsed (and URL-decoded) documents in responses, secret
//! handling, Marker pagination, error responses and client-side limits.

use std::time::Duration;

use acs_core::test_util::{assert_invalid_input, config, params, serve_json};
use acs_core::{ExposeSecret, RetryConfig, SignatureVersion};
use futures::TryStreamExt as _;
use ram_client::{codes, AccessKeyStatus, Client, PolicyType};
use ram_policy::PolicyDocument;
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::from_config(&config(server, SignatureVersion::V3)).expect("client")
}

const DOC: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:RunCommand","Resource":"*","Condition":{"StringEquals":{"ecs:CommandRunAs":["user01","user02"]}}}]}"#;

#[tokio::test]
async fn typed_and_raw_policy_documents_send_the_same_json() {
    let server =
        serve_json(json!({"RequestId": "r", "Policy": {"PolicyName": "commandUserPolicy", "PolicyType": "Custom"}}))
            .await;
    let ram = client(&server);
    let typed = PolicyDocument::parse(DOC).expect("parse");
    ram.create_policy().policy_name("commandUserPolicy").policy_document(&typed).send().await.expect("typed");
    ram.create_policy().policy_name("commandUserPolicy").policy_document(DOC).send().await.expect("raw");
    let sent = params(&server).await;
    let a = PolicyDocument::parse(&sent[0]["PolicyDocument"]).expect("typed doc on the wire");
    let b = PolicyDocument::parse(&sent[1]["PolicyDocument"]).expect("raw doc on the wire");
    assert_eq!(a, typed);
    assert_eq!(b, typed);
    assert_eq!(sent[1]["PolicyDocument"], DOC, "raw text is sent verbatim");
    assert!(!sent[0].contains_key("RegionId"), "RAM is global: no RegionId");
}

#[tokio::test]
async fn documents_in_responses_are_parsed_plain_or_url_encoded() {
    let encoded = acs_core::encoding::percent_encode(DOC);
    let server = serve_json(json!({"RequestId": "r",
        "Policy": {"PolicyName": "p", "PolicyType": "Custom", "DefaultVersion": "v1"},
        "DefaultPolicyVersion": {"VersionId": "v1", "IsDefaultVersion": true, "PolicyDocument": encoded}}))
    .await;
    let resp = client(&server).get_policy().policy_name("p").policy_type(PolicyType::Custom).send().await.expect("ok");
    let version = resp.default_policy_version.expect("version");
    assert_eq!(version.policy_document.as_deref(), Some(encoded.as_str()), "raw text kept");
    let parsed = version.document().expect("present").expect("decoded and parsed");
    assert_eq!(parsed, PolicyDocument::parse(DOC).expect("parse"));
    assert_eq!(resp.policy.and_then(|p| p.policy_type), Some(PolicyType::Custom));

    let trust = r#"{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}],"Version":"1"}"#;
    let server = serve_json(json!({"RequestId": "r", "Role": {"RoleName": "AxtSecretRamRole", "AssumeRolePolicyDocument": trust, "MaxSessionDuration": "3600"}})).await;
    let role = client(&server).get_role().role_name("AxtSecretRamRole").send().await.expect("ok").role.expect("role");
    assert_eq!(role.max_session_duration, Some(3600));
    assert!(role.trust_policy().expect("present").is_ok());
}

#[tokio::test]
async fn access_key_secret_is_a_secret() {
    let server = serve_json(json!({"RequestId": "r", "AccessKey": {"AccessKeyId": "LTAI5tExample", "AccessKeySecret": "very-secret-value", "Status": "Active", "CreateDate": "2026-01-01T00:00:00Z"}})).await;
    let resp = client(&server).create_access_key().user_name("commandUser").send().await.expect("ok");
    let key = resp.access_key.expect("key");
    assert_eq!(key.status, Some(AccessKeyStatus::Active));
    assert_eq!(
        key.access_key_secret.as_ref().map(|s| s.expose_secret().to_owned()).as_deref(),
        Some("very-secret-value")
    );
    let debug = format!("{key:?}");
    assert!(!debug.contains("very-secret-value"), "{debug}");
    assert!(debug.contains("LTAI5tExample"));
}

#[tokio::test]
async fn login_password_is_sent_but_never_shown() {
    let server = serve_json(
        json!({"RequestId": "r", "LoginProfile": {"UserName": "commandUser", "PasswordResetRequired": false}}),
    )
    .await;
    let builder = client(&server)
        .create_login_profile()
        .user_name("commandUser")
        .password("Pa55w0rd!Secret")
        .password_reset_required(true);
    assert!(!format!("{builder:?}").contains("Pa55w0rd"));
    builder.send().await.expect("ok");
    let sent = params(&server).await;
    assert_eq!(sent[0]["Password"], "Pa55w0rd!Secret");
    assert_eq!(sent[0]["PasswordResetRequired"], "true");
}

#[tokio::test]
async fn list_users_follows_the_marker() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"RequestId": "r1", "IsTruncated": true, "Marker": "m-2",
            "Users": {"User": [{"UserName": "a"}, {"UserName": "b"}]}})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"RequestId": "r2", "IsTruncated": false, "Marker": "",
            "Users": {"User": [{"UserName": "c"}]}})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let names: Vec<String> = client(&server)
        .list_users()
        .max_items(2)
        .into_paginator()
        .items()
        .map_ok(|u| u.user_name.unwrap_or_default())
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(names, ["a", "b", "c"]);
    let sent = params(&server).await;
    assert!(!sent[0].contains_key("Marker"));
    assert_eq!(sent[1]["Marker"], "m-2");
    assert_eq!(sent[1]["MaxItems"], "2");
}

#[tokio::test]
async fn entity_already_exists_is_recognisable() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({"RequestId": "r", "HostId": "ram.aliyuncs.com",
            "Code": "EntityAlreadyExists.User", "Message": "The user with the name commandUser already exists."})))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server).create_user().user_name("commandUser").send().await.expect_err("exists");
    assert_eq!(err.code(), Some(codes::ENTITY_ALREADY_EXISTS_USER));
    assert!(err.is_already_exists());
    assert!(!err.is_not_found());
    assert_eq!(err.request_id(), Some("r"));
}

#[tokio::test]
async fn forbidden_ram_and_throttling() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"RequestId": "t", "Code": "Throttling", "Message": "slow down"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"RequestId": "d", "Code": "Forbidden.RAM", "Message": "denied",
            "AccessDeniedDetail": {"AuthAction": "ram:CreateUser", "NoPermissionType": "ExplicitDeny", "AuthPrincipalType": "SubUser"}})))
        .mount(&server)
        .await;
    let retry =
        RetryConfig { max_attempts: 3, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(5) };
    let config = config(&server, SignatureVersion::V1).to_builder().retry(retry).build().expect("config");
    let ram = Client::from_config(&config).expect("client");
    let err = ram.create_user().user_name("commandUser").send().await.expect_err("denied");
    assert!(err.is_access_denied());
    let detail = err.service_error().and_then(|s| s.access_denied_detail.clone()).expect("detail");
    assert_eq!(detail.auth_action.as_deref(), Some("ram:CreateUser"));
    assert_eq!(detail.no_permission_type.as_deref(), Some("ExplicitDeny"));
    assert_eq!(params(&server).await.len(), 2, "throttled once, then one denied attempt (never retried)");
}

#[tokio::test]
async fn documented_limits_are_enforced_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let ram = client(&server);
    assert_invalid_input(ram.create_user().send().await, "UserName");
    assert_invalid_input(ram.create_user().user_name("u".repeat(65)).send().await, "UserName");
    assert_invalid_input(ram.create_user().user_name("bad name").send().await, "UserName");
    assert_invalid_input(ram.create_user().user_name("ok").display_name("d".repeat(129)).send().await, "DisplayName");
    assert_invalid_input(ram.create_policy().policy_name("bad_name").policy_document(DOC).send().await, "PolicyName");
    assert_invalid_input(
        ram.create_policy().policy_name("p".repeat(129)).policy_document(DOC).send().await,
        "PolicyName",
    );
    assert_invalid_input(ram.create_policy().policy_name("p").send().await, "PolicyDocument");
    let huge = format!(
        r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":"{}","Resource":"*"}}]}}"#,
        "a".repeat(6_100)
    );
    assert!(huge.len() > 6_144);
    assert_invalid_input(
        ram.create_policy().policy_name("p").policy_document(huge.as_str()).send().await,
        "PolicyDocument",
    );
    assert_invalid_input(
        ram.create_policy().policy_name("p").policy_document(DOC).description("d".repeat(1025)).send().await,
        "Description",
    );
    assert_invalid_input(
        ram.create_role().role_name("r").assume_role_policy_document(DOC).max_session_duration(3599).send().await,
        "MaxSessionDuration",
    );
    assert_invalid_input(
        ram.create_role().role_name("r_underscore").assume_role_policy_document(DOC).send().await,
        "RoleName",
    );
    assert_invalid_input(ram.get_policy().policy_name("p").send().await, "PolicyType");
    assert_invalid_input(ram.update_access_key().user_access_key_id("LTAI").send().await, "Status");
    assert_invalid_input(ram.list_users().max_items(1001).send().await, "MaxItems");
    assert_invalid_input(ram.create_login_profile().user_name("u").password("").send().await, "Password");
    assert_invalid_input(ram.create_login_profile().user_name("u").send().await, "Password");
}

#[tokio::test]
async fn a_document_that_is_not_json_is_rejected_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let ram = client(&server);
    assert_invalid_input(
        ram.create_policy().policy_name("p").policy_document("{\"Version\": \"1\",").send().await,
        "PolicyDocument",
    );
    assert_invalid_input(
        ram.create_role().role_name("r").assume_role_policy_document("not json").send().await,
        "AssumeRolePolicyDocument",
    );
    assert_invalid_input(
        ram.update_role().role_name("r").new_assume_role_policy_document("[").send().await,
        "NewAssumeRolePolicyDocument",
    );
}
