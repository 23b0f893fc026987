//! `windows-setup`: let a RAM user run Cloud Assistant commands on a Windows instance only as chosen OS users,
//! with the Windows password in an OOS encrypted parameter read by the instance's RAM role.
//!
//! ```text
//! windows-setup [--live] [--endpoint URL] [--region R] [--instance ID] [--ram-user NAME] [--policy-name NAME]
//!               [--allow-users user01,user02 | --deny-users root,system] [--plan | --teardown]
//!               [--credentials-out PATH [--rotate-access-key]] [--json]
//!               [--role-name AxtSecretRamRole] [--kms-policy-name kmsPolicy] [--password-param axtSecretPassword]
//!               [--windows-user user01] [--kms-key-id KEY]
//! ```
//! The Windows password comes from `WINDOWS_USER_PASSWORD`, else a no-echo prompt; on the emulator it defaults to
//! the demo seed's password of `user01`. Verification runs `whoami` as the Windows user (expects success) and as
//! `system` (expects `Forbidden.RAM`); a failure inside the agent is explained (e.g. no role attached).
//! With `--live`, `--instance` is always needed: the role is attached to it (and detached at `--teardown`).

use std::process::ExitCode;

use acs_core::SecretString;
use clap::Parser;
use examples::emulator::{DEMO_WINDOWS_INSTANCE, DEMO_WINDOWS_PASSWORD};
use examples::setup_cli::{self, CommonArgs};
use examples::target::TargetKind;
use runas_workflow::{Platform, Setup, WindowsOptions};

/// Set up (or plan, or tear down) the Windows run-as procedure and verify it.
#[derive(Debug, Parser)]
#[command(
    name = "windows-setup",
    version,
    after_help = concat!(
        "The Windows password: WINDOWS_USER_PASSWORD, else a no-echo prompt (on the emulator: the demo seed's password\n",
        "of user01). Live: ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET (or any source of the default chain) and\n",
        "ALIBABA_CLOUD_REGION_ID; --instance is always needed.\n\n",
        "Exit status: 0 when every check came out as expected (or the --plan/--teardown succeeded), 1 when a check failed, 2 on an error (invalid flags, no credentials, a failed call)."
    )
)]
struct Args {
    #[command(flatten)]
    common: CommonArgs,
    /// Instance RAM role trusted by ECS.
    #[arg(long, default_value = runas_workflow::DEFAULT_ROLE_NAME)]
    role_name: String,
    /// Custom policy attached to the role.
    #[arg(long, default_value = runas_workflow::DEFAULT_ROLE_POLICY_NAME)]
    role_policy_name: String,
    /// Custom KMS policy attached to the user.
    #[arg(long, default_value = runas_workflow::DEFAULT_KMS_POLICY_NAME)]
    kms_policy_name: String,
    /// OOS encrypted parameter holding the Windows password.
    #[arg(long, default_value = runas_workflow::DEFAULT_PASSWORD_PARAM)]
    password_param: String,
    /// The Windows user whose password the parameter holds.
    #[arg(long, default_value = "user01")]
    windows_user: String,
    /// KMS key for the parameter (default: the service's default key).
    #[arg(long, value_name = "KEY")]
    kms_key_id: Option<String>,
}

fn password(kind: TargetKind, teardown: bool) -> anyhow::Result<SecretString> {
    if let Ok(p) = std::env::var("WINDOWS_USER_PASSWORD") {
        if !p.is_empty() {
            return Ok(SecretString::from(p));
        }
    }
    if teardown {
        // Teardown never uses the password.
        return Ok(SecretString::from("unused-by-teardown".to_owned()));
    }
    match kind {
        TargetKind::Emulator => Ok(SecretString::from(DEMO_WINDOWS_PASSWORD.to_owned())),
        TargetKind::Live => examples::password::prompt_no_echo("Windows password of the user: "),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let teardown = args.common.teardown;
    setup_cli::run("windows-setup", &args.common, Platform::Windows, DEMO_WINDOWS_INSTANCE, |base, kind| {
        let mut options = WindowsOptions::new(base.region.clone(), base.instance_id.clone(), password(kind, teardown)?);
        options.base = base;
        options.role_name = args.role_name.clone();
        options.role_policy_name = args.role_policy_name.clone();
        options.kms_policy_name = args.kms_policy_name.clone();
        options.password_param = args.password_param.clone();
        options.windows_user = args.windows_user.clone();
        options.kms_key_id = args.kms_key_id.clone();
        Ok(Setup::windows(options)?)
    })
    .await
}
