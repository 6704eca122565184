//! Rendering a [`Plan`]: sign the base token, apply the edits, sign, apply
//! the wire edits, and log every honest signing; and the signing pool's
//! domain ([`in_pool`]) that [`Plan`] normalization keeps expensive keys in.

use super::claims::{apply_claim, base_claims};
use super::header::{apply_header, base_header};
use super::plan::{Built, Plan, Signed, MAX_EDITS, MAX_RAW_PAYLOAD};
use super::signing::{cross_algorithm, hmac, hmac_secret, public_secret, signature};
use super::signing::{is_expensive, ClaimedKid, Signing};
use super::value::{object_text, set, GVal, Members};
use super::wire::apply_wire;
use crate::targets::jwt::b64;
use crate::targets::jwt::fixture;
use crate::targets::jwt::keys::Key;
use crate::targets::jwt::profile::Profile;

struct Renderer<'p> {
    plan: &'p Plan,
    log: Vec<Signed>,
}

impl Renderer<'_> {
    fn payload(&self, claims: &Members) -> Vec<u8> {
        match &self.plan.raw_payload {
            Some(raw) => raw.clone(),
            None => object_text(claims).into_bytes(),
        }
    }

    /// Sign honestly with trusted key `index` and log the token.
    fn sign_trusted(
        &mut self,
        index: usize,
        header: &Members,
        claims: &Members,
    ) -> Result<String, String> {
        let key = fixture::trusted_key(index);
        let payload = self.payload(claims);
        let input = format!(
            "{}.{}",
            b64::encode(object_text(header).as_bytes()),
            b64::encode(&payload)
        );
        let sig = signature(key, input.as_bytes())?;
        let token = format!("{input}.{}", b64::encode(&sig));
        self.log.push(Signed {
            token: token.clone(),
            key: index % fixture::trusted_keys().keys().len(),
            header: header.clone(),
            claims: if self.plan.raw_payload.is_some() {
                Vec::new()
            } else {
                claims.clone()
            },
            payload,
        });
        Ok(token)
    }
}

/// Render a plan: sign, mutate, and log the honest signings.
pub fn build(plan: &Plan) -> Built {
    let mut r = Renderer {
        plan,
        log: Vec::new(),
    };
    let result = render(&mut r);
    let (token, signed_token, header, error) = match result {
        Ok((t, s, h)) => (t, s, h, None),
        Err(e) => (String::new(), String::new(), Vec::new(), Some(e)),
    };
    Built {
        token,
        signed_token,
        log: r.log,
        header,
        error,
    }
}

/// The header and claims a plan's signing step signs (after the header and
/// claims edits and the signing step's own header rewrites).
fn shape(plan: &Plan) -> (Members, Members) {
    let signer = plan.signer;
    let mut header = base_header(signer.key());
    for &e in &plan.header_edits {
        apply_header(&mut header, e, signer);
    }
    let mut claims = base_claims();
    for &e in &plan.claim_edits {
        apply_claim(&mut claims, e);
    }
    // Attacks that rewrite the header before "signing".
    match plan.signing {
        Signing::HmacWithPublicKey(target, _, hs) => {
            set(&mut header, "alg", GVal::s(hs.alg().name()));
            set(
                &mut header,
                "kid",
                GVal::s(target.key().kid().unwrap_or_default()),
            );
        }
        Signing::CrossAlgorithm(hs) => {
            let (_, alg) = cross_algorithm(signer, hs);
            set(&mut header, "alg", GVal::s(alg.name()));
        }
        Signing::Untrusted(k, kid) => {
            set(&mut header, "alg", GVal::s(k.key().algorithm().name()));
            if kid == ClaimedKid::Own {
                set(
                    &mut header,
                    "kid",
                    GVal::s(k.key().kid().unwrap_or_default()),
                );
            }
        }
        Signing::AlgNone(s) => set(&mut header, "alg", GVal::s(s.text())),
        _ => {}
    }
    (header, claims)
}

/// The key a plan's signing step signs the edited token with, if it signs
/// with a fixture key (trusted or attacker) rather than an HMAC of derived
/// material, nothing, or garbage.
fn signing_key(plan: &Plan) -> Option<&'static Key> {
    match plan.signing {
        Signing::Signer => Some(plan.signer.key()),
        Signing::Trusted(k) => Some(k.key()),
        Signing::Untrusted(k, _) => Some(k.key()),
        _ => None,
    }
}

