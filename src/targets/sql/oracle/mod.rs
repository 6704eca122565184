//! The sql target's oracles. Invariant ids are the constants below.
//!
//! * [`structure`]: the rendered query, read by the oracle's own lexer
//!   ([`lex`](mod@lex)), is the template's token sequence with each hole replaced by
//!   exactly the tokens its argument calls for — and each literal decodes
//!   (own decoders) to exactly the bound value, each identifier to exactly
//!   the given name, each LIKE pattern to exactly the value's characters
//!   between the mode's wildcards;
//! * [`guard`]: the rendered query is admitted with one filling per hole;
//!   a string-built ("spliced") query is admitted only if the oracle's
//!   lexer reads it as the template with one literal per hole;
//! * [`sqlite`]: real SQLite (bundled) runs the rendered and the
//!   parameterized query on the same seeded table — same rows, the exact
//!   value bytes back, never rows the value's literal would not reach;
//! * [`detected`]: text whose first unescaped quote (own reading) ends the
//!   literal and whose completed query parses must be flagged.

pub mod lex;
pub mod sqlite;

use crate::engine::contract::{Invariant, Violation};
use crate::targets::sql::{
    detect, literal_for, parses_as_one, Arg, Dialect, Direction, HoleKind, LikeMode, Template,
    Value,
};

use lex::{lex, like_elems, LikeElem, Tok};

/// The rendered query is the template with one literal/identifier per hole.
pub const STRUCTURE: &str = "sql.structure";
/// Each literal decodes back to exactly the bound value.
pub const ROUNDTRIP: &str = "sql.roundtrip";
/// A LIKE pattern matches the value literally (wildcards escaped).
pub const LIKE: &str = "sql.like";
/// An identifier accepted for an allowlisted hole is on the list.
pub const ALLOWLIST: &str = "sql.allowlist";
/// The guard admits exactly the template's instances.
pub const GUARD: &str = "sql.guard";
/// Real SQLite: rendered and parameterized queries agree, values exact.
pub const DATABASE: &str = "sql.database";
/// Text breaking out of a quote into parseable SQL is flagged.
pub const DETECT: &str = "sql.detect";

/// Every invariant of the sql target.
pub const INVARIANTS: &[Invariant] = &[
    Invariant {
        id: STRUCTURE,
        description: "a rendered query is the template's tokens with exactly one literal, identifier or direction per hole",
    },
    Invariant {
        id: ROUNDTRIP,
        description: "every rendered literal decodes (per dialect, own decoder) to exactly the bound value",
    },
    Invariant {
        id: LIKE,
        description: "a LIKE-pattern hole matches its value literally: every wildcard and the escape character escaped",
    },
    Invariant {
        id: ALLOWLIST,
        description: "an identifier bound into an allowlisted hole is exactly one of the list",
    },
    Invariant {
        id: GUARD,
        description: "Template::admits accepts rendered instances and refuses every query whose literal structure differs",
    },
    Invariant {
        id: DATABASE,
        description: "real SQLite/PostgreSQL return the same rows and exact value bytes for rendered and parameterized queries",
    },
    Invariant {
        id: DETECT,
        description: "text that closes a quote and leaves a query that parses is flagged by detect",
    },
];

fn v(id: &'static str, detail: impl Into<String>) -> Violation {
    Violation::new(id, detail)
}

fn num_matches(s: &str, value: &Value) -> bool {
    match value {
        Value::Int(n) => s.parse::<i128>().ok() == Some(i128::from(*n).abs()),
        Value::Real(x) => s
            .parse::<f64>()
            .is_ok_and(|y| y.to_bits() == x.abs().to_bits()),
        _ => false,
    }
}

