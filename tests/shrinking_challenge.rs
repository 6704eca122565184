//! The shrinking challenge (`examples/shrinking_challenge/`): the byte
//! shrinker reaches the published minimum, from every seed tried, on the
//! challenges where it does so reliably. (`lengthlist`, `binheap` and
//! `deletion` — which some seeds do not hit within 100,000 cases — are
//! measured by the example, not gated: see the README.)

#[path = "../examples/shrinking_challenge/challenges.rs"]
#[allow(dead_code)]
mod challenges;

use challenges::*;

fn reaches_minimum<C: Challenge>(seeds: u64) {
    for seed in 0..seeds {
        let (out, calls) = run_secfuzz::<C>(seed);
        let (shown, minimal) =
            out.unwrap_or_else(|| panic!("{}: seed {seed}: no failure found", C::NAME));
        assert!(
            minimal,
            "{}: seed {seed}: shrunk to {shown} after {calls} calls, not the minimum {}",
            C::NAME,
            C::MINIMUM
        );
    }
}

#[test]
fn reverse() {
    reaches_minimum::<Reverse>(8);
}
#[test]
fn bound5() {
    reaches_minimum::<Bound5>(8);
}
#[test]
fn distinct() {
    reaches_minimum::<Distinct>(8);
}
#[test]
fn nestedlists() {
    reaches_minimum::<Nestedlists>(8);
}
#[test]
fn large_union_list() {
    reaches_minimum::<LargeUnionList>(8);
}
#[test]
fn calculator() {
    reaches_minimum::<Calculator>(8);
}
#[test]
fn difference_1() {
    reaches_minimum::<Difference1>(8);
}
#[test]
fn difference_2() {
    reaches_minimum::<Difference2>(8);
}
#[test]
fn difference_3() {
    reaches_minimum::<Difference3>(8);
}
#[test]
fn coupling() {
    reaches_minimum::<Coupling>(8);
}
#[test]
fn lengthlist_with_a_little_endian_arbitrary() {
    reaches_minimum::<LengthlistLe>(8);
}
