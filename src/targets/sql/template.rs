//! Query templates with typed holes: parsing, binding, the two outputs
//! (parameterized and rendered) and the structure guard.

use std::collections::BTreeMap;
use std::fmt;

use sqlparser::ast::Statement;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer, Whitespace};

use super::dialect::Dialect;
use super::error::SqlError;
use super::plant;
use super::{MAX_DEPTH, MAX_HOLES, MAX_QUERY_LEN, MAX_TEMPLATE_LEN, RECURSION_LIMIT};
use crate::plant::active;

/// The escape character LIKE-pattern holes declare (`ESCAPE '!'`): not a
/// quote and not a backslash, so it needs no escaping in any dialect's
/// string literal.
pub const LIKE_ESCAPE: char = '!';

/// How a LIKE-pattern hole matches its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LikeMode {
    /// `{name:like}`: the column contains the value.
    Contains,
    /// `{name:prefix}`: the column starts with the value.
    Prefix,
}

/// The kind of a template hole.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HoleKind {
    /// `?`: one value (a literal or a bound parameter).
    Value,
    /// `{name}`: one identifier (quoted for the dialect; allowlist optional).
    Ident,
    /// `{name:dir}`: `ASC` or `DESC`.
    Dir,
    /// `{name:like}` / `{name:prefix}`: a LIKE pattern built from a value
    /// with its wildcards escaped, followed by `ESCAPE '!'`.
    Like(LikeMode),
}

impl HoleKind {
    fn name(self) -> &'static str {
        match self {
            HoleKind::Value => "a value",
            HoleKind::Ident => "an identifier",
            HoleKind::Dir => "a direction",
            HoleKind::Like(_) => "a LIKE substring",
        }
    }
}

/// One hole of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hole {
    /// Its name (`None` for `?`).
    pub name: Option<String>,
    /// Its kind.
    pub kind: HoleKind,
    /// Byte offset in the template text.
    pub at: usize,
}

/// A value for a `?` hole.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// SQL `NULL`.
    Null,
    /// A 64-bit integer.
    Int(i64),
    /// A finite double.
    Real(f64),
    /// UTF-8 text.
    Text(String),
}

impl Value {
    fn kind(&self) -> &'static str {
        "a value"
    }
}

/// `ASC` or `DESC`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `ASC`.
    Asc,
    /// `DESC`.
    Desc,
}

/// The argument for one hole, in template order.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// For a `?` hole.
    Value(Value),
    /// For a `{name}` hole.
    Ident(String),
    /// For a `{name:dir}` hole.
    Dir(Direction),
    /// For a `{name:like}` or `{name:prefix}` hole: the literal substring.
    Like(String),
}

impl Arg {
    fn kind(&self) -> &'static str {
        match self {
            Arg::Value(v) => v.kind(),
            Arg::Ident(_) => "an identifier",
            Arg::Dir(_) => "a direction",
            Arg::Like(_) => "a LIKE substring",
        }
    }
}

/// A parameterized query: SQL with the dialect's placeholders and the
/// values to bind, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameterized {
    /// The SQL text.
    pub sql: String,
    /// The parameters, in placeholder order.
    pub params: Vec<Value>,
}

/// What [`Template::admits`] found in an admitted query: the text that
/// fills each hole, as written in the query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Admitted {
    /// One entry per hole: the filling tokens' source text.
    pub fills: Vec<String>,
}

#[derive(Clone, Debug)]
enum Seg {
    Text(String),
    Hole(usize),
}

#[derive(Clone, Debug)]
enum TTok {
    Tok(Token),
    Hole(usize),
}

