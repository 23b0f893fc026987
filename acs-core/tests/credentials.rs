//! Credentials providers over real HTTP (wiremock) and temporary directories: environment, INI file, aliyun-cli
//! profiles, ECS metadata (token and v1 fallback), STS AssumeRole / AssumeRoleWithOIDC, credentials URI, the
//! default chain's "why skipped" message, and single-flight refresh.

mod common;

use acs_core::credentials::{
    AssumeRoleProvider, CachingProvider, CliProfileProvider, CredentialsUriProvider, DefaultChain, EcsMetadataProvider,
    EnvironmentProvider, IniFileProvider, MapEnv, OidcProvider, ProviderEndpoints,
};
use acs_core::{Config, Credentials, ExposeSecret, ProvideCredentials};
use common::{body_pairs, verify_v1};
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, SystemTime};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn in_one_hour() -> String {
    let secs = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() + 3600;
    acs_signer::format_timestamp(secs as i64)
}

fn sts_ok(id: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "RequestId": "r",
        "AssumedRoleUser": {"Arn": "acs:ram::1:role/r/s", "AssumedRoleId": "1:s"},
        "Credentials": {"AccessKeyId": id, "AccessKeySecret": "STS-SECRET", "SecurityToken": "STS-TOKEN",
                        "Expiration": in_one_hour()}
    }))
}

fn secret(c: &Credentials) -> &str {
    c.access_key_secret.expose_secret()
}

fn token(c: &Credentials) -> Option<&str> {
    c.security_token.as_ref().map(|t| t.expose_secret())
}

fn home_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, content) in files {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    dir
}

fn env_home(dir: &tempfile::TempDir) -> MapEnv {
    MapEnv::new().with("HOME", dir.path().to_str().unwrap())
}

#[tokio::test]
async fn environment_provider() {
    let env = MapEnv::new()
        .with("ALIBABA_CLOUD_ACCESS_KEY_ID", "id")
        .with("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "sec")
        .with("ALIBABA_CLOUD_SECURITY_TOKEN", "tok");
    let c = EnvironmentProvider::new(Arc::new(env)).provide_credentials().await.unwrap();
    assert_eq!((c.access_key_id.as_str(), secret(&c), token(&c)), ("id", "sec", Some("tok")));

    let partial = MapEnv::new().with("ALIBABA_CLOUD_ACCESS_KEY_ID", "id");
    let e = EnvironmentProvider::new(Arc::new(partial)).provide_credentials().await.unwrap_err();
    assert!(e.to_string().contains("ALIBABA_CLOUD_ACCESS_KEY_SECRET is not"), "{e}");
    assert!(!e.is_not_configured());
    let none = EnvironmentProvider::new(Arc::new(MapEnv::new())).provide_credentials().await.unwrap_err();
    assert!(none.is_not_configured());
}

#[tokio::test]
async fn ini_file_sections_and_profile_variable() {
    let home = home_with(&[(
        ".alibabacloud/credentials",
        "[default]\ntype = access_key\naccess_key_id = def-id\naccess_key_secret = def-secret\n\n\
         [other]\naccess_key_id = other-id\naccess_key_secret = other-secret\n\n[broken]\ntype = access_key\n",
    )]);
    let c = IniFileProvider::new(Arc::new(env_home(&home))).provide_credentials().await.unwrap();
    assert_eq!((c.access_key_id.as_str(), secret(&c)), ("def-id", "def-secret"));
    let env = env_home(&home).with("ALIBABA_CLOUD_PROFILE", "other");
    let c = IniFileProvider::new(Arc::new(env)).provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id, "other-id");
    let e = IniFileProvider::new(Arc::new(env_home(&home))).with_section("broken").provide_credentials().await;
    assert!(e.unwrap_err().to_string().contains("lacks access_key_id"));
    let e = IniFileProvider::new(Arc::new(env_home(&home))).with_section("nope").provide_credentials().await;
    assert!(e.unwrap_err().to_string().contains("[nope] not found"));
}

