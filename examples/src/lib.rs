//! Shared helpers of the example binaries (`linux-setup`, `windows-setup`, `run-command`, `policy-sim`,
//! `acs-sign`): where to run (the in-process emulator, one started separately at `--endpoint`, or the real cloud),
//! the live progress display on stderr, the report (a readable table, or the JSON object of the README's
//! "Contracts"), printing it on stdout (a closed pipe is not a crash), logging and the no-echo password prompt.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use examples::target::Target;
//! let target = Target::connect(false, None, None).await?; // in-process emulator on the demo seed
//! println!("{} in {}", target.kind.as_str(), target.region);
//! target.shutdown().await;
//! # Ok(()) }
//! ```

/// The repository README, whose Rust examples are compiled as doctests of this crate so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// The in-process emulator the binaries use when `--live` is not given.
pub mod emulator {
    use acs_core::{Config, ExposeSecret};
    use acs_emulator::{Emulator, EmulatorHandle};

    /// Region of the demo seed's instances.
    pub const DEMO_REGION: &str = "cn-hangzhou";
    /// The demo seed's Linux instance.
    pub const DEMO_LINUX_INSTANCE: &str = "i-emu-linux-0001";
    /// The demo seed's Windows instance.
    pub const DEMO_WINDOWS_INSTANCE: &str = "i-emu-windows-0001";
    /// The demo seed's password of `user01` on the Windows instance (not a real secret: it is in the seed).
    pub const DEMO_WINDOWS_PASSWORD: &str = "Emu-Passw0rd-user01";

    /// Starts the emulator on `127.0.0.1:<ephemeral>` with the demo seed.
    pub async fn start_demo() -> anyhow::Result<EmulatorHandle> {
        Ok(Emulator::builder().start().await?)
    }

    /// A configuration that sends every call to `emulator`, signed with its root key.
    pub fn config(emulator: &EmulatorHandle, region: &str) -> anyhow::Result<Config> {
        let root = emulator.root_credentials();
        signed_config(&emulator.endpoint_url(), region, &root.access_key_id, root.access_key_secret.expose_secret())
    }

    /// A configuration that sends every call to an emulator started separately (`acs-emulator`) at `endpoint`,
    /// signed with the demo seed's root AccessKey.
    pub fn external_config(endpoint: &str, region: &str) -> anyhow::Result<Config> {
        let seed = acs_emulator::Seed::demo();
        let root = seed.root_access_keys.first().ok_or_else(|| anyhow::anyhow!("the demo seed has no root key"))?;
        signed_config(endpoint, region, &root.id, root.secret.expose_secret())
    }

    fn signed_config(endpoint: &str, region: &str, id: &str, secret: &str) -> anyhow::Result<Config> {
        Ok(Config::builder().endpoint_url(endpoint).region(region).static_credentials(id, secret).build()?)
    }
}

/// Where the binaries run: the in-process emulator, or the real cloud with the default credential chain.
pub mod target {
    use acs_core::Config;
    use acs_emulator::EmulatorHandle;
    use anyhow::Context as _;
    use runas_workflow::Clients;

