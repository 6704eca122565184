//! [`MemoryStore`]: the session store in process memory, behind one mutex.
//! Every operation is one critical section (the password check runs
//! outside it), so refresh rotation is atomic by construction.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use super::error::SessionError;
use super::store::{
    check_password, check_user, Clock, Config, Issued, Passwords, SessionInfo, Store, Time,
};
use super::token;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Session,
    Refresh,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Live,
    Rotated,
    Revoked,
}

#[derive(Debug)]
struct Token {
    family: u64,
    kind: Kind,
    digest: [u8; 32],
    state: State,
}

#[derive(Debug)]
struct Family {
    user: String,
    login: Time,
    last_use: Time,
    privileged: bool,
    generation: u64,
}

#[derive(Debug, Default)]
struct Inner {
    users: HashMap<String, String>,
    families: HashMap<u64, Family>,
    tokens: HashMap<String, Token>,
    next_family: u64,
}

impl Inner {
    /// The token `text` of `kind` whose verifier matches, by selector.
    fn find(&self, text: &str, kind: Kind) -> Option<(&str, &Token)> {
        let p = token::parse(text)?;
        let (sel, t) = self.tokens.get_key_value(p.selector)?;
        (t.kind == kind && token::matches(p.verifier, &t.digest)).then_some((sel.as_str(), t))
    }

    fn family_live(&self, id: u64) -> bool {
        self.tokens
            .values()
            .any(|t| t.family == id && t.state == State::Live)
    }

    fn revoke(&mut self, family: u64) {
        for t in self.tokens.values_mut().filter(|t| t.family == family) {
            if t.state == State::Live {
                t.state = State::Revoked;
            }
        }
    }

    fn insert(&mut self, family: u64, kind: Kind) -> Result<String, SessionError> {
        let m = token::mint()?;
        if self.tokens.contains_key(&m.selector) {
            return Err(SessionError::Random("selector collision".into()));
        }
        self.tokens.insert(
            m.selector,
            Token {
                family,
                kind,
                digest: m.digest,
                state: State::Live,
            },
        );
        Ok(m.text)
    }
}

/// The in-memory session store.
pub struct MemoryStore {
    config: Config,
    clock: Arc<dyn Clock>,
    passwords: Passwords,
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl MemoryStore {
    /// An empty store with `config`, reading the time from `clock`.
    pub fn new(config: Config, clock: Arc<dyn Clock>) -> Result<Self, SessionError> {
        Ok(MemoryStore {
            config,
            clock,
            passwords: Passwords::new(config.hash_cost)?,
            inner: Mutex::new(Inner::default()),
        })
    }

    fn lock(&self) -> Result<MutexGuard<'_, Inner>, SessionError> {
        self.inner
            .lock()
            .map_err(|_| SessionError::Storage("lock poisoned".into()))
    }

    /// The live, unexpired session `sid`: (selector, family id).
    fn live_session(
        &self,
        inner: &Inner,
        sid: &str,
        now: Time,
    ) -> Result<(String, u64), SessionError> {
        let (sel, t) = inner
            .find(sid, Kind::Session)
            .ok_or(SessionError::InvalidSession)?;
        if t.state != State::Live {
            return Err(SessionError::InvalidSession);
        }
        let f = &inner.families[&t.family];
        if let Some(kind) = self.config.expired(f.login, f.last_use, now) {
            return Err(SessionError::Expired { kind });
        }
        Ok((sel.to_owned(), t.family))
    }
}

impl Store for MemoryStore {
    fn config(&self) -> Config {
        self.config
    }

    fn add_user(&self, user: &str, password: &str) -> Result<(), SessionError> {
        check_user(user)?;
        let phc = self.passwords.hash(password)?;
        let mut inner = self.lock()?;
        if inner.users.contains_key(user) {
            return Err(SessionError::UserExists);
        }
        inner.users.insert(user.to_owned(), phc);
        Ok(())
    }

