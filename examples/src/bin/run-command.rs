//! `run-command`: run a script on one or more instances through Cloud Assistant as a given OS user, wait, and print
//! each instance's status, exit code and decoded output.
//!
//! ```text
//! run-command [--live] [--endpoint URL] [--region R] [--instance ID[,ID...]]... [--user NAME] [--type RunShellScript|RunBatScript|RunPowerShellScript]
//!             [--windows-password-name PARAM] [--timeout SECONDS] [--script-file PATH] [--credentials PATH]
//!             [--json] [SCRIPT]
//! ```
//! Without `--live` it starts the emulator in-process on the demo seed (instance `i-emu-linux-0001`), or with
//! `--endpoint URL` uses one started separately (`acs-emulator`), where `--credentials` (a file written by
//! `linux-setup --endpoint URL --credentials-out`) acts as the restricted user. The user is
//! always sent explicitly (default `root` for shell scripts, `System` for Windows scripts), so no policy depends on
//! the service's default. Exit 0 when the command succeeded everywhere, 1 when it failed somewhere, 2 on an error
//! (such as `Forbidden.RAM`).

use std::process::ExitCode;
use std::time::Duration;

use acs_core::waiter::WaiterConfig;
use clap::Parser;
use ecs_client::{CommandType, InvocationOutcome};
use examples::emulator::DEMO_LINUX_INSTANCE;
use examples::output;
use examples::progress::ProgressDisplay;
use examples::target::{Target, TargetKind};
use runas_workflow::credentials_file::AccessKeyPair;
use serde_json::json;

/// Run a script on instances through Cloud Assistant and print the results.
#[derive(Debug, Parser)]
#[command(
    name = "run-command",
    version,
    after_help = "Exit status: 0 when the command succeeded on every instance, 1 when it failed on one, 2 on an error \
                  (such as Forbidden.RAM or an unknown instance)."
)]
struct Args {
    /// Target the real cloud (default credential chain; needs credentials and a region).
    #[arg(long)]
    live: bool,
    /// Send every call to this URL instead of an in-process emulator, e.g. an `acs-emulator` you started (signed
    /// with the demo seed's root key, or --credentials; with --live, the credential chain).
    #[arg(long, value_name = "URL")]
    endpoint: Option<String>,
    /// Region of the instances (emulator default: cn-hangzhou).
    #[arg(long)]
    region: Option<String>,
    /// Instances to run on (repeat, or separate with commas; emulator default: the demo Linux instance).
    #[arg(long = "instance", value_name = "ID", value_delimiter = ',')]
    instances: Vec<String>,
    /// The OS user to run as (default: root for shell scripts, System for Windows scripts).
    #[arg(long)]
    user: Option<String>,
    /// Script type.
    #[arg(long = "type", default_value = "RunShellScript", value_parser = ["RunShellScript", "RunBatScript", "RunPowerShellScript"])]
    command_type: String,
    /// OOS encrypted parameter holding the Windows user's password (Windows users other than System).
    #[arg(long, value_name = "PARAM")]
    windows_password_name: Option<String>,
    /// Seconds the command may run.
    #[arg(long, default_value_t = 60)]
    timeout: i64,
    /// Read the script from this file instead of the command line.
    #[arg(long, value_name = "PATH", conflicts_with = "script")]
    script_file: Option<std::path::PathBuf>,
    /// Sign with the AccessKey in this credentials file (written by `linux-setup --credentials-out`), e.g. to act
    /// as the restricted RAM user. Needs --endpoint or --live: an in-process emulator knows no such key.
    #[arg(long, value_name = "PATH")]
    credentials: Option<std::path::PathBuf>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
    /// The script (default: whoami).
    script: Option<String>,
}

fn render(outcome: &InvocationOutcome) -> String {
    let mut out = format!("invocation {}\n", outcome.invoke_id);
    for i in &outcome.instances {
        out.push_str(&format!("\n{}  status {}", i.instance_id, i.status));
        // With an error code, an exit code of 0 means the command did not run (e.g. AccountNotExists): not shown.
        match (i.exit_code, &i.error_code) {
            (Some(0), Some(_)) => {}
            (Some(code), _) => out.push_str(&format!("  exit code {code}")),
            (None, _) => out.push_str("  exit code -"),
        }
        if let Some(code) = &i.error_code {
            out.push_str(&format!("  error {}", code.as_str()));
        }
        out.push('\n');
        if let Some(info) = &i.error_info {
            out.push_str(&format!("  {info}\n"));
        }
        for line in i.output.lines() {
            out.push_str(&format!("  | {line}\n"));
        }
        if let Some(d) = i.dropped.filter(|d| *d > 0) {
            out.push_str(&format!("  ({d} bytes of output were cut by the service)\n"));
        }
    }
    out
}

