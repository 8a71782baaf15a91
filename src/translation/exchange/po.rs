//! gettext PO for [`Exchange`]. Each unit is an entry whose `msgctxt` is
//! `<source file>|<unit id>|<source hash>` (kept by every PO tool, so the
//! page and its version come back), placeholders are numbered markers
//! (`<1>…</1>`, `<2/>`), and comments carry the context: `#.` for the kind,
//! heading, URL and what each marker stands for, `#:` for the file.
//! `#, fuzzy` marks a draft; the flags `machine` and `reviewed` carry those
//! states (PO has no words of its own for them).

use std::fmt::Write as _;

use super::pieces::{from_marked, to_marked};
use super::{Exchange, PageWork, ParseError, UnitState, WorkUnit};

/// Writes the PO file.
pub fn write(ex: &Exchange) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Page text of the site, {} → {}: written by `vitrine i18n export`.\n# Keep every <n>…</n> and <n/> marker once; they stand for links, emphasis and code.",
        ex.source_language, ex.target_language
    );
    out.push_str("msgid \"\"\nmsgstr \"\"\n");
    for header in [
        "Project-Id-Version: vitrine\n".to_string(),
        "PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\n".into(),
        "Last-Translator: \n".into(),
        format!("Language-Team: {}\n", ex.target_language),
        format!("Language: {}\n", ex.target_language),
        "MIME-Version: 1.0\n".into(),
        "Content-Type: text/plain; charset=UTF-8\n".into(),
        "Content-Transfer-Encoding: 8bit\n".into(),
        format!("X-Source-Language: {}\n", ex.source_language),
    ] {
        let _ = writeln!(out, "{}", quote(&header));
    }
    for page in &ex.pages {
        for unit in &page.units {
            out.push('\n');
            write_entry(&mut out, page, unit);
        }
    }
    out
}

fn write_entry(out: &mut String, page: &PageWork, unit: &WorkUnit) {
    let mut comment = |text: String| {
        for line in text.lines() {
            let _ = writeln!(out, "#. {line}");
        }
    };
    comment(match &unit.heading {
        Some(h) => format!("{} under the heading “{h}”", unit.kind),
        None => unit.kind.clone(),
    });
    let section = if page.section.is_empty() {
        "home"
    } else {
        &page.section
    };
    comment(format!("Page {} (section: {section})", page.url));
    if unit.prefilled {
        comment("Unchanged since the last translation: msgstr is the current translation".into());
    }
    for (id, (open, close)) in &unit.markup {
        comment(match close {
            Some(close) => format!("<{id}>…</{id}> stands for {open}…{close}"),
            None => format!("<{id}/> stands for {open}"),
        });
    }
    let _ = writeln!(out, "#: {}", page.source_file.replace(' ', "\u{2007}"));
    let flags: Vec<&str> = match (&unit.target, unit.state) {
        (Some(_), UnitState::Machine) => vec!["fuzzy", "machine"],
        (Some(_), UnitState::Reviewed) => vec!["reviewed"],
        _ => vec![],
    };
    if !flags.is_empty() {
        let _ = writeln!(out, "#, {}", flags.join(", "));
    }
    let context = format!("{}|{}|{}", page.source_file, unit.id, page.source_hash);
    let _ = writeln!(out, "msgctxt {}", quote(&context));
    let _ = writeln!(out, "msgid {}", quote(&to_marked(&unit.source)));
    let target = unit.target.as_deref().map(to_marked).unwrap_or_default();
    let _ = writeln!(out, "msgstr {}", quote(&target));
}

/// A PO string literal.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One entry as read.
#[derive(Default)]
struct Entry {
    flags: Vec<String>,
    context: Option<String>,
    id: Option<String>,
    plural: bool,
    strs: Vec<String>,
    obsolete: bool,
    /// 1-based line of the entry's first keyword, for errors.
    line: usize,
}

