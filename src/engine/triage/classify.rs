//! Turning what a child did into a kind, a severity and a signature.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::child::{Event, Status};
use super::error::TriageError;
use super::replay::RawRun;
use super::signature::{normalize_file, parse_backtrace, project_frames, Frame};
use super::time::duration_text;

/// What kind of failure an input causes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Kind {
    /// An oracle reported a broken security invariant.
    Violation,
    /// Memory-safety or undefined-behaviour report from a sanitizer
    /// (AddressSanitizer, MemorySanitizer, …) in a sanitizer-built child.
    Sanitizer,
    /// The hardened code panicked: a denial of service.
    Panic,
    /// The hardened code overflowed its stack.
    StackOverflow,
    /// The hardened code exceeded the memory limit.
    OutOfMemory,
    /// The hardened code did not finish within the time limit.
    Timeout,
    /// The child died another way (a signal, an abort, an unexpected exit).
    Crash,
    /// No replay failed: the input no longer reproduces anything.
    NotReproducible,
    /// The bytes do not decode to an input of the target.
    Undecodable,
}

impl Kind {
    /// Every kind, most severe first.
    pub const ALL: [Kind; 9] = [
        Kind::Violation,
        Kind::Sanitizer,
        Kind::Panic,
        Kind::StackOverflow,
        Kind::OutOfMemory,
        Kind::Timeout,
        Kind::Crash,
        Kind::NotReproducible,
        Kind::Undecodable,
    ];

    /// Stable kebab-case name: JSON `kind`, SARIF `ruleId` of non-violations.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Violation => "violation",
            Kind::Sanitizer => "sanitizer",
            Kind::Panic => "panic",
            Kind::StackOverflow => "stack-overflow",
            Kind::OutOfMemory => "out-of-memory",
            Kind::Timeout => "timeout",
            Kind::Crash => "crash",
            Kind::NotReproducible => "not-reproducible",
            Kind::Undecodable => "undecodable",
        }
    }

    /// One sentence saying what the kind means.
    pub fn description(self) -> &'static str {
        match self {
            Kind::Violation => "A security invariant was violated.",
            Kind::Sanitizer => "A sanitizer reported a memory-safety or undefined-behaviour bug.",
            Kind::Panic => "The hardened code panicked on attacker input (denial of service).",
            Kind::StackOverflow => {
                "The hardened code overflowed its stack on attacker input (denial of service)."
            }
            Kind::OutOfMemory => {
                "The hardened code exceeded the memory limit on attacker input (denial of service)."
            }
            Kind::Timeout => {
                "The hardened code did not finish within the time limit (denial of service)."
            }
            Kind::Crash => "The replay process died (signal, abort or unexpected exit).",
            Kind::NotReproducible => "The input no longer reproduces a failure.",
            Kind::Undecodable => "The bytes do not decode to an input of the target.",
        }
    }

    /// Severity: violations and sanitizer reports high; panics, overflows,
    /// OOMs, timeouts and crashes medium (denial of service); not
    /// reproducible low; undecodable informational.
    pub fn severity(self) -> Severity {
        match self {
            Kind::Violation | Kind::Sanitizer => Severity::High,
            Kind::Panic | Kind::StackOverflow | Kind::OutOfMemory | Kind::Timeout | Kind::Crash => {
                Severity::Medium
            }
            Kind::NotReproducible => Severity::Low,
            Kind::Undecodable => Severity::Info,
        }
    }

    /// Whether the kind is a failure that reproduces now (exit code 1).
    pub fn is_finding(self) -> bool {
        !matches!(self, Kind::NotReproducible | Kind::Undecodable)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How serious a cluster is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Severity {
    /// Nothing failing (undecodable input).
    Info,
    /// Did not reproduce.
    Low,
    /// Denial of service.
    Medium,
    /// Security invariant or memory safety broken.
    High,
}

impl Severity {
    /// `"info"`, `"low"`, `"medium"` or `"high"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }

    /// SARIF `level`: error, warning, note, none.
    pub fn sarif_level(self) -> &'static str {
        match self {
            Severity::High => "error",
            Severity::Medium => "warning",
            Severity::Low => "note",
            Severity::Info => "none",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A source position.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    /// Path as the build recorded it, relative to the source root when inside it.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, when known.
    pub column: Option<u32>,
}

/// One failing replay, classified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Failure {
    pub kind: Kind,
    pub invariant: Option<String>,
    /// One line for people.
    pub title: String,
    /// Longer text: violation detail, panic message, sanitizer report head.
    pub detail: String,
    /// Project frames, innermost first.
    pub frames: Vec<Frame>,
    /// Panic location.
    pub location: Option<Location>,
    pub signature: String,
}

/// The input as the child described it before checking it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Described {
    pub input_debug: String,
    pub payload: Vec<u8>,
    pub truncated: bool,
}

