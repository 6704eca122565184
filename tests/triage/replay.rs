//! Isolated replay of one input (`triage::replay_one`, what `secfuzz replay`
//! runs): every kind of failure comes back as an outcome, none takes the
//! caller down.

use std::time::Duration;

use secfuzz::triage::{self, Limits, Outcome, Replayed, TriageError};

use super::{fresh_dir, replayer, TIMEOUT};

fn replay(name: &str, target: &str, bytes: &[u8], limits: Limits) -> Replayed {
    let state = fresh_dir(name);
    triage::replay_one(&replayer(&state), target, bytes, limits).expect("the child answers")
}

fn limits() -> Limits {
    Limits::new(TIMEOUT, 1024)
}

#[test]
fn a_panic_is_an_outcome_with_message_and_location() {
    let r = replay("replay-one-panic", "planted-panic", b"A<b>", limits());
    assert_eq!(r.input_debug.as_deref(), Some(r#"Bytes(b"A<b>")"#));
    assert_eq!(r.payload.as_deref(), Some(&b"A<b>"[..]));
    assert!(!r.payload_truncated);
    let Outcome::Panic { message, location } = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    assert_eq!(message, r#"first place: b"A<b>""#);
    let location = location.as_ref().expect("a location");
    assert_eq!(location.file, "tests/triage/planted.rs");
    let shown = r.outcome.to_string();
    eprintln!("result:  {shown}");
    assert!(
        shown.starts_with("PANIC at tests/triage/planted.rs:") && shown.ends_with(message),
        "{shown}"
    );
    assert!(r.outcome.is_finding());
}

#[test]
fn a_hang_is_killed_at_the_time_limit() {
    let limit = Duration::from_secs(1);
    let r = replay(
        "replay-one-hang",
        "planted-loop",
        b"L",
        Limits::new(limit, 1024),
    );
    assert_eq!(r.outcome, Outcome::Hang { timeout: limit });
    assert_eq!(
        r.outcome.to_string(),
        "HANG no result within 1 s; the replay was killed"
    );
    assert_eq!(r.input_debug.as_deref(), Some(r#"Bytes(b"L")"#));
    assert!(r.outcome.is_finding());
}

#[test]
fn running_out_of_memory_is_an_outcome() {
    let r = replay("replay-one-oom", "planted-oom", b"M", limits());
    let Outcome::OutOfMemory { detail } = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    assert!(detail.starts_with("memory allocation of"), "{detail}");
    assert!(r
        .outcome
        .to_string()
        .starts_with("OUT OF MEMORY memory allocation of"));
    assert!(r.outcome.is_finding());
}

#[test]
fn a_stack_overflow_is_an_outcome() {
    let r = replay("replay-one-overflow", "planted-overflow", b"R", limits());
    assert!(
        matches!(&r.outcome, Outcome::StackOverflow { detail } if detail.contains("overflowed its stack")),
        "{:?}",
        r.outcome
    );
    assert!(r.outcome.is_finding());
}

#[test]
fn a_violation_names_its_invariant() {
    let r = replay(
        "replay-one-violation",
        "planted-violation",
        b"a/../b",
        limits(),
    );
    let Outcome::Violation { invariant, detail } = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    assert_eq!(invariant, "planted-violation.confined");
    assert_eq!(detail, r#"b"a/../b" escapes the root"#);
    assert_eq!(
        r.outcome.to_string(),
        r#"VIOLATION invariant planted-violation.confined violated: b"a/../b" escapes the root"#
    );
    assert!(r.outcome.is_finding());
}

#[test]
fn passing_and_undecodable_inputs_are_not_findings() {
    let ok = replay("replay-one-ok", "planted-violation", b"a/b", limits());
    assert_eq!(ok.outcome, Outcome::Ok);
    assert_eq!(ok.outcome.to_string(), "ok");
    assert_eq!(ok.payload.as_deref(), Some(&b"a/b"[..]));
    assert!(!ok.outcome.is_finding());

    let junk = replay(
        "replay-one-junk",
        "planted-violation",
        b"\xffjunk",
        limits(),
    );
    assert!(
        matches!(junk.outcome, Outcome::Undecodable { .. }),
        "{:?}",
        junk.outcome
    );
    assert!(junk.outcome.to_string().starts_with("not decodable: "));
    assert_eq!((junk.input_debug, junk.payload), (None, None));
    assert!(!junk.outcome.is_finding());
}

#[test]
fn an_unknown_target_is_an_error() {
    let state = fresh_dir("replay-one-unknown");
    let err = triage::replay_one(&replayer(&state), "no-such-target", b"x", limits()).unwrap_err();
    assert!(matches!(err, TriageError::UnknownTarget { .. }), "{err}");
}
