//! One self-contained HTML page: no scripts, no external resources, and
//! every string that came from an input, a target or a file name escaped.

use std::fmt::Write;

use super::{Cluster, Report};

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Controls other than whitespace would be invalid in HTML.
            c if c.is_control() && !matches!(c, '\n' | '\t') => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2rem;color:#222}\
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}\
pre{background:#f6f6f6;padding:.5rem;overflow:auto;max-height:30rem;white-space:pre-wrap;word-break:break-all}\
.high{color:#b00020;font-weight:bold}.medium{color:#b35c00;font-weight:bold}.low{color:#555}.info{color:#777}\
section{border-top:2px solid #ddd;margin-top:1.5rem}code{background:#f0f0f0}";

fn field(s: &mut String, name: &str, value: &str) {
    let _ = writeln!(s, "<tr><th>{}</th><td>{}</td></tr>", esc(name), esc(value));
}

fn block(s: &mut String, title: &str, text: &str) {
    let _ = writeln!(s, "<h4>{}</h4>\n<pre>{}</pre>", esc(title), esc(text));
}

fn cluster(s: &mut String, i: usize, c: &Cluster) {
    let _ = writeln!(
        s,
        "<section id=\"c{i}\"><h2>{i}. <span class=\"{sev}\">{kind}</span> in {target}: {title}</h2>",
        sev = c.severity.as_str(),
        kind = esc(c.kind.as_str()),
        target = esc(&c.target),
        title = esc(&c.title),
    );
    s.push_str("<table>\n");
    field(s, "cluster", &c.id);
    field(s, "severity", c.severity.as_str());
    if let Some(inv) = &c.invariant {
        field(s, "invariant", inv);
    }
    field(s, "signature", &c.signature);
    if let Some(l) = &c.location {
        field(s, "location", &format!("{}:{}", l.file, l.line));
    }
    field(
        s,
        "reproducibility",
        &format!(
            "{}/{} replays{}",
            c.representative.failed,
            c.representative.runs,
            if c.flaky { " (flaky)" } else { "" }
        ),
    );
    field(
        s,
        "files",
        &format!("{} ({} distinct inputs)", c.file_count, c.inputs.len()),
    );
    field(
        s,
        "representative",
        &format!(
            "{} ({} bytes, sha1 {})",
            c.representative.path, c.representative.len, c.representative.sha1
        ),
    );
    if let Some(m) = &c.minimized {
        field(
            s,
            "minimized",
            &format!(
                "{} bytes in {} replays, {} ms{}",
                m.len,
                m.tests,
                m.elapsed_ms,
                if m.complete { "" } else { " (budget ran out)" }
            ),
        );
    }
    if let Some(p) = &c.promoted {
        field(s, "promoted", &format!("{} + {}", p.path, p.sidecar));
    }
    for n in &c.notes {
        field(s, "note", n);
    }
    s.push_str("</table>\n");
    block(s, "Reproduce", &c.reproduce_command());
    if !c.detail.is_empty() {
        block(s, "Detail", &c.detail);
    }
    if !c.frames.is_empty() {
        let frames: Vec<String> = c.frames.iter().map(|f| f.display()).collect();
        block(s, "Project frames (innermost first)", &frames.join("\n"));
    }
    let (debug, payload, payload_hex, bytes_hex) = match &c.minimized {
        Some(m) => (&m.input_debug, &m.payload, &m.payload_hex, &m.bytes_hex),
        None => (
            &c.representative.input_debug,
            &c.representative.payload,
            &c.representative.payload_hex,
            &c.representative.bytes_hex,
        ),
    };
    let which = if c.minimized.is_some() {
        "minimized"
    } else {
        "representative"
    };
    if let Some(d) = debug {
        block(s, &format!("Decoded input ({which}, Debug)"), d);
    }
    if let Some(p) = payload {
        block(s, &format!("Rendered payload ({which})"), p);
    }
    if let Some(h) = payload_hex {
        block(s, "Rendered payload (hex)", h);
    }
    block(s, &format!("Input bytes ({which}, hex)"), bytes_hex);
    let _ = writeln!(s, "<details><summary>{} files</summary><ul>", c.file_count);
    for input in &c.inputs {
        for p in &input.paths {
            let _ = writeln!(
                s,
                "<li><code>{}</code> ({} bytes, sha1 {}, {}/{} failed)</li>",
                esc(p),
                input.len,
                esc(&input.sha1),
                input.failed,
                input.runs
            );
        }
    }
    s.push_str("</ul></details></section>\n");
}

impl Report {
    /// The report as one self-contained HTML page.
    pub fn to_html(&self) -> String {
        render(self)
    }
}

fn render(r: &Report) -> String {
    let t = &r.totals;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>secfuzz triage report</title><style>{STYLE}</style></head><body>"
    );
    let _ = writeln!(
        s,
        "<h1>secfuzz triage report</h1>\n<p>{} files: {} in {} clusters ({} findings) from {} distinct inputs; {} skipped. Generated {} by {} {}.</p>",
        t.files,
        t.clustered_files,
        t.clusters,
        t.finding_clusters,
        t.unique_inputs,
        t.skipped_files,
        esc(&r.generated),
        esc(&r.tool.name),
        esc(&r.tool.version),
    );
    if !r.clusters.is_empty() {
        s.push_str("<table><tr><th>#</th><th>severity</th><th>kind</th><th>target</th><th>files</th><th>replays failed</th><th>summary</th></tr>\n");
        for (i, c) in r.clusters.iter().enumerate() {
            let _ = writeln!(
                s,
                "<tr><td><a href=\"#c{n}\">{n}</a></td><td class=\"{sev}\">{sev}</td><td>{kind}</td><td>{target}</td><td>{files}</td><td>{f}/{runs}{flaky}</td><td>{title}</td></tr>",
                n = i + 1,
                sev = c.severity.as_str(),
                kind = esc(c.kind.as_str()),
                target = esc(&c.target),
                files = c.file_count,
                f = c.representative.failed,
                runs = c.representative.runs,
                flaky = if c.flaky { " (flaky)" } else { "" },
                title = esc(&c.title),
            );
        }
        s.push_str("</table>\n");
    }
    for (i, c) in r.clusters.iter().enumerate() {
        cluster(&mut s, i + 1, c);
    }
    if !r.skipped.is_empty() {
        s.push_str("<section><h2>Skipped files</h2><table><tr><th>file</th><th>reason</th></tr>\n");
        for k in &r.skipped {
            let _ = writeln!(
                s,
                "<tr><td><code>{}</code></td><td>{}</td></tr>",
                esc(&k.path),
                esc(&k.reason)
            );
        }
        s.push_str("</table></section>\n");
    }
    s.push_str("</body></html>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            esc("<script>alert('x')</script>&\"\x07"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;\\u{7}"
        );
    }
}
