//! Command-line parsing and dispatch: one file per subcommand.
//!
//! Exit codes: 0 no violation or crash, 1 findings, 2 usage or environment
//! error.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod triage;

/// Hardened input-handling targets, adversarial generators and independent
/// oracles for fuzzing and property testing security invariants.
#[derive(Debug, Parser)]
#[command(name = "secfuzz", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Turn crash files into deduplicated, classified, minimized reports and
    /// regression inputs.
    Triage(triage::TriageArgs),
    /// Replay one input for `secfuzz triage` in an isolated process (request
    /// in the environment, input on standard input).
    #[command(name = "__triage-child", hide = true)]
    TriageChild,
}

/// Parses the command line, runs the subcommand, maps errors to exit code 2.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0; usage errors exit 2.
            let code = if e.use_stderr() { 2 } else { 0 };
            if let Err(io) = e.print() {
                eprintln!("error: {io}");
            }
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Triage(args) => triage::run(args),
        Command::TriageChild => triage::run_child(),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
