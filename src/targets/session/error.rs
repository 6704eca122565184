//! The session target's typed errors: every refusal of a store operation.

use std::fmt;

/// Which lifetime of a session ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExpiryKind {
    /// The absolute lifetime, counted from the login.
    Absolute,
    /// The idle lifetime, counted from the last use.
    Idle,
}

impl fmt::Display for ExpiryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ExpiryKind::Absolute => "absolute",
            ExpiryKind::Idle => "idle",
        })
    }
}

/// Why a session operation was refused.
#[derive(Debug)]
#[non_exhaustive]
pub enum SessionError {
    /// Unknown user or wrong password: deliberately one error for both, so
    /// a caller cannot tell which (user enumeration).
    InvalidCredentials,
    /// The session id is unknown, malformed, rotated, logged out or revoked.
    InvalidSession,
    /// The refresh token is unknown, malformed, of the wrong kind or revoked.
    InvalidToken,
    /// A refresh token that was already rotated was presented again: the
    /// whole token family (every session id and refresh token descending
    /// from one login) has been revoked.
    TokenReused,
    /// The session's lifetime ran out.
    Expired {
        /// Which lifetime.
        kind: ExpiryKind,
    },
    /// The user already holds the maximum number of live sessions.
    TooManySessions {
        /// The configured limit.
        max: u32,
    },
    /// The user exists already.
    UserExists,
    /// An argument is outside the documented bounds (too long, empty user
    /// name); refused before any work.
    InvalidInput {
        /// Which argument.
        what: &'static str,
        /// Why.
        reason: String,
    },
    /// The operating system's random number generator failed.
    Random(String),
    /// The password hasher failed (a stored hash that does not parse, …).
    Hash(String),
    /// The storage backend failed (SQLite error, poisoned lock, …).
    Storage(String),
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionError::InvalidCredentials => f.write_str("invalid user name or password"),
            SessionError::InvalidSession => f.write_str("invalid or ended session"),
            SessionError::InvalidToken => f.write_str("invalid or revoked refresh token"),
            SessionError::TokenReused => f.write_str(
                "refresh token reused after rotation: every token of its family is revoked",
            ),
            SessionError::Expired { kind } => write!(f, "session expired ({kind} lifetime)"),
            SessionError::TooManySessions { max } => {
                write!(f, "too many concurrent sessions (at most {max} per user)")
            }
            SessionError::UserExists => f.write_str("user exists already"),
            SessionError::InvalidInput { what, reason } => write!(f, "invalid {what}: {reason}"),
            SessionError::Random(e) => write!(f, "random number generator failed: {e}"),
            SessionError::Hash(e) => write!(f, "password hash error: {e}"),
            SessionError::Storage(e) => write!(f, "session storage failed: {e}"),
        }
    }
}

impl std::error::Error for SessionError {}

impl From<rusqlite::Error> for SessionError {
    fn from(e: rusqlite::Error) -> Self {
        SessionError::Storage(e.to_string())
    }
}
