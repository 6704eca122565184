//! [`SqliteStore`]: sessions in a SQLite database file (WAL journal, full
//! synchronous commits), so sessions, rotations and revocations survive a
//! restart, and several connections — threads or processes — can share it.
//!
//! Every state change runs in a `BEGIN IMMEDIATE` transaction (the write
//! lock is taken before the first read, so no other writer can interleave
//! between reading a token's state and changing it), and the rotation of a
//! refresh token is a conditional `UPDATE … WHERE state = live` whose
//! changed-row count decides: exactly one of any number of concurrent
//! refreshes of one token succeeds.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use super::error::SessionError;
use super::plant;
use super::store::{
    check_password, check_user, Clock, Config, Issued, Passwords, SessionInfo, Store, Time,
    MAX_USER_LEN,
};
use super::token;
use crate::engine::plant::active as planted;

const SESSION: i64 = 0;
const REFRESH: i64 = 1;
const LIVE: i64 = 0;
const ROTATED: i64 = 1;
const REVOKED: i64 = 2;

/// Connections a store keeps open (one per concurrently running operation).
pub const POOL_SIZE: usize = 4;

/// How long a connection waits for another writer's lock before failing.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY NOT NULL,
    phc  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS families (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user       TEXT NOT NULL REFERENCES users(name),
    login      INTEGER NOT NULL,
    last_use   INTEGER NOT NULL,
    privileged INTEGER NOT NULL DEFAULT 0,
    generation INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS families_user ON families(user);
CREATE TABLE IF NOT EXISTS tokens (
    selector   TEXT PRIMARY KEY NOT NULL,
    family     INTEGER NOT NULL REFERENCES families(id),
    kind       INTEGER NOT NULL,
    digest     BLOB NOT NULL,
    generation INTEGER NOT NULL,
    state      INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tokens_family ON tokens(family, state);
";

/// A looked-up token row.
struct Row {
    selector: String,
    family: i64,
    generation: i64,
    state: i64,
    login: Time,
    last_use: Time,
    family_generation: i64,
}

/// The SQLite session store.
pub struct SqliteStore {
    path: PathBuf,
    config: Config,
    clock: Arc<dyn Clock>,
    passwords: Passwords,
    pool: Vec<Mutex<Connection>>,
    next: AtomicUsize,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

/// When a commit reaches the disk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Durability {
    /// `synchronous = FULL`: every commit is synced; a revocation survives
    /// a power loss. The default.
    #[default]
    Full,
    /// `synchronous = NORMAL`: the WAL is synced at checkpoints only; a
    /// commit survives the process crashing or restarting, but the last
    /// ones may roll back on a power loss. For tests and benchmarks.
    Normal,
}

fn connect(path: &Path, durability: Durability) -> Result<Connection, SessionError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(SessionError::Storage(format!(
            "{}: journal mode {mode}, not WAL",
            path.display()
        )));
    }
    conn.execute_batch(match durability {
        Durability::Full => "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
        Durability::Normal => "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
    })?;
    Ok(conn)
}

fn time(v: i64) -> Time {
    Time::try_from(v).unwrap_or(0)
}

fn sql_time(t: Time) -> i64 {
    i64::try_from(t).unwrap_or(i64::MAX)
}

