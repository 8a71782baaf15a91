//! Template views: typed, serializable views of the model, built once per
//! entry and per language and shared (Tera values are reference-counted) by
//! every template that shows them.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;
use tera::value::Key;

use super::cards::{self, TermRefs, entry_image};
use super::{Input, Services};
use vitrine_core::safe_url::SafeUrl;
use vitrine_load::content::{Change, Correction, DocumentKind, SourceRecord, TranslationInfo};
use vitrine_markdown::{Heading, reading_time};
use vitrine_model::{EntryId, Site};

/// What lists show of an entry (`section.pages`, `paginator.pages`,
/// `latest`, a term's pages): kept for every entry while pages render.
/// What only the entry's own page shows is in [`OwnView`].
#[derive(Serialize)]
struct ItemView<'a> {
    kind: &'static str,
    title: &'a str,
    description: Option<&'a str>,
    summary: &'a str,
    permalink: String,
    path: &'a str,
    date: Option<String>,
    updated: Option<String>,
    /// The language the entry is shown in.
    lang: &'a str,
    /// The language of its text (differs for fallback entries).
    content_lang: &'a str,
    word_count: usize,
    reading_time: usize,
    /// Terms by taxonomy name; each is also a top-level field (`page.tags`),
    /// put in after this one by [`item_view`].
    taxonomies: Value,
    image: Option<SafeUrl>,
    /// The size of `image` when known, for its `<img>`.
    image_width: Option<u32>,
    image_height: Option<u32>,
    image_alt: Option<&'a str>,
    /// The responsive cover (`<picture>` markup, srcset, social crop).
    cover: Option<&'a super::Cover>,
    author: Option<&'a str>,
    /// Where an imported page came from: credited on the page and in lists.
    source: Option<&'a SourceRecord>,
    weight: Option<i64>,
    extra: &'a serde_json::Value,
    /// The content type (`type:`) and its checked fields.
    #[serde(rename = "type")]
    content_type: Option<&'a str>,
    fields: &'a BTreeMap<String, serde_json::Value>,
    translation: Option<&'a TranslationInfo>,
    is_fallback: bool,
    fallback_lang: Option<&'a str>,
}

/// What an entry's own page adds to its [`ItemView`] (`page`, `section`,
/// `term`, `get_page`): its body, table of contents, notes, neighbours,
/// breadcrumbs and related pages. Made when the page renders and dropped
/// with it: kept for every entry, these were half of a build's views.
#[derive(Serialize)]
struct OwnView<'a> {
    /// Unpacked from the Markdown pass's [`super::Body`] for this page.
    content: Value,
    toc: &'a [Heading],
    corrections: &'a [Correction],
    /// Public change notes, newest first (`changes:`).
    changes: &'a [Change],
    /// Links and cards are picked from the item views ([`cards::link`]).
    previous: Option<Value>,
    next: Option<Value>,
    ancestors: Vec<Value>,
    /// Pages of the same language sharing the most terms with this one.
    related: Vec<Value>,
    subsections: Vec<SubsectionView<'a>>,
}

#[derive(Serialize)]
struct SubsectionView<'a> {
    title: &'a str,
    permalink: String,
    path: &'a str,
    page_count: usize,
}

/// What lists show of one entry.
pub fn item_view<'a>(input: &Input<'a>, terms_shown: &TermRefs<'a>, id: EntryId) -> Value {
    let site = input.site;
    let entry = &site.entries[id];
    let doc = site.doc(entry);
    let front = &doc.front;
    let body = &input.bodies[id];
    let permalink = site.permalink(&entry.path);
    let summary = front.summary.as_deref().unwrap_or(&body.summary);
    // By taxonomy name, as a map orders them.
    let mut terms: Vec<(Key<'static>, Value)> = Vec::new();
    if entry.kind == DocumentKind::Page {
        let keys = &site.page_terms[entry.doc];
        for (at, name) in terms_shown.taxonomy_keys(site) {
            let tax = &site.config.taxonomies[*at];
            let list: Vec<Value> = keys
                .of(*at)
                .filter_map(|key| terms_shown.term(input, (&entry.lang, &tax.name, key)))
                .collect();
            terms.push((name.clone(), Value::from(list)));
        }
    }
    let (image, image_size) = entry_image(input, id, &permalink);
    let view = ItemView {
        kind: match entry.kind {
            DocumentKind::Page => "page",
            DocumentKind::Section => "section",
            DocumentKind::Term => "term",
        },
        title: &front.title,
        description: front.description.as_deref(),
        summary,
        permalink: permalink.clone(),
        path: &entry.path,
        date: front.date.map(|d| d.to_rfc3339()),
        updated: front.public_updated().map(|d| d.to_rfc3339()),
        lang: &entry.lang,
        content_lang: &doc.lang,
        word_count: body.word_count,
        reading_time: reading_time(body.word_count),
        taxonomies: map_value(terms.iter().cloned()),
        image,
        image_width: image_size.map(|s| s.0),
        image_height: image_size.map(|s| s.1),
        image_alt: front.image_alt.as_deref(),
        cover: input.bodies[id].cover.as_deref(),
        author: front.author.as_deref(),
        source: front.rare().source.as_ref(),
        weight: front.weight,
        extra: &front.rare().extra,
        content_type: front.rare().content_type.as_deref(),
        fields: &front.rare().fields,
        translation: front.rare().translation.as_ref(),
        is_fallback: entry.is_fallback,
        fallback_lang: entry.is_fallback.then_some(doc.lang.as_str()),
    };
    with_terms(Value::from_serializable(&view), terms)
}