#[tokio::test]
async fn ini_file_from_variable_with_ram_role_arn() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(sts_ok("STS.ini")).expect(1).mount(&server).await;
    let dir = home_with(&[(
        "creds.ini",
        "[default]\ntype = ram_role_arn\naccess_key_id = src-id\naccess_key_secret = src-secret\n\
         role_arn = acs:ram::123:role/r\nrole_session_name = sess\n",
    )]);
    let env = MapEnv::new().with("ALIBABA_CLOUD_CREDENTIALS_FILE", dir.path().join("creds.ini").to_str().unwrap());
    let c = IniFileProvider::new(Arc::new(env))
        .with_endpoints(ProviderEndpoints { sts: Some(server.uri()), metadata: None })
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!((c.access_key_id.as_str(), token(&c)), ("STS.ini", Some("STS-TOKEN")));
    assert!(c.expiration.is_some());
    let reqs = server.received_requests().await.unwrap();
    let p = verify_v1(&reqs[0], "src-secret");
    assert_eq!(p["Action"], "AssumeRole");
    assert_eq!(p["Version"], "2015-04-01");
    assert_eq!(p["AccessKeyId"], "src-id");
    assert_eq!(p["RoleArn"], "acs:ram::123:role/r");
    assert_eq!(p["RoleSessionName"], "sess");
    assert_eq!(p["DurationSeconds"], "3600");
}

fn cli_config() -> String {
    json!({
        "current": "ak",
        "profiles": [
            {"name": "ak", "mode": "AK", "access_key_id": "ak-id", "access_key_secret": "ak-secret", "region_id": "cn-shanghai"},
            {"name": "sts", "mode": "StsToken", "access_key_id": "sts-id", "access_key_secret": "sts-secret", "sts_token": "tok"},
            {"name": "role", "mode": "RamRoleArn", "access_key_id": "src-id", "access_key_secret": "src-secret",
             "ram_role_arn": "acs:ram::1:role/a", "ram_session_name": "cli", "expired_seconds": 1800},
            {"name": "ecs", "mode": "EcsRamRole", "ram_role_name": "MyRole"},
            {"name": "chain", "mode": "ChainableRamRoleArn", "source_profile": "ak", "ram_role_arn": "acs:ram::1:role/b"},
            {"name": "loop", "mode": "ChainableRamRoleArn", "source_profile": "loop", "ram_role_arn": "acs:ram::1:role/c"},
            {"name": "odd", "mode": "External"}
        ]
    })
    .to_string()
}

#[tokio::test]
async fn aliyun_cli_profiles_every_mode() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/")).respond_with(sts_ok("STS.cli")).mount(&server).await;
    Mock::given(method("PUT"))
        .and(path("/latest/api/token"))
        .respond_with(ResponseTemplate::new(200).set_body_string("T"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/ram/security-credentials/MyRole"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "Code": "Success", "AccessKeyId": "ecs-id", "AccessKeySecret": "ecs-secret",
            "SecurityToken": "ecs-tok", "Expiration": in_one_hour()})))
        .mount(&server)
        .await;
    let home = home_with(&[(".aliyun/config.json", &cli_config())]);
    let endpoints = ProviderEndpoints { sts: Some(server.uri()), metadata: Some(server.uri()) };
    let provider = |profile: Option<&str>| {
        let p = CliProfileProvider::new(Arc::new(env_home(&home))).with_endpoints(endpoints.clone());
        match profile {
            Some(name) => p.with_profile(name),
            None => p,
        }
    };
    let c = provider(None).provide_credentials().await.unwrap();
    assert_eq!((c.access_key_id.as_str(), secret(&c)), ("ak-id", "ak-secret"));
    let c = provider(Some("sts")).provide_credentials().await.unwrap();
    assert_eq!(token(&c), Some("tok"));
    let c = provider(Some("role")).provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id, "STS.cli");
    let c = provider(Some("ecs")).provide_credentials().await.unwrap();
    assert_eq!((c.access_key_id.as_str(), token(&c)), ("ecs-id", Some("ecs-tok")));
    let c = provider(Some("chain")).provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id, "STS.cli");
    let e = provider(Some("loop")).provide_credentials().await.unwrap_err();
    assert!(e.to_string().contains("too deep"), "{e}");
    let e = provider(Some("odd")).provide_credentials().await.unwrap_err();
    assert!(e.to_string().contains("unsupported mode"), "{e}");
    let e = provider(Some("missing")).provide_credentials().await.unwrap_err();
    assert!(e.to_string().contains("\"missing\" not found"), "{e}");

    let sts_calls: Vec<_> =
        server.received_requests().await.unwrap().into_iter().filter(|r| r.method.as_str() == "POST").collect();
    assert_eq!(sts_calls.len(), 2);
    let role = verify_v1(&sts_calls[0], "src-secret");
    assert_eq!((role["RoleArn"].as_str(), role["RoleSessionName"].as_str()), ("acs:ram::1:role/a", "cli"));
    assert_eq!(role["DurationSeconds"], "1800");
    let chained = verify_v1(&sts_calls[1], "ak-secret");
    assert_eq!((chained["AccessKeyId"].as_str(), chained["RoleArn"].as_str()), ("ak-id", "acs:ram::1:role/b"));

    // ALIBABA_CLOUD_PROFILE selects a profile; the profile's region feeds Config::from_env.
    let env = env_home(&home).with("ALIBABA_CLOUD_PROFILE", "sts");
    let c = CliProfileProvider::new(Arc::new(env)).provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id, "sts-id");
    let config = Config::from_env_with(Arc::new(env_home(&home))).unwrap();
    assert_eq!(config.region(), Some("cn-shanghai"));
}

