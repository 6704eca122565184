//! The JWT layer: typed claims checks on top of [`verify_jws`].
//!
//! # The boundary rule
//!
//! With `exp` and `nbf` rounded *up* to whole seconds (a NumericDate may be
//! fractional, RFC 7519 §2) and separate leeways, a token is valid at `now` iff
//!
//! ```text
//! nbf - leeway_nbf <= now < exp + leeway_exp
//! ```
//!
//! `nbf` is optional; `exp` is required unless [`Verifier::require_exp`] is
//! turned off. The arithmetic is done in `i128`, so huge or negative values
//! cannot overflow. Rounding up is exact: for an integer `t` and real `x`,
//! `t < x ⇔ t < ⌈x⌉` and `t >= x ⇔ t >= ⌈x⌉`.

use serde::Serialize;
use serde_json::{Map, Value};

use super::error::{ClaimsError, JwsError, SignError, VerifyError};
use super::json::{self, type_name, StrictJsonError};
use super::jws::{sign_jws, verify_jws, Jws, JwsPolicy};
use super::keys::{Algorithm, Jwks, Key};

/// Verified claims: the JSON object of a JWT payload.
#[derive(Clone, Debug, PartialEq)]
pub struct Claims(Map<String, Value>);

impl Claims {
    /// A claim by name.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }
    /// All claims.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }
    /// All claims, owned.
    pub fn into_map(self) -> Map<String, Value> {
        self.0
    }
    /// `iss`, if present (it is a string once verified).
    pub fn iss(&self) -> Option<&str> {
        self.0.get("iss").and_then(Value::as_str)
    }
    /// `sub`, if present.
    pub fn sub(&self) -> Option<&str> {
        self.0.get("sub").and_then(Value::as_str)
    }
    /// `exp` rounded up to whole seconds, if present.
    pub fn exp(&self) -> Option<i128> {
        self.0.get("exp").and_then(numeric_date)
    }
    /// `nbf` rounded up to whole seconds, if present.
    pub fn nbf(&self) -> Option<i128> {
        self.0.get("nbf").and_then(numeric_date)
    }
    /// The claims as compact JSON (members in name order).
    pub fn to_json(&self) -> String {
        Value::Object(self.0.clone()).to_string()
    }
}

/// A verified JWT.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Jwt {
    /// The algorithm (= the selected key's algorithm).
    pub alg: Algorithm,
    /// The `kid` that selected the key, if any.
    pub kid: Option<String>,
    /// The whole protected header.
    pub header: Map<String, Value>,
    /// The claims.
    pub claims: Claims,
}

/// A NumericDate as whole seconds, rounded up; `None` if not a number.
pub(crate) fn numeric_date(v: &Value) -> Option<i128> {
    let n = v.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(i128::from(i));
    }
    if let Some(u) = n.as_u64() {
        return Some(i128::from(u));
    }
    // Clamp far beyond any clock so the i128 arithmetic never overflows.
    n.as_f64().map(|f| f.ceil().clamp(-1e30, 1e30) as i128)
}

/// Check the JSON types of the registered claims (RFC 7519 §4.1): a claim of
/// the wrong type is an error, never "absent".
fn check_types(claims: &Map<String, Value>) -> Result<(), ClaimsError> {
    let wrong = |claim, expected, v: &Value| ClaimsError::WrongType {
        claim,
        expected,
        found: type_name(v),
    };
    for claim in ["exp", "nbf", "iat"] {
        if let Some(v) = claims.get(claim) {
            if !v.is_number() {
                return Err(wrong(claim, "a number (NumericDate)", v));
            }
        }
    }
    for claim in ["iss", "sub", "jti"] {
        if let Some(v) = claims.get(claim) {
            if !v.is_string() {
                return Err(wrong(claim, "a string", v));
            }
        }
    }
    match claims.get("aud") {
        None | Some(Value::String(_)) => {}
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => {}
        Some(v) => return Err(wrong("aud", "a string or an array of strings", v)),
    }
    Ok(())
}

/// Parse a payload as a strict JSON object of claims.
fn parse_claims(payload: &[u8]) -> Result<Map<String, Value>, ClaimsError> {
    json::parse_object(payload).map_err(|e| match e {
        StrictJsonError::Duplicate(name) => ClaimsError::DuplicateClaim { name },
        other => ClaimsError::NotJson {
            detail: other.to_string(),
        },
    })
}

/// Token types accepted in a JWT's `typ` by default (compared ignoring ASCII case).
pub const DEFAULT_TYPES: [&str; 2] = ["JWT", "application/jwt"];

