//! Test-only targets with planted faults, for triage's end-to-end test and
//! benchmark. They are never in the public registry: the test binary (or the
//! bench binary) serves them itself when triage re-executes it as a replay
//! child (see `triage_child_entry` in `tests/triage.rs`).
//!
//! Every target takes the raw bytes as its input (the payload is the bytes)
//! and passes on anything that does not trigger its fault. Bytes starting
//! with 0xFF do not decode, like a crash file from another target.
//!
//! `benches/triage.rs` includes this file too and uses part of it.
#![allow(dead_code)]

use std::cell::Cell;
use std::fmt;
use std::hint::black_box;
use std::io;
use std::path::Path;
use std::time::Duration;

use arbitrary::{Arbitrary, Unstructured};
use secfuzz::registry::Entry;
use secfuzz::util::EscapedBytes;
use secfuzz::{DynTarget, Invariant, Target, Verdict, Violation};

/// Environment variable naming a directory where [`Flaky`] remembers which
/// inputs it has already failed on.
pub const FLAKY_STATE_ENV: &str = "SECFUZZ_PLANTED_FLAKY_STATE";

thread_local! {
    static FIXED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with every planted fault "fixed" on this thread, as a developer
/// would after triage: the regression inputs must then all pass.
pub fn with_faults_fixed<R>(f: impl FnOnce() -> R) -> R {
    FIXED.with(|x| x.set(true));
    let r = f();
    FIXED.with(|x| x.set(false));
    r
}

fn fixed() -> bool {
    FIXED.with(Cell::get)
}

/// Raw bytes, printed as a byte string.
#[derive(Clone)]
pub struct Bytes(pub Vec<u8>);

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bytes({:?})", EscapedBytes(&self.0))
    }
}

impl<'a> Arbitrary<'a> for Bytes {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Bytes(Vec::arbitrary(u)?))
    }
    fn arbitrary_take_rest(u: Unstructured<'a>) -> arbitrary::Result<Self> {
        let rest = u.take_rest();
        if rest.first() == Some(&0xFF) {
            return Err(arbitrary::Error::IncorrectFormat);
        }
        Ok(Bytes(rest.to_vec()))
    }
}

macro_rules! planted {
    ($ty:ident, $name:literal, $desc:literal, |$p:ident| $body:expr) => {
        #[doc = $desc]
        pub struct $ty;
        impl Target for $ty {
            const NAME: &'static str = $name;
            const DESCRIPTION: &'static str = $desc;
            const INVARIANTS: &'static [Invariant] = &[];
            type Input = Bytes;
            fn render(input: &Bytes) -> Vec<u8> {
                input.0.clone()
            }
            fn check(input: &Bytes) -> Result<(), Violation> {
                if fixed() {
                    return Ok(());
                }
                let $p: &[u8] = &input.0;
                $body
            }
            const OPTIONS: &'static [secfuzz::options::OptionSpec] = &[];
            fn checker(
                _: &secfuzz::options::Options,
            ) -> Result<Box<dyn secfuzz::Checker>, secfuzz::options::OptionError> {
                Ok(Box::new(|payload: &[u8]| {
                    Self::check(&Bytes(payload.to_vec()))?;
                    Ok(Verdict::Accepted {
                        output: secfuzz::util::payload_text(payload),
                    })
                }))
            }
        }
    };
}

planted!(
    Violating,
    "planted-violation",
    "Violates its confinement invariant on any payload containing `../`.",
    |p| {
        if p.windows(3).any(|w| w == b"../") {
            Err(Violation::new(
                "planted-violation.confined",
                format!("{:?} escapes the root", EscapedBytes(p)),
            ))
        } else {
            Ok(())
        }
    }
);

#[inline(never)]
fn first_place(p: &[u8]) {
    panic!("first place: {:?}", EscapedBytes(p));
}

#[inline(never)]
fn second_place(p: &[u8]) -> u8 {
    let i = black_box(p.len());
    p[i] // out of bounds, always
}

