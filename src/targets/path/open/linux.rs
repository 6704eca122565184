//! The Linux implementation: `openat2(2)` from the root, and the `*at`
//! calls relative to parent directories opened with it.

use std::ffi::OsStr;
use std::fs::{File, Metadata};
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use rustix::fs::{AtFlags, FileType, Mode, OFlags, ResolveFlags, Stat};
use rustix::io::Errno;

use super::{Create, DirEntry, EntryKind, HardLinks, OpenOptions, Resolve, RootDir};
use crate::path::{OpenError, SafeRelPath};

/// How many times a lookup is retried when the kernel reports a concurrent
/// rename (`EAGAIN`) or a signal (`EINTR`), and a create-or-open retries
/// when the file vanishes in between.
const RETRIES: usize = 16;

/// `openat2`, retried on `EAGAIN` and `EINTR`; always `O_CLOEXEC`.
fn openat2(
    dir: impl AsFd,
    path: &str,
    flags: OFlags,
    mode: Mode,
    resolve: ResolveFlags,
) -> Result<OwnedFd, Errno> {
    let mut tries = 0;
    loop {
        match rustix::fs::openat2(&dir, path, flags | OFlags::CLOEXEC, mode, resolve) {
            Err(Errno::AGAIN | Errno::INTR) if tries < RETRIES => tries += 1,
            r => return r,
        }
    }
}

/// Which system call failed: an `EPERM`/`ENOSYS`/`EXDEV` from `openat2`
/// needs a second look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Call {
    Openat2,
    Other,
}

/// A second look the error mapping asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Question {
    /// Does `openat2` work at all (on the root itself)?
    Openat2Works,
    /// Does the path resolve, or fail otherwise than `EXDEV`, once
    /// `RESOLVE_NO_XDEV` is dropped (so the `EXDEV` was a mount point)?
    ResolvesAcrossMounts,
}

/// The typed error for `e`, from `call`, in operation `op` on `path`;
/// `ask` answers the [`Question`]s by probing the file system.
pub(super) fn map_errno(
    e: Errno,
    call: Call,
    op: &'static str,
    path: &str,
    ask: &dyn Fn(Question) -> bool,
) -> OpenError {
    let path = path.to_owned();
    match e {
        Errno::XDEV if call == Call::Openat2 && !ask(Question::ResolvesAcrossMounts) => {
            OpenError::EscapesRoot { path }
        }
        Errno::XDEV => OpenError::CrossesMount { path },
        Errno::NOENT => OpenError::NotFound { path },
        Errno::LOOP => OpenError::SymlinkLoop { path },
        Errno::NOTDIR => OpenError::NotADirectory { path },
        Errno::EXIST => OpenError::AlreadyExists { path },
        Errno::NOTEMPTY => OpenError::NotEmpty { path },
        Errno::ISDIR | Errno::NXIO | Errno::NODEV => OpenError::NotAFile { path },
        Errno::PERM | Errno::NOSYS if call == Call::Openat2 && !ask(Question::Openat2Works) => {
            OpenError::Openat2Unavailable {
                path,
                source: io::Error::from_raw_os_error(e.raw_os_error()),
            }
        }
        e => OpenError::Io {
            op,
            path,
            source: io::Error::from_raw_os_error(e.raw_os_error()),
        },
    }
}

/// One operation on one path beneath a root.
struct Ctx<'a> {
    root: &'a RootDir,
    op: &'static str,
    /// Relative to the root; components of a [`SafeRelPath`].
    path: &'a str,
}

impl<'a> Ctx<'a> {
    fn new(root: &'a RootDir, op: &'static str, rel: &'a SafeRelPath) -> Self {
        Ctx {
            root,
            op,
            path: rel.as_str(),
        }
    }

    /// The path for `openat2` from the root (`.` for the root itself).
    fn target(&self) -> &str {
        if self.path.is_empty() {
            "."
        } else {
            self.path
        }
    }