/// The outcome of one replay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Pass,
    Undecodable(String),
    Failed(Failure),
}

/// One classified replay.
#[derive(Clone, Debug)]
pub(crate) struct Run {
    pub outcome: Outcome,
    pub described: Option<Described>,
}

/// How signatures are formed.
#[derive(Clone, Debug)]
pub(crate) struct SigRules<'a> {
    pub frames: usize,
    pub source_root: Option<&'a Path>,
}

/// Classifies one raw child run.
pub(crate) fn classify(
    raw: &RawRun,
    target: &str,
    rules: &SigRules<'_>,
) -> Result<Run, TriageError> {
    let mut described = None;
    let mut panic = None;
    let mut result = None;
    if !raw.events.iter().any(|e| matches!(e, Event::Ready)) {
        // Nothing of the input ran: the program is not a working triage
        // child, or the environment is broken. Not a finding.
        let how = match (exit_signal(raw.status), raw.status.code()) {
            _ if raw.timed_out => "did not start within the time limit".to_owned(),
            (Some(s), _) => format!("was killed by signal {s} before starting"),
            (None, Some(c)) => format!("exited with code {c} without answering"),
            (None, None) => "ended without answering".to_owned(),
        };
        let stderr = clip(raw.stderr.trim(), 600);
        return Err(TriageError::Child {
            target: target.to_owned(),
            message: if stderr.is_empty() {
                how
            } else {
                format!("{how}; it said: {stderr}")
            },
        });
    }
    for e in &raw.events {
        match e {
            Event::Ready => {}
            Event::Error { message } => {
                return Err(TriageError::Child {
                    target: target.to_owned(),
                    message: message.clone(),
                })
            }
            Event::Described {
                input_debug,
                payload_hex,
                truncated,
            } => {
                described = Some(Described {
                    input_debug: input_debug.clone(),
                    payload: crate::engine::util::unhex(payload_hex).unwrap_or_default(),
                    truncated: *truncated,
                });
            }
            Event::Panic { .. } => {
                if panic.is_none() {
                    panic = Some(e);
                }
            }
            Event::Result { .. } => result = Some(e),
        }
    }
    let outcome = outcome(raw, target, rules, panic, result);
    Ok(Run { outcome, described })
}

