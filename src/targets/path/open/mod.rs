//! File-system operations on a [`SafeRelPath`] beneath a directory handle,
//! so that symlinks, mount points and races in the tree cannot lead outside
//! it.
//!
//! Lexical confinement cannot see symlinks: `uploads/link/secret` is a fine
//! relative path, and `link` may point at `/etc` or `../../outside`. On Linux
//! [`RootDir`] resolves paths with `openat2(2)` and
//! `RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV`: the kernel
//! refuses, with `EXDEV`, any resolution that would leave the directory —
//! through `..`, an absolute symlink, a relative symlink climbing out, a
//! `/proc` magic link — or cross a mount point, and checks every step
//! atomically, so no string inspection is involved and renames during the
//! lookup cannot trick it. Elsewhere every operation is
//! [`OpenError::Unsupported`].

//!
//! The design and its limits are documented on [`RootDir`].

mod options;
mod user_path;

#[cfg(any(target_os = "linux", target_os = "android"))]
#[path = "linux.rs"]
mod sys;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
#[path = "unsupported.rs"]
mod sys;

use std::ffi::OsStr;
use std::fs::{File, Metadata};
use std::path::{Path, PathBuf};

use super::error::OpenError;
use super::{Policy, SafeRelPath};

pub use options::{Create, HardLinks, OpenOptions, Resolve, RootOptions};
pub use user_path::{Opened, UserPath};

/// A directory handle that paths are resolved beneath, with the file
/// operations a file-upload or static-file service needs.
///
/// ```no_run
/// use secfuzz::path::{confine, Policy, RootDir};
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let root = RootDir::open("/srv/uploads")?;
/// let rel = confine("user42/avatar.png", &Policy::default())?;
/// let file = root.open_file(&rel)?; // beneath /srv/uploads, symlinks or not
/// # Ok(()) }
/// ```
///
/// # How each operation stays beneath the root
///
/// * **Opening an existing file** ([`RootDir::open_file`],
///   [`RootDir::open_file_with`] without creation) is done in two steps, so
///   that a FIFO, socket or device is refused *before* it is opened (no
///   driver's `open` runs, nothing blocks):
///   1. `openat2(root, path, O_PATH, resolve)` — an `O_PATH` descriptor
///      names the inode without opening it; `fstat` on it checks the type
///      (regular file, or [`OpenError::NotAFile`]) and, with
///      [`HardLinks::Refuse`], the link count;
///   2. `openat2(root, path, O_RDONLY|O_NOCTTY|O_NONBLOCK, resolve)` — the
///      same path, the same resolve flags — and `fstat` again: if the
///      (device, inode) pair differs from step 1, the path was swapped in
///      between and the result is [`OpenError::Changed`]; nothing is
///      returned and nothing was truncated (truncation is an `ftruncate`
///      after the check).
///
///   Why this is sound: step 2 is itself a confined resolution, so a race
///   can only make it open a *different file beneath the root* (on the
///   root's mount unless [`RootOptions::cross_mounts`]) — never one outside — and the identity check then refuses it.
///   `O_NONBLOCK` keeps a FIFO swapped in from blocking, and sockets answer
///   `ENXIO` without side effects. The one residue is a device node swapped
///   in during the window: its driver's `open` would run before the
///   identity check refuses it. Creating a device node needs `CAP_MKNOD`,
///   and mounting the root's file system `nodev` closes that too. The
///   alternative, reopening the `O_PATH` descriptor through
///   `/proc/self/fd/N`, would need `/proc` and a magic link, which is what
///   `RESOLVE_NO_MAGICLINKS` exists to refuse.
///
/// * **Everything that names a final component** (create, `mkdir`, remove,
///   rename, [`RootDir::symlink_metadata`]) opens the *parent* directory
///   with `openat2(O_PATH|O_DIRECTORY, resolve)` and then acts on the last
///   component relative to that descriptor with no-follow semantics
///   (`openat2(O_CREAT|O_EXCL|O_NOFOLLOW)`, `mkdirat`, `unlinkat`,
///   `renameat`): a symlink swapped in for the final component is created
///   over (`EEXIST`), removed or renamed itself, never followed, and a
///   swapped parent is already pinned by its descriptor.
///
/// # Limits
///
/// * **Hard links** cannot be told apart: a hard link is the file, under a
///   second name. If someone could link an outside file into the tree (same
///   file system, `fs.protected_hardlinks=0` or owning the file), it *is*
///   beneath the root as far as any path resolution can tell: a link made
///   before the root was opened cannot be told from the original. The
///   only defence is
///   [`HardLinks::Refuse`], which refuses regular files with
///   `st_nlink > 1` — including legitimate hard links inside the tree.
/// * **Bind mounts** under the root are refused by default
///   ([`RootOptions::cross_mounts`]); so are other file systems mounted
///   below it.
/// * Descriptors are not paths: a file opened and then moved out of the
///   root stays open.
#[derive(Debug)]
pub struct RootDir {
    dir: File,
    path: PathBuf,
    options: RootOptions,
}