    /// Emulator or live.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum TargetKind {
        /// The in-process emulator on the demo seed.
        Emulator,
        /// The real cloud.
        Live,
    }

    impl TargetKind {
        /// `emulator` or `live` (the JSON contract's `target`).
        pub fn as_str(self) -> &'static str {
            match self {
                TargetKind::Emulator => "emulator",
                TargetKind::Live => "live",
            }
        }
    }

    /// Clients for the chosen target (and the emulator, kept running while this value lives).
    #[derive(Debug)]
    pub struct Target {
        /// Emulator or live.
        pub kind: TargetKind,
        /// The region calls go to.
        pub region: String,
        /// The four service clients.
        pub clients: Clients,
        /// The running emulator, when not live.
        pub emulator: Option<EmulatorHandle>,
    }

    /// Checks an `--endpoint` value as the SDK's configuration does (`http://` or `https://`, a host, nothing
    /// after the port), before any connection, with an example of the expected form in the error.
    pub fn check_endpoint(endpoint: &str) -> anyhow::Result<()> {
        let checked = Config::builder().static_credentials("-", "-").endpoint_url(endpoint).build();
        checked.map(drop).map_err(|e| {
            anyhow::anyhow!("--endpoint expects a URL such as http://127.0.0.1:8080 (scheme, host and port): {e}")
        })
    }

    impl Target {
        /// Where the calls go:
        /// - `live == false`, no `endpoint`: starts the emulator in-process on the demo seed;
        /// - `live == false`, `endpoint`: an emulator started separately (`acs-emulator`) at that URL, signed with
        ///   the demo seed's root AccessKey;
        /// - `live == true`: the default credential chain and `ALIBABA_CLOUD_REGION_ID` (or `region`), to the real
        ///   endpoints or to `endpoint`; refuses to start without credentials or without a region.
        ///
        /// On the emulator the region is `region` or the demo region.
        pub async fn connect(live: bool, region: Option<&str>, endpoint: Option<&str>) -> anyhow::Result<Target> {
            if let Some(endpoint) = endpoint {
                check_endpoint(endpoint)?;
            }
            if !live {
                let region = region.unwrap_or(crate::emulator::DEMO_REGION).to_owned();
                if let Some(endpoint) = endpoint {
                    let clients = Clients::new(&crate::emulator::external_config(endpoint, &region)?)?;
                    return Ok(Target { kind: TargetKind::Emulator, region, clients, emulator: None });
                }
                let emulator = crate::emulator::start_demo().await?;
                let clients = Clients::new(&crate::emulator::config(&emulator, &region)?)?;
                return Ok(Target { kind: TargetKind::Emulator, region, clients, emulator: Some(emulator) });
            }
            let base = Config::from_env().context("reading the configuration from the environment")?;
            let region = region.map(str::to_owned).or_else(|| base.region().map(str::to_owned)).ok_or_else(|| {
                anyhow::anyhow!("--live needs a region: pass --region or set ALIBABA_CLOUD_REGION_ID")
            })?;
            base.credentials_provider().provide_credentials().await.map_err(|e| {
                anyhow::anyhow!(
                    "--live needs credentials (ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET, an aliyun CLI profile, ...): {e}"
                )
            })?;
            let mut config =
                Config::builder().region(&region).credentials_provider(base.credentials_provider().clone());
            if let Some(endpoint) = endpoint {
                config = config.endpoint_url(endpoint);
            }
            let config = config.build()?;
            Ok(Target { kind: TargetKind::Live, region, clients: Clients::new(&config)?, emulator: None })
        }

        /// Stops the emulator, if any.
        pub async fn shutdown(self) {
            if let Some(e) = self.emulator {
                e.shutdown().await;
            }
        }
    }
}

/// The live progress display on stderr: one line per step, a spinner during long waits when stderr is a TTY.
pub mod progress {
    use std::io::{IsTerminal as _, Write as _};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    use std::thread::JoinHandle;
    use std::time::Duration;

    use runas_workflow::{Phase, ProgressEvent, StepReport};

    const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

    struct Spinner {
        stop: Arc<AtomicBool>,
        thread: JoinHandle<()>,
    }

    #[derive(Default)]
    struct State {
        spinner: Option<Spinner>,
        finished: Vec<StepReport>,
    }

    /// `[index/total]`, the index padded to the width of the total so that the lines stay aligned.
    pub fn counter(index: usize, total: usize) -> String {
        let width = total.to_string().len();
        format!("[{index:>width$}/{total}]")
    }

    /// Renders [`ProgressEvent`]s on stderr and remembers the finished steps (to report them after an error).
    #[derive(Clone)]
    pub struct ProgressDisplay {
        tty: bool,
        state: Arc<Mutex<State>>,
    }

