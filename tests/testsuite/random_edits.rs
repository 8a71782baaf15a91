//! Incremental builds after sequences of edits no one wrote by hand: a
//! seeded generator creates, edits, renames and deletes pages, page
//! bundles and their translations (titles, dates that tie, `updated`,
//! summaries, terms, drafts, slugs, bodies linking to other pages) and
//! sections, a few at a time. After each step the build with the cache
//! must make byte for byte what a clean build makes; a step that breaks
//! a link must fail as a clean build fails, leave the output as it was,
//! and the build that follows a fix must be exact again. The seeds are
//! fixed, so a failure is the same on every run; its message names the
//! seed, the step and what the step did.

use std::collections::BTreeMap;

use crate::build_cache::assert_same_as_clean;
use crate::site_test::{SiteTest, read_tree, show};

/// A small, fixed-seed generator (xorshift64*): the test needs the same
/// sequence on every machine, not statistical quality.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

const SECTIONS: [&str; 2] = ["news", "culture"];
const NAMES: [&str; 5] = ["harbour", "lantern", "rice", "silk", "summit"];
/// Page bundles (`<name>/index.md`), named apart from the pages: a page
/// and a bundle of one name would claim one URL.
const BUNDLES: [&str; 2] = ["pagoda", "temple"];
const TITLES: [&str; 5] = ["Harbour", "Lanterns", "Rice", "Silk", "Summit"];
const TAGS: [&str; 4] = ["farming", "diplomacy", "crafts", "fête"];
const WORDS: [&str; 8] = [
    "delta", "harvest", "river", "lantern", "leaders", "market", "silk", "boats",
];

/// One page as the generator wrote it.
#[derive(Clone)]
struct Page {
    title: String,
    /// Day of September 2025: few days, so dates tie often.
    day: usize,
    tags: Vec<&'static str>,
    draft: bool,
    slug: Option<String>,
    /// Day of October 2025 of an `updated:` date.
    updated: Option<usize>,
    summary: Option<&'static str>,
    body: String,
}

impl Page {
    fn random(dice: &mut Dice, links: &[String]) -> Page {
        let mut page = Page {
            title: dice.pick(&TITLES).to_string(),
            day: 1 + dice.below(4),
            tags: Vec::new(),
            draft: false,
            slug: None,
            updated: None,
            summary: None,
            body: String::new(),
        };
        page.tags = random_tags(dice);
        page.body = random_body(dice, links);
        page
    }

    fn text(&self) -> String {
        let mut front = format!(
            "title: \"{}\"\ndate: 2025-09-{:02}T09:00:00+07:00\n",
            self.title, self.day
        );
        if !self.tags.is_empty() {
            let tags: Vec<String> = self.tags.iter().map(|t| format!("\"{t}\"")).collect();
            front.push_str(&format!("tags: [{}]\n", tags.join(", ")));
        }
        if self.draft {
            front.push_str("draft: true\n");
        }
        if let Some(slug) = &self.slug {
            front.push_str(&format!("slug: \"{slug}\"\n"));
        }
        if let Some(day) = self.updated {
            front.push_str(&format!("updated: 2025-10-{day:02}T09:00:00+07:00\n"));
        }
        if let Some(summary) = self.summary {
            front.push_str(&format!("summary: \"{summary}\"\n"));
        }
        format!("---\n{front}---\n{}\n", self.body)
    }
}

fn random_tags(dice: &mut Dice) -> Vec<&'static str> {
    TAGS.iter().copied().filter(|_| dice.chance(40)).collect()
}

/// Words, and at times a link to the news or to a page of `links` (files
/// under `content/`), which a later step may move or delete.
fn random_body(dice: &mut Dice, links: &[String]) -> String {
    let words: Vec<&str> = (0..3 + dice.below(6)).map(|_| dice.pick(&WORDS)).collect();
    let mut body = words.join(" ");
    if dice.chance(30) {
        body.push_str("\n\nSee [the news](@/news/_index.md).");
    }
    if !links.is_empty() && dice.chance(25) {
        let to = &links[dice.below(links.len())];
        body.push_str(&format!("\n\nRead [more](@/{to})."));
    }
    body
}

/// A page's file: `<section>/<name>[.fr].md` or a bundle's
/// `<section>/<bundle>/index[.fr].md`.
fn random_file(dice: &mut Dice, langs: &[&str]) -> String {
    let (section, lang) = (dice.pick(&SECTIONS), dice.pick(langs));
    match dice.chance(25) {
        true => format!("{section}/{}/index{lang}.md", dice.pick(&BUNDLES)),
        false => format!("{section}/{}{lang}.md", dice.pick(&NAMES)),
    }
}