/// Whether `toks` starts with the tokens of `value` in `dialect`; the
/// number of tokens, or a violation.
fn value_toks(toks: &[Tok], value: &Value) -> Result<usize, Violation> {
    let neg = match value {
        Value::Int(n) => *n < 0,
        Value::Real(x) => x.is_sign_negative(),
        _ => false,
    };
    match (value, toks) {
        (Value::Null, [Tok::Word(w), ..]) if w == "NULL" => Ok(1),
        (Value::Text(s), [Tok::Str(d), ..]) => {
            if d == s {
                Ok(1)
            } else {
                Err(v(
                    ROUNDTRIP,
                    format!("literal decodes to {d:?}, bound {s:?}"),
                ))
            }
        }
        (
            Value::Int(_) | Value::Real(_),
            [Tok::Punct('('), Tok::Punct('-'), Tok::Num(n), Tok::Punct(')'), ..],
        ) if neg => {
            if num_matches(n, value) {
                Ok(4)
            } else {
                Err(v(ROUNDTRIP, format!("number -{n} for {value:?}")))
            }
        }
        (Value::Int(_) | Value::Real(_), [Tok::Num(n), ..]) if !neg => {
            if num_matches(n, value) {
                Ok(1)
            } else {
                Err(v(ROUNDTRIP, format!("number {n} for {value:?}")))
            }
        }
        _ => Err(v(
            STRUCTURE,
            format!(
                "a {value:?} is not written as one literal: {:?}",
                toks.iter().take(4).collect::<Vec<_>>()
            ),
        )),
    }
}

/// Judge a rendered query against its template and arguments.
pub fn structure(t: &Template, args: &[Arg], rendered: &str) -> Result<(), Violation> {
    let d = t.dialect();
    let tpl = lex(d, t.text(), true).map_err(|e| v(STRUCTURE, format!("template: {e}")))?;
    let got = lex(d, rendered, false).map_err(|e| {
        v(
            STRUCTURE,
            format!("rendered query does not lex: {e}: {rendered}"),
        )
    })?;
    let mut j = 0;
    let mut hole = 0;
    for tt in &tpl {
        let rest = &got[j.min(got.len())..];
        if *tt != Tok::Hole {
            if rest.first() != Some(tt) {
                return Err(v(
                    STRUCTURE,
                    format!("expected {tt:?}, found {:?} in {rendered}", rest.first()),
                ));
            }
            j += 1;
            continue;
        }
        let kind = t.holes()[hole].kind;
        let used = match (&args[hole], kind) {
            (Arg::Value(val), HoleKind::Value) => value_toks(rest, val)?,
            (Arg::Ident(id), HoleKind::Ident) => match rest.first() {
                Some(Tok::Ident(x)) if x == id => {
                    if let Some(list) = t.holes()[hole].name.as_deref().and_then(|n| t.allowlist(n))
                    {
                        if !list.iter().any(|a| a == id) {
                            return Err(v(ALLOWLIST, format!("{id:?} is not one of {list:?}")));
                        }
                    }
                    1
                }
                Some(Tok::Ident(x)) => {
                    return Err(v(
                        ROUNDTRIP,
                        format!("identifier reads {x:?}, bound {id:?}"),
                    ))
                }
                other => {
                    return Err(v(
                        STRUCTURE,
                        format!("identifier {id:?} written as {other:?}"),
                    ))
                }
            },
            (Arg::Dir(dir), HoleKind::Dir) => {
                let want = match dir {
                    Direction::Asc => "ASC",
                    Direction::Desc => "DESC",
                };
                match rest.first() {
                    Some(Tok::Word(w)) if w == want => 1,
                    other => return Err(v(STRUCTURE, format!("direction written as {other:?}"))),
                }
            }
            (Arg::Like(s), HoleKind::Like(mode)) => match rest {
                [Tok::Str(p), Tok::Word(e), Tok::Str(esc), ..] if e == "ESCAPE" => {
                    let esc_char = {
                        let mut cs = esc.chars();
                        match (cs.next(), cs.next()) {
                            (Some(c), None) => c,
                            _ => {
                                return Err(v(LIKE, format!("ESCAPE {esc:?} is not one character")))
                            }
                        }
                    };
                    let elems = like_elems(p, esc_char).map_err(|e| v(LIKE, e))?;
                    let want = like_model(s, mode);
                    if elems != want {
                        return Err(v(LIKE, format!("pattern {p:?} (escape {esc_char:?}) does not match {s:?} literally")));
                    }
                    3
                }
                other => {
                    return Err(v(
                        STRUCTURE,
                        format!(
                            "LIKE hole written as {:?}",
                            other.iter().take(3).collect::<Vec<_>>()
                        ),
                    ))
                }
            },
            (a, k) => {
                return Err(v(
                    STRUCTURE,
                    format!("argument {a:?} bound to a {k:?} hole"),
                ))
            }
        };
        j += used;
        hole += 1;
    }
    if j != got.len() {
        return Err(v(
            STRUCTURE,
            format!("extra tokens {:?} in {rendered}", &got[j.min(got.len())..]),
        ));
    }
    Ok(())
}