fn outcome(
    raw: &RawRun,
    target: &str,
    rules: &SigRules<'_>,
    panic: Option<&Event>,
    result: Option<&Event>,
) -> Outcome {
    let simple = |kind: Kind, title: String, detail: String| {
        Outcome::Failed(Failure {
            kind,
            invariant: None,
            title,
            detail,
            frames: Vec::new(),
            location: None,
            signature: format!("{target} | {kind}"),
        })
    };
    let signal = exit_signal(raw.status);
    if raw.timed_out || signal == Some(SIGXCPU) {
        return simple(
            Kind::Timeout,
            "no result within the time limit".into(),
            "the replay was killed at the time limit".into(),
        );
    }
    if let Some(f) = sanitizer(raw, target, rules) {
        return Outcome::Failed(f);
    }
    if let Some(line) = raw
        .stderr
        .lines()
        .find(|l| l.contains("has overflowed its stack"))
    {
        return simple(
            Kind::StackOverflow,
            "stack overflow".into(),
            line.trim().into(),
        );
    }
    if let Some(line) = raw
        .stderr
        .lines()
        .find(|l| l.contains("memory allocation of ") && l.contains(" failed"))
    {
        return simple(
            Kind::OutOfMemory,
            "out of memory".into(),
            line.trim().to_owned(),
        );
    }
    if let Some(Event::Panic {
        message,
        file,
        line,
        column,
        backtrace,
    }) = panic
    {
        let location = match (file, line) {
            (Some(file), Some(line)) => Some(Location {
                file: normalize_path(file, rules.source_root),
                line: *line,
                column: *column,
            }),
            _ => None,
        };
        let frames = normalized_frames(backtrace, rules);
        let first_line = message.lines().next().unwrap_or("");
        let title = match &location {
            Some(l) => format!(
                "panicked at {}:{}: {}",
                l.file,
                l.line,
                clip(first_line, 160)
            ),
            None => format!("panicked: {}", clip(first_line, 160)),
        };
        let mut sig = format!("{target} | panic");
        if let Some(l) = &location {
            sig.push_str(&format!(" | {}:{}", l.file, l.line));
        }
        push_frames(&mut sig, &frames);
        return Outcome::Failed(Failure {
            kind: Kind::Panic,
            invariant: None,
            title,
            detail: message.clone(),
            frames,
            location,
            signature: sig,
        });
    }
    match result {
        Some(Event::Result {
            status: Status::Pass,
            ..
        }) => Outcome::Pass,
        Some(Event::Result {
            status: Status::Undecodable,
            detail,
            ..
        }) => Outcome::Undecodable(detail.clone().unwrap_or_default()),
        Some(Event::Result {
            status: Status::Violation,
            invariant,
            detail,
        }) => {
            let invariant = invariant.clone().unwrap_or_else(|| "unknown".into());
            let detail = detail.clone().unwrap_or_default();
            Outcome::Failed(Failure {
                kind: Kind::Violation,
                title: format!("{invariant}: {}", clip(&detail, 160)),
                signature: format!("{target} | violation | {invariant}"),
                invariant: Some(invariant),
                detail,
                frames: Vec::new(),
                location: None,
            })
        }
        // A `panicked` result without a `panic` event (the hook could not
        // report), or no result at all: the process died or misbehaved.
        _ => {
            let how = match (signal, raw.status.code()) {
                (Some(s), _) => format!("killed by signal {s} ({})", signal_name(s)),
                (None, Some(0)) => "exited without reporting a result".to_owned(),
                (None, Some(c)) => format!("exited with code {c} without a result"),
                (None, None) => "ended without an exit code".to_owned(),
            };
            let frames = normalized_frames(&raw.stderr, rules);
            let mut sig = format!("{target} | crash | {how}");
            push_frames(&mut sig, &frames);
            Outcome::Failed(Failure {
                kind: Kind::Crash,
                invariant: None,
                title: how,
                detail: clip(raw.stderr.trim(), 4000),
                frames,
                location: None,
                signature: sig,
            })
        }
    }
}

/// A sanitizer report on standard error, if there is one.
fn sanitizer(raw: &RawRun, target: &str, rules: &SigRules<'_>) -> Option<Failure> {
    const TOOLS: &[&str] = &[
        "AddressSanitizer",
        "LeakSanitizer",
        "MemorySanitizer",
        "ThreadSanitizer",
        "UndefinedBehaviorSanitizer",
        "HWAddressSanitizer",
    ];
    let (start, line, tool) = raw.stderr.lines().enumerate().find_map(|(i, l)| {
        let tool = TOOLS.iter().find(|t| {
            l.contains(&format!("ERROR: {t}:")) || l.contains(&format!("WARNING: {t}:"))
        })?;
        Some((i, l, *tool))
    })?;
    // `==123==ERROR: AddressSanitizer: heap-buffer-overflow on address …`
    let bug = line
        .split_once(&format!("{tool}:"))
        .map(|(_, r)| r.split_whitespace().next().unwrap_or("").to_owned())
        .unwrap_or_default();
    let report: String = raw
        .stderr
        .lines()
        .skip(start)
        .take(60)
        .collect::<Vec<_>>()
        .join("\n");
    let frames = normalized_frames(&report, rules);
    let mut sig = format!("{target} | sanitizer | {tool}: {bug}");
    push_frames(&mut sig, &frames);
    Some(Failure {
        kind: Kind::Sanitizer,
        invariant: None,
        title: format!("{tool}: {bug}"),
        detail: report,
        frames,
        location: None,
        signature: sig,
    })
}

