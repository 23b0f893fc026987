//! End-to-end against the in-process `acs-emulator`: the life of a secret parameter, under V3 and V1.

use acs_core::test_util::config_at;
use acs_core::{ExposeSecret, SignatureVersion};
use acs_emulator::{Emulator, EmulatorHandle};
use futures::TryStreamExt as _;
use oos_client::Client;

fn client(emu: &EmulatorHandle, version: SignatureVersion) -> Client {
    let root = emu.root_credentials();
    let config = config_at(&emu.endpoint_url(), &root.access_key_id, root.access_key_secret.expose_secret(), version);
    Client::from_config(&config).expect("client")
}

#[tokio::test]
async fn secret_parameter_lifecycle() {
    let emu = Emulator::builder().start().await.expect("emulator");
    for (i, version) in [SignatureVersion::V3, SignatureVersion::V1].into_iter().enumerate() {
        let oos = client(&emu, version);
        let name = format!("axtSecretPassword{i}");
        oos.create_secret_parameter()
            .name(&name)
            .value("W1ndows!Pass")
            .description("e2e")
            .send()
            .await
            .expect("create");
        let plain = oos.get_secret_parameter().name(&name).with_decryption(true).send().await.expect("get");
        let value = plain.parameter.and_then(|p| p.value).expect("decrypted value");
        assert_eq!(value.expose_secret(), "W1ndows!Pass");
        let sealed = oos.get_secret_parameter().name(&name).send().await.expect("get");
        assert!(sealed.parameter.and_then(|p| p.value).is_none_or(|v| v.expose_secret() != "W1ndows!Pass"));

        oos.update_secret_parameter().name(&name).value("N3w!Pass").send().await.expect("update");
        let both = oos
            .get_secret_parameters()
            .names([name.as_str(), "missing-param"])
            .with_decryption(true)
            .send()
            .await
            .expect("get many");
        assert_eq!(both.invalid_parameters, ["missing-param"]);
        assert_eq!(both.parameters.len(), 1);
        assert_eq!(
            both.parameters[0].value.as_ref().map(|v| v.expose_secret().to_owned()).as_deref(),
            Some("N3w!Pass")
        );
    }
    let oos = client(&emu, SignatureVersion::V3);
    let names: Vec<String> = oos
        .list_secret_parameters()
        .max_results(10)
        .into_paginator()
        .items()
        .map_ok(|p| p.name.unwrap_or_default())
        .try_collect()
        .await
        .expect("list");
    assert!(
        names.contains(&"axtSecretPassword0".to_owned()) && names.contains(&"axtSecretPassword1".to_owned()),
        "{names:?}"
    );
    oos.delete_secret_parameter().name("axtSecretPassword0").send().await.expect("delete");
    let gone = oos.get_secret_parameter().name("axtSecretPassword0").send().await.expect_err("deleted");
    assert!(gone.is_not_found(), "{gone}");
    emu.shutdown().await;
}
