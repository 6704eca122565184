//! Operation scripts: [`Op`], a step of a session's life as a client (or an
//! attacker holding stolen or guessed tokens) drives it, and
//! [`SessionInput`], an `arbitrary` script with the store and policy it runs
//! against.
//!
//! A script names credentials by reference, never by value: a [`Ref`]
//! picks an id or token the store issued earlier (the latest, or one
//! further back — a rotated token, another family's, another user's) and
//! may edit it ([`TokenEdit`]: one character off anywhere, truncated,
//! extended, case-swapped, the other kind of credential, the two parts
//! swapped, garbage). Users and passwords are the fixture's ([`USERS`]),
//! edited the same way ([`TextEdit`]). Time moves by seconds or lands on an
//! expiry boundary of a family exactly, one second before, or one after
//! ([`Op::ToBoundary`]); [`Op::LoginBurst`] logs in the session limit − 1,
//! +0 or +1 times; [`Op::RefreshRace`] refreshes one token from several
//! threads at once. The same scripts are the JSON payloads of `secfuzz
//! check session` (one JSON array of ops per line).

use arbitrary::{Arbitrary, Unstructured};
use serde::{Deserialize, Serialize};

use super::store::{Config, HashCost};

/// The fixture's users and their passwords, registered in every store a
/// script runs against.
pub const USERS: &[(&str, &str)] = &[
    ("alice", "correct horse battery staple"),
    ("bob", "Tr0ub4dor&3-bob"),
    ("carol", "carol's passphrase, long enough"),
];

/// Most ops a script runs; longer scripts are cut here.
pub const MAX_OPS: usize = 64;
/// Most threads of a [`Op::RefreshRace`].
pub const MAX_THREADS: u8 = 16;

/// An edit of a user name or password: the near misses of an exact match.
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextEdit {
    /// The first letter's case swapped.
    Case,
    /// The last character dropped (a prefix).
    DropLast,
    /// The first character dropped (a suffix).
    DropFirst,
    /// A character appended (an extension).
    Append(char),
    /// A trailing space.
    TrailingSpace,
    /// The first letter replaced by its fullwidth form (`ａ` for `a`).
    Fullwidth,
    /// A zero-width space inserted after the first character.
    Invisible,
    /// The empty string.
    Empty,
}

impl TextEdit {
    /// Apply the edit.
    pub fn apply(&self, s: &str) -> String {
        let mut chars: Vec<char> = s.chars().collect();
        match self {
            TextEdit::Case => {
                if let Some(c) = chars.first_mut() {
                    *c = if c.is_uppercase() {
                        c.to_lowercase().next().unwrap_or(*c)
                    } else {
                        c.to_uppercase().next().unwrap_or(*c)
                    };
                }
            }
            TextEdit::DropLast => {
                chars.pop();
            }
            TextEdit::DropFirst => {
                if !chars.is_empty() {
                    chars.remove(0);
                }
            }
            TextEdit::Append(c) => chars.push(*c),
            TextEdit::TrailingSpace => chars.push(' '),
            TextEdit::Fullwidth => {
                if let Some(c) = chars.first_mut() {
                    if c.is_ascii_graphic() {
                        *c = char::from_u32(*c as u32 - 0x21 + 0xFF01).unwrap_or(*c);
                    }
                }
            }
            TextEdit::Invisible => chars.insert(chars.len().min(1), '\u{200B}'),
            TextEdit::Empty => chars.clear(),
        }
        chars.into_iter().collect()
    }
}

/// A user name: a fixture user's (index modulo [`USERS`]), maybe edited.
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRef {
    /// Which fixture user.
    pub user: u8,
    /// A near miss of the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit: Option<TextEdit>,
}

/// A password: a fixture user's (maybe another user's than the one logging
/// in), maybe edited.
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordRef {
    /// Whose password.
    pub of: u8,
    /// A near miss of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit: Option<TextEdit>,
}

/// An edit of an issued id or token.
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenEdit {
    /// The character at `at` (modulo the length) replaced by the next one
    /// of the base64url alphabet: one character off, anywhere.
    Flip {
        /// Position.
        at: u8,
    },
    /// The last `by` characters (1 + `by` modulo 8) dropped.
    Truncate {
        /// How many, less one.
        by: u8,
    },
    /// A character appended.
    Extend(char),
    /// Every letter's case swapped.
    SwapCase,
    /// The credential of the other kind issued at the same position
    /// (a session id where a refresh token is expected, and back).
    OtherKind,
    /// The parts around the first `.` swapped.
    SwapParts,
    /// Only the part before the first `.`.
    FirstPart,
    /// The empty string.
    Empty,
    /// Arbitrary text (at most 300 characters are kept).
    Text(String),
}

