//! Hard links and mount points under the root: a bind mount is refused by
//! default (`RESOLVE_NO_XDEV`), and a hard link to an outside file — which
//! no resolution can tell from the original — is refused with
//! `HardLinks::Refuse`.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use secfuzz::path::{confine, HardLinks, OpenError, OpenOptions, Policy, RootDir, RootOptions};

fn rel(s: &str) -> secfuzz::path::SafeRelPath {
    confine(s, &Policy::default()).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn read(mut f: std::fs::File) -> String {
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

/// tmp/root/{plain, mnt/, file_mnt} and tmp/outside/secret.
fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(root.join("mnt")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(root.join("plain"), "plain").unwrap();
    std::fs::write(root.join("file_mnt"), "placeholder").unwrap();
    std::fs::write(outside.join("secret"), "secret").unwrap();
    (tmp, root, outside)
}

#[test]
fn a_hard_link_to_an_outside_file_is_refused_with_the_opt_in() {
    let (_tmp, root, outside) = setup();
    std::fs::hard_link(outside.join("secret"), root.join("hl")).unwrap();
    // The documented limit: by default the link *is* the file, beneath the root.
    let r = RootDir::open(&root).unwrap();
    assert_eq!(read(r.open_file(&rel("hl")).unwrap()), "secret");

    let strict =
        RootDir::open_with(&root, RootOptions::default().hard_links(HardLinks::Refuse)).unwrap();
    let e = strict.open_file(&rel("hl")).unwrap_err();
    assert!(
        matches!(&e, OpenError::HardLinked { path, links: 2 } if path == "hl"),
        "{e:?}"
    );
    assert!(e.to_string().contains("`hl`") && e.to_string().contains("2 hard links"));
    let e = strict
        .open_file_with(&rel("hl"), &OpenOptions::create_or_truncate())
        .unwrap_err();
    assert!(matches!(e, OpenError::HardLinked { .. }), "{e:?}");
    assert_eq!(
        std::fs::read_to_string(outside.join("secret")).unwrap(),
        "secret"
    );
    // Files with one link still open, and sub-roots keep the option.
    assert_eq!(read(strict.open_file(&rel("plain")).unwrap()), "plain");
    let top = strict
        .open_dir(&confine("", &Policy::default().allow_empty(true)).unwrap())
        .unwrap();
    assert!(matches!(
        top.open_file(&rel("hl")),
        Err(OpenError::HardLinked { .. })
    ));
}

const CHILD: &str = "SECFUZZ_BIND_MOUNT_CHILD";

/// Bind mounts need a mount namespace: the test re-runs itself under
/// `unshare -rm` (a user namespace, so no privilege is needed where user
/// namespaces are allowed) and skips with a note where that is refused.
#[test]
fn a_bind_mount_under_the_root_is_refused_by_default() {
    if let Ok(dir) = std::env::var(CHILD) {
        return in_mount_namespace(Path::new(&dir));
    }
    let (tmp, _, _) = setup();
    let marker = tmp.path().join("mounted");
    let status = Command::new("unshare")
        .args(["-rm", "--"])
        .arg(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "targets::path::links_and_mounts::a_bind_mount_under_the_root_is_refused_by_default",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, tmp.path())
        .status();
    let mounted = marker.exists();
    match status {
        Ok(s) if s.success() && mounted => {}
        Ok(s) if mounted => panic!("the bind-mount checks failed in the child ({s})"),
        other => eprintln!("note: no mount namespace here ({other:?}); bind mounts not tested"),
    }
}

fn in_mount_namespace(tmp: &Path) {
    let root = tmp.join("root");
    let outside = tmp.join("outside");
    let bind = |from: &Path, to: &Path| {
        Command::new("mount")
            .arg("--bind")
            .arg(from)
            .arg(to)
            .status()
            .is_ok_and(|s| s.success())
    };
    if !bind(&outside, &root.join("mnt")) || !bind(&outside.join("secret"), &root.join("file_mnt"))
    {
        eprintln!("note: mount --bind refused in the namespace");
        return;
    }
    std::fs::write(tmp.join("mounted"), "").unwrap();

    let r = RootDir::open(&root).unwrap();
    for p in ["mnt/secret", "file_mnt", "mnt"] {
        let e = r.open_file(&rel(p)).unwrap_err();
        assert!(
            matches!(&e, OpenError::CrossesMount { path } if path == p),
            "{p}: {e:?}"
        );
        assert!(e.to_string().contains(&format!("`{p}`")) && e.to_string().contains("mount point"));
    }
    for e in [
        r.metadata(&rel("mnt")).map(drop).unwrap_err(),
        r.read_dir(&rel("mnt")).map(drop).unwrap_err(),
        r.open_dir(&rel("mnt")).map(drop).unwrap_err(),
        r.create_file(&rel("mnt/new")).map(drop).unwrap_err(),
        r.create_dir(&rel("mnt/newdir")).unwrap_err(),
        r.remove_file(&rel("mnt/secret")).unwrap_err(),
        r.rename(&rel("mnt/secret"), &rel("stolen")).unwrap_err(),
        r.open_file_with(&rel("file_mnt"), &OpenOptions::create_or_truncate())
            .map(drop)
            .unwrap_err(),
    ] {
        assert!(matches!(e, OpenError::CrossesMount { .. }), "{e:?}");
    }
    assert_eq!(
        std::fs::read_to_string(outside.join("secret")).unwrap(),
        "secret"
    );
    assert!(!outside.join("new").exists() && !outside.join("newdir").exists());
    assert!(!root.join("stolen").exists());
    // The explicit opt-out crosses.
    let lax = RootDir::open_with(&root, RootOptions::default().cross_mounts(true)).unwrap();
    assert_eq!(read(lax.open_file(&rel("mnt/secret")).unwrap()), "secret");
}
