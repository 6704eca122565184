//! The shrinking challenge's properties as a secfuzz user writes them: each
//! input type is decoded from bytes by `arbitrary` (for the byte shrinker)
//! and also has a proptest strategy (for proptest's own shrinking), so both
//! shrinkers minimise the same values against the same property.
//!
//! "Minimal" is judged per challenge by [`Challenge::is_minimal`]: the
//! published minimum, or — where `arbitrary`'s byte encoding orders values
//! differently from Hypothesis' — a counterexample of the same shape and
//! no larger (documented on each challenge).

use std::fmt::Write as _;

use arbitrary::{Arbitrary, Unstructured};
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};
use secfuzz::harness;
use std::cell::Cell;

/// One challenge: a property over `Value` that some values break.
pub trait Challenge {
    /// The challenge's public name.
    const NAME: &'static str;
    /// The published minimum, in the notation counterexamples print in.
    const MINIMUM: &'static str;
    /// The generated value.
    type Value: for<'a> Arbitrary<'a> + std::fmt::Debug + Clone;
    /// `true` when `v` is a counterexample (the property fails).
    fn fails(v: &Self::Value) -> bool;
    /// The counterexample in the challenge's notation.
    fn show(v: &Self::Value) -> String;
    /// `true` when a counterexample is as small as the challenge asks.
    fn is_minimal(v: &Self::Value) -> bool;
    /// proptest's own strategy for the same values.
    fn strategy() -> BoxedStrategy<Self::Value>;
}

fn list<T: std::fmt::Display>(xs: &[T]) -> String {
    let items: Vec<String> = xs.iter().map(|x| x.to_string()).collect();
    format!("[{}]", items.join(", "))
}

fn ints() -> impl Strategy<Value = Vec<i32>> {
    proptest::collection::vec(any::<i32>(), 0..50)
}

/// reverse: a list equals its reverse. Minimum `[0, 1]`; `[1, 0]` counts too
/// (its bytes are shorter: the trailing zero of the last integer is free).
pub struct Reverse;
impl Challenge for Reverse {
    const NAME: &'static str = "reverse";
    const MINIMUM: &'static str = "[0, 1]";
    type Value = Vec<i32>;
    fn fails(v: &Vec<i32>) -> bool {
        let mut r = v.clone();
        r.reverse();
        r != *v
    }
    fn show(v: &Vec<i32>) -> String {
        list(v)
    }
    fn is_minimal(v: &Vec<i32>) -> bool {
        *v == [0, 1] || *v == [1, 0]
    }
    fn strategy() -> BoxedStrategy<Vec<i32>> {
        ints().boxed()
    }
}

/// bound5: five lists of `i16`, each summing (wrapping) below 256, whose
/// wrapped total is not below 5·256. Minimum `([-32768], [-1], [], [], [])`;
/// counted as minimal: two singleton lists, the rest empty (which two values
/// is an artefact of each encoding's order).
pub struct Bound5;
impl Challenge for Bound5 {
    const NAME: &'static str = "bound5";
    const MINIMUM: &'static str = "([-32768], [-1], [], [], [])";
    type Value = [Vec<i16>; 5];
    fn fails(v: &[Vec<i16>; 5]) -> bool {
        let sum = |xs: &[i16]| xs.iter().fold(0i16, |a, &x| a.wrapping_add(x));
        let sums: Vec<i16> = v.iter().map(|xs| sum(xs)).collect();
        sums.iter().all(|&s| s < 256) && sum(&sums) >= 5 * 256
    }
    fn show(v: &[Vec<i16>; 5]) -> String {
        let parts: Vec<String> = v.iter().map(|xs| list(xs)).collect();
        format!("({})", parts.join(", "))
    }
    fn is_minimal(v: &[Vec<i16>; 5]) -> bool {
        let lens: Vec<usize> = v.iter().map(Vec::len).collect();
        lens.iter().filter(|&&l| l == 1).count() == 2 && lens.iter().all(|&l| l <= 1)
    }
    fn strategy() -> BoxedStrategy<[Vec<i16>; 5]> {
        let l = || proptest::collection::vec(any::<i16>(), 0..10);
        (l(), l(), l(), l(), l())
            .prop_map(|(a, b, c, d, e)| [a, b, c, d, e])
            .boxed()
    }
}