    /// The resolve flags for whole paths from the root.
    fn resolve_flags(&self) -> ResolveFlags {
        let base = match self.root.options.resolve {
            Resolve::Beneath if crate::plant::active(super::super::plant::OPENAT2_NOT_BENEATH) => {
                ResolveFlags::empty()
            }
            Resolve::Beneath => ResolveFlags::BENEATH,
            Resolve::InRoot => ResolveFlags::IN_ROOT,
        };
        base | (self.final_flags() - ResolveFlags::BENEATH)
    }

    /// The resolve flags for one final component relative to its parent.
    fn final_flags(&self) -> ResolveFlags {
        let mut flags = ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS;
        if !self.root.options.cross_mounts {
            flags |= ResolveFlags::NO_XDEV;
        }
        flags
    }

    fn ask(&self, q: Question) -> bool {
        match q {
            Question::Openat2Works => openat2(
                &self.root.dir,
                ".",
                OFlags::PATH | OFlags::DIRECTORY,
                Mode::empty(),
                ResolveFlags::BENEATH,
            )
            .is_ok(),
            Question::ResolvesAcrossMounts => {
                !self.root.options.cross_mounts
                    && !matches!(
                        openat2(
                            &self.root.dir,
                            self.target(),
                            OFlags::PATH,
                            Mode::empty(),
                            self.resolve_flags() - ResolveFlags::NO_XDEV,
                        ),
                        Err(Errno::XDEV)
                    )
            }
        }
    }

    fn err(&self, e: Errno, call: Call) -> OpenError {
        map_errno(e, call, self.op, self.path, &|q| self.ask(q))
    }

    fn io(&self, e: impl Into<io::Error>) -> OpenError {
        OpenError::Io {
            op: self.op,
            path: self.path.to_owned(),
            source: e.into(),
        }
    }

    /// `openat2(root, path, flags)` with the root's resolve flags.
    fn resolve(&self, flags: OFlags) -> Result<OwnedFd, OpenError> {
        let resolve = self.resolve_flags();
        openat2(&self.root.dir, self.target(), flags, Mode::empty(), resolve)
            .map_err(|e| self.err(e, Call::Openat2))
    }

    /// The parent directory (an `O_PATH` descriptor resolved beneath the
    /// root) and the final component.
    fn parent(&self) -> Result<(OwnedFd, &'a str), OpenError> {
        let (dir, name) = match self.path.rsplit_once('/') {
            Some((dir, name)) => (dir, name),
            None if self.path.is_empty() => return Err(OpenError::IsTheRoot { op: self.op }),
            None => (".", self.path),
        };
        let resolve = self.resolve_flags();
        let flags = OFlags::PATH | OFlags::DIRECTORY;
        let fd = openat2(&self.root.dir, dir, flags, Mode::empty(), resolve)
            .map_err(|e| self.err(e, Call::Openat2))?;
        Ok((fd, name))
    }

    /// `openat2(parent, name, flags | O_NOFOLLOW)`: one component, never
    /// following a symlink there, not crossing a mount point onto it.
    fn at_parent(
        &self,
        parent: &OwnedFd,
        name: &str,
        flags: OFlags,
        mode: Mode,
    ) -> Result<OwnedFd, OpenError> {
        openat2(
            parent,
            name,
            flags | OFlags::NOFOLLOW,
            mode,
            self.final_flags(),
        )
        .map_err(|e| self.err(e, Call::Openat2))
    }

    /// Refuse a regular file with several links if the options say so.
    #[allow(clippy::unnecessary_cast)] // `st_nlink` is `u32` on some targets
    fn check_links(&self, st: &Stat) -> Result<(), OpenError> {
        if self.root.options.hard_links == HardLinks::Refuse && st.st_nlink > 1 {
            return Err(OpenError::HardLinked {
                path: self.path.to_owned(),
                links: st.st_nlink as u64,
            });
        }
        Ok(())
    }

