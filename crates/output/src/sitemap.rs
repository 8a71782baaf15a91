//! `sitemap.xml`: every page, section, taxonomy list and term in every
//! language it is written in, and the root language picker, with the
//! hreflang cluster of `model::hreflang` (the same as in the pages' heads).
//! Fallback copies, empty taxonomy lists (noindex) and imported pages
//! credited to an original (their canonical URL is the original) are left
//! out. Past 10,000 URLs the sitemap
//! becomes an index of numbered files, well under the protocol's limits.
//!
//! Pages' URLs and the numbered files are made on every core: a rebuild
//! after a page came or went makes the whole sitemap again, and at 10,000
//! articles × 5 languages that took 0.24 s on one.

use std::fmt::Write;

use rayon::prelude::*;

use super::{Collect, OutputFile, Sink, xml_escape};
use vitrine_model::{EntryId, Site, hreflang};

const URLS_PER_FILE: usize = 10_000;

/// One URL with its language alternates.
struct Url {
    loc: String,
    lastmod: Option<String>,
    /// Including the URL itself and `x-default`.
    alternates: Vec<hreflang::Alternate>,
}

/// What a URL of the sitemap is of, in the sitemap's order: a few words
/// each, where its [`Url`] (with its alternates) is a few hundred bytes.
#[derive(Clone, Copy)]
enum Listed {
    /// The root language picker.
    Picker,
    Entry(EntryId),
    /// A taxonomy's list of terms, by language and taxonomy.
    List(usize, usize),
    /// A term, by language, taxonomy and term.
    Term(usize, usize, usize),
}

/// The sitemap's files, in memory. A build hands them to its sink as each
/// is made ([`put_sitemap`]).
pub fn sitemap(site: &Site) -> Vec<OutputFile> {
    let files = Collect::default();
    put_sitemap(site, &files);
    files.into_files()
}

/// Makes the sitemap's files and hands each to `sink` once made: a
/// numbered file's URLs are made with it and let go with it. Holding every
/// URL and file until the last was made was the peak of a 50,000-article ×
/// 5 build (about 380 MB above what rendering held).
pub fn put_sitemap(site: &Site, sink: &dyn Sink) {
    let listed = listed(site);
    if listed.len() <= URLS_PER_FILE {
        sink.put(OutputFile::bytes("sitemap.xml", urlset(site, &listed)));
        return;
    }
    listed
        .par_chunks(URLS_PER_FILE)
        .enumerate()
        .for_each(|(n, chunk)| sink.put(OutputFile::bytes(numbered(n), urlset(site, chunk))));
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for name in numbered_files(listed.len()) {
        let _ = writeln!(
            index,
            "<sitemap><loc>{}</loc></sitemap>",
            xml_escape(&format!("{}/{name}", site.config.base_url))
        );
    }
    index.push_str("</sitemapindex>\n");
    sink.put(OutputFile::bytes("sitemap.xml", index));
}

/// The name of the `n`th numbered file (from 0).
fn numbered(n: usize) -> String {
    format!("sitemap-{}.xml", n + 1)
}

/// The numbered files of a sitemap of `urls` URLs: none when one file
/// holds them all.
fn numbered_files(urls: usize) -> Vec<String> {
    match urls <= URLS_PER_FILE {
        true => Vec::new(),
        false => (0..urls.div_ceil(URLS_PER_FILE)).map(numbered).collect(),
    }
}

/// The names of the sitemap files, without writing them (`serve` finds the
/// numbered files a change removed).
pub fn sitemap_files(site: &Site) -> Vec<String> {
    let mut names = numbered_files(listed(site).len());
    names.push("sitemap.xml".to_string());
    names
}

/// A page whose canonical URL is its own. Terms are listed with their
/// taxonomy.
fn is_listed(site: &Site, entry: &vitrine_model::Entry) -> bool {
    let source = site.doc(entry).front.rare().source.as_ref();
    entry.kind != vitrine_load::content::DocumentKind::Term
        && !entry.is_fallback
        && source.is_none_or(|s| s.canonical == vitrine_load::config::sources::SourceCanonical::Own)
}

/// Every URL of the sitemap, in order: the picker (without the default
/// language at the root, `/` is the language picker, the homes'
/// x-default), the pages, then each language's taxonomy lists (not the
/// empty ones: they are noindex) with their terms (not fallback copies:
/// they are noindex too).
fn listed(site: &Site) -> Vec<Listed> {
    let mut listed = Vec::new();
    if !hreflang::picker_cluster(site).is_empty() {
        listed.push(Listed::Picker);
    }
    let pages: Vec<Listed> = (0..site.entries.len())
        .into_par_iter()
        .filter(|&id| is_listed(site, &site.entries[id]))
        .map(Listed::Entry)
        .collect();
    listed.extend(pages);
    for (l, index) in site.languages.iter().enumerate() {
        for (t, tax) in index.taxonomies.iter().enumerate() {
            if !tax.terms.is_empty() {
                listed.push(Listed::List(l, t));
            }
            let terms = tax.terms.iter().enumerate();
            listed.extend(
                terms
                    .filter(|(_, term)| !hreflang::term_is_fallback(site, term))
                    .map(|(k, _)| Listed::Term(l, t, k)),
            );
        }
    }
    listed
}

/// The URL of `listed`, with its alternates.
fn url(site: &Site, listed: Listed) -> Url {
    let (loc, lastmod, alternates) = match listed {
        Listed::Picker => (site.permalink("/"), None, hreflang::picker_cluster(site)),
        Listed::Entry(id) => {
            let e = &site.entries[id];
            let front = &site.doc(e).front;
            let lastmod = front.public_updated().or(front.date).map(|d| d.to_rfc3339());
            (
                site.permalink(&e.path),
                lastmod,
                hreflang::entry_cluster(site, id, 1),
            )
        }
        Listed::List(l, t) => {
            let tax = &site.languages[l].taxonomies[t];
            let cluster = hreflang::list_cluster(site, 1, |i| hreflang::taxonomy_list(i, t));
            (site.permalink(&tax.path), None, cluster)
        }
        Listed::Term(l, t, k) => {
            let term = &site.languages[l].taxonomies[t].terms[k];
            (
                site.permalink(&term.path),
                None,
                hreflang::term_cluster(site, l, t, k, 1),
            )
        }
    };
    Url {
        loc,
        lastmod,
        alternates,
    }
}

/// A `<urlset>` of the URLs `listed`.
fn urlset(site: &Site, listed: &[Listed]) -> String {
    let mut xml = String::with_capacity(listed.len() * 600);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    for url in listed.iter().map(|&l| url(site, l)) {
        let _ = write!(xml, "<url>\n<loc>{}</loc>\n", xml_escape(&url.loc));
        if let Some(lastmod) = &url.lastmod {
            let _ = writeln!(xml, "<lastmod>{lastmod}</lastmod>");
        }
        if !url.alternates.is_empty() {
            for a in &url.alternates {
                let _ = writeln!(
                    xml,
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    xml_escape(&a.hreflang),
                    xml_escape(&a.href)
                );
            }
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}
