//! Each refusal of `RootDir` is the typed error that says why, with the path
//! in its message, and files come back usable.

use std::io::Read;
use std::os::unix::fs::symlink;

use secfuzz::path::{confine, OpenError, Policy, RootDir};

fn rel(s: &str) -> secfuzz::path::SafeRelPath {
    confine(s, &Policy::default()).unwrap_or_else(|e| panic!("{s}: {e}"))
}

struct Tree {
    _tmp: tempfile::TempDir,
    root: RootDir,
    root_path: std::path::PathBuf,
}

fn tree() -> Tree {
    let tmp = tempfile::tempdir().unwrap();
    let root_path = tmp.path().join("root");
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(root_path.join("dir")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(root_path.join("dir/file.txt"), b"inside").unwrap();
    std::fs::write(outside.join("secret"), b"outside").unwrap();
    symlink(outside.join("secret"), root_path.join("abs")).unwrap();
    symlink("../outside/secret", root_path.join("up")).unwrap();
    symlink("dir/file.txt", root_path.join("inner")).unwrap();
    symlink("loop_b", root_path.join("loop_a")).unwrap();
    symlink("loop_a", root_path.join("loop_b")).unwrap();
    symlink("missing", root_path.join("dangling")).unwrap();
    rustix::fs::mkfifoat(
        rustix::fs::CWD,
        root_path.join("fifo"),
        rustix::fs::Mode::from_raw_mode(0o600),
    )
    .unwrap();
    let root = RootDir::open(&root_path).unwrap();
    Tree {
        _tmp: tmp,
        root,
        root_path,
    }
}

fn err(t: &Tree, p: &str) -> OpenError {
    t.root.open_file(&rel(p)).expect_err(p)
}

#[test]
fn each_refusal_has_its_own_typed_error_naming_the_path() {
    let t = tree();
    for p in ["abs", "up"] {
        let e = err(&t, p);
        assert!(
            matches!(&e, OpenError::EscapesRoot { path } if path == p),
            "{p}: {e:?}"
        );
        assert!(e.to_string().contains(p) && e.to_string().contains("outside the root"));
    }
    let e = err(&t, "loop_a");
    assert!(
        matches!(&e, OpenError::SymlinkLoop { path } if path == "loop_a"),
        "{e:?}"
    );
    assert!(e.to_string().contains("loop_a"));
    for p in ["nothing-here", "dangling"] {
        let e = err(&t, p);
        assert!(
            matches!(&e, OpenError::NotFound { path } if path == p),
            "{p}: {e:?}"
        );
        assert!(e.to_string().contains("not found"));
    }
    let e = err(&t, "dir/file.txt/below");
    assert!(matches!(&e, OpenError::NotADirectory { .. }), "{e:?}");
    assert!(e.to_string().contains("not a directory"));
    for p in ["dir", "fifo"] {
        let e = err(&t, p);
        assert!(
            matches!(&e, OpenError::NotAFile { path } if path == p),
            "{p}: {e:?}"
        );
        assert!(e.to_string().contains("not a regular file"));
    }
    let e = t.root.open_dir(&rel("dir/file.txt")).expect_err("a file");
    assert!(matches!(&e, OpenError::NotADirectory { .. }), "{e:?}");
    let e = t.root.open_dir(&rel("up")).expect_err("escapes");
    assert!(matches!(&e, OpenError::EscapesRoot { .. }), "{e:?}");
}

#[test]
fn files_inside_open_readable_and_blocking_including_through_inner_symlinks() {
    let t = tree();
    for p in ["dir/file.txt", "inner"] {
        let mut f = t.root.open_file(&rel(p)).unwrap();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        assert_eq!(s, "inside", "{p}");
        let fl = rustix::fs::fcntl_getfl(&f).unwrap();
        assert!(
            !fl.contains(rustix::fs::OFlags::NONBLOCK),
            "{p}: left non-blocking"
        );
    }
    let sub = t.root.open_dir(&rel("dir")).unwrap();
    assert_eq!(sub.path(), t.root_path.join("dir"));
    assert!(sub.as_file().metadata().unwrap().is_dir());
    assert_eq!(t.root.path(), t.root_path);
    let mut s = String::new();
    sub.open_file(&rel("file.txt"))
        .unwrap()
        .read_to_string(&mut s)
        .unwrap();
    assert_eq!(s, "inside");
}

#[test]
fn opening_the_root_itself_reports_typed_errors() {
    let t = tree();
    let missing = t.root_path.join("no-such-dir");
    let e = RootDir::open(&missing).expect_err("missing");
    assert!(
        matches!(&e, OpenError::NotFound { path } if path.contains("no-such-dir")),
        "{e:?}"
    );
    let e = RootDir::open(t.root_path.join("dir/file.txt")).expect_err("a file");
    assert!(matches!(&e, OpenError::NotADirectory { .. }), "{e:?}");
    // A name longer than the OS allows: an I/O error that keeps its source.
    let long = t.root_path.join("x".repeat(300));
    let e = RootDir::open(&long).expect_err("too long");
    assert!(matches!(&e, OpenError::Io { .. }), "{e:?}");
    assert!(std::error::Error::source(&e).is_some());
    assert!(e.to_string().contains("cannot open"));
}
