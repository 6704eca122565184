//! Oracles for key-set loading: each accepted set is re-read from its text
//! with plain `serde_json` and the `base64` crate, and every key is checked
//! against the documented hygiene rules with arithmetic of the oracle's own
//! (`rsa::BigUint`, `p256`, `p384`, `p521`, `ed25519-dalek` called directly) —
//! never through the key loader's check functions.
//!
//! The rules are data: [`KEY_RULES`] (one JWK at a time) and [`SET_RULES`]
//! (the whole set), each naming its invariant. A new hygiene rule in the
//! loader is one more entry.
//!
//! Rules checked (those the loader documents today): RSA modulus of
//! 2048–4096 bits, odd, without a leading zero byte; RSA exponent odd, at
//! least 65537 and at most 2^33 − 1; EC points on the curve the algorithm
//! names, with coordinates of the curve's size; Ed25519 points valid and not
//! of small order; HMAC secrets at least as long as the hash; every key
//! naming its `alg`, of the `kty` (and `crv`) that algorithm needs, and
//! loaded bound to it under its own `kid`; `use` absent or `sig`, `key_ops`
//! only distinct `sign`/`verify`; private parts consistent with the public
//! parts (EC and Ed25519 `d` derives the public point, RSA `p·q = n`); no
//! duplicate `kid`, a `kid` on every key of a set of several; no set mixing
//! asymmetric public and private keys; 1 to [`MAX_KEYS`] keys in at most
//! [`MAX_JWKS_LEN`] bytes; with `public-only`, no signing material. Added
//! with the loader's later rules: ES512 on P-521 (66-byte coordinates, `d`
//! deriving the point); no RSA modulus with an odd prime factor below
//! 10,000 (trial division with `BigUint`); canonical Ed25519 `x`; `key_ops`,
//! when present, including `verify`; no `x5c`/`x5u`; no HMAC secret in a
//! set with RSA/EC/OKP keys; no material under two algorithms; no HMAC
//! secret equal to a public key's raw material (`n`, `x`, `x||y`,
//! `04||x||y`) or its base64url text.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};

use super::gen::JwksInput;
use super::{JwksError, LoadPolicy};
use crate::engine::contract::{Invariant, Violation};
use crate::targets::jwt::{Jwks, Key, MAX_JWKS_LEN, MAX_KEYS};

/// `jwks.no_panic`.
pub const NO_PANIC: &str = "jwks.no_panic";
/// `jwks.well_formed`.
pub const WELL_FORMED: &str = "jwks.well_formed";
/// `jwks.bound`.
pub const BOUND: &str = "jwks.bound";
/// `jwks.rsa`.
pub const RSA: &str = "jwks.rsa";
/// `jwks.point`.
pub const POINT: &str = "jwks.point";
/// `jwks.hmac_length`.
pub const HMAC_LENGTH: &str = "jwks.hmac_length";
/// `jwks.private`.
pub const PRIVATE: &str = "jwks.private";
/// `jwks.unique_kid`.
pub const UNIQUE_KID: &str = "jwks.unique_kid";
/// `jwks.public_only`.
pub const PUBLIC_ONLY: &str = "jwks.public_only";
/// `jwks.pristine`.
pub const PRISTINE: &str = "jwks.pristine";
/// `jwks.symmetric_apart`.
pub const SYMMETRIC_APART: &str = "jwks.symmetric_apart";
/// `jwks.distinct_material`.
pub const DISTINCT_MATERIAL: &str = "jwks.distinct_material";

