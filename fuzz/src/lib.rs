//! The one function every fuzz shim calls: [`secfuzz::harness::fuzz`], with
//! its "keep this input?" answer in libFuzzer's terms.
//!
//! With `SECFUZZ_RAW=1` in the environment the same binary is a plain
//! raw-bytes harness instead: libFuzzer's bytes go straight to the target's
//! raw-payload check ([`secfuzz::Target::check_payload`]), with no structured
//! generator. The bug benchmark (`cargo bench --bench bugbench`) uses it to
//! compare the two on planted vulnerabilities (built with `--features plant`).

use std::sync::OnceLock;

/// The environment variable that switches a shim to the raw-bytes harness.
pub const RAW_ENV: &str = "SECFUZZ_RAW";

fn raw_mode() -> bool {
    static RAW: OnceLock<bool> = OnceLock::new();
    *RAW.get_or_init(|| std::env::var_os(RAW_ENV).is_some_and(|v| v == "1"))
}

/// Decode `data` into `T`'s input and check it; a violation panics (that is
/// how libFuzzer records a crash). Undecodable or oversized inputs are kept
/// out of the corpus.
pub fn run<T: secfuzz::Target>(data: &[u8]) -> libfuzzer_sys::Corpus {
    if raw_mode() {
        if let Err(v) = T::check_payload(data) {
            panic!(
                "secfuzz violation in target {} (raw bytes): {v}\npayload: {:?}",
                T::NAME,
                secfuzz::util::EscapedBytes(data)
            );
        }
        return libfuzzer_sys::Corpus::Keep;
    }
    if secfuzz::harness::fuzz::<T>(data) {
        libfuzzer_sys::Corpus::Keep
    } else {
        libfuzzer_sys::Corpus::Reject
    }
}
