//! `SiteTest`: a small chainable helper in the spirit of mdBook's `BookTest`.
//!
//! `SiteTest::new("case")` copies the shared test theme `tests/fixtures/_theme`
//! to `themes/test/` and then `tests/fixtures/<case>/` over it into a fresh
//! temporary folder, so a case may override any theme file. Files can then be
//! written or edited, the site built with the library API into `<tmp>/public`,
//! and the real output files read and asserted on. `SiteTest::portal()` is
//! a copy of the sample portal at the repository root instead, and
//! `SiteTest::init()` a site made by `vitrine init`: every test works on a
//! copy, so none can change the repository or another test's site.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;
use vitrine::build::{BuildOptions, BuildReport, build};
use vitrine::diagnostics::{Diagnostic, Diagnostics, Severity};

/// The folder holding every fixture.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
}

pub struct SiteTest {
    /// Kept so the folder lives as long as the test.
    _dir: TempDir,
    /// The site folder (holding site.yaml).
    pub root: PathBuf,
    /// The output folder of `build`: `<tmp>/public`.
    pub out: PathBuf,
    pub options: BuildOptions,
}

/// The repository root, where the sample portal lives.
fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

impl SiteTest {
    /// A copy of the fixture `case` with the shared theme under `themes/test/`.
    pub fn new(case: &str) -> SiteTest {
        let t = SiteTest::temp(case);
        copy_dir(
            &fixtures_dir().join("_theme"),
            &t.root.join("themes").join("test"),
        );
        let case_dir = fixtures_dir().join(case);
        assert!(case_dir.is_dir(), "no fixture at {}", case_dir.display());
        copy_dir(&case_dir, &t.root);
        t
    }

    /// A copy of the sample portal at the repository root: its content,
    /// messages, data, static files, default theme and site.yaml.
    pub fn portal() -> SiteTest {
        let t = SiteTest::temp("portal");
        for folder in ["content", "locales", "data", "static", "themes/default"] {
            copy_dir(&repo().join(folder), &t.root.join(folder));
        }
        std::fs::copy(repo().join("site.yaml"), t.root.join("site.yaml")).expect("copy site.yaml");
        t
    }

    /// A site made by `vitrine init`, as a newcomer starts one.
    pub fn init() -> SiteTest {
        let t = SiteTest::temp("init");
        let root = t.root.to_str().expect("a UTF-8 path");
        let run = vitrine_cmd(&["init", root], t.root.parent().expect("the temporary folder"));
        assert_eq!(code(&run), 0, "{}", String::from_utf8_lossy(&run.stderr));
        t
    }

    /// A site folder that does not exist yet, for a test that makes the
    /// site itself (as a generator or a tool would).
    pub fn empty() -> SiteTest {
        SiteTest::temp("site")
    }

    /// A site of `articles` articles per language made by the benchmark
    /// corpus generator (tests/browser/corpus, a copy of the shared one),
    /// with the corpus's own minimal theme.
    pub fn corpus(articles: usize) -> SiteTest {
        let site = SiteTest::empty();
        let status = Command::new("python3")
            .arg(repo().join("tests/browser/corpus/gen_corpus.py"))
            .args([
                "--articles",
                &articles.to_string(),
                "--layout",
                "vitrine",
                "--force",
                "--out",
            ])
            .arg(&site.root)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("run python3");
        assert!(status.success(), "the corpus generator failed");
        site
    }

    /// A temporary folder where the site folder (`site/`, not created) and
    /// the output folder (`public/`) go.
    fn temp(name: &str) -> SiteTest {
        let dir = tempfile::Builder::new()
            .prefix(&format!("vitrine-{name}-"))
            .tempdir()
            .expect("create a temporary folder");
        let root = dir.path().join("site");
        let out = dir.path().join("public");
        let options = BuildOptions {
            root: root.clone(),
            output: Some(out.clone()),
            ..BuildOptions::default()
        };
        SiteTest {
            _dir: dir,
            root,
            out,
            options,
        }
    }

    /// Adds the repository's default theme and the sample portal's messages
    /// (`locales/`), which the default theme's strings come from; site.yaml
    /// still names the theme the site uses.
    pub fn default_theme(self) -> SiteTest {
        copy_dir(&repo().join("themes/default"), &self.root.join("themes/default"));
        copy_dir(&repo().join("locales"), &self.root.join("locales"));
        self
    }

    /// Writes (or overwrites) a file of the site, creating its folders.
    pub fn write(self, path: &str, contents: &str) -> SiteTest {
        self.write_bytes(path, contents)
    }

