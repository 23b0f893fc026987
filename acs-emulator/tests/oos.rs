//! OOS secret parameters over loopback: versions, WithDecryption and its dependent KMS permission,
//! GetSecretParameters, ListSecretParameters paging, name rules, regions and codes.

mod support;

use acs_emulator::EmulatorHandle;
use support::*;

const R: &str = "cn-hangzhou";

async fn create(emu: &EmulatorHandle, name: &str, value: &str) -> serde_json::Value {
    ok(
        &emu.endpoint_url(),
        &Creds::root(emu),
        OOS,
        "CreateSecretParameter",
        &[("RegionId", R), ("Name", name), ("Value", value), ("Description", "d")],
    )
    .await
}

#[tokio::test]
async fn create_get_update_versions_and_delete() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let made = create(&emu, "axtSecretPassword", "first-value").await;
    let p = &made["Parameter"];
    assert_eq!(p["Name"], "axtSecretPassword");
    assert_eq!(p["Type"], "Secret");
    assert_eq!(p["ParameterVersion"], 1);
    assert!(p.get("Value").is_none(), "create never echoes the value: {made}");
    let svc = ok(&ep, &root, KMS, "DescribeKey", &[("RegionId", R), ("KeyId", "alias/acs/oos")]).await;
    assert_eq!(p["KeyId"], svc["KeyMetadata"]["KeyId"], "encrypted under the region's OOS service key");

    let plain = ok(&ep, &root, OOS, "GetSecretParameter", &[("RegionId", R), ("Name", "axtSecretPassword")]).await;
    assert!(plain["Parameter"].get("Value").is_none(), "no plaintext without WithDecryption: {plain}");
    let dec = ok(
        &ep,
        &root,
        OOS,
        "GetSecretParameter",
        &[("RegionId", R), ("Name", "axtSecretPassword"), ("WithDecryption", "true")],
    )
    .await;
    assert_eq!(dec["Parameter"]["Value"], "first-value");

    let updated = ok(
        &ep,
        &root,
        OOS,
        "UpdateSecretParameter",
        &[("RegionId", R), ("Name", "axtSecretPassword"), ("Value", "second-value")],
    )
    .await;
    assert_eq!(updated["Parameter"]["ParameterVersion"], 2);
    let get = |version: &'static str| {
        let ep = ep.clone();
        let root = root.clone();
        async move {
            ok(
                &ep,
                &root,
                OOS,
                "GetSecretParameter",
                &[
                    ("RegionId", R),
                    ("Name", "axtSecretPassword"),
                    ("WithDecryption", "True"),
                    ("ParameterVersion", version),
                ],
            )
            .await
        }
    };
    assert_eq!(get("1").await["Parameter"]["Value"], "first-value");
    assert_eq!(get("2").await["Parameter"]["Value"], "second-value");

    fails(
        &ep,
        &root,
        OOS,
        "CreateSecretParameter",
        &[("RegionId", R), ("Name", "axtSecretPassword"), ("Value", "x")],
        "EntityAlreadyExists.Parameter",
    )
    .await;
    ok(&ep, &root, OOS, "DeleteSecretParameter", &[("RegionId", R), ("Name", "axtSecretPassword")]).await;
    fails(
        &ep,
        &root,
        OOS,
        "GetSecretParameter",
        &[("RegionId", R), ("Name", "axtSecretPassword")],
        "EntityNotExists.Parameter",
    )
    .await;
    fails(
        &ep,
        &root,
        OOS,
        "DeleteSecretParameter",
        &[("RegionId", R), ("Name", "axtSecretPassword")],
        "EntityNotExists.Parameter",
    )
    .await;
    fails(
        &ep,
        &root,
        OOS,
        "UpdateSecretParameter",
        &[("RegionId", R), ("Name", "axtSecretPassword"), ("Value", "v")],
        "EntityNotExists.Parameter",
    )
    .await;
}

#[tokio::test]
async fn parameters_are_regional() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    create(&emu, "p", "v").await;
    fails(
        &ep,
        &root,
        OOS,
        "GetSecretParameter",
        &[("RegionId", "cn-shanghai"), ("Name", "p")],
        "EntityNotExists.Parameter",
    )
    .await;
    ok(&ep, &root, OOS, "CreateSecretParameter", &[("RegionId", "cn-shanghai"), ("Name", "p"), ("Value", "other")])
        .await;
    let a =
        ok(&ep, &root, OOS, "GetSecretParameter", &[("RegionId", R), ("Name", "p"), ("WithDecryption", "true")]).await;
    let b = ok(
        &ep,
        &root,
        OOS,
        "GetSecretParameter",
        &[("RegionId", "cn-shanghai"), ("Name", "p"), ("WithDecryption", "true")],
    )
    .await;
    assert_eq!((a["Parameter"]["Value"].as_str(), b["Parameter"]["Value"].as_str()), (Some("v"), Some("other")));
}

