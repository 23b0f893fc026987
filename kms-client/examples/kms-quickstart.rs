//! Encrypts a message under a KMS key with an encryption context, decrypts it and checks the round trip.
//!
//! ```sh
//! cargo run -p kms-client --example kms-quickstart                    # the built-in emulator (creates a key)
//! cargo run -p kms-client --example kms-quickstart -- --live KEY_ID   # an existing key of yours
//! ```
//! `--live` takes the region and credentials from the environment (`Config::from_env`: `ALIBABA_CLOUD_REGION_ID`,
//! `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, or the other sources of the default chain) and
//! uses the key you name (id, ARN or `alias/...`): it creates nothing, since a real key is only deleted after a
//! waiting period of at least 7 days.

use acs_core::{Config, ExposeSecret as _};
use acs_emulator::{Emulator, EmulatorHandle};
use kms_client::Client;

const MESSAGE: &[u8] = b"hello from kms-quickstart";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (kms, emulator, key_id) = match args.as_slice() {
        [] => {
            let (config, emulator) = emulator_config().await?;
            let kms = Client::from_config(&config)?;
            let key = kms.create_key().description("kms-quickstart").send().await?;
            let key_id = key.key_metadata.and_then(|m| m.key_id).ok_or_else(|| anyhow::anyhow!("no KeyId"))?;
            println!("created key {key_id}");
            (kms, Some(emulator), key_id)
        }
        [flag, key_id] if flag == "--live" => (Client::from_config(&Config::from_env()?)?, None, key_id.clone()),
        _ => anyhow::bail!("usage: kms-quickstart [--live KEY_ID]"),
    };

    let sealed = kms
        .encrypt()
        .key_id(&key_id)
        .plaintext_bytes(MESSAGE)
        .encryption_context_entry("purpose", "kms-quickstart")
        .send()
        .await?;
    let blob = sealed.ciphertext_blob.ok_or_else(|| anyhow::anyhow!("no CiphertextBlob"))?;
    println!("ciphertext ({} Base64 characters) under key {:?}", blob.len(), sealed.key_id);

    let opened =
        kms.decrypt().ciphertext_blob(&blob).encryption_context_entry("purpose", "kms-quickstart").send().await?;
    let plaintext = opened.plaintext_bytes()?.ok_or_else(|| anyhow::anyhow!("no Plaintext"))?;
    println!("decrypted: {}", String::from_utf8_lossy(plaintext.expose_secret()));

    let refused = kms.decrypt().ciphertext_blob(&blob).encryption_context_entry("purpose", "other").send().await;
    match &refused {
        Err(e) => {
            println!("with another encryption context: {} (request id {:?})", e.code().unwrap_or("?"), e.request_id())
        }
        Ok(_) => println!("with another encryption context: decrypted (unexpected)"),
    }
    if let Some(emulator) = emulator {
        emulator.shutdown().await;
    }
    anyhow::ensure!(plaintext.expose_secret() == MESSAGE, "the round trip changed the message");
    anyhow::ensure!(refused.is_err(), "a different encryption context was accepted");
    Ok(())
}

/// The in-process emulator on its demo seed, and a configuration signed with its root AccessKey.
async fn emulator_config() -> anyhow::Result<(Config, EmulatorHandle)> {
    let emulator = Emulator::builder().start().await?;
    let root = emulator.root_credentials();
    let config = Config::builder()
        .endpoint_url(emulator.endpoint_url())
        .region("cn-hangzhou")
        .static_credentials(root.access_key_id.clone(), root.access_key_secret.expose_secret())
        .build()?;
    Ok((config, emulator))
}
