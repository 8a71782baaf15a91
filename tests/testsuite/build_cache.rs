//! The build cache: a build whose inputs, options, vitrine and output are
//! all as the last build left them keeps the output untouched; any change
//! builds again, and the result is what a clean build makes. Records that
//! are damaged, edited or foreign are never trusted.

use std::path::Path;
use std::time::{Duration, SystemTime};

use crate::site_test::{SiteTest, code, read_tree};
use vitrine::build::BuildOptions;

/// The sample portal, built once (the record written).
fn built_portal() -> SiteTest {
    let t = SiteTest::portal();
    let first = t.rebuild();
    assert!(!first.reused, "a first build has nothing to reuse");
    t
}

/// Every output file's modification time.
pub(crate) fn times(dir: &Path) -> Vec<(String, SystemTime)> {
    read_tree(dir)
        .into_keys()
        .map(|rel| {
            let time = std::fs::metadata(dir.join(&rel))
                .and_then(|m| m.modified())
                .unwrap_or_else(|e| panic!("{rel}: {e}"));
            (rel, time)
        })
        .collect()
}

/// Every folder under `dir`, by path under it.
pub(crate) fn folders(dir: &Path) -> std::collections::BTreeSet<String> {
    let mut found = std::collections::BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read a folder").flatten() {
            if entry.file_type().expect("a file type").is_dir() {
                let rel = entry
                    .path()
                    .strip_prefix(dir)
                    .expect("below")
                    .to_string_lossy()
                    .replace('\\', "/");
                found.insert(rel);
                stack.push(entry.path());
            }
        }
    }
    found
}

/// Builds with the cache, expects it not reused, and compares the output
/// with a clean build of the same input, byte for byte.
pub(crate) fn rebuilds_as_clean(t: &SiteTest, change: &str) -> vitrine::build::BuildReport {
    let report = t.rebuild();
    assert!(!report.reused, "{change}: the output was reused");
    assert_same_as_clean(t, change);
    report
}

/// Compares the output with a clean build of the same input, byte for byte.
pub(crate) fn assert_same_as_clean(t: &SiteTest, change: &str) {
    let clean = t.out.with_file_name("clean");
    let options = BuildOptions {
        output: Some(clean.clone()),
        clean: true,
        ..t.options.clone()
    };
    vitrine::build::build(&options).unwrap_or_else(|d| panic!("{change}: clean build failed: {d:?}"));
    let (cached, fresh) = (read_tree(&t.out), read_tree(&clean));
    let differing: Vec<&String> = fresh
        .iter()
        .filter(|(path, bytes)| cached.get(*path) != Some(bytes))
        .map(|(path, _)| path)
        .chain(cached.keys().filter(|p| !fresh.contains_key(*p)))
        .collect();
    assert!(
        differing.is_empty(),
        "{change}: differs from a clean build: {differing:?}"
    );
    // A clean build leaves no empty folder behind, nor any other.
    assert_eq!(
        folders(&t.out),
        folders(&clean),
        "{change}: the folders differ from a clean build's"
    );
    std::fs::remove_dir_all(&clean).expect("remove the clean build");
}

#[test]
fn an_unchanged_site_keeps_its_output_untouched() {
    let t = built_portal();
    let before = times(&t.out);
    // Long enough for any rewrite to show in modification times.
    std::thread::sleep(Duration::from_millis(20));
    let report = t.rebuild();
    assert!(report.reused, "nothing changed, yet the site was built again");
    assert_eq!(times(&t.out), before, "a reused build touched the output");
    assert!(
        report.pages > 0 && report.files > 0,
        "the figures of the last build are reported"
    );
    // The binary is another vitrine than the library linked in this test:
    // its first build records its own, its second reuses it.
    let out = t.out.to_str().expect("UTF-8").to_string();
    let out = out.as_str();
    let first = t.cmd(&["build", "--output", out]);
    let said = String::from_utf8_lossy(&first.stderr);
    assert!(code(&first) == 0 && said.contains("Built "), "{said}");
    let second = t.cmd(&["build", "--output", out]);
    let said = String::from_utf8_lossy(&second.stderr);
    assert_eq!(code(&second), 0, "{said}");
    assert!(said.contains("Nothing changed since the last build"), "{said}");
    let run = t.cmd(&["build", "--clean", "--output", out]);
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(
        said.contains("Built ") && !said.contains("Nothing changed"),
        "--clean: {said}"
    );
    // A clean build leaves a record the next build reuses.
    let run = t.cmd(&["build", "--output", out]);
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(
        said.contains("Nothing changed since the last build"),
        "after --clean: {said}"
    );
    // --timings says what the cache found.
    let t = t.replace("content/culture/ao-dai.md", "Áo dài là", "Áo dài đã là");
    let run = t.cmd(&["build", "--timings", "--output", out]);
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(
        said.contains("build cache: 1 input files changed or appeared, 0 went"),
        "{said}"
    );
    let run = t.cmd(&["build", "--timings", "--output", out]);
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(said.contains("build cache: nothing changed"), "{said}");
}

