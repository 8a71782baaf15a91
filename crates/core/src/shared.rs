//! [`Shared`]: one string for each text many records hold (a taxonomy
//! term's name or key, written on thousands of pages), so each record
//! keeps a pointer rather than a copy. Used by runs of a few thousand
//! records, one run a core: the strings a run meets are held once a run.

use std::collections::HashSet;
use std::sync::Arc;

/// The strings met so far in one run of records.
#[derive(Default)]
pub struct Shared(HashSet<Arc<str>>);

impl Shared {
    /// The string equal to `text` met before, or `text` made one.
    pub fn get(&mut self, text: &str) -> Arc<str> {
        match self.0.get(text) {
            Some(kept) => kept.clone(),
            None => {
                let made: Arc<str> = Arc::from(text);
                self.0.insert(made.clone());
                made
            }
        }
    }

    /// Makes `text` the string equal to it met before, or keeps it as the
    /// one to share.
    pub fn share(&mut self, text: &mut Arc<str>) {
        match self.0.get(&**text) {
            Some(kept) => *text = kept.clone(),
            None => {
                self.0.insert(text.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_texts_come_out_one_string() {
        let mut shared = Shared::default();
        let first = shared.get("tea");
        let mut again: Arc<str> = Arc::from("tea");
        shared.share(&mut again);
        assert!(Arc::ptr_eq(&first, &again));
        assert!(Arc::ptr_eq(&first, &shared.get("tea")));
        assert!(!Arc::ptr_eq(&first, &shared.get("rice")));
    }
}