impl SqliteStore {
    /// Open (or create) the database file at `path`. Sessions already in
    /// it stay as they were: a store reopened on the same file continues
    /// where the last one stopped.
    pub fn open(
        path: impl AsRef<Path>,
        config: Config,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, SessionError> {
        Self::open_with(path, config, clock, Durability::Full)
    }

    /// [`SqliteStore::open`] with a choice of [`Durability`].
    pub fn open_with(
        path: impl AsRef<Path>,
        config: Config,
        clock: Arc<dyn Clock>,
        durability: Durability,
    ) -> Result<Self, SessionError> {
        let path = path.as_ref().to_path_buf();
        let mut pool = Vec::with_capacity(POOL_SIZE);
        for _ in 0..POOL_SIZE {
            pool.push(Mutex::new(connect(&path, durability)?));
        }
        {
            let mut first = pool[0]
                .lock()
                .map_err(|_| SessionError::Storage("lock poisoned".into()))?;
            let tx = first.transaction_with_behavior(TransactionBehavior::Immediate)?;
            tx.execute_batch(SCHEMA)?;
            tx.commit()?;
        }
        Ok(SqliteStore {
            path,
            config,
            clock,
            passwords: Passwords::new(config.hash_cost)?,
            pool,
            next: AtomicUsize::new(0),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A free connection of the pool (waiting for one if all are busy).
    fn conn(&self) -> Result<MutexGuard<'_, Connection>, SessionError> {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        for i in 0..self.pool.len() {
            if let Ok(c) = self.pool[(start + i) % self.pool.len()].try_lock() {
                return Ok(c);
            }
        }
        self.pool[start % self.pool.len()]
            .lock()
            .map_err(|_| SessionError::Storage("lock poisoned".into()))
    }

    fn phc(&self, conn: &Connection, user: &str) -> Result<Option<String>, SessionError> {
        Ok(conn
            .query_row("SELECT phc FROM users WHERE name = ?1", [user], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// The token `text` of `kind` whose verifier matches, with its family.
    fn find(conn: &Connection, text: &str, kind: i64) -> Result<Option<Row>, SessionError> {
        let Some(p) = token::parse(text) else {
            return Ok(None);
        };
        let row = conn
            .query_row(
                "SELECT t.selector, t.family, t.generation, t.state, t.digest, t.kind,
                        f.login, f.last_use, f.generation
                   FROM tokens t JOIN families f ON f.id = t.family
                  WHERE t.selector = ?1",
                [p.selector],
                |r| {
                    Ok((
                        Row {
                            selector: r.get(0)?,
                            family: r.get(1)?,
                            generation: r.get(2)?,
                            state: r.get(3)?,
                            login: time(r.get(6)?),
                            last_use: time(r.get(7)?),
                            family_generation: r.get(8)?,
                        },
                        r.get::<_, Vec<u8>>(4)?,
                        r.get::<_, i64>(5)?,
                    ))
                },
            )
            .optional()?;
        Ok(row.and_then(|(row, digest, k)| {
            (k == kind && token::matches(p.verifier, &digest)).then_some(row)
        }))
    }

    /// The live, unexpired session `sid`.
    fn live_session(&self, conn: &Connection, sid: &str, now: Time) -> Result<Row, SessionError> {
        let row = Self::find(conn, sid, SESSION)?.ok_or(SessionError::InvalidSession)?;
        if row.state != LIVE {
            return Err(SessionError::InvalidSession);
        }
        if let Some(kind) = self.config.expired(row.login, row.last_use, now) {
            return Err(SessionError::Expired { kind });
        }
        Ok(row)
    }

    fn insert(
        conn: &Connection,
        family: i64,
        kind: i64,
        generation: i64,
    ) -> Result<String, SessionError> {
        let m = token::mint()?;
        conn.execute(
            "INSERT INTO tokens (selector, family, kind, digest, generation, state)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![m.selector, family, kind, &m.digest[..], generation, LIVE],
        )?;
        Ok(m.text)
    }

    fn revoke_family(conn: &Connection, family: i64) -> Result<(), SessionError> {
        conn.execute(
            "UPDATE tokens SET state = ?2 WHERE family = ?1 AND state = ?3",
            params![family, REVOKED, LIVE],
        )?;
        Ok(())
    }
}

impl Store for SqliteStore {
    fn config(&self) -> Config {
        self.config
    }

    fn add_user(&self, user: &str, password: &str) -> Result<(), SessionError> {
        check_user(user)?;
        let phc = self.passwords.hash(password)?;
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if self.phc(&tx, user)?.is_some() {
            return Err(SessionError::UserExists);
        }
        tx.execute(
            "INSERT INTO users (name, phc) VALUES (?1, ?2)",
            [user, &phc],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn login(&self, user: &str, password: &str) -> Result<Issued, SessionError> {
        check_password(password)?;
        // One row either way: the user's hash, or the dummy hash when the
        // user is unknown, so both cases read and copy one hash string
        // before the same argon2 verification (equal work).
        let (phc, found) = if user.len() <= MAX_USER_LEN {
            self.conn()?.query_row(
                "SELECT COALESCE(u.phc, ?2), u.phc IS NOT NULL
                   FROM (SELECT 1) LEFT JOIN users u ON u.name = ?1",
                params![user, self.passwords.dummy()],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?)),
            )?
        } else {
            (self.passwords.dummy().to_owned(), false)
        };
        if !self.passwords.verify_row(&phc, found, password)? {
            return Err(SessionError::InvalidCredentials);
        }
        let now = self.clock.now();
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut live = 0u64;
        {
            let mut stmt = tx.prepare(
                "SELECT f.login, f.last_use FROM families f
                  WHERE f.user = ?1
                    AND EXISTS (SELECT 1 FROM tokens t WHERE t.family = f.id AND t.state = ?2)",
            )?;
            let rows = stmt.query_map(params![user, LIVE], |r| {
                Ok((time(r.get(0)?), time(r.get(1)?)))
            })?;
            for r in rows {
                let (login, last_use) = r?;
                if self.config.expired(login, last_use, now).is_none() {
                    live += 1;
                }
            }
        }
        let max = u64::from(self.config.max_sessions);
        let full = if planted(plant::LIMIT_GT) {
            live > max // the planted mistake
        } else {
            live >= max
        };
        if full {
            return Err(SessionError::TooManySessions {
                max: self.config.max_sessions,
            });
        }
        tx.execute(
            "INSERT INTO families (user, login, last_use) VALUES (?1, ?2, ?2)",
            params![user, sql_time(now)],
        )?;
        let family = tx.last_insert_rowid();
        let issued = Issued {
            session_id: Self::insert(&tx, family, SESSION, 0)?,
            refresh_token: Self::insert(&tx, family, REFRESH, 0)?,
        };
        tx.commit()?;
        Ok(issued)
    }

    fn authenticate(&self, session_id: &str) -> Result<SessionInfo, SessionError> {
        let now = self.clock.now();
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row = self.live_session(&tx, session_id, now)?;
        tx.execute(
            "UPDATE families SET last_use = ?2 WHERE id = ?1",
            params![row.family, sql_time(now)],
        )?;
        let info = tx.query_row(
            "SELECT user, privileged FROM families WHERE id = ?1",
            [row.family],
            |r| {
                Ok(SessionInfo {
                    user: r.get(0)?,
                    privileged: r.get::<_, i64>(1)? != 0,
                })
            },
        )?;
        tx.commit()?;
        Ok(info)
    }

    fn elevate(&self, session_id: &str, password: &str) -> Result<String, SessionError> {
        check_password(password)?;
        let now = self.clock.now();
        let stored = {
            let conn = self.conn()?;
            let row = self.live_session(&conn, session_id, now)?;
            let user: String = conn.query_row(
                "SELECT user FROM families WHERE id = ?1",
                [row.family],
                |r| r.get(0),
            )?;
            self.phc(&conn, &user)?
        };
        if !self.passwords.verify(stored.as_deref(), password)? {
            return Err(SessionError::InvalidCredentials);
        }
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Checked again inside the transaction: it may have ended meanwhile.
        let row = self.live_session(&tx, session_id, now)?;
        tx.execute(
            "UPDATE families SET privileged = 1, last_use = ?2 WHERE id = ?1",
            params![row.family, sql_time(now)],
        )?;
        if planted(plant::NO_ROTATION_ON_ELEVATE) {
            // The planted mistake: the privilege changes, the id stays.
            tx.commit()?;
            return Ok(session_id.to_owned());
        }
        let changed = tx.execute(
            "UPDATE tokens SET state = ?2 WHERE selector = ?1 AND state = ?3",
            params![row.selector, ROTATED, LIVE],
        )?;
        if changed != 1 {
            return Err(SessionError::InvalidSession);
        }
        let sid = Self::insert(&tx, row.family, SESSION, row.family_generation)?;
        tx.commit()?;
        Ok(sid)
    }

    fn refresh(&self, refresh_token: &str) -> Result<Issued, SessionError> {
        let now = self.clock.now();
        let mut conn = self.conn()?;
        let racy = planted(plant::REFRESH_NOT_ATOMIC);
        // The planted mistake reads the token before taking the write lock.
        let early = if racy {
            Some(Self::find(&conn, refresh_token, REFRESH)?)
        } else {
            None
        };
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row = match early {
            Some(r) => r,
            None => Self::find(&tx, refresh_token, REFRESH)?,
        }
        .ok_or(SessionError::InvalidToken)?;
        match row.state {
            ROTATED => {
                if planted(plant::REUSE_OLDER_GENERATION)
                    && row.generation + 1 < row.family_generation
                {
                    // The planted mistake: only the generation just rotated
                    // counts as a reuse.
                    return Err(SessionError::InvalidToken);
                }
                if planted(plant::REVOKE_MISSES_GENERATION) {
                    // The planted mistake: the newest generation survives.
                    tx.execute(
                        "UPDATE tokens SET state = ?2 WHERE family = ?1 AND state = ?3 AND generation < ?4",
                        params![row.family, REVOKED, LIVE, row.family_generation],
                    )?;
                } else {
                    Self::revoke_family(&tx, row.family)?;
                }
                tx.commit()?;
                return Err(SessionError::TokenReused);
            }
            LIVE => {}
            _ => return Err(SessionError::InvalidToken),
        }
        if let Some(kind) = self.config.expired(row.login, row.last_use, now) {
            return Err(SessionError::Expired { kind });
        }
        let changed = if racy {
            tx.execute(
                "UPDATE tokens SET state = ?2 WHERE selector = ?1",
                params![row.selector, ROTATED],
            )?
        } else {
            tx.execute(
                "UPDATE tokens SET state = ?2 WHERE selector = ?1 AND state = ?3",
                params![row.selector, ROTATED, LIVE],
            )?
        };
        if changed != 1 {
            // Someone rotated it first: this is a reuse.
            Self::revoke_family(&tx, row.family)?;
            tx.commit()?;
            return Err(SessionError::TokenReused);
        }
        tx.execute(
            "UPDATE tokens SET state = ?2 WHERE family = ?1 AND kind = ?3 AND state = ?4",
            params![row.family, ROTATED, SESSION, LIVE],
        )?;
        let generation = row.family_generation + 1;
        tx.execute(
            "UPDATE families SET generation = ?2, last_use = ?3 WHERE id = ?1",
            params![row.family, generation, sql_time(now)],
        )?;
        let issued = Issued {
            session_id: Self::insert(&tx, row.family, SESSION, generation)?,
            refresh_token: Self::insert(&tx, row.family, REFRESH, generation)?,
        };
        tx.commit()?;
        Ok(issued)
    }

    fn logout(&self, session_id: &str) -> Result<(), SessionError> {
        let now = self.clock.now();
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row = self.live_session(&tx, session_id, now)?;
        Self::revoke_family(&tx, row.family)?;
        tx.commit()?;
        Ok(())
    }

    fn logout_everywhere(&self, session_id: &str) -> Result<(), SessionError> {
        let now = self.clock.now();
        let mut conn = self.conn()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let row = self.live_session(&tx, session_id, now)?;
        let sql = if planted(plant::LOGOUT_EVERYWHERE_SKIPS_NEWEST) {
            // The planted mistake: an off-by-one bound on the family ids.
            "UPDATE tokens SET state = ?2 WHERE state = ?3 AND family IN (
                 SELECT id FROM families WHERE user = (SELECT user FROM families WHERE id = ?1)
                    AND id < (SELECT MAX(id) FROM families WHERE user = (SELECT user FROM families WHERE id = ?1)))"
        } else {
            "UPDATE tokens SET state = ?2 WHERE state = ?3 AND family IN (
                 SELECT id FROM families WHERE user = (SELECT user FROM families WHERE id = ?1))"
        };
        tx.execute(sql, params![row.family, REVOKED, LIVE])?;
        tx.commit()?;
        Ok(())
    }
}