/// A length 1–100, then that many integers 0–1000.
#[derive(Clone, Debug)]
pub struct LengthList(pub Vec<u16>);
impl<'a> Arbitrary<'a> for LengthList {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let n = u.int_in_range(1..=100usize)?;
        let xs = (0..n)
            .map(|_| u.int_in_range(0..=1000u16))
            .collect::<arbitrary::Result<_>>()?;
        Ok(LengthList(xs))
    }
}

/// lengthlist: fails if the maximum is ≥ 900. Minimum `[900]`.
pub struct Lengthlist;
impl Challenge for Lengthlist {
    const NAME: &'static str = "lengthlist";
    const MINIMUM: &'static str = "[900]";
    type Value = LengthList;
    fn fails(v: &LengthList) -> bool {
        v.0.iter().any(|&x| x >= 900)
    }
    fn show(v: &LengthList) -> String {
        list(&v.0)
    }
    fn is_minimal(v: &LengthList) -> bool {
        v.0 == [900]
    }
    fn strategy() -> BoxedStrategy<LengthList> {
        (1..=100usize)
            .prop_flat_map(|n| proptest::collection::vec(0..=1000u16, n))
            .prop_map(LengthList)
            .boxed()
    }
}

/// The same list with a custom `Arbitrary` that reads each integer as a
/// little-endian `u16` reduced modulo 1001, instead of `int_in_range`.
#[derive(Clone, Debug)]
pub struct LengthListLe(pub Vec<u16>);
impl<'a> Arbitrary<'a> for LengthListLe {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let n = usize::from(u8::arbitrary(u)? % 100) + 1;
        let xs = (0..n)
            .map(|_| Ok(u16::arbitrary(u)? % 1001))
            .collect::<arbitrary::Result<_>>()?;
        Ok(LengthListLe(xs))
    }
}

/// lengthlist with [`LengthListLe`]: not one of the thirteen, the check that
/// a little-endian custom `Arbitrary` removes `int_in_range`'s mismatch with
/// the shrink order.
pub struct LengthlistLe;
impl Challenge for LengthlistLe {
    const NAME: &'static str = "lengthlist_le";
    const MINIMUM: &'static str = "[900]";
    type Value = LengthListLe;
    fn fails(v: &LengthListLe) -> bool {
        v.0.iter().any(|&x| x >= 900)
    }
    fn show(v: &LengthListLe) -> String {
        list(&v.0)
    }
    fn is_minimal(v: &LengthListLe) -> bool {
        v.0 == [900]
    }
    fn strategy() -> BoxedStrategy<LengthListLe> {
        Lengthlist::strategy()
            .prop_map(|l| LengthListLe(l.0))
            .boxed()
    }
}

/// distinct: at least three distinct elements. Minimum `[0, 1, -1]` or
/// `[0, 1, 2]`; counted as minimal: three elements whose absolute values sum
/// to at most 3, in any order.
pub struct Distinct;
impl Challenge for Distinct {
    const NAME: &'static str = "distinct";
    const MINIMUM: &'static str = "[0, 1, -1]";
    type Value = Vec<i32>;
    fn fails(v: &Vec<i32>) -> bool {
        let mut d = v.clone();
        d.sort_unstable();
        d.dedup();
        d.len() >= 3
    }
    fn show(v: &Vec<i32>) -> String {
        list(v)
    }
    fn is_minimal(v: &Vec<i32>) -> bool {
        v.len() == 3 && v.iter().map(|x| i64::from(*x).abs()).sum::<i64>() <= 3
    }
    fn strategy() -> BoxedStrategy<Vec<i32>> {
        ints().boxed()
    }
}

fn nested() -> impl Strategy<Value = Vec<Vec<i32>>> {
    proptest::collection::vec(proptest::collection::vec(any::<i32>(), 0..20), 0..20)
}

