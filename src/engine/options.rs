//! Target options: each target declares the options its raw-payload check
//! takes ([`Target::OPTIONS`](crate::Target::OPTIONS)), and builds its
//! configured [`Checker`](crate::Checker) from the parsed values
//! ([`Target::checker`](crate::Target::checker)).
//!
//! The declaration is the single source of truth: `secfuzz list`, `secfuzz
//! check TARGET --help`, the CLI's `--opt name=value` and `--name value`
//! forms, the README check and the registry test all read it. The CLI has no
//! target-specific code.
//!
//! ```
//! use secfuzz::options::{OptionSpec, Options, OptionError};
//! const OPTS: &[OptionSpec] = &[
//!     OptionSpec::int("leeway", "0", 0, 3600, "seconds of leeway"),
//!     OptionSpec::text("aud", "accepted audience").repeatable(),
//!     OptionSpec::flag("strict", "refuse more"),
//! ];
//! let o = Options::parse_assignments(OPTS, ["leeway=30", "aud=a", "aud=b", "strict"]).unwrap();
//! assert_eq!(o.int("leeway"), Some(30));
//! assert_eq!(o.all("aud"), ["a", "b"]);
//! assert!(o.flag("strict"));
//! let e = Options::parse_assignments(OPTS, ["leway=3"]).unwrap_err();
//! assert!(matches!(e, OptionError::Unknown { .. }));
//! assert!(e.to_string().contains("leeway, aud, strict"));
//! ```

use std::collections::BTreeMap;
use std::fmt;

/// Names `secfuzz check` itself uses (`--json`, `--input`, `--opt`,
/// `--help`, `--version`); no target option may take them.
pub const RESERVED_NAMES: &[&str] = &["json", "input", "opt", "help", "version"];

/// The type of an option's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum OptionKind {
    /// Present or not (`--opt name`, `--opt name=true|false`, `--name`).
    Flag,
    /// A whole number in `min..=max`.
    Int {
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
    },
    /// Free text.
    Text,
    /// A file name (read by the target's checker).
    File,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
}

impl OptionKind {
    /// The value placeholder for help text: `N`, `TEXT`, `FILE`, `a|b`.
    pub fn placeholder(&self) -> String {
        match self {
            OptionKind::Flag => String::new(),
            OptionKind::Int { .. } => "N".into(),
            OptionKind::Text => "TEXT".into(),
            OptionKind::File => "FILE".into(),
            OptionKind::Choice(c) => c.join("|"),
        }
    }

    /// What a value of this kind must look like, for error messages.
    pub fn expected(&self) -> String {
        match self {
            OptionKind::Flag => "true or false".into(),
            OptionKind::Int { min, max } => format!("a whole number from {min} to {max}"),
            OptionKind::Text => "text".into(),
            OptionKind::File => "a file name".into(),
            OptionKind::Choice(c) => format!("one of {}", c.join(", ")),
        }
    }

    /// The value's kind as one word, for `secfuzz list --json`.
    pub fn name(&self) -> &'static str {
        match self {
            OptionKind::Flag => "flag",
            OptionKind::Int { .. } => "int",
            OptionKind::Text => "text",
            OptionKind::File => "file",
            OptionKind::Choice(_) => "choice",
        }
    }

    fn validate(&self, value: &str) -> bool {
        match self {
            OptionKind::Flag => matches!(value, "true" | "false"),
            OptionKind::Int { min, max } => value
                .parse::<i64>()
                .is_ok_and(|v| (*min..=*max).contains(&v)),
            OptionKind::Text => true,
            OptionKind::File => !value.is_empty() && !value.contains('\0'),
            OptionKind::Choice(c) => c.contains(&value),
        }
    }
}

/// One declared option of a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptionSpec {
    /// kebab-case name: `--opt NAME=value` and `--NAME value` on the CLI.
    pub name: &'static str,
    /// The value's type.
    pub kind: OptionKind,
    /// The value used when the option is not given; `None`: unset.
    pub default: Option<&'static str>,
    /// May be given several times (values are collected in order).
    pub repeatable: bool,
    /// One line of help.
    pub help: &'static str,
}

