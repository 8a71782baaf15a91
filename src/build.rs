//! The build pipeline, stage by stage: load (config, content, data, Fluent)
//! → model → render (Markdown, templates) → output (feeds, sitemap, static
//! files) → write. Every stage's diagnostics are collected so one build
//! reports every problem; nothing is written unless there is no error.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::config::Config;
use crate::content::{self, Filter};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::{Cldr, Messages};
use crate::model;
use crate::output::{self, OutputFile};
use crate::render::{self, Env};

/// What to build and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Where to write; `None` checks without writing (`vitrine check`).
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub future: bool,
}

/// How long each stage of a build took, in order (`vitrine build --timings`).
#[derive(Debug, Default, Clone)]
pub struct Timings {
    stages: Vec<(&'static str, f64)>,
    last: Option<Instant>,
}

impl Timings {
    fn start(&mut self) {
        self.last = Some(Instant::now());
    }

    /// Records the time since the previous mark under `stage`.
    fn mark(&mut self, stage: &'static str) {
        let now = Instant::now();
        let since = self.last.map_or(0.0, |t| (now - t).as_secs_f64());
        self.stages.push((stage, since));
        self.last = Some(now);
    }

    /// `(stage, seconds)` in the order the stages ran.
    pub fn stages(&self) -> &[(&'static str, f64)] {
        &self.stages
    }
}

/// What a successful build made.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub languages: usize,
    pub seconds: f64,
    /// Image work done and reused.
    pub images: crate::images::ImageStats,
    /// Warnings (a successful build has no errors).
    pub diagnostics: Diagnostics,
    pub timings: Timings,
}

/// Builds the site. On any error, returns every diagnostic and writes nothing.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    let mut timings = Timings::default();
    let (files, env, mut diagnostics) = render_site_timed(options, &mut timings)?;
    let mut report = BuildReport {
        pages: env.site.entries.len(),
        files: files.len(),
        bytes: 0,
        languages: env.site.languages.len(),
        seconds: 0.0,
        images: env.image_stats.get().copied().unwrap_or_default(),
        diagnostics: Diagnostics::new(),
        timings: Timings::default(),
    };
    if let Some(output) = &options.output {
        let output = if output.is_absolute() {
            output.clone()
        } else {
            options.root.join(output)
        };
        match output::write_atomically(&output, &files) {
            Ok(w) => {
                report.bytes = w.bytes;
                timings.mark("write");
            }
            Err(e) => {
                diagnostics.push(
                    Diagnostic::error(format!("cannot write the site to {}: {e}", output.display()))
                        .with_hint("check that the output folder's parent exists and is writable"),
                );
                diagnostics.sort();
                return Err(diagnostics);
            }
        }
    }
    // Only a complete build knows every image in use.
    if let Err(e) = env.images.prune() {
        diagnostics.push(Diagnostic::warning(format!(
            "cannot prune the image cache {}: {e}",
            crate::images::CACHE_DIR
        )));
    }
    diagnostics.sort();
    report.diagnostics = diagnostics;
    report.timings = timings;
    report.seconds = start.elapsed().as_secs_f64();
    Ok(report)
}

/// Loads, models and renders the site into memory: every output file, the
/// environment it was rendered from, and the warnings.
pub fn render_site(options: &BuildOptions) -> Result<(Vec<OutputFile>, Arc<Env>, Diagnostics), Diagnostics> {
    render_site_timed(options, &mut Timings::default())
}

/// [`render_site`], recording how long each stage took.
pub fn render_site_timed(
    options: &BuildOptions,
    timings: &mut Timings,
) -> Result<(Vec<OutputFile>, Arc<Env>, Diagnostics), Diagnostics> {
    timings.start();
    let (env, diagnostics) = load_env_timed(options, timings)?;
    let (files, diagnostics) = render_env_timed(&env, diagnostics, timings)?;
    Ok((files, env, diagnostics))
}

/// Loads the site folder and builds the model and the rendered Markdown.
/// The returned diagnostics may hold Markdown errors: [`render_env`] reports
/// them together with template errors.
pub fn load_env(options: &BuildOptions) -> Result<(Arc<Env>, Diagnostics), Diagnostics> {
    let mut timings = Timings::default();
    timings.start();
    load_env_timed(options, &mut timings)
}