    impl std::fmt::Debug for ProgressDisplay {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("ProgressDisplay").field("tty", &self.tty).finish_non_exhaustive()
        }
    }

    impl Default for ProgressDisplay {
        fn default() -> Self {
            ProgressDisplay::new()
        }
    }

    impl ProgressDisplay {
        /// Spinner and line rewriting only when stderr is a terminal.
        pub fn new() -> ProgressDisplay {
            ProgressDisplay { tty: std::io::stderr().is_terminal(), state: Arc::default() }
        }

        /// The callback to give to `Setup::on_progress`.
        pub fn sink(&self) -> impl Fn(&ProgressEvent) + Send + Sync + 'static {
            let this = self.clone();
            move |event| this.handle(event)
        }

        /// The steps finished so far.
        pub fn finished_steps(&self) -> Vec<StepReport> {
            self.lock().finished.clone()
        }

        fn lock(&self) -> std::sync::MutexGuard<'_, State> {
            self.state.lock().unwrap_or_else(|e| e.into_inner())
        }

        /// Shows `what` with a spinner (TTY) or as one line, until [`ProgressDisplay::stop_spinner`].
        pub fn start_spinner(&self, what: &str) {
            self.stop_spinner();
            if !self.tty {
                eprintln!("  … {what}");
                return;
            }
            let stop = Arc::new(AtomicBool::new(false));
            let flag = stop.clone();
            let what = what.to_owned();
            let thread = std::thread::spawn(move || {
                let mut i = 0usize;
                while !flag.load(Ordering::Relaxed) {
                    eprint!("\r\x1b[2K  {} {what}", FRAMES[i % FRAMES.len()]);
                    let _ = std::io::stderr().flush();
                    i += 1;
                    std::thread::sleep(Duration::from_millis(80));
                }
                eprint!("\r\x1b[2K");
                let _ = std::io::stderr().flush();
            });
            self.lock().spinner = Some(Spinner { stop, thread });
        }

        /// Stops the spinner, if one runs.
        pub fn stop_spinner(&self) {
            let spinner = self.lock().spinner.take();
            if let Some(s) = spinner {
                s.stop.store(true, Ordering::Relaxed);
                let _ = s.thread.join();
            }
        }

        fn handle(&self, event: &ProgressEvent) {
            match event {
                ProgressEvent::StepStarted { index, total, action, target, .. } if self.tty => {
                    let index = counter(*index, *total);
                    eprint!("\r\x1b[2K{index} {action} {target} …");
                    let _ = std::io::stderr().flush();
                }
                ProgressEvent::StepFinished { phase, index, total, report } => {
                    self.stop_spinner();
                    let verb = match phase {
                        Phase::Plan => "plan",
                        Phase::Apply => "apply",
                        Phase::Teardown => "teardown",
                    };
                    let clear = if self.tty { "\r\x1b[2K" } else { "" };
                    eprintln!(
                        "{clear}{} {verb} {:<9} {} {}",
                        counter(*index, *total),
                        report.result.as_str(),
                        report.action,
                        report.target
                    );
                    self.lock().finished.push(report.clone());
                }
                ProgressEvent::Waiting { what } => self.start_spinner(what),
                ProgressEvent::WaitOver => self.stop_spinner(),
                ProgressEvent::CheckStarted { run_as } if self.tty => {
                    eprint!("\r\x1b[2Kcheck: whoami as {run_as} …");
                    let _ = std::io::stderr().flush();
                }
                ProgressEvent::CheckFinished { check } => {
                    self.stop_spinner();
                    let clear = if self.tty { "\r\x1b[2K" } else { "" };
                    let mark = if check.passed() { "ok  " } else { "FAIL" };
                    eprintln!(
                        "{clear}check {mark} whoami as {}: expected {}, got {}",
                        check.run_as, check.expected, check.actual
                    );
                }
                _ => {}
            }
        }
    }
}

/// The final report: a readable table, or the JSON object of the contract (README, "Contracts").
pub mod report {
    use std::fmt::Write as _;

    use runas_workflow::{Check, KeySource, StepReport};

    /// The `--json` object, keys in the order of the contract (as `policy-sim --json` keeps its own).
    #[derive(Debug, serde::Serialize)]
    struct ContractReport<'a> {
        target: &'a str,
        steps: &'a [StepReport],
        checks: &'a [Check],
        ok: bool,
    }

    /// `{"target", "steps": [{"action","target","result"}], "checks": [{"run_as","expected","actual","invoke_id",
    /// "output","error_code"}], "ok"}` as pretty-printed JSON with a final newline, every object's keys in that
    /// order.
    pub fn contract_json(target: &str, steps: &[StepReport], checks: &[Check], ok: bool) -> String {
        let report = ContractReport { target, steps, checks, ok };
        // Strings, enums, options and booleans: serializing cannot fail.
        format!("{}\n", serde_json::to_string_pretty(&report).unwrap_or_default())
    }

    fn table(rows: &[Vec<String>]) -> String {
        let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0))
            .collect();
        let mut out = String::new();
        for row in rows {
            let mut line = String::from(" ");
            for (c, cell) in row.iter().enumerate() {
                let pad = if c + 1 == row.len() { 0 } else { widths[c] - cell.chars().count() };
                let _ = write!(line, " {cell}{}", " ".repeat(pad));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// A readable report: the steps, the checks with their reasons, and the verdict.
    pub fn render(
        title: &str,
        target: &str,
        steps: &[StepReport],
        checks: &[Check],
        key_source: Option<KeySource>,
        ok: bool,
    ) -> String {
        let mut out = format!("{title} ({target})\n\n");
        if !steps.is_empty() {
            let mut rows = vec![vec!["#".into(), "step".into(), "target".into(), "result".into(), "detail".into()]];
            for (i, s) in steps.iter().enumerate() {
                rows.push(vec![
                    (i + 1).to_string(),
                    s.action.clone(),
                    s.target.clone(),
                    s.result.as_str().into(),
                    s.detail.clone(),
                ]);
            }
            out.push_str("Steps\n");
            out.push_str(&table(&rows));
            out.push('\n');
        }
        if !checks.is_empty() {
            out.push_str("Checks");
            if let Some(source) = key_source {
                let _ = write!(out, " (with the new user's key: {source})");
            }
            out.push('\n');
            let mut rows = vec![vec![
                "run as".into(),
                "expected".into(),
                "actual".into(),
                "verdict".into(),
                "invoke id".into(),
                "output / error".into(),
            ]];
            for c in checks {
                let said = match (&c.output, &c.error_code) {
                    (Some(o), Some(code)) if !o.is_empty() => format!("{code}: {o}"),
                    (Some(o), None) => o.clone(),
                    (_, Some(code)) => code.clone(),
                    _ => String::new(),
                };
                rows.push(vec![
                    c.run_as.clone(),
                    c.expected.to_string(),
                    c.actual.to_string(),
                    if c.passed() { "ok".into() } else { "FAIL".into() },
                    c.invoke_id.clone().unwrap_or_else(|| "-".into()),
                    said.replace('\n', " "),
                ]);
            }
            out.push_str(&table(&rows));
            for c in checks.iter().filter(|c| !c.passed()) {
                if let Some(why) = &c.explanation {
                    let _ = writeln!(out, "  why {}: {why}", c.run_as);
                }
            }
            out.push('\n');
        }
        out.push_str(if ok { "Result: OK\n" } else { "Result: FAILED\n" });
        out
    }
}

/// Printing results on stdout when the reader may go away (`linux-setup --json | head -1`).
pub mod output {
    use std::io::Write as _;

    /// Writes `text` to stdout. A closed pipe is not an error (the reader has what it wanted); any other write
    /// failure is reported on stderr. Never panics, unlike `print!`.
    pub fn print(text: &str) {
        let mut out = std::io::stdout().lock();
        if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                let _ = writeln!(std::io::stderr(), "cannot write to stdout: {e}");
            }
        }
    }
}

