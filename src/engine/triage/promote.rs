//! Promotion: writing each finding's reproducer into the regression corpus.
//!
//! A promoted reproducer is the input file `corpora/regressions/<target>/<name>`
//! (the bytes, exactly as a fuzz target or `secfuzz replay` reads them) plus
//! its sidecar `<name>.json`, a [`Sidecar`]. The corpus replay test decodes
//! every non-`.json` file under `corpora/<target>/` and
//! `corpora/regressions/<target>/`, asserts that `check` passes, and when a
//! sidecar exists also runs `payload_hex` through `check_payload`, which must
//! not report a violation. Existing files are never overwritten.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::TriageError;
use super::report::{Cluster, Promoted};
use crate::engine::util::unhex;

/// The sidecar written next to a promoted reproducer. Field names and
/// meanings are fixed: the corpus replay test reads them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sidecar {
    /// The violated invariant's id, or the failure kind (`panic`, `timeout`, …).
    pub invariant: String,
    /// The rendered payload as text (UTF-8, or escaped bytes).
    pub payload: String,
    /// The exact rendered payload bytes, lowercase hex.
    pub payload_hex: String,
    /// `Debug` of the decoded input.
    pub debug: String,
    /// The triage signature the reproducer fails with.
    pub signature: String,
    /// When it was promoted (UTC, RFC 3339).
    pub date: String,
}

impl Sidecar {
    /// The payload bytes, if `payload_hex` is well-formed hex.
    pub fn payload_bytes(&self) -> Option<Vec<u8>> {
        unhex(&self.payload_hex)
    }
}

/// File name of a promoted reproducer: the invariant id or kind, made
/// file-name safe, and the first 16 hex digits of the bytes' SHA-1.
pub fn regression_name(invariant_or_kind: &str, sha1: &str) -> String {
    let slug: String = invariant_or_kind
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("{slug}-{}", &sha1[..sha1.len().min(16)])
}

/// The directory promoted reproducers of `target` go to under `corpora_dir`.
pub fn regressions_dir(corpora_dir: &Path, target: &str) -> PathBuf {
    corpora_dir.join("regressions").join(target)
}

/// Promotes `cluster`'s best reproducer (minimized if there is one) into
/// `corpora_dir`, recording the result or the reason it was not promoted in
/// the cluster.
pub(crate) fn promote_cluster(
    corpora_dir: &Path,
    cluster: &mut Cluster,
    date: &str,
) -> Result<(), TriageError> {
    let (sha1, bytes_hex, debug, payload, payload_hex) = match &cluster.minimized {
        Some(m) => (
            &m.sha1,
            &m.bytes_hex,
            &m.input_debug,
            &m.payload,
            &m.payload_hex,
        ),
        None => {
            let r = &cluster.representative;
            (
                &r.sha1,
                &r.bytes_hex,
                &r.input_debug,
                &r.payload,
                &r.payload_hex,
            )
        }
    };
    let (Some(debug), Some(payload), Some(payload_hex), Some(bytes)) =
        (debug, payload, payload_hex, unhex(bytes_hex))
    else {
        cluster.notes.push(
            "not promoted: the input could not be described exactly (its payload is unknown or cut)"
                .into(),
        );
        return Ok(());
    };
    let invariant = cluster
        .invariant
        .clone()
        .unwrap_or_else(|| cluster.kind.as_str().to_owned());
    let sidecar = Sidecar {
        invariant: invariant.clone(),
        payload: payload.clone(),
        payload_hex: payload_hex.clone(),
        debug: debug.clone(),
        signature: cluster.signature.clone(),
        date: date.to_owned(),
    };
    let dir = regressions_dir(corpora_dir, &cluster.target);
    fs::create_dir_all(&dir).map_err(|source| TriageError::Promote {
        path: dir.clone(),
        source,
    })?;
    let name = regression_name(&invariant, sha1);
    let path = dir.join(&name);
    let sidecar_path = dir.join(format!("{name}.json"));
    let already_present = match fs::read(&path) {
        Ok(existing) if existing == bytes => true,
        Ok(_) => return Err(TriageError::PromoteConflict { path }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            write_new(&path, &bytes)?;
            false
        }
        Err(source) => return Err(TriageError::Promote { path, source }),
    };
    if !sidecar_path.exists() {
        let json = serde_json::to_string_pretty(&sidecar).map_err(|e| TriageError::Promote {
            path: sidecar_path.clone(),
            source: std::io::Error::other(e),
        })?;
        write_new(&sidecar_path, format!("{json}\n").as_bytes())?;
    }
    cluster.promoted = Some(Promoted {
        path: path.display().to_string(),
        sidecar: sidecar_path.display().to_string(),
        already_present,
    });
    Ok(())
}

/// Writes a file that must not exist yet.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), TriageError> {
    let err = |source| TriageError::Promote {
        path: path.to_path_buf(),
        source,
    };
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(err)?;
    f.write_all(bytes).map_err(err)?;
    f.sync_all().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_file_name_safe() {
        assert_eq!(
            regression_name("path.confined", "0123456789abcdef0123"),
            "path-confined-0123456789abcdef"
        );
        assert_eq!(regression_name("stack-overflow", "ab"), "stack-overflow-ab");
        assert_eq!(regression_name("a/../b", "00"), "a----b-00");
    }
}
