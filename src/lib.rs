//! vitrine: a static-site generator for multilingual national-image portals.
//!
//! The stages are workspace crates under `crates/`, so the compiler keeps
//! data flowing one way; this crate re-exports them under their module
//! names and adds the commands built on the engine.
//!
//! - `vitrine-core`: [`diagnostics`], [`slug`], [`safe_url`], [`security`].
//! - `vitrine-load`: [`config`] and [`content`] load the site folder,
//!   [`i18n`] loads Fluent bundles and CLDR formatting, [`notices`] reads
//!   urgent notices.
//! - `vitrine-model`: [`model`] links documents into languages, sections
//!   and taxonomies.
//! - `vitrine-output`: [`output`] holds the sinks every file goes to and the
//!   files made from the model alone (sitemap, robots, aliases).
//! - `vitrine-markdown`, `vitrine-images`, `vitrine-search`: [`markdown`],
//!   [`images`] and [`search`], the parts of the render stage that know
//!   nothing of templates.
//! - `vitrine-render`: [`render`] turns the model into HTML with Tera,
//!   [`shortcodes`] and [`template_fns`].
//! - `vitrine-engine`: [`build`] runs the stages; [`serve`] runs them again,
//!   incrementally, on every change.
//!
//! Built on the engine, in this crate: [`cli`]; [`translation`] reports
//! coverage, staleness and Fluent problems and exchanges translations;
//! [`scaffold`] creates pages, translations and sites; [`report`] is the
//! portal's dashboard of figures for the people who steer it; [`import`]
//! turns other sites' feeds into draft pages crediting their source;
//! [`deploy`] publishes the output to object storage.

pub use vitrine_core::{diagnostics, safe_url, security, slug};
pub use vitrine_engine::{build, cache, changes, incremental, serve};
pub use vitrine_images as images;
pub use vitrine_load::{config, content, i18n, notices};
pub use vitrine_markdown as markdown;
pub use vitrine_model as model;
pub use vitrine_output as output;
pub use vitrine_render::{render, shortcodes, template_fns};
pub use vitrine_search as search;

pub mod cli;
pub mod deploy;
pub mod import;
pub mod report;
pub mod scaffold;
pub mod translation;