planted!(
    Panicky,
    "planted-panic",
    "Panics in `first_place` on payloads starting with `A`, in `second_place` on other payloads containing `Z`.",
    |p| {
        if p.first() == Some(&b'A') {
            first_place(p);
        } else if p.contains(&b'Z') {
            black_box(second_place(p));
        }
        Ok(())
    }
);

#[inline(never)]
fn recurse(depth: u64) -> u64 {
    let frame = black_box([depth; 32]);
    if black_box(depth) == u64::MAX {
        return 0;
    }
    recurse(depth + 1).wrapping_add(frame[7])
}

planted!(
    Overflowing,
    "planted-overflow",
    "Recurses without bound on payloads starting with `R`.",
    |p| {
        if p.first() == Some(&b'R') {
            black_box(recurse(0));
        }
        Ok(())
    }
);

planted!(
    Hungry,
    "planted-oom",
    "Allocates without bound on payloads starting with `M`.",
    |p| {
        if p.first() == Some(&b'M') {
            // Reserved, mostly untouched: the address-space limit stops it
            // quickly without making the machine page in gigabytes.
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            loop {
                let mut chunk = Vec::with_capacity(1 << 20);
                chunk.push(0x5a_u8);
                hoard.push(black_box(chunk));
            }
        }
        Ok(())
    }
);

planted!(
    Looping,
    "planted-loop",
    "Loops forever on payloads starting with `L`.",
    |p| {
        if p.first() == Some(&b'L') {
            let mut x = 0u64;
            while black_box(true) {
                x = black_box(x.wrapping_add(1));
            }
        }
        Ok(())
    }
);

planted!(
    Flaky,
    "planted-flaky",
    "Panics on payloads starting with `F` the first time it sees them (per state directory).",
    |p| {
        if p.first() == Some(&b'F') {
            if let Some(dir) = std::env::var_os(FLAKY_STATE_ENV) {
                let name = secfuzz::triage::sha1_hex(p);
                let first_time = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(std::path::Path::new(&dir).join(name))
                    .is_ok();
                if first_time {
                    panic!("flaky failure");
                }
            }
        }
        Ok(())
    }
);

/// Which run of `p` this is (1, 2, …), counted with marker files in the
/// [`FLAKY_STATE_ENV`] directory; 0 without one.
fn run_number(p: &[u8]) -> u32 {
    let Some(dir) = std::env::var_os(FLAKY_STATE_ENV) else {
        return 0;
    };
    let name = secfuzz::triage::sha1_hex(p);
    for n in 1..10_000 {
        let marker = Path::new(&dir).join(format!("slow-{name}-{n}"));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(marker)
        {
            Ok(_) => return n,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(_) => return 0,
        }
    }
    0
}

planted!(
    Slow,
    "planted-slow",
    "Sleeps far beyond any time limit on payloads starting with `S`, except on their second and third run, and on payloads starting with `s` on their first run only (runs counted per state directory).",
    |p| {
        let hang = match p.first() {
            Some(b'S') => !matches!(run_number(p), 2 | 3),
            Some(b's') => run_number(p) == 1,
            _ => false,
        };
        if hang {
            std::thread::sleep(Duration::from_secs(120));
        }
        Ok(())
    }
);

/// Every planted target.
pub static PLANTED: &[&dyn DynTarget] = &[
    &Entry::<Violating>::new(),
    &Entry::<Panicky>::new(),
    &Entry::<Overflowing>::new(),
    &Entry::<Hungry>::new(),
    &Entry::<Looping>::new(),
    &Entry::<Flaky>::new(),
    &Entry::<Slow>::new(),
];

/// The planted target called `name`.
pub fn lookup(name: &str) -> Option<&'static dyn DynTarget> {
    PLANTED.iter().copied().find(|t| t.name() == name)
}

/// Names of the planted targets.
pub fn names() -> Vec<&'static str> {
    PLANTED.iter().map(|t| t.name()).collect()
}
