//! What `CommandContent` and `ContentEncoding` go on the wire for every combination of `command_content()`
//! (plain text), `command_content_raw()` and `content_encoding()`, in either order, for RunCommand and CreateCommand.

use acs_core::test_util::{config, serve, wire};
use acs_core::SignatureVersion;
use ecs_client::{Client, ContentEncoding, CreateCommandFluentBuilder, RunCommandFluentBuilder};

const SCRIPT: &str = "echo 'hi' && whoami";
/// Base64 of [`SCRIPT`].
const SCRIPT_B64: &str = "ZWNobyAnaGknICYmIHdob2FtaQ==";

type Wired = (Option<String>, Option<String>);

/// Sends the RunCommand built by `build` and returns the wire `CommandContent` and `ContentEncoding`.
async fn run(build: impl FnOnce(RunCommandFluentBuilder) -> RunCommandFluentBuilder) -> Wired {
    let server = serve(r#"{"RequestId": "r", "CommandId": "c-1", "InvokeId": "t-1"}"#).await;
    let ecs = Client::from_config(&config(&server, SignatureVersion::V3)).expect("client");
    let base = ecs.run_command().region_id("cn-hangzhou").instance_id("i-1").command_type("RunShellScript");
    build(base).send().await.expect("RunCommand succeeds");
    let wire = wire(&server).await;
    (wire.get("CommandContent").map(str::to_owned), wire.get("ContentEncoding").map(str::to_owned))
}

/// Sends the CreateCommand built by `build` and returns the wire `CommandContent` and `ContentEncoding`.
async fn create(build: impl FnOnce(CreateCommandFluentBuilder) -> CreateCommandFluentBuilder) -> Wired {
    let server = serve(r#"{"RequestId": "r", "CommandId": "c-1"}"#).await;
    let ecs = Client::from_config(&config(&server, SignatureVersion::V3)).expect("client");
    let base = ecs.create_command().region_id("cn-hangzhou").name("n").command_type("RunShellScript");
    build(base).send().await.expect("CreateCommand succeeds");
    let wire = wire(&server).await;
    (wire.get("CommandContent").map(str::to_owned), wire.get("ContentEncoding").map(str::to_owned))
}

fn sent(content: &str, encoding: Option<&str>) -> Wired {
    (Some(content.to_owned()), encoding.map(str::to_owned))
}

#[tokio::test]
async fn plain_text_goes_base64_labelled_base64() {
    let expected = sent(SCRIPT_B64, Some("Base64"));
    assert_eq!(run(|b| b.command_content(SCRIPT)).await, expected);
    assert_eq!(create(|b| b.command_content(SCRIPT)).await, expected);
    assert_eq!(run(|b| b.command_content(SCRIPT).content_encoding(ContentEncoding::Base64)).await, expected);
    assert_eq!(create(|b| b.content_encoding(ContentEncoding::Base64).command_content(SCRIPT)).await, expected);
}

#[tokio::test]
async fn plain_text_with_explicit_plain_text_goes_as_is_in_either_order() {
    let expected = sent(SCRIPT, Some("PlainText"));
    assert_eq!(run(|b| b.command_content(SCRIPT).content_encoding(ContentEncoding::PlainText)).await, expected);
    assert_eq!(run(|b| b.content_encoding(ContentEncoding::PlainText).command_content(SCRIPT)).await, expected);
    assert_eq!(create(|b| b.command_content(SCRIPT).content_encoding(ContentEncoding::PlainText)).await, expected);
    assert_eq!(create(|b| b.content_encoding(ContentEncoding::PlainText).command_content(SCRIPT)).await, expected);
}

#[tokio::test]
async fn raw_content_goes_exactly_as_given_with_the_callers_encoding() {
    assert_eq!(run(|b| b.command_content_raw(SCRIPT)).await, sent(SCRIPT, None));
    assert_eq!(create(|b| b.command_content_raw(SCRIPT_B64)).await, sent(SCRIPT_B64, None));
    assert_eq!(
        run(|b| b.command_content_raw(SCRIPT).content_encoding(ContentEncoding::PlainText)).await,
        sent(SCRIPT, Some("PlainText"))
    );
    assert_eq!(
        create(|b| b.content_encoding(ContentEncoding::Base64).command_content_raw(SCRIPT_B64)).await,
        sent(SCRIPT_B64, Some("Base64"))
    );
}

#[tokio::test]
async fn the_last_content_setter_wins_without_a_stale_label() {
    // plain text then raw: the Base64 label of the plain text must not stick to the raw text
    assert_eq!(run(|b| b.command_content("ignored").command_content_raw(SCRIPT)).await, sent(SCRIPT, None));
    assert_eq!(create(|b| b.command_content("ignored").command_content_raw(SCRIPT)).await, sent(SCRIPT, None));
    assert_eq!(
        run(|b| b.command_content("ignored").command_content_raw(SCRIPT).content_encoding(ContentEncoding::PlainText))
            .await,
        sent(SCRIPT, Some("PlainText"))
    );
    // raw then plain text: encoded and labelled again
    assert_eq!(
        run(|b| b.command_content_raw("ignored").command_content(SCRIPT)).await,
        sent(SCRIPT_B64, Some("Base64"))
    );
    assert_eq!(
        create(|b| b.command_content_raw("ignored").command_content(SCRIPT)).await,
        sent(SCRIPT_B64, Some("Base64"))
    );
    // an explicit PlainText set before a raw value still applies to the plain text that replaces it
    assert_eq!(
        run(|b| b.content_encoding(ContentEncoding::PlainText).command_content_raw("ignored").command_content(SCRIPT))
            .await,
        sent(SCRIPT, Some("PlainText"))
    );
}

#[tokio::test]
async fn as_request_shows_what_will_be_sent() {
    let server = serve("{}").await;
    let ecs = Client::from_config(&config(&server, SignatureVersion::V3)).expect("client");
    let builder = ecs.run_command().content_encoding(ContentEncoding::PlainText).command_content(SCRIPT);
    let request = builder.as_request();
    assert_eq!(request.command_content.as_deref(), Some(SCRIPT));
    assert_eq!(request.content_encoding, Some(ContentEncoding::PlainText));
    // a prepared request is sent as given
    let prepared = ecs.run_command().set_request(request.clone()).command_content_raw(SCRIPT_B64);
    assert_eq!(prepared.as_request().content_encoding, Some(ContentEncoding::PlainText));
    assert_eq!(prepared.as_request().command_content.as_deref(), Some(SCRIPT_B64));
}
