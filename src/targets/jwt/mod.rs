//! Strict JWT / JWS verification, with the generator and oracles that test it.
//!
//! # Threat model
//!
//! **Asset.** The authority a token carries: a service that accepts a forged,
//! altered or stale token hands an attacker someone else's account.
//!
//! **Attacker.** Anyone who can send a token: they can read every public key
//! the service trusts, collect any number of valid tokens (their own, or
//! leaked ones), hold keys of their own, and craft arbitrary bytes. They do
//! not hold a trusted private key or HMAC secret.
//!
//! **What the verifier guarantees.** A token is accepted only if its
//! signature verifies with a key from the trusted set, the key being chosen
//! by `kid` alone and used only with the one algorithm it is bound to, and
//! (for a JWT) its claims pass typed checks at the injected clock. In detail,
//! each attack and its refusal:
//!
//! | attack | refusal |
//! |---|---|
//! | `alg: none` (any spelling: `None`, `nOnE`) | [`JwsError::AlgNone`]; empty signatures [`JwsError::MissingSignature`] |
//! | RS256→HS256 confusion: the public key used as an HMAC secret | every [`Key`] is bound to one [`Algorithm`]; the header's `alg` must equal it ([`JwsError::AlgorithmMismatch`]) |
//! | keys in the header (`jwk`, `jku`, `x5u`, `x5c`) | never used, never fetched: [`JwsError::EmbeddedKey`] |
//! | `kid` injection (paths, SQL, look-alike Unicode) | `kid` is only an exact key into an in-memory map ([`JwsError::UnknownKid`]); it never reaches a file system, database or URL |
//! | tampered header, claims or signature | the signature covers the exact bytes sent ([`JwsError::BadSignature`]) |
//! | re-encoded tokens (padding, `+`/`/`, whitespace, trailing bits) | canonical base64url only ([`JwsError::Base64`]): one token, one byte string |
//! | ECDSA malleability `(r, s) → (r, n − s)` | [`JwsPolicy::ecdsa_low_s`] refuses high `s` (off by default for interoperability; secfuzz signs low `s`) |
//! | duplicate JSON members (`{"alg":"RS256","alg":"none"}`) | strict parsing refuses them in header and claims, at any depth |
//! | `crit` extensions the application does not implement | refused unless listed as understood ([`JwsError::Critical`]) |
//! | JWE (five segments) or JWE-only headers (`zip`, `enc`), `b64: false` | refused, with an error saying so |
//! | expiry slips | one boundary rule, `nbf − leeway_nbf <= now < exp + leeway_exp`, with separate leeways and an injected clock, decided exactly on the NumericDate's decimal text; `exp` required by default |
//! | tokens from the future, tokens that never expire | `iat <= now + max_iat_skew` (60 s by default); `exp <= now + max_lifetime` when set ([`ClaimsError::IssuedInFuture`], [`ClaimsError::LifetimeTooLong`]) |
//! | RSA signature twins `s + n`, leading zero bytes | an RSA signature must be exactly the modulus' length and below it, checked before the backend ([`JwsError::SignatureRange`]) |
//! | type confusion (`"exp": "1700000000"`, `"exp": null`) | registered claims of the wrong JSON type are errors, never "absent" ([`ClaimsError::WrongType`]) |
//! | cross-token confusion | `typ` checked in JWTs, `cty` refused, `iss`/`aud` checked; a token addressed to an audience is refused by a verifier that has none |
//! | resource exhaustion | a size cap is checked before any decoding; JSON nesting is bounded |
//!
//! **Key hygiene**, enforced when keys are loaded ([`KeyError`]): no
//! ambiguous sets (duplicate `kid`; several keys without `kid`; asymmetric
//! public and private keys mixed; HMAC secrets mixed with asymmetric keys,
//! unless loaded with [`Jwks::from_json_allow_mixed`]; one key material
//! under several algorithms; an HMAC secret equal to a public key of the
//! set), only `use: sig` and `key_ops` allowing `verify`, no `x5c`/`x5u`,
//! HMAC secrets at least as long as the hash, RSA 2048–4096 bits with an odd
//! exponent of at least 65537, without the ROCA fingerprint
//! ([`has_roca_fingerprint`]) or a prime factor below
//! [`SMALL_FACTOR_BOUND`], EC points on the curve named by the algorithm,
//! Ed25519 points canonical and not of small order, private parts (and RSA
//! CRT parameters) consistent with public parts.
//!
//! **Out of scope.** Key distribution and rotation (the caller supplies the
//! trusted set), revocation and replay (use `jti` with a store; note that
//! token bytes identify a token only with `ecdsa_low_s` or non-ECDSA keys),
//! confidentiality (JWE), timing side channels beyond those of the
//! cryptographic backend (`jsonwebtoken` with RustCrypto, whose HMAC
//! comparison is constant-time).
//!
//! # Layers
//!
//! * [`verify_jws`] / [`Verifier::verify_jws`]: the JWS layer, any payload.
//! * [`Verifier::verify`]: a JWT — the JWS layer, then typed claims checks.
//! * [`sign_jws`], [`sign_jwt`], [`Key::sign_raw`]: signing.
//! * [`JwtCheck`]: one raw token in, a [`Verdict`] out, for the CLI.
//! * [`gen`] and [`oracle`]: the adversarial generator and its judges, run by
//!   [`JwtTarget`] under libFuzzer and proptest.

