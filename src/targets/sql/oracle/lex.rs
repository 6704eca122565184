//! The oracle's own SQL lexer and literal decoders, one set of rules per
//! dialect, written from the databases' documented lexical grammar and
//! sharing no code with the renderer or with sqlparser: MySQL backslash
//! escapes and `-- ` comments that need a space, PostgreSQL `E''` escapes,
//! dollar quotes and nested block comments, SQLite's four identifier
//! quotes.

use crate::targets::sql::Dialect;

/// One token as the oracle reads it.
#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    /// A string literal, decoded.
    Str(String),
    /// A hex/blob literal, raw digits.
    Blob(String),
    /// A quoted identifier, decoded.
    Ident(String),
    /// An unquoted word, ASCII-uppercased.
    Word(String),
    /// A number as written.
    Num(String),
    /// A placeholder (`?`, `?3`, `$2`).
    Param(String),
    /// A template hole (`?` or `{…}` when lexing a template).
    Hole,
    /// Any other character.
    Punct(char),
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || !c.is_ascii()
}

fn is_ident_part(d: Dialect, c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii() || (c == '$' && d != Dialect::Sqlite)
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// Lex `s` in dialect `d`; with `template`, `?` and `{…}` are holes.
///
/// # Errors
///
/// An unterminated literal, identifier or comment, or an invalid escape.
pub fn lex(d: Dialect, s: &str, template: bool) -> Result<Vec<Tok>, String> {
    let c: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mysql = matches!(d, Dialect::Mysql | Dialect::MysqlNoBackslashEscapes);
    while i < c.len() {
        let ch = c[i];
        let next = c.get(i + 1).copied();
        if is_space(ch) {
            i += 1;
        } else if (ch == '-'
            && next == Some('-')
            && (!mysql
                || c.get(i + 2)
                    .is_none_or(|&n| is_space(n) || n.is_ascii_control())))
            || (ch == '#' && mysql)
        {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && next == Some('*') {
            let mut depth = 1;
            i += 2;
            while depth > 0 {
                match (c.get(i), c.get(i + 1)) {
                    (None, _) => return Err("unterminated comment".into()),
                    (Some('*'), Some('/')) => {
                        depth -= 1;
                        i += 2;
                    }
                    (Some('/'), Some('*')) if d == Dialect::Postgres => {
                        depth += 1;
                        i += 2;
                    }
                    _ => i += 1,
                }
            }
        } else if ch == '\'' || (ch == '"' && mysql) {
            let (v, n) = string(d, &c[i..], false)?;
            out.push(Tok::Str(v));
            i += n;
        } else if ch == '"' || (ch == '`' && (mysql || d == Dialect::Sqlite)) {
            let (v, n) = quoted_ident(&c[i..], ch)?;
            out.push(Tok::Ident(v));
            i += n;
        } else if ch == '[' && d == Dialect::Sqlite && !template {
            let end = c[i..]
                .iter()
                .position(|&x| x == ']')
                .ok_or("unterminated [")?;
            out.push(Tok::Ident(c[i + 1..i + end].iter().collect()));
            i += end + 1;
        } else if (ch == 'E' || ch == 'e') && next == Some('\'') && d == Dialect::Postgres {
            let (v, n) = string(d, &c[i + 1..], true)?;
            out.push(Tok::Str(v));
            i += n + 1;
        } else if (ch == 'X' || ch == 'x') && next == Some('\'') {
            let end = c[i + 2..]
                .iter()
                .position(|&x| x == '\'')
                .ok_or("unterminated X''")?;
            out.push(Tok::Blob(c[i + 2..i + 2 + end].iter().collect()));
            i += end + 3;
        } else if (ch == 'N' || ch == 'n') && next == Some('\'') && d != Dialect::Postgres {
            let (v, n) = string(d, &c[i + 1..], false)?;
            out.push(Tok::Str(v));
            i += n + 1;
        } else if ch == '$' && d == Dialect::Postgres {
            let mut j = i + 1;
            if next.is_some_and(|x| x.is_ascii_digit()) {
                while c.get(j).is_some_and(char::is_ascii_digit) {
                    j += 1;
                }
                out.push(Tok::Param(c[i..j].iter().collect()));
                i = j;
                continue;
            }
            while c
                .get(j)
                .is_some_and(|&x| x.is_ascii_alphanumeric() || x == '_' || !x.is_ascii())
            {
                j += 1;
            }
            if c.get(j) != Some(&'$') {
                out.push(Tok::Punct('$'));
                i += 1;
                continue;
            }
            let tag: Vec<char> = c[i..=j].to_vec();
            let body_start = j + 1;
            let mut k = body_start;
            loop {
                if k + tag.len() > c.len() {
                    return Err("unterminated dollar quote".into());
                }
                if c[k..k + tag.len()] == tag[..] {
                    break;
                }
                k += 1;
            }
            out.push(Tok::Str(c[body_start..k].iter().collect()));
            i = k + tag.len();
        } else if ch == '?' {
            let mut j = i + 1;
            if !template {
                while c.get(j).is_some_and(char::is_ascii_digit) {
                    j += 1;
                }
            }
            out.push(if template {
                Tok::Hole
            } else {
                Tok::Param(c[i..j].iter().collect())
            });
            i = j;
        } else if ch == '{' && template {
            let end = c[i..]
                .iter()
                .position(|&x| x == '}')
                .ok_or("unterminated {")?;
            out.push(Tok::Hole);
            i += end + 1;
        } else if ch.is_ascii_digit() || (ch == '.' && next.is_some_and(|x| x.is_ascii_digit())) {
            let mut j = i;
            if ch == '0' && matches!(next, Some('x' | 'X')) && (mysql || d == Dialect::Sqlite) {
                j += 2;
                while c.get(j).is_some_and(char::is_ascii_hexdigit) {
                    j += 1;
                }
            } else {
                while c.get(j).is_some_and(|x| x.is_ascii_digit() || *x == '.') {
                    j += 1;
                }
                if matches!(c.get(j), Some('e' | 'E'))
                    && (c.get(j + 1).is_some_and(char::is_ascii_digit)
                        || (matches!(c.get(j + 1), Some('+' | '-'))
                            && c.get(j + 2).is_some_and(char::is_ascii_digit)))
                {
                    j += 2;
                    while c.get(j).is_some_and(char::is_ascii_digit) {
                        j += 1;
                    }
                }
            }
            out.push(Tok::Num(c[i..j].iter().collect()));
            i = j;
        } else if is_ident_start(ch) {
            let mut j = i + 1;
            while c.get(j).is_some_and(|&x| is_ident_part(d, x)) {
                j += 1;
            }
            out.push(Tok::Word(
                c[i..j].iter().collect::<String>().to_ascii_uppercase(),
            ));
            i = j;
        } else {
            out.push(Tok::Punct(ch));
            i += 1;
        }
    }
    Ok(out)
}

fn quoted_ident(c: &[char], q: char) -> Result<(String, usize), String> {
    let mut v = String::new();
    let mut i = 1;
    loop {
        match c.get(i) {
            None => return Err(format!("unterminated {q}identifier")),
            Some(&x) if x == q => {
                if c.get(i + 1) == Some(&q) {
                    v.push(q);
                    i += 2;
                } else {
                    return Ok((v, i + 1));
                }
            }
            Some(&x) => {
                v.push(x);
                i += 1;
            }
        }
    }
}

/// A quoted string starting at `c[0]` (its quote): decoded value and
/// length in chars. `escape`: PostgreSQL `E''` rules.
fn string(d: Dialect, c: &[char], escape: bool) -> Result<(String, usize), String> {
    let q = c[0];
    let mysql_bs = d == Dialect::Mysql;
    let mut bytes: Vec<u8> = Vec::new();
    let push = |b: &mut Vec<u8>, ch: char| {
        let mut buf = [0; 4];
        b.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
    };
    let mut i = 1;
    loop {
        let Some(&x) = c.get(i) else {
            return Err("unterminated string".into());
        };
        if x == q {
            if c.get(i + 1) == Some(&q) {
                push(&mut bytes, q);
                i += 2;
                continue;
            }
            let s = String::from_utf8(bytes).map_err(|_| "escapes make invalid UTF-8")?;
            return Ok((s, i + 1));
        }
        if x == '\\' && mysql_bs {
            let Some(&e) = c.get(i + 1) else {
                return Err("unterminated string".into());
            };
            match e {
                '0' => bytes.push(0),
                'b' => bytes.push(8),
                'n' => bytes.push(b'\n'),
                'r' => bytes.push(b'\r'),
                't' => bytes.push(b'\t'),
                'Z' => bytes.push(0x1a),
                '%' | '_' => {
                    bytes.push(b'\\');
                    push(&mut bytes, e);
                }
                e => push(&mut bytes, e),
            }
            i += 2;
            continue;
        }
        if x == '\\' && escape {
            let Some(&e) = c.get(i + 1) else {
                return Err("unterminated string".into());
            };
            i += 2;
            let digits = |i: &mut usize, radix: u32, max: usize| -> Option<u32> {
                let mut v = 0u32;
                let mut n = 0;
                while n < max {
                    match c.get(*i).and_then(|d| d.to_digit(radix)) {
                        Some(dv) => {
                            v = v * radix + dv;
                            *i += 1;
                            n += 1;
                        }
                        None => break,
                    }
                }
                (n > 0).then_some(v)
            };
            match e {
                'b' => bytes.push(8),
                'f' => bytes.push(12),
                'n' => bytes.push(b'\n'),
                'r' => bytes.push(b'\r'),
                't' => bytes.push(b'\t'),
                '0'..='7' => {
                    i -= 1;
                    let v = digits(&mut i, 8, 3).unwrap_or(0);
                    if v == 0 {
                        return Err("NUL escape".into());
                    }
                    bytes.push((v & 0xff) as u8);
                }
                'x' => match digits(&mut i, 16, 2) {
                    Some(0) => return Err("NUL escape".into()),
                    Some(v) => bytes.push(v as u8),
                    None => bytes.push(b'x'),
                },
                'u' | 'U' => {
                    let n = if e == 'u' { 4 } else { 8 };
                    let v = digits(&mut i, 16, n).ok_or("bad unicode escape")?;
                    let ch = char::from_u32(v)
                        .filter(|&c| c != '\0')
                        .ok_or("bad unicode escape")?;
                    push(&mut bytes, ch);
                }
                e => push(&mut bytes, e),
            }
            continue;
        }
        push(&mut bytes, x);
        i += 1;
    }
}

/// A LIKE pattern element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LikeElem {
    /// `%`
    Any,
    /// `_`
    One,
    /// A literal character.
    Lit(char),
}

/// Read a LIKE pattern with escape character `esc` (SQL standard rules:
/// the escape makes the next character literal).
///
/// # Errors
///
/// A pattern ending in the escape character.
pub fn like_elems(p: &str, esc: char) -> Result<Vec<LikeElem>, String> {
    let mut out = Vec::new();
    let mut it = p.chars();
    while let Some(c) = it.next() {
        out.push(if c == esc {
            LikeElem::Lit(it.next().ok_or("pattern ends in the escape character")?)
        } else if c == '%' {
            LikeElem::Any
        } else if c == '_' {
            LikeElem::One
        } else {
            LikeElem::Lit(c)
        });
    }
    Ok(out)
}
