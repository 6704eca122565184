//! Oracles: independent judges of what the verifier did.
//!
//! None of them calls the verifier's code path. The structured oracles
//! ([`judge_jwt`], [`judge_jws`]) decide from the generator's own record:
//!
//! * a token may be accepted only if it is **byte-identical** to a token the
//!   generator signed with one of the fixture's trusted keys for that key's
//!   algorithm (the build log), its header is one the policy allows, and — for a JWT — its claims
//!   are valid at [`NOW`] under a **separate model** of the boundary rule
//!   (floating-point comparison over the generator's values, not the
//!   verifier's rounded `i128`s);
//! * such a token *must* be accepted, and the verifier must return exactly
//!   the claims (or payload) that were signed.
//!
//! The raw oracles ([`judge_raw`], [`judge_resigned`]) re-read an accepted
//! token with plain `serde_json` and the `base64` crate and check the same
//! rules — NumericDates by comparing their *decimal text* with the integer
//! bound digit by digit (no `f64`, no overflow), RSA signatures as integers
//! below the modulus, ECDSA `s` against the group order when the policy asks
//! for low `s` — and, with the fixture's private keys, that the signature is
//! the trusted key's: re-signing reproduces it for deterministic algorithms
//! (HMAC, RS*, EdDSA); randomized ones (PS*, ES*) are verified with the
//! curve and RSA crates directly, not through `jsonwebtoken`.

use serde_json::{Map, Value};

use std::cmp::Ordering;

use super::claims::{Jwt, Verifier, DEFAULT_MAX_IAT_SKEW};
use super::error::{JwsError, VerifyError};
use super::fixture::{self, AUDIENCE, CRIT_EXTENSION, ISSUER, LEEWAY_EXP, LEEWAY_NBF, NOW};
use super::gen::{Built, GVal, Members, Plan, Signed, Signing};
use super::jws::Jws;
use super::keys::{Algorithm, Key, Public};
use super::profile::Profile;
use crate::engine::contract::{Invariant, Violation};

/// `jwt.sound`.
pub const SOUND: &str = "jwt.sound";
/// `jwt.tamper`.
pub const TAMPER: &str = "jwt.tamper";
/// `jwt.canonical`.
pub const CANONICAL: &str = "jwt.canonical";
/// `jwt.alg_confusion`.
pub const ALG_CONFUSION: &str = "jwt.alg_confusion";
/// `jwt.none`.
pub const NONE: &str = "jwt.none";
/// `jwt.embedded_key`.
pub const EMBEDDED_KEY: &str = "jwt.embedded_key";
/// `jwt.kid`.
pub const KID: &str = "jwt.kid";
/// `jwt.crit`.
pub const CRIT: &str = "jwt.crit";
/// `jwt.header`.
pub const HEADER: &str = "jwt.header";
/// `jwt.typ`.
pub const TYP: &str = "jwt.typ";
/// `jwt.duplicate`.
pub const DUPLICATE: &str = "jwt.duplicate";
/// `jwt.expiry`.
pub const EXPIRY: &str = "jwt.expiry";
/// `jwt.type_confusion`.
pub const TYPE_CONFUSION: &str = "jwt.type_confusion";
/// `jwt.claims`.
pub const CLAIMS: &str = "jwt.claims";
/// `jwt.roundtrip`.
pub const ROUNDTRIP: &str = "jwt.roundtrip";
/// `jwt.harness`: the fixture could sign every generated token (a trusted
/// key failed to sign). The id predates the name "fixture" and is kept
/// stable for scripts and triage signatures.
pub const FIXTURE: &str = "jwt.harness";