#[test]
fn every_kind_of_change_builds_again_as_a_clean_build_would() {
    let t = built_portal();
    let edits: [(&str, &str, &str, &str); 9] = [
        (
            "body",
            "content/culture/ao-dai.md",
            "Áo dài là trang phục",
            "Áo dài vẫn là trang phục",
        ),
        (
            "title",
            "content/culture/ao-dai.md",
            "title: \"Áo dài\"",
            "title: \"Áo dài Việt\"",
        ),
        (
            "taxonomy terms",
            "content/culture/ao-dai.md",
            "tags: [\"trang phục\",",
            "tags: [\"áo\",",
        ),
        ("Fluent file", "locales/en/main.ftl", "=", "= "),
        (
            "template",
            "themes/default/templates/base.html",
            "<body",
            "<body data-x=\"1\"",
        ),
        ("data file", "data/key_figures.yaml", ":", ": "),
        ("site.yaml", "site.yaml", "title:", "title: "),
        ("theme static file", "themes/default/static/style.css", "{", "{ "),
        (
            "draft",
            "content/culture/ao-dai.md",
            "weight: 10",
            "weight: 10\ndraft: true",
        ),
    ];
    for (change, file, from, to) in edits {
        let text = t.read_source(file);
        assert!(text.contains(from), "{change}: `{from}` is not in {file}");
        std::fs::write(t.root.join(file), text.replacen(from, to, 1)).expect("edit");
        rebuilds_as_clean(&t, change);
    }
    let t = t.write(
        "content/culture/new-page.md",
        "---\ntitle: New\n---\nA new page.\n",
    );
    rebuilds_as_clean(&t, "new page");
    std::fs::remove_file(t.root.join("content/culture/quan-ho.md")).expect("delete");
    rebuilds_as_clean(&t, "deleted page");
    std::fs::rename(
        t.root.join("content/culture/pho.md"),
        t.root.join("content/culture/pho-bo.md"),
    )
    .expect("rename");
    rebuilds_as_clean(&t, "renamed page");
    let t = t.write("static/images/extra.txt", "a new static file");
    rebuilds_as_clean(&t, "new static file");
    let t = t.write(
        "content/_notices/drill.md",
        "---\ntitle: Drill\nlevel: info\n---\nA drill.\n",
    );
    rebuilds_as_clean(&t, "new notice");
    assert!(t.rebuild().reused, "after the last change, nothing changed");
}

#[test]
fn other_options_or_an_edited_output_build_again() {
    let t = built_portal();
    let drafts = t.with_options(|o| o.drafts = true);
    rebuilds_as_clean(&drafts, "--drafts");
    let t = drafts.with_options(|o| o.drafts = false);
    rebuilds_as_clean(&t, "without --drafts again");
    let page = t.out.join("index.html");
    std::fs::write(&page, "edited by hand").expect("edit an output file");
    rebuilds_as_clean(&t, "an output file edited by hand");
    std::fs::write(t.out.join("stray.html"), "left by someone").expect("add a file");
    rebuilds_as_clean(&t, "a stray file in the output");
    let deep = t.out.join("en/culture");
    assert!(deep.is_dir(), "the portal has {}", deep.display());
    std::fs::write(deep.join("stray.html"), "left by someone").expect("add a file");
    rebuilds_as_clean(&t, "a stray file deep in the output");
    std::fs::create_dir_all(deep.join("left/behind")).expect("add folders");
    rebuilds_as_clean(&t, "empty folders left in the output");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("index.html", deep.join("link.html")).expect("add a link");
        rebuilds_as_clean(&t, "a link left in the output");
    }
    std::fs::remove_file(&page).expect("remove an output file");
    rebuilds_as_clean(&t, "an output file removed");
}

