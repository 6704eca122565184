//! Finding the inputs: files and directories (recursively), libFuzzer
//! artifact names, and which target each input belongs to.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::TriageError;

/// What a file's name says it is. libFuzzer names artifacts
/// `<prefix><sha1 of the bytes>`; ClusterFuzz names testcases
/// `clusterfuzz-testcase[-minimized]-<fuzzer>-<id>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ArtifactKind {
    /// `crash-…`: the fuzzer saw a crash (a panic, a violation, a signal).
    Crash,
    /// `timeout-…`: the fuzzer's `-timeout` fired.
    Timeout,
    /// `oom-…`: the fuzzer's `-rss_limit_mb` or `-malloc_limit_mb` fired.
    Oom,
    /// `leak-…`: LeakSanitizer reported a leak.
    Leak,
    /// `slow-unit-…`: slow, but not a failure.
    SlowUnit,
    /// `minimized-from-…`: written by `-minimize_crash=1`.
    Minimized,
    /// `clusterfuzz-testcase-…`: downloaded from ClusterFuzz / OSS-Fuzz.
    ClusterFuzz,
    /// Any other name.
    Other,
}

impl ArtifactKind {
    /// Recognises a file name.
    pub fn from_file_name(name: &str) -> ArtifactKind {
        const PREFIXES: &[(&str, ArtifactKind)] = &[
            ("crash-", ArtifactKind::Crash),
            ("timeout-", ArtifactKind::Timeout),
            ("oom-", ArtifactKind::Oom),
            ("leak-", ArtifactKind::Leak),
            ("slow-unit-", ArtifactKind::SlowUnit),
            ("minimized-from-", ArtifactKind::Minimized),
            ("clusterfuzz-testcase-", ArtifactKind::ClusterFuzz),
        ];
        PREFIXES
            .iter()
            .find(|(p, _)| name.starts_with(p))
            .map_or(ArtifactKind::Other, |(_, k)| *k)
    }

    /// Stable kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ArtifactKind::Crash => "crash",
            ArtifactKind::Timeout => "timeout",
            ArtifactKind::Oom => "oom",
            ArtifactKind::Leak => "leak",
            ArtifactKind::SlowUnit => "slow-unit",
            ArtifactKind::Minimized => "minimized",
            ArtifactKind::ClusterFuzz => "clusterfuzz",
            ArtifactKind::Other => "other",
        }
    }
}

/// A file that was found but not replayed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Skipped {
    /// The file.
    pub path: String,
    /// Why it was not replayed.
    pub reason: String,
}

impl Skipped {
    pub(crate) fn new(path: &Path, reason: String) -> Self {
        Skipped {
            path: path.display().to_string(),
            reason,
        }
    }
}

/// A file found under the paths given.
#[derive(Clone, Debug)]
pub(crate) struct Found {
    /// The path as reached from the argument (for the report).
    pub path: PathBuf,
    /// Directory names that may name the target, nearest first.
    pub hints: Vec<String>,
}

/// Walks `paths`: files are taken as they are, directories recursively in
/// sorted order. Symbolic links to files are followed, to directories not.
/// Hidden files and promotion sidecars (`X.json` beside `X`) are skipped with
/// a reason, as is anything that is not a regular file. The same file reached
/// twice is listed once.
pub(crate) fn walk(paths: &[PathBuf]) -> Result<(Vec<Found>, Vec<Skipped>), TriageError> {
    let mut found = Vec::new();
    let mut skipped = Vec::new();
    let mut seen = HashSet::new();
    for arg in paths {
        let meta = fs::metadata(arg).map_err(|source| TriageError::Path {
            path: arg.clone(),
            source,
        })?;
        if meta.is_dir() {
            let root_name = name_of(arg);
            walk_dir(arg, &root_name, &mut found, &mut skipped, &mut seen);
        } else {
            let hints = arg
                .parent()
                .map(name_of)
                .filter(|n| !n.is_empty())
                .into_iter()
                .collect();
            consider(arg, hints, &mut found, &mut skipped, &mut seen);
        }
    }
    Ok((found, skipped))
}

