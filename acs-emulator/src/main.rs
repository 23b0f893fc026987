//! `acs-emulator`: a local Alibaba Cloud (ECS Cloud Assistant, RAM, OOS, KMS, STS) on one HTTP port.

use acs_emulator::{Emulator, FaultRule, Seed, SeedError};
use clap::Parser;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

/// A local Alibaba Cloud for tests and demos.
#[derive(Debug, Parser)]
#[command(
    name = "acs-emulator",
    version,
    about,
    after_help = "Exit status: 0 after SIGINT/SIGTERM; 2 when it cannot start (an invalid flag or seed, an address it \
                  cannot listen on); 1 when serving fails."
)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Seed file (default: the built-in demo seed).
    #[arg(long)]
    seed: Option<std::path::PathBuf>,
    /// How long simulated commands run, in milliseconds.
    #[arg(long, default_value_t = 0)]
    execution_delay_ms: u64,
    /// How many Cloud Assistant invocations to keep; beyond it the oldest finished ones are dropped with their
    /// output and ClientTokens (running ones never are).
    #[arg(
        long,
        default_value_t = acs_emulator::services::ecs::DEFAULT_MAX_INVOCATIONS,
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..)
    )]
    max_invocations: usize,
    /// Fault rule `Action=Code@rate` or `Action=Code#n` (repeatable; `*` = any action); append
    /// `,retry-after=SECONDS` to send an `x-acs-retry-after` header with the error, e.g.
    /// `CreateUser=Throttling#1,retry-after=1`.
    #[arg(long = "fault", value_parser = FaultRule::parse)]
    faults: Vec<FaultRule>,
    /// Seed of the fault-injection PRNG.
    #[arg(long)]
    fault_seed: Option<u64>,
}

/// Why the binary stops with a non-zero status; the message is complete (each error's text already holds its cause),
/// so it is printed once, on one line.
enum Failure {
    /// The emulator cannot start: invalid seed or flags, or an address it cannot listen on (exit 2, like clap's
    /// usage errors).
    Start(String),
    /// Serving failed after the start (exit 1).
    Serve(String),
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let (status, message) = match run(args).await {
        Ok(()) => return ExitCode::SUCCESS,
        Err(Failure::Start(message)) => (2, message),
        Err(Failure::Serve(message)) => (1, message),
    };
    eprintln!("acs-emulator: {message}");
    ExitCode::from(status)
}

async fn run(args: Args) -> Result<(), Failure> {
    let seed = match &args.seed {
        Some(path) => load_seed(path).map_err(Failure::Start)?,
        None => Seed::demo(),
    };
    let mut builder = Emulator::builder()
        .seed(seed)
        .listen(args.listen)
        .execution_delay(Duration::from_millis(args.execution_delay_ms))
        .max_invocations(args.max_invocations);
    for rule in args.faults {
        builder = builder.fault(rule);
    }
    if let Some(n) = args.fault_seed {
        builder = builder.fault_seed(n);
    }
    let emulator = builder.start().await.map_err(|e| Failure::Start(e.to_string()))?;
    let announced = {
        let mut out = std::io::stdout().lock();
        writeln!(out, "acs-emulator listening on {}", emulator.endpoint_url()).and_then(|()| out.flush())
    };
    let served = match announced {
        Ok(()) => wait_for_signal().await,
        Err(e) => Err(format!("cannot write to stdout: {e}")),
    };
    emulator.shutdown().await;
    served.map_err(Failure::Serve)
}

/// Reads and checks a seed file ([`Seed::from_file`] checks it); the message names the file.
fn load_seed(path: &Path) -> Result<Seed, String> {
    Seed::from_file(path).map_err(|e| match e {
        // Its text already names the file.
        SeedError::Io { .. } => e.to_string(),
        e => format!("{}: {e}", path.display()),
    })
}

#[cfg(unix)]
async fn wait_for_signal() -> Result<(), String> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).map_err(|e| format!("cannot install the SIGTERM handler: {e}"))?;
    tokio::select! {
        r = tokio::signal::ctrl_c() => r.map_err(|e| format!("cannot wait for SIGINT: {e}")),
        _ = term.recv() => Ok(()),
    }
}

#[cfg(not(unix))]
async fn wait_for_signal() -> Result<(), String> {
    tokio::signal::ctrl_c().await.map_err(|e| format!("cannot wait for Ctrl-C: {e}"))
}