fn load_env_timed(
    options: &BuildOptions,
    timings: &mut Timings,
) -> Result<(Arc<Env>, Diagnostics), Diagnostics> {
    let mut config = Config::load(&options.root)?;
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.trim_end_matches('/').to_string();
    }
    let config = Arc::new(config);
    let filter = Filter {
        drafts: options.drafts,
        future: options.future,
        now: chrono::Utc::now().fixed_offset(),
    };
    let mut diagnostics = Diagnostics::new();
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    let ((documents, content_diags), ((data, data_diags), ((messages, fluent_diags), cldr))) = rayon::join(
        || content::load(&config, &filter),
        || {
            rayon::join(
                || content::data::load(&config.root),
                || {
                    rayon::join(
                        || Messages::load(&config.root, &config.theme_dir(), &codes),
                        || Cldr::new(&codes),
                    )
                },
            )
        },
    );
    timings.mark("load (content, data, Fluent, CLDR)");
    diagnostics.extend(content_diags);
    diagnostics.extend(data_diags);
    diagnostics.extend(fluent_diags);
    if diagnostics.has_errors() {
        diagnostics.sort();
        return Err(diagnostics);
    }
    let collate = |lang: &str, a: &str, b: &str| cldr.compare(lang, a, b);
    let site = model::build(config.clone(), documents, data, &collate).map_err(|mut d| {
        d.extend(diagnostics.clone());
        d.sort();
        d
    })?;
    timings.mark("model");
    let (env, markdown_diags) = Env::new(site, messages, cldr);
    timings.mark("markdown and views");
    diagnostics.extend(markdown_diags);
    let env = Arc::new(env);
    Ok((env, diagnostics))
}

/// Renders every output of a loaded site: templates, images, feeds, sitemap,
/// robots.txt, aliases, the language picker and static files. `serve` calls
/// it again after changes that keep the model (templates, Fluent).
pub fn render_env(
    env: &Arc<Env>,
    diagnostics: Diagnostics,
) -> Result<(Vec<OutputFile>, Diagnostics), Diagnostics> {
    let mut timings = Timings::default();
    timings.start();
    render_env_timed(env, diagnostics, &mut timings)
}

fn render_env_timed(
    env: &Arc<Env>,
    mut diagnostics: Diagnostics,
    timings: &mut Timings,
) -> Result<(Vec<OutputFile>, Diagnostics), Diagnostics> {
    let templates = match render::load_templates(env) {
        Ok(t) => Some(t),
        Err(d) => {
            diagnostics.extend(d);
            None
        }
    };
    if diagnostics.has_errors() {
        diagnostics.sort();
        return Err(diagnostics);
    }
    let Some(templates) = templates else {
        return Err(diagnostics);
    };
    timings.mark("templates load");
    // Images requested by Markdown and covers are made while templates render.
    let ((mut files, render_diags), ()) = rayon::join(
        || render::render_all(env, &templates),
        || env.images.process_pending(true),
    );
    timings.mark("templates render and images");
    diagnostics.extend(render_diags);
    if diagnostics.has_errors() {
        diagnostics.sort();
        return Err(diagnostics);
    }
    files.extend(crate::search::files(env));
    timings.mark("search index");
    let site = &env.site;
    files.extend(output::feeds(env));
    if site.config.sitemap {
        files.extend(output::sitemap(site));
    }
    files.push(output::robots(site));
    files.extend(output::aliases(site));
    let homes: Vec<(String, String)> = site
        .languages
        .iter()
        .map(|l| (l.code.clone(), site.permalink(&site.entries[l.home].path)))
        .collect();
    files.extend(output::language_picker(site, &homes));
    // Static hosts look for /404.html: with every language under a prefix,
    // the default language's 404 page is served there too.
    if !site.config.default_language_at_root {
        let default_404 = format!("{}/404.html", site.config.default_language);
        if let Some(page) = files.iter().find(|f| f.path == default_404) {
            files.push(OutputFile {
                path: "404.html".to_string(),
                content: page.content.clone(),
            });
        }
    }
    files.extend(output::static_files(site));
    timings.mark("feeds, sitemap, static files");
    match env.images.finish(true) {
        Ok((images, stats)) => {
            // Bundle photos are published resized and without their EXIF
            // (GPS) data; their originals are not copied.
            let processed = env.images.processed_sources();
            let bundles = env.site.config.root.join(content::CONTENT_DIR);
            files.retain(|f| match &f.content {
                output::FileContent::Copy(p) => !(p.starts_with(&bundles) && processed.contains(p)),
                output::FileContent::Bytes(_) => true,
            });
            files.extend(images);
            let _ = env.image_stats.set(stats);
        }
        Err(d) => diagnostics.extend(d),
    }
    timings.mark("images");
    // Sorted by path: collisions are neighbours, and output order is stable.
    check_collisions(&mut files, &mut diagnostics);
    if diagnostics.has_errors() {
        diagnostics.sort();
        return Err(diagnostics);
    }
    Ok((files, diagnostics))
}

/// Two outputs at one path (an alias over a page, a static file over a
/// rendered one) would silently lose one of them.
fn check_collisions(files: &mut [OutputFile], diagnostics: &mut Diagnostics) {
    files.sort_by(|a, b| a.path.cmp(&b.path));
    for pair in files.windows(2) {
        if pair[0].path == pair[1].path {
            diagnostics.push(
                Diagnostic::error(format!("two outputs are written to `{}`", pair[0].path))
                    .with_hint("an alias, a static file or a slug collides with another page; rename one"),
            );
        }
    }
}
