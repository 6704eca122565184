//! The sql target against a bare `sqlparser` parse of the same query:
//! `detect` on the PayloadsAllTheThings lines and the benign corpus
//! (payloads per second on one core = elements/s), `Template::render`
//! and `Template::admits` per query.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use secfuzz::sql::{detect, Arg, Dialect, Direction, Template, Value};
use sqlparser::parser::Parser;

fn lines(rel: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let mut out = Vec::new();
    let files: Vec<_> = if root.is_dir() {
        let mut f: Vec<_> = std::fs::read_dir(&root)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        f.sort();
        f
    } else {
        vec![root]
    };
    for f in files {
        let text = std::fs::read(&f).unwrap_or_default();
        out.extend(
            String::from_utf8_lossy(&text)
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_owned),
        );
    }
    out
}

fn detector(c: &mut Criterion) {
    let mut g = c.benchmark_group("sql-detect");
    for (name, set) in [
        (
            "payloadsallthethings",
            lines("../shared/external/payloadsallthethings/sql-injection"),
        ),
        ("benign", lines("corpora/sql/text/benign.txt")),
    ] {
        if set.is_empty() {
            continue;
        }
        g.throughput(Throughput::Elements(set.len() as u64));
        g.bench_with_input(BenchmarkId::new("detect", name), &set, |b, s| {
            b.iter(|| s.iter().filter(|l| detect(black_box(l)).is_some()).count())
        });
        g.bench_with_input(
            BenchmarkId::new("sqlparser-tokenize", name),
            &set,
            |b, s| {
                b.iter(|| {
                    s.iter()
                        .filter(|l| {
                            sqlparser::tokenizer::Tokenizer::new(
                                &sqlparser::dialect::MySqlDialect {},
                                black_box(l),
                            )
                            .tokenize()
                            .is_ok()
                        })
                        .count()
                })
            },
        );
    }
    g.finish();
}

fn template(c: &mut Criterion) {
    let mut g = c.benchmark_group("sql-template");
    let t = Template::parse(
        Dialect::Sqlite,
        "SELECT id, name FROM users WHERE name = ? AND created > ? ORDER BY {col} {dir:dir} LIMIT ?",
    )
    .unwrap()
    .allow("col", ["name", "created"]);
    let args = [
        Arg::Value(Value::Text("O'Brien -- the new guy".into())),
        Arg::Value(Value::Int(1_700_000_000)),
        Arg::Ident("created".into()),
        Arg::Dir(Direction::Desc),
        Arg::Value(Value::Int(50)),
    ];
    let q = t.render(&args).unwrap();
    assert!(t.admits(&q).is_ok());
    g.bench_function("render", |b| b.iter(|| t.render(black_box(&args))));
    g.bench_function("parameterized", |b| {
        b.iter(|| t.parameterized(black_box(&args)))
    });
    g.bench_function("admits", |b| b.iter(|| t.admits(black_box(&q))));
    g.bench_function("sqlparser-parse", |b| {
        b.iter(|| Parser::parse_sql(&sqlparser::dialect::SQLiteDialect {}, black_box(&q)))
    });
    g.finish();
}

criterion_group!(benches, detector, template);
criterion_main!(benches);
