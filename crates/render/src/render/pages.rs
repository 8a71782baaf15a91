//! Render jobs: one per output HTML file (pages, paginated sections,
//! taxonomy lists, term pages, 404s), run in parallel over the model.

use std::sync::Mutex;

use rayon::prelude::*;
use tera::{Context, Value, value::Key};

use super::context::{self, MetaView, TranslationView};
use super::lists::paginator;
use super::messages_shown::{ForeignMessages, beyond_chain};
use super::notices;
use super::seo::{LinkedData, json_ld};
use super::{Input, Templates, cards};
use vitrine_core::diagnostics::{Diagnostic, Diagnostics};
use vitrine_core::safe_url::SafeUrl;
use vitrine_load::content::DocumentKind;
use vitrine_load::i18n::noting_messages;
use vitrine_model::{EntryId, Pagination, Site, hreflang};
use vitrine_output::{Collect, OutputFile, Sink};

/// One HTML file to render. `serve` re-renders a chosen few after a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Job {
    Entry(EntryId),
    /// Page `number` (2 and up) of a paginated section.
    SectionPage(EntryId, usize),
    TaxonomyList {
        lang: usize,
        taxonomy: usize,
    },
    TermPage {
        lang: usize,
        taxonomy: usize,
        term: usize,
        number: usize,
    },
    NotFound(usize),
    /// The search page of a language (`search.html`, at `<lang>/search/`).
    Search(usize),
}

/// Renders the given jobs in parallel, in memory.
pub fn render_jobs(input: &Input<'_>, templates: &Templates, jobs: &[Job]) -> RenderedPages<Vec<OutputFile>> {
    let files = Collect::default();
    let rendered = render_jobs_into(input, templates, jobs, &files);
    RenderedPages {
        files: files.into_files(),
        diagnostics: rendered.diagnostics,
        foreign: rendered.foreign,
    }
}

/// What rendering pages made: their files (or `()` when handed to a
/// sink), the warnings and errors, and the pages showing other languages'
/// messages.
pub struct RenderedPages<F> {
    pub files: F,
    pub diagnostics: Diagnostics,
    pub foreign: ForeignMessages,
}

/// Renders the given jobs in parallel, each page handed to `sink` as soon
/// as it is made so that no more than a page per thread is held. A page
/// showing other languages' messages is noted as it is made: nearly every
/// page may be one, and a set of messages for each would be held to the
/// end.
pub fn render_jobs_into(
    input: &Input<'_>,
    templates: &Templates,
    jobs: &[Job],
    sink: &dyn Sink,
) -> RenderedPages<()> {
    let site = input.site;
    let foreign = Mutex::new(ForeignMessages::default());
    let errors: Vec<Diagnostic> = jobs
        .par_iter()
        .filter_map(|job| {
            let (rendered, shown) = noting_messages(|| render_job(input, templates, job));
            match rendered {
                Ok(Some(file)) => {
                    let beyond = beyond_chain(site, job.language(site), shown);
                    if !beyond.is_empty() {
                        let mut foreign = foreign.lock().unwrap_or_else(|e| e.into_inner());
                        foreign.note(&file.path, beyond);
                    }
                    sink.put(file);
                    None
                }
                Ok(None) => None,
                Err(d) => Some(d),
            }
        })
        .collect();
    RenderedPages {
        files: (),
        diagnostics: merge_repeated(errors),
        foreign: foreign.into_inner().unwrap_or_else(|e| e.into_inner()),
    }
}

/// One template mistake fails every page that uses the template: report it
/// once, saying how many pages it broke, not once per page.
fn merge_repeated(errors: Vec<Diagnostic>) -> Diagnostics {
    let mut merged: Vec<(Diagnostic, usize)> = Vec::new();
    for d in errors {
        let same = |m: &(Diagnostic, usize)| {
            m.0.file == d.file && m.0.location == d.location && m.0.message == d.message
        };
        match merged.iter_mut().find(|m| same(m)) {
            Some(m) => m.1 += 1,
            None => merged.push((d, 0)),
        }
    }
    merged
        .into_iter()
        .map(|(mut d, others)| {
            if others > 0 {
                let label = d.label.take().unwrap_or_default();
                d.label = Some(format!("{label} and {others} other page(s)"));
            }
            d
        })
        .collect::<Vec<_>>()
        .into()
}

impl Job {
    /// The language the job's page is in, by its place in `site.languages`.
    pub fn language(&self, site: &Site) -> usize {
        match *self {
            Job::Entry(id) | Job::SectionPage(id, _) => {
                let lang = &site.entries[id].lang;
                site.languages.iter().position(|l| &l.code == lang).unwrap_or(0)
            }
            Job::TaxonomyList { lang, .. } | Job::TermPage { lang, .. } => lang,
            Job::NotFound(lang) | Job::Search(lang) => lang,
        }
    }

