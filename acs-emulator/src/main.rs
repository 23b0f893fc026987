//! `acs-emulator`: a local Alibaba Cloud (ECS Cloud Assistant, RAM, OOS, KMS, STS) on one HTTP port.

use acs_emulator::{Emulator, FaultRule, Seed};
use anyhow::Context as _;
use clap::Parser;
use std::io::Write as _;
use std::net::SocketAddr;
use std::time::Duration;

/// A local Alibaba Cloud for tests and demos.
#[derive(Debug, Parser)]
#[command(name = "acs-emulator", version, about)]
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

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let seed = match &args.seed {
        Some(path) => Seed::from_file(path).with_context(|| format!("loading seed {}", path.display()))?,
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
    let emulator = builder.start().await.context("starting the emulator")?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "acs-emulator listening on {}", emulator.endpoint_url())?;
        out.flush()?;
    }
    wait_for_signal().await?;
    emulator.shutdown().await;
    Ok(())
}

#[cfg(unix)]
async fn wait_for_signal() -> anyhow::Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).context("installing the SIGTERM handler")?;
    tokio::select! {
        r = tokio::signal::ctrl_c() => r.context("waiting for SIGINT")?,
        _ = term.recv() => {}
    }
    Ok(())
}

#[cfg(not(unix))]
async fn wait_for_signal() -> anyhow::Result<()> {
    tokio::signal::ctrl_c().await.context("waiting for Ctrl-C")
}
