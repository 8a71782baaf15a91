//! Dates, numbers and collation for each site language, from the CLDR data
//! compiled into ICU4X. Formatters are built once per language and shared by
//! every rendering thread.

use std::cmp::Ordering;
use std::collections::HashMap;

use chrono::Datelike;
use icu::calendar::{Date, Gregorian};
use icu::collator::options::CollatorOptions;
use icu::collator::{Collator, CollatorBorrowed};
use icu::datetime::FixedCalendarDateTimeFormatter;
use icu::datetime::fieldsets::enums::DateFieldSet;
use icu::datetime::fieldsets::{YMD, YMDE};
use icu::decimal::DecimalFormatter;
use icu::decimal::input::Decimal;
use icu::decimal::options::DecimalFormatterOptions;
use icu::locale::Locale;

/// How much of a date to spell out, as in CLDR's date lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateLength {
    /// Numeric, as in "6/15/23".
    Short,
    /// Abbreviated month, as in "Jun 15, 2023".
    Medium,
    /// Full month name, as in "June 15, 2023".
    Long,
    /// Long plus the weekday, as in "Thursday, June 15, 2023".
    Full,
}

/// Reads a template's `length=` argument: "short", "medium", "long", "full".
pub fn parse_length(s: &str) -> Option<DateLength> {
    match s {
        "short" => Some(DateLength::Short),
        "medium" => Some(DateLength::Medium),
        "long" => Some(DateLength::Long),
        "full" => Some(DateLength::Full),
        _ => None,
    }
}

/// Dates are always shown in the Gregorian calendar: content dates are
/// Gregorian and the site should not switch calendars by locale on its own.
type DateFormatter = FixedCalendarDateTimeFormatter<Gregorian, DateFieldSet>;

/// The formatters of one language.
struct LangFormatters {
    /// Indexed by [`length_index`].
    dates: [Option<DateFormatter>; 4],
    decimal: Option<DecimalFormatter>,
    collator: Option<CollatorBorrowed<'static>>,
}

/// CLDR formatting for every site language, built once.
pub struct Cldr {
    langs: HashMap<String, LangFormatters>,
    /// Used for languages that were not given to [`Cldr::new`].
    root: LangFormatters,
}

impl Cldr {
    /// Builds formatters for the given BCP-47 codes. An unparseable code or
    /// a locale without data falls back to root (`und`) data.
    pub fn new(languages: &[&str]) -> Cldr {
        let langs = languages
            .iter()
            .map(|&code| (code.to_string(), LangFormatters::new(&parse_locale(code))))
            .collect();
        Cldr {
            langs,
            root: LangFormatters::new(&Locale::UNKNOWN),
        }
    }

    fn formatters(&self, lang: &str) -> &LangFormatters {
        self.langs.get(lang).unwrap_or(&self.root)
    }

    /// Formats a date in `lang` at the given length, e.g. "June 15, 2023"
    /// for `en` and [`DateLength::Long`]. Falls back to ISO `2023-06-15`
    /// if no formatter could be built or the date is out of range.
    pub fn format_date(&self, lang: &str, date: chrono::NaiveDate, length: DateLength) -> String {
        let iso = || date.format("%Y-%m-%d").to_string();
        let Some(formatter) = &self.formatters(lang).dates[length_index(length)] else {
            return iso();
        };
        // chrono months and days are 1-based and always fit in u8.
        let (Ok(month), Ok(day)) = (u8::try_from(date.month()), u8::try_from(date.day())) else {
            return iso();
        };
        match Date::try_new_gregorian(date.year(), month, day) {
            Ok(d) => formatter.format(&d).to_string(),
            Err(_) => iso(),
        }
    }

    /// Formats a number with the language's digits, decimal and grouping
    /// separators, rounded to at most 3 fraction digits without trailing
    /// zeros (1234.5 -> "1,234.5" in `en`, "1 234,5" in `fr`).
    pub fn format_number(&self, lang: &str, n: f64) -> String {
        let plain = plain_decimal(n);
        let Some(formatter) = &self.formatters(lang).decimal else {
            return plain;
        };
        match Decimal::try_from_str(&plain) {
            Ok(d) => formatter.format_to_string(&d),
            // NaN and infinities have no CLDR form worth building.
            Err(_) => plain,
        }
    }

    /// Compares two strings with the language's collation (in `vi`,
    /// a < ă < â < b < d < đ). Falls back to code point order.
    pub fn compare(&self, lang: &str, a: &str, b: &str) -> Ordering {
        match &self.formatters(lang).collator {
            Some(collator) => collator.compare(a, b),
            None => a.cmp(b),
        }
    }
}

impl LangFormatters {
    fn new(locale: &Locale) -> Self {
        let date = |fs: DateFieldSet| DateFormatter::try_new(locale.into(), fs).ok();
        LangFormatters {
            dates: [
                date(DateFieldSet::YMD(YMD::short())),
                date(DateFieldSet::YMD(YMD::medium())),
                date(DateFieldSet::YMD(YMD::long())),
                date(DateFieldSet::YMDE(YMDE::long())),
            ],
            decimal: DecimalFormatter::try_new(locale.into(), DecimalFormatterOptions::default()).ok(),
            collator: Collator::try_new(locale.into(), CollatorOptions::default()).ok(),
        }
    }
}

fn length_index(length: DateLength) -> usize {
    match length {
        DateLength::Short => 0,
        DateLength::Medium => 1,
        DateLength::Long => 2,
        DateLength::Full => 3,
    }
}

/// A code that does not parse as BCP-47 gets root data instead of an error:
/// config validation reports bad codes, formatting should not fail on them.
fn parse_locale(code: &str) -> Locale {
    Locale::try_from_str(code).unwrap_or(Locale::UNKNOWN)
}

/// `n` rounded to 3 fraction digits, trailing zeros removed: "1234.5".
fn plain_decimal(n: f64) -> String {
    if !n.is_finite() {
        return n.to_string();
    }
    let mut s = format!("{n:.3}");
    if s.contains('.') {
        let trimmed = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(trimmed);
    }
    if s == "-0" {
        s = "0".to_string();
    }
    s
}

#[cfg(test)]
#[path = "cldr_tests.rs"]
mod tests;
