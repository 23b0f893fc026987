//! KMS over loopback: encryption round trips, EncryptionContext binding, key states, aliases, data keys,
//! secrets, pagination and authorization.

mod support;

use acs_emulator::EmulatorHandle;
use base64::Engine as _;
use serde_json::Value;
use support::*;

const R: &str = "cn-hangzhou";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn unb64(s: &Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(s.as_str().unwrap_or_default()).unwrap_or_default()
}

async fn new_key(emu: &EmulatorHandle) -> String {
    let body =
        ok(&emu.endpoint_url(), &Creds::root(emu), KMS, "CreateKey", &[("RegionId", R), ("Description", "t")]).await;
    assert_eq!(body["KeyMetadata"]["KeyState"], "Enabled");
    assert_eq!(body["KeyMetadata"]["KeySpec"], "Aliyun_AES_256");
    body["KeyMetadata"]["KeyId"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn encrypt_decrypt_round_trip_with_context() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let key = new_key(&emu).await;
    let secret = b"the plaintext 123";
    let ctx = r#"{"purpose":"test","n":"1"}"#;
    let enc = ok(
        &ep,
        &root,
        KMS,
        "Encrypt",
        &[("RegionId", R), ("KeyId", &key), ("Plaintext", &b64(secret)), ("EncryptionContext", ctx)],
    )
    .await;
    let blob = enc["CiphertextBlob"].as_str().unwrap_or_default().to_owned();
    assert_eq!(enc["KeyId"], key.as_str());
    let raw = unb64(&enc["CiphertextBlob"]);
    assert!(!raw.windows(secret.len()).any(|w| w == secret), "the plaintext is visible in the ciphertext");
    assert!(!blob.contains(&b64(secret)));
    // the same context in another key order decrypts
    let dec = ok(
        &ep,
        &root,
        KMS,
        "Decrypt",
        &[("RegionId", R), ("CiphertextBlob", &blob), ("EncryptionContext", r#"{"n":"1","purpose":"test"}"#)],
    )
    .await;
    assert_eq!(unb64(&dec["Plaintext"]), secret);
    assert_eq!(dec["KeyVersionId"], enc["KeyVersionId"]);
    // a different or missing context does not (KMS documents no dedicated code: its generic InvalidParameter)
    let wrong_context = fails_with(
        &ep,
        &root,
        KMS,
        "Decrypt",
        &[("RegionId", R), ("CiphertextBlob", &blob), ("EncryptionContext", r#"{"purpose":"other","n":"1"}"#)],
        400,
        "InvalidParameter",
    )
    .await;
    assert!(wrong_context["Message"].as_str().unwrap_or_default().contains("CiphertextBlob"), "{wrong_context}");
    fails_with(&ep, &root, KMS, "Decrypt", &[("RegionId", R), ("CiphertextBlob", &blob)], 400, "InvalidParameter")
        .await;
    // tampering is detected
    let mut tampered = unb64(&enc["CiphertextBlob"]);
    if let Some(last) = tampered.last_mut() {
        *last ^= 1;
    }
    fails(
        &ep,
        &root,
        KMS,
        "Decrypt",
        &[("RegionId", R), ("CiphertextBlob", &b64(&tampered)), ("EncryptionContext", ctx)],
        "InvalidParameter",
    )
    .await;
    fails(&ep, &root, KMS, "Decrypt", &[("RegionId", R), ("CiphertextBlob", "bm9wZQ==")], "InvalidParameter").await;
    fails(&ep, &root, KMS, "Encrypt", &[("RegionId", R), ("KeyId", &key), ("Plaintext", "%%%")], "InvalidParameter")
        .await;
    fails(
        &ep,
        &root,
        KMS,
        "Encrypt",
        &[("RegionId", R), ("KeyId", "nope"), ("Plaintext", "YQ==")],
        "Forbidden.KeyNotFound",
    )
    .await;
}

#[tokio::test]
async fn key_states_control_use() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let key = new_key(&emu).await;
    let enc = ok(&ep, &root, KMS, "Encrypt", &[("RegionId", R), ("KeyId", &key), ("Plaintext", "aGk=")]).await;
    let blob = enc["CiphertextBlob"].as_str().unwrap_or_default().to_owned();
    ok(&ep, &root, KMS, "DisableKey", &[("RegionId", R), ("KeyId", &key)]).await;
    let d = ok(&ep, &root, KMS, "DescribeKey", &[("RegionId", R), ("KeyId", &key)]).await;
    assert_eq!(d["KeyMetadata"]["KeyState"], "Disabled");
    let encrypt = [("RegionId", R), ("KeyId", key.as_str()), ("Plaintext", "aGk=")];
    let disabled = fails_with(&ep, &root, KMS, "Encrypt", &encrypt, 409, "Rejected.Disabled").await;
    assert_eq!(disabled["HttpStatus"], 409, "KMS error bodies carry HttpStatus: {disabled}");
    fails_with(&ep, &root, KMS, "Decrypt", &[("RegionId", R), ("CiphertextBlob", &blob)], 409, "Rejected.Disabled")
        .await;
    let gdk = [("RegionId", R), ("KeyId", key.as_str())];
    fails_with(&ep, &root, KMS, "GenerateDataKey", &gdk, 409, "Rejected.Disabled").await;
    // a key that is not pending deletion has no deletion to cancel
    let this_key = [("RegionId", R), ("KeyId", key.as_str())];
    fails_with(&ep, &root, KMS, "CancelKeyDeletion", &this_key, 409, "Rejected.StateModifiedFailed").await;
    ok(&ep, &root, KMS, "EnableKey", &[("RegionId", R), ("KeyId", &key)]).await;
    let dec = ok(&ep, &root, KMS, "Decrypt", &[("RegionId", R), ("CiphertextBlob", &blob)]).await;
    assert_eq!(unb64(&dec["Plaintext"]), b"hi");

    for bad in ["6", "367"] {
        fails(
            &ep,
            &root,
            KMS,
            "ScheduleKeyDeletion",
            &[("RegionId", R), ("KeyId", &key), ("PendingWindowInDays", bad)],
            "InvalidParameter",
        )
        .await;
    }
    ok(&ep, &root, KMS, "ScheduleKeyDeletion", &[("RegionId", R), ("KeyId", &key), ("PendingWindowInDays", "7")]).await;
    let d = ok(&ep, &root, KMS, "DescribeKey", &[("RegionId", R), ("KeyId", &key)]).await;
    assert_eq!(d["KeyMetadata"]["KeyState"], "PendingDeletion");
    assert_ne!(d["KeyMetadata"]["DeleteDate"], "");
    fails_with(&ep, &root, KMS, "Encrypt", &encrypt, 409, "Rejected.PendingDeletion").await;
    fails_with(
        &ep,
        &root,
        KMS,
        "Decrypt",
        &[("RegionId", R), ("CiphertextBlob", &blob)],
        409,
        "Rejected.PendingDeletion",
    )
    .await;
    // a key pending deletion can neither change state nor get a new alias until the deletion is cancelled
    for action in ["EnableKey", "DisableKey"] {
        fails_with(&ep, &root, KMS, action, &this_key, 409, "Rejected.StateModifiedFailed").await;
    }
    let again = [("RegionId", R), ("KeyId", key.as_str()), ("PendingWindowInDays", "30")];
    fails_with(&ep, &root, KMS, "ScheduleKeyDeletion", &again, 409, "Rejected.StateModifiedFailed").await;
    let alias = [("RegionId", R), ("AliasName", "alias/doomed"), ("KeyId", key.as_str())];
    fails_with(&ep, &root, KMS, "CreateAlias", &alias, 409, "Rejected.StateModifiedFailed").await;
    ok(&ep, &root, KMS, "CancelKeyDeletion", &[("RegionId", R), ("KeyId", &key)]).await;
    let d = ok(&ep, &root, KMS, "DescribeKey", &[("RegionId", R), ("KeyId", &key)]).await;
    assert_eq!(d["KeyMetadata"]["KeyState"], "Enabled");
}

#[tokio::test]
async fn aliases_and_the_oos_service_key() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let svc = ok(&ep, &root, KMS, "DescribeKey", &[("RegionId", R), ("KeyId", "alias/acs/oos")]).await;
    let svc_id = svc["KeyMetadata"]["KeyId"].as_str().unwrap_or_default().to_owned();
    let other = ok(&ep, &root, KMS, "DescribeKey", &[("RegionId", "cn-shanghai"), ("KeyId", "alias/acs/oos")]).await;
    assert_ne!(other["KeyMetadata"]["KeyId"].as_str(), Some(svc_id.as_str()), "one service key per region");
    fails(&ep, &root, KMS, "DisableKey", &[("RegionId", R), ("KeyId", &svc_id)], "Forbidden.NoPermission").await;

    let key = new_key(&emu).await;
    ok(&ep, &root, KMS, "CreateAlias", &[("RegionId", R), ("AliasName", "alias/app"), ("KeyId", &key)]).await;
    fails_with(
        &ep,
        &root,
        KMS,
        "CreateAlias",
        &[("RegionId", R), ("AliasName", "alias/app"), ("KeyId", &key)],
        400,
        "AliasAlreadyExists",
    )
    .await;
    fails(
        &ep,
        &root,
        KMS,
        "CreateAlias",
        &[("RegionId", R), ("AliasName", "alias/acs/x"), ("KeyId", &key)],
        "InvalidParameter",
    )
    .await;
    fails(
        &ep,
        &root,
        KMS,
        "CreateAlias",
        &[("RegionId", R), ("AliasName", "app"), ("KeyId", &key)],
        "InvalidParameter",
    )
    .await;
    let enc = ok(&ep, &root, KMS, "Encrypt", &[("RegionId", R), ("KeyId", "alias/app"), ("Plaintext", "aGk=")]).await;
    assert_eq!(enc["KeyId"], key.as_str());
    let arn = format!("acs:kms:{R}:{}:key/{key}", emu.account_id());
    ok(&ep, &root, KMS, "Encrypt", &[("RegionId", R), ("KeyId", &arn), ("Plaintext", "aGk=")]).await;
    let aliases = ok(&ep, &root, KMS, "ListAliases", &[("RegionId", R)]).await;
    assert_eq!(aliases["TotalCount"], 2);
    ok(&ep, &root, KMS, "DeleteAlias", &[("RegionId", R), ("AliasName", "alias/app")]).await;
    fails(
        &ep,
        &root,
        KMS,
        "Encrypt",
        &[("RegionId", R), ("KeyId", "alias/app"), ("Plaintext", "aGk=")],
        "Forbidden.AliasNotFound",
    )
    .await;
    fails(&ep, &root, KMS, "DeleteAlias", &[("RegionId", R), ("AliasName", "alias/app")], "Forbidden.AliasNotFound")
        .await;
}

#[tokio::test]
async fn generate_data_key_returns_a_key_and_its_sealed_copy() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let key = new_key(&emu).await;
    let dk = ok(&ep, &root, KMS, "GenerateDataKey", &[("RegionId", R), ("KeyId", &key)]).await;
    let plain = unb64(&dk["Plaintext"]);
    assert_eq!(plain.len(), 32);
    let blob = dk["CiphertextBlob"].as_str().unwrap_or_default();
    let dec = ok(&ep, &root, KMS, "Decrypt", &[("RegionId", R), ("CiphertextBlob", blob)]).await;
    assert_eq!(unb64(&dec["Plaintext"]), plain);
    let dk = ok(&ep, &root, KMS, "GenerateDataKey", &[("RegionId", R), ("KeyId", &key), ("KeySpec", "AES_128")]).await;
    assert_eq!(unb64(&dk["Plaintext"]).len(), 16);
    let dk = ok(&ep, &root, KMS, "GenerateDataKey", &[("RegionId", R), ("KeyId", &key), ("NumberOfBytes", "7")]).await;
    assert_eq!(unb64(&dk["Plaintext"]).len(), 7);
    fails(
        &ep,
        &root,
        KMS,
        "GenerateDataKey",
        &[("RegionId", R), ("KeyId", &key), ("NumberOfBytes", "1025")],
        "InvalidParameter",
    )
    .await;
}

#[tokio::test]
async fn a_ciphertext_only_decrypts_in_the_region_of_its_key() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let key = new_key(&emu).await;
    let enc = ok(&ep, &root, KMS, "Encrypt", &[("RegionId", R), ("KeyId", &key), ("Plaintext", "aGk=")]).await;
    let blob = enc["CiphertextBlob"].as_str().unwrap_or_default();
    // Keys are regional: the cn-shanghai endpoint has no such key.
    fails(
        &ep,
        &root,
        KMS,
        "Decrypt",
        &[("RegionId", "cn-shanghai"), ("CiphertextBlob", blob)],
        "Forbidden.KeyNotFound",
    )
    .await;
    let dec = ok(&ep, &root, KMS, "Decrypt", &[("RegionId", R), ("CiphertextBlob", blob)]).await;
    assert_eq!(unb64(&dec["Plaintext"]), b"hi");
}

#[tokio::test]
async fn a_key_arn_of_another_region_names_no_key_here() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let made = ok(&ep, &root, KMS, "CreateKey", &[("RegionId", "cn-shanghai")]).await;
    let arn = made["KeyMetadata"]["Arn"].as_str().unwrap_or_default().to_owned();
    assert!(arn.starts_with("acs:kms:cn-shanghai:"), "{made}");
    ok(&ep, &root, KMS, "DescribeKey", &[("RegionId", "cn-shanghai"), ("KeyId", &arn)]).await;
    fails(&ep, &root, KMS, "DescribeKey", &[("RegionId", R), ("KeyId", &arn)], "Forbidden.KeyNotFound").await;
    // An alias is regional too: it cannot point at another region's key (it would dangle).
    fails(
        &ep,
        &root,
        KMS,
        "CreateAlias",
        &[("RegionId", R), ("AliasName", "alias/elsewhere"), ("KeyId", &arn)],
        "Forbidden.KeyNotFound",
    )
    .await;
    fails(&ep, &root, KMS, "DisableKey", &[("RegionId", R), ("KeyId", &arn)], "Forbidden.KeyNotFound").await;
}

