//! A build killed at any moment (`kill -9`, a cancelled CI job, a machine
//! losing power) leaves the output folder whole: as the last build left
//! it, or as the killed build finished it, never a mix. What it left
//! half-written in the build cache is not trusted: the next build's output
//! is a clean build's, byte for byte.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::site_test::{SiteTest, code, read_tree};

/// Runs `vitrine build` into `out` to the end.
fn build(t: &SiteTest, out: &Path, clean: bool) {
    let out = out.to_str().expect("a UTF-8 path");
    let args: &[&str] = match clean {
        true => &["build", "--clean", "--output", out],
        false => &["build", "--output", out],
    };
    let run = t.cmd(args);
    assert_eq!(code(&run), 0, "{}", String::from_utf8_lossy(&run.stderr));
}

/// Starts `vitrine build` into `out` and kills it (SIGKILL) after `after`.
fn build_killed(t: &SiteTest, out: &Path, after: Duration) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(["build", "--output"])
        .arg(out)
        .current_dir(&t.root)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start vitrine build");
    std::thread::sleep(after);
    // It may have finished already: then the kill finds no process.
    let _ = child.kill();
    child.wait().expect("wait for the killed build");
}

/// The names beside the output folder, in its parent.
fn beside(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out.parent().expect("a parent"))
        .expect("list the parent")
        .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Which of the two outputs `tree` is, if either.
fn which(
    tree: &BTreeMap<String, Vec<u8>>,
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
) -> &'static str {
    match tree {
        t if t == before => "the previous output",
        t if t == after => "the new output",
        _ => "a mix",
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_output_and_the_next_build_is_exact() {
    let t = SiteTest::corpus(60);
    let template = t.root.join("themes/default/templates/base.html");
    let original = std::fs::read_to_string(&template).expect("the corpus's base template");
    let edited = original.replacen("<body", "<body data-edited=\"yes\"", 1);
    assert_ne!(original, edited, "the template has a <body");
    // Both outputs, each from a clean build; a template edit renders every
    // page again, so a build runs long enough to be killed midway.
    let (before_dir, after_dir) = (t.out.with_file_name("before"), t.out.with_file_name("after"));
    build(&t, &before_dir, true);
    std::fs::write(&template, &edited).expect("edit the template");
    let started = Instant::now();
    build(&t, &after_dir, true);
    let whole = started.elapsed();
    let (before, after) = (read_tree(&before_dir), read_tree(&after_dir));
    assert!(before.len() > 200 && before != after, "{} files", before.len());
    std::fs::write(&template, &original).expect("restore the template");
    build(&t, &t.out, false);
    let names = beside(&t.out);
    for tenth in [0, 2, 4, 6, 8] {
        std::fs::write(&template, &edited).expect("edit the template");
        build_killed(&t, &t.out, whole * tenth / 10);
        let state = which(&read_tree(&t.out), &before, &after);
        assert_ne!(state, "a mix", "killed after {tenth}/10 of a build");
        // The next build finishes what was killed, and cleans up after it.
        build(&t, &t.out, false);
        assert!(read_tree(&t.out) == after, "after a build killed at {tenth}/10");
        assert_eq!(beside(&t.out), names, "left beside the output");
        // And back, so the next kill replaces the previous output again.
        std::fs::write(&template, &original).expect("restore the template");
        build(&t, &t.out, false);
        assert!(
            read_tree(&t.out) == before,
            "back after a build killed at {tenth}/10"
        );
    }
}
