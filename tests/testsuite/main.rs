//! vitrine's integration tests: one binary, one module per feature. Each test
//! builds a small site from `tests/fixtures/<case>/` (see `site_test`) and
//! asserts on the real output files, or runs the `vitrine` binary.

#[path = "../common/mod.rs"]
mod common;

mod analytics;
mod change_notes;
mod cli;
mod damaged_images;
mod deploy;
mod determinism;
mod errors;
mod exchange;
mod fallback;
mod feeds;
mod hosting;
mod hreflang;
mod import;
mod language_policy;
mod lifecycle;
mod locale;
mod newcomer;
mod notices;
mod output;
mod report;
mod schedule;
mod search_stems;
mod security;
mod site_test;
mod svg_images;
mod taxonomy_terms;
mod translations;
