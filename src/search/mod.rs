//! Site search: at build time, one index per language written as small
//! static files under `search/<lang>/` (see [`shards`]); the default theme's
//! `search.js` fetches only the shards a query needs. Terms are normalized
//! by [`normalize`], the same rules the script applies to queries.
//!
//! The work is split so that pages are read once: the Markdown pass counts
//! each body into the [`lexicon`] ([`body`] is what a page keeps), then
//! each language's [`index`] turns those counts into terms ([`vocabulary`])
//! and [`postings`], which [`shards`] writes out. [`words`] is the table
//! words are looked up in, by both.
//!
//! An index of our own rather than Pagefind: see the README's "Search"
//! section for the comparison (size, query speed, build cost).

pub mod body;
pub mod index;
pub mod lexicon;
pub mod normalize;
pub mod postings;
pub mod shards;
pub mod vocabulary;
pub mod words;

use rayon::prelude::*;

use crate::model::{Entry, Site};
use crate::output::{OutputFile, Sink};
use crate::render::Env;
pub use body::BodyTerms;
pub use lexicon::Lexicon;

/// Whether `entry` goes into its language's index: text written in that
/// language (not a fallback copy), not the home, not `search: false`, and
/// search on for the site (drafts never reach the model unless built with
/// `--drafts`).
pub fn indexed(site: &Site, entry: &Entry) -> bool {
    let doc = site.doc(entry);
    let home = entry.is_section() && doc.content_path.is_empty();
    site.config.search && !entry.is_fallback && doc.front.search && !home
}

/// Builds every language's index and hands its files to `sink` as soon as
/// that language is done, rather than holding every language's files
/// until the last is built.
pub fn put_files(env: &Env, sink: &dyn Sink) {
    if !env.site.config.search {
        return;
    }
    by_work(env, |_| true).into_par_iter().for_each(|lang| {
        for file in language_files(env, lang) {
            sink.put(file);
        }
    });
}

/// The codes of the languages `wanted` accepts, the largest index first:
/// each language's index is built on one core, and the largest (Chinese,
/// with five times the terms of the others on the benchmark corpus),
/// started last, would finish alone while the other cores wait.
fn by_work(env: &Env, wanted: impl Fn(&str) -> bool) -> Vec<&str> {
    let mut work: Vec<(usize, &str)> = env
        .site
        .languages
        .iter()
        .filter(|language| wanted(&language.code))
        .map(|language| (body_tokens(env, &language.code), language.code.as_str()))
        .collect();
    work.sort_by_key(|&(w, _)| std::cmp::Reverse(w));
    work.into_iter().map(|(_, lang)| lang).collect()
}

/// The distinct tokens of each indexed body of language `lang`, summed:
/// the postings its index reads from the bodies, and so the measure of its
/// work.
fn body_tokens(env: &Env, lang: &str) -> usize {
    env.site
        .entries
        .iter()
        .zip(&env.search)
        .filter(|(entry, _)| entry.lang == lang)
        .filter_map(|(_, body)| body.as_ref())
        .map(|body| body.counted().len())
        .sum()
}

/// The search index files of the languages `wanted` accepts (`serve`
/// refreshes only the language of an edited page).
pub fn files_in(env: &Env, wanted: impl Fn(&str) -> bool) -> Vec<OutputFile> {
    if !env.site.config.search {
        return Vec::new();
    }
    by_work(env, wanted)
        .into_par_iter()
        .flat_map_iter(|lang| language_files(env, lang))
        .collect()
}

fn language_files(env: &Env, lang: &str) -> Vec<OutputFile> {
    shards::files(&index::build(env, lang), &index_dir(lang))
}

/// Where a language's index lives, relative to the output root.
pub fn index_dir(lang: &str) -> String {
    format!("search/{lang}/")
}

/// The `search` variable of `search.html`.
#[derive(Debug, serde::Serialize)]
pub struct PageView {
    /// The language's index folder, relative to the search page, so the
    /// page works under any host and base path: `../search/vi/`.
    pub index_url: String,
}

/// The `search` variable for the search page at site path `page_path`.
pub fn page_view(lang: &str, page_path: &str) -> PageView {
    let depth = page_path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .count();
    PageView {
        index_url: format!("{}{}", "../".repeat(depth), index_dir(lang)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_index_url_is_relative_to_the_search_page() {
        assert_eq!(super::page_view("vi", "/search/").index_url, "../search/vi/");
        assert_eq!(
            super::page_view("en", "/en/search/").index_url,
            "../../search/en/"
        );
    }
}
