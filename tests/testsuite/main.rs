//! vitrine's integration tests: one binary, one module per feature. Each test
//! builds a small site from `tests/fixtures/<case>/` (see `site_test`) and
//! asserts on the real output files, or runs the `vitrine` binary.

#[path = "../common/mod.rs"]
mod common;

mod analytics;
mod cli;
mod deploy;
mod damaged_images;
mod determinism;
mod errors;
mod exchange;
mod fallback;
mod feeds;
mod import;
mod hosting;
mod hreflang;
mod lifecycle;
mod locale;
mod newcomer;
mod output;
mod report;
mod search_stems;
mod site_test;
mod translations;
