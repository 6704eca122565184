//! Rendering a [`Plan`]: sign the base token, apply the edits, sign, apply
//! the wire edits, and log every honest signing.

use super::claims::{apply_claim, base_claims};
use super::header::{apply_header, base_header};
use super::plan::{Built, Plan, Signed};
use super::signing::{cached_signature, cross_algorithm, hmac, hmac_secret, public_secret};
use super::signing::{ClaimedKid, Signing};
use super::value::{object_text, set, GVal, Members};
use super::wire::apply_wire;
use crate::targets::jwt::b64;
use crate::targets::jwt::fixture;

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
        let sig = cached_signature(index, key, input.as_bytes())?;
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

fn render(r: &mut Renderer<'_>) -> Result<(String, String, Members), String> {
    let plan = r.plan;
    let signer = plan.signer;
    let base_h = base_header(signer.key());
    let base_c = base_claims();
    let original_sig = if plan.signing == Signing::Original {
        let t = r.sign_trusted(usize::from(signer.0), &base_h, &base_c)?;
        t.rsplit('.').next().unwrap_or_default().to_owned()
    } else {
        String::new()
    };

    let mut header = base_h;
    for &e in &plan.header_edits {
        apply_header(&mut header, e, signer);
    }
    let mut claims = base_c;
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
                Signing::Untrusted(k, _) => k
                    .key()
                    .sign_raw(input.as_bytes())
                    .map_err(|e| e.to_string())?,
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
