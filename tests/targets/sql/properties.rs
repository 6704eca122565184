//! Properties: the generic one, each dialect's literal round trip read by
//! the oracle's own decoder, the guard on spliced queries, and the SQLite
//! differential, each at `PROPTEST_CASES` (default 1,000) cases.

use proptest::prelude::*;
use secfuzz::sql::gen::SqlInput;
use secfuzz::sql::oracle::{self, lex::lex, lex::Tok};
use secfuzz::sql::{literal_for, Dialect, SqlTarget, Template, Value};
use secfuzz::Target;

#[test]
fn every_generated_input_holds_every_invariant() {
    secfuzz::harness::property::<SqlTarget>(1000)
}

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(1000);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text likely to trouble an escaper: quotes, backslashes, comment
/// openers, NUL, dollar tags and multibyte characters among arbitrary ones.
fn nasty_text() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        Just("'".to_owned()),
        Just("\"".to_owned()),
        Just("`".to_owned()),
        Just("\\".to_owned()),
        Just("\\'".to_owned()),
        Just("''".to_owned()),
        Just("--".to_owned()),
        Just("#".to_owned()),
        Just("/*".to_owned()),
        Just("*/".to_owned()),
        Just(";".to_owned()),
        Just("\0".to_owned()),
        Just("$$".to_owned()),
        Just("\u{bf}\\'".to_owned()),
        Just("\u{2bc}".to_owned()),
        Just("\u{ff07}".to_owned()),
        Just("\u{2019}".to_owned()),
        Just("\u{1a}".to_owned()),
        Just("\r\n".to_owned()),
        Just(" OR 1=1".to_owned()),
        any::<String>(),
    ];
    proptest::collection::vec(atom, 0..12).prop_map(|v| v.concat())
}

fn roundtrip(d: Dialect, s: &str) -> Result<(), TestCaseError> {
    match literal_for(d, &Value::Text(s.to_owned())) {
        Ok(lit) => {
            let toks =
                lex(d, &lit, false).map_err(|e| TestCaseError::fail(format!("{lit}: {e}")))?;
            prop_assert_eq!(toks, vec![Tok::Str(s.to_owned())], "{} literal {}", d, lit);
        }
        Err(e) => prop_assert!(
            s.contains('\0') && !matches!(d, Dialect::Mysql | Dialect::MysqlNoBackslashEscapes),
            "{d} refused {s:?}: {e}"
        ),
    }
    Ok(())
}

macro_rules! roundtrip_property {
    ($name:ident, $d:expr) => {
        #[test]
        fn $name() {
            proptest!(config(), |(s in nasty_text())| roundtrip($d, &s)?);
        }
    };
}

roundtrip_property!(sqlite_text_literals_round_trip, Dialect::Sqlite);
roundtrip_property!(postgres_text_literals_round_trip, Dialect::Postgres);
roundtrip_property!(mysql_text_literals_round_trip, Dialect::Mysql);
roundtrip_property!(
    mysql_nbe_text_literals_round_trip,
    Dialect::MysqlNoBackslashEscapes
);
roundtrip_property!(generic_text_literals_round_trip, Dialect::Generic);

#[test]
fn identifiers_round_trip_in_every_dialect() {
    proptest!(config(), |(id in nasty_text())| {
        for d in Dialect::ALL {
            if let Ok(q) = d.quote_ident(&id) {
                let toks = lex(d, &q, false).map_err(|e| TestCaseError::fail(format!("{q}: {e}")))?;
                prop_assert_eq!(toks, vec![Tok::Ident(id.clone())], "{} {}", d, q);
            }
        }
    });
}

#[test]
fn numbers_round_trip_through_real_sqlite() {
    let c = rusqlite::Connection::open_in_memory().unwrap();
    proptest!(config(), |(n in any::<i64>(), x in any::<f64>())| {
        for v in [Value::Int(n), Value::Real(x)] {
            if let Ok(l) = literal_for(Dialect::Sqlite, &v) {
                let got: rusqlite::types::Value = c.query_row(&format!("SELECT {l}"), [], |r| r.get(0)).unwrap();
                let want = match v {
                    Value::Int(n) => rusqlite::types::Value::Integer(n),
                    Value::Real(x) => rusqlite::types::Value::Real(x),
                    _ => unreachable!(),
                };
                let same = match (&got, &want) {
                    (rusqlite::types::Value::Real(a), rusqlite::types::Value::Real(b)) => a.to_bits() == b.to_bits(),
                    (a, b) => a == b,
                };
                prop_assert!(same, "SELECT {} gave {:?}, want {:?}", l, got, want);
            }
        }
    });
}

/// The guard: for generated templates and attacker text, the rendered
/// query is admitted, and a string-built splice of the raw text is
/// admitted only when the oracle's own lexer reads one literal per hole.
#[test]
fn the_guard_admits_instances_and_refuses_structure_changes() {
    proptest!(config(), |(case in secfuzz::harness::inputs::<SqlInput>(512))| {
        let input = &case.value;
        let t = input.template();
        let args = input.args(&t);
        if let Ok(rendered) = t.render(&args) {
            let spliced = oracle::splice(&t, &args, &input.payload()).unwrap_or_else(|| rendered.clone());
            oracle::guard(&t, &rendered, &spliced).map_err(|v| TestCaseError::fail(v.to_string()))?;
        }
    });
}

#[test]
fn the_sqlite_differential_holds_for_every_dialect_template() {
    proptest!(config(), |(case in secfuzz::harness::inputs::<SqlInput>(512))| {
        let mut input = case.value.clone();
        input.dialect = secfuzz::sql::gen::DialectGen::Sqlite;
        SqlTarget::check(&input).map_err(|v| TestCaseError::fail(format!("{v}\n{input:?}")))?;
    });
}

#[test]
fn a_template_never_admits_a_second_statement_or_a_tautology() {
    let t = Template::parse(
        Dialect::Sqlite,
        "SELECT id FROM users WHERE name = ? AND score > ?",
    )
    .unwrap();
    for q in [
        "SELECT id FROM users WHERE name = '' OR 1=1 AND score > 1",
        "SELECT id FROM users WHERE name = 'a' AND score > 1; DROP TABLE users",
        "SELECT id FROM users WHERE name = 'a' AND score > 1 UNION SELECT 1",
        "SELECT id FROM users WHERE name = 'a' -- AND score > 1",
        "SELECT id FROM users WHERE name = ('a') AND score > 1",
        "SELECT id FROM users WHERE name = 'a' || 'b' AND score > 1",
        "SELECT id FROM users WHERE name = name AND score > 1",
    ] {
        assert!(t.admits(q).is_err(), "{q}");
    }
    for q in [
        "SELECT id FROM users WHERE name = 'a' AND score > 1",
        "select id from users where name = 'O''Brien' and score > (-5)",
        "SELECT id FROM users /* c */ WHERE name = 'a' AND score > -5",
    ] {
        assert!(t.admits(q).is_ok(), "{q}: {:?}", t.admits(q));
    }
}