fn normalized_frames(text: &str, rules: &SigRules<'_>) -> Vec<Frame> {
    let mut frames = project_frames(&parse_backtrace(text), rules.frames);
    for f in &mut frames {
        if let Some(file) = &f.file {
            f.file = Some(normalize_path(file, rules.source_root));
        }
    }
    frames
}

fn push_frames(sig: &mut String, frames: &[Frame]) {
    for f in frames {
        sig.push_str(" | ");
        sig.push_str(&f.function);
    }
}

/// Makes a recorded source path stable and short: relative to `root` when
/// inside it, `library/…` for the standard library (whatever the toolchain
/// hash), `crate-x.y.z/…` for registry dependencies.
pub(crate) fn normalize_path(file: &str, root: Option<&Path>) -> String {
    let file = normalize_file(file);
    if let Some(root) = root {
        if let Ok(rel) = Path::new(&file).strip_prefix(root) {
            return rel.to_string_lossy().into_owned();
        }
    }
    if let Some(rest) = file.strip_prefix("/rustc/") {
        if let Some((_, lib)) = rest.split_once('/') {
            return lib.to_owned();
        }
    }
    if let Some((_, rest)) = file.split_once("/registry/src/") {
        if let Some((_, krate)) = rest.split_once('/') {
            return krate.to_owned();
        }
    }
    file
}

/// At most `max` chars of `s`, with an ellipsis when cut.
pub(crate) fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

const SIGXCPU: i32 = 24;

#[cfg(unix)]
fn exit_signal(status: std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal()
}

#[cfg(not(unix))]
fn exit_signal(_status: std::process::ExitStatus) -> Option<i32> {
    None
}

fn signal_name(s: i32) -> &'static str {
    match s {
        4 => "SIGILL",
        5 => "SIGTRAP",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        13 => "SIGPIPE",
        15 => "SIGTERM",
        24 => "SIGXCPU",
        31 => "SIGSYS",
        _ => "signal",
    }
}

/// The verdict over all replays of one input.
#[derive(Clone, Debug)]
pub(crate) struct Aggregate {
    /// The failure most runs showed (ties: the first seen); `None` if no run failed.
    pub failure: Option<Failure>,
    /// Why it does not decode, when every run said so.
    pub undecodable: Option<String>,
    pub runs: u32,
    /// Runs that showed `failure`'s signature.
    pub failed: u32,
    pub described: Option<Described>,
    /// A lone timeout was confirmed by a retry with a longer limit: the
    /// input is a reproducible timeout even though some runs passed.
    pub confirmed_timeout: bool,
    /// Remarks for the cluster (e.g. how a timeout retry went).
    pub notes: Vec<String>,
}

impl Aggregate {
    /// Some run passed or showed a different failure (and no retry
    /// confirmed the failure).
    pub fn flaky(&self) -> bool {
        self.failure.is_some() && self.failed < self.runs && !self.confirmed_timeout
    }
}

impl Run {
    /// The run was killed at the time limit (or by the CPU-time backstop).
    pub fn timed_out(&self) -> bool {
        matches!(&self.outcome, Outcome::Failed(f) if f.kind == Kind::Timeout)
    }
}

/// The timeout-retry rule: an input is replayed once more, with twice the
/// time limit, when some but not all of its runs timed out.
pub(crate) fn needs_timeout_retry(runs: &[Run]) -> bool {
    let timeouts = runs.iter().filter(|r| r.timed_out()).count();
    timeouts > 0 && timeouts < runs.len()
}