    fn login(&self, user: &str, password: &str) -> Result<Issued, SessionError> {
        check_password(password)?;
        let stored = if user.len() <= super::store::MAX_USER_LEN {
            self.lock()?.users.get(user).cloned()
        } else {
            None
        };
        if !self.passwords.verify(stored.as_deref(), password)? {
            return Err(SessionError::InvalidCredentials);
        }
        let now = self.clock.now();
        let mut inner = self.lock()?;
        let live = inner
            .families
            .iter()
            .filter(|(id, f)| {
                f.user == user
                    && self.config.expired(f.login, f.last_use, now).is_none()
                    && inner.family_live(**id)
            })
            .count();
        if live >= self.config.max_sessions as usize {
            return Err(SessionError::TooManySessions {
                max: self.config.max_sessions,
            });
        }
        let id = inner.next_family;
        inner.next_family += 1;
        inner.families.insert(
            id,
            Family {
                user: user.to_owned(),
                login: now,
                last_use: now,
                privileged: false,
                generation: 0,
            },
        );
        Ok(Issued {
            session_id: inner.insert(id, Kind::Session)?,
            refresh_token: inner.insert(id, Kind::Refresh)?,
        })
    }

    fn authenticate(&self, session_id: &str) -> Result<SessionInfo, SessionError> {
        let now = self.clock.now();
        let mut inner = self.lock()?;
        let (_, fid) = self.live_session(&inner, session_id, now)?;
        let f = inner
            .families
            .get_mut(&fid)
            .expect("a token's family exists");
        f.last_use = now;
        Ok(SessionInfo {
            user: f.user.clone(),
            privileged: f.privileged,
        })
    }

    fn elevate(&self, session_id: &str, password: &str) -> Result<String, SessionError> {
        check_password(password)?;
        let now = self.clock.now();
        let stored = {
            let inner = self.lock()?;
            let (_, fid) = self.live_session(&inner, session_id, now)?;
            inner.users.get(&inner.families[&fid].user).cloned()
        };
        if !self.passwords.verify(stored.as_deref(), password)? {
            return Err(SessionError::InvalidCredentials);
        }
        let mut inner = self.lock()?;
        // Checked again: the session may have ended while the hash ran.
        let (sel, fid) = self.live_session(&inner, session_id, now)?;
        if let Some(t) = inner.tokens.get_mut(&sel) {
            t.state = State::Rotated;
        }
        let f = inner
            .families
            .get_mut(&fid)
            .expect("a token's family exists");
        f.privileged = true;
        f.last_use = now;
        inner.insert(fid, Kind::Session)
    }

    fn refresh(&self, refresh_token: &str) -> Result<Issued, SessionError> {
        let now = self.clock.now();
        let mut inner = self.lock()?;
        let (sel, t) = inner
            .find(refresh_token, Kind::Refresh)
            .ok_or(SessionError::InvalidToken)?;
        let (sel, fid, state) = (sel.to_owned(), t.family, t.state);
        match state {
            State::Rotated => {
                inner.revoke(fid);
                return Err(SessionError::TokenReused);
            }
            State::Revoked => return Err(SessionError::InvalidToken),
            State::Live => {}
        }
        let f = &inner.families[&fid];
        if let Some(kind) = self.config.expired(f.login, f.last_use, now) {
            return Err(SessionError::Expired { kind });
        }
        for t in inner.tokens.values_mut() {
            if t.family == fid && t.state == State::Live {
                t.state = State::Rotated;
            }
        }
        debug_assert_eq!(inner.tokens[&sel].state, State::Rotated);
        let f = inner
            .families
            .get_mut(&fid)
            .expect("a token's family exists");
        f.generation += 1;
        f.last_use = now;
        Ok(Issued {
            session_id: inner.insert(fid, Kind::Session)?,
            refresh_token: inner.insert(fid, Kind::Refresh)?,
        })
    }

    fn logout(&self, session_id: &str) -> Result<(), SessionError> {
        let now = self.clock.now();
        let mut inner = self.lock()?;
        let (_, fid) = self.live_session(&inner, session_id, now)?;
        inner.revoke(fid);
        Ok(())
    }

    fn logout_everywhere(&self, session_id: &str) -> Result<(), SessionError> {
        let now = self.clock.now();
        let mut inner = self.lock()?;
        let (_, fid) = self.live_session(&inner, session_id, now)?;
        let user = inner.families[&fid].user.clone();
        let ids: Vec<u64> = inner
            .families
            .iter()
            .filter(|(_, f)| f.user == user)
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            inner.revoke(id);
        }
        Ok(())
    }
}
