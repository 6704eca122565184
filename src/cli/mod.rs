//! Argument parsing and dispatch; one file per subcommand.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod check;
mod fuzz;
mod list;
mod replay;
pub mod triage;

/// Exit code: everything checked, no violation, no crash.
pub const EXIT_OK: u8 = 0;
/// Exit code: a security invariant was violated or a new crash was found.
pub const EXIT_FINDING: u8 = 1;
/// Exit code: bad usage, unreadable input, or a broken environment.
pub const EXIT_ERROR: u8 = 2;

/// Hardened targets, adversarial generators and independent oracles for
/// security-critical input handling.
#[derive(Debug, Parser)]
#[command(name = "secfuzz", version, about, max_term_width = 100)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// List the targets and the invariants their oracles check.
    List(list::ListArgs),
    /// Check raw payloads (lines, JSON lines or files) against a target.
    Check(check::CheckArgs),
    /// Decode structured inputs (corpus or crash files) and show input, payload and result.
    Replay(replay::ReplayArgs),
    /// Run a fuzzing campaign over targets with cargo-fuzz / libFuzzer.
    Fuzz(fuzz::FuzzArgs),
    /// Turn crash files into deduplicated, classified, minimized reports and
    /// regression inputs.
    Triage(triage::TriageArgs),
    /// Replay one input for `secfuzz triage` and `secfuzz replay` in an
    /// isolated process (request in the environment, input on standard input).
    #[command(name = "__triage-child", hide = true)]
    TriageChild,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::List(args) => list::run(args),
        Command::Check(args) => check::run(args),
        Command::Replay(args) => replay::run(args),
        Command::Fuzz(args) => fuzz::run(args),
        Command::Triage(args) => triage::run(args),
        Command::TriageChild => triage::run_child(),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Look a target up by name, with an error listing the valid names.
fn find_target(name: &str) -> anyhow::Result<&'static dyn secfuzz::DynTarget> {
    secfuzz::registry::find(name).ok_or_else(|| {
        anyhow::anyhow!(
            "unknown target {name:?}; known targets: {}",
            secfuzz::registry::names().join(", ")
        )
    })
}