/// The LIKE elements a hole must produce for `s` (the model, not the
/// renderer's code).
pub fn like_model(s: &str, mode: LikeMode) -> Vec<LikeElem> {
    let mut v = Vec::new();
    if mode == LikeMode::Contains {
        v.push(LikeElem::Any);
    }
    v.extend(s.chars().map(LikeElem::Lit));
    v.push(LikeElem::Any);
    v
}

/// Judge the guard on a rendered query (must be admitted) and on a
/// spliced query (admitted only if it reads as one literal per hole).
pub fn guard(t: &Template, rendered: &str, spliced: &str) -> Result<(), Violation> {
    match t.admits(rendered) {
        Ok(a) if a.fills.len() == t.holes().len() => {}
        Ok(a) => {
            return Err(v(
                GUARD,
                format!("{} fills for {} holes", a.fills.len(), t.holes().len()),
            ))
        }
        Err(e) => return Err(v(GUARD, format!("rendered query refused: {e}: {rendered}"))),
    }
    if t.admits(spliced).is_ok() {
        shape(t, spliced).map_err(|e| {
            v(
                GUARD,
                format!(
                    "admitted a string-built query the database reads differently ({e}): {spliced}"
                ),
            )
        })?;
    }
    Ok(())
}

/// Whether `query` reads (own lexer) as the template with one literal per
/// value hole, one identifier per identifier hole, and so on.
pub fn shape(t: &Template, query: &str) -> Result<(), String> {
    let d = t.dialect();
    let tpl = lex(d, t.text(), true)?;
    let got = lex(d, query, false)?;
    let mut j = 0;
    let mut hole = 0;
    for tt in &tpl {
        let rest = &got[j.min(got.len())..];
        if *tt != Tok::Hole {
            if rest.first() != Some(tt) {
                return Err(format!("expected {tt:?}, found {:?}", rest.first()));
            }
            j += 1;
            continue;
        }
        let used = match (t.holes()[hole].kind, rest) {
            (
                HoleKind::Value,
                [Tok::Punct('('), Tok::Punct('-'), Tok::Num(_), Tok::Punct(')'), ..],
            ) => 4,
            (HoleKind::Value, [Tok::Punct('-'), Tok::Num(_), ..]) => 2,
            (HoleKind::Value, [Tok::Str(_) | Tok::Num(_) | Tok::Blob(_), ..]) => 1,
            (HoleKind::Value, [Tok::Word(w), ..])
                if ["NULL", "TRUE", "FALSE"].contains(&w.as_str()) =>
            {
                1
            }
            (HoleKind::Ident, [Tok::Ident(_) | Tok::Word(_), ..]) => 1,
            (HoleKind::Dir, [Tok::Word(w), ..]) if w == "ASC" || w == "DESC" => 1,
            (HoleKind::Like(_), [Tok::Str(_), Tok::Word(e), Tok::Str(_), ..]) if e == "ESCAPE" => 3,
            (k, r) => {
                return Err(format!(
                    "hole {hole} ({k:?}) filled by {:?}",
                    r.iter().take(3).collect::<Vec<_>>()
                ))
            }
        };
        j += used;
        hole += 1;
    }
    if j != got.len() {
        return Err(format!("extra tokens {:?}", &got[j.min(got.len())..]));
    }
    Ok(())
}

