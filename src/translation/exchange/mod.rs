//! Page text in translators' own tools: `vitrine i18n export` writes the
//! missing and stale pages of a language as XLIFF 1.2, XLIFF 2.0 or PO, one
//! unit per segment with inline Markdown protected as placeholders, and
//! `vitrine i18n import` writes the translations back as `<slug>.<lang>.md`.
//!
//! [`segment`] cuts pages into units and rebuilds them; [`xliff`] and [`po`]
//! read and write the files, through the format-free [`Exchange`] model;
//! [`export`] and [`import`] connect them to the site; [`front`] edits a
//! translation's front matter line by line. Staleness itself (hashes and
//! snapshots) is [`super::staleness`]'s; the UI's Fluent messages are
//! [`fluent`]'s.

mod calls;
pub mod commands;
pub mod export;
pub mod fluent;
mod front;
pub mod import;
pub mod pieces;
pub mod po;
#[cfg(test)]
mod props;
pub mod pseudo;
pub mod segment;
pub mod xliff;

use std::collections::BTreeMap;

pub use commands::{ExportOptions, ImportOptions, run_export, run_import};
pub use pieces::Piece;

/// The file formats translators' tools read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// XLIFF 1.2 (Trados, memoQ, Phrase, Crowdin, Translate Toolkit).
    Xliff,
    /// XLIFF 2.0.
    Xliff2,
    /// gettext PO (Weblate, Pontoon, Poedit).
    Po,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xliff => "xlf",
            Format::Xliff2 => "xliff",
            Format::Po => "po",
        }
    }
}

/// The work of one language, whatever the file format.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    pub source_language: String,
    pub target_language: String,
    pub pages: Vec<PageWork>,
}

/// The units of one page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageWork {
    /// The source file: `content/culture/ao-dai.md`.
    pub source_file: String,
    /// The source version the units were cut from (see `staleness`).
    pub source_hash: String,
    /// Where readers of the target language find the page.
    pub url: String,
    pub section: String,
    pub units: Vec<WorkUnit>,
}

/// One translation unit.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkUnit {
    pub id: String,
    pub source: Vec<Piece>,
    pub target: Option<Vec<Piece>>,
    pub state: UnitState,
    /// `paragraph`, `heading`, `figure: caption`…
    pub kind: String,
    /// The source text of the heading above the unit.
    pub heading: Option<String>,
    /// Unchanged since the translation was stamped: the target is the
    /// existing translation, there for context and memories.
    pub prefilled: bool,
    /// What each placeholder stands for (opening, and closing for a pair),
    /// shown to translators; import takes the real bytes from the source.
    pub markup: BTreeMap<u32, (String, Option<String>)>,
}

/// How far a unit's translation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitState {
    /// Not translated.
    New,
    /// Translated by a person, not signed off.
    Translated,
    /// Machine translation, not reviewed.
    Machine,
    /// Signed off.
    Reviewed,
}

/// A file that cannot be read, with where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    pub message: String,
    /// 1-based line and column, when known.
    pub line: usize,
    pub column: usize,
}

impl ParseError {
    pub fn at(text: &str, byte: usize, message: impl Into<String>) -> ParseError {
        let before = &text[..floor_char_boundary(text, byte.min(text.len()))];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ParseError {
            message: message.into(),
            line,
            column,
        }
    }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Reads an XLIFF 1.2, XLIFF 2.x or PO file, whichever it is. Pure and
/// total: any bytes give a result or an error, never a panic (a fuzzing
/// entry point).
pub fn parse(bytes: &[u8]) -> Result<Exchange, ParseError> {
    let text = std::str::from_utf8(bytes).map_err(|e| ParseError {
        message: format!("the file is not UTF-8 (byte {})", e.valid_up_to() + 1),
        line: 0,
        column: 0,
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let head = text.trim_start();
    if head.starts_with('<') {
        xliff::parse(text)
    } else {
        po::parse(text)
    }
}

/// Writes an exchange in `format`.
pub fn write(exchange: &Exchange, format: Format) -> String {
    match format {
        Format::Xliff => xliff::write_12(exchange),
        Format::Xliff2 => xliff::write_20(exchange),
        Format::Po => po::write(exchange),
    }
}
