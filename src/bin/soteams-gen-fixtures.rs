//! Writes a generated fixture of any size (see `soteams_mock::fixtures::generate`).
//!
//! `cargo run --release --bin soteams-gen-fixtures -- --accounts 100000 --out big.json`
//! `cargo run --release --bin soteams-gen-fixtures -- --questions 100000 --out content.json`

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use soteams_mock::fixtures::generate::{GenParams, generate};

/// Generate a valid, realistic soteams-mock fixture from a seed.
#[derive(Debug, Parser)]
#[command(name = "soteams-gen-fixtures", version, about)]
struct Args {
    #[arg(long, default_value_t = 42)]
    seed: u64,
    #[arg(long, default_value_t = 100_000)]
    accounts: usize,
    /// Sites including the Enterprise main site.
    #[arg(long, default_value_t = 20)]
    sites: usize,
    #[arg(long, default_value_t = 20_000)]
    groups: usize,
    #[arg(long, default_value_t = 50_000)]
    tags: usize,
    #[arg(long, default_value_t = 2_000)]
    users_per_team: usize,
    /// Questions over all sites (0: no content). Answers (1.5 per question), articles (0.1),
    /// comments, votes, bookmarks, collections and flags follow in proportion.
    #[arg(long, default_value_t = 0)]
    questions: usize,
    /// Output file (default: standard output).
    #[arg(long)]
    out: Option<PathBuf>,
}

fn main() -> ExitCode {
    let a = Args::parse();
    let doc = generate(&GenParams {
        seed: a.seed,
        accounts: a.accounts,
        sites: a.sites,
        groups: a.groups,
        tags: a.tags,
        users_per_team: a.users_per_team,
        questions: a.questions,
    });
    let written = match &a.out {
        Some(path) => std::fs::File::create(path).and_then(|f| {
            let mut w = std::io::BufWriter::new(f);
            serde_json::to_writer(&mut w, &doc)?;
            w.flush()
        }),
        None => serde_json::to_writer(std::io::stdout().lock(), &doc).map_err(std::io::Error::from),
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("soteams-gen-fixtures: {e}");
            ExitCode::FAILURE
        }
    }
}
