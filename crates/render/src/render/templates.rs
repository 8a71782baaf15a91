//! Tera 2 templates of the theme, with the functions shortcodes share (`t`,
//! `asset_url`, `format_date`, `format_number`: see [`crate::template_fns`])
//! and the ones that need the site: functions `url_for`, `get_page`,
//! `get_section`, `get_taxonomy` and filters `date`, `urlencode`, `slugify`,
//! `markdown`. Template errors become diagnostics that point at the
//! template file and line.

use std::sync::Arc;

use tera::{Error, Kwargs, State, Tera, Value};
use walkdir::WalkDir;

use super::{Prepared, Views, links};
use crate::template_fns::lang_of;
use vitrine_core::diagnostics::{Diagnostic, Diagnostics, Location};
use vitrine_load::content::DocumentKind;
use vitrine_markdown::{self as markdown, MarkdownOptions};
use vitrine_model::Site;

/// The loaded templates of a theme.
pub struct Templates {
    pub tera: Tera,
    /// The templates folder, relative to the site root, for diagnostics.
    pub dir: String,
}

impl Templates {
    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// A Tera error as a diagnostic at the template's file and line.
    pub fn diagnostic(&self, error: &Error, context: &str) -> Diagnostic {
        error_diagnostic(&self.dir, error, context)
    }
}

/// Loads every template of `themes/<theme>/templates` (files sorted, so
/// loading is deterministic) and registers the template functions, each
/// holding what it reads: the model, the views, the image store.
pub fn load_templates(prepared: &Prepared, views: &Arc<Views>) -> Result<Templates, Diagnostics> {
    let (site, services) = (&prepared.site, &prepared.services);
    let config = &site.config;
    let dir_rel = format!("themes/{}/templates", config.theme);
    let dir = config.root.join(&dir_rel);
    let mut sources = Vec::new();
    let mut errors = Diagnostics::new();
    if !dir.is_dir() {
        errors.push(
            Diagnostic::error(format!("the theme `{}` has no templates folder", config.theme))
                .in_file(&dir_rel)
                .with_hint("create themes/<theme>/templates/ or set `theme:` in site.yaml"),
        );
        return Err(errors);
    }
    for entry in WalkDir::new(&dir).sort_by_file_name().into_iter().flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&dir) else {
            continue;
        };
        let name = rel.to_string_lossy().replace('\\', "/");
        match std::fs::read_to_string(entry.path()) {
            Ok(text) => sources.push((name, text)),
            Err(e) => errors.push(
                Diagnostic::error(format!("cannot read the template: {e}"))
                    .in_file(format!("{dir_rel}/{name}")),
            ),
        }
    }
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml", ".htm"]);
    register(&mut tera, prepared, views);
    super::images::register(&mut tera, site, &services.images);
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        let reports = rendered_reports(&dir_rel, &e.to_string());
        if reports.is_empty() {
            errors.push(error_diagnostic(&dir_rel, &e, "loading the templates"));
        } else {
            errors.extend(reports);
        }
    }
    for required in ["page.html", "section.html", "index.html"] {
        if errors.is_empty() && !tera.contains_template(required) {
            errors.push(
                Diagnostic::error(format!("the theme has no `{required}` template"))
                    .in_file(&dir_rel)
                    .with_hint(format!("add {dir_rel}/{required}")),
            );
        }
    }
    if errors.has_errors() {
        return Err(errors);
    }
    Ok(Templates { tera, dir: dir_rel })
}

/// Tera checks references across templates (unknown filters, functions,
/// components, included templates) after parsing and hands back every
/// problem as one text of compiler-style reports (`error: …` then
/// `--> page.html:6:17`). Each becomes a diagnostic of its own at its file,
/// line and column, so the location is printed once, not nested in a
/// message that points at the templates folder.
fn rendered_reports(dir: &str, text: &str) -> Vec<Diagnostic> {
    text.split("\n\n")
        .filter_map(|report| {
            let mut lines = report.lines();
            let message = lines.next()?.trim().strip_prefix("error: ")?;
            let (file, line, column) = lines.find_map(|l| {
                let place = l.trim().strip_prefix("--> ")?;
                let mut parts = place.rsplitn(3, ':');
                let column: usize = parts.next()?.parse().ok()?;
                let line: usize = parts.next()?.parse().ok()?;
                Some((parts.next()?.to_string(), line, column))
            })?;
            Some(
                Diagnostic::error(message.to_string())
                    .in_file(format!("{dir}/{file}"))
                    .at(Location::new(line, column))
                    .with_label("while loading the templates")
                    .with_hint("see the template variables and functions in the README"),
            )
        })
        .collect()
}

fn error_diagnostic(dir: &str, error: &Error, context: &str) -> Diagnostic {
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        causes.push(s.to_string());
        source = s.source();
    }
    let report = match error.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let Some(report) = report else {
        let mut message = error.to_string();
        for c in &causes {
            message = format!("{message}: {c}");
        }
        return Diagnostic::error(format!("template error while {context}: {message}")).in_file(dir);
    };
    let mut message = report.message().to_string();
    for c in &causes {
        if !message.contains(c.as_str()) {
            message = format!("{message}: {c}");
        }
    }
    let span = report.span();
    let hint = if message.contains("Fluent message") {
        "add the message to locales/<lang>/*.ftl (or the theme's locales/), or fix the key"
    } else {
        "see the template variables and functions in the README"
    };
    Diagnostic::error(message)
        .in_file(format!("{dir}/{}", report.filename()))
        .at(Location::new(span.start_line, span.start_col + 1))
        .with_label(format!("while {context}"))
        .with_hint(hint)
}