/// A parsed query template with typed holes.
///
/// Syntax: `?` is a value hole; `{name}` an identifier hole; `{name:dir}`
/// a direction hole; `{name:like}` / `{name:prefix}` a LIKE-pattern hole
/// that expands to `<pattern> ESCAPE '!'`. Holes are recognised by
/// sqlparser's tokenizer, so a `?` inside a string literal or a comment is
/// text. The template must parse as exactly one statement.
///
/// ```
/// use secfuzz::sql::{Arg, Dialect, Direction, Template, Value};
/// let t = Template::parse(Dialect::Sqlite,
///     "SELECT id FROM users WHERE name = ? ORDER BY {col} {dir:dir} LIMIT ?").unwrap()
///     .allow("col", ["name", "created"]);
/// let args = [
///     Arg::Value(Value::Text("O'Brien".into())),
///     Arg::Ident("created".into()),
///     Arg::Dir(Direction::Desc),
///     Arg::Value(Value::Int(10)),
/// ];
/// assert_eq!(t.render(&args).unwrap(),
///     r#"SELECT id FROM users WHERE name = 'O''Brien' ORDER BY "created" DESC LIMIT 10"#);
/// let p = t.parameterized(&args).unwrap();
/// assert_eq!(p.sql, r#"SELECT id FROM users WHERE name = ?1 ORDER BY "created" DESC LIMIT ?2"#);
/// assert!(t.admits(&t.render(&args).unwrap()).is_ok());
/// assert!(t.admits("SELECT id FROM users WHERE name = '' OR 1=1 ORDER BY created DESC LIMIT 10").is_err());
/// ```
#[derive(Clone, Debug)]
pub struct Template {
    dialect: Dialect,
    text: String,
    segs: Vec<Seg>,
    holes: Vec<Hole>,
    tokens: Vec<TTok>,
    allow: BTreeMap<String, Vec<String>>,
}

/// Maps sqlparser's (line, column) locations to byte offsets.
struct Offsets {
    line_starts: Vec<usize>,
    text_len: usize,
}

impl Offsets {
    fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Offsets {
            line_starts,
            text_len: text.len(),
        }
    }

    /// Byte offset of a 1-based (line, column-in-chars) location.
    fn at(&self, text: &str, line: u64, column: u64) -> usize {
        let Some(&start) = usize::try_from(line)
            .ok()
            .and_then(|l| l.checked_sub(1))
            .and_then(|l| self.line_starts.get(l))
        else {
            return self.text_len;
        };
        let col = usize::try_from(column)
            .unwrap_or(usize::MAX)
            .saturating_sub(1);
        text[start..]
            .char_indices()
            .nth(col)
            .map_or(self.text_len, |(i, _)| start + i)
    }
}

/// Tokenize `text`, keeping byte ranges; whitespace and comments dropped.
fn lex(dialect: Dialect, text: &str) -> Result<Vec<(Token, usize, usize)>, SqlError> {
    let toks: Vec<TokenWithSpan> = Tokenizer::new(dialect.parser(), text)
        .tokenize_with_location()
        .map_err(|e| SqlError::Tokenize {
            message: e.to_string(),
        })?;
    let offsets = Offsets::new(text);
    // Columns are counted from each line start; walking tokens in order
    // keeps this linear for one-line texts.
    let mut out = Vec::with_capacity(toks.len());
    let mut cursor = (0u64, 0u64, 0usize); // line, column, byte
    let mut locate = |line: u64, column: u64| -> usize {
        if line == cursor.0 && column >= cursor.1 {
            let skip = usize::try_from(column - cursor.1).unwrap_or(usize::MAX);
            let b = text[cursor.2..]
                .char_indices()
                .nth(skip)
                .map_or(text.len(), |(i, _)| cursor.2 + i);
            cursor = (line, column, b);
            b
        } else {
            let b = offsets.at(text, line, column);
            cursor = (line, column, b);
            b
        }
    };
    let mut depth = 0usize;
    for t in toks {
        if matches!(t.token, Token::Whitespace(_) | Token::EOF) {
            continue;
        }
        match t.token {
            Token::LParen | Token::LBracket | Token::LBrace => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(SqlError::TooDeep {
                        depth,
                        max: MAX_DEPTH,
                    });
                }
            }
            Token::RParen | Token::RBracket | Token::RBrace => depth = depth.saturating_sub(1),
            _ => {}
        }
        let s = locate(t.span.start.line, t.span.start.column);
        let e = locate(t.span.end.line, t.span.end.column);
        out.push((t.token, s, e.max(s)));
    }
    Ok(out)
}

