//! What a campaign leaves behind: a summary JSON and a coverage-over-time
//! plot per run (`fuzz/runs/`), and one ledger line per target and run in
//! `fuzz/ledger.jsonl`, which is committed, so "fuzzed for N core-hours with
//! no open crash" is a fact the repository carries.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::{CampaignError, Sanitizer, Summary, TargetRun};

/// The committed ledger, relative to the project root.
pub const LEDGER: &str = "fuzz/ledger.jsonl";
/// Per-run summaries and plots, relative to the project root (not committed).
pub const RUNS_DIR: &str = "fuzz/runs";

/// One point of a target's coverage curve: seconds since it started,
/// libFuzzer's `cov` (edges) and `ft` (features).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CoveragePoint {
    /// Seconds since the target started.
    pub secs: u64,
    /// Covered edges.
    pub cov: u64,
    /// Features.
    pub ft: u64,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> CampaignError {
    let path = path.to_owned();
    move |source| CampaignError::Io { path, source }
}

fn sanitizer_name(s: Sanitizer) -> &'static str {
    match s {
        Sanitizer::Address => "address",
        _ => "none",
    }
}

/// The summary JSON of one run.
pub fn summary_json(summary: &Summary, started: u64) -> serde_json::Value {
    let targets: Vec<serde_json::Value> = summary
        .runs
        .iter()
        .map(|r| {
            json!({
                "target": r.target,
                "core_seconds": r.elapsed.as_secs_f64(),
                "execs": r.execs,
                "execs_per_sec": r.execs_per_sec,
                "coverage_before": r.coverage_before,
                "coverage_after": r.coverage_after,
                "features_before": r.features_before,
                "features_after": r.features_after,
                "corpus_files_before": r.corpus_before,
                "corpus_files_after": r.corpus_after,
                "new_units": r.new_units,
                "peak_rss_mb": r.peak_rss_mb,
                "interrupted": r.interrupted,
                "crash": r.finding.as_ref().map(|f| json!({
                    "kind": f.kind,
                    "artifact": f.artifact,
                    "triage": format!("secfuzz triage {}", f.artifact.display()),
                })),
                "timeline": r.timeline.iter().map(|p| [p.secs, p.cov, p.ft]).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "started": crate::engine::triage::time::rfc3339(started),
        "sanitizer": sanitizer_name(summary.sanitizer),
        "interrupted": summary.interrupted,
        "targets": targets,
    })
}

/// Write `fuzz/runs/<stamp>.json` and `.svg`, append to the ledger; returns
/// the JSON and SVG paths.
pub fn write(
    root: &Path,
    summary: &Summary,
    started: u64,
) -> Result<(PathBuf, PathBuf), CampaignError> {
    let dir = root.join(RUNS_DIR);
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let stamp = crate::engine::triage::time::rfc3339(started).replace(':', "");
    let json_path = dir.join(format!("{stamp}.json"));
    let text = serde_json::to_string_pretty(&summary_json(summary, started))
        .expect("a JSON value serializes");
    std::fs::write(&json_path, text + "\n").map_err(io(&json_path))?;
    let svg_path = dir.join(format!("{stamp}.svg"));
    std::fs::write(&svg_path, coverage_svg(&summary.runs)).map_err(io(&svg_path))?;

    let ledger = root.join(LEDGER);
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&ledger)
        .map_err(io(&ledger))?;
    for r in &summary.runs {
        let line = json!({
            "date": crate::engine::triage::time::rfc3339(started),
            "target": r.target,
            "core_seconds": (r.elapsed.as_secs_f64() * 10.0).round() / 10.0,
            "execs": r.execs,
            "sanitizer": sanitizer_name(summary.sanitizer),
            "result": if r.finding.is_some() { "crash" } else { "clean" },
            "artifact": r.finding.as_ref().map(|f| f.artifact.strip_prefix(root).unwrap_or(&f.artifact).to_path_buf()),
        });
        writeln!(f, "{line}").map_err(io(&ledger))?;
    }
    Ok((json_path, svg_path))
}

/// A target's line in [`report`].
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct LedgerTotal {
    /// Target name.
    pub target: String,
    /// Runs recorded.
    pub runs: u64,
    /// Core-seconds fuzzed in all.
    pub core_seconds: f64,
    /// Executions in all.
    pub execs: u64,
    /// Runs that ended in a crash.
    pub crashes: u64,
    /// Crash artifacts still on disk (not yet triaged and removed).
    pub open: Vec<PathBuf>,
}

/// Totals per target from the ledger (targets in first-seen order). Lines
/// that do not parse are skipped and counted in the second value.
pub fn report(root: &Path) -> Result<(Vec<LedgerTotal>, usize), CampaignError> {
    let ledger = root.join(LEDGER);
    let text = match std::fs::read_to_string(&ledger) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(io(&ledger)(e)),
    };
    let mut totals: Vec<LedgerTotal> = Vec::new();
    let mut bad = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
            bad += 1;
            continue;
        };
        let Some(target) = v["target"].as_str() else {
            bad += 1;
            continue;
        };
        let i = match totals.iter().position(|t| t.target == target) {
            Some(i) => i,
            None => {
                totals.push(LedgerTotal {
                    target: target.to_owned(),
                    ..LedgerTotal::default()
                });
                totals.len() - 1
            }
        };
        let t = &mut totals[i];
        t.runs += 1;
        t.core_seconds += v["core_seconds"].as_f64().unwrap_or(0.0);
        t.execs += v["execs"].as_u64().unwrap_or(0);
        if v["result"] == "crash" {
            t.crashes += 1;
            if let Some(a) = v["artifact"].as_str() {
                let p = root.join(a);
                if p.is_file() && !t.open.contains(&p) {
                    t.open.push(p);
                }
            }
        }
    }
    Ok((totals, bad))
}

