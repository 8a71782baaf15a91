//! `sitemap.xml`: every page, section, taxonomy list and term in every
//! language it is written in, with reciprocal `xhtml:link` hreflang
//! alternates (itself included) and `x-default`. Fallback copies are left
//! out: their canonical URL is the original. Past 10,000 URLs the sitemap
//! becomes an index of numbered files, well under the protocol's limits.

use std::fmt::Write;

use super::{OutputFile, xml_escape};
use crate::model::Site;

const URLS_PER_FILE: usize = 10_000;

/// One URL with its language alternates.
struct Url {
    loc: String,
    lastmod: Option<String>,
    /// `(hreflang, URL)`, including the URL itself and `x-default`.
    alternates: Vec<(String, String)>,
}

pub fn sitemap(site: &Site) -> Vec<OutputFile> {
    let urls = collect(site);
    if urls.len() <= URLS_PER_FILE {
        return vec![OutputFile::bytes("sitemap.xml", urlset(&urls))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, chunk) in urls.chunks(URLS_PER_FILE).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        let _ = writeln!(
            index,
            "<sitemap><loc>{}</loc></sitemap>",
            xml_escape(&format!("{}/{name}", site.config.base_url))
        );
        files.push(OutputFile::bytes(name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.push(OutputFile::bytes("sitemap.xml", index));
    files
}

/// The names of the sitemap files, without writing them (`serve` finds the
/// numbered files a change removed). Counts what [`collect`] lists.
pub fn sitemap_files(site: &Site) -> Vec<String> {
    let pages = site.entries.iter().filter(|e| !e.is_fallback).count();
    let lists: usize = site
        .languages
        .iter()
        .flat_map(|l| &l.taxonomies)
        .map(|t| 1 + t.terms.len())
        .sum();
    let urls = pages + lists;
    if urls <= URLS_PER_FILE {
        return vec!["sitemap.xml".to_string()];
    }
    let mut names: Vec<String> = (1..=urls.div_ceil(URLS_PER_FILE))
        .map(|n| format!("sitemap-{n}.xml"))
        .collect();
    names.push("sitemap.xml".to_string());
    names
}

fn collect(site: &Site) -> Vec<Url> {
    let mut urls = Vec::new();
    let default = &site.config.default_language;
    for (id, e) in site.entries.iter().enumerate() {
        if e.is_fallback {
            continue;
        }
        let group = &site.groups[e.group];
        let mut alternates: Vec<(String, String)> = group
            .entries
            .iter()
            .filter(|(_, other)| !site.entries[**other].is_fallback)
            .map(|(lang, &other)| (lang.clone(), site.permalink(&site.entries[other].path)))
            .collect();
        // The default language's version, else the first own version in
        // site.yaml order: the same choice from every member of the group,
        // so the alternates stay reciprocal.
        let own = |code: &str| group.entries.get(code).filter(|&&d| !site.entries[d].is_fallback);
        let x_default = own(default)
            .or_else(|| site.config.languages.iter().find_map(|l| own(&l.code)))
            .map_or_else(
                || site.permalink(&e.path),
                |&d| site.permalink(&site.entries[d].path),
            );
        alternates.push(("x-default".to_string(), x_default));
        let front = &site.doc(&site.entries[id]).front;
        urls.push(Url {
            loc: site.permalink(&e.path),
            lastmod: front.public_updated().or(front.date).map(|d| d.to_rfc3339()),
            alternates,
        });
    }
    // Taxonomy lists and terms: the same slug in each language is one page.
    for index in &site.languages {
        for (t, tax) in index.taxonomies.iter().enumerate() {
            let same = |path_of: &dyn Fn(usize) -> Option<String>| -> Vec<(String, String)> {
                let mut alts: Vec<(String, String)> = site
                    .languages
                    .iter()
                    .enumerate()
                    .filter_map(|(i, l)| Some((l.code.clone(), site.permalink(&path_of(i)?))))
                    .collect();
                // As for pages: the default language's, else the first one,
                // so every member of the set names the same x-default.
                let x = alts
                    .iter()
                    .find(|(l, _)| l == default)
                    .or(alts.first())
                    .map(|(_, u)| u.clone());
                if let Some(x) = x {
                    alts.push(("x-default".to_string(), x));
                }
                alts
            };
            urls.push(Url {
                loc: site.permalink(&tax.path),
                lastmod: None,
                alternates: same(&|i| site.languages[i].taxonomies.get(t).map(|x| x.path.clone())),
            });
            for term in &tax.terms {
                urls.push(Url {
                    loc: site.permalink(&term.path),
                    lastmod: None,
                    alternates: same(&|i| {
                        site.languages[i]
                            .taxonomies
                            .get(t)?
                            .terms
                            .iter()
                            .find(|x| x.slug == term.slug)
                            .map(|x| x.path.clone())
                    }),
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
            for (lang, href) in &url.alternates {
                let _ = writeln!(
                    xml,
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    xml_escape(lang),
                    xml_escape(href)
                );
            }
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}
