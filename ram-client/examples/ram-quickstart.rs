//! Creates a RAM user and a custom policy built with `ram_policy`, attaches the policy, lists the user's policies,
//! then removes all three.
//!
//! ```sh
//! cargo run -p ram-client --example ram-quickstart             # the built-in emulator
//! cargo run -p ram-client --example ram-quickstart -- --live   # your account
//! ```
//! `--live` takes the credentials from the environment (`Config::from_env`: `ALIBABA_CLOUD_ACCESS_KEY_ID`,
//! `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, or the other sources of the default chain) and needs RAM write permission; it
//! creates and deletes the user `quickstartUser` and the policy `quickstartPolicy`, and stops before any change when
//! either exists without its marker (someone else's).
//! Exit status: 0 on success, 1 when a call failed, 2 for a usage error.

use acs_core::{Config, ExposeSecret as _};
use acs_emulator::{Emulator, EmulatorHandle};
use ram_client::{Client, PolicyType};
use ram_policy::PolicyDocument;
use std::error::Error;
use std::process::ExitCode;

const USER: &str = "quickstartUser";
const POLICY: &str = "quickstartPolicy";
/// The user's comments and the policy's description: what marks them as this example's.
const MARKER: &str = "ram-quickstart";
const USAGE: &str = "usage: ram-quickstart [--live]";

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
            eprintln!("ram-quickstart: {e}");
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

/// Creates, attaches, lists and removes, on the emulator or (`live`) on your account.
async fn run(live: bool) -> Result<(), Box<dyn Error>> {
    let (config, emulator) = if live {
        (Config::from_env()?, None)
    } else {
        let (config, emulator) = emulator_config().await?;
        (config, Some(emulator))
    };
    let result = create_attach_remove(&Client::from_config(&config)?).await;
    if let Some(emulator) = emulator {
        emulator.shutdown().await;
    }
    result
}

/// Creates [`USER`] and [`POLICY`], attaches, lists, and removes all three. A user or policy of that name that
/// does not carry [`MARKER`] is someone else's: the run stops before any change.
async fn create_attach_remove(ram: &Client) -> Result<(), Box<dyn Error>> {
    let user = ram.get_user().user_name(USER).send().await;
    absent_or_ours(USER, user.map(|r| r.user.and_then(|u| u.comments)))?;
    let policy = ram.get_policy().policy_name(POLICY).policy_type(PolicyType::Custom).send().await;
    absent_or_ours(POLICY, policy.map(|r| r.policy.and_then(|p| p.description)))?;

    let policy = PolicyDocument::builder()
        .allow(["ecs:RunCommand"])
        .on(["acs:ecs:*:*:instance/*", "acs:ecs:*:*:command/*"])
        .when_string_equals("ecs:CommandRunAs", ["user01"])
        .build();
    // Already there (an earlier run stopped half-way, checked above) is fine: the steps below clean up.
    existing_ok(ram.create_user().user_name(USER).comments(MARKER).send().await)?;
    let create = ram.create_policy().policy_name(POLICY).policy_document(&policy).description(MARKER);
    existing_ok(create.send().await)?;
    let attach = ram.attach_policy_to_user().user_name(USER).policy_name(POLICY).policy_type(PolicyType::Custom);
    existing_ok(attach.send().await)?;

    let attached = ram.list_policies_for_user().user_name(USER).send().await?;
    for p in &attached.policies {
        println!(
            "{USER}: {} ({})",
            p.policy_name.as_deref().unwrap_or("-"),
            p.policy_type.as_ref().map_or("-", |t| t.as_str())
        );
    }

    let detach = ram.detach_policy_from_user().user_name(USER).policy_name(POLICY).policy_type(PolicyType::Custom);
    detach.send().await?;
    ram.delete_policy().policy_name(POLICY).send().await?;
    ram.delete_user().user_name(USER).send().await?;
    println!("removed {USER} and {POLICY}");
    Ok(())
}

/// `Ok` when the entity `name` does not exist or carries [`MARKER`] (`marked`: its comments or description).
fn absent_or_ours(name: &str, marked: Result<Option<String>, acs_core::Error>) -> Result<(), Box<dyn Error>> {
    match marked {
        Err(e) if e.is_not_found() => Ok(()),
        Err(e) => Err(e.into()),
        Ok(marker) if marker.as_deref() == Some(MARKER) => Ok(()),
        Ok(_) => Err(format!("{name} exists and was not created by this example: nothing was changed").into()),
    }
}

/// `Ok` for success and for the service's "already exists" answer.
fn existing_ok<T>(result: Result<T, acs_core::Error>) -> Result<(), acs_core::Error> {
    match result {
        Ok(_) => Ok(()),
        Err(e) if e.is_already_exists() => {
            println!("already there: {}", e.code().unwrap_or("-"));
            Ok(())
        }
        Err(e) => Err(e),
    }
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
    async fn creates_attaches_and_removes_on_the_emulator() {
        assert_eq!(parse_args(&[]), Ok(false));
        if let Err(e) = run(false).await {
            panic!("ram-quickstart on the emulator: {e}");
        }
    }

    #[tokio::test]
    async fn a_user_or_policy_the_example_did_not_create_is_left_alone() {
        let (config, emulator) = emulator_config().await.expect("emulator");
        let ram = Client::from_config(&config).expect("client");
        ram.create_user().user_name(USER).comments("the payroll robot").send().await.expect("their user");
        let e = create_attach_remove(&ram).await.expect_err("someone else's user");
        assert!(e.to_string().contains(&format!("{USER} exists and was not created")), "{e}");
        assert!(ram.get_user().user_name(USER).send().await.is_ok(), "their user is kept");
        let absent = ram.get_policy().policy_name(POLICY).policy_type(PolicyType::Custom).send().await;
        assert!(absent.expect_err("no policy was created").is_not_found());

        ram.delete_user().user_name(USER).send().await.expect("delete their user");
        let doc = PolicyDocument::builder().allow(["ecs:DescribeInstances"]).on(["*"]).build();
        ram.create_policy().policy_name(POLICY).policy_document(&doc).send().await.expect("their policy");
        let e = create_attach_remove(&ram).await.expect_err("someone else's policy");
        assert!(e.to_string().contains(&format!("{POLICY} exists and was not created")), "{e}");
        assert!(ram.get_policy().policy_name(POLICY).policy_type(PolicyType::Custom).send().await.is_ok());
        assert!(ram.get_user().user_name(USER).send().await.expect_err("no user was created").is_not_found());
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
