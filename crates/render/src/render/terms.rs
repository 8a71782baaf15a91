//! The `term` variable of a term page. A declared term is an entry, so its
//! view is the entry's (name as `title`, landing text as `content`, cover,
//! `is_fallback`) plus the term's own fields: key, slug, page count, the
//! pages its editor features, and its feed. A free term has only the
//! latter. The rest of a term page's context is built like any entry's or
//! list's (`pages`).

use serde::Serialize;
use tera::Value;

use super::Input;
use super::feeds::term_feed;
use vitrine_model::Term;

#[derive(Serialize)]
struct TermFields<'a> {
    key: &'a str,
    name: &'a str,
    slug: &'a str,
    permalink: String,
    path: &'a str,
    page_count: usize,
    /// The featured pages' views, in the editor's order.
    featured: Vec<Value>,
    /// True when the term has its own text: a landing page, not a bare list.
    landing: bool,
    /// Its Atom feed's URL, when one is written.
    feed: Option<String>,
}

/// `term` for one term of one language's taxonomy.
pub(super) fn term_value(input: &Input<'_>, taxonomy: &str, term: &Term) -> Value {
    let site = input.site;
    let fields = TermFields {
        key: &term.key,
        name: &term.name,
        slug: &term.slug,
        permalink: site.permalink(&term.path),
        path: &term.path,
        page_count: term.pages.len(),
        featured: term.featured.iter().map(|&p| input.entry_view(p)).collect(),
        landing: term.is_landing(site),
        feed: term_feed(site, taxonomy, term).map(|path| site.permalink(&path)),
    };
    let mut map = term
        .entry
        .and_then(|e| super::context::page_view(input, e).as_map().cloned())
        .unwrap_or_default();
    if let Some(own) = Value::from_serializable(&fields).as_map() {
        for (k, v) in own {
            map.insert(k.clone(), v.clone());
        }
    }
    Value::from(map)
}
