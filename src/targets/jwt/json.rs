//! Strict JSON: a duplicate-detecting deserialize into [`serde_json::Value`].
//!
//! `serde_json` keeps the *last* of two members with the same name and says
//! nothing, so `{"alg":"RS256","alg":"none"}` means different things to
//! different parsers. Here a repeated name, at any depth and compared after
//! unescaping, is an error. Everything else is `serde_json`'s RFC 8259 parser
//! (its recursion limit bounds nesting; trailing characters are refused).

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// Why a document is not strict JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum StrictJsonError {
    /// Not JSON at all (or not UTF-8, or trailing bytes).
    Syntax(String),
    /// A member name appears twice in one object.
    Duplicate(String),
    /// Valid JSON, but the top level is not an object.
    NotObject,
}

impl fmt::Display for StrictJsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StrictJsonError::Syntax(s) => f.write_str(s),
            StrictJsonError::Duplicate(name) => write!(f, "member {name:?} appears twice"),
            StrictJsonError::NotObject => f.write_str("top level is not an object"),
        }
    }
}

/// Parse `bytes` as one JSON object, refusing duplicate member names anywhere.
pub(crate) fn parse_object(bytes: &[u8]) -> Result<Map<String, Value>, StrictJsonError> {
    match parse_value(bytes)? {
        Value::Object(map) => Ok(map),
        _ => Err(StrictJsonError::NotObject),
    }
}

/// Parse `bytes` as one JSON value, refusing duplicate member names anywhere.
pub(crate) fn parse_value(bytes: &[u8]) -> Result<Value, StrictJsonError> {
    let duplicate = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result = Strict {
        duplicate: &duplicate,
    }
    .deserialize(&mut de)
    .and_then(|v| de.end().map(|()| v));
    match (result, duplicate.into_inner()) {
        (_, Some(name)) => Err(StrictJsonError::Duplicate(name)),
        (Ok(v), None) => Ok(v),
        (Err(e), None) => Err(StrictJsonError::Syntax(e.to_string())),
    }
}

/// Seed that builds a `Value` and records the first duplicate member name.
#[derive(Clone, Copy)]
struct Strict<'a> {
    duplicate: &'a RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number is not finite"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(self)? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                let msg = format!("duplicate member {key:?}");
                *self.duplicate.borrow_mut() = Some(key);
                return Err(de::Error::custom(msg));
            }
            let value = map.next_value_seed(self)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// The exact source text of each top-level member of a JSON object (for a
/// number: its decimal spelling, which `serde_json` would round to `f64`).
/// Call it on a document [`parse_object`] accepted, so no name repeats.
pub(crate) fn member_texts(bytes: &[u8]) -> Option<std::collections::BTreeMap<String, &str>> {
    let raw: std::collections::BTreeMap<String, &serde_json::value::RawValue> =
        serde_json::from_slice(bytes).ok()?;
    Some(raw.into_iter().map(|(k, v)| (k, v.get())).collect())
}

/// The JSON type of a value, for error messages.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_are_found_after_unescaping_and_at_depth() {
        assert_eq!(
            parse_object(br#"{"alg":"HS256","a\u006cg":"none"}"#),
            Err(StrictJsonError::Duplicate("alg".into()))
        );
        assert_eq!(
            parse_object(br#"{"x":{"k":1,"k":2}}"#),
            Err(StrictJsonError::Duplicate("k".into()))
        );
        assert_eq!(
            parse_object(br#"{"x":[{"k":1},{"k":2}]}"#).unwrap()["x"][1]["k"],
            2
        );
    }

    #[test]
    fn non_objects_and_trailing_bytes_are_refused() {
        assert_eq!(parse_object(b"[1]"), Err(StrictJsonError::NotObject));
        assert!(matches!(
            parse_object(b"{} x"),
            Err(StrictJsonError::Syntax(_))
        ));
        assert!(matches!(
            parse_object(b"{\"a\":\"\xff\"}"),
            Err(StrictJsonError::Syntax(_))
        ));
    }
}
