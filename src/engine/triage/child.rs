//! The child side of isolated replay.
//!
//! Triage never runs an input in its own process. For every replay it spawns a
//! child — the `secfuzz` binary on its hidden `__triage-child` subcommand, or
//! any other program that calls [`serve`] (see [`Replayer`](super::Replayer))
//! — with the request in the [`CHILD_ENV`] environment variable and the input
//! bytes on standard input. The child, first thing:
//!
//! 1. lowers its own resource limits with `setrlimit` (address space to the
//!    requested memory limit, CPU time to a backstop just above the timeout,
//!    core dumps off) — no `pre_exec` hook and no `unsafe` needed;
//! 2. installs a panic hook that prints the panic message, location and a
//!    captured backtrace *before* unwinding starts, so the information
//!    survives even if the process aborts right after;
//! 3. describes the input ([`DynTarget::describe`]: its `Debug` and rendered
//!    payload), then replays it ([`DynTarget::replay`]).
//!
//! Each step prints one line on standard output: a fixed prefix, the
//! request's nonce, a space, and a JSON object (`{"event":"ready"}` once the
//! limits are set, then `{"event":"described",…}`, `{"event":"panic",…}`,
//! `{"event":"result",…}`, or `{"event":"error",…}`).
//! The nonce keeps whatever else the process prints (a test harness's chatter,
//! the target's own output) from being mistaken for protocol lines. Stack
//! overflows, allocation failures, aborts and hangs end the process without a
//! result line; the parent recognises them from the exit status, the standard
//! error text and its own timer.

use std::backtrace::Backtrace;
use std::fmt;
use std::io::{self, Read, Write};
use std::panic::{self, AssertUnwindSafe};

use serde::{Deserialize, Serialize};

use crate::engine::registry::DynTarget;

/// Environment variable carrying the replay request (JSON) to the child. A
/// process without it is not a triage child: [`serve`] returns `Ok(false)`.
pub const CHILD_ENV: &str = "SECFUZZ_TRIAGE_CHILD";

/// Prefix of every protocol line; the nonce follows it directly.
pub(crate) const LINE_PREFIX: &str = "secfuzz-triage:";

/// Most input bytes the child reads from standard input (16 MiB).
const MAX_CHILD_INPUT: u64 = 16 * 1024 * 1024;
/// `Debug` text longer than this (in bytes) is cut, at a char boundary.
pub(crate) const MAX_DEBUG_LEN: usize = 64 * 1024;
/// Rendered payloads longer than this are sent cut and flagged `truncated`.
pub(crate) const MAX_PAYLOAD_LEN: usize = 1024 * 1024;
/// Backtrace text longer than this is cut (a runaway recursion's frames).
const MAX_BACKTRACE_LEN: usize = 128 * 1024;

/// What the parent asks of one child.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct Request {
    /// Target to replay through.
    pub target: String,
    /// Address-space limit in MiB; 0 = leave as is.
    pub rss_limit_mb: u64,
    /// CPU-time backstop in seconds; 0 = leave as is.
    pub cpu_limit_secs: u64,
    /// Per-run token that prefixes protocol lines.
    pub nonce: String,
}

/// How the replay ended, when it ended normally.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Status {
    /// Every oracle was satisfied.
    Pass,
    /// An oracle reported a violation.
    Violation,
    /// The bytes do not decode to an input.
    Undecodable,
    /// The replay panicked (the `panic` event has the details).
    Panicked,
}

/// One protocol line.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub(crate) enum Event {
    /// The request was understood and the limits are set; nothing of the
    /// input has run yet. A child that never says this is not a working
    /// triage child (wrong program, broken environment).
    Ready,
    /// The decoded input, before it is checked.
    Described {
        input_debug: String,
        payload_hex: String,
        truncated: bool,
    },
    /// A panic, reported from the panic hook before unwinding.
    Panic {
        message: String,
        file: Option<String>,
        line: Option<u32>,
        column: Option<u32>,
        backtrace: String,
    },
    /// The replay finished.
    Result {
        status: Status,
        invariant: Option<String>,
        detail: Option<String>,
    },
    /// The child could not do what was asked (an environment problem, not a
    /// property of the input).
    Error { message: String },
}

