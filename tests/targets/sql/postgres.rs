//! The real PostgreSQL oracle: a throwaway cluster (temporary data
//! directory, Unix socket only, a random port), started by the test as the
//! `postgres` user when run as root (`initdb` and `postgres` refuse root),
//! and the same differential as SQLite's — rendered and parameterized
//! queries on the same seeded table return the same rows, every literal
//! selects back exactly its value (integers stay integers), and
//! `name = ?` / `LIKE` conditions never reach a row the value does not
//! match.
//!
//! Without PostgreSQL the test says it was skipped and how to install it;
//! with `CI=true` the skip is a failure.

use std::path::PathBuf;
use std::process::Command;

use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls};
use proptest::prelude::*;
use secfuzz::sql::gen::{DialectGen, SqlInput};
use secfuzz::sql::oracle::sqlite::seed_names;
use secfuzz::sql::{literal_for, oracle, Arg, Dialect, HoleKind, LikeMode, Template, Value};

fn bin_dir() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").is_file() && p.join("pg_ctl").is_file())
        .collect();
    dirs.sort();
    dirs.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// A throwaway cluster, stopped (`pg_ctl stop -m immediate`) on drop.
struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
}

impl Cluster {
    fn cmd(&self, prog: &str) -> Command {
        let exe = self.bin.join(prog);
        if is_root() {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        }
    }

    fn start(bin: PathBuf) -> Cluster {
        let dir = tempfile::Builder::new()
            .prefix("secfuzz-pg-")
            .tempdir()
            .unwrap();
        if is_root() {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(ok.success(), "chown of the cluster directory failed");
        }
        let port = 20_000 + (std::process::id() % 40_000) as u16;
        let c = Cluster { dir, bin, port };
        let data = c.dir.path().join("data");
        let out = c
            .cmd("initdb")
            .arg("-D")
            .arg(&data)
            .args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let opts = format!(
            "-k {} -p {} -c listen_addresses='' -c fsync=off",
            c.dir.path().display(),
            c.port
        );
        let out = c
            .cmd("pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-o", &opts, "-l"])
            .arg(c.dir.path().join("log"))
            .args(["-w", "start"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg_ctl start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        c
    }

    fn client(&self) -> Client {
        let conf = format!(
            "host={} port={} user=postgres dbname=postgres",
            self.dir.path().display(),
            self.port
        );
        Client::connect(&conf, NoTls).unwrap()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _stopped = self
            .cmd("pg_ctl")
            .arg("-D")
            .arg(self.dir.path().join("data"))
            .args(["-m", "immediate", "stop"])
            .output();
    }
}

fn params(values: &[Value], types: &[Type]) -> Vec<Box<dyn ToSql + Sync>> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| -> Box<dyn ToSql + Sync> {
            match v {
                Value::Null => Box::new(Option::<String>::None),
                Value::Int(n) if types.get(i) == Some(&Type::INT4) => {
                    Box::new(i32::try_from(*n).unwrap_or(0))
                }
                Value::Int(n) => Box::new(*n),
                Value::Real(x) => Box::new(*x),
                Value::Text(s) => Box::new(s.clone()),
            }
        })
        .collect()
}

/// `args` with each value converted to its parameter's inferred type.
fn coerce(args: &[Arg], types: &[Type]) -> Vec<Arg> {
    let mut k = 0;
    args.iter()
        .map(|a| {
            let ty = match a {
                Arg::Value(_) | Arg::Like(_) => {
                    k += 1;
                    types.get(k - 1)
                }
                _ => None,
            };
            let Arg::Value(v) = a else { return a.clone() };
            let v = match (ty, v) {
                (_, Value::Null) | (None, _) => v.clone(),
                (Some(t), Value::Text(s)) if *t == Type::INT4 || *t == Type::INT8 => {
                    Value::Int(s.len() as i64)
                }
                (Some(t), Value::Real(x)) if *t == Type::INT4 || *t == Type::INT8 => {
                    Value::Int(*x as i32 as i64)
                }
                (Some(t), Value::Int(n)) if *t == Type::INT4 => {
                    Value::Int(i64::from(i32::try_from(*n).unwrap_or(-7)))
                }
                (Some(t), Value::Int(n)) if *t == Type::TEXT => Value::Text(n.to_string()),
                (Some(t), Value::Real(x)) if *t == Type::TEXT => Value::Text(format!("{x}")),
                (Some(t), Value::Text(s)) if *t == Type::FLOAT8 || *t == Type::NUMERIC => {
                    Value::Real(s.len() as f64)
                }
                _ => v.clone(),
            };
            Arg::Value(v)
        })
        .collect()
}

#[derive(Debug, PartialEq)]
enum Cell {
    Null,
    Int(i64),
    Real(u64),
    Text(String),
    Other(String),
}

