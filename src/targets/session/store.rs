//! The [`Store`] trait every session store implements (secfuzz's
//! [`MemoryStore`](super::MemoryStore) and [`SqliteStore`](super::SqliteStore),
//! or your own), its configuration, the injectable clock, and the pieces the
//! two stores share: the lifetime rule and the password check.

use std::sync::atomic::{AtomicU64, Ordering};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use super::error::{ExpiryKind, SessionError};
use super::plant;
use super::token;
use crate::engine::plant::active as planted;

/// Longest user name accepted (bytes).
pub const MAX_USER_LEN: usize = 256;
/// Longest password accepted (bytes); longer ones are refused before hashing.
pub const MAX_PASSWORD_LEN: usize = 1024;

/// Seconds since an epoch the clock defines.
pub type Time = u64;

/// Where a store reads the time: injectable, so tests can stand exactly on
/// an expiry boundary.
pub trait Clock: Send + Sync {
    /// The current time in seconds.
    fn now(&self) -> Time;
}

/// The system clock (seconds since the Unix epoch).
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Time {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }
}

/// A clock set by hand (tests, the generic suite).
#[derive(Debug, Default)]
pub struct ManualClock(AtomicU64);

impl ManualClock {
    /// A clock standing at `t`.
    pub fn new(t: Time) -> Self {
        ManualClock(AtomicU64::new(t))
    }
    /// Move to `t`.
    pub fn set(&self, t: Time) {
        self.0.store(t, Ordering::SeqCst);
    }
    /// Move forward by `secs` (saturating).
    pub fn advance(&self, secs: u64) {
        let now = self.0.load(Ordering::SeqCst);
        self.0.store(now.saturating_add(secs), Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Time {
        self.0.load(Ordering::SeqCst)
    }
}

impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn now(&self) -> Time {
        (**self).now()
    }
}

/// Cost of the argon2id password hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HashCost {
    /// argon2's defaults (argon2id, 19 MiB, 2 passes, 1 lane: the OWASP
    /// minimum). For deployments.
    Production,
    /// argon2id with 8 KiB and 1 pass: the same code path at a cost tests
    /// can afford thousands of times. Never for real passwords.
    Test,
}

impl HashCost {
    fn params(self) -> Params {
        match self {
            HashCost::Production => Params::default(),
            // 8 KiB, 1 pass, 1 lane: argon2's smallest valid parameters.
            HashCost::Test => Params::new(8, 1, 1, None).unwrap_or_default(),
        }
    }
}

/// A store's policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// Live sessions a user may hold at once; a further login is refused
    /// with [`SessionError::TooManySessions`]. At least 1.
    pub max_sessions: u32,
    /// Absolute lifetime of a session in seconds, from its login: alive
    /// while `now < login + absolute_ttl`.
    pub absolute_ttl: u64,
    /// Idle lifetime in seconds, from its last use (login, authenticate,
    /// refresh, elevate): alive while `now < last_use + idle_ttl`.
    pub idle_ttl: u64,
    /// Password hash cost.
    pub hash_cost: HashCost,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_sessions: 5,
            absolute_ttl: 12 * 3600,
            idle_ttl: 30 * 60,
            hash_cost: HashCost::Production,
        }
    }
}

impl Config {
    /// Whether a session that logged in at `login` and was last used at
    /// `last_use` is expired at `now`, and by which lifetime. The boundary
    /// instant itself is expired.
    pub fn expired(&self, login: Time, last_use: Time, now: Time) -> Option<ExpiryKind> {
        if now >= login.saturating_add(self.absolute_ttl) {
            return Some(ExpiryKind::Absolute);
        }
        let idle_end = last_use.saturating_add(self.idle_ttl);
        let idle = if planted(plant::IDLE_OFF_BY_ONE) {
            now > idle_end // the planted mistake: the boundary second still counts as alive
        } else {
            now >= idle_end
        };
        idle.then_some(ExpiryKind::Idle)
    }
}

/// What a successful login, refresh or elevation hands to the client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issued {
    /// The new session id (the credential for [`Store::authenticate`]).
    pub session_id: String,
    /// The refresh token of the session's family.
    pub refresh_token: String,
}

/// What [`Store::authenticate`] says about a live session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionInfo {
    /// The session's user.
    pub user: String,
    /// Whether the session was elevated ([`Store::elevate`]).
    pub privileged: bool,
}

