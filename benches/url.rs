//! `OutboundPolicy::check` (the size cap, the character scan, the WHATWG
//! parse, scheme/userinfo/port/host rules with the special-purpose tables)
//! against a bare `url::Url::parse` on the same URLs, in one run: what the
//! guard costs over merely parsing.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use secfuzz::url::OutboundPolicy;

const URLS: &[(&str, &str)] = &[
    ("name", "https://hooks.example.com/services/T000/B000/XXXX?x=1"),
    ("ipv4", "https://93.184.216.34/path"),
    ("ipv6", "https://[2001:4860:4860::8888]/path"),
    ("long-path", "https://cdn.example.net/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z.png?w=1&h=2#frag"),
    ("refused-private", "https://0177.0.0.1/"),
    ("refused-mapped", "https://[::ffff:169.254.169.254]/"),
];

fn check_vs_parse(c: &mut Criterion) {
    let policy = OutboundPolicy::default();
    let mut group = c.benchmark_group("url");
    for (name, u) in URLS {
        group.bench_with_input(BenchmarkId::new("check", name), u, |b, u| {
            b.iter(|| policy.check(black_box(u)))
        });
        group.bench_with_input(BenchmarkId::new("Url::parse", name), u, |b, u| {
            b.iter(|| ::url::Url::parse(black_box(u)))
        });
    }
    group.finish();
}

criterion_group!(benches, check_vs_parse);
criterion_main!(benches);
