//! Session stores under load, in one run: logins/s and refreshes/s on the
//! SQLite store (fully durable and `synchronous = NORMAL`) and on the
//! memory store, next to the raw SQLite insert a login needs at least; and
//! the credential check's time for both classes (unknown user, wrong
//! password) at the production argon2 cost, next to one raw argon2
//! verification.
//!
//! Throughput is criterion's `elements/s`: each iteration is one login or
//! one refresh.

use std::hint::black_box;
use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use secfuzz::session::{
    Config, Durability, HashCost, ManualClock, MemoryStore, SqliteStore, Store, TempDb,
};

fn config(cost: HashCost) -> Config {
    Config {
        // logins never hit the limit in a benchmark
        max_sessions: u32::MAX,
        absolute_ttl: 3600,
        idle_ttl: 3600,
        hash_cost: cost,
    }
}

fn stores(db: &TempDb, db2: &TempDb) -> Vec<(&'static str, Box<dyn Store>)> {
    let clock = Arc::new(ManualClock::new(1_000_000));
    let c = config(HashCost::Test);
    vec![
        (
            "sqlite-full",
            Box::new(
                SqliteStore::open_with(db.path(), c, clock.clone(), Durability::Full).unwrap(),
            ),
        ),
        (
            "sqlite-normal",
            Box::new(
                SqliteStore::open_with(db2.path(), c, clock.clone(), Durability::Normal).unwrap(),
            ),
        ),
        ("memory", Box::new(MemoryStore::new(c, clock).unwrap())),
    ]
}

fn throughput(c: &mut Criterion) {
    // on disk, not a memory filesystem: fsync is part of what is measured
    let disk = std::env::temp_dir();
    let (db, db2) = (
        TempDb::new_in(&disk).unwrap(),
        TempDb::new_in(&disk).unwrap(),
    );
    let stores = stores(&db, &db2);
    let mut group = c.benchmark_group("session");
    group.throughput(Throughput::Elements(1));
    group.sample_size(20);
    for (name, s) in &stores {
        s.add_user("u", "pw").unwrap();
        group.bench_function(BenchmarkId::new("login", name), |b| {
            b.iter(|| s.login("u", black_box("pw")).unwrap())
        });
        let mut rt = s.login("u", "pw").unwrap().refresh_token;
        group.bench_function(BenchmarkId::new("refresh", name), |b| {
            b.iter(|| {
                rt = s.refresh(black_box(&rt)).unwrap().refresh_token;
            })
        });
    }
    // The raw library call: one row insert in a transaction, fully durable.
    let raw_db = TempDb::new_in(&disk).unwrap();
    let conn = rusqlite::Connection::open(raw_db.path()).unwrap();
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t (k BLOB PRIMARY KEY, v INTEGER)")
        .unwrap();
    let mut n = 0u64;
    group.bench_function("raw-sqlite-insert/full", |b| {
        b.iter(|| {
            n += 1;
            conn.execute(
                "INSERT INTO t (k, v) VALUES (?1, ?2)",
                rusqlite::params![n.to_le_bytes().to_vec(), n as i64],
            )
            .unwrap();
        })
    });
    group.finish();
}

fn credential_check(c: &mut Criterion) {
    let clock = Arc::new(ManualClock::new(1_000_000));
    let s = MemoryStore::new(config(HashCost::Production), clock).unwrap();
    s.add_user("alice", "correct horse battery staple").unwrap();
    let mut group = c.benchmark_group("credential-check");
    group.sample_size(10);
    group.bench_function("unknown-user", |b| {
        b.iter(|| {
            s.login(black_box("mallory"), "correct horse battery staple")
                .unwrap_err()
        })
    });
    group.bench_function("wrong-password", |b| {
        b.iter(|| {
            s.login(black_box("alice"), "correct horse battery stapler")
                .unwrap_err()
        })
    });
    let argon = Argon2::default();
    let salt = SaltString::encode_b64(&[7u8; 16]).unwrap();
    let phc = argon.hash_password(b"pw", &salt).unwrap().to_string();
    let parsed = PasswordHash::new(&phc).unwrap();
    group.bench_function("raw-argon2-verify", |b| {
        b.iter(|| {
            argon
                .verify_password(black_box(b"wrong"), &parsed)
                .unwrap_err()
        })
    });
    group.finish();
}

criterion_group!(benches, throughput, credential_check);
criterion_main!(benches);
