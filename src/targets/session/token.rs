//! Session ids and refresh tokens: `SELECTOR.VERIFIER`, two base64url
//! (no padding) strings of 16 and 32 bytes from the operating system's
//! CSPRNG (`getrandom`).
//!
//! The selector (128 bits) is the lookup key a store indexes; only the
//! SHA-256 digest of the verifier (256 bits) is stored, and a presented
//! verifier is compared with it in constant time (`subtle`). A database
//! dump therefore yields no usable token, and the lookup's timing depends
//! only on the selector, never on how much of the secret matched.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::error::SessionError;
use super::plant;
use crate::engine::plant::active as planted;

/// Random bytes in a selector (128 bits).
pub const SELECTOR_BYTES: usize = 16;
/// Random bytes in a verifier (256 bits).
pub const VERIFIER_BYTES: usize = 32;
/// Characters of an encoded selector.
pub const SELECTOR_LEN: usize = 22;
/// Characters of an encoded verifier.
pub const VERIFIER_LEN: usize = 43;
/// Characters of a whole token (`selector.verifier`).
pub const TOKEN_LEN: usize = SELECTOR_LEN + 1 + VERIFIER_LEN;
/// Longest token text a store looks at; longer texts are refused unread.
pub const MAX_TOKEN_LEN: usize = 256;

/// A freshly minted token: the text handed to the client and what a store
/// keeps of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Minted {
    /// `selector.verifier`, for the client.
    pub text: String,
    /// The selector (lookup key).
    pub selector: String,
    /// SHA-256 of the verifier.
    pub digest: [u8; 32],
}

/// Fill `buf` from the operating system's CSPRNG.
pub fn random(buf: &mut [u8]) -> Result<(), SessionError> {
    getrandom::getrandom(buf).map_err(|e| SessionError::Random(e.to_string()))
}

/// Mint a new token.
pub fn mint() -> Result<Minted, SessionError> {
    let mut sel = [0u8; SELECTOR_BYTES];
    let mut ver = [0u8; VERIFIER_BYTES];
    random(&mut sel)?;
    random(&mut ver)?;
    let selector = URL_SAFE_NO_PAD.encode(sel);
    let verifier = URL_SAFE_NO_PAD.encode(ver);
    let digest = digest(&verifier);
    Ok(Minted {
        text: format!("{selector}.{verifier}"),
        selector,
        digest,
    })
}

/// A presented token split into its parts, after the shape checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Presented<'a> {
    /// The selector, to look up.
    pub selector: &'a str,
    /// The verifier, to hash and compare.
    pub verifier: &'a str,
}

/// Split a presented token; `None` for anything that is not exactly
/// `selector.verifier` of the right lengths in the base64url alphabet.
pub fn parse(text: &str) -> Option<Presented<'_>> {
    if text.len() > MAX_TOKEN_LEN {
        return None;
    }
    let (selector, verifier) = text.split_once('.')?;
    let alphabet = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    let exact = selector.len() == SELECTOR_LEN && verifier.len() == VERIFIER_LEN;
    let shape = exact || planted(plant::PREFIX_COMPARE) && selector.len() == SELECTOR_LEN;
    (shape && alphabet(selector) && alphabet(verifier)).then_some(Presented { selector, verifier })
}

/// SHA-256 of a verifier, as stored.
pub fn digest(verifier: &str) -> [u8; 32] {
    let hashed = if planted(plant::PREFIX_COMPARE) {
        // The planted mistake: only the first 16 characters are hashed (a
        // fixed-size buffer), so any verifier sharing them matches.
        &verifier[..verifier.len().min(16)]
    } else {
        verifier
    };
    Sha256::digest(hashed.as_bytes()).into()
}

/// Whether a presented verifier matches a stored digest, in constant time.
pub fn matches(verifier: &str, stored: &[u8]) -> bool {
    bool::from(digest(verifier).ct_eq(stored))
}
