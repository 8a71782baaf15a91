use chrono::NaiveDate;

use super::*;

fn june_15() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 6, 15).expect("valid date")
}

fn cldr() -> Cldr {
    Cldr::new(&["vi", "en", "zh", "ar", "fr"])
}

#[test]
fn cldr_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Cldr>();
}

#[test]
fn long_dates_per_language() {
    let c = cldr();
    let long = |lang| c.format_date(lang, june_15(), DateLength::Long);
    assert_eq!(long("en"), "June 15, 2023");
    assert_eq!(long("fr"), "15 juin 2023");
    assert_eq!(long("zh"), "2023年6月15日");
    // ICU4X 2.x's CLDR data has no comma before the year for `vi`
    // (older CLDR printed "15 tháng 6, 2023").
    assert_eq!(long("vi"), "15 tháng 6 2023");
    assert!(long("ar").contains("يونيو"), "{}", long("ar"));
    assert!(
        c.format_date("vi", june_15(), DateLength::Full)
            .contains("Thứ Năm")
    );
}

#[test]
fn all_lengths_differ_and_full_has_weekday() {
    let c = cldr();
    let lengths = [
        DateLength::Short,
        DateLength::Medium,
        DateLength::Long,
        DateLength::Full,
    ];
    let out: Vec<String> = lengths
        .iter()
        .map(|&l| c.format_date("en", june_15(), l))
        .collect();
    assert_eq!(out[0], "6/15/23");
    assert_eq!(out[1], "Jun 15, 2023");
    assert!(out[3].contains("Thursday"), "{}", out[3]);
    assert!(c.format_date("fr", june_15(), DateLength::Full).contains("jeudi"));
}

#[test]
fn unknown_or_bad_languages_fall_back_to_root() {
    let c = Cldr::new(&["not a locale!", "qq"]);
    for lang in ["not a locale!", "qq", "never-registered"] {
        let text = c.format_date(lang, june_15(), DateLength::Long);
        assert!(text.contains("2023"), "{lang}: {text}");
        assert!(!c.format_number(lang, 1234.5).is_empty());
    }
}

#[test]
fn numbers_use_locale_separators() {
    let c = cldr();
    assert_eq!(c.format_number("en", 1234567.891), "1,234,567.891");
    assert_eq!(c.format_number("en", 1234.5), "1,234.5");
    assert_eq!(c.format_number("en", 3.0), "3");
    assert_eq!(c.format_number("en", 2.0004), "2");
    assert_eq!(c.format_number("en", -1234.25), "-1,234.25");
    assert_eq!(c.format_number("vi", 1234.5), "1.234,5");
    // French groups with a narrow no-break space.
    assert_eq!(c.format_number("fr", 1234.5), "1\u{202f}234,5");
    assert_eq!(c.format_number("en", f64::INFINITY), "inf");
}

#[test]
fn vietnamese_collation() {
    let c = cldr();
    let mut words = vec!["đá", "da", "ăn", "an", "bò", "âm"];
    words.sort_by(|a, b| c.compare("vi", a, b));
    assert_eq!(words, ["an", "ăn", "âm", "bò", "da", "đá"]);
    assert_eq!(c.compare("vi", "đ", "e"), Ordering::Less);
}

#[test]
fn parse_length_names() {
    assert_eq!(parse_length("short"), Some(DateLength::Short));
    assert_eq!(parse_length("medium"), Some(DateLength::Medium));
    assert_eq!(parse_length("long"), Some(DateLength::Long));
    assert_eq!(parse_length("full"), Some(DateLength::Full));
    assert_eq!(parse_length("Long"), None);
}