    /// Pager `number` (from 1) of a section: the section's own page first.
    pub fn pager(section: EntryId, number: usize) -> Job {
        if number == 1 {
            Job::Entry(section)
        } else {
            Job::SectionPage(section, number)
        }
    }
}

/// Every render job of the site.
pub(super) fn jobs(site: &Site, templates: &Templates) -> Vec<Job> {
    // A term's entry is rendered as its term page (`Job::TermPage`).
    let mut jobs: Vec<Job> = (0..site.entries.len())
        .filter(|&i| site.entries[i].kind != DocumentKind::Term)
        .map(Job::Entry)
        .collect();
    for (i, e) in site.entries.iter().enumerate() {
        if e.kind == DocumentKind::Section && !site.is_home(i) {
            let pagers = site.section_pagination(i).pagers();
            jobs.extend((2..=pagers).map(|n| Job::SectionPage(i, n)));
        }
    }
    for (lang, index) in site.languages.iter().enumerate() {
        for (t, tax) in index.taxonomies.iter().enumerate() {
            if templates.has("taxonomy.html") {
                jobs.push(Job::TaxonomyList { lang, taxonomy: t });
            }
            if templates.has("term.html") {
                for (term, item) in tax.terms.iter().enumerate() {
                    let pagers = tax.pagination(item).pagers();
                    jobs.extend((1..=pagers).map(|number| Job::TermPage {
                        lang,
                        taxonomy: t,
                        term,
                        number,
                    }));
                }
            }
        }
        if templates.has("404.html") {
            jobs.push(Job::NotFound(lang));
        }
        if templates.has("search.html") && site.config.search {
            jobs.push(Job::Search(lang));
        }
    }
    jobs
}

/// The output file a job writes, relative to the output folder: where
/// [`render_job`] writes it, and what `serve` compares to find the files a
/// change removed.
pub fn job_file(site: &Site, job: &Job) -> String {
    let pager = Pagination::path;
    let path = match *job {
        Job::Entry(id) => site.entries[id].path.clone(),
        Job::SectionPage(id, number) => pager(&site.entries[id].path, number),
        Job::TaxonomyList { lang, taxonomy } => site.languages[lang].taxonomies[taxonomy].path.clone(),
        Job::TermPage {
            lang,
            taxonomy,
            term,
            number,
        } => pager(
            &site.languages[lang].taxonomies[taxonomy].terms[term].path,
            number,
        ),
        Job::NotFound(lang) => {
            let prefix = site.config.language_prefix(&site.languages[lang].code);
            return format!("{}404.html", prefix.trim_start_matches('/'));
        }
        Job::Search(lang) => format!(
            "{}search/",
            site.config.language_prefix(&site.languages[lang].code)
        ),
    };
    format!("{}index.html", path.trim_start_matches('/'))
}

/// What one page is made of, before its template renders it.
struct Page {
    template: String,
    ctx: Context,
    /// How an error names the page (its URL path, or the template).
    label: String,
}

/// Renders one job into its file, at the path [`job_file`] names.
fn render_job(input: &Input<'_>, templates: &Templates, job: &Job) -> Result<Option<OutputFile>, Diagnostic> {
    let site = input.site;
    let page = match *job {
        // A term's entry is rendered as its term pages.
        Job::Entry(id) if site.entries[id].kind == DocumentKind::Term => return Ok(None),
        Job::Entry(id) => entry_page(input, id),
        Job::SectionPage(id, number) => section_pager(input, id, number),
        Job::TaxonomyList { lang, taxonomy } => taxonomy_list(input, lang, taxonomy),
        Job::TermPage {
            lang,
            taxonomy,
            term,
            number,
        } => term_page(input, lang, taxonomy, term, number),
        Job::NotFound(lang) => not_found(input, lang),
        Job::Search(lang) => search_page(input, lang),
    };
    if !templates.has(&page.template) {
        let file = match job {
            Job::Entry(id) | Job::SectionPage(id, _) => site.doc(&site.entries[*id]).file.clone(),
            _ => templates.dir.clone(),
        };
        let template = &page.template;
        return Err(
            Diagnostic::error(format!("the template `{template}` does not exist"))
                .in_file(file)
                .with_hint(format!("add {}/{template} or fix `template:`", templates.dir)),
        );
    }
    let html = templates
        .tera
        .render(&page.template, &page.ctx)
        .map_err(|e| templates.diagnostic(&e, &format!("rendering {}", page.label)))?;
    Ok(Some(OutputFile::bytes(job_file(site, job), html)))
}