fn show_nested(v: &[Vec<i32>]) -> String {
    let parts: Vec<String> = v.iter().map(|xs| list(xs)).collect();
    format!("[{}]", parts.join(", "))
}

/// nestedlists: total length above 10. Minimum one list of eleven zeros.
pub struct Nestedlists;
impl Challenge for Nestedlists {
    const NAME: &'static str = "nestedlists";
    const MINIMUM: &'static str = "[[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]";
    type Value = Vec<Vec<i32>>;
    fn fails(v: &Vec<Vec<i32>>) -> bool {
        v.iter().map(Vec::len).sum::<usize>() > 10
    }
    fn show(v: &Vec<Vec<i32>>) -> String {
        show_nested(v)
    }
    fn is_minimal(v: &Vec<Vec<i32>>) -> bool {
        v.len() == 1 && v[0] == [0; 11]
    }
    fn strategy() -> BoxedStrategy<Vec<Vec<i32>>> {
        nested().boxed()
    }
}

/// large_union_list: more than four distinct values overall. Minimum
/// `[[0, 1, -1, 2, -2]]`; counted as minimal: one list of five values whose
/// absolute values sum to at most 10 (`[[0, 1, 2, 3, 4]]` in any order).
pub struct LargeUnionList;
impl Challenge for LargeUnionList {
    const NAME: &'static str = "large_union_list";
    const MINIMUM: &'static str = "[[0, 1, -1, 2, -2]]";
    type Value = Vec<Vec<i32>>;
    fn fails(v: &Vec<Vec<i32>>) -> bool {
        let mut all: Vec<i32> = v.iter().flatten().copied().collect();
        all.sort_unstable();
        all.dedup();
        all.len() > 4
    }
    fn show(v: &Vec<Vec<i32>>) -> String {
        show_nested(v)
    }
    fn is_minimal(v: &Vec<Vec<i32>>) -> bool {
        v.len() == 1
            && v[0].len() == 5
            && v[0].iter().map(|x| i64::from(*x).abs()).sum::<i64>() <= 10
    }
    fn strategy() -> BoxedStrategy<Vec<Vec<i32>>> {
        nested().boxed()
    }
}

/// Expressions of integers, `+` and `/`.
#[derive(Arbitrary, Clone, Debug)]
pub enum Expr {
    /// A literal.
    Int(i32),
    /// Sum.
    Add(Box<Expr>, Box<Expr>),
    /// Integer division.
    Div(Box<Expr>, Box<Expr>),
}

impl Expr {
    fn has_literal_div_zero(&self) -> bool {
        match self {
            Expr::Int(_) => false,
            Expr::Add(a, b) => a.has_literal_div_zero() || b.has_literal_div_zero(),
            Expr::Div(a, b) => {
                matches!(**b, Expr::Int(0)) || a.has_literal_div_zero() || b.has_literal_div_zero()
            }
        }
    }
    /// `None` on division by zero.
    fn eval(&self) -> Option<i32> {
        match self {
            Expr::Int(n) => Some(*n),
            Expr::Add(a, b) => Some(a.eval()?.wrapping_add(b.eval()?)),
            Expr::Div(a, b) => {
                let (x, y) = (a.eval()?, b.eval()?);
                (y != 0).then(|| x.wrapping_div(y))
            }
        }
    }
    fn depth(&self) -> usize {
        match self {
            Expr::Int(_) => 1,
            Expr::Add(a, b) | Expr::Div(a, b) => 1 + a.depth().max(b.depth()),
        }
    }
    fn show(&self, out: &mut String, nested: bool) {
        match self {
            Expr::Int(n) => {
                let _ = write!(out, "{n}");
            }
            Expr::Add(a, b) | Expr::Div(a, b) => {
                let op = if matches!(self, Expr::Add(..)) {
                    "+"
                } else {
                    "/"
                };
                if nested {
                    out.push('(');
                }
                a.show(out, true);
                let _ = write!(out, " {op} ");
                b.show(out, true);
                if nested {
                    out.push(')');
                }
            }
        }
    }
}

