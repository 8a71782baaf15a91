//! Atom feeds: one per language, one per section and one per taxonomy term,
//! each with the newest dated pages written in that language (fallback copies
//! are left out: a feed in English carries English text).
//!
//! The feeds follow the W3C feed validator's rules for Atom (RFC 4287): the
//! feed names an `<author>` (the site, in the feed's language) so every entry
//! has one, a `<category scheme>` is the absolute URL of the taxonomy's list,
//! and `<updated>` is a real date of the site's content, never the epoch: the
//! newest entry's, or for a feed without entries, its language's newest page's.

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::{DateTime, FixedOffset};

use rayon::prelude::*;

use super::Prepared;
use vitrine_load::content::DocumentKind;
use vitrine_model::{EntryId, Site, Term};
use vitrine_output::{OutputFile, xml_escape};

/// The file name of every feed, beside the list it follows.
pub const FEED_FILE: &str = "atom.xml";

pub fn feeds(prepared: &Prepared) -> Vec<OutputFile> {
    feeds_in(prepared, |_| true)
}

/// The feeds of the languages `wanted` accepts (`serve` re-renders only
/// those of the language whose page changed).
pub fn feeds_in(prepared: &Prepared, wanted: impl Fn(&str) -> bool) -> Vec<OutputFile> {
    let empty_dates = empty_feed_updated(&prepared.site);
    if empty_dates.is_empty() {
        // No dated page anywhere: a feed would have nothing true to say in
        // its required <updated>.
        return Vec::new();
    }
    jobs(prepared, wanted)
        .par_iter()
        .map(|(path, title, pages, lang)| {
            let empty = empty_dates.get(lang.as_str()).map_or("", String::as_str);
            atom(prepared, path, title, pages, lang, empty)
        })
        .collect()
}

/// What a feed without entries says as its `<updated>`, by language: the
/// newest date of the language's own pages (fallback copies are another
/// language's text), or, for a language with none, of the whole site's.
/// Empty when no page anywhere has a date: there are no feeds then.
///
/// A rebuild compares these between the old and new model
/// ([`crate::render::plan::rerender`]): a language's empty feeds change
/// when another language's newest page does, if it has none of its own.
pub fn empty_feed_updated(site: &Site) -> BTreeMap<&str, String> {
    let mut newest: BTreeMap<&str, DateTime<FixedOffset>> = BTreeMap::new();
    for e in site.entries.iter().filter(|e| !e.is_fallback) {
        if let Some(date) = feed_date(site, e) {
            let at = newest.entry(e.lang.as_str()).or_insert(date);
            *at = (*at).max(date);
        }
    }
    let Some(site_newest) = newest.values().max().copied() else {
        return BTreeMap::new();
    };
    site.languages
        .iter()
        .map(|l| {
            let date = newest.get(l.code.as_str()).copied().unwrap_or(site_newest);
            (l.code.as_str(), date.to_rfc3339())
        })
        .collect()
}

/// When a page last changed, as feeds count it: its latest change note or
/// `updated`, else its date.
fn feed_date(site: &Site, entry: &vitrine_model::Entry) -> Option<DateTime<FixedOffset>> {
    let front = &site.doc(entry).front;
    front.public_updated().or(front.date)
}

/// The output path of every feed, without writing them (`serve` finds the
/// feeds a change removed).
pub fn feed_paths(prepared: &Prepared) -> Vec<String> {
    if empty_feed_updated(&prepared.site).is_empty() {
        return Vec::new();
    }
    jobs(prepared, |_| true)
        .into_iter()
        .map(|(path, ..)| format!("{path}{FEED_FILE}").trim_start_matches('/').to_string())
        .collect()
}

/// One feed to write: list path, title, pages, language.
type FeedJob = (String, String, Vec<EntryId>, String);

fn jobs(prepared: &Prepared, wanted: impl Fn(&str) -> bool) -> Vec<FeedJob> {
    let site = &prepared.site;
    let mut jobs: Vec<FeedJob> = Vec::new();
    for index in site.languages.iter().filter(|l| wanted(&l.code)) {
        let lang = &index.code;
        let title = super::site_title(&prepared.site, &prepared.services, lang);
        let pages: Vec<EntryId> = index
            .latest
            .iter()
            .copied()
            .filter(|&p| is_feed_item(prepared, p))
            .collect();
        jobs.push((
            site.config.language_prefix(lang),
            title.clone(),
            pages,
            lang.clone(),
        ));
        for tax in &index.taxonomies {
            for term in tax
                .terms
                .iter()
                .filter(|t| term_feed(site, &tax.name, t).is_some())
            {
                let pages = term
                    .pages
                    .iter()
                    .copied()
                    .filter(|&p| is_feed_item(prepared, p))
                    .collect();
                jobs.push((
                    term.path.clone(),
                    format!("{} – {}", term.name, title),
                    pages,
                    lang.clone(),
                ));
            }
        }
    }
    for e in &site.entries {
        let doc = site.doc(e);
        if e.kind == DocumentKind::Section && !doc.is_home() && wanted(&e.lang) {
            let pages = e
                .pages
                .iter()
                .copied()
                .filter(|&p| is_feed_item(prepared, p))
                .collect();
            let title = format!(
                "{} – {}",
                doc.front.title,
                super::site_title(&prepared.site, &prepared.services, &e.lang)
            );
            jobs.push((e.path.clone(), title, pages, e.lang.clone()));
        }
    }
    jobs
}

