//! The Fluent lint: each language's messages and terms against the source
//! language's (the site's default): missing and unused messages, terms and
//! attributes, variables the translation lacks or misspells, plural
//! selectors without the CLDR categories the language needs, references to
//! messages or terms that do not exist, syntax errors, and messages no
//! template uses. Findings are diagnostics at the definition's line.

use std::collections::BTreeSet;
use std::path::Path;

use icu::locale::Locale as IcuLocale;
use icu::plurals::{PluralCategory, PluralRules};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::translation::ftl::{Definition, Locale, at};
use crate::translation::usage::TemplateUsage;

/// Lints every language's Fluent files of the site and its theme.
pub fn lint(config: &Config) -> Diagnostics {
    let theme_dir = config.theme_dir();
    let mut out = Diagnostics::new();
    let source_lang = config.default_language.as_str();
    let source = Locale::load(&config.root, &theme_dir, source_lang);
    let usage = TemplateUsage::scan(&theme_dir, config);
    for lang in &config.languages {
        let locale = if lang.code == source_lang {
            None
        } else {
            Some(Locale::load(&config.root, &theme_dir, &lang.code))
        };
        let locale_ref = locale.as_ref().unwrap_or(&source);
        out.extend(locale_ref.syntax_errors.iter().cloned());
        check_references(locale_ref, &lang.code, &mut out);
        check_plurals(locale_ref, &lang.code, &mut out);
        if let Some(translation) = &locale {
            compare(&source, translation, source_lang, &lang.code, &mut out);
        }
    }
    for (id, def) in &source.definitions {
        if !id.starts_with('-') && !usage.uses(id) && !referenced(&source, id) {
            out.push(at(
                &def.file,
                def.line,
                Diagnostic::warning(format!("Fluent message `{id}` is not used by any template"))
                    .with_hint("remove it, or use it with {{ t(key=\"…\") }} in a template"),
            ));
        }
    }
    for (id, def) in source.definitions.iter().filter(|(id, _)| id.starts_with('-')) {
        if !referenced(&source, id) {
            out.push(at(
                &def.file,
                def.line,
                Diagnostic::warning(format!("Fluent term `{id}` is not used by any message")).with_hint(
                    "terms are only reachable from messages: reference it as { -name } or remove it",
                ),
            ));
        }
    }
    out.sort();
    out
}

fn referenced(locale: &Locale, id: &str) -> bool {
    locale.definitions.values().any(|d| d.references.contains(id))
}

fn kind(id: &str) -> &'static str {
    if id.starts_with('-') { "term" } else { "message" }
}

/// What the translation lacks or adds compared to the source.
fn compare(source: &Locale, translation: &Locale, source_lang: &str, lang: &str, out: &mut Diagnostics) {
    for (id, src) in &source.definitions {
        let Some(tr) = translation.definitions.get(id) else {
            out.push(at(
                &src.file,
                src.line,
                Diagnostic::warning(format!("Fluent {} `{id}` is not translated to `{lang}`", kind(id)))
                    .with_hint(format!(
                        "add `{id} = …` to locales/{lang}/; until then `{lang}` readers see the fallback language's text"
                    )),
            ));
            continue;
        };
        compare_definition(id, src, tr, lang, out);
    }
    for (id, tr) in &translation.definitions {
        if !source.definitions.contains_key(id) {
            out.push(at(
                &tr.file,
                tr.line,
                Diagnostic::warning(format!(
                    "Fluent {} `{id}` exists in `{lang}` but not in the source language `{source_lang}`",
                    kind(id)
                ))
                .with_hint(format!(
                    "it is never used: remove it, or check its spelling against locales/{source_lang}/"
                )),
            ));
        }
    }
}

fn compare_definition(id: &str, src: &Definition, tr: &Definition, lang: &str, out: &mut Diagnostics) {
    if src.has_value && !tr.has_value {
        out.push(at(
            &tr.file,
            tr.line,
            Diagnostic::warning(format!("Fluent {} `{id}` has no value in `{lang}`", kind(id)))
                .with_hint("the source language gives it a value; add one after `=`"),
        ));
    }
    for (attr, _) in src
        .attributes
        .iter()
        .filter(|(a, _)| !tr.attributes.contains_key(*a))
    {
        out.push(at(
            &tr.file,
            tr.line,
            Diagnostic::warning(format!("attribute `{id}.{attr}` is missing in `{lang}`"))
                .with_hint(format!("add an indented `.{attr} = …` line under `{id}`")),
        ));
    }
    for (attr, line) in tr
        .attributes
        .iter()
        .filter(|(a, _)| !src.attributes.contains_key(*a))
    {
        out.push(at(
            &tr.file,
            *line,
            Diagnostic::warning(format!(
                "attribute `{id}.{attr}` exists in `{lang}` but not in the source language"
            ))
            .with_hint("it is never used: remove it or fix its name"),
        ));
    }
    for var in src.variables.difference(&tr.variables) {
        out.push(at(
            &tr.file,
            tr.line,
            Diagnostic::warning(format!("`{id}` in `{lang}` does not use the variable `${var}`")).with_hint(
                format!("the source shows `{{ ${var} }}`; readers of `{lang}` will not see it"),
            ),
        ));
    }
    for var in tr.variables.difference(&src.variables) {
        let hint = match closest(var, &src.variables) {
            Some(known) => format!("did you mean `${known}`? Templates pass only the source's variables"),
            None => "templates pass only the variables the source language uses".to_string(),
        };
        out.push(at(
            &tr.file,
            tr.line,
            Diagnostic::error(format!("`{id}` in `{lang}` uses the unknown variable `${var}`"))
                .with_hint(hint),
        ));
    }
}

