//! Search's word forms: the stemmer the search page runs (the JavaScript
//! `search/<lang>/stem.js`) gives the stems the index was built with
//! (`rust-stemmers`), word for word, on thousands of words per language
//! (`tests/fixtures/stem-words/`), in the form both sides stem
//! (`stem::light` of the exact form).

use std::path::Path;
use std::process::Command;

use vitrine::search::normalize;
use vitrine::search::stem::{LANGUAGES, WordForms, light};

/// Stems each line of `words` with the ES module `script` in Node.
fn node_stems(script: &str, words: &[String]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("stem.mjs"), script).expect("write");
    std::fs::write(dir.path().join("words.txt"), words.join("\n")).expect("write");
    let program = "import { readFileSync } from 'node:fs'; \
        const { stemmer } = await import('./stem.mjs'); \
        const words = readFileSync('words.txt', 'utf8').split('\\n'); \
        process.stdout.write(words.map(stemmer).join('\\n'));";
    let output = Command::new("node")
        .args(["--input-type=module", "-e", program])
        .current_dir(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("`node` could not run ({e}): run `tools/test`, which installs Node.js"));
    assert!(
        output.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .split('\n')
        .map(str::to_string)
        .collect()
}

#[test]
fn the_search_page_stems_words_as_the_index_does() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stem-words");
    for lang in LANGUAGES {
        let text = std::fs::read_to_string(fixtures.join(format!("{lang}.txt"))).expect("word list");
        let words: Vec<String> = text
            .lines()
            .map(|w| light(&normalize::exact(w)))
            .filter(|w| !w.is_empty())
            .collect();
        assert!(words.len() > 4000, "{lang}: {} words", words.len());
        let forms = WordForms::of(lang).expect("a stemmer");
        let script = node_stems(forms.script, &words);
        assert_eq!(script.len(), words.len(), "{lang}");
        let differ: Vec<String> = words
            .iter()
            .zip(&script)
            .filter(|(word, js)| forms.stem(word) != js.as_str())
            .map(|(word, js)| format!("{word}: index {} / page {js}", forms.stem(word)))
            .collect();
        assert!(
            differ.is_empty(),
            "{lang}: {} of {} words stem differently, e.g. {:?}",
            differ.len(),
            words.len(),
            &differ[..differ.len().min(10)]
        );
        // The stemmer does something: most words of a vocabulary are
        // inflected or derived.
        let changed = words.iter().filter(|w| forms.stem(w) != w.as_str()).count();
        assert!(changed * 3 > words.len(), "{lang}: only {changed} words stemmed");
    }
}
