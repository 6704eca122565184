//! A small JSON model the generator controls completely (duplicates, order,
//! number spelling), independent of serde_json.

/// A JSON value as the generator writes it.
#[derive(Clone, Debug, PartialEq)]
pub enum GVal {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// An integer, written in decimal.
    Int(i128),
    /// A number with a fraction, written like `1700000000.5`.
    Float(f64),
    /// A number written with an exponent, like `1.7e9`.
    Exp(f64),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<GVal>),
    /// An object; member names may repeat.
    Obj(Members),
}

/// Ordered object members; names may repeat.
pub type Members = Vec<(String, GVal)>;

impl GVal {
    pub(super) fn s(text: impl Into<String>) -> GVal {
        GVal::Str(text.into())
    }

    /// Write the value as JSON text.
    pub fn render(&self, out: &mut String) {
        match self {
            GVal::Null => out.push_str("null"),
            GVal::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            GVal::Int(i) => out.push_str(&i.to_string()),
            GVal::Float(f) => out.push_str(&format!("{f:?}")),
            GVal::Exp(f) => out.push_str(&format!("{f:e}")),
            GVal::Str(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
            GVal::Arr(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.render(out);
                }
                out.push(']');
            }
            GVal::Obj(members) => render_object(members, out),
        }
    }

    /// Whether this is a JSON number.
    pub fn is_number(&self) -> bool {
        matches!(self, GVal::Int(_) | GVal::Float(_) | GVal::Exp(_))
    }
}

fn render_object(members: &[(String, GVal)], out: &mut String) {
    out.push('{');
    for (i, (k, v)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(k).unwrap_or_default());
        out.push(':');
        v.render(out);
    }
    out.push('}');
}

/// JSON text of an object.
pub fn object_text(members: &[(String, GVal)]) -> String {
    let mut s = String::new();
    render_object(members, &mut s);
    s
}

pub(super) fn set(members: &mut Members, name: &str, value: GVal) {
    match members.iter_mut().find(|(k, _)| k == name) {
        Some(slot) => slot.1 = value,
        None => members.push((name.to_owned(), value)),
    }
}

pub(super) fn remove(members: &mut Members, name: &str) {
    members.retain(|(k, _)| k != name);
}
