//! A deliberately broken store, in test code only: a plain, plausible
//! implementation of `session::Store` with one of three defects switched
//! on. The generic suite must catch each, by the right property.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use secfuzz::session::{
    token, Clock, Config, Issued, ManualClock, SessionError, SessionInfo, Store,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Defect {
    /// A rotated refresh token is refused, but its family stays alive.
    NoReuseDetection,
    /// `elevate` keeps the session id.
    NoRotation,
    /// `refresh` checks the token, releases the lock (a database round
    /// trip), then rotates unconditionally.
    NonAtomicRefresh,
}

struct Family {
    user: String,
    login: u64,
    last_use: u64,
    privileged: bool,
    live: bool,
    sid: String,
    rt: String,
}

#[derive(Default)]
struct State {
    users: HashMap<String, String>,
    families: Vec<Family>,
    sids: HashMap<String, usize>,
    rts: HashMap<String, usize>,
}

pub struct BrokenStore {
    defect: Defect,
    config: Config,
    clock: Arc<ManualClock>,
    state: Mutex<State>,
}

impl BrokenStore {
    pub fn new(defect: Defect, config: Config, clock: Arc<ManualClock>) -> Self {
        BrokenStore {
            defect,
            config,
            clock,
            state: Mutex::new(State::default()),
        }
    }

    fn expired(&self, f: &Family, now: u64) -> bool {
        now >= f.login + self.config.absolute_ttl || now >= f.last_use + self.config.idle_ttl
    }

    fn session(&self, st: &State, sid: &str) -> Result<usize, SessionError> {
        let &f = st.sids.get(sid).ok_or(SessionError::InvalidSession)?;
        let fam = &st.families[f];
        if !fam.live || fam.sid != sid {
            return Err(SessionError::InvalidSession);
        }
        if self.expired(fam, self.clock.now()) {
            return Err(SessionError::InvalidSession);
        }
        Ok(f)
    }
}

fn mint() -> String {
    token::mint().expect("random").text
}

impl Store for BrokenStore {
    fn config(&self) -> Config {
        self.config
    }

    fn add_user(&self, user: &str, password: &str) -> Result<(), SessionError> {
        self.state
            .lock()
            .unwrap()
            .users
            .insert(user.into(), password.into());
        Ok(())
    }

    fn login(&self, user: &str, password: &str) -> Result<Issued, SessionError> {
        let now = self.clock.now();
        let mut st = self.state.lock().unwrap();
        if st.users.get(user).map(String::as_str) != Some(password) {
            return Err(SessionError::InvalidCredentials);
        }
        let live = st
            .families
            .iter()
            .filter(|f| f.user == user && f.live && !self.expired(f, now))
            .count();
        if live >= self.config.max_sessions as usize {
            return Err(SessionError::TooManySessions {
                max: self.config.max_sessions,
            });
        }
        let (sid, rt) = (mint(), mint());
        st.families.push(Family {
            user: user.into(),
            login: now,
            last_use: now,
            privileged: false,
            live: true,
            sid: sid.clone(),
            rt: rt.clone(),
        });
        let f = st.families.len() - 1;
        st.sids.insert(sid.clone(), f);
        st.rts.insert(rt.clone(), f);
        Ok(Issued {
            session_id: sid,
            refresh_token: rt,
        })
    }

    fn authenticate(&self, sid: &str) -> Result<SessionInfo, SessionError> {
        let mut st = self.state.lock().unwrap();
        let f = self.session(&st, sid)?;
        let fam = &mut st.families[f];
        fam.last_use = self.clock.now();
        Ok(SessionInfo {
            user: fam.user.clone(),
            privileged: fam.privileged,
        })
    }

    fn elevate(&self, sid: &str, password: &str) -> Result<String, SessionError> {
        let mut st = self.state.lock().unwrap();
        let f = self.session(&st, sid)?;
        if st.users.get(&st.families[f].user).map(String::as_str) != Some(password) {
            return Err(SessionError::InvalidCredentials);
        }
        let now = self.clock.now();
        let fam = &mut st.families[f];
        fam.privileged = true;
        fam.last_use = now;
        if self.defect == Defect::NoRotation {
            return Ok(sid.to_owned());
        }
        let new = mint();
        fam.sid = new.clone();
        st.sids.insert(new.clone(), f);
        Ok(new)
    }

    fn refresh(&self, rt: &str) -> Result<Issued, SessionError> {
        let now = self.clock.now();
        let mut st = self.state.lock().unwrap();
        let &f = st.rts.get(rt).ok_or(SessionError::InvalidToken)?;
        if st.families[f].rt != rt {
            // a rotated token
            if self.defect != Defect::NoReuseDetection {
                st.families[f].live = false;
                return Err(SessionError::TokenReused);
            }
            return Err(SessionError::InvalidToken);
        }
        if !st.families[f].live {
            return Err(SessionError::InvalidToken);
        }
        if self.expired(&st.families[f], now) {
            return Err(SessionError::Expired {
                kind: secfuzz::session::ExpiryKind::Idle,
            });
        }
        if self.defect == Defect::NonAtomicRefresh {
            // check, then act: the state may change in between
            drop(st);
            std::thread::sleep(Duration::from_millis(2));
            st = self.state.lock().unwrap();
        }
        let (sid, new_rt) = (mint(), mint());
        let fam = &mut st.families[f];
        fam.sid = sid.clone();
        fam.rt = new_rt.clone();
        fam.last_use = now;
        st.sids.insert(sid.clone(), f);
        st.rts.insert(new_rt.clone(), f);
        Ok(Issued {
            session_id: sid,
            refresh_token: new_rt,
        })
    }

    fn logout(&self, sid: &str) -> Result<(), SessionError> {
        let mut st = self.state.lock().unwrap();
        let f = self.session(&st, sid)?;
        st.families[f].live = false;
        Ok(())
    }

    fn logout_everywhere(&self, sid: &str) -> Result<(), SessionError> {
        let mut st = self.state.lock().unwrap();
        let f = self.session(&st, sid)?;
        let user = st.families[f].user.clone();
        for fam in st.families.iter_mut().filter(|x| x.user == user) {
            fam.live = false;
        }
        Ok(())
    }
}
