//! `RootDir` on a real filesystem: symlinks, FIFOs and loops cannot lead
//! outside the root (a property over random trees, compared by device and
//! inode: opening, `metadata`, `create_file` and `remove_file`), and each
//! refusal is the typed error that says why.

use std::path::Path;

use arbitrary::Arbitrary;
use proptest::prelude::*;
use secfuzz::path::{confine, Policy};
use secfuzz::path::{OpenError, RootDir, SafeRelPath};
use std::collections::HashSet;
use std::io::Read;
use std::os::unix::fs::{symlink, MetadataExt};
use std::path::PathBuf;

fn rel(s: &str) -> SafeRelPath {
    confine(s, &Policy::default()).unwrap()
}

/// tmp/root and tmp/outside/{secret, dir/inner}.
fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::create_dir_all(outside.join("dir")).unwrap();
    std::fs::write(outside.join("secret"), "secret").unwrap();
    std::fs::write(outside.join("x"), "x").unwrap();
    std::fs::write(outside.join("dir/inner"), "inner").unwrap();
    (tmp, root, outside)
}

fn read(mut f: std::fs::File) -> String {
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

#[test]
fn symlinks_cannot_lead_outside() {
    let (_tmp, root, outside) = setup();
    std::fs::create_dir(root.join("d")).unwrap();
    std::fs::write(root.join("d/f"), "inside").unwrap();
    symlink(outside.join("secret"), root.join("abs")).unwrap();
    symlink("../outside/secret", root.join("rel")).unwrap();
    symlink("../../outside", root.join("d/up")).unwrap();
    symlink("f", root.join("d/same")).unwrap();
    symlink("d/same", root.join("chain")).unwrap();
    // Leaves the root for a moment and comes back: still refused.
    symlink("../root/d/f", root.join("out_and_back")).unwrap();
    symlink(root.join("d/f"), root.join("abs_inside")).unwrap();
    symlink("loop2", root.join("loop1")).unwrap();
    symlink("loop1", root.join("loop2")).unwrap();
    symlink("missing", root.join("dangling")).unwrap();
    symlink("/proc/self/root/etc/passwd", root.join("magic")).unwrap();
    let r = RootDir::open(&root).unwrap();

    assert_eq!(read(r.open_file(&rel("d/f")).unwrap()), "inside");
    assert_eq!(read(r.open_file(&rel("chain")).unwrap()), "inside");
    for p in [
        "abs",
        "rel",
        "d/up/secret",
        "d/up/dir/inner",
        "abs_inside",
        "magic",
    ] {
        let e = r.open_file(&rel(p)).unwrap_err();
        assert!(matches!(e, OpenError::EscapesRoot { .. }), "{p}: {e}");
    }
    assert!(matches!(
        r.open_file(&rel("loop1")).unwrap_err(),
        OpenError::SymlinkLoop { .. }
    ));
    assert!(matches!(
        r.open_file(&rel("dangling")).unwrap_err(),
        OpenError::NotFound { .. }
    ));
    assert!(matches!(
        r.open_file(&rel("nope")).unwrap_err(),
        OpenError::NotFound { .. }
    ));
    assert!(matches!(
        r.open_file(&rel("d/f/x")).unwrap_err(),
        OpenError::NotADirectory { .. }
    ));
    assert!(matches!(
        r.open_file(&rel("d")).unwrap_err(),
        OpenError::NotAFile { .. }
    ));
    let d = r.open_dir(&rel("d")).unwrap();
    assert_eq!(d.path(), root.join("d"));
    assert_eq!(read(d.open_file(&rel("same")).unwrap()), "inside");
    // `..` inside `d` is lexically refused; via a symlink the kernel refuses it.
    assert!(matches!(
        d.open_file(&rel("up/secret")).unwrap_err(),
        OpenError::EscapesRoot { .. }
    ));
    let top = r
        .open_dir(&confine("", &Policy::default().allow_empty(true)).unwrap())
        .unwrap();
    assert_eq!(read(top.open_file(&rel("d/f")).unwrap()), "inside");
    assert!(matches!(
        RootDir::open(root.join("d/f")).unwrap_err(),
        OpenError::NotADirectory { .. }
    ));
    assert!(matches!(
        RootDir::open(root.join("none")).unwrap_err(),
        OpenError::NotFound { .. }
    ));
}

#[test]
fn a_fifo_is_not_a_file_and_does_not_block() {
    let (_tmp, root, _) = setup();
    let status = std::process::Command::new("mkfifo")
        .arg(root.join("fifo"))
        .status();
    if !status.is_ok_and(|s| s.success()) {
        eprintln!("note: mkfifo unavailable; skipping");
        return;
    }
    let r = RootDir::open(&root).unwrap();
    assert!(matches!(
        r.open_file(&rel("fifo")).unwrap_err(),
        OpenError::NotAFile { .. }
    ));
}

const NAMES: [&str; 4] = ["a", "b", "c", "d"];

/// One entry of a generated tree.
#[derive(Clone, Debug, Arbitrary)]
struct Entry {
    /// Index into the directories made so far.
    parent: u8,
    name: u8,
    kind: Kind,
}

#[derive(Clone, Debug, Arbitrary)]
enum Kind {
    File,
    Dir,
    Link(Link),
}

/// Where a symlink points.
#[derive(Clone, Debug, Arbitrary)]
enum Link {
    AbsOutsideFile,
    AbsOutsideDir,
    AbsEtcPasswd,
    /// Absolute, to an entry inside the root (still refused: absolute).
    AbsInside(u8),
    /// `../` enough times to reach the temp dir, plus `extra`, then `outside/…`.
    RelOutside {
        extra: u8,
        to_dir: bool,
    },
    /// Relative to an entry made earlier (chains through links).
    RelEntry(u8),
    /// Up one level.
    DotDot,
    Dot,
    /// A name in the same directory (loops, dangling).
    Sibling(u8),
}

#[derive(Clone, Debug, Arbitrary)]
enum Tok {
    /// The path of an entry made earlier, relative to the root.
    Entry(u8),
    Name(u8),
    DotDot,
    Dot,
    Empty,
}

#[derive(Clone, Debug)]
struct FsCase {
    entries: Vec<Entry>,
    paths: Vec<Vec<Tok>>,
}

/// By hand: derived `Vec`s continue with probability 1/2 per element,
/// which makes random bytes describe almost empty trees.
impl<'a> Arbitrary<'a> for FsCase {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let n = u.int_in_range(0..=24)?;
        let entries = (0..n)
            .map(|_| Entry::arbitrary(u))
            .collect::<arbitrary::Result<_>>()?;
        let m = u.int_in_range(1..=16)?;
        let mut paths = Vec::with_capacity(m);
        for _ in 0..m {
            let k = u.int_in_range(1..=6)?;
            paths.push(
                (0..k)
                    .map(|_| Tok::arbitrary(u))
                    .collect::<arbitrary::Result<_>>()?,
            );
        }
        Ok(FsCase { entries, paths })
    }
}

