//! `confine` against a plain `std::path::Path::components()` walk (depth
//! counting, `..` pops, the baseline a service might write by hand) over
//! the same realistic and adversarial inputs.

use std::hint::black_box;
use std::path::{Component, Path};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use secfuzz::path::{confine, Policy};

fn inputs() -> Vec<String> {
    let mut v: Vec<String> = [
        // Realistic.
        "index.html",
        "static/css/site.css",
        "static/js/app.min.js",
        "uploads/2024/05/photo-1234.jpg",
        "users/42/avatar.png",
        "docs/guide/../api/reference.html",
        "./assets/./img/logo.svg",
        "a/b/c/d/e/f/g/h/i/j/index.html",
        "r\u{e9}sum\u{e9}s/2024/cv.pdf",
        "\u{65e5}\u{672c}\u{8a9e}/\u{30d5}\u{30a1}\u{30a4}\u{30eb}.txt",
        "reports/q1%20summary.pdf",
        "backups\\2024\\db.sql.gz",
        // Adversarial.
        "../../../etc/passwd",
        "a/b/../../../../etc/shadow",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "..%2f..%2f..%2fboot.ini",
        "%252e%252e%252fetc",
        "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
        "..%c0%af..%c0%afetc",
        "\\\\?\\C:\\windows\\win.ini",
        "\\\\host\\share\\x",
        "C:\\boot.ini",
        "/etc/passwd",
        "\u{ff0e}\u{ff0e}\u{ff0f}\u{ff0e}\u{ff0e}\u{ff0f}etc",
        "a\u{2215}..\u{2215}b",
        "\u{ff23}\u{ff2f}\u{ff2e}",
        "logs/nul.txt",
        "file.txt::$DATA",
        "shell.php%00.png",
        "a\u{202e}gpj.exe",
        "foo./bar ",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("d/".repeat(60) + "f.txt");
    v.push("../".repeat(40) + "etc/passwd");
    v.push(format!("{}/{}", "x".repeat(200), "y".repeat(200)));
    v
}

/// The hand-written baseline: walk `std::path` components, pop on `..`,
/// refuse when the depth would go negative or the path is absolute.
fn std_walk(p: &str) -> Option<usize> {
    let mut depth = 0usize;
    for c in Path::new(p).components() {
        match c {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => depth = depth.checked_sub(1)?,
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(depth)
}

fn bench(c: &mut Criterion) {
    let inputs = inputs();
    let policy = Policy::default();
    let bytes: usize = inputs.iter().map(String::len).sum();
    let mut g = c.benchmark_group("path");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("confine", |b| {
        b.iter(|| {
            for i in &inputs {
                black_box(confine(black_box(i), &policy)).ok();
            }
        })
    });
    g.bench_function("std_components", |b| {
        b.iter(|| {
            for i in &inputs {
                black_box(std_walk(black_box(i)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
