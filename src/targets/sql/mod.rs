//! SQL: injection-proof query templates with typed holes on `sqlparser`,
//! a structure guard for string-built queries, and a free-text injection
//! detector.
//!
//! # Threat model
//!
//! **Asset.** The meaning of a query: which rows it reads or changes and
//! which statements run. An application builds queries from a fixed shape
//! and user values; whoever controls a value must never change the shape.
//!
//! **Attacker.** Any user value: text with quotes and their look-alikes
//! (U+02BC, U+FF07, U+2019), backslashes, comment openers (`--`, `#`,
//! `/*`), `;`, `UNION`/`OR 1=1` fragments, NUL and control characters,
//! multibyte sequences that swallow a backslash in GBK-like encodings,
//! `$$` tags, numbers at the edges of their types, scientific notation,
//! hex; identifiers (a sort column) with quotes, near misses of allowed
//! names, invisible characters; LIKE substrings full of `%`, `_` and the
//! escape character.
//!
//! **What the target guarantees.**
//!
//! | attack | defence |
//! |---|---|
//! | quote breakout in a value | parameters ([`Template::parameterized`]); or a literal written by the dialect's rules ([`Dialect::text_literal`]) |
//! | backslash tricks (MySQL, PostgreSQL with `standard_conforming_strings = off`) | MySQL escapes `\`; PostgreSQL uses `E''`, meaning the same under either setting; MySQL `NO_BACKSLASH_ESCAPES` is its own dialect |
//! | NUL truncation | refused where the dialect's literal cannot hold NUL ([`SqlError::Unrenderable`]) |
//! | `x - -5` becoming `x --5` (a comment) | negative numbers parenthesized |
//! | `-9223372036854775808` read as a float | refused: no exact integer literal |
//! | identifier injection (`ORDER BY {col}`) | allowlist (exact match) and dialect quoting with the quote doubled; names a dialect would truncate or refuse are refused |
//! | LIKE wildcards widening a search | `%`, `_` and `!` escaped, `ESCAPE '!'` written out |
//! | direction injection | `ASC`/`DESC` only |
//! | a legacy string-built query | [`Template::admits`]: token alignment plus sqlparser AST equality |
//! | deep nesting, huge texts (sqlparser has overflowed its stack) | size caps, a bracket-depth cap before parsing, sqlparser's recursion limit |
//! | free text headed for someone else's string-built query | [`detect`]: flags tautologies, UNION, stacked statements, comment truncation, time-based, out-of-band and error-based calls … |
//!
//! **Out of scope.** The connection's character set (UTF-8 assumed: with
//! GBK-like client encodings only parameters are safe), second-order
//! injection through stored values, and the SQL the application writes
//! itself in the template.
//!
//! # Inputs and oracles
//!
//! [`SqlInput`] draws a dialect, a template from a small grammar, the
//! attacker's value from an injection grammar and further values and
//! identifiers with near misses. [`oracle`] judges every rendering with
//! its own lexer and decoders, the guard against a string-built splice of
//! the same value, real SQLite on a seeded table, and the detector on
//! every text that breaks out of a quote.

mod detect;
mod dialect;
mod error;
pub mod gen;
pub mod oracle;
pub mod plant;
mod template;

pub use detect::{detect, Class, Context, Finding, MAX_DETECT_LEN};
pub use dialect::Dialect;
pub use error::SqlError;
pub use gen::SqlInput;
pub use template::{
    like_pattern, Admitted, Arg, Direction, Hole, HoleKind, LikeMode, Parameterized, Template,
    Value, LIKE_ESCAPE,
};

use crate::engine::contract::{Checker, Invariant, Target, Verdict, Violation};
use crate::engine::options::{OptionError, OptionSpec, Options};
use crate::engine::plant::Plant;