fn register(tera: &mut Tera, prepared: &Prepared, views: &Arc<Views>) {
    let (site, services) = (&prepared.site, &prepared.services);
    crate::template_fns::register(
        tera,
        &site.config,
        services.messages.clone(),
        services.cldr.clone(),
    );
    let e = site.clone();
    tera.register_function(
        "url_for",
        move |kwargs: Kwargs, state: &State| -> Result<String, Error> {
            let path: String = kwargs.must_get("path")?;
            let lang = lang_of(&kwargs, state)?;
            url_for(&e, &path, &lang)
        },
    );
    let (p, v) = (prepared.clone(), views.clone());
    tera.register_function(
        "get_page",
        move |kwargs: Kwargs, state: &State| -> Result<Value, Error> {
            let id = find(&p.site, &kwargs, state, DocumentKind::Page)?;
            Ok(super::context::page_view(&p.input(&v), id))
        },
    );
    let (p, v) = (prepared.clone(), views.clone());
    tera.register_function(
        "get_section",
        move |kwargs: Kwargs, state: &State| -> Result<Value, Error> {
            let id = find(&p.site, &kwargs, state, DocumentKind::Section)?;
            Ok(p.input(&v).section_view(id))
        },
    );
    let (e, v) = (site.clone(), views.clone());
    tera.register_function(
        "get_taxonomy",
        move |kwargs: Kwargs, state: &State| -> Result<Value, Error> {
            let name: String = kwargs.must_get("name")?;
            let lang = lang_of(&kwargs, state)?;
            let l = e
                .languages
                .iter()
                .position(|l| l.code == lang)
                .ok_or_else(|| Error::message(format!("`{lang}` is not a language of the site")))?;
            let t = e.languages[l]
                .taxonomies
                .iter()
                .position(|t| t.name == name)
                .ok_or_else(|| Error::message(format!("no taxonomy `{name}` in site.yaml")))?;
            Ok(v.taxonomies[l][t].clone())
        },
    );
    tera.register_filter(
        "date",
        |value: &Value, kwargs: Kwargs, _: &State| -> Result<String, Error> {
            let format: String = kwargs.get("format")?.unwrap_or_else(|| "%Y-%m-%d".to_string());
            let Some(date) = date_of(value) else {
                return Ok(String::new());
            };
            let mut out = String::new();
            use std::fmt::Write;
            write!(out, "{}", date.format(&format))
                .map_err(|_| Error::message(format!("`{format}` is not a valid date format")))?;
            Ok(out)
        },
    );
    // Share links put page URLs and titles into query strings.
    tera.register_filter("urlencode", |value: &str, _: Kwargs, _: &State| {
        percent_encoding::utf8_percent_encode(value, percent_encoding::NON_ALPHANUMERIC).to_string()
    });
    tera.register_filter("slugify", |value: &str, _: Kwargs, _: &State| {
        vitrine_core::slug::slugify(value)
    });
    let e = site.clone();
    tera.register_filter(
        "markdown",
        move |value: &str, kwargs: Kwargs, state: &State| -> Result<Value, Error> {
            let lang = lang_of(&kwargs, state)?;
            let links = links::EntryLinks {
                site: &e,
                lang: &lang,
            };
            let options = MarkdownOptions {
                allow_html: e.config.allow_html,
                urls: Some(&e.config.urls),
                ..MarkdownOptions::default()
            };
            let rendered = markdown::render(value, 1, &options, &links).map_err(|errs| {
                Error::message(
                    errs.iter()
                        .map(|d| d.message.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            })?;
            Ok(Value::safe_string(&rendered.html))
        },
    );
}

fn date_of(value: &Value) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    value.as_str().and_then(vitrine_load::content::dates::parse_date)
}

fn find(site: &Site, kwargs: &Kwargs, state: &State, kind: DocumentKind) -> Result<usize, Error> {
    let path: String = kwargs.must_get("path")?;
    let lang = lang_of(kwargs, state)?;
    let target = path.trim_start_matches("@/");
    site.resolve_content_link(target, &lang)
        .filter(|&id| site.entries[id].kind == kind)
        .ok_or_else(|| {
            Error::message(format!(
                "no {} at content/{target} in `{lang}`",
                if kind == DocumentKind::Page {
                    "page"
                } else {
                    "section"
                }
            ))
        })
}

/// `url_for`: `@/` content paths resolve to the page in `lang`; plain site
/// paths get the language prefix.
pub fn url_for(site: &Site, path: &str, lang: &str) -> Result<String, Error> {
    if let Some(target) = path.strip_prefix("@/") {
        let (target, fragment) = target
            .split_once('#')
            .map_or((target, None), |(t, f)| (t, Some(f)));
        let url = links::resolve(site, target, lang).map_err(Error::message)?;
        return Ok(match fragment {
            Some(f) => format!("{url}#{f}"),
            None => url,
        });
    }
    if path.starts_with("http://") || path.starts_with("https://") {
        return Ok(path.to_string());
    }
    let prefix = site.config.language_prefix(lang);
    let path = format!("{prefix}{}", path.trim_start_matches('/'));
    Ok(site.permalink(&path))
}
