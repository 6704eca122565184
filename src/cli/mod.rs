//! Argument parsing and dispatch; one file per subcommand.
//!
//! On the `triage` branch this holds only the triage subcommands; merged
//! into main's `Command` they are two more variants (`Triage`,
//! `TriageChild`) and two more match arms.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod triage;

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
    /// Turn crash files into deduplicated, classified, minimized reports and regression inputs.
    Triage(triage::TriageArgs),
    /// Replay one input for `secfuzz triage` in an isolated process.
    #[command(name = "__triage-child", hide = true)]
    TriageChild,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
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
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}
