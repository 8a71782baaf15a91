//! Urgent notices: `content/_notices/<name>[.<lang>].md`, short Markdown
//! shown on every page of every language while it is in force (`starts` ..
//! `ends`), optionally only below some sections. This module owns reading
//! them, their schedule and which text a language shows (through its
//! fallback chain); rendering their Markdown and choosing those a page
//! shows is the render layer's (`render::notices`), where and how they
//! appear is the theme's, and the page walk of `content` never sees this
//! folder.
//!
//! Notices are rendered into every page rather than fetched by script: the
//! page then carries the notice for readers without JavaScript, for every
//! cache in between and for search engines at once (README, "Urgent
//! notices", has the measurement behind this choice).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::config::{Config, yaml_error};
use crate::content::{CONTENT_DIR, NOTICES_DIR, front_matter, place};
use vitrine_core::diagnostics::{Diagnostic, Diagnostics, Location};

/// How urgent a notice is: an emergency is announced to screen readers
/// (`role="alert"`), only information can be dismissed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Emergency,
    Warning,
    Info,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Emergency => "emergency",
            Level::Warning => "warning",
            Level::Info => "info",
        }
    }
}

/// A notice's front matter as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNotice {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    level: Option<Level>,
    #[serde(default)]
    starts: Option<Spanned<String>>,
    #[serde(default)]
    ends: Option<Spanned<String>>,
    #[serde(default)]
    sections: Vec<String>,
}

/// One language's text of a notice.
#[derive(Debug, Clone)]
pub struct NoticeText {
    pub file: String,
    pub title: Option<String>,
    pub body: String,
    pub body_line: usize,
    /// Filled once the site model exists (`@/` links need it).
    pub html: String,
    /// Changes with the text: a reader who dismissed an earlier version
    /// sees the new one.
    pub version: String,
}

/// A notice in all its languages. Its level, schedule and sections come
/// from the default language's file (or, without one, the first file).
#[derive(Debug, Clone)]
pub struct Notice {
    pub name: String,
    pub level: Level,
    pub starts: Option<DateTime<FixedOffset>>,
    pub ends: Option<DateTime<FixedOffset>>,
    /// Top-level section folders it is limited to; empty: every page.
    pub sections: Vec<String>,
    pub texts: BTreeMap<String, NoticeText>,
}

impl Notice {
    pub fn is_active(&self, now: DateTime<FixedOffset>) -> bool {
        self.starts.is_none_or(|s| s <= now) && self.ends.is_none_or(|e| e > now)
    }

    /// The next time this notice appears or disappears after `now`.
    pub fn next_change(&self, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
        [self.starts, self.ends]
            .into_iter()
            .flatten()
            .filter(|t| *t > now)
            .min()
    }
}

/// One notice file, read and checked.
struct NoticeFile {
    name: String,
    lang: String,
    raw: RawNotice,
    text: NoticeText,
    at: Option<Location>,
}

/// Reads every notice of `content/_notices/`, in force or not (the
/// schedule needs the coming ones). A missing folder is no notice.
pub fn load(config: &Config) -> (Vec<Notice>, Diagnostics) {
    let dir = config.root.join(CONTENT_DIR).join(NOTICES_DIR);
    let mut diagnostics = Diagnostics::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return (Vec::new(), diagnostics);
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.ends_with(".md") && !n.starts_with('.'))
        .collect();
    names.sort();
    let mut files = Vec::new();
    for name in names {
        match read_file(config, &dir, &name) {
            Ok(f) => files.push(f),
            Err(d) => diagnostics.push(d),
        }
    }
    let mut by_name: BTreeMap<String, Vec<NoticeFile>> = BTreeMap::new();
    for f in files {
        by_name.entry(f.name.clone()).or_default().push(f);
    }
    let notices = by_name
        .into_values()
        .filter_map(|group| assemble(config, group, &mut diagnostics))
        .collect();
    (notices, diagnostics)
}

