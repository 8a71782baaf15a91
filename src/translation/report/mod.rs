//! The three faces of `vitrine i18n status`: a compact terminal table
//! ([`text`]), stable JSON for CI dashboards ([`json`], schema in the
//! README), and a self-contained HTML page for people who decide ([`html`]).

pub mod html;
pub mod json;
pub mod text;

/// Which face of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Html,
}

use crate::translation::coverage::{Cell, PageRow, State};

/// Pages a language lacks (missing or shown through a fallback).
pub(crate) fn untranslated<'a>(
    rows: &'a [PageRow],
    lang: &'a str,
) -> impl Iterator<Item = (&'a PageRow, &'a Cell)> + 'a {
    cells(rows, lang).filter(|(_, c)| matches!(c.state, State::Missing | State::Fallback))
}

/// Translations into a language whose source changed since they were stamped.
pub(crate) fn stale<'a>(
    rows: &'a [PageRow],
    lang: &'a str,
) -> impl Iterator<Item = (&'a PageRow, &'a Cell)> + 'a {
    cells(rows, lang).filter(|(_, c)| c.stale.is_some())
}

/// Machine translations into a language (readers see a notice).
pub(crate) fn machine<'a>(
    rows: &'a [PageRow],
    lang: &'a str,
) -> impl Iterator<Item = (&'a PageRow, &'a Cell)> + 'a {
    cells(rows, lang).filter(|(_, c)| {
        c.state == State::Translated && c.status == Some(crate::content::TranslationStatus::Machine)
    })
}

fn cells<'a>(rows: &'a [PageRow], lang: &'a str) -> impl Iterator<Item = (&'a PageRow, &'a Cell)> + 'a {
    rows.iter()
        .filter_map(move |r| r.languages.get(lang).map(|c| (r, c)))
}

/// The name a section is shown under.
pub(crate) fn section_label(section: &str) -> &str {
    if section.is_empty() { "(home)" } else { section }
}