/// (dev, ino) of every regular file under `dir`, not following symlinks.
fn files_under(dir: &Path, out: &mut HashSet<(u64, u64)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let md = std::fs::symlink_metadata(&p).unwrap();
        if md.is_dir() {
            files_under(&p, out);
        } else if md.is_file() {
            out.insert((md.dev(), md.ino()));
        }
    }
}

#[derive(Debug, PartialEq)]
enum Lexical {
    /// No symlink on the way; a regular file with this (dev, ino).
    File(u64, u64),
    Dir,
    Missing,
    NotDir,
    /// The first symlink on the way is absolute.
    AbsoluteLink,
    /// The first symlink on the way is relative.
    RelativeLink,
}

/// Walk `rel` from `root` with lstat, stopping at the first symlink.
fn walk(root: &Path, rel: &SafeRelPath) -> Lexical {
    let mut cur = root.to_path_buf();
    let n = rel.components().count();
    for (i, c) in rel.components().enumerate() {
        cur.push(c);
        let Ok(md) = std::fs::symlink_metadata(&cur) else {
            return Lexical::Missing;
        };
        if md.file_type().is_symlink() {
            let target = std::fs::read_link(&cur).unwrap();
            return if target.is_absolute() {
                Lexical::AbsoluteLink
            } else {
                Lexical::RelativeLink
            };
        }
        if i + 1 < n && !md.is_dir() {
            return Lexical::NotDir;
        }
        if i + 1 == n {
            return if md.is_dir() {
                Lexical::Dir
            } else {
                Lexical::File(md.dev(), md.ino())
            };
        }
    }
    Lexical::Dir
}