/// The generator's site: pages by file under `content/`.
struct Site<'a> {
    t: &'a SiteTest,
    pages: BTreeMap<String, Page>,
    /// The file suffixes of the languages pages are written in (`""`: the
    /// default language).
    langs: &'static [&'static str],
    /// The files written (`true`) or removed since last taken, by path
    /// under the site root, as a file watcher reports them.
    touched: Vec<(String, bool)>,
}

impl Site<'_> {
    fn put(&mut self, file: String, page: Page) {
        let path = self.t.root.join("content").join(&file);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("create folders");
        std::fs::write(&path, page.text()).expect("write a page");
        self.touched.push((format!("content/{file}"), true));
        self.pages.insert(file, page);
    }

    fn remove(&mut self, file: &str) {
        std::fs::remove_file(self.t.root.join("content").join(file)).expect("remove a page");
        self.touched.push((format!("content/{file}"), false));
        self.pages.remove(file);
    }

    /// Does one random thing to the site and says what.
    fn step(&mut self, dice: &mut Dice) -> String {
        let files: Vec<String> = self.pages.keys().cloned().collect();
        let existing = (!files.is_empty()).then(|| files[dice.below(files.len())].clone());
        match (dice.below(10), existing) {
            (0..=2, _) | (_, None) => {
                let file = random_file(dice, self.langs);
                let page = Page::random(dice, &files);
                self.put(file.clone(), page);
                format!("wrote {file}")
            }
            (3, Some(file)) => {
                self.remove(&file);
                format!("deleted {file}")
            }
            (4, Some(file)) => {
                let to = random_file(dice, self.langs);
                let page = self.pages[&file].clone();
                self.remove(&file);
                self.put(to.clone(), page);
                format!("renamed {file} to {to}")
            }
            (5, _) => self.section(dice),
            (_, Some(file)) => {
                let mut page = self.pages[&file].clone();
                let what = edit_page(&mut page, &file, dice, &files);
                self.put(file.clone(), page);
                format!("edited the {what} of {file}")
            }
        }
    }

    /// Does step `step`'s one to three random things; says what every step
    /// so far did, for the messages of what fails after it.
    fn steps(&mut self, dice: &mut Dice, done: &mut Vec<String>, seed: u64, step: usize) -> String {
        let changes = 1 + dice.below(3);
        let did: Vec<String> = (0..changes).map(|_| self.step(dice)).collect();
        done.push(format!("step {step}: {}", did.join("; ")));
        format!("seed {seed}, after\n{}", done.join("\n"))
    }

    /// Writes, edits or removes a section's `_index` file.
    fn section(&mut self, dice: &mut Dice) -> String {
        let file = format!("{}/_index{}.md", dice.pick(&SECTIONS), dice.pick(self.langs));
        let path = self.t.root.join("content").join(&file);
        if path.exists() && dice.chance(40) {
            std::fs::remove_file(&path).expect("remove a section");
            self.touched.push((format!("content/{file}"), false));
            return format!("deleted {file}");
        }
        let title = dice.pick(&TITLES);
        let sort = if dice.chance(30) { "sort_by: title\n" } else { "" };
        let text = format!("---\ntitle: \"{title} list\"\n{sort}---\n");
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("create folders");
        std::fs::write(&path, text).expect("write a section");
        self.touched.push((format!("content/{file}"), true));
        format!(
            "wrote {file} ({title}{})",
            if sort.is_empty() { "" } else { ", by title" }
        )
    }
}

/// Changes one thing of `page` (the file `file`); says what.
fn edit_page(page: &mut Page, file: &str, dice: &mut Dice, links: &[String]) -> &'static str {
    match dice.below(9) {
        0 => {
            page.title = dice.pick(&TITLES).to_string();
            "title"
        }
        1 => {
            page.day = 1 + dice.below(4);
            "date"
        }
        2 => {
            page.tags = random_tags(dice);
            "tags"
        }
        3 => {
            page.draft = !page.draft;
            "draft"
        }
        4 => {
            // Unique per file: two pages never claim one URL.
            let own = file.replace(['/', '.'], "-");
            page.slug = page.slug.is_none().then(|| format!("s-{own}"));
            "slug"
        }
        5 => {
            page.updated = (page.updated.is_none() || dice.chance(50)).then(|| 1 + dice.below(3));
            "updated date"
        }
        6 => {
            page.summary = page.summary.is_none().then(|| dice.pick(&WORDS));
            "summary"
        }
        _ => {
            page.body = random_body(dice, links);
            "body"
        }
    }
}

