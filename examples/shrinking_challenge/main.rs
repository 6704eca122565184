//! The public shrinking challenge, run through secfuzz's byte shrinker and
//! through proptest's own shrinking, side by side.
//!
//! ```text
//! cargo run --release --example shrinking_challenge -- [--runs N] [--json]
//! ```
//!
//! Each run draws random inputs from its own seed until the property fails,
//! then shrinks — exactly the path of a failing `cargo test` property:
//! secfuzz's side uses `harness::inputs` (random bytes decoded by `arbitrary`,
//! shrunk by `harness::Shrinker`), proptest's side the challenge's proptest
//! strategy. Per challenge and engine it prints failures found, the share of
//! runs that ended at the minimum, the distinct final counterexamples with
//! counts, and the mean time and number of property calls.

mod challenges;

use std::collections::BTreeMap;
use std::time::Instant;

use challenges::*;

/// Result of one engine on one challenge over all runs.
struct Tally {
    engine: &'static str,
    runs: usize,
    found: usize,
    minimal: usize,
    finals: BTreeMap<String, usize>,
    total_ms: f64,
    total_calls: u64,
}

impl Tally {
    fn new(engine: &'static str) -> Self {
        Tally {
            engine,
            runs: 0,
            found: 0,
            minimal: 0,
            finals: BTreeMap::new(),
            total_ms: 0.0,
            total_calls: 0,
        }
    }
    fn record(&mut self, out: Option<(String, bool)>, ms: f64, calls: u64) {
        self.runs += 1;
        self.total_ms += ms;
        self.total_calls += calls;
        if let Some((shown, minimal)) = out {
            self.found += 1;
            self.minimal += usize::from(minimal);
            *self.finals.entry(shown).or_default() += 1;
        }
    }
    fn share(&self) -> f64 {
        if self.found == 0 {
            0.0
        } else {
            self.minimal as f64 / self.runs as f64
        }
    }
}

fn challenge<C: Challenge>(runs: usize, json: bool) -> (Tally, Tally) {
    let mut ours = Tally::new("secfuzz");
    let mut theirs = Tally::new("proptest");
    for seed in 0..runs as u64 {
        let t = Instant::now();
        let (out, calls) = run_secfuzz::<C>(seed);
        ours.record(out, t.elapsed().as_secs_f64() * 1e3, calls);
        let t = Instant::now();
        let (out, calls) = run_proptest::<C>(seed);
        theirs.record(out, t.elapsed().as_secs_f64() * 1e3, calls);
    }
    for tally in [&ours, &theirs] {
        if json {
            println!("{}", to_json(C::NAME, tally));
        } else {
            print_text(C::NAME, C::MINIMUM, tally);
        }
    }
    (ours, theirs)
}

fn to_json(name: &str, t: &Tally) -> String {
    let finals: Vec<serde_json::Value> = sorted_finals(t)
        .into_iter()
        .map(|(c, n)| serde_json::json!({"counterexample": c, "count": n}))
        .collect();
    serde_json::json!({
        "challenge": name,
        "engine": t.engine,
        "runs": t.runs,
        "found": t.found,
        "minimal": t.minimal,
        "finals": finals,
        "mean_ms": t.total_ms / t.runs.max(1) as f64,
        "mean_calls": t.total_calls as f64 / t.runs.max(1) as f64,
    })
    .to_string()
}

fn sorted_finals(t: &Tally) -> Vec<(String, usize)> {
    let mut v: Vec<(String, usize)> = t.finals.iter().map(|(k, n)| (k.clone(), *n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

fn print_text(name: &str, minimum: &str, t: &Tally) {
    println!(
        "{name:<17} {:<8} found {:>3}/{:<3} minimal {:>5.1}%  {:>8.1} ms  {:>9.0} calls   (minimum {minimum})",
        t.engine,
        t.found,
        t.runs,
        100.0 * t.share(),
        t.total_ms / t.runs.max(1) as f64,
        t.total_calls as f64 / t.runs.max(1) as f64,
    );
    for (c, n) in sorted_finals(t).into_iter().take(3) {
        println!("{:<27}{n:>4} × {c}", "");
    }
}

fn main() {
    let mut runs = 100usize;
    let mut json = false;
    let mut only: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--runs" => {
                runs = args
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| usage("--runs needs a number"))
            }
            "--json" => json = true,
            "--only" => only = Some(args.next().unwrap_or_else(|| usage("--only needs a name"))),
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other:?}")),
        }
    }
    let mut table: Vec<(&str, Tally, Tally)> = Vec::new();
    macro_rules! each {
        ($($c:ty),*) => {$(
            if only.as_deref().is_none_or(|o| o == <$c>::NAME) {
                let (a, b) = challenge::<$c>(runs, json);
                table.push((<$c>::NAME, a, b));
            }
        )*};
    }
    each!(
        Reverse,
        Bound5,
        Lengthlist,
        Distinct,
        Nestedlists,
        LargeUnionList,
        Calculator,
        Deletion,
        Difference1,
        Difference2,
        Difference3,
        Binheap,
        Coupling,
        LengthlistLe
    );
    if !json {
        println!("\n| challenge | secfuzz at minimum | proptest at minimum |");
        println!("|---|---:|---:|");
        for (name, a, b) in &table {
            println!(
                "| {name} | {:.0} % | {:.0} % |",
                100.0 * a.share(),
                100.0 * b.share()
            );
        }
    }
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("error: {problem}");
    }
    eprintln!("usage: shrinking_challenge [--runs N] [--json] [--only NAME]");
    std::process::exit(if problem.is_empty() { 0 } else { 2 });
}