/// Largest template text, in bytes.
pub const MAX_TEMPLATE_LEN: usize = 16 * 1024;
/// Largest query [`Template::admits`] reads, in bytes.
pub const MAX_QUERY_LEN: usize = 256 * 1024;
/// Largest value rendered as a literal, in bytes.
pub const MAX_VALUE_LEN: usize = 64 * 1024;
/// Longest identifier, in bytes (dialects lower it further).
pub const MAX_IDENT_LEN: usize = 128;
/// Most holes in one template.
pub const MAX_HOLES: usize = 256;
/// Deepest bracket nesting read before parsing.
pub const MAX_DEPTH: usize = 48;
/// sqlparser's recursion limit for every parse.
pub const RECURSION_LIMIT: usize = 64;

/// The template `secfuzz check sql` binds each value into by default.
pub const DEFAULT_TEMPLATE: &str = "SELECT id, name FROM users WHERE name = ?";

/// A value's literal in `dialect` (what [`Template::render`] writes).
///
/// # Errors
///
/// [`SqlError::Unrenderable`] and [`SqlError::TooLarge`].
pub fn literal_for(dialect: Dialect, value: &Value) -> Result<String, SqlError> {
    template::literal(dialect, value)
}

/// Whether `sql` parses (recursion limit set) as exactly one statement.
pub fn parses_as_one(dialect: Dialect, sql: &str) -> bool {
    template::parse_statements(dialect, sql).is_ok_and(|s| s.len() == 1)
}

/// The options of `secfuzz check sql`.
pub const OPTIONS: &[OptionSpec] = &[
    OptionSpec::choice("dialect", Dialect::NAMES, "sqlite", "the dialect values are rendered for"),
    OptionSpec::text(
        "template",
        "the template each value is bound into (value and LIKE holes only); default SELECT id, name FROM users WHERE name = ?",
    ),
    OptionSpec::choice("detector", &["on", "off"], "on", "reject values the injection detector flags"),
];

/// What `secfuzz check sql` runs: the detector, then the value bound into
/// every value/LIKE hole of the template and rendered; the rendering judged
/// by the structure oracle and the guard.
#[derive(Clone, Debug)]
pub struct SqlCheck {
    /// The template.
    pub template: Template,
    /// Reject what [`detect`] flags.
    pub detector: bool,
}

impl SqlCheck {
    fn args(&self, value: &str) -> Vec<Arg> {
        self.template
            .holes()
            .iter()
            .map(|h| match h.kind {
                HoleKind::Like(_) => Arg::Like(value.to_owned()),
                _ => Arg::Value(Value::Text(value.to_owned())),
            })
            .collect()
    }
}

impl Checker for SqlCheck {
    fn check(&self, payload: &[u8]) -> Result<Verdict, Violation> {
        let Ok(value) = std::str::from_utf8(payload) else {
            return Ok(Verdict::Rejected {
                reason: "value is not UTF-8".into(),
            });
        };
        if self.detector {
            if let Some(f) = detect(value) {
                return Ok(Verdict::Rejected {
                    reason: f.to_string(),
                });
            }
        }
        let args = self.args(value);
        let rendered = match self.template.render(&args) {
            Ok(r) => r,
            Err(e) => {
                return Ok(Verdict::Rejected {
                    reason: e.to_string(),
                })
            }
        };
        oracle::structure(&self.template, &args, &rendered)?;
        if let Err(e) = self.template.admits(&rendered) {
            return Err(Violation::new(
                oracle::GUARD,
                format!("binding changed the template's structure: {e}: {rendered}"),
            ));
        }
        Ok(Verdict::Accepted { output: rendered })
    }
}

/// The SQL target.
#[derive(Clone, Copy, Debug, Default)]
pub struct SqlTarget;

impl Target for SqlTarget {
    const NAME: &'static str = "sql";
    const DESCRIPTION: &'static str =
        "SQL query templates with typed holes (values, identifiers, LIKE patterns, directions) for SQLite, PostgreSQL, MySQL and ANSI; a structure guard; a free-text injection detector";
    const INVARIANTS: &'static [Invariant] = oracle::INVARIANTS;
    const OPTIONS: &'static [OptionSpec] = OPTIONS;
    const PLANTS: &'static [Plant] = PLANTS;