/// calculator: no literal `x / 0`, yet evaluation divides by zero. Minimum
/// `0 / (0 + 0)`.
pub struct Calculator;
impl Challenge for Calculator {
    const NAME: &'static str = "calculator";
    const MINIMUM: &'static str = "0 / (0 + 0)";
    type Value = Expr;
    fn fails(v: &Expr) -> bool {
        // Deep trees are not interesting and would only cost stack.
        v.depth() <= 64 && !v.has_literal_div_zero() && v.eval().is_none()
    }
    fn show(v: &Expr) -> String {
        let mut s = String::new();
        v.show(&mut s, false);
        s
    }
    fn is_minimal(v: &Expr) -> bool {
        Self::show(v) == "0 / (0 + 0)"
    }
    fn strategy() -> BoxedStrategy<Expr> {
        let leaf = any::<i32>().prop_map(Expr::Int);
        leaf.prop_recursive(4, 16, 2, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone())
                    .prop_map(|(a, b)| Expr::Add(Box::new(a), Box::new(b))),
                (inner.clone(), inner).prop_map(|(a, b)| Expr::Div(Box::new(a), Box::new(b))),
            ]
        })
        .boxed()
    }
}

/// deletion: removing the first `x` from a list leaves `x` in it. Minimum
/// `([0, 0], 0)`.
pub struct Deletion;
impl Challenge for Deletion {
    const NAME: &'static str = "deletion";
    const MINIMUM: &'static str = "([0, 0], 0)";
    type Value = (Vec<i32>, i32);
    fn fails((xs, x): &(Vec<i32>, i32)) -> bool {
        let mut ys = xs.clone();
        if let Some(i) = ys.iter().position(|y| y == x) {
            ys.remove(i);
        }
        ys.contains(x)
    }
    fn show((xs, x): &(Vec<i32>, i32)) -> String {
        format!("({}, {x})", list(xs))
    }
    fn is_minimal(v: &(Vec<i32>, i32)) -> bool {
        v.0 == [0, 0] && v.1 == 0
    }
    fn strategy() -> BoxedStrategy<(Vec<i32>, i32)> {
        // Half the time x is drawn from the list, or the bug is never seen.
        (
            proptest::collection::vec(any::<i32>(), 1..20),
            any::<prop::sample::Index>(),
        )
            .prop_map(|(xs, i)| {
                let x = xs[i.index(xs.len())];
                (xs, x)
            })
            .boxed()
    }
}

/// The difference challenges: two positive integers.
fn positive(v: &(u32, u32)) -> bool {
    v.0 > 0 && v.1 > 0
}

fn pair() -> BoxedStrategy<(u32, u32)> {
    (1..=u32::MAX, 1..=u32::MAX).boxed()
}

/// difference_1: first ≥ 10 and the difference is 0. Minimum `[10, 10]`.
pub struct Difference1;
impl Challenge for Difference1 {
    const NAME: &'static str = "difference_1";
    const MINIMUM: &'static str = "[10, 10]";
    type Value = (u32, u32);
    fn fails(v: &(u32, u32)) -> bool {
        positive(v) && v.0 >= 10 && v.0 == v.1
    }
    fn show(v: &(u32, u32)) -> String {
        format!("[{}, {}]", v.0, v.1)
    }
    fn is_minimal(v: &(u32, u32)) -> bool {
        *v == (10, 10)
    }
    fn strategy() -> BoxedStrategy<(u32, u32)> {
        pair()
    }
}

/// difference_2: first ≥ 10 and the difference in 1..=4. Minimum `[10, 6]`.
pub struct Difference2;
impl Challenge for Difference2 {
    const NAME: &'static str = "difference_2";
    const MINIMUM: &'static str = "[10, 6]";
    type Value = (u32, u32);
    fn fails(v: &(u32, u32)) -> bool {
        positive(v) && v.0 >= 10 && (1..=4).contains(&v.0.abs_diff(v.1))
    }
    fn show(v: &(u32, u32)) -> String {
        format!("[{}, {}]", v.0, v.1)
    }
    fn is_minimal(v: &(u32, u32)) -> bool {
        *v == (10, 6)
    }
    fn strategy() -> BoxedStrategy<(u32, u32)> {
        pair()
    }
}

