//! The feed of changes, one per language (`/changes.xml`, `/en/changes.xml`):
//! every public change note (`changes:`) and correction (`corrections:`) of
//! the pages written in that language, newest first. Minor edits carry no
//! note, so they never appear here, and the feed's `<updated>` is the
//! newest note's date, not the build time.

use std::fmt::Write;

use chrono::{DateTime, FixedOffset};

use super::Prepared;
use vitrine_load::content::dates::parse_date;
use vitrine_load::i18n::DateLength;
use vitrine_load::i18n::MessageArg;
use vitrine_model::EntryId;
use vitrine_output::{OutputFile, xml_escape};

/// The file name of the feed of changes, at each language's root.
pub const CHANGES_FILE: &str = "changes.xml";

/// One change or correction of one page.
struct Item<'a> {
    page: EntryId,
    date: DateTime<FixedOffset>,
    note: &'a str,
    /// `change` or `correction` (the Atom category, and the id's anchor).
    kind: &'static str,
}

/// The feeds of changes of every language.
pub fn changes_feeds(prepared: &Prepared) -> Vec<OutputFile> {
    changes_feeds_in(prepared, |_| true)
}

/// The feeds of changes of the languages `wanted` accepts.
pub fn changes_feeds_in(prepared: &Prepared, wanted: impl Fn(&str) -> bool) -> Vec<OutputFile> {
    prepared
        .site
        .languages
        .iter()
        .filter(|index| wanted(&index.code))
        .map(|index| feed(prepared, &index.code))
        .collect()
}

fn items<'a>(prepared: &'a Prepared, lang: &'a str) -> Vec<Item<'a>> {
    let site = &prepared.site;
    let mut items: Vec<Item<'a>> = Vec::new();
    for page in site.own_pages(lang) {
        let front = &site.doc(&site.entries[page]).front;
        items.extend(front.rare().changes.iter().map(|c| Item {
            page,
            date: c.date,
            note: &c.note,
            kind: "change",
        }));
        items.extend(front.rare().corrections.iter().filter_map(|c| {
            Some(Item {
                page,
                date: parse_date(&c.date)?,
                note: &c.text,
                kind: "correction",
            })
        }));
    }
    items.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| site.entries[a.page].path.cmp(&site.entries[b.page].path))
            .then_with(|| a.kind.cmp(b.kind))
    });
    items
}

fn feed(prepared: &Prepared, lang: &str) -> OutputFile {
    let site = &prepared.site;
    let prefix = site.config.language_prefix(lang);
    let path = format!("{prefix}{CHANGES_FILE}");
    let url = site.permalink(&path);
    let items = items(prepared, lang);
    let chain: Vec<&str> = site
        .config
        .language(lang)
        .map(|l| l.chain.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let message = |key: &str, fallback: &str| {
        prepared
            .services
            .messages
            .format(&chain, key, &[])
            .unwrap_or_else(|_| fallback.to_string())
    };
    let title = format!(
        "{} – {}",
        super::site_title(&prepared.site, &prepared.services, lang),
        message("changes-feed", "Changes")
    );
    let updated = items.first().map_or_else(
        || "1970-01-01T00:00:00+00:00".to_string(),
        |i| i.date.to_rfc3339(),
    );
    let mut xml = String::with_capacity(4096);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n<id>{}</id>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<updated>{updated}</updated>\n<author><name>{}</name></author>\n<generator uri=\"https://crates.io/crates/vitrine\">vitrine</generator>\n",
        xml_escape(lang),
        xml_escape(&title),
        xml_escape(&url),
        xml_escape(&url),
        xml_escape(&site.permalink(&prefix)),
        xml_escape(&super::site_title(&prepared.site, &prepared.services, lang)),
    );
    for item in items.iter().take(site.config.feed_limit) {
        let entry = &site.entries[item.page];
        let page_url = site.permalink(&entry.path);
        let day = prepared
            .services
            .cldr
            .format_date(lang, item.date.date_naive(), DateLength::Long);
        let key = if item.kind == "change" {
            "updated-on"
        } else {
            "corrected-on"
        };
        let when = prepared
            .services
            .messages
            .format(&chain, key, &[("date", MessageArg::Str(day.clone()))])
            .unwrap_or(day);
        let _ = write!(
            xml,
            "<entry>\n<title>{}</title>\n<id>{}#{}-{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<updated>{}</updated>\n<category term=\"{}\"/>\n<summary type=\"text\">{}</summary>\n</entry>\n",
            xml_escape(&format!(
                "{} – {}",
                site.doc(entry).front.title,
                strip_isolation(&when)
            )),
            xml_escape(&page_url),
            item.kind,
            item.date.format("%Y%m%dT%H%M%S"),
            xml_escape(&page_url),
            item.date.to_rfc3339(),
            item.kind,
            xml_escape(item.note),
        );
    }
    xml.push_str("</feed>\n");
    OutputFile::bytes(path.trim_start_matches('/').to_string(), xml)
}

/// Fluent wraps arguments in Unicode isolation marks, which feed readers
/// show as boxes; a title is plain text.
fn strip_isolation(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{2068}' | '\u{2069}'))
        .collect()
}