mod b64;
mod claims;
mod error;
pub mod fixture;
pub mod gen;
mod json;
mod jws;
mod keys;
pub mod oracle;
pub mod plant;
mod profile;
mod roca;

pub use claims::{sign_jwt, Claims, Jwt, Verifier, DEFAULT_MAX_IAT_SKEW, DEFAULT_TYPES};
pub use error::{ClaimsError, JwsError, KeyError, Segment, SignError, VerifyError};
pub use gen::JwtInput;
pub use jws::{sign_jws, verify_jws, Jws, JwsPolicy, DEFAULT_MAX_TOKEN_LEN, EMBEDDED_KEY_PARAMS};
pub use keys::{
    Algorithm, Jwks, Key, MAX_JWKS_LEN, MAX_KEYS, MAX_RSA_BITS, MIN_RSA_BITS, SMALL_FACTOR_BOUND,
};
pub use profile::Profile;
pub use roca::has_roca_fingerprint;

use crate::engine::contract::{Checker, Invariant, Target, Verdict, Violation};
use crate::engine::options::{OptionError, OptionSpec, Options};
use crate::engine::plant::Plant;
use crate::engine::util::payload_text;

/// Check raw tokens with a configured verifier: the library entry behind
/// `secfuzz check jwt` (built from [`OPTIONS`] by [`JwtTarget`]'s
/// [`Target::checker`]).
///
/// ```
/// use secfuzz::jwt::{Jwks, JwtCheck, Profile, Verifier};
/// let keys = Jwks::from_json_allow_mixed(secfuzz::jwt::fixture::TRUSTED_JWKS).unwrap();
/// let check = JwtCheck::new(Verifier::new(keys).issuer("me"), Profile::Jwt, 1_700_000_000);
/// let verdict = check.check(b"not.a.token").unwrap();
/// assert_eq!(verdict.kind(), "rejected");
/// ```
#[derive(Clone, Debug)]
pub struct JwtCheck {
    /// The verifier (keys and claims policy).
    pub verifier: Verifier,
    /// JWS or JWT.
    pub profile: Profile,
    /// The clock, seconds since the Unix epoch (used by the JWT profile).
    pub now: i64,
}

impl JwtCheck {
    /// A check with `verifier`, `profile` and clock `now`.
    pub fn new(verifier: Verifier, profile: Profile, now: i64) -> JwtCheck {
        JwtCheck {
            verifier,
            profile,
            now,
        }
    }

    /// The fixture's check: [`fixture::verifier`], JWT profile, [`fixture::NOW`].
    pub fn fixture() -> JwtCheck {
        JwtCheck::new(fixture::verifier().clone(), Profile::Jwt, fixture::NOW)
    }

    /// Verify one token. `Accepted { output }` carries the claims as compact
    /// JSON (JWT profile) or the payload as text (JWS profile); `Rejected {
    /// reason }` the error's message. `Err` means an independent re-check of
    /// an accepted token found a broken invariant.
    pub fn check(&self, token: &[u8]) -> Result<Verdict, Violation> {
        let output = match self.profile {
            Profile::Jws => self
                .verifier
                .verify_jws(token)
                .map(|jws| payload_text(&jws.payload))
                .map_err(|e| e.to_string()),
            Profile::Jwt => self
                .verifier
                .verify(token, self.now)
                .map(|jwt| jwt.claims.to_json())
                .map_err(|e| e.to_string()),
        };
        match output {
            Ok(output) => {
                oracle::judge_raw(token, &self.verifier, self.profile, self.now)?;
                Ok(Verdict::Accepted { output })
            }
            Err(reason) => Ok(Verdict::Rejected { reason }),
        }
    }
}

