//! A directory on the way is swapped, as fast as a thread can, with a
//! symlink that leads outside (`renameat2(RENAME_EXCHANGE)`), while
//! `open_file`, `create_file` and `remove_file` run through it: nothing
//! outside is ever opened, created or removed.

use std::collections::BTreeSet;
use std::os::unix::fs::{symlink, MetadataExt};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use secfuzz::path::{confine, OpenError, Policy, RootDir};

fn rel(s: &str) -> secfuzz::path::SafeRelPath {
    confine(s, &Policy::default()).unwrap()
}

#[derive(Debug, Default)]
struct Counts {
    swaps: usize,
    opened: usize,
    created: usize,
    removed: usize,
    refused: usize,
    changed: usize,
    escapes: usize,
}

#[test]
fn swapping_a_directory_for_an_escaping_symlink_never_leads_outside() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(root.join("sw")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(root.join("sw/f"), "inside").unwrap();
    std::fs::write(outside.join("f"), "outside").unwrap();
    std::fs::write(outside.join("victim"), "outside").unwrap();
    symlink(&outside, root.join("alt")).unwrap();
    let outside_names = |_: ()| -> BTreeSet<String> {
        std::fs::read_dir(&outside)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect()
    };
    let before = outside_names(());
    let outside_f = std::fs::metadata(outside.join("f")).unwrap();
    let outside_id = (outside_f.dev(), outside_f.ino());

    let stop = Arc::new(AtomicBool::new(false));
    let swaps = Arc::new(AtomicUsize::new(0));
    let swapper = {
        let (stop, swaps, root) = (stop.clone(), swaps.clone(), root.clone());
        std::thread::spawn(move || {
            let dir = std::fs::File::open(&root).unwrap();
            while !stop.load(Ordering::Relaxed) {
                rustix::fs::renameat_with(
                    &dir,
                    "sw",
                    &dir,
                    "alt",
                    rustix::fs::RenameFlags::EXCHANGE,
                )
                .unwrap();
                swaps.fetch_add(1, Ordering::Relaxed);
            }
        })
    };

    let r = RootDir::open(&root).unwrap();
    let mut c = Counts::default();
    let start = Instant::now();
    let mut i = 0usize;
    while start.elapsed() < Duration::from_millis(2500) {
        i += 1;
        let mut tally = |res: Result<(), OpenError>, ok: &mut usize| match res {
            Ok(()) => *ok += 1,
            Err(OpenError::Changed { .. }) => c.changed += 1,
            Err(_) => c.refused += 1,
        };
        let opened = r.open_file(&rel("sw/f")).map(|f| {
            let md = f.metadata().unwrap();
            if (md.dev(), md.ino()) == outside_id {
                c.escapes += 1;
            }
        });
        tally(opened, &mut c.opened);
        let name = format!("sw/new{i}");
        tally(r.create_file(&rel(&name)).map(drop), &mut c.created);
        tally(r.remove_file(&rel("sw/victim")), &mut c.removed);
        // Put a victim back inside (wherever `sw` is now, never outside).
        tally(r.create_file(&rel("sw/victim")).map(drop), &mut c.created);
    }
    stop.store(true, Ordering::Relaxed);
    swapper.join().unwrap();
    c.swaps = swaps.load(Ordering::Relaxed);

    let after = outside_names(());
    eprintln!("race: {c:?}");
    assert_eq!(c.escapes, 0, "{c:?}");
    assert_eq!(
        after, before,
        "something was created or removed outside: {c:?}"
    );
    assert_eq!(
        std::fs::read_to_string(outside.join("victim")).unwrap(),
        "outside"
    );
    assert!(c.swaps > 0 && c.opened > 0 && c.created > 0, "{c:?}");
}
