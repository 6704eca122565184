//! The parent side of isolated replay: spawning a child per run, feeding it
//! the input, enforcing the time limit, and collecting what it said.

use std::ffi::{OsStr, OsString};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use super::child::{self, Event, Request, CHILD_ENV};
use super::error::TriageError;

/// Most standard-output bytes kept from one child (protocol lines included).
const MAX_STDOUT: usize = 8 * 1024 * 1024;
/// Standard-error bytes kept from the start and from the end of a child's output.
const STDERR_HEAD: usize = 64 * 1024;
const STDERR_TAIL: usize = 64 * 1024;

/// How to start a replay child, and which targets it knows.
///
/// The child is any program that, with [`CHILD_ENV`] set, calls
/// [`serve`](super::serve) (see [`child`](super::child) for the protocol):
///
/// * the `secfuzz` binary itself, on its hidden `__triage-child` subcommand,
///   serving the public registry: [`Replayer::secfuzz`];
/// * a test or benchmark binary serving targets of its own that are not in
///   the public registry: [`Replayer::new`] with the binary's path
///   (`std::env::current_exe()`), the arguments that route it to its
///   `serve` call, and the names of the targets it serves. secfuzz's own
///   tests re-execute their test binary with
///   `--exact triage::triage_child_entry --nocapture`; that test calls
///   `serve` with the planted targets and is a no-op in a normal test run.
#[derive(Clone, Debug)]
pub struct Replayer {
    program: PathBuf,
    args: Vec<OsString>,
    envs: Vec<(OsString, OsString)>,
    targets: Vec<String>,
}

impl Replayer {
    /// Children are `program` run with no arguments (add them with
    /// [`Replayer::arg`]); they serve the targets named in `targets`.
    pub fn new<I, S>(program: impl Into<PathBuf>, targets: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Replayer {
            program: program.into(),
            args: Vec::new(),
            envs: Vec::new(),
            targets: targets.into_iter().map(Into::into).collect(),
        }
    }

    /// The `secfuzz` binary at `exe` (usually `std::env::current_exe()`),
    /// re-executed as `secfuzz __triage-child`, serving every registered target.
    pub fn secfuzz(exe: impl Into<PathBuf>) -> Self {
        Replayer::new(exe, crate::engine::registry::names()).arg(CHILD_SUBCOMMAND)
    }

    /// Appends an argument to the child's command line.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// Sets an environment variable for the child (in addition to the ones
    /// triage sets: [`CHILD_ENV`] and `RUST_BACKTRACE=1`).
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.envs
            .push((key.as_ref().to_owned(), value.as_ref().to_owned()));
        self
    }

    /// The program children are started from.
    pub fn program(&self) -> &Path {
        &self.program
    }

    /// The targets the children serve.
    pub fn targets(&self) -> &[String] {
        &self.targets
    }

    /// Whether the children serve `target`.
    pub fn knows(&self, target: &str) -> bool {
        self.targets.iter().any(|t| t == target)
    }
}

/// The hidden subcommand of the `secfuzz` binary that serves replay requests.
pub const CHILD_SUBCOMMAND: &str = "__triage-child";

/// Resource limits of one replay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Wall-clock limit; the child is killed when it is reached.
    pub timeout: Duration,
    /// Address-space limit in MiB (`RLIMIT_AS`); 0 = no limit.
    pub rss_limit_mb: u64,
}

impl Limits {
    /// A `timeout` and an address-space limit of `rss_limit_mb` MiB.
    pub fn new(timeout: Duration, rss_limit_mb: u64) -> Self {
        Limits {
            timeout,
            rss_limit_mb,
        }
    }

    /// The same limits with twice the time (triage's retry of a lone timeout).
    pub(crate) fn doubled(self) -> Self {
        Limits {
            timeout: self.timeout.saturating_mul(2),
            ..self
        }
    }
}

impl Default for Limits {
    /// Triage's defaults: 10 s and 2048 MiB.
    fn default() -> Self {
        Limits::new(Duration::from_secs(10), 2048)
    }
}

/// Everything one child run produced.
#[derive(Debug)]
pub(crate) struct RawRun {
    /// The parent killed the child at the time limit.
    pub timed_out: bool,
    /// Exit status (after the kill, if it was killed).
    pub status: ExitStatus,
    /// Protocol lines, in order.
    pub events: Vec<Event>,
    /// Standard error, head and tail (lossy UTF-8).
    pub stderr: String,
}

/// A token unique to this process and call, prefixing protocol lines.
fn nonce() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let seed = format!("{}:{n}:{t}", std::process::id());
    crate::engine::util::sha1_hex(seed)[..16].to_owned()
}