/// Logging to stderr, filtered by `RUST_LOG` (default `warn`). Secrets are never logged by the libraries.
pub mod logging {
    /// Installs the subscriber (once; later calls do nothing).
    pub fn init() {
        use std::io::IsTerminal as _;
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .try_init();
    }
}

/// Reading a password without echoing it.
pub mod password {
    use acs_core::SecretString;

    /// Asks on the terminal with echo turned off (`stty -echo`). Fails when stdin is not a terminal.
    pub fn prompt_no_echo(prompt: &str) -> anyhow::Result<SecretString> {
        use std::io::IsTerminal as _;
        if !std::io::stdin().is_terminal() {
            anyhow::bail!("stdin is not a terminal, so the password cannot be asked for: set WINDOWS_USER_PASSWORD");
        }
        read_without_echo(prompt)
    }

    #[cfg(unix)]
    fn read_without_echo(prompt: &str) -> anyhow::Result<SecretString> {
        use std::process::{Command, Stdio};
        let stty = |arg: &str| -> bool {
            std::fs::File::open("/dev/tty")
                .ok()
                .and_then(|tty| Command::new("stty").arg(arg).stdin(Stdio::from(tty)).status().ok())
                .is_some_and(|s| s.success())
        };
        eprint!("{prompt}");
        if !stty("-echo") {
            eprintln!();
            anyhow::bail!("cannot turn off echo on this terminal: set WINDOWS_USER_PASSWORD instead");
        }
        let mut line = String::new();
        let read = std::io::stdin().read_line(&mut line);
        stty("echo");
        eprintln!();
        read?;
        let password = line.trim_end_matches(['\r', '\n']).to_owned();
        if password.is_empty() {
            anyhow::bail!("the password is empty");
        }
        Ok(SecretString::from(password))
    }

    #[cfg(not(unix))]
    fn read_without_echo(_prompt: &str) -> anyhow::Result<SecretString> {
        anyhow::bail!("no password prompt on this platform: set WINDOWS_USER_PASSWORD")
    }
}

/// The command line shared by `linux-setup` and `windows-setup`, and the run that both perform.
pub mod setup_cli {
    use std::path::PathBuf;
    use std::process::ExitCode;

    use runas_workflow::{Check, KeySource, Options, Platform, RunAsRule, Setup, StepReport, WorkflowError};

    use crate::progress::ProgressDisplay;
    use crate::target::{Target, TargetKind};

