//! Properties: the generic one every target runs (structured and raw
//! paths), raw bytes over a traversal alphabet, and a stack model of `..`.

use proptest::prelude::*;
use secfuzz::path::{confine, DotDot, PathError, PathTarget};

use super::def;
use secfuzz::Target;

/// Every generated input holds every invariant, on the structured path and
/// on the raw-payload path of its rendered payload.
#[test]
fn every_generated_input_holds_every_invariant() {
    secfuzz::harness::property::<PathTarget>(1000);
}

proptest! {
    #![proptest_config(secfuzz::harness::proptest_config(1000, "proptest-regressions/path.txt"))]


    /// Raw bytes over a traversal-heavy alphabet pass every oracle.
    #[test]
    fn raw_payloads_hold_every_invariant(
        payload in proptest::collection::vec(
            proptest::sample::select(b"./\\%2eEfFc5a0:Cx\xc0\xae?".to_vec()), 0..48)
    ) {
        let r = PathTarget::check_payload(&payload);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
    }

    /// On plain names, `.`, `..` and `/`, confine is a stack machine.
    #[test]
    fn plain_paths_follow_the_stack_model(
        segs in proptest::collection::vec(
            proptest::sample::select(vec!["", ".", "..", "a", "b", "dir", "x1", "y_2", "Z-"]), 0..24),
        refuse_dots: bool,
        allow_empty: bool,
    ) {
        let input = segs.join("/");
        let policy = def()
            .dot_dot(if refuse_dots { DotDot::Refuse } else { DotDot::Resolve })
            .allow_empty(allow_empty);
        let want = stack_model(&input, refuse_dots, allow_empty);
        let got = confine(&input, &policy).map(|p| p.as_str().to_owned());
        match (&want, &got) {
            (Ok(w), Ok(g)) => prop_assert_eq!(w, g),
            (Err(kind), Err(e)) => prop_assert_eq!(*kind, error_kind(e), "{:?}: {}", input, e),
            _ => prop_assert!(false, "{:?}: model {:?}, confine {:?}", input, want, got),
        }
    }
}

/// The test's own stack model (a third implementation, after confine and
/// the `path.model` oracle).
fn stack_model(s: &str, refuse_dots: bool, allow_empty: bool) -> Result<String, &'static str> {
    if let Some(rest) = s.strip_prefix("//") {
        if rest == "." || rest.starts_with("./") {
            return Err("device");
        }
        if !rest.is_empty() && !rest.starts_with('/') {
            return Err("unc");
        }
    }
    if s.starts_with('/') {
        return Err("absolute");
    }
    let mut stack = Vec::new();
    for seg in s.split('/') {
        match seg {
            "" | "." => {}
            ".." if refuse_dots => return Err("dotdot"),
            ".." => {
                stack.pop().ok_or("escapes")?;
            }
            name => stack.push(name),
        }
    }
    if stack.is_empty() && !allow_empty {
        return Err("empty");
    }
    Ok(stack.join("/"))
}

fn error_kind(e: &PathError) -> &'static str {
    match e {
        PathError::DevicePath => "device",
        PathError::Unc => "unc",
        PathError::Absolute => "absolute",
        PathError::DotDotRefused { .. } => "dotdot",
        PathError::EscapesRoot { .. } => "escapes",
        PathError::Empty => "empty",
        _ => "other",
    }
}