fn cells(row: &postgres::Row) -> Vec<Cell> {
    (0..row.len())
        .map(|i| {
            let ty = row.columns()[i].type_();
            let got = if *ty == Type::INT4 {
                row.get::<_, Option<i32>>(i).map(|n| Cell::Int(n.into()))
            } else if *ty == Type::INT8 {
                row.get::<_, Option<i64>>(i).map(Cell::Int)
            } else if *ty == Type::FLOAT8 {
                row.get::<_, Option<f64>>(i)
                    .map(|x| Cell::Real(x.to_bits()))
            } else if *ty == Type::TEXT {
                row.get::<_, Option<String>>(i).map(Cell::Text)
            } else {
                Some(Cell::Other(ty.name().to_owned()))
            };
            got.unwrap_or(Cell::Null)
        })
        .collect()
}

/// `Ok(Some(true))`: rows compared; `Ok(Some(false))`: both refused by the
/// server; `Ok(None)`: not comparable (no literal, or a Rust parameter of
/// another type than the server inferred).
fn differential(pg: &mut Client, t: &Template, args: &[Arg]) -> Result<Option<bool>, String> {
    let attack = args.iter().find_map(|a| match a {
        Arg::Value(Value::Text(s)) | Arg::Like(s) => Some(s.clone()),
        _ => None,
    });
    let names: Vec<String> = seed_names(attack.as_deref().unwrap_or("bob"))
        .into_iter()
        .filter(|n| !n.contains('\0'))
        .collect();
    let mut tx = pg.transaction().map_err(|e| e.to_string())?;
    tx.batch_execute(
        "CREATE TEMP TABLE users (id int PRIMARY KEY, name text, score bigint) ON COMMIT DROP",
    )
    .map_err(|e| e.to_string())?;
    for (i, n) in names.iter().enumerate() {
        tx.execute(
            "INSERT INTO users VALUES ($1, $2, $3)",
            &[&(i as i32 + 1), n, &(i as i64 * 7 - 20)],
        )
        .map_err(|e| e.to_string())?;
    }
    // Give each value the type the server infers for its parameter, so both
    // sides bind the same value (text into `score > ?` becomes a number).
    let Ok(p0) = t.parameterized(args) else {
        return Ok(None); // refused before any SQL (an identifier the dialect cannot keep)
    };
    tx.batch_execute("SAVEPOINT q").map_err(|e| e.to_string())?;
    let types = match tx.prepare(p0.sql.as_str()) {
        Ok(st) => st.params().to_vec(),
        Err(_) => Vec::new(),
    };
    tx.batch_execute("ROLLBACK TO SAVEPOINT q")
        .map_err(|e| e.to_string())?;
    let args = &coerce(args, &types)[..];
    let Ok(rendered) = t.render(args) else {
        return Ok(None);
    };
    let p = t.parameterized(args).map_err(|e| e.to_string())?;
    let boxed = params(&p.params, &types);
    let refs: Vec<&(dyn ToSql + Sync)> = boxed
        .iter()
        .map(|b| b.as_ref() as &(dyn ToSql + Sync))
        .collect();
    let par = tx.query(p.sql.as_str(), &refs);
    if let Err(e) = &par {
        if e.as_db_error().is_none() {
            return Ok(None); // a Rust value of the wrong type for the inferred parameter: no comparison
        }
    }
    tx.batch_execute("ROLLBACK TO SAVEPOINT q")
        .map_err(|e| e.to_string())?;
    let lit = tx.query(rendered.as_str(), &[]);
    tx.batch_execute("ROLLBACK TO SAVEPOINT q")
        .map_err(|e| e.to_string())?;
    let compared = lit.is_ok();
    match (&lit, &par) {
        (Ok(a), Ok(b)) => {
            let a: Vec<Vec<Cell>> = a.iter().map(cells).collect();
            let b: Vec<Vec<Cell>> = b.iter().map(cells).collect();
            if a != b {
                return Err(format!(
                    "rows differ: rendered {a:?}, parameterized {b:?}: {rendered}"
                ));
            }
            widening(t, args, &names, &a)?;
        }
        (Err(_), Err(_)) => {}
        _ => {
            return Err(format!(
                "one ran, one failed: rendered {lit:?} / parameterized {par:?}: {rendered}"
            ))
        }
    }
    for a in args {
        let Arg::Value(v) = a else { continue };
        let Ok(l) = literal_for(Dialect::Postgres, v) else {
            continue;
        };
        let row = tx
            .query_one(format!("SELECT {l}, ({l})::text").as_str(), &[])
            .map_err(|e| format!("SELECT {l}: {e}"))?;
        let ty = row.columns()[0].type_().clone();
        let ok = match v {
            Value::Null => row.get::<_, Option<String>>(1).is_none(),
            Value::Text(s) => ty == Type::TEXT && row.get::<_, String>(0) == *s,
            Value::Int(n) => {
                (ty == Type::INT4 || ty == Type::INT8) && row.get::<_, String>(1) == n.to_string()
            }
            Value::Real(x) => row
                .get::<_, String>(1)
                .parse::<f64>()
                .is_ok_and(|y| y.to_bits() == x.to_bits() || (*x == 0.0 && y == 0.0)),
        };
        if !ok {
            return Err(format!(
                "SELECT {l} gives {:?} of type {ty} for {v:?}",
                row.get::<_, Option<String>>(1)
            ));
        }
    }
    tx.rollback().map_err(|e| e.to_string())?;
    Ok(Some(compared))
}

