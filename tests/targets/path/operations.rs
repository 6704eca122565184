//! Each file operation of `RootDir` — create, write, mkdir, stat, list,
//! remove, rename — works beneath the root, cannot be redirected outside
//! by a symlink as the final component or on the way, and fails with the
//! typed error that names the path.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use secfuzz::path::{
    confine, Create, EntryKind, OpenError, OpenOptions, Opened, Policy, Resolve, RootDir,
    RootOptions, SafeRelPath,
};

fn rel(s: &str) -> SafeRelPath {
    confine(s, &Policy::default()).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn root_itself() -> SafeRelPath {
    confine("", &Policy::default().allow_empty(true)).unwrap()
}

struct Tree {
    tmp: tempfile::TempDir,
    root: PathBuf,
    outside: PathBuf,
    r: RootDir,
}

/// root/{d/f, d/empty/, d/full/x, in -> d/f, in_dir -> d, out_file ->
/// outside/secret, out_dir -> outside/dir, up -> ../outside, dangling ->
/// outside/created}; outside/{secret, dir/inner}.
fn tree() -> Tree {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(root.join("d/empty")).unwrap();
    std::fs::create_dir_all(root.join("d/full")).unwrap();
    std::fs::create_dir_all(outside.join("dir")).unwrap();
    std::fs::write(root.join("d/f"), "inside").unwrap();
    std::fs::write(root.join("d/full/x"), "x").unwrap();
    std::fs::write(outside.join("secret"), "secret").unwrap();
    std::fs::write(outside.join("dir/inner"), "inner").unwrap();
    symlink("d/f", root.join("in")).unwrap();
    symlink("d", root.join("in_dir")).unwrap();
    symlink(outside.join("secret"), root.join("out_file")).unwrap();
    symlink(outside.join("dir"), root.join("out_dir")).unwrap();
    symlink("../outside", root.join("up")).unwrap();
    symlink(outside.join("created"), root.join("dangling")).unwrap();
    let r = RootDir::open(&root).unwrap();
    Tree {
        tmp,
        root,
        outside,
        r,
    }
}

/// Everything under `dir` (not following symlinks): path → contents or kind.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let md = std::fs::symlink_metadata(&p).unwrap();
        if md.is_dir() {
            out.insert(p.clone(), "dir".into());
            out.extend(snapshot(&p));
        } else if md.is_file() {
            out.insert(p.clone(), std::fs::read_to_string(&p).unwrap());
        } else {
            out.insert(p, format!("{:?}", md.file_type()));
        }
    }
    out
}

fn read(mut f: std::fs::File) -> String {
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

/// `e` is the variant `is` says and its message names `path`.
#[track_caller]
fn names(e: &OpenError, path: &str) {
    assert!(e.to_string().contains(&format!("`{path}`")), "{e}");
}

#[test]
fn create_file_makes_a_new_file_and_never_follows_or_leaves() {
    let t = tree();
    let before = snapshot(&t.outside);
    let mut f = t.r.create_file(&rel("d/new.txt")).unwrap();
    f.write_all(b"uploaded").unwrap();
    drop(f);
    assert_eq!(
        std::fs::read_to_string(t.root.join("d/new.txt")).unwrap(),
        "uploaded"
    );

    for p in ["d/new.txt", "d/f", "in", "out_file", "dangling", "d/empty"] {
        let e = t.r.create_file(&rel(p)).unwrap_err();
        assert!(
            matches!(&e, OpenError::AlreadyExists { path } if path == p),
            "{p}: {e:?}"
        );
        names(&e, p);
    }
    for p in ["up/new", "out_dir/new"] {
        let e = t.r.create_file(&rel(p)).unwrap_err();
        assert!(
            matches!(&e, OpenError::EscapesRoot { path } if path == p),
            "{p}: {e:?}"
        );
        names(&e, p);
    }
    let e = t.r.create_file(&rel("d/f/below")).unwrap_err();
    assert!(matches!(e, OpenError::NotADirectory { .. }), "{e:?}");
    let e = t.r.create_file(&rel("missing/new")).unwrap_err();
    assert!(matches!(e, OpenError::NotFound { .. }), "{e:?}");
    let e = t.r.create_file(&root_itself()).unwrap_err();
    assert!(matches!(e, OpenError::IsTheRoot { op: "create" }), "{e:?}");
    // Through a symlink to a directory inside: fine.
    t.r.create_file(&rel("in_dir/via_link")).unwrap();
    assert!(t.root.join("d/via_link").is_file());
    assert_eq!(snapshot(&t.outside), before);
}

#[test]
fn create_or_truncate_overwrites_regular_files_only() {
    let t = tree();
    let before = snapshot(&t.outside);
    let overwrite = OpenOptions::create_or_truncate();
    let mut f = t.r.open_file_with(&rel("d/f"), &overwrite).unwrap();
    f.write_all(b"new").unwrap();
    drop(f);
    assert_eq!(std::fs::read_to_string(t.root.join("d/f")).unwrap(), "new");
    t.r.open_file_with(&rel("d/fresh"), &overwrite)
        .unwrap()
        .write_all(b"fresh")
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(t.root.join("d/fresh")).unwrap(),
        "fresh"
    );
    for p in ["in", "out_file", "dangling"] {
        let e = t.r.open_file_with(&rel(p), &overwrite).unwrap_err();
        assert!(
            matches!(&e, OpenError::IsASymlink { path } if path == p),
            "{p}: {e:?}"
        );
        names(&e, p);
    }
    let e = t.r.open_file_with(&rel("d/empty"), &overwrite).unwrap_err();
    assert!(matches!(e, OpenError::NotAFile { .. }), "{e:?}");
    let e =
        t.r.open_file_with(&rel("up/secret"), &overwrite)
            .unwrap_err();
    assert!(matches!(e, OpenError::EscapesRoot { .. }), "{e:?}");
    assert_eq!(snapshot(&t.outside), before);
}

