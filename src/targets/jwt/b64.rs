//! Canonical base64url (RFC 7515 §2): URL-safe alphabet, no padding, no
//! whitespace, and the unused low bits of the last character must be zero.
//! Under these rules every byte string has exactly one encoding, so a token
//! cannot be re-encoded into a different string that still verifies.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

const CANONICAL: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(false),
);

/// Decode canonical base64url, `None` for anything else.
pub(crate) fn decode(s: &[u8]) -> Option<Vec<u8>> {
    if crate::plant::active(super::plant::PADDING) {
        const PADDED: GeneralPurpose = GeneralPurpose::new(
            &alphabet::URL_SAFE,
            GeneralPurposeConfig::new()
                .with_decode_padding_mode(DecodePaddingMode::Indifferent)
                .with_decode_allow_trailing_bits(false),
        );
        return PADDED.decode(s).ok();
    }
    CANONICAL.decode(s).ok()
}

/// Encode as canonical base64url.
pub(crate) fn encode(bytes: &[u8]) -> String {
    CANONICAL.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_canonical_form_decodes() {
        assert_eq!(decode(b"_-8").unwrap(), vec![0xff, 0xef]);
        assert_eq!(encode(&[0xff, 0xef]), "_-8");
        for bad in [
            &b"_-8="[..],
            b"/+8",
            b"_-9", // non-zero trailing bits
            b"_- 8",
            b"_-8\n",
            b"A",
            b"AA==",
        ] {
            assert_eq!(decode(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
        assert_eq!(decode(b"").unwrap(), Vec::<u8>::new());
    }
}
