//! Search-engine and social metadata: Open Graph locales and JSON-LD.

use icu::locale::{LanguageIdentifier, LocaleExpander};
use serde_json::json;

/// An Open Graph locale (`vi_VN`, `zh_CN`, `ar_EG`) from a BCP 47 code,
/// completed with CLDR likely subtags when the code names no region.
pub fn og_locale(code: &str) -> String {
    let Ok(mut id) = code.parse::<LanguageIdentifier>() else {
        return code.replace('-', "_");
    };
    if id.region.is_none() {
        LocaleExpander::new_common().maximize(&mut id);
    }
    match id.region {
        Some(region) => format!("{}_{}", id.language, region),
        None => id.language.to_string(),
    }
}

/// What JSON-LD describes for one rendered page.
pub struct LinkedData<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub url: &'a str,
    pub lang: &'a str,
    pub site_title: &'a str,
    pub site_url: &'a str,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub image: Option<&'a str>,
    pub author: Option<&'a str>,
    /// The original an imported page was made from (`isBasedOn`).
    pub based_on: Option<&'a str>,
}

/// Schema.org JSON-LD, safe to place inside a `<script>` element.
pub fn json_ld(d: &LinkedData<'_>) -> String {
    let publisher = json!({ "@type": "Organization", "name": d.site_title, "url": d.site_url });
    let mut value = match d.kind {
        "home" => json!({
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": d.title,
            "url": d.url,
            "inLanguage": d.lang,
            "publisher": publisher,
        }),
        "page" => json!({
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": d.title,
            "description": d.description,
            "url": d.url,
            "mainEntityOfPage": d.url,
            "inLanguage": d.lang,
            "publisher": publisher,
            "isPartOf": { "@type": "WebSite", "name": d.site_title, "url": d.site_url },
        }),
        _ => json!({
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": d.title,
            "description": d.description,
            "url": d.url,
            "inLanguage": d.lang,
            "isPartOf": { "@type": "WebSite", "name": d.site_title, "url": d.site_url },
        }),
    };
    if let Some(map) = value.as_object_mut() {
        if let Some(date) = &d.date {
            map.insert("datePublished".into(), json!(date));
        }
        if let Some(date) = d.updated.as_ref().or(d.date.as_ref()) {
            map.insert("dateModified".into(), json!(date));
        }
        if let Some(image) = d.image {
            map.insert("image".into(), json!(image));
        }
        if let Some(author) = d.author {
            map.insert("author".into(), json!({ "@type": "Person", "name": author }));
        }
        if let Some(original) = d.based_on {
            map.insert("isBasedOn".into(), json!(original));
        }
    }
    // `</script>` inside a string must not end the element.
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn og_locales_get_a_region() {
        assert_eq!(og_locale("vi"), "vi_VN");
        assert_eq!(og_locale("en"), "en_US");
        assert_eq!(og_locale("pt-BR"), "pt_BR");
    }

    #[test]
    fn json_ld_cannot_close_its_script() {
        let d = LinkedData {
            kind: "page",
            title: "</script><b>",
            description: "",
            url: "https://x.org/a/",
            lang: "en",
            site_title: "X",
            site_url: "https://x.org/",
            date: None,
            updated: None,
            image: None,
            author: None,
            based_on: Some("https://agency.example/a?x=</script>"),
        };
        assert!(!json_ld(&d).contains("</script>"));
    }
}