/// Which string the continuation lines extend.
#[derive(Clone, Copy, PartialEq)]
enum Field {
    None,
    Context,
    Id,
    Plural,
    Str,
}

/// Reads a PO file.
pub fn parse(text: &str) -> Result<Exchange, ParseError> {
    let mut entries = Vec::new();
    let mut entry = Entry::default();
    let mut field = Field::None;
    let mut offset = 0;
    for (n, raw) in text.split_inclusive('\n').enumerate() {
        let line_at = offset;
        offset += raw.len();
        let line = raw.trim();
        let err = |col: usize, m: String| ParseError::at(text, line_at + col, m);
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix('#') {
            if entry.id.is_some() && field != Field::None && !rest.starts_with('~') {
                entries.push(std::mem::take(&mut entry));
                field = Field::None;
            }
            if let Some(flags) = rest.strip_prefix(',') {
                entry.flags.extend(flags.split(',').map(|f| f.trim().to_string()));
            } else if rest.starts_with('~') {
                entry.obsolete = true;
            }
            continue;
        }
        let keyword_end = line
            .find(|c: char| c.is_whitespace() || c == '"')
            .unwrap_or(line.len());
        let (keyword, rest) = line.split_at(keyword_end);
        let rest = rest.trim_start();
        let column =
            raw.len() - raw.trim_start().len() + keyword_end + (line.len() - keyword_end - rest.len());
        let value = if keyword.is_empty() {
            unquote(line).map_err(|(c, m)| err(c, m))?
        } else {
            unquote(rest).map_err(|(c, m)| err(column + c, m))?
        };
        let starts_entry = matches!(keyword, "msgctxt") || (keyword == "msgid" && entry.context.is_none());
        if starts_entry && entry.id.is_some() {
            entries.push(std::mem::take(&mut entry));
        }
        if entry.line == 0 {
            entry.line = n + 1;
        }
        field = match keyword {
            "" => {
                match field {
                    Field::Context => push(&mut entry.context, &value),
                    Field::Id => push(&mut entry.id, &value),
                    Field::Plural => {}
                    Field::Str => {
                        if let Some(last) = entry.strs.last_mut() {
                            last.push_str(&value);
                        }
                    }
                    Field::None => return Err(err(0, "a string outside any msgid or msgstr".into())),
                }
                field
            }
            "msgctxt" => {
                entry.context = Some(value);
                Field::Context
            }
            "msgid" => {
                entry.id = Some(value);
                Field::Id
            }
            "msgid_plural" => {
                entry.plural = true;
                Field::Plural
            }
            k if k == "msgstr" || (k.starts_with("msgstr[") && k.ends_with(']')) => {
                if entry.id.is_none() {
                    return Err(err(0, "msgstr without a msgid before it".into()));
                }
                entry.strs.push(value);
                Field::Str
            }
            other => return Err(err(0, format!("`{other}` is not a PO keyword"))),
        };
    }
    if entry.id.is_some() {
        entries.push(entry);
    }
    build(text, entries)
}

fn push(slot: &mut Option<String>, value: &str) {
    slot.get_or_insert_with(String::new).push_str(value);
}

/// Reads `"…"` with C escapes; errors give a column inside `text`.
fn unquote(text: &str) -> Result<String, (usize, String)> {
    let inner = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .filter(|_| text.len() >= 2)
        .ok_or((0, "expected a string in double quotes".to_string()))?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next().map(|(_, c)| c) {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some('a') => out.push('\u{7}'),
                Some('b') => out.push('\u{8}'),
                Some('f') => out.push('\u{c}'),
                Some('v') => out.push('\u{b}'),
                other => {
                    return Err((
                        i + 1,
                        format!(
                            "unknown escape `\\{}`",
                            other.map(String::from).unwrap_or_default()
                        ),
                    ));
                }
            },
            '"' => return Err((i + 1, "a `\"` inside a string must be written `\\\"`".to_string())),
            c => out.push(c),
        }
    }
    Ok(out)
}