/// difference_3: first ≥ 10 and the difference exactly 1. Minimum `[10, 9]`.
pub struct Difference3;
impl Challenge for Difference3 {
    const NAME: &'static str = "difference_3";
    const MINIMUM: &'static str = "[10, 9]";
    type Value = (u32, u32);
    fn fails(v: &(u32, u32)) -> bool {
        positive(v) && v.0 >= 10 && v.0.abs_diff(v.1) == 1
    }
    fn show(v: &(u32, u32)) -> String {
        format!("[{}, {}]", v.0, v.1)
    }
    fn is_minimal(v: &(u32, u32)) -> bool {
        *v == (10, 9)
    }
    fn strategy() -> BoxedStrategy<(u32, u32)> {
        pair()
    }
}

/// A binary heap: `None` or a node with a value and two sub-heaps.
#[derive(Arbitrary, Clone, Debug)]
pub struct Heap(pub Option<Box<(i32, Heap, Heap)>>);

impl Heap {
    fn invariant(&self, bound: Option<i32>) -> bool {
        match &self.0 {
            None => true,
            Some(n) => {
                bound.is_none_or(|b| b <= n.0)
                    && n.1.invariant(Some(n.0))
                    && n.2.invariant(Some(n.0))
            }
        }
    }
    fn size(&self) -> usize {
        self.0.as_ref().map_or(0, |n| 1 + n.1.size() + n.2.size())
    }
    /// All elements, right sub-heap before left: not in sorted order.
    fn to_list(&self, out: &mut Vec<i32>) {
        if let Some(n) = &self.0 {
            out.push(n.0);
            n.2.to_list(out);
            n.1.to_list(out);
        }
    }
    fn merge(a: &Heap, b: &Heap) -> Heap {
        match (&a.0, &b.0) {
            (None, _) => b.clone(),
            (_, None) => a.clone(),
            (Some(x), Some(y)) => {
                if x.0 <= y.0 {
                    Heap(Some(Box::new((x.0, Heap::merge(&x.2, b), x.1.clone()))))
                } else {
                    Heap(Some(Box::new((y.0, Heap::merge(&y.2, a), y.1.clone()))))
                }
            }
        }
    }
    /// The wrong conversion: the root, then the merged rest *unsorted*.
    fn wrong_to_sorted_list(&self) -> Vec<i32> {
        let mut out = Vec::new();
        if let Some(n) = &self.0 {
            out.push(n.0);
            Heap::merge(&n.1, &n.2).to_list(&mut out);
        }
        out
    }
    fn show(&self) -> String {
        match &self.0 {
            None => "None".into(),
            Some(n) => format!("({}, {}, {})", n.0, n.1.show(), n.2.show()),
        }
    }
    fn depth(&self) -> usize {
        self.0
            .as_ref()
            .map_or(0, |n| 1 + n.1.depth().max(n.2.depth()))
    }
}

/// binheap: for a valid heap, the wrong conversion is not sorted. Minimum
/// `(0, None, (0, (0, None, None), (1, None, None)))`; counted as minimal: four
/// nodes with values summing to at most 1.
pub struct Binheap;
impl Challenge for Binheap {
    const NAME: &'static str = "binheap";
    const MINIMUM: &'static str = "(0, None, (0, (0, None, None), (1, None, None)))";
    type Value = Heap;
    fn fails(v: &Heap) -> bool {
        if v.depth() > 32 || !v.invariant(None) {
            return false;
        }
        let mut all = Vec::new();
        v.to_list(&mut all);
        all.sort_unstable();
        v.wrong_to_sorted_list() != all
    }
    fn show(v: &Heap) -> String {
        v.show()
    }
    fn is_minimal(v: &Heap) -> bool {
        let mut all = Vec::new();
        v.to_list(&mut all);
        v.size() == 4 && all.iter().map(|x| i64::from(*x).abs()).sum::<i64>() <= 1
    }
    fn strategy() -> BoxedStrategy<Heap> {
        let leaf = Just(Heap(None));
        leaf.prop_recursive(5, 32, 2, |inner| {
            prop_oneof![
                1 => Just(Heap(None)),
                3 => (any::<i32>(), inner.clone(), inner)
                    .prop_map(|(x, l, r)| Heap(Some(Box::new((x, l, r))))),
            ]
        })
        .boxed()
    }
}

