//! The session properties, checked by replaying a script against any
//! [`Store`] next to a reference model ([`replay`]), and the generic suite
//! ([`suite`]) that points them at a store of yours.
//!
//! The model is independent of both stores: it never mints, hashes or
//! looks up a token. It keeps the plain strings the store handed out, in
//! lists per family, and decides from its own bookkeeping whether each
//! presented string may work: the family's current id or token, alive and
//! unexpired — and nothing else. When the store's answer differs, the
//! violation names the property an acceptance breaks (a rotated refresh
//! token refreshed again: [`REFRESH_ONCE`]; a token of a family revoked by
//! reuse: [`REUSE`]; …).

use std::collections::HashSet;
use std::sync::{Arc, Barrier};

use arbitrary::{Arbitrary, Unstructured};

use super::error::SessionError;
use super::gen::{Lifetime, Op, PasswordRef, Ref, TokenEdit, UserRef, MAX_OPS, MAX_THREADS, USERS};
use super::store::{Clock, Config, HashCost, Issued, ManualClock, Store, Time};
use crate::engine::contract::{Invariant, Violation};

/// At most one successful refresh per refresh token.
pub const REFRESH_ONCE: &str = "session.refresh_once";
/// After a rotated refresh token is presented again, no id or token of its family works.
pub const REUSE: &str = "session.reuse_revokes_family";
/// After logout, nothing of that session's family works.
pub const LOGOUT: &str = "session.logout";
/// Logout-everywhere ends every session of the user.
pub const LOGOUT_EVERYWHERE: &str = "session.logout_everywhere";
/// A new session id on every login, refresh and privilege change; the old one stops working.
pub const ROTATION: &str = "session.rotation";
/// Ids and tokens never repeat and are long enough to carry 128 bits.
pub const FRESH_IDS: &str = "session.fresh_ids";
/// A user never holds more live sessions than the limit.
pub const LIMIT: &str = "session.limit";
/// Absolute and idle expiry hold exactly at their boundary.
pub const EXPIRY: &str = "session.expiry";
/// Unknown users and wrong passwords never log in or elevate, and are refused alike.
pub const CREDENTIALS: &str = "session.credentials";
/// A string the store never issued (an issued one edited, another kind) never works.
pub const UNFORGEABLE: &str = "session.unforgeable";
/// Every legitimate operation succeeds with the model's result.
pub const MODEL: &str = "session.model";

/// Every invariant of the session target.
pub const INVARIANTS: &[Invariant] = &[
    Invariant { id: REFRESH_ONCE, description: "at most one successful refresh per refresh token" },
    Invariant { id: REUSE, description: "after a rotated refresh token is presented again, no id or token of its family works" },
    Invariant { id: LOGOUT, description: "after logout nothing of that session works" },
    Invariant { id: LOGOUT_EVERYWHERE, description: "logout-everywhere ends every session of the user" },
    Invariant { id: ROTATION, description: "a new session id on every login, refresh and privilege change; the old one stops working" },
    Invariant { id: FRESH_IDS, description: "ids and tokens never repeat and carry at least 128 bits" },
    Invariant { id: LIMIT, description: "a user never holds more live sessions than the limit" },
    Invariant { id: EXPIRY, description: "absolute and idle expiry hold exactly at their boundary" },
    Invariant { id: CREDENTIALS, description: "unknown users and wrong passwords never log in or elevate, and are refused alike" },
    Invariant { id: UNFORGEABLE, description: "a string the store never issued never works as an id or token" },
    Invariant { id: MODEL, description: "every legitimate operation succeeds with the reference model's result" },
];

/// Shortest id or token accepted as carrying 128 bits (base64: 22 characters).
pub const MIN_TOKEN_CHARS: usize = 22;

/// Why the model says a family no longer works.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ended {
    Reuse,
    Logout,
    Everywhere,
}

impl Ended {
    fn invariant(self) -> &'static str {
        match self {
            Ended::Reuse => REUSE,
            Ended::Logout => LOGOUT,
            Ended::Everywhere => LOGOUT_EVERYWHERE,
        }
    }
}

#[derive(Clone, Debug)]
struct Family {
    user: usize,
    login: Time,
    last_use: Time,
    privileged: bool,
    ended: Option<Ended>,
    sid: String,
    rt: String,
}