/// Every invariant the jwks oracles check.
pub const INVARIANTS: &[Invariant] = &[
    Invariant {
        id: NO_PANIC,
        description: "loading never panics: every input is a loaded set or a typed error",
    },
    Invariant {
        id: WELL_FORMED,
        description: "an accepted set is UTF-8 JSON of at most 1 MiB, an object whose keys array holds 1 to 256 JWK objects, one loaded key per JWK in order",
    },
    Invariant {
        id: BOUND,
        description: "every accepted key names its alg, has the kty and crv that alg needs, is loaded bound to it under its own kid, and is for signatures only (use sig, key_ops sign/verify including verify), without x5c/x5u",
    },
    Invariant {
        id: RSA,
        description: "every accepted RSA modulus has 2048 to 4096 bits and is odd and has no prime factor below 10,000; every exponent is odd, at least 65537 and at most 2^33 - 1",
    },
    Invariant {
        id: POINT,
        description: "every accepted EC point is on the curve its algorithm names; every Ed25519 point is canonical, valid and not of small order",
    },
    Invariant {
        id: HMAC_LENGTH,
        description: "every accepted HMAC secret is at least as long as its hash output",
    },
    Invariant {
        id: PRIVATE,
        description: "accepted private parts match their public parts, and no set mixes asymmetric public and private keys",
    },
    Invariant {
        id: UNIQUE_KID,
        description: "no two accepted keys share a kid, and in a set of several every key has one",
    },
    Invariant {
        id: PUBLIC_ONLY,
        description: "with public-only, an accepted set holds no HMAC secret and no private key",
    },
    Invariant {
        id: PRISTINE,
        description: "a set of distinct, unedited fixture keys of one kind loads, with exactly those keys; one mixing HMAC secrets with asymmetric keys is refused",
    },
    Invariant {
        id: SYMMETRIC_APART,
        description: "no accepted set mixes HMAC (oct) secrets with RSA, EC or OKP keys",
    },
    Invariant {
        id: DISTINCT_MATERIAL,
        description: "no key material is accepted under two algorithms, and no HMAC secret equals a public key's material (raw, x, x||y or base64url)",
    },
];

/// [`load`](super::load), with a panic turned into a [`NO_PANIC`] violation
/// (under libFuzzer the panic itself is the crash).
pub fn load_guarded(
    payload: &[u8],
    policy: LoadPolicy,
) -> Result<Result<Jwks, JwksError>, Violation> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        super::load(payload, policy)
    }))
    .map_err(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Violation::new(NO_PANIC, format!("loading panicked: {what}"))
    })
}

/// One JWK of an accepted set, as the oracle reads it, with the key the
/// loader made of it.
pub struct JwkView<'a> {
    /// The JWK's members (plain `serde_json`).
    pub jwk: &'a Map<String, Value>,
    /// The loaded key.
    pub key: &'a Key,
}

impl JwkView<'_> {
    fn text(&self, name: &str) -> Option<&str> {
        self.jwk.get(name).and_then(Value::as_str)
    }

    /// A base64url member decoded by the `base64` crate (`None` if absent
    /// or not base64url).
    fn bytes(&self, name: &str) -> Option<Vec<u8>> {
        URL_SAFE_NO_PAD.decode(self.text(name)?).ok()
    }

    fn alg(&self) -> &str {
        self.text("alg").unwrap_or_default()
    }
}

