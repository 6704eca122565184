//! What a [`RootDir`](super::RootDir) allows ([`RootOptions`]) and how one
//! file is opened ([`OpenOptions`]).

use crate::path::OpenError;

/// How paths are resolved against the root.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Resolve {
    /// `RESOLVE_BENEATH`: a resolution that would leave the root — an
    /// absolute symlink, a `..` in a symlink climbing above it — is
    /// [`OpenError::EscapesRoot`].
    #[default]
    Beneath,
    /// `RESOLVE_IN_ROOT`: the root acts as `/` (like `chroot`): an absolute
    /// symlink is resolved from the root, and `..` at the root stays there.
    /// For trees whose symlinks were written for the root as `/` (container
    /// images, extracted archives); nothing escapes either way.
    InRoot,
}

/// Whether regular files with several hard links are opened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HardLinks {
    /// Open them: a hard link is the file itself, under another name.
    #[default]
    Allow,
    /// Refuse regular files with `st_nlink > 1` ([`OpenError::HardLinked`]):
    /// one of the other names may be outside the root, and no resolution
    /// can tell a link made from outside from the original. Legitimate hard
    /// links inside the tree are refused too.
    Refuse,
}

/// What operations beneath a [`RootDir`](super::RootDir) allow. Every
/// field has a safe default; build with [`RootOptions::default`] and the
/// setters.
///
/// ```
/// use secfuzz::path::{HardLinks, Resolve, RootOptions};
/// let strict = RootOptions::default().hard_links(HardLinks::Refuse);
/// assert_eq!(strict.resolve, Resolve::Beneath);
/// assert!(!strict.cross_mounts);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RootOptions {
    /// How paths resolve. Default: [`Resolve::Beneath`].
    pub resolve: Resolve,
    /// Let a resolution cross a mount point (a bind mount or another file
    /// system mounted under the root). Default: `false`
    /// (`RESOLVE_NO_XDEV`, [`OpenError::CrossesMount`]).
    pub cross_mounts: bool,
    /// Regular files with several hard links. Default: [`HardLinks::Allow`].
    pub hard_links: HardLinks,
}

impl RootOptions {
    /// Set [`RootOptions::resolve`]. Default: [`Resolve::Beneath`].
    pub fn resolve(mut self, v: Resolve) -> Self {
        self.resolve = v;
        self
    }

    /// Set [`RootOptions::cross_mounts`]. Default: `false`.
    pub fn cross_mounts(mut self, v: bool) -> Self {
        self.cross_mounts = v;
        self
    }

    /// Set [`RootOptions::hard_links`]. Default: [`HardLinks::Allow`].
    pub fn hard_links(mut self, v: HardLinks) -> Self {
        self.hard_links = v;
        self
    }
}

/// Whether [`RootDir::open_file_with`](super::RootDir::open_file_with)
/// creates the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Create {
    /// Open an existing file only ([`OpenError::NotFound`] otherwise).
    #[default]
    Never,
    /// Create it; anything already there, even a dangling symlink, is
    /// [`OpenError::AlreadyExists`] (`O_CREAT|O_EXCL`).
    New,
    /// Create it, or open the existing regular file (not through a final
    /// symlink: [`OpenError::IsASymlink`]).
    IfMissing,
}

/// How [`RootDir::open_file_with`](super::RootDir::open_file_with) opens a
/// file. [`OpenOptions::new`] is read-only, no creation.
///
/// Contradictions are [`OpenError::InvalidOptions`]: neither read nor write
/// nor append; truncate without write, or with append; creating without
/// write or append.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OpenOptions {
    read: bool,
    write: bool,
    append: bool,
    truncate: bool,
    create: Create,
    mode: u32,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl OpenOptions {
    /// Read-only, existing files only, mode `0o666` for created files.
    pub fn new() -> Self {
        OpenOptions {
            read: true,
            write: false,
            append: false,
            truncate: false,
            create: Create::Never,
            mode: 0o666,
        }
    }

    /// Write-only, created if missing, truncated if it exists (a regular
    /// file, not through a final symlink): overwriting an upload.
    pub fn create_or_truncate() -> Self {
        OpenOptions::new()
            .read(false)
            .write(true)
            .truncate(true)
            .create(Create::IfMissing)
    }

    /// Open for reading. Default: `true`.
    pub fn read(mut self, v: bool) -> Self {
        self.read = v;
        self
    }

    /// Open for writing. Default: `false`.
    pub fn write(mut self, v: bool) -> Self {
        self.write = v;
        self
    }

    /// Open for appending (`O_APPEND`, implies writing). Default: `false`.
    pub fn append(mut self, v: bool) -> Self {
        self.append = v;
        self
    }

    /// Truncate an existing file to length 0, after it was checked. Needs
    /// [`OpenOptions::write`]. Default: `false`.
    pub fn truncate(mut self, v: bool) -> Self {
        self.truncate = v;
        self
    }

    /// Whether to create the file. Default: [`Create::Never`].
    pub fn create(mut self, v: Create) -> Self {
        self.create = v;
        self
    }

    /// Permission bits of a created file, before the umask. Default `0o666`.
    pub fn mode(mut self, v: u32) -> Self {
        self.mode = v;
        self
    }

    pub(super) fn validate(&self) -> Result<(), OpenError> {
        let bad = |reason| Err(OpenError::InvalidOptions { reason });
        if !self.read && !self.write && !self.append {
            return bad("neither read, write nor append");
        }
        if self.truncate && (!self.write || self.append) {
            return bad("truncate needs write and no append");
        }
        if self.create != Create::Never && !self.write && !self.append {
            return bad("creating a file needs write or append");
        }
        if self.mode & !0o7777 != 0 {
            return bad("mode has bits outside 0o7777");
        }
        Ok(())
    }

    pub(super) fn wants_read(&self) -> bool {
        self.read
    }
    pub(super) fn wants_write(&self) -> bool {
        self.write || self.append
    }
    pub(super) fn wants_append(&self) -> bool {
        self.append
    }
    pub(super) fn wants_truncate(&self) -> bool {
        self.truncate
    }
    pub(super) fn creation(&self) -> Create {
        self.create
    }
    pub(super) fn creation_mode(&self) -> u32 {
        self.mode
    }
}