/// Why [`serve`] could not replay.
#[derive(Debug)]
#[non_exhaustive]
pub enum ChildError {
    /// [`CHILD_ENV`] is set but is not a valid request.
    BadRequest {
        /// The JSON error.
        source: serde_json::Error,
    },
    /// The requested target is not known to this child.
    UnknownTarget {
        /// The name asked for.
        target: String,
    },
    /// A resource limit could not be set.
    Limit {
        /// Which limit.
        resource: &'static str,
        /// The system error.
        source: io::Error,
    },
    /// Standard input or output failed.
    Io {
        /// What was being done.
        action: &'static str,
        /// The I/O error.
        source: io::Error,
    },
}

impl fmt::Display for ChildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChildError::BadRequest { source } => {
                write!(f, "{CHILD_ENV} does not hold a valid request: {source}")
            }
            ChildError::UnknownTarget { target } => {
                write!(f, "this child does not know target {target:?}")
            }
            ChildError::Limit { resource, source } => {
                write!(f, "cannot set the {resource} limit: {source}")
            }
            ChildError::Io { action, source } => write!(f, "cannot {action}: {source}"),
        }
    }
}

impl std::error::Error for ChildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ChildError::BadRequest { source } => Some(source),
            ChildError::Limit { source, .. } | ChildError::Io { source, .. } => Some(source),
            ChildError::UnknownTarget { .. } => None,
        }
    }
}

/// Serve one replay request if this process is a triage child.
///
/// Returns `Ok(false)` when [`CHILD_ENV`] is not set (the caller is not a
/// child and should carry on normally), `Ok(true)` once the input has been
/// replayed and reported. `lookup` maps a target name to the target; the
/// `secfuzz` binary passes the public registry ([`crate::engine::registry::find()`]), a test
/// binary can pass its own test-only targets.
///
/// Errors are also reported to the parent as an `error` protocol line.
pub fn serve<F>(lookup: F) -> Result<bool, ChildError>
where
    F: Fn(&str) -> Option<&'static dyn DynTarget>,
{
    let Some(raw) = std::env::var_os(CHILD_ENV) else {
        return Ok(false);
    };
    let raw = raw.to_string_lossy();
    let request: Request =
        serde_json::from_str(&raw).map_err(|source| ChildError::BadRequest { source })?;
    let nonce = request.nonce.clone();
    match replay(&request, lookup) {
        Ok(()) => Ok(true),
        Err(e) => {
            // Best effort: the error is returned to the caller either way.
            emit(
                &nonce,
                &Event::Error {
                    message: e.to_string(),
                },
            )
            .ok();
            Err(e)
        }
    }
}

fn replay<F>(request: &Request, lookup: F) -> Result<(), ChildError>
where
    F: Fn(&str) -> Option<&'static dyn DynTarget>,
{
    apply_limits(request)?;
    emit(&request.nonce, &Event::Ready).map_err(|source| ChildError::Io {
        action: "write to standard output",
        source,
    })?;
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .take(MAX_CHILD_INPUT)
        .read_to_end(&mut bytes)
        .map_err(|source| ChildError::Io {
            action: "read the input from standard input",
            source,
        })?;
    let target = lookup(&request.target).ok_or_else(|| ChildError::UnknownTarget {
        target: request.target.clone(),
    })?;

    let nonce = request.nonce.clone();
    panic::set_hook(Box::new(move |info| {
        let backtrace = cut(Backtrace::force_capture().to_string(), MAX_BACKTRACE_LEN);
        let event = Event::Panic {
            message: panic_message(info.payload()),
            file: info.location().map(|l| l.file().to_owned()),
            line: info.location().map(|l| l.line()),
            column: info.location().map(|l| l.column()),
            backtrace,
        };
        if let Err(e) = emit(&nonce, &event) {
            eprintln!("secfuzz triage child: cannot report a panic: {e}");
        }
    }));

    let out = |e: &Event| {
        emit(&request.nonce, e).map_err(|source| ChildError::Io {
            action: "write to standard output",
            source,
        })
    };

    match panic::catch_unwind(AssertUnwindSafe(|| target.describe(&bytes))) {
        Ok(Ok((debug, payload))) => {
            let truncated = payload.len() > MAX_PAYLOAD_LEN;
            let payload = &payload[..payload.len().min(MAX_PAYLOAD_LEN)];
            out(&Event::Described {
                input_debug: cut(debug, MAX_DEBUG_LEN),
                payload_hex: crate::engine::util::hex(payload),
                truncated,
            })?;
        }
        Ok(Err(e)) => {
            return out(&Event::Result {
                status: Status::Undecodable,
                invariant: None,
                detail: Some(e.to_string()),
            });
        }
        Err(_) => {
            return out(&Event::Result {
                status: Status::Panicked,
                invariant: None,
                detail: None,
            });
        }
    }

    let result = match panic::catch_unwind(AssertUnwindSafe(|| target.replay(&bytes))) {
        Ok(Ok(replay)) => match replay.result {
            Ok(()) => Event::Result {
                status: Status::Pass,
                invariant: None,
                detail: None,
            },
            Err(v) => Event::Result {
                status: Status::Violation,
                invariant: Some(v.invariant.into_owned()),
                detail: Some(v.detail),
            },
        },
        Ok(Err(e)) => Event::Result {
            status: Status::Undecodable,
            invariant: None,
            detail: Some(e.to_string()),
        },
        Err(_) => Event::Result {
            status: Status::Panicked,
            invariant: None,
            detail: None,
        },
    };
    out(&result)
}

