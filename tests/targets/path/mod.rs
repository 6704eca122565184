//! The path target, grouped by what the tests pin: `confine`'s refusals
//! (table tests), the target's verdicts, the properties (the generic one,
//! raw bytes, a stack model), the external traversal lists, and `RootDir` on
//! a real filesystem.

use secfuzz::path::{confine, PathError, Policy};

mod confine;
#[cfg(target_os = "linux")]
mod filesystem;
#[cfg(target_os = "linux")]
mod links_and_mounts;
#[cfg(target_os = "linux")]
mod open_errors;
#[cfg(target_os = "linux")]
mod operations;
mod payload_lists;
mod properties;
#[cfg(target_os = "linux")]
mod races;
#[cfg(target_os = "linux")]
mod special_files;
mod target;

pub fn def() -> Policy {
    Policy::default()
}

/// The accepted output for `input` under the default policy.
#[track_caller]
pub fn ok(input: &str) -> String {
    ok_with(input, &def())
}

#[track_caller]
pub fn ok_with(input: &str, policy: &Policy) -> String {
    match confine(input, policy) {
        Ok(p) => p.as_str().to_owned(),
        Err(e) => panic!("{input:?} refused: {e}"),
    }
}

/// The refusal for `input` under the default policy.
#[track_caller]
pub fn err(input: &str) -> PathError {
    err_with(input, &def())
}

#[track_caller]
pub fn err_with(input: &str, policy: &Policy) -> PathError {
    match confine(input, policy) {
        Ok(p) => panic!("{input:?} accepted as {p:?}"),
        Err(e) => e,
    }
}
