//! The fuzz targets' shared harness: a small site (the repository's default
//! theme and locales) set up once per process, and the real entry points of
//! vitrine each target feeds. A target is one small file in `src/bin/`
//! calling [`run`] (text) or [`run_bytes`] (bytes, for formats that declare
//! their own encoding) with one of these functions, or a new one here.
//!
//! Errors are the expected answer to bad input; only a panic, an abort or a
//! hang is a finding.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use vitrine::config::Config;
use vitrine::markdown::{self, LinkResolver, MarkdownOptions};
use vitrine::shortcodes::{self, Shortcodes};

/// Feeds afl's inputs, as text, to `target` (invalid UTF-8 is replaced, as
/// a lossy reader would; vitrine itself refuses it earlier).
pub fn run(target: fn(&str)) {
    afl::fuzz!(|data: &[u8]| {
        target(&String::from_utf8_lossy(data));
    });
}

/// Feeds afl's inputs to `target` as bytes: feeds and XLIFF declare their
/// own encoding, so the parser must see the bytes as they came.
pub fn run_bytes(target: fn(&[u8])) {
    afl::fuzz!(|data: &[u8]| {
        target(data);
    });
}

/// A feed as `vitrine import` reads it (Atom, RSS, JSON Feed), relative
/// links resolved against a base.
pub fn feed(bytes: &[u8]) {
    let _ = vitrine::import::parse_feed(bytes, "https://agency.example.org/rss/news.xml");
}

/// A translator's file as `vitrine i18n import` reads it (XLIFF 1.2, 2.x or
/// PO).
pub fn exchange(bytes: &[u8]) {
    let _ = vitrine::translation::exchange::parse(bytes);
}

const SITE_YAML: &str = "title: \"Fuzz\"\nbase_url: \"https://fuzz.example.org\"\n\
default_language: vi\nlanguages:\n  - code: vi\n    name: \"Tiếng Việt\"\n  - code: en\n    name: English\n    fallback: [vi]\n\
sections: [culture]\ntaxonomies:\n  - name: tags\ntheme: default\n";

struct Fixture {
    config: Config,
    shortcodes: Shortcodes,
    /// A scratch site whose `locales/vi/main.ftl` the Fluent target writes.
    ftl: Config,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let dir = std::env::temp_dir().join(format!("vitrine-fuzz-{}", std::process::id()));
        let _ = std::fs::create_dir_all(dir.join("themes"));
        let _ = std::fs::write(dir.join("site.yaml"), SITE_YAML);
        let _ = std::os::unix::fs::symlink(repo.join("themes/default"), dir.join("themes/default"));
        let _ = std::os::unix::fs::symlink(repo.join("locales"), dir.join("locales"));
        let config = match Config::parse(&dir, SITE_YAML) {
            Ok(c) => c,
            Err(e) => panic!("the fuzz site's configuration: {e:?}"),
        };
        let (messages, _) = vitrine::i18n::Messages::load(&dir, &config.theme_dir(), &["vi", "en"]);
        let cldr = Arc::new(vitrine::i18n::Cldr::new(&["vi", "en"]));
        let shortcodes = match Shortcodes::load(&config, Arc::new(messages), cldr) {
            Ok(s) => s,
            Err(e) => panic!("the default theme's shortcodes: {e:?}"),
        };
        let ftl_root = dir.join("ftl-site");
        let _ = std::fs::create_dir_all(ftl_root.join("locales/vi"));
        let _ = std::fs::create_dir_all(ftl_root.join("themes/none"));
        let ftl_yaml = "title: F\nbase_url: \"https://f.example.org\"\ndefault_language: vi\n\
languages:\n  - code: vi\n    name: V\ntheme: none\n";
        let ftl = match Config::parse(&ftl_root, ftl_yaml) {
            Ok(c) => c,
            Err(e) => panic!("the Fluent site's configuration: {e:?}"),
        };
        Fixture { config, shortcodes, ftl }
    })
}

/// A content file: front matter split and checked against `site.yaml`.
pub fn front_matter(text: &str) {
    let f = fixture();
    if let Ok(split) = vitrine::content::front_matter::split(text) {
        let _ = vitrine::content::front_matter::parse(&split, &f.config, "content/culture/x.md");
    }
}

struct Links;

impl LinkResolver for Links {
    fn resolve(&self, path: &str) -> Result<String, String> {
        if path.len() % 2 == 0 {
            Ok(format!("/{path}/"))
        } else {
            Err(format!("no page at content/{path}"))
        }
    }
}

/// A Markdown body with shortcode calls: calls cut out, Markdown rendered
/// (raw HTML off and on), each call rendered by the default theme.
pub fn markdown_shortcodes(text: &str) {
    let f = fixture();
    let Ok((body, calls)) = shortcodes::extract(text, 1) else {
        return;
    };
    for allow_html in [false, true] {
        let options = MarkdownOptions {
            allow_html,
            plain_text: true,
            urls: Some(&f.config.urls),
        };
        let _ = markdown::render(&body, 1, &options, &Links);
    }
    let mut rendered = Vec::new();
    for (nth, call) in calls.iter().enumerate() {
        rendered.push(f.shortcodes.render(call, "vi", call.body.as_deref(), nth).unwrap_or_default());
    }
    let _ = shortcodes::substitute(&body, &rendered);
}

/// A Fluent file of the site: loaded by the build's message loader, every
/// message formatted, and linted by the translators' checker.
pub fn fluent(text: &str) {
    let f = fixture();
    let root = &f.ftl.root;
    if std::fs::write(root.join("locales/vi/main.ftl"), text).is_err() {
        return;
    }
    let (messages, _) = vitrine::i18n::Messages::load(root, &f.ftl.theme_dir(), &["vi"]);
    let args = [("count", vitrine::i18n::MessageArg::Number(3.0)), ("name", vitrine::i18n::MessageArg::Str("x".into()))];
    for id in messages.message_ids("vi").iter().take(32) {
        let _ = messages.format(&["vi"], id, &args);
    }
    let _ = vitrine::translation::lint::lint(&f.ftl);
}
