//! Time to bug: how fast each planted vulnerability ([`secfuzz::plant`]) is
//! found, by proptest and by libFuzzer with the structured harness and with a
//! plain raw-bytes harness.
//!
//! ```sh
//! cargo bench --bench bugbench                      # every plant, 120 s budget, 3 trials
//! cargo bench --bench bugbench -- --budget 30 --trials 2 --target path
//! ```
//!
//! For each plant of each registered target (or `--target T`):
//! * **proptest**: generated cases until the generic property first fails
//!   (up to `--cases`, default 100,000; no shrinking), once per trial with a
//!   fresh random seed;
//! * **structured**: the target's libFuzzer binary (built once with
//!   `--features plant`) with `SECFUZZ_PLANT` set, from an empty corpus
//!   (`--seeded`: from `corpora/<t>/`); seconds until the first crash,
//!   within `--budget`;
//! * **raw**: the same binary with `SECFUZZ_RAW=1`, so libFuzzer's bytes go
//!   straight to `check_payload`, from an empty corpus (`--seeded`: from the
//!   payloads the corpus inputs render to).
//!
//! Prints a table, writes `target/bugbench/results.json`, appends to the
//! committed `benches/results/bugbench.csv` (with the date and the machine),
//! and draws `benches/results/bugbench.svg` (per plant, median seconds to
//! bug, structured vs raw, log scale).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use secfuzz::harness::PropertyRun;
use secfuzz::plant;
use secfuzz::registry::DynTarget;

struct Args {
    budget: u64,
    trials: u32,
    cases: u32,
    target: Option<String>,
    plant: Option<String>,
    no_fuzz: bool,
    seeded: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        budget: 120,
        trials: 3,
        cases: 100_000,
        target: None,
        plant: None,
        no_fuzz: false,
        seeded: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--budget" => a.budget = value("--budget")?.parse().map_err(|e| format!("--budget: {e}"))?,
            "--trials" => a.trials = value("--trials")?.parse().map_err(|e| format!("--trials: {e}"))?,
            "--cases" => a.cases = value("--cases")?.parse().map_err(|e| format!("--cases: {e}"))?,
            "--target" => a.target = Some(value("--target")?),
            "--plant" => a.plant = Some(value("--plant")?),
            "--no-fuzz" => a.no_fuzz = true,
            "--seeded" => a.seeded = true,
            "--bench" => {} // passed by `cargo bench`
            other => return Err(format!("unknown argument {other:?} (--budget S, --trials N, --cases N, --target T, --plant ID, --no-fuzz, --seeded)")),
        }
    }
    if a.trials == 0 || a.budget == 0 {
        return Err("--trials and --budget must be positive".into());
    }
    Ok(a)
}