fn closest<'a>(name: &str, known: &'a BTreeSet<String>) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(name, k), k.as_str()))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, k)| k)
}

/// References to messages or terms that the language does not define fail
/// at run time: catch them before a reader does.
fn check_references(locale: &Locale, lang: &str, out: &mut Diagnostics) {
    for (id, def) in &locale.definitions {
        for target in def
            .references
            .iter()
            .filter(|r| !locale.definitions.contains_key(*r))
        {
            out.push(at(
                &def.file,
                def.line,
                Diagnostic::error(format!(
                    "`{id}` in `{lang}` references the {} `{target}`, which is not defined",
                    kind(target)
                ))
                .with_hint(format!(
                    "define `{target} = …` in locales/{lang}/ or fix the reference"
                )),
            ));
        }
    }
}

/// Selectors on numbers need a variant for each CLDR plural category of the
/// language (`few` and `many` in Russian, all six in Arabic).
fn check_plurals(locale: &Locale, lang: &str, out: &mut Diagnostics) {
    let needed = plural_categories(lang);
    for (id, def) in &locale.definitions {
        for select in &def.selects {
            let is_plural = select
                .keys
                .iter()
                .any(|k| PluralCategory::get_for_cldr_string(k).is_some());
            if !is_plural {
                continue;
            }
            let missing: Vec<&str> = needed
                .iter()
                .copied()
                .filter(|c| !select.keys.contains(*c))
                .collect();
            if !missing.is_empty() {
                out.push(at(
                    &def.file,
                    select.line,
                    Diagnostic::warning(format!(
                        "`{id}` in `{lang}` has no variant for the plural categories {}",
                        missing
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .with_hint(format!(
                        "`{lang}` uses the CLDR categories {}; add `[{}] …` variants",
                        needed.join(", "),
                        missing.join("] …, [")
                    )),
                ));
            }
        }
    }
}

/// The CLDR cardinal plural categories of a language that readers can
/// meet, by name: ICU4X's categories, less those that Fluent's own plural
/// rules (which pick the variant at build time, from an older CLDR) never
/// select, so the lint never asks for a variant no reader would see.
pub fn plural_categories(lang: &str) -> Vec<&'static str> {
    let Ok(locale) = lang.parse::<IcuLocale>() else {
        return vec!["other"];
    };
    let Ok(rules) = PluralRules::try_new_cardinal((&locale).into()) else {
        return vec!["other"];
    };
    let selected = runtime_categories(lang);
    rules
        .categories()
        .map(category_name)
        .filter(|c| selected.as_ref().is_none_or(|s| s.contains(c)))
        .collect()
}

/// The categories Fluent's runtime picks for integers up to 1000, a
/// million and a few decimals (every category shows up among these), or
/// `None` when it does not know the language.
fn runtime_categories(lang: &str) -> Option<BTreeSet<&'static str>> {
    use intl_pluralrules::{PluralCategory as Runtime, PluralRuleType};
    let langid: unic_langid::LanguageIdentifier = lang.parse().ok()?;
    let rules = intl_pluralrules::PluralRules::create(langid, PluralRuleType::CARDINAL).ok()?;
    let integers = (0..=1000u32).chain([1_000_000]).map(|n| rules.select(n));
    let decimals = ["0.5", "1.5", "2.5", "1.0"].into_iter().map(|n| rules.select(n));
    Some(
        integers
            .chain(decimals)
            .filter_map(Result::ok)
            .map(|c| match c {
                Runtime::ZERO => "zero",
                Runtime::ONE => "one",
                Runtime::TWO => "two",
                Runtime::FEW => "few",
                Runtime::MANY => "many",
                Runtime::OTHER => "other",
            })
            .collect(),
    )
}

fn category_name(category: PluralCategory) -> &'static str {
    match category {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

/// Lints a site folder's Fluent files (for `vitrine i18n status`).
pub fn lint_site(root: &Path) -> Result<Diagnostics, Diagnostics> {
    Ok(lint(&Config::load(root)?))
}

#[cfg(test)]
mod tests {
    use super::plural_categories;

    #[test]
    fn plural_categories_follow_cldr() {
        assert_eq!(
            plural_categories("ar"),
            ["zero", "one", "two", "few", "many", "other"]
        );
        assert_eq!(plural_categories("ru"), ["one", "few", "many", "other"]);
        assert_eq!(plural_categories("en"), ["one", "other"]);
        assert_eq!(plural_categories("ja"), ["other"]);
        // ICU4X's newer CLDR gives Vietnamese a `one` that Fluent never picks.
        assert_eq!(plural_categories("vi"), ["other"]);
        assert_eq!(plural_categories("zh-Hans"), ["other"]);
    }
}