/// What a presented string is, to the model.
#[derive(Clone, Copy, Debug)]
enum Known {
    /// The current id or token of family `f`.
    Current(usize),
    /// An earlier (rotated) one of family `f`.
    Rotated(usize),
    /// Never issued as this kind.
    Never,
}

/// What the model expects of one call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    Ok,
    /// Must fail; an acceptance breaks this invariant.
    Fail(&'static str),
}

/// One replayed op: what the store did and, for a refusal, which property
/// a store accepting it would break.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The op, in words.
    pub op: String,
    /// `Ok(())` or the store's error text.
    pub result: Result<(), String>,
    /// For a refusal the model required: the invariant an acceptance breaks.
    pub guards: Option<&'static str>,
}

/// The model's state while replaying.
struct Model {
    config: Config,
    now: Time,
    families: Vec<Family>,
    /// Every session id issued, in order, with its family.
    sids: Vec<(String, usize)>,
    /// Every refresh token issued, in order, with its family.
    rts: Vec<(String, usize)>,
    seen: HashSet<String>,
}

fn pick(list: &[(String, usize)], back: u8) -> Option<&str> {
    if list.is_empty() {
        return None;
    }
    let i = list.len() - 1 - usize::from(back) % list.len();
    Some(&list[i].0)
}

const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn edit_token(s: &str, edit: &TokenEdit, other: Option<&str>) -> String {
    match edit {
        TokenEdit::Flip { at } => {
            let mut b = s.as_bytes().to_vec();
            if b.is_empty() {
                return "A".into();
            }
            let i = usize::from(*at) % b.len();
            b[i] = match B64URL.iter().position(|&c| c == b[i]) {
                Some(p) => B64URL[(p + 1) % B64URL.len()],
                None => b'A',
            };
            String::from_utf8_lossy(&b).into_owned()
        }
        TokenEdit::Truncate { by } => {
            let n = 1 + usize::from(*by) % 8;
            let mut c: Vec<char> = s.chars().collect();
            c.truncate(c.len().saturating_sub(n));
            c.into_iter().collect()
        }
        TokenEdit::Extend(c) => format!("{s}{c}"),
        TokenEdit::SwapCase => s
            .chars()
            .map(|c| {
                if c.is_ascii_uppercase() {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect(),
        TokenEdit::OtherKind => other.unwrap_or("").to_owned(),
        TokenEdit::SwapParts => match s.split_once('.') {
            Some((a, b)) => format!("{b}.{a}"),
            None => s.to_owned(),
        },
        TokenEdit::FirstPart => s.split('.').next().unwrap_or("").to_owned(),
        TokenEdit::Empty => String::new(),
        TokenEdit::Text(t) => t.chars().take(300).collect(),
    }
}

fn user_name(u: &UserRef) -> String {
    let name = USERS[usize::from(u.user) % USERS.len()].0;
    u.edit
        .as_ref()
        .map_or_else(|| name.to_owned(), |e| e.apply(name))
}

fn password(p: &PasswordRef) -> String {
    let pw = USERS[usize::from(p.of) % USERS.len()].1;
    p.edit
        .as_ref()
        .map_or_else(|| pw.to_owned(), |e| e.apply(pw))
}

impl Model {
    fn new(config: Config, now: Time) -> Self {
        Model {
            config,
            now,
            families: Vec::new(),
            sids: Vec::new(),
            rts: Vec::new(),
            seen: HashSet::new(),
        }
    }

    /// The string a [`Ref`] stands for (`sessions`: a session id).
    fn resolve(&self, r: &Ref, sessions: bool) -> String {
        let (mine, other) = if sessions {
            (&self.sids, &self.rts)
        } else {
            (&self.rts, &self.sids)
        };
        let base = pick(mine, r.back).unwrap_or("");
        match &r.edit {
            None => base.to_owned(),
            Some(e) => edit_token(base, e, pick(other, r.back)),
        }
    }

    fn known(&self, s: &str, sessions: bool) -> Known {
        let list = if sessions { &self.sids } else { &self.rts };
        let Some((_, f)) = list.iter().find(|(t, _)| t == s) else {
            return Known::Never;
        };
        let fam = &self.families[*f];
        let current = if sessions { &fam.sid } else { &fam.rt };
        if current == s {
            Known::Current(*f)
        } else {
            Known::Rotated(*f)
        }
    }

    fn alive(&self, f: usize) -> Result<(), &'static str> {
        let fam = &self.families[f];
        if let Some(e) = fam.ended {
            return Err(e.invariant());
        }
        // The model's own reading of the lifetimes (not Config::expired).
        let abs_end = fam.login.saturating_add(self.config.absolute_ttl);
        let idle_end = fam.last_use.saturating_add(self.config.idle_ttl);
        if self.now >= abs_end || self.now >= idle_end {
            return Err(EXPIRY);
        }
        Ok(())
    }

    /// Whether a session id may be used, and its family.
    fn session(&self, s: &str) -> (Expect, Option<usize>) {
        match self.known(s, true) {
            Known::Current(f) => match self.alive(f) {
                Ok(()) => (Expect::Ok, Some(f)),
                Err(inv) => (Expect::Fail(inv), Some(f)),
            },
            Known::Rotated(f) => (
                Expect::Fail(self.families[f].ended.map_or(ROTATION, Ended::invariant)),
                Some(f),
            ),
            Known::Never => (Expect::Fail(UNFORGEABLE), None),
        }
    }

    fn live_count(&self, user: usize) -> usize {
        (0..self.families.len())
            .filter(|&f| self.families[f].user == user && self.alive(f).is_ok())
            .count()
    }

    /// Record an issued string; a repeat or a short one is a violation.
    fn fresh(&mut self, s: &str, what: &str) -> Result<(), Violation> {
        if s.chars().count() < MIN_TOKEN_CHARS {
            return Err(Violation::new(
                FRESH_IDS,
                format!("{what} {s:?} is shorter than {MIN_TOKEN_CHARS} characters (128 bits)"),
            ));
        }
        if !self.seen.insert(s.to_owned()) {
            return Err(Violation::new(
                FRESH_IDS,
                format!("{what} {s:?} was issued before"),
            ));
        }
        Ok(())
    }

    fn start_family(&mut self, user: usize, issued: &Issued) -> Result<(), Violation> {
        self.fresh(&issued.session_id, "session id")?;
        self.fresh(&issued.refresh_token, "refresh token")?;
        let f = self.families.len();
        self.families.push(Family {
            user,
            login: self.now,
            last_use: self.now,
            privileged: false,
            ended: None,
            sid: issued.session_id.clone(),
            rt: issued.refresh_token.clone(),
        });
        self.sids.push((issued.session_id.clone(), f));
        self.rts.push((issued.refresh_token.clone(), f));
        Ok(())
    }
}

fn describe(r: &Result<impl std::fmt::Debug, SessionError>) -> String {
    match r {
        Ok(_) => "succeeded".into(),
        Err(e) => format!("refused ({e})"),
    }
}

/// A violation for a call whose outcome differs from the model's.
fn judge<T: std::fmt::Debug>(
    i: usize,
    what: &str,
    expect: Expect,
    got: &Result<T, SessionError>,
) -> Result<(), Violation> {
    match (expect, got) {
        (Expect::Fail(inv), Ok(_)) => Err(Violation::new(
            inv,
            format!("op {i}: {what} succeeded; the model requires a refusal"),
        )),
        (Expect::Ok, Err(e)) => {
            let inv = match e {
                SessionError::Expired { .. } => EXPIRY,
                SessionError::TooManySessions { .. } => LIMIT,
                _ => MODEL,
            };
            Err(Violation::new(
                inv,
                format!("op {i}: {what} was refused ({e}); the model says it is legitimate"),
            ))
        }
        _ => Ok(()),
    }
}

/// Replay `ops` against `store`, whose clock is `clock`, next to the
/// reference model; the fixture [`USERS`] are registered first. Returns
/// what each op did, or the first violation.
///
/// The store must be fresh (no users, no sessions) and built with `clock`;
/// its policy is read from [`Store::config`].
pub fn replay<S: Store + ?Sized>(
    store: &S,
    clock: &ManualClock,
    ops: &[Op],
) -> Result<Vec<Step>, Violation> {
    for (u, p) in USERS {
        store
            .add_user(u, p)
            .map_err(|e| Violation::new(MODEL, format!("registering fixture user {u}: {e}")))?;
    }
    let mut m = Model::new(store.config(), clock.now());
    let mut steps = Vec::new();
    for (i, op) in ops.iter().take(MAX_OPS).enumerate() {
        clock.set(m.now);
        replay_op(store, clock, &mut m, i, op, &mut steps)?;
    }
    Ok(steps)
}

fn step(
    steps: &mut Vec<Step>,
    op: String,
    r: &Result<impl std::fmt::Debug, SessionError>,
    e: Expect,
) {
    steps.push(Step {
        op,
        result: r.as_ref().map(|_| ()).map_err(ToString::to_string),
        guards: match e {
            Expect::Fail(inv) => Some(inv),
            Expect::Ok => None,
        },
    });
}

fn login<S: Store + ?Sized>(
    store: &S,
    m: &mut Model,
    i: usize,
    user: &str,
    pw: &str,
    steps: &mut Vec<Step>,
) -> Result<(), Violation> {
    let what = format!("login({user:?}, {pw:?})");
    let known = USERS.iter().position(|(u, _)| *u == user);
    let expect = match known {
        Some(u) if USERS[u].1 == pw => {
            if m.live_count(u) >= m.config.max_sessions as usize {
                Expect::Fail(LIMIT)
            } else {
                Expect::Ok
            }
        }
        _ => Expect::Fail(CREDENTIALS),
    };
    let r = store.login(user, pw);
    step(steps, what.clone(), &r, expect);
    judge(i, &what, expect, &r)?;
    if expect == Expect::Fail(CREDENTIALS) && !matches!(r, Err(SessionError::InvalidCredentials)) {
        return Err(Violation::new(
            CREDENTIALS,
            format!("op {i}: {what} {}; unknown users and wrong passwords must both be InvalidCredentials", describe(&r)),
        ));
    }
    if let (Ok(issued), Some(u)) = (&r, known) {
        m.start_family(u, issued)?;
    }
    Ok(())
}

fn replay_op<S: Store + ?Sized>(
    store: &S,
    clock: &ManualClock,
    m: &mut Model,
    i: usize,
    op: &Op,
    steps: &mut Vec<Step>,
) -> Result<(), Violation> {
    match op {
        Op::Login { user, password: p } => {
            login(store, m, i, &user_name(user), &password(p), steps)
        }
        Op::LoginBurst { user, delta } => {
            let n = (m.config.max_sessions as usize + usize::from(*delta % 3)).saturating_sub(1);
            let (u, p) = USERS[usize::from(*user) % USERS.len()];
            for _ in 0..n {
                login(store, m, i, u, p, steps)?;
            }
            Ok(())
        }
        Op::Authenticate { session } => {
            let s = m.resolve(session, true);
            let what = format!("authenticate({s:?})");
            let (expect, f) = m.session(&s);
            let r = store.authenticate(&s);
            step(steps, what.clone(), &r, expect);
            judge(i, &what, expect, &r)?;
            if let (Ok(info), Some(f)) = (&r, f) {
                let fam = &mut m.families[f];
                let user = USERS[fam.user].0;
                if info.user != user || info.privileged != fam.privileged {
                    return Err(Violation::new(
                        MODEL,
                        format!("op {i}: {what} returned {info:?}; the model has user {user:?}, privileged {}", fam.privileged),
                    ));
                }
                fam.last_use = m.now;
            }
            Ok(())
        }
        Op::Elevate {
            session,
            password: p,
        } => {
            let s = m.resolve(session, true);
            let pw = password(p);
            let what = format!("elevate({s:?}, {pw:?})");
            let (mut expect, f) = m.session(&s);
            if let (Expect::Ok, Some(f)) = (expect, f) {
                if USERS[m.families[f].user].1 != pw {
                    expect = Expect::Fail(CREDENTIALS);
                }
            }
            let r = store.elevate(&s, &pw);
            step(steps, what.clone(), &r, expect);
            judge(i, &what, expect, &r)?;
            if let (Ok(new), Some(f)) = (&r, f) {
                if *new == s {
                    return Err(Violation::new(
                        ROTATION,
                        format!("op {i}: {what} kept the session id across the privilege change (fixation)"),
                    ));
                }
                m.fresh(new, "session id")?;
                m.sids.push((new.clone(), f));
                let fam = &mut m.families[f];
                fam.sid = new.clone();
                fam.privileged = true;
                fam.last_use = m.now;
            }
            Ok(())
        }
        Op::Refresh { token } => {
            let s = m.resolve(token, false);
            let what = format!("refresh({s:?})");
            let (expect, f) = refresh_expect(m, &s);
            let r = store.refresh(&s);
            step(steps, what.clone(), &r, expect);
            judge(i, &what, expect, &r)?;
            refresh_after(m, i, &what, f, &s, r.as_ref().ok())
        }
        Op::RefreshRace { token, threads } => {
            let n = 2 + usize::from(*threads % (MAX_THREADS - 1));
            let s = m.resolve(token, false);
            let what = format!("refresh({s:?}) from {n} threads at once");
            let (expect, f) = refresh_expect(m, &s);
            let barrier = Barrier::new(n);
            let results: Vec<Result<Issued, SessionError>> = std::thread::scope(|sc| {
                let hs: Vec<_> = (0..n)
                    .map(|_| {
                        sc.spawn(|| {
                            barrier.wait();
                            store.refresh(&s)
                        })
                    })
                    .collect();
                hs.into_iter()
                    .map(|h| {
                        h.join().unwrap_or_else(|_| {
                            Err(SessionError::Storage("refresh panicked".into()))
                        })
                    })
                    .collect()
            });
            let wins = results.iter().filter(|r| r.is_ok()).count();
            let winner: Option<Issued> = results.iter().find_map(|r| r.as_ref().ok().cloned());
            let summary: Result<(), SessionError> = match winner {
                Some(_) => Ok(()),
                None => Err(results
                    .into_iter()
                    .find_map(Result::err)
                    .unwrap_or(SessionError::InvalidToken)),
            };
            step(steps, what.clone(), &summary, expect);
            if wins > 1 {
                return Err(Violation::new(
                    REFRESH_ONCE,
                    format!("op {i}: {what}: {wins} refreshes succeeded"),
                ));
            }
            judge(i, &what, expect, &summary)?;
            refresh_after(m, i, &what, f, &s, winner.as_ref())?;
            // The other threads presented the token just rotated: a reuse.
            if let (Some(f), 1) = (f, wins) {
                m.families[f].ended.get_or_insert(Ended::Reuse);
            }
            Ok(())
        }
        Op::Logout { session } => {
            let s = m.resolve(session, true);
            let what = format!("logout({s:?})");
            let (expect, f) = m.session(&s);
            let r = store.logout(&s);
            step(steps, what.clone(), &r, expect);
            judge(i, &what, expect, &r)?;
            if let (Ok(()), Some(f)) = (&r, f) {
                m.families[f].ended = Some(Ended::Logout);
            }
            Ok(())
        }
        Op::LogoutEverywhere { session } => {
            let s = m.resolve(session, true);
            let what = format!("logout_everywhere({s:?})");
            let (expect, f) = m.session(&s);
            let r = store.logout_everywhere(&s);
            step(steps, what.clone(), &r, expect);
            judge(i, &what, expect, &r)?;
            if let (Ok(()), Some(f)) = (&r, f) {
                let user = m.families[f].user;
                for fam in m.families.iter_mut().filter(|x| x.user == user) {
                    fam.ended.get_or_insert(Ended::Everywhere);
                }
            }
            Ok(())
        }
        Op::Advance { seconds } => {
            m.now = m.now.saturating_add(u64::from(*seconds));
            clock.set(m.now);
            Ok(())
        }
        Op::ToBoundary {
            family,
            lifetime,
            delta,
        } => {
            if m.families.is_empty() {
                return Ok(());
            }
            let f = &m.families[m.families.len() - 1 - usize::from(*family) % m.families.len()];
            let end = match lifetime {
                Lifetime::Absolute => f.login.saturating_add(m.config.absolute_ttl),
                Lifetime::Idle => f.last_use.saturating_add(m.config.idle_ttl),
            };
            let t = (end + u64::from(*delta % 3)).saturating_sub(1);
            if t > m.now {
                m.now = t;
                clock.set(t);
            }
            Ok(())
        }
    }
}

fn refresh_expect(m: &Model, s: &str) -> (Expect, Option<usize>) {
    match m.known(s, false) {
        Known::Current(f) => match m.alive(f) {
            Ok(()) => (Expect::Ok, Some(f)),
            Err(inv) => (Expect::Fail(inv), Some(f)),
        },
        // Refreshed once already: a second success breaks refresh_once.
        Known::Rotated(f) => (Expect::Fail(REFRESH_ONCE), Some(f)),
        Known::Never => (Expect::Fail(UNFORGEABLE), None),
    }
}

fn refresh_after(
    m: &mut Model,
    i: usize,
    what: &str,
    f: Option<usize>,
    s: &str,
    issued: Option<&Issued>,
) -> Result<(), Violation> {
    let Some(f) = f else { return Ok(()) };
    match issued {
        Some(new) => {
            if new.session_id == m.families[f].sid {
                return Err(Violation::new(
                    ROTATION,
                    format!("op {i}: {what} kept the session id"),
                ));
            }
            m.fresh(&new.session_id, "session id")?;
            m.fresh(&new.refresh_token, "refresh token")?;
            m.sids.push((new.session_id.clone(), f));
            m.rts.push((new.refresh_token.clone(), f));
            let fam = &mut m.families[f];
            fam.sid = new.session_id.clone();
            fam.rt = new.refresh_token.clone();
            fam.last_use = m.now;
        }
        None => {
            if matches!(m.known(s, false), Known::Rotated(_)) {
                m.families[f].ended.get_or_insert(Ended::Reuse);
            }
        }
    }
    Ok(())
}

/// A store built for one script: `make` gets the policy and the clock.
pub type MakeStore<'a, S> = dyn FnMut(Config, Arc<ManualClock>) -> Result<S, SessionError> + 'a;

/// Scripts that stand on each property directly (used by [`suite`] first,
/// and as corpus seeds).
pub fn scenarios() -> Vec<Vec<Op>> {
    let cur = |back| Ref { back, edit: None };
    let ed = |back, e| Ref {
        back,
        edit: Some(e),
    };
    let alice = || Op::Login {
        user: UserRef {
            user: 0,
            edit: None,
        },
        password: PasswordRef { of: 0, edit: None },
    };
    let bob = || Op::Login {
        user: UserRef {
            user: 1,
            edit: None,
        },
        password: PasswordRef { of: 1, edit: None },
    };
    let refresh = |back| Op::Refresh { token: cur(back) };
    let auth = |back| Op::Authenticate { session: cur(back) };
    vec![
        // a rotated token replayed: refused, and the family is gone
        vec![alice(), refresh(0), refresh(1), auth(0), refresh(0)],
        // an older generation replayed
        vec![
            alice(),
            refresh(0),
            refresh(0),
            refresh(0),
            refresh(3),
            auth(0),
            refresh(0),
        ],
        // session fixation across a privilege change
        vec![
            alice(),
            Op::Elevate {
                session: cur(0),
                password: PasswordRef { of: 0, edit: None },
            },
            auth(1),
            auth(0),
        ],
        // logout, then every credential of the family
        vec![
            alice(),
            refresh(0),
            Op::Logout { session: cur(0) },
            auth(0),
            refresh(0),
        ],
        // logout-everywhere from the oldest session, then the newest
        vec![
            alice(),
            bob(),
            alice(),
            alice(),
            Op::LogoutEverywhere { session: cur(3) },
            auth(0),
            auth(1),
            auth(2),
            refresh(0),
        ],
        vec![
            Op::LoginBurst { user: 0, delta: 2 },
            Op::LogoutEverywhere { session: cur(0) },
            auth(1),
            Op::LoginBurst { user: 0, delta: 2 },
        ],
        // the session limit and one more
        vec![
            Op::LoginBurst { user: 2, delta: 2 },
            Op::Logout { session: cur(0) },
            Op::LoginBurst { user: 2, delta: 1 },
        ],
        // idle and absolute expiry: one second before, at, after
        vec![
            alice(),
            Op::ToBoundary {
                family: 0,
                lifetime: Lifetime::Idle,
                delta: 0,
            },
            auth(0),
            Op::ToBoundary {
                family: 0,
                lifetime: Lifetime::Idle,
                delta: 1,
            },
            auth(0),
            refresh(0),
        ],
        vec![
            alice(),
            Op::ToBoundary {
                family: 0,
                lifetime: Lifetime::Idle,
                delta: 1,
            },
            refresh(0),
            Op::LoginBurst { user: 0, delta: 1 },
        ],
        vec![
            alice(),
            Op::ToBoundary {
                family: 0,
                lifetime: Lifetime::Absolute,
                delta: 0,
            },
            refresh(0),
            Op::ToBoundary {
                family: 0,
                lifetime: Lifetime::Absolute,
                delta: 1,
            },
            auth(0),
            refresh(0),
        ],
        // near misses of a live token and a live session id
        vec![
            alice(),
            Op::Refresh {
                token: ed(0, TokenEdit::Flip { at: 65 }),
            },
            Op::Refresh {
                token: ed(0, TokenEdit::Extend('A')),
            },
            Op::Refresh {
                token: ed(0, TokenEdit::Flip { at: 30 }),
            },
            Op::Refresh {
                token: ed(0, TokenEdit::Truncate { by: 0 }),
            },
            Op::Refresh {
                token: ed(0, TokenEdit::OtherKind),
            },
            refresh(0),
        ],
        vec![
            alice(),
            Op::Authenticate {
                session: ed(0, TokenEdit::Flip { at: 60 }),
            },
            Op::Authenticate {
                session: ed(0, TokenEdit::Extend('x')),
            },
            Op::Authenticate {
                session: ed(0, TokenEdit::OtherKind),
            },
            Op::Authenticate {
                session: ed(0, TokenEdit::SwapCase),
            },
            auth(0),
        ],
        // credentials: unknown user, wrong passwords, another user's password
        vec![
            Op::Login {
                user: UserRef {
                    user: 0,
                    edit: Some(super::gen::TextEdit::Case),
                },
                password: PasswordRef { of: 0, edit: None },
            },
            Op::Login {
                user: UserRef {
                    user: 0,
                    edit: None,
                },
                password: PasswordRef {
                    of: 0,
                    edit: Some(super::gen::TextEdit::DropLast),
                },
            },
            Op::Login {
                user: UserRef {
                    user: 0,
                    edit: None,
                },
                password: PasswordRef { of: 1, edit: None },
            },
            alice(),
            Op::Elevate {
                session: cur(0),
                password: PasswordRef {
                    of: 0,
                    edit: Some(super::gen::TextEdit::TrailingSpace),
                },
            },
            auth(0),
        ],
        // concurrent refreshes of one token
        vec![
            alice(),
            Op::RefreshRace {
                token: cur(0),
                threads: 6,
            },
            auth(0),
            refresh(0),
        ],
    ]
}

/// How a [`suite`] run went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuiteReport {
    /// Scripts replayed (the scenarios and the random ones).
    pub scripts: usize,
    /// Ops replayed in all.
    pub ops: usize,
}

/// The first failing script of a [`suite`] run.
#[derive(Clone, Debug)]
pub struct SuiteFailure {
    /// The broken property.
    pub violation: Violation,
    /// The script, as `secfuzz check session` JSON.
    pub script: String,
    /// The policy it ran with.
    pub config: Config,
}

impl std::fmt::Display for SuiteFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}\nscript: {}\npolicy: {:?}",
            self.violation, self.script, self.config
        )
    }
}