/// Combines the runs of one input with its timeout retry (`retry`, run with
/// twice `timeout`): if the retry timed out too, the input is a reproducible
/// [`Kind::Timeout`] (the retry counts as one more run and one more
/// failure); otherwise the verdict is [`aggregate`]'s over the first runs.
/// Either way a note says what happened.
pub(crate) fn aggregate_with_retry(runs: Vec<Run>, retry: Run, timeout: Duration) -> Aggregate {
    let total = runs.len() as u32;
    let timeouts = runs.iter().filter(|r| r.timed_out()).count() as u32;
    let (first, longer) = (
        duration_text(timeout),
        duration_text(timeout.saturating_mul(2)),
    );
    if !retry.timed_out() {
        let mut a = aggregate(runs);
        a.notes.push(format!(
            "timed out in {timeouts} of {total} runs at {first}; a retry with {longer} did not time out"
        ));
        return a;
    }
    let Outcome::Failed(failure) = retry.outcome.clone() else {
        unreachable!("a timed-out run is a failure")
    };
    let mut a = aggregate(runs);
    if a.described.is_none() {
        a.described = retry.described;
    }
    Aggregate {
        failure: Some(failure),
        undecodable: None,
        runs: total + 1,
        failed: timeouts + 1,
        described: a.described,
        confirmed_timeout: true,
        notes: vec![format!(
            "timed out in {timeouts} of {total} runs at {first}, and again in a retry with \
             {longer}: reproducible with a longer time limit"
        )],
    }
}

