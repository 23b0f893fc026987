//! Stores a secret parameter, reads it back decrypted, checks the value and deletes the parameter.
//!
//! ```sh
//! cargo run -p oos-client --example oos-quickstart             # the built-in emulator
//! cargo run -p oos-client --example oos-quickstart -- --live   # your account
//! ```
//! `--live` takes the region and credentials from the environment (`Config::from_env`: `ALIBABA_CLOUD_REGION_ID`,
//! `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, or the other sources of the default chain); it
//! creates and deletes the parameter `quickstartSecret` (encrypted with the account's default KMS key).

use acs_core::{Config, ExposeSecret as _};
use acs_emulator::{Emulator, EmulatorHandle};
use oos_client::Client;

const NAME: &str = "quickstartSecret";
const VALUE: &str = "quickstart-S3cret!"; // a demo value, deleted at the end

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (config, emulator) = match args.as_slice() {
        [] => {
            let (config, emulator) = emulator_config().await?;
            (config, Some(emulator))
        }
        [flag] if flag == "--live" => (Config::from_env()?, None),
        _ => anyhow::bail!("usage: oos-quickstart [--live]"),
    };

    let oos = Client::from_config(&config)?;
    match oos.create_secret_parameter().name(NAME).value(VALUE).description("oos-quickstart").send().await {
        Ok(_) => println!("created {NAME}"),
        // An earlier run stopped half-way: read what is there, then delete it below.
        Err(e) if e.is_already_exists() => println!("{NAME} exists already"),
        Err(e) => return Err(e.into()),
    }

    let read = oos.get_secret_parameter().name(NAME).with_decryption(true).send().await?;
    let parameter = read.parameter.ok_or_else(|| anyhow::anyhow!("the answer has no Parameter"))?;
    let value = parameter.value.ok_or_else(|| anyhow::anyhow!("the answer has no Value"))?;
    let matches = value.expose_secret() == VALUE;
    // The value itself prints as [REDACTED]: secrets are never shown by accident.
    println!("read {NAME} version {:?}: {value:?}, matches what was stored: {matches}", parameter.parameter_version);

    oos.delete_secret_parameter().name(NAME).send().await?;
    println!("deleted {NAME}");
    if let Some(emulator) = emulator {
        emulator.shutdown().await;
    }
    anyhow::ensure!(matches, "the decrypted value differs from the stored one");
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
