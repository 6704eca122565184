//! Wire edits on the token text after signing: bit flips, truncation,
//! padding, `+`/`/`, whitespace, trailing bits, extra segments, ECDSA
//! malleation, RSA signatures out of range (`s + n`, a leading zero byte,
//! one byte short).

use arbitrary::Arbitrary;

use crate::targets::jwt::b64;
use crate::targets::jwt::fixture;
use crate::targets::jwt::keys::Public;

/// A token segment.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SegPick {
    Header,
    Payload,
    Signature,
}

/// Whitespace characters.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ws {
    Space,
    Newline,
    Tab,
    CarriageReturn,
}

/// Text appended to the token.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Suffix {
    Dot,
    Equals,
    PercentEncodedPadding,
    Nul,
    Newline,
}

/// One edit of the token text after signing.
#[allow(missing_docs)]
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum WireEdit {
    /// Flip one bit of one character of a segment.
    FlipChar(SegPick, u16, u8),
    /// Flip one bit of the decoded signature and re-encode canonically.
    FlipSignatureBit(u16, u8),
    /// Flip one bit of the decoded payload and re-encode canonically.
    FlipPayloadBit(u16, u8),
    /// Drop the last 1–4 characters of a segment.
    Truncate(SegPick, u8),
    /// Append `=` padding to a segment.
    Pad(SegPick, bool),
    /// Use the standard alphabet (`+`, `/`) in a segment.
    StandardAlphabet(SegPick),
    /// Insert whitespace.
    Whitespace(u16, Ws),
    /// Set unused low bits in a segment's last character.
    TrailingBits(SegPick),
    /// Append 1–3 extra segments (two make a five-segment JWE shape).
    ExtraSegments(u8),
    /// Remove the signature segment and its dot.
    DropSignature,
    /// Replace ECDSA `s` with `n - s` (a second valid signature).
    MalleateEcdsa,
    /// Replace an RSA signature `s` with `s + n` (`n` the modulus of the
    /// trusted key the header's `kid` names), in the modulus' byte length
    /// when it fits, one byte longer otherwise: the same integer mod `n`.
    SignaturePlusModulus,
    /// Prepend a zero byte to the decoded signature: the same integer.
    SignatureLeadingZero,
    /// Drop the first byte of the decoded signature (the same integer when
    /// it was zero).
    SignatureOneByteShort,
    /// Swap the header and payload segments.
    SwapHeaderPayload,
    Append(Suffix),
}

impl WireEdit {
    /// Whether the edit only changes the encoding, not the decoded bytes.
    pub(super) fn is_encoding(self) -> bool {
        matches!(
            self,
            WireEdit::Pad(..)
                | WireEdit::StandardAlphabet(_)
                | WireEdit::Whitespace(..)
                | WireEdit::TrailingBits(_)
                | WireEdit::Append(_)
        )
    }
}

/// Byte range of segment `seg` in `token` (split at the first two dots).
fn segment_range(token: &str, seg: SegPick) -> std::ops::Range<usize> {
    let dots: Vec<usize> = token.match_indices('.').map(|(i, _)| i).take(2).collect();
    let (a, b) = match dots.as_slice() {
        [a, b] => (*a, *b),
        [a] => (*a, token.len()),
        _ => (token.len(), token.len()),
    };
    match seg {
        SegPick::Header => 0..a,
        SegPick::Payload => (a + 1).min(token.len())..b,
        SegPick::Signature => (b + 1).min(token.len())..token.len(),
    }
}

fn replace_range(token: &str, range: std::ops::Range<usize>, with: &str) -> String {
    format!("{}{}{}", &token[..range.start], with, &token[range.end..])
}