/// An entry's own page: a page, a section's first pager, a home.
fn entry_page(input: &Input<'_>, id: EntryId) -> Page {
    let site = input.site;
    let entry = &site.entries[id];
    let home = site.is_home(id);
    let default = match entry.kind {
        DocumentKind::Page => "page.html",
        DocumentKind::Section if home => "index.html",
        DocumentKind::Section => "section.html",
        DocumentKind::Term => "term.html",
    };
    let template = site.doc(entry).front.rare().template.clone();
    let mut ctx = entry_context(input, id, 1);
    if home {
        let lang = site.language(&entry.lang).map(|l| &l.latest);
        let latest: Vec<Value> = lang.into_iter().flatten().map(|&p| input.entry_view(p)).collect();
        ctx.insert_value("latest", Value::from(latest));
    }
    if entry.kind == DocumentKind::Section {
        ctx.insert_value("section", input.section_view(id));
        let pagination = site.section_pagination(id);
        ctx.insert(
            "paginator",
            &paginator(input, &entry.pages, pagination, 1, &entry.path),
        );
    } else {
        ctx.insert_value("page", context::page_view(input, id));
    }
    Page {
        template: template.unwrap_or_else(|| default.to_string()),
        ctx,
        label: entry.path.clone(),
    }
}

/// Pager `number` (2 and up) of a section.
fn section_pager(input: &Input<'_>, id: EntryId, number: usize) -> Page {
    let site = input.site;
    let entry = &site.entries[id];
    let template = site.doc(entry).front.rare().template.clone();
    let mut ctx = entry_context(input, id, number);
    ctx.insert_value("section", input.section_view(id));
    let pagination = site.section_pagination(id);
    ctx.insert(
        "paginator",
        &paginator(input, &entry.pages, pagination, number, &entry.path),
    );
    Page {
        template: template.unwrap_or_else(|| "section.html".to_string()),
        ctx,
        label: Pagination::path(&entry.path, number),
    }
}

/// The list of a taxonomy's terms in one language.
fn taxonomy_list(input: &Input<'_>, lang: usize, taxonomy: usize) -> Page {
    let site = input.site;
    let tax = &site.languages[lang].taxonomies[taxonomy];
    // An empty list (no term in this language) is noindex, without a cluster.
    let listed = List {
        robots: if tax.terms.is_empty() {
            "noindex, follow"
        } else {
            "index, follow"
        },
        alternates: if tax.terms.is_empty() {
            Vec::new()
        } else {
            hreflang::list_cluster(site, 1, |index| hreflang::taxonomy_list(index, taxonomy))
        },
        description: String::new(),
    };
    let mut ctx = list_context(input, lang, &tax.path, &tax.name, listed, |index| {
        index.taxonomies.get(taxonomy).map(|t| t.path.clone())
    });
    let value = input.views.taxonomies[lang][taxonomy].clone();
    if let Some(terms) = value.as_map().and_then(|m| m.get(&Key::Str("terms"))).cloned() {
        ctx.insert_value("terms", terms);
    }
    ctx.insert_value("taxonomy", value);
    Page {
        template: "taxonomy.html".to_string(),
        ctx,
        label: tax.path.clone(),
    }
}

/// Pager `number` of a term's pages.
fn term_page(input: &Input<'_>, lang: usize, taxonomy: usize, term: usize, number: usize) -> Page {
    let site = input.site;
    let tax = &site.languages[lang].taxonomies[taxonomy];
    let item = &tax.terms[term];
    let path = Pagination::path(&item.path, number);
    // A declared term is an entry: its translations, canonical, robots and
    // social image are an entry's.
    let mut ctx = match item.entry {
        Some(e) => entry_context(input, e, number),
        None => {
            let listed = List {
                robots: "index, follow",
                alternates: hreflang::term_cluster(site, lang, taxonomy, term, number),
                description: String::new(),
            };
            list_context(input, lang, &path, &item.name, listed, |index| {
                index
                    .taxonomies
                    .get(taxonomy)?
                    .term(&item.key)
                    .map(|t| t.path.clone())
            })
        }
    };
    ctx.insert_value("taxonomy", input.views.taxonomies[lang][taxonomy].clone());
    ctx.insert_value("term", super::terms::term_value(input, &tax.name, item));
    ctx.insert(
        "paginator",
        &paginator(input, &item.pages, tax.pagination(item), number, &item.path),
    );
    Page {
        template: "term.html".to_string(),
        ctx,
        label: path,
    }
}