/// Whether `key` signing `header` over `payload` is a **pool shape**: the
/// payload is the base claims and the header is the key's base header with
/// at most one of `alg` and `kid` changed or removed. These are the shapes in
/// which an RSA or ECDSA key's family matters to the verifier (key selection
/// by `kid`, the `alg` binding); every other edit is family-independent, and
/// [`Plan`] normalization has a cheap twin sign it. The domain is bounded
/// (the grammar writes a few dozen `alg` values and about a hundred `kid`
/// values), so the pool signs each shape once per process.
pub(super) fn in_pool(key: &Key, header: &Members, payload: &[u8]) -> bool {
    if payload != object_text(&base_claims()).as_bytes() {
        return false;
    }
    let base = base_header(key);
    let rest = |h: &Members| -> Vec<(String, GVal)> {
        h.iter()
            .filter(|(k, _)| k != "alg" && k != "kid")
            .cloned()
            .collect()
    };
    if rest(header) != rest(&base) {
        return false;
    }
    let changed = ["alg", "kid"]
        .iter()
        .filter(|name| {
            let values = |h: &Members| -> Vec<GVal> {
                h.iter()
                    .filter(|(k, _)| k == *name)
                    .map(|(_, v)| v.clone())
                    .collect()
            };
            let got = values(header);
            got.len() > 1 || got != values(&base)
        })
        .count();
    // No duplicates; the order may differ from the base order (a member
    // removed and set again goes last), which keeps the domain bounded.
    changed <= 1 && header.len() + 1 >= base.len() && header.len() <= base.len()
}

impl Plan {
    /// The normalized plan: edit lists and raw payloads capped, no raw
    /// payload under the JWT profile, and an expensive signer that would
    /// sign outside the pool replaced by its cheap twin. (Here, beside the
    /// pool it consults, so that `plan.rs` depends on nothing above it.)
    pub(super) fn trim(mut self) -> Plan {
        self.header_edits.truncate(MAX_EDITS);
        self.claim_edits.truncate(MAX_EDITS);
        self.wire_edits.truncate(MAX_EDITS);
        if let Some(p) = &mut self.raw_payload {
            p.truncate(MAX_RAW_PAYLOAD);
        }
        if self.profile == Profile::Jwt {
            self.raw_payload = None;
        }
        if needs_cheap_twin(&self) {
            self.signing = match self.signing {
                Signing::Signer => {
                    self.signer = self.signer.cheap_twin();
                    Signing::Signer
                }
                Signing::Trusted(k) => Signing::Trusted(k.cheap_twin()),
                Signing::Untrusted(k, kid) => Signing::Untrusted(k.cheap_twin(), kid),
                other => other,
            };
        }
        self
    }
}

/// Whether the plan's signing step would ask an expensive (RSA or ECDSA)
/// key to sign something outside the pool.
pub(super) fn needs_cheap_twin(plan: &Plan) -> bool {
    let Some(key) = signing_key(plan) else {
        return false;
    };
    if !is_expensive(key) {
        return false;
    }
    let (header, claims) = shape(plan);
    let payload = match &plan.raw_payload {
        Some(raw) => raw.clone(),
        None => object_text(&claims).into_bytes(),
    };
    !in_pool(key, &header, &payload)
}

fn render(r: &mut Renderer<'_>) -> Result<(String, String, Members), String> {
    let plan = r.plan;
    let signer = plan.signer;
    let original_sig = if plan.signing == Signing::Original {
        let t = r.sign_trusted(
            usize::from(signer.0),
            &base_header(signer.key()),
            &base_claims(),
        )?;
        t.rsplit('.').next().unwrap_or_default().to_owned()
    } else {
        String::new()
    };
    let (header, claims) = shape(plan);
    let payload = r.payload(&claims);
    let input = format!(
        "{}.{}",
        b64::encode(object_text(&header).as_bytes()),
        b64::encode(&payload)
    );
    let signed = match plan.signing {
        Signing::Signer => r.sign_trusted(usize::from(signer.0), &header, &claims)?,
        Signing::Trusted(k) => r.sign_trusted(usize::from(k.0), &header, &claims)?,
        other => {
            let sig: Vec<u8> = match other {
                Signing::Original => b64::decode(original_sig.as_bytes()).unwrap_or_default(),
                Signing::HmacWithPublicKey(target, form, hs) => hmac(
                    hs.alg(),
                    &public_secret(target.key(), form),
                    input.as_bytes(),
                )?,
                Signing::CrossAlgorithm(hs) => {
                    let (kid, alg) = cross_algorithm(signer, hs);
                    hmac(alg, &hmac_secret(kid), input.as_bytes())?
                }
                Signing::Untrusted(k, _) => signature(k.key(), input.as_bytes())?,
                Signing::Garbage(bits, len) => bits
                    .to_le_bytes()
                    .iter()
                    .cycle()
                    .take(usize::from(len % 96) + 1)
                    .copied()
                    .collect(),
                _ => Vec::new(),
            };
            format!("{input}.{}", b64::encode(&sig))
        }
    };

    let mut token = signed.clone();
    for &w in &plan.wire_edits {
        token = apply_wire(&token, w);
    }
    Ok((token, signed, header))
}