    type Input = SqlInput;

    fn render(input: &SqlInput) -> Vec<u8> {
        input.payload().into_bytes()
    }

    fn check(input: &SqlInput) -> Result<(), Violation> {
        let t = input.template();
        let args = input.args(&t);
        let payload = input.payload();
        oracle::detected(&payload)?;
        let rendered = match t.render(&args) {
            Ok(r) => r,
            Err(e) => return oracle::refusal(&t, &args, &e),
        };
        oracle::structure(&t, &args, &rendered)?;
        if let Some(spliced) = oracle::splice(&t, &args, &payload) {
            oracle::guard(&t, &rendered, &spliced)?;
        } else {
            oracle::guard(&t, &rendered, &rendered)?;
        }
        if t.dialect() == Dialect::Sqlite {
            oracle::sqlite::differential(&t, &args)?;
        }
        Ok(())
    }

    fn checker(options: &Options) -> Result<Box<dyn Checker>, OptionError> {
        let dialect = options
            .value("dialect")
            .and_then(Dialect::from_name)
            .unwrap_or(Dialect::Sqlite);
        let text = options.text("template").unwrap_or(DEFAULT_TEMPLATE);
        let template = Template::parse(dialect, text).map_err(|e| OptionError::Unusable {
            name: "template",
            value: text.to_owned(),
            source: Box::new(e),
        })?;
        if template.holes().is_empty()
            || template
                .holes()
                .iter()
                .any(|h| matches!(h.kind, HoleKind::Ident | HoleKind::Dir))
        {
            return Err(OptionError::Conflict {
                name: "template",
                reason: "the template needs value (?) or LIKE holes only, at least one".into(),
            });
        }
        Ok(Box::new(SqlCheck {
            template,
            detector: options.value("detector") != Some("off"),
        }))
    }
}

/// The planted vulnerabilities ([`plant`]).
pub const PLANTS: &[Plant] = &[
    Plant {
        id: plant::MYSQL_BACKSLASH,
        breaks: oracle::STRUCTURE,
        description: "the MySQL escaper escapes quotes but not the backslash",
    },
    Plant {
        id: plant::PG_E_BACKSLASH,
        breaks: oracle::STRUCTURE,
        description: "PostgreSQL E'' literal with quotes doubled but backslashes left alone",
    },
    Plant {
        id: plant::IDENT_QUOTE,
        breaks: oracle::STRUCTURE,
        description: "identifier quoting does not double the quote character",
    },
    Plant {
        id: plant::LIKE_UNDERSCORE,
        breaks: oracle::LIKE,
        description: "LIKE escaping escapes % but not _",
    },
    Plant {
        id: plant::DETECT_CASE,
        breaks: oracle::DETECT,
        description: "the detector compares keywords case-sensitively",
    },
    Plant {
        id: plant::NEGATIVE_BARE,
        breaks: oracle::STRUCTURE,
        description: "negative numbers rendered without parentheses (x - -5 becomes x --5)",
    },
    Plant {
        id: plant::NBE_DOUBLED,
        breaks: oracle::ROUNDTRIP,
        description: "backslashes doubled under NO_BACKSLASH_ESCAPES",
    },
    Plant {
        id: plant::GUARD_GREEDY,
        breaks: oracle::GUARD,
        description: "the guard lets a value hole take every token up to the template's next one",
    },
    Plant {
        id: plant::ALLOWLIST_PREFIX,
        breaks: oracle::ALLOWLIST,
        description: "the identifier allowlist is checked by prefix",
    },
    Plant {
        id: plant::I64_MIN,
        breaks: oracle::DATABASE,
        description: "i64::MIN rendered as a literal (SQLite reads it as a REAL)",
    },
    Plant {
        id: plant::CURLY_QUOTE,
        breaks: oracle::ROUNDTRIP,
        description: "the ANSI/SQLite escaper treats the typographic apostrophe U+2019 as a quote",
    },
];
