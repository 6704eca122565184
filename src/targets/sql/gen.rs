//! Adversarial inputs for the sql target: a template from a small grammar,
//! arguments from an injection grammar mixed with arbitrary text, a dialect,
//! and a *splice* — the legacy string-building mistake the guard must trip
//! on. `Debug` starts with the attacker's value.

use std::fmt;

use arbitrary::{Arbitrary, Unstructured};

use super::dialect::Dialect;
use super::template::{Arg, Direction, HoleKind, Template, Value};

/// The allowlist of the `{col}` hole in generated templates.
pub const ALLOWED_COLUMNS: &[&str] = &["id", "name", "score"];

/// One piece of an injected value.
#[derive(Arbitrary, Clone, Debug)]
pub enum Piece {
    /// A quote or look-alike.
    Quote(QuoteForm),
    /// `\`, `\\`, `\'`, `\"`, `\0`, `\Z`, `\x27`.
    Backslash(u8),
    /// `--`, `-- `, `#`, `/*`, `*/`, `/*!`, `;`.
    Comment(u8),
    /// An injection fragment, in a chosen letter case.
    Fragment(Fragment, Case),
    /// NUL, CR, LF, TAB, ^Z, U+00A0, U+2028, a BOM.
    Control(u8),
    /// A GBK-like lead byte's UTF-8 look (`¿`, `Ä`, `ß`) followed by a backslash and a quote.
    Multibyte(u8),
    /// `$$`, `$tag$`, `$1`.
    Dollar(u8),
    /// `%`, `_`, `!`, `[`: LIKE metacharacters and the escape character.
    Wildcard(u8),
    /// Free text.
    Text(String),
    /// A number spelled as text: edge values, scientific notation, hex.
    Number(NumberForm),
}

/// Quote characters and look-alikes.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum QuoteForm {
    /// `'`
    Single,
    /// `"`
    Double,
    /// `` ` ``
    Backtick,
    /// `''`
    Doubled,
    /// U+02BC modifier letter apostrophe.
    ModifierApostrophe,
    /// U+FF07 fullwidth apostrophe.
    Fullwidth,
    /// U+2019 right single quotation mark.
    Curly,
    /// U+FF02 fullwidth quotation mark.
    FullwidthDouble,
}

/// Letter case of a fragment.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Case {
    /// As written.
    Upper,
    /// Lowercase.
    Lower,
    /// Alternating.
    Mixed,
}

/// Injection fragments.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Fragment {
    /// `OR 1=1`
    Or11,
    /// `OR 'a'='a`
    OrStrings,
    /// `UNION SELECT NULL,NULL`
    Union,
    /// `; DROP TABLE users`
    Drop,
    /// `AND SLEEP(5)`
    Sleep,
    /// `ORDER BY 3`
    OrderBy,
    /// `AND 1=2`
    And12,
    /// `|| 'x'`
    Concat,
    /// `OR name LIKE '%'`
    OrLike,
}

/// Numbers as text.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum NumberForm {
    /// `9223372036854775807`, `-9223372036854775808`, `9223372036854775808`.
    Edge(u8),
    /// `1e308`, `1E-7`, `-0.0`, `.5`, `5.`.
    Scientific(u8),
    /// `0x27`, `x'27'`, `0b1`.
    Hex(u8),
}