    /// Open an existing regular file: look it up with `O_PATH` and check
    /// it, then open it with `access` by the same resolution and check that
    /// it is the same inode (see [`RootDir`]).
    fn open_existing(&self, access: OFlags, follow: bool) -> Result<File, OpenError> {
        let parent = if follow { None } else { Some(self.parent()?) };
        let open = |flags: OFlags| match &parent {
            None => self.resolve(flags),
            Some((dir, name)) => self.at_parent(dir, name, flags, Mode::empty()),
        };
        let probe = open(OFlags::PATH)?;
        let before = rustix::fs::fstat(&probe).map_err(|e| self.io(e))?;
        match FileType::from_raw_mode(before.st_mode) {
            FileType::RegularFile => {}
            FileType::Symlink => {
                return Err(OpenError::IsASymlink {
                    path: self.path.to_owned(),
                })
            }
            _ => {
                return Err(OpenError::NotAFile {
                    path: self.path.to_owned(),
                })
            }
        }
        self.check_links(&before)?;
        let changed = || OpenError::Changed {
            path: self.path.to_owned(),
        };
        let fd = match open(access | OFlags::NOCTTY | OFlags::NONBLOCK) {
            Ok(fd) => fd,
            // Something else is there now: a socket or driverless device
            // (ENXIO/ENODEV), a directory, a symlink under O_NOFOLLOW.
            Err(
                OpenError::NotAFile { .. }
                | OpenError::SymlinkLoop { .. }
                | OpenError::NotADirectory { .. },
            ) => return Err(changed()),
            Err(e) => return Err(e),
        };
        let after = rustix::fs::fstat(&fd).map_err(|e| self.io(e))?;
        if (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino) {
            return Err(changed());
        }
        self.check_links(&after)?;
        let fl = rustix::fs::fcntl_getfl(&fd).map_err(|e| self.io(e))?;
        rustix::fs::fcntl_setfl(&fd, fl - OFlags::NONBLOCK).map_err(|e| self.io(e))?;
        Ok(File::from(fd))
    }

    /// Create a new regular file in the parent, `O_CREAT|O_EXCL|O_NOFOLLOW`.
    fn create_new(&self, access: OFlags, mode: u32) -> Result<File, OpenError> {
        let (parent, name) = self.parent()?;
        let flags = access | OFlags::CREATE | OFlags::EXCL | OFlags::NOCTTY;
        let fd = self.at_parent(&parent, name, flags, Mode::from_raw_mode(mode))?;
        Ok(File::from(fd))
    }
}

pub(super) fn open_root(path: &Path) -> Result<File, OpenError> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    rustix::fs::open(path, flags, Mode::empty())
        .map(File::from)
        .map_err(|e| {
            map_errno(e, Call::Other, "open", &path.display().to_string(), &|_| {
                true
            })
        })
}

pub(super) fn open_file(
    root: &RootDir,
    rel: &SafeRelPath,
    options: &OpenOptions,
) -> Result<File, OpenError> {
    let creation = options.creation();
    let op = if creation == Create::Never {
        "open"
    } else {
        "create"
    };
    let cx = Ctx::new(root, op, rel);
    let mut access = match (options.wants_read(), options.wants_write()) {
        (true, true) => OFlags::RDWR,
        (false, true) => OFlags::WRONLY,
        _ => OFlags::RDONLY,
    };
    if options.wants_append() {
        access |= OFlags::APPEND;
    }
    let file = match creation {
        Create::New => cx.create_new(access, options.creation_mode())?,
        Create::IfMissing => {
            let mut tries = 0;
            loop {
                let r = match cx.create_new(access, options.creation_mode()) {
                    Err(OpenError::AlreadyExists { .. }) => cx.open_existing(access, false),
                    r => r,
                };
                match r {
                    // Removed between the create and the open: try again.
                    Err(OpenError::NotFound { .. }) if tries < RETRIES => tries += 1,
                    r => break r?,
                }
            }
        }
        _ => cx.open_existing(access, true)?,
    };
    if options.wants_truncate() {
        file.set_len(0).map_err(|e| cx.io(e))?;
    }
    Ok(file)
}

pub(super) fn open_dir(root: &RootDir, rel: &SafeRelPath) -> Result<File, OpenError> {
    let cx = Ctx::new(root, "open_dir", rel);
    cx.resolve(OFlags::RDONLY | OFlags::DIRECTORY)
        .map(File::from)
}

