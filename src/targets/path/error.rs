//! The path target's errors: why [`confine`](super::confine) refused a path
//! ([`PathError`]) and why [`RootDir`](super::RootDir) could not open one
//! ([`OpenError`]).

use std::fmt;
use std::io;

/// Why [`confine`](super::confine) refused a path.
///
/// Offsets are byte offsets into the original input (before percent
/// decoding); for a problem inside a decoded escape they point at its `%`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PathError {
    /// The input is longer than [`Policy::max_len`](super::Policy::max_len).
    TooLong {
        /// Input length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A component is longer than [`Policy::max_component_len`](super::Policy::max_component_len).
    ComponentTooLong {
        /// Where the component starts.
        offset: usize,
        /// Its length in bytes, after decoding.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// More components than [`Policy::max_depth`](super::Policy::max_depth).
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// The path resolves to the root itself and [`Policy::allow_empty`](super::Policy::allow_empty) is off.
    Empty,
    /// A `%` not followed by two hex digits (with [`Percent::DecodeOnce`](super::Percent::DecodeOnce)).
    MalformedEscape {
        /// Where the `%` is.
        offset: usize,
    },
    /// Decoding produced a `%` (the input has `%25`): double encoding.
    DoubleEncoding {
        /// Where the `%25` is.
        offset: usize,
    },
    /// A `%XX` or IIS `%uXXXX` escape with [`Percent::RefuseEscapes`](super::Percent::RefuseEscapes),
    /// including one that appears once the characters after the `%` are
    /// normalized (`%２e`, `%2é`).
    PercentEscape {
        /// Where the `%` is.
        offset: usize,
    },
    /// An overlong UTF-8 sequence (`%c0%ae` is an overlong `.`).
    OverlongUtf8 {
        /// Where the sequence starts.
        offset: usize,
    },
    /// Bytes that are not UTF-8 (other than overlong forms).
    NotUtf8 {
        /// Where the invalid sequence starts.
        offset: usize,
    },
    /// A NUL character, which truncates paths in C APIs.
    Nul {
        /// Where it is.
        offset: usize,
    },
    /// A control character (C0, DEL or C1) or a Unicode line or paragraph
    /// separator (U+2028, U+2029).
    ControlChar {
        /// Where it is.
        offset: usize,
        /// The character.
        ch: char,
    },
    /// An invisible or formatting character: any of general category Cf
    /// (zero-width space, right-to-left override, byte order mark, Arabic
    /// number signs, shorthand format controls, tags, …), fillers, variation
    /// selectors.
    InvisibleChar {
        /// Where it is.
        offset: usize,
        /// The character.
        ch: char,
    },
    /// A character that normalizes (NFKC, or NFKD and accent stripping) to,
    /// or is shown or best-fit converted as, `.`, `/`, `\`, `:` or `%`, or,
    /// with [`WindowsNames::Refuse`](super::WindowsNames::Refuse), one of `<>"|?*`.
    UnicodeLookalike {
        /// Where it is.
        offset: usize,
        /// The character.
        ch: char,
        /// The ASCII character it imitates.
        looks_like: char,
    },
    /// A leading `/` or `\`.
    Absolute,
    /// A UNC path (`\\host\share`, `//host/share`).
    Unc,
    /// A Windows device or NT namespace path (`\\?\`, `\\.\`, `//?/`, `\??\`).
    DevicePath,
    /// A component starting with a drive letter (`C:`, `C:foo`, `c:\`).
    DriveLetter {
        /// Where the component starts.
        offset: usize,
        /// The drive letter.
        letter: char,
    },
    /// A `\` with [`Backslash::Refuse`](super::Backslash::Refuse).
    BackslashRefused {
        /// Where it is.
        offset: usize,
    },
    /// A `..` with [`DotDot::Refuse`](super::DotDot::Refuse).
    DotDotRefused {
        /// Where it is.
        offset: usize,
    },
    /// A `..` that would leave the root.
    EscapesRoot {
        /// Where the escaping `..` is.
        offset: usize,
    },
    /// A Windows reserved device name (`CON`, `nul.txt`, `COM¹`, …).
    ReservedName {
        /// Where the component starts.
        offset: usize,
        /// The component.
        component: String,
    },
    /// A `:` inside a component (NTFS alternate data stream).
    Colon {
        /// Where the `:` is.
        offset: usize,
    },
    /// One of `<>"|?*`, invalid in Windows file names.
    WindowsForbiddenChar {
        /// Where it is.
        offset: usize,
        /// The character.
        ch: char,
    },
    /// A component ending in `.` or a space, which Windows strips (also
    /// when the space is a Unicode space such as U+3000, or the dot a dot
    /// look-alike).
    TrailingDotOrSpace {
        /// Where the component starts.
        offset: usize,
        /// The component.
        component: String,
    },
    /// A component that is empty, `.` or `..` once normalized: NFKC, look-alikes
    /// folded, combining marks stripped, spaces trimmed (`..\u{301}`,
    /// `\u{3000}..`, ` `).
    DisguisedDotComponent {
        /// Where the component starts.
        offset: usize,
        /// The component.
        component: String,
    },
    /// A name shaped like an 8.3 short name (`SECRET~1.TXT`), an alias of
    /// another file on Windows ([`ShortNames::Refuse`](super::ShortNames::Refuse)).
    ShortName {
        /// Where the component starts.
        offset: usize,
        /// The component.
        component: String,
    },
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use PathError::*;
        match self {
            TooLong { len, max } => {
                write!(f, "path is {len} bytes, longer than the {max}-byte limit")
            }
            ComponentTooLong { offset, len, max } => write!(
                f,
                "component at byte {offset} is {len} bytes, longer than the {max}-byte limit"
            ),
            TooDeep { max } => write!(f, "path has more than {max} components"),
            Empty => f.write_str("path resolves to the root directory itself"),
            MalformedEscape { offset } => {
                write!(f, "malformed percent escape at byte {offset}")
            }
            DoubleEncoding { offset } => write!(
                f,
                "double percent encoding: `%25` at byte {offset} decodes to another `%`"
            ),
            PercentEscape { offset } => {
                write!(f, "percent escape at byte {offset} (escapes are refused)")
            }
            OverlongUtf8 { offset } => write!(f, "overlong UTF-8 sequence at byte {offset}"),
            NotUtf8 { offset } => write!(f, "invalid UTF-8 at byte {offset}"),
            Nul { offset } => write!(f, "NUL character at byte {offset}"),
            ControlChar { offset, ch } => {
                write!(f, "control character U+{:04X} at byte {offset}", *ch as u32)
            }
            InvisibleChar { offset, ch } => write!(
                f,
                "invisible or bidirectional formatting character U+{:04X} at byte {offset}",
                *ch as u32
            ),
            UnicodeLookalike {
                offset,
                ch,
                looks_like,
            } => write!(
                f,
                "U+{:04X} at byte {offset} is a look-alike of `{looks_like}`",
                *ch as u32
            ),
            Absolute => f.write_str("absolute path (leading separator)"),
            Unc => f.write_str("UNC network path"),
            DevicePath => f.write_str("Windows device or NT namespace path"),
            DriveLetter { offset, letter } => {
                write!(f, "drive letter `{letter}:` at byte {offset}")
            }
            BackslashRefused { offset } => write!(f, "backslash at byte {offset}"),
            DotDotRefused { offset } => write!(f, "`..` at byte {offset} (refused by policy)"),
            EscapesRoot { offset } => write!(f, "`..` at byte {offset} escapes the root"),
            ReservedName { offset, component } => write!(
                f,
                "`{}` at byte {offset} is a reserved Windows device name",
                component.escape_debug()
            ),
            Colon { offset } => write!(
                f,
                "`:` at byte {offset} (NTFS alternate data stream or drive separator)"
            ),
            WindowsForbiddenChar { offset, ch } => {
                write!(f, "`{ch}` at byte {offset} is not allowed in Windows names")
            }
            TrailingDotOrSpace { offset, component } => write!(
                f,
                "component `{}` at byte {offset} ends in a dot or space, which Windows strips",
                component.escape_debug()
            ),
            DisguisedDotComponent { offset, component } => write!(
                f,
                "component `{}` at byte {offset} is empty, `.` or `..` once normalized",
                component.escape_debug()
            ),
            ShortName { offset, component } => write!(
                f,
                "component `{}` at byte {offset} is shaped like a Windows 8.3 short name",
                component.escape_debug()
            ),
        }
    }
}

