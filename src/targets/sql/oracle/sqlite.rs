//! The real-database oracle on SQLite (rusqlite, bundled library): the
//! rendered and the parameterized query run on the same seeded table and
//! must return the same rows; every bound value selected back through its
//! literal must come back with exactly the bytes and type it was bound
//! with; and a `name = ?` or `name LIKE` condition must never reach a row
//! whose name the value does not match (no widening).

use rusqlite::types::Value as DbValue;
use rusqlite::{params_from_iter, Connection};

use super::{v, DATABASE};
use crate::engine::contract::Violation;
use crate::targets::sql::{literal_for, Arg, Dialect, HoleKind, LikeMode, Template, Value};

/// The seeded rows for one attacker value: fixed names plus the value and
/// its near misses, so that a widened condition reaches rows it must not.
pub fn seed_names(value: &str) -> Vec<String> {
    let mut names: Vec<String> = [
        "alice", "bob", "O'Brien", "admin", "a_b", "a%b", "a!b", "a\\b", "", "x",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    names.push(value.to_owned());
    names.push(format!("{value}x"));
    names.push(format!("x{value}"));
    names.push(value.to_uppercase());
    names.push(value.chars().rev().collect());
    names.push(value.replace(['%', '_', '!'], "z"));
    names
}

/// One result row, as SQLite returned it.
pub type Row = Vec<DbValue>;

fn to_db(v: &Value) -> DbValue {
    match v {
        Value::Null => DbValue::Null,
        Value::Int(n) => DbValue::Integer(*n),
        Value::Real(x) => DbValue::Real(*x),
        Value::Text(s) => DbValue::Text(s.clone()),
    }
}

/// A fresh in-memory database with `users(id, name, score)` seeded.
///
/// # Errors
///
/// SQLite failed (a harness problem, reported as a violation).
pub fn seeded(names: &[String]) -> Result<Connection, Violation> {
    let c = Connection::open_in_memory().map_err(|e| v(DATABASE, format!("sqlite: {e}")))?;
    c.execute_batch("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, score INTEGER)")
        .map_err(|e| v(DATABASE, format!("sqlite: {e}")))?;
    for (i, n) in names.iter().enumerate() {
        c.execute(
            "INSERT INTO users (id, name, score) VALUES (?1, ?2, ?3)",
            rusqlite::params![i as i64 + 1, n, (i as i64) * 7 - 20],
        )
        .map_err(|e| v(DATABASE, format!("sqlite seed: {e}")))?;
    }
    Ok(c)
}

/// Run `sql` with `params`; rows, or SQLite's error text.
pub fn rows(c: &Connection, sql: &str, params: &[Value]) -> Result<Vec<Row>, String> {
    let mut st = c.prepare(sql).map_err(|e| e.to_string())?;
    let n = st.column_count();
    let mut r = st
        .query(params_from_iter(params.iter().map(to_db)))
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    while let Some(row) = r.next().map_err(|e| e.to_string())? {
        out.push(
            (0..n)
                .map(|i| row.get::<_, DbValue>(i).unwrap_or(DbValue::Null))
                .collect(),
        );
    }
    Ok(out)
}

fn same_value(a: &DbValue, b: &DbValue) -> bool {
    match (a, b) {
        (DbValue::Real(x), DbValue::Real(y)) => x.to_bits() == y.to_bits(),
        (a, b) => a == b,
    }
}

/// The differential for one template and arguments (SQLite dialect).
pub fn differential(t: &Template, args: &[Arg]) -> Result<(), Violation> {
    let Ok(rendered) = t.render(args) else {
        return Ok(());
    };
    let p = t.parameterized(args).map_err(|e| {
        v(
            DATABASE,
            format!("parameterized refused what render accepted: {e}"),
        )
    })?;
    let attack = args.iter().find_map(|a| match a {
        Arg::Value(Value::Text(s)) | Arg::Like(s) => Some(s.clone()),
        _ => None,
    });
    let names = seed_names(attack.as_deref().unwrap_or("bob"));
    let c = seeded(&names)?;
    let lit = rows(&c, &rendered, &[]);
    let par = rows(&c, &p.sql, &p.params);
    match (&lit, &par) {
        (Ok(a), Ok(b)) => {
            let same = a.len() == b.len()
                && a.iter().zip(b).all(|(x, y)| {
                    x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(p, q))
                });
            if !same {
                return Err(v(
                    DATABASE,
                    format!("rows differ: rendered {a:?}, parameterized {b:?}: {rendered}"),
                ));
            }
            no_widening(t, args, &names, a)?;
        }
        (Err(_), Err(_)) => {}
        _ => {
            return Err(v(
                DATABASE,
                format!("one ran, one failed: rendered {lit:?}, parameterized {par:?}: {rendered}"),
            ))
        }
    }
    // Each value, selected back through its literal, is the bound value.
    for a in args {
        if let Arg::Value(val) = a {
            let Ok(l) = literal_for(Dialect::Sqlite, val) else {
                continue;
            };
            let back = c
                .query_row(&format!("SELECT {l}"), [], |r| r.get::<_, DbValue>(0))
                .map_err(|e| v(DATABASE, format!("SELECT {l}: {e}")))?;
            let bound = c
                .query_row("SELECT ?1", [to_db(val)], |r| r.get::<_, DbValue>(0))
                .map_err(|e| v(DATABASE, format!("SELECT ?1: {e}")))?;
            if !same_value(&back, &bound) {
                return Err(v(
                    DATABASE,
                    format!("SELECT {l} gives {back:?}, the bound value gives {bound:?}"),
                ));
            }
        }
    }
    Ok(())
}

/// Rows reached by `name = <value>` / `name LIKE <pattern>` must have a
/// name the value matches (SQLite's LIKE folds ASCII case only).
fn no_widening(t: &Template, args: &[Arg], names: &[String], got: &[Row]) -> Result<(), Violation> {
    let text = t.text();
    let first = t.holes().first().map(|h| h.kind);
    let check: Box<dyn Fn(&str) -> bool> = match (first, args.first()) {
        (Some(HoleKind::Value), Some(Arg::Value(Value::Text(s))))
            if text.contains("WHERE name = ?") && !text.contains(" OR ") =>
        {
            let s = s.clone();
            Box::new(move |n: &str| n == s)
        }
        (Some(HoleKind::Like(mode)), Some(Arg::Like(s))) => {
            let s = s.to_ascii_lowercase();
            Box::new(move |n: &str| {
                let n = n.to_ascii_lowercase();
                match mode {
                    LikeMode::Contains => n.contains(&s),
                    LikeMode::Prefix => n.starts_with(&s),
                }
            })
        }
        _ => return Ok(()),
    };
    for row in got {
        if let Some(DbValue::Integer(id)) = row.first() {
            let name = usize::try_from(*id - 1).ok().and_then(|i| names.get(i));
            if let Some(name) = name {
                if !check(name) {
                    return Err(v(
                        DATABASE,
                        format!("row {id} (name {name:?}) reached by {args:?}"),
                    ));
                }
            }
        }
    }
    Ok(())
}
