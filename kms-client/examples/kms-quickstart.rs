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
//! Exit status: 0 when the round trip works and the other context is refused, 1 otherwise, 2 for a usage error.

use acs_core::{Config, ExposeSecret as _};
use acs_emulator::{Emulator, EmulatorHandle};
use kms_client::Client;
use std::error::Error;
use std::process::ExitCode;

const MESSAGE: &[u8] = b"hello from kms-quickstart";
const USAGE: &str = "usage: kms-quickstart [--live KEY_ID]";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let live_key = match parse_args(&args) {
        Ok(live_key) => live_key,
        Err(status) => return status,
    };
    match run(live_key).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kms-quickstart: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `Ok(live_key)` to run (see [`run`]); `Err(status)` to exit at once, after printing the usage (`--help`: 0, else 2).
fn parse_args(args: &[String]) -> Result<Option<String>, ExitCode> {
    match args {
        [] => Ok(None),
        [flag, key_id] if flag == "--live" => Ok(Some(key_id.clone())),
        [help] if help == "--help" || help == "-h" => {
            println!("{USAGE}");
            Err(ExitCode::SUCCESS)
        }
        _ => {
            eprintln!("{USAGE}");
            Err(ExitCode::from(2))
        }
    }
}

/// Encrypts and decrypts under a new emulator key, or (`live_key`) under that key of your account.
async fn run(live_key: Option<String>) -> Result<(), Box<dyn Error>> {
    let (kms, emulator, key_id) = match live_key {
        None => {
            let (config, emulator) = emulator_config().await?;
            let kms = Client::from_config(&config)?;
            let key = kms.create_key().description("kms-quickstart").send().await?;
            let key_id = key.key_metadata.and_then(|m| m.key_id).ok_or("the answer has no KeyId")?;
            println!("created key {key_id}");
            (kms, Some(emulator), key_id)
        }
        Some(key_id) => (Client::from_config(&Config::from_env()?)?, None, key_id),
    };

    let sealed = kms
        .encrypt()
        .key_id(&key_id)
        .plaintext_bytes(MESSAGE)
        .encryption_context_entry("purpose", "kms-quickstart")
        .send()
        .await?;
    let blob = sealed.ciphertext_blob.ok_or("the answer has no CiphertextBlob")?;
    let under = sealed.key_id.as_deref().unwrap_or("-");
    println!("ciphertext ({} Base64 characters) under key {under}", blob.len());

    let opened =
        kms.decrypt().ciphertext_blob(&blob).encryption_context_entry("purpose", "kms-quickstart").send().await?;
    let plaintext = opened.plaintext_bytes()?.ok_or("the answer has no Plaintext")?;
    // The plaintext is a secret: compare it, never print it.
    let round_trip = plaintext.expose_secret() == MESSAGE;
    println!("decrypted {} bytes: [redacted], the original message: {round_trip}", plaintext.expose_secret().len());

    let refused = kms.decrypt().ciphertext_blob(&blob).encryption_context_entry("purpose", "other").send().await;
    match &refused {
        Err(e) => println!(
            "with another encryption context: {} (request id {})",
            e.code().unwrap_or("-"),
            e.request_id().unwrap_or("-")
        ),
        Ok(_) => println!("with another encryption context: decrypted (unexpected)"),
    }
    if let Some(emulator) = emulator {
        emulator.shutdown().await;
    }
    if !round_trip {
        return Err("the round trip changed the message".into());
    }
    if refused.is_ok() {
        return Err("a different encryption context was accepted".into());
    }
    Ok(())
}

/// The in-process emulator on its demo seed, and a configuration signed with its root AccessKey.
async fn emulator_config() -> Result<(Config, EmulatorHandle), Box<dyn Error>> {
    let emulator = Emulator::builder().start().await?;
    let root = emulator.root_credentials();
    let config = Config::builder()
        .endpoint_url(emulator.endpoint_url())
        .region("cn-hangzhou")
        .static_credentials(root.access_key_id.clone(), root.access_key_secret.expose_secret())
        .build()?;
    Ok((config, emulator))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|a| (*a).to_owned()).collect()
    }

    #[tokio::test]
    async fn round_trips_and_refuses_another_context_on_the_emulator() {
        assert_eq!(parse_args(&[]), Ok(None));
        if let Err(e) = run(None).await {
            panic!("kms-quickstart on the emulator: {e}");
        }
    }

    #[test]
    fn a_bad_command_line_is_a_usage_error() {
        assert_eq!(parse_args(&args(&["--bogus"])), Err(ExitCode::from(2)));
        assert_eq!(parse_args(&args(&["--live"])), Err(ExitCode::from(2)));
        assert_eq!(parse_args(&args(&["--help"])), Err(ExitCode::SUCCESS));
        assert_eq!(parse_args(&args(&["--live", "alias/mine"])), Ok(Some("alias/mine".to_owned())));
    }
}
