//! Stores a secret parameter, reads it back decrypted, checks the value and deletes the parameter.
//!
//! ```sh
//! cargo run -p oos-client --example oos-quickstart             # the built-in emulator
//! cargo run -p oos-client --example oos-quickstart -- --live   # your account
//! ```
//! `--live` takes the region and credentials from the environment (`Config::from_env`: `ALIBABA_CLOUD_REGION_ID`,
//! `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, or the other sources of the default chain); it
//! creates and deletes the parameter `quickstartSecret` (encrypted with the account's default KMS key); one of that
//! name it did not create (another description) is left alone and the run fails.
//! Exit status: 0 when the value read back matches, 1 when it does not or a call failed, 2 for a usage error.

use acs_core::{Config, ExposeSecret as _};
use acs_emulator::{Emulator, EmulatorHandle};
use oos_client::Client;
use std::error::Error;
use std::process::ExitCode;

const NAME: &str = "quickstartSecret";
const VALUE: &str = "quickstart-S3cret!"; // a demo value, deleted at the end
/// The description that marks the parameter as this example's.
const MARKER: &str = "oos-quickstart";
const USAGE: &str = "usage: oos-quickstart [--live]";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let live = match parse_args(&args) {
        Ok(live) => live,
        Err(status) => return status,
    };
    match run(live).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("oos-quickstart: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `Ok(live)` to run (see [`run`]); `Err(status)` to exit at once, after printing the usage (`--help`: 0, else 2).
fn parse_args(args: &[String]) -> Result<bool, ExitCode> {
    match args {
        [] => Ok(false),
        [flag] if flag == "--live" => Ok(true),
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

/// Stores, reads back and deletes the parameter, on the emulator or (`live`) on your account.
async fn run(live: bool) -> Result<(), Box<dyn Error>> {
    let (config, emulator) = if live {
        (Config::from_env()?, None)
    } else {
        let (config, emulator) = emulator_config().await?;
        (config, Some(emulator))
    };
    let result = store_read_delete(&Client::from_config(&config)?).await;
    if let Some(emulator) = emulator {
        emulator.shutdown().await;
    }
    result
}

/// Stores [`NAME`], reads it back decrypted, compares and deletes it. A parameter already there is this example's
/// only when its description is [`MARKER`] (an earlier run stopped half-way); anyone else's is left alone.
async fn store_read_delete(oos: &Client) -> Result<(), Box<dyn Error>> {
    match oos.create_secret_parameter().name(NAME).value(VALUE).description(MARKER).send().await {
        Ok(_) => println!("created {NAME}"),
        // An earlier run stopped half-way: read what is there, then delete it below.
        Err(e) if e.is_already_exists() => println!("{NAME} exists already"),
        Err(e) => return Err(e.into()),
    }

    let read = oos.get_secret_parameter().name(NAME).with_decryption(true).send().await?;
    let parameter = read.parameter.ok_or("the answer has no Parameter")?;
    if parameter.description.as_deref() != Some(MARKER) {
        return Err(format!("{NAME} exists and was not created by this example: left as it is").into());
    }
    let value = parameter.value.ok_or("the answer has no Value")?;
    let matches = value.expose_secret() == VALUE;
    let version = parameter.parameter_version.map_or_else(|| "-".to_owned(), |v| v.to_string());
    // The value is a secret: compare it, never print it.
    println!("read {NAME} version {version}: [redacted], matches what was stored: {matches}");

    oos.delete_secret_parameter().name(NAME).send().await?;
    println!("deleted {NAME}");
    if !matches {
        return Err("the decrypted value differs from the stored one".into());
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
    async fn stores_reads_back_and_deletes_on_the_emulator() {
        assert_eq!(parse_args(&[]), Ok(false));
        if let Err(e) = run(false).await {
            panic!("oos-quickstart on the emulator: {e}");
        }
    }

    #[tokio::test]
    async fn a_parameter_the_example_did_not_create_is_left_alone() {
        let (config, emulator) = emulator_config().await.expect("emulator");
        let oos = Client::from_config(&config).expect("client");
        oos.create_secret_parameter().name(NAME).value("theirs").description("payroll").send().await.expect("theirs");
        let e = store_read_delete(&oos).await.expect_err("someone else's parameter");
        assert!(e.to_string().contains("not created by this example"), "{e}");
        let kept = oos.get_secret_parameter().name(NAME).with_decryption(true).send().await.expect("still there");
        let value = kept.parameter.and_then(|p| p.value).expect("value");
        assert_eq!(value.expose_secret(), "theirs");
        emulator.shutdown().await;
    }

    #[test]
    fn a_bad_command_line_is_a_usage_error() {
        assert_eq!(parse_args(&args(&["--bogus"])), Err(ExitCode::from(2)));
        assert_eq!(parse_args(&args(&["--live", "extra"])), Err(ExitCode::from(2)));
        assert_eq!(parse_args(&args(&["--help"])), Err(ExitCode::SUCCESS));
        assert_eq!(parse_args(&args(&["--live"])), Ok(true));
    }
}