/// Every invariant the JWT oracles check.
pub const INVARIANTS: &[Invariant] = &[
    Invariant {
        id: SOUND,
        description: "only tokens signed by a trusted key, for that key's algorithm, are accepted",
    },
    Invariant {
        id: TAMPER,
        description: "a token whose bytes changed after signing is refused",
    },
    Invariant {
        id: CANONICAL,
        description:
            "a token re-encoded after signing (padding, +/, whitespace, trailing bits) is refused",
    },
    Invariant {
        id: ALG_CONFUSION,
        description:
            "a key is used only with its own algorithm; a public key is never an HMAC secret",
    },
    Invariant {
        id: NONE,
        description: "unsigned tokens (alg none in any spelling, empty signature) are refused",
    },
    Invariant {
        id: EMBEDDED_KEY,
        description: "keys supplied by the token (jwk, jku, x5u, x5c) are never trusted",
    },
    Invariant {
        id: KID,
        description: "kid only selects a trusted key by exact match",
    },
    Invariant {
        id: CRIT,
        description: "crit naming an extension that is not understood is refused",
    },
    Invariant {
        id: HEADER,
        description: "JWE-only and payload-changing header parameters (zip, enc, b64) are refused",
    },
    Invariant {
        id: TYP,
        description: "a JWT's typ must be an accepted token type and cty is refused",
    },
    Invariant {
        id: DUPLICATE,
        description: "duplicate JSON members in header or claims are refused",
    },
    Invariant {
        id: EXPIRY,
        description: "valid iff nbf - leeway_nbf <= now < exp + leeway_exp, exp required, iat <= now + max_iat_skew, exp <= now + max_lifetime",
    },
    Invariant {
        id: TYPE_CONFUSION,
        description: "registered claims of the wrong JSON type are errors, never absent",
    },
    Invariant {
        id: CLAIMS,
        description: "iss and aud must name the accepted issuer and audience",
    },
    Invariant {
        id: ROUNDTRIP,
        description: "an honestly signed valid token is accepted with exactly the signed claims",
    },
    Invariant {
        id: FIXTURE,
        description: "the fixture could sign every generated token with its trusted keys",
    },
];

/// Why the model refuses a token: the invariant a wrong acceptance breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Invariant id (`jwt.*`).
    pub invariant: &'static str,
    /// Why, in words.
    pub reason: String,
}

fn refuse(invariant: &'static str, reason: impl Into<String>) -> Refusal {
    Refusal {
        invariant,
        reason: reason.into(),
    }
}

fn is_none_spelling(v: &GVal) -> bool {
    matches!(v, GVal::Str(s) if s.eq_ignore_ascii_case("none"))
}

/// The model's verdict on a built plan: the honest signing the token must be
/// accepted as, or why it must be refused.
pub fn expected<'b>(plan: &Plan, built: &'b Built) -> Result<&'b Signed, Refusal> {
    let Some(entry) = built.log.iter().find(|s| s.token == built.token) else {
        return Err(unsigned_refusal(plan, built));
    };
    header_model(&entry.header, entry.key, plan.profile)?;
    if plan.profile == Profile::Jwt {
        claims_model(&entry.claims)?;
    }
    Ok(entry)
}

/// Which invariant an acceptance of a token the generator never signed breaks.
fn unsigned_refusal(plan: &Plan, built: &Built) -> Refusal {
    let changed_on_wire = built.token != built.signed_token;
    let alg_none = built
        .header
        .iter()
        .any(|(k, v)| k == "alg" && is_none_spelling(v));
    match plan.signing {
        Signing::AlgNone(_) | Signing::Empty => refuse(NONE, "unsigned token"),
        _ if alg_none => refuse(NONE, "alg is none"),
        Signing::HmacWithPublicKey(..) => {
            refuse(ALG_CONFUSION, "HMAC keyed with a trusted public key")
        }
        Signing::CrossAlgorithm(_) => refuse(
            ALG_CONFUSION,
            "trusted HMAC secret used with another algorithm",
        ),
        Signing::Untrusted(..) => refuse(SOUND, "signed by an untrusted key"),
        _ if changed_on_wire && plan.has_encoding_edit() => {
            refuse(CANONICAL, "token re-encoded or altered after signing")
        }
        _ => refuse(
            TAMPER,
            "token bytes differ from every token a trusted key signed",
        ),
    }
}