    /// Flags of both setup binaries (the contract in the README's "Contracts", and more).
    #[derive(Debug, clap::Args)]
    pub struct CommonArgs {
        /// Target the real cloud (default credential chain; needs credentials and a region) instead of the
        /// in-process emulator.
        #[arg(long)]
        pub live: bool,
        /// Send every call to this URL instead of an in-process emulator, e.g. an `acs-emulator` you started, so
        /// that runs share its state (signed with the demo seed's root key; with --live, the credential chain).
        #[arg(long, value_name = "URL")]
        pub endpoint: Option<String>,
        /// Region of the instance (emulator default: cn-hangzhou; live: ALIBABA_CLOUD_REGION_ID).
        #[arg(long)]
        pub region: Option<String>,
        /// The instance (emulator default: the demo seed's instance). With --live it is needed, except for a Linux
        /// --plan or --teardown (RAM only).
        #[arg(long = "instance", value_name = "ID")]
        pub instance: Option<String>,
        /// RAM user name.
        #[arg(long, default_value = runas_workflow::DEFAULT_USER_NAME)]
        pub ram_user: String,
        /// RAM user display name (default: the user name).
        #[arg(long)]
        pub display_name: Option<String>,
        /// Name of the custom run-as policy.
        #[arg(long, default_value = runas_workflow::DEFAULT_POLICY_NAME)]
        pub policy_name: String,
        /// Allow commands only as these OS users (default user01,user02).
        #[arg(long, value_delimiter = ',', value_name = "USERS", conflicts_with = "deny_users")]
        pub allow_users: Option<Vec<String>>,
        /// Allow commands as any OS user except these (e.g. root,system).
        #[arg(long, value_delimiter = ',', value_name = "USERS")]
        pub deny_users: Option<Vec<String>>,
        /// OS users to verify with (default: the allowed users).
        #[arg(long, value_delimiter = ',', value_name = "USERS")]
        pub verify_users: Option<Vec<String>>,
        /// Show what would change; change nothing.
        #[arg(long, conflicts_with = "teardown")]
        pub plan: bool,
        /// Remove what the setup created.
        #[arg(long)]
        pub teardown: bool,
        /// Write the new user's password and AccessKey here (mode 0600; never printed).
        #[arg(long, value_name = "PATH")]
        pub credentials_out: Option<PathBuf>,
        /// Replace orphaned AccessKeys of the user the setup created (their secret is not in --credentials-out,
        /// e.g. a run died before writing it): create a new key, write it, then delete the orphaned ones.
        #[arg(long, requires = "credentials_out")]
        pub rotate_access_key: bool,
        /// Print the result as one JSON object.
        #[arg(long)]
        pub json: bool,
    }

    impl CommonArgs {
        /// The workflow options for `region` and `instance`.
        pub fn options(&self, region: &str, instance: &str) -> Options {
            let mut o = Options::new(region, instance);
            o.user_name = self.ram_user.clone();
            o.display_name = self.display_name.clone().unwrap_or_else(|| self.ram_user.clone());
            o.policy_name = self.policy_name.clone();
            o.run_as = match (&self.allow_users, &self.deny_users) {
                (_, Some(deny)) => RunAsRule::DenyOnly(trimmed(deny)),
                (Some(allow), None) => RunAsRule::AllowOnly(trimmed(allow)),
                (None, None) => RunAsRule::default(),
            };
            o.verify_users = self.verify_users.as_deref().map(trimmed);
            o.credentials_out = self.credentials_out.clone();
            o.rotate_access_key = self.rotate_access_key;
            o
        }
    }

    /// The instance the run uses: `--instance`, else the emulator's demo instance (`default_instance`). With
    /// `--live` and no `--instance`, an empty id when the run needs none (a Linux `--plan` or `--teardown` touches
    /// RAM only), else an error saying why one is needed. Pure: checked before any connection.
    pub fn instance_for(args: &CommonArgs, platform: Platform, default_instance: &str) -> Result<String, String> {
        if let Some(instance) = &args.instance {
            return Ok(instance.clone());
        }
        if !args.live {
            return Ok(default_instance.to_owned());
        }
        let why = match (platform, args.plan, args.teardown) {
            (Platform::Linux, true, _) | (Platform::Linux, _, true) => return Ok(String::new()),
            (Platform::Windows, true, _) => "the plan reads which RAM role the instance has",
            (Platform::Windows, _, true) => "teardown detaches the role from the instance before deleting it",
            _ => "the verification runs commands on it",
        };
        Err(format!("--live needs --instance ID: {why}"))
    }

    /// The workflow's option names and the flags (or variable) that set them.
    const FLAGS: [(&str, &str); 16] = [
        ("rotate_access_key", "--rotate-access-key"),
        ("role_policy_name", "--role-policy-name"),
        ("kms_policy_name", "--kms-policy-name"),
        ("credentials_out", "--credentials-out"),
        ("password_param", "--password-param"),
        ("verify_users", "--verify-users"),
        ("display_name", "--display-name"),
        ("windows_user", "--windows-user"),
        ("policy_name", "--policy-name"),
        ("instance_id", "--instance"),
        ("kms_key_id", "--kms-key-id"),
        ("user_name", "--ram-user"),
        ("role_name", "--role-name"),
        ("password", "WINDOWS_USER_PASSWORD"),
        ("region", "--region"),
        ("run_as", "--allow-users"),
    ];

    /// The flag (or variable) that sets the workflow's option `field`; `field` itself when none does.
    fn flag_of<'a>(field: &'a str, run_as_flag: &'a str) -> &'a str {
        match FLAGS.iter().find(|(name, _)| *name == field) {
            Some(("run_as", _)) => run_as_flag,
            Some((_, flag)) => flag,
            None => field,
        }
    }

