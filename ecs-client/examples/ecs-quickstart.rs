//! Runs `whoami` as an OS user with Cloud Assistant and prints what each instance printed.
//!
//! ```sh
//! cargo run -p ecs-client --example ecs-quickstart                           # the built-in emulator
//! cargo run -p ecs-client --example ecs-quickstart -- --live i-bp1... user01 # your instance, as user01
//! ```
//! `--live` takes the region and credentials from the environment (`Config::from_env`: `ALIBABA_CLOUD_REGION_ID`,
//! `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, or the other sources of the default chain); the
//! instance needs the Cloud Assistant agent, and the OS user (default `user01`) must exist on it.
//! Exit status: 0 when the command succeeded on the instance, 1 when it or a call failed, 2 for a usage error.

use acs_core::waiter::WaiterConfig;
use acs_core::{Config, ExposeSecret as _};
use acs_emulator::{Emulator, EmulatorHandle};
use ecs_client::{Client, CommandType};
use std::error::Error;
use std::process::ExitCode;

const USAGE: &str = "usage: ecs-quickstart [--live INSTANCE_ID [OS_USER]]";

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
            eprintln!("ecs-quickstart: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `Ok(live)` to run (see [`run`]); `Err(status)` to exit at once, after printing the usage (`--help`: 0, else 2).
fn parse_args(args: &[String]) -> Result<Option<(String, String)>, ExitCode> {
    match args {
        [] => Ok(None),
        [flag, instance] if flag == "--live" => Ok(Some((instance.clone(), "user01".to_owned()))),
        [flag, instance, user] if flag == "--live" => Ok(Some((instance.clone(), user.clone()))),
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

/// Runs `whoami` on the emulator's Linux instance, or with `live` on (INSTANCE_ID, OS_USER) of your account.
async fn run(live: Option<(String, String)>) -> Result<(), Box<dyn Error>> {
    let (config, emulator, instance, user) = match live {
        None => {
            let (config, emulator) = emulator_config().await?;
            (config, Some(emulator), "i-emu-linux-0001".to_owned(), "user01".to_owned())
        }
        Some((instance, user)) => (Config::from_env()?, None, instance, user),
    };

    let ecs = Client::from_config(&config)?;
    let run = ecs
        .run_command()
        .instance_ids([instance])
        .command_type(CommandType::RunShellScript)
        .command_content("whoami")
        .username(user);
    let outcome = ecs.run_and_wait(run, &WaiterConfig::default()).await?;
    for i in &outcome.instances {
        let exit = i.exit_code.map_or_else(|| "-".to_owned(), |code| code.to_string());
        println!("{} {} (exit {exit}): {}", i.instance_id, i.status, i.output.trim_end());
        if let (Some(code), Some(info)) = (&i.error_code, &i.error_info) {
            println!("  {code}: {info}");
        }
    }
    if let Some(emulator) = emulator {
        emulator.shutdown().await;
    }
    if !outcome.all_succeeded() {
        return Err("the command did not succeed everywhere".into());
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
    async fn runs_whoami_on_the_emulator() {
        assert_eq!(parse_args(&[]), Ok(None));
        if let Err(e) = run(None).await {
            panic!("ecs-quickstart on the emulator: {e}");
        }
    }

    #[test]
    fn a_bad_command_line_is_a_usage_error() {
        assert_eq!(parse_args(&args(&["--bogus"])), Err(ExitCode::from(2)));
        assert_eq!(parse_args(&args(&["--live"])), Err(ExitCode::from(2)));
        assert_eq!(parse_args(&args(&["--help"])), Err(ExitCode::SUCCESS));
        assert_eq!(parse_args(&args(&["--live", "i-1", "root"])), Ok(Some(("i-1".to_owned(), "root".to_owned()))));
    }
}