fn read_file(config: &Config, dir: &Path, name: &str) -> Result<NoticeFile, Diagnostic> {
    let file = format!("{CONTENT_DIR}/{NOTICES_DIR}/{name}");
    let placement = place(name);
    let lang = match placement.lang {
        Some(code) if config.is_language(&code) => code,
        Some(code) => {
            return Err(
                Diagnostic::error(format!("unknown language `{code}` in the file name"))
                    .in_file(&file)
                    .with_hint(format!("declare `{code}` in site.yaml or rename the notice")),
            );
        }
        None => config.default_language.clone(),
    };
    let text = std::fs::read_to_string(dir.join(name)).map_err(|e| {
        Diagnostic::error(format!("cannot read the notice: {e}"))
            .in_file(&file)
            .with_hint("notices must be UTF-8 text")
    })?;
    let split = front_matter::split(&text).map_err(|d| d.in_file(&file))?;
    let line_offset = split.yaml_line - 1;
    // A translation may have an empty front matter: it holds only text.
    let raw: RawNotice = if split.yaml.trim().is_empty() {
        RawNotice::default()
    } else {
        serde_saphyr::from_str(split.yaml).map_err(|e| {
            yaml_error(&e, &file, line_offset, split.yaml)
                .with_hint("a notice's front matter holds `level`, `starts`, `ends`, `sections` and `title`")
        })?
    };
    if split.body.trim().is_empty() {
        return Err(Diagnostic::error("the notice has no text")
            .in_file(&file)
            .at_line(split.body_line, 1)
            .with_hint("write the notice in a sentence or two below the front matter"));
    }
    let version = format!("{:08x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()) as u32);
    Ok(NoticeFile {
        name: placement.content_path,
        lang,
        text: NoticeText {
            file,
            title: raw.title.clone(),
            body: split.body.to_string(),
            body_line: split.body_line,
            html: String::new(),
            version,
        },
        raw,
        at: Some(Location::new(split.yaml_line, 1)),
    })
}

/// One notice from its language files; `None` (with the errors reported)
/// when its settings are missing or wrong.
fn assemble(config: &Config, mut group: Vec<NoticeFile>, errors: &mut Diagnostics) -> Option<Notice> {
    let lead = group
        .iter()
        .position(|f| f.lang == config.default_language)
        .unwrap_or(0);
    let first = group.swap_remove(lead);
    let file = first.text.file.clone();
    let date = |value: &Option<Spanned<String>>, field: &str, errors: &mut Diagnostics| {
        let v = value.as_ref()?;
        let parsed = crate::content::dates::parse_date(&v.value);
        if parsed.is_none() {
            let line = v.referenced.line() as usize + first.at.map_or(1, |l| l.line) - 1;
            errors.push(
                Diagnostic::error(format!("`{field}` is not a date: `{}`", v.value))
                    .in_file(&file)
                    .at_line(line, v.referenced.column() as usize)
                    .with_hint("write a date as 2025-09-02 or 2025-09-02T09:00:00+07:00"),
            );
        }
        parsed
    };
    let starts = date(&first.raw.starts, "starts", errors);
    let ends = date(&first.raw.ends, "ends", errors);
    let Some(level) = first.raw.level else {
        errors.push(
            Diagnostic::error("the notice has no `level`")
                .in_file(&file)
                .at_line(first.at.map_or(1, |l| l.line), 1)
                .with_hint("add `level: emergency`, `level: warning` or `level: info`"),
        );
        return None;
    };
    if let (Some(s), Some(e)) = (starts, ends)
        && e <= s
    {
        errors.push(
            Diagnostic::error("the notice ends before it starts")
                .in_file(&file)
                .with_hint("check `starts` and `ends`"),
        );
        return None;
    }
    let mut texts = BTreeMap::new();
    texts.insert(first.lang.clone(), first.text);
    for other in group {
        texts.insert(other.lang, other.text);
    }
    Some(Notice {
        name: first.name,
        level,
        starts,
        ends,
        sections: first.raw.sections,
        texts,
    })
}
