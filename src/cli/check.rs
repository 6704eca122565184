//! `secfuzz check TARGET [FILE|-]`: raw payloads, one per line, through a
//! target's hardened code and oracles.

use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::Context;
use secfuzz::util::payload_text;
use secfuzz::Verdict;
use serde_json::json;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Target name (see `secfuzz list`).
    target: String,
    /// File with one payload per line; `-` or nothing reads standard input.
    file: Option<PathBuf>,
    /// Print one JSON object per payload:
    /// {"target","payload","verdict","output","reason","violation"}.
    #[arg(long)]
    json: bool,
}

/// Split input into payloads: one per line, `\n` or `\r\n`; a final newline
/// does not start another payload.
pub fn payload_lines(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let data = data.strip_suffix(b"\n").unwrap_or(data);
    let empty = data.is_empty();
    data.split(|&b| b == b'\n')
        .filter(move |_| !empty)
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
}

pub fn run(args: CheckArgs) -> anyhow::Result<u8> {
    let target = super::find_target(&args.target)?;
    let data = match args.file.as_deref() {
        None => read_stdin()?,
        Some(p) if p.as_os_str() == "-" => read_stdin()?,
        Some(p) => std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?,
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut accepted, mut rejected, mut sanitized, mut violations) = (0usize, 0, 0, 0);
    for payload in payload_lines(&data) {
        let result = target.check_payload(payload);
        match &result {
            Ok(Verdict::Accepted { .. }) => accepted += 1,
            Ok(Verdict::Rejected { .. }) => rejected += 1,
            Ok(Verdict::Sanitized { .. }) => sanitized += 1,
            Ok(_) => {}
            Err(_) => violations += 1,
        }
        let text = payload_text(payload);
        if args.json {
            let line = match &result {
                Ok(v) => json!({
                    "target": target.name(),
                    "payload": text,
                    "verdict": v.kind(),
                    "output": v.output(),
                    "reason": v.reason(),
                    "violation": null,
                }),
                Err(v) => json!({
                    "target": target.name(),
                    "payload": text,
                    "verdict": "violation",
                    "output": null,
                    "reason": null,
                    "violation": { "invariant": v.invariant, "detail": v.detail },
                }),
            };
            writeln!(out, "{line}")?;
        } else {
            match &result {
                Ok(Verdict::Rejected { reason }) => writeln!(out, "rejected   {text:?}: {reason}")?,
                Ok(v) => writeln!(
                    out,
                    "{:<10} {text:?} -> {:?}",
                    v.kind(),
                    v.output().unwrap_or_default()
                )?,
                Err(v) => writeln!(out, "VIOLATION  {text:?}: {v}")?,
            }
        }
    }
    out.flush()?;
    eprintln!(
        "{}: {} payloads: {accepted} accepted, {rejected} rejected, {sanitized} sanitized, {violations} violations",
        target.name(),
        accepted + rejected + sanitized + violations
    );
    Ok(if violations > 0 {
        super::EXIT_FINDING
    } else {
        super::EXIT_OK
    })
}

fn read_stdin() -> anyhow::Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::io::stdin()
        .read_to_end(&mut buf)
        .context("cannot read standard input")?;
    Ok(buf)
}