#[derive(Default, Debug)]
struct Tally {
    entries: usize,
    paths: usize,
    opened: usize,
    opened_through_links: usize,
    escapes_refused: usize,
    stat_files: usize,
    created: usize,
    removed: usize,
}

/// Every path under `dir`, not following symlinks, with its kind.
fn listing(dir: &Path, out: &mut Vec<(PathBuf, bool)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let md = std::fs::symlink_metadata(&p).unwrap();
        out.push((p.clone(), md.is_dir()));
        if md.is_dir() {
            listing(&p, out);
        }
    }
    out.sort();
}

fn run_case(case: &FsCase, tally: &mut Tally) -> Result<(), TestCaseError> {
    let (tmp, root, outside) = setup();
    let mut dirs: Vec<PathBuf> = vec![root.clone()];
    let mut made: Vec<PathBuf> = Vec::new();
    for e in case.entries.iter().take(24) {
        let parent = dirs[usize::from(e.parent) % dirs.len()].clone();
        let path = parent.join(NAMES[usize::from(e.name) % NAMES.len()]);
        if std::fs::symlink_metadata(&path).is_ok() {
            continue;
        }
        let depth = path.strip_prefix(&root).unwrap().components().count() - 1;
        match &e.kind {
            Kind::File => std::fs::write(&path, path.display().to_string()).unwrap(),
            Kind::Dir => {
                std::fs::create_dir(&path).unwrap();
                dirs.push(path.clone());
            }
            Kind::Link(l) => {
                let pick = |i: u8| made.get(usize::from(i) % made.len().max(1)).cloned();
                let target: PathBuf = match l {
                    Link::AbsOutsideFile => outside.join("secret"),
                    Link::AbsOutsideDir => outside.join("dir"),
                    Link::AbsEtcPasswd => "/etc/passwd".into(),
                    Link::AbsInside(i) => pick(*i).unwrap_or_else(|| root.clone()),
                    Link::RelOutside { extra, to_dir } => {
                        let mut t = PathBuf::new();
                        for _ in 0..depth + 1 + usize::from(extra % 3) {
                            t.push("..");
                        }
                        t.join(if *to_dir { "outside/dir" } else { "outside/x" })
                    }
                    Link::RelEntry(i) => match pick(*i) {
                        Some(p) => {
                            let mut t = PathBuf::new();
                            for _ in 0..depth {
                                t.push("..");
                            }
                            t.join(p.strip_prefix(&root).unwrap())
                        }
                        None => "..".into(),
                    },
                    Link::DotDot => "..".into(),
                    Link::Dot => ".".into(),
                    Link::Sibling(i) => NAMES[usize::from(*i) % NAMES.len()].into(),
                };
                symlink(&target, &path).unwrap();
            }
        }
        made.push(path);
    }

    tally.entries += made.len();
    let mut outside_files = HashSet::new();
    files_under(&outside, &mut outside_files);
    for sys in ["/etc/passwd", "/etc/hostname", "/etc/hosts"] {
        if let Ok(md) = std::fs::metadata(sys) {
            outside_files.insert((md.dev(), md.ino()));
        }
    }
    let mut inside_files = HashSet::new();
    files_under(&root, &mut inside_files);
    prop_assert!(inside_files.is_disjoint(&outside_files));

    let mut outside_before = Vec::new();
    listing(&outside, &mut outside_before);
    let r = RootDir::open(&root).unwrap();
    let mut confined = Vec::new();
    for toks in case.paths.iter().take(16) {
        let text = toks
            .iter()
            .map(|t| match t {
                Tok::Entry(i) if !made.is_empty() => made[usize::from(*i) % made.len()]
                    .strip_prefix(&root)
                    .unwrap()
                    .to_str()
                    .unwrap(),
                Tok::Entry(i) | Tok::Name(i) => NAMES[usize::from(*i) % NAMES.len()],
                Tok::DotDot => "..",
                Tok::Dot => ".",
                Tok::Empty => "",
            })
            .collect::<Vec<_>>()
            .join("/");
        let Ok(p) = confine(&text, &Policy::default()) else {
            continue;
        };
        tally.paths += 1;
        confined.push(p.clone());
        let lexical = walk(&root, &p);
        let result = r.open_file(&p);
        if let Ok(f) = &result {
            let md = f.metadata().unwrap();
            let id = (md.dev(), md.ino());
            prop_assert!(
                !outside_files.contains(&id),
                "{text:?} opened a file outside the root"
            );
            prop_assert!(
                inside_files.contains(&id),
                "{text:?} opened an unknown file"
            );
            tally.opened += 1;
            if lexical == Lexical::RelativeLink {
                tally.opened_through_links += 1;
            }
        }
        match lexical {
            Lexical::File(dev, ino) => {
                let f = result.map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
                let md = f.metadata().unwrap();
                prop_assert_eq!((md.dev(), md.ino()), (dev, ino), "{:?}", text);
            }
            Lexical::Dir => {
                prop_assert!(
                    matches!(result, Err(OpenError::NotAFile { .. })),
                    "{text:?}"
                );
            }
            Lexical::Missing => {
                prop_assert!(
                    matches!(result, Err(OpenError::NotFound { .. })),
                    "{text:?}"
                );
            }
            Lexical::NotDir => {
                prop_assert!(
                    matches!(result, Err(OpenError::NotADirectory { .. })),
                    "{text:?}"
                );
            }
            Lexical::AbsoluteLink => {
                prop_assert!(
                    matches!(result, Err(OpenError::EscapesRoot { .. })),
                    "{text:?}: {result:?}"
                );
                tally.escapes_refused += 1;
            }
            Lexical::RelativeLink => {
                if matches!(result, Err(OpenError::EscapesRoot { .. })) {
                    tally.escapes_refused += 1;
                }
            }
        }
        // metadata never describes a file outside; creating below the path
        // never creates outside (checked after the loop).
        if let Ok(md) = r.metadata(&p) {
            if md.is_file() {
                prop_assert!(inside_files.contains(&(md.dev(), md.ino())), "{text:?}");
                tally.stat_files += 1;
            }
        }
        let child = confine(&format!("{text}/new"), &Policy::default()).unwrap();
        if r.create_file(&child).is_ok() {
            tally.created += 1;
        }
    }
    let mut outside_after = Vec::new();
    listing(&outside, &mut outside_after);
    prop_assert_eq!(&outside_before, &outside_after, "created outside");
    // Removing every path removes the entry (or link) inside, never outside.
    for p in &confined {
        if r.remove_file(p).is_ok() {
            tally.removed += 1;
        }
    }
    let mut outside_after = Vec::new();
    listing(&outside, &mut outside_after);
    prop_assert_eq!(&outside_before, &outside_after, "removed outside");
    drop(tmp);
    Ok(())
}

/// Random trees of files, directories and symlinks (absolute, relative,
/// escaping, chained, looping, dangling) under `root/`, with `outside/`
/// next to it: a confined path opened beneath the root never yields a
/// file outside it, and yields exactly the named file when no symlink is
/// on the way.
#[test]
fn open_beneath_never_leaves_the_root() {
    let config = secfuzz::harness::proptest_config(1000, "proptest-regressions/path.txt");
    let cases = config.cases;
    let mut runner = proptest::test_runner::TestRunner::new(config);
    let tally = std::cell::RefCell::new(Tally::default());
    let result = runner.run(&secfuzz::harness::inputs::<FsCase>(512), |case| {
        run_case(&case.value, &mut tally.borrow_mut())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let tally = tally.into_inner();
    eprintln!("open_beneath: {tally:?}");
    if cases >= 200 {
        assert!(tally.opened > 0, "{tally:?}");
        assert!(tally.opened_through_links > 0, "{tally:?}");
        assert!(tally.escapes_refused > 0, "{tally:?}");
        assert!(tally.created > 0 && tally.removed > 0, "{tally:?}");
    }
}