    /// `text` with the workflow's option names replaced by their flags: only whole words in snake case
    /// (`policy_name`), since one-word names (`region`, `password`) are also plain words of the message ("the
    /// password parameter"). A quoted value (a `{:?}` of what was typed) is copied as it is.
    fn with_flags(text: &str, run_as_flag: &str) -> String {
        let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        'scan: while !rest.is_empty() {
            if rest.starts_with('"') {
                let end = quoted_len(rest);
                out.push_str(&rest[..end]);
                rest = &rest[end..];
                continue;
            }
            let at_boundary = !out.chars().next_back().is_some_and(is_word);
            if at_boundary {
                for (field, _) in FLAGS.iter().filter(|(field, _)| field.contains('_')) {
                    if let Some(after) = rest.strip_prefix(field) {
                        if !after.chars().next().is_some_and(is_word) {
                            out.push_str(flag_of(field, run_as_flag));
                            rest = after;
                            continue 'scan;
                        }
                    }
                }
            }
            let mut chars = rest.chars();
            if let Some(c) = chars.next() {
                out.push(c);
            }
            rest = chars.as_str();
        }
        out
    }

    /// The length of the double-quoted string `text` starts with, both quotes and any `\"` inside included (all
    /// of `text` when the closing quote is missing).
    fn quoted_len(text: &str) -> usize {
        let mut escaped = false;
        for (i, c) in text.char_indices().skip(1) {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => return i + 1,
                _ => {}
            }
        }
        text.len()
    }

    /// An error for the person at the command line: an invalid option is named by its flag
    /// (`--ram-user: "bad name" contains ' '`), not by the workflow's field name.
    pub fn describe(error: &anyhow::Error, args: &CommonArgs) -> String {
        let run_as_flag = if args.deny_users.is_some() { "--deny-users" } else { "--allow-users" };
        match error.downcast_ref::<WorkflowError>() {
            Some(WorkflowError::InvalidOption { field, message }) => {
                format!("{}: {}", flag_of(field, run_as_flag), with_flags(message, run_as_flag))
            }
            // A workflow error's message already includes its cause.
            Some(other) => other.to_string(),
            None => format!("{error:#}"),
        }
    }

    fn trimmed(users: &[String]) -> Vec<String> {
        users.iter().map(|u| u.trim().to_owned()).filter(|u| !u.is_empty()).collect()
    }

    /// What a run produced.
    struct Outcome {
        steps: Vec<StepReport>,
        checks: Vec<Check>,
        key_source: Option<KeySource>,
        ok: bool,
        error: Option<String>,
    }

    /// Runs plan, teardown, or apply + verify, prints the report on stdout, and returns the exit status:
    /// 0 when every check came out as expected (or the plan/teardown succeeded), 1 when a check failed,
    /// 2 when the run stopped with an error.
    ///
    /// `platform` says which procedure (what it needs an instance for); `default_instance` is the emulator's
    /// instance; `build` turns the options into a `Setup`.
    pub async fn run(
        title: &str,
        args: &CommonArgs,
        platform: Platform,
        default_instance: &str,
        build: impl FnOnce(Options, TargetKind) -> anyhow::Result<Setup>,
    ) -> ExitCode {
        crate::logging::init();
        let stopped =
            |error: String| Outcome { steps: vec![], checks: vec![], key_source: None, ok: false, error: Some(error) };
        let kind = if args.live { TargetKind::Live } else { TargetKind::Emulator };
        // `started`: the procedure was built; before that, only `--json` prints (the contract object) on stdout.
        let (target_name, outcome, started) = match instance_for(args, platform, default_instance) {
            Err(e) => (kind.as_str(), stopped(e), false),
            Ok(instance) => match Target::connect(args.live, args.region.as_deref(), args.endpoint.as_deref()).await {
                Err(e) => (kind.as_str(), stopped(format!("{e:#}")), false),
                Ok(target) => {
                    let display = ProgressDisplay::new();
                    let (outcome, started) = match build(args.options(&target.region, &instance), target.kind) {
                        Ok(setup) => (perform(args, setup.on_progress(display.sink()), &target, &display).await, true),
                        Err(e) => (stopped(describe(&e, args)), true),
                    };
                    display.stop_spinner();
                    let target_name = target.kind.as_str();
                    target.shutdown().await;
                    (target_name, outcome, started)
                }
            },
        };
        if let Some(e) = &outcome.error {
            eprintln!("{title}: {e}");
        }
        if args.json {
            crate::output::print(&crate::report::contract_json(
                target_name,
                &outcome.steps,
                &outcome.checks,
                outcome.ok,
            ));
        } else if started {
            let what = if args.plan {
                format!("{title} --plan")
            } else if args.teardown {
                format!("{title} --teardown")
            } else {
                title.to_owned()
            };
            crate::output::print(&crate::report::render(
                &what,
                target_name,
                &outcome.steps,
                &outcome.checks,
                outcome.key_source,
                outcome.ok,
            ));
        }
        match (&outcome.error, outcome.ok) {
            (Some(_), _) => ExitCode::from(2),
            (None, true) => ExitCode::SUCCESS,
            (None, false) => ExitCode::from(1),
        }
    }

    async fn perform(args: &CommonArgs, mut setup: Setup, target: &Target, display: &ProgressDisplay) -> Outcome {
        let clients = &target.clients;
        let failed = |e: WorkflowError| Outcome {
            steps: display.finished_steps(),
            checks: vec![],
            key_source: None,
            ok: false,
            error: Some(describe(&e.into(), args)),
        };
        if args.plan {
            return match setup.plan(clients).await {
                Ok(steps) => Outcome { steps, checks: vec![], key_source: None, ok: true, error: None },
                Err(e) => failed(e),
            };
        }
        if args.teardown {
            return match setup.teardown(clients).await {
                Ok(steps) => Outcome { steps, checks: vec![], key_source: None, ok: true, error: None },
                Err(e) => failed(e),
            };
        }
        let steps = match setup.apply(clients).await {
            Ok(steps) => steps,
            Err(e) => return failed(e),
        };
        match setup.verify(clients).await {
            Ok(v) => Outcome { ok: v.ok(), steps, checks: v.checks, key_source: Some(v.key_source), error: None },
            Err(e) => Outcome { steps, checks: vec![], key_source: None, ok: false, error: Some(e.to_string()) },
        }
    }
}