    /// Writes a binary file (an image) of the site, creating its folders.
    pub fn write_bytes(self, path: &str, contents: impl AsRef<[u8]>) -> SiteTest {
        let file = self.root.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).expect("create folders");
        }
        std::fs::write(&file, contents).unwrap_or_else(|e| panic!("write {path}: {e}"));
        self
    }

    /// Rewrites site.yaml with `edit`.
    pub fn edit_config(self, edit: impl FnOnce(String) -> String) -> SiteTest {
        let yaml = edit(self.read_source("site.yaml"));
        self.write("site.yaml", &yaml)
    }

    /// Changes the options `build` and the library-API tests use.
    pub fn with_options(mut self, change: impl FnOnce(&mut BuildOptions)) -> SiteTest {
        change(&mut self.options);
        self
    }

    /// Replaces `from` with `to` in a site file; `from` must be there, so a
    /// fixture that drifts makes the test fail instead of testing nothing.
    pub fn replace(self, path: &str, from: &str, to: &str) -> SiteTest {
        let text = self.read_source(path);
        assert!(text.contains(from), "`{from}` is not in {path}:\n{text}");
        let changed = text.replacen(from, to, 1);
        self.write(path, &changed)
    }

    pub fn drafts(mut self) -> SiteTest {
        self.options.drafts = true;
        self
    }

    pub fn future(mut self) -> SiteTest {
        self.options.future = true;
        self
    }

    /// Builds into `self.out` with the library API; panics with every
    /// diagnostic if the build fails.
    pub fn build(self) -> SiteTest {
        self.rebuild();
        self
    }

    /// Builds into another folder beside `public/` (the same input).
    pub fn build_into(&self, name: &str) -> PathBuf {
        let out = self.out.with_file_name(name);
        let options = BuildOptions {
            output: Some(out.clone()),
            ..self.options.clone()
        };
        build(&options).unwrap_or_else(|d| panic!("the build failed:\n{}", show(&d)));
        out
    }

    /// Builds (again) into `self.out` and returns the report; panics with
    /// every diagnostic if the build fails.
    pub fn rebuild(&self) -> BuildReport {
        self.try_build()
            .unwrap_or_else(|d| panic!("the build failed:\n{}", show(&d)))
    }

    pub fn try_build(&self) -> Result<BuildReport, Diagnostics> {
        build(&self.options)
    }

    /// Builds and expects failure; returns the diagnostics, which must
    /// hold at least one error.
    pub fn expect_error(&self) -> Diagnostics {
        match self.try_build() {
            Ok(_) => panic!("the build succeeded, but an error was expected"),
            Err(d) => {
                assert!(d.has_errors(), "the build failed without an error:\n{}", show(&d));
                d
            }
        }
    }

    /// Reads a source file of the site.
    pub fn read_source(&self, path: &str) -> String {
        std::fs::read_to_string(self.root.join(path)).unwrap_or_else(|e| panic!("read {path}: {e}"))
    }

    /// Reads an output file (relative to the output folder).
    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.out.join(path))
            .unwrap_or_else(|e| panic!("read output {path}: {e}\noutput files:\n{}", self.listing()))
    }

    pub fn read_bytes(&self, path: &str) -> Vec<u8> {
        std::fs::read(self.out.join(path)).unwrap_or_else(|e| panic!("read output {path}: {e}"))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.out.join(path).is_file()
    }

    pub fn assert_exists(&self, path: &str) -> &SiteTest {
        assert!(
            self.exists(path),
            "{path} is not in the output; it holds:\n{}",
            self.listing()
        );
        self
    }

    pub fn assert_missing(&self, path: &str) -> &SiteTest {
        assert!(!self.exists(path), "{path} should not be in the output");
        self
    }

    pub fn assert_file_contains(&self, path: &str, needle: &str) -> &SiteTest {
        let text = self.read(path);
        assert!(
            text.contains(needle),
            "{path} does not contain\n  {needle}\nit holds:\n{text}"
        );
        self
    }

    pub fn assert_file_not_contains(&self, path: &str, needle: &str) -> &SiteTest {
        let text = self.read(path);
        assert!(
            !text.contains(needle),
            "{path} should not contain\n  {needle}\nit holds:\n{text}"
        );
        self
    }

    /// Every HTML page of the output, as (path relative to the output, text).
    pub fn html_pages(&self) -> Vec<(String, String)> {
        walkdir::WalkDir::new(&self.out)
            .into_iter()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(&self.out)
                    .expect("inside the output")
                    .to_string_lossy()
                    .replace('\\', "/");
                (rel, std::fs::read_to_string(e.path()).expect("read page"))
            })
            .collect()
    }

    /// Every output file path, sorted, one a line (for failure messages).
    pub fn listing(&self) -> String {
        read_tree(&self.out).into_keys().collect::<Vec<_>>().join("\n")
    }

    /// The vitrine binary, run in the site folder.
    pub fn cmd(&self, args: &[&str]) -> Output {
        vitrine_cmd(args, &self.root)
    }
}

/// Runs the vitrine binary with `args` in `dir`, without colours.
pub fn vitrine_cmd(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run the vitrine binary")
}

/// The exit code of a finished process (it must not have been killed).
pub fn code(output: &Output) -> i32 {
    output.status.code().expect("the process exited normally")
}

/// Every file below `dir` (relative `/`-separated path → bytes).
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("below the folder")
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                files.insert(rel, std::fs::read(&path).expect("read output file"));
            }
        }
    }
    files
}

/// Every diagnostic on its own line, for failure messages.
pub fn show(diagnostics: &Diagnostics) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The error of `diagnostics` reported in `file`; there must be exactly one
/// error there (one mistake, one error), and it must be an error.
pub fn error_in<'a>(diagnostics: &'a Diagnostics, file: &str) -> &'a Diagnostic {
    let in_file: Vec<&Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && d.file.as_deref() == Some(Path::new(file)))
        .collect();
    assert_eq!(
        in_file.len(),
        1,
        "expected one error in {file}, got:\n{}",
        show(diagnostics)
    );
    in_file[0]
}

/// Asserts that the error in `file` is at `line` and returns it.
pub fn error_at<'a>(diagnostics: &'a Diagnostics, file: &str, line: usize) -> &'a Diagnostic {
    let d = error_in(diagnostics, file);
    let at = d.location.unwrap_or_else(|| panic!("the error has no line: {d}"));
    assert_eq!(at.line, line, "wrong line for: {d}");
    d
}

/// Copies the folder `from` into `to` (created if needed), recursively.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("create {}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display())) {
        let entry = entry.expect("folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}