/// The serve fixture (two languages, lists two to a page, a paged
/// taxonomy) without its own news pages.
fn small_site() -> SiteTest {
    let t = SiteTest::new("serve-site");
    for file in ["harvest.md", "festival.md", "visit.md", "visit.fr.md"] {
        std::fs::remove_file(t.root.join("content/news").join(file)).expect("remove");
    }
    t
}

/// Runs `steps` random steps from each seed on a fresh `site`, writing
/// pages in `langs`; after each, checks the build against a clean one.
/// Returns how many steps' builds failed.
fn run(site: fn() -> SiteTest, langs: &'static [&'static str], seeds: &[u64], steps: usize) -> usize {
    let mut failures = 0;
    for &seed in seeds {
        let t = site();
        t.rebuild();
        let mut site = Site {
            t: &t,
            pages: BTreeMap::new(),
            langs,
            touched: Vec::new(),
        };
        let mut dice = Dice(seed);
        let mut done = Vec::new();
        for step in 0..steps {
            let context = site.steps(&mut dice, &mut done, seed, step);
            let before = read_tree(&t.out);
            // A step may end where it began (a date set back): the output
            // is then reused, which is as exact.
            match t.try_build() {
                Ok(_) => assert_same_as_clean(&t, &context),
                Err(errors) => {
                    failures += 1;
                    fails_as_clean(&t, &errors, &before, &context);
                }
            }
        }
        if t.try_build().is_ok() {
            let again = t.rebuild();
            assert!(
                again.reused,
                "seed {seed}: with nothing changed, the output is reused"
            );
        }
    }
    failures
}

#[test]
fn random_sequences_of_edits_rebuild_as_a_clean_build_would() {
    let seeds: Vec<u64> = (1..=12).collect();
    let failures = run(small_site, &["", ".fr"], &seeds, 20);
    // Some steps break a link, so failed builds and the builds after
    // their fix are exercised too.
    assert!(failures > 0, "no step broke a link");
}

/// The same among the sample portal's pages: six languages, taxonomy
/// landing pages, related pages, a home page that picks stories.
#[test]
fn random_sequences_of_edits_on_the_portal_rebuild_as_a_clean_build_would() {
    run(SiteTest::portal, &["", ".en", ".fr"], &[3, 11, 29], 12);
}

/// A build with the cache failed (a link to a page a step moved or
/// deleted): a clean build fails with the same errors, and the output is
/// as it was.
fn fails_as_clean(
    t: &SiteTest,
    errors: &vitrine::diagnostics::Diagnostics,
    before: &BTreeMap<String, Vec<u8>>,
    context: &str,
) {
    let clean = vitrine::build::BuildOptions {
        output: Some(t.out.with_file_name("clean")),
        clean: true,
        ..t.options.clone()
    };
    match vitrine::build::build(&clean) {
        Ok(_) => panic!("{context}: failed with the cache, not clean:\n{}", show(errors)),
        Err(clean_errors) => assert_eq!(show(errors), show(&clean_errors), "{context}"),
    }
    assert!(
        &read_tree(&t.out) == before,
        "{context}: a failed build changed the output"
    );
}

/// `serve` after the same random steps: each step's files reach the
/// rebuilder as a watcher reports them, and once its follow-ups are done
/// the served site is what a full build makes; a step a full build
/// refuses is refused by `serve` too.
#[test]
fn random_sequences_of_edits_serve_what_a_full_build_makes() {
    use vitrine::changes::{FileChange, FileEvent, classify};
    use vitrine::incremental::apply;

    for seed in 1..=20_u64 {
        let (t, options, mut rebuilder, mut served) = crate::serve::served_build(small_site());
        let mut site = Site {
            t: &t,
            pages: BTreeMap::new(),
            langs: &["", ".fr"],
            touched: Vec::new(),
        };
        let mut dice = Dice(seed);
        let mut done = Vec::new();
        for step in 0..20 {
            let context = site.steps(&mut dice, &mut done, seed, step);
            let events: Vec<FileEvent> = std::mem::take(&mut site.touched)
                .into_iter()
                .map(|(path, written)| FileEvent {
                    path,
                    change: if written {
                        FileChange::Written
                    } else {
                        FileChange::Removed
                    },
                })
                .collect();
            // The edit and its follow-ups; an error in any is the step's.
            let mut outcome = rebuilder.rebuild(&classify(&events)).map(|r| Some(r.update));
            while let Ok(Some(update)) = outcome {
                apply(&mut served, update);
                outcome = rebuilder.follow_up().transpose().map(|r| r.map(|r| r.update));
            }
            if let Err(errors) = outcome {
                let full = vitrine::build::render_site(&options);
                assert!(
                    full.is_err(),
                    "{context}: serve refused what a full build makes: {errors:?}"
                );
                continue;
            }
            crate::serve::assert_same(&served, &options, &context, "");
        }
    }
}