#[cfg(test)]
mod tests {
    use runas_workflow::{Actual, Check, Expected, StepReport, StepResult};

    fn step(action: &str, result: StepResult) -> StepReport {
        StepReport { action: action.into(), target: "commandUser".into(), result, detail: "why".into() }
    }

    fn check(run_as: &str, expected: Expected, actual: Actual) -> Check {
        Check {
            run_as: run_as.into(),
            expected,
            actual,
            invoke_id: None,
            output: None,
            error_code: Some("RoleNameFailed".into()),
            explanation: Some("attach the role".into()),
        }
    }

    #[derive(clap::Parser)]
    struct Cli {
        #[command(flatten)]
        common: crate::setup_cli::CommonArgs,
    }

    fn instance(platform: runas_workflow::Platform, args: &[&str]) -> Result<String, String> {
        use clap::Parser as _;
        let cli = Cli::try_parse_from(std::iter::once("setup").chain(args.iter().copied())).expect("parses");
        crate::setup_cli::instance_for(&cli.common, platform, "i-demo")
    }

    #[test]
    fn live_needs_an_instance_only_when_the_run_uses_one() {
        use runas_workflow::Platform::{Linux, Windows};
        // A Linux plan or teardown touches RAM only.
        assert_eq!(instance(Linux, &["--live", "--teardown"]), Ok(String::new()));
        assert_eq!(instance(Linux, &["--live", "--plan"]), Ok(String::new()));
        // Apply verifies on the instance; Windows attaches (and detaches) the role on it.
        let apply = instance(Linux, &["--live"]).expect_err("apply needs it");
        assert!(apply.contains("--instance") && apply.contains("verification"), "{apply}");
        let teardown = instance(Windows, &["--live", "--teardown"]).expect_err("Windows teardown needs it");
        assert!(teardown.contains("--instance") && teardown.contains("detaches"), "{teardown}");
        assert!(instance(Windows, &["--live", "--plan"]).is_err());
        // Given, it is used; on the emulator the demo instance is the default.
        assert_eq!(instance(Windows, &["--live", "--teardown", "--instance", "i-1"]), Ok("i-1".into()));
        assert_eq!(instance(Linux, &["--teardown"]), Ok("i-demo".into()));
        assert_eq!(instance(Windows, &[]), Ok("i-demo".into()));
    }

    #[test]
    fn rotate_access_key_reaches_the_options_and_needs_a_credentials_file() {
        use clap::Parser as _;
        let parse = |args: &[&str]| Cli::try_parse_from(std::iter::once("setup").chain(args.iter().copied()));
        assert!(parse(&["--rotate-access-key"]).is_err(), "the new secret must go somewhere");
        let cli = parse(&["--rotate-access-key", "--credentials-out", "cu.json"]).expect("parses");
        let o = cli.common.options("cn-hangzhou", "i-1");
        assert!(o.rotate_access_key);
        assert_eq!(o.credentials_out.as_deref(), Some(std::path::Path::new("cu.json")));
        assert!(!parse(&[]).expect("parses").common.options("cn-hangzhou", "i-1").rotate_access_key);
    }