/// Verifies JWTs: the JWS layer, then typed claims checks.
///
/// # Defaults
///
/// * JWS policy: [`JwsPolicy::default`] (16 KiB cap, no `crit` extension, ECDSA high `s` allowed).
/// * `exp` required; `nbf` optional; leeways 0 s.
/// * No issuer and no audience configured: `iss` is not checked, and a
///   token with `aud` is refused (RFC 7519 §4.1.3).
/// * No other required claims.
/// * `typ`, if present, must be `JWT` or `application/jwt` (any case);
///   `cty` must be absent.
#[derive(Clone, Debug)]
pub struct Verifier {
    keys: Jwks,
    jws: JwsPolicy,
    issuers: Vec<String>,
    audiences: Vec<String>,
    required: Vec<String>,
    require_exp: bool,
    leeway_exp: u32,
    leeway_nbf: u32,
    types: Vec<String>,
}

impl Verifier {
    /// A verifier trusting `keys`, with the defaults above.
    pub fn new(keys: Jwks) -> Verifier {
        Verifier {
            keys,
            jws: JwsPolicy::default(),
            issuers: Vec::new(),
            audiences: Vec::new(),
            required: Vec::new(),
            require_exp: true,
            leeway_exp: 0,
            leeway_nbf: 0,
            types: DEFAULT_TYPES.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Accept tokens from issuer `iss` (may be called several times; once
    /// any issuer is set, `iss` is required). Default: none.
    pub fn issuer(mut self, iss: impl Into<String>) -> Self {
        self.issuers.push(iss.into());
        self
    }

    /// Accept tokens addressed to `aud` (may be called several times; once
    /// any audience is set, `aud` is required). Default: none.
    pub fn audience(mut self, aud: impl Into<String>) -> Self {
        self.audiences.push(aud.into());
        self
    }

    /// Require claim `name` to be present. Default: only `exp`.
    pub fn require_claim(mut self, name: impl Into<String>) -> Self {
        self.required.push(name.into());
        self
    }

    /// Whether `exp` is required. Default `true`.
    pub fn require_exp(mut self, required: bool) -> Self {
        self.require_exp = required;
        self
    }

    /// Seconds a token stays valid after `exp`. Default 0.
    pub fn leeway_exp(mut self, seconds: u32) -> Self {
        self.leeway_exp = seconds;
        self
    }

    /// Seconds a token is valid before `nbf`. Default 0.
    pub fn leeway_nbf(mut self, seconds: u32) -> Self {
        self.leeway_nbf = seconds;
        self
    }

    /// Accepted `typ` values (compared ignoring ASCII case), replacing the
    /// default list. An absent `typ` is always accepted.
    pub fn types<S: Into<String>>(mut self, types: impl IntoIterator<Item = S>) -> Self {
        self.types = types.into_iter().map(Into::into).collect();
        self
    }

    /// Longest token accepted. Default 16 KiB.
    pub fn max_token_len(mut self, bytes: usize) -> Self {
        self.jws.max_token_len = bytes;
        self
    }

    /// Allow extension `name` in `crit`. Default: none.
    pub fn understand_crit(mut self, name: impl Into<String>) -> Self {
        self.jws.understood_crit.push(name.into());
        self
    }

    /// Refuse ECDSA signatures with a high `s`. Default `false`.
    pub fn ecdsa_low_s(mut self, refuse_high_s: bool) -> Self {
        self.jws.ecdsa_low_s = refuse_high_s;
        self
    }

    /// The trusted keys.
    pub fn keys(&self) -> &Jwks {
        &self.keys
    }

    /// The JWS-layer policy.
    pub fn jws_policy(&self) -> &JwsPolicy {
        &self.jws
    }

    /// The `exp` and `nbf` leeways, in seconds.
    pub fn leeways(&self) -> (u32, u32) {
        (self.leeway_exp, self.leeway_nbf)
    }

    /// Whether `exp` is required.
    pub fn requires_exp(&self) -> bool {
        self.require_exp
    }

    /// Accepted issuers.
    pub fn issuers(&self) -> &[String] {
        &self.issuers
    }

    /// Accepted audiences.
    pub fn audiences(&self) -> &[String] {
        &self.audiences
    }

    /// Verify only the JWS layer: signature, header and encoding. The
    /// payload may be any bytes; no claim is looked at.
    pub fn verify_jws(&self, token: &[u8]) -> Result<Jws, JwsError> {
        verify_jws(token, &self.keys, &self.jws)
    }

    /// Verify a JWT at time `now` (seconds since the Unix epoch).
    pub fn verify(&self, token: &[u8], now: i64) -> Result<Jwt, VerifyError> {
        let jws = self.verify_jws(token)?;
        if let Some(typ) = jws.header.get("typ").and_then(Value::as_str) {
            if !self.types.iter().any(|t| t.eq_ignore_ascii_case(typ)) {
                return Err(JwsError::Typ {
                    typ: typ.to_owned(),
                }
                .into());
            }
        }
        if let Some(cty) = jws.header.get("cty") {
            return Err(JwsError::Cty {
                cty: cty.as_str().unwrap_or_default().to_owned(),
            }
            .into());
        }
        let claims = parse_claims(&jws.payload)?;
        self.check_claims(&claims, now)?;
        Ok(Jwt {
            alg: jws.alg,
            kid: jws.kid,
            header: jws.header,
            claims: Claims(claims),
        })
    }

    fn check_claims(&self, claims: &Map<String, Value>, now: i64) -> Result<(), ClaimsError> {
        check_types(claims)?;
        let missing = |claim: &str| ClaimsError::Missing {
            claim: claim.to_owned(),
        };
        if let Some(name) = self.required.iter().find(|n| !claims.contains_key(*n)) {
            return Err(missing(name));
        }
        let now_wide = i128::from(now);
        match claims.get("exp").and_then(numeric_date) {
            Some(exp) if now_wide >= exp + i128::from(self.leeway_exp) => {
                return Err(ClaimsError::Expired {
                    exp,
                    now,
                    leeway: self.leeway_exp,
                });
            }
            Some(_) => {}
            None if self.require_exp => return Err(missing("exp")),
            None => {}
        }
        if let Some(nbf) = claims.get("nbf").and_then(numeric_date) {
            if nbf - i128::from(self.leeway_nbf) > now_wide {
                return Err(ClaimsError::NotYetValid {
                    nbf,
                    now,
                    leeway: self.leeway_nbf,
                });
            }
        }
        if !self.issuers.is_empty() {
            let iss = claims
                .get("iss")
                .and_then(Value::as_str)
                .ok_or_else(|| missing("iss"))?;
            if !self.issuers.iter().any(|i| i == iss) {
                return Err(ClaimsError::Issuer {
                    iss: iss.to_owned(),
                });
            }
        }
        match claims.get("aud") {
            None if self.audiences.is_empty() => {}
            None => return Err(missing("aud")),
            Some(_) if self.audiences.is_empty() => return Err(ClaimsError::AudienceNotExpected),
            Some(aud) => {
                let named = |a: &str| self.audiences.iter().any(|x| x == a);
                let ok = match aud {
                    Value::String(a) => named(a),
                    Value::Array(items) => items.iter().filter_map(Value::as_str).any(named),
                    _ => false,
                };
                if !ok {
                    return Err(ClaimsError::Audience);
                }
            }
        }
        Ok(())
    }
}

/// Sign `claims` (anything that serializes to a JSON object) as a JWT with
/// header `{"alg","kid","typ":"JWT"}`. Claims that would fail the type checks
/// (`exp` as a string, …) are refused rather than signed.
pub fn sign_jwt<T: Serialize + ?Sized>(claims: &T, key: &Key) -> Result<String, SignError> {
    let value = serde_json::to_value(claims).map_err(|e| SignError::Backend {
        detail: e.to_string(),
    })?;
    let Value::Object(map) = value else {
        return Err(SignError::Claims(ClaimsError::NotJson {
            detail: "claims are not a JSON object".into(),
        }));
    };
    check_types(&map).map_err(SignError::Claims)?;
    let payload = serde_json::to_vec(&map).map_err(|e| SignError::Backend {
        detail: e.to_string(),
    })?;
    sign_jws(&payload, key, Some("JWT"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numeric_dates_round_up_and_saturate() {
        assert_eq!(numeric_date(&json!(5)), Some(5));
        assert_eq!(numeric_date(&json!(-5)), Some(-5));
        assert_eq!(numeric_date(&json!(4.2)), Some(5));
        assert_eq!(numeric_date(&json!(-4.8)), Some(-4));
        assert_eq!(numeric_date(&json!(u64::MAX)), Some(i128::from(u64::MAX)));
        assert_eq!(numeric_date(&json!(1e300)), Some(1e30 as i128));
        assert_eq!(numeric_date(&json!("5")), None);
    }
}