pub(super) fn create_dir(root: &RootDir, rel: &SafeRelPath) -> Result<(), OpenError> {
    let cx = Ctx::new(root, "create_dir", rel);
    let (parent, name) = cx.parent()?;
    rustix::fs::mkdirat(&parent, name, Mode::from_raw_mode(0o777))
        .map_err(|e| cx.err(e, Call::Other))
}

pub(super) fn create_dir_all(root: &RootDir, rel: &SafeRelPath) -> Result<(), OpenError> {
    let top = Ctx {
        path: "",
        ..Ctx::new(root, "create_dir_all", rel)
    };
    let dir_flags = OFlags::PATH | OFlags::DIRECTORY;
    let mut cur = top.resolve(dir_flags)?;
    let mut end = 0;
    for name in rel.components() {
        end += usize::from(end > 0) + name.len();
        let cx = Ctx {
            path: &rel.as_str()[..end],
            ..Ctx::new(root, "create_dir_all", rel)
        };
        cur = match openat2(
            &root.dir,
            cx.path,
            dir_flags,
            Mode::empty(),
            cx.resolve_flags(),
        ) {
            Ok(fd) => fd,
            Err(Errno::NOENT) => {
                match rustix::fs::mkdirat(&cur, name, Mode::from_raw_mode(0o777)) {
                    Ok(()) | Err(Errno::EXIST) => {}
                    Err(e) => return Err(cx.err(e, Call::Other)),
                }
                cx.resolve(dir_flags)?
            }
            Err(e) => return Err(cx.err(e, Call::Openat2)),
        };
    }
    Ok(())
}

pub(super) fn metadata(root: &RootDir, rel: &SafeRelPath) -> Result<Metadata, OpenError> {
    let cx = Ctx::new(root, "stat", rel);
    let fd = cx.resolve(OFlags::PATH)?;
    File::from(fd).metadata().map_err(|e| cx.io(e))
}

pub(super) fn symlink_metadata(root: &RootDir, rel: &SafeRelPath) -> Result<Metadata, OpenError> {
    if rel.is_empty() {
        return metadata(root, rel);
    }
    let cx = Ctx::new(root, "lstat", rel);
    let (parent, name) = cx.parent()?;
    let fd = cx.at_parent(&parent, name, OFlags::PATH, Mode::empty())?;
    File::from(fd).metadata().map_err(|e| cx.io(e))
}

pub(super) fn remove(root: &RootDir, rel: &SafeRelPath, dir: bool) -> Result<(), OpenError> {
    let op = if dir { "remove_dir" } else { "remove_file" };
    let cx = Ctx::new(root, op, rel);
    let (parent, name) = cx.parent()?;
    let flags = if dir {
        AtFlags::REMOVEDIR
    } else {
        AtFlags::empty()
    };
    rustix::fs::unlinkat(&parent, name, flags).map_err(|e| match e {
        // rmdir(2) may say EEXIST for a non-empty directory.
        Errno::EXIST if dir => OpenError::NotEmpty {
            path: rel.as_str().to_owned(),
        },
        e => cx.err(e, Call::Other),
    })
}

pub(super) fn rename(
    root: &RootDir,
    from: &SafeRelPath,
    to: &SafeRelPath,
) -> Result<(), OpenError> {
    let src = Ctx::new(root, "rename", from);
    let dst = Ctx::new(root, "rename", to);
    let (from_dir, from_name) = src.parent()?;
    let (to_dir, to_name) = dst.parent()?;
    rustix::fs::renameat(&from_dir, from_name, &to_dir, to_name).map_err(|e| match e {
        Errno::EXIST | Errno::NOTEMPTY => OpenError::NotEmpty {
            path: to.as_str().to_owned(),
        },
        Errno::ISDIR => OpenError::NotADirectory {
            path: from.as_str().to_owned(),
        },
        Errno::BUSY if !root.options.cross_mounts => OpenError::CrossesMount {
            path: from.as_str().to_owned(),
        },
        e => src.err(e, Call::Other),
    })
}