#[tokio::test]
async fn with_decryption_needs_kms_get_secret_value_too() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    create(&emu, "axtSecretPassword", "pw").await;
    let reader = ram_user(&emu, "reader", &["AliyunOOSReadOnlyAccess"], &[]).await;
    let meta = ok(&ep, &reader, OOS, "GetSecretParameter", &[("RegionId", R), ("Name", "axtSecretPassword")]).await;
    assert_eq!(meta["Parameter"]["Name"], "axtSecretPassword");
    let denied = fails(
        &ep,
        &reader,
        OOS,
        "GetSecretParameter",
        &[("RegionId", R), ("Name", "axtSecretPassword"), ("WithDecryption", "true")],
        "Forbidden.RAM",
    )
    .await;
    assert_eq!(denied["AccessDeniedDetail"]["AuthAction"], "kms:GetSecretValue");
    assert!(!denied.to_string().contains("\"pw\""));
    fails(
        &ep,
        &reader,
        OOS,
        "GetSecretParameters",
        &[("RegionId", R), ("Names", r#"["axtSecretPassword"]"#), ("WithDecryption", "true")],
        "Forbidden.RAM",
    )
    .await;

    let kms = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"kms:GetSecretValue","Resource":"*"}]}"#;
    let decrypter = ram_user(&emu, "decrypter", &["AliyunOOSReadOnlyAccess"], &[("getSecretValue", kms)]).await;
    let dec = ok(
        &ep,
        &decrypter,
        OOS,
        "GetSecretParameter",
        &[("RegionId", R), ("Name", "axtSecretPassword"), ("WithDecryption", "true")],
    )
    .await;
    assert_eq!(dec["Parameter"]["Value"], "pw");
    // read-only access cannot create
    fails(
        &ep,
        &decrypter,
        OOS,
        "CreateSecretParameter",
        &[("RegionId", R), ("Name", "x"), ("Value", "y")],
        "Forbidden.RAM",
    )
    .await;
}

#[tokio::test]
async fn get_secret_parameters_reports_unknown_names() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    create(&emu, "a", "1").await;
    create(&emu, "b", "2").await;
    let body = ok(
        &ep,
        &root,
        OOS,
        "GetSecretParameters",
        &[("RegionId", R), ("Names", r#"["a","missing","b"]"#), ("WithDecryption", "true")],
    )
    .await;
    let values: Vec<(&str, &str)> = body["Parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| (p["Name"].as_str().unwrap_or_default(), p["Value"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(values, vec![("a", "1"), ("b", "2")]);
    assert_eq!(body["InvalidParameters"], serde_json::json!(["missing"]));
    let eleven = serde_json::to_string(&(0..11).map(|n| format!("p{n}")).collect::<Vec<_>>()).unwrap_or_default();
    fails(&ep, &root, OOS, "GetSecretParameters", &[("RegionId", R), ("Names", &eleven)], "InvalidParameter.Names")
        .await;
    fails(&ep, &root, OOS, "GetSecretParameters", &[("RegionId", R), ("Names", "a,b")], "InvalidParameter").await;
}

#[tokio::test]
async fn list_pages_with_next_token() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let mut names: Vec<String> = (0..25).map(|n| format!("app/param-{n:02}")).collect();
    for n in &names {
        create(&emu, n, "v").await;
    }
    create(&emu, "other", "v").await;
    let mut seen = Vec::new();
    let mut token = String::new();
    loop {
        let mut params = vec![("RegionId", R), ("MaxResults", "10"), ("Path", "/app")];
        if !token.is_empty() {
            params.push(("NextToken", token.as_str()));
        }
        let body = ok(&ep, &root, OOS, "ListSecretParameters", &params).await;
        assert_eq!(body["MaxResults"], 10);
        for p in body["Parameters"].as_array().into_iter().flatten() {
            assert!(p.get("Value").is_none());
            seen.push(p["Name"].as_str().unwrap_or_default().to_owned());
        }
        token = body["NextToken"].as_str().unwrap_or_default().to_owned();
        if token.is_empty() {
            break;
        }
    }
    names.sort();
    assert_eq!(seen, names);
    fails(
        &ep,
        &root,
        OOS,
        "ListSecretParameters",
        &[("RegionId", R), ("MaxResults", "5")],
        "InvalidParameter.MaxResults",
    )
    .await;
}

#[tokio::test]
async fn name_and_value_rules() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let long = "n".repeat(181);
    for bad in ["ALIYUN-x", "acs_x", "OosThing", "has space", "semi;colon", long.as_str()] {
        fails(
            &ep,
            &root,
            OOS,
            "CreateSecretParameter",
            &[("RegionId", R), ("Name", bad), ("Value", "v")],
            "InvalidParameter.Name",
        )
        .await;
    }
    let big = "v".repeat(4097);
    fails(
        &ep,
        &root,
        OOS,
        "CreateSecretParameter",
        &[("RegionId", R), ("Name", "ok"), ("Value", &big)],
        "InvalidParameter.Value",
    )
    .await;
    fails(&ep, &root, OOS, "CreateSecretParameter", &[("RegionId", R), ("Name", "ok")], "MissingParameter").await;
    ok(&ep, &root, OOS, "CreateSecretParameter", &[("RegionId", R), ("Name", "a/b_c-1"), ("Value", "v")]).await;
    fails(
        &ep,
        &root,
        OOS,
        "CreateSecretParameter",
        &[("RegionId", R), ("Name", "k"), ("Value", "v"), ("KeyId", "no-such-key")],
        "Forbidden.KeyNotFound",
    )
    .await;
}