/// The path of a term's feed, when it has one: every term of a taxonomy
/// with `feed: true`, and every landing page (an audience's or a region's
/// readers follow their own news).
pub fn term_feed(site: &Site, taxonomy: &str, term: &Term) -> Option<String> {
    let wanted = site.config.taxonomy(taxonomy).is_some_and(|t| t.feed) || term.is_landing(site);
    wanted.then(|| format!("{}{FEED_FILE}", term.path))
}

fn is_feed_item(prepared: &Prepared, id: EntryId) -> bool {
    let e = &prepared.site.entries[id];
    !e.is_fallback && prepared.site.doc(e).front.date.is_some()
}

fn atom(
    prepared: &Prepared,
    list_path: &str,
    title: &str,
    pages: &[EntryId],
    lang: &str,
    empty_updated: &str,
) -> OutputFile {
    let site = &prepared.site;
    let limit = site.config.feed_limit;
    let feed_path = format!("{list_path}{FEED_FILE}");
    let feed_url = site.permalink(&feed_path);
    // Updated is the newest entry's date, not the build time: same prepared, same bytes.
    let updated = pages
        .iter()
        .filter_map(|&p| feed_date(site, &site.entries[p]))
        .max()
        .map_or_else(|| empty_updated.to_string(), |d| d.to_rfc3339());
    let home = site.permalink(&site.config.language_prefix(lang));
    let mut xml = String::with_capacity(4096);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n<id>{}</id>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<updated>{}</updated>\n<author><name>{}</name><uri>{}</uri></author>\n<generator uri=\"https://crates.io/crates/vitrine\">vitrine</generator>\n",
        xml_escape(lang),
        xml_escape(title),
        xml_escape(&feed_url),
        xml_escape(&feed_url),
        xml_escape(&site.permalink(list_path)),
        updated,
        xml_escape(&super::site_title(&prepared.site, &prepared.services, lang)),
        xml_escape(&home),
    );
    for &p in pages.iter().take(limit) {
        let e = &site.entries[p];
        let doc = site.doc(e);
        let url = site.permalink(&e.path);
        let published = doc.front.date.map(|d| d.to_rfc3339()).unwrap_or_default();
        let entry_updated = feed_date(site, e).map(|d| d.to_rfc3339()).unwrap_or_default();
        let body = &prepared.bodies[p];
        let summary = doc.front.summary.as_deref().unwrap_or(&body.summary);
        let _ = write!(
            xml,
            "<entry xml:lang=\"{}\">\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<published>{}</published>\n<updated>{}</updated>\n",
            xml_escape(&doc.lang),
            xml_escape(&doc.front.title),
            xml_escape(&url),
            xml_escape(&url),
            published,
            entry_updated,
        );
        if let Some(author) = &doc.front.author {
            let _ = writeln!(xml, "<author><name>{}</name></author>", xml_escape(author));
        }
        for terms in doc.front.taxonomies.iter() {
            // The scheme is the taxonomy's list in this language: an IRI, as
            // RFC 4287 wants, that a reader can open.
            let scheme = site.permalink(&format!(
                "{}{}/",
                site.config.language_prefix(&doc.lang),
                vitrine_core::slug::slugify(&terms.taxonomy)
            ));
            for term in terms.names() {
                let _ = writeln!(
                    xml,
                    "<category term=\"{}\" label=\"{}\" scheme=\"{}\"/>",
                    xml_escape(&vitrine_core::slug::slugify(term)),
                    xml_escape(term),
                    xml_escape(&scheme)
                );
            }
        }
        let credit = doc.front.rare().source.as_ref().map(|source| {
            let _ = writeln!(
                xml,
                "<source><title>{}</title><link rel=\"alternate\" href=\"{}\"/></source>",
                xml_escape(&source.name),
                xml_escape(&source.url)
            );
            source_credit(prepared, e, source)
        });
        let _ = write!(
            xml,
            "<summary type=\"text\">{}</summary>\n<content type=\"html\">{}{}</content>\n</entry>\n",
            xml_escape(summary),
            xml_escape(&prepared.bodies[p].html()),
            xml_escape(&credit.unwrap_or_default()),
        );
    }
    xml.push_str("</feed>\n");
    OutputFile::bytes(feed_path.trim_start_matches('/').to_string(), xml)
}

/// "Source: <name>" linked to the original, in the entry's language (the
/// theme's `source-credit` message; the bare name when it has none).
fn source_credit(
    prepared: &Prepared,
    entry: &vitrine_model::Entry,
    source: &vitrine_load::content::SourceRecord,
) -> String {
    use vitrine_load::i18n::MessageArg;
    let chain: Vec<&str> = prepared
        .site
        .config
        .language(&entry.lang)
        .map(|l| l.chain.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let label = prepared
        .services
        .messages
        .format(
            &chain,
            "source-credit",
            &[("source", MessageArg::Str(source.name.clone()))],
        )
        .unwrap_or_else(|_| source.name.clone());
    format!(
        "\n<p class=\"source-credit\"><a href=\"{}\">{}</a></p>",
        xml_escape(&source.url),
        xml_escape(&label)
    )
}
