//! The terminal table.

use std::fmt::Write;

use super::{Cluster, Report};
use crate::engine::triage::classify::clip;

/// Replaces control characters (terminal escape sequences in a panic message
/// or a file name) with visible escapes.
fn safe(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn size(c: &Cluster) -> String {
    match &c.minimized {
        Some(m) => format!("{}→{}", c.representative.len, m.len),
        None => c.representative.len.to_string(),
    }
}

impl Report {
    /// The report as a terminal table.
    pub fn to_text(&self) -> String {
        render(self)
    }
}

fn render(r: &Report) -> String {
    let t = &r.totals;
    let mut s = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(
        s,
        "secfuzz triage: {} files: {} in {} clusters ({} findings) from {} distinct inputs, {} skipped",
        t.files, t.clustered_files, t.clusters, t.finding_clusters, t.unique_inputs, t.skipped_files
    );
    if r.clusters.is_empty() {
        let _ = writeln!(s, "\nno clusters");
    } else {
        let _ = writeln!(
            s,
            "\n{:>3}  {:<8}  {:<16}  {:<12}  {:>5}  {:>5}  {:>11}  WHAT",
            "#", "SEVERITY", "KIND", "TARGET", "FILES", "REPRO", "SIZE"
        );
        for (i, c) in r.clusters.iter().enumerate() {
            let repro = format!(
                "{}/{}{}",
                c.representative.failed,
                c.representative.runs,
                if c.flaky { "~" } else { "" }
            );
            let _ = writeln!(
                s,
                "{:>3}  {:<8}  {:<16}  {:<12}  {:>5}  {:>5}  {:>11}  {}",
                i + 1,
                c.severity.as_str(),
                c.kind.as_str(),
                safe(&clip(&c.target, 12)),
                c.file_count,
                repro,
                size(c),
                safe(&clip(&c.title, 70)),
            );
        }
        for (i, c) in r.clusters.iter().enumerate() {
            let _ = writeln!(s, "\n[{}] {} {} ({})", i + 1, c.kind, c.id, c.severity);
            let _ = writeln!(s, "    signature: {}", safe(&c.signature));
            if let Some(l) = &c.location {
                let _ = writeln!(s, "    location:  {}:{}", safe(&l.file), l.line);
            }
            let _ = writeln!(
                s,
                "    input:     {} ({} bytes, {} files, {} distinct)",
                safe(&c.representative.path),
                c.representative.len,
                c.file_count,
                c.inputs.len()
            );
            if let Some(m) = &c.minimized {
                let _ = writeln!(
                    s,
                    "    minimized: {} bytes in {} replays{}",
                    m.len,
                    m.tests,
                    if m.complete { "" } else { " (budget ran out)" }
                );
            }
            if let Some(p) = c.payload() {
                let _ = writeln!(s, "    payload:   {}", safe(&clip(p, 120)));
            }
            if let Some(p) = &c.promoted {
                let _ = writeln!(
                    s,
                    "    promoted:  {}{}",
                    safe(&p.path),
                    if p.already_present {
                        " (already there)"
                    } else {
                        ""
                    }
                );
            }
            let _ = writeln!(s, "    reproduce: {}", safe(&c.reproduce_command()));
            for n in &c.notes {
                let _ = writeln!(s, "    note:      {}", safe(n));
            }
        }
    }
    if !r.skipped.is_empty() {
        let _ = writeln!(s, "\nskipped:");
        for k in &r.skipped {
            let _ = writeln!(s, "    {}: {}", safe(&k.path), safe(&k.reason));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(safe("a\x1b[31mb\n"), "a\\u{1b}[31mb\\n");
    }
}