/// A list of length 0–10 whose elements are indices into it.
#[derive(Clone, Debug)]
pub struct IndexList(pub Vec<usize>);
impl<'a> Arbitrary<'a> for IndexList {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let n = u.int_in_range(0..=10usize)?;
        let xs = (0..n)
            .map(|_| u.int_in_range(0..=n - 1))
            .collect::<arbitrary::Result<_>>()?;
        Ok(IndexList(xs))
    }
}

/// coupling: some `i` with `xs[i] != i` has `xs[xs[i]] == i` (a 2-cycle).
/// Minimum `[1, 0]`.
pub struct Coupling;
impl Challenge for Coupling {
    const NAME: &'static str = "coupling";
    const MINIMUM: &'static str = "[1, 0]";
    type Value = IndexList;
    fn fails(v: &IndexList) -> bool {
        let xs = &v.0;
        (0..xs.len()).any(|i| xs[i] != i && xs[xs[i]] == i)
    }
    fn show(v: &IndexList) -> String {
        list(&v.0)
    }
    fn is_minimal(v: &IndexList) -> bool {
        v.0 == [1, 0]
    }
    fn strategy() -> BoxedStrategy<IndexList> {
        (0..=10usize)
            .prop_flat_map(|n| proptest::collection::vec(0..n.max(1), n))
            .prop_map(|xs| {
                let n = xs.len();
                IndexList(xs.into_iter().map(|x| x % n.max(1)).collect())
            })
            .boxed()
    }
}

/// The runner configuration both engines share.
fn config() -> Config {
    Config {
        cases: 100_000,
        failure_persistence: None,
        max_shrink_iters: 200_000,
        ..Config::default()
    }
}

/// A seeded RNG, a different stream per engine.
fn rng(engine: u8, seed: u64) -> TestRng {
    let mut s = [engine; 32];
    s[..8].copy_from_slice(&seed.to_le_bytes());
    TestRng::from_seed(RngAlgorithm::ChaCha, &s)
}

/// One run of secfuzz's path: random bytes, `arbitrary`, the byte shrinker.
/// Returns the final counterexample, whether it is minimal, and calls.
pub fn run_secfuzz<C: Challenge>(seed: u64) -> (Option<(String, bool)>, u64) {
    let calls = Cell::new(0u64);
    let mut runner = TestRunner::new_with_rng(config(), rng(1, seed));
    let result = runner.run(&harness::inputs::<C::Value>(256), |case| {
        calls.set(calls.get() + 1);
        proptest::prop_assert!(!C::fails(&case.value));
        Ok(())
    });
    let out = match result {
        Err(TestError::Fail(_, min)) => Some((C::show(&min.value), C::is_minimal(&min.value))),
        _ => None,
    };
    (out, calls.get())
}

/// One run of proptest's own strategy and shrinking.
pub fn run_proptest<C: Challenge>(seed: u64) -> (Option<(String, bool)>, u64) {
    let calls = Cell::new(0u64);
    let mut runner = TestRunner::new_with_rng(config(), rng(2, seed));
    let result = runner.run(&C::strategy(), |v| {
        calls.set(calls.get() + 1);
        proptest::prop_assert!(!C::fails(&v));
        Ok(())
    });
    let out = match result {
        Err(TestError::Fail(_, min)) => Some((C::show(&min), C::is_minimal(&min))),
        _ => None,
    };
    (out, calls.get())
}