fn name_of(p: &Path) -> String {
    // `.` and `..` have no file name: use the canonical directory's.
    match p.file_name() {
        Some(n) => n.to_string_lossy().into_owned(),
        None => fs::canonicalize(p)
            .ok()
            .and_then(|c| c.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default(),
    }
}

fn walk_dir(
    root: &Path,
    root_name: &str,
    found: &mut Vec<Found>,
    skipped: &mut Vec<Skipped>,
    seen: &mut HashSet<PathBuf>,
) {
    // Explicit stack: (directory, hints nearest first).
    let mut stack = vec![(root.to_path_buf(), vec![root_name.to_owned()])];
    while let Some((dir, hints)) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(rd) => rd.collect::<Result<Vec<_>, _>>(),
            Err(e) => Err(e),
        };
        let mut entries = match entries {
            Ok(e) => e,
            Err(e) => {
                skipped.push(Skipped::new(&dir, format!("cannot list directory: {e}")));
                continue;
            }
        };
        entries.sort_by_key(|e| e.file_name());
        let names: HashSet<_> = entries.iter().map(|e| e.file_name()).collect();
        let mut subdirs = Vec::new();
        for entry in entries {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let ft = match entry.file_type() {
                Ok(ft) => ft,
                Err(e) => {
                    skipped.push(Skipped::new(&path, format!("cannot stat: {e}")));
                    continue;
                }
            };
            if ft.is_dir() {
                let mut h = vec![name];
                h.extend(hints.iter().cloned());
                subdirs.push((path, h));
                continue;
            }
            if ft.is_symlink() && fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
                skipped.push(Skipped::new(
                    &path,
                    "symbolic link to a directory (not followed)".into(),
                ));
                continue;
            }
            if name.starts_with('.') {
                skipped.push(Skipped::new(&path, "hidden file".into()));
                continue;
            }
            if let Some(stem) = name.strip_suffix(".json") {
                if names.contains(std::ffi::OsStr::new(stem)) {
                    skipped.push(Skipped::new(&path, format!("promotion sidecar of {stem}")));
                    continue;
                }
            }
            consider(&path, hints.clone(), found, skipped, seen);
        }
        // Depth first, in sorted order.
        stack.extend(subdirs.into_iter().rev());
    }
}

fn consider(
    path: &Path,
    hints: Vec<String>,
    found: &mut Vec<Found>,
    skipped: &mut Vec<Skipped>,
    seen: &mut HashSet<PathBuf>,
) {
    match fs::metadata(path) {
        Ok(m) if m.is_file() => {}
        Ok(_) => {
            skipped.push(Skipped::new(path, "not a regular file".into()));
            return;
        }
        Err(e) => {
            skipped.push(Skipped::new(path, format!("cannot stat: {e}")));
            return;
        }
    }
    let key = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    if seen.insert(key) {
        found.push(Found {
            path: path.to_path_buf(),
            hints,
        });
    }
}

/// The target an input belongs to: `forced` if given; else the nearest
/// directory named after a known target; else a ClusterFuzz testcase name
/// `clusterfuzz-testcase[-minimized]-<target>-<id>`.
pub(crate) fn resolve_target(
    found: &Found,
    known: &[String],
    forced: Option<&str>,
) -> Option<String> {
    if let Some(t) = forced {
        return Some(t.to_owned());
    }
    if let Some(h) = found.hints.iter().find(|h| known.contains(h)) {
        return Some(h.clone());
    }
    let name = found.path.file_name()?.to_string_lossy();
    let rest = name.strip_prefix("clusterfuzz-testcase-")?;
    let rest = rest.strip_prefix("minimized-").unwrap_or(rest);
    known
        .iter()
        .filter(|t| rest.starts_with(&format!("{t}-")))
        .max_by_key(|t| t.len())
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifact_names() {
        assert_eq!(
            ArtifactKind::from_file_name("crash-da39a3ee5e6b4b0d3255bfef95601890afd80709"),
            ArtifactKind::Crash
        );
        assert_eq!(
            ArtifactKind::from_file_name("slow-unit-00"),
            ArtifactKind::SlowUnit
        );
        assert_eq!(ArtifactKind::from_file_name("oom-1"), ArtifactKind::Oom);
        assert_eq!(ArtifactKind::from_file_name("README"), ArtifactKind::Other);
    }

    #[test]
    fn targets_from_hints_and_clusterfuzz_names() {
        let known = vec![
            "path".to_string(),
            "jwt".to_string(),
            "jwt-claims".to_string(),
        ];
        let f = |p: &str, hints: &[&str]| Found {
            path: PathBuf::from(p),
            hints: hints.iter().map(|s| s.to_string()).collect(),
        };
        assert_eq!(
            resolve_target(&f("a/path/x/crash-1", &["x", "path", "a"]), &known, None).as_deref(),
            Some("path")
        );
        assert_eq!(
            resolve_target(
                &f("clusterfuzz-testcase-minimized-jwt-claims-123", &["dl"]),
                &known,
                None
            )
            .as_deref(),
            Some("jwt-claims")
        );
        assert_eq!(
            resolve_target(&f("crash-1", &["bucket"]), &known, None),
            None
        );
        assert_eq!(
            resolve_target(&f("crash-1", &["bucket"]), &known, Some("jwt")).as_deref(),
            Some("jwt")
        );
    }
}
