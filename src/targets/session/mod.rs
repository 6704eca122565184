//! Session and refresh-token lifecycle: a [`Store`] trait, an in-memory and
//! a SQLite implementation, and properties that hold for any store
//! ([`oracle::replay`], [`oracle::suite`]).
//!
//! # Threat model
//!
//! **Asset.** The link between a person who proved a password once and
//! every later request made in their name: session ids and refresh tokens.
//! Whoever holds a live one *is* the user until it ends.
//!
//! **Attacker.** Anyone who can send requests: guessing or editing tokens
//! (one character off, truncated, extended, case-swapped, a session id
//! where a refresh token is expected), replaying tokens stolen from logs,
//! browser storage or a proxy — including tokens already rotated —, planting
//! a session id before the victim logs in or elevates (fixation), racing
//! many refreshes of one stolen token at once, enumerating user names by
//! the error or the time a login takes, holding many sessions open, and
//! waiting out (or not) expiry boundaries to the second. They can also
//! rely on the server restarting between their requests.
//!
//! **What the stores guarantee** (each a property checked by
//! [`oracle::replay`] against a reference model, for any [`Store`]):
//!
//! | attack | defence | invariant |
//! |---|---|---|
//! | a stolen refresh token used after the victim refreshed | reuse of a rotated token revokes its whole family | [`oracle::REUSE`] |
//! | two refreshes of one token racing | one transaction, a conditional `UPDATE`: at most one success | [`oracle::REFRESH_ONCE`] |
//! | session fixation | a new session id on login, refresh and elevation; the old one dies | [`oracle::ROTATION`] |
//! | a token kept after logout / logout-everywhere | the family / every family of the user revoked | [`oracle::LOGOUT`], [`oracle::LOGOUT_EVERYWHERE`] |
//! | a session used forever | absolute and idle lifetimes, expired at the boundary second | [`oracle::EXPIRY`] |
//! | unlimited parallel sessions | a per-user limit counted inside the login transaction | [`oracle::LIMIT`] |
//! | guessed or edited tokens | 128-bit selector + 256-bit verifier from the OS CSPRNG; SHA-256 of the verifier stored, compared in constant time (`subtle`) | [`oracle::UNFORGEABLE`], [`oracle::FRESH_IDS`] |
//! | user enumeration | one error for unknown users and wrong passwords, and an argon2id verification against a dummy hash for unknown users (equal work) | [`oracle::CREDENTIALS`] |
//! | restart loses revocations | SQLite file, WAL, `synchronous = FULL` by default | the restart test (`tests/targets/session/`) |
//!
//! Sizes are bounded before any work: user names up to
//! [`store::MAX_USER_LEN`] bytes, passwords up to [`store::MAX_PASSWORD_LEN`]
//! (argon2 is never run on more), tokens up to [`token::MAX_TOKEN_LEN`],
//! `check` payloads up to 64 KiB and [`gen::MAX_OPS`] ops.
//!
//! **Out of scope.** Transport (TLS, cookie flags), CSRF, rate limiting of
//! password guessing, password policy, and side channels other than the
//! credential check's timing (measured by [`timing`]).
//!
//! # Inputs and oracles
//!
//! [`SessionInput`] is a script of [`gen::Op`]s over the fixture users with
//! near misses for every check; [`SessionTarget::check`] replays it against
//! a fresh [`MemoryStore`] or [`SqliteStore`] (the input chooses) next to
//! the model. `secfuzz check session` reads one JSON script per line and
//! says, for each refusal, which property a store accepting it would break.

mod error;
pub mod gen;
mod memory;
pub mod oracle;
pub mod plant;
mod sqlite;
pub mod store;
pub mod timing;
pub mod token;

pub use error::{ExpiryKind, SessionError};
pub use gen::{Op, SessionInput, StoreKind};
pub use memory::MemoryStore;
pub use sqlite::{Durability, SqliteStore};
pub use store::{Clock, Config, HashCost, Issued, ManualClock, SessionInfo, Store, SystemClock};

use std::path::PathBuf;
use std::sync::Arc;

use crate::engine::contract::{Checker, Invariant, Target, Verdict, Violation};
use crate::engine::options::{OptionError, OptionSpec, Options};
use crate::engine::plant::Plant;

/// Largest `check` payload (one JSON script).
pub const MAX_SCRIPT_LEN: usize = 64 * 1024;

/// A fresh directory for one throwaway database file, removed with
/// everything in it when dropped.
///
/// [`TempDb::new`] puts it on a memory filesystem (`/dev/shm`) when the
/// system has one, else in the temporary directory: these databases are
/// deleted after one script, and on a disk every store's closing
/// checkpoint waits for `fsync` (about 8× slower property runs). SQLite's
/// file locking, WAL and transactions are the same on both.
#[derive(Debug)]
pub struct TempDb {
    dir: PathBuf,
}

