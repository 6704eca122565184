//! The session target: the generic property, the generic suite against
//! both stores, a deliberately broken store caught by the right property,
//! real threads against SQLite, a restart, the CLI, and the timing-leak
//! detector.

mod broken;
mod concurrency;
mod timing;

use std::sync::Arc;

use secfuzz::session::gen::{Lifetime, PasswordRef, Ref, TokenEdit, UserRef};
use secfuzz::session::{
    oracle, token, Config, Durability, HashCost, ManualClock, MemoryStore, Op, SessionError,
    SessionTarget, SqliteStore, Store, StoreKind, TempDb,
};

use broken::{BrokenStore, Defect};

/// Random scripts per store in the generic-suite tests (`PROPTEST_CASES`
/// when set, at least 500).
fn scripts() -> usize {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500)
}

pub fn test_config() -> Config {
    Config {
        max_sessions: 3,
        absolute_ttl: 600,
        idle_ttl: 60,
        hash_cost: HashCost::Test,
    }
}

/// Every generated input holds every invariant, on the structured path and
/// on the raw-payload path of its rendered script.
#[test]
fn every_generated_input_holds_every_invariant() {
    secfuzz::harness::property::<SessionTarget>(1000)
}

#[test]
fn the_generic_suite_passes_on_the_memory_store() {
    let r = oracle::suite(&mut |c, clock| MemoryStore::new(c, clock), scripts())
        .unwrap_or_else(|f| panic!("{f}"));
    eprintln!("memory store: {} scripts, {} ops", r.scripts, r.ops);
    assert!(r.scripts >= scripts());
}

#[test]
fn the_generic_suite_passes_on_the_sqlite_store() {
    let dbs = std::cell::RefCell::new(Vec::new());
    let r = oracle::suite(
        &mut |c, clock| {
            let db = TempDb::new()?;
            let s = SqliteStore::open_with(db.path(), c, clock, Durability::Normal);
            dbs.borrow_mut().push(db);
            s
        },
        scripts(),
    )
    .unwrap_or_else(|f| panic!("{f}"));
    eprintln!("sqlite store: {} scripts, {} ops", r.scripts, r.ops);
    assert!(r.scripts >= scripts());
}

fn broken_suite(defect: Defect) -> oracle::SuiteFailure {
    match oracle::suite(&mut |c, clock| Ok(BrokenStore::new(defect, c, clock)), 200) {
        Ok(r) => panic!("the suite missed {defect:?} over {} scripts", r.scripts),
        Err(f) => f,
    }
}

#[test]
fn the_suite_catches_a_store_without_reuse_detection() {
    let f = broken_suite(Defect::NoReuseDetection);
    assert_eq!(f.violation.invariant, oracle::REUSE, "{f}");
}

#[test]
fn the_suite_catches_a_store_without_id_rotation() {
    let f = broken_suite(Defect::NoRotation);
    assert_eq!(f.violation.invariant, oracle::ROTATION, "{f}");
}

#[test]
fn the_suite_catches_a_store_with_a_non_atomic_refresh() {
    let f = broken_suite(Defect::NonAtomicRefresh);
    assert_eq!(f.violation.invariant, oracle::REFRESH_ONCE, "{f}");
}

/// Each scenario on both stores, one by one (a failure names the scenario).
#[test]
fn every_scenario_holds_on_both_stores() {
    for (i, ops) in oracle::scenarios().iter().enumerate() {
        for kind in [StoreKind::Memory, StoreKind::Sqlite] {
            let steps = secfuzz::session::run_script(kind, test_config(), Durability::Normal, ops)
                .unwrap_or_else(|v| panic!("scenario {i} on {kind:?}: {v}"));
            assert!(!steps.is_empty());
        }
    }
}

fn sqlite(db: &TempDb, clock: &Arc<ManualClock>) -> SqliteStore {
    SqliteStore::open(db.path(), test_config(), clock.clone()).unwrap()
}

