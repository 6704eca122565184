//! The JWT target's planted vulnerabilities ([`crate::plant`]): realistic
//! verifier mistakes, each at the place it would go, compiled in only with
//! the `plant` feature. The test suite must kill every one
//! (`tests/plants.rs`).

use crate::engine::plant::Plant;

use super::oracle;

/// `alg: none` read as "nothing to verify": an unsigned token passes.
pub const NONE_UNVERIFIED: &str = "jwt.none-unverified";
/// `kid` matched by prefix: `hs256-0x` selects `hs256-0`.
pub const KID_PREFIX: &str = "jwt.kid-prefix";
/// Expiry checked with `<=`: a token is still valid at `now == exp`.
pub const EXP_INCLUSIVE: &str = "jwt.exp-inclusive";
/// `jku` missing from the embedded-key parameters.
pub const JKU_ALLOWED: &str = "jwt.jku-allowed";
/// `crit` checked for shape only, not for being understood.
pub const CRIT_UNDERSTOOD: &str = "jwt.crit-not-understood";
/// Claims parsed with a last-member-wins parser (the strict one for the
/// header only).
pub const CLAIMS_DUPLICATES: &str = "jwt.claims-duplicates";
/// Base64url decoded with optional padding.
pub const PADDING: &str = "jwt.padding";
/// Audience compared by prefix (`secfuzz-api-evil` passes for `secfuzz-api`).
pub const AUD_PREFIX: &str = "jwt.aud-prefix";
/// Dates given as numeric strings (`"exp": "1700000600"`) are read as numbers.
pub const DATE_STRINGS: &str = "jwt.date-strings";
/// The header's `alg` compared with the key's by family only (an RS256 key
/// verifies a token that says RS384 or PS256).
pub const ALG_FAMILY: &str = "jwt.alg-family";
/// The RSA signature range check is left to the backend (`s + n` twins pass
/// for PSS).
pub const RSA_RANGE: &str = "jwt.rsa-range";

/// Every JWT plant.
pub const PLANTS: &[Plant] = &[
    Plant {
        id: NONE_UNVERIFIED,
        breaks: oracle::NONE,
        description: "alg none skips signature verification instead of refusing the token",
    },
    Plant {
        id: KID_PREFIX,
        breaks: oracle::KID,
        description: "kid lookup by prefix instead of exact match",
    },
    Plant {
        id: EXP_INCLUSIVE,
        breaks: oracle::EXPIRY,
        description: "expiry compared with <=: valid at now == exp",
    },
    Plant {
        id: JKU_ALLOWED,
        breaks: oracle::EMBEDDED_KEY,
        description: "jku missing from the list of key-supplying header parameters",
    },
    Plant {
        id: CRIT_UNDERSTOOD,
        breaks: oracle::CRIT,
        description: "crit extensions not checked against the understood list",
    },
    Plant {
        id: CLAIMS_DUPLICATES,
        breaks: oracle::DUPLICATE,
        description: "claims parsed last-member-wins; only the header is strict",
    },
    Plant {
        id: PADDING,
        breaks: oracle::CANONICAL,
        description: "base64url decoder accepts '=' padding",
    },
    Plant {
        id: AUD_PREFIX,
        breaks: oracle::CLAIMS,
        description: "audience matched by prefix",
    },
    Plant {
        id: DATE_STRINGS,
        breaks: oracle::TYPE_CONFUSION,
        description: "numeric strings accepted as NumericDates",
    },
    Plant {
        id: ALG_FAMILY,
        breaks: oracle::ALG_CONFUSION,
        description: "header alg compared with the key's by family only",
    },
    Plant {
        id: RSA_RANGE,
        breaks: oracle::CANONICAL,
        description: "RSA signature range (s < n, exact length) left to the backend",
    },
];
