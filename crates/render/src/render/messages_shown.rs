//! Which pages a Fluent change reaches. A page shows the messages of its
//! own language's fallback chain; a few show messages of other languages
//! too (the default theme's 404 page names "page not found" in every
//! language). Rendering notes those few ([`ForeignMessages`], through
//! [`vitrine_load::i18n::noting_languages`]), so an incremental build
//! renders again, after a Fluent file changed, the pages of the languages
//! whose chain holds it and these, and no other page. What every page
//! shows of the messages outside its render (the site titles, in each
//! language's `site` view) is kept as it was shown ([`MessagesShown`]):
//! when it differs, every page is rendered again.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use vitrine_model::Site;

/// The pages that show messages of languages beyond their own language's
/// fallback chain, by output path, with those languages: a set of the
/// site's languages by their place in `languages:` ([`Languages`]). A
/// theme whose language menu names each translation in its own language
/// shows other languages' messages on nearly every page: at 10,000
/// articles × 5 that is 40,000 pages, kept in some 90 bytes each.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ForeignMessages(BTreeMap<String, Languages>);

/// Some of the site's languages, by their place in `languages:`; past
/// the 64th, every language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Languages(u64);

impl Languages {
    /// The languages of `codes` among the site's.
    pub fn of<'a>(site: &Site, codes: impl IntoIterator<Item = &'a String>) -> Languages {
        let mut set = 0u64;
        for code in codes {
            match site.languages.iter().position(|l| &l.code == code) {
                Some(place) if place < 64 => set |= 1 << place,
                Some(_) => set = u64::MAX,
                None => {}
            }
        }
        Languages(set)
    }

    fn meets(self, other: Languages) -> bool {
        self.0 & other.0 != 0
    }
}

impl ForeignMessages {
    /// Notes that the page of language `lang` (by its place in the site's
    /// languages) written at `path` consulted the bundles of `languages`;
    /// those of its own chain are not noted.
    pub(super) fn note(&mut self, site: &Site, lang: usize, path: &str, mut languages: BTreeSet<String>) {
        if let Some(own) = site.config.languages.get(lang) {
            languages.retain(|lang| !own.chain.contains(lang));
        }
        let beyond = Languages::of(site, &languages);
        if beyond != Languages::default() {
            self.0.insert(path.to_string(), beyond);
        }
    }

    /// Takes in what a later render noted: the pages it rendered or
    /// removed (`rendered`) are forgotten first, then its notes added.
    pub fn update<'a>(&mut self, rendered: impl IntoIterator<Item = &'a str>, later: ForeignMessages) {
        for path in rendered {
            self.0.remove(path);
        }
        self.0.extend(later.0);
    }

    /// Adds the notes of another render of other pages.
    pub fn extend(&mut self, other: ForeignMessages) {
        self.0.extend(other.0);
    }

    /// Whether the page at `path` shows a message of one of `languages`
    /// beyond its own chain.
    pub fn shows_any(&self, path: &str, languages: Languages) -> bool {
        self.0.get(path).is_some_and(|shown| shown.meets(languages))
    }

    /// The pages noted.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What a build's pages showed of the messages: the site title of each
/// language (each language's `site` view lists them all), and the pages
/// showing other languages' messages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MessagesShown {
    pub site_titles: Vec<String>,
    pub foreign: ForeignMessages,
}

/// Whether a page of `lang` (by its place in the site's languages) shows
/// the messages of one of `changed` through its own chain.
pub fn chain_reaches(site: &Site, lang: usize, changed: &BTreeSet<String>) -> bool {
    site.config
        .languages
        .get(lang)
        .is_none_or(|l| l.chain.iter().any(|c| changed.contains(c)))
}

#[cfg(test)]
mod tests {
    use super::{ForeignMessages, Languages};

    #[test]
    fn a_later_render_replaces_the_notes_of_the_pages_it_rendered() {
        let (de, fr, zh) = (Languages(1), Languages(2), Languages(4));
        let mut shown = ForeignMessages::default();
        shown.0.insert("fr/404.html".into(), de);
        shown.0.insert("en/404.html".into(), fr);
        let mut later = ForeignMessages::default();
        later.0.insert("vi/404.html".into(), fr);
        shown.update(["fr/404.html", "vi/404.html"], later);
        assert!(!shown.shows_any("fr/404.html", Languages(3)));
        assert!(shown.shows_any("vi/404.html", fr));
        assert!(shown.shows_any("en/404.html", Languages(6)));
        assert!(!shown.shows_any("en/404.html", zh));
    }
}
