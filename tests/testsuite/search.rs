//! Site search: the index files a build writes (what is indexed, what never
//! is, how it is split), the search page, and an end-to-end run in headless
//! Chromium (`tests/search-e2e/run.mjs`) that types queries into the built
//! site served on loopback and checks which pages come first.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::site_test::SiteTest;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fixture `tests/fixtures/search-site` with the default theme and the
/// sample portal's UI strings.
fn search_site() -> SiteTest {
    SiteTest::new("search-site").default_theme()
}

/// Reading the search index a build wrote.
trait SearchIndex {
    fn json(&self, path: &str) -> Value;
    fn terms(&self, lang: &str) -> serde_json::Map<String, Value>;
    fn fragments(&self, lang: &str) -> Vec<Value>;
    fn page_paths(&self, lang: &str) -> Vec<String>;
}

impl SearchIndex for SiteTest {
    fn json(&self, path: &str) -> Value {
        serde_json::from_str(&self.read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// Every shard of a language, merged: folded term → entry.
    fn terms(&self, lang: &str) -> serde_json::Map<String, Value> {
        let mut all = serde_json::Map::new();
        for file in std::fs::read_dir(self.out.join(format!("search/{lang}/s"))).expect("shards") {
            let path = file.expect("entry").path();
            let shard: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
            all.extend(shard.as_object().expect("object").clone());
        }
        all
    }

    /// Every page's fragment of a language, in page order.
    fn fragments(&self, lang: &str) -> Vec<Value> {
        let meta = self.json(&format!("search/{lang}/meta.json"));
        let pages = meta["pages"].as_u64().expect("number of pages") as usize;
        let chunk = meta["chunk"].as_u64().expect("chunk") as usize;
        let mut out = Vec::new();
        for n in 0..pages.div_ceil(chunk) {
            let fragments = self.json(&format!("search/{lang}/p/{n}.json"));
            out.extend(fragments.as_array().expect("fragments").iter().cloned());
        }
        assert_eq!(out.len(), pages, "{lang}: one fragment per page");
        out
    }

    fn page_paths(&self, lang: &str) -> Vec<String> {
        self.fragments(lang)
            .iter()
            .map(|p| p[0].as_str().expect("path").to_string())
            .collect()
    }
}
#[test]
fn each_language_gets_its_own_index_of_its_own_pages() {
    let site = search_site().build();
    assert_eq!(
        site.page_paths("vi"),
        [
            "/culture/",
            "/culture/hoa-hue/",
            "/culture/kinh-thanh/",
            "/culture/pho/",
            "/news/",
            "/news/hien-phap/",
            "/news/kinh-te/",
            "/news/tin-vi/",
            "/travel/",
            "/travel/da-nang/",
            "/travel/dia-ly/",
        ]
    );
    // English has two pages of its own: the Vietnamese-only pages shown in
    // English as fallback copies are not in its index.
    let en = site.page_paths("en");
    assert!(en.contains(&"/en/culture/pho/".to_string()), "{en:?}");
    assert!(
        !en.iter()
            .any(|p| p.contains("tin-vi") || p.contains("kinh-thanh")),
        "{en:?}"
    );
    assert!(!site.terms("en").contains_key("zzchiviet"));
    let zh = site.page_paths("zh");
    assert!(zh.contains(&"/zh/travel/hanoi/".to_string()), "{zh:?}");
    // Sections carry their name and title for the result label and filter.
    let meta = site.json("search/vi/meta.json");
    assert_eq!(
        meta["sections"][1],
        serde_json::json!(["travel", "Du lịch", "/travel/"])
    );
    // A page's fragment: path, title, section, date, excerpt text, group,
    // the other languages with their own text.
    let pho = site
        .fragments("vi")
        .into_iter()
        .find(|p| p[0] == "/culture/pho/")
        .expect("pho");
    assert_eq!(
        pho.as_array().expect("fragment")[1..4],
        serde_json::json!(["Phở", 0, "2024-05-03"])
            .as_array()
            .expect("array")[..]
    );
    assert!(pho[4].as_str().expect("text").contains("Đà Nẵng"), "{pho}");
    assert_eq!(pho[6], serde_json::json!(["en"]));
    // The page table is not in meta.json: its size does not grow with pages.
    assert_eq!(meta["pages"], 11);
    assert_eq!(meta["section_runs"], serde_json::json!([[0, 4], [2, 4], [1, 3]]));
}

#[test]
fn drafts_and_search_false_pages_are_never_indexed() {
    let site = search_site().build();
    let vi = site.terms("vi");
    assert!(vi.contains_key("zzchiviet"), "the control word is indexed");
    assert!(!vi.contains_key("zzbimat"), "search: false page indexed");
    assert!(!vi.contains_key("zznhap"), "draft indexed");
    let paths = site.page_paths("vi");
    assert!(
        !paths
            .iter()
            .any(|p| p.contains("noi-bo") || p.contains("ban-nhap"))
    );
}

#[test]
fn terms_are_folded_with_exact_forms_and_weighted_by_field() {
    let site = search_site().build();
    let vi = site.terms("vi");
    // `hue` holds both Huế (the city, in a body) and huệ (the flower, in a
    // title): the exact forms stay apart so the script can rank them.
    let hue = vi["hue"].as_object().expect("variants");
    let weight = |form: &str| {
        hue[form].as_array().expect("postings")[1]
            .as_u64()
            .expect("weight")
    };
    assert!(weight("huệ") > weight("huế"), "{hue:?}");
    // Taxonomy terms are indexed: "street food" is only in the English tags.
    assert!(site.terms("en").contains_key("street"));
    // Chinese: bigrams, and a run's last character alone (河 is never last,
    // so only its bigrams are kept); Arabic: harakat and tatweel removed,
    // alef with madda folded.
    let zh = site.terms("zh");
    assert!(zh.contains_key("首都") && zh.contains_key("都"));
    assert!(zh.contains_key("河内") && !zh.contains_key("河"));
    let ar = site.terms("ar");
    assert!(
        ar.contains_key("العاصمه") && ar.contains_key("البحيرات") && ar.contains_key("اسيا"),
        "{:?}",
        ar.keys()
    );
}

/// A word in a heading, at any depth, weighs more than the same word in
/// the body text; and a page's terms, headings included, are the same
/// when the build cache patches the page as when a build starts clean.
#[test]
fn headings_at_every_depth_are_weighted_above_the_body() {
    let page = "content/culture/lanterns.en.md";
    // Words no other page of the fixture has: each term's postings are
    // this page's alone.
    let text = "---\ntitle: \"Lanterns\"\ndate: 2024-01-01\n---\nPaper and velmora.\n\n## Oriflam\n\nAlong the water.\n\n### Tarquin frames\n\nMade by hand, oriflam to oriflam.\n";
    let site = search_site().write(page, text).build();
    let weight = |site: &SiteTest, term: &str| -> u64 {
        let terms = site.terms("en");
        // `[page delta, weight]`: one page, one exact form.
        let postings = terms[term]
            .as_array()
            .unwrap_or_else(|| panic!("{term}: {:?}", terms[term]));
        assert_eq!(postings.len(), 2, "{term}: {postings:?}");
        postings[1].as_u64().expect("weight")
    };
    // "velmora" once in the body; "tarquin" once, in a third-level
    // heading (whose text is in the body too); "oriflam" in a
    // second-level heading and twice more in the body.
    let (velmora, tarquin, oriflam) = (
        weight(&site, "velmora"),
        weight(&site, "tarquin"),
        weight(&site, "oriflam"),
    );
    assert!(tarquin > velmora, "tarquin {tarquin}, velmora {velmora}");
    assert!(oriflam > tarquin, "oriflam {oriflam}, tarquin {tarquin}");
    // The heading becomes body text, and its weight goes with it.
    let site = site.replace(page, "### Tarquin frames\n\n", "Tarquin frames.\n\n");
    crate::build_cache::rebuilds_as_clean(&site, "a heading made body text");
    assert_eq!(weight(&site, "tarquin"), velmora);
}

#[test]
fn shards_are_sorted_runs_of_terms_found_by_their_first_term() {
    let site = search_site().build();
    let meta = site.json("search/zh/meta.json");
    let firsts: Vec<&str> = meta["shards"]
        .as_array()
        .expect("firsts")
        .iter()
        .map(|k| k.as_str().expect("term"))
        .collect();
    assert!(!firsts.is_empty());
    let utf16 = |s: &str| s.encode_utf16().collect::<Vec<u16>>();
    assert!(firsts.windows(2).all(|w| utf16(w[0]) < utf16(w[1])), "{firsts:?}");
    // The shard holding a term is the last one whose first term sorts at
    // or before it, as search.js looks it up.
    let n = firsts
        .iter()
        .rposition(|f| utf16(f) <= utf16("首都"))
        .expect("a shard");
    let shard = site.json(&format!("search/zh/s/{n}.json"));
    assert!(shard.get("首都").is_some(), "{shard}");
    // Excerpt text comes in chunks of pages.
    let fragments = site.json("search/zh/p/0.json");
    assert!(
        fragments
            .as_array()
            .expect("fragments")
            .iter()
            .any(|t| t[4].as_str().is_some_and(|t| t.contains("首都")))
    );
}

#[test]
fn every_language_has_a_search_page_that_degrades_to_a_section_list() {
    let site = search_site().build();
    for (path, index, sections) in [
        ("search/index.html", "../search/vi/", "Du lịch"),
        ("en/search/index.html", "../../search/en/", "Travel"),
        ("ar/search/index.html", "../../search/ar/", "السفر"),
    ] {
        let html = site.read(path);
        assert!(html.contains(&format!("data-index=\"{index}\"")), "{path}");
        // The form waits for the script; the section links work without it.
        assert!(html.contains("role=\"search\" hidden"), "{path}");
        assert!(
            html.contains(&format!("<span class=\"tile-title\">{sections}</span>")),
            "{path}"
        );
        assert!(
            html.contains("<script src=\"/search.js\" defer></script>"),
            "{path}"
        );
    }
    assert!(
        site.read("fr/search/index.html")
            .contains("Rechercher sur le portail")
    );
    assert!(
        site.read("en/index.html")
            .contains("href=\"https://portal.example.org/en/search/\"")
    );
    assert!(site.out.join("search.js").is_file());
}

#[test]
fn search_false_in_site_yaml_writes_no_index_and_no_search_page() {
    let site = search_site().edit_config(|yaml| yaml + "search: false\n").build();
    assert!(!site.out.join("search").exists());
    assert!(!site.out.join("en/search/index.html").exists());
    assert!(!site.read("en/index.html").contains("/en/search/"));
}

/// The stem table of a language, merged from its `w/` shards.
fn stems(site: &SiteTest, lang: &str) -> serde_json::Map<String, Value> {
    let meta = site.json(&format!("search/{lang}/meta.json"));
    let count = meta["stems"].as_array().expect("stem shards").len();
    let mut all = serde_json::Map::new();
    for n in 0..count {
        let shard = site.json(&format!("search/{lang}/w/{n}.json"));
        all.extend(shard.as_object().expect("object").clone());
    }
    all
}

#[test]
fn inflecting_languages_get_a_stem_table_and_their_stemmer() {
    let site = search_site().build();
    // Terms that share a stem are listed under it: a query word stemmed by
    // the page finds its other forms there.
    let en = stems(&site, "en");
    assert_eq!(
        en["constitut"],
        serde_json::json!(["constitution", "constitutions"])
    );
    let ru = stems(&site, "ru");
    assert!(
        ru["экономик"]
            .as_array()
            .expect("forms")
            .contains(&"экономика".into()),
        "{ru:?}"
    );
    // A lone term that is its own stem needs no entry.
    assert!(!en.values().any(|forms| forms == &serde_json::json!(["2013"])));
    for lang in ["en", "fr", "ru", "ar"] {
        assert_eq!(
            site.json(&format!("search/{lang}/meta.json"))["stemmer"],
            true,
            "{lang}"
        );
        assert!(
            site.read(&format!("search/{lang}/stem.js")).contains("export"),
            "{lang}"
        );
    }
    // Vietnamese and Chinese words do not inflect: no stemmer, no table.
    for lang in ["vi", "zh"] {
        let meta = site.json(&format!("search/{lang}/meta.json"));
        assert_eq!(meta["stemmer"], false, "{lang}");
        assert_eq!(meta["stems"], serde_json::json!([]), "{lang}");
        assert!(
            !site.out.join(format!("search/{lang}/stem.js")).exists(),
            "{lang}"
        );
    }
}

#[test]
fn stem_false_in_site_yaml_turns_word_forms_off_for_that_language() {
    let site = search_site()
        .edit_config(|yaml| {
            yaml.replace(
                "    title: \"Portail de test\"\n",
                "    title: \"Portail de test\"\n    stem: false\n",
            )
        })
        .build();
    let fr = site.json("search/fr/meta.json");
    assert_eq!(fr["stemmer"], false);
    assert_eq!(fr["stems"], serde_json::json!([]));
    assert!(!site.out.join("search/fr/stem.js").exists());
    // The other languages keep theirs.
    assert_eq!(site.json("search/en/meta.json")["stemmer"], true);
}

#[test]
fn the_search_page_knows_its_fallback_indexes() {
    let site = search_site().build();
    let html = site.read("fr/search/index.html");
    let start = html.find("data-fallbacks=\"").expect("data-fallbacks") + "data-fallbacks=\"".len();
    let end = start + html[start..].find('"').expect("end");
    let json = html[start..end].replace("&quot;", "\"");
    let fallbacks: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(
        fallbacks,
        serde_json::json!([
            {"lang": "en", "name": "English", "dir": "ltr", "index": "../../search/en/"},
            {"lang": "vi", "name": "Tiếng Việt", "dir": "ltr", "index": "../../search/vi/"}
        ])
    );
    assert!(site.read("search/index.html").contains("data-fallbacks=\"[]\""));
}

/// Serves `root` on loopback until the test process ends: one thread per
/// connection, `Connection: close`, GET only.
fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || respond(stream, &root));
        }
    });
    address
}