impl TempDb {
    /// A new, empty directory on a memory filesystem if there is one.
    pub fn new() -> Result<Self, SessionError> {
        let shm = std::path::Path::new("/dev/shm");
        match shm.is_dir().then(|| Self::new_in(shm)) {
            Some(Ok(db)) => Ok(db),
            _ => Self::new_in(&std::env::temp_dir()),
        }
    }

    /// A new, empty directory under `parent`.
    pub fn new_in(parent: &std::path::Path) -> Result<Self, SessionError> {
        let mut r = [0u8; 12];
        token::random(&mut r)?;
        let name: String = r.iter().map(|b| format!("{b:02x}")).collect();
        let dir = parent.join(format!("secfuzz-session-{name}"));
        std::fs::create_dir(&dir)
            .map_err(|e| SessionError::Storage(format!("{}: {e}", dir.display())))?;
        Ok(TempDb { dir })
    }

    /// The database file's path (not created until a store opens it).
    pub fn path(&self) -> PathBuf {
        self.dir.join("sessions.db")
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Replay `ops` against a fresh store of `kind` with `config`.
pub fn run_script(
    kind: StoreKind,
    config: Config,
    durability: Durability,
    ops: &[Op],
) -> Result<Vec<oracle::Step>, Violation> {
    let setup = |e: SessionError| {
        Violation::new(
            oracle::MODEL,
            format!("the {kind:?} store does not open: {e}"),
        )
    };
    let clock = Arc::new(ManualClock::new(1_000_000));
    match kind {
        StoreKind::Memory => {
            let store = MemoryStore::new(config, clock.clone()).map_err(setup)?;
            oracle::replay(&store, &clock, ops)
        }
        StoreKind::Sqlite => {
            let db = TempDb::new().map_err(setup)?;
            let store = SqliteStore::open_with(db.path(), config, clock.clone(), durability)
                .map_err(setup)?;
            oracle::replay(&store, &clock, ops)
        }
    }
}

/// The options of `secfuzz check session`.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec::choice("store", &["sqlite", "memory"], "sqlite", "the store each script runs against (a fresh one per script)"),
    OptionSpec::int("max-sessions", "3", 1, 1000, "live sessions a user may hold"),
    OptionSpec::int("absolute-ttl", "3600", 1, 31_536_000, "absolute session lifetime, seconds"),
    OptionSpec::int("idle-ttl", "600", 1, 31_536_000, "idle session lifetime, seconds"),
    OptionSpec::choice("hash-cost", &["test", "production"], "test", "argon2id cost: test (8 KiB, 1 pass) or production (19 MiB, 2 passes)"),
    OptionSpec::choice("sync", &["normal", "full"], "normal", "SQLite synchronous mode; each script's database is deleted afterwards, so full (every commit synced) only measures the disk"),
];

/// Replay JSON operation scripts against a fresh store each: what `secfuzz
/// check session` runs.
#[derive(Clone, Copy, Debug)]
pub struct SessionCheck {
    /// The store.
    pub store: StoreKind,
    /// Its policy.
    pub config: Config,
    /// SQLite durability.
    pub durability: Durability,
}

impl Default for SessionCheck {
    fn default() -> Self {
        SessionCheck {
            store: StoreKind::Sqlite,
            config: Config {
                max_sessions: 3,
                absolute_ttl: 3600,
                idle_ttl: 600,
                hash_cost: HashCost::Test,
            },
            durability: Durability::Normal,
        }
    }
}

/// Parse a `check` payload: a JSON array of ops.
pub fn parse_script(payload: &[u8]) -> Result<Vec<Op>, SessionError> {
    if payload.len() > MAX_SCRIPT_LEN {
        return Err(SessionError::InvalidInput {
            what: "script",
            reason: format!("{} bytes, more than {MAX_SCRIPT_LEN}", payload.len()),
        });
    }
    let ops: Vec<Op> = serde_json::from_slice(payload).map_err(|e| SessionError::InvalidInput {
        what: "script",
        reason: format!("not a JSON array of ops: {e}"),
    })?;
    if ops.len() > gen::MAX_OPS {
        return Err(SessionError::InvalidInput {
            what: "script",
            reason: format!("{} ops, more than {}", ops.len(), gen::MAX_OPS),
        });
    }
    Ok(ops)
}

/// One line per refusal the model required, naming the property.
pub fn summarize(steps: &[oracle::Step]) -> String {
    let ok = steps.iter().filter(|s| s.result.is_ok()).count();
    let mut out = format!(
        "{} calls: {ok} succeeded, {} refused",
        steps.len(),
        steps.len() - ok
    );
    for (i, s) in steps.iter().enumerate() {
        if let (Err(e), Some(inv)) = (&s.result, s.guards) {
            out.push_str(&format!(
                "; #{i} {} refused ({e}): accepting it breaks {inv}",
                short(&s.op)
            ));
        }
    }
    out
}

fn short(op: &str) -> String {
    op.split('(').next().unwrap_or(op).to_owned()
}

impl Checker for SessionCheck {
    fn check(&self, payload: &[u8]) -> Result<Verdict, Violation> {
        let ops = match parse_script(payload) {
            Ok(ops) => ops,
            Err(e) => {
                return Ok(Verdict::Rejected {
                    reason: e.to_string(),
                })
            }
        };
        let steps = run_script(self.store, self.config, self.durability, &ops)?;
        Ok(Verdict::Accepted {
            output: summarize(&steps),
        })
    }
}

/// The session-lifecycle target.
#[derive(Clone, Copy, Debug, Default)]
pub struct SessionTarget;

impl Target for SessionTarget {
    const NAME: &'static str = "session";
    const DESCRIPTION: &'static str =
        "session and refresh-token lifecycle: refresh reuse, fixation, logout, expiry boundaries, concurrent-session limit, forged tokens, user enumeration, on memory and SQLite stores";
    const INVARIANTS: &'static [Invariant] = oracle::INVARIANTS;
    const OPTIONS: &'static [OptionSpec] = OPTIONS;
    const PLANTS: &'static [Plant] = PLANTS;

