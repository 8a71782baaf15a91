//! Incremental builds after sequences of edits no one wrote by hand: a
//! seeded generator creates, edits, renames and deletes pages and their
//! translations (titles, dates that tie, terms, drafts, slugs, bodies)
//! and sections, a few at a time, and after each step the build with the
//! cache must make byte for byte what a clean build makes. The seeds are
//! fixed, so a failure is the same on every run; its message names the
//! seed, the step and what the step did.

use std::collections::BTreeMap;

use crate::build_cache::assert_same_as_clean;
use crate::site_test::SiteTest;

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
const LANGS: [&str; 2] = ["", ".fr"];
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
    body: String,
}

impl Page {
    fn random(dice: &mut Dice) -> Page {
        let mut page = Page {
            title: dice.pick(&TITLES).to_string(),
            day: 1 + dice.below(4),
            tags: Vec::new(),
            draft: false,
            slug: None,
            body: String::new(),
        };
        page.tags = random_tags(dice);
        page.body = random_body(dice);
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
        format!("---\n{front}---\n{}\n", self.body)
    }
}

fn random_tags(dice: &mut Dice) -> Vec<&'static str> {
    TAGS.iter().copied().filter(|_| dice.chance(40)).collect()
}

fn random_body(dice: &mut Dice) -> String {
    let words: Vec<&str> = (0..3 + dice.below(6)).map(|_| dice.pick(&WORDS)).collect();
    let mut body = words.join(" ");
    if dice.chance(30) {
        body.push_str("\n\nSee [the news](@/news/_index.md).");
    }
    body
}

/// The generator's site: pages by file under `content/`.
struct Site<'a> {
    t: &'a SiteTest,
    pages: BTreeMap<String, Page>,
}

impl Site<'_> {
    fn put(&mut self, file: String, page: Page) {
        let path = self.t.root.join("content").join(&file);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("create folders");
        std::fs::write(&path, page.text()).expect("write a page");
        self.pages.insert(file, page);
    }

    fn remove(&mut self, file: &str) {
        std::fs::remove_file(self.t.root.join("content").join(file)).expect("remove a page");
        self.pages.remove(file);
    }

    /// Does one random thing to the site and says what.
    fn step(&mut self, dice: &mut Dice) -> String {
        let files: Vec<String> = self.pages.keys().cloned().collect();
        let existing = (!files.is_empty()).then(|| files[dice.below(files.len())].clone());
        match (dice.below(9), existing) {
            (0..=2, _) | (_, None) => {
                let file = format!(
                    "{}/{}{}.md",
                    dice.pick(&SECTIONS),
                    dice.pick(&NAMES),
                    dice.pick(&LANGS)
                );
                let page = Page::random(dice);
                self.put(file.clone(), page);
                format!("wrote {file}")
            }
            (3, Some(file)) => {
                self.remove(&file);
                format!("deleted {file}")
            }
            (4, Some(file)) => {
                let to = format!(
                    "{}/{}{}.md",
                    dice.pick(&SECTIONS),
                    dice.pick(&NAMES),
                    dice.pick(&LANGS)
                );
                let page = self.pages[&file].clone();
                self.remove(&file);
                self.put(to.clone(), page);
                format!("renamed {file} to {to}")
            }
            (kind, Some(file)) => {
                let mut page = self.pages[&file].clone();
                let what = match kind {
                    5 => {
                        page.title = dice.pick(&TITLES).to_string();
                        "title"
                    }
                    6 => {
                        page.day = 1 + dice.below(4);
                        "date"
                    }
                    7 => {
                        page.tags = random_tags(dice);
                        "tags"
                    }
                    _ if dice.chance(30) => {
                        page.draft = !page.draft;
                        "draft"
                    }
                    _ if dice.chance(40) => {
                        // Unique per file: two pages never claim one URL.
                        let own = file.replace(['/', '.'], "-");
                        page.slug = page.slug.is_none().then(|| format!("s-{own}"));
                        "slug"
                    }
                    _ => {
                        page.body = random_body(dice);
                        "body"
                    }
                };
                self.put(file.clone(), page);
                format!("edited the {what} of {file}")
            }
        }
    }
}

/// The serve fixture (two languages, lists two to a page, a paged
/// taxonomy) without its own news pages, built once.
fn empty_site() -> SiteTest {
    let t = SiteTest::new("serve-site");
    for file in ["harvest.md", "festival.md", "visit.md", "visit.fr.md"] {
        std::fs::remove_file(t.root.join("content/news").join(file)).expect("remove");
    }
    t.rebuild();
    t
}

#[test]
fn random_sequences_of_edits_rebuild_as_a_clean_build_would() {
    for seed in 1..=12_u64 {
        let t = empty_site();
        let mut site = Site {
            t: &t,
            pages: BTreeMap::new(),
        };
        let mut dice = Dice(seed);
        let mut done = Vec::new();
        for step in 0..20 {
            let changes = 1 + dice.below(3);
            let did: Vec<String> = (0..changes).map(|_| site.step(&mut dice)).collect();
            done.push(format!("step {step}: {}", did.join("; ")));
            // A step may end where it began (a date set back): the output
            // is then reused, which is as exact.
            t.rebuild();
            assert_same_as_clean(&t, &format!("seed {seed}, after\n{}", done.join("\n")));
        }
        assert!(
            t.rebuild().reused,
            "seed {seed}: with nothing changed, the output is reused"
        );
    }
}
