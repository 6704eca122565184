//! The sql target's planted vulnerabilities ([`crate::plant`]): realistic
//! escaping, quoting, guard and detector mistakes, each switched on at the
//! place it would go, compiled in only with the `plant` feature. The test
//! suite must kill every one (`tests/plants.rs`).
//!
//! The ids only; the table with each plant's invariant and description is
//! `PLANTS` in the target's `mod.rs`.

/// The MySQL (backslash mode) escaper forgets to escape the backslash.
pub const MYSQL_BACKSLASH: &str = "sql.mysql-backslash-unescaped";
/// The PostgreSQL `E''` literal doubles quotes but leaves backslashes alone.
pub const PG_E_BACKSLASH: &str = "sql.pg-e-backslash";
/// Identifier quoting does not double the quote character.
pub const IDENT_QUOTE: &str = "sql.ident-quote-not-doubled";
/// LIKE-pattern escaping escapes `%` but not `_`.
pub const LIKE_UNDERSCORE: &str = "sql.like-underscore-unescaped";
/// The detector compares keywords case-sensitively.
pub const DETECT_CASE: &str = "sql.detector-case-sensitive";
/// Negative numbers rendered without parentheses (`x - -5` becomes `x --5`).
pub const NEGATIVE_BARE: &str = "sql.negative-unparenthesized";
/// Backslashes doubled under MySQL's `NO_BACKSLASH_ESCAPES`.
pub const NBE_DOUBLED: &str = "sql.nbe-backslash-doubled";
/// The guard lets a hole take every token up to the template's next one.
pub const GUARD_GREEDY: &str = "sql.guard-greedy-hole";
/// The identifier allowlist is checked by prefix.
pub const ALLOWLIST_PREFIX: &str = "sql.allowlist-prefix";
/// `i64::MIN` rendered as a literal (SQLite reads it as a REAL).
pub const I64_MIN: &str = "sql.i64-min-literal";
/// The SQLite/ANSI escaper doubles `'` but misses a NUL-free check and
/// treats U+2019 like a quote (turning it into `''`): values change.
pub const CURLY_QUOTE: &str = "sql.curly-quote-doubled";
