//! Runs `whoami` as an OS user with Cloud Assistant and prints what each instance printed.
//!
//! ```sh
//! cargo run -p ecs-client --example ecs-quickstart                           # the built-in emulator
//! cargo run -p ecs-client --example ecs-quickstart -- --live i-bp1... user01 # your instance, as user01
//! ```
//! `--live` takes the region and credentials from the environment (`Config::from_env`: `ALIBABA_CLOUD_REGION_ID`,
//! `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, or the other sources of the default chain); the
//! instance needs the Cloud Assistant agent, and the OS user (default `user01`) must exist on it.

use acs_core::waiter::WaiterConfig;
use acs_core::{Config, ExposeSecret as _};
use acs_emulator::{Emulator, EmulatorHandle};
use ecs_client::{Client, CommandType};

const USAGE: &str = "usage: ecs-quickstart [--live INSTANCE_ID [OS_USER]]";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (config, emulator, instance, user) = match args.as_slice() {
        [] => {
            let (config, emulator) = emulator_config().await?;
            (config, Some(emulator), "i-emu-linux-0001", "user01")
        }
        [flag, instance] if flag == "--live" => (Config::from_env()?, None, instance.as_str(), "user01"),
        [flag, instance, user] if flag == "--live" => (Config::from_env()?, None, instance.as_str(), user.as_str()),
        _ => anyhow::bail!(USAGE),
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
        println!("{} {} (exit {:?}): {}", i.instance_id, i.status, i.exit_code, i.output.trim_end());
        if let (Some(code), Some(info)) = (&i.error_code, &i.error_info) {
            println!("  {code}: {info}");
        }
    }
    if let Some(emulator) = emulator {
        emulator.shutdown().await;
    }
    anyhow::ensure!(outcome.all_succeeded(), "the command did not succeed everywhere");
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
