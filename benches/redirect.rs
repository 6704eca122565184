//! `RedirectPolicy::check` (the character scan, `join` against the base,
//! the origin rules) against a bare `Url::join` of the same locations on
//! the same base, in one run.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use secfuzz::url::RedirectPolicy;

const LOCATIONS: &[(&str, &str)] = &[
    ("path", "/account/settings?tab=security"),
    ("absolute-same", "https://app.example.com/welcome"),
    (
        "other-allowed",
        "https://accounts.example.com/login?next=%2F",
    ),
    ("refused-scheme-relative", "//evil.com/x"),
    ("refused-backslash", "/\\evil.com"),
];

fn check_vs_join(c: &mut Criterion) {
    let policy =
        RedirectPolicy::with_origins("https://app.example.com", ["https://accounts.example.com"])
            .unwrap();
    let base = ::url::Url::parse("https://app.example.com").unwrap();
    let mut group = c.benchmark_group("redirect");
    for (name, loc) in LOCATIONS {
        group.bench_with_input(BenchmarkId::new("check", name), loc, |b, l| {
            b.iter(|| policy.check(black_box(l)))
        });
        group.bench_with_input(BenchmarkId::new("Url::join", name), loc, |b, l| {
            b.iter(|| base.join(black_box(l)))
        });
    }
    group.finish();
}

criterion_group!(benches, check_vs_join);
criterion_main!(benches);
