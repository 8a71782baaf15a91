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

use super::{OutputFile, xml_escape};
use vitrine_model::{Site, hreflang};

const URLS_PER_FILE: usize = 10_000;

/// One URL with its language alternates.
struct Url {
    loc: String,
    lastmod: Option<String>,
    /// Including the URL itself and `x-default`.
    alternates: Vec<hreflang::Alternate>,
}

pub fn sitemap(site: &Site) -> Vec<OutputFile> {
    let urls = collect(site);
    if urls.len() <= URLS_PER_FILE {
        return vec![OutputFile::bytes("sitemap.xml", urlset(&urls))];
    }
    let mut files: Vec<OutputFile> = urls
        .par_chunks(URLS_PER_FILE)
        .enumerate()
        .map(|(n, chunk)| OutputFile::bytes(format!("sitemap-{}.xml", n + 1), urlset(chunk)))
        .collect();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for file in &files {
        let _ = writeln!(
            index,
            "<sitemap><loc>{}</loc></sitemap>",
            xml_escape(&format!("{}/{}", site.config.base_url, file.path))
        );
    }
    index.push_str("</sitemapindex>\n");
    files.push(OutputFile::bytes("sitemap.xml", index));
    files
}

/// The names of the sitemap files, without writing them (`serve` finds the
/// numbered files a change removed). Counts what [`collect`] lists.
pub fn sitemap_files(site: &Site) -> Vec<String> {
    let pages = site.entries.iter().filter(|e| is_listed(site, e)).count();
    let lists: usize = site
        .languages
        .iter()
        .flat_map(|l| &l.taxonomies)
        .map(|t| {
            let listed = t.terms.iter().filter(|x| !hreflang::term_is_fallback(site, x));
            usize::from(!t.terms.is_empty()) + listed.count()
        })
        .sum();
    let picker = usize::from(!site.config.default_language_at_root);
    let urls = pages + lists + picker;
    if urls <= URLS_PER_FILE {
        return vec!["sitemap.xml".to_string()];
    }
    let mut names: Vec<String> = (1..=urls.div_ceil(URLS_PER_FILE))
        .map(|n| format!("sitemap-{n}.xml"))
        .collect();
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

fn collect(site: &Site) -> Vec<Url> {
    let mut urls = Vec::new();
    // Without the default language at the root, `/` is the language picker,
    // the homes' x-default.
    let picker = hreflang::picker_cluster(site);
    if !picker.is_empty() {
        urls.push(Url {
            loc: site.permalink("/"),
            lastmod: None,
            alternates: picker,
        });
    }
    let pages: Vec<Url> = site
        .entries
        .par_iter()
        .enumerate()
        .filter(|(_, e)| is_listed(site, e))
        .map(|(id, e)| {
            let front = &site.doc(e).front;
            Url {
                loc: site.permalink(&e.path),
                lastmod: front.public_updated().or(front.date).map(|d| d.to_rfc3339()),
                alternates: hreflang::entry_cluster(site, id, 1),
            }
        })
        .collect();
    urls.extend(pages);
    // Taxonomy lists (not the empty ones: they are noindex) and terms.
    for (l, index) in site.languages.iter().enumerate() {
        for (t, tax) in index.taxonomies.iter().enumerate() {
            if !tax.terms.is_empty() {
                urls.push(Url {
                    loc: site.permalink(&tax.path),
                    lastmod: None,
                    alternates: hreflang::list_cluster(site, 1, |i| hreflang::taxonomy_list(i, t)),
                });
            }
            for (k, term) in tax.terms.iter().enumerate() {
                // A fallback copy is noindex: not a URL to list.
                if hreflang::term_is_fallback(site, term) {
                    continue;
                }
                urls.push(Url {
                    loc: site.permalink(&term.path),
                    lastmod: None,
                    alternates: hreflang::term_cluster(site, l, t, k, 1),
                });
            }
        }
    }
    urls
}

fn urlset(urls: &[Url]) -> String {
    let mut xml = String::with_capacity(urls.len() * 600);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    for url in urls {
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