impl Checker for JwtCheck {
    fn check(&self, payload: &[u8]) -> Result<Verdict, Violation> {
        JwtCheck::check(self, payload)
    }
}

/// The options of `secfuzz check jwt`. Without `jwks`, tokens are checked
/// against the fixture's trusted keys and policy (the keys `corpora/jwt/` is
/// signed with), at the fixture clock, and every accepted token is also
/// checked against the fixture's private keys ([`oracle::judge_resigned`]).
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec::file(
        "jwks",
        "trusted keys: a JWK Set file (RFC 7517); weak or ambiguous sets are refused",
    ),
    OptionSpec::choice(
        "profile",
        &["jwt", "jws"],
        "jwt",
        "jwt: signature, header and typed claims; jws: signature and header only",
    ),
    OptionSpec::int(
        "now",
        "0",
        i64::MIN,
        i64::MAX,
        "the clock, Unix seconds; default: the system clock with jwks, 1700000000 without",
    )
    .no_default(),
    OptionSpec::text(
        "iss",
        "accepted issuer; once given, iss is required (needs jwks)",
    )
    .repeatable(),
    OptionSpec::text(
        "aud",
        "accepted audience; once given, aud is required (needs jwks)",
    )
    .repeatable(),
    OptionSpec::text(
        "require-claim",
        "another claim every token must carry (needs jwks)",
    )
    .repeatable(),
    OptionSpec::int(
        "leeway-exp",
        "0",
        0,
        u32::MAX as i64,
        "seconds a token stays valid after exp (needs jwks)",
    ),
    OptionSpec::int(
        "leeway-nbf",
        "0",
        0,
        u32::MAX as i64,
        "seconds a token is valid before nbf (needs jwks)",
    ),
    OptionSpec::flag("no-exp", "accept tokens without exp (needs jwks)"),
    OptionSpec::flag(
        "ecdsa-low-s",
        "refuse ECDSA signatures with a high s, the malleated twin of a valid one (needs jwks)",
    ),
    OptionSpec::int(
        "max-iat-skew",
        "60",
        -1,
        u32::MAX as i64,
        "seconds iat may lie ahead of now; -1: iat not checked (needs jwks)",
    ),
    OptionSpec::int(
        "max-lifetime",
        "0",
        0,
        i64::MAX,
        "refuse tokens with exp more than this many seconds after now; 0: no limit (needs jwks)",
    ),
];

/// The options that configure the claims policy, which only a caller's own
/// key set (`jwks`) may change.
const POLICY_OPTIONS: &[&str] = &[
    "iss",
    "aud",
    "require-claim",
    "leeway-exp",
    "leeway-nbf",
    "no-exp",
    "ecdsa-low-s",
    "max-iat-skew",
    "max-lifetime",
];

/// Build the configured check from parsed [`OPTIONS`].
pub fn check_from(options: &Options) -> Result<Box<dyn Checker>, OptionError> {
    let profile = match options.text("profile") {
        Some("jws") => Profile::Jws,
        _ => Profile::Jwt,
    };
    let Some(path) = options.text("jwks") else {
        if let Some(name) = POLICY_OPTIONS.iter().find(|n| options.is_given(n)) {
            return Err(OptionError::Conflict {
                name: OPTIONS
                    .iter()
                    .find(|s| s.name == *name)
                    .map_or("jwks", |s| s.name),
                reason: "applies only to your own keys: give jwks too".into(),
            });
        }
        let now = options.int("now").unwrap_or(fixture::NOW);
        let check = JwtCheck::new(fixture::verifier().clone(), profile, now);
        return Ok(Box::new(move |token: &[u8]| {
            let verdict = check.check(token)?;
            if let Verdict::Accepted { .. } = verdict {
                oracle::judge_resigned(token)?;
            }
            Ok(verdict)
        }));
    };
    let keys = Jwks::from_file(path).map_err(|e| OptionError::Unusable {
        name: "jwks",
        value: path.to_owned(),
        source: Box::new(e),
    })?;
    let leeway = |name| {
        options
            .int(name)
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0)
    };
    let mut verifier = Verifier::new(keys)
        .leeway_exp(leeway("leeway-exp"))
        .leeway_nbf(leeway("leeway-nbf"))
        .require_exp(!options.flag("no-exp"))
        .ecdsa_low_s(options.flag("ecdsa-low-s"))
        .max_iat_skew(
            options
                .int("max-iat-skew")
                .and_then(|v| u32::try_from(v).ok()),
        )
        .max_lifetime(
            options
                .int("max-lifetime")
                .and_then(|v| u64::try_from(v).ok())
                .filter(|&v| v > 0),
        );
    for iss in options.all("iss") {
        verifier = verifier.issuer(iss);
    }
    for aud in options.all("aud") {
        verifier = verifier.audience(aud);
    }
    for claim in options.all("require-claim") {
        verifier = verifier.require_claim(claim);
    }
    let now = match options.int("now") {
        Some(now) => now,
        None => system_now()?,
    };
    Ok(Box::new(JwtCheck::new(verifier, profile, now)))
}