/// The record of the site's output folder.
fn record_file(t: &SiteTest) -> std::path::PathBuf {
    let file = vitrine::cache::record_file(&t.root, &t.out);
    assert!(file.is_file(), "no record at {}", file.display());
    file
}

/// Makes a damaged record from a good one and a page's earlier hash.
type Damage = fn(&[u8], &[u8]) -> Vec<u8>;

/// Where the hash the record gives `input` is in its bytes: the record
/// packs each input's path, then its hash (32 hex digits) after a length
/// byte.
fn hash_span(record: &[u8], input: &str) -> std::ops::Range<usize> {
    let at = record
        .windows(input.len())
        .position(|w| w == input.as_bytes())
        .expect("the input's path is in the record")
        + input.len();
    assert_eq!(record[at], 32, "a 32-digit hash follows the path");
    let span = at + 1..at + 33;
    assert!(record[span.clone()].iter().all(u8::is_ascii_hexdigit), "a hash");
    span
}

#[test]
fn a_damaged_forged_or_foreign_record_is_never_trusted() {
    let t = built_portal();
    let page = "content/culture/ao-dai.md";
    let original = t.read_source(page);
    let first = std::fs::read(record_file(&t)).expect("read");
    let first_hash = first[hash_span(&first, page)].to_vec();
    // Each case leaves the output one edit ahead of its input, then
    // damages the record: trusting it would keep the stale output.
    let stale = || {
        std::fs::write(
            t.root.join(page),
            original.replacen("Áo dài là", "Áo dài đã là", 1),
        )
        .expect("edit");
        t.rebuild();
        std::fs::write(t.root.join(page), &original).expect("restore");
        std::fs::read(record_file(&t)).expect("read the record")
    };
    let damages: [(&str, Damage); 5] = [
        ("truncated", |bytes, _| bytes[..bytes.len() / 2].to_vec()),
        ("empty", |_, _| Vec::new()),
        ("garbage", |_, _| b"\x00\x01garbage".to_vec()),
        // The stale output claimed for the restored input, checksum kept.
        ("forged", |bytes, hash| {
            let mut forged = bytes.to_vec();
            forged[hash_span(bytes, "content/culture/ao-dai.md")].copy_from_slice(hash);
            forged
        }),
        // Another layout's mark, the rest as it was.
        ("another layout", |bytes, _| {
            let mut other = bytes.to_vec();
            other[..8].copy_from_slice(b"vrecord9");
            other
        }),
    ];
    for (damage, make) in damages {
        let text = stale();
        let bytes = make(&text, &first_hash);
        assert_ne!(bytes, text, "{damage}: the damage changed nothing");
        std::fs::write(record_file(&t), &bytes).expect("damage the record");
        rebuilds_as_clean(&t, damage);
    }
}

#[test]
fn new_modification_times_alone_reuse_the_output() {
    // A fresh clone with a restored cache: every input is new to the file
    // system, with the same content.
    let t = built_portal();
    let later = SystemTime::now() + Duration::from_secs(3600);
    for top in ["content", "locales", "data", "static", "themes", "site.yaml"] {
        for entry in walkdir::WalkDir::new(t.root.join(top)).into_iter().flatten() {
            if entry.file_type().is_file() {
                let file = std::fs::File::options()
                    .append(true)
                    .open(entry.path())
                    .expect("open");
                file.set_modified(later).expect("set the modification time");
            }
        }
    }
    assert!(
        t.rebuild().reused,
        "content hashes, not modification times, decide"
    );
    // The output restored by CI from an archive keeping whole seconds,
    // files and folders alike (the folders last, as an archive does).
    let entries: Vec<walkdir::DirEntry> = walkdir::WalkDir::new(&t.out).into_iter().flatten().collect();
    let (files, folders): (Vec<_>, Vec<_>) = entries.iter().partition(|e| e.file_type().is_file());
    for entry in files.into_iter().chain(folders) {
        to_whole_seconds(entry.path());
    }
    assert!(
        t.rebuild().reused,
        "outputs whose time differs are compared by content, folders by what they hold"
    );
    // A stray file in an archive: its folder's time is no help.
    let folder = t.out.join("en/culture");
    std::fs::write(folder.join("stray.html"), "left by someone").expect("add a file");
    to_whole_seconds(&folder);
    rebuilds_as_clean(&t, "a stray file in a folder whose time differs");
}

