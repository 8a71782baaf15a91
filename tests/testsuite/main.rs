//! vitrine's integration tests: one binary, one module per feature. Each test
//! builds a small site from `tests/fixtures/<case>/` (see `site_test`) and
//! asserts on the real output files, or runs the `vitrine` binary.

#[path = "../common/mod.rs"]
mod common;

mod cli;
mod determinism;
mod errors;
mod fallback;
mod feeds;
mod lifecycle;
mod locale;
mod output;
mod security;
mod site_test;
mod translations;