#[cfg(unix)]
fn apply_limits(request: &Request) -> Result<(), ChildError> {
    use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};

    // Lowers the soft limit only; the hard limit is left as it is.
    fn lower(resource: Resource, name: &'static str, value: u64) -> Result<(), ChildError> {
        let current = getrlimit(resource);
        let value = current.maximum.map_or(value, |max| value.min(max));
        setrlimit(
            resource,
            Rlimit {
                current: Some(value),
                maximum: current.maximum,
            },
        )
        .map_err(|e| ChildError::Limit {
            resource: name,
            source: e.into(),
        })
    }

    lower(Resource::Core, "core dump size", 0)?;
    if request.rss_limit_mb > 0 {
        let bytes = request.rss_limit_mb.saturating_mul(1024 * 1024);
        lower(Resource::As, "address space", bytes)?;
    }
    if request.cpu_limit_secs > 0 {
        lower(Resource::Cpu, "CPU time", request.cpu_limit_secs)?;
    }
    Ok(())
}

#[cfg(not(unix))]
fn apply_limits(_request: &Request) -> Result<(), ChildError> {
    // No rlimits here: the parent's timeout still applies.
    Ok(())
}

/// The text of a panic payload (`&str` or `String`, as `panic!` makes them).
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(panic payload is not a string)".to_owned()
    }
}

fn emit(nonce: &str, event: &Event) -> io::Result<()> {
    let json = serde_json::to_string(event).map_err(io::Error::other)?;
    let mut out = io::stdout().lock();
    writeln!(out, "{LINE_PREFIX}{nonce} {json}")?;
    out.flush()
}

/// Cuts `s` to at most `max` bytes at a char boundary, marking the cut.
pub(crate) fn cut(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push_str("\n… (cut)");
    }
    s
}

/// Parses the protocol lines carrying `nonce` out of a child's standard output.
pub(crate) fn parse_events(stdout: &str, nonce: &str) -> Vec<Event> {
    stdout
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix(LINE_PREFIX)?.strip_prefix(nonce)?;
            let json = rest.strip_prefix(' ')?;
            serde_json::from_str(json).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_round_trip_and_foreign_lines_are_ignored() {
        let e = Event::Result {
            status: Status::Violation,
            invariant: Some("x.y".into()),
            detail: Some("d".into()),
        };
        let line = format!(
            "{LINE_PREFIX}abc {}\nrunning 1 test\n{LINE_PREFIX}zzz {{\"event\":\"error\",\"message\":\"m\"}}\n",
            serde_json::to_string(&e).unwrap()
        );
        let events = parse_events(&line, "abc");
        assert_eq!(events.len(), 1);
        assert!(matches!(
            &events[0],
            Event::Result { status: Status::Violation, invariant: Some(i), .. } if i == "x.y"
        ));
    }

    #[test]
    fn cut_respects_char_boundaries() {
        let s = cut("ééé".to_string(), 3);
        assert!(s.starts_with('é'));
        assert!(s.ends_with("(cut)"));
        assert_eq!(cut("abc".into(), 3), "abc");
    }
}
