//! The render stage: turns the model into pages. [`render`] prepares the
//! Markdown bodies and template views, plans every output and renders pages
//! and feeds with Tera; [`shortcodes`] expands shortcodes in Markdown
//! bodies; [`template_fns`] holds the template functions that page and
//! shortcode templates share, with one behaviour.

pub mod render;
pub mod shortcodes;
pub mod template_fns;