impl RootDir {
    /// Open `path` (trusted, e.g. from configuration) as the root, with the
    /// default [`RootOptions`].
    pub fn open(path: impl AsRef<Path>) -> Result<RootDir, OpenError> {
        RootDir::open_with(path, RootOptions::default())
    }

    /// Open `path` (trusted) as the root, with `options`.
    pub fn open_with(path: impl AsRef<Path>, options: RootOptions) -> Result<RootDir, OpenError> {
        let path = path.as_ref();
        Ok(RootDir {
            dir: sys::open_root(path)?,
            path: path.to_path_buf(),
            options,
        })
    }

    /// The path this handle was opened from (for messages; the handle keeps
    /// referring to the same directory if it is renamed).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Borrow the directory handle.
    pub fn as_file(&self) -> &File {
        &self.dir
    }

    /// The options every operation beneath this root uses.
    pub fn options(&self) -> &RootOptions {
        &self.options
    }

    /// Open the regular file `rel` names, read-only, without leaving the
    /// root (symlinks inside the root are followed). FIFOs, sockets, devices
    /// and directories are [`OpenError::NotAFile`] and are not opened.
    pub fn open_file(&self, rel: &SafeRelPath) -> Result<File, OpenError> {
        self.open_file_with(rel, &OpenOptions::new())
    }

    /// Open or create the regular file `rel` names, as `options` say.
    ///
    /// Without [`Create`], an existing file is opened like
    /// [`RootDir::open_file`] (symlinks inside the root followed). With
    /// [`Create::New`] or [`Create::IfMissing`], the file is created in its
    /// parent directory with `O_CREAT|O_EXCL|O_NOFOLLOW`; an existing
    /// final symlink is never followed ([`OpenError::AlreadyExists`] for
    /// `New`, [`OpenError::IsASymlink`] for `IfMissing`). Truncation
    /// happens only after the file was checked to be the regular file the
    /// path named.
    pub fn open_file_with(
        &self,
        rel: &SafeRelPath,
        options: &OpenOptions,
    ) -> Result<File, OpenError> {
        options.validate()?;
        sys::open_file(self, rel, options)
    }

    /// Create the regular file `rel` names, write-only, failing with
    /// [`OpenError::AlreadyExists`] if anything (even a dangling symlink) is
    /// there. To overwrite, use [`RootDir::open_file_with`] with
    /// [`OpenOptions::create_or_truncate`].
    pub fn create_file(&self, rel: &SafeRelPath) -> Result<File, OpenError> {
        self.open_file_with(rel, &OpenOptions::new().write(true).create(Create::New))
    }

    /// Open the directory `rel` names (the root itself for an empty path)
    /// as a new root with the same options, without leaving this one.
    pub fn open_dir(&self, rel: &SafeRelPath) -> Result<RootDir, OpenError> {
        Ok(RootDir {
            dir: sys::open_dir(self, rel)?,
            path: rel.join_to(&self.path),
            options: self.options.clone(),
        })
    }

    /// Create the directory `rel` names (mode `0o777` less the umask); its
    /// parent must exist. [`OpenError::AlreadyExists`] if anything is there.
    pub fn create_dir(&self, rel: &SafeRelPath) -> Result<(), OpenError> {
        sys::create_dir(self, rel)
    }

    /// Create the directory `rel` names and every missing parent, each
    /// beneath the root; existing directories (and symlinks to directories
    /// inside the root) are fine.
    pub fn create_dir_all(&self, rel: &SafeRelPath) -> Result<(), OpenError> {
        sys::create_dir_all(self, rel)
    }

