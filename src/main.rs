//! The `secfuzz` command line: a thin layer over the library.
//!
//! Exit codes: 0 no violation, 1 violation or new crash, 2 usage or
//! environment error.
#![forbid(unsafe_code)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
