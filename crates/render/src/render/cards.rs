//! Small views shown inside other views: an entry's link (previous, next,
//! breadcrumbs), its related-page card, term references, and the image an
//! entry shows in a plain `<img>` (its card's and its own). The same card
//! appears in thousands of views; built once, each further use is a
//! reference count (Tera values share their maps), not a copy. This is most
//! of what keeps the views of a large site small.

use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap;
use serde::Serialize;
use tera::Value;
use tera::value::Key;

use super::Input;
use vitrine_core::safe_url::SafeUrl;
use vitrine_core::slug::slugify;
use vitrine_load::content::{DocumentKind, SourceRecord, TranslationInfo};
use vitrine_markdown::reading_time;
use vitrine_model::{EntryId, Site};

/// Cards built ahead for a whole-site build; [`Cards::none`] builds each on
/// demand instead (`serve` refreshing a few views). Both give equal values.
#[derive(Default)]
pub struct Cards<'a> {
    kept: std::borrow::Cow<'a, Kept>,
    /// By (language shown in, taxonomy, term key).
    terms: FxHashMap<(&'a str, &'a str, &'a str), Value>,
    /// Each taxonomy's place in `site.yaml` and its name as a view's key,
    /// made once and shared by every view ([`Cards::taxonomy_keys`]).
    taxonomy_keys: OnceLock<Vec<(usize, Key<'static>)>>,
}

/// Every entry's link and related card, built ahead: the views keep them
/// for the pages rendered after them (each page's own view, made as it
/// renders, shows its neighbours, breadcrumbs and related pages).
#[derive(Clone, Default)]
pub struct Kept {
    links: Vec<Option<Value>>,
    related: Vec<Option<Value>>,
}

impl Kept {
    /// Builds again the cards of `ids` that were built ahead (`serve`,
    /// after their title, summary or cover changed).
    pub fn refresh(&mut self, input: &Input<'_>, ids: &[EntryId]) {
        for &id in ids {
            if let Some(Some(link_card)) = self.links.get_mut(id) {
                *link_card = value(&link(input.site, id));
            }
            if let Some(Some(card)) = self.related.get_mut(id) {
                *card = value(&related_view(input, id));
            }
        }
    }
}

impl<'a> Cards<'a> {
    /// No cards ahead: every card is built when asked for.
    pub fn none() -> Self {
        Cards::default()
    }

    /// The cards the views kept, and no term references (own views show
    /// none).
    pub fn kept(kept: &'a Kept) -> Self {
        Cards {
            kept: std::borrow::Cow::Borrowed(kept),
            ..Cards::default()
        }
    }

    /// The links and related cards, for the views to keep.
    pub fn into_kept(self) -> Kept {
        self.kept.into_owned()
    }

    /// The link and related card of every entry `wanted` says, and every
    /// term reference of those pages. Links, related pages and terms stay
    /// within a language, so one language's views need its own cards only.
    pub fn all(input: &Input<'a>, wanted: &(dyn Fn(EntryId) -> bool + Sync)) -> Self {
        let mut cards = Self::terms_of(input, wanted);
        cards.kept = std::borrow::Cow::Owned(Self::links_and_related(input, wanted));
        cards
    }

    /// The term references of the pages `wanted` says, and no link or
    /// related card (each built when a page's own view asks for it).
    pub fn terms_of(input: &Input<'a>, wanted: &(dyn Fn(EntryId) -> bool + Sync)) -> Self {
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
        Cards {
            terms,
            ..Cards::default()
        }
    }

    fn links_and_related(input: &Input<'a>, wanted: &(dyn Fn(EntryId) -> bool + Sync)) -> Kept {
        use rayon::prelude::*;
        let site = input.site;
        let n = site.entries.len();
        let mut is_related = vec![false; n];
        for list in input.views.related.iter() {
            for &r in list {
                is_related[r] = true;
            }
        }
        let links = (0..n)
            .into_par_iter()
            .map(|id| wanted(id).then(|| value(&link(site, id))))
            .collect();
        let related = (0..n)
            .into_par_iter()
            .map(|id| (is_related[id] && wanted(id)).then(|| value(&related_view(input, id))))
            .collect();
        Kept { links, related }
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

    /// `page.previous`, `page.next`, an ancestor.
    pub fn link(&self, input: &Input<'_>, id: EntryId) -> Value {
        match self.kept.links.get(id) {
            Some(Some(v)) => v.clone(),
            _ => value(&link(input.site, id)),
        }
    }

    /// An item of `page.related`.
    pub fn related(&self, input: &Input<'_>, id: EntryId) -> Value {
        match self.kept.related.get(id) {
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

/// A link to another page: title and URL.
#[derive(Serialize)]
pub struct LinkView<'a> {
    pub title: &'a str,
    pub permalink: String,
    pub path: &'a str,
    /// The language of the title (differs from the page's for fallback copies).
    pub lang: &'a str,
}

#[derive(Serialize)]
pub struct TermRef<'a> {
    pub name: &'a str,
    pub slug: String,
    pub permalink: String,
}

pub fn link(site: &Site, entry: EntryId) -> LinkView<'_> {
    let e = &site.entries[entry];
    LinkView {
        lang: &site.doc(e).lang,
        title: &site.doc(e).front.title,
        permalink: site.permalink(&e.path),
        path: &e.path,
    }
}

/// A related page: enough for a card (no content, no nested relations).
#[derive(Serialize)]
pub struct RelatedView<'a> {
    title: &'a str,
    permalink: String,
    path: &'a str,
    date: Option<String>,
    summary: &'a str,
    reading_time: usize,
    image: Option<SafeUrl>,
    image_width: Option<u32>,
    image_height: Option<u32>,
    image_alt: Option<&'a str>,
    is_fallback: bool,
    fallback_lang: Option<&'a str>,
    translation: Option<&'a TranslationInfo>,
    source: Option<&'a SourceRecord>,
}

pub fn related_view<'a>(input: &Input<'a>, id: EntryId) -> RelatedView<'a> {
    let site = input.site;
    let entry = &site.entries[id];
    let doc = site.doc(entry);
    let permalink = site.permalink(&entry.path);
    let (image, image_size) = entry_image(input, id, &permalink);
    RelatedView {
        title: &doc.front.title,
        date: doc.front.date.map(|d| d.to_rfc3339()),
        summary: doc.front.summary.as_deref().unwrap_or(&input.bodies[id].summary),
        reading_time: reading_time(input.bodies[id].word_count),
        translation: doc.front.rare().translation.as_ref(),
        source: doc.front.rare().source.as_ref(),
        image,
        image_width: image_size.map(|s| s.0),
        image_height: image_size.map(|s| s.1),
        image_alt: doc.front.image_alt.as_deref(),
        is_fallback: entry.is_fallback,
        fallback_lang: entry.is_fallback.then_some(doc.lang.as_str()),
        path: &entry.path,
        permalink,
    }
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
