//! `Verifier::verify` against a bare `jsonwebtoken::decode` with the same
//! checks (signature, exp, nbf, iss, aud), for HS256, RS256 and ES256 tokens;
//! the structured harness's throughput per signer; and the structured path
//! against the raw path over the committed corpus: per input, what the fuzz
//! target pays (decode + build + `JwtTarget::check`), `JwtTarget::check` on
//! already decoded inputs, and `verify_jws` on the same tokens as raw bytes.

use std::time::{SystemTime, UNIX_EPOCH};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use jsonwebtoken::{DecodingKey, Validation};
use secfuzz::jwt::fixture::{self, AUDIENCE, ISSUER};
use secfuzz::jwt::gen::{Plan, Signing, TrustedKey};
use secfuzz::jwt::{sign_jwt, JwtInput, JwtTarget, Profile, Verifier};
use secfuzz::Target;
use serde_json::{json, Value};

fn bare_key(kid: &str) -> DecodingKey {
    let doc: Value = serde_json::from_str(fixture::TRUSTED_JWKS).unwrap();
    let jwk = doc["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid)
        .unwrap();
    let s = |m: &str| jwk[m].as_str().unwrap();
    match s("kty") {
        "oct" => DecodingKey::from_secret(&secfuzz_b64(s("k"))),
        "RSA" => DecodingKey::from_rsa_components(s("n"), s("e")).unwrap(),
        _ => DecodingKey::from_ec_components(s("x"), s("y")).unwrap(),
    }
}

fn secfuzz_b64(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .unwrap()
}

fn verify_vs_bare(c: &mut Criterion) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let verifier = Verifier::new(fixture::trusted_keys().clone())
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .leeway_exp(30)
        .leeway_nbf(30);
    let claims = json!({
        "iss": ISSUER, "aud": AUDIENCE, "sub": "user-42",
        "iat": now - 60, "nbf": now - 60, "exp": now + 86_400,
    });
    let mut group = c.benchmark_group("verify");
    for kid in ["hs256-0", "rs256-0", "es256-0"] {
        let key = fixture::trusted_keys().get(kid).unwrap();
        let token = sign_jwt(&claims, key).unwrap();
        let bare = bare_key(kid);
        let mut validation = Validation::new(key.algorithm().name().parse().unwrap());
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.validate_nbf = true;
        validation.leeway = 30;
        // Both must accept the token, or the comparison means nothing.
        assert!(verifier.verify(token.as_bytes(), now).is_ok());
        assert!(jsonwebtoken::decode::<Value>(&token, &bare, &validation).is_ok());
        group.bench_function(BenchmarkId::new("secfuzz", kid), |b| {
            b.iter(|| verifier.verify(std::hint::black_box(token.as_bytes()), now))
        });
        group.bench_function(BenchmarkId::new("jsonwebtoken", kid), |b| {
            b.iter(|| {
                jsonwebtoken::decode::<Value>(std::hint::black_box(&token), &bare, &validation)
            })
        });
    }
    group.finish();
}

fn harness(c: &mut Criterion) {
    let mut group = c.benchmark_group("harness_check");
    group.sample_size(20);
    for i in 0..8u8 {
        let plan = Plan {
            signer: TrustedKey(i),
            profile: Profile::Jwt,
            raw_payload: None,
            header_edits: Vec::new(),
            claim_edits: Vec::new(),
            signing: Signing::Signer,
            wire_edits: Vec::new(),
        };
        let name = TrustedKey(i).key().kid().unwrap_or_default().to_owned();
        group.bench_function(BenchmarkId::new("build+check", name), |b| {
            b.iter(|| JwtTarget::check(&JwtInput::new(plan.clone())))
        });
    }
    group.finish();
}

/// The committed corpus, as the fuzz target sees it (bytes).
fn corpus() -> Vec<Vec<u8>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/jwt");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_none())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

fn structured_vs_raw(c: &mut Criterion) {
    let bytes = corpus();
    let inputs: Vec<JwtInput> = bytes
        .iter()
        .filter_map(|b| secfuzz::harness::decode::<JwtTarget>(b).ok())
        .collect();
    let tokens: Vec<Vec<u8>> = inputs.iter().map(JwtTarget::render).collect();
    let verifier = fixture::verifier();
    // Warm the signing pool so every measurement is the steady state.
    for b in &bytes {
        std::hint::black_box(secfuzz::harness::fuzz::<JwtTarget>(b));
    }
    let mut group = c.benchmark_group("corpus_per_input");
    group.sample_size(10);
    let per_input = |n: usize| criterion::Throughput::Elements(n as u64);
    group.throughput(per_input(bytes.len()));
    group.bench_function("fuzz_path_decode_build_check", |b| {
        b.iter(|| {
            for bytes in &bytes {
                std::hint::black_box(secfuzz::harness::fuzz::<JwtTarget>(bytes));
            }
        })
    });
    group.throughput(per_input(inputs.len()));
    group.bench_function("structured_check", |b| {
        b.iter(|| {
            for input in &inputs {
                std::hint::black_box(JwtTarget::check(input)).ok();
            }
        })
    });
    group.throughput(per_input(tokens.len()));
    group.bench_function("raw_verify_jws", |b| {
        b.iter(|| {
            for token in &tokens {
                std::hint::black_box(verifier.verify_jws(token)).ok();
            }
        })
    });
    group.finish();
}

criterion_group!(benches, verify_vs_bare, harness, structured_vs_raw);
criterion_main!(benches);