async fn mount_role_credentials(server: &MockServer, token_required: bool) {
    let listing = Mock::given(method("GET")).and(path("/latest/meta-data/ram/security-credentials/"));
    let creds = Mock::given(method("GET")).and(path("/latest/meta-data/ram/security-credentials/EcsRole"));
    let body = json!({"Code": "Success", "AccessKeyId": "STS.ecs", "AccessKeySecret": "s", "SecurityToken": "t",
                      "Expiration": in_one_hour(), "LastUpdated": "2024-01-01T00:00:00Z"});
    if token_required {
        listing
            .and(header("X-aliyun-ecs-metadata-token", "TOKEN-1"))
            .respond_with(ResponseTemplate::new(200).set_body_string("EcsRole\n"))
            .mount(server)
            .await;
        creds
            .and(header("X-aliyun-ecs-metadata-token", "TOKEN-1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body))
            .mount(server)
            .await;
    } else {
        listing.respond_with(ResponseTemplate::new(200).set_body_string("EcsRole")).mount(server).await;
        creds.respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(server).await;
    }
}

#[tokio::test]
async fn ecs_metadata_with_token() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/latest/api/token"))
        .and(header("X-aliyun-ecs-metadata-token-ttl-seconds", "21600"))
        .respond_with(ResponseTemplate::new(200).set_body_string("TOKEN-1"))
        .expect(1)
        .mount(&server)
        .await;
    mount_role_credentials(&server, true).await;
    let c = EcsMetadataProvider::new(Arc::new(MapEnv::new())).with_endpoint(server.uri()).provide_credentials().await;
    let c = c.unwrap();
    assert_eq!((c.access_key_id.as_str(), token(&c)), ("STS.ecs", Some("t")));
}

#[tokio::test]
async fn ecs_metadata_falls_back_to_v1_unless_disabled() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(403)).mount(&server).await;
    mount_role_credentials(&server, false).await;
    let c = EcsMetadataProvider::new(Arc::new(MapEnv::new())).with_endpoint(server.uri()).provide_credentials().await;
    assert_eq!(c.unwrap().access_key_id, "STS.ecs");
    let gets: Vec<_> =
        server.received_requests().await.unwrap().into_iter().filter(|r| r.method.as_str() == "GET").collect();
    assert_eq!(gets.len(), 2);
    assert!(gets.iter().all(|r| !r.headers.contains_key("X-aliyun-ecs-metadata-token")));

    let env = MapEnv::new().with("ALIBABA_CLOUD_IMDSV1_DISABLED", "true");
    let e = EcsMetadataProvider::new(Arc::new(env)).with_endpoint(server.uri()).provide_credentials().await;
    assert!(e.unwrap_err().to_string().contains("IMDSV1_DISABLED"));

    let env = MapEnv::new().with("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "TRUE");
    let e =
        EcsMetadataProvider::new(Arc::new(env)).with_endpoint(server.uri()).provide_credentials().await.unwrap_err();
    assert!(e.is_not_configured() && e.to_string().contains("ECS_METADATA_DISABLED"));
}

#[tokio::test]
async fn ecs_metadata_role_from_env_and_failure_code() {
    let server = MockServer::start().await;
    Mock::given(method("PUT")).respond_with(ResponseTemplate::new(200).set_body_string("TOKEN-1")).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/latest/meta-data/ram/security-credentials/Named"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Code": "Failed"})))
        .mount(&server)
        .await;
    let env = MapEnv::new().with("ALIBABA_CLOUD_ECS_METADATA", "Named");
    let e = EcsMetadataProvider::new(Arc::new(env)).with_endpoint(server.uri()).provide_credentials().await;
    assert!(e.unwrap_err().to_string().contains("\"Failed\""));
    // No listing request: the role came from the environment.
    assert!(server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .all(|r| r.url.path().ends_with("Named") || r.method.as_str() == "PUT"));
}

