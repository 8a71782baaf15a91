//! Where the shortcode calls of a body are, to the byte, and which of their
//! arguments are text to translate. The shortcodes module parses calls and
//! reports their syntax errors; this scan reads each call with that parser
//! (so the same text is a call here and in the build; calls in fenced code
//! and backtick spans are text) and never fails: what the parser refuses is
//! left as Markdown.

use std::ops::Range;

use serde_json::Value;

use crate::shortcodes::{Fence, find_close, parse_syntax};

/// One call in a body.
#[derive(Debug, Clone)]
pub struct CallSpan {
    /// The call's bytes: `{{ … }}`, or for the block form the `{% … %}`
    /// text of its line (the body between is Markdown of its own).
    pub range: Range<usize>,
    pub name: String,
    /// `{% name(…) %}` or `{% end %}`: a line of its own.
    pub block: bool,
    pub args: Vec<ArgSpan>,
}

/// A quoted argument whose value is text for readers.
#[derive(Debug, Clone)]
pub struct ArgSpan {
    pub key: String,
    /// The bytes between the quotes.
    pub value: Range<usize>,
    pub quote: char,
    /// The value with its escapes read.
    pub text: String,
}

/// Arguments that name files, addresses or choices, never words.
const NOT_TEXT: &[&str] = &[
    "src",
    "url",
    "href",
    "youtube",
    "vimeo",
    "thumbnail",
    "image",
    "kind",
    "type",
    "class",
    "id",
    "date",
    "lang",
    "icon",
    "width",
    "height",
    "value",
    "unit",
    "ratio",
    "start",
    "style",
];

/// Every call of `body`, in order.
pub fn scan(body: &str) -> Vec<CallSpan> {
    let mut calls = Vec::new();
    let mut fence = Fence::default();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim();
        if fence.is_code(trimmed) {
            continue;
        }
        if let Some(inner) = trimmed.strip_prefix("{%").and_then(|r| r.strip_suffix("%}")) {
            let lead = line.len() - line.trim_start().len();
            let range = start + lead..start + lead + trimmed.len();
            let inner_at = range.start + 2 + (inner.len() - inner.trim_start().len());
            if let Some(call) = parse(inner.trim(), inner_at, range.clone(), true) {
                calls.push(call);
            } else if inner.trim() == "end" {
                calls.push(CallSpan {
                    range,
                    name: "end".to_string(),
                    block: true,
                    args: Vec::new(),
                });
            }
            continue;
        }
        inline_calls(line, start, &mut calls);
    }
    calls
}

fn inline_calls(line: &str, line_start: usize, calls: &mut Vec<CallSpan>) {
    let mut from = 0;
    while let Some(found) = line[from..].find("{{") {
        let at = from + found;
        from = at + 2;
        if line[..at].matches('`').count() % 2 == 1 {
            continue;
        }
        let after = &line[at + 2..];
        let Some(end) = find_close(after) else {
            continue;
        };
        let inner = &after[..end];
        let inner_at = line_start + at + 2 + (inner.len() - inner.trim_start().len());
        let range = line_start + at..line_start + at + 2 + end + 2;
        if let Some(call) = parse(inner.trim(), inner_at, range, false) {
            from = at + 2 + end + 2;
            calls.push(call);
        }
    }
}

/// Reads `name(key="v", …)` starting at byte `at` of the body, with the
/// shortcode parser; `None` when it is not a call the build would accept.
fn parse(text: &str, at: usize, range: Range<usize>, block: bool) -> Option<CallSpan> {
    let call = parse_syntax(text).ok()?;
    let args = call
        .args
        .into_iter()
        .filter_map(|arg| {
            let (quote, value) = arg.quoted?;
            let Value::String(text) = arg.value else {
                return None;
            };
            is_text(&arg.key, &text).then(|| ArgSpan {
                key: arg.key,
                value: at + value.start..at + value.end,
                quote,
                text,
            })
        })
        .collect();
    Some(CallSpan {
        range,
        name: call.name,
        block,
        args,
    })
}

/// Words for readers, not a path, an address or a keyword.
fn is_text(key: &str, value: &str) -> bool {
    let looks_like_address = value.starts_with('/')
        || value.starts_with("@/")
        || value.starts_with('#')
        || value.contains("://")
        || value.starts_with("mailto:");
    !NOT_TEXT.contains(&key) && !looks_like_address && value.chars().any(char::is_alphabetic)
}

/// `value` written between `quote`s as the shortcode parser reads it back.
pub fn quote_value(value: &str, quote: char) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_calls_and_their_text_arguments() {
        let body = "Intro {{ key_figure(value=7.09, unit=\"%\", label=\"GDP \\\"growth\\\"\") }}.\n\n```\n{{ figure(alt=\"code\") }}\n```\n\n{% quote(by='Hồ Chí Minh', date=\"1945-09-02\") %}\nText `{{ not(a=\"call\") }}`\n{% end %}\n";
        let calls = scan(body);
        let names: Vec<&str> = calls.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["key_figure", "quote", "end"]);
        assert_eq!(
            &body[calls[0].range.clone()],
            "{{ key_figure(value=7.09, unit=\"%\", label=\"GDP \\\"growth\\\"\") }}"
        );
        assert_eq!(calls[0].args.len(), 1);
        assert_eq!(calls[0].args[0].text, "GDP \"growth\"");
        assert_eq!(&body[calls[0].args[0].value.clone()], "GDP \\\"growth\\\"");
        assert_eq!(calls[1].args[0].key, "by");
        assert_eq!(&body[calls[1].args[0].value.clone()], "Hồ Chí Minh");
        assert_eq!(quote_value("a \"b\" \\", '"'), "a \\\"b\\\" \\\\");
    }
}
