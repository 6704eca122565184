//! The sql target's typed errors: every refusal of [`Template::parse`],
//! binding, rendering and [`Template::admits`](super::Template::admits).
//!
//! [`Template::parse`]: super::Template::parse

use std::fmt;

/// Why a template, a binding, a rendering or a guarded query was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SqlError {
    /// A text is longer than its cap (checked before any other work).
    TooLarge {
        /// What was too large (`template`, `query`, `value`, `identifier`).
        what: &'static str,
        /// Its length in bytes.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// Parentheses or brackets nest deeper than the cap (checked before
    /// sqlparser's recursive descent runs).
    TooDeep {
        /// The depth found.
        depth: usize,
        /// The cap.
        max: usize,
    },
    /// sqlparser's tokenizer refused the text.
    Tokenize {
        /// sqlparser's message.
        message: String,
    },
    /// sqlparser's parser refused the text.
    Parse {
        /// sqlparser's message.
        message: String,
    },
    /// The text is not exactly one statement.
    NotOneStatement {
        /// How many statements it holds.
        count: usize,
    },
    /// A `{…}` hole is malformed or of an unknown kind.
    BadHole {
        /// Byte offset of the hole in the template.
        at: usize,
        /// What is wrong with it.
        detail: String,
    },
    /// The template uses a placeholder syntax other than `?` (`$1`, `:name`, `?1`).
    ForeignPlaceholder {
        /// The placeholder as written.
        text: String,
    },
    /// Too many holes in one template.
    TooManyHoles {
        /// The cap.
        max: usize,
    },
    /// The number of arguments does not match the template's holes.
    ArgCount {
        /// Holes in the template.
        expected: usize,
        /// Arguments given.
        got: usize,
    },
    /// An argument's kind does not match its hole's.
    ArgKind {
        /// Hole index (0-based, in template order).
        hole: usize,
        /// The hole's kind.
        expected: &'static str,
        /// The argument's kind.
        got: &'static str,
    },
    /// An identifier is not in its hole's allowlist.
    NotAllowed {
        /// The hole's name.
        hole: String,
        /// The identifier given.
        ident: String,
    },
    /// An identifier cannot be quoted safely for the dialect.
    BadIdentifier {
        /// The identifier given.
        ident: String,
        /// Why.
        reason: &'static str,
    },
    /// A value has no exact literal in the dialect (NUL in a text literal,
    /// a non-finite float, the one integer whose literal widens to a float).
    Unrenderable {
        /// The dialect's name.
        dialect: &'static str,
        /// Why.
        reason: &'static str,
    },
    /// [`Template::admits`](super::Template::admits): the query is not the
    /// template with one literal or identifier per hole.
    NotAdmitted {
        /// Where and why the query departs from the template.
        reason: String,
    },
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SqlError::TooLarge { what, len, max } => {
                write!(f, "{what} is {len} bytes; the limit is {max}")
            }
            SqlError::TooDeep { depth, max } => {
                write!(f, "brackets nest {depth} deep; the limit is {max}")
            }
            SqlError::Tokenize { message } => write!(f, "SQL does not tokenize: {message}"),
            SqlError::Parse { message } => write!(f, "SQL does not parse: {message}"),
            SqlError::NotOneStatement { count } => {
                write!(f, "expected exactly one statement, found {count}")
            }
            SqlError::BadHole { at, detail } => write!(f, "bad hole at byte {at}: {detail}"),
            SqlError::ForeignPlaceholder { text } => write!(
                f,
                "placeholder {text:?} is not template syntax (use ?, {{name}}, {{name:dir}}, {{name:like}}, {{name:prefix}})"
            ),
            SqlError::TooManyHoles { max } => write!(f, "more than {max} holes"),
            SqlError::ArgCount { expected, got } => {
                write!(f, "the template has {expected} holes, {got} arguments given")
            }
            SqlError::ArgKind {
                hole,
                expected,
                got,
            } => write!(f, "hole {hole} takes {expected}, got {got}"),
            SqlError::NotAllowed { hole, ident } => {
                write!(f, "identifier {ident:?} is not allowed in hole {{{hole}}}")
            }
            SqlError::BadIdentifier { ident, reason } => {
                write!(f, "identifier {ident:?} refused: {reason}")
            }
            SqlError::Unrenderable { dialect, reason } => {
                write!(f, "no exact {dialect} literal: {reason}")
            }
            SqlError::NotAdmitted { reason } => {
                write!(f, "query does not match the template: {reason}")
            }
        }
    }
}

impl std::error::Error for SqlError {}
