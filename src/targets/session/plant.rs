//! The session target's planted vulnerabilities ([`crate::plant`]):
//! realistic session-store mistakes, each switched on where it would go
//! (the SQLite store, or the token and lifetime helpers both stores share),
//! compiled in only with the `plant` feature. The test suite must kill
//! every one (`tests/plants.rs`).
//!
//! The ids only; the table with each plant's invariant and description is
//! `PLANTS` in the target's `mod.rs`.

/// Reuse detection only for the generation just rotated: an older rotated
/// refresh token is refused as unknown without revoking its family.
pub const REUSE_OLDER_GENERATION: &str = "session.reuse-older-generation";
/// Idle expiry off by one second (`>` instead of `>=`).
pub const IDLE_OFF_BY_ONE: &str = "session.idle-off-by-one";
/// The session id is not rotated on a privilege change (fixation).
pub const NO_ROTATION_ON_ELEVATE: &str = "session.no-rotation-on-elevate";
/// The concurrent-session limit checked with `>` instead of `>=`.
pub const LIMIT_GT: &str = "session.limit-gt";
/// Logout-everywhere misses the user's newest session.
pub const LOGOUT_EVERYWHERE_SKIPS_NEWEST: &str = "session.logout-everywhere-skips-newest";
/// Family revocation on reuse misses the newest generation.
pub const REVOKE_MISSES_GENERATION: &str = "session.revoke-misses-generation";
/// Only the first 16 characters of a token's verifier are hashed and compared.
pub const PREFIX_COMPARE: &str = "session.prefix-compare";
/// Refresh reads the token's state outside the write transaction and
/// updates it unconditionally (check-then-act race).
pub const REFRESH_NOT_ATOMIC: &str = "session.refresh-not-atomic";
/// An unknown user is refused before any password hashing (no dummy
/// verification): a timing oracle for user enumeration.
pub const NO_DUMMY_HASH: &str = "session.no-dummy-hash";