/// An item view's fields with each taxonomy's terms after `taxonomies`,
/// where serde's `flatten` put them. Built here rather than flattened:
/// flattening made every key of every view a new string and grew the map
/// by doubling (up to half its slots empty), and item views are held for
/// all of a language's entries while its pages render. One language's
/// views went from 261 − 202 to 233 − 202 MiB at 10,000 articles × 5
/// (`--timings`), and from 1,195 − 827 to 1,049 − 827 MiB at 50,000.
fn with_terms(view: Value, terms: Vec<(Key<'static>, Value)>) -> Value {
    let Some(fields) = view.into_map() else {
        return Value::none();
    };
    let mut terms = Some(terms);
    let all = fields.into_iter().flat_map(|(key, value)| {
        let after = key.as_str() == Some("taxonomies");
        let terms = after.then(|| terms.take()).flatten().unwrap_or_default();
        std::iter::once((key, value)).chain(terms)
    });
    map_value(all)
}

/// A map of `fields`, holding no spare slot (Tera makes the map of a
/// `Map` again, at its exact size).
fn map_value(fields: impl Iterator<Item = (Key<'static>, Value)>) -> Value {
    Value::from(fields.collect::<tera::value::Map>())
}

/// What an entry's own page adds to its item view, alone: `serve`
/// compares it to find the pages a change reaches.
pub fn own_view(input: &Input<'_>, id: EntryId) -> Value {
    let site = input.site;
    let entry = &site.entries[id];
    let front = &site.doc(entry).front;
    let mut ancestors = Vec::new();
    let mut parent = entry.parent;
    while let Some(p) = parent {
        ancestors.push(cards::link(input, p));
        parent = site.entries[p].parent;
    }
    ancestors.reverse();
    let (content, toc) = input.bodies[id].content_and_toc();
    let view = OwnView {
        content,
        toc: &toc,
        corrections: &front.rare().corrections,
        changes: &front.rare().changes,
        previous: entry.previous.map(|p| cards::link(input, p)),
        next: entry.next.map(|n| cards::link(input, n)),
        ancestors,
        related: input.views.related[id]
            .iter()
            .map(|&r| cards::related(input, r))
            .collect(),
        subsections: entry
            .subsections
            .iter()
            .map(|&s| {
                let e = &site.entries[s];
                SubsectionView {
                    title: &site.doc(e).front.title,
                    permalink: site.permalink(&e.path),
                    path: &e.path,
                    page_count: e.pages.len(),
                }
            })
            .collect(),
    };
    Value::from_serializable(&view)
}

/// The whole view of an entry as its own page shows it (`page`, and the
/// base of `section` and `term`): its item view and its [`OwnView`].
pub fn page_view(input: &Input<'_>, id: EntryId) -> Value {
    let mut map = input.entry_view(id).as_map().cloned().unwrap_or_default();
    if let Some(own) = own_view(input, id).as_map() {
        for (k, v) in own {
            map.insert(k.clone(), v.clone());
        }
    }
    Value::from(map)
}

/// A section's view with its pages, for `section` and `get_section`.
pub fn section_view(input: &Input<'_>, id: EntryId) -> Value {
    let entry = &input.site.entries[id];
    let mut map = page_view(input, id).as_map().cloned().unwrap_or_default();
    let pages: Vec<Value> = entry.pages.iter().map(|&p| input.entry_view(p)).collect();
    map.insert("pages".into(), Value::from(pages));
    Value::from(map)
}

#[derive(Serialize)]
struct LanguageView<'a> {
    code: &'a str,
    name: &'a str,
    dir: &'static str,
    title: String,
    permalink: String,
}

/// A top-level section in the navigation: `name` is its folder.
#[derive(Serialize)]
struct NavSection<'a> {
    name: &'a str,
    title: &'a str,
    permalink: String,
    path: &'a str,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: String,
    base_url: &'a str,
    default_language: &'a str,
    languages: Vec<LanguageView<'a>>,
    sections: Vec<NavSection<'a>>,
    taxonomies: Vec<&'a str>,
    extra: &'a serde_json::Value,
    data: &'a serde_json::Value,
    /// Whether the site has search pages (`search` in site.yaml).
    search: bool,
    /// `analytics:` of site.yaml (provider, script, site_id), or null.
    analytics: Option<&'a vitrine_load::config::analytics::Analytics>,
    /// The Content-Security-Policy for a `<meta>` (empty when off).
    csp_meta: String,
}