/// A reference to an id or token the store issued earlier in the script.
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ref {
    /// How far back: 0 is the latest issued of its kind, 1 the one before…
    /// (modulo how many there are).
    #[serde(default)]
    pub back: u8,
    /// A near miss of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit: Option<TokenEdit>,
}

/// Which lifetime a [`Op::ToBoundary`] stands on.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lifetime {
    /// `login + absolute_ttl`.
    Absolute,
    /// `last_use + idle_ttl`.
    Idle,
}

/// One step of a script.
#[derive(Arbitrary, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Op {
    /// `login(user, password)`.
    Login {
        /// The user name.
        user: UserRef,
        /// The password.
        password: PasswordRef,
    },
    /// `max_sessions + delta` logins (delta −1, 0 or +1, from `delta`
    /// modulo 3) of a fixture user with the right password.
    LoginBurst {
        /// Which fixture user.
        user: u8,
        /// 0: one fewer than the limit, 1: the limit, 2: one more.
        delta: u8,
    },
    /// `authenticate(session)`.
    Authenticate {
        /// The session id.
        session: Ref,
    },
    /// `elevate(session, password)`.
    Elevate {
        /// The session id.
        session: Ref,
        /// The password (of the session's user when `of` names them).
        password: PasswordRef,
    },
    /// `refresh(token)`.
    Refresh {
        /// The refresh token.
        token: Ref,
    },
    /// `refresh(token)` from `threads` threads at once (2 + `threads`
    /// modulo 15).
    RefreshRace {
        /// The refresh token.
        token: Ref,
        /// Threads, less two.
        threads: u8,
    },
    /// `logout(session)`.
    Logout {
        /// The session id.
        session: Ref,
    },
    /// `logout_everywhere(session)`.
    LogoutEverywhere {
        /// The session id.
        session: Ref,
    },
    /// The clock moves forward.
    Advance {
        /// Seconds.
        seconds: u32,
    },
    /// The clock moves to a family's expiry boundary + `delta` − 1 (one
    /// second before, exactly at, one after; `delta` modulo 3), if that is
    /// not in the past.
    ToBoundary {
        /// Which family: 0 the newest, 1 the one before… (modulo).
        family: u8,
        /// Which lifetime.
        lifetime: Lifetime,
        /// 0: one second before, 1: exactly at, 2: one second after.
        delta: u8,
    },
}

/// Which store a [`SessionInput`] runs against.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreKind {
    /// [`MemoryStore`](super::MemoryStore).
    Memory,
    /// [`SqliteStore`](super::SqliteStore) on a fresh database file.
    Sqlite,
}

/// A structured input: a store, a small policy and a script.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionInput {
    /// The store.
    pub store: StoreKind,
    /// The policy (short lifetimes, a limit of 1 to 4, test-cost hashing).
    pub config: Config,
    /// The script.
    pub ops: Vec<Op>,
}

impl<'a> Arbitrary<'a> for SessionInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let store = StoreKind::arbitrary(u)?;
        let max_sessions = 1 + u32::from(u8::arbitrary(u)? % 4);
        let absolute_ttl = 10 + u64::from(u16::arbitrary(u)? % 3600);
        let idle_ttl = 5 + u64::from(u16::arbitrary(u)? % 1800);
        let mut ops = Vec::new();
        while ops.len() < MAX_OPS && !u.is_empty() {
            ops.push(Op::arbitrary(u)?);
        }
        Ok(SessionInput {
            store,
            config: Config {
                max_sessions,
                absolute_ttl,
                idle_ttl,
                hash_cost: HashCost::Test,
            },
            ops,
        })
    }
}

impl std::fmt::Debug for SessionInput {
    /// The script as JSON (the `check` payload) first, then store and policy.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} on {:?} with {:?}",
            script_json(&self.ops),
            self.store,
            self.config
        )
    }
}

/// A script as one line of JSON (the payload of `secfuzz check session`).
pub fn script_json(ops: &[Op]) -> String {
    serde_json::to_string(ops).unwrap_or_else(|e| format!("<unserializable script: {e}>"))
}
