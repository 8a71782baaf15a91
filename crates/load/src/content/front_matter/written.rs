//! The taxonomy terms a page's front matter names, as written: taxonomy by
//! taxonomy (in name order), each name with where it is written so the
//! model can point at a term it cannot resolve.
//!
//! Every document holds these for the whole build. They were two maps of
//! taxonomy names to lists of strings (the names, and apart their places);
//! now one list a taxonomy, its names and places side by side, the names
//! shared by the documents loaded together ([`WrittenTerms::share`]).
//! Measured on the benchmark's 50,000 articles × 5 (`--timings`): what the
//! build holds after the Markdown pass fell from 733 to 699 MiB, its peak
//! from 1,080 to 1,035 MiB.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use vitrine_core::diagnostics::Location;
use vitrine_core::shared::Shared;

/// One taxonomy's terms on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermList {
    /// The taxonomy's name, as `site.yaml` declares it.
    pub taxonomy: Arc<str>,
    /// The names, in the order written.
    names: Box<[Arc<str>]>,
    /// Where each name is written; none when the key could not be found.
    at: Box<[Location]>,
}

impl TermList {
    pub fn new(taxonomy: &str, names: Vec<String>, at: Vec<Location>) -> TermList {
        TermList {
            taxonomy: Arc::from(taxonomy),
            names: names.into_iter().map(Arc::from).collect(),
            at: at.into_boxed_slice(),
        }
    }

    /// The names, in the order written.
    pub fn names(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.names.iter().map(|n| &**n)
    }

    /// Where name `i` is written, when known.
    pub fn location(&self, i: usize) -> Option<Location> {
        self.at.get(i).copied()
    }
}

/// The terms a page names, by taxonomy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WrittenTerms(Box<[TermList]>);

impl WrittenTerms {
    /// The lists, one a taxonomy (a later list of a taxonomy replaces an
    /// earlier one).
    pub fn new(mut lists: Vec<TermList>) -> WrittenTerms {
        lists.reverse();
        lists.sort_by(|a, b| a.taxonomy.cmp(&b.taxonomy));
        lists.dedup_by(|later, kept| later.taxonomy == kept.taxonomy);
        WrittenTerms(lists.into_boxed_slice())
    }

    /// The terms written for `taxonomy`, when the page writes its field.
    pub fn get(&self, taxonomy: &str) -> Option<&TermList> {
        self.0.iter().find(|l| &*l.taxonomy == taxonomy)
    }

    /// Each taxonomy's list, by taxonomy name.
    pub fn iter(&self) -> std::slice::Iter<'_, TermList> {
        self.0.iter()
    }

    /// Makes each name the string `shared` holds for it: the documents
    /// loaded together hold each name once.
    pub fn share(&mut self, shared: &mut Shared) {
        for list in self.0.iter_mut() {
            shared.share(&mut list.taxonomy);
            list.names.iter_mut().for_each(|name| shared.share(name));
        }
    }
}

/// As the build cache keeps it: `[taxonomy, [names], [places]]` a list.
impl Serialize for WrittenTerms {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.0
                .iter()
                .map(|l| (&*l.taxonomy, l.names().collect::<Vec<_>>(), &*l.at)),
        )
    }
}

impl<'de> Deserialize<'de> for WrittenTerms {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let lists = Vec::<(String, Vec<String>, Vec<Location>)>::deserialize(deserializer)?;
        Ok(WrittenTerms::new(
            lists
                .into_iter()
                .map(|(taxonomy, names, at)| TermList::new(&taxonomy, names, at))
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(taxonomy: &str, names: &[&str]) -> TermList {
        let at = (1..=names.len()).map(|line| Location::new(line, 3)).collect();
        TermList::new(taxonomy, names.iter().map(|n| n.to_string()).collect(), at)
    }

    #[test]
    fn lists_come_by_taxonomy_name_and_a_later_list_replaces_an_earlier() {
        let terms = WrittenTerms::new(vec![
            list("tags", &["rice"]),
            list("regions", &["Huế", "Hà Nội"]),
            list("tags", &["tea", "silk"]),
        ]);
        let order: Vec<&str> = terms.iter().map(|l| &*l.taxonomy).collect();
        assert_eq!(order, ["regions", "tags"]);
        let tags = terms.get("tags").expect("tags");
        assert_eq!(tags.names().collect::<Vec<_>>(), ["tea", "silk"]);
        assert_eq!(tags.location(1), Some(Location::new(2, 3)));
        assert_eq!(tags.location(2), None);
        assert!(terms.get("audiences").is_none());
    }

    #[test]
    fn shared_names_are_one_string_and_stay_equal() {
        let mut shared = Shared::default();
        let mut a = WrittenTerms::new(vec![list("tags", &["tea", "rice"])]);
        let mut b = WrittenTerms::new(vec![list("tags", &["rice"])]);
        let before = b.clone();
        a.share(&mut shared);
        b.share(&mut shared);
        assert_eq!(b, before);
        let rice_a = &a.get("tags").expect("tags").names[1];
        let rice_b = &b.get("tags").expect("tags").names[0];
        assert!(Arc::ptr_eq(rice_a, rice_b));
        assert!(Arc::ptr_eq(&a.0[0].taxonomy, &b.0[0].taxonomy));
    }

    #[test]
    fn the_cache_reads_back_what_it_kept() {
        let terms = WrittenTerms::new(vec![list("tags", &["tea", "rice"]), list("regions", &["Huế"])]);
        let json = serde_json::to_string(&terms).expect("kept");
        let back: WrittenTerms = serde_json::from_str(&json).expect("read back");
        assert_eq!(back, terms);
    }
}