/// A language's 404 page.
fn not_found(input: &Input<'_>, lang: usize) -> Page {
    let site = input.site;
    let prefix = site.config.language_prefix(&site.languages[lang].code);
    // The page's title in the reader's language, through its chain.
    let chain: Vec<&str> = site.config.languages[lang]
        .chain
        .iter()
        .map(String::as_str)
        .collect();
    let title = input
        .services
        .messages
        .format(&chain, "not-found-title", &[])
        .unwrap_or_else(|_| "404".to_string());
    // Not a page to index: no cluster.
    let listed = List {
        robots: "noindex, follow",
        alternates: Vec::new(),
        description: String::new(),
    };
    let ctx = list_context(input, lang, &prefix, &title, listed, |index| {
        Some(site.config.language_prefix(&index.code))
    });
    Page {
        template: "404.html".to_string(),
        ctx,
        label: "404.html".to_string(),
    }
}

/// A language's search page.
fn search_page(input: &Input<'_>, lang: usize) -> Page {
    let site = input.site;
    let code = &site.languages[lang].code;
    let path = format!("{}search/", site.config.language_prefix(code));
    let title = input
        .services
        .messages
        .format(&[code.as_str()], "search-title", &[])
        .unwrap_or_else(|_| "Search".to_string());
    let search_in =
        |index: &vitrine_model::LanguageIndex| format!("{}search/", site.config.language_prefix(&index.code));
    let listed = List {
        robots: "index, follow",
        alternates: hreflang::list_cluster(site, 1, |index| Some((search_in(index), 1))),
        // What the site is about, from its home page in this language.
        description: site
            .doc(&site.entries[site.languages[lang].home])
            .front
            .description
            .clone()
            .unwrap_or_default(),
    };
    let mut ctx = list_context(input, lang, &path, &title, listed, |index| Some(search_in(index)));
    ctx.insert("search", &vitrine_search::page_view(&site.config, code, &path));
    Page {
        template: "search.html".to_string(),
        ctx,
        label: path,
    }
}

/// Context every template gets, for an entry.
fn entry_context(input: &Input<'_>, id: EntryId, number: usize) -> Context {
    let site = input.site;
    let entry = &site.entries[id];
    let doc = site.doc(entry);
    let lang_index = site
        .config
        .languages
        .iter()
        .position(|l| l.code == entry.lang)
        .unwrap_or(0);
    // Page N of a list is a page of its own: its own URL, canonical and cluster.
    let own_path = Pagination::path(&entry.path, number);
    let mut ctx = base_context(input, lang_index, &own_path);
    ctx.insert(
        "top_section",
        doc.content_path.split('/').next().unwrap_or_default(),
    );
    let translations = context::translations(site, id);
    let kind = match entry.kind {
        DocumentKind::Page => "page",
        DocumentKind::Section if doc.is_home() => "home",
        DocumentKind::Section => "section",
        DocumentKind::Term => "term",
    };
    let body = &input.bodies[id];
    let description = doc
        .front
        .description
        .clone()
        .or_else(|| doc.front.summary.clone())
        .unwrap_or_else(|| body.summary.to_string());
    let site_title = &input.views.site_titles[lang_index];
    let permalink = site.permalink(&entry.path);
    let image = cards::cover_url(input, id)
        .map(|u| SafeUrl::from_built(&u))
        .or_else(|| {
            doc.front
                .image
                .as_deref()
                .and_then(|i| cards::asset_url(site, &permalink, i))
        });
    // Social cards get the 1200×630 crop of the cover, else the site's default.
    let social = input.bodies[id]
        .cover
        .as_ref()
        .map(|c| &c.social)
        .or(input.bodies.social_default.as_ref());
    // A fallback copy points search engines at the original text (the same
    // page of its list when the original has one); so does
    // an imported page, unless its source lets us republish as our own.
    let original = doc
        .front
        .rare()
        .source
        .as_ref()
        .filter(|s| s.canonical == vitrine_load::config::sources::SourceCanonical::Original)
        .map(|s| s.url.clone());
    let canonical = if let Some(original) = original {
        original
    } else if entry.is_fallback {
        site.groups[entry.group]
            .entries
            .get(&doc.lang)
            .map_or(permalink.clone(), |&o| {
                let original = &site.entries[o].path;
                let has_page = number == 1 || site.section_pagination(o).pagers() >= number;
                site.permalink(&if has_page {
                    Pagination::path(original, number)
                } else {
                    original.clone()
                })
            })
    } else {
        site.permalink(&own_path)
    };
    let own: Vec<&TranslationView<'_>> = translations.iter().filter(|t| !t.fallback).collect();
    let home_url = site.permalink(&site.config.language_prefix(&entry.lang));
    let meta = MetaView {
        title: doc.front.title.clone(),
        description: description.clone(),
        canonical,
        og_type: if kind == "page" { "article" } else { "website" },
        og_locale: input.og_locale(&entry.lang),
        og_locale_alternates: own
            .iter()
            .filter(|t| t.lang != entry.lang)
            .map(|t| input.og_locale(t.lang))
            .collect(),
        image: social
            .map(|v| SafeUrl::from_built(&v.url))
            .or_else(|| image.clone()),
        image_width: social.map(|v| v.width),
        image_height: social.map(|v| v.height),
        image_alt: input.bodies[id]
            .cover
            .as_ref()
            .map(|c| c.alt.clone())
            .filter(|alt| !alt.is_empty()),
        json_ld: json_ld(&LinkedData {
            kind,
            title: &doc.front.title,
            description: &description,
            url: &permalink,
            lang: &doc.lang,
            site_title,
            site_url: &home_url,
            date: doc.front.date.map(|d| d.to_rfc3339()),
            updated: doc.front.public_updated().map(|d| d.to_rfc3339()),
            image: image.as_ref().map(SafeUrl::as_str),
            author: doc.front.author.as_deref(),
            based_on: doc.front.rare().source.as_ref().map(|s| s.url.as_str()),
        }),
        robots: if entry.is_fallback {
            "noindex, follow"
        } else {
            "index, follow"
        },
        alternates: hreflang::entry_cluster(site, id, number),
    };
    ctx.insert("translations", &translations);
    ctx.insert("meta", &meta);
    ctx
}