#[tokio::test]
async fn assume_role_error_is_reported() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "RequestId": "r", "Code": "NoPermission", "Message": "You are not authorized to do this action."})))
        .mount(&server)
        .await;
    let p =
        AssumeRoleProvider::new(acs_core::credentials::StaticProvider::new(Credentials::new("id", "SENTINEL")), "arn")
            .with_endpoint(server.uri());
    let e = p.provide_credentials().await.unwrap_err().to_string();
    assert!(e.contains("AssumeRole failed") && e.contains("NoPermission"), "{e}");
    assert!(!e.contains("SENTINEL"));
}

#[tokio::test]
async fn oidc_and_credentials_uri() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/")).respond_with(sts_ok("STS.oidc")).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/creds"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "Code": "Success", "AccessKeyId": "uri-id", "AccessKeySecret": "uri-s", "SecurityToken": "uri-t",
            "Expiration": in_one_hour()})))
        .mount(&server)
        .await;
    let dir = home_with(&[("token", "eyJ.oidc.token\n")]);
    let env = MapEnv::new()
        .with("ALIBABA_CLOUD_ROLE_ARN", "acs:ram::1:role/oidc")
        .with("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", "acs:ram::1:oidc-provider/p")
        .with("ALIBABA_CLOUD_OIDC_TOKEN_FILE", dir.path().join("token").to_str().unwrap())
        .with("ALIBABA_CLOUD_ROLE_SESSION_NAME", "rrsa");
    let c = OidcProvider::from_env(&env).unwrap().with_endpoint(server.uri()).provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id, "STS.oidc");
    let reqs = server.received_requests().await.unwrap();
    let p: std::collections::BTreeMap<_, _> = body_pairs(&reqs[0]).into_iter().collect();
    assert_eq!(p["Action"], "AssumeRoleWithOIDC");
    assert_eq!(p["OIDCToken"], "eyJ.oidc.token");
    assert_eq!(p["RoleSessionName"], "rrsa");
    assert_eq!(p["OIDCProviderArn"], "acs:ram::1:oidc-provider/p");
    let missing = OidcProvider::from_env(&MapEnv::new().with("ALIBABA_CLOUD_ROLE_ARN", "x")).unwrap_err();
    assert!(missing.to_string().contains("ALIBABA_CLOUD_OIDC_PROVIDER_ARN"));

    let env = MapEnv::new().with("ALIBABA_CLOUD_CREDENTIALS_URI", format!("{}/creds", server.uri()));
    let c = CredentialsUriProvider::from_env(&env).unwrap().provide_credentials().await.unwrap();
    assert_eq!((c.access_key_id.as_str(), token(&c)), ("uri-id", Some("uri-t")));
}

#[tokio::test]
async fn chain_lists_why_each_provider_was_skipped() {
    let home = home_with(&[]);
    let env = env_home(&home).with("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
    let e = DefaultChain::with_env(Arc::new(env)).provide_credentials().await.unwrap_err();
    let names: Vec<&str> = e.skipped().iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["environment", "oidc", "aliyun-cli profile", "credentials file", "ecs metadata", "credentials uri"]
    );
    let text = e.to_string();
    for needle in [
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "OIDC",
        "config.json does not exist",
        "credentials does not exist",
        "ECS_METADATA_DISABLED",
        "ALIBABA_CLOUD_CREDENTIALS_URI",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    // Through a client, the same message surfaces as Error::Credentials.
    let config = Config::builder()
        .credentials_provider(DefaultChain::with_env(Arc::new(
            env_home(&home).with("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"),
        )))
        .endpoint_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let op = acs_core::Operation::new(acs_core::Service::Ram, "ListUsers", acs_core::OperationKind::Read);
    let err = acs_core::Client::new(config).unwrap().call::<_, serde_json::Value>(&op, &json!({})).await.unwrap_err();
    assert!(matches!(err, acs_core::Error::Credentials(_)) && err.to_string().contains("credentials file"), "{err}");
}

#[tokio::test]
async fn chain_order_environment_before_files() {
    let home = home_with(&[(".alibabacloud/credentials", "[default]\naccess_key_id = file\naccess_key_secret = f\n")]);
    let env = env_home(&home).with("ALIBABA_CLOUD_ACCESS_KEY_ID", "env").with("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "e");
    let c = DefaultChain::with_env(Arc::new(env)).provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id, "env");
    let c = DefaultChain::with_env(Arc::new(env_home(&home))).provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id, "file");
}

