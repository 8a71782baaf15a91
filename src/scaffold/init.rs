//! `vitrine init <dir>`: a new site that builds at once, with the default
//! theme (embedded in the binary), two languages (English and French) and
//! one page in each, the French one a stamped translation of the English.

use std::path::Path;
use std::process::ExitCode;

use crate::scaffold::{ScaffoldError, create};

/// The default theme, as shipped with this version of vitrine: every
/// template and asset, so the new site has the search page its navigation
/// links to and every message of the bundled `.ftl` files is used.
macro_rules! theme_files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../themes/default/", $path)))),*]
    };
}
const THEME: &[(&str, &str)] = theme_files![
    "templates/404.html",
    "templates/at-a-glance.html",
    "templates/base.html",
    "templates/components.html",
    "templates/document.html",
    "templates/documents.html",
    "templates/index.html",
    "templates/page.html",
    "templates/search.html",
    "templates/section.html",
    "templates/taxonomy.html",
    "templates/term.html",
    "templates/shortcodes/callout.html",
    "templates/shortcodes/figure.html",
    "templates/shortcodes/key_figure.html",
    "templates/shortcodes/quote.html",
    "templates/shortcodes/video.html",
    "static/documents-filter.css",
    "static/favicon.svg",
    "static/notice.js",
    "static/portal.css",
    "static/print.css",
    "static/search.css",
    "static/search.js",
    "static/style.css",
];

const UI_EN: &str = include_str!("../../locales/en/main.ftl");
const UI_FR: &str = include_str!("../../locales/fr/main.ftl");

const SITE_YAML: &str = r#"title: "My portal"
base_url: "https://example.org"
default_language: en
languages:
  - code: en
    name: "English"
    title: "My portal"
  - code: fr
    name: "Français"
    title: "Mon portail"
    fallback: [en]
sections: [about]
taxonomies:
  - name: tags
theme: default
"#;

const FILES: &[(&str, &str)] = &[
    (
        "content/_index.md",
        "---\ntitle: \"My portal\"\ndescription: \"A new vitrine site\"\n---\n\nWelcome.\n",
    ),
    (
        "content/_index.fr.md",
        "---\ntitle: \"Mon portail\"\ndescription: \"Un nouveau site vitrine\"\n---\n\nBienvenue.\n",
    ),
    ("content/about/_index.md", "---\ntitle: \"About\"\n---\n"),
    ("content/about/_index.fr.md", "---\ntitle: \"À propos\"\n---\n"),
    (
        "content/about/welcome.md",
        "---\ntitle: \"Welcome\"\ndate: 2025-01-01\ntags: [\"news\"]\n---\n\nThis is the first page of the site. Edit it in content/about/welcome.md.\n",
    ),
    (
        "content/about/welcome.fr.md",
        "---\ntitle: \"Bienvenue\"\ndate: 2025-01-01\ntags: [\"news\"]\ntranslation:\n  status: reviewed\n---\n\nVoici la première page du site.\n",
    ),
    (".gitignore", "public/\n.vitrine-cache/\n"),
];

/// Creates the site in `dir` (which must not exist, or be empty), says
/// so, and returns the exit code.
pub fn run_init(dir: &Path) -> ExitCode {
    match init(dir) {
        Ok(()) => {
            eprintln!(
                "Created a new site in {}: `vitrine build --root {}` builds it",
                dir.display(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => e.report(),
    }
}

/// Writes the new site into `dir`. The site is made in a hidden folder
/// beside it and moved into place at the end, so a failure leaves nothing.
pub fn init(dir: &Path) -> Result<(), ScaffoldError> {
    if std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(ScaffoldError::usage(format!(
            "{} already exists and is not empty; choose a new folder",
            dir.display()
        )));
    }
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let io = |e: std::io::Error| {
        ScaffoldError::content(
            format!("cannot create {}: {e}", dir.display()),
            "check that its parent folder is writable",
        )
    };
    std::fs::create_dir_all(parent).map_err(io)?;
    let staging = tempfile::Builder::new()
        .prefix(".vitrine-init-")
        .tempdir_in(parent)
        .map_err(io)?;
    write_site(staging.path())?;
    stamp_translation(staging.path())?;
    if dir.exists() {
        // Only an empty folder gets here, and rename cannot replace one everywhere.
        std::fs::remove_dir(dir).map_err(io)?;
    }
    std::fs::rename(staging.path(), dir).map_err(io)?;
    // The folder is gone from the staging path: dropping `staging` finds nothing to delete.
    Ok(())
}

fn write_site(dir: &Path) -> Result<(), ScaffoldError> {
    create(&dir.join("site.yaml"), SITE_YAML)?;
    for (path, text) in FILES {
        create(&dir.join(path), text)?;
    }
    create(&dir.join("locales/en/main.ftl"), UI_EN)?;
    create(&dir.join("locales/fr/main.ftl"), UI_FR)?;
    for (path, text) in THEME {
        create(&dir.join("themes/default").join(path), text)?;
    }
    Ok(())
}

/// The French page starts up to date with its English source.
fn stamp_translation(dir: &Path) -> Result<(), ScaffoldError> {
    let options = crate::build::BuildOptions {
        root: dir.to_path_buf(),
        drafts: true,
        future: true,
        ..Default::default()
    };
    let fail = |what: String| ScaffoldError::content(what, "please report this: the new site should load");
    let site = crate::build::load_model(&options)
        .map_err(|d| fail(format!("{} problem(s) in the new site", d.len())))?;
    let source = site
        .documents
        .iter()
        .find(|d| d.file == "content/about/welcome.md")
        .ok_or_else(|| fail("the new page is missing".into()))?;
    let paragraphs = crate::translation::staleness::paragraphs(source);
    let hash =
        crate::translation::staleness::save_snapshot(dir, &paragraphs).map_err(|e| fail(e.to_string()))?;
    let path = dir.join("content/about/welcome.fr.md");
    let text = std::fs::read_to_string(&path).map_err(|e| fail(e.to_string()))?;
    let stamped = crate::translation::stamp::set_source_hash(&text, &hash)
        .ok_or_else(|| fail("no front matter".into()))?;
    std::fs::write(&path, stamped).map_err(|e| fail(e.to_string()))
}