/// Parse `text` as statements with the recursion limit set.
pub(crate) fn parse_statements(dialect: Dialect, text: &str) -> Result<Vec<Statement>, SqlError> {
    Parser::new(dialect.parser())
        .with_recursion_limit(RECURSION_LIMIT)
        .try_with_sql(text)
        .and_then(|mut p| p.parse_statements())
        .map_err(|e| SqlError::Parse {
            message: e.to_string(),
        })
}

fn is_ws(t: &Token) -> bool {
    matches!(
        t,
        Token::Whitespace(Whitespace::Space | Whitespace::Newline | Whitespace::Tab)
    )
}

impl Template {
    /// Parse a template (syntax in the type's documentation).
    ///
    /// # Errors
    ///
    /// [`SqlError::TooLarge`] beyond [`MAX_TEMPLATE_LEN`](super::MAX_TEMPLATE_LEN),
    /// [`SqlError::TooDeep`], [`SqlError::Tokenize`], [`SqlError::BadHole`],
    /// [`SqlError::ForeignPlaceholder`], [`SqlError::TooManyHoles`],
    /// [`SqlError::Parse`] or [`SqlError::NotOneStatement`] when the
    /// template with its holes filled is not exactly one statement.
    pub fn parse(dialect: Dialect, text: &str) -> Result<Template, SqlError> {
        if text.len() > MAX_TEMPLATE_LEN {
            return Err(SqlError::TooLarge {
                what: "template",
                len: text.len(),
                max: MAX_TEMPLATE_LEN,
            });
        }
        let toks = lex(dialect, text)?;
        let mut segs = Vec::new();
        let mut holes = Vec::new();
        let mut tokens = Vec::new();
        let mut copied = 0usize;
        let mut i = 0;
        while i < toks.len() {
            let (tok, s, e) = &toks[i];
            let hole = match tok {
                // `?` is a placeholder token, or (PostgreSQL) the jsonb operator token.
                Token::Placeholder(p) if p == "?" => Some((None, HoleKind::Value, *e, 1)),
                Token::Question => Some((None, HoleKind::Value, *e, 1)),
                Token::Placeholder(p) => {
                    return Err(SqlError::ForeignPlaceholder { text: p.clone() })
                }
                Token::LBrace => Some(Self::brace_hole(&toks[i..], *s)?),
                Token::Colon | Token::AtSign if matches!(toks.get(i + 1), Some((Token::Word(w), ws, _)) if *ws == *e && w.quote_style.is_none()) => {
                    return Err(SqlError::ForeignPlaceholder {
                        text: text[*s..toks[i + 1].2].to_owned(),
                    })
                }
                _ => None,
            };
            match hole {
                Some((name, kind, end, used)) => {
                    if holes.len() == MAX_HOLES {
                        return Err(SqlError::TooManyHoles { max: MAX_HOLES });
                    }
                    segs.push(Seg::Text(text[copied..*s].to_owned()));
                    segs.push(Seg::Hole(holes.len()));
                    tokens.push(TTok::Hole(holes.len()));
                    holes.push(Hole { name, kind, at: *s });
                    copied = end;
                    i += used;
                }
                None => {
                    tokens.push(TTok::Tok(tok.clone()));
                    i += 1;
                }
            }
        }
        segs.push(Seg::Text(text[copied..].to_owned()));
        let t = Template {
            dialect,
            text: text.to_owned(),
            segs,
            holes,
            tokens,
            allow: BTreeMap::new(),
        };
        // The template with sample fills must be one statement.
        let probe = t.probe()?;
        let stmts = parse_statements(dialect, &probe)?;
        if stmts.len() != 1 {
            return Err(SqlError::NotOneStatement { count: stmts.len() });
        }
        Ok(t)
    }

