//! Site search: at build time, one index per language written as small
//! static files under `search/<lang>/` (see [`shards`]); the default theme's
//! `search.js` fetches only the shards a query needs. Terms are normalized
//! by [`normalize`], the same rules the script applies to queries.
//!
//! The work is split so that pages are read once: the Markdown pass counts
//! each body into the [`lexicon`] ([`body`] is what a page keeps), then
//! each language's [`index`] turns those counts into terms ([`vocabulary`],
//! its pages numbered by `numbering`) and [`postings`], which [`shards`]
//! writes out. [`stem`] gives a language's word forms
//! (a stem table beside its index, and the stemmer its search page runs).
//! The search page also gets its fallback chain's indexes ([`page_view`]),
//! which the script searches when the reader's language has few matches.
//!
//! An index of our own rather than Pagefind: see the README's "Search"
//! section for the comparison (size, query speed, build cost).

pub mod body;
pub mod index;
pub mod lexicon;
pub mod normalize;
mod numbering;
pub mod postings;
pub mod shards;
pub mod stem;
mod stream;
pub mod vocabulary;

use rayon::prelude::*;

pub use body::BodyTerms;
pub use lexicon::Lexicon;
use vitrine_load::config::Config;
use vitrine_model::{Entry, EntryId, Site};
use vitrine_output::{OutputFile, Sink};

/// What the index is built from, and all search reads of a build: the
/// model, the lexicon the Markdown pass counted bodies into, and by entry
/// what that pass kept of each body (its terms, with its headings).
pub struct Input<'a> {
    pub site: &'a Site,
    pub lexicon: &'a Lexicon,
    /// What the Markdown pass kept of each entry's body, by entry.
    pub bodies: Vec<IndexedBody<'a>>,
}

/// What search reads of one entry's body.
#[derive(Clone, Copy)]
pub struct IndexedBody<'a> {
    /// Its terms and headings, for the entries the index keeps.
    pub terms: Option<&'a dyn TermsSource>,
}

/// Where a page's [`BodyTerms`] wait for the index: kept out of memory by
/// the caller (the Markdown pass keeps them on disk) and read once, when
/// the index of the page's language is built.
pub trait TermsSource: Sync {
    /// The terms (empty when they cannot be read back: the caller records
    /// why and fails the build).
    fn terms(&self) -> std::borrow::Cow<'_, BodyTerms>;
    /// How many distinct tokens they hold, without reading them: the
    /// measure of a language's work.
    fn tokens(&self) -> usize;
}

/// Whether `entry` goes into its language's index: text written in that
/// language (not a fallback copy), not the home, not `search: false`, and
/// search on for the site (drafts never reach the model unless built with
/// `--drafts`).
pub fn indexed(site: &Site, entry: &Entry) -> bool {
    let doc = site.doc(entry);
    site.config.search && !entry.is_fallback && doc.front.search && !doc.is_home()
}

/// Builds every language's index and hands its files to `sink` as soon as
/// that language is done, rather than holding every language's files
/// until the last is built. Fails when the terms a large index wrote out
/// to the site's `.vitrine-cache/` cannot be read back.
pub fn put_files(input: &Input<'_>, sink: &dyn Sink) -> Result<(), Failed> {
    if !input.site.config.search {
        return Ok(());
    }
    each_language(input, |_| true, |lang| put_language(input, lang, sink))
}

/// Why an index could not be built: the terms it wrote out to the site's
/// `.vitrine-cache/` could not be read back.
#[derive(Debug)]
pub struct Failed {
    pub lang: String,
    pub error: std::io::Error,
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot read back the search terms of language `{}` kept in .vitrine-cache/: {}",
            self.lang, self.error
        )
    }
}

/// Indexed pages past which languages are indexed one after the other.
/// Each language's index is built on every core, but the parts of it that
/// run on one (merging its runs' vocabularies, sorting its terms, closing
/// its shards) are hidden when two languages are indexed side by side.
/// Below this, memory is not short and time counts: one after the other,
/// the stage took 109–163 ms at 1,000 × 5 (83–118 ms side by side) and
/// 1.23–1.30 s at 10,000 × 5 (0.84–0.86 s), for a peak 17 MB lower
/// (279–286 MB). Past it, memory is short: two languages' streams of
/// postings held at once were a 50,000 × 5 build's highest point (1,223
/// MiB; 1,142 one after the other, the stage 4.0 → 4.8 s).
const SIDE_BY_SIDE: usize = 100_000;