/// A session store.
///
/// A *family* is everything descending from one login: one live session id
/// and one live refresh token at a time. Contract (what
/// [`oracle::replay`](super::oracle::replay) checks against its reference
/// model, for any implementation):
///
/// - [`login`](Store::login) verifies the password (equal work for unknown
///   users), refuses when the user already holds
///   [`Config::max_sessions`] live families, and starts a family with a
///   fresh session id and refresh token;
/// - [`refresh`](Store::refresh) exchanges the family's live refresh token,
///   atomically, for a new session id and a new refresh token (both old
///   ones stop working); presenting an already rotated refresh token revokes
///   the whole family ([`SessionError::TokenReused`]);
/// - [`elevate`](Store::elevate) re-checks the password and rotates the
///   session id (the old one stops working) — no fixation across a
///   privilege change;
/// - [`logout`](Store::logout) ends the family, [`logout_everywhere`](Store::logout_everywhere)
///   every family of the user;
/// - a family expires at `login + absolute_ttl` and at `last_use + idle_ttl`
///   ([`Config::expired`]);
/// - every id and token is fresh: from a CSPRNG, never repeated.
///
/// Methods take `&self` and may be called from many threads at once.
pub trait Store: Send + Sync {
    /// The store's policy.
    fn config(&self) -> Config;
    /// Register a user with a password.
    fn add_user(&self, user: &str, password: &str) -> Result<(), SessionError>;
    /// Log in: a new family.
    fn login(&self, user: &str, password: &str) -> Result<Issued, SessionError>;
    /// Check a session id; counts as a use (idle lifetime).
    fn authenticate(&self, session_id: &str) -> Result<SessionInfo, SessionError>;
    /// Re-authenticate a live session with the password and mark it
    /// privileged: a new session id, the old one dead.
    fn elevate(&self, session_id: &str, password: &str) -> Result<String, SessionError>;
    /// Exchange a refresh token for a new session id and refresh token.
    fn refresh(&self, refresh_token: &str) -> Result<Issued, SessionError>;
    /// End the session's family.
    fn logout(&self, session_id: &str) -> Result<(), SessionError>;
    /// End every family of the session's user.
    fn logout_everywhere(&self, session_id: &str) -> Result<(), SessionError>;
}

/// Refuse arguments outside the documented bounds, before any work.
pub fn check_user(user: &str) -> Result<(), SessionError> {
    if user.is_empty() || user.len() > MAX_USER_LEN {
        return Err(SessionError::InvalidInput {
            what: "user name",
            reason: format!("must be 1 to {MAX_USER_LEN} bytes, is {}", user.len()),
        });
    }
    Ok(())
}

/// Refuse passwords longer than [`MAX_PASSWORD_LEN`], before hashing.
pub fn check_password(password: &str) -> Result<(), SessionError> {
    if password.len() > MAX_PASSWORD_LEN {
        return Err(SessionError::InvalidInput {
            what: "password",
            reason: format!("longer than {MAX_PASSWORD_LEN} bytes"),
        });
    }
    Ok(())
}

/// argon2id password hashing with a dummy hash, so a login for an unknown
/// user does the same work as one with a wrong password.
#[derive(Clone, Debug)]
pub struct Passwords {
    argon: Argon2<'static>,
    dummy: String,
}

impl Passwords {
    /// A hasher at `cost`, with a dummy hash of a random password.
    pub fn new(cost: HashCost) -> Result<Self, SessionError> {
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, cost.params());
        let mut secret = [0u8; 32];
        token::random(&mut secret)?;
        let mut p = Passwords {
            argon,
            dummy: String::new(),
        };
        p.dummy = p.hash(&base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            secret,
        ))?;
        Ok(p)
    }

    /// A PHC string for `password` with a fresh random salt.
    pub fn hash(&self, password: &str) -> Result<String, SessionError> {
        check_password(password)?;
        let mut salt = [0u8; 16];
        token::random(&mut salt)?;
        let salt = SaltString::encode_b64(&salt).map_err(|e| SessionError::Hash(e.to_string()))?;
        self.argon
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| SessionError::Hash(e.to_string()))
    }

    /// Verify `password` against `stored` (a PHC string), or against the
    /// dummy hash when the user is unknown (`None`) — the result is then
    /// always `false`, after the same work.
    pub fn verify(&self, stored: Option<&str>, password: &str) -> Result<bool, SessionError> {
        self.verify_row(stored.unwrap_or(&self.dummy), stored.is_some(), password)
    }

    /// The dummy hash, for a store that fetches it in place of a missing
    /// user's hash (so both cases read and copy one hash string).
    pub fn dummy(&self) -> &str {
        &self.dummy
    }

    /// Verify `password` against `phc`: the user's hash when `found`, else
    /// the [`dummy`](Passwords::dummy) (then always `false`, after the same
    /// work).
    pub fn verify_row(&self, phc: &str, found: bool, password: &str) -> Result<bool, SessionError> {
        check_password(password)?;
        if !found && planted(plant::NO_DUMMY_HASH) {
            return Ok(false); // the planted mistake: unknown users answer at once
        }
        let parsed = PasswordHash::new(phc).map_err(|e| SessionError::Hash(e.to_string()))?;
        let ok = self
            .argon
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(ok && found)
    }
}