/// Replays `bytes` through `target` once, in a fresh child.
pub(crate) fn run_once(
    replayer: &Replayer,
    target: &str,
    bytes: &[u8],
    limits: Limits,
) -> Result<RawRun, TriageError> {
    let nonce = nonce();
    let request = Request {
        target: target.to_owned(),
        rss_limit_mb: limits.rss_limit_mb,
        // A backstop in case this process dies and cannot kill the child.
        cpu_limit_secs: limits.timeout.as_secs().saturating_add(2),
        nonce: nonce.clone(),
    };
    let request = serde_json::to_string(&request).map_err(|e| TriageError::Spawn {
        program: replayer.program.clone(),
        source: io::Error::other(e),
    })?;
    let mut cmd = Command::new(&replayer.program);
    cmd.args(&replayer.args)
        .envs(replayer.envs.iter().map(|(k, v)| (k, v)))
        .env(CHILD_ENV, request)
        .env("RUST_BACKTRACE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().map_err(|source| TriageError::Spawn {
        program: replayer.program.clone(),
        source,
    })?;

    let (waited, stdout, stderr) = thread::scope(|s| {
        let stdin = child.stdin.take();
        let out = child.stdout.take();
        let err = child.stderr.take();
        s.spawn(move || {
            if let Some(mut stdin) = stdin {
                // A child that dies before reading all of its input closes the
                // pipe; that is its outcome to report, not an error here.
                if let Err(e) = stdin.write_all(bytes) {
                    if e.kind() != io::ErrorKind::BrokenPipe {
                        eprintln!("secfuzz triage: writing a replay input failed: {e}");
                    }
                }
            }
        });
        let out = s.spawn(move || out.map(|o| read_capped(o, MAX_STDOUT, 0)));
        let err = s.spawn(move || err.map(|e| read_capped(e, STDERR_HEAD, STDERR_TAIL)));
        let waited = wait_with_timeout(&mut child, limits.timeout);
        let out = out.join().ok().flatten().unwrap_or_default();
        let err = err.join().ok().flatten().unwrap_or_default();
        (waited, out, err)
    });
    let (timed_out, status) = waited?;
    let stdout = String::from_utf8_lossy(&stdout);
    Ok(RawRun {
        timed_out,
        status,
        events: child::parse_events(&stdout, &nonce),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    })
}

/// Waits for `child`, killing it once `timeout` has passed. Returns whether
/// it was killed, and its exit status.
fn wait_with_timeout(
    child: &mut Child,
    timeout: Duration,
) -> Result<(bool, ExitStatus), TriageError> {
    let start = Instant::now();
    let mut pause = Duration::from_millis(1);
    let wait_err = |source| TriageError::Wait { source };
    loop {
        if let Some(status) = child.try_wait().map_err(wait_err)? {
            return Ok((false, status));
        }
        let elapsed = start.elapsed();
        if elapsed >= timeout {
            // `kill` fails only if the child already exited; `wait` reaps it.
            if let Err(e) = child.kill() {
                if e.kind() != io::ErrorKind::InvalidInput {
                    return Err(wait_err(e));
                }
            }
            let status = child.wait().map_err(wait_err)?;
            return Ok((true, status));
        }
        thread::sleep(pause.min(timeout - elapsed));
        pause = (pause * 2).min(Duration::from_millis(5));
    }
}

/// Reads `r` to the end, keeping the first `head` bytes and the last `tail`
/// bytes (with a marker between them when something was dropped).
fn read_capped(mut r: impl Read, head: usize, tail: usize) -> Vec<u8> {
    let mut kept = Vec::new();
    let mut ring: std::collections::VecDeque<u8> = std::collections::VecDeque::new();
    let mut dropped = false;
    let mut buf = [0u8; 8192];
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        let mut chunk = &buf[..n];
        if kept.len() < head {
            let take = chunk.len().min(head - kept.len());
            kept.extend_from_slice(&chunk[..take]);
            chunk = &chunk[take..];
        }
        if tail == 0 {
            dropped |= !chunk.is_empty();
            continue;
        }
        ring.extend(chunk);
        while ring.len() > tail {
            ring.pop_front();
            dropped = true;
        }
    }
    if dropped {
        kept.extend_from_slice(b"\n... (output cut) ...\n");
    }
    kept.extend(ring);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_reads_keep_head_and_tail() {
        let data: Vec<u8> = (0..100u8).collect();
        let out = read_capped(&data[..], 10, 5);
        assert!(out.starts_with(&data[..10]));
        assert!(out.ends_with(&data[95..]));
        assert!(out.windows(10).any(|w| w == b"output cut"));
        assert_eq!(read_capped(&data[..], 200, 0), data);
    }

    #[test]
    fn nonces_differ() {
        assert_ne!(nonce(), nonce());
    }
}
