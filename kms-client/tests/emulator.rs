//! End-to-end against the in-process `acs-emulator`: keys, aliases, an Encrypt/Decrypt round trip with bytes in
//! and secret bytes out, data keys, secrets and paging, under V3 and V1.

use acs_core::test_util::config_at;
use acs_core::{ExposeSecret, SignatureVersion};
use acs_emulator::{Emulator, EmulatorHandle};
use futures::TryStreamExt as _;
use kms_client::{Client, DataKeySpec, KeyState};

fn client(emu: &EmulatorHandle, version: SignatureVersion) -> Client {
    let root = emu.root_credentials();
    let config = config_at(&emu.endpoint_url(), &root.access_key_id, root.access_key_secret.expose_secret(), version);
    Client::from_config(&config).expect("client")
}

#[tokio::test]
async fn keys_aliases_envelope_and_secrets_round_trip() {
    let emu = Emulator::builder().start().await.expect("emulator");
    for (i, version) in [SignatureVersion::V3, SignatureVersion::V1].into_iter().enumerate() {
        let kms = client(&emu, version);
        let key = kms.create_key().description("e2e").send().await.expect("key").key_metadata.expect("metadata");
        let key_id = key.key_id.expect("key id");
        assert_eq!(key.key_state, Some(KeyState::Enabled));
        let alias = format!("alias/e2e-{i}");
        kms.create_alias().alias_name(&alias).key_id(&key_id).send().await.expect("alias");

        let sealed = kms
            .encrypt()
            .key_id(&alias)
            .plaintext_bytes(b"W1ndows!Pass")
            .encryption_context_entry("purpose", "e2e")
            .send()
            .await
            .expect("encrypt");
        let blob = sealed.ciphertext_blob.expect("blob");
        let opened = kms
            .decrypt()
            .ciphertext_blob(&blob)
            .encryption_context_entry("purpose", "e2e")
            .send()
            .await
            .expect("decrypt");
        let bytes = opened.plaintext_bytes().expect("base64").expect("plaintext");
        assert_eq!(bytes.expose_secret(), b"W1ndows!Pass");
        let wrong = kms.decrypt().ciphertext_blob(&blob).encryption_context_entry("purpose", "other").send().await;
        assert!(wrong.is_err(), "the encryption context is authenticated");

        let data_key =
            kms.generate_data_key().key_id(&key_id).key_spec(DataKeySpec::Aes256).send().await.expect("data key");
        assert_eq!(data_key.plaintext_bytes().expect("base64").expect("plaintext").expose_secret().len(), 32);

        let name = format!("e2e/secret-{i}");
        kms.create_secret()
            .secret_name(&name)
            .version_id("v1")
            .secret_data("s3cret-data")
            .send()
            .await
            .expect("secret");
        let value = kms.get_secret_value().secret_name(&name).send().await.expect("value");
        assert_eq!(value.secret_data.as_ref().map(|s| s.expose_secret().to_owned()).as_deref(), Some("s3cret-data"));

        kms.schedule_key_deletion().key_id(&key_id).pending_window_in_days(7).send().await.expect("schedule");
        let state =
            kms.describe_key().key_id(&key_id).send().await.expect("describe").key_metadata.and_then(|m| m.key_state);
        assert_eq!(state, Some(KeyState::PendingDeletion));
        kms.cancel_key_deletion().key_id(&key_id).send().await.expect("cancel");
    }
    let kms = client(&emu, SignatureVersion::V3);
    let keys: Vec<_> = kms.list_keys().page_size(1).into_paginator().items().try_collect().await.expect("keys");
    assert!(keys.len() >= 2, "every key over one-item pages: {}", keys.len());
    let missing = kms.describe_key().key_id("no-such-key").send().await.expect_err("missing");
    assert!(missing.is_not_found(), "{missing}");
    emu.shutdown().await;
}