/// One plant's measurements: per trial, `Some(x)` when found.
struct Row {
    target: &'static str,
    plant: &'static str,
    breaks: &'static str,
    proptest_cases: Vec<Option<u32>>,
    structured_s: Vec<Option<f64>>,
    raw_s: Vec<Option<f64>>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The (lower) median over trials, a trial that found nothing counting as
/// +infinity: `None` unless at least half the trials found the bug.
fn median<T: Copy + PartialOrd>(v: &[Option<T>]) -> Option<T> {
    let mut found: Vec<T> = v.iter().flatten().copied().collect();
    found.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
    found.get(v.len().saturating_sub(1) / 2).copied()
}

fn proptest_trial(t: &dyn DynTarget, id: &'static str, cases: u32) -> Option<u32> {
    let run = PropertyRun {
        cases,
        persist: false,
        shrink: false,
    };
    plant::with(id, || t.property(run).err().map(|f| f.cases_to_failure))
        .expect("benches build with the plant feature")
}

/// Build every fuzz target once with the plant feature; the binaries' directory.
fn build_fuzzers() -> Result<PathBuf, String> {
    let target_dir = root().join("target/bugbench/fuzz");
    let nightly = Command::new("cargo")
        .args(["+nightly", "--version"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let mut cmd = Command::new("cargo");
    if nightly {
        cmd.arg("+nightly");
    }
    cmd.args([
        "fuzz",
        "build",
        "-O",
        "--sanitizer",
        "none",
        "--features",
        "plant",
    ])
    .arg("--target-dir")
    .arg(&target_dir)
    .current_dir(root());
    eprintln!("bugbench: building fuzz targets with --features plant (sanitizer none)");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run cargo fuzz: {e} (cargo install cargo-fuzz --locked)"))?;
    if !status.success() {
        return Err(format!("cargo fuzz build failed: {status}"));
    }
    let triple = String::from_utf8(
        Command::new("rustc")
            .arg("-vV")
            .output()
            .map_err(|e| e.to_string())?
            .stdout,
    )
    .map_err(|e| e.to_string())?
    .lines()
    .find_map(|l| l.strip_prefix("host: ").map(str::to_owned))
    .ok_or("rustc -vV names no host")?;
    Ok(target_dir.join(triple).join("release"))
}

/// Seeds for a mode: the committed corpus (structured) or what it renders to (raw).
fn seeds(t: &dyn DynTarget, raw: bool, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for (i, f) in secfuzz::corpus::files(&root().join("corpora").join(t.name()))?
        .into_iter()
        .enumerate()
    {
        let bytes = std::fs::read(&f)?;
        if raw {
            if let Ok((_, payload)) = t.describe(&bytes) {
                std::fs::write(dir.join(format!("seed-{i}")), payload)?;
            }
        } else {
            std::fs::write(dir.join(format!("seed-{i}")), bytes)?;
        }
    }
    Ok(())
}

fn fuzz_trial(
    bin: &Path,
    t: &dyn DynTarget,
    id: &str,
    raw: bool,
    trial: u32,
    args: &Args,
) -> Result<Option<f64>, String> {
    let budget = args.budget;
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let corpus = work.path().join("corpus");
    if args.seeded {
        seeds(t, raw, &corpus).map_err(|e| e.to_string())?;
    } else {
        std::fs::create_dir_all(&corpus).map_err(|e| e.to_string())?;
    }
    let artifacts = work.path().join("artifacts/");
    std::fs::create_dir_all(&artifacts).map_err(|e| e.to_string())?;
    let start = Instant::now();
    let status = Command::new(bin.join(t.name()))
        .arg(&corpus)
        .arg(format!("-max_total_time={budget}"))
        .arg(format!("-seed={}", 1000 + trial))
        .arg(format!("-artifact_prefix={}", artifacts.display()))
        .arg("-print_final_stats=0")
        .env(plant::ENV_VAR, id)
        .env("SECFUZZ_RAW", if raw { "1" } else { "0" })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {}: {e}", bin.join(t.name()).display()))?;
    let elapsed = start.elapsed();
    let crash = std::fs::read_dir(&artifacts)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("crash-"))
        });
    let Some(crash) = crash.filter(|_| !status.success()) else {
        return Ok(None);
    };
    // The crash counts only if it is the plant's: without the plant the same
    // input must pass. Otherwise it is a bug of the unplanted code, reported.
    let unplanted = Command::new(bin.join(t.name()))
        .arg(&crash)
        .env("SECFUZZ_RAW", if raw { "1" } else { "0" })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    if !unplanted.success() {
        let kept = root().join("target/bugbench/unplanted");
        let _ = std::fs::create_dir_all(&kept);
        let name = format!(
            "{}-{}",
            t.name(),
            crash.file_name().unwrap_or_default().to_string_lossy()
        );
        let _ = std::fs::copy(&crash, kept.join(&name));
        eprintln!(
            "bugbench: {} ({}) crashed on an input that also fails without the plant: a bug of its own, kept as target/bugbench/unplanted/{name}",
            id,
            if raw { "raw" } else { "structured" }
        );
        return Ok(None);
    }
    Ok(Some(elapsed.as_secs_f64()))
}