fn stores(clock: &Arc<ManualClock>, db: &TempDb) -> Vec<Box<dyn Store>> {
    vec![
        Box::new(MemoryStore::new(test_config(), clock.clone()).unwrap()),
        Box::new(sqlite(db, clock)),
    ]
}

#[test]
fn refresh_rotates_and_reuse_revokes_the_family() {
    let db = TempDb::new().unwrap();
    let clock = Arc::new(ManualClock::new(1000));
    for s in stores(&clock, &db) {
        s.add_user("u", "pw").unwrap();
        let a = s.login("u", "pw").unwrap();
        let b = s.refresh(&a.refresh_token).unwrap();
        assert_ne!(a.session_id, b.session_id);
        assert_ne!(a.refresh_token, b.refresh_token);
        assert!(matches!(
            s.authenticate(&a.session_id),
            Err(SessionError::InvalidSession)
        ));
        assert_eq!(s.authenticate(&b.session_id).unwrap().user, "u");
        assert!(matches!(
            s.refresh(&a.refresh_token),
            Err(SessionError::TokenReused)
        ));
        assert!(s.authenticate(&b.session_id).is_err());
        assert!(s.refresh(&b.refresh_token).is_err());
        // another family of the same user is untouched
        let c = s.login("u", "pw").unwrap();
        assert!(s.authenticate(&c.session_id).is_ok());
    }
}

#[test]
fn expiry_is_exact_at_both_boundaries() {
    let db = TempDb::new().unwrap();
    let clock = Arc::new(ManualClock::new(1000));
    for s in stores(&clock, &db) {
        clock.set(1000);
        s.add_user("u", "pw").unwrap();
        let a = s.login("u", "pw").unwrap();
        clock.set(1000 + 59);
        assert!(
            s.authenticate(&a.session_id).is_ok(),
            "one second before the idle boundary"
        );
        clock.set(1059 + 60);
        assert!(
            matches!(
                s.authenticate(&a.session_id),
                Err(SessionError::Expired { .. })
            ),
            "at the idle boundary"
        );
        let b = s.login("u", "pw").unwrap(); // at 1119
        for t in (1119..1119 + 600).step_by(50) {
            clock.set(t);
            assert!(s.authenticate(&b.session_id).is_ok(), "t={t}");
        }
        clock.set(1119 + 599);
        assert!(s.authenticate(&b.session_id).is_ok());
        clock.set(1119 + 600);
        assert!(
            matches!(
                s.refresh(&b.refresh_token),
                Err(SessionError::Expired { .. })
            ),
            "at the absolute boundary"
        );
    }
}

#[test]
fn unknown_users_and_wrong_passwords_are_refused_alike() {
    let db = TempDb::new().unwrap();
    let clock = Arc::new(ManualClock::new(1000));
    for s in stores(&clock, &db) {
        s.add_user("alice", "secret").unwrap();
        let unknown = s.login("mallory", "secret").unwrap_err().to_string();
        let wrong = s.login("alice", "secreT").unwrap_err().to_string();
        assert_eq!(unknown, wrong);
        assert!(matches!(
            s.login("Alice", "secret"),
            Err(SessionError::InvalidCredentials)
        ));
        assert!(matches!(
            s.login("", ""),
            Err(SessionError::InvalidCredentials)
        ));
        let long = "x".repeat(2000);
        assert!(matches!(
            s.login("alice", &long),
            Err(SessionError::InvalidInput { .. })
        ));
        assert!(matches!(
            s.login(&long, "secret"),
            Err(SessionError::InvalidCredentials)
        ));
        assert!(matches!(
            s.add_user("alice", "again"),
            Err(SessionError::UserExists)
        ));
    }
}