impl OptionSpec {
    /// A flag, off by default.
    pub const fn flag(name: &'static str, help: &'static str) -> Self {
        OptionSpec {
            name,
            kind: OptionKind::Flag,
            default: Some("false"),
            repeatable: false,
            help,
        }
    }

    /// A whole number in `min..=max` with a default.
    pub const fn int(
        name: &'static str,
        default: &'static str,
        min: i64,
        max: i64,
        help: &'static str,
    ) -> Self {
        OptionSpec {
            name,
            kind: OptionKind::Int { min, max },
            default: Some(default),
            repeatable: false,
            help,
        }
    }

    /// Free text, unset by default.
    pub const fn text(name: &'static str, help: &'static str) -> Self {
        OptionSpec {
            name,
            kind: OptionKind::Text,
            default: None,
            repeatable: false,
            help,
        }
    }

    /// A file name, unset by default.
    pub const fn file(name: &'static str, help: &'static str) -> Self {
        OptionSpec {
            name,
            kind: OptionKind::File,
            default: None,
            repeatable: false,
            help,
        }
    }

    /// One of `choices`, `default` when not given.
    pub const fn choice(
        name: &'static str,
        choices: &'static [&'static str],
        default: &'static str,
        help: &'static str,
    ) -> Self {
        OptionSpec {
            name,
            kind: OptionKind::Choice(choices),
            default: Some(default),
            repeatable: false,
            help,
        }
    }

    /// The same option, without a default (unset unless given).
    pub const fn no_default(mut self) -> Self {
        self.default = None;
        self
    }

    /// The same option, repeatable.
    pub const fn repeatable(mut self) -> Self {
        self.repeatable = true;
        self
    }

    /// A problem with the declaration itself (name not kebab-case, empty
    /// help, a default its kind refuses), for the registry test.
    pub fn declaration_problem(&self) -> Option<String> {
        let kebab = !self.name.is_empty()
            && self.name.split('-').all(|w| {
                !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if !kebab {
            return Some(format!("option name {:?} is not kebab-case", self.name));
        }
        if RESERVED_NAMES.contains(&self.name) {
            return Some(format!(
                "option name {:?} is reserved by `secfuzz check`",
                self.name
            ));
        }
        if self.help.trim().is_empty() {
            return Some(format!("option {} has no help", self.name));
        }
        if let Some(d) = self.default {
            if !self.kind.validate(d) {
                return Some(format!(
                    "option {}: default {d:?} is not {}",
                    self.name,
                    self.kind.expected()
                ));
            }
        }
        None
    }
}

/// Why options could not be parsed or could not configure a target.
#[derive(Debug)]
#[non_exhaustive]
pub enum OptionError {
    /// No option of that name is declared.
    Unknown {
        /// The name given.
        name: String,
        /// The declared names.
        valid: Vec<&'static str>,
    },
    /// Not of the form `name=value` (or `name` for a flag).
    Malformed {
        /// What was given.
        assignment: String,
        /// The declared names.
        valid: Vec<&'static str>,
    },
    /// The value does not fit the option's kind.
    BadValue {
        /// The option.
        name: &'static str,
        /// The value given.
        value: String,
        /// What it must look like.
        expected: String,
    },
    /// A non-repeatable option was given twice.
    Repeated {
        /// The option.
        name: &'static str,
    },
    /// Options that make no sense together (or one that needs another).
    Conflict {
        /// The option at fault.
        name: &'static str,
        /// Why.
        reason: String,
    },
    /// The value is well-formed but cannot be used (a key file that does not
    /// load, for instance).
    Unusable {
        /// The option.
        name: &'static str,
        /// The value given.
        value: String,
        /// The underlying error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl fmt::Display for OptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn names(v: &[&str]) -> String {
            if v.is_empty() {
                "none: this target takes no options".into()
            } else {
                v.join(", ")
            }
        }
        match self {
            OptionError::Unknown { name, valid } => {
                write!(
                    f,
                    "unknown option {name:?}; valid options: {}",
                    names(valid)
                )
            }
            OptionError::Malformed { assignment, valid } => write!(
                f,
                "{assignment:?} is not NAME=VALUE; valid options: {}",
                names(valid)
            ),
            OptionError::BadValue {
                name,
                value,
                expected,
            } => write!(f, "option {name}: {value:?} is not {expected}"),
            OptionError::Repeated { name } => write!(f, "option {name} may be given only once"),
            OptionError::Conflict { name, reason } => write!(f, "option {name}: {reason}"),
            OptionError::Unusable {
                name,
                value,
                source,
            } => write!(f, "option {name}: cannot use {value:?}: {source}"),
        }
    }
}