/// The header policy, modelled over the generator's members.
fn header_model(h: &Members, key_index: usize, profile: Profile) -> Result<(), Refusal> {
    let key = fixture::trusted_key(key_index);
    for (i, (name, _)) in h.iter().enumerate() {
        if h[..i].iter().any(|(n, _)| n == name) {
            return Err(refuse(
                DUPLICATE,
                format!("header member {name:?} repeated"),
            ));
        }
    }
    let get = |name: &str| h.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    match get("alg") {
        Some(v) if is_none_spelling(v) => return Err(refuse(NONE, "alg none")),
        Some(GVal::Str(a)) if a == key.algorithm().name() => {}
        _ => {
            return Err(refuse(
                ALG_CONFUSION,
                format!("alg is not {}", key.algorithm().name()),
            ))
        }
    }
    match get("kid") {
        Some(GVal::Str(k)) if Some(k.as_str()) == key.kid() => {}
        _ => return Err(refuse(KID, "kid does not name the signing key")),
    }
    for name in ["jwk", "jku", "x5u", "x5c"] {
        if get(name).is_some() {
            return Err(refuse(EMBEDDED_KEY, format!("header has {name}")));
        }
    }
    for name in ["zip", "enc", "b64"] {
        if get(name).is_some() {
            return Err(refuse(HEADER, format!("header has {name}")));
        }
    }
    if let Some(crit) = get("crit") {
        let ok = match crit {
            GVal::Arr(items) => {
                !items.is_empty()
                    && items
                        .iter()
                        .all(|i| matches!(i, GVal::Str(s) if s == CRIT_EXTENSION))
                    && items.len() == 1
                    && get(CRIT_EXTENSION).is_some()
            }
            _ => false,
        };
        if !ok {
            return Err(refuse(CRIT, "crit not understood"));
        }
    }
    match (get("typ"), profile) {
        (None, _) => {}
        (Some(GVal::Str(_)), Profile::Jws) => {}
        (Some(GVal::Str(t)), Profile::Jwt)
            if t.eq_ignore_ascii_case("JWT") || t.eq_ignore_ascii_case("application/jwt") => {}
        _ => return Err(refuse(TYP, "typ not accepted")),
    }
    match (get("cty"), profile) {
        (None, _) | (Some(GVal::Str(_)), Profile::Jws) => {}
        _ => return Err(refuse(TYP, "cty not accepted")),
    }
    Ok(())
}

/// The claims policy and the boundary rule, modelled over the generator's
/// values. Integers compare exactly in `i128`; fractional values compare in
/// `f64`, exact here because the fixture clock is far below 2^53.
fn claims_model(c: &Members) -> Result<(), Refusal> {
    for (i, (name, _)) in c.iter().enumerate() {
        if c[..i].iter().any(|(n, _)| n == name) {
            return Err(refuse(DUPLICATE, format!("claim {name:?} repeated")));
        }
    }
    let get = |name: &str| c.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    for name in ["exp", "nbf", "iat"] {
        if get(name).is_some_and(|v| !v.is_number()) {
            return Err(refuse(TYPE_CONFUSION, format!("{name} is not a number")));
        }
    }
    for name in ["iss", "sub", "jti"] {
        if get(name).is_some_and(|v| !matches!(v, GVal::Str(_))) {
            return Err(refuse(TYPE_CONFUSION, format!("{name} is not a string")));
        }
    }
    let aud_ok = match get("aud") {
        None => None,
        Some(GVal::Str(a)) => Some(a == AUDIENCE),
        Some(GVal::Arr(items)) if items.iter().all(|i| matches!(i, GVal::Str(_))) => Some(
            items
                .iter()
                .any(|i| matches!(i, GVal::Str(a) if a == AUDIENCE)),
        ),
        Some(_) => return Err(refuse(TYPE_CONFUSION, "aud has the wrong type")),
    };
    let now = i128::from(NOW);
    match get("exp") {
        None => return Err(refuse(EXPIRY, "exp missing")),
        Some(GVal::Int(e)) if now < e + i128::from(LEEWAY_EXP) => {}
        Some(GVal::Float(f) | GVal::Exp(f)) if ((NOW - i64::from(LEEWAY_EXP)) as f64) < *f => {}
        Some(_) => return Err(refuse(EXPIRY, "expired")),
    }
    match get("nbf") {
        None => {}
        Some(GVal::Int(n)) if n - i128::from(LEEWAY_NBF) <= now => {}
        Some(GVal::Float(f) | GVal::Exp(f)) if *f <= (NOW + i64::from(LEEWAY_NBF)) as f64 => {}
        Some(_) => return Err(refuse(EXPIRY, "not yet valid")),
    }
    // The fixture verifier keeps the default iat skew.
    let skew = DEFAULT_MAX_IAT_SKEW;
    match get("iat") {
        None => {}
        Some(GVal::Int(i)) if *i <= now + i128::from(skew) => {}
        Some(GVal::Float(f) | GVal::Exp(f)) if *f <= (NOW + i64::from(skew)) as f64 => {}
        Some(_) => return Err(refuse(EXPIRY, "issued in the future")),
    }
    if !matches!(get("iss"), Some(GVal::Str(s)) if s == ISSUER) {
        return Err(refuse(CLAIMS, "iss missing or not accepted"));
    }
    if aud_ok != Some(true) {
        return Err(refuse(CLAIMS, "aud missing or not ours"));
    }
    Ok(())
}