#[test]
fn tokens_are_random_and_malformed_ones_are_refused_unread() {
    let a = token::mint().unwrap();
    let b = token::mint().unwrap();
    assert_ne!(a.text, b.text);
    assert_eq!(a.text.len(), token::TOKEN_LEN);
    let p = token::parse(&a.text).unwrap();
    assert!(token::matches(p.verifier, &a.digest));
    assert!(!token::matches(p.verifier, &b.digest));
    for bad in [
        "",
        ".",
        "a.b",
        &a.text[1..],
        &format!("{}A", a.text),
        &a.text.replace('.', "!"),
        &"A".repeat(300),
    ] {
        assert!(token::parse(bad).is_none(), "{bad:?}");
    }
    // the digest, not the verifier, is what a store keeps
    assert!(!a
        .text
        .contains(&String::from_utf8_lossy(&a.digest).into_owned()));
}

/// Every revocation, rotation and privilege survives closing the database
/// and opening it again.
#[test]
fn a_reopened_database_keeps_every_revocation() {
    let db = TempDb::new().unwrap();
    let clock = Arc::new(ManualClock::new(5000));
    let (reused_family, rotated_rt, logged_out, everywhere, live, elevated, old_sid, reuse_later);
    {
        let s = sqlite(&db, &clock);
        s.add_user("a", "pa").unwrap();
        s.add_user("b", "pb").unwrap();
        // a family revoked by reuse
        let x = s.login("a", "pa").unwrap();
        let x2 = s.refresh(&x.refresh_token).unwrap();
        assert!(matches!(
            s.refresh(&x.refresh_token),
            Err(SessionError::TokenReused)
        ));
        reused_family = x2;
        // a rotated token whose reuse comes only after the restart
        let y = s.login("a", "pa").unwrap();
        let y2 = s.refresh(&y.refresh_token).unwrap();
        rotated_rt = y.refresh_token;
        reuse_later = y2;
        // logout
        let z = s.login("a", "pa").unwrap();
        s.logout(&z.session_id).unwrap();
        logged_out = z;
        // logout everywhere for b
        let b1 = s.login("b", "pb").unwrap();
        let b2 = s.login("b", "pb").unwrap();
        s.logout_everywhere(&b2.session_id).unwrap();
        everywhere = vec![b1, b2];
        // a live, elevated session of b started after that
        let b3 = s.login("b", "pb").unwrap();
        let e = s.elevate(&b3.session_id, "pb").unwrap();
        old_sid = b3.session_id.clone();
        elevated = e;
        live = b3;
    }
    let s = sqlite(&db, &clock);
    assert!(s.authenticate(&reused_family.session_id).is_err());
    assert!(s.refresh(&reused_family.refresh_token).is_err());
    assert!(s.authenticate(&logged_out.session_id).is_err());
    assert!(s.refresh(&logged_out.refresh_token).is_err());
    for i in &everywhere {
        assert!(s.authenticate(&i.session_id).is_err());
        assert!(s.refresh(&i.refresh_token).is_err());
    }
    assert!(s.authenticate(&old_sid).is_err(), "the id before elevation");
    let info = s.authenticate(&elevated).unwrap();
    assert!(info.privileged && info.user == "b");
    // the reuse of a token rotated before the restart is still detected
    assert!(s.authenticate(&reuse_later.session_id).is_ok());
    assert!(matches!(
        s.refresh(&rotated_rt),
        Err(SessionError::TokenReused)
    ));
    assert!(s.authenticate(&reuse_later.session_id).is_err());
    assert!(s.refresh(&reuse_later.refresh_token).is_err());
    // and a third open sees that revocation too
    drop(s);
    let s = sqlite(&db, &clock);
    assert!(s.refresh(&reuse_later.refresh_token).is_err());
    let n = s.refresh(&live.refresh_token).unwrap();
    assert!(s.authenticate(&n.session_id).unwrap().privileged);
    // users survive too
    assert!(s.login("a", "pa").is_ok());
    assert!(matches!(
        s.login("a", "pb"),
        Err(SessionError::InvalidCredentials)
    ));
}