/// The legacy mistake: the template with every text value pasted in as
/// `'` + the raw text + `'` (no escaping), the other holes rendered.
/// `None` for templates with LIKE holes.
pub fn splice(t: &Template, args: &[Arg], raw: &str) -> Option<String> {
    let d = t.dialect();
    let text = t.text();
    let mut out = String::new();
    let mut hole = 0;
    let mut chars = text.char_indices();
    while let Some((_, ch)) = chars.next() {
        if ch != '?' && ch != '{' {
            out.push(ch);
            continue;
        }
        if ch == '{' {
            for (_, c) in chars.by_ref() {
                if c == '}' {
                    break;
                }
            }
        }
        match args.get(hole)? {
            Arg::Value(Value::Text(_)) => {
                out.push('\'');
                out.push_str(raw);
                out.push('\'');
            }
            Arg::Value(val) => out.push_str(&literal_for(d, val).ok()?),
            Arg::Ident(id) => out.push_str(&d.quote_ident(id).ok()?),
            Arg::Dir(Direction::Asc) => out.push_str("ASC"),
            Arg::Dir(Direction::Desc) => out.push_str("DESC"),
            Arg::Like(_) => return None,
        }
        hole += 1;
    }
    Some(out)
}

/// The detector invariant for one text: if the text (own reading, MySQL
/// rules) closes a single-quoted literal and the completed query parses,
/// [`detect`] must flag it.
pub fn detected(text: &str) -> Result<(), Violation> {
    if text.len() > crate::targets::sql::MAX_DETECT_LEN {
        return Ok(());
    }
    let sql = format!("SELECT id FROM users WHERE name = '{text}'");
    let Ok(toks) = lex(Dialect::Mysql, &sql, false) else {
        return Ok(());
    };
    let breaks_out = toks.len() != 8;
    if !breaks_out {
        return Ok(());
    }
    let parses = parses_as_one(Dialect::Mysql, &sql);
    if parses && detect(text).is_none() {
        return Err(v(
            DETECT,
            format!("{text:?} closes the quote and parses as {sql:?}, unflagged"),
        ));
    }
    Ok(())
}

/// A refusal to render must be one the documented rules call for (the
/// oracle's own table): NUL where the dialect cannot hold it, a non-finite
/// float, `i64::MIN`, an identifier the dialect cannot keep, an identifier
/// off its allowlist.
pub fn refusal(
    t: &Template,
    args: &[Arg],
    e: &crate::targets::sql::SqlError,
) -> Result<(), Violation> {
    let d = t.dialect();
    let nul_ok = matches!(d, Dialect::Mysql | Dialect::MysqlNoBackslashEscapes);
    for (h, a) in t.holes().iter().zip(args) {
        let justified = match a {
            Arg::Value(Value::Text(s)) | Arg::Like(s) => s.contains('\0') && !nul_ok,
            Arg::Value(Value::Real(x)) => {
                !x.is_finite()
                    || (matches!(d, Dialect::Sqlite | Dialect::Generic) && !short_decimal(*x))
            }
            Arg::Value(Value::Int(n)) => *n == i64::MIN,
            Arg::Ident(id) => {
                let list = h.name.as_deref().and_then(|n| t.allowlist(n));
                let limit = match d {
                    Dialect::Postgres => id.len() > 63,
                    Dialect::Mysql | Dialect::MysqlNoBackslashEscapes => {
                        id.chars().count() > 64 || id.ends_with(' ')
                    }
                    _ => false,
                };
                id.is_empty()
                    || id.contains('\0')
                    || id.len() > crate::targets::sql::MAX_IDENT_LEN
                    || limit
                    || list.is_some_and(|l| !l.iter().any(|x| x == id))
            }
            _ => false,
        };
        if justified {
            return Ok(());
        }
    }
    Err(v(
        STRUCTURE,
        format!("refused without a documented reason: {e} ({args:?})"),
    ))
}

/// The documented SQLite exactness rule, computed the oracle's way: `x`
/// printed with 15 significant digits reads back as `x`, and its decimal
/// significand (trailing zeros dropped) is scaled by at most 10^±22.
fn short_decimal(x: f64) -> bool {
    let s = format!("{:.14e}", x.abs());
    if s.parse::<f64>().ok() != Some(x.abs()) {
        return false;
    }
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let significant = digits.trim_end_matches('0').len().max(1) as i32;
    let exp: i32 = exp.parse().unwrap_or(i32::MAX);
    (-22..=22).contains(&(exp - (significant - 1)))
}
