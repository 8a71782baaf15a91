//! How a list of pages is cut into pagers and where each pager lives: the
//! one owner of that arithmetic, for sections and term pages, their
//! hreflang clusters, the render plan and `serve`'s diff of two plans.

use std::ops::Range;

use super::{EntryId, Site, Taxonomy, Term};

/// A list of `items` pages shown `size` to a pager.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pagination {
    size: usize,
    items: usize,
}

impl Pagination {
    /// `items` pages, `size` to a pager (at least one).
    pub fn new(items: usize, size: usize) -> Self {
        Pagination {
            size: size.max(1),
            items,
        }
    }

    /// Pages one pager lists.
    pub fn size(&self) -> usize {
        self.size
    }

    /// How many pagers: one even for an empty list, which still has its page.
    pub fn pagers(&self) -> usize {
        self.items.div_ceil(self.size).max(1)
    }

    /// The pager (from 1) that lists the item at `index`.
    pub fn pager_of(&self, index: usize) -> usize {
        index / self.size + 1
    }

    /// The indexes of the items pager `number` (from 1) lists.
    pub fn range(&self, number: usize) -> Range<usize> {
        let start = number.saturating_sub(1).saturating_mul(self.size).min(self.items);
        start..start.saturating_add(self.size).min(self.items)
    }

    /// The site path of pager `number` of the list at `base`: the list's own
    /// path for the first, `page/N/` under it for the others.
    pub fn path(base: &str, number: usize) -> String {
        if number > 1 {
            format!("{base}page/{number}/")
        } else {
            base.to_string()
        }
    }
}

impl Site {
    /// How the pages a section (or a declared term) lists are cut: as its
    /// front matter's `paginate_by` says (a term: its taxonomy's), else
    /// as the site's.
    pub fn section_pagination(&self, section: EntryId) -> Pagination {
        let entry = &self.entries[section];
        let doc = self.doc(entry);
        let size = match super::terms::term_of(doc) {
            Some((taxonomy, _)) => self.config.taxonomy(taxonomy).map(|t| t.paginate_by),
            None => doc.front.rare().paginate_by,
        };
        Pagination::new(entry.pages.len(), size.unwrap_or(self.config.paginate_by))
    }

    /// Whether entry `id` is a language's home (the root section).
    pub fn is_home(&self, id: EntryId) -> bool {
        self.doc(&self.entries[id]).is_home()
    }
}

impl Taxonomy {
    /// How one of its terms' pages are cut.
    pub fn pagination(&self, term: &Term) -> Pagination {
        Pagination::new(term.pages.len(), self.paginate_by)
    }
}

#[cfg(test)]
mod tests {
    use super::Pagination;

    #[test]
    fn an_empty_list_has_one_pager() {
        let p = Pagination::new(0, 10);
        assert_eq!(p.pagers(), 1);
        assert_eq!(p.range(1), 0..0);
    }

    #[test]
    fn the_last_pager_holds_the_rest() {
        let p = Pagination::new(25, 10);
        assert_eq!(p.pagers(), 3);
        assert_eq!(p.range(3), 20..25);
        assert_eq!(p.pager_of(19), 2);
        assert_eq!(p.pager_of(20), 3);
        assert_eq!(p.range(4), 25..25);
    }

    #[test]
    fn a_size_of_zero_is_one() {
        assert_eq!(Pagination::new(3, 0).pagers(), 3);
    }

    #[test]
    fn pager_paths() {
        assert_eq!(Pagination::path("/en/news/", 1), "/en/news/");
        assert_eq!(Pagination::path("/en/news/", 2), "/en/news/page/2/");
    }
}
