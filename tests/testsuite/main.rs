//! vitrine's integration tests: one binary, one module per feature (as cargo
//! and mdBook do: the library is linked once). Each test gets its site from
//! `site_test::SiteTest`, a copy of `tests/fixtures/<case>/`, of the sample
//! portal or of a site made by `vitrine init`, and asserts on the real
//! output files, runs the `vitrine` binary, or drives a real browser, S3
//! server or translation tool against them.

mod analytics;
mod build_cache;
mod change_notes;
mod cli;
mod damaged_images;
mod deploy;
mod determinism;
mod errors;
mod exact_rebuilds;
mod exchange;
mod fallback;
mod feeds;
mod fluent_rebuilds;
mod hosting;
mod hreflang;
mod images;
mod import;
mod incremental_build;
mod killed_builds;
mod language_policy;
mod lifecycle;
mod locale;
mod newcomer;
mod notices;
mod output;
mod portal;
mod portal_browser;
mod portal_site;
mod random_edits;
mod report;
mod schedule;
mod search;
mod search_stems;
mod security;
mod serve;
mod serve_first;
mod serve_restart;
mod serve_support;
mod site_test;
mod svg_images;
mod taxonomy_terms;
mod template_fns;
mod translations;
mod translators;
mod views;
mod written_over;
