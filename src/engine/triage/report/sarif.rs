//! SARIF 2.1.0 output for GitHub code scanning: one result per cluster.
//!
//! * `ruleId`: the invariant id for violations, the kind otherwise
//!   (`panic`, `timeout`, …); rules carry GitHub's `security-severity`.
//! * `level`: from severity (high → `error`, medium → `warning`,
//!   low → `note`, info → `none`).
//! * location: the first project frame's file and line; without one (a
//!   violation, a timeout), the reproducer file at line 1, so every result
//!   has the location code scanning requires. Relative paths are given
//!   against `%SRCROOT%`.
//! * `partialFingerprints["secfuzzSignature/v1"]`: SHA-1 of the signature,
//!   so the same bug keeps the same alert across runs.

use serde_json::{json, Map, Value};

use super::{Cluster, Report};
use crate::engine::triage::classify::{Kind, Severity};

/// The schema URI written in `$schema`.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn rule_id(c: &Cluster) -> String {
    c.invariant
        .clone()
        .unwrap_or_else(|| c.kind.as_str().to_owned())
}

/// GitHub's numeric `security-severity` (critical ≥ 9, high ≥ 7, medium ≥ 4, low > 0).
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::High => "8.0",
        Severity::Medium => "5.0",
        Severity::Low => "2.0",
        Severity::Info => "0.0",
    }
}

/// Percent-encodes a path for a URI reference (`/` kept, `\` made `/`).
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn artifact_location(path: &str) -> Value {
    let path = path.strip_prefix("./").unwrap_or(path);
    if path.starts_with('/') {
        json!({ "uri": format!("file://{}", uri_path(path)) })
    } else {
        json!({ "uri": uri_path(path), "uriBaseId": "%SRCROOT%" })
    }
}

fn location(c: &Cluster) -> Value {
    let (file, line, column) = match &c.location {
        Some(l) => (l.file.clone(), l.line.max(1), l.column),
        None => (
            c.promoted
                .as_ref()
                .map_or_else(|| c.representative.path.clone(), |p| p.path.clone()),
            1,
            None,
        ),
    };
    let mut region = Map::new();
    region.insert("startLine".into(), json!(line));
    if let Some(col) = column.filter(|&c| c > 0) {
        region.insert("startColumn".into(), json!(col));
    }
    json!({
        "physicalLocation": {
            "artifactLocation": artifact_location(&file),
            "region": region,
        }
    })
}

impl Report {
    /// The report as a SARIF 2.1.0 log, one result per cluster.
    pub fn to_sarif(&self) -> String {
        render(self)
    }
}

fn render(r: &Report) -> String {
    let mut rules: Vec<Value> = Vec::new();
    let mut rule_ids: Vec<String> = Vec::new();
    let mut results = Vec::new();
    for c in &r.clusters {
        let id = rule_id(c);
        let index = match rule_ids.iter().position(|r| *r == id) {
            Some(i) => i,
            None => {
                let description = match c.kind {
                    Kind::Violation => format!("Security invariant {id} violated."),
                    k => k.description().to_owned(),
                };
                rules.push(json!({
                    "id": id,
                    "shortDescription": { "text": description },
                    "fullDescription": { "text": c.kind.description() },
                    "help": { "text": format!(
                        "Reproduce with `secfuzz replay TARGET FILE`; triage with `secfuzz triage`. {}",
                        c.kind.description()
                    ) },
                    "defaultConfiguration": { "level": c.severity.sarif_level() },
                    "properties": {
                        "tags": ["security", "fuzzing", c.kind.as_str()],
                        "security-severity": security_severity(c.severity),
                    },
                }));
                rule_ids.push(id.clone());
                rule_ids.len() - 1
            }
        };
        let mut message = format!("{} [{}]", c.title, c.target);
        if c.flaky {
            message.push_str(" (flaky)");
        }
        message.push_str(&format!(
            "\n{} files, {} distinct inputs. Reproduce: {}",
            c.file_count,
            c.inputs.len(),
            c.reproduce_command()
        ));
        results.push(json!({
            "ruleId": id,
            "ruleIndex": index,
            "level": c.severity.sarif_level(),
            "message": { "text": message },
            "locations": [location(c)],
            "partialFingerprints": {
                "secfuzzSignature/v1": crate::engine::util::sha1_hex(&c.signature),
            },
            "properties": {
                "cluster": c.id,
                "target": c.target,
                "kind": c.kind.as_str(),
                "severity": c.severity.as_str(),
                "signature": c.signature,
                "files": c.file_count,
                "flaky": c.flaky,
                "reproducer": c.representative.path,
                "reproduce": c.reproduce_command(),
            },
        }));
    }
    let log = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": r.tool.name,
                    "version": r.tool.version,
                    "rules": rules,
                }
            },
            "automationDetails": { "id": "secfuzz/triage/" },
            "invocations": [{
                "executionSuccessful": true,
                "endTimeUtc": r.generated,
            }],
            "results": results,
            "properties": {
                "files": r.totals.files,
                "clusteredFiles": r.totals.clustered_files,
                "skippedFiles": r.totals.skipped_files,
                "uniqueInputs": r.totals.unique_inputs,
            },
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded() {
        assert_eq!(uri_path("src/a b/ü.rs"), "src/a%20b/%C3%BC.rs");
        assert_eq!(
            artifact_location("./fuzz/x"),
            json!({"uri": "fuzz/x", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            artifact_location("/tmp/x#1"),
            json!({"uri": "file:///tmp/x%231"})
        );
    }
}