/// An SVG line chart of covered edges over time, one line per target.
pub fn coverage_svg(runs: &[TargetRun]) -> String {
    const W: f64 = 640.0;
    const H: f64 = 360.0;
    const L: f64 = 60.0;
    const B: f64 = 40.0;
    const COLORS: [&str; 8] = [
        "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
    ];
    let max_t = runs
        .iter()
        .flat_map(|r| r.timeline.iter().map(|p| p.secs))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let max_c = runs
        .iter()
        .flat_map(|r| r.timeline.iter().map(|p| p.cov))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let x = |t: u64| L + (W - L - 20.0) * t as f64 / max_t;
    let y = |c: u64| H - B - (H - B - 20.0) * c as f64 / max_c;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="11">
<rect width="100%" height="100%" fill="white"/>
<text x="{L}" y="14">covered edges (libFuzzer cov) over seconds fuzzed</text>
<line x1="{L}" y1="{}" x2="{}" y2="{}" stroke="black"/>
<line x1="{L}" y1="20" x2="{L}" y2="{}" stroke="black"/>
<text x="{}" y="{}" text-anchor="end">{max_t} s</text>
<text x="{}" y="24" text-anchor="end">{max_c}</text>
"#,
        H - B,
        W - 20.0,
        H - B,
        H - B,
        W - 20.0,
        H - B + 16.0,
        L - 4.0,
    );
    for (i, r) in runs.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let points: Vec<String> = r
            .timeline
            .iter()
            .map(|p| format!("{:.1},{:.1}", x(p.secs), y(p.cov)))
            .collect();
        if !points.is_empty() {
            s.push_str(&format!(
                "<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{}\"/>\n",
                points.join(" ")
            ));
        }
        s.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" fill=\"{color}\">{}</text>\n",
            L + 10.0,
            40.0 + 14.0 * i as f64,
            xml_escape(&r.target)
        ));
    }
    s.push_str("</svg>\n");
    s
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Parse `cov:` and `ft:` from a libFuzzer status line (`#123 NEW cov: 45 ft: 67 …`).
pub(crate) fn parse_cov_ft(line: &str) -> Option<(u64, u64)> {
    let field = |name: &str| {
        let mut words = line.split_whitespace();
        words.find(|w| *w == name)?;
        words.next()?.parse::<u64>().ok()
    };
    Some((field("cov:")?, field("ft:")?))
}

