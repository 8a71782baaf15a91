//! The command line: `check` writes nothing and says what is wrong (as JSON
//! too), exit codes are 0 / 1 / 2, `--version` and `--help` work.

use crate::site_test::{SiteTest, code, read_tree, vitrine_cmd};

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn check_writes_nothing_and_exits_0_on_a_good_site() {
    let t = SiteTest::new("minimal");
    let before = read_tree(&t.root);
    let run = t.cmd(&["check"]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert_eq!(read_tree(&t.root), before, "check changed the site folder");
    assert!(!t.root.join("public").exists());
    assert!(!t.out.exists());
    // The same with an explicit root, from elsewhere.
    let parent = t.root.parent().expect("parent");
    let run = vitrine_cmd(&["check", "--root", "site"], parent);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert_eq!(read_tree(&t.root), before);
}

#[test]
fn check_exits_1_on_a_bad_site_and_names_the_file() {
    let t = SiteTest::new("minimal").write(
        "content/notes/bad.md",
        "---\ntitle: \"Lỗi\"\ntitel: \"typo\"\n---\nBody.\n",
    );
    let before = read_tree(&t.root);
    let run = t.cmd(&["check"]);
    assert_eq!(code(&run), 1);
    let err = stderr(&run);
    assert!(err.contains("content/notes/bad.md"), "{err}");
    assert!(err.contains("titel"), "{err}");
    assert_eq!(read_tree(&t.root), before, "check changed the site folder");
}

#[test]
fn check_prints_the_diagnostics_as_json() {
    let t = SiteTest::new("minimal").write(
        "content/notes/bad.md",
        "---\ntitle: \"Lỗi\"\ntitel: \"typo\"\n---\nBody.\n",
    );
    let run = t.cmd(&["check", "--format", "json"]);
    assert_eq!(code(&run), 1);
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&run)).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", stdout(&run)));
    assert_eq!(json["ok"], false);
    assert_eq!(json["errors"], 1);
    let diagnostics = json["diagnostics"].as_array().expect("a list of diagnostics");
    assert_eq!(diagnostics.len(), 1, "{json:#}");
    let d = &diagnostics[0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "content/notes/bad.md");
    assert_eq!(d["line"], 3);
    assert!(d["message"].as_str().unwrap_or_default().contains("titel"), "{d}");

    let good = SiteTest::new("minimal");
    let run = good.cmd(&["check", "--format", "json"]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    let json: serde_json::Value = serde_json::from_str(&stdout(&run)).expect("JSON");
    assert_eq!(json["ok"], true);
    assert_eq!(json["errors"], 0);
    assert!(json["diagnostics"].is_array());
}

#[test]
fn build_exits_0_and_writes_public_under_the_root() {
    let t = SiteTest::new("minimal");
    let run = t.cmd(&["build"]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    assert!(t.root.join("public/index.html").is_file());
    assert!(t.root.join("public/en/notes/hello/index.html").is_file());
}

#[test]
fn base_url_option_overrides_site_yaml() {
    let t = SiteTest::new("minimal");
    let out = t.out.to_string_lossy().into_owned();
    let run = t.cmd(&[
        "build",
        "--output",
        &out,
        "--base-url",
        "https://other.example.net/",
    ]);
    assert_eq!(code(&run), 0, "{}", stderr(&run));
    t.assert_file_contains("robots.txt", "Sitemap: https://other.example.net/sitemap.xml")
        .assert_file_contains(
            "en/notes/hello/index.html",
            "https://other.example.net/en/notes/hello/",
        )
        .assert_file_not_contains("sitemap.xml", "minimal.example.org");
}

#[test]
fn version_and_help() {
    let dir = std::env::temp_dir();
    let run = vitrine_cmd(&["--version"], &dir);
    assert_eq!(code(&run), 0);
    assert_eq!(
        stdout(&run).trim(),
        format!("vitrine {}", env!("CARGO_PKG_VERSION"))
    );

    let run = vitrine_cmd(&["build", "--help"], &dir);
    assert_eq!(code(&run), 0);
    let help = stdout(&run);
    for flag in ["--root", "--output", "--base-url", "--drafts", "--future"] {
        assert!(
            help.contains(flag),
            "build --help does not mention {flag}:\n{help}"
        );
    }
}

#[test]
fn bad_usage_exits_2() {
    let dir = std::env::temp_dir();
    let run = vitrine_cmd(&["build", "--nope"], &dir);
    assert_eq!(code(&run), 2);
    assert!(stderr(&run).contains("--nope"), "{}", stderr(&run));
    let run = vitrine_cmd(&["check", "--format", "yaml"], &dir);
    assert_eq!(code(&run), 2);
    let run = vitrine_cmd(&[], &dir);
    assert_eq!(code(&run), 2, "no command is bad usage");
}