impl std::error::Error for PathError {}

/// Why a [`RootDir`](super::RootDir) operation failed.
///
/// Every variant that concerns a path names it, relative to the root, in
/// its field and in its message.
#[derive(Debug)]
#[non_exhaustive]
pub enum OpenError {
    /// Resolving the path would leave the root (`EXDEV` from `openat2`): a
    /// symlink on the way is absolute or climbs above the root.
    EscapesRoot {
        /// The path, relative to the root.
        path: String,
    },
    /// Resolving the path would cross a mount point (a bind mount or another
    /// file system under the root), which [`RootOptions::cross_mounts`](super::RootOptions::cross_mounts)
    /// refuses by default (`RESOLVE_NO_XDEV`).
    CrossesMount {
        /// The path, relative to the root.
        path: String,
    },
    /// Something on the way does not exist (`ENOENT`), including a dangling
    /// symlink.
    NotFound {
        /// The path, relative to the root.
        path: String,
    },
    /// Too many symlinks on the way, a symlink loop, or a magic link (`ELOOP`).
    SymlinkLoop {
        /// The path, relative to the root.
        path: String,
    },
    /// The final component is a symlink and the operation does not follow
    /// one there (creating, or opening for writing an existing file through
    /// [`Create::IfMissing`](super::Create::IfMissing)).
    IsASymlink {
        /// The path, relative to the root.
        path: String,
    },
    /// A component on the way is not a directory (`ENOTDIR`), or the target
    /// of a directory operation is not one (including a trailing `/` on a
    /// file, see [`UserPath`](super::UserPath)).
    NotADirectory {
        /// The path, relative to the root.
        path: String,
    },
    /// The target of a file operation is not a regular file (a directory,
    /// FIFO, socket or device). Special files are refused before they are
    /// opened for reading or writing, so no driver's `open` runs.
    NotAFile {
        /// The path, relative to the root.
        path: String,
    },
    /// The regular file has more than one hard link, which
    /// [`HardLinks::Refuse`](super::HardLinks::Refuse) refuses: another name of it may be outside the
    /// root.
    HardLinked {
        /// The path, relative to the root.
        path: String,
        /// Its link count.
        links: u64,
    },
    /// The path named a different file between the check and the open (a
    /// concurrent rename or replacement); nothing was returned. Retrying is
    /// safe.
    Changed {
        /// The path, relative to the root.
        path: String,
    },
    /// The target already exists ([`Create::New`](super::Create::New), `create_dir`).
    AlreadyExists {
        /// The path, relative to the root.
        path: String,
    },
    /// The directory to remove is not empty.
    NotEmpty {
        /// The path, relative to the root.
        path: String,
    },
    /// The operation needs a final component, and the path is the root
    /// itself (an empty [`SafeRelPath`](super::SafeRelPath)).
    IsTheRoot {
        /// The operation (`"remove_dir"`, `"rename"`, …).
        op: &'static str,
    },
    /// [`OpenOptions`](super::OpenOptions) that contradict each other.
    InvalidOptions {
        /// Which.
        reason: &'static str,
    },
    /// The user's path was refused by [`confine`](super::confine) (from
    /// [`RootDir::open_user_path`](super::RootDir::open_user_path)).
    Refused {
        /// The input, as given.
        input: String,
        /// Why.
        source: PathError,
    },
    /// The kernel refused or does not know `openat2(2)` (`EPERM` or
    /// `ENOSYS` even for opening the root itself): a seccomp filter that
    /// predates the syscall (container runtimes before 2021 answer `EPERM`
    /// or `ENOSYS`), or a kernel older than Linux 5.6. Confinement has no
    /// safe fallback without it.
    Openat2Unavailable {
        /// The path being resolved, relative to the root.
        path: String,
        /// The errno.
        source: io::Error,
    },
    /// Confined opening is not available on this platform (not Linux).
    Unsupported {
        /// Why.
        reason: &'static str,
    },
    /// Any other I/O error (permission denied, no space, …).
    Io {
        /// The operation (`"open"`, `"create_dir"`, …).
        op: &'static str,
        /// The path, relative to the root (or the root itself for
        /// [`RootDir::open`](super::RootDir::open)).
        path: String,
        /// The underlying error.
        source: io::Error,
    },
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::EscapesRoot { path } => {
                write!(f, "`{path}` resolves outside the root directory")
            }
            OpenError::CrossesMount { path } => write!(
                f,
                "resolving `{path}` crosses a mount point under the root (refused; see RootOptions::cross_mounts)"
            ),
            OpenError::NotFound { path } => write!(f, "`{path}` not found under the root"),
            OpenError::SymlinkLoop { path } => {
                write!(f, "too many or looping symlinks resolving `{path}`")
            }
            OpenError::IsASymlink { path } => write!(
                f,
                "`{path}` is a symlink, which this operation does not follow"
            ),
            OpenError::NotADirectory { path } => write!(f, "`{path}`: not a directory"),
            OpenError::NotAFile { path } => write!(f, "`{path}` is not a regular file"),
            OpenError::HardLinked { path, links } => write!(
                f,
                "`{path}` has {links} hard links (refused: another name may be outside the root)"
            ),
            OpenError::Changed { path } => write!(
                f,
                "`{path}` was replaced while it was being opened (refused; retrying is safe)"
            ),
            OpenError::AlreadyExists { path } => write!(f, "`{path}` already exists"),
            OpenError::NotEmpty { path } => write!(f, "directory `{path}` is not empty"),
            OpenError::IsTheRoot { op } => {
                write!(f, "{op}: the path is the root directory itself")
            }
            OpenError::InvalidOptions { reason } => write!(f, "invalid open options: {reason}"),
            OpenError::Refused { input, source } => {
                write!(f, "`{}` refused: {source}", input.escape_debug())
            }
            OpenError::Openat2Unavailable { path, source } => {
                let what = if source.kind() == io::ErrorKind::Unsupported {
                    "is unavailable (ENOSYS)"
                } else {
                    "was refused (EPERM)"
                };
                write!(
                    f,
                    "cannot resolve `{path}`: the openat2 system call {what}; a seccomp \
                     filter (container runtime, systemd SystemCallFilter=) must allow \
                     openat2, and the kernel must be Linux 5.6 or later. There is no safe \
                     fallback without it"
                )
            }
            OpenError::Unsupported { reason } => {
                write!(f, "confined opening is not supported: {reason}")
            }
            OpenError::Io { op, path, .. } => write!(f, "cannot {op} `{path}`"),
        }
    }
}

impl std::error::Error for OpenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OpenError::Io { source, .. } | OpenError::Openat2Unavailable { source, .. } => {
                Some(source)
            }
            OpenError::Refused { source, .. } => Some(source),
            _ => None,
        }
    }
}
