//! The free-text injection detector: does this user text form injection
//! structure when a string-building program pastes it into a query?
//!
//! The text is read with sqlparser's MySQL tokenizer (the widest lexical
//! grammar: `#` and `--` comments, backslash escapes, backticks) in the
//! usual contexts:
//!
//! * after `'` (a single-quoted literal, also inside `LIKE '%…%'` and
//!   after `('`), after `"` and after `` ` ``: the text *breaks out* at its
//!   first unescaped quote (MySQL rules: a backslash escapes, a doubled
//!   quote stays inside), and what follows is SQL;
//! * after a number or an identifier (`WHERE id = 1…`): all of it is SQL;
//!
//! and, when it holds `%XX` escapes, once more after URL decoding. The
//! tokens that would be SQL are then matched against constructs, strongest
//! first: stacked statement, `UNION SELECT`, time-based calls, out-of-band
//! calls, error-based functions, tautologies, boolean conditions, clause
//! injection (`ORDER BY`, `GROUP BY`, `HAVING`, `LIMIT`, `PROCEDURE`),
//! catalog and version probes, subqueries, and — after a quote only — a
//! comment that truncates the rest of the query. If the text breaks out
//! of a quote and the completed query *parses* (sqlparser, recursion limit
//! set) with more than a literal where the literal was, it is flagged as
//! an expression even without a listed construct.

use std::fmt;

use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};

use super::dialect::Dialect;
use super::plant;
use super::template::parse_statements;
use crate::plant::active;

/// Texts longer than this are judged on their first `MAX_DETECT_LEN` bytes.
pub const MAX_DETECT_LEN: usize = 4096;

/// What kind of injection a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Class {
    /// A second statement after `;`.
    Stacked,
    /// `UNION [ALL] SELECT`.
    Union,
    /// A delay (`SLEEP`, `BENCHMARK`, `PG_SLEEP`, `WAITFOR DELAY`, …).
    TimeBased,
    /// A call that reaches outside the database (`LOAD_FILE`,
    /// `UTL_HTTP`, `xp_cmdshell`, `INTO OUTFILE`, …).
    OutOfBand,
    /// A function used to leak data through error messages.
    ErrorBased,
    /// An always-true condition (`OR 1=1`, `OR 'a'='a'`).
    Tautology,
    /// An added condition (`AND 1=2`, `AND SLEEP…`): boolean-blind probing.
    Boolean,
    /// An added clause (`ORDER BY 5`, `GROUP BY … HAVING`, `LIMIT`).
    Clause,
    /// A catalog or version probe (`@@version`, `information_schema`).
    Probe,
    /// A subquery.
    Subquery,
    /// A comment that truncates the rest of the query after a quote.
    CommentTruncation,
    /// Any other expression that parses where a literal was.
    Expression,
}

impl Class {
    /// The class as words.
    pub fn name(self) -> &'static str {
        match self {
            Class::Stacked => "stacked statement",
            Class::Union => "UNION",
            Class::TimeBased => "time-based",
            Class::OutOfBand => "out-of-band",
            Class::ErrorBased => "error-based",
            Class::Tautology => "tautology",
            Class::Boolean => "boolean-based",
            Class::Clause => "clause injection",
            Class::Probe => "catalog probe",
            Class::Subquery => "subquery",
            Class::CommentTruncation => "comment truncation",
            Class::Expression => "expression",
        }
    }
}

/// Where the text was placed when the construct appeared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Context {
    /// After `'` (also inside `LIKE '%…%'`).
    SingleQuote,
    /// After `"`.
    DoubleQuote,
    /// After `` ` ``.
    Backtick,
    /// After a number or identifier (bare SQL).
    Bare,
}

impl Context {
    fn phrase(self) -> &'static str {
        match self {
            Context::SingleQuote => "after a closing quote",
            Context::DoubleQuote => "after a closing double quote",
            Context::Backtick => "after a closing backtick",
            Context::Bare => "after a number",
        }
    }
}

/// Why the detector flagged a text.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finding {
    /// The class.
    pub class: Class,
    /// The construct as it appears (normalised tokens, shortened).
    pub construct: String,
    /// The context it was found in.
    pub context: Context,
    /// Whether the text was URL-decoded first.
    pub url_decoded: bool,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} {}{}",
            self.class.name(),
            self.construct,
            self.context.phrase(),
            if self.url_decoded {
                " (URL-decoded)"
            } else {
                ""
            }
        )
    }
}

