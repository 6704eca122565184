//! `canvas::Sanitizer` at `Markup` (the size cap, the canvas policy, a
//! second pass confirming a stable serialization, the depth cap) against
//! bare `ammonia::clean` (ammonia's default policy, one pass) on the same
//! benign canvas corpus (`tests/data/canvas-benign/`), plus the in-process
//! oracles' own cost. Throughput in bytes, so criterion prints MB/s.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use secfuzz::canvas::{oracle, Level, Sanitizer};

fn corpus() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/canvas-benign");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

fn sanitize_vs_ammonia(c: &mut Criterion) {
    let docs = corpus();
    let bytes: usize = docs.iter().map(String::len).sum();
    let sanitizer = Sanitizer::new(Level::Markup);
    let outputs: Vec<String> = docs
        .iter()
        .map(|d| sanitizer.sanitize(d).unwrap())
        .collect();
    let mut group = c.benchmark_group("canvas");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("sanitize-markup", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(sanitizer.sanitize(black_box(d)).unwrap());
            }
        })
    });
    group.bench_function("ammonia-clean", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(ammonia::clean(black_box(d)));
            }
        })
    });
    group.bench_function("oracles", |b| {
        b.iter(|| {
            for (d, o) in docs.iter().zip(&outputs) {
                oracle::judge(&sanitizer, d.as_bytes(), &Ok(o.clone())).unwrap();
            }
        })
    });
    group.finish();
}

criterion_group!(benches, sanitize_vs_ammonia);
criterion_main!(benches);
