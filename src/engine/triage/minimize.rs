//! Shrinking one representative per cluster, every candidate replayed in a
//! child, keeping only candidates that fail with the cluster's signature.

use std::time::{Duration, Instant};

use crate::engine::harness::{self, Budget};

use super::classify::{classify, Described, Outcome};
use super::cluster::{describe_fields, Unique};
use super::config::Config;
use super::error::TriageError;
use super::replay::{run_once, Replayer};
use super::report;
use super::time::duration_ms;
use crate::engine::util::{hex, sha1_hex};

/// What minimizing one cluster produced.
pub(crate) struct MinResult {
    pub bytes: Vec<u8>,
    pub described: Option<Described>,
    pub tests: usize,
    pub complete: bool,
    pub elapsed: Duration,
}

impl MinResult {
    pub fn into_report(self) -> report::Minimized {
        let (input_debug, payload, payload_hex) = describe_fields(self.described.as_ref());
        report::Minimized {
            sha1: sha1_hex(&self.bytes),
            len: self.bytes.len(),
            bytes_hex: hex(&self.bytes),
            input_debug,
            payload,
            payload_hex,
            tests: self.tests,
            complete: self.complete,
            elapsed_ms: duration_ms(self.elapsed),
        }
    }
}

/// Shrinks `unique`'s bytes with [`harness::shrink`] while replays keep
/// failing with `signature`, within the configured budget.
pub(crate) fn minimize(
    replayer: &Replayer,
    unique: &Unique,
    signature: &str,
    config: &Config,
    described: Option<&Described>,
) -> Result<MinResult, TriageError> {
    let start = Instant::now();
    let rules = config.sig_rules();
    let mut error = None;
    let mut best_described = described.cloned();
    let shrunk = harness::shrink(
        unique.bytes.clone(),
        |candidate| {
            if error.is_some() {
                return false;
            }
            let run = run_once(replayer, &unique.target, candidate, config.limits())
                .and_then(|raw| classify(&raw, &unique.target, &rules));
            match run {
                Ok(run) => match run.outcome {
                    Outcome::Failed(f) if f.signature == signature => {
                        // The shrinker accepts every failing candidate as its
                        // new best (candidates are always smaller).
                        best_described = run.described;
                        true
                    }
                    _ => false,
                },
                Err(e) => {
                    error = Some(e);
                    false
                }
            }
        },
        Budget {
            max_tests: config.minimize_tests,
            max_time: config.minimize_time,
        },
    );
    if let Some(e) = error {
        return Err(e);
    }
    Ok(MinResult {
        bytes: shrunk.bytes,
        described: best_described,
        tests: shrunk.tests,
        complete: shrunk.complete,
        elapsed: start.elapsed(),
    })
}
