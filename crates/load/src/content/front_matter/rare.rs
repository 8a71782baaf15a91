//! The front matter fields few pages write (aliases, corrections, change
//! notes, withheld languages, source, translation, content type, …):
//! boxed, and held only by a page that writes one, since every document
//! keeps its front matter for the whole build.

use std::collections::BTreeMap;

use super::{Change, Correction, SortBy, SourceRecord, TranslationInfo};

/// The rare fields of a [`FrontMatter`](super::FrontMatter), boxed: equal
/// when they read the same, whether or not a box is held.
#[derive(Debug, Clone, Default)]
pub(super) struct Rare(Option<Box<RareFields>>);

/// Kept (by the build cache) as JSON text, or nothing: `extra:` and
/// typed fields hold free-form values, which only a self-describing
/// format reads back, and the common fields then take a compact one.
impl serde::Serialize for Rare {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = match &self.0 {
            Some(fields) => Some(serde_json::to_string(fields).map_err(serde::ser::Error::custom)?),
            None => None,
        };
        text.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Rare {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Option::<String>::deserialize(deserializer)? {
            Some(text) => serde_json::from_str(&text)
                .map(Rare::new)
                .map_err(serde::de::Error::custom),
            None => Ok(Rare(None)),
        }
    }
}

impl PartialEq for Rare {
    fn eq(&self, other: &Rare) -> bool {
        self.fields() == other.fields()
    }
}

impl Rare {
    /// Holds `fields`, or nothing when they are all defaults.
    pub(super) fn new(fields: RareFields) -> Rare {
        Rare((fields != *NO_RARE_FIELDS).then(|| Box::new(fields)))
    }

    pub(super) fn fields(&self) -> &RareFields {
        self.0.as_deref().unwrap_or(&NO_RARE_FIELDS)
    }

    pub(super) fn fields_mut(&mut self) -> &mut RareFields {
        self.0.get_or_insert_with(Box::default)
    }
}

/// The front matter fields few pages write ([`FrontMatter::rare`](super::FrontMatter::rare)).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RareFields {
    pub aliases: Vec<String>,
    pub template: Option<String>,
    pub translation_key: Option<String>,
    /// `extra:` as written; an empty map when absent.
    pub extra: serde_json::Value,
    pub corrections: Vec<Correction>,
    /// Public change notes, newest first.
    pub changes: Vec<Change>,
    /// Languages this page (or, for a section, everything below it) is not
    /// published in: no fallback copy, nothing points there.
    pub withheld: Vec<String>,
    pub translation: Option<TranslationInfo>,
    pub source_hash: Option<String>,
    /// The language a page was written in, when it is not the default one
    /// (the default language's file is then a translation too).
    pub source_language: Option<String>,
    /// What an imported page came from.
    pub source: Option<SourceRecord>,
    pub content_type: Option<String>,
    /// The checked values of the content type's fields (`page.fields`).
    pub fields: BTreeMap<String, serde_json::Value>,
    pub sort_by: SortBy,
    pub paginate_by: Option<usize>,
    pub transparent: bool,
    /// A term's landing page: the pages it shows first, as `@/` links, in
    /// the editor's order.
    pub featured: Vec<String>,
    /// Where each of `featured` is written (none when the key could not be
    /// found), for the model's errors about them.
    #[serde(default)]
    pub featured_at: Vec<vitrine_core::diagnostics::Location>,
    /// A term's former keys: front matter naming one still finds the term.
    pub renamed_from: Vec<String>,
}

impl Default for RareFields {
    fn default() -> Self {
        RareFields {
            aliases: Vec::new(),
            template: None,
            translation_key: None,
            extra: serde_json::Value::Object(Default::default()),
            corrections: Vec::new(),
            changes: Vec::new(),
            withheld: Vec::new(),
            translation: None,
            source_hash: None,
            source_language: None,
            source: None,
            content_type: None,
            fields: BTreeMap::new(),
            sort_by: SortBy::default(),
            paginate_by: None,
            transparent: false,
            featured: Vec::new(),
            featured_at: Vec::new(),
            renamed_from: Vec::new(),
        }
    }
}

/// What [`FrontMatter::rare`](super::FrontMatter::rare) reads when a page
/// writes none of them.
static NO_RARE_FIELDS: std::sync::LazyLock<RareFields> = std::sync::LazyLock::new(RareFields::default);

#[cfg(test)]
mod tests {
    use super::super::{FrontMatter, parse, split};
    use super::*;
    use crate::config::Config;

    fn parsed(dir: &std::path::Path, text: &str) -> FrontMatter {
        std::fs::write(
            dir.join("site.yaml"),
            "title: T\nbase_url: https://x.org/\ndefault_language: vi\nlanguages:\n  - code: vi\n    name: V\n  - code: en\n    name: E\n",
        )
        .expect("site.yaml");
        let config = Config::load(dir).expect("config");
        parse(&split(text).expect("split"), &config, "content/a.md").expect("front matter")
    }

    /// Most pages write none of the rare fields: they hold no box for them
    /// and read the defaults, the same as a page that wrote defaults.
    #[test]
    fn rare_fields_are_held_only_when_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let plain = parsed(dir.path(), "---\ntitle: A\ndate: 2025-09-02\n---\n");
        assert!(plain.rare.0.is_none());
        assert_eq!(plain.rare().extra, serde_json::json!({}));
        assert!(plain.rare().aliases.is_empty() && plain.rare().source.is_none());
        let written_defaults = parsed(
            dir.path(),
            "---\ntitle: A\ndate: 2025-09-02\nextra: {}\naliases: []\n---\n",
        );
        assert!(written_defaults.rare.0.is_none());
        assert_eq!(plain, written_defaults);

        let rare = parsed(
            dir.path(),
            "---\ntitle: A\naliases: [/old/]\nwithheld: [en]\nextra: {x: 1}\n---\n",
        );
        assert!(rare.rare.0.is_some());
        assert_eq!(rare.rare().aliases, ["/old/"]);
        assert_eq!(rare.rare().withheld, ["en"]);
        assert_eq!(rare.rare().extra, serde_json::json!({"x": 1}));
        assert_ne!(plain, rare);

        // Emptied again, a page equals one that never wrote them.
        let mut emptied = rare.clone();
        emptied.set_rare(RareFields::default());
        assert!(emptied.rare.0.is_none());
        let mut cleared = rare;
        let fields = cleared.rare_mut();
        fields.aliases.clear();
        fields.withheld.clear();
        fields.extra = serde_json::json!({});
        assert!(cleared.rare.0.is_some());
        assert_eq!(cleared, emptied);
    }
}
