//! Finding shortcode calls in a Markdown body: `{{ name(key="v", n=3) }}`
//! anywhere in a line, and `{% name(…) %}` … `{% end %}` around Markdown.
//! Each call is replaced by a token that survives Markdown untouched; line
//! count is kept so Markdown errors still point at the right file line.
//! Calls inside code (fenced blocks, backtick spans) are left as text.

use std::collections::BTreeMap;
use std::iter::Peekable;
use std::ops::Range;
use std::str::CharIndices;

use serde_json::Value;

use vitrine_core::diagnostics::Diagnostic;

/// One shortcode call found in a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: BTreeMap<String, Value>,
    /// The Markdown between `{% name(…) %}` and `{% end %}`.
    pub body: Option<String>,
    /// 1-based file line of the call.
    pub line: usize,
}

/// The token standing for call `index` in the Markdown text.
pub fn token(index: usize) -> String {
    format!("vitrineshortcode{index}x")
}

const HINT_SYNTAX: &str = "write a shortcode as {{ name(key=\"value\", number=3, flag=true) }}";

/// Replaces every call in `body` by its token. `first_line` is the file line
/// of the body's first line. All syntax errors are returned, not only the first.
pub fn extract(body: &str, first_line: usize) -> Result<(String, Vec<Call>), Vec<Diagnostic>> {
    let mut out = String::with_capacity(body.len());
    let mut calls = Vec::new();
    let mut errors = Vec::new();
    let mut fence = Fence::default();
    let mut open_body: Option<(Call, String)> = None;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let line_no = first_line + i;
        let trimmed = line.trim();
        if let Some((call, text)) = open_body.take() {
            if is_end(trimmed) {
                calls.push(Call {
                    body: Some(text),
                    ..call
                });
            } else {
                open_body = Some((call, text + line));
            }
            out.push('\n');
            continue;
        }
        if fence.is_code(trimmed) {
            out.push_str(line);
            continue;
        }
        if let Some(inner) = trimmed.strip_prefix("{%").and_then(|r| r.strip_suffix("%}")) {
            match parse_call(inner.trim(), line_no) {
                Ok(call) => {
                    out.push_str(&token(calls.len()));
                    out.push('\n');
                    open_body = Some((call, String::new()));
                }
                Err(e) => {
                    errors.push(e);
                    out.push_str(line);
                }
            }
            continue;
        }
        out.push_str(&replace_inline(line, line_no, &mut calls, &mut errors));
    }
    if let Some((call, _)) = open_body {
        errors.push(
            Diagnostic::error(format!("the shortcode `{}` is not closed", call.name))
                .at_line(call.line, 1)
                .with_hint("end it with a line holding only {% end %}"),
        );
    }
    if errors.is_empty() {
        Ok((out, calls))
    } else {
        Err(errors)
    }
}

/// Follows fenced code blocks line by line: calls inside them are text.
#[derive(Debug, Default)]
pub struct Fence(Option<String>);

impl Fence {
    /// Whether a line (trimmed) opens, closes or is inside a fenced block.
    pub fn is_code(&mut self, trimmed: &str) -> bool {
        let marker: String = trimmed.chars().take_while(|c| *c == '`' || *c == '~').collect();
        if marker.len() >= 3 {
            match &self.0 {
                Some(open) if marker.starts_with(open.as_str()) => self.0 = None,
                None => self.0 = Some(marker),
                Some(_) => {}
            }
            return true;
        }
        self.0.is_some()
    }
}

fn is_end(trimmed: &str) -> bool {
    trimmed
        .strip_prefix("{%")
        .and_then(|r| r.strip_suffix("%}"))
        .is_some_and(|inner| inner.trim() == "end")
}

/// Replaces the `{{ name(…) }}` calls of one line (outside backtick spans).
fn replace_inline(line: &str, line_no: usize, calls: &mut Vec<Call>, errors: &mut Vec<Diagnostic>) -> String {
    let mut out = String::new();
    let mut rest = line;
    let mut consumed = 0;
    while let Some(start) = rest.find("{{") {
        let before = &line[..consumed + start];
        let in_code = before.matches('`').count() % 2 == 1;
        let after = &rest[start + 2..];
        let looks_like_call = after
            .trim_start()
            .split('(')
            .next()
            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            && after.contains('(');
        let Some(end) = (!in_code && looks_like_call).then(|| find_close(after)).flatten() else {
            out.push_str(&rest[..start + 2]);
            consumed += start + 2;
            rest = &rest[start + 2..];
            continue;
        };
        out.push_str(&rest[..start]);
        match parse_call(after[..end].trim(), line_no) {
            Ok(call) => {
                out.push_str(&token(calls.len()));
                calls.push(call);
            }
            Err(mut e) => {
                e = e.at_line(line_no, consumed + start + 1);
                errors.push(e);
            }
        }
        consumed += start + 2 + end + 2;
        rest = &rest[start + 2 + end + 2..];
    }
    out.push_str(rest);
    out
}

/// Where the closing `}}` is, skipping quoted strings.
pub fn find_close(text: &str) -> Option<usize> {
    let mut quote = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(_), '\\') if !escaped => {
                escaped = true;
                continue;
            }
            (Some(q), c) if c == q && !escaped => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, '}') if text[i..].starts_with("}}") => return Some(i),
            _ => {}
        }
        escaped = false;
    }
    None
}

