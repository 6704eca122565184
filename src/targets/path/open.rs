//! Opening a [`SafeRelPath`] beneath a directory handle, so that symlinks in
//! the tree cannot lead outside it.
//!
//! Lexical confinement cannot see symlinks: `uploads/link/secret` is a fine
//! relative path, and `link` may point at `/etc` or `../../outside`. On Linux
//! [`RootDir`] resolves paths with `openat2(2)` and
//! `RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS`: the kernel refuses, with
//! `EXDEV`, any resolution that would leave the directory — through `..`, an
//! absolute symlink, a relative symlink climbing out, or a `/proc` magic link
//! — and checks every step atomically, so no string inspection is involved
//! and renames during the lookup cannot trick it. Elsewhere every operation
//! is [`OpenError::Unsupported`].

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use super::error::OpenError;
use super::SafeRelPath;

/// A directory handle that paths are opened beneath.
///
/// ```no_run
/// use secfuzz::path::{confine, Policy, RootDir};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let root = RootDir::open("/srv/uploads")?;
/// let rel = confine("user42/avatar.png", &Policy::default())?;
/// let file = root.open_file(&rel)?; // never outside /srv/uploads, symlinks or not
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct RootDir {
    dir: File,
    path: PathBuf,
}

impl RootDir {
    /// The path this handle was opened from (for messages; the handle keeps
    /// referring to the same directory if it is renamed).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Borrow the directory handle.
    pub fn as_file(&self) -> &File {
        &self.dir
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
mod imp {
    use super::*;
    use rustix::fs::{Mode, OFlags, ResolveFlags};
    use rustix::io::Errno;

    /// How many times a lookup is retried when the kernel reports a
    /// concurrent rename (`EAGAIN`).
    const RETRIES: usize = 16;

    fn path_text(rel: &SafeRelPath) -> String {
        rel.as_str().to_owned()
    }

    fn map_errno(e: Errno, path: String) -> OpenError {
        match e {
            Errno::XDEV => OpenError::EscapesRoot { path },
            Errno::NOENT => OpenError::NotFound { path },
            Errno::LOOP => OpenError::SymlinkLoop { path },
            Errno::NOTDIR => OpenError::NotADirectory { path },
            Errno::NOSYS => OpenError::Unsupported {
                reason: "the kernel has no openat2 (Linux 5.6 or later is needed)",
            },
            e => OpenError::Io {
                path,
                source: io::Error::from_raw_os_error(e.raw_os_error()),
            },
        }
    }

    fn beneath(dir: &File, rel: &SafeRelPath, flags: OFlags) -> Result<File, OpenError> {
        let target = if rel.is_empty() { "." } else { rel.as_str() };
        let resolve = ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS;
        let mut tries = 0;
        loop {
            match rustix::fs::openat2(dir, target, flags | OFlags::CLOEXEC, Mode::empty(), resolve)
            {
                Ok(fd) => return Ok(File::from(fd)),
                Err(Errno::AGAIN | Errno::INTR) if tries < RETRIES => tries += 1,
                Err(e) => return Err(map_errno(e, path_text(rel))),
            }
        }
    }

    impl RootDir {
        /// Open `path` (trusted, e.g. from configuration) as the root.
        pub fn open(path: impl AsRef<Path>) -> Result<RootDir, OpenError> {
            let path = path.as_ref();
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            match rustix::fs::open(path, flags, Mode::empty()) {
                Ok(fd) => Ok(RootDir {
                    dir: File::from(fd),
                    path: path.to_path_buf(),
                }),
                Err(e) => Err(map_errno(e, path.display().to_string())),
            }
        }

        /// Open the regular file `rel` names, read-only, without leaving the
        /// root. FIFOs, sockets, devices and directories are
        /// [`OpenError::NotAFile`]; the open does not block on a FIFO.
        pub fn open_file(&self, rel: &SafeRelPath) -> Result<File, OpenError> {
            let flags = OFlags::RDONLY | OFlags::NOCTTY | OFlags::NONBLOCK;
            let file = beneath(&self.dir, rel, flags)?;
            let io_err = |source| OpenError::Io {
                path: path_text(rel),
                source,
            };
            if !file.metadata().map_err(io_err)?.is_file() {
                return Err(OpenError::NotAFile {
                    path: path_text(rel),
                });
            }
            let fl = rustix::fs::fcntl_getfl(&file).map_err(|e| io_err(e.into()))?;
            rustix::fs::fcntl_setfl(&file, fl - OFlags::NONBLOCK).map_err(|e| io_err(e.into()))?;
            Ok(file)
        }

        /// Open the directory `rel` names (the root itself for an empty path)
        /// as a new root, without leaving this one.
        pub fn open_dir(&self, rel: &SafeRelPath) -> Result<RootDir, OpenError> {
            let dir = beneath(&self.dir, rel, OFlags::RDONLY | OFlags::DIRECTORY)?;
            Ok(RootDir {
                dir,
                path: rel.join_to(&self.path),
            })
        }
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
mod imp {
    use super::*;

    const REASON: &str = "confined opening needs Linux openat2";

    impl RootDir {
        /// Open `path` as the root. Always [`OpenError::Unsupported`] here.
        pub fn open(path: impl AsRef<Path>) -> Result<RootDir, OpenError> {
            let _ = path;
            Err(OpenError::Unsupported { reason: REASON })
        }

        /// Open a regular file beneath the root. Always
        /// [`OpenError::Unsupported`] here.
        pub fn open_file(&self, rel: &SafeRelPath) -> Result<File, OpenError> {
            let _ = rel;
            Err(OpenError::Unsupported { reason: REASON })
        }

        /// Open a directory beneath the root. Always
        /// [`OpenError::Unsupported`] here.
        pub fn open_dir(&self, rel: &SafeRelPath) -> Result<RootDir, OpenError> {
            let _ = rel;
            Err(OpenError::Unsupported { reason: REASON })
        }
    }
}