/// The JSON value a generator value parses to.
fn to_json(v: &GVal) -> Value {
    match v {
        GVal::Null => Value::Null,
        GVal::Bool(b) => Value::Bool(*b),
        GVal::Int(i) => {
            if let Ok(x) = i64::try_from(*i) {
                Value::from(x)
            } else if let Ok(x) = u64::try_from(*i) {
                Value::from(x)
            } else {
                serde_json::Number::from_f64(*i as f64).map_or(Value::Null, Value::Number)
            }
        }
        GVal::Float(f) | GVal::Exp(f) => {
            serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
        }
        GVal::Str(s) => Value::String(s.clone()),
        GVal::Arr(items) => Value::Array(items.iter().map(to_json).collect()),
        GVal::Obj(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), to_json(v)))
                .collect(),
        ),
    }
}

fn model_claims(c: &Members) -> Map<String, Value> {
    c.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()
}

/// Judge a JWT-profile verification of a built plan.
pub fn judge_jwt(
    plan: &Plan,
    built: &Built,
    result: &Result<Jwt, VerifyError>,
) -> Result<(), Violation> {
    match (expected(plan, built), result) {
        (Err(why), Ok(_)) => Err(Violation::new(
            why.invariant,
            format!("verifier accepted a token it must refuse: {}", why.reason),
        )),
        (Err(_), Err(_)) => Ok(()),
        (Ok(_), Err(e)) => Err(Violation::new(
            ROUNDTRIP,
            format!("verifier refused an honestly signed, valid token: {e}"),
        )),
        (Ok(entry), Ok(jwt)) => {
            let want = model_claims(&entry.claims);
            if jwt.claims.as_map() != &want {
                return Err(Violation::new(
                    ROUNDTRIP,
                    format!(
                        "claims changed: signed {}, verified {}",
                        Value::Object(want),
                        jwt.claims.to_json()
                    ),
                ));
            }
            Ok(())
        }
    }
}

/// Judge a JWS-profile verification of a built plan.
pub fn judge_jws(
    plan: &Plan,
    built: &Built,
    result: &Result<Jws, JwsError>,
) -> Result<(), Violation> {
    match (expected(plan, built), result) {
        (Err(why), Ok(_)) => Err(Violation::new(
            why.invariant,
            format!("verifier accepted a JWS it must refuse: {}", why.reason),
        )),
        (Err(_), Err(_)) => Ok(()),
        (Ok(_), Err(e)) => Err(Violation::new(
            ROUNDTRIP,
            format!("verifier refused an honestly signed JWS: {e}"),
        )),
        (Ok(entry), Ok(jws)) if jws.payload != entry.payload => Err(Violation::new(
            ROUNDTRIP,
            "payload changed between signing and verification",
        )),
        (Ok(_), Ok(_)) => Ok(()),
    }
}

// ---------------------------------------------------------------------------
// Raw tokens

