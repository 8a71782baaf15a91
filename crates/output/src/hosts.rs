//! Files that static hosts read from the output folder: `_headers` (the
//! header rules of [`super::header_rules`], for Netlify and Cloudflare
//! Pages) and `_redirects` (root language negotiation on Netlify, which
//! matches `Language=`; hosts without language conditions skip such lines
//! and serve the language picker). A site's own `static/_headers` or
//! `static/_redirects` wins: the generated one is then not written.

use std::fmt::Write;

use super::OutputFile;
use vitrine_load::config::Config;

pub fn host_files(config: &Config) -> Vec<OutputFile> {
    let own = |name: &str| {
        config.root.join("static").join(name).exists()
            || config.theme_dir().join("static").join(name).exists()
    };
    let mut files = Vec::new();
    if !own("_headers") {
        files.push(OutputFile::bytes(
            "_headers",
            super::netlify_headers(&super::header_rules(config)),
        ));
    }
    if !config.default_language_at_root && !own("_redirects") {
        files.push(OutputFile::bytes("_redirects", redirects(config)));
    }
    files
}

/// `/` to each language's home by the browser's languages, in the order
/// of `site.yaml`; the picker page at `/` answers every other visitor.
fn redirects(config: &Config) -> String {
    let mut out = String::from(
        "# Written by vitrine. Netlify sends `/` to the home in the visitor's language;\n\
         # hosts without language conditions serve the language picker at /.\n",
    );
    for lang in &config.languages {
        let _ = writeln!(
            out,
            "/  {}  302  Language={}",
            config.language_prefix(&lang.code),
            lang.code
        );
    }
    out
}