/// CI may install vitrine afresh in every run: the same executable, as a
/// new file (another inode, another time), still reuses the restored
/// output. An executable one byte apart (another build of the same
/// version) is another vitrine: everything is rendered again, the output
/// as a clean build's.
#[test]
fn the_same_vitrine_installed_again_reuses_the_output_and_another_does_not() {
    let t = SiteTest::new("minimal");
    let installed = t.out.with_file_name("installed");
    std::fs::create_dir_all(&installed).expect("make the install folder");
    let copy = installed.join("vitrine");
    std::fs::copy(env!("CARGO_BIN_EXE_vitrine"), &copy).expect("install a copy");
    let out = t.out.to_str().expect("a UTF-8 path");
    let build = |vitrine: &std::path::Path| {
        let run = std::process::Command::new(vitrine)
            .args(["build", "--timings", "--output", out])
            .current_dir(&t.root)
            .env("NO_COLOR", "1")
            .output()
            .expect("run vitrine");
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        String::from_utf8_lossy(&run.stderr).into_owned()
    };
    build(std::path::Path::new(env!("CARGO_BIN_EXE_vitrine")));
    let said = build(&copy);
    assert!(said.contains("build cache: nothing changed"), "{said}");
    let mut other = std::fs::read(&copy).expect("read the copy");
    other.push(0);
    std::fs::write(&copy, other).expect("another vitrine");
    let said = build(&copy);
    assert!(
        said.contains("the previous build was made by another vitrine"),
        "{said}"
    );
    let clean = t.out.with_file_name("clean");
    let run = t.cmd(&["build", "--clean", "--output", clean.to_str().expect("UTF-8")]);
    assert_eq!(code(&run), 0, "{}", String::from_utf8_lossy(&run.stderr));
    assert!(
        read_tree(&t.out) == read_tree(&clean),
        "another vitrine's build differs from a clean build"
    );
}

/// Sets the modification time of `path` (a file or a folder) back to the
/// whole second.
fn to_whole_seconds(path: &std::path::Path) {
    let file = match path.is_dir() {
        true => std::fs::File::open(path),
        false => std::fs::File::options().append(true).open(path),
    }
    .expect("open");
    let time = file.metadata().and_then(|m| m.modified()).expect("a time");
    let seconds = time
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds))
        .expect("set the modification time");
}

/// A build takes an input's hash from the record when the file system
/// says the file is untouched since; an edit that keeps the file's size
/// and sets its modification time back is still seen.
#[test]
fn an_edit_keeping_size_and_modification_time_is_seen() {
    let t = SiteTest::portal();
    // The files were copied just now: hashed well after their last write,
    // the next build may take their hashes from the record.
    std::thread::sleep(Duration::from_millis(1100));
    assert!(!t.rebuild().reused, "a first build has nothing to reuse");
    assert!(t.rebuild().reused, "nothing changed");
    let page = t.root.join("content/culture/ao-dai.md");
    let modified = std::fs::metadata(&page).and_then(|m| m.modified()).expect("time");
    let text = t.read_source("content/culture/ao-dai.md");
    let edited = text.replacen("Áo dài là", "Áo dài Là", 1);
    assert!(edited != text && edited.len() == text.len(), "a same-size edit");
    std::fs::write(&page, edited).expect("edit");
    let file = std::fs::File::options().write(true).open(&page).expect("open");
    file.set_modified(modified).expect("set the time back");
    drop(file);
    rebuilds_as_clean(&t, "an edit keeping size and modification time");
}