#[test]
fn writing_an_existing_file_follows_symlinks_only_inside() {
    let t = tree();
    let before = snapshot(&t.outside);
    let append = OpenOptions::new().read(false).append(true);
    t.r.open_file_with(&rel("in"), &append)
        .unwrap()
        .write_all(b"+more")
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(t.root.join("d/f")).unwrap(),
        "inside+more"
    );
    let rw = OpenOptions::new().write(true).truncate(true);
    for p in ["out_file", "up/secret", "out_dir/inner"] {
        let e = t.r.open_file_with(&rel(p), &rw).unwrap_err();
        assert!(
            matches!(&e, OpenError::EscapesRoot { path } if path == p),
            "{p}: {e:?}"
        );
    }
    let e = t.r.open_file_with(&rel("nope"), &rw).unwrap_err();
    assert!(
        matches!(&e, OpenError::NotFound { path } if path == "nope"),
        "{e:?}"
    );
    assert_eq!(snapshot(&t.outside), before);
}

#[test]
fn contradictory_open_options_are_a_typed_error() {
    let t = tree();
    for o in [
        OpenOptions::new().read(false),
        OpenOptions::new().truncate(true),
        OpenOptions::new().append(true).truncate(true).write(true),
        OpenOptions::new().create(Create::New),
        OpenOptions::new().write(true).mode(0o10000),
    ] {
        let e = t.r.open_file_with(&rel("d/f"), &o).unwrap_err();
        assert!(
            matches!(e, OpenError::InvalidOptions { .. }),
            "{o:?}: {e:?}"
        );
    }
}

#[test]
fn create_dir_and_create_dir_all_stay_beneath() {
    let t = tree();
    let before = snapshot(&t.outside);
    t.r.create_dir(&rel("d/sub")).unwrap();
    assert!(t.root.join("d/sub").is_dir());
    for p in ["d/sub", "d/f", "out_dir", "dangling"] {
        let e = t.r.create_dir(&rel(p)).unwrap_err();
        assert!(
            matches!(&e, OpenError::AlreadyExists { path } if path == p),
            "{p}: {e:?}"
        );
        names(&e, p);
    }
    for p in ["up/x", "out_dir/x"] {
        let e = t.r.create_dir(&rel(p)).unwrap_err();
        assert!(matches!(e, OpenError::EscapesRoot { .. }), "{p}: {e:?}");
        let e = t.r.create_dir_all(&rel(&format!("{p}/y"))).unwrap_err();
        assert!(matches!(e, OpenError::EscapesRoot { .. }), "{p}: {e:?}");
    }
    t.r.create_dir_all(&rel("a/b/c")).unwrap();
    t.r.create_dir_all(&rel("a/b/c")).unwrap();
    t.r.create_dir_all(&rel("in_dir/via/link")).unwrap();
    t.r.create_dir_all(&root_itself()).unwrap();
    assert!(t.root.join("a/b/c").is_dir() && t.root.join("d/via/link").is_dir());
    let e = t.r.create_dir_all(&rel("d/f/x")).unwrap_err();
    assert!(
        matches!(&e, OpenError::NotADirectory { path } if path == "d/f"),
        "{e:?}"
    );
    let e = t.r.create_dir(&rel("missing/x")).unwrap_err();
    assert!(matches!(e, OpenError::NotFound { .. }), "{e:?}");
    assert_eq!(snapshot(&t.outside), before);
}