/// Plain (lenient) re-reading of an accepted token.
struct Reread {
    header: Map<String, Value>,
    payload: Vec<u8>,
    signing_input: Vec<u8>,
    signature: Vec<u8>,
}

fn reread(token: &[u8]) -> Option<Reread> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let parts: Vec<&[u8]> = token.split(|&b| b == b'.').collect();
    let [h, p, s] = parts.as_slice() else {
        return None;
    };
    let header = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(h).ok()?).ok()?;
    Some(Reread {
        header,
        payload: URL_SAFE_NO_PAD.decode(p).ok()?,
        signing_input: token[..h.len() + 1 + p.len()].to_vec(),
        signature: URL_SAFE_NO_PAD.decode(s).ok()?,
    })
}

/// Judge a token the verifier *accepted*, with plain parsers and a separate
/// model of the boundary rule (in `f64`), for any verifier configuration.
pub fn judge_raw(
    token: &[u8],
    verifier: &Verifier,
    profile: Profile,
    now: i64,
) -> Result<(), Violation> {
    let Some(t) = reread(token) else {
        return Err(Violation::new(
            CANONICAL,
            "accepted token does not re-read as three base64url segments",
        ));
    };
    let alg = t
        .header
        .get("alg")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if alg.eq_ignore_ascii_case("none") {
        return Err(Violation::new(NONE, "accepted a token with alg none"));
    }
    if let Some(name) = ["jwk", "jku", "x5u", "x5c"]
        .iter()
        .find(|n| t.header.contains_key(**n))
    {
        return Err(Violation::new(
            EMBEDDED_KEY,
            format!("accepted a token with an embedded key ({name})"),
        ));
    }
    let key = match t.header.get("kid").and_then(Value::as_str) {
        Some(kid) => verifier.keys().get(kid),
        None => verifier.keys().sole(),
    };
    let key = match key {
        Some(k) if k.algorithm().name() == alg => k,
        _ => {
            return Err(Violation::new(
                ALG_CONFUSION,
                format!("accepted alg {alg:?} that the selected key is not bound to"),
            ))
        }
    };
    signature_in_range(key, &t.signature, verifier.jws_policy().ecdsa_low_s)?;
    if profile == Profile::Jws {
        return Ok(());
    }
    let claims: Value = serde_json::from_slice(&t.payload).unwrap_or(Value::Null);
    let texts: std::collections::HashMap<String, Box<serde_json::value::RawValue>> =
        serde_json::from_slice(&t.payload).unwrap_or_default();
    let number = |name: &str| -> Result<Option<String>, Violation> {
        match (claims.get(name), texts.get(name)) {
            (None, _) => Ok(None),
            (Some(v), Some(text)) if v.is_number() => Ok(Some(text.get().to_owned())),
            _ => Err(Violation::new(
                TYPE_CONFUSION,
                format!("accepted a token whose {name} is not a number"),
            )),
        }
    };
    let (leeway_exp, leeway_nbf) = verifier.leeways();
    let now = i128::from(now);
    let exp = number("exp")?;
    let nbf = number("nbf")?;
    let iat = number("iat")?;
    // valid iff now < ⌈exp⌉ + leeway ⇔ exp > now - leeway (an integer)
    let above = |text: &str, bound: i128| cmp_decimal(text, bound) == Some(Ordering::Greater);
    match &exp {
        Some(exp) if !above(exp, now - i128::from(leeway_exp)) => {
            return Err(Violation::new(
                EXPIRY,
                format!("accepted expired token (exp {exp})"),
            ))
        }
        Some(exp) => {
            if let Some(max) = verifier.lifetime_limit() {
                if above(exp, now + i128::from(max)) {
                    return Err(Violation::new(
                        EXPIRY,
                        format!("accepted a token valid beyond the maximum lifetime (exp {exp})"),
                    ));
                }
            }
        }
        None if verifier.requires_exp() => {
            return Err(Violation::new(EXPIRY, "accepted a token without exp"))
        }
        None => {}
    }
    // valid iff ⌈nbf⌉ - leeway <= now ⇔ nbf <= now + leeway
    if nbf.is_some_and(|nbf| above(&nbf, now + i128::from(leeway_nbf))) {
        return Err(Violation::new(EXPIRY, "accepted a token before its nbf"));
    }
    if let (Some(iat), Some(skew)) = (&iat, verifier.iat_skew()) {
        if above(iat, now + i128::from(skew)) {
            return Err(Violation::new(
                EXPIRY,
                format!("accepted a token issued in the future (iat {iat})"),
            ));
        }
    }
    if !verifier.issuers().is_empty() {
        let iss = claims.get("iss").and_then(Value::as_str);
        if !iss.is_some_and(|i| verifier.issuers().iter().any(|x| x == i)) {
            return Err(Violation::new(
                CLAIMS,
                "accepted a token from another issuer",
            ));
        }
    }
    Ok(())
}

