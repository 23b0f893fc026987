//! Wire-protocol tests: every signature style is accepted, every kind of bad request is rejected with the real code.

mod support;

use support::*;

#[tokio::test]
async fn every_signature_style_is_accepted() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    for style in [Style::V3, Style::V3Form, Style::V1Get, Style::V1Post, Style::V1Split] {
        let (status, body) = call_with(style, &ep, &root, STS, "GetCallerIdentity", &[]).await;
        assert_eq!(status, 200, "{style:?}: {body}");
        assert_eq!(body["AccountId"], emu.account_id(), "{style:?}");
        assert_eq!(body["IdentityType"], "Account");
        assert!(body["RequestId"].as_str().is_some_and(|r| r.len() == 36));
    }
    // Parameters with characters that need encoding survive every style.
    for style in [Style::V3, Style::V1Get, Style::V1Post, Style::V1Split] {
        let (status, body) = call_with(
            style,
            &ep,
            &root,
            STS,
            "AssumeRole",
            &[("RoleArn", "acs:ram::1:role/x y*~"), ("RoleSessionName", "s@x.y-z_1")],
        )
        .await;
        // root may not assume roles: the request got past signature verification to the handler.
        assert_eq!((status, body["Code"].as_str()), (403, Some("NoPermission")), "{style:?}: {body}");
    }
    assert_eq!(emu.stats().count("GetCallerIdentity"), 5);
    assert_eq!(emu.stats().count("AssumeRole"), 4);
    assert_eq!(emu.stats().total(), 9);
}

#[tokio::test]
async fn bad_signature_reports_the_server_string_to_sign() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let mut wrong = Creds::root(&emu);
    wrong.secret.push('x');
    for style in [Style::V3, Style::V1Get] {
        let (status, body) = call_with(style, &ep, &wrong, STS, "GetCallerIdentity", &[]).await;
        assert_eq!(status, 400);
        assert_eq!(body["Code"], "SignatureDoesNotMatch");
        let message = body["Message"].as_str().unwrap_or_default();
        let sts = message.split("server string to sign is:").nth(1).unwrap_or_default();
        match style {
            Style::V3 => assert!(sts.starts_with("ACS3-HMAC-SHA256\n"), "{message}"),
            _ => assert!(sts.starts_with("GET&%2F&AccessKeyId%3D"), "{message}"),
        }
    }
}

#[tokio::test]
async fn tampered_body_or_params_fail_verification() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let mut signed =
        sign(Style::V3Form, &ep, &root, RAM, "CreateUser", &[("UserName", "alice")], &Overrides::default());
    signed.body = b"UserName=mallory".to_vec();
    let (status, body) = send(&signed).await;
    assert_eq!((status, body["Code"].as_str()), (400, Some("SignatureDoesNotMatch")), "{body}");
    assert!(body["Message"].as_str().unwrap_or_default().contains("x-acs-content-sha256"));

    let mut signed = sign(Style::V1Get, &ep, &root, RAM, "CreateUser", &[("UserName", "alice")], &Overrides::default());
    signed.url = signed.url.replace("UserName=alice", "UserName=mallory");
    let (_, body) = send(&signed).await;
    assert_eq!(body["Code"], "SignatureDoesNotMatch");

    let mut signed = sign(Style::V3, &ep, &root, RAM, "ListUsers", &[], &Overrides::default());
    signed.headers.push(("x-acs-extra".into(), "unsigned".into()));
    let (_, body) = send(&signed).await;
    assert_eq!(body["Code"], "IncompleteSignature");
    assert_eq!(emu.stats().count("CreateUser"), 2);
}

#[tokio::test]
async fn nonce_replay_is_rejected() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    for style in [Style::V3, Style::V1Post] {
        let signed = sign(style, &ep, &root, STS, "GetCallerIdentity", &[], &Overrides::default());
        assert_eq!(send(&signed).await.0, 200);
        let (status, body) = send(&signed).await;
        assert_eq!((status, body["Code"].as_str()), (400, Some("SignatureNonceUsed")), "{style:?}");
    }
}

#[tokio::test]
async fn timestamps_are_checked() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let now = acs_emulator::ids::now_unix();
    let cases = [
        (acs_signer::format_timestamp(now - 16 * 60), "InvalidTimeStamp.Expired"),
        (acs_signer::format_timestamp(now + 16 * 60), "InvalidTimeStamp.Expired"),
        ("2024-13-01T00:00:00Z".to_owned(), "InvalidTimeStamp.Format"),
        ("yesterday".to_owned(), "InvalidTimeStamp.Format"),
    ];
    for style in [Style::V3, Style::V1Get] {
        for (ts, code) in &cases {
            let o = Overrides { timestamp: Some(ts.clone()), ..Overrides::default() };
            let (status, body) = send(&sign(style, &ep, &root, STS, "GetCallerIdentity", &[], &o)).await;
            assert_eq!((status, body["Code"].as_str()), (400, Some(*code)), "{style:?} {ts}");
        }
        // 14 minutes of skew is fine.
        let o = Overrides { timestamp: Some(acs_signer::format_timestamp(now - 14 * 60)), ..Overrides::default() };
        assert_eq!(send(&sign(style, &ep, &root, STS, "GetCallerIdentity", &[], &o)).await.0, 200);
    }
}

#[tokio::test]
async fn unknown_keys_actions_and_versions() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let stranger = Creds::new("LTAIunknown", "secret");
    let (status, body) = call(&ep, &stranger, RAM, "ListUsers", &[]).await;
    assert_eq!((status, body["Code"].as_str()), (404, Some("InvalidAccessKeyId.NotFound")));
    let root = Creds::root(&emu);
    let (status, body) = call(&ep, &root, RAM, "LaunchRocket", &[]).await;
    assert_eq!((status, body["Code"].as_str()), (404, Some("InvalidAction.NotFound")));
    let (status, body) = call(&ep, &root, "1999-01-01", "ListUsers", &[]).await;
    assert_eq!((status, body["Code"].as_str()), (400, Some("InvalidVersion")));
    let (_, body) = call(&ep, &root, RAM, "GetUser", &[]).await;
    assert_eq!(body["Code"], "MissingParameter");
    assert!(body["Message"].as_str().unwrap_or_default().contains("UserName"));
    // No Action at all.
    let (status, body) =
        send(&Signed { method: "GET".into(), url: format!("{ep}/?Version={RAM}"), headers: vec![], body: vec![] })
            .await;
    assert_eq!((status, body["Code"].as_str()), (400, Some("MissingParameter")));
    assert!(body["Message"].as_str().unwrap_or_default().contains("Action"));
    assert_eq!(emu.stats().count("LaunchRocket"), 1);
}

#[tokio::test]
async fn an_oversized_body_gets_a_json_error_too() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let body = format!("Action=GetUser&Version={RAM}&UserName={}", "a".repeat(3 * 1024 * 1024));
    let signed = Signed {
        method: "POST".into(),
        url: format!("{ep}/"),
        headers: vec![("content-type".into(), "application/x-www-form-urlencoded".into())],
        body: body.into_bytes(),
    };
    let (status, body) = send(&signed).await;
    assert_eq!(status, 413);
    assert_eq!(body["Code"], "RequestEntityTooLarge", "{body}");
    assert!(body["RequestId"].is_string() && body["Message"].is_string(), "{body}");
}
