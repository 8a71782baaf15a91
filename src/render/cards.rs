//! Small views shown inside other views: an entry's link (previous, next,
//! breadcrumbs), its related-page card, and term references. The same card
//! appears in thousands of views; built once, each further use is a
//! reference count (Tera values share their maps), not a copy. This is most
//! of what keeps the views of a large site small.

use rustc_hash::FxHashMap;
use serde::Serialize;
use tera::Value;

use super::Input;
use super::context::{TermRef, link, related_view};
use crate::content::DocumentKind;
use crate::model::EntryId;
use crate::slug::slugify;

/// Cards built ahead for a whole-site build; [`Cards::none`] builds each on
/// demand instead (`serve` refreshing a few views). Both give equal values.
#[derive(Default)]
pub struct Cards<'a> {
    links: Vec<Value>,
    related: Vec<Option<Value>>,
    /// By (language shown in, taxonomy, term key).
    terms: FxHashMap<(&'a str, &'a str, &'a str), Value>,
}

impl<'a> Cards<'a> {
    /// No cards ahead: every card is built when asked for.
    pub fn none() -> Self {
        Cards::default()
    }

    /// Every entry's link and related card, and every term reference of
    /// every page.
    pub fn all(input: &Input<'a>) -> Self {
        use rayon::prelude::*;
        let site = input.site;
        let n = site.entries.len();
        let mut wanted = vec![false; n];
        for list in &input.views.related {
            for &r in list {
                wanted[r] = true;
            }
        }
        let links = (0..n).into_par_iter().map(|id| value(&link(site, id))).collect();
        let related = (0..n)
            .into_par_iter()
            .map(|id| wanted[id].then(|| value(&related_view(input, id))))
            .collect();
        let mut terms = FxHashMap::default();
        for entry in site.entries.iter().filter(|e| e.kind == DocumentKind::Page) {
            let keys = &site.page_terms[entry.doc];
            for tax in &site.config.taxonomies {
                for term in keys.get(&tax.name).into_iter().flatten() {
                    let key = (entry.lang.as_str(), tax.name.as_str(), term.as_str());
                    if !terms.contains_key(&key)
                        && let Some(term) = term_ref(input, key)
                    {
                        terms.insert(key, value(&term));
                    }
                }
            }
        }
        Cards {
            links,
            related,
            terms,
        }
    }

    /// `page.previous`, `page.next`, an ancestor.
    pub fn link(&self, input: &Input<'_>, id: EntryId) -> Value {
        match self.links.get(id) {
            Some(v) => v.clone(),
            None => value(&link(input.site, id)),
        }
    }

    /// An item of `page.related`.
    pub fn related(&self, input: &Input<'_>, id: EntryId) -> Value {
        match self.related.get(id) {
            Some(Some(v)) => v.clone(),
            _ => value(&related_view(input, id)),
        }
    }

    /// A term of a page shown in `lang`, by key; `None` for names that
    /// slugify to nothing.
    pub fn term(&self, input: &Input<'a>, key: (&'a str, &'a str, &'a str)) -> Option<Value> {
        match self.terms.get(&key) {
            Some(v) => Some(v.clone()),
            None => term_ref(input, key).map(|t| value(&t)),
        }
    }
}

/// The term `key` as shown in `lang`: its name and page there. A fallback
/// copy of a page may carry a term its text's language has and `lang`
/// has not: that language's term page is the one that exists.
fn term_ref<'a>(input: &Input<'a>, (lang, tax, key): (&'a str, &'a str, &'a str)) -> Option<TermRef<'a>> {
    let site = input.site;
    if key.is_empty() {
        return None;
    }
    let in_language = |code: &str| {
        site.language(code)?
            .taxonomies
            .iter()
            .find(|t| t.name == tax)?
            .term(key)
    };
    let chain = site
        .config
        .language(lang)
        .map(|l| l.chain.as_slice())
        .unwrap_or_default();
    let term = in_language(lang).or_else(|| chain.iter().find_map(|code| in_language(code)));
    Some(match term {
        Some(term) => TermRef {
            name: &term.name,
            permalink: site.permalink(&term.path),
            slug: term.slug.clone(),
        },
        None => {
            let prefix = site.config.language_prefix(lang);
            let path = format!("{prefix}{}/{key}/", slugify(tax));
            TermRef {
                name: key,
                permalink: site.permalink(&path),
                slug: key.to_string(),
            }
        }
    })
}

fn value(view: &impl Serialize) -> Value {
    Value::from_serializable(view)
}