#[test]
fn a_scheduled_page_going_live_builds_again() {
    // Long enough for two builds of the portal on a busy machine (the
    // tests run side by side); the test then waits only what is left.
    let soon = chrono::Utc::now() + chrono::Duration::seconds(8);
    let t = SiteTest::portal().write(
        "content/culture/soon.md",
        &format!("---\ntitle: Soon\ndate: {}\n---\nScheduled.\n", soon.to_rfc3339()),
    );
    t.rebuild();
    assert!(!t.exists("culture/soon/index.html"), "not live yet");
    assert!(t.rebuild().reused, "before its time nothing changed");
    let left = (soon - chrono::Utc::now()).to_std().unwrap_or_default();
    std::thread::sleep(left + Duration::from_millis(500));
    rebuilds_as_clean(&t, "the scheduled time passed");
    t.assert_exists("culture/soon/index.html");
}

#[test]
fn a_failed_build_leaves_the_output_and_its_record() {
    let t = built_portal();
    let before = read_tree(&t.out);
    let page = "content/culture/ao-dai.md";
    let source = t.read_source(page);
    std::fs::write(t.root.join(page), source.replacen("title:", "title: [", 1)).expect("break it");
    t.expect_error();
    assert_eq!(read_tree(&t.out), before, "a failed build changed the output");
    std::fs::write(t.root.join(page), &source).expect("mend it");
    assert!(t.rebuild().reused, "the output still matches its input");
}

/// The build cache's files of the builds of `out` (a record and what it
/// kept beside it).
fn cache_set(t: &SiteTest, out: &Path) -> Vec<String> {
    let record = vitrine::cache::record_file(&t.root, out);
    let stem = record
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("a record's name")
        .to_string();
    cache_files(t)
        .into_iter()
        .filter(|name| name.split('.').next() == Some(stem.as_str()))
        .collect()
}

fn cache_files(t: &SiteTest) -> Vec<String> {
    let dir = t.root.join(vitrine::cache::CACHE_DIR);
    std::fs::read_dir(&dir)
        .expect("the build cache")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn what_builds_of_gone_folders_kept_leaves_the_cache() {
    let t = built_portal();
    let (other, gone) = (t.out.with_file_name("elsewhere"), t.out.with_file_name("gone"));
    for out in [&other, &gone] {
        let options = BuildOptions {
            output: Some(out.clone()),
            ..t.options.clone()
        };
        vitrine::build::build(&options).unwrap_or_else(|d| panic!("the build failed: {d:?}"));
    }
    assert!(
        cache_set(&t, &gone).len() >= 2,
        "a build keeps its record and texts: {:?}",
        cache_files(&t)
    );
    let dir = t.root.join(vitrine::cache::CACHE_DIR);
    // A build in progress writes its files before its record; one killed
    // two days ago left its files behind.
    let (running, killed) = (
        dir.join("00000000000000aa.store.new"),
        dir.join("00000000000000bb.texts"),
    );
    std::fs::write(&running, "being written").expect("write");
    std::fs::write(&killed, "left behind").expect("write");
    let two_days_ago = SystemTime::now() - Duration::from_secs(2 * 24 * 3600);
    std::fs::File::options()
        .append(true)
        .open(&killed)
        .and_then(|f| f.set_modified(two_days_ago))
        .expect("age the file");
    std::fs::remove_dir_all(&gone).expect("remove an output folder");
    let page = "content/culture/ao-dai.md";
    let text = t.read_source(page).replacen("Áo dài là", "Áo dài đã là", 1);
    std::fs::write(t.root.join(page), text).expect("edit");
    let report = t.rebuild();
    assert!(!report.reused, "the edit was not built");
    assert_eq!(
        cache_set(&t, &gone),
        Vec::<String>::new(),
        "what the gone folder's builds kept stays"
    );
    assert!(
        !cache_set(&t, &other).is_empty(),
        "a folder still there lost its record"
    );
    assert!(!cache_set(&t, &t.out).is_empty(), "this build lost its record");
    assert!(running.exists(), "a build in progress lost its files");
    assert!(!killed.exists(), "what a build killed long ago left stays");
    let said: Vec<String> = report
        .timings
        .stages()
        .iter()
        .map(|s| s.name.to_string())
        .collect();
    assert!(
        said.iter().any(|s| s.starts_with("build cache: removed 2 sets")),
        "the build says what it removed: {said:?}"
    );
    // This build's record is whole.
    assert!(t.rebuild().reused);
}
