//! List views shared by render jobs and template functions: the
//! `paginator` of sections and terms, and taxonomy and term views.

use serde::Serialize;
use tera::Value;

use super::Input;
use vitrine_model::{EntryId, Pagination, Taxonomy};

#[derive(Serialize)]
pub struct TermView<'a> {
    name: &'a str,
    slug: &'a str,
    permalink: String,
    path: &'a str,
    page_count: usize,
}

pub fn term_view<'a>(
    input: &Input<'_>,
    name: &'a str,
    slug: &'a str,
    path: &'a str,
    page_count: usize,
) -> TermView<'a> {
    TermView {
        name,
        slug,
        permalink: input.site.permalink(path),
        path,
        page_count,
    }
}

/// `taxonomy` (and `get_taxonomy`): name, permalink and terms.
pub fn taxonomy_value(input: &Input<'_>, tax: &Taxonomy) -> Value {
    #[derive(Serialize)]
    struct TaxonomyView<'a> {
        name: &'a str,
        permalink: String,
        terms: Vec<TermView<'a>>,
    }
    Value::from_serializable(&TaxonomyView {
        name: &tax.name,
        permalink: input.site.permalink(&tax.path),
        terms: tax
            .terms
            .iter()
            .map(|t| term_view(input, &t.name, &t.slug, &t.path, t.pages.len()))
            .collect(),
    })
}

#[derive(Serialize)]
pub struct Paginator {
    pages: Value,
    current_index: usize,
    number_pagers: usize,
    paginate_by: usize,
    total_pages: usize,
    first: String,
    last: String,
    previous: Option<String>,
    next: Option<String>,
}

/// Page `number` (1-based) of `items`, `size` per page, under `base`.
pub fn paginator(
    input: &Input<'_>,
    items: &[EntryId],
    pagination: Pagination,
    number: usize,
    base: &str,
) -> Paginator {
    let pagers = pagination.pagers();
    let url = |n: usize| input.site.permalink(&Pagination::path(base, n));
    let pages: Vec<Value> = items[pagination.range(number)]
        .iter()
        .map(|&p| input.entry_view(p))
        .collect();
    Paginator {
        pages: Value::from(pages),
        current_index: number,
        number_pagers: pagers,
        paginate_by: pagination.size(),
        total_pages: items.len(),
        first: url(1),
        last: url(pagers),
        previous: (number > 1).then(|| url(number - 1)),
        next: (number < pagers).then(|| url(number + 1)),
    }
}
