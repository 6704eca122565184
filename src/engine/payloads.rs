//! Raw payloads for `secfuzz check`, in three input formats. HTML fragments
//! and scripts span lines, so one payload per line is not always enough:
//!
//! * [`InputFormat::Lines`]: one payload per line (`\n` or `\r\n`); a final
//!   newline does not start another payload. Source: `NAME:LINE`.
//! * [`InputFormat::JsonLines`]: one JSON value per line, either a string or
//!   an object with a string member `payload`, or an array, whose JSON text
//!   is the payload (a `session` operation script). Any other line (a number, an
//!   object without `payload`, invalid JSON, an empty line) is a
//!   [`PayloadError`], reported in order, never skipped. Source: `NAME:LINE`.
//! * [`InputFormat::Files`]: a directory; each regular file in it (recursively,
//!   sorted by path) is one payload, byte for byte. Source: the path relative
//!   to the directory.
//!
//! ```
//! use secfuzz::payloads::{split, InputFormat};
//! let items = split(InputFormat::JsonLines, "list", b"\"a\\nb\"\n{\"payload\":\"c\"}\n7\n");
//! assert_eq!(items[0].as_ref().unwrap().bytes, b"a\nb");
//! assert_eq!(items[1].as_ref().unwrap().source, "list:2");
//! assert!(items[2].is_err());
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

/// How `check` reads its payloads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputFormat {
    /// One payload per line (the default).
    #[default]
    Lines,
    /// One JSON string, or object with a `payload` string, per line.
    JsonLines,
    /// A directory; every file is one payload.
    Files,
}

impl InputFormat {
    /// The CLI spellings, in order.
    pub const NAMES: &'static [&'static str] = &["lines", "json-lines", "files"];
}

impl std::str::FromStr for InputFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "lines" => Ok(InputFormat::Lines),
            "json-lines" => Ok(InputFormat::JsonLines),
            "files" => Ok(InputFormat::Files),
            other => Err(format!(
                "unknown input format {other:?} (expected {})",
                InputFormat::NAMES.join(", ")
            )),
        }
    }
}

/// One raw payload and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payload {
    /// `NAME:LINE` (lines, JSON lines) or the file's relative path (files).
    pub source: String,
    /// The payload's bytes.
    pub bytes: Vec<u8>,
}

/// A line or file that is not a payload.
#[derive(Debug)]
#[non_exhaustive]
pub enum PayloadError {
    /// A JSON-lines line that is not a JSON string or an object with a
    /// string `payload`.
    NotAPayload {
        /// `NAME:LINE`.
        source: String,
        /// Why.
        reason: String,
    },
    /// A file or directory that could not be read.
    Io {
        /// The path.
        source: String,
        /// The error.
        error: std::io::Error,
    },
    /// The path given for [`InputFormat::Files`] is not a directory.
    NotADirectory {
        /// The path.
        path: PathBuf,
    },
}

impl PayloadError {
    /// Where the error is (`NAME:LINE` or a path).
    pub fn source_name(&self) -> String {
        match self {
            PayloadError::NotAPayload { source, .. } | PayloadError::Io { source, .. } => {
                source.clone()
            }
            PayloadError::NotADirectory { path } => path.display().to_string(),
        }
    }
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PayloadError::NotAPayload { source, reason } => {
                write!(f, "{source}: not a payload: {reason}")
            }
            PayloadError::Io { source, error } => write!(f, "{source}: {error}"),
            PayloadError::NotADirectory { path } => write!(
                f,
                "{}: --input files needs a directory (each file is one payload)",
                path.display()
            ),
        }
    }
}