#[tokio::test]
async fn concurrent_callers_share_one_sts_call() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(sts_ok("STS.shared").set_delay(Duration::from_millis(200)))
        .mount(&server)
        .await;
    let assume =
        AssumeRoleProvider::new(acs_core::credentials::StaticProvider::new(Credentials::new("id", "s")), "arn")
            .with_endpoint(server.uri());
    let cached = Arc::new(CachingProvider::new(assume));
    let tasks: Vec<_> = (0..12)
        .map(|_| {
            let p = cached.clone();
            tokio::spawn(async move { p.provide_credentials().await })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap().unwrap().access_key_id, "STS.shared");
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    // Still fresh (one hour left): no second call.
    cached.provide_credentials().await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

async fn sts_calls_for_two_uses(expires_in_secs: i64) -> usize {
    let server = MockServer::start().await;
    let expiration = {
        let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs() as i64;
        acs_signer::format_timestamp(now + expires_in_secs)
    };
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Credentials": {
            "AccessKeyId": "STS.soon", "AccessKeySecret": "s", "SecurityToken": "t", "Expiration": expiration}})))
        .mount(&server)
        .await;
    let assume =
        AssumeRoleProvider::new(acs_core::credentials::StaticProvider::new(Credentials::new("id", "s")), "arn")
            .with_endpoint(server.uri());
    let cached = CachingProvider::new(assume);
    cached.provide_credentials().await.unwrap();
    cached.provide_credentials().await.unwrap();
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn short_sts_sessions_are_reused_for_half_their_life_and_expired_ones_refetched() {
    // A 10-minute session is inside the 15-minute window from the start: it is still reused (for its first half),
    // not re-fetched on every call.
    assert_eq!(sts_calls_for_two_uses(600).await, 1);
    // Credentials that arrive already expired are fetched again at the next use.
    assert_eq!(sts_calls_for_two_uses(-60).await, 2);
}

#[tokio::test]
async fn sts_credentials_are_sent_as_security_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path("/")).respond_with(sts_ok("STS.x")).mount(&server).await;
    let sts = AssumeRoleProvider::new(acs_core::credentials::StaticProvider::new(Credentials::new("id", "s")), "arn")
        .with_endpoint(server.uri());
    let config = Config::builder().credentials_provider(sts).endpoint_url(server.uri()).build().unwrap();
    let op = acs_core::Operation::new(acs_core::Service::Ram, "ListUsers", acs_core::OperationKind::Read);
    let client = acs_core::Client::new(config).unwrap();
    let _: serde_json::Value = client.call(&op, &json!({})).await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    let api = reqs.iter().find(|r| r.headers.contains_key("x-acs-action")).unwrap();
    assert_eq!(common::header(api, "x-acs-security-token"), Some("STS-TOKEN"));
    common::verify_v3(api, "STS-SECRET");
}

#[tokio::test]
async fn files_saved_with_a_bom_and_crlf_line_ends_are_read() {
    // What Windows editors write: a UTF-8 byte order mark and CRLF line ends.
    let home = home_with(&[
        (".alibabacloud/credentials", "\u{feff}[default]\r\ntype = access_key\r\naccess_key_id = ini-id\r\naccess_key_secret = ini-secret\r\n"),
        (
            ".aliyun/config.json",
            "\u{feff}{\"current\": \"p\",\r\n \"profiles\": [{\"name\": \"p\", \"mode\": \"AK\", \"access_key_id\": \"cli-id\", \"access_key_secret\": \"cli-secret\", \"region_id\": \"cn-beijing\"}]}\r\n",
        ),
    ]);
    let c = IniFileProvider::new(Arc::new(env_home(&home))).provide_credentials().await.unwrap();
    assert_eq!((c.access_key_id.as_str(), secret(&c)), ("ini-id", "ini-secret"));
    let cli = CliProfileProvider::new(Arc::new(env_home(&home)));
    let c = cli.provide_credentials().await.unwrap();
    assert_eq!((c.access_key_id.as_str(), secret(&c)), ("cli-id", "cli-secret"));
    assert_eq!(cli.region().as_deref(), Some("cn-beijing"));
}
