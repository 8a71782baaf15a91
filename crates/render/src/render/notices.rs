//! Notices as pages show them: each text's Markdown rendered in its
//! language, and the notices one page shows (`notices` in templates): those in force,
//! limited to the page's sections when they say so, each in the page's
//! language or the first language of its fallback chain that has it.

use serde::Serialize;

use super::EntryLinks;
use vitrine_core::diagnostics::Diagnostics;
use vitrine_load::content::DocumentKind;
use vitrine_load::notices::{Level, Notice};
use vitrine_model::Site;

/// A notice as templates see it.
#[derive(Debug, Serialize)]
pub struct NoticeView<'a> {
    /// The notice's file name without language: stable across versions.
    pub name: &'a str,
    /// Changes with the text: where a dismissal is remembered.
    pub version: &'a str,
    pub level: &'static str,
    /// Only information can be dismissed: warnings and emergencies stay.
    pub dismissible: bool,
    pub title: Option<&'a str>,
    pub html: &'a str,
    /// The language of the text, which differs from the page's for fallback text.
    pub lang: &'a str,
    pub dir: &'static str,
    pub is_fallback: bool,
}

/// The notices a page at site path `path` shows in `lang`, in the order
/// emergency, warning, information (then by name).
pub fn views_for<'a>(site: &'a Site, lang: &str, path: &str) -> Vec<NoticeView<'a>> {
    let Some(language) = site.config.language(lang) else {
        return Vec::new();
    };
    let mut views: Vec<(Level, NoticeView<'a>)> = site
        .notices
        .iter()
        .filter(|n| in_sections(site, n, lang, path))
        .filter_map(|n| {
            let (text_lang, text) = language
                .chain
                .iter()
                .find_map(|l| n.texts.get_key_value(l))
                .or_else(|| n.texts.iter().next())?;
            let view = NoticeView {
                name: &n.name,
                version: &text.version,
                level: n.level.as_str(),
                dismissible: n.level == Level::Info,
                title: text.title.as_deref(),
                html: &text.html,
                lang: text_lang,
                dir: site
                    .config
                    .language(text_lang)
                    .map_or(vitrine_load::config::Direction::of_language(text_lang), |l| l.dir)
                    .as_str(),
                is_fallback: text_lang != lang,
            };
            Some((n.level, view))
        })
        .collect();
    views.sort_by(|a, b| (a.0 as u8, a.1.name).cmp(&(b.0 as u8, b.1.name)));
    views.into_iter().map(|(_, v)| v).collect()
}

/// Whether a notice limited to some sections applies at `path`.
fn in_sections(site: &Site, notice: &Notice, lang: &str, path: &str) -> bool {
    notice.sections.is_empty()
        || notice.sections.iter().any(|s| {
            site.find(DocumentKind::Section, s.trim_matches('/'), lang)
                .is_some_and(|e| path.starts_with(&site.entries[e].path))
        })
}

/// Renders each text's Markdown, with `@/` links resolved in its language.
pub fn render_texts(site: &Site, notices: &mut [Notice]) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    let options = vitrine_markdown::MarkdownOptions {
        allow_html: site.config.allow_html,
        ..Default::default()
    };
    for notice in notices.iter_mut() {
        for (lang, text) in notice.texts.iter_mut() {
            let links = EntryLinks { site, lang };
            match vitrine_markdown::render(&text.body, text.body_line, &options, &links) {
                Ok(r) => text.html = r.html,
                Err(errs) => diagnostics.extend(errs.into_iter().map(|d| d.in_file(&text.file))),
            }
        }
    }
    diagnostics
}