impl std::error::Error for PayloadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PayloadError::Io { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// The lines of `data`: `\n` or `\r\n`; a final newline does not start
/// another line; empty input has no lines.
pub fn lines(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let data = data.strip_suffix(b"\n").unwrap_or(data);
    let empty = data.is_empty();
    data.split(|&b| b == b'\n')
        .filter(move |_| !empty)
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
}

/// Split one text (a file or standard input called `name`) into payloads, in
/// [`InputFormat::Lines`] or [`InputFormat::JsonLines`]. ([`InputFormat::Files`]
/// reads a directory: see [`read_dir`].)
pub fn split(format: InputFormat, name: &str, data: &[u8]) -> Vec<Result<Payload, PayloadError>> {
    lines(data)
        .enumerate()
        .map(|(i, line)| {
            let source = format!("{name}:{}", i + 1);
            match format {
                InputFormat::JsonLines => json_payload(line)
                    .map(|bytes| Payload {
                        source: source.clone(),
                        bytes,
                    })
                    .map_err(|reason| PayloadError::NotAPayload { source, reason }),
                _ => Ok(Payload {
                    source,
                    bytes: line.to_vec(),
                }),
            }
        })
        .collect()
}

fn json_payload(line: &[u8]) -> Result<Vec<u8>, String> {
    let value: serde_json::Value = serde_json::from_slice(line).map_err(|e| {
        if line.iter().all(u8::is_ascii_whitespace) {
            "an empty line".to_owned()
        } else {
            format!("invalid JSON: {e}")
        }
    })?;
    match value {
        serde_json::Value::String(s) => Ok(s.into_bytes()),
        // A structured payload (an operation script): its JSON text.
        serde_json::Value::Array(_) => Ok(line.to_vec()),
        serde_json::Value::Object(mut o) => match o.remove("payload") {
            Some(serde_json::Value::String(s)) => Ok(s.into_bytes()),
            Some(other) => Err(format!(
                "member \"payload\" must be a string, found {}",
                json_kind(&other)
            )),
            None => Err("an object without a \"payload\" member".to_owned()),
        },
        other => Err(format!(
            "expected a string, an array or an object with \"payload\", found {}",
            json_kind(&other)
        )),
    }
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Every regular file under `dir` (recursively, sorted by relative path) as
/// one payload each ([`InputFormat::Files`]). Symbolic links are not
/// followed; unreadable entries are errors in the list, in order.
pub fn read_dir(dir: &Path) -> Result<Vec<Result<Payload, PayloadError>>, PayloadError> {
    if !dir.is_dir() {
        return Err(PayloadError::NotADirectory {
            path: dir.to_owned(),
        });
    }
    let mut found = Vec::new();
    walk(dir, dir, &mut found);
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(found.into_iter().map(|(_, r)| r).collect())
}

type Found = (String, Result<Payload, PayloadError>);

fn walk(root: &Path, dir: &Path, out: &mut Vec<Found>) {
    let rel = |p: &Path| {
        p.strip_prefix(root)
            .unwrap_or(p)
            .to_string_lossy()
            .into_owned()
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(error) => {
            let source = rel(dir);
            out.push((source.clone(), Err(PayloadError::Io { source, error })));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(error) => {
                let source = rel(dir);
                out.push((source.clone(), Err(PayloadError::Io { source, error })));
                continue;
            }
        };
        let path = entry.path();
        let source = rel(&path);
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(root, &path, out),
            Ok(t) if t.is_file() => {
                let r = std::fs::read(&path)
                    .map(|bytes| Payload {
                        source: source.clone(),
                        bytes,
                    })
                    .map_err(|error| PayloadError::Io {
                        source: source.clone(),
                        error,
                    });
                out.push((source, r));
            }
            Ok(_) => {} // symlinks, FIFOs, sockets: not payload files
            Err(error) => out.push((source.clone(), Err(PayloadError::Io { source, error }))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_on_lf_and_crlf_without_a_phantom_last_line() {
        let got: Vec<_> = lines(b"a\r\nb\n\nc\n").collect();
        assert_eq!(got, [&b"a"[..], b"b", b"", b"c"]);
        assert_eq!(lines(b"").count(), 0);
        assert_eq!(lines(b"\n").count(), 0);
        assert_eq!(lines(b"\n\n").collect::<Vec<_>>(), [&b""[..], b""]);
        assert_eq!(lines(b"x").count(), 1);
    }

    #[test]
    fn json_lines_take_strings_and_payload_objects_and_report_the_rest() {
        let data = b"\"<b>\\n</b>\"\n{\"payload\":\"x\",\"note\":1}\n\n{\"payload\":3}\n{}\n[1]\nnope\n\"\"\n";
        let got = split(InputFormat::JsonLines, "f", data);
        assert_eq!(got.len(), 8);
        assert_eq!(got[0].as_ref().unwrap().bytes, b"<b>\n</b>");
        assert_eq!(got[1].as_ref().unwrap().bytes, b"x");
        for (i, needle) in [
            (2, "empty line"),
            (3, "must be a string"),
            (4, "without"),
            (6, "invalid JSON"),
        ] {
            let e = got[i].as_ref().unwrap_err();
            assert!(e.to_string().contains(needle), "{i}: {e}");
            assert_eq!(e.source_name(), format!("f:{}", i + 1));
        }
        // An array line is its own payload (a session operation script).
        assert_eq!(got[5].as_ref().unwrap().bytes, b"[1]");
        assert_eq!(got[7].as_ref().unwrap().bytes, b"");
    }
}
