//! SQL dialects: which sqlparser dialect reads each, and how each writes a
//! literal, an identifier and a placeholder.
//!
//! | dialect | text literal | identifier | placeholder |
//! |---|---|---|---|
//! | SQLite, generic | `'…'`, `'` doubled; NUL refused | `"…"`, `"` doubled | `?` (`?N` in SQLite) |
//! | PostgreSQL | `E'…'`, `'` doubled, `\` doubled; NUL refused | `"…"`, `"` doubled, ≤ 63 bytes | `$N` |
//! | MySQL | `'…'`, `\` `'` `"` NUL CR LF ^Z backslash-escaped | `` `…` ``, `` ` `` doubled, ≤ 64 chars | `?` |
//! | MySQL, `NO_BACKSLASH_ESCAPES` | `'…'`, `'` doubled, `\` literal | as MySQL | `?` |
//!
//! PostgreSQL's `E''` form reads backslashes as escapes whatever
//! `standard_conforming_strings` says, so the rendered literal means the
//! same on servers with it on (the default since 9.1) and off. A plain
//! `'…'` literal would not: with the setting off, `\'` inside it ends the
//! string. MySQL's two modes are two dialects because no text literal
//! means the same in both when the value holds a backslash.
//!
//! Text is assumed to travel as UTF-8 (`SET NAMES utf8mb4`, `client_encoding
//! UTF8`): with a GBK-like client encoding a lead byte before a backslash
//! can swallow it, and no escaper can help; parameterized queries can.

use sqlparser::dialect::{
    Dialect as ParserDialect, GenericDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect,
};

use super::error::SqlError;
use super::plant;
use crate::plant::active;

#[allow(missing_docs)]
mod nbe {
    sqlparser::derive_dialect!(
        MySqlNoBackslashEscapes,
        sqlparser::dialect::MySqlDialect,
        preserve_type_id = true,
        overrides = { supports_string_literal_backslash_escape = false }
    );
}

/// A SQL dialect: how literals, identifiers and placeholders are written,
/// and which sqlparser dialect reads the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Dialect {
    /// SQLite 3.
    Sqlite,
    /// PostgreSQL (any `standard_conforming_strings`).
    Postgres,
    /// MySQL / MariaDB in the default SQL mode (backslash escapes).
    Mysql,
    /// MySQL / MariaDB with `NO_BACKSLASH_ESCAPES`.
    MysqlNoBackslashEscapes,
    /// ANSI SQL.
    Generic,
}

