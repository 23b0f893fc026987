//! `linux-setup`: let a RAM user run Cloud Assistant commands on a Linux instance only as chosen OS users.
//!
//! ```text
//! linux-setup [--live] [--endpoint URL] [--region R] [--instance ID] [--ram-user NAME] [--policy-name NAME]
//!             [--allow-users user01,user02 | --deny-users root,system] [--plan | --teardown]
//!             [--credentials-out PATH [--rotate-access-key]] [--json]
//! ```
//! Without flags it starts the emulator in-process on the demo seed, runs the whole procedure, verifies it with
//! the new user's AccessKey (`whoami` as each allowed user succeeds, as `root` is refused with `Forbidden.RAM`)
//! and prints a report. `--endpoint URL` uses an emulator started separately instead, so that runs share it.
//! Exit 0 only when every check came out as expected (1: a check failed; 2: an error).
//! With `--live`, `--instance` is needed to apply (the verification runs on it), not for `--plan` or
//! `--teardown`, which touch RAM only.

use std::process::ExitCode;

use clap::Parser;
use examples::emulator::DEMO_LINUX_INSTANCE;
use examples::setup_cli::{self, CommonArgs};
use runas_workflow::{Platform, Setup};

/// Set up (or plan, or tear down) the Linux run-as procedure and verify it.
#[derive(Debug, Parser)]
#[command(
    name = "linux-setup",
    version,
    after_help = concat!(
        "Without flags: the whole procedure on an in-process emulator, verified with the new user's AccessKey.\n",
        "Live: ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET (or any source of the default chain) and ALIBABA_CLOUD_REGION_ID, then\n",
        "  linux-setup --live --instance i-bp1... --plan   (then without --plan to apply and verify, --teardown to undo)\n\n",
        "Exit status: 0 when every check came out as expected (or the --plan/--teardown succeeded), 1 when a check failed, 2 on an error (invalid flags, no credentials, a failed call)."
    )
)]
struct Args {
    #[command(flatten)]
    common: CommonArgs,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    setup_cli::run("linux-setup", &args.common, Platform::Linux, DEMO_LINUX_INSTANCE, |options, _| {
        Ok(Setup::linux(options)?)
    })
    .await
}
