//! Small generated files: robots.txt, alias redirects, the root language
//! picker, and copies of static files and page-bundle assets.

use std::fmt::Write;
use std::path::Path;

use walkdir::WalkDir;

use super::{OutputFile, xml_escape};
use vitrine_model::Site;

pub fn robots(site: &Site) -> OutputFile {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if site.config.sitemap {
        let _ = writeln!(text, "Sitemap: {}/sitemap.xml", site.config.base_url);
    }
    OutputFile::bytes("robots.txt", text)
}

/// A page that sends readers (and search engines) to `target`.
fn redirect_page(target: &str, lang: &str) -> String {
    let t = xml_escape(target);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<link rel=\"canonical\" href=\"{t}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={t}\">\n</head>\n<body><p><a href=\"{t}\">{t}</a></p></body>\n</html>\n",
        xml_escape(lang)
    )
}

/// Redirect pages for every `aliases:` entry of the pages written in each
/// language. An alias is a site path (`/old/url/`).
pub fn aliases(site: &Site) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for e in site.entries.iter().filter(|e| !e.is_fallback) {
        let doc = site.doc(e);
        for alias in &doc.front.rare().aliases {
            let Some(path) = safe_relative(alias) else {
                continue;
            };
            let file = if path.ends_with(".html") {
                path
            } else {
                format!("{}/index.html", path.trim_end_matches('/'))
            };
            let file = file.trim_start_matches('/').to_string();
            files.push(OutputFile::bytes(
                file,
                redirect_page(&site.permalink(&e.path), &e.lang),
            ));
        }
    }
    files
}

/// A site path that stays inside the output folder, without leading `/`.
fn safe_relative(path: &str) -> Option<String> {
    let trimmed = path.trim().trim_start_matches('/');
    let ok = !trimmed.is_empty()
        && trimmed
            .split('/')
            .all(|part| part != ".." && part != "." && !part.contains('\\'));
    ok.then(|| trimmed.to_string())
}

/// When the default language is not at the root, `/index.html` sends each
/// reader to their browser's language, with a plain list of links for
/// readers without JavaScript. The script is a file of its own
/// (`language-picker.js`, reading the list's links): no inline script, so
/// the page runs under the site's strict CSP.
pub fn language_picker(site: &Site) -> Vec<OutputFile> {
    if site.config.default_language_at_root {
        return Vec::new();
    }
    let mut links = String::new();
    for (lang, home) in site.config.languages.iter().zip(&site.languages) {
        let url = site.permalink(&site.entries[home.home].path);
        let _ = writeln!(
            links,
            "<li><a href=\"{}\" hreflang=\"{code}\" lang=\"{code}\" dir=\"{}\">{}</a></li>",
            xml_escape(&url),
            lang.dir.as_str(),
            xml_escape(&lang.name),
            code = xml_escape(&lang.code),
        );
    }
    let default_url = site.permalink(&site.config.language_prefix(&site.config.default_language));
    // The homes' cluster, which names this page as x-default: the same as
    // the homes' heads and the sitemap.
    let alternates: String = vitrine_model::hreflang::picker_cluster(site)
        .iter()
        .map(|a| {
            format!(
                "<link rel=\"alternate\" hreflang=\"{}\" href=\"{}\">\n",
                xml_escape(&a.hreflang),
                xml_escape(&a.href)
            )
        })
        .collect();
    let csp = if site.config.csp.is_enabled() {
        format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n",
            xml_escape(&site.config.csp.meta_value())
        )
    } else {
        String::new()
    };
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n{csp}<title>{title}</title>\n<link rel=\"canonical\" href=\"{root}/\">\n{alternates}<script src=\"{root}/language-picker.js\"></script>\n</head>\n<body>\n<main data-default=\"{default}\">\n<h1>{title}</h1>\n<ul>\n{links}</ul>\n</main>\n</body>\n</html>\n",
        lang = xml_escape(&site.config.default_language),
        title = xml_escape(&site.config.title),
        root = xml_escape(&site.config.base_url),
        default = xml_escape(&default_url),
    );
    vec![
        OutputFile::bytes("index.html", html),
        OutputFile::bytes("language-picker.js", LANGUAGE_PICKER_JS),
    ]
}

/// Sends the reader to the first of the list's languages their browser
/// prefers, else to the default language. Runs once the list is parsed.
const LANGUAGE_PICKER_JS: &str = r#"document.addEventListener("DOMContentLoaded", function () {
  var links = document.querySelectorAll("main a[hreflang]");
  var prefs = navigator.languages || [navigator.language || ""];
  for (var i = 0; i < prefs.length; i++) {
    var p = String(prefs[i]).toLowerCase();
    for (var j = 0; j < links.length; j++) {
      var c = links[j].hreflang.toLowerCase();
      if (p === c || p.split("-")[0] === c) {
        location.replace(links[j].href);
        return;
      }
    }
  }
  var main = document.querySelector("main[data-default]");
  if (main) location.replace(main.getAttribute("data-default"));
});
"#;

/// The theme's `static/` then the site's `static/` (the site wins), and
/// every page bundle's non-Markdown files beside each of its pages.
pub fn static_files(site: &Site) -> Vec<OutputFile> {
    let root = &site.config.root;
    let mut files: std::collections::BTreeMap<String, OutputFile> = Default::default();
    for dir in [site.config.theme_dir().join("static"), root.join("static")] {
        for (rel, path) in walk_files(&dir) {
            files.insert(rel.clone(), OutputFile::copy(rel, path));
        }
    }
    for e in &site.entries {
        let Some(bundle) = &site.doc(e).bundle else {
            continue;
        };
        for (rel, path) in walk_files(&root.join(bundle)) {
            if rel.ends_with(".md") {
                continue;
            }
            let out = format!("{}{rel}", e.path.trim_start_matches('/'));
            files.insert(out.clone(), OutputFile::copy(out, path));
        }
    }
    files.into_values().collect()
}

/// Regular files below `dir` (symlinks are not followed: nothing outside
/// the site folder is read), as `/`-separated relative paths.
fn walk_files(dir: &Path) -> Vec<(String, std::path::PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    WalkDir::new(dir)
        .sort_by_file_name()
        .follow_links(false)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            (!rel.split('/').any(|p| p.starts_with('.'))).then(|| (rel, e.path().to_path_buf()))
        })
        .collect()
}