    /// `{name}`, `{name:kind}` starting at `toks[0]` (a `{`): name, kind,
    /// end byte, tokens used.
    fn brace_hole(
        toks: &[(Token, usize, usize)],
        at: usize,
    ) -> Result<(Option<String>, HoleKind, usize, usize), SqlError> {
        let bad = |detail: &str| SqlError::BadHole {
            at,
            detail: detail.to_owned(),
        };
        let name = match toks.get(1) {
            Some((Token::Word(w), _, _)) if w.quote_style.is_none() => w.value.clone(),
            _ => return Err(bad("expected a name after {")),
        };
        let (kind, used) = match toks.get(2) {
            Some((Token::RBrace, _, _)) => (HoleKind::Ident, 3),
            Some((Token::Colon, _, _)) => match (toks.get(3), toks.get(4)) {
                (Some((Token::Word(k), _, _)), Some((Token::RBrace, _, _))) => (
                    Self::kind_named(&k.value).ok_or_else(|| bad("unknown hole kind"))?,
                    5,
                ),
                _ => return Err(bad("expected {name:kind}")),
            },
            Some((Token::Placeholder(p), _, _)) if p.starts_with(':') => match toks.get(3) {
                Some((Token::RBrace, _, _)) => (
                    Self::kind_named(&p[1..]).ok_or_else(|| bad("unknown hole kind"))?,
                    4,
                ),
                _ => return Err(bad("expected }")),
            },
            _ => return Err(bad("expected } or :kind}")),
        };
        let end = toks[used - 1].2;
        Ok((Some(name), kind, end, used))
    }

    fn kind_named(k: &str) -> Option<HoleKind> {
        Some(match k.to_ascii_lowercase().as_str() {
            "dir" => HoleKind::Dir,
            "like" => HoleKind::Like(LikeMode::Contains),
            "prefix" => HoleKind::Like(LikeMode::Prefix),
            "ident" => HoleKind::Ident,
            _ => return None,
        })
    }

    /// Restrict identifier hole `name` to exactly the identifiers in
    /// `allowed` (compared byte for byte, then quoted). Without an
    /// allowlist any identifier the dialect can quote is accepted.
    pub fn allow<I, S>(mut self, name: &str, allowed: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.allow.insert(
            name.to_owned(),
            allowed.into_iter().map(Into::into).collect(),
        );
        self
    }

    /// The template's dialect.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The template text as given.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The holes, in order.
    pub fn holes(&self) -> &[Hole] {
        &self.holes
    }

    /// The allowlist of identifier hole `name`, if any.
    pub fn allowlist(&self, name: &str) -> Option<&[String]> {
        self.allow.get(name).map(Vec::as_slice)
    }

    fn probe(&self) -> Result<String, SqlError> {
        let args: Vec<Arg> = self
            .holes
            .iter()
            .map(|h| match h.kind {
                HoleKind::Value => Arg::Value(Value::Int(1)),
                HoleKind::Ident => Arg::Ident("c".into()),
                HoleKind::Dir => Arg::Dir(Direction::Asc),
                HoleKind::Like(_) => Arg::Like("x".into()),
            })
            .collect();
        self.fill(&args, None)
    }

    fn check_args(&self, args: &[Arg]) -> Result<(), SqlError> {
        if args.len() != self.holes.len() {
            return Err(SqlError::ArgCount {
                expected: self.holes.len(),
                got: args.len(),
            });
        }
        for (i, (h, a)) in self.holes.iter().zip(args).enumerate() {
            let ok = matches!(
                (h.kind, a),
                (HoleKind::Value, Arg::Value(_))
                    | (HoleKind::Ident, Arg::Ident(_))
                    | (HoleKind::Dir, Arg::Dir(_))
                    | (HoleKind::Like(_), Arg::Like(_))
            );
            if !ok {
                return Err(SqlError::ArgKind {
                    hole: i,
                    expected: h.kind.name(),
                    got: a.kind(),
                });
            }
        }
        Ok(())
    }

    fn ident(&self, hole: &Hole, ident: &str) -> Result<String, SqlError> {
        if let Some(allowed) = hole.name.as_ref().and_then(|n| self.allow.get(n)) {
            let ok = allowed.iter().any(|a| {
                if active(plant::ALLOWLIST_PREFIX) {
                    ident.starts_with(a.as_str())
                } else {
                    a == ident
                }
            });
            if !ok {
                return Err(SqlError::NotAllowed {
                    hole: hole.name.clone().unwrap_or_default(),
                    ident: ident.chars().take(80).collect(),
                });
            }
        }
        self.dialect.quote_ident(ident)
    }