impl Piece {
    fn push(&self, out: &mut String) {
        match self {
            Piece::Quote(q) => out.push_str(match q {
                QuoteForm::Single => "'",
                QuoteForm::Double => "\"",
                QuoteForm::Backtick => "`",
                QuoteForm::Doubled => "''",
                QuoteForm::ModifierApostrophe => "\u{2bc}",
                QuoteForm::Fullwidth => "\u{ff07}",
                QuoteForm::Curly => "\u{2019}",
                QuoteForm::FullwidthDouble => "\u{ff02}",
            }),
            Piece::Backslash(b) => out.push_str(
                ["\\", "\\\\", "\\'", "\\\"", "\\0", "\\Z", "\\x27", "\\'\\'"][usize::from(*b % 8)],
            ),
            Piece::Comment(c) => out
                .push_str(["--", "-- ", "#", "/*", "*/", "/*!", ";", "--\n"][usize::from(*c % 8)]),
            Piece::Fragment(f, case) => {
                let s = match f {
                    Fragment::Or11 => " OR 1=1",
                    Fragment::OrStrings => " OR 'a'='a",
                    Fragment::Union => " UNION SELECT NULL,NULL",
                    Fragment::Drop => "; DROP TABLE users",
                    Fragment::Sleep => " AND SLEEP(5)",
                    Fragment::OrderBy => " ORDER BY 3",
                    Fragment::And12 => " AND 1=2",
                    Fragment::Concat => " || 'x'",
                    Fragment::OrLike => " OR name LIKE '%'",
                };
                match case {
                    Case::Upper => out.push_str(s),
                    Case::Lower => out.push_str(&s.to_lowercase()),
                    Case::Mixed => out.extend(s.chars().enumerate().map(|(i, c)| {
                        if i % 2 == 0 {
                            c.to_ascii_lowercase()
                        } else {
                            c
                        }
                    })),
                }
            }
            Piece::Control(c) => out.push_str(
                [
                    "\0", "\r", "\n", "\t", "\u{1a}", "\u{a0}", "\u{2028}", "\u{feff}",
                ][usize::from(*c % 8)],
            ),
            Piece::Multibyte(m) => out
                .push_str(["\u{bf}\\'", "\u{c4}\\'", "\u{df}\\'", "\u{8bf}'"][usize::from(*m % 4)]),
            Piece::Dollar(d) => out.push_str(["$$", "$tag$", "$1", "$"][usize::from(*d % 4)]),
            Piece::Wildcard(w) => {
                out.push_str(["%", "_", "!", "[", "!%", "\\%", "!_"][usize::from(*w % 7)])
            }
            Piece::Text(t) => out.push_str(t),
            Piece::Number(n) => out.push_str(match n {
                NumberForm::Edge(e) => [
                    "9223372036854775807",
                    "-9223372036854775808",
                    "9223372036854775808",
                    "-1",
                    "0",
                ][usize::from(*e % 5)],
                NumberForm::Scientific(e) => {
                    ["1e308", "1E-7", "-0.0", ".5", "5.", "1e999"][usize::from(*e % 6)]
                }
                NumberForm::Hex(e) => ["0x27", "x'27'", "0b1", "0x"][usize::from(*e % 4)],
            }),
        }
    }
}

/// A text value: benign text or injection pieces.
#[derive(Arbitrary, Clone, Debug)]
pub enum TextGen {
    /// Benign text from a fixed list (names with apostrophes, prose).
    Benign(u8),
    /// Injection pieces.
    Pieces(Vec<Piece>),
}

const BENIGN: &[&str] = &[
    "O'Brien",
    "D'Angelo",
    "Ng",
    "Zoë",
    "it's fine",
    "rock 'n' roll",
    "5 o'clock",
    "see -- above",
    "C:\\Users\\me",
    "50% off",
    "snake_case",
    "a \"quoted\" word",
    "Mary-Jane",
    "select one",
    "drop by later",
    "union station",
    "",
];

impl TextGen {
    /// The text.
    pub fn text(&self) -> String {
        match self {
            TextGen::Benign(i) => BENIGN[usize::from(*i) % BENIGN.len()].to_owned(),
            TextGen::Pieces(p) => {
                let mut s = String::new();
                for piece in p.iter().take(24) {
                    piece.push(&mut s);
                }
                s
            }
        }
    }
}

/// A value for a `?` hole.
#[derive(Arbitrary, Clone, Debug)]
pub enum ValueGen {
    /// Text.
    Text(TextGen),
    /// An integer (edge values likely).
    Int(IntGen),
    /// A double.
    Real(f64),
    /// NULL.
    Null,
}

/// Integers, edge values first.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum IntGen {
    /// `i64::MIN`, `i64::MAX`, `-1`, `0`, `1`, `i32` bounds.
    Edge(u8),
    /// Any.
    Any(i64),
}

