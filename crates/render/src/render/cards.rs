//! Small views shown inside other views: an entry's link (previous, next,
//! breadcrumbs) and its related-page card, picked from its item view, term
//! references, and the image an entry shows in a plain `<img>` (its card's
//! and its own). A term reference appears in thousands of views; built once
//! a language, each further use is a reference count (Tera values share
//! their maps), not a copy.

use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap;
use serde::Serialize;
use tera::Value;
use tera::value::Key;

use super::Input;
use vitrine_core::safe_url::SafeUrl;
use vitrine_core::slug::slugify;
use vitrine_load::content::DocumentKind;
use vitrine_model::{EntryId, Site};

/// The term references the views of a language show, built once each;
/// [`TermRefs::none`] builds each on demand instead (`serve` refreshing a few
/// views). Both give equal values.
#[derive(Default)]
pub struct TermRefs<'a> {
    /// By (language shown in, taxonomy, term key).
    terms: FxHashMap<(&'a str, &'a str, &'a str), Value>,
    /// Each taxonomy's place in `site.yaml` and its name as a view's key,
    /// made once and shared by every view ([`TermRefs::taxonomy_keys`]).
    taxonomy_keys: OnceLock<Vec<(usize, Key<'static>)>>,
}

impl<'a> TermRefs<'a> {
    /// No term reference ahead: each is built when asked for.
    pub fn none() -> Self {
        TermRefs::default()
    }

    /// The term references of the pages `wanted` says. Terms stay within
    /// a language, so one language's views need its own only.
    pub fn of_pages(input: &Input<'a>, wanted: &(dyn Fn(EntryId) -> bool + Sync)) -> Self {
        let site = input.site;
        let n = site.entries.len();
        let mut terms = FxHashMap::default();
        let pages = (0..n).filter(|&id| wanted(id)).map(|id| &site.entries[id]);
        for entry in pages.filter(|e| e.kind == DocumentKind::Page) {
            let keys = &site.page_terms[entry.doc];
            for (at, tax) in site.config.taxonomies.iter().enumerate() {
                for term in keys.of(at) {
                    let key = (entry.lang.as_str(), tax.name.as_str(), term);
                    if !terms.contains_key(&key)
                        && let Some(term) = term_ref(input, key)
                    {
                        terms.insert(key, value(&term));
                    }
                }
            }
        }
        TermRefs {
            terms,
            ..TermRefs::default()
        }
    }

    /// Each taxonomy's place in `site.config.taxonomies` with its name as
    /// a key of a view's map, ordered by name as a map orders its keys. A
    /// name made a key by serde is a new string in every view (twice:
    /// `page.taxonomies` and `page.tags`); these are shared.
    pub fn taxonomy_keys(&self, site: &Site) -> &[(usize, Key<'static>)] {
        self.taxonomy_keys.get_or_init(|| {
            let mut keys: Vec<(usize, Key<'static>)> = (site.config.taxonomies.iter().enumerate())
                .map(|(i, t)| (i, Key::String(Arc::from(t.name.as_str()))))
                .collect();
            keys.sort_by(|(_, a), (_, b)| a.as_str().cmp(&b.as_str()));
            keys
        })
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

#[derive(Serialize)]
pub struct TermRef<'a> {
    pub name: &'a str,
    pub slug: String,
    pub permalink: String,
}

/// `page.previous`, `page.next`, an ancestor: the entry's title, URL,
/// path and the language of its title.
pub fn link(input: &Input<'_>, id: EntryId) -> Value {
    picked(&input.entry_view(id), LINK)
}

/// An item of `page.related`: enough for a card (no content, no nested
/// relations).
pub fn related(input: &Input<'_>, id: EntryId) -> Value {
    picked(&input.entry_view(id), RELATED)
}

/// A link's fields, each as named in the card and in the item view it is
/// picked from (a link's `lang` is the language of its title).
const LINK: &[(&str, &str)] = &[
    ("title", "title"),
    ("permalink", "permalink"),
    ("path", "path"),
    ("lang", "content_lang"),
];

/// A related card's fields, named as in the item view.
const RELATED: &[(&str, &str)] = &[
    ("title", "title"),
    ("permalink", "permalink"),
    ("path", "path"),
    ("date", "date"),
    ("summary", "summary"),
    ("reading_time", "reading_time"),
    ("image", "image"),
    ("image_width", "image_width"),
    ("image_height", "image_height"),
    ("image_alt", "image_alt"),
    ("is_fallback", "is_fallback"),
    ("fallback_lang", "fallback_lang"),
    ("translation", "translation"),
    ("source", "source"),
];

/// A card of `fields` picked from an entry's item view. Its values are the
/// view's own (a Tera string is shared, not copied), and the cards are
/// made as a page's own view asks for them: built ahead for a language's
/// entries, with their own copies of titles, URLs and summaries, they held
/// 201 MiB of its views at 200,000 articles × 5 (1,028 → 827 MiB,
/// `--timings`), for no time saved.
fn picked(view: &Value, fields: &[(&'static str, &str)]) -> Value {
    let Some(map) = view.as_map() else {
        return Value::none();
    };
    let card: tera::value::Map = fields
        .iter()
        .map(|&(name, from)| {
            let value = map.get(&Key::Str(from)).cloned().unwrap_or_else(Value::none);
            (Key::Str(name), value)
        })
        .collect();
    Value::from(card)
}

/// An entry's image as templates show it in a plain `<img>`, with its size
/// when known: the largest file of its processed cover, else its
/// front matter's `image` (an SVG's intrinsic size was read when its
/// Markdown was rendered).
pub(super) fn entry_image(
    input: &Input<'_>,
    id: EntryId,
    permalink: &str,
) -> (Option<SafeUrl>, Option<(u32, u32)>) {
    if let Some(cover) = &input.bodies[id].cover {
        let picture = &cover.picture;
        return (
            Some(SafeUrl::from_built(&picture.src)),
            Some((picture.width, picture.height)),
        );
    }
    let front = &input.site.doc(&input.site.entries[id]).front;
    let image = front
        .image
        .as_deref()
        .and_then(|i| asset_url(input.site, permalink, i));
    let size = image.as_ref().and(input.bodies[id].svg_cover);
    (image, size)
}

/// The largest published file of an entry's processed cover: the
/// original itself is not published (it may carry GPS data).
pub fn cover_url(input: &Input<'_>, id: EntryId) -> Option<String> {
    input.bodies[id].cover.as_ref().map(|c| c.picture.src.clone())
}

/// An image reference made absolute: URLs stay, `/x.jpg` is site-rooted,
/// anything else sits beside the page (page bundles). `None` for a
/// reference the site's URL rules refuse (front matter reported it).
pub fn asset_url(site: &Site, page_permalink: &str, image: &str) -> Option<SafeUrl> {
    let checked = SafeUrl::parse(image, &site.config.urls).ok()?;
    Some(if checked.is_absolute() {
        checked
    } else if let Some(rooted) = image.strip_prefix('/') {
        SafeUrl::from_built(&format!(
            "{}/{}",
            site.config.base_url,
            vitrine_model::encode_path(rooted)
        ))
    } else {
        SafeUrl::from_built(&format!("{page_permalink}{}", vitrine_model::encode_path(image)))
    })
}
