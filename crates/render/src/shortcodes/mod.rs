//! Shortcodes: small template calls editors write in Markdown, such as
//! `{{ figure(src="/images/ha-long.svg", caption="…", credit="…") }}` or a
//! `{% quote(by="…") %}` … `{% end %}` block. The theme renders each one with
//! `templates/shortcodes/<name>.html`, so the look stays the theme's.
//!
//! Calls are cut out of the Markdown before it is parsed (see [`parse`]),
//! rendered here, and put back into the HTML after it. This module must not
//! parse Markdown itself: the caller renders bodies and passes them in.

mod parse;

use std::path::Path;
use std::sync::Arc;

use tera::{Context, Error, Tera, Value};
use walkdir::WalkDir;

pub use parse::{ArgSyntax, Call, CallSyntax, Fence, extract, find_close, parse_syntax, token};
use vitrine_core::diagnostics::{Diagnostic, Diagnostics};
use vitrine_load::config::Config;
use vitrine_load::i18n::{Cldr, Messages};

/// Where shortcode templates live inside a theme's `templates/` folder.
const SHORTCODE_DIR: &str = "shortcodes";

/// The theme's shortcode templates, ready to render calls.
pub struct Shortcodes {
    tera: Tera,
    names: Vec<String>,
    /// The site's URL rules, applied to URL arguments (see [`is_url_argument`]).
    urls: vitrine_core::safe_url::UrlPolicy,
}

/// Whether Markdown `text` may call a shortcode (`{{ name(…) }}`,
/// `{% name(…) %}`): a cheap superset of the calls [`extract`] finds.
pub fn may_call(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

/// Arguments that a template will print as a link or image address:
/// `url`, `src`, `href`, `thumbnail`, `link`, `image` and any `*_url`.
/// They are checked like every URL from content, so a shortcode template
/// can print them as they come.
pub fn is_url_argument(name: &str) -> bool {
    matches!(name, "url" | "src" | "href" | "thumbnail" | "link" | "image") || name.ends_with("_url")
}

impl Shortcodes {
    /// Loads `themes/<theme>/templates/shortcodes/*.html` with the template
    /// functions pages have too (`t`, `asset_url`, `format_date`,
    /// `format_number`: see [`crate::template_fns`]). A theme without
    /// shortcodes is fine.
    pub fn load(
        config: &Config,
        messages: Arc<Messages>,
        cldr: Arc<Cldr>,
    ) -> Result<Shortcodes, Diagnostics> {
        let templates = config.theme_dir().join("templates");
        let dir = templates.join(SHORTCODE_DIR);
        let dir_rel = format!("themes/{}/templates/{SHORTCODE_DIR}", config.theme);
        let mut sources = Vec::new();
        let mut errors = Diagnostics::new();
        for entry in WalkDir::new(&dir).sort_by_file_name().into_iter().flatten() {
            let path = entry.path();
            if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            match std::fs::read_to_string(path) {
                Ok(text) => sources.push((format!("{SHORTCODE_DIR}/{name}.html"), text)),
                Err(e) => errors.push(
                    Diagnostic::error(format!("cannot read the shortcode template: {e}"))
                        .in_file(format!("{dir_rel}/{}", file_name(path))),
                ),
            }
        }
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html"]);
        crate::template_fns::register(&mut tera, config, messages, cldr);
        if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
            errors.push(
                Diagnostic::error(format!("a shortcode template does not compile: {}", message(&e)))
                    .in_file(&dir_rel)
                    .with_hint("fix the template syntax (Tera 2)"),
            );
        }
        if errors.has_errors() {
            return Err(errors);
        }
        let names = sources
            .iter()
            .filter_map(|(n, _)| n.strip_prefix("shortcodes/")?.strip_suffix(".html"))
            .map(str::to_string)
            .collect();
        Ok(Shortcodes {
            tera,
            names,
            urls: config.urls.clone(),
        })
    }

    /// Renders one call for a page in `lang`. `body` is the call's body
    /// already rendered to HTML. `nth` numbers calls on a page, for ids.
    /// Errors point at the call's line (the caller adds the file).
    pub fn render(
        &self,
        call: &Call,
        lang: &str,
        body: Option<&str>,
        nth: usize,
    ) -> Result<String, Diagnostic> {
        if !self.names.contains(&call.name) {
            let known = if self.names.is_empty() {
                "the theme has no shortcodes".to_string()
            } else {
                format!("the theme's shortcodes are {}", self.names.join(", "))
            };
            return Err(Diagnostic::error(format!("unknown shortcode `{}`", call.name))
                .at_line(call.line, 1)
                .with_hint(known));
        }
        let mut ctx = Context::new();
        for (key, value) in &call.args {
            match value.as_str() {
                Some(raw) if is_url_argument(key) => {
                    let url = vitrine_core::safe_url::SafeUrl::parse(raw, &self.urls).map_err(|e| {
                        Diagnostic::error(format!("shortcode `{}`, argument `{key}`: {e}", call.name))
                            .at_line(call.line, 1)
                            .with_hint(e.hint())
                    })?;
                    ctx.insert(key.clone(), url.as_str());
                }
                _ => ctx.insert(key.clone(), value),
            }
        }
        ctx.insert("lang", lang);
        ctx.insert("nth", &nth);
        if let Some(html) = body {
            ctx.insert("body", &Value::safe_string(html));
        }
        let template = format!("{SHORTCODE_DIR}/{}.html", call.name);
        self.tera.render(&template, &ctx).map_err(|e| {
            Diagnostic::error(format!("the shortcode `{}` failed: {}", call.name, message(&e)))
                .at_line(call.line, 1)
                .with_label(format!("rendered by themes/…/templates/{template}"))
                .with_hint("check the shortcode's arguments against the README's shortcode guide")
        })
    }
}

/// Puts rendered shortcodes in place of their tokens: a token alone in a
/// paragraph is replaced with the paragraph (block shortcodes must not sit
/// inside `<p>`), any other token in place.
pub fn substitute(html: &str, rendered: &[String]) -> String {
    let mut out = html.to_string();
    for (i, piece) in rendered.iter().enumerate().rev() {
        let token = token(i);
        let block = format!("<p>{token}</p>");
        out = if out.contains(&block) {
            out.replace(&block, piece.trim())
        } else {
            out.replace(&token, piece.trim())
        };
    }
    out
}

/// Removes tokens from plain text (summaries, word counts).
pub fn strip_tokens(text: &str, count: usize) -> String {
    (0..count)
        .rev()
        .fold(text.to_string(), |t, i| t.replace(&token(i), ""))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn message(error: &Error) -> String {
    let mut text = match error.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            format!("{} (line {})", r.message(), r.span().start_line)
        }
        _ => error.to_string(),
    };
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text = format!("{text}: {s_text}");
        }
        source = s.source();
    }
    text
}