impl ValueGen {
    /// The value.
    pub fn value(&self) -> Value {
        match self {
            ValueGen::Text(t) => Value::Text(t.text()),
            ValueGen::Int(IntGen::Edge(e)) => Value::Int(
                [
                    i64::MIN,
                    i64::MAX,
                    -1,
                    0,
                    1,
                    i64::from(i32::MIN),
                    i64::from(i32::MAX),
                    -5,
                ][usize::from(*e % 8)],
            ),
            ValueGen::Int(IntGen::Any(n)) => Value::Int(*n),
            ValueGen::Real(x) => Value::Real(*x),
            ValueGen::Null => Value::Null,
        }
    }
}

/// An identifier for a `{name}` hole: allowlisted names and their near misses.
#[derive(Arbitrary, Clone, Debug)]
pub enum IdentGen {
    /// An allowlisted column.
    Allowed(u8),
    /// A near miss of an allowlisted column.
    NearMiss(u8, NearMiss),
    /// Pieces (quotes, comments, fragments).
    Pieces(Vec<Piece>),
}

/// How a near miss departs from an allowed name.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum NearMiss {
    /// One character fewer.
    Prefix,
    /// One character more.
    Extend,
    /// Uppercase.
    Upper,
    /// Fullwidth letters.
    Fullwidth,
    /// A trailing space.
    Space,
    /// A quote in the middle.
    Quote,
    /// A backtick in the middle.
    Backtick,
    /// An invisible character appended.
    Invisible,
}

impl IdentGen {
    /// The identifier.
    pub fn ident(&self) -> String {
        let base = |i: &u8| ALLOWED_COLUMNS[usize::from(*i) % ALLOWED_COLUMNS.len()];
        match self {
            IdentGen::Allowed(i) => base(i).to_owned(),
            IdentGen::NearMiss(i, m) => {
                let b = base(i);
                match m {
                    NearMiss::Prefix => b[..b.len() - 1].to_owned(),
                    NearMiss::Extend => format!("{b}s"),
                    NearMiss::Upper => b.to_uppercase(),
                    NearMiss::Fullwidth => b
                        .chars()
                        .map(|c| char::from_u32(c as u32 + 0xfee0).unwrap_or(c))
                        .collect(),
                    NearMiss::Space => format!("{b} "),
                    NearMiss::Quote => format!("{}\"{}", &b[..1], &b[1..]),
                    NearMiss::Backtick => format!("{}`{}", &b[..1], &b[1..]),
                    NearMiss::Invisible => format!("{b}\u{200b}"),
                }
            }
            IdentGen::Pieces(p) => {
                let mut s = String::new();
                for piece in p.iter().take(8) {
                    piece.push(&mut s);
                }
                s
            }
        }
    }
}

/// The condition of a generated template.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Cond {
    /// `name = ?`
    NameEq,
    /// `name LIKE {q:like}`
    Like,
    /// `name LIKE {q:prefix}`
    Prefix,
    /// `score - ? > 0`: a negative value next to a minus.
    Minus,
    /// `(name = ? OR id = ?)`
    Or,
    /// `name IN (?, ?)`
    In,
    /// `score > ? AND name <> ?`
    And,
}

/// A template from the grammar `SELECT {cols} FROM users WHERE {cond}
/// [ORDER BY {col} {dir:dir}] [LIMIT ?]`.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub struct TemplateGen {
    /// The condition.
    pub cond: Cond,
    /// Select an identifier hole instead of fixed columns.
    pub ident_select: bool,
    /// Add `ORDER BY {col} {dir:dir}`.
    pub order: bool,
    /// Add `LIMIT ?`.
    pub limit: bool,
}

