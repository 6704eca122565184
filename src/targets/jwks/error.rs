//! The jwks target's errors: the key loader's own [`KeyError`] for every
//! refusal of a JWK Set text, plus the two refusals that belong to loading
//! raw bytes under a policy and not to the key loader: bytes that are not
//! UTF-8 (the loader takes `&str`) and, with
//! [`LoadPolicy::public_only`](super::LoadPolicy::public_only), a set that
//! holds signing material.

use std::fmt;

use crate::targets::jwt::KeyError;

/// Why a JWK Set was refused.
#[derive(Debug)]
#[non_exhaustive]
pub enum JwksError {
    /// The bytes are not UTF-8 (checked after the size cap).
    NotUtf8 {
        /// Length of the longest valid UTF-8 prefix.
        valid_up_to: usize,
    },
    /// The key loader refused the set.
    Key(KeyError),
    /// A key can sign (an HMAC secret or an asymmetric private key) and the
    /// policy asks for public keys only.
    SigningMaterial {
        /// The key's `kid`, if any.
        kid: Option<String>,
        /// Its algorithm.
        alg: &'static str,
    },
}

impl fmt::Display for JwksError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JwksError::NotUtf8 { valid_up_to } => {
                write!(f, "key set is not UTF-8 (valid up to byte {valid_up_to})")
            }
            JwksError::Key(e) => write!(f, "{e}"),
            JwksError::SigningMaterial { kid, alg } => match kid {
                Some(kid) => write!(
                    f,
                    "key {kid:?} ({alg}) can sign; a verifier's key set must hold public keys only"
                ),
                None => write!(
                    f,
                    "a {alg} key can sign; a verifier's key set must hold public keys only"
                ),
            },
        }
    }
}

impl std::error::Error for JwksError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JwksError::Key(e) => Some(e),
            _ => None,
        }
    }
}

impl From<KeyError> for JwksError {
    fn from(e: KeyError) -> Self {
        JwksError::Key(e)
    }
}