    /// The template with every hole filled: literals when `params` is
    /// `None`, placeholders (pushing the values) otherwise.
    fn fill(&self, args: &[Arg], mut params: Option<&mut Vec<Value>>) -> Result<String, SqlError> {
        self.check_args(args)?;
        let mut out = String::with_capacity(self.text.len() + 16 * args.len());
        for seg in &self.segs {
            let i = match seg {
                Seg::Text(t) => {
                    out.push_str(t);
                    continue;
                }
                Seg::Hole(i) => *i,
            };
            let hole = &self.holes[i];
            match (&args[i], hole.kind) {
                (Arg::Value(v), _) => match params.as_deref_mut() {
                    Some(p) => {
                        p.push(v.clone());
                        out.push_str(&self.dialect.placeholder(p.len()));
                    }
                    None => out.push_str(&literal(self.dialect, v)?),
                },
                (Arg::Ident(id), _) => out.push_str(&self.ident(hole, id)?),
                (Arg::Dir(d), _) => out.push_str(match d {
                    Direction::Asc => "ASC",
                    Direction::Desc => "DESC",
                }),
                (Arg::Like(s), HoleKind::Like(mode)) => {
                    let pattern = like_pattern(s, mode);
                    match params.as_deref_mut() {
                        Some(p) => {
                            p.push(Value::Text(pattern));
                            out.push_str(&self.dialect.placeholder(p.len()));
                        }
                        None => out.push_str(&self.dialect.text_literal(&pattern)?),
                    }
                    out.push_str(" ESCAPE '");
                    out.push(LIKE_ESCAPE);
                    out.push('\'');
                }
                (Arg::Like(_), _) => unreachable!("check_args matched kinds"),
            }
        }
        Ok(out)
    }

    /// The query with every value bound as a parameter (identifiers quoted,
    /// directions and LIKE `ESCAPE` clauses written out).
    ///
    /// # Errors
    ///
    /// [`SqlError::ArgCount`], [`SqlError::ArgKind`],
    /// [`SqlError::NotAllowed`], [`SqlError::BadIdentifier`].
    pub fn parameterized(&self, args: &[Arg]) -> Result<Parameterized, SqlError> {
        let mut params = Vec::new();
        let sql = self.fill(args, Some(&mut params))?;
        Ok(Parameterized { sql, params })
    }

    /// The query with every value written as a literal of the dialect.
    ///
    /// # Errors
    ///
    /// As [`Template::parameterized`], plus [`SqlError::Unrenderable`] and
    /// [`SqlError::TooLarge`] for values without an exact literal.
    pub fn render(&self, args: &[Arg]) -> Result<String, SqlError> {
        self.fill(args, None)
    }