impl TemplateGen {
    /// The template text.
    pub fn text(&self) -> String {
        let mut s = String::from("SELECT ");
        s.push_str(if self.ident_select {
            "id, {sel}"
        } else {
            "id, name"
        });
        s.push_str(" FROM users WHERE ");
        s.push_str(match self.cond {
            Cond::NameEq => "name = ?",
            Cond::Like => "name LIKE {q:like}",
            Cond::Prefix => "name LIKE {q:prefix}",
            Cond::Minus => "score - ? > 0",
            Cond::Or => "(name = ? OR id = ?)",
            Cond::In => "name IN (?, ?)",
            Cond::And => "score > ? AND name <> ?",
        });
        if self.order {
            s.push_str(" ORDER BY {col} {dir:dir}");
        }
        if self.limit {
            s.push_str(" LIMIT ?");
        }
        s
    }
}

/// The dialect of an input.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum DialectGen {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
    /// MySQL.
    Mysql,
    /// MySQL, `NO_BACKSLASH_ESCAPES`.
    MysqlNbe,
    /// ANSI.
    Generic,
}

impl DialectGen {
    /// The dialect.
    pub fn dialect(self) -> Dialect {
        match self {
            DialectGen::Sqlite => Dialect::Sqlite,
            DialectGen::Postgres => Dialect::Postgres,
            DialectGen::Mysql => Dialect::Mysql,
            DialectGen::MysqlNbe => Dialect::MysqlNoBackslashEscapes,
            DialectGen::Generic => Dialect::Generic,
        }
    }
}

/// One structured input of the sql target.
#[derive(Clone)]
pub struct SqlInput {
    /// The dialect.
    pub dialect: DialectGen,
    /// The template.
    pub template: TemplateGen,
    /// The attacker's text (first text hole; also the raw payload).
    pub attack: TextGen,
    /// Values for the other value holes.
    pub values: Vec<ValueGen>,
    /// Identifiers for identifier holes.
    pub idents: Vec<IdentGen>,
    /// Directions for direction holes.
    pub desc: bool,
}

impl<'a> Arbitrary<'a> for SqlInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(SqlInput {
            dialect: u.arbitrary()?,
            template: u.arbitrary()?,
            attack: u.arbitrary()?,
            values: (0..4)
                .map(|_| u.arbitrary())
                .collect::<arbitrary::Result<_>>()?,
            idents: (0..2)
                .map(|_| u.arbitrary())
                .collect::<arbitrary::Result<_>>()?,
            desc: u.arbitrary()?,
        })
    }
}

impl SqlInput {
    /// The attacker's text: the raw payload.
    pub fn payload(&self) -> String {
        self.attack.text()
    }

    /// The parsed template (the `{col}` hole allowlisted).
    pub fn template(&self) -> Template {
        Template::parse(self.dialect.dialect(), &self.template.text())
            .expect("the template grammar yields templates that parse")
            .allow("col", ALLOWED_COLUMNS.iter().copied())
    }

    /// Arguments for the template: the attacker's text in the first text
    /// position, the generated values elsewhere.
    pub fn args(&self, t: &Template) -> Vec<Arg> {
        let mut values = self.values.iter();
        let mut idents = self.idents.iter();
        let mut attack_used = false;
        t.holes()
            .iter()
            .map(|h| match h.kind {
                // A hole right after a minus (`score - ?`) takes a number:
                // that is where a negative one could turn into `--`.
                HoleKind::Value if t.text()[..h.at].ends_with("- ") => {
                    Arg::Value(values.next().map_or(Value::Int(-1), ValueGen::value))
                }
                HoleKind::Value if !attack_used => {
                    attack_used = true;
                    Arg::Value(Value::Text(self.payload()))
                }
                HoleKind::Value => Arg::Value(values.next().map_or(Value::Null, ValueGen::value)),
                HoleKind::Like(_) => {
                    attack_used = true;
                    Arg::Like(self.payload())
                }
                HoleKind::Ident => Arg::Ident(idents.next().map_or("id".into(), IdentGen::ident)),
                HoleKind::Dir => Arg::Dir(if self.desc {
                    Direction::Desc
                } else {
                    Direction::Asc
                }),
            })
            .collect()
    }
}

impl fmt::Debug for SqlInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.template();
        f.debug_struct("SqlInput")
            .field("payload", &self.payload())
            .field("dialect", &self.dialect.dialect().name())
            .field("template", &self.template.text())
            .field("args", &self.args(&t))
            .finish()
    }
}