const STATEMENTS: &[&str] = &[
    "SELECT", "INSERT", "UPDATE", "DELETE", "DROP", "CREATE", "ALTER", "TRUNCATE", "EXEC",
    "EXECUTE", "DECLARE", "WAITFOR", "SHUTDOWN", "GRANT", "REVOKE", "SET", "COPY", "LOAD",
    "REPLACE", "MERGE", "CALL", "USE", "BEGIN", "IF", "WITH", "SHOW", "DESC", "DESCRIBE", "RENAME",
    "HANDLER", "ATTACH", "PRAGMA", "VACUUM", "KILL", "DO",
];
const TIME_FNS: &[&str] = &[
    "SLEEP",
    "BENCHMARK",
    "PG_SLEEP",
    "PG_SLEEP_FOR",
    "RANDOMBLOB",
    "DBMS_LOCK",
    "DBMS_PIPE",
    "DBMS_SESSION",
    "GENERATE_SERIES",
];
const OOB_FNS: &[&str] = &[
    "LOAD_FILE",
    "UTL_HTTP",
    "UTL_INADDR",
    "UTL_TCP",
    "UTL_SMTP",
    "XP_CMDSHELL",
    "XP_DIRTREE",
    "XP_FILEEXIST",
    "XP_REGREAD",
    "XP_SUBDIRS",
    "DBMS_LDAP",
    "HTTPURITYPE",
    "LO_IMPORT",
    "LO_EXPORT",
    "SYS_EXEC",
    "SYS_EVAL",
    "OPENROWSET",
    "OPENDATASOURCE",
    "SP_OACREATE",
    "SP_EXECUTESQL",
    "DBLINK",
    "DBLINK_CONNECT",
    "LOAD_EXTENSION",
    "MASTER",
    "SP_PASSWORD",
];
const ERROR_FNS: &[&str] = &[
    "EXTRACTVALUE",
    "UPDATEXML",
    "GTID_SUBSET",
    "GTID_SUBTRACT",
    "EXP",
    "NAME_CONST",
    "JSON_KEYS",
    "POLYGON",
    "MULTIPOINT",
    "MULTIPOLYGON",
    "MULTILINESTRING",
    "LINESTRING",
    "GEOMETRYCOLLECTION",
    "CTXSYS",
    "DBMS_XDB_VERSION",
    "XMLTYPE",
    "CONVERT",
    "CAST",
    "DBMS_UTILITY",
    "ORDSYS",
    "ST_LATFROMGEOHASH",
    "ST_LONGFROMGEOHASH",
    "ST_POINTFROMGEOHASH",
];
const PROBES: &[&str] = &[
    "@@VERSION",
    "VERSION",
    "DATABASE",
    "USER",
    "CURRENT_USER",
    "SYSTEM_USER",
    "SESSION_USER",
    "SCHEMA",
    "INFORMATION_SCHEMA",
    "SYSOBJECTS",
    "SYSCOLUMNS",
    "SQLITE_MASTER",
    "SQLITE_SCHEMA",
    "PG_CATALOG",
    "PG_SHADOW",
    "PG_USER",
    "ALL_TABLES",
    "ALL_TAB_COLUMNS",
    "USER_TABLES",
    "DBA_USERS",
    "MYSQL",
    "SYS",
    "@@DATADIR",
    "@@HOSTNAME",
    "BANNER",
    "V$VERSION",
    "CURRENT_SETTING",
    "SQLITE_VERSION",
    "DB_NAME",
    "HOST_NAME",
    "SUSER_NAME",
];
const CLAUSES: &[&str] = &[
    "ORDER",
    "GROUP",
    "HAVING",
    "LIMIT",
    "PROCEDURE",
    "INTO",
    "OFFSET",
];

/// Flag `text` if it forms injection structure in one of the usual
/// contexts; `None` for text that stays a literal (or stays harmless bare
/// SQL) in all of them.
pub fn detect(text: &str) -> Option<Finding> {
    let text = truncate(text, MAX_DETECT_LEN);
    if let Some(f) = detect_once(text, false) {
        return Some(f);
    }
    let decoded = percent_decode(text)?;
    detect_once(&decoded, true)
}

fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// `%XX` decoded once, if the text has any valid escape and the result is
/// UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16);
    let mut out = Vec::with_capacity(b.len());
    let mut changed = false;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                changed = true;
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    if !changed {
        return None;
    }
    String::from_utf8(out).ok()
}

fn detect_once(text: &str, url_decoded: bool) -> Option<Finding> {
    let found = |(class, construct): (Class, String), context| Finding {
        class,
        construct,
        context,
        url_decoded,
    };
    for (q, ctx) in [
        ('\'', Context::SingleQuote),
        ('"', Context::DoubleQuote),
        ('`', Context::Backtick),
    ] {
        let Some(at) = breakout(text, q) else {
            continue;
        };
        let rest = &text[at + 1..];
        let toks = tokens(rest, q);
        if toks.is_empty() {
            continue;
        }
        if let Some(c) = classify(&toks, true) {
            return Some(found(c, ctx));
        }
        if q != '`' && breakout_parses(text, q) {
            return Some(found((Class::Expression, shorten(&render(&toks))), ctx));
        }
    }
    let toks = tokens(text, '\0');
    classify(&toks, false).map(|c| found(c, Context::Bare))
}

/// Byte index of the first quote `q` that ends a `q`-quoted literal the
/// text was pasted into (MySQL rules), if any.
fn breakout(text: &str, q: char) -> Option<usize> {
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c == '\\' && q != '`' {
            it.next();
        } else if c == q {
            if it.peek().is_some_and(|&(_, n)| n == q) {
                it.next();
            } else {
                return Some(i);
            }
        }
    }
    None
}

/// Whether `WHERE a = q<text>q` (or with the text at the end of the query)
/// parses as one statement in which the text is more than a literal.
fn breakout_parses(text: &str, q: char) -> bool {
    if !text.is_ascii() && text.len() > 512 {
        return false;
    }
    for suffix in [q.to_string(), String::new()] {
        let sql = format!("SELECT a FROM t WHERE b = {q}{text}{suffix}");
        if let Ok(s) = parse_statements(Dialect::Mysql, &sql) {
            if !s.is_empty() {
                return true;
            }
        }
    }
    false
}

/// The significant tokens of `sql` (comments kept as markers), read by
/// sqlparser's MySQL tokenizer. When the text leaves a literal open, the
/// context's closing quote `close` is tried; a text that still fails to
/// tokenize yields the tokens before the error.
fn tokens(sql: &str, close: char) -> Vec<Token> {
    let d = Dialect::Mysql.parser();
    let keep = |v: Vec<sqlparser::tokenizer::TokenWithSpan>| -> Vec<Token> {
        v.into_iter()
            .map(|t| t.token)
            .filter(|t| {
                !matches!(
                    t,
                    Token::Whitespace(Whitespace::Space | Whitespace::Newline | Whitespace::Tab)
                        | Token::EOF
                )
            })
            .collect()
    };
    if let Ok(t) = Tokenizer::new(d, sql).tokenize_with_location() {
        return keep(t);
    }
    if close != '\0' {
        let closed = format!("{sql}{close}");
        if let Ok(t) = Tokenizer::new(d, &closed).tokenize_with_location() {
            return keep(t);
        }
    }
    let mut buf = Vec::new();
    let _partial = Tokenizer::new(d, sql).tokenize_with_location_into_buf(&mut buf);
    keep(buf)
}

