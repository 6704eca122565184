//! Template tables: the syntax, the outputs per dialect, every refusal and
//! the caps.

use secfuzz::sql::oracle::lex::{lex, Tok};
use secfuzz::sql::{
    literal_for, Arg, Dialect, Direction, HoleKind, LikeMode, SqlError, Template, Value,
};

fn t(d: Dialect, s: &str) -> Template {
    Template::parse(d, s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

fn text(s: &str) -> Arg {
    Arg::Value(Value::Text(s.into()))
}

#[test]
fn holes_are_found_by_the_tokenizer_not_inside_literals_or_comments() {
    let tpl = t(
        Dialect::Sqlite,
        "SELECT '?', \"{x}\" FROM t /* ? {y} */ WHERE a = ? AND b LIKE {q:like} ORDER BY {c} {d:dir} -- ?",
    );
    let kinds: Vec<HoleKind> = tpl.holes().iter().map(|h| h.kind).collect();
    assert_eq!(
        kinds,
        [
            HoleKind::Value,
            HoleKind::Like(LikeMode::Contains),
            HoleKind::Ident,
            HoleKind::Dir
        ]
    );
}

#[test]
fn every_dialect_writes_its_own_literals() {
    let s = "O'Brien \\ \"x\"";
    let cases = [
        (Dialect::Sqlite, r#"'O''Brien \ "x"'"#),
        (Dialect::Generic, r#"'O''Brien \ "x"'"#),
        (Dialect::Postgres, r#"E'O''Brien \\ "x"'"#),
        (Dialect::Mysql, r#"'O\'Brien \\ \"x\"'"#),
        (Dialect::MysqlNoBackslashEscapes, r#"'O''Brien \ "x"'"#),
    ];
    for (d, want) in cases {
        assert_eq!(literal_for(d, &Value::Text(s.into())).unwrap(), want, "{d}");
        assert_eq!(lex(d, want, false).unwrap(), [Tok::Str(s.into())], "{d}");
    }
    assert_eq!(
        literal_for(Dialect::Mysql, &Value::Text("\0\n\r\u{1a}".into())).unwrap(),
        r"'\0\n\r\Z'"
    );
}

#[test]
fn identifiers_are_quoted_per_dialect_and_refused_when_unsafe() {
    assert_eq!(Dialect::Sqlite.quote_ident("a\"b").unwrap(), "\"a\"\"b\"");
    assert_eq!(Dialect::Mysql.quote_ident("a`b").unwrap(), "`a``b`");
    for (d, id) in [
        (Dialect::Sqlite, ""),
        (Dialect::Sqlite, "a\0b"),
        (Dialect::Postgres, &"x".repeat(64)),
        (Dialect::Mysql, &"x".repeat(65)),
        (Dialect::Mysql, "name "),
    ] {
        assert!(
            matches!(d.quote_ident(id), Err(SqlError::BadIdentifier { .. })),
            "{d} {id:?}"
        );
    }
}

#[test]
fn both_outputs_of_one_template() {
    let tpl = t(
        Dialect::Postgres,
        "SELECT id FROM users WHERE name LIKE {q:prefix} AND score > ? ORDER BY {col} {dir:dir}",
    )
    .allow("col", ["score", "name"]);
    let args = [
        Arg::Like("50%_off!".into()),
        Arg::Value(Value::Int(-3)),
        Arg::Ident("score".into()),
        Arg::Dir(Direction::Asc),
    ];
    assert_eq!(
        tpl.render(&args).unwrap(),
        r#"SELECT id FROM users WHERE name LIKE E'50!%!_off!!%' ESCAPE '!' AND score > (-3) ORDER BY "score" ASC"#
    );
    let p = tpl.parameterized(&args).unwrap();
    assert_eq!(
        p.sql,
        r#"SELECT id FROM users WHERE name LIKE $1 ESCAPE '!' AND score > $2 ORDER BY "score" ASC"#
    );
    assert_eq!(
        p.params,
        [Value::Text("50!%!_off!!%".into()), Value::Int(-3)]
    );
    let mut bad = args.clone();
    bad[2] = Arg::Ident("scores".into());
    assert!(matches!(tpl.render(&bad), Err(SqlError::NotAllowed { .. })));
    bad[2] = Arg::Ident("sco".into());
    assert!(matches!(tpl.render(&bad), Err(SqlError::NotAllowed { .. })));
}

#[test]
fn binding_errors_are_typed() {
    let tpl = t(Dialect::Sqlite, "SELECT 1 FROM t WHERE a = ? ORDER BY {c}");
    assert!(matches!(
        tpl.render(&[text("x")]),
        Err(SqlError::ArgCount {
            expected: 2,
            got: 1
        })
    ));
    assert!(matches!(
        tpl.render(&[Arg::Ident("x".into()), text("x")]),
        Err(SqlError::ArgKind { hole: 0, .. })
    ));
    for v in [
        Value::Int(i64::MIN),
        Value::Real(f64::NAN),
        Value::Real(f64::INFINITY),
        Value::Text("a\0".into()),
    ] {
        assert!(
            matches!(
                tpl.render(&[Arg::Value(v.clone()), Arg::Ident("c".into())]),
                Err(SqlError::Unrenderable { .. })
            ),
            "{v:?}"
        );
    }
    // NUL is fine as a parameter.
    assert!(tpl
        .parameterized(&[text("a\0"), Arg::Ident("c".into())])
        .is_ok());
}

#[test]
fn bad_templates_are_refused_with_typed_errors() {
    for (s, want) in [
        ("SELECT 1 WHERE a = $1", "placeholder"),
        ("SELECT 1 WHERE a = :name", "placeholder"),
        ("SELECT 1 WHERE a = ?1", "placeholder"),
        ("SELECT 1 FROM t ORDER BY {c:sideways}", "hole"),
        ("SELECT 1 FROM t ORDER BY {", "hole"),
        ("SELECT 1; SELECT 2", "one statement"),
        ("SELEC 1", "parse"),
        ("SELECT 'unterminated", "tokenize"),
    ] {
        let e = Template::parse(Dialect::Sqlite, s).unwrap_err().to_string();
        assert!(e.to_lowercase().contains(want), "{s}: {e}");
    }
}

#[test]
fn size_and_depth_are_capped_before_parsing() {
    let huge = format!("SELECT {} FROM t", "1+".repeat(20_000));
    assert!(matches!(
        Template::parse(Dialect::Generic, &huge),
        Err(SqlError::TooLarge { .. })
    ));
    let deep = format!("SELECT {}1{} FROM t", "(".repeat(5000), ")".repeat(5000));
    assert!(matches!(
        Template::parse(Dialect::Generic, &deep[..deep.len().min(16000)]),
        Err(SqlError::TooDeep { .. })
    ));
    let tpl = t(Dialect::Generic, "SELECT a FROM t WHERE b = ?");
    let q = format!(
        "SELECT a FROM t WHERE b = {}1{}",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    assert!(matches!(tpl.admits(&q), Err(SqlError::TooDeep { .. })));
    // Deep but under the bracket cap: sqlparser's recursion limit answers.
    let q = format!("SELECT a FROM t WHERE b = {}1", "- ".repeat(5000));
    assert!(tpl.admits(&q).is_err());
    let q = format!("SELECT a FROM t WHERE b = {}1", "NOT ".repeat(5000));
    assert!(tpl.admits(&q).is_err());
}

#[test]
fn the_guard_reads_comments_and_case_like_the_parser() {
    let tpl = t(
        Dialect::Mysql,
        "SELECT id FROM users WHERE name = ? LIMIT ?",
    );
    assert!(tpl
        .admits("select id from users where name = 'x' limit 5")
        .is_ok());
    assert!(tpl
        .admits("SELECT id FROM users WHERE name = 'x' # LIMIT 5")
        .is_err());
    assert!(tpl
        .admits("SELECT id FROM users WHERE name = 'x\\' LIMIT 5")
        .is_err());
    assert!(tpl
        .admits("SELECT id FROM users WHERE name = 'a' 'b' LIMIT 5")
        .is_err());
    assert!(tpl
        .admits("SELECT id FROM users WHERE name = \"x\" LIMIT 5")
        .is_ok());
}