/// Parses `name(key=value, …)` into a call at file line `line`.
fn parse_call(text: &str, line: usize) -> Result<Call, Diagnostic> {
    let syntax = parse_syntax(text)
        .map_err(|message| Diagnostic::error(message).at_line(line, 1).with_hint(HINT_SYNTAX))?;
    Ok(Call {
        name: syntax.name,
        // `parse_syntax` refuses a key given twice, so none is lost here.
        args: syntax.args.into_iter().map(|a| (a.key, a.value)).collect(),
        body: None,
        line,
    })
}

/// A call as written: its name and its arguments in order, with where each
/// quoted value lies, so that a caller can rewrite a value in place
/// (`vitrine i18n export` protects and replaces argument text).
#[derive(Debug, Clone, PartialEq)]
pub struct CallSyntax {
    pub name: String,
    pub args: Vec<ArgSyntax>,
}

/// One `key=value` of a call.
#[derive(Debug, Clone, PartialEq)]
pub struct ArgSyntax {
    pub key: String,
    /// The value, escapes read.
    pub value: Value,
    /// For a quoted string: its quote, and the bytes between the quotes
    /// (relative to the text given to [`parse_syntax`]).
    pub quoted: Option<(char, Range<usize>)>,
}

/// Parses `name(key=value, …)`, the text between `{{ }}` or `{% %}`,
/// trimmed. The error is the message of the first syntax error.
pub fn parse_syntax(text: &str) -> Result<CallSyntax, String> {
    let open = text
        .find('(')
        .ok_or_else(|| format!("`{text}` is not a shortcode call"))?;
    let name = text[..open].trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("`{name}` is not a shortcode name"));
    }
    let inner = text[open + 1..]
        .trim_end()
        .strip_suffix(')')
        .ok_or_else(|| format!("the call of `{name}` has no closing `)`"))?;
    let base = open + 1;
    let mut args: Vec<ArgSyntax> = Vec::new();
    let mut chars = inner.char_indices().peekable();
    loop {
        while chars.next_if(|(_, c)| c.is_whitespace() || *c == ',').is_some() {}
        let Some(&(key_start, _)) = chars.peek() else {
            break;
        };
        let mut key_end = key_start;
        while let Some((i, c)) = chars.next_if(|(_, c)| c.is_ascii_alphanumeric() || *c == '_') {
            key_end = i + c.len_utf8();
        }
        let key = &inner[key_start..key_end];
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        if key.is_empty() || chars.next().map(|(_, c)| c) != Some('=') {
            return Err(format!("the arguments of `{name}` must be key=value pairs"));
        }
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let (value, quoted) = match chars.peek().copied() {
            Some((at, q @ ('"' | '\''))) => {
                chars.next();
                let (s, end) = quoted_string(&mut chars, q)
                    .ok_or_else(|| format!("a string of `{name}({key}=…)` is not closed"))?;
                (Value::String(s), Some((q, base + at + 1..base + end)))
            }
            _ => {
                let mut word = String::new();
                while let Some((_, c)) = chars.next_if(|(_, c)| *c != ',' && !c.is_whitespace()) {
                    word.push(c);
                }
                let value = literal(&word).ok_or_else(|| {
                    format!(
                        "`{word}` is not a value for `{key}`: quote text, or write a number, true or false"
                    )
                })?;
                (value, None)
            }
        };
        if args.iter().any(|a| a.key == key) {
            return Err(format!("`{key}` is given twice to `{name}`"));
        }
        args.push(ArgSyntax {
            key: key.to_string(),
            value,
            quoted,
        });
    }
    Ok(CallSyntax {
        name: name.to_string(),
        args,
    })
}

/// Reads a string after its opening quote `q`, escapes read; returns it
/// with the index of its closing quote, or `None` when it is not closed.
fn quoted_string(chars: &mut Peekable<CharIndices>, q: char) -> Option<(String, usize)> {
    let mut s = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next().map(|(_, c)| c) {
                Some('n') => s.push('\n'),
                Some(other) => s.push(other),
                None => return None,
            },
            c if c == q => return Some((s, i)),
            c => s.push(c),
        }
    }
    None
}

fn literal(word: &str) -> Option<Value> {
    match word {
        "true" => Some(Value::Bool(true)),
        "false" => Some(Value::Bool(false)),
        _ => {
            if let Ok(i) = word.parse::<i64>() {
                return Some(Value::from(i));
            }
            word.parse::<f64>()
                .ok()
                .filter(|f| f.is_finite())
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_block_and_body_calls_but_not_code() {
        let body = "Intro {{ kf(value=3, label=\"a \\\"b\\\"\") }} end.\n\n```\n{{ figure(src=\"x\") }}\n```\n{% quote(by=\"Minister\") %}\nText *here*.\n{% end %}\n`{{ no(x=1) }}`\n";
        let (out, calls) = extract(body, 10).expect("parses");
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].name, "kf");
        assert_eq!(calls[0].args["value"], Value::from(3));
        assert_eq!(calls[0].args["label"], Value::from("a \"b\""));
        assert_eq!(calls[1].name, "quote");
        assert_eq!(calls[1].body.as_deref(), Some("Text *here*.\n"));
        assert_eq!(calls[1].line, 15);
        assert!(
            out.contains("{{ figure(src=\"x\") }}"),
            "code is untouched: {out}"
        );
        assert!(out.contains("`{{ no(x=1) }}`"));
        assert_eq!(out.lines().count(), body.lines().count(), "line count kept");
    }

    #[test]
    fn reports_bad_calls_at_their_line() {
        let errors = extract("ok\n{{ figure(src=unquoted text) }}\n{% quote() %}\n", 5).expect_err("bad");
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].location.map(|l| l.line), Some(6));
        assert!(errors[1].message.contains("not closed"));
    }
}
