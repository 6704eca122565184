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
//! turned off. Rounding up is exact: for an integer `t` and real `x`,
//! `t < x ⇔ t < ⌈x⌉` and `t >= x ⇔ t >= ⌈x⌉`. The ceiling is computed from
//! the number's *decimal text* (not its `f64` rounding, which would make
//! `1700000000.0000000001` equal to `1700000000`), in `i128` and saturated at
//! ±10^30, far beyond any `i64` clock plus leeway, so nothing overflows.
//!
//! Two more bounds, both on the same exact values: `iat <= now +
//! max_iat_skew` (default 60 s; [`Verifier::max_iat_skew`]) and, when set,
//! `exp <= now + max_lifetime` ([`Verifier::max_lifetime`]).

use super::plant;
use crate::engine::plant::active as planted;
use serde::Serialize;
use serde_json::{Map, Value};

use super::error::{ClaimsError, JwsError, SignError, VerifyError};
use super::json::{self, type_name, StrictJsonError};
use super::jws::{sign_jws, verify_jws, Jws, JwsPolicy};
use super::keys::{Algorithm, Jwks, Key};

/// Verified claims: the JSON object of a JWT payload.
#[derive(Clone, Debug, PartialEq)]
pub struct Claims {
    map: Map<String, Value>,
    dates: Dates,
}

/// `exp`, `nbf`, `iat` rounded up to whole seconds from their decimal text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Dates {
    exp: Option<i128>,
    nbf: Option<i128>,
    iat: Option<i128>,
}

