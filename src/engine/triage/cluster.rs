//! Clustering: inputs whose replays fail with the same signature are one
//! [`Cluster`]; its representative is the input that failed most often,
//! then the smallest.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::child::MAX_PAYLOAD_LEN;
use super::classify::{clip, Aggregate, Described, Kind, Location};
use super::discover::ArtifactKind;
use super::report::{Cluster, InputEntry, Sample};
use crate::engine::util::{hex, payload_text, sha1_hex};

/// One distinct (target, bytes) input and the files that hold it.
pub(crate) struct Unique {
    pub target: String,
    pub bytes: Vec<u8>,
    pub sha1: String,
    pub paths: Vec<PathBuf>,
    pub kinds: BTreeSet<ArtifactKind>,
}

/// Groups the inputs by the signature of their verdict and builds one
/// cluster per signature (in signature order). Each cluster comes with its
/// representative's index in `uniques`.
pub(crate) fn cluster(uniques: &[Unique], aggregates: &[Aggregate]) -> Vec<(Cluster, usize)> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, (u, a)) in uniques.iter().zip(aggregates).enumerate() {
        groups.entry(signature(u, a)).or_default().push(i);
    }
    groups
        .into_iter()
        .map(|(sig, members)| build_cluster(sig, &members, uniques, aggregates))
        .collect()
}

/// The signature of an input's verdict: its failure's, else undecodable or
/// not reproducible for its target.
fn signature(u: &Unique, a: &Aggregate) -> String {
    match (&a.failure, &a.undecodable) {
        (Some(f), _) => f.signature.clone(),
        (None, Some(_)) => format!("{} | {}", u.target, Kind::Undecodable),
        (None, None) => format!("{} | {}", u.target, Kind::NotReproducible),
    }
}

/// Builds the cluster for one signature; also returns the representative's
/// index in `uniques`.
fn build_cluster(
    signature: String,
    members: &[usize],
    uniques: &[Unique],
    aggregates: &[Aggregate],
) -> (Cluster, usize) {
    // Representative: failed most often, then smallest (shortlex).
    let rep = members
        .iter()
        .copied()
        .max_by(|&a, &b| {
            let (ua, ub) = (&uniques[a], &uniques[b]);
            aggregates[a]
                .failed
                .cmp(&aggregates[b].failed)
                .then_with(|| (ub.bytes.len(), &ub.bytes).cmp(&(ua.bytes.len(), &ua.bytes)))
        })
        .unwrap_or(members[0]);
    let u = &uniques[rep];
    let a = &aggregates[rep];
    let flaky = members.iter().any(|&m| aggregates[m].flaky());
    let file_count = members.iter().map(|&m| uniques[m].paths.len()).sum();
    let (kind, invariant, title, detail, frames, location) = match (&a.failure, &a.undecodable) {
        (Some(f), _) => {
            let location = f
                .frames
                .iter()
                .find_map(|fr| match (&fr.file, fr.line) {
                    (Some(file), Some(line)) if in_source_tree(file) => Some(Location {
                        file: file.clone(),
                        line,
                        column: None,
                    }),
                    _ => None,
                })
                .or_else(|| f.location.clone());
            (
                f.kind,
                f.invariant.clone(),
                f.title.clone(),
                f.detail.clone(),
                f.frames.clone(),
                location,
            )
        }
        (None, Some(why)) => (
            Kind::Undecodable,
            None,
            format!("does not decode: {}", clip(why, 160)),
            why.clone(),
            Vec::new(),
            None,
        ),
        (None, None) => {
            let kinds: BTreeSet<&str> = members
                .iter()
                .flat_map(|&m| uniques[m].kinds.iter().map(|k| k.as_str()))
                .collect();
            (
                Kind::NotReproducible,
                None,
                format!("no replay failed ({} runs each)", a.runs),
                format!(
                    "artifact kinds: {}; a fixed bug, a different build, or a failure that needs \
                     the fuzzer's state or a sanitizer",
                    kinds.into_iter().collect::<Vec<_>>().join(", ")
                ),
                Vec::new(),
                None,
            )
        }
    };
    let (input_debug, payload, payload_hex) = describe_fields(a.described.as_ref());
    let inputs = members
        .iter()
        .map(|&m| {
            let u = &uniques[m];
            InputEntry {
                sha1: u.sha1.clone(),
                len: u.bytes.len(),
                paths: u.paths.iter().map(|p| p.display().to_string()).collect(),
                artifact_kinds: u.kinds.iter().copied().collect(),
                runs: aggregates[m].runs,
                failed: aggregates[m].failed,
            }
        })
        .collect();
    let mut notes: Vec<String> = Vec::new();
    for note in members.iter().flat_map(|&m| &aggregates[m].notes) {
        if !notes.contains(note) {
            notes.push(note.clone());
        }
    }
    if let Some(d) = &a.described {
        if d.truncated {
            notes.push(format!(
                "the rendered payload is longer than {} bytes and is shown cut",
                MAX_PAYLOAD_LEN
            ));
        }
    }
    let cluster = Cluster {
        id: sha1_hex(&signature)[..16].to_owned(),
        target: u.target.clone(),
        kind,
        severity: kind.severity(),
        invariant,
        signature,
        title,
        detail,
        location,
        frames,
        flaky,
        file_count,
        representative: Sample {
            sha1: u.sha1.clone(),
            len: u.bytes.len(),
            path: u.paths[0].display().to_string(),
            bytes_hex: hex(&u.bytes),
            input_debug,
            payload,
            payload_hex,
            runs: a.runs,
            failed: a.failed,
        },
        minimized: None,
        promoted: None,
        notes,
        inputs,
    };
    (cluster, rep)
}

/// A path that points into the project's tree (relative after normalization,
/// not the standard library).
fn in_source_tree(file: &str) -> bool {
    !file.starts_with('/') && !file.starts_with("library/") && !file.contains(":\\")
}

/// `input_debug`, `payload` (text) and `payload_hex` of a description. A cut
/// payload has no `payload_hex`: its exact bytes are not known.
pub(crate) fn describe_fields(
    d: Option<&Described>,
) -> (Option<String>, Option<String>, Option<String>) {
    match d {
        Some(d) => {
            let mut text = payload_text(&d.payload);
            if d.truncated {
                text.push_str("… (cut)");
            }
            (
                Some(d.input_debug.clone()),
                Some(text),
                (!d.truncated).then(|| hex(&d.payload)),
            )
        }
        None => (None, None, None),
    }
}