fn respond(mut stream: TcpStream, root: &Path) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut line = String::new();
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    if reader.read_line(&mut line).is_err() {
        return;
    }
    // Drain the headers.
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split('?').next().unwrap_or("/");
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .to_string();
    let mut file = root.join(path.trim_start_matches('/'));
    if path.ends_with('/') {
        file = file.join("index.html");
    }
    let safe = !path.split('/').any(|s| s == "..");
    let (status, body) = match std::fs::read(&file) {
        Ok(body) if safe => ("200 OK", body),
        _ => ("404 Not Found", b"not found".to_vec()),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// Installs the pinned playwright-core when its folder has none yet (CI
/// does it in `.ci/run`; this keeps `cargo test` self-contained).
fn e2e_dir() -> PathBuf {
    let dir = repo().join("tests/search-e2e");
    if !dir.join("node_modules/playwright-core").is_dir() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .expect("npm (install Node.js and npm; .ci/run does)");
        assert!(status.success(), "npm ci failed in tests/search-e2e");
    }
    dir
}

#[test]
fn queries_in_four_languages_find_the_expected_pages_first_in_chromium() {
    // Twelve news pages share a word: ten results show, a button shows more.
    let mut site = search_site();
    for n in 1..=12 {
        let page = format!(
            "---\ntitle: \"Lantern night {n}\"\ndate: 2024-10-{n:02}\n---\nPaper lanterns along the river.\n"
        );
        site = site.write(&format!("content/news/lantern-{n}.en.md"), &page);
    }
    // More pages share a word than a shard keeps postings for: a
    // one-word query reads the heaviest only, "more" reads the rest.
    for n in 0..1100 {
        let title = if n == 700 {
            "The zzmany page"
        } else {
            "An archived note"
        };
        let body = "zzmany ".repeat(1 + n % 4);
        let page = format!("---\ntitle: \"{title}\"\ndate: 2020-01-01\n---\n{body}\n");
        site = site.write(&format!("content/travel/note-{n}.en.md"), &page);
    }
    let address = serve(site.out.clone());
    let site = site.with_options(|o| o.base_url = Some(address.clone())).build();
    assert!(site.out.join("search/vi/meta.json").is_file());

    let cases = repo().join("tests/search-e2e/cases.json");
    let mut child = Command::new("node")
        .arg("run.mjs")
        .arg(&address)
        .arg(&cases)
        .current_dir(e2e_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node");
    let deadline = Instant::now() + Duration::from_secs(180);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the Chromium run took more than 3 minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let output = child.wait_with_output().expect("output");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "run.mjs failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("passed, 0 failed"), "{stdout}\n{stderr}");
}

/// A new article changes its own language's index only: the translation
/// group each result carries is a number made from what makes pages
/// translations, not from the page's place among the site's pages, so
/// every other language's index files stay byte for byte as they were
/// (a deploy uploads none of them). The rebuild, which indexes again only
/// the languages the change reaches, makes what a clean build makes.
#[test]
fn a_new_article_leaves_the_other_languages_index_files_as_they_were() {
    let t = search_site();
    t.rebuild();
    let before = crate::site_test::read_tree(&t.out.join("search"));
    // First of its section in file order: its group comes before most.
    let t = t.write(
        "content/culture/aaa-ao-moi.md",
        "---\ntitle: \"Áo mới\"\ndate: 2024-01-01\n---\nMột bài mới về áo dài và văn hoá.\n",
    );
    crate::build_cache::rebuilds_as_clean(&t, "a new article");
    let after = crate::site_test::read_tree(&t.out.join("search"));
    let changed: std::collections::BTreeSet<&str> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(bytes))
        .map(|(path, _)| path.as_str())
        .chain(
            before
                .keys()
                .filter(|p| !after.contains_key(*p))
                .map(String::as_str),
        )
        .filter_map(|path| path.split('/').next())
        .collect();
    assert_eq!(
        changed,
        ["vi"].into_iter().collect(),
        "the index files of these languages changed"
    );
}