impl std::error::Error for OptionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OptionError::Unusable { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

/// Parsed option values, checked against a declaration.
#[derive(Clone, Debug)]
pub struct Options {
    spec: &'static [OptionSpec],
    given: BTreeMap<&'static str, Vec<String>>,
}

impl Options {
    /// No option given: every option at its default.
    pub fn defaults(spec: &'static [OptionSpec]) -> Options {
        Options {
            spec,
            given: BTreeMap::new(),
        }
    }

    /// Parse `(name, value)` pairs against `spec`. A flag's value may be
    /// `None` (meaning `true`); every other kind needs one.
    pub fn parse<N, V>(
        spec: &'static [OptionSpec],
        pairs: impl IntoIterator<Item = (N, Option<V>)>,
    ) -> Result<Options, OptionError>
    where
        N: AsRef<str>,
        V: AsRef<str>,
    {
        let mut options = Options::defaults(spec);
        for (name, value) in pairs {
            let name = name.as_ref();
            let Some(s) = spec.iter().find(|s| s.name == name) else {
                return Err(OptionError::Unknown {
                    name: name.to_owned(),
                    valid: spec.iter().map(|s| s.name).collect(),
                });
            };
            let value = match (value, s.kind) {
                (Some(v), _) => v.as_ref().to_owned(),
                (None, OptionKind::Flag) => "true".to_owned(),
                (None, _) => {
                    return Err(OptionError::BadValue {
                        name: s.name,
                        value: String::new(),
                        expected: s.kind.expected(),
                    })
                }
            };
            if !s.kind.validate(&value) {
                return Err(OptionError::BadValue {
                    name: s.name,
                    value,
                    expected: s.kind.expected(),
                });
            }
            let values = options.given.entry(s.name).or_default();
            if !s.repeatable && !values.is_empty() {
                return Err(OptionError::Repeated { name: s.name });
            }
            values.push(value);
        }
        Ok(options)
    }

    /// Parse `name=value` assignments (`name` alone for a flag).
    pub fn parse_assignments<A: AsRef<str>>(
        spec: &'static [OptionSpec],
        assignments: impl IntoIterator<Item = A>,
    ) -> Result<Options, OptionError> {
        let mut pairs = Vec::new();
        for a in assignments {
            let a = a.as_ref();
            match a.split_once('=') {
                Some((n, v)) if !n.is_empty() => pairs.push((n.to_owned(), Some(v.to_owned()))),
                None if spec
                    .iter()
                    .any(|s| s.name == a && s.kind == OptionKind::Flag) =>
                {
                    pairs.push((a.to_owned(), None))
                }
                None if !a.is_empty() && !spec.iter().any(|s| s.name == a) => {
                    return Err(OptionError::Unknown {
                        name: a.to_owned(),
                        valid: spec.iter().map(|s| s.name).collect(),
                    })
                }
                _ => {
                    return Err(OptionError::Malformed {
                        assignment: a.to_owned(),
                        valid: spec.iter().map(|s| s.name).collect(),
                    })
                }
            }
        }
        Options::parse(spec, pairs)
    }

    /// The declaration these values were checked against.
    pub fn spec(&self) -> &'static [OptionSpec] {
        self.spec
    }

    /// Whether `name` was given explicitly (not just defaulted).
    pub fn is_given(&self, name: &str) -> bool {
        self.given.contains_key(name)
    }