fn widening(
    t: &Template,
    args: &[Arg],
    names: &[String],
    rows: &[Vec<Cell>],
) -> Result<(), String> {
    let text = t.text();
    let check: Box<dyn Fn(&str) -> bool> = match (t.holes().first().map(|h| h.kind), args.first()) {
        (Some(HoleKind::Value), Some(Arg::Value(Value::Text(s))))
            if text.contains("WHERE name = ?") && !text.contains(" OR ") =>
        {
            let s = s.clone();
            Box::new(move |n| n == s)
        }
        (Some(HoleKind::Like(mode)), Some(Arg::Like(s))) => {
            let s = s.clone();
            Box::new(move |n| match mode {
                LikeMode::Contains => n.contains(s.as_str()),
                LikeMode::Prefix => n.starts_with(s.as_str()),
            })
        }
        _ => return Ok(()),
    };
    for r in rows {
        if let Some(Cell::Int(id)) = r.first() {
            if let Some(n) = usize::try_from(*id - 1).ok().and_then(|i| names.get(i)) {
                if !check(n) {
                    return Err(format!("row {id} ({n:?}) reached by {args:?}"));
                }
            }
        }
    }
    Ok(())
}

#[test]
fn postgres_differential_on_a_throwaway_cluster() {
    let Some(bin) = bin_dir() else {
        let msg = "PostgreSQL oracle SKIPPED: no /usr/lib/postgresql/*/bin/initdb. Install it with `apt-get install -y postgresql` (as .ci/run does) and run `cargo test` again.";
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{msg} (CI=true: a skip is a failure)"
        );
        eprintln!("{msg}");
        return;
    };
    let cluster = Cluster::start(bin);
    let mut pg = cluster.client();
    let version: String = pg.query_one("SHOW server_version", &[]).unwrap().get(0);
    let scs: String = pg
        .query_one("SHOW standard_conforming_strings", &[])
        .unwrap()
        .get(0);
    eprintln!(
        "PostgreSQL oracle: server {version}, standard_conforming_strings={scs}, socket in {}",
        cluster.dir.path().display()
    );
    // E'' literals mean the same with the setting on and off.
    for setting in ["on", "off"] {
        pg.batch_execute(&format!("SET standard_conforming_strings = {setting}"))
            .unwrap();
        for s in [
            "O'Brien",
            "a\\",
            "\\'",
            "\\\\'; DROP TABLE x; --",
            "$$x$$",
            "\u{bf}\\'",
        ] {
            let l = literal_for(Dialect::Postgres, &Value::Text(s.into())).unwrap();
            let back: String = pg
                .query_one(format!("SELECT {l}").as_str(), &[])
                .unwrap()
                .get(0);
            assert_eq!(back, s, "{l} with standard_conforming_strings={setting}");
        }
    }
    pg.batch_execute("SET standard_conforming_strings = on")
        .unwrap();
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(1000);
    let config = ProptestConfig {
        cases,
        failure_persistence: None,
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    };
    let pg = std::cell::RefCell::new(pg);
    let tally = std::cell::RefCell::new([0u32; 3]);
    proptest!(config, |(case in secfuzz::harness::inputs::<SqlInput>(512))| {
        let mut input = case.value.clone();
        input.dialect = DialectGen::Postgres;
        let t = input.template();
        let args = input.args(&t);
        if let Ok(r) = t.render(&args) {
            oracle::structure(&t, &args, &r).map_err(|v| TestCaseError::fail(v.to_string()))?;
        }
        let outcome = differential(&mut pg.borrow_mut(), &t, &args)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{input:?}")))?;
        tally.borrow_mut()[match outcome { Some(true) => 0, Some(false) => 1, None => 2 }] += 1;
    });
    let [rows, refused, skipped] = *tally.borrow();
    eprintln!("PostgreSQL differential: {rows} cases compared row for row, {refused} refused by the server both ways, {skipped} without a literal or with a parameter of another type");
    assert!(rows > cases / 4, "too few comparable cases: {rows}");
}