    /// Metadata of what `rel` names, following symlinks only inside the
    /// root (one that leads out is [`OpenError::EscapesRoot`]). Nothing is
    /// opened for reading: the inode is looked up with `O_PATH`.
    pub fn metadata(&self, rel: &SafeRelPath) -> Result<Metadata, OpenError> {
        sys::metadata(self, rel)
    }

    /// Metadata of what `rel` names without following a final symlink (the
    /// symlink's own metadata, like `lstat`); the parent is resolved beneath
    /// the root.
    pub fn symlink_metadata(&self, rel: &SafeRelPath) -> Result<Metadata, OpenError> {
        sys::symlink_metadata(self, rel)
    }

    /// The entries of the directory `rel` names (the root itself for an
    /// empty path), without `.` and `..`.
    pub fn read_dir(&self, rel: &SafeRelPath) -> Result<ReadDir, OpenError> {
        Ok(ReadDir {
            inner: sys::read_dir(self, rel)?,
        })
    }

    /// Remove the file (or symlink, itself) `rel` names. A directory is
    /// [`OpenError::NotAFile`].
    pub fn remove_file(&self, rel: &SafeRelPath) -> Result<(), OpenError> {
        sys::remove(self, rel, false)
    }

    /// Remove the empty directory `rel` names ([`OpenError::NotEmpty`]
    /// otherwise; a symlink to a directory is [`OpenError::NotADirectory`]).
    pub fn remove_dir(&self, rel: &SafeRelPath) -> Result<(), OpenError> {
        sys::remove(self, rel, true)
    }

    /// Rename `from` to `to`, both beneath this root, replacing `to` if it
    /// exists (POSIX `rename` rules: a file replaces a file, a directory an
    /// empty directory). Neither final component is followed if it is a
    /// symlink: the symlink itself is renamed or replaced.
    pub fn rename(&self, from: &SafeRelPath, to: &SafeRelPath) -> Result<(), OpenError> {
        sys::rename(self, from, to)
    }

    /// Confine `input` under `policy` and open what it names: a regular
    /// file, or a directory (as a new root). A trailing `/` (or `/.`, or a
    /// final `..` that `confine` resolved) in the input means "must be a
    /// directory", as in POSIX, even though [`confine`](super::confine)
    /// drops it from the [`SafeRelPath`]: see [`UserPath`].
    pub fn open_user_path(&self, input: &str, policy: &Policy) -> Result<Opened, OpenError> {
        let user = UserPath::new(input, policy).map_err(|source| OpenError::Refused {
            input: input.to_owned(),
            source,
        })?;
        self.open_user(&user)
    }

    /// Open what a [`UserPath`] names: [`Opened::Dir`] if it is a directory,
    /// [`Opened::File`] for a regular file unless the path must name a
    /// directory ([`OpenError::NotADirectory`]); anything else is
    /// [`OpenError::NotAFile`].
    pub fn open_user(&self, user: &UserPath) -> Result<Opened, OpenError> {
        let rel = user.path();
        if user.must_be_dir() {
            return self.open_dir(rel).map(Opened::Dir);
        }
        match self.open_file(rel) {
            Err(not_a_file @ OpenError::NotAFile { .. }) => match self.open_dir(rel) {
                Ok(dir) => Ok(Opened::Dir(dir)),
                Err(_) => Err(not_a_file),
            },
            r => r.map(Opened::File),
        }
    }
}

/// The entries of a directory beneath a [`RootDir`]; see
/// [`RootDir::read_dir`].
#[derive(Debug)]
pub struct ReadDir {
    inner: sys::ReadDir,
}

impl Iterator for ReadDir {
    type Item = Result<DirEntry, OpenError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next()
    }
}

/// One entry of a [`ReadDir`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirEntry {
    name: std::ffi::OsString,
    kind: EntryKind,
}

impl DirEntry {
    /// The entry's name (one component; not necessarily valid UTF-8 nor
    /// acceptable to [`confine`](super::confine)).
    pub fn name(&self) -> &OsStr {
        &self.name
    }

    /// What the entry is, without following a symlink.
    pub fn kind(&self) -> EntryKind {
        self.kind
    }
}

/// The type of a [`DirEntry`] (a symlink is not followed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link.
    Symlink,
    /// A FIFO, socket or device.
    Special,
}