fn as_json(outcome: &InvocationOutcome) -> serde_json::Value {
    let instances: Vec<_> = outcome
        .instances
        .iter()
        .map(|i| {
            json!({
                "instance_id": i.instance_id,
                "status": i.status.to_string(),
                "exit_code": i.exit_code,
                "error_code": i.error_code.as_ref().map(|c| c.as_str().to_owned()),
                "error_info": i.error_info,
                "output": i.output,
            })
        })
        .collect();
    json!({ "invoke_id": outcome.invoke_id, "instances": instances, "ok": outcome.all_succeeded() })
}

async fn run(
    args: &Args,
    key: Option<&AccessKeyPair>,
    target: &Target,
    display: &ProgressDisplay,
) -> anyhow::Result<InvocationOutcome> {
    let script = match (&args.script_file, &args.script) {
        (Some(path), _) => std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read the script file {}: {e}", path.display()))?,
        (None, Some(s)) => s.clone(),
        (None, None) => "whoami".to_owned(),
    };
    let instances = match (args.instances.is_empty(), target.kind) {
        (false, _) => args.instances.clone(),
        (true, TargetKind::Emulator) => vec![DEMO_LINUX_INSTANCE.to_owned()],
        (true, TargetKind::Live) => anyhow::bail!("--live needs at least one --instance ID"),
    };
    let command_type = CommandType::from(args.command_type.as_str());
    let user = args.user.clone().unwrap_or_else(|| {
        if command_type == CommandType::RunShellScript {
            "root".to_owned()
        } else {
            "System".to_owned()
        }
    });
    let clients = match key {
        Some(key) => target.clients.with_access_key(&key.id, acs_core::ExposeSecret::expose_secret(&key.secret))?,
        None => target.clients.clone(),
    };
    let mut run = clients
        .ecs
        .run_command()
        .region_id(&target.region)
        .instance_ids(instances)
        .command_type(command_type)
        .command_content(script)
        .username(&user)
        .timeout(args.timeout);
    if let Some(p) = &args.windows_password_name {
        run = run.windows_password_name(p);
    }
    let waiter = WaiterConfig {
        initial_delay: Duration::from_millis(300),
        max_delay: Duration::from_secs(3),
        deadline: Duration::from_secs(args.timeout.max(1) as u64 + 120),
    };
    display.start_spinner(&format!("running as {user}"));
    let outcome = clients.ecs.run_and_wait(run, &waiter).await;
    display.stop_spinner();
    Ok(outcome?)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    examples::logging::init();
    let result = match access_key(&args) {
        Err(e) => Err(e),
        Ok(key) => connect_and_run(&args, key.as_ref()).await,
    };
    report(&args, result)
}

/// The AccessKey of `--credentials`, read (and refused when unusable) before connecting.
fn access_key(args: &Args) -> anyhow::Result<Option<AccessKeyPair>> {
    let Some(path) = &args.credentials else { return Ok(None) };
    if args.endpoint.is_none() && !args.live {
        anyhow::bail!(
            "--credentials needs --endpoint URL or --live: the in-process emulator starts empty for each run, so it \
             knows no key written by an earlier run. Start one with `cargo run -p acs-emulator`, then pass its URL \
             as --endpoint to both linux-setup and run-command"
        );
    }
    let creds = runas_workflow::credentials_file::read(path)?
        .ok_or_else(|| anyhow::anyhow!("credentials file {} does not exist", path.display()))?;
    let key =
        creds.access_key.ok_or_else(|| anyhow::anyhow!("credentials file {} holds no AccessKey", path.display()))?;
    Ok(Some(key))
}

async fn connect_and_run(args: &Args, key: Option<&AccessKeyPair>) -> anyhow::Result<InvocationOutcome> {
    match Target::connect(args.live, args.region.as_deref(), args.endpoint.as_deref()).await {
        Ok(target) => {
            let display = ProgressDisplay::new();
            let result = run(args, key, &target, &display).await;
            target.shutdown().await;
            result
        }
        Err(e) => Err(e),
    }
}

fn report(args: &Args, result: anyhow::Result<InvocationOutcome>) -> ExitCode {
    match result {
        Ok(outcome) => {
            if args.json {
                output::print(&format!("{}\n", serde_json::to_string_pretty(&as_json(&outcome)).unwrap_or_default()));
            } else {
                output::print(&render(&outcome));
            }
            if outcome.all_succeeded() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("run-command: {e:#}");
            if args.json {
                let code = e.downcast_ref::<acs_core::Error>().and_then(|e| e.code().map(str::to_owned));
                output::print(&format!("{}\n", json!({ "error": format!("{e:#}"), "error_code": code, "ok": false })));
            }
            ExitCode::from(2)
        }
    }
}