/// The generic suite: every [`scenarios`] script, then `random` scripts
/// decoded from OS-random bytes, each against a fresh store from `make`
/// (handed a small policy — limit 1 to 4, lifetimes of seconds to an hour,
/// [`HashCost::Test`] — and the clock to read), replayed next to the
/// reference model. Point it at your own [`Store`].
pub fn suite<S: Store>(
    make: &mut MakeStore<'_, S>,
    random: usize,
) -> Result<SuiteReport, SuiteFailure> {
    let mut report = SuiteReport { scripts: 0, ops: 0 };
    let mut scripts: Vec<(Config, Vec<Op>)> = scenarios()
        .into_iter()
        .enumerate()
        .map(|(i, ops)| {
            let config = Config {
                max_sessions: 2 + (i as u32 % 3),
                absolute_ttl: 600,
                idle_ttl: 60,
                hash_cost: HashCost::Test,
            };
            (config, ops)
        })
        .collect();
    let mut bytes = vec![0u8; 1024];
    for _ in 0..random {
        let len = 64 + (scripts.len() * 37) % 900;
        if super::token::random(&mut bytes[..len]).is_err() {
            break;
        }
        if let Ok(input) =
            super::gen::SessionInput::arbitrary_take_rest(Unstructured::new(&bytes[..len]))
        {
            scripts.push((input.config, input.ops));
        }
    }
    for (config, ops) in scripts {
        let clock = Arc::new(ManualClock::new(1_000_000));
        let fail = |v: Violation| SuiteFailure {
            violation: v,
            script: super::gen::script_json(&ops),
            config,
        };
        let store = make(config, clock.clone()).map_err(|e| {
            fail(Violation::new(
                MODEL,
                format!("the store does not open: {e}"),
            ))
        })?;
        replay(&store, &clock, &ops).map_err(fail)?;
        report.scripts += 1;
        report.ops += ops.len();
    }
    Ok(report)
}