#[test]
fn metadata_follows_symlinks_only_inside_and_symlink_metadata_not_at_all() {
    let t = tree();
    assert_eq!(t.r.metadata(&rel("d/f")).unwrap().len(), 6);
    assert_eq!(t.r.metadata(&rel("in")).unwrap().len(), 6);
    assert!(t.r.metadata(&rel("in_dir")).unwrap().is_dir());
    assert!(t.r.metadata(&root_itself()).unwrap().is_dir());
    for p in ["out_file", "out_dir", "up/secret"] {
        let e = t.r.metadata(&rel(p)).unwrap_err();
        assert!(
            matches!(&e, OpenError::EscapesRoot { path } if path == p),
            "{p}: {e:?}"
        );
        names(&e, p);
    }
    for p in ["out_file", "dangling", "in"] {
        assert!(t.r.symlink_metadata(&rel(p)).unwrap().is_symlink(), "{p}");
    }
    let e = t.r.symlink_metadata(&rel("up/secret")).unwrap_err();
    assert!(matches!(e, OpenError::EscapesRoot { .. }), "{e:?}");
    let e = t.r.metadata(&rel("dangling")).unwrap_err();
    assert!(matches!(e, OpenError::EscapesRoot { .. }), "{e:?}");
    let e = t.r.metadata(&rel("d/nope")).unwrap_err();
    assert!(
        matches!(&e, OpenError::NotFound { path } if path == "d/nope"),
        "{e:?}"
    );
}

#[test]
fn read_dir_lists_entries_beneath_only() {
    let t = tree();
    let mut entries: Vec<(String, EntryKind)> =
        t.r.read_dir(&rel("d"))
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.name().to_str().unwrap().to_owned(), e.kind())
            })
            .collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        entries,
        [
            ("empty".to_owned(), EntryKind::Dir),
            ("f".to_owned(), EntryKind::File),
            ("full".to_owned(), EntryKind::Dir)
        ]
    );
    let top: Vec<_> =
        t.r.read_dir(&root_itself())
            .unwrap()
            .map(Result::unwrap)
            .collect();
    assert_eq!(top.len(), 7);
    assert!(top
        .iter()
        .any(|e| e.name() == "out_dir" && e.kind() == EntryKind::Symlink));
    assert_eq!(t.r.read_dir(&rel("in_dir")).unwrap().count(), 3);
    for p in ["out_dir", "up"] {
        let e = t.r.read_dir(&rel(p)).unwrap_err();
        assert!(
            matches!(&e, OpenError::EscapesRoot { path } if path == p),
            "{p}: {e:?}"
        );
    }
    let e = t.r.read_dir(&rel("d/f")).unwrap_err();
    assert!(
        matches!(&e, OpenError::NotADirectory { path } if path == "d/f"),
        "{e:?}"
    );
}

#[test]
fn remove_file_and_remove_dir_act_on_the_link_never_its_target() {
    let t = tree();
    let before = snapshot(&t.outside);
    t.r.remove_file(&rel("d/f")).unwrap();
    assert!(!t.root.join("d/f").exists());
    // A symlink is removed itself: the outside file stays.
    t.r.remove_file(&rel("out_file")).unwrap();
    assert!(std::fs::symlink_metadata(t.root.join("out_file")).is_err());
    for p in ["up/secret", "out_dir/inner"] {
        let e = t.r.remove_file(&rel(p)).unwrap_err();
        assert!(
            matches!(&e, OpenError::EscapesRoot { path } if path == p),
            "{p}: {e:?}"
        );
        let e = t.r.remove_dir(&rel(&format!("{p}x"))).unwrap_err();
        assert!(matches!(e, OpenError::EscapesRoot { .. }), "{p}: {e:?}");
    }
    let e = t.r.remove_file(&rel("d/empty")).unwrap_err();
    assert!(
        matches!(&e, OpenError::NotAFile { path } if path == "d/empty"),
        "{e:?}"
    );
    let e = t.r.remove_file(&rel("d/gone")).unwrap_err();
    assert!(
        matches!(&e, OpenError::NotFound { path } if path == "d/gone"),
        "{e:?}"
    );
    names(&e, "d/gone");

    t.r.remove_dir(&rel("d/empty")).unwrap();
    assert!(!t.root.join("d/empty").exists());
    let e = t.r.remove_dir(&rel("d/full")).unwrap_err();
    assert!(
        matches!(&e, OpenError::NotEmpty { path } if path == "d/full"),
        "{e:?}"
    );
    names(&e, "d/full");
    for p in ["out_dir", "d/full/x"] {
        let e = t.r.remove_dir(&rel(p)).unwrap_err();
        assert!(
            matches!(&e, OpenError::NotADirectory { path } if path == p),
            "{p}: {e:?}"
        );
    }
    let e = t.r.remove_dir(&root_itself()).unwrap_err();
    assert!(
        matches!(e, OpenError::IsTheRoot { op: "remove_dir" }),
        "{e:?}"
    );
    assert_eq!(snapshot(&t.outside), before);
}