    #[test]
    fn invalid_options_are_named_by_their_flags() {
        use clap::Parser as _;
        let cli = Cli::try_parse_from(["setup", "--deny-users", "root"]).expect("parses");
        let describe = |field, message: &str| {
            let e = runas_workflow::WorkflowError::InvalidOption { field, message: message.to_owned() };
            crate::setup_cli::describe(&e.into(), &cli.common)
        };
        assert_eq!(describe("user_name", "\"a b\" contains ' '"), "--ram-user: \"a b\" contains ' '");
        assert_eq!(
            describe("role_policy_name", "must differ from policy_name \"p\""),
            "--role-policy-name: must differ from --policy-name \"p\""
        );
        assert_eq!(describe("run_as", "lists no OS user"), "--deny-users: lists no OS user");
        assert_eq!(
            describe("password", "must be 1 to 4096 characters"),
            "WINDOWS_USER_PASSWORD: must be 1 to 4096 characters"
        );
        // Only whole words: a value that contains a field name is left alone.
        assert_eq!(describe("user_name", "\"my_user_name2\" is bad"), "--ram-user: \"my_user_name2\" is bad");
        // A quoted value is the user's text, even when it reads like a field name (escaped quotes included).
        assert_eq!(describe("user_name", "\"user_name x\" contains ' '"), "--ram-user: \"user_name x\" contains ' '");
        assert_eq!(
            describe("policy_name", "\"a\\\" region\" differs from role_name \"region\""),
            "--policy-name: \"a\\\" region\" differs from --role-name \"region\""
        );
        assert_eq!(describe("region", "\"unterminated region"), "--region: \"unterminated region");
        // One-word option names are plain words in a message: only the field in front becomes a flag.
        assert_eq!(
            describe("windows_user", "\"bob\" is not allowed, so the password parameter would serve no one"),
            "--windows-user: \"bob\" is not allowed, so the password parameter would serve no one"
        );
        assert_eq!(
            describe("instance_id", "no instance i-1: check the id and the region"),
            "--instance: no instance i-1: check the id and the region"
        );
        let other = crate::setup_cli::describe(&anyhow::anyhow!("policy_name elsewhere"), &cli.common);
        assert_eq!(other, "policy_name elsewhere", "only invalid options are rewritten");
    }

    #[test]
    fn progress_counters_keep_the_lines_aligned() {
        use crate::progress::counter;
        assert_eq!(counter(1, 6), "[1/6]");
        assert_eq!(counter(1, 14).len(), counter(14, 14).len());
        assert_eq!(counter(9, 14), "[ 9/14]");
    }

    #[test]
    fn endpoints_need_a_scheme_and_a_host_and_nothing_after_the_port() {
        use crate::target::check_endpoint;
        for good in ["http://127.0.0.1:8080", "https://ecs.example.test", "http://localhost:1/"] {
            assert!(check_endpoint(good).is_ok(), "{good}");
        }
        // A query or user info would be dropped from every request: refused here too, not only by the SDK later.
        for bad in ["127.0.0.1:8080", "ftp://x", "http://", "http://h:1/v1", "", "http://h:1?x=y", "http://u:p@h:1"] {
            let e = check_endpoint(bad).expect_err(bad).to_string();
            assert!(e.contains("http://127.0.0.1:8080") && !e.contains("u:p@"), "{e}");
        }
    }

    #[test]
    fn contract_json_has_exactly_the_contract_keys_in_the_contract_order() {
        let text = crate::report::contract_json(
            "emulator",
            &[step("ram-user", StepResult::Created)],
            &[check("user01", Expected::Allowed, Actual::Error)],
            false,
        );
        assert!(text.ends_with("}\n"), "{text}");
        // Every key, in the order the contract (README, "Contracts") lists them: top level, a step, a check.
        let order = [
            "target",
            "steps",
            "action",
            "target",
            "result",
            "checks",
            "run_as",
            "expected",
            "actual",
            "invoke_id",
            "output",
            "error_code",
            "ok",
        ];
        let keys: Vec<String> = text
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix('"')?.split_once("\": ").map(|(k, _)| k.to_owned()))
            .collect();
        assert_eq!(keys, order, "{text}");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            v["steps"][0],
            serde_json::json!({"action": "ram-user", "target": "commandUser", "result": "created"})
        );
        assert_eq!(v["checks"][0]["error_code"], "RoleNameFailed");
        assert!(v["checks"][0].get("explanation").is_none());
    }

    #[test]
    fn the_table_aligns_columns_and_explains_failures() {
        let text = crate::report::render(
            "linux-setup",
            "emulator",
            &[step("ram-user", StepResult::Created), step("attach-user-policy", StepResult::Unchanged)],
            &[check("user01", Expected::Allowed, Actual::Error), check("root", Expected::Denied, Actual::Denied)],
            None,
            false,
        );
        let lines: Vec<&str> = text.lines().collect();
        let created = lines.iter().find(|l| l.contains("ram-user")).unwrap();
        let unchanged = lines.iter().find(|l| l.contains("attach-user-policy")).unwrap();
        assert_eq!(created.find("commandUser"), unchanged.find("commandUser"), "{text}");
        assert!(text.contains("why user01: attach the role"), "{text}");
        assert!(!text.contains("why root"), "passing checks need no explanation");
        assert!(text.ends_with("Result: FAILED\n"));
    }
}
