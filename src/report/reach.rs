//! Reach readiness of a language: what the build will publish for feed
//! readers, search engines and the site's search, counted from the model
//! with the rules `render::feeds`, `output::sitemap` and `search` follow
//! (one feed per language, per section and per term of a taxonomy with
//! feeds; sitemap URLs for a language's own text; indexed pages).

use serde::Serialize;

use crate::content::DocumentKind;
use crate::model::Site;
use crate::translation::coverage::count_words;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Reach {
    pub feeds: usize,
    /// URLs of this language in `sitemap.xml` (0 when `sitemap: false`).
    pub sitemap_urls: usize,
    /// Pages in the language's search index (0 when `search: false`).
    pub search_pages: usize,
    pub search_words: usize,
}

pub fn of_language(site: &Site, lang: &str) -> Reach {
    let config = &site.config;
    let mut reach = Reach {
        feeds: 1,
        ..Reach::default()
    };
    if let Some(index) = site.language(lang) {
        reach.feeds += index
            .taxonomies
            .iter()
            .filter(|t| config.taxonomy(&t.name).is_some_and(|c| c.feed))
            .map(|t| t.terms.len())
            .sum::<usize>();
    }
    for entry in site.entries.iter().filter(|e| e.lang == lang) {
        let doc = site.doc(entry);
        if entry.kind == DocumentKind::Section && !doc.is_home() {
            reach.feeds += 1;
        }
        if entry.is_fallback {
            continue;
        }
        reach.sitemap_urls += usize::from(config.sitemap);
        if config.search && entry.kind == DocumentKind::Page && doc.front.search {
            reach.search_pages += 1;
            reach.search_words += count_words(&doc.body);
        }
    }
    reach
}