/// Combines the runs of one input.
pub(crate) fn aggregate(runs: Vec<Run>) -> Aggregate {
    let total = runs.len() as u32;
    let mut counts: HashMap<String, u32> = HashMap::new();
    let mut order: Vec<Failure> = Vec::new();
    let mut undecodable = 0u32;
    let mut undecodable_reason = None;
    let mut described = None;
    for r in runs {
        if described.is_none() {
            described = r.described;
        }
        match r.outcome {
            Outcome::Pass => {}
            Outcome::Undecodable(why) => {
                undecodable += 1;
                undecodable_reason.get_or_insert(why);
            }
            Outcome::Failed(f) => {
                let c = counts.entry(f.signature.clone()).or_insert(0);
                if *c == 0 {
                    order.push(f);
                }
                *c += 1;
            }
        }
    }
    let mut best: Option<(Failure, u32)> = None;
    for f in order {
        let c = counts[&f.signature];
        if best.as_ref().is_none_or(|(_, b)| c > *b) {
            best = Some((f, c));
        }
    }
    let (failure, failed) = match best {
        Some((f, c)) => (Some(f), c),
        None => (None, 0),
    };
    Aggregate {
        undecodable: (failure.is_none() && undecodable == total && total > 0)
            .then(|| undecodable_reason.unwrap_or_default()),
        failure,
        runs: total,
        failed,
        described,
        confirmed_timeout: false,
        notes: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(stderr: &str, events: Vec<Event>, code: i32) -> RawRun {
        #[cfg(unix)]
        let status = {
            use std::os::unix::process::ExitStatusExt;
            std::process::ExitStatus::from_raw(code)
        };
        #[cfg(not(unix))]
        let status = {
            let _ = code;
            std::process::Command::new("true").status().unwrap()
        };
        let mut all = vec![Event::Ready];
        all.extend(events);
        RawRun {
            timed_out: false,
            status,
            events: all,
            stderr: stderr.into(),
        }
    }

    fn rules() -> SigRules<'static> {
        SigRules {
            frames: 3,
            source_root: Some(Path::new("/work/repo")),
        }
    }

    #[test]
    fn sanitizer_report_is_recognised() {
        let r = raw(
            "INFO: Running\n==7==ERROR: AddressSanitizer: heap-use-after-free on address 0x1\n\
             #0 0x1 in secfuzz::jwt::decode::h0123456789abcdef /work/repo/src/jwt/mod.rs:9:1\n\
             #1 0x2 in rust_fuzzer_test_input /x/lib.rs:1:1\n",
            vec![],
            6,
        );
        let run = classify(&r, "jwt", &rules()).unwrap();
        let Outcome::Failed(f) = run.outcome else {
            panic!("not a failure")
        };
        assert_eq!(f.kind, Kind::Sanitizer);
        assert_eq!(f.title, "AddressSanitizer: heap-use-after-free");
        assert_eq!(
            f.signature,
            "jwt | sanitizer | AddressSanitizer: heap-use-after-free | secfuzz::jwt::decode"
        );
        assert_eq!(f.frames[0].file.as_deref(), Some("src/jwt/mod.rs"));
    }

    #[test]
    fn overflow_and_oom_messages_are_recognised() {
        let r = raw(
            "\nthread 'main' (12) has overflowed its stack\nfatal runtime error: stack overflow, aborting\n",
            vec![],
            6,
        );
        let Outcome::Failed(f) = classify(&r, "t", &rules()).unwrap().outcome else {
            panic!()
        };
        assert_eq!(
            (f.kind, f.signature.as_str()),
            (Kind::StackOverflow, "t | stack-overflow")
        );
        let r = raw("memory allocation of 1048576 bytes failed\n", vec![], 6);
        let Outcome::Failed(f) = classify(&r, "t", &rules()).unwrap().outcome else {
            panic!()
        };
        assert_eq!(f.kind, Kind::OutOfMemory);
    }

    #[test]
    fn death_without_result_is_a_crash() {
        let r = raw("", vec![], 6);
        let Outcome::Failed(f) = classify(&r, "t", &rules()).unwrap().outcome else {
            panic!()
        };
        assert_eq!(f.kind, Kind::Crash);
        #[cfg(unix)]
        assert_eq!(f.title, "killed by signal 6 (SIGABRT)");
    }

    #[test]
    fn error_event_is_an_environment_error() {
        let r = raw(
            "",
            vec![Event::Error {
                message: "nope".into(),
            }],
            0,
        );
        assert!(matches!(
            classify(&r, "t", &rules()),
            Err(TriageError::Child { .. })
        ));
    }

    #[test]
    fn a_child_that_never_starts_is_an_environment_error() {
        let mut r = raw("error: unrecognized subcommand", vec![], 2 << 8);
        r.events.clear();
        let err = classify(&r, "t", &rules()).unwrap_err();
        #[cfg(unix)]
        assert_eq!(
            err.to_string(),
            "replay child for target t failed: exited with code 2 without answering; \
             it said: error: unrecognized subcommand"
        );
    }

    #[test]
    fn paths_are_normalized() {
        let root = Some(Path::new("/work/repo"));
        assert_eq!(normalize_path("/work/repo/src/a.rs", root), "src/a.rs");
        assert_eq!(
            normalize_path("/rustc/0123abc/library/core/src/x.rs", root),
            "library/core/src/x.rs"
        );
        assert_eq!(
            normalize_path(
                "/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/url-2.5.0/src/lib.rs",
                root
            ),
            "url-2.5.0/src/lib.rs"
        );
        assert_eq!(normalize_path("./tests/t.rs", root), "tests/t.rs");
    }

    #[test]
    fn aggregate_tells_flaky_from_reproducible() {
        let fail = |sig: &str| Run {
            outcome: Outcome::Failed(Failure {
                kind: Kind::Panic,
                invariant: None,
                title: String::new(),
                detail: String::new(),
                frames: vec![],
                location: None,
                signature: sig.into(),
            }),
            described: None,
        };
        let pass = || Run {
            outcome: Outcome::Pass,
            described: None,
        };
        let a = aggregate(vec![fail("a"), fail("a"), fail("a")]);
        assert_eq!((a.failed, a.runs, a.flaky()), (3, 3, false));
        let a = aggregate(vec![pass(), fail("b"), fail("a"), fail("b")]);
        assert_eq!(a.failure.as_ref().unwrap().signature, "b");
        assert_eq!((a.failed, a.runs, a.flaky()), (2, 4, true));
        let a = aggregate(vec![pass(), pass()]);
        assert!(a.failure.is_none() && a.undecodable.is_none() && !a.flaky());
    }
}