/// The pages of a posting list, from its `[page delta, weight, …]`.
fn posting_pages(entry: &Value) -> Vec<(usize, u64)> {
    let numbers = entry.as_array().expect("a bare posting list");
    let mut page = 0;
    numbers
        .chunks(2)
        .map(|pair| {
            page += pair[0].as_u64().expect("delta") as usize;
            (page, pair[1].as_u64().expect("weight"))
        })
        .collect()
}

/// A language of many pages is numbered in runs, one a core, whose terms
/// are merged into one vocabulary: every page is still found by each of
/// its words, common or its own, CJK grams too, with its own weight.
#[test]
fn a_language_of_many_pages_finds_every_page_by_each_of_its_words() {
    let letters = |mut n: usize| {
        let mut word = String::from("zq");
        for _ in 0..3 {
            word.push((b'a' + (n % 26) as u8) as char);
            n /= 26;
        }
        word
    };
    let gram = |n: usize| -> String {
        [0x4E00 + 2 * n as u32, 0x4E01 + 2 * n as u32]
            .iter()
            .map(|&c| char::from_u32(c).expect("a CJK character"))
            .collect()
    };
    let count = 640;
    let mut site = search_site();
    for n in 0..count {
        // Every seventh page has the shared word in its title too.
        let title = if n % 7 == 0 { "Velvetine story" } else { "Story" };
        let en = format!(
            "---\ntitle: \"{title} {}\"\ndate: 2024-02-01\n---\nThe velvetine lamps of {}.\n",
            letters(n),
            letters(n)
        );
        let zh = format!(
            "---\ntitle: \"故事\"\ndate: 2024-02-01\n---\n灯笼照亮{}河畔。\n",
            gram(n)
        );
        site = site
            .write(&format!("content/news/many-{n}.en.md"), &en)
            .write(&format!("content/news/many-{n}.zh.md"), &zh);
    }
    let site = site.build();
    for lang in ["en", "zh"] {
        let paths = site.page_paths(lang);
        let page_of = |n: usize| -> usize {
            let path = format!("/{lang}/news/many-{n}/");
            paths
                .iter()
                .position(|p| *p == path)
                .unwrap_or_else(|| panic!("{path} indexed"))
        };
        let terms = site.terms(lang);
        let (shared, own): (&str, Box<dyn Fn(usize) -> String>) = match lang {
            "en" => ("velvetine", Box::new(letters)),
            _ => ("灯笼", Box::new(gram)),
        };
        let found = posting_pages(&terms[shared]);
        let mut expected: Vec<usize> = (0..count).map(page_of).collect();
        expected.sort_unstable();
        assert_eq!(
            found.iter().map(|(page, _)| *page).collect::<Vec<_>>(),
            expected,
            "{lang}: {shared}"
        );
        if lang == "en" {
            let weight = |n: usize| found.iter().find(|(p, _)| *p == page_of(n)).expect("found").1;
            assert!(weight(7) > weight(8), "a title outweighs the body");
        }
        for n in 0..count {
            let word = own(n);
            let entry = terms
                .get(&word)
                .unwrap_or_else(|| panic!("{lang}: {word} indexed"));
            let pages: Vec<usize> = posting_pages(entry).iter().map(|(page, _)| *page).collect();
            assert_eq!(pages, [page_of(n)], "{lang}: {word}");
        }
    }
}