#[test]
fn rename_keeps_both_ends_beneath() {
    let t = tree();
    let before = snapshot(&t.outside);
    t.r.rename(&rel("d/f"), &rel("d/full/moved")).unwrap();
    assert_eq!(
        std::fs::read_to_string(t.root.join("d/full/moved")).unwrap(),
        "inside"
    );
    // Replacing a file; renaming a symlink moves the link, not its target.
    t.r.rename(&rel("d/full/moved"), &rel("d/full/x")).unwrap();
    t.r.rename(&rel("out_file"), &rel("d/link")).unwrap();
    assert!(std::fs::symlink_metadata(t.root.join("d/link"))
        .unwrap()
        .is_symlink());
    for (from, to) in [
        ("d/full/x", "up/stolen"),
        ("up/secret", "d/got"),
        ("d/empty", "out_dir/x"),
    ] {
        let e = t.r.rename(&rel(from), &rel(to)).unwrap_err();
        assert!(
            matches!(e, OpenError::EscapesRoot { .. }),
            "{from} -> {to}: {e:?}"
        );
    }
    let e = t.r.rename(&rel("d/nope"), &rel("d/other")).unwrap_err();
    assert!(
        matches!(&e, OpenError::NotFound { path } if path == "d/nope"),
        "{e:?}"
    );
    let e = t.r.rename(&rel("d/empty"), &rel("d/full")).unwrap_err();
    assert!(
        matches!(&e, OpenError::NotEmpty { path } if path == "d/full"),
        "{e:?}"
    );
    let e = t.r.rename(&root_itself(), &rel("x")).unwrap_err();
    assert!(matches!(e, OpenError::IsTheRoot { op: "rename" }), "{e:?}");
    assert_eq!(snapshot(&t.outside), before);
}

#[test]
fn in_root_resolution_treats_the_root_as_slash() {
    let t = tree();
    symlink("/d/f", t.root.join("abs_in")).unwrap();
    symlink("/etc/passwd", t.root.join("etc_link")).unwrap();
    symlink("../../../outside/secret", t.root.join("d/climb")).unwrap();
    let r = RootDir::open_with(&t.root, RootOptions::default().resolve(Resolve::InRoot)).unwrap();
    assert_eq!(read(r.open_file(&rel("abs_in")).unwrap()), "inside");
    // Absolute and climbing links resolve inside the root, where these
    // names do not exist.
    for p in ["etc_link", "d/climb", "out_file", "up/secret"] {
        let e = r.open_file(&rel(p)).unwrap_err();
        assert!(
            matches!(&e, OpenError::NotFound { path } if path == p),
            "{p}: {e:?}"
        );
    }
    r.create_file(&rel("up/new")).unwrap_err();
    assert!(!t.outside.join("new").exists());
    // The default refuses the absolute link even though it points inside.
    let e = t.r.open_file(&rel("abs_in")).unwrap_err();
    assert!(matches!(e, OpenError::EscapesRoot { .. }), "{e:?}");
}

#[test]
fn a_trailing_slash_in_the_users_path_means_a_directory() {
    let t = tree();
    let p = Policy::default();
    assert!(matches!(t.r.open_user_path("d/", &p), Ok(Opened::Dir(_))));
    assert!(matches!(t.r.open_user_path("d", &p), Ok(Opened::Dir(_))));
    assert!(matches!(t.r.open_user_path("d/f", &p), Ok(Opened::File(_))));
    assert!(matches!(
        t.r.open_user_path("in_dir%2F", &p),
        Ok(Opened::Dir(_))
    ));
    for input in ["d/f/", "d/f/.", "d/f%2f", "d\\f\\", "in/"] {
        let e = t.r.open_user_path(input, &p).unwrap_err();
        assert!(
            matches!(e, OpenError::NotADirectory { .. }),
            "{input}: {e:?}"
        );
    }
    let e = t.r.open_user_path("../etc/passwd", &p).unwrap_err();
    assert!(matches!(e, OpenError::Refused { .. }), "{e:?}");
    assert!(e.to_string().contains("../etc/passwd") && e.to_string().contains("escapes"));
    let e = t.r.open_user_path("out_dir/", &p).unwrap_err();
    assert!(matches!(e, OpenError::EscapesRoot { .. }), "{e:?}");
    drop(t.tmp);
}