pub(super) fn read_dir(root: &RootDir, rel: &SafeRelPath) -> Result<ReadDir, OpenError> {
    let cx = Ctx::new(root, "read_dir", rel);
    let fd = cx.resolve(OFlags::RDONLY | OFlags::DIRECTORY)?;
    let dir = rustix::fs::Dir::new(fd).map_err(|e| cx.io(e))?;
    Ok(ReadDir {
        dir,
        path: rel.as_str().to_owned(),
    })
}

/// The entries of a directory opened beneath the root.
pub(super) struct ReadDir {
    dir: rustix::fs::Dir,
    path: String,
}

impl std::fmt::Debug for ReadDir {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadDir").field("path", &self.path).finish()
    }
}

impl ReadDir {
    fn io(&self, e: Errno) -> OpenError {
        OpenError::Io {
            op: "read_dir",
            path: self.path.clone(),
            source: e.into(),
        }
    }

    fn kind(&self, name: &std::ffi::CStr, file_type: FileType) -> Result<EntryKind, OpenError> {
        let file_type = match file_type {
            FileType::Unknown => {
                let fd = self.dir.fd().map_err(|e| self.io(e))?;
                let st = rustix::fs::statat(fd, name, AtFlags::SYMLINK_NOFOLLOW)
                    .map_err(|e| self.io(e))?;
                FileType::from_raw_mode(st.st_mode)
            }
            t => t,
        };
        Ok(match file_type {
            FileType::RegularFile => EntryKind::File,
            FileType::Directory => EntryKind::Dir,
            FileType::Symlink => EntryKind::Symlink,
            _ => EntryKind::Special,
        })
    }

    pub(super) fn next(&mut self) -> Option<Result<DirEntry, OpenError>> {
        loop {
            let entry = match self.dir.read()? {
                Ok(entry) => entry,
                Err(e) => return Some(Err(self.io(e))),
            };
            let name = entry.file_name();
            if matches!(name.to_bytes(), b"." | b"..") {
                continue;
            }
            return Some(self.kind(name, entry.file_type()).map(|kind| DirEntry {
                name: OsStr::from_bytes(name.to_bytes()).to_owned(),
                kind,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eperm_or_enosys_from_openat2_says_the_syscall_is_refused_when_it_fails_on_the_root_too() {
        let refused = |_| false;
        for (errno, word) in [(Errno::PERM, "refused (EPERM)"), (Errno::NOSYS, "ENOSYS")] {
            let e = map_errno(errno, Call::Openat2, "open", "a/f", &refused);
            assert!(
                matches!(&e, OpenError::Openat2Unavailable { path, .. } if path == "a/f"),
                "{e:?}"
            );
            let msg = e.to_string();
            for needle in ["`a/f`", "openat2", word, "seccomp", "5.6"] {
                assert!(msg.contains(needle), "{needle:?} missing from {msg:?}");
            }
            assert!(std::error::Error::source(&e).is_some());
        }
        // openat2 works on the root: a plain permission error on the file.
        let works = |_| true;
        let e = map_errno(Errno::PERM, Call::Openat2, "open", "a/f", &works);
        assert!(matches!(e, OpenError::Io { op: "open", .. }), "{e:?}");
        // Another call's EPERM is never blamed on openat2.
        let e = map_errno(Errno::PERM, Call::Other, "remove_file", "a/f", &refused);
        assert!(matches!(e, OpenError::Io { .. }), "{e:?}");
        assert_eq!(e.to_string(), "cannot remove_file `a/f`");
    }

    #[test]
    fn exdev_is_a_mount_crossing_only_if_the_path_resolves_without_no_xdev() {
        let e = map_errno(Errno::XDEV, Call::Openat2, "open", "m/f", &|q| {
            q == Question::ResolvesAcrossMounts
        });
        assert!(matches!(e, OpenError::CrossesMount { .. }), "{e:?}");
        assert!(e.to_string().contains("`m/f`") && e.to_string().contains("mount point"));
        let e = map_errno(Errno::XDEV, Call::Openat2, "open", "up", &|_| false);
        assert!(matches!(e, OpenError::EscapesRoot { .. }), "{e:?}");
    }
}
