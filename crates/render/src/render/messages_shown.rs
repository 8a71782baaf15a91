//! Which pages a Fluent change reaches. A page shows messages of its own
//! language's fallback chain; some show messages of other languages too
//! (the default theme's 404 page names "page not found" in every
//! language; a language menu may name each language in its own).
//! Rendering notes those pages with the messages they showed beyond their
//! chain ([`ForeignMessages`], through
//! [`vitrine_load::i18n::noting_messages`]), so an incremental build
//! renders again, after a Fluent file changed, the pages of the languages
//! whose chain holds a changed message's language and the pages noted
//! showing a changed message, and no other page. What every page shows of
//! the messages outside its render (the site titles, in each language's
//! `site` view) is kept as it was shown ([`MessagesShown`]): when it
//! differs, every page is rendered again.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use vitrine_load::i18n::{Consulted, Digests};
use vitrine_model::Site;
use vitrine_output::path_key;

/// The pages that show messages of languages beyond their own language's
/// fallback chain, by output path, with those messages. A theme whose
/// language menu names each translation in its own language shows other
/// languages' messages on nearly every page (64,000 pages at 10,000
/// articles × 5, 800,000 at 200,000): so a page is held by its path's
/// key ([`path_key`]) with its set's number, and the sets of messages,
/// few, once each.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ForeignMessages {
    pages: BTreeMap<u128, u32>,
    /// Each set of messages some page showed beyond its chain.
    sets: Vec<Consulted>,
    /// Each set's number, to take in another page's.
    #[serde(skip)]
    numbers: HashMap<Consulted, u32>,
}

impl PartialEq for ForeignMessages {
    fn eq(&self, other: &Self) -> bool {
        self.pages == other.pages && self.sets == other.sets
    }
}

impl ForeignMessages {
    /// Notes that the page written at `path` showed the messages
    /// `beyond` its chain ([`beyond_chain`]).
    pub(super) fn note(&mut self, path: &str, beyond: Consulted) {
        if !beyond.is_empty() {
            let number = self.number(beyond);
            self.pages.insert(path_key(path), number);
        }
    }

    /// The number of the set `consulted`, kept if new.
    fn number(&mut self, consulted: Consulted) -> u32 {
        if self.numbers.len() != self.sets.len() {
            self.numbers = (0..).zip(&self.sets).map(|(n, set)| (set.clone(), n)).collect();
        }
        let next = self.sets.len() as u32;
        *self.numbers.entry(consulted).or_insert_with_key(|set| {
            self.sets.push(set.clone());
            next
        })
    }

    /// Takes in what a later render noted: the pages it rendered or
    /// removed (`rendered`) are forgotten first, then its notes added.
    pub fn update<'a>(&mut self, rendered: impl IntoIterator<Item = &'a str>, later: ForeignMessages) {
        for path in rendered {
            self.pages.remove(&path_key(path));
        }
        self.extend(later);
    }

    /// Adds the notes of another render of other pages.
    pub fn extend(&mut self, other: ForeignMessages) {
        let numbers: Vec<u32> = other.sets.into_iter().map(|set| self.number(set)).collect();
        for (path, n) in other.pages {
            self.pages.insert(path, numbers[n as usize]);
        }
    }

    /// Whether the page at `path` shows one of the messages `changed`
    /// beyond its own chain.
    pub fn shows_any(&self, path: &str, changed: &Consulted) -> bool {
        let Some(set) = self
            .pages
            .get(&path_key(path))
            .and_then(|&n| self.sets.get(n as usize))
        else {
            return false;
        };
        set.iter()
            .any(|(lang, ids)| changed.get(lang).is_some_and(|c| !c.is_disjoint(ids)))
    }
}

/// What a build's pages showed of the messages: each message's digest (to
/// tell which changed), the site title of each language (each language's
/// `site` view lists them all), and the pages showing other languages'
/// messages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MessagesShown {
    pub digests: Digests,
    pub site_titles: Vec<String>,
    pub foreign: ForeignMessages,
}

/// The messages of `consulted`, by a page of `lang` (by its place in the
/// site's languages), that are beyond its own chain (all of them for a
/// language the site lacks).
pub(super) fn beyond_chain(site: &Site, lang: usize, mut consulted: Consulted) -> Consulted {
    if let Some(own) = site.config.languages.get(lang) {
        consulted.retain(|lang, _| !own.chain.contains(lang));
    }
    consulted
}

/// Whether a page of `lang` (by its place in the site's languages) may
/// show one of the messages `changed` through its own chain.
pub fn chain_reaches(site: &Site, lang: usize, changed: &Consulted) -> bool {
    site.config
        .languages
        .get(lang)
        .is_none_or(|l| l.chain.iter().any(|c| changed.contains_key(c)))
}

#[cfg(test)]
mod tests {
    use super::{Consulted, ForeignMessages};

    fn messages(of: &[(&str, &str)]) -> Consulted {
        let mut set = Consulted::new();
        for (lang, id) in of {
            set.entry(lang.to_string()).or_default().insert(id.to_string());
        }
        set
    }

    fn noted(pages: &[(&str, &[(&str, &str)])]) -> ForeignMessages {
        let mut noted = ForeignMessages::default();
        for (path, set) in pages {
            let n = noted.number(messages(set));
            noted.pages.insert(super::path_key(path), n);
        }
        noted
    }

    #[test]
    fn a_later_render_replaces_the_notes_of_the_pages_it_rendered() {
        let name = [("de", "language-name")];
        let mut shown = noted(&[("fr/404.html", &name), ("en/404.html", &[("fr", "not-found")])]);
        let later = noted(&[("vi/404.html", &[("fr", "not-found")]), ("zh/404.html", &name)]);
        shown.update(["fr/404.html", "vi/404.html"], later);
        assert!(!shown.shows_any("fr/404.html", &messages(&name)));
        assert!(shown.shows_any("zh/404.html", &messages(&name)));
        assert!(shown.shows_any("vi/404.html", &messages(&[("fr", "not-found"), ("fr", "x")])));
        assert!(!shown.shows_any("en/404.html", &messages(&[("fr", "home"), ("de", "not-found")])));
        assert_eq!(shown.sets.len(), 2, "each set kept once");
    }
}