/// Compare a JSON number's decimal text with an integer, exactly: both are
/// written as `0.DIGITS × 10^k` (no leading or trailing zeros in `DIGITS`)
/// and compared by sign, then `k`, then digits. `None` if `text` is not a
/// JSON number. Independent of the verifier's `i128` ceiling.
pub fn cmp_decimal(text: &str, bound: i128) -> Option<Ordering> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, e),
        None => (body, "0"),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let is_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let exp_digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    if int.is_empty()
        || !is_digits(int)
        || !is_digits(frac)
        || (mantissa.contains('.') && frac.is_empty())
        || exp_digits.is_empty()
        || !is_digits(exp_digits)
    {
        return None;
    }
    // The exponent, clamped: beyond ±10^15 every comparison with an i128 is decided.
    let exp_value: i64 = if exp_digits.trim_start_matches('0').len() > 15 {
        1_000_000_000_000_000
    } else {
        exp_digits.parse().unwrap_or(0)
    };
    let exp_value = if exponent.starts_with('-') {
        -exp_value
    } else {
        exp_value
    };
    let all = format!("{int}{frac}");
    let lead = all.len() - all.trim_start_matches('0').len();
    let digits = all.trim_start_matches('0').trim_end_matches('0');
    let k = int.len() as i64 - lead as i64 + exp_value;
    let b_digits = bound.unsigned_abs().to_string();
    let b_digits = b_digits.trim_end_matches('0');
    let b_k = bound.unsigned_abs().to_string().len() as i64;
    let sign = |zero: bool, neg: bool| {
        if zero {
            0
        } else if neg {
            -1
        } else {
            1
        }
    };
    let (sx, sb) = (
        sign(digits.is_empty(), negative),
        sign(bound == 0, bound < 0),
    );
    if sx != sb || sx == 0 {
        return Some(sx.cmp(&sb));
    }
    let magnitude = k.cmp(&b_k).then_with(|| digits.cmp(b_digits));
    Some(if sx < 0 {
        magnitude.reverse()
    } else {
        magnitude
    })
}

/// The signature range the verifier must enforce, checked with big integers:
/// an RSA signature of the modulus' length and below it (RFC 8017 §5.2.2);
/// with the low-`s` policy, an ECDSA `s` at most `(order - 1) / 2`.
fn signature_in_range(key: &Key, sig: &[u8], low_s: bool) -> Result<(), Violation> {
    use rsa::BigUint;
    match key.public() {
        Public::Rsa { n, .. }
            if sig.len() != n.len() || BigUint::from_bytes_be(sig) >= BigUint::from_bytes_be(n) =>
        {
            return Err(Violation::new(
                CANONICAL,
                format!(
                    "accepted an RSA signature of {} bytes that is not an integer below the {}-byte modulus",
                    sig.len(),
                    n.len()
                ),
            ));
        }
        Public::Ec { .. } if low_s => {
            use p256::elliptic_curve::PrimeField;
            // n - 1 as the curve crate writes it (big-endian field bytes).
            let order_minus_one = match key.algorithm() {
                Algorithm::ES256 => (-p256::Scalar::ONE).to_repr().to_vec(),
                Algorithm::ES384 => (-p384::Scalar::ONE).to_repr().to_vec(),
                _ => (-p521::Scalar::ONE).to_repr().to_vec(),
            };
            let half = sig.len() / 2;
            let s = BigUint::from_bytes_be(&sig[half..]);
            if s * 2u8 > BigUint::from_bytes_be(&order_minus_one) {
                return Err(Violation::new(
                    CANONICAL,
                    "accepted an ECDSA signature with a high s under the low-s policy",
                ));
            }
        }
        _ => {}
    }
    Ok(())
}

