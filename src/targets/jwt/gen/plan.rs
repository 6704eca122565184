//! The plan: a trusted signer, header and claims edits, a signing step and
//! wire edits ([`Plan`]), and what rendering it produced ([`Built`]).

use arbitrary::Arbitrary;

use super::claims::ClaimEdit;
use super::header::HeaderEdit;
use super::picks::TrustedKey;
use super::signing::Signing;
use super::value::Members;
use super::wire::WireEdit;
use crate::targets::jwt::profile::Profile;

/// Most edits of each kind a plan applies; longer lists are cut.
pub const MAX_EDITS: usize = 6;
/// Longest raw JWS payload a plan uses.
pub const MAX_RAW_PAYLOAD: usize = 256;

/// A structured adversarial token: a trusted signer, edits, a signing step
/// and wire edits. See the module documentation.
///
/// # Normalization
///
/// [`JwtInput::new`](super::JwtInput::new) normalizes a decoded plan before
/// building it: edit lists are cut at [`MAX_EDITS`], a raw payload at
/// [`MAX_RAW_PAYLOAD`] (and dropped under the JWT profile), and a plan whose
/// signing step would have an RSA or ECDSA key (trusted or attacker) sign a
/// shape outside the **signing pool** has that key replaced by its cheap twin
/// (an HMAC or Ed25519 key of the same role:
/// [`TrustedKey::cheap_twin`](super::TrustedKey::cheap_twin),
/// [`AttackerKey::cheap_twin`](super::AttackerKey::cheap_twin)). The pool
/// holds each expensive key's base token and that token with its `alg` or
/// its `kid` changed or removed: the shapes in which the key's family
/// matters to the verifier. Every other edit (claims, raw payloads, embedded
/// keys, `crit`, `typ`, duplicates, several edits at once) reaches the
/// verifier's family-independent checks identically through the twin, with a
/// signature made per input in microseconds instead of an RSA signature made
/// in tens of milliseconds under coverage tracing. Expensive keys keep every
/// other role: base tokens and their wire edits (bit flips, truncation,
/// re-encodings, ECDSA malleation), the original signature under any edits,
/// their public material as an HMAC secret, and the target of `kid` edits.
/// The normalized plan is the one [`JwtInput`](super::JwtInput) stores and
/// prints, so a reproducer shows the key that actually signed.
#[derive(Arbitrary, Clone, Debug, PartialEq)]
pub struct Plan {
    /// The trusted key of the base token.
    pub signer: TrustedKey,
    /// Verify as a JWS (payload not interpreted) or as a JWT.
    pub profile: Profile,
    /// Under the JWS profile, a raw payload instead of claims.
    pub raw_payload: Option<Vec<u8>>,
    /// Header edits, in order.
    pub header_edits: Vec<HeaderEdit>,
    /// Claims edits, in order.
    pub claim_edits: Vec<ClaimEdit>,
    /// How the edited token is signed.
    pub signing: Signing,
    /// Edits of the token text, in order.
    pub wire_edits: Vec<WireEdit>,
}

impl Plan {
    /// Whether any wire edit only changes the encoding.
    pub fn has_encoding_edit(&self) -> bool {
        self.wire_edits.iter().any(|w| w.is_encoding())
    }
}

/// A token the generator signed honestly: with a trusted key, for that key's
/// algorithm.
#[derive(Clone, Debug, PartialEq)]
pub struct Signed {
    /// The token text.
    pub token: String,
    /// Index of the trusted key that signed it.
    pub key: usize,
    /// The header members it was signed with.
    pub header: Members,
    /// The claims members (for a raw payload, empty).
    pub claims: Members,
    /// The payload bytes.
    pub payload: Vec<u8>,
}

/// A rendered plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Built {
    /// The final token text (what an attacker sends).
    pub token: String,
    /// The token before wire edits.
    pub signed_token: String,
    /// Every token the generator signed honestly while building.
    pub log: Vec<Signed>,
    /// The header after edits.
    pub header: Members,
    /// A fixture failure (a trusted key failed to sign), if any: reported as
    /// [`FIXTURE`](crate::targets::jwt::oracle::FIXTURE).
    pub error: Option<String>,
}
