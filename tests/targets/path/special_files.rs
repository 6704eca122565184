//! FIFOs, sockets and devices are refused as `NotAFile` *before* they are
//! opened: the lookup is `O_PATH`, so no driver's `open` runs and no FIFO
//! peer sees a reader.

use std::os::unix::fs::FileTypeExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use secfuzz::path::{confine, OpenError, OpenOptions, Policy, RootDir};

fn rel(s: &str) -> secfuzz::path::SafeRelPath {
    confine(s, &Policy::default()).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn root() -> (tempfile::TempDir, PathBuf, RootDir) {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("root");
    std::fs::create_dir(&path).unwrap();
    let r = RootDir::open(&path).unwrap();
    (tmp, path, r)
}

fn assert_not_a_file(r: &RootDir, p: &str) {
    for e in [
        r.open_file(&rel(p)).unwrap_err(),
        r.open_file_with(&rel(p), &OpenOptions::new().write(true))
            .unwrap_err(),
        r.open_file_with(&rel(p), &OpenOptions::create_or_truncate())
            .unwrap_err(),
    ] {
        assert!(
            matches!(&e, OpenError::NotAFile { path } if path == p),
            "{p}: {e:?}"
        );
        assert!(e
            .to_string()
            .contains(&format!("`{p}` is not a regular file")));
    }
}

#[test]
fn a_unix_socket_is_not_a_file() {
    let (_tmp, path, r) = root();
    let _listener = std::os::unix::net::UnixListener::bind(path.join("sock")).unwrap();
    // Opening a socket answers ENXIO: refused by type instead.
    assert_not_a_file(&r, "sock");
    assert!(r.metadata(&rel("sock")).unwrap().file_type().is_socket());
}

#[test]
fn a_device_without_a_driver_is_not_a_file() {
    let (_tmp, path, r) = root();
    // Character major 0 has no driver: opening it answers ENXIO.
    let made = rustix::fs::mknodat(
        rustix::fs::CWD,
        path.join("dev"),
        rustix::fs::FileType::CharacterDevice,
        rustix::fs::Mode::from_raw_mode(0o600),
        rustix::fs::makedev(0, 0),
    );
    if let Err(e) = made {
        eprintln!("note: mknod refused ({e}); device nodes not tested");
        return;
    }
    assert_not_a_file(&r, "dev");
    assert!(r
        .metadata(&rel("dev"))
        .unwrap()
        .file_type()
        .is_char_device());
}

#[test]
fn a_fifo_is_refused_without_being_opened() {
    let (_tmp, path, r) = root();
    let fifo = path.join("fifo");
    rustix::fs::mkfifoat(
        rustix::fs::CWD,
        &fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
    )
    .unwrap();
    // A writer blocks in open(2) until some reader opens the FIFO: if
    // RootDir opened it, even briefly, the writer would wake up.
    let writer_opened = Arc::new(AtomicBool::new(false));
    let writer = {
        let (fifo, flag) = (fifo.clone(), writer_opened.clone());
        std::thread::spawn(move || {
            let w = std::fs::OpenOptions::new().write(true).open(&fifo);
            flag.store(true, Ordering::SeqCst);
            drop(w);
        })
    };
    std::thread::sleep(Duration::from_millis(100));
    assert_not_a_file(&r, "fifo");
    std::thread::sleep(Duration::from_millis(300));
    let opened = writer_opened.load(Ordering::SeqCst);
    // Release the writer.
    use std::os::unix::fs::OpenOptionsExt;
    let _reader = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(&fifo)
        .unwrap();
    writer.join().unwrap();
    assert!(!opened, "RootDir opened the FIFO before refusing it");
}
