//! A user's path with its "must be a directory" bit, which [`confine`]
//! normalizes away.

use std::fs::File;

use super::RootDir;
use crate::path::{confine, Backslash, PathError, Percent, Policy, SafeRelPath};

/// A confined path plus whether the user's text required a directory.
///
/// In POSIX `a/` (and `a/.`) names `a` only if it is a directory.
/// [`confine`] drops empty and `.` components, so `"a/"` and `"a"` give the
/// same [`SafeRelPath`]; `UserPath` keeps the bit, read from the input
/// after the same single percent decoding and separator rule the policy
/// applies (so `a%2F` and, with [`Backslash::Separator`], `a\` count).
/// A final `..` that `confine` resolved (`a/b/..`) names a directory too.
///
/// ```
/// use secfuzz::path::{Policy, UserPath};
/// let p = Policy::default();
/// assert!(UserPath::new("static/css/", &p).unwrap().must_be_dir());
/// assert!(UserPath::new("static/css%2f", &p).unwrap().must_be_dir());
/// assert!(!UserPath::new("static/site.css", &p).unwrap().must_be_dir());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UserPath {
    path: SafeRelPath,
    must_be_dir: bool,
}

impl UserPath {
    /// [`confine`] `input` under `policy` and remember whether it ended in
    /// a separator, `.` or `..`.
    pub fn new(input: &str, policy: &Policy) -> Result<UserPath, PathError> {
        let path = confine(input, policy)?;
        Ok(UserPath {
            path,
            must_be_dir: names_a_directory(input, policy),
        })
    }

    /// The confined path.
    pub fn path(&self) -> &SafeRelPath {
        &self.path
    }

    /// Whether the input ended in `/`, `/.` or `/..` (after decoding).
    pub fn must_be_dir(&self) -> bool {
        self.must_be_dir
    }
}

/// What [`RootDir::open_user_path`] opened.
#[derive(Debug)]
pub enum Opened {
    /// A regular file, read-only.
    File(File),
    /// A directory, as a new root.
    Dir(RootDir),
}

/// Whether the last component of `input` — percent-decoded once if the
/// policy decodes, split on `/` and on `\` if it is a separator — is empty,
/// `.` or `..`. Only called on inputs `confine` accepted, so escapes are
/// well formed and decoding once is what confine did.
fn names_a_directory(input: &str, policy: &Policy) -> bool {
    let bytes = input.as_bytes();
    let decoded: Vec<u8> = if policy.percent == Percent::DecodeOnce {
        let hex = |b: u8| (b as char).to_digit(16);
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let escape = (bytes[i] == b'%')
                .then(|| Some((hex(*bytes.get(i + 1)?)?, hex(*bytes.get(i + 2)?)?)))
                .flatten();
            match escape {
                Some((h, l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                }
                None => {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
        }
        out
    } else {
        bytes.to_vec()
    };
    let backslash = policy.backslash == Backslash::Separator;
    let last = decoded
        .rsplit(|&b| b == b'/' || (backslash && b == b'\\'))
        .next()
        .unwrap_or_default();
    matches!(last, b"" | b"." | b"..")
}
