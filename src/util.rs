//! Small helpers shared by targets and the CLI.

use std::fmt;

/// Formats bytes as a Rust byte-string literal body (`b"..."` without the
/// quotes): printable ASCII as is, everything else escaped.
pub struct EscapedBytes<'a>(pub &'a [u8]);

impl fmt::Debug for EscapedBytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("b\"")?;
        fmt::Display::fmt(self, f)?;
        f.write_str("\"")
    }
}

impl fmt::Display for EscapedBytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for &b in self.0 {
            match b {
                b'"' => f.write_str("\\\"")?,
                b'\\' => f.write_str("\\\\")?,
                b'\n' => f.write_str("\\n")?,
                b'\r' => f.write_str("\\r")?,
                b'\t' => f.write_str("\\t")?,
                0x20..=0x7e => write!(f, "{}", b as char)?,
                _ => write!(f, "\\x{b:02x}")?,
            }
        }
        Ok(())
    }
}

/// A payload as text for people and JSON: UTF-8 when it is, otherwise escaped.
pub fn payload_text(payload: &[u8]) -> String {
    match std::str::from_utf8(payload) {
        Ok(s) => s.to_owned(),
        Err(_) => EscapedBytes(payload).to_string(),
    }
}
