use super::*;

const MINIMAL: &str = "title: T\nbase_url: https://x.org/\ndefault_language: vi\nlanguages:\n  - code: vi\n    name: Tiếng Việt\n  - code: en\n    name: English\n    fallback: [vi]\n  - code: ar\n    name: العربية\n    fallback: [en]\n";

fn parse(text: &str) -> Result<Config, Diagnostics> {
    Config::parse(Path::new("."), text)
}

#[test]
fn minimal_config_resolves_chains_and_directions() {
    let c = parse(MINIMAL).expect("valid");
    assert_eq!(c.base_url, "https://x.org");
    let ar = c.language("ar").expect("ar");
    assert_eq!(ar.dir, Direction::Rtl);
    assert_eq!(ar.chain, ["ar", "en", "vi"]);
    assert_eq!(c.language_prefix("vi"), "/");
    assert_eq!(c.language_prefix("en"), "/en/");
}

#[test]
fn unknown_key_is_an_error_with_line() {
    let text = format!("{MINIMAL}paginat_by: 3\n");
    let errs = parse(&text).expect_err("unknown key");
    let d = errs.iter().next().expect("one error");
    assert!(d.message.contains("paginat_by"), "{}", d.message);
    assert_eq!(d.location.map(|l| l.line), Some(13));
}

#[test]
fn undeclared_fallback_and_cycles_are_errors() {
    let text = MINIMAL.replace("fallback: [vi]", "fallback: [fr]");
    let errs = parse(&text).expect_err("undeclared");
    let d = errs.iter().next().expect("error");
    assert!(d.message.contains("`fr`"));
    assert_eq!(d.location.map(|l| l.line), Some(9));

    let text = MINIMAL.replace("fallback: [vi]", "fallback: [ar]");
    let errs = parse(&text).expect_err("cycle");
    assert!(errs.iter().any(|d| d.message.contains("cycle")));
}
