//! One entry's body: shortcode calls are cut out, the Markdown is rendered,
//! then each call is rendered by the theme (its own body as Markdown) and
//! put back. Kept apart from `markdown`, which knows nothing of templates.

use crate::shortcodes::{self, Shortcodes};
use vitrine_core::diagnostics::Diagnostic;
use vitrine_markdown::{self as markdown, ImageResolver, LinkResolver, MarkdownOptions, Rendered};

/// Renders `body` (starting at file line `first_line`) for a page shown in
/// `lang`. Diagnostics come back without a file.
pub fn render(
    body: &str,
    first_line: usize,
    lang: &str,
    options: &MarkdownOptions,
    links: &dyn LinkResolver,
    shortcodes: Option<&Shortcodes>,
    images: Option<&dyn ImageResolver>,
) -> Result<Rendered, Vec<Diagnostic>> {
    let Some(shortcodes) = shortcodes else {
        return markdown::render_with_images(body, first_line, options, links, images);
    };
    let (text, calls) = shortcodes::extract(body, first_line)?;
    if calls.is_empty() {
        return markdown::render_with_images(body, first_line, options, links, images);
    }
    let mut rendered = markdown::render_with_images(&text, first_line, options, links, images)?;
    // A shortcode's own body is the theme's to show: not indexed.
    let inner_options = MarkdownOptions {
        plain_text: false,
        ..*options
    };
    let mut pieces = Vec::with_capacity(calls.len());
    let mut errors = Vec::new();
    for (nth, call) in calls.iter().enumerate() {
        let inner = match &call.body {
            Some(md) => match markdown::render(md, call.line + 1, &inner_options, links) {
                Ok(r) => Some(r.html),
                Err(e) => {
                    errors.extend(e);
                    None
                }
            },
            None => None,
        };
        match shortcodes.render(call, lang, inner.as_deref(), nth) {
            Ok(html) => pieces.push(html),
            Err(e) => {
                errors.push(e);
                pieces.push(String::new());
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    rendered.html = shortcodes::substitute(&rendered.html, &pieces);
    rendered.summary_html = shortcodes::substitute(&rendered.summary_html, &pieces);
    rendered.summary = shortcodes::strip_tokens(&rendered.summary, calls.len())
        .trim()
        .to_string();
    match &mut rendered.plain_text {
        // Its words are counted once the tokens are out.
        Some(text) => *text = shortcodes::strip_tokens(text, calls.len()),
        // Each token counted as one word; the figures and captions are not
        // counted.
        None => rendered.word_count = rendered.word_count.saturating_sub(calls.len()),
    }
    Ok(rendered)
}