/// Context shared by all templates of a language.
fn base_context(input: &Input<'_>, lang_index: usize, path: &str) -> Context {
    let config = &input.site.config;
    let lang = &config.languages[lang_index];
    let mut ctx = Context::new();
    ctx.insert_value("site", input.views.site[lang_index].clone());
    ctx.insert("lang", &lang.code);
    ctx.insert("lang_dir", lang.dir.as_str());
    ctx.insert("current_path", path);
    ctx.insert("current_url", &input.site.permalink(path));
    // Lists that are no section's (taxonomies, 404) have none.
    ctx.insert("top_section", "");
    ctx.insert("notices", &notices::views_for(input.site, &lang.code, path));
    ctx
}

/// Context for lists that are not content (taxonomies, terms, 404): the
/// same list in other languages is found by `path_in`.
/// How search engines are to take a list that is not content.
struct List {
    robots: &'static str,
    alternates: Vec<hreflang::Alternate>,
    /// `<meta name="description">`, when the list has one.
    description: String,
}

fn list_context(
    input: &Input<'_>,
    lang: usize,
    path: &str,
    title: &str,
    listed: List,
    path_in: impl Fn(&vitrine_model::LanguageIndex) -> Option<String>,
) -> Context {
    let site = input.site;
    let mut ctx = base_context(input, lang, path);
    let code = &site.languages[lang].code;
    let translations: Vec<TranslationView<'_>> = site
        .languages
        .iter()
        .zip(&site.config.languages)
        .filter_map(|(index, language)| {
            Some(TranslationView {
                lang: &language.code,
                name: &language.name,
                title,
                permalink: site.permalink(&path_in(index)?),
                fallback: false,
            })
        })
        .collect();
    let permalink = site.permalink(path);
    let site_title = &input.views.site_titles[lang];
    let meta = MetaView {
        title: title.to_string(),
        description: listed.description.clone(),
        canonical: permalink.clone(),
        og_type: "website",
        og_locale: input.og_locale(code),
        og_locale_alternates: translations
            .iter()
            .filter(|t| t.lang != code)
            .map(|t| input.og_locale(t.lang))
            .collect(),
        image: input
            .bodies
            .social_default
            .as_ref()
            .map(|v| SafeUrl::from_built(&v.url)),
        image_width: input.bodies.social_default.as_ref().map(|v| v.width),
        image_height: input.bodies.social_default.as_ref().map(|v| v.height),
        image_alt: None,
        json_ld: json_ld(&LinkedData {
            kind: "list",
            title,
            description: &listed.description,
            url: &permalink,
            lang: code,
            site_title,
            site_url: &site.permalink(&site.config.language_prefix(code)),
            date: None,
            updated: None,
            image: None,
            author: None,
            based_on: None,
        }),
        robots: listed.robots,
        alternates: listed.alternates,
    };
    ctx.insert("translations", &translations);
    ctx.insert("meta", &meta);
    ctx
}
