//! The Content-Security-Policy a site is published with: one owner for the
//! policy text, given to the theme as a `<meta>` (for hosts that cannot send
//! headers) and to the header rules of `output::header_rules`, which both
//! `_headers` (Netlify, Cloudflare Pages) and `vitrine deploy` read.
//!
//! The default policy is strict: no inline script or style, no plugins, no
//! framing. The default theme is written to run under it; a site whose
//! theme needs more sets `security: { csp: "…" }` in site.yaml (an empty
//! string turns the policy off). This module does not check that a theme
//! obeys the policy — the browser test does.

/// What the default theme runs under.
pub const STRICT_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
img-src 'self' https: data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/// Directives browsers ignore (and complain about) in a `<meta>` policy.
const HEADER_ONLY: [&str; 4] = ["frame-ancestors", "report-uri", "report-to", "sandbox"];

/// A site's Content-Security-Policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentSecurityPolicy {
    policy: String,
}

impl Default for ContentSecurityPolicy {
    fn default() -> Self {
        ContentSecurityPolicy::new(STRICT_CSP)
    }
}

impl ContentSecurityPolicy {
    /// A policy from its text; whitespace and empty directives are tidied.
    pub fn new(policy: &str) -> ContentSecurityPolicy {
        let directives: Vec<String> = policy
            .split(';')
            .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|d| !d.is_empty())
            .collect();
        ContentSecurityPolicy {
            policy: directives.join("; "),
        }
    }

    /// The policy with `origin` allowed to run scripts and receive their
    /// requests (`script-src`, `connect-src`): the site's analytics
    /// provider. A directive the policy lacks is added from `default-src`.
    pub fn allowing(&self, origin: &str) -> ContentSecurityPolicy {
        if !self.is_enabled() {
            return self.clone();
        }
        let directives: Vec<&str> = self.policy.split("; ").collect();
        let default = directives
            .iter()
            .find_map(|d| d.strip_prefix("default-src "))
            .unwrap_or("'self'");
        let mut out: Vec<String> = directives.iter().map(|d| d.to_string()).collect();
        for name in ["script-src", "connect-src"] {
            match out.iter_mut().find(|d| d.split(' ').next() == Some(name)) {
                Some(d) if !d.split(' ').any(|s| s == origin) => *d = format!("{d} {origin}"),
                Some(_) => {}
                None => out.push(format!("{name} {default} {origin}")),
            }
        }
        ContentSecurityPolicy::new(&out.join("; "))
    }

    /// False when the site turned the policy off (`csp: ""`).
    pub fn is_enabled(&self) -> bool {
        !self.policy.is_empty()
    }

    /// The policy as the `Content-Security-Policy` header sends it.
    pub fn header_value(&self) -> &str {
        &self.policy
    }

    /// The policy for `<meta http-equiv="Content-Security-Policy">`:
    /// without `frame-ancestors`, `report-uri`, `report-to` and `sandbox`,
    /// which browsers ignore there (only the header stops framing).
    pub fn meta_value(&self) -> String {
        self.policy
            .split("; ")
            .filter(|d| {
                let name = d.split(' ').next().unwrap_or_default().to_ascii_lowercase();
                !HEADER_ONLY.contains(&name.as_str())
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Checks the text of a policy from `site.yaml`: directive names only
    /// (a newline or quote there would break the header file).
    pub fn check(policy: &str) -> Result<(), String> {
        if let Some(c) = policy
            .chars()
            .find(|c| c.is_control() || matches!(c, '"' | '<' | '>' | ','))
        {
            return Err(format!("the policy contains {c:?}, which no directive uses"));
        }
        for directive in policy.split(';').map(str::trim).filter(|d| !d.is_empty()) {
            let name = directive.split_whitespace().next().unwrap_or_default();
            if !name.chars().all(|c| c.is_ascii_alphabetic() || c == '-') {
                return Err(format!("`{name}` is not a directive name"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meta_policy_leaves_out_what_meta_cannot_carry() {
        let p = ContentSecurityPolicy::default();
        assert!(p.header_value().ends_with("frame-ancestors 'none'"));
        assert!(!p.meta_value().contains("frame-ancestors"));
        assert!(
            p.meta_value()
                .starts_with("default-src 'self'; script-src 'self'")
        );
    }

    #[test]
    fn an_analytics_origin_is_allowed_to_run_and_send() {
        let p = ContentSecurityPolicy::default().allowing("https://stats.example.org");
        assert!(
            p.header_value()
                .contains("script-src 'self' https://stats.example.org")
        );
        assert!(
            p.header_value()
                .contains("connect-src 'self' https://stats.example.org")
        );
        assert_eq!(p.allowing("https://stats.example.org"), p);
        assert!(
            !ContentSecurityPolicy::new("")
                .allowing("https://x.org")
                .is_enabled()
        );
    }

    #[test]
    fn policies_are_tidied_and_checked() {
        let p = ContentSecurityPolicy::new("  default-src   'self' ;; img-src * ;");
        assert_eq!(p.header_value(), "default-src 'self'; img-src *");
        assert!(!ContentSecurityPolicy::new("").is_enabled());
        assert!(ContentSecurityPolicy::check(STRICT_CSP).is_ok());
        assert!(ContentSecurityPolicy::check("default-src 'self'\n/evil").is_err());
        assert!(ContentSecurityPolicy::check("default-src \"x\"").is_err());
        assert!(ContentSecurityPolicy::check("def@ult 'self'").is_err());
    }
}