/// Map a base64url character to its 6-bit value.
fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub(super) fn apply_wire(token: &str, edit: WireEdit) -> String {
    match edit {
        WireEdit::FlipChar(seg, index, bit) => {
            let range = segment_range(token, seg);
            if range.is_empty() {
                return token.to_owned();
            }
            let i = range.start + usize::from(index) % range.len();
            let mut bytes = token.as_bytes().to_vec();
            // Stay in ASCII so the token remains a string.
            bytes[i] ^= 1 << (bit % 7);
            String::from_utf8(bytes).unwrap_or_else(|_| token.to_owned())
        }
        WireEdit::FlipSignatureBit(index, bit) | WireEdit::FlipPayloadBit(index, bit) => {
            let seg = if matches!(edit, WireEdit::FlipSignatureBit(..)) {
                SegPick::Signature
            } else {
                SegPick::Payload
            };
            let range = segment_range(token, seg);
            match b64::decode(token[range.clone()].as_bytes()) {
                Some(mut raw) if !raw.is_empty() => {
                    let i = usize::from(index) % raw.len();
                    raw[i] ^= 1 << (bit % 8);
                    replace_range(token, range, &b64::encode(&raw))
                }
                _ => token.to_owned(),
            }
        }
        WireEdit::Truncate(seg, by) => {
            let range = segment_range(token, seg);
            let cut = (usize::from(by % 4) + 1).min(range.len());
            replace_range(token, range.end - cut..range.end, "")
        }
        WireEdit::Pad(seg, two) => {
            let range = segment_range(token, seg);
            let pad = if two { "==" } else { "=" };
            replace_range(token, range.end..range.end, pad)
        }
        WireEdit::StandardAlphabet(seg) => {
            let range = segment_range(token, seg);
            let text = token[range.clone()].replace('-', "+").replace('_', "/");
            replace_range(token, range, &text)
        }
        WireEdit::Whitespace(at, ws) => {
            let i = usize::from(at) % (token.len() + 1);
            let c = match ws {
                Ws::Space => " ",
                Ws::Newline => "\n",
                Ws::Tab => "\t",
                Ws::CarriageReturn => "\r",
            };
            replace_range(token, i..i, c)
        }
        WireEdit::TrailingBits(seg) => {
            let range = segment_range(token, seg);
            if range.len() % 4 < 2 {
                return token.to_owned();
            }
            let last = token.as_bytes()[range.end - 1];
            match sextet(last) {
                Some(v) => {
                    let c = ALPHABET[usize::from(v | 1)] as char;
                    replace_range(token, range.end - 1..range.end, &c.to_string())
                }
                None => token.to_owned(),
            }
        }
        WireEdit::ExtraSegments(n) => {
            let mut t = token.to_owned();
            for _ in 0..(n % 3) + 1 {
                t.push_str(".eyJ4IjoxfQ");
            }
            t
        }
        WireEdit::DropSignature => match token.rfind('.') {
            Some(i) => token[..i].to_owned(),
            None => token.to_owned(),
        },
        WireEdit::MalleateEcdsa => {
            let range = segment_range(token, SegPick::Signature);
            match b64::decode(token[range.clone()].as_bytes()).and_then(|s| negate_s(&s)) {
                Some(twin) => replace_range(token, range, &b64::encode(&twin)),
                None => token.to_owned(),
            }
        }
        WireEdit::SignaturePlusModulus
        | WireEdit::SignatureLeadingZero
        | WireEdit::SignatureOneByteShort => {
            let range = segment_range(token, SegPick::Signature);
            let edited = b64::decode(token[range.clone()].as_bytes()).and_then(|sig| match edit {
                WireEdit::SignaturePlusModulus => rsa_modulus(token).map(|n| add_be(&sig, &n)),
                WireEdit::SignatureLeadingZero => Some([&[0u8][..], &sig].concat()),
                _ => sig.get(1..).map(<[u8]>::to_vec),
            });
            match edited {
                Some(sig) => replace_range(token, range, &b64::encode(&sig)),
                None => token.to_owned(),
            }
        }
        WireEdit::SwapHeaderPayload => {
            let h = segment_range(token, SegPick::Header);
            let p = segment_range(token, SegPick::Payload);
            if p.start <= h.end {
                return token.to_owned();
            }
            format!(
                "{}.{}{}",
                &token[p.clone()],
                &token[h.clone()],
                &token[p.end..]
            )
        }
        WireEdit::Append(s) => {
            let suffix = match s {
                Suffix::Dot => ".",
                Suffix::Equals => "=",
                Suffix::PercentEncodedPadding => "%3D",
                Suffix::Nul => "\u{0}",
                Suffix::Newline => "\n",
            };
            format!("{token}{suffix}")
        }
    }
}

/// The modulus of the trusted RSA key the token's header `kid` names.
fn rsa_modulus(token: &str) -> Option<Vec<u8>> {
    let header = b64::decode(token[segment_range(token, SegPick::Header)].as_bytes())?;
    let header: serde_json::Value = serde_json::from_slice(&header).ok()?;
    let key = fixture::trusted_keys().get(header.get("kid")?.as_str()?)?;
    match key.public() {
        Public::Rsa { n, .. } => Some(n.clone()),
        _ => None,
    }
}

/// `a + b` for big-endian unsigned integers, in `max(len)` bytes, or one
/// more when the sum carries out.
fn add_be(a: &[u8], b: &[u8]) -> Vec<u8> {
    let len = a.len().max(b.len());
    let digit = |x: &[u8], i: usize| x.len().checked_sub(i + 1).map_or(0u16, |j| u16::from(x[j]));
    let mut out = vec![0u8; len];
    let mut carry = 0u16;
    for i in 0..len {
        let v = digit(a, i) + digit(b, i) + carry;
        out[len - 1 - i] = (v & 0xff) as u8;
        carry = v >> 8;
    }
    if carry > 0 {
        out.insert(0, carry as u8);
    }
    out
}

/// The twin `(r, n - s)` of an ECDSA signature `r || s` (P-256, P-384, P-521).
fn negate_s(sig: &[u8]) -> Option<Vec<u8>> {
    match sig.len() {
        64 => {
            let s = p256::ecdsa::Signature::from_slice(sig).ok()?;
            let (r, s) = s.split_scalars();
            let twin = p256::ecdsa::Signature::from_scalars(r, -*s).ok()?;
            Some(twin.to_bytes().to_vec())
        }
        96 => {
            let s = p384::ecdsa::Signature::from_slice(sig).ok()?;
            let (r, s) = s.split_scalars();
            let twin = p384::ecdsa::Signature::from_scalars(r, -*s).ok()?;
            Some(twin.to_bytes().to_vec())
        }
        132 => {
            let s = p521::ecdsa::Signature::from_slice(sig).ok()?;
            let (r, s) = s.split_scalars();
            let twin = p521::ecdsa::Signature::from_scalars(r, -*s).ok()?;
            Some(twin.to_bytes().to_vec())
        }
        _ => None,
    }
}