/// For the fixture's keys: an accepted token's signature must be the trusted
/// key's. Deterministic algorithms (HMAC, RS*, EdDSA): re-signing the
/// signing input reproduces it byte for byte. Randomized ones cannot be
/// compared that way (another implementation's PSS salt or ECDSA nonce
/// differs): PS* are verified with the `rsa` crate and ES* with the curve
/// crates' own ECDSA verifiers, outside `jsonwebtoken`.
pub fn judge_resigned(token: &[u8]) -> Result<(), Violation> {
    let Some(t) = reread(token) else {
        return Err(Violation::new(CANONICAL, "accepted token does not re-read"));
    };
    let kid = t
        .header
        .get("kid")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(key) = fixture::trusted_keys().get(kid) else {
        return Err(Violation::new(
            SOUND,
            format!("accepted kid {kid:?} is not trusted"),
        ));
    };
    let sound = match key.algorithm() {
        Algorithm::PS256 | Algorithm::PS384 | Algorithm::PS512 => {
            pss_verifies(key, &t.signing_input, &t.signature)
        }
        Algorithm::ES256 | Algorithm::ES384 | Algorithm::ES512 => {
            ecdsa_verifies(key, &t.signing_input, &t.signature)
        }
        _ => key
            .sign_raw(&t.signing_input)
            .is_ok_and(|sig| sig == t.signature),
    };
    if sound {
        Ok(())
    } else {
        Err(Violation::new(
            SOUND,
            format!("accepted signature is not {kid:?}'s signature of the token"),
        ))
    }
}

/// RSASSA-PSS with the algorithm's hash (salt length = hash length), the
/// signature an integer below the modulus of the modulus' length.
fn pss_verifies(key: &Key, input: &[u8], sig: &[u8]) -> bool {
    use rsa::BigUint;
    use sha2::{Digest, Sha256, Sha384, Sha512};
    let Public::Rsa { n, e } = key.public() else {
        return false;
    };
    if sig.len() != n.len() || BigUint::from_bytes_be(sig) >= BigUint::from_bytes_be(n) {
        return false;
    }
    let Ok(pk) = rsa::RsaPublicKey::new(BigUint::from_bytes_be(n), BigUint::from_bytes_be(e))
    else {
        return false;
    };
    match key.algorithm() {
        Algorithm::PS256 => pk.verify(rsa::Pss::new::<Sha256>(), &Sha256::digest(input), sig),
        Algorithm::PS384 => pk.verify(rsa::Pss::new::<Sha384>(), &Sha384::digest(input), sig),
        _ => pk.verify(rsa::Pss::new::<Sha512>(), &Sha512::digest(input), sig),
    }
    .is_ok()
}

/// ECDSA with the curve crate's verifier (its hash: SHA-256/384/512).
fn ecdsa_verifies(key: &Key, input: &[u8], sig: &[u8]) -> bool {
    use p256::ecdsa::signature::Verifier as _;
    let Public::Ec { x, y, .. } = key.public() else {
        return false;
    };
    let sec1 = [&[4u8][..], x, y].concat();
    match key.algorithm() {
        Algorithm::ES256 => p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
            .ok()
            .zip(p256::ecdsa::Signature::from_slice(sig).ok())
            .is_some_and(|(k, s)| k.verify(input, &s).is_ok()),
        Algorithm::ES384 => p384::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
            .ok()
            .zip(p384::ecdsa::Signature::from_slice(sig).ok())
            .is_some_and(|(k, s)| k.verify(input, &s).is_ok()),
        _ => p521::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
            .ok()
            .zip(p521::ecdsa::Signature::from_slice(sig).ok())
            .is_some_and(|(k, s)| k.verify(input, &s).is_ok()),
    }
}