/// The site title in a language: its `title` in site.yaml, else the Fluent
/// message `site-title`, else the site's title.
pub fn site_title(site: &Site, services: &Services, lang: &str) -> String {
    let config = &site.config;
    if let Some(title) = config.language(lang).and_then(|l| l.title.clone()) {
        return title;
    }
    let chain: Vec<&str> = config
        .language(lang)
        .map(|l| l.chain.iter().map(String::as_str).collect())
        .unwrap_or_default();
    services
        .messages
        .format(&chain, "site-title", &[])
        .unwrap_or_else(|_| config.title.clone())
}

/// The site title of each language, in the order of `languages:`.
pub fn site_titles(site: &Site, services: &Services) -> Vec<String> {
    let languages = &site.config.languages;
    languages
        .iter()
        .map(|l| site_title(site, services, &l.code))
        .collect()
}

/// The `site` variable for one language.
pub fn site_view(input: &Input<'_>, lang: &str) -> Value {
    let site = input.site;
    let config = &site.config;
    let index = site.language(lang);
    let view = SiteView {
        title: site_title(input.site, input.services, lang),
        base_url: &config.base_url,
        default_language: &config.default_language,
        languages: site
            .languages
            .iter()
            .filter_map(|l| {
                let language = config.language(&l.code)?;
                Some(LanguageView {
                    code: &language.code,
                    name: &language.name,
                    dir: language.dir.as_str(),
                    title: site_title(input.site, input.services, &l.code),
                    permalink: site.permalink(&site.entries.get(l.home)?.path),
                })
            })
            .collect(),
        sections: index
            .map(|i| {
                i.sections
                    .iter()
                    .map(|&s| {
                        let e = &site.entries[s];
                        let doc = site.doc(e);
                        NavSection {
                            name: &doc.content_path,
                            title: &doc.front.title,
                            permalink: site.permalink(&e.path),
                            path: &e.path,
                        }
                    })
                    .collect()
            })
            .unwrap_or_default(),
        taxonomies: config.taxonomies.iter().map(|t| t.name.as_str()).collect(),
        extra: &config.extra,
        data: &site.data,
        search: config.search,
        analytics: config.analytics.as_ref(),
        csp_meta: config.csp.meta_value(),
    };
    Value::from_serializable(&view)
}

#[derive(Serialize)]
pub struct TranslationView<'a> {
    pub lang: &'a str,
    pub name: &'a str,
    pub title: &'a str,
    pub permalink: String,
    pub fallback: bool,
}

/// The current entry in every language it is shown in, current included.
pub fn translations(site: &Site, entry: EntryId) -> Vec<TranslationView<'_>> {
    let group = &site.groups[site.entries[entry].group];
    site.config
        .languages
        .iter()
        .filter_map(|lang| {
            let id = *group.entries.get(&lang.code)?;
            let e = &site.entries[id];
            Some(TranslationView {
                lang: &lang.code,
                name: &lang.name,
                title: &site.doc(e).front.title,
                permalink: site.permalink(&e.path),
                fallback: e.is_fallback,
            })
        })
        .collect()
}

/// `meta`: what `<head>` needs for canonical URLs, Open Graph and JSON-LD.
#[derive(Serialize)]
pub struct MetaView {
    pub title: String,
    pub description: String,
    pub canonical: String,
    pub og_type: &'static str,
    pub og_locale: String,
    pub og_locale_alternates: Vec<String>,
    pub image: Option<SafeUrl>,
    /// The size of `image` when vitrine made it (1200×630).
    pub image_width: Option<u32>,
    pub image_height: Option<u32>,
    pub image_alt: Option<String>,
    pub json_ld: String,
    /// `noindex` for fallback copies, whose canonical is the original.
    pub robots: &'static str,
    /// The page's hreflang cluster, itself and `x-default` included; empty
    /// for a noindex page. The sitemap lists the same (`model::hreflang`).
    pub alternates: Vec<vitrine_model::hreflang::Alternate>,
}