/// Files directly in `dir` (0 when it does not exist).
pub(crate) fn count_files(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |d| {
        d.filter_map(Result::ok)
            .filter(|e| e.path().is_file())
            .count() as u64
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::campaign::Finding;
    use std::time::Duration;

    fn run(target: &str, secs: u64, crash: Option<PathBuf>) -> TargetRun {
        TargetRun {
            target: target.into(),
            execs: 1000 * secs,
            execs_per_sec: 1000,
            new_units: 3,
            peak_rss_mb: 50,
            elapsed: Duration::from_secs(secs),
            coverage_before: 10,
            coverage_after: 25,
            features_before: 20,
            features_after: 60,
            corpus_before: 4,
            corpus_after: 7,
            timeline: vec![
                CoveragePoint {
                    secs: 0,
                    cov: 10,
                    ft: 20,
                },
                CoveragePoint {
                    secs,
                    cov: 25,
                    ft: 60,
                },
            ],
            interrupted: false,
            finding: crash.map(|artifact| Finding {
                kind: "crash".into(),
                reproduce: vec![],
                artifact,
            }),
            log: PathBuf::from("fuzz/logs/x.log"),
        }
    }

    #[test]
    fn a_run_writes_summary_plot_and_ledger_and_the_report_adds_them_up() {
        let root = tempfile::tempdir().unwrap();
        let artifact = root.path().join("fuzz/artifacts/jwt/crash-abc");
        std::fs::create_dir_all(artifact.parent().unwrap()).unwrap();
        std::fs::write(&artifact, b"x").unwrap();
        let summary = Summary {
            sanitizer: Sanitizer::Address,
            runs: vec![
                run("path", 30, None),
                run("jwt", 30, Some(artifact.clone())),
            ],
            interrupted: false,
            record: None,
        };
        let (json_path, svg_path) = write(root.path(), &summary, 1_800_000_000).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
        assert_eq!(v["sanitizer"], "address");
        assert_eq!(v["targets"][0]["coverage_after"], 25);
        assert_eq!(
            v["targets"][1]["crash"]["artifact"],
            artifact.to_str().unwrap()
        );
        assert_eq!(
            v["targets"][0]["timeline"][1],
            serde_json::json!([30, 25, 60])
        );
        let svg = std::fs::read_to_string(svg_path).unwrap();
        assert_eq!(svg.matches("<polyline").count(), 2);
        // A second run of path; the ledger sums both.
        let again = Summary {
            runs: vec![run("path", 90, None)],
            ..summary
        };
        write(root.path(), &again, 1_800_000_100).unwrap();
        let (totals, bad) = report(root.path()).unwrap();
        assert_eq!(bad, 0);
        assert_eq!(totals[0].target, "path");
        assert_eq!((totals[0].runs, totals[0].core_seconds), (2, 120.0));
        assert_eq!((totals[1].crashes, totals[1].open.len()), (1, 1));
        // Triaged and removed: no longer open, still counted as a crash.
        std::fs::remove_file(&artifact).unwrap();
        let (totals, _) = report(root.path()).unwrap();
        assert_eq!((totals[1].crashes, totals[1].open.len()), (1, 0));
        // A damaged line is skipped and counted, not fatal.
        let ledger = root.path().join(LEDGER);
        let mut text = std::fs::read_to_string(&ledger).unwrap();
        text.push_str("{not json\n");
        std::fs::write(&ledger, text).unwrap();
        assert_eq!(report(root.path()).unwrap().1, 1);
    }

    #[test]
    fn status_lines_give_coverage() {
        assert_eq!(
            parse_cov_ft("#2048\tpulse  cov: 312 ft: 1045 corp: 40/2Kb exec/s: 1024 rss: 60Mb"),
            Some((312, 1045))
        );
        assert_eq!(
            parse_cov_ft("#1\tINITED cov: 7 ft: 8 corp: 1/1b exec/s: 0 rss: 30Mb"),
            Some((7, 8))
        );
        assert_eq!(parse_cov_ft("INFO: Seed: 1234"), None);
        assert_eq!(parse_cov_ft("#5 NEW cov: x ft: 3"), None);
    }
}
