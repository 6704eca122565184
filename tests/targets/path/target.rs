//! The path target's own surface: verdicts of the raw-payload check, its
//! options, and a `Debug` that starts with a pasteable payload.

use secfuzz::path::{PathError, PathInput, PathTarget};
use secfuzz::{Target, Verdict};

#[test]
fn check_payload_reports_verdicts() {
    assert_eq!(
        PathTarget::check_payload(b"a/../b").unwrap(),
        Verdict::Accepted { output: "b".into() }
    );
    let v = PathTarget::check_payload(b"../etc/passwd").unwrap();
    assert_eq!(v.kind(), "rejected");
    assert_eq!(
        v.reason(),
        Some(PathError::EscapesRoot { offset: 0 }.to_string().as_str())
    );
    assert!(secfuzz::registry::find("path").is_some());
    let ids: Vec<&str> = PathTarget::INVARIANTS.iter().map(|i| i.id).collect();
    for id in [
        "path.well_formed",
        "path.confined",
        "path.idempotent",
        "path.model",
        "path.no_lookalike",
        "path.decode_stable",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
}

#[test]
fn input_debug_starts_with_a_pasteable_payload() {
    let bytes: Vec<u8> = (0..64u8).map(|i| i.wrapping_mul(37)).collect();
    let input: PathInput = secfuzz::harness::decode_value(&bytes).unwrap();
    let dbg = format!("{input:?}");
    let payload = secfuzz::util::EscapedBytes(&input.payload()).to_string();
    assert!(
        dbg.starts_with(&format!("PathInput {{ payload: b\"{payload}\"")),
        "{dbg}"
    );
}