#[tokio::test]
async fn an_encryption_context_is_a_string_to_string_map_of_at_most_8192_characters() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let key = new_key(&emu).await;
    let long = format!(r#"{{"k":"{}"}}"#, "v".repeat(8192));
    for bad in [r#"{"Key":12345}"#, r#"{"Key":["value1","value2"]}"#, r#"[{"Key":"Value"}]"#, r#"{"Key":null}"#, &long]
    {
        let params = [("RegionId", R), ("KeyId", key.as_str()), ("Plaintext", "aGk="), ("EncryptionContext", bad)];
        fails(&ep, &root, KMS, "Encrypt", &params, "InvalidParameter").await;
    }
    let ok_context =
        [("RegionId", R), ("KeyId", key.as_str()), ("Plaintext", "aGk="), ("EncryptionContext", r#"{"Key":"12345"}"#)];
    ok(&ep, &root, KMS, "Encrypt", &ok_context).await;
}

#[tokio::test]
async fn secrets_lifecycle() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let create = [("RegionId", R), ("SecretName", "db/password"), ("SecretData", "s3cr3t"), ("VersionId", "v1")];
    let made = ok(&ep, &root, KMS, "CreateSecret", &create).await;
    assert_eq!(made["SecretName"], "db/password");
    fails(&ep, &root, KMS, "CreateSecret", &create, "Rejected.ResourceExist").await;
    let got = ok(&ep, &root, KMS, "GetSecretValue", &[("RegionId", R), ("SecretName", "db/password")]).await;
    assert_eq!(got["SecretData"], "s3cr3t");
    assert_eq!(got["VersionId"], "v1");
    assert_eq!(got["VersionStages"]["VersionStage"][0], "ACSCurrent");
    fails(&ep, &root, KMS, "GetSecretValue", &[("RegionId", R), ("SecretName", "nope")], "Forbidden.ResourceNotFound")
        .await;
    let bad = [("RegionId", R), ("SecretName", "bad name!"), ("SecretData", "x"), ("VersionId", "v1")];
    fails(&ep, &root, KMS, "CreateSecret", &bad, "InvalidParameter").await;
    let deleted = ok(&ep, &root, KMS, "DeleteSecret", &[("RegionId", R), ("SecretName", "db/password")]).await;
    assert_ne!(deleted["PlannedDeleteTime"], "");
    fails_with(
        &ep,
        &root,
        KMS,
        "GetSecretValue",
        &[("RegionId", R), ("SecretName", "db/password")],
        409,
        "Rejected.ResourceInDeleteWindow",
    )
    .await;
    fails_with(&ep, &root, KMS, "CreateSecret", &create, 409, "Rejected.ResourceInDeleteWindow").await;
    ok(
        &ep,
        &root,
        KMS,
        "DeleteSecret",
        &[("RegionId", R), ("SecretName", "db/password"), ("ForceDeleteWithoutRecovery", "true")],
    )
    .await;
    ok(&ep, &root, KMS, "CreateSecret", &create).await;
}

#[tokio::test]
async fn lists_page_with_page_number() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let mut created = Vec::new();
    for _ in 0..4 {
        created.push(new_key(&emu).await);
    }
    let mut seen = Vec::new();
    for page in ["1", "2", "3"] {
        let body = ok(&ep, &root, KMS, "ListKeys", &[("RegionId", R), ("PageNumber", page), ("PageSize", "2")]).await;
        assert_eq!(body["TotalCount"], 5, "four keys and the service key");
        for k in body["Keys"]["Key"].as_array().into_iter().flatten() {
            seen.push(k["KeyId"].as_str().unwrap_or_default().to_owned());
            assert!(k["KeyArn"].as_str().unwrap_or_default().starts_with("acs:kms:cn-hangzhou:"));
        }
    }
    assert_eq!(seen.len(), 5);
    assert!(created.iter().all(|c| seen.contains(c)));
    fails(&ep, &root, KMS, "ListKeys", &[("RegionId", R), ("PageSize", "101")], "InvalidParameter").await;
    for n in 0..3 {
        let name = format!("s{n}");
        ok(
            &ep,
            &root,
            KMS,
            "CreateSecret",
            &[("RegionId", R), ("SecretName", &name), ("SecretData", "d"), ("VersionId", "v")],
        )
        .await;
    }
    let body = ok(&ep, &root, KMS, "ListSecrets", &[("RegionId", R), ("PageSize", "2"), ("PageNumber", "2")]).await;
    assert_eq!(body["TotalCount"], 3);
    assert_eq!(body["SecretList"]["Secret"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn kms_policy_of_the_procedure_allows_crypto_but_not_secrets() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let key = new_key(&emu).await;
    let policy = ram_policy::procedure::kms_policy().to_json();
    let user = ram_user(&emu, "kmsUser", &[], &[("kmsPolicy", &policy)]).await;
    let enc = ok(&ep, &user, KMS, "Encrypt", &[("RegionId", R), ("KeyId", &key), ("Plaintext", "aGk=")]).await;
    let blob = enc["CiphertextBlob"].as_str().unwrap_or_default();
    ok(&ep, &user, KMS, "Decrypt", &[("RegionId", R), ("CiphertextBlob", blob)]).await;
    ok(&ep, &user, KMS, "ListKeys", &[("RegionId", R)]).await;
    let body = fails(&ep, &user, KMS, "DisableKey", &[("RegionId", R), ("KeyId", &key)], "Forbidden.RAM").await;
    assert_eq!(body["AccessDeniedDetail"]["AuthAction"], "kms:DisableKey");
    fails(&ep, &user, KMS, "GetSecretValue", &[("RegionId", R), ("SecretName", "x")], "Forbidden.RAM").await;
    // an unknown key is not revealed to a caller without permission
    let nobody = ram_user(&emu, "nobody", &[], &[]).await;
    fails(&ep, &nobody, KMS, "DescribeKey", &[("RegionId", R), ("KeyId", "no-such-key")], "Forbidden.RAM").await;
}

#[tokio::test]
async fn region_comes_from_the_parameter_or_defaults_to_the_first() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let body = ok(&ep, &root, KMS, "DescribeKey", &[("KeyId", "alias/acs/oos")]).await;
    assert!(body["KeyMetadata"]["Arn"].as_str().unwrap_or_default().starts_with("acs:kms:cn-hangzhou:"));
    let body = ok(&ep, &root, KMS, "DescribeKey", &[("RegionId", "cn-shanghai"), ("KeyId", "alias/acs/oos")]).await;
    assert!(body["KeyMetadata"]["Arn"].as_str().unwrap_or_default().starts_with("acs:kms:cn-shanghai:"));
    fails(&ep, &root, KMS, "DescribeKey", &[("RegionId", "mars-1"), ("KeyId", "alias/acs/oos")], "InvalidRegionId")
        .await;
    let regions = ok(&ep, &root, KMS, "DescribeRegions", &[]).await;
    assert_eq!(regions["Regions"]["Region"].as_array().map(Vec::len), Some(2));
}
