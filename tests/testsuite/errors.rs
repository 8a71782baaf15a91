//! Every kind of bad input is an error at the right file and line, the
//! binary exits with 1, and the previous output is left untouched.

use std::collections::BTreeMap;
use std::path::Path;

use vitrine::diagnostics::{Diagnostic, Diagnostics, Severity};

use crate::site_test::{SiteTest, code, error_at, error_in, read_tree, show};

/// The 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` is not in:\n{text}"))
        + 1
}

/// Names in the folder holding the output: the output and the site only,
/// no staging or backup folder left behind.
fn beside_output(t: &SiteTest) -> Vec<String> {
    let parent = t.out.parent().expect("output parent");
    let mut names: Vec<String> = std::fs::read_dir(parent)
        .expect("read parent")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Builds the good `minimal` site, breaks it with `breaks`, then checks that
/// the library build fails without touching the output, and that the binary
/// exits with 1 without touching it either. Returns the diagnostics.
fn broken(breaks: impl FnOnce(SiteTest) -> SiteTest) -> (SiteTest, Diagnostics) {
    let good = SiteTest::new("minimal").build();
    let before: BTreeMap<String, Vec<u8>> = read_tree(&good.out);
    assert!(before.contains_key("index.html"));
    let t = breaks(good);
    let diagnostics = t.expect_error();
    assert_eq!(read_tree(&t.out), before, "a failed build changed the output");
    assert_eq!(beside_output(&t), ["public", "site"], "staging folders were left");

    let out = t.out.to_string_lossy().into_owned();
    let run = t.cmd(&["build", "--output", &out]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(code(&run), 1, "exit code of a failed build; stderr:\n{stderr}");
    for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        if let Some(file) = &d.file {
            let file = file.to_string_lossy();
            assert!(
                stderr.contains(file.as_ref()),
                "stderr does not name {file}:\n{stderr}"
            );
        }
    }
    assert_eq!(
        read_tree(&t.out),
        before,
        "a failed binary build changed the output"
    );
    assert_eq!(beside_output(&t), ["public", "site"], "staging folders were left");
    (t, diagnostics)
}

const BAD: &str = "content/notes/bad.md";

#[test]
fn yaml_syntax_error_in_front_matter() {
    let (_, d) = broken(|t| t.write(BAD, "---\ntitle: \"Lỗi\"\ndate: [2023\n---\nBody.\n"));
    let e = error_at(&d, BAD, 3);
    // The message must not point at another line than the diagnostic does
    // (the YAML parser counts lines from the first front matter line).
    assert!(!e.message.contains("line 2"), "misleading message: {e}");
}

#[test]
fn unknown_front_matter_field_at_its_line() {
    let (_, d) = broken(|t| {
        t.write(
            BAD,
            "---\ntitle: \"Lỗi\"\ndate: 2024-01-01\ntitel: \"typo\"\n---\nBody.\n",
        )
    });
    let e = error_at(&d, BAD, 4);
    assert!(e.message.contains("titel"), "{e}");
}

#[test]
fn wrong_type_in_front_matter() {
    let (_, d) = broken(|t| t.write(BAD, "---\ntitle: \"Lỗi\"\nweight: \"abc\"\n---\nBody.\n"));
    let e = error_at(&d, BAD, 3);
    assert_eq!(e.location.map(|l| l.column), Some(9), "the value's column: {e}");
    assert!(
        e.message.contains("`weight`") && e.message.contains("whole number"),
        "{e}"
    );
}

#[test]
fn missing_title() {
    let (_, d) = broken(|t| t.write(BAD, "---\ndate: 2024-01-01\n---\nBody.\n"));
    let e = error_in(&d, BAD);
    assert!(e.message.contains("title"), "{e}");
    let line = e.location.map(|l| l.line);
    assert!(matches!(line, Some(1..=3)), "the front matter's lines: {e}");
}

#[test]
fn unknown_language_suffix() {
    let file = "content/notes/bad.xx.md";
    let (_, d) = broken(|t| t.write(file, "---\ntitle: \"Lỗi\"\n---\nBody.\n"));
    let e = error_in(&d, file);
    assert!(e.message.contains("`xx`"), "{e}");
    assert!(e.hint.as_deref().unwrap_or_default().contains("vi, en"), "{e:?}");
}

#[test]
fn broken_internal_link_at_its_line() {
    let text = "---\ntitle: \"Lỗi\"\n---\nFirst paragraph.\n\nSee [nothing](@/notes/nope.md) here.\n";
    let (_, d) = broken(|t| t.write(BAD, text));
    let e = error_at(&d, BAD, line_of(text, "@/notes/nope.md"));
    assert!(e.message.contains("@/notes/nope.md"), "{e}");
}

#[test]
fn fluent_syntax_error_at_its_file_and_line() {
    let file = "locales/en/main.ftl";
    let text = "footer = Test site\nnot-found = Nothing here\nbroken message without equals\nlast = fine\n";
    let (_, d) = broken(|t| t.write(file, text));
    let e = error_at(&d, file, 3);
    assert!(e.message.contains("Fluent"), "{e}");
}

#[test]
fn missing_fluent_message_names_key_language_and_template() {
    let template = "themes/test/templates/page.html";
    let mut line = 0;
    let (_, d) = broken(|t| {
        let text = t.read_source(template).replacen(
            "<h1>{{ page.title }}</h1>",
            "<h1>{{ page.title }} {{ t(key=\"no-such-message\") }}</h1>",
            1,
        );
        line = line_of(&text, "no-such-message");
        t.write(template, &text)
    });
    let errors: Vec<&Diagnostic> = d.iter().filter(|e| e.is_error()).collect();
    assert!(!errors.is_empty());
    for e in &errors {
        assert_eq!(e.file.as_deref(), Some(Path::new(template)), "{}", show(&d));
        assert_eq!(e.location.map(|l| l.line), Some(line), "{e}");
        assert!(e.message.contains("no-such-message"), "{e}");
    }
    for lang in ["`vi`", "`en`"] {
        assert!(
            errors.iter().any(|e| e.message.contains(lang)),
            "no error names {lang}:\n{}",
            show(&d)
        );
    }
}

#[test]
fn template_syntax_error_at_its_file_and_line() {
    let template = "themes/test/templates/page.html";
    let text = "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.title }</h1>\n{% endblock content %}\n";
    let (_, d) = broken(|t| t.write(template, text));
    error_at(&d, template, 3);
}

#[test]
fn unknown_key_in_site_yaml_at_its_line() {
    let mut line = 0;
    let (_, d) = broken(|t| {
        let t = t.replace("site.yaml", "theme: test\n", "theme: test\nsitemapp: true\n");
        line = line_of(&t.read_source("site.yaml"), "sitemapp");
        t
    });
    let e = error_at(&d, "site.yaml", line);
    assert!(e.message.contains("sitemapp"), "{e}");
}

#[test]
fn every_error_is_reported_not_only_the_first() {
    let (_, d) = broken(|t| {
        t.write(BAD, "---\ntitle: \"Lỗi\"\ntitel: \"typo\"\n---\nBody.\n")
            .write(
                "content/notes/other.md",
                "---\ntitle: \"Lỗi\"\nweight: \"abc\"\n---\nBody.\n",
            )
            .write("locales/vi/main.ftl", "footer = ok\nbroken message\n")
    });
    error_at(&d, BAD, 3);
    error_at(&d, "content/notes/other.md", 3);
    error_at(&d, "locales/vi/main.ftl", 2);
}

/// Pages stream to the staging folder as they render: an alias over an
/// existing page is still caught, and nothing of that build is published.
#[test]
fn two_outputs_at_one_path_fail_the_build() {
    let (_, d) = broken(|t| {
        t.write(
            BAD,
            "---\ntitle: \"Trùng\"\naliases: [\"/notes/hello/\"]\n---\nBody.\n",
        )
    });
    let e = d
        .iter()
        .find(|d| d.severity == Severity::Error)
        .expect("an error");
    assert!(
        e.message
            .contains("two outputs are written to `notes/hello/index.html`"),
        "{e}"
    );
}

/// A YAML error in one file must not hide the broken link of a second and
/// the unknown shortcode of a third: one build reports all three, each at
/// its line. A link to the file that failed to load is not reported again.
#[test]
fn errors_of_every_stage_arrive_in_one_run() {
    let link_text = "---\ntitle: \"Liên kết\"\n---\nIntro.\n\nSee [nothing](@/notes/nope.md) and [the bad one](@/notes/bad.md).\n";
    let shortcode_text = "---\ntitle: \"Mã ngắn\"\n---\nIntro.\n\n{{ no_such_shortcode(x=\"1\") }}\n";
    let (_, d) = broken(|t| {
        t.write(BAD, "---\ntitle: \"Lỗi\"\ndate: [2023\n---\nBody.\n")
            .write("content/notes/links.md", link_text)
            .write("content/notes/shortcode.md", shortcode_text)
    });
    error_at(&d, BAD, 3);
    let link = error_at(&d, "content/notes/links.md", 6);
    assert!(link.message.contains("@/notes/nope.md"), "{}", show(&d));
    let shortcode = error_in(&d, "content/notes/shortcode.md");
    assert!(shortcode.message.contains("no_such_shortcode"), "{}", show(&d));
    assert!(
        !d.iter().any(|e| e.message.contains("@/notes/bad.md")),
        "the link to the file with the YAML error is not a second error:\n{}",
        show(&d)
    );
}

/// A template that names an unknown filter is an error at its own file,
/// line and column, printed once: no `-->` nested inside the message.
#[test]
fn a_template_load_error_is_located_once() {
    let template = "themes/test/templates/page.html";
    let mut line = 0;
    let (t, d) = broken(|t| {
        let text = t.read_source(template).replacen(
            "<h1>{{ page.title }}</h1>",
            "<h1>{{ page.title | no_such_filter }}</h1>",
            1,
        );
        line = line_of(&text, "no_such_filter");
        t.write(template, &text)
    });
    let e = error_at(&d, template, line);
    assert!(e.message.contains("no_such_filter"), "{e}");
    assert!(
        !e.message.contains("-->"),
        "the location is nested in the message: {e}"
    );
    let out = t.out.to_string_lossy().into_owned();
    let run = t.cmd(&["build", "--output", &out]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(stderr.matches("-->").count(), 1, "one location arrow:\n{stderr}");
    assert!(stderr.contains(&format!("--> {template}:{line}:")), "{stderr}");
}