/// A rule over one accepted JWK: `Err(detail)` when it is broken.
pub type KeyRule = fn(&JwkView<'_>) -> Result<(), String>;

/// A rule over a whole accepted set (its JWKs, loaded keys and policy).
pub type SetRule = fn(&[JwkView<'_>], LoadPolicy) -> Result<(), String>;

/// Every per-key rule, with the invariant it belongs to.
pub const KEY_RULES: &[(&str, KeyRule)] = &[
    (BOUND, bound),
    (RSA, rsa_modulus),
    (RSA, rsa_exponent),
    (RSA, rsa_small_factor),
    (POINT, ec_point),
    (POINT, ed_point),
    (HMAC_LENGTH, hmac_length),
    (PRIVATE, private_matches_public),
];

/// Every whole-set rule, with the invariant it belongs to.
pub const SET_RULES: &[(&str, SetRule)] = &[
    (UNIQUE_KID, unique_kids),
    (PRIVATE, not_mixed),
    (SYMMETRIC_APART, symmetric_apart),
    (DISTINCT_MATERIAL, no_key_reuse),
    (DISTINCT_MATERIAL, secret_not_public),
    (PUBLIC_ONLY, public_only),
];

/// Judge one load of `payload`: a refusal is always fine (it is typed by
/// construction); an accepted set must satisfy every rule.
pub fn judge(
    payload: &[u8],
    policy: LoadPolicy,
    result: &Result<Jwks, JwksError>,
) -> Result<(), Violation> {
    let Ok(set) = result else {
        return Ok(());
    };
    let well_formed = |detail: String| Violation::new(WELL_FORMED, detail);
    if payload.len() > MAX_JWKS_LEN {
        return Err(well_formed(format!(
            "accepted a {}-byte set",
            payload.len()
        )));
    }
    let doc: Value = serde_json::from_slice(payload)
        .map_err(|e| well_formed(format!("accepted a set serde_json cannot read: {e}")))?;
    let jwks: Vec<&Map<String, Value>> = doc
        .get("keys")
        .and_then(Value::as_array)
        .ok_or_else(|| well_formed("accepted a document without a keys array".into()))?
        .iter()
        .map(|k| {
            k.as_object()
                .ok_or_else(|| well_formed("accepted a key that is not an object".into()))
        })
        .collect::<Result<_, _>>()?;
    if jwks.is_empty() || jwks.len() > MAX_KEYS || jwks.len() != set.keys().len() {
        return Err(well_formed(format!(
            "{} JWKs in the text, {} keys loaded (limit {MAX_KEYS})",
            jwks.len(),
            set.keys().len()
        )));
    }
    let views: Vec<JwkView<'_>> = jwks
        .iter()
        .zip(set.keys())
        .map(|(jwk, key)| JwkView { jwk, key })
        .collect();
    for (i, view) in views.iter().enumerate() {
        for (invariant, rule) in KEY_RULES {
            rule(view).map_err(|detail| {
                Violation::new(
                    *invariant,
                    format!(
                        "accepted key #{i} ({}): {detail}",
                        view.text("kid").unwrap_or("no kid")
                    ),
                )
            })?;
        }
    }
    for (invariant, rule) in SET_RULES {
        rule(&views, policy)
            .map_err(|detail| Violation::new(*invariant, format!("accepted set: {detail}")))?;
    }
    Ok(())
}

/// For a pristine plan (unedited fixture keys), the model's verdict: a set
/// of distinct keys of one kind that the policy allows must load, with
/// exactly those keys in order; any other pristine set must be refused.
pub fn judge_pristine(
    input: &JwksInput,
    result: &Result<Jwks, JwksError>,
) -> Result<(), Violation> {
    let Some(must_load) = input.pristine_must_load() else {
        return Ok(());
    };
    match (must_load, result) {
        (true, Err(e)) => Err(Violation::new(
            PRISTINE,
            format!("refused a set of distinct fixture keys: {e}"),
        )),
        (false, Ok(set)) => Err(Violation::new(
            PRISTINE,
            format!(
                "accepted an ambiguous or mixed set of {} fixture keys",
                set.keys().len()
            ),
        )),
        _ => Ok(()),
    }
}

/// The `kty` (and `crv`) each algorithm needs, written out again here.
fn kty_for(alg: &str) -> Option<(&'static str, Option<&'static str>)> {
    Some(match alg {
        "HS256" | "HS384" | "HS512" => ("oct", None),
        "RS256" | "RS384" | "RS512" | "PS256" | "PS384" | "PS512" => ("RSA", None),
        "ES256" => ("EC", Some("P-256")),
        "ES384" => ("EC", Some("P-384")),
        "ES512" => ("EC", Some("P-521")),
        "EdDSA" => ("OKP", Some("Ed25519")),
        _ => return None,
    })
}

fn bound(v: &JwkView<'_>) -> Result<(), String> {
    let alg = v.text("alg").ok_or("no alg")?;
    let (kty, crv) = kty_for(alg).ok_or_else(|| format!("alg {alg:?} is not supported"))?;
    if v.text("kty") != Some(kty) {
        return Err(format!("alg {alg} with kty {:?}", v.jwk.get("kty")));
    }
    if crv.is_some() && v.text("crv") != crv {
        return Err(format!("alg {alg} with crv {:?}", v.jwk.get("crv")));
    }
    if v.key.algorithm().name() != alg {
        return Err(format!("JWK says {alg}, loaded as {}", v.key.algorithm()));
    }
    if v.key.kid() != v.text("kid") || (v.jwk.contains_key("kid") && v.text("kid").is_none()) {
        return Err(format!(
            "JWK kid {:?}, loaded kid {:?}",
            v.jwk.get("kid"),
            v.key.kid()
        ));
    }
    if let Some(usage) = v.jwk.get("use") {
        if usage != "sig" {
            return Err(format!("use {usage}"));
        }
    }
    if let Some(ops) = v.jwk.get("key_ops") {
        let ops = ops.as_array().ok_or("key_ops is not an array")?;
        for (i, op) in ops.iter().enumerate() {
            if !(op == "sign" || op == "verify") || ops[..i].contains(op) {
                return Err(format!("key_ops {}", Value::Array(ops.clone())));
            }
        }
        if !ops.iter().any(|op| op == "verify") {
            return Err(format!(
                "key_ops {} without verify",
                Value::Array(ops.clone())
            ));
        }
    }
    for member in ["x5c", "x5u"] {
        if v.jwk.contains_key(member) {
            return Err(format!("{member} member accepted"));
        }
    }
    Ok(())
}

fn rsa_modulus(v: &JwkView<'_>) -> Result<(), String> {
    if v.text("kty") != Some("RSA") {
        return Ok(());
    }
    let n = v.bytes("n").ok_or("n is not base64url")?;
    if n.first() == Some(&0) {
        return Err("n has a leading zero byte".into());
    }
    let n = rsa::BigUint::from_bytes_be(&n);
    let bits = n.bits();
    if !(2048..=4096).contains(&bits) {
        return Err(format!("modulus of {bits} bits"));
    }
    if (&n % 2u32) != rsa::BigUint::from(1u32) {
        return Err("even modulus".into());
    }
    Ok(())
}

fn rsa_exponent(v: &JwkView<'_>) -> Result<(), String> {
    if v.text("kty") != Some("RSA") {
        return Ok(());
    }
    let e = v.bytes("e").ok_or("e is not base64url")?;
    let e = rsa::BigUint::from_bytes_be(&e);
    if (&e % 2u32) != rsa::BigUint::from(1u32) {
        return Err(format!("even exponent {e}"));
    }
    if e < rsa::BigUint::from(65_537u32) || e > rsa::BigUint::from((1u64 << 33) - 1) {
        return Err(format!("exponent {e}"));
    }
    Ok(())
}

fn rsa_small_factor(v: &JwkView<'_>) -> Result<(), String> {
    if v.text("kty") != Some("RSA") {
        return Ok(());
    }
    let n = rsa::BigUint::from_bytes_be(&v.bytes("n").ok_or("n is not base64url")?);
    let zero = rsa::BigUint::from(0u32);
    // The odd primes below 10,000, by a sieve of the oracle's own.
    let mut composite = vec![false; 10_000];
    for p in (3..10_000usize).step_by(2) {
        if composite[p] {
            continue;
        }
        for m in (p * p..10_000).step_by(2 * p) {
            composite[m] = true;
        }
        if (&n % p) == zero {
            return Err(format!("modulus divisible by {p}"));
        }
    }
    Ok(())
}

fn ec_point(v: &JwkView<'_>) -> Result<(), String> {
    use p256::elliptic_curve::sec1::FromEncodedPoint;
    if v.text("kty") != Some("EC") {
        return Ok(());
    }
    let x = v.bytes("x").ok_or("x is not base64url")?;
    let y = v.bytes("y").ok_or("y is not base64url")?;
    let on_curve = match (v.alg(), x.len(), y.len()) {
        ("ES256", 32, 32) => {
            let point = p256::EncodedPoint::from_affine_coordinates(
                x.as_slice().into(),
                y.as_slice().into(),
                false,
            );
            bool::from(p256::PublicKey::from_encoded_point(&point).is_some())
        }
        ("ES384", 48, 48) => {
            let point = p384::EncodedPoint::from_affine_coordinates(
                x.as_slice().into(),
                y.as_slice().into(),
                false,
            );
            bool::from(p384::PublicKey::from_encoded_point(&point).is_some())
        }
        ("ES512", 66, 66) => {
            let point = p521::EncodedPoint::from_affine_coordinates(
                x.as_slice().into(),
                y.as_slice().into(),
                false,
            );
            bool::from(p521::PublicKey::from_encoded_point(&point).is_some())
        }
        _ => false,
    };
    if on_curve {
        Ok(())
    } else {
        Err(format!(
            "{}-byte x, {}-byte y: not a point of {}'s curve",
            x.len(),
            y.len(),
            v.alg()
        ))
    }
}

fn ed_point(v: &JwkView<'_>) -> Result<(), String> {
    if v.text("kty") != Some("OKP") {
        return Ok(());
    }
    let x = v.bytes("x").ok_or("x is not base64url")?;
    let point = <[u8; 32]>::try_from(x.as_slice())
        .map_err(|_| format!("{}-byte Ed25519 point", x.len()))?;
    // Canonical: y (the low 255 bits, little-endian) below p = 2^255 - 19.
    let mut y = point;
    y[31] &= 0x7f;
    let field = (rsa::BigUint::from(1u32) << 255usize) - rsa::BigUint::from(19u32);
    if rsa::BigUint::from_bytes_le(&y) >= field {
        return Err("non-canonical Ed25519 point".into());
    }
    match ed25519_dalek::VerifyingKey::from_bytes(&point) {
        Ok(k) if !k.is_weak() => Ok(()),
        Ok(_) => Err("small-order Ed25519 point".into()),
        Err(_) => Err("not an Ed25519 point".into()),
    }
}

fn hmac_length(v: &JwkView<'_>) -> Result<(), String> {
    if v.text("kty") != Some("oct") {
        return Ok(());
    }
    let k = v.bytes("k").ok_or("k is not base64url")?;
    let min = match v.alg() {
        "HS384" => 48,
        "HS512" => 64,
        _ => 32,
    };
    if k.len() < min {
        return Err(format!("{}-byte secret for {}", k.len(), v.alg()));
    }
    Ok(())
}

fn private_matches_public(v: &JwkView<'_>) -> Result<(), String> {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    // A secret key has no private *part*: a `d` member on an `oct` key is
    // an unknown member, and ignored.
    let oct = v.text("kty") == Some("oct");
    let has_d = !oct && v.jwk.contains_key("d");
    let signs = has_d || oct;
    if v.key.can_sign() != signs {
        return Err(format!(
            "JWK {} a private part, loaded key {} sign",
            if has_d { "has" } else { "has no" },
            if v.key.can_sign() { "can" } else { "cannot" }
        ));
    }
    if !has_d {
        return Ok(());
    }
    let d = v.bytes("d").ok_or("d is not base64url")?;
    let x = v.bytes("x").unwrap_or_default();
    let y = v.bytes("y").unwrap_or_default();
    let matches = match v.alg() {
        "ES256" => p256::SecretKey::from_slice(&d).is_ok_and(|sk| {
            let p = sk.public_key().to_encoded_point(false);
            p.x().is_some_and(|px| px[..] == x[..]) && p.y().is_some_and(|py| py[..] == y[..])
        }),
        "ES384" => p384::SecretKey::from_slice(&d).is_ok_and(|sk| {
            let p = sk.public_key().to_encoded_point(false);
            p.x().is_some_and(|px| px[..] == x[..]) && p.y().is_some_and(|py| py[..] == y[..])
        }),
        "ES512" => p521::SecretKey::from_slice(&d).is_ok_and(|sk| {
            d.len() == 66 && {
                let p = sk.public_key().to_encoded_point(false);
                p.x().is_some_and(|px| px[..] == x[..]) && p.y().is_some_and(|py| py[..] == y[..])
            }
        }),
        "EdDSA" => <[u8; 32]>::try_from(d.as_slice()).is_ok_and(|seed| {
            ed25519_dalek::SigningKey::from_bytes(&seed)
                .verifying_key()
                .as_bytes()
                == x.as_slice()
        }),
        _ => match (v.bytes("n"), v.bytes("p"), v.bytes("q")) {
            (Some(n), Some(p), Some(q)) => {
                rsa::BigUint::from_bytes_be(&p) * rsa::BigUint::from_bytes_be(&q)
                    == rsa::BigUint::from_bytes_be(&n)
            }
            // Without primes the loader recovers them from d; the oracle
            // does not repeat that factoring.
            _ => true,
        },
    };
    if matches {
        Ok(())
    } else {
        Err("private part does not match the public part".into())
    }
}

fn unique_kids(views: &[JwkView<'_>], _: LoadPolicy) -> Result<(), String> {
    for (i, v) in views.iter().enumerate() {
        match v.text("kid") {
            Some(kid) if views[..i].iter().any(|o| o.text("kid") == Some(kid)) => {
                return Err(format!("kid {kid:?} twice"))
            }
            None if views.len() > 1 => return Err(format!("key #{i} has no kid")),
            _ => {}
        }
    }
    Ok(())
}

fn not_mixed(views: &[JwkView<'_>], _: LoadPolicy) -> Result<(), String> {
    let asymmetric = |v: &&JwkView<'_>| v.text("kty") != Some("oct");
    let private = views
        .iter()
        .filter(asymmetric)
        .any(|v| v.jwk.contains_key("d"));
    let public = views
        .iter()
        .filter(asymmetric)
        .any(|v| !v.jwk.contains_key("d"));
    if private && public {
        Err("asymmetric public and private keys mixed".into())
    } else {
        Ok(())
    }
}

fn public_only(views: &[JwkView<'_>], policy: LoadPolicy) -> Result<(), String> {
    if !policy.public_only {
        return Ok(());
    }
    match views
        .iter()
        .find(|v| v.jwk.contains_key("d") || v.text("kty") == Some("oct"))
    {
        Some(v) => Err(format!(
            "signing material ({}) under public-only",
            v.text("kid").unwrap_or("no kid")
        )),
        None => Ok(()),
    }
}

/// The raw public material of an asymmetric JWK and the forms an HMAC
/// secret must not equal: RSA `n`; EC `x`, `x||y`, `04||x||y`; OKP `x`.
fn public_material(v: &JwkView<'_>) -> Vec<Vec<u8>> {
    match v.text("kty") {
        Some("RSA") => v.bytes("n").into_iter().collect(),
        Some("EC") => {
            let (x, y) = (
                v.bytes("x").unwrap_or_default(),
                v.bytes("y").unwrap_or_default(),
            );
            let xy = [x.as_slice(), y.as_slice()].concat();
            vec![[&[4u8][..], &xy].concat(), x, xy]
        }
        Some("OKP") => v.bytes("x").into_iter().collect(),
        _ => Vec::new(),
    }
}

fn symmetric_apart(views: &[JwkView<'_>], _: LoadPolicy) -> Result<(), String> {
    let secret = views.iter().find(|v| v.text("kty") == Some("oct"));
    let asymmetric = views.iter().find(|v| v.text("kty") != Some("oct"));
    match (secret, asymmetric) {
        (Some(s), Some(a)) => Err(format!(
            "HMAC secret {:?} next to {} key {:?}",
            s.text("kid").unwrap_or("no kid"),
            a.text("kty").unwrap_or_default(),
            a.text("kid").unwrap_or("no kid")
        )),
        _ => Ok(()),
    }
}

fn no_key_reuse(views: &[JwkView<'_>], _: LoadPolicy) -> Result<(), String> {
    let material = |v: &JwkView<'_>| match v.text("kty") {
        Some("oct") => v.bytes("k"),
        _ => public_material(v).into_iter().next(),
    };
    for (i, a) in views.iter().enumerate() {
        for b in &views[..i] {
            let same_kind = (a.text("kty") == Some("oct")) == (b.text("kty") == Some("oct"));
            if same_kind
                && a.alg() != b.alg()
                && material(a).is_some()
                && material(a) == material(b)
            {
                return Err(format!(
                    "one key material under {} and {}",
                    b.alg(),
                    a.alg()
                ));
            }
        }
    }
    Ok(())
}

fn secret_not_public(views: &[JwkView<'_>], _: LoadPolicy) -> Result<(), String> {
    for s in views.iter().filter(|v| v.text("kty") == Some("oct")) {
        let Some(k) = s.bytes("k") else { continue };
        for p in views.iter().filter(|v| v.text("kty") != Some("oct")) {
            let hit = public_material(p)
                .iter()
                .any(|f| *f == k || URL_SAFE_NO_PAD.encode(f).as_bytes() == k.as_slice());
            if hit {
                return Err(format!(
                    "HMAC secret {:?} is the public key {:?}",
                    s.text("kid").unwrap_or("no kid"),
                    p.text("kid").unwrap_or("no kid")
                ));
            }
        }
    }
    Ok(())
}