    type Input = SessionInput;

    fn render(input: &SessionInput) -> Vec<u8> {
        gen::script_json(&input.ops).into_bytes()
    }

    fn check(input: &SessionInput) -> Result<(), Violation> {
        // Property runs replay thousands of scripts: commits are not synced
        // to disk (Durability::Normal); the restart and concurrency tests
        // use full durability.
        run_script(input.store, input.config, Durability::Normal, &input.ops).map(|_| ())
    }

    fn checker(options: &Options) -> Result<Box<dyn Checker>, OptionError> {
        let mut c = SessionCheck::default();
        if options.value("store") == Some("memory") {
            c.store = StoreKind::Memory;
        }
        let int = |name: &str, default: u64| {
            options
                .int(name)
                .map_or(default, |v| u64::try_from(v).unwrap_or(default))
        };
        c.config.max_sessions = u32::try_from(int("max-sessions", 3)).unwrap_or(3);
        c.config.absolute_ttl = int("absolute-ttl", 3600);
        c.config.idle_ttl = int("idle-ttl", 600);
        if options.value("hash-cost") == Some("production") {
            c.config.hash_cost = HashCost::Production;
        }
        if options.value("sync") == Some("full") {
            c.durability = Durability::Full;
        }
        Ok(Box::new(c))
    }
}

/// The planted vulnerabilities ([`plant`]): every session plant.
pub const PLANTS: &[Plant] = &[
    Plant { id: plant::REUSE_OLDER_GENERATION, breaks: oracle::REUSE, description: "reuse detection only for the generation just rotated; older rotated tokens are refused without revoking the family" },
    Plant { id: plant::IDLE_OFF_BY_ONE, breaks: oracle::EXPIRY, description: "idle expiry compared with > instead of >= (one second too long)" },
    Plant { id: plant::NO_ROTATION_ON_ELEVATE, breaks: oracle::ROTATION, description: "session id kept across a privilege change (fixation)" },
    Plant { id: plant::LIMIT_GT, breaks: oracle::LIMIT, description: "concurrent-session limit checked with > instead of >=" },
    Plant { id: plant::LOGOUT_EVERYWHERE_SKIPS_NEWEST, breaks: oracle::LOGOUT_EVERYWHERE, description: "logout-everywhere misses the user's newest session (id < MAX(id))" },
    Plant { id: plant::REVOKE_MISSES_GENERATION, breaks: oracle::REUSE, description: "family revocation on reuse misses the newest generation" },
    Plant { id: plant::PREFIX_COMPARE, breaks: oracle::UNFORGEABLE, description: "only the first 16 characters of a token's verifier are hashed and compared" },
    Plant { id: plant::NO_DUMMY_HASH, breaks: oracle::CREDENTIALS, description: "unknown users refused before any password hashing (no dummy verification): user enumeration by timing" },
    Plant { id: plant::REFRESH_NOT_ATOMIC, breaks: oracle::REFRESH_ONCE, description: "refresh reads the token before taking the write lock and updates it unconditionally" },
];