fn system_now() -> Result<i64, OptionError> {
    let clock = |reason: &str| OptionError::Conflict {
        name: "now",
        reason: format!("{reason}; give now explicitly"),
    };
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| clock("the system clock is before 1970"))?;
    i64::try_from(since.as_secs()).map_err(|_| clock("the system clock is out of range"))
}

/// The JWT target: strict verification against generated attacks.
pub struct JwtTarget;

impl Target for JwtTarget {
    const NAME: &'static str = "jwt";
    const DESCRIPTION: &'static str =
        "JWT/JWS verification: alg none, algorithm confusion, embedded keys, kid injection, tampering, re-encoding, expiry slips, claim type confusion";
    const INVARIANTS: &'static [Invariant] = oracle::INVARIANTS;

    const OPTIONS: &'static [OptionSpec] = OPTIONS;
    const PLANTS: &'static [Plant] = PLANTS;

    type Input = JwtInput;

    fn render(input: &JwtInput) -> Vec<u8> {
        input.built.token.clone().into_bytes()
    }

    fn check(input: &JwtInput) -> Result<(), Violation> {
        if let Some(e) = &input.built.error {
            return Err(Violation::new(oracle::FIXTURE, e.clone()));
        }
        let verifier = fixture::verifier();
        let token = input.built.token.as_bytes();
        match input.plan.profile {
            Profile::Jwt => {
                let result = verifier.verify(token, fixture::NOW);
                oracle::judge_jwt(&input.plan, &input.built, &result)
            }
            Profile::Jws => {
                let result = verifier.verify_jws(token);
                oracle::judge_jws(&input.plan, &input.built, &result)
            }
        }
    }

    /// Without options: verify as a JWT with the fixture's trusted keys at
    /// [`fixture::NOW`] ([`JwtCheck::fixture`]); an accepted token is
    /// re-checked by [`oracle::judge_raw`] and [`oracle::judge_resigned`].
    fn checker(options: &Options) -> Result<Box<dyn Checker>, OptionError> {
        check_from(options)
    }
}

/// The planted vulnerabilities ([`plant`]): every JWT plant.
pub const PLANTS: &[Plant] = &[
    Plant {
        id: plant::NONE_UNVERIFIED,
        breaks: oracle::NONE,
        description: "alg none skips signature verification instead of refusing the token",
    },
    Plant {
        id: plant::KID_PREFIX,
        breaks: oracle::KID,
        description: "kid lookup by prefix instead of exact match",
    },
    Plant {
        id: plant::EXP_INCLUSIVE,
        breaks: oracle::EXPIRY,
        description: "expiry compared with <=: valid at now == exp",
    },
    Plant {
        id: plant::JKU_ALLOWED,
        breaks: oracle::EMBEDDED_KEY,
        description: "jku missing from the list of key-supplying header parameters",
    },
    Plant {
        id: plant::CRIT_UNDERSTOOD,
        breaks: oracle::CRIT,
        description: "crit extensions not checked against the understood list",
    },
    Plant {
        id: plant::CLAIMS_DUPLICATES,
        breaks: oracle::DUPLICATE,
        description: "claims parsed last-member-wins; only the header is strict",
    },
    Plant {
        id: plant::PADDING,
        breaks: oracle::CANONICAL,
        description: "base64url decoder accepts '=' padding",
    },
    Plant {
        id: plant::AUD_PREFIX,
        breaks: oracle::CLAIMS,
        description: "audience matched by prefix",
    },
    Plant {
        id: plant::DATE_STRINGS,
        breaks: oracle::TYPE_CONFUSION,
        description: "numeric strings accepted as NumericDates",
    },
    Plant {
        id: plant::ALG_FAMILY,
        breaks: oracle::ALG_CONFUSION,
        description: "header alg compared with the key's by family only",
    },
    Plant {
        id: plant::RSA_RANGE,
        breaks: oracle::CANONICAL,
        description: "RSA signature range (s < n, exact length) left to the backend",
    },
];
