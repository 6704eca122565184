//! `jwks::load` (the size cap, UTF-8, `Jwks::from_json` with every key
//! checked, the policy) against `serde_json::from_str::<Value>` on the same
//! sets: what key hygiene costs over merely parsing the JSON.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use secfuzz::jwks::{load, LoadPolicy};
use secfuzz::jwt::fixture;
use serde_json::Value;

fn sets() -> Vec<(&'static str, String)> {
    let trusted: Value = serde_json::from_str(fixture::TRUSTED_JWKS).unwrap();
    let only = |kty: &str, private: bool| {
        let keys: Vec<Value> = trusted["keys"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|k| k["kty"] == kty)
            .map(|k| {
                let mut k = k.clone();
                if !private {
                    for m in ["d", "p", "q", "dp", "dq", "qi"] {
                        k.as_object_mut().unwrap().remove(m);
                    }
                }
                k
            })
            .collect();
        serde_json::json!({ "keys": keys }).to_string()
    };
    let public = fixture::trusted_keys().public_json().to_string();
    vec![
        ("oct", only("oct", true)),
        ("rsa-public", only("RSA", false)),
        ("rsa-private", only("RSA", true)),
        ("ec-public", only("EC", false)),
        ("ec-private", only("EC", true)),
        ("okp-public", only("OKP", false)),
        ("fixture-public", public),
        ("fixture-private", fixture::TRUSTED_JWKS.to_owned()),
    ]
}

fn load_vs_parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("jwks");
    for (name, text) in sets() {
        assert!(
            load(text.as_bytes(), LoadPolicy::default()).is_ok(),
            "{name}"
        );
        group.bench_with_input(BenchmarkId::new("load", name), &text, |b, t| {
            b.iter(|| load(black_box(t.as_bytes()), LoadPolicy::default()))
        });
        group.bench_with_input(BenchmarkId::new("serde_json", name), &text, |b, t| {
            b.iter(|| serde_json::from_str::<Value>(black_box(t)))
        });
    }
    group.finish();
}

criterion_group!(benches, load_vs_parse);
criterion_main!(benches);