impl Dialect {
    /// Every dialect.
    pub const ALL: [Dialect; 5] = [
        Dialect::Sqlite,
        Dialect::Postgres,
        Dialect::Mysql,
        Dialect::MysqlNoBackslashEscapes,
        Dialect::Generic,
    ];
    /// The names [`Dialect::from_name`] accepts (the CLI's `dialect` option).
    pub const NAMES: &'static [&'static str] =
        &["sqlite", "postgres", "mysql", "mysql-nbe", "generic"];

    /// The dialect's name.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
            Dialect::Mysql => "mysql",
            Dialect::MysqlNoBackslashEscapes => "mysql-nbe",
            Dialect::Generic => "generic",
        }
    }

    /// The dialect called `name` (one of [`Dialect::NAMES`]).
    pub fn from_name(name: &str) -> Option<Dialect> {
        Dialect::ALL.into_iter().find(|d| d.name() == name)
    }

    /// The sqlparser dialect that reads this dialect's text.
    pub fn parser(self) -> &'static dyn ParserDialect {
        static SQLITE: SQLiteDialect = SQLiteDialect {};
        static PG: PostgreSqlDialect = PostgreSqlDialect {};
        static MYSQL: MySqlDialect = MySqlDialect {};
        static NBE: std::sync::OnceLock<nbe::MySqlNoBackslashEscapes> = std::sync::OnceLock::new();
        static GENERIC: GenericDialect = GenericDialect {};
        match self {
            Dialect::Sqlite => &SQLITE,
            Dialect::Postgres => &PG,
            Dialect::Mysql => &MYSQL,
            Dialect::MysqlNoBackslashEscapes => NBE.get_or_init(nbe::MySqlNoBackslashEscapes::new),
            Dialect::Generic => &GENERIC,
        }
    }

    /// The placeholder for the `n`th (1-based) parameter.
    pub fn placeholder(self, n: usize) -> String {
        match self {
            Dialect::Postgres => format!("${n}"),
            Dialect::Sqlite => format!("?{n}"),
            _ => "?".to_owned(),
        }
    }

    fn unrenderable(self, reason: &'static str) -> SqlError {
        SqlError::Unrenderable {
            dialect: self.name(),
            reason,
        }
    }

    /// A text literal meaning exactly `s` in this dialect.
    ///
    /// # Errors
    ///
    /// [`SqlError::Unrenderable`] for a NUL character where the dialect's
    /// text type cannot hold one (SQLite and ANSI literals end at it,
    /// PostgreSQL text refuses it); [`SqlError::TooLarge`] beyond
    /// [`MAX_VALUE_LEN`](super::MAX_VALUE_LEN).
    pub fn text_literal(self, s: &str) -> Result<String, SqlError> {
        if s.len() > super::MAX_VALUE_LEN {
            return Err(SqlError::TooLarge {
                what: "value",
                len: s.len(),
                max: super::MAX_VALUE_LEN,
            });
        }
        let mut out = String::with_capacity(s.len() + 4);
        match self {
            Dialect::Sqlite | Dialect::Generic => {
                if s.contains('\0') {
                    return Err(self.unrenderable("text holds a NUL character"));
                }
                out.push('\'');
                for c in s.chars() {
                    match c {
                        '\'' => out.push_str("''"),
                        '\u{2019}' if active(plant::CURLY_QUOTE) => out.push_str("''"),
                        c => out.push(c),
                    }
                }
                out.push('\'');
            }
            Dialect::Postgres => {
                if s.contains('\0') {
                    return Err(self.unrenderable("PostgreSQL text cannot hold NUL"));
                }
                out.push_str("E'");
                for c in s.chars() {
                    match c {
                        '\'' => out.push_str("''"),
                        '\\' if !active(plant::PG_E_BACKSLASH) => out.push_str("\\\\"),
                        c => out.push(c),
                    }
                }
                out.push('\'');
            }
            Dialect::Mysql => {
                out.push('\'');
                for c in s.chars() {
                    match c {
                        '\\' if !active(plant::MYSQL_BACKSLASH) => out.push_str("\\\\"),
                        '\'' => out.push_str("\\'"),
                        '"' => out.push_str("\\\""),
                        '\0' => out.push_str("\\0"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        '\u{1a}' => out.push_str("\\Z"),
                        c => out.push(c),
                    }
                }
                out.push('\'');
            }
            Dialect::MysqlNoBackslashEscapes => {
                out.push('\'');
                for c in s.chars() {
                    match c {
                        '\'' => out.push_str("''"),
                        '\\' if active(plant::NBE_DOUBLED) => out.push_str("\\\\"),
                        c => out.push(c),
                    }
                }
                out.push('\'');
            }
        }
        Ok(out)
    }

    /// A quoted identifier naming exactly `ident` in this dialect.
    ///
    /// # Errors
    ///
    /// [`SqlError::BadIdentifier`]: empty, a NUL, longer than the
    /// dialect keeps (PostgreSQL truncates beyond 63 bytes, MySQL refuses
    /// beyond 64 characters, so two long names could meet), or (MySQL) a
    /// trailing space, which MySQL refuses in names.
    pub fn quote_ident(self, ident: &str) -> Result<String, SqlError> {
        let bad = |reason| SqlError::BadIdentifier {
            ident: ident.chars().take(80).collect(),
            reason,
        };
        if ident.is_empty() {
            return Err(bad("empty"));
        }
        if ident.contains('\0') {
            return Err(bad("holds a NUL character"));
        }
        if ident.len() > super::MAX_IDENT_LEN {
            return Err(bad("too long"));
        }
        let q = match self {
            Dialect::Mysql | Dialect::MysqlNoBackslashEscapes => {
                if ident.chars().count() > 64 {
                    return Err(bad("MySQL names are at most 64 characters"));
                }
                if ident.ends_with(' ') {
                    return Err(bad("MySQL names cannot end with a space"));
                }
                '`'
            }
            Dialect::Postgres if ident.len() > 63 => {
                return Err(bad("PostgreSQL truncates names beyond 63 bytes"));
            }
            _ => '"',
        };
        let mut out = String::with_capacity(ident.len() + 2);
        out.push(q);
        for c in ident.chars() {
            if c == q && !active(plant::IDENT_QUOTE) {
                out.push(q);
            }
            out.push(c);
        }
        out.push(q);
        Ok(out)
    }
}

impl std::fmt::Display for Dialect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