fn kw(t: Option<&Token>, words: &[&'static str]) -> Option<&'static str> {
    let Some(Token::Word(w)) = t else {
        return None;
    };
    if w.quote_style.is_some() {
        return None;
    }
    let case = active(plant::DETECT_CASE);
    words.iter().copied().find(|k| {
        if case {
            w.value == *k
        } else {
            w.value.eq_ignore_ascii_case(k)
        }
    })
}

fn is_comment(t: &Token) -> bool {
    matches!(
        t,
        Token::Whitespace(Whitespace::SingleLineComment { .. } | Whitespace::MultiLineComment(_))
    )
}

fn is_cmp(t: Option<&Token>) -> bool {
    matches!(
        t,
        Some(
            Token::Eq
                | Token::DoubleEq
                | Token::Neq
                | Token::Lt
                | Token::Gt
                | Token::LtEq
                | Token::GtEq
                | Token::Spaceship
        )
    ) || kw(t, &["LIKE", "IS", "RLIKE", "REGEXP", "IN", "BETWEEN"]).is_some()
}

fn is_operand(t: Option<&Token>) -> bool {
    matches!(
        t,
        Some(
            Token::Number(..)
                | Token::SingleQuotedString(_)
                | Token::DoubleQuotedString(_)
                | Token::HexStringLiteral(_)
                | Token::NationalStringLiteral(_)
                | Token::Word(_)
                | Token::Placeholder(_)
                | Token::AtSign
        )
    )
}

fn render(toks: &[Token]) -> String {
    let mut s = String::new();
    for t in toks {
        let piece = match t {
            Token::Word(w) if w.quote_style.is_none() => w.value.to_ascii_uppercase(),
            Token::Whitespace(Whitespace::SingleLineComment { prefix, .. }) => prefix.clone(),
            Token::Whitespace(Whitespace::MultiLineComment(_)) => "/*".into(),
            t => t.to_string(),
        };
        let glue = matches!(
            t,
            Token::LParen | Token::RParen | Token::Comma | Token::Eq | Token::Period
        ) || s.ends_with(['(', '=', '.']);
        if !s.is_empty() && !glue {
            s.push(' ');
        }
        s.push_str(&piece);
    }
    s
}

fn shorten(s: &str) -> String {
    if s.chars().count() <= 40 {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(37).collect();
        t.push('…');
        t
    }
}

/// The strongest construct in `toks`; `quoted`: the tokens follow a quote
/// the text closed (comment truncation counts).
fn classify(toks: &[Token], quoted: bool) -> Option<(Class, String)> {
    let at = |i: usize| toks.get(i);
    let span = |i: usize, n: usize| shorten(&render(&toks[i..(i + n).min(toks.len())]));
    let mut best: Option<(u8, Class, String)> = None;
    let mut offer = |rank: u8, class: Class, construct: String| {
        if best.as_ref().is_none_or(|b| rank < b.0) {
            best = Some((rank, class, construct));
        }
    };
    for i in 0..toks.len() {
        let t = at(i);
        // stacked statement
        if matches!(t, Some(Token::SemiColon)) {
            if let Some(k) = kw(at(i + 1), STATEMENTS) {
                offer(0, Class::Stacked, format!("; {k}"));
            }
        }
        if kw(t, &["UNION"]).is_some() {
            let j = if kw(at(i + 1), &["ALL", "DISTINCT"]).is_some() {
                i + 2
            } else {
                i + 1
            };
            if kw(at(j), &["SELECT"]).is_some() || matches!(at(j), Some(Token::LParen)) {
                offer(1, Class::Union, span(i, j - i + 1));
            }
        }
        let call = matches!(at(i + 1), Some(Token::LParen | Token::Period));
        let numeric_call = matches!(at(i + 1), Some(Token::Period))
            || (matches!(at(i + 1), Some(Token::LParen))
                && matches!(
                    at(i + 2),
                    Some(Token::Number(..) | Token::LParen | Token::Word(_))
                )
                && !matches!(at(i + 3), Some(Token::Word(_))));
        if numeric_call && kw(t, TIME_FNS).is_some() {
            offer(2, Class::TimeBased, span(i, 2));
        }
        if kw(t, &["WAITFOR"]).is_some() && kw(at(i + 1), &["DELAY", "TIME"]).is_some() {
            offer(2, Class::TimeBased, span(i, 3));
        }
        if (call
            || matches!(
                at(i + 1),
                Some(Token::SingleQuotedString(_)) | Some(Token::Word(_))
            ))
            && kw(t, OOB_FNS).is_some()
        {
            offer(3, Class::OutOfBand, span(i, 2));
        }
        if kw(t, &["INTO"]).is_some() && kw(at(i + 1), &["OUTFILE", "DUMPFILE"]).is_some() {
            offer(3, Class::OutOfBand, span(i, 2));
        }
        if kw(t, &["LOAD"]).is_some() && kw(at(i + 1), &["DATA"]).is_some() {
            offer(3, Class::OutOfBand, span(i, 3));
        }
        if matches!(at(i + 1), Some(Token::LParen)) && kw(t, ERROR_FNS).is_some() {
            offer(4, Class::ErrorBased, span(i, 2));
        }
        if let Some(op) = kw(t, &["OR", "XOR", "AND"])
            .map(str::to_owned)
            .or_else(|| {
                matches!(t, Some(Token::StringConcat | Token::Pipe)).then(|| "||".to_owned())
            })
            .or_else(|| {
                (matches!(t, Some(Token::Ampersand)) && matches!(at(i + 1), Some(Token::Ampersand)))
                    .then(|| "&&".to_owned())
            })
        {
            let and = op == "AND" || op == "&&";
            let mut j = i + 1;
            while matches!(at(j), Some(Token::LParen | Token::Ampersand | Token::Pipe)) {
                j += 1;
            }
            if kw(at(j), &["NOT"]).is_some() {
                j += 1;
            }
            let cmp = is_operand(at(j))
                && is_cmp(at(j + 1))
                && (is_operand(at(j + 2))
                    || matches!(at(j + 2), Some(Token::LParen) | Some(Token::Minus)));
            let bare_truth =
                matches!(at(j), Some(Token::Number(..))) || kw(at(j), &["TRUE"]).is_some();
            let ends = (quoted
                && matches!(
                    at(j + 1),
                    None | Some(Token::RParen) | Some(Token::SemiColon)
                ))
                || at(j + 1).is_some_and(is_comment);
            let fn_call =
                matches!(at(j), Some(Token::Word(_))) && matches!(at(j + 1), Some(Token::LParen));
            let sub = matches!(at(j - 1), Some(Token::LParen)) && kw(at(j), &["SELECT"]).is_some();
            if cmp || (bare_truth && ends) || fn_call || sub {
                let class = if and {
                    Class::Boolean
                } else {
                    Class::Tautology
                };
                offer(if and { 6 } else { 5 }, class, span(i, j - i + 3));
            }
        }
        if let Some(k) = kw(t, CLAUSES) {
            let next = at(i + 1);
            let ok = match k {
                "ORDER" => {
                    kw(next, &["BY"]).is_some()
                        && (matches!(at(i + 2), Some(Token::Number(..)))
                            || matches!(at(i + 3), Some(Token::LParen)))
                }
                "GROUP" => {
                    kw(next, &["BY"]).is_some()
                        && toks[i..].iter().any(|t| kw(Some(t), &["HAVING"]).is_some())
                }
                "HAVING" => is_operand(next) && is_cmp(at(i + 2)),
                "LIMIT" | "OFFSET" => matches!(next, Some(Token::Number(..))),
                "PROCEDURE" => kw(next, &["ANALYSE"]).is_some(),
                _ => matches!(next, Some(Token::AtSign | Token::Placeholder(_))),
            };
            if ok && (i > 0 || quoted || toks.len() > 2) {
                offer(7, Class::Clause, span(i, 3));
            }
        }
        if kw(t, PROBES).is_some() {
            let strong = matches!(at(i + 1), Some(Token::LParen) | Some(Token::Period))
                || matches!(t, Some(Token::Word(w)) if w.value.starts_with("@@"))
                || (i > 0 && matches!(at(i - 1), Some(Token::Period)));
            if strong && i > 0 {
                offer(8, Class::Probe, span(i.saturating_sub(1), 3));
            }
        }
        if let Some(Token::Placeholder(p)) = t {
            if p.to_ascii_uppercase().starts_with("@@") {
                offer(8, Class::Probe, p.clone());
            }
        }
        if matches!(t, Some(Token::LParen)) && kw(at(i + 1), &["SELECT"]).is_some() && i > 0 {
            offer(9, Class::Subquery, span(i, 2));
        }
    }
    if quoted {
        let mut j = 0;
        while matches!(at(j), Some(Token::RParen)) {
            j += 1;
        }
        // `--` without the space MySQL wants is still a comment in SQLite,
        // PostgreSQL, SQL Server and Oracle (and at the end of a MySQL query).
        let dashes = matches!((at(j), at(j + 1)), (Some(Token::Minus), Some(Token::Minus)));
        if at(j).is_some_and(is_comment) || dashes {
            offer(
                10,
                Class::CommentTruncation,
                span(0, j + 1 + usize::from(dashes)),
            );
        }
    }
    best.map(|(_, c, s)| (c, s))
}