fn show<T: std::fmt::Display + Copy + PartialOrd>(v: &[Option<T>]) -> String {
    let found = v.iter().flatten().count();
    match median(v) {
        Some(m) => format!("{m:.1} ({found}/{})", v.len()),
        None => format!("-    ({found}/{})", v.len()),
    }
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("bugbench: {e}");
            std::process::exit(2);
        }
    };
    let targets: Vec<&dyn DynTarget> = secfuzz::registry::all()
        .iter()
        .copied()
        .filter(|t| args.target.as_deref().is_none_or(|n| n == t.name()))
        .collect();
    let bin = if args.no_fuzz {
        None
    } else {
        match build_fuzzers() {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("bugbench: {e}");
                std::process::exit(2);
            }
        }
    };
    let mut rows = Vec::new();
    for t in &targets {
        for p in t.plants() {
            if args.plant.as_deref().is_some_and(|id| id != p.id) {
                continue;
            }
            let mut row = Row {
                target: t.name(),
                plant: p.id,
                breaks: p.breaks,
                proptest_cases: Vec::new(),
                structured_s: Vec::new(),
                raw_s: Vec::new(),
            };
            for trial in 0..args.trials {
                row.proptest_cases
                    .push(proptest_trial(*t, p.id, args.cases));
                if let Some(bin) = &bin {
                    for raw in [false, true] {
                        let r = fuzz_trial(bin, *t, p.id, raw, trial, &args)
                            .unwrap_or_else(|e| panic!("{}: {e}", p.id));
                        if raw {
                            &mut row.raw_s
                        } else {
                            &mut row.structured_s
                        }
                        .push(r);
                    }
                }
            }
            eprintln!(
                "{:<40} proptest {:>14}  structured {:>12}  raw {:>12}",
                p.id,
                show(&row.proptest_cases),
                show(&row.structured_s),
                show(&row.raw_s)
            );
            rows.push(row);
        }
    }
    report(&rows, &args);
}

fn report(rows: &[Row], args: &Args) {
    let machine = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
            })
        })
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let date = Command::new("date")
        .arg("-u")
        .arg("+%Y-%m-%d")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();

    println!(
        "\nTime to bug: median over {} trials (found/trials); budget {} s per fuzzing trial; libFuzzer from {}",
        args.trials,
        args.budget,
        corpus_kind(args)
    );
    println!(
        "{:<40} {:<20} {:>16} {:>14} {:>14}",
        "plant", "breaks", "proptest cases", "structured s", "raw s"
    );
    for r in rows {
        println!(
            "{:<40} {:<20} {:>16} {:>14} {:>14}",
            r.plant,
            r.breaks,
            show(&r.proptest_cases),
            show(&r.structured_s),
            show(&r.raw_s)
        );
    }
    let found = |f: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| f(r)).count();
    let s5 = found(&|r| median(&r.structured_s).is_some_and(|s| s <= 300.0));
    println!(
        "\nproptest found {}/{}; structured libFuzzer {}/{} (within 300 s: {}); raw libFuzzer {}/{}",
        found(&|r| median(&r.proptest_cases).is_some()),
        rows.len(),
        found(&|r| median(&r.structured_s).is_some()),
        rows.len(),
        s5,
        found(&|r| median(&r.raw_s).is_some()),
        rows.len()
    );

    let out = root().join("target/bugbench");
    let _ = std::fs::create_dir_all(&out);
    let json: Vec<_> = rows
        .iter()
        .map(|r| {
            serde_json::json!({
                "target": r.target, "plant": r.plant, "breaks": r.breaks,
                "proptest_cases": r.proptest_cases, "structured_s": r.structured_s, "raw_s": r.raw_s,
            })
        })
        .collect();
    let _ = std::fs::write(
        out.join("results.json"),
        serde_json::to_string_pretty(&serde_json::json!({
            "date": date, "machine": machine, "cores": cores,
            "budget_s": args.budget, "trials": args.trials, "corpus": corpus_kind(args), "rows": json,
        }))
        .unwrap_or_default(),
    );

    let results = root().join("benches/results");
    let _ = std::fs::create_dir_all(&results);
    let csv = results.join("bugbench.csv");
    let mut text = std::fs::read_to_string(&csv).unwrap_or_else(|_| {
        "date,machine,cores,budget_s,trials,corpus,target,plant,breaks,proptest_median_cases,proptest_found,structured_median_s,structured_found,raw_median_s,raw_found\n".to_owned()
    });
    let cell = |m: Option<f64>| m.map_or(String::new(), |v| format!("{v:.2}"));
    for r in rows {
        let _ = writeln!(
            text,
            "{date},\"{machine}\",{cores},{},{},{},{},{},{},{},{},{},{},{},{}",
            args.budget,
            args.trials,
            corpus_kind(args),
            r.target,
            r.plant,
            r.breaks,
            median(&r.proptest_cases).map_or(String::new(), |v| v.to_string()),
            r.proptest_cases.iter().flatten().count(),
            cell(median(&r.structured_s)),
            r.structured_s.iter().flatten().count(),
            cell(median(&r.raw_s)),
            r.raw_s.iter().flatten().count(),
        );
    }
    let _ = std::fs::write(&csv, text);
    let _ = std::fs::write(results.join("bugbench.svg"), svg(rows, args.budget as f64));
    println!(
        "wrote {}, {} and target/bugbench/results.json",
        csv.display(),
        results.join("bugbench.svg").display()
    );
}

