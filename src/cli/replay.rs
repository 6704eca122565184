//! `secfuzz replay TARGET FILE...`: decode structured inputs (corpus entries,
//! crash artifacts, promoted regressions) and show what they are and do.

use std::path::{Path, PathBuf};

use anyhow::Context;
use secfuzz::util::EscapedBytes;

#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// Target name (see `secfuzz list`).
    target: String,
    /// Input files; a directory stands for the files directly in it
    /// (`.json` sidecars skipped).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn run(args: ReplayArgs) -> anyhow::Result<u8> {
    let target = super::find_target(&args.target)?;
    let mut files = Vec::new();
    for f in &args.files {
        expand(f, &mut files)?;
    }
    let (mut violations, mut undecodable) = (0usize, 0usize);
    for file in &files {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        println!("== {} ({} bytes)", file.display(), bytes.len());
        match target.replay(&bytes) {
            Ok(r) => {
                println!("input:   {}", r.input_debug.replace('\n', "\n         "));
                println!("payload: {:?}", EscapedBytes(&r.payload));
                match r.result {
                    Ok(()) => println!("result:  ok"),
                    Err(v) => {
                        violations += 1;
                        println!("result:  VIOLATION {v}");
                    }
                }
            }
            Err(e) => {
                undecodable += 1;
                println!("result:  not decodable: {e}");
            }
        }
    }
    eprintln!(
        "{}: {} inputs, {violations} violations, {undecodable} not decodable",
        target.name(),
        files.len()
    );
    Ok(if violations > 0 {
        super::EXIT_FINDING
    } else if undecodable > 0 {
        super::EXIT_ERROR
    } else {
        super::EXIT_OK
    })
}

fn expand(path: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    if path.is_dir() {
        let mut entries = Vec::new();
        for e in
            std::fs::read_dir(path).with_context(|| format!("cannot list {}", path.display()))?
        {
            let p = e?.path();
            if p.is_file() && p.extension().is_none_or(|x| x != "json") {
                entries.push(p);
            }
        }
        entries.sort();
        out.extend(entries);
    } else {
        out.push(path.to_owned());
    }
    Ok(())
}