impl Claims {
    /// A claim by name.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.map.get(name)
    }
    /// All claims.
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.map
    }
    /// All claims, owned.
    pub fn into_map(self) -> Map<String, Value> {
        self.map
    }
    /// `iss`, if present (it is a string once verified).
    pub fn iss(&self) -> Option<&str> {
        self.map.get("iss").and_then(Value::as_str)
    }
    /// `sub`, if present.
    pub fn sub(&self) -> Option<&str> {
        self.map.get("sub").and_then(Value::as_str)
    }
    /// `exp` rounded up to whole seconds (exactly, from its decimal text;
    /// saturated at ±10^30), if present.
    pub fn exp(&self) -> Option<i128> {
        self.dates.exp
    }
    /// `nbf` rounded up to whole seconds, if present.
    pub fn nbf(&self) -> Option<i128> {
        self.dates.nbf
    }
    /// `iat` rounded up to whole seconds, if present.
    pub fn iat(&self) -> Option<i128> {
        self.dates.iat
    }
    /// The claims as compact JSON (members in name order).
    pub fn to_json(&self) -> String {
        Value::Object(self.map.clone()).to_string()
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

/// Saturation bound of NumericDates: far beyond any `i64` clock ± leeway.
const DATE_LIMIT: i128 = 1_000_000_000_000_000_000_000_000_000_000;

/// A JSON number's decimal text (RFC 8259 §6 grammar) rounded up to whole
/// seconds, exactly, saturated at ±[`DATE_LIMIT`]; `None` if the text is not
/// a JSON number.
///
/// The value is `±D · 10^E` with `D` the digits of the integer and fraction
/// parts and `E` the exponent minus the number of fraction digits; its
/// integer part is the first `len(D) + E` digits of `D` (zero-extended), and
/// it is an integer iff the remaining digits are all zero.
pub(crate) fn ceil_decimal(text: &str) -> Option<i128> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (mantissa, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || (int.len() > 1 && int.starts_with('0')) || frac.is_some_and(|f| !digits(f)) {
        return None;
    }
    let frac = frac.unwrap_or_default();
    // The exponent, saturated: any |E| beyond 10^6 is beyond every bound here.
    let exp: i128 = match exponent {
        None => 0,
        Some(e) => {
            let (sign, e) = match e.as_bytes().first() {
                Some(b'-') => (-1, &e[1..]),
                Some(b'+') => (1, &e[1..]),
                _ => (1, e),
            };
            if !digits(e) {
                return None;
            }
            let e = e.trim_start_matches('0');
            let magnitude = if e.len() > 7 {
                1_000_000
            } else {
                e.parse::<i128>().unwrap_or(0).min(1_000_000)
            };
            sign * magnitude
        }
    };
    let all: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
    let first = all.iter().position(|&d| d != 0);
    let Some(first) = first else {
        return Some(0);
    };
    let d = &all[first..];
    let e = exp - frac.len() as i128;
    let int_digits = d.len() as i128 + e;
    let limit = |negative| if negative { -DATE_LIMIT } else { DATE_LIMIT };
    if int_digits > 31 {
        return Some(limit(negative));
    }
    let (magnitude, fractional) = if int_digits <= 0 {
        (0i128, true)
    } else {
        let k = int_digits as usize;
        let magnitude = (0..k).fold(0i128, |acc, i| {
            acc * 10 + i128::from(*d.get(i).unwrap_or(&0))
        });
        (magnitude, d.iter().skip(k).any(|&x| x != 0))
    };
    let ceil = if negative {
        -magnitude
    } else {
        magnitude + i128::from(fractional)
    };
    Some(ceil.clamp(-DATE_LIMIT, DATE_LIMIT))
}

/// The exact NumericDates of a claims payload that [`check_types`] accepted.
fn dates(payload: &[u8]) -> Result<Dates, ClaimsError> {
    let texts = json::member_texts(payload).ok_or_else(|| ClaimsError::NotJson {
        detail: "claims do not re-read as an object".into(),
    })?;
    let date = |claim: &'static str| -> Result<Option<i128>, ClaimsError> {
        match texts.get(claim) {
            None => Ok(None),
            Some(text) if planted(plant::DATE_STRINGS) => ceil_decimal(text.trim_matches('"'))
                .map(Some)
                .ok_or(ClaimsError::WrongType {
                    claim,
                    expected: "a number (NumericDate)",
                    found: "something else",
                }),
            Some(text) => ceil_decimal(text).map(Some).ok_or(ClaimsError::WrongType {
                claim,
                expected: "a number (NumericDate)",
                found: "something else",
            }),
        }
    };
    Ok(Dates {
        exp: date("exp")?,
        nbf: date("nbf")?,
        iat: date("iat")?,
    })
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
            let numeric_string = planted(plant::DATE_STRINGS)
                && v.as_str().is_some_and(|t| ceil_decimal(t).is_some());
            if !v.is_number() && !numeric_string {
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
    if planted(plant::CLAIMS_DUPLICATES) {
        return serde_json::from_slice(payload).map_err(|e| ClaimsError::NotJson {
            detail: e.to_string(),
        });
    }
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
/// * `iat`, if present, at most 60 s ahead of the clock
///   ([`DEFAULT_MAX_IAT_SKEW`]); no maximum lifetime.
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
    max_iat_skew: Option<u32>,
    max_lifetime: Option<u64>,
    types: Vec<String>,
}

/// Default bound on how far `iat` may lie ahead of the clock: 60 s.
///
/// A token issued in the future was minted by an issuer whose clock is off,
/// or minted in advance to be used later; either way its `iat` cannot be
/// trusted for the age checks applications build on it. 60 s absorbs
/// ordinary clock skew between issuer and verifier (the same order as the
/// leeways common JWT libraries default to).
pub const DEFAULT_MAX_IAT_SKEW: u32 = 60;

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
            max_iat_skew: Some(DEFAULT_MAX_IAT_SKEW),
            max_lifetime: None,
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

    /// Refuse tokens whose `iat` lies more than `seconds` ahead of the clock
    /// (`iat <= now + seconds`); `None` does not check `iat`. Default
    /// `Some(60)` ([`DEFAULT_MAX_IAT_SKEW`]).
    pub fn max_iat_skew(mut self, seconds: Option<u32>) -> Self {
        self.max_iat_skew = seconds;
        self
    }

    /// Refuse tokens that stay valid more than `seconds` from now (`exp <=
    /// now + seconds`), so that `exp: 1e308` does not mean "never expires";
    /// with a limit, `exp` is required. Default `None`: token lifetimes
    /// range from minutes to days by deployment, so there is no one safe
    /// bound.
    pub fn max_lifetime(mut self, seconds: Option<u64>) -> Self {
        self.max_lifetime = seconds;
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
        self.require_exp || self.max_lifetime.is_some()
    }

    /// The bound on `iat` ahead of the clock, in seconds, if checked.
    pub fn iat_skew(&self) -> Option<u32> {
        self.max_iat_skew
    }

    /// The maximum remaining lifetime, in seconds, if any.
    pub fn lifetime_limit(&self) -> Option<u64> {
        self.max_lifetime
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
        check_types(&claims)?;
        let dates = dates(&jws.payload)?;
        self.check_claims(&claims, dates, now)?;
        Ok(Jwt {
            alg: jws.alg,
            kid: jws.kid,
            header: jws.header,
            claims: Claims { map: claims, dates },
        })
    }

    fn check_claims(
        &self,
        claims: &Map<String, Value>,
        dates: Dates,
        now: i64,
    ) -> Result<(), ClaimsError> {
        let missing = |claim: &str| ClaimsError::Missing {
            claim: claim.to_owned(),
        };
        if let Some(name) = self.required.iter().find(|n| !claims.contains_key(*n)) {
            return Err(missing(name));
        }
        let now_wide = i128::from(now);
        match dates.exp {
            Some(exp)
                if now_wide >= exp + i128::from(self.leeway_exp)
                    && !(planted(plant::EXP_INCLUSIVE)
                        && now_wide == exp + i128::from(self.leeway_exp)) =>
            {
                return Err(ClaimsError::Expired {
                    exp,
                    now,
                    leeway: self.leeway_exp,
                });
            }
            Some(exp) => {
                if let Some(max) = self.max_lifetime {
                    if exp > now_wide + i128::from(max) {
                        return Err(ClaimsError::LifetimeTooLong { exp, now, max });
                    }
                }
            }
            None if self.requires_exp() => return Err(missing("exp")),
            None => {}
        }
        if let (Some(iat), Some(skew)) = (dates.iat, self.max_iat_skew) {
            if iat > now_wide + i128::from(skew) {
                return Err(ClaimsError::IssuedInFuture { iat, now, skew });
            }
        }
        if let Some(nbf) = dates.nbf {
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
                let named = |a: &str| {
                    self.audiences.iter().any(|x| {
                        x == a || (planted(plant::AUD_PREFIX) && a.starts_with(x.as_str()))
                    })
                };
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

    #[test]
    fn numeric_dates_round_up_exactly_and_saturate() {
        let ceil = ceil_decimal;
        assert_eq!(ceil("5"), Some(5));
        assert_eq!(ceil("-5"), Some(-5));
        assert_eq!(ceil("4.2"), Some(5));
        assert_eq!(ceil("-4.8"), Some(-4));
        assert_eq!(ceil("-0.5"), Some(0));
        assert_eq!(ceil("0.5"), Some(1));
        assert_eq!(ceil("0"), Some(0));
        assert_eq!(ceil("-0.0e5"), Some(0));
        assert_eq!(ceil("18446744073709551615"), Some(i128::from(u64::MAX)));
        assert_eq!(ceil("1e300"), Some(DATE_LIMIT));
        assert_eq!(ceil("-1e300"), Some(-DATE_LIMIT));
        assert_eq!(ceil("1.7e9"), Some(1_700_000_000));
        assert_eq!(ceil("17E+8"), Some(1_700_000_000));
        assert_eq!(ceil("1700000000.0000000001"), Some(1_700_000_001));
        assert_eq!(ceil("1700000000.0000000000"), Some(1_700_000_000));
        assert_eq!(ceil("170000000000e-2"), Some(1_700_000_000));
        assert_eq!(ceil("170000000001e-2"), Some(1_700_000_001));
        assert_eq!(ceil("1e-99999999999999"), Some(1));
        assert_eq!(ceil("1e99999999999999"), Some(DATE_LIMIT));
        assert_eq!(ceil(&"9".repeat(31)), Some(DATE_LIMIT));
        for bad in ["\"5\"", "", "-", "01", "1.", ".5", "1e", "1e+", "+1", "1x"] {
            assert_eq!(ceil(bad), None, "{bad}");
        }
    }
}
