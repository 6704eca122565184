//! JWT target: RFC vectors, attack tables, key-set refusals and properties.

use proptest::prelude::*;
use secfuzz::harness::{inputs, proptest_config};
use secfuzz::jwt::{JwtInput, JwtTarget};
use secfuzz::Target;

proptest! {
    #![proptest_config(proptest_config(1000, "proptest-regressions/jwt.txt"))]

    /// Soundness and completeness over the full attack grammar: every
    /// generated token is judged by the independent oracles.
    #[test]
    fn structured_attacks_hold_every_invariant(case in inputs::<JwtInput>(512)) {
        let input = &case.value;
        if let Err(v) = JwtTarget::check(input) {
            return Err(TestCaseError::fail(format!("{v}\n{input:#?}")));
        }
        if let Err(v) = JwtTarget::check_payload(&JwtTarget::render(input)) {
            return Err(TestCaseError::fail(format!("raw path: {v}\n{input:#?}")));
        }
    }
}