/// Groups entries into pages by their context.
fn build(text: &str, entries: Vec<Entry>) -> Result<Exchange, ParseError> {
    let mut ex = Exchange {
        source_language: String::new(),
        target_language: String::new(),
        pages: Vec::new(),
    };
    for entry in entries {
        if entry.obsolete {
            continue;
        }
        let err = |m: String| ParseError {
            message: m,
            line: entry.line,
            column: 1,
        };
        let id = entry.id.clone().unwrap_or_default();
        if id.is_empty() && entry.context.is_none() {
            let header = entry.strs.first().cloned().unwrap_or_default();
            for line in header.lines() {
                if let Some(v) = line.strip_prefix("Language:") {
                    ex.target_language = v.trim().to_string();
                } else if let Some(v) = line.strip_prefix("X-Source-Language:") {
                    ex.source_language = v.trim().to_string();
                }
            }
            continue;
        }
        let context = entry.context.clone().unwrap_or_default();
        let mut parts = context.rsplitn(3, '|');
        let (Some(hash), Some(unit_id), Some(file)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(err(format!(
                "the entry `{}` has no vitrine context (msgctxt \"<file>|<unit>|<hash>\"): was it added by hand?",
                excerpt(&id)
            )));
        };
        if entry.plural {
            return Err(err(format!(
                "unit `{unit_id}` has plural forms; page text has none"
            )));
        }
        let target = entry.strs.first().cloned().unwrap_or_default();
        let fuzzy = entry.flags.iter().any(|f| f == "fuzzy");
        let state = if target.is_empty() {
            UnitState::New
        } else if entry.flags.iter().any(|f| f == "machine") {
            UnitState::Machine
        } else if fuzzy {
            UnitState::Translated
        } else if entry.flags.iter().any(|f| f == "reviewed") {
            UnitState::Reviewed
        } else {
            UnitState::Translated
        };
        let unit = WorkUnit {
            id: unit_id.to_string(),
            source: from_marked(&id),
            target: (!target.is_empty()).then(|| from_marked(&target)),
            state,
            kind: String::new(),
            heading: None,
            prefilled: false,
            markup: Default::default(),
        };
        match ex
            .pages
            .iter_mut()
            .find(|p| p.source_file == file && p.source_hash == hash)
        {
            Some(page) => page.units.push(unit),
            None => ex.pages.push(PageWork {
                source_file: file.to_string(),
                source_hash: hash.to_string(),
                url: String::new(),
                section: String::new(),
                units: vec![unit],
            }),
        }
    }
    let _ = text;
    Ok(ex)
}

fn excerpt(text: &str) -> String {
    text.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_escapes_continuations_and_flags() {
        let po = "msgid \"\"\nmsgstr \"\"\n\"Language: fr\\n\"\n\n#, fuzzy\nmsgctxt \"content/a.md|b1|abc\"\nmsgid \"Say \\\"hi\\\"\"\n\"\\tthere\"\nmsgstr \"Dis \"\n\"<1>bonjour</1>\"\n";
        let ex = parse(po).expect("parses");
        assert_eq!(ex.target_language, "fr");
        let unit = &ex.pages[0].units[0];
        assert_eq!(unit.id, "b1");
        assert_eq!(to_marked(&unit.source), "Say \"hi\"\tthere");
        assert_eq!(
            unit.target.as_deref().map(to_marked).as_deref(),
            Some("Dis <1>bonjour</1>")
        );
        assert_eq!(unit.state, UnitState::Translated);
        assert_eq!(ex.pages[0].source_hash, "abc");
    }

    #[test]
    fn malformed_po_names_line_and_column() {
        let e = parse("msgid \"a\"\nmsgstr \"b\\q\"\n").expect_err("an error");
        assert_eq!((e.line, e.column), (2, 10));
        let e = parse("msgid \"a\"\nmsgstr b\n").expect_err("an error");
        assert_eq!(e.line, 2);
        assert!(parse("msgstr \"x\"\n").is_err());
    }
}
