//! vitrine: a static-site generator for multilingual national-image portals.
//!
//! Data flows one way: [`config`] and [`content`] load the site folder,
//! [`i18n`] loads Fluent bundles and CLDR formatting, [`model`] links
//! documents into languages, sections and taxonomies, [`render`] turns the
//! model into HTML with [`markdown`] and Tera templates, and [`output`]
//! writes pages, feeds, sitemap and static files. [`build`] runs the stages;
//! [`serve`] runs them again, incrementally, on every change.
//! [`notices`] reads urgent notices shown on every page. [`template_fns`]
//! holds the template functions page and shortcode templates share.
//! [`translation`] reports coverage, staleness and Fluent problems;
//! [`scaffold`] creates pages, translations and sites; [`report`] is the
//! portal's dashboard of figures for the people who steer it; [`import`] turns
//! other sites' feeds into draft pages crediting their source.

pub mod build;
pub mod cli;
pub mod config;
pub mod content;
pub mod deploy;
pub mod diagnostics;
pub mod i18n;
pub mod images;
pub mod import;
pub mod markdown;
pub mod model;
pub mod notices;
pub mod output;
pub mod render;
pub mod report;
pub mod safe_url;
pub mod scaffold;
pub mod search;
pub mod security;
pub mod serve;
pub mod shortcodes;
pub mod slug;
pub mod template_fns;
pub mod translation;
