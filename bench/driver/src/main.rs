//! `bench-driver`: the Rust side of `bench/run`.
//!
//! - `floor`: time the bare HMAC (ring) over the string-to-sign of the representative request (the floor that
//!   every signer pays), and print our signer's signatures for the correctness cross-check;
//! - `describe`: DescribeInvocationResults against an emulator at a given concurrency; requests/s, CPU/request;
//! - `fanout`: RunCommand on N instances (100 per call), then collect every instance's result.
//!
//! Every sub-command prints one JSON object on stdout. Loops are bounded in count and in time.

mod cpu;
mod describe;
mod fanout;
mod floor;

use anyhow::{Context as _, Result};
use clap::{Args, Parser, Subcommand};

/// Rust side of the side-by-side benchmarks (see bench/README.md).
#[derive(Debug, Parser)]
#[command(name = "bench-driver")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Time ring's HMAC-SHA1 / HMAC-SHA256 over the representative request's strings-to-sign.
    Floor(floor::FloorArgs),
    /// DescribeInvocationResults in a loop: requests/s and CPU per request.
    Describe(describe::DescribeArgs),
    /// RunCommand on many instances (100 per call) and collect every result.
    Fanout(fanout::FanoutArgs),
}

/// Where the emulator is and which key to use (the key comes from the environment, never the command line).
#[derive(Debug, Args)]
pub struct Target {
    /// Emulator base URL, e.g. `http://127.0.0.1:8080`.
    #[arg(long)]
    endpoint: String,
    /// Region of the emulated instances.
    #[arg(long, default_value = "cn-hangzhou")]
    region: String,
}

impl Target {
    /// An ECS client for the emulator: static credentials from `BENCH_ACCESS_KEY_ID` / `BENCH_ACCESS_KEY_SECRET`,
    /// V3 signing (the default), retries disabled so that every API call made is one call counted.
    pub fn client(&self) -> Result<ecs_client::Client> {
        let id = std::env::var("BENCH_ACCESS_KEY_ID").context("BENCH_ACCESS_KEY_ID is not set")?;
        let secret = std::env::var("BENCH_ACCESS_KEY_SECRET").context("BENCH_ACCESS_KEY_SECRET is not set")?;
        let config = acs_core::Config::builder()
            .region(self.region.clone())
            .static_credentials(id, secret)
            .endpoint_url(self.endpoint.clone())
            .retry(acs_core::RetryConfig::disabled())
            .build()
            .context("building the client configuration")?;
        ecs_client::Client::from_config(&config).context("building the ECS client")
    }
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    let report = match cli.command {
        Command::Floor(args) => floor::run(&args)?,
        Command::Describe(args) => runtime()?.block_on(describe::run(&args))?,
        Command::Fanout(args) => runtime()?.block_on(fanout::run(&args))?,
    };
    println!("{report}");
    Ok(())
}

/// The default multi-threaded tokio runtime (one worker per core), as an application would use.
fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the tokio runtime")
}