/// Calls `index` for each language `wanted` accepts, side by side for a
/// small site ([`SIDE_BY_SIDE`]), up to the first that fails.
fn each_language(
    input: &Input<'_>,
    wanted: impl Fn(&str) -> bool + Sync,
    index: impl Fn(&str) -> Result<(), Failed> + Sync,
) -> Result<(), Failed> {
    let languages: Vec<&str> = input
        .site
        .languages
        .iter()
        .map(|language| language.code.as_str())
        .filter(|lang| wanted(lang))
        .collect();
    let pages = input
        .site
        .entries
        .iter()
        .filter(|e| indexed(input.site, e))
        .count();
    if pages < SIDE_BY_SIDE {
        languages.into_par_iter().try_for_each(&index)
    } else {
        languages.into_iter().try_for_each(index)
    }
}

/// The distinct tokens of the indexed bodies of the pages `ids`, summed:
/// the postings their index reads from the bodies.
fn body_tokens(input: &Input<'_>, ids: &[EntryId]) -> usize {
    ids.iter()
        .filter_map(|&id| input.bodies.get(id)?.terms)
        .map(|body| body.tokens())
        .sum()
}

/// The search index files of the languages `wanted` accepts (`serve`
/// refreshes only the language of an edited page).
pub fn files_in(input: &Input<'_>, wanted: impl Fn(&str) -> bool + Sync) -> Result<Vec<OutputFile>, Failed> {
    if !input.site.config.search {
        return Ok(Vec::new());
    }
    let files = vitrine_output::Collect::default();
    each_language(input, wanted, |lang| put_language(input, lang, &files))?;
    Ok(files.into_files())
}

fn put_language(input: &Input<'_>, lang: &str, sink: &dyn Sink) -> Result<(), Failed> {
    let index = index::build(input, lang).map_err(|error| Failed {
        lang: lang.to_string(),
        error,
    })?;
    shards::put(&index, &index_dir(lang), sink);
    Ok(())
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
    /// The other languages of its fallback chain, in order, as JSON for
    /// the script: `[{"lang": "en", "name": "English", "dir": "ltr",
    /// "index": "../../search/en/"}]`. When the reader's language has few
    /// matches, the page also shows theirs.
    pub fallbacks: String,
}

/// The `search` variable for the search page of language `lang` at site
/// path `page_path`.
pub fn page_view(config: &Config, lang: &str, page_path: &str) -> PageView {
    let depth = page_path
        .trim_matches('/')
        .split('/')
        .filter(|s| !s.is_empty())
        .count();
    let up = "../".repeat(depth);
    let chain = config
        .languages
        .iter()
        .find(|l| l.code == lang)
        .map(|l| l.chain.as_slice())
        .unwrap_or_default();
    let fallbacks: Vec<serde_json::Value> = chain
        .iter()
        .filter(|code| *code != lang)
        .filter_map(|code| config.languages.iter().find(|l| l.code == *code))
        .map(|l| {
            serde_json::json!({
                "lang": l.code,
                "name": l.name,
                "dir": l.dir.as_str(),
                "index": format!("{up}{}", index_dir(&l.code)),
            })
        })
        .collect();
    PageView {
        index_url: format!("{up}{}", index_dir(lang)),
        fallbacks: serde_json::Value::from(fallbacks).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use vitrine_load::config::{Config, Direction, Language};

    fn language(code: &str, chain: &[&str]) -> Language {
        Language {
            code: code.to_string(),
            name: code.to_uppercase(),
            title: None,
            dir: Direction::of_language(code),
            chain: chain.iter().map(|c| c.to_string()).collect(),
            stem: true,
        }
    }

    fn config() -> Config {
        let text = "title: T\nbase_url: https://x.org/\ndefault_language: vi\nlanguages:\n  - code: vi\n    name: V\n";
        let mut config = Config::parse(std::path::Path::new("."), text).expect("config");
        config.languages = vec![
            language("vi", &["vi"]),
            language("en", &["en", "vi"]),
            language("fr", &["fr", "ar", "en", "vi"]),
            language("ar", &["ar", "en", "vi"]),
        ];
        config
    }

    #[test]
    fn the_index_url_is_relative_to_the_search_page() {
        let config = config();
        assert_eq!(
            super::page_view(&config, "vi", "/search/").index_url,
            "../search/vi/"
        );
        assert_eq!(
            super::page_view(&config, "en", "/en/search/").index_url,
            "../../search/en/"
        );
    }

    #[test]
    fn the_fallback_indexes_follow_the_chain() {
        let view = super::page_view(&config(), "fr", "/fr/search/");
        let fallbacks: serde_json::Value = serde_json::from_str(&view.fallbacks).expect("json");
        let langs: Vec<&str> = fallbacks
            .as_array()
            .expect("array")
            .iter()
            .map(|f| f["lang"].as_str().expect("lang"))
            .collect();
        assert_eq!(langs, ["ar", "en", "vi"]);
        assert_eq!(fallbacks[0]["dir"], "rtl");
        assert_eq!(fallbacks[0]["index"], "../../search/ar/");
        assert_eq!(super::page_view(&config(), "vi", "/search/").fallbacks, "[]");
    }
}
