//! Adversarial token generator.
//!
//! A [`Plan`] (derived from bytes with `arbitrary`) starts from a validly
//! signed token of one trusted key and applies structured mutations:
//!
//! 1. header edits ([`HeaderEdit`]): `alg` swaps (including `none`, `None`,
//!    `nOnE`), embedded keys, hostile `kid`s, `crit`, `typ`/`cty`, duplicates;
//! 2. claims edits ([`ClaimEdit`]): `exp`/`nbf`/`iat` as strings, floats,
//!    huge, negative, at and one second around each boundary; `iss`/`aud`;
//!    duplicates;
//! 3. a signing step ([`Signing`]): re-signing by a trusted key, keeping the
//!    original signature, HMAC with a public key as the secret, an attacker's
//!    key, a cross-algorithm HMAC, no signature;
//! 4. wire edits ([`WireEdit`]) on the token text: bit flips, truncation,
//!    padding, `+`/`/`, whitespace, trailing bits, extra segments, ECDSA
//!    malleation.
//!
//! [`build`] renders the plan into a token and records every token the
//! generator itself signed with one of the fixture's trusted keys for that
//! key's algorithm — the only tokens an oracle will let the verifier accept.

mod build;
mod claims;
mod header;
mod picks;
mod plan;
mod signing;
mod value;
mod wire;

use std::fmt;

use arbitrary::{Arbitrary, Unstructured};

pub use build::build;
pub use claims::{
    base_claims, near_miss, AudValue, ClaimEdit, Delta, Edge, Extension, Frac, Huge, Invisible,
    NearMiss, Registered, StrValue, TimeClaim, TimeValue,
};
pub use header::{
    AlgValue, CritValue, EmbedKind, ForbiddenKind, HeaderEdit, KidValue, TypValue, Unregistered,
};
pub use picks::{AlgPick, NonString, NoneSpelling, TrustedKey};
pub use plan::{Built, Plan, Signed, MAX_EDITS, MAX_RAW_PAYLOAD};
pub use signing::{AttackerKey, ClaimedKid, HsPick, PublicForm, PublicTarget, Signing};
pub use value::{object_text, GVal, Members};
pub use wire::{SegPick, Suffix, WireEdit, Ws};

/// A plan together with the token it renders to. Decoding signs (once), so
/// `Debug`, `render` and `check` of [`JwtTarget`] all see the same token even
/// for randomized signatures (PS256).
///
/// [`JwtTarget`]: crate::targets::jwt::JwtTarget
#[derive(Clone)]
pub struct JwtInput {
    /// The plan.
    pub plan: Plan,
    /// Its rendering.
    pub built: Built,
}

impl JwtInput {
    /// Build the input for `plan`.
    pub fn new(plan: Plan) -> JwtInput {
        let plan = plan.trim();
        let built = build(&plan);
        JwtInput { plan, built }
    }
}

impl<'a> Arbitrary<'a> for JwtInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Plan::arbitrary(u).map(JwtInput::new)
    }
    fn arbitrary_take_rest(u: Unstructured<'a>) -> arbitrary::Result<Self> {
        Plan::arbitrary_take_rest(u).map(JwtInput::new)
    }
    fn size_hint(depth: usize) -> (usize, Option<usize>) {
        Plan::size_hint(depth)
    }
}

impl fmt::Debug for JwtInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.plan;
        f.debug_struct("JwtInput")
            .field("token", &self.built.token)
            .field("signer", &p.signer)
            .field("profile", &p.profile)
            .field(
                "raw_payload",
                &p.raw_payload
                    .as_deref()
                    .map(crate::engine::util::EscapedBytes),
            )
            .field("header_edits", &p.header_edits)
            .field("claim_edits", &p.claim_edits)
            .field("signing", &p.signing)
            .field("wire_edits", &p.wire_edits)
            .finish()
    }
}