    /// The names given explicitly, in declaration order.
    pub fn given_names(&self) -> Vec<&'static str> {
        self.spec
            .iter()
            .map(|s| s.name)
            .filter(|n| self.given.contains_key(n))
            .collect()
    }

    /// The last value given for `name`, else its default.
    pub fn value(&self, name: &str) -> Option<&str> {
        match self.given.get(name).and_then(|v| v.last()) {
            Some(v) => Some(v),
            None => self.spec.iter().find(|s| s.name == name)?.default,
        }
    }

    /// Every value given for a repeatable option, in order (empty if none).
    pub fn all(&self, name: &str) -> &[String] {
        self.given.get(name).map_or(&[], |v| v.as_slice())
    }

    /// A flag's value (`false` when neither given nor defaulted).
    pub fn flag(&self, name: &str) -> bool {
        self.value(name) == Some("true")
    }

    /// An integer option's value (validated at parse time).
    pub fn int(&self, name: &str) -> Option<i64> {
        self.value(name)?.parse().ok()
    }

    /// A text, file or choice option's value.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.value(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &[OptionSpec] = &[
        OptionSpec::int("n", "3", -5, 5, "a number"),
        OptionSpec::choice("mode", &["a", "b"], "a", "a mode"),
        OptionSpec::flag("on", "a flag"),
        OptionSpec::text("t", "text").repeatable(),
    ];

    #[test]
    fn defaults_apply_until_given() {
        let o = Options::defaults(SPEC);
        assert_eq!(o.int("n"), Some(3));
        assert_eq!(o.text("mode"), Some("a"));
        assert!(!o.flag("on"));
        assert!(o.all("t").is_empty());
        assert!(!o.is_given("n"));
        let o =
            Options::parse_assignments(SPEC, ["n=-5", "mode=b", "on=true", "t=x", "t="]).unwrap();
        assert_eq!(o.int("n"), Some(-5));
        assert_eq!(o.text("mode"), Some("b"));
        assert!(o.flag("on"));
        assert_eq!(o.all("t"), ["x", ""]);
        assert_eq!(o.given_names(), ["n", "mode", "on", "t"]);
    }

    #[test]
    fn bad_values_are_typed_errors_at_every_edge() {
        for bad in [
            "n=6", "n=-6", "n=", "n=1.0", "n= 1", "mode=A", "mode=ab", "on=yes",
        ] {
            let e = Options::parse_assignments(SPEC, [bad]).unwrap_err();
            assert!(matches!(e, OptionError::BadValue { .. }), "{bad}: {e}");
        }
        for ok in ["n=5", "n=-5", "n=0", "mode=b", "on=false", "on"] {
            Options::parse_assignments(SPEC, [ok]).unwrap();
        }
        assert!(matches!(
            Options::parse_assignments(SPEC, ["n=1", "n=2"]).unwrap_err(),
            OptionError::Repeated { name: "n" }
        ));
        for unknown in ["N=1", "nn=1", "mod=a", "x"] {
            let e = Options::parse_assignments(SPEC, [unknown]).unwrap_err();
            assert!(matches!(e, OptionError::Unknown { .. }), "{unknown}: {e}");
            assert!(e.to_string().contains("n, mode, on, t"), "{e}");
        }
        for malformed in ["=1", "", "n"] {
            let e = Options::parse_assignments(SPEC, [malformed]).unwrap_err();
            assert!(
                matches!(e, OptionError::Malformed { .. }),
                "{malformed:?}: {e}"
            );
        }
    }

    #[test]
    fn declarations_are_checked() {
        assert!(SPEC.iter().all(|s| s.declaration_problem().is_none()));
        assert!(OptionSpec::flag("Bad", "x").declaration_problem().is_some());
        assert!(OptionSpec::flag("a--b", "x")
            .declaration_problem()
            .is_some());
        assert!(OptionSpec::flag("ok", " ").declaration_problem().is_some());
        assert!(OptionSpec::int("n", "9", 0, 8, "x")
            .declaration_problem()
            .is_some());
    }
}