fn corpus_kind(args: &Args) -> &'static str {
    if args.seeded {
        "seeded"
    } else {
        "empty"
    }
}

/// Horizontal bars, log scale from 0.1 s to the budget: structured (dark)
/// and raw (light) median seconds to bug per plant; a bar at the budget with
/// a cross means not found.
fn svg(rows: &[Row], budget: f64) -> String {
    let (left, width, row_h) = (330.0, 520.0, 26.0);
    let height = 60.0 + row_h * rows.len() as f64;
    let lo = 0.1f64.ln();
    let hi = budget.max(1.0).ln();
    let x = |s: f64| left + width * ((s.max(0.1).ln() - lo) / (hi - lo)).clamp(0.0, 1.0);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{height}" font-family="sans-serif" font-size="11">"#,
        left + width + 20.0
    );
    let _ = write!(
        s,
        r#"<text x="10" y="16" font-size="13">Median seconds to first crash (log scale): structured vs raw bytes</text>"#
    );
    for tick in [0.1, 1.0, 10.0, 100.0, budget] {
        if tick <= budget {
            let _ = write!(
                s,
                r##"<line x1="{0}" y1="26" x2="{0}" y2="{1}" stroke="#ddd"/><text x="{0}" y="{2}" text-anchor="middle">{tick}</text>"##,
                x(tick),
                height - 20.0,
                height - 6.0
            );
        }
    }
    for (i, r) in rows.iter().enumerate() {
        let y = 30.0 + row_h * i as f64;
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            left - 6.0,
            y + 14.0,
            r.plant
        );
        for (j, (m, color)) in [
            (median(&r.structured_s), "#1f4e79"),
            (median(&r.raw_s), "#9dc3e6"),
        ]
        .into_iter()
        .enumerate()
        {
            let yy = y + 3.0 + j as f64 * 10.0;
            let end = m.map_or(x(budget), x);
            let _ = write!(
                s,
                r#"<rect x="{left}" y="{yy}" width="{}" height="9" fill="{color}"/>"#,
                (end - left).max(1.0)
            );
            if m.is_none() {
                let _ = write!(
                    s,
                    r##"<text x="{}" y="{}" fill="#c00">✗</text>"##,
                    end + 3.0,
                    yy + 8.0
                );
            }
        }
    }
    s.push_str("</svg>\n");
    s
}