    /// The structure guard: `Ok` only if `query`'s sqlparser AST equals the
    /// template's with every hole filled by exactly one literal (value
    /// holes; `-` and parentheses around a number allowed), one identifier
    /// (allowlisted if the hole has a list), `ASC`/`DESC`, or one string
    /// literal plus `ESCAPE` and one string literal (LIKE holes).
    ///
    /// The query's tokens (whitespace and comments dropped, keywords
    /// compared case-insensitively) are aligned with the template's to find
    /// each hole's filling; the template is then filled with exactly that
    /// text and both are parsed: the two ASTs must be equal.
    ///
    /// # Errors
    ///
    /// [`SqlError::NotAdmitted`] naming the first departure, or the size,
    /// depth, tokenizer and parser errors of the query.
    pub fn admits(&self, query: &str) -> Result<Admitted, SqlError> {
        if query.len() > MAX_QUERY_LEN {
            return Err(SqlError::TooLarge {
                what: "query",
                len: query.len(),
                max: MAX_QUERY_LEN,
            });
        }
        let q = lex(self.dialect, query)?;
        let no = |reason: String| SqlError::NotAdmitted { reason };
        let mut fills: Vec<(usize, usize)> = Vec::with_capacity(self.holes.len());
        let mut j = 0usize;
        for (ti, tt) in self.tokens.iter().enumerate() {
            match tt {
                TTok::Tok(t) => match q.get(j) {
                    Some((qt, _, _)) if same_token(t, qt) => j += 1,
                    Some((qt, s, _)) => {
                        return Err(no(format!("expected {t} at byte {s}, found {qt}")))
                    }
                    None => return Err(no(format!("query ends where the template has {t}"))),
                },
                TTok::Hole(h) => {
                    let hole = &self.holes[*h];
                    let used = if active(plant::GUARD_GREEDY) && hole.kind == HoleKind::Value {
                        let next = self.tokens.get(ti + 1);
                        let mut k = 0;
                        while let Some((qt, _, _)) = q.get(j + k) {
                            if matches!(next, Some(TTok::Tok(n)) if same_token(n, qt)) {
                                break;
                            }
                            k += 1;
                        }
                        k
                    } else {
                        hole_fill(hole.kind, &q[j..])
                    };
                    if used == 0 {
                        let at = q.get(j).map_or(query.len(), |t| t.1);
                        return Err(no(format!(
                            "hole {h} takes {} at byte {at}",
                            hole.kind.name()
                        )));
                    }
                    let (s, e) = (q[j].1, q[j + used - 1].2);
                    if hole.kind == HoleKind::Ident {
                        if let (Some(allowed), Token::Word(w)) =
                            (hole.name.as_ref().and_then(|n| self.allow.get(n)), &q[j].0)
                        {
                            if !allowed.contains(&w.value) {
                                return Err(no(format!(
                                    "identifier {:?} is not allowed in hole {h}",
                                    w.value
                                )));
                            }
                        }
                    }
                    fills.push((s, e));
                    j += used;
                }
            }
        }
        if let Some((qt, s, _)) = q.get(j) {
            return Err(no(format!("extra {qt} at byte {s}")));
        }
        // The template filled with exactly the query's fillings must parse
        // to the same AST as the query.
        let mut filled = String::with_capacity(query.len());
        for seg in &self.segs {
            match seg {
                Seg::Text(t) => filled.push_str(t),
                Seg::Hole(i) => filled.push_str(&query[fills[*i].0..fills[*i].1]),
            }
        }
        let a = parse_statements(self.dialect, query)?;
        let b = parse_statements(self.dialect, &filled)?;
        if a.len() != 1 {
            return Err(SqlError::NotOneStatement { count: a.len() });
        }
        if a != b {
            return Err(no(
                "its syntax tree differs from the filled template's".into()
            ));
        }
        Ok(Admitted {
            fills: fills.iter().map(|&(s, e)| query[s..e].to_owned()).collect(),
        })
    }
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Whether two tokens are the same template token: unquoted words compare
/// case-insensitively, everything else exactly.
fn same_token(a: &Token, b: &Token) -> bool {
    match (a, b) {
        (Token::Word(x), Token::Word(y)) if x.quote_style.is_none() && y.quote_style.is_none() => {
            x.value.eq_ignore_ascii_case(&y.value)
        }
        (x, y) if is_ws(x) || is_ws(y) => false,
        (x, y) => x == y,
    }
}

fn is_literal(t: &Token) -> bool {
    matches!(
        t,
        Token::Number(..)
            | Token::SingleQuotedString(_)
            | Token::DoubleQuotedString(_)
            | Token::EscapedStringLiteral(_)
            | Token::NationalStringLiteral(_)
            | Token::DollarQuotedString(_)
            | Token::HexStringLiteral(_)
            | Token::UnicodeStringLiteral(_)
    )
}

fn is_string(t: &Token) -> bool {
    is_literal(t) && !matches!(t, Token::Number(..))
}

fn word_is(t: &Token, kw: &str) -> bool {
    matches!(t, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(kw))
}

/// How many of `q`'s first tokens fill one hole of `kind` (0: none do).
fn hole_fill(kind: HoleKind, q: &[(Token, usize, usize)]) -> usize {
    let t = |i: usize| q.get(i).map(|x| &x.0);
    match kind {
        HoleKind::Value => match (t(0), t(1), t(2), t(3)) {
            (
                Some(Token::LParen),
                Some(Token::Minus),
                Some(Token::Number(..)),
                Some(Token::RParen),
            ) => 4,
            (Some(Token::Minus), Some(Token::Number(..)), _, _) => 2,
            (Some(x), _, _, _) if is_literal(x) => 1,
            (Some(x), _, _, _) if ["NULL", "TRUE", "FALSE"].iter().any(|k| word_is(x, k)) => 1,
            _ => 0,
        },
        HoleKind::Ident => match t(0) {
            Some(Token::Word(_)) => 1,
            _ => 0,
        },
        HoleKind::Dir => match t(0) {
            Some(x) if word_is(x, "ASC") || word_is(x, "DESC") => 1,
            _ => 0,
        },
        HoleKind::Like(_) => match (t(0), t(1), t(2)) {
            (Some(a), Some(e), Some(c)) if is_string(a) && word_is(e, "ESCAPE") && is_string(c) => {
                3
            }
            _ => 0,
        },
    }
}

/// A value's literal in `dialect`.
pub(crate) fn literal(dialect: Dialect, v: &Value) -> Result<String, SqlError> {
    let negative = |digits: String| {
        if active(plant::NEGATIVE_BARE) {
            format!("-{digits}")
        } else {
            format!("(-{digits})")
        }
    };
    Ok(match v {
        Value::Null => "NULL".to_owned(),
        Value::Int(n) if *n >= 0 => n.to_string(),
        Value::Int(i64::MIN) if !active(plant::I64_MIN) => {
            return Err(SqlError::Unrenderable {
                dialect: dialect.name(),
                reason: "-9223372036854775808 has no integer literal (its digits overflow to a float)",
            })
        }
        Value::Int(n) => negative(n.unsigned_abs().to_string()),
        Value::Real(x) if !x.is_finite() => {
            return Err(SqlError::Unrenderable {
                dialect: dialect.name(),
                reason: "not a finite number",
            })
        }
        Value::Real(x) if matches!(dialect, Dialect::Sqlite | Dialect::Generic) && !sqlite_exact(*x) => {
            return Err(SqlError::Unrenderable {
                dialect: dialect.name(),
                reason: "SQLite reads decimal literals exactly only up to 15 significant digits and 10^±22: bind this number as a parameter",
            })
        }
        Value::Real(x) if x.is_sign_negative() => negative(format!("{:?}", -x)),
        Value::Real(x) => format!("{x:?}"),
        Value::Text(s) => dialect.text_literal(s)?,
    })
}

/// The LIKE pattern matching `s` literally (`mode` decides the wildcards
/// around it), with `!` as the escape character.
pub fn like_pattern(s: &str, mode: LikeMode) -> String {
    let mut p = String::with_capacity(s.len() + 4);
    if mode == LikeMode::Contains {
        p.push('%');
    }
    for c in s.chars() {
        match c {
            '%' | LIKE_ESCAPE => p.push(LIKE_ESCAPE),
            '_' if !active(plant::LIKE_UNDERSCORE) => p.push(LIKE_ESCAPE),
            _ => {}
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// Whether SQLite reads the shortest decimal form of `x` back exactly:
/// its decimal-to-binary conversion is not correctly rounded in general
/// (the SQLite oracle found literals one ulp off), but a significand of at
/// most 15 digits scaled by at most 10^±22 is exact (the fast path every
/// correct reader shares; measured on SQLite 3.50).
fn sqlite_exact(x: f64) -> bool {
    let s = format!("{:e}", x.abs());
    let Some((mant, exp)) = s.split_once('e') else {
        return false;
    };
    let digits = mant.chars().filter(char::is_ascii_digit).count();
    let Ok(exp) = exp.parse::<i32>() else {
        return false;
    };
    let scale = exp - (digits as i32 - 1);
    digits <= 15 && (-22..=22).contains(&scale)
}
