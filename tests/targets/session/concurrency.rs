//! Real threads against the SQLite store: two store instances (two
//! "servers", four connections each) on one database file, fully durable
//! commits, threads released together by a barrier.

use std::sync::{Arc, Barrier};

use secfuzz::session::{Config, HashCost, ManualClock, SessionError, SqliteStore, Store, TempDb};

/// Repetitions of the login race (each on a fresh database).
const LOGIN_ROUNDS: usize = 20;
/// Concurrent logins per round.
const LOGINS: usize = 50;
/// Repetitions of the refresh race (each a new family on one database).
const REFRESH_ROUNDS: usize = 100;
/// Concurrent refreshes of one token per round.
const REFRESHERS: usize = 16;

fn config(max: u32) -> Config {
    Config {
        max_sessions: max,
        absolute_ttl: 3600,
        idle_ttl: 3600,
        hash_cost: HashCost::Test,
    }
}

fn servers(db: &TempDb, max: u32) -> Vec<SqliteStore> {
    let clock = Arc::new(ManualClock::new(10_000));
    (0..2)
        .map(|_| SqliteStore::open(db.path(), config(max), clock.clone()).unwrap())
        .collect()
}

/// 50 logins of one user at once respect the limit, every round.
#[test]
fn concurrent_logins_respect_the_session_limit() {
    const MAX: u32 = 5;
    for round in 0..LOGIN_ROUNDS {
        let db = TempDb::new().unwrap();
        let stores = servers(&db, MAX);
        stores[0].add_user("u", "pw").unwrap();
        let barrier = Barrier::new(LOGINS);
        let results: Vec<Result<_, SessionError>> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..LOGINS)
                .map(|i| {
                    let (store, barrier) = (&stores[i % 2], &barrier);
                    s.spawn(move || {
                        barrier.wait();
                        store.login("u", "pw")
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let ok: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        for r in &results {
            if let Err(e) = r {
                assert!(
                    matches!(e, SessionError::TooManySessions { .. }),
                    "round {round}: {e}"
                );
            }
        }
        assert_eq!(
            ok.len(),
            MAX as usize,
            "round {round}: {} logins succeeded",
            ok.len()
        );
        // and each of them is a live session
        for i in ok {
            stores[1].authenticate(&i.session_id).unwrap();
        }
    }
}

/// 16 refreshes of one token at once: exactly one succeeds, every round;
/// the others are reuses, so the family ends up revoked.
#[test]
fn concurrent_refreshes_of_one_token_yield_exactly_one_success() {
    let db = TempDb::new().unwrap();
    let stores = servers(&db, 1000);
    stores[0].add_user("u", "pw").unwrap();
    for round in 0..REFRESH_ROUNDS {
        let issued = stores[round % 2].login("u", "pw").unwrap();
        let barrier = Barrier::new(REFRESHERS);
        let results: Vec<Result<_, SessionError>> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..REFRESHERS)
                .map(|i| {
                    let (store, barrier, rt) = (&stores[i % 2], &barrier, &issued.refresh_token);
                    s.spawn(move || {
                        barrier.wait();
                        store.refresh(rt)
                    })
                })
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let wins: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(
            wins.len(),
            1,
            "round {round}: {} refreshes of one token succeeded",
            wins.len()
        );
        for r in &results {
            if let Err(e) = r {
                assert!(matches!(e, SessionError::TokenReused), "round {round}: {e}");
            }
        }
        assert!(
            stores[0].authenticate(&wins[0].session_id).is_err(),
            "round {round}: family not revoked"
        );
        assert!(stores[1].refresh(&wins[0].refresh_token).is_err());
    }
}
