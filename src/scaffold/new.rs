//! `vitrine new <section>/<slug> [--lang CODE] [--translate-from CODE]`:
//! a new page in a language, or a translation whose front matter is copied
//! from the source (for the translator to translate), stamped with the
//! source's hash, and whose body is left for the translator.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::build::BuildOptions;
use crate::build::load_model;
use crate::config::Config;
use crate::content::{DocumentKind, front_matter};
use crate::scaffold::{ScaffoldError, create};
use crate::translation::{staleness, stamp};

/// What `vitrine new` creates.
#[derive(Debug, Clone)]
pub struct NewOptions {
    /// `section/slug` (folders allowed: `culture/food/pho`).
    pub path: String,
    /// The site folder (holding site.yaml).
    pub root: PathBuf,
    /// The language of the new file (default: the site's default language).
    pub lang: Option<String>,
    /// Make a translation of the page written in this language.
    pub translate_from: Option<String>,
}

/// Creates the page, says so, and returns the exit code.
pub fn run_new(args: &NewOptions) -> ExitCode {
    match new_page(args) {
        Ok(file) => {
            eprintln!("Created {}", file.display());
            ExitCode::SUCCESS
        }
        Err(e) => e.report(),
    }
}

/// Creates the file and returns its path relative to the site root.
pub fn new_page(args: &NewOptions) -> Result<PathBuf, ScaffoldError> {
    let config = Config::load(&args.root).map_err(|d| {
        let first = d.iter().next().map_or_else(String::new, |d| d.message.clone());
        ScaffoldError::content(
            format!("cannot read site.yaml: {first}"),
            "run `vitrine check` for details",
        )
    })?;
    let content_path = args.path.trim_matches('/').trim_end_matches(".md").to_string();
    let valid = !content_path.is_empty()
        && content_path
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != ".." && !seg.starts_with('.'));
    if !valid {
        return Err(ScaffoldError::usage(format!(
            "`{}` is not a page path; write it as section/slug, such as culture/pho",
            args.path
        )));
    }
    let lang = args
        .lang
        .clone()
        .unwrap_or_else(|| config.default_language.clone());
    for code in std::iter::once(&lang).chain(&args.translate_from) {
        if !config.is_language(code) {
            return Err(ScaffoldError::usage(format!(
                "`{code}` is not a language of the site"
            )));
        }
    }
    let slug = content_path.rsplit('/').next().unwrap_or_default();
    // A folder is a section when it has an `_index`, else a page bundle.
    let folder = args.root.join("content").join(&content_path);
    let has = |prefix: &str| {
        std::fs::read_dir(&folder).is_ok_and(|entries| {
            entries
                .filter_map(Result::ok)
                .any(|e| e.file_name().to_string_lossy().starts_with(prefix))
        })
    };
    let (stem, kind) = if has("_index.") {
        (format!("{content_path}/_index"), DocumentKind::Section)
    } else if folder.is_dir() {
        (format!("{content_path}/index"), DocumentKind::Page)
    } else {
        (content_path.clone(), DocumentKind::Page)
    };
    let file = if lang == config.default_language {
        format!("content/{stem}.md")
    } else {
        format!("content/{stem}.{lang}.md")
    };
    let text = match &args.translate_from {
        Some(from) => translation_text(args, &content_path, kind, from, &lang)?,
        None => page_text(slug),
    };
    create(&args.root.join(&file), &text)?;
    Ok(PathBuf::from(file))
}

fn page_text(slug: &str) -> String {
    let mut title: String = slug.replace('-', " ");
    if let Some(first) = title.chars().next() {
        title = first.to_uppercase().chain(title.chars().skip(1)).collect();
    }
    let today = chrono::Utc::now().format("%Y-%m-%d");
    format!("---\ntitle: \"{title}\"\ndate: {today}\ndraft: true\n---\n\nWrite the page here.\n")
}

/// The source's front matter (its own lines, minus translation bookkeeping),
/// `translation: {status: draft}`, the stamped hash, and an empty body.
fn translation_text(
    args: &NewOptions,
    content_path: &str,
    kind: DocumentKind,
    from: &str,
    lang: &str,
) -> Result<String, ScaffoldError> {
    if from == lang {
        return Err(ScaffoldError::usage(
            "--translate-from and --lang name the same language",
        ));
    }
    let opts = BuildOptions {
        root: args.root.clone(),
        drafts: true,
        future: true,
        ..BuildOptions::default()
    };
    let site = load_model(&opts).map_err(|d| {
        let first = d.iter().next().map_or_else(String::new, |d| d.message.clone());
        ScaffoldError::content(
            format!("the site does not load: {first}"),
            "run `vitrine check` for details",
        )
    })?;
    let source = site
        .documents
        .iter()
        .find(|d| {
            d.content_path == content_path && d.kind == kind && d.lang == from && d.file.ends_with(".md")
        })
        .ok_or_else(|| {
            ScaffoldError::content(
                format!("there is no `{from}` page at `{content_path}`"),
                "check the path (section/slug, as in the file name) and the language",
            )
        })?;
    let raw = std::fs::read_to_string(args.root.join(&source.file)).map_err(|e| {
        ScaffoldError::content(format!("cannot read {}: {e}", source.file), "check permissions")
    })?;
    let split = front_matter::split(&raw).map_err(|d| {
        ScaffoldError::content(format!("{}: {}", source.file, d.message), "fix the source first")
    })?;
    let kept: String = split
        .yaml
        .split_inclusive('\n')
        .scan(false, |skipping, line| {
            // Drop the source's own bookkeeping (and a nested `translation:` block).
            let top_level = !line.starts_with([' ', '\t']);
            if top_level {
                *skipping = line.starts_with("source_hash") || line.starts_with("translation:");
            }
            Some((!*skipping).then_some(line))
        })
        .flatten()
        .collect();
    let hash = staleness::save_snapshot(&args.root, &staleness::paragraphs(source)).map_err(|e| {
        ScaffoldError::content(
            format!("cannot save the source snapshot: {e}"),
            "check permissions",
        )
    })?;
    // The instructions are a YAML comment: an HTML comment in the body
    // would be published as visible text (raw HTML is off by default).
    let front = format!("---\n{kept}translation:\n  status: draft\n---\n");
    let stamped = stamp::set_source_hash(&front, &hash).unwrap_or(front);
    let fields = stamped.strip_suffix("---\n").unwrap_or(&stamped);
    Ok(format!(
        "{fields}# Translate {} ({from}) into {lang}: the fields above, then the text below the closing line.\n---\n",
        source.file
    ))
}