/// Hand-written near misses through the JSON scripts the CLI reads.
#[test]
fn scripts_round_trip_through_json() {
    for ops in oracle::scenarios() {
        let text = secfuzz::session::gen::script_json(&ops);
        assert_eq!(
            secfuzz::session::parse_script(text.as_bytes()).unwrap(),
            ops
        );
    }
    let ops = vec![
        Op::Login {
            user: UserRef {
                user: 0,
                edit: None,
            },
            password: PasswordRef { of: 0, edit: None },
        },
        Op::ToBoundary {
            family: 0,
            lifetime: Lifetime::Idle,
            delta: 1,
        },
        Op::Refresh {
            token: Ref {
                back: 0,
                edit: Some(TokenEdit::Flip { at: 3 }),
            },
        },
    ];
    let text = secfuzz::session::gen::script_json(&ops);
    assert!(text.contains("\"op\":\"to-boundary\""), "{text}");
    assert!(secfuzz::session::parse_script(b"[{\"op\":\"login\"}]").is_err());
    assert!(secfuzz::session::parse_script(b"{}").is_err());
}

#[test]
fn check_names_the_property_each_refusal_guards() {
    use secfuzz::Checker as _;
    let check = secfuzz::session::SessionCheck::default();
    let script = secfuzz::session::gen::script_json(&oracle::scenarios()[0]);
    let v = check.check(script.as_bytes()).unwrap();
    let out = v.output().unwrap();
    assert!(
        out.contains(oracle::REFRESH_ONCE) && out.contains(oracle::REUSE),
        "{out}"
    );
    assert_eq!(check.check(b"not json").unwrap().kind(), "rejected");
}

#[test]
fn cli_check_reads_json_lines_of_scripts() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scripts.jsonl");
    let lines: Vec<String> = oracle::scenarios()
        .iter()
        .map(|ops| secfuzz::session::gen::script_json(ops))
        .collect();
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    for store in ["sqlite", "memory"] {
        let out = assert_cmd::Command::cargo_bin("secfuzz")
            .unwrap()
            .args(["check", "session"])
            .arg(&file)
            .args([
                "--input",
                "json-lines",
                "--json",
                "--store",
                store,
                "--max-sessions",
                "2",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        let results: Vec<serde_json::Value> = stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(results.len(), lines.len());
        for r in &results {
            assert_eq!(r["verdict"], "accepted", "{r}");
        }
        assert!(results[0]["output"]
            .as_str()
            .unwrap()
            .contains(oracle::REUSE));
    }
}

/// Every scenario is a committed seed: `corpora/session/scenario-NN` (its
/// bytes are the script's JSON text, which `arbitrary` decodes into some
/// other script) with a sidecar whose `payload_hex` is the scenario, so the
/// corpus replay runs each scenario through `check` too. Rewrite them with
/// `SECFUZZ_WRITE_SEEDS=1`.
#[test]
fn the_scenarios_are_committed_corpus_seeds() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpora/session");
    let write = std::env::var_os("SECFUZZ_WRITE_SEEDS").is_some();
    for (i, ops) in oracle::scenarios().iter().enumerate() {
        let text = secfuzz::session::gen::script_json(ops);
        let hex: String = text.bytes().map(|b| format!("{b:02x}")).collect();
        let seed = dir.join(format!("scenario-{i:02}"));
        let sidecar = dir.join(format!("scenario-{i:02}.json"));
        let meta = serde_json::json!({ "target": "session", "script": ops, "payload_hex": hex });
        if write {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&seed, &text).unwrap();
            std::fs::write(
                &sidecar,
                serde_json::to_string_pretty(&meta).unwrap() + "\n",
            )
            .unwrap();
        }
        let committed: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&sidecar).unwrap_or_default())
                .unwrap_or_default();
        assert_eq!(
            committed["payload_hex"],
            meta["payload_hex"],
            "{} is stale: rerun with SECFUZZ_WRITE_SEEDS=1",
            sidecar.display()
        );
    }
}
