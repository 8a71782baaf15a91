//! Dates as editors write them in front matter, notices and change notes,
//! read one way everywhere: a page's `date:`, a typed field of kind
//! `date`, a notice's window, a correction's day.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

/// Accepts RFC 3339, `YYYY-MM-DD HH:MM[:SS]` and `YYYY-MM-DD` (midnight UTC).
pub fn parse_date(text: &str) -> Option<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d);
    }
    let utc = FixedOffset::east_opt(0)?;
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(text, format) {
            return utc.from_local_datetime(&d).single();
        }
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    utc.from_local_datetime(&day.and_hms_opt(0, 0, 0)?).single()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_written_form_reads_as_its_instant() {
        let utc = |s: &str| DateTime::parse_from_rfc3339(s).expect("an RFC 3339 instant");
        assert_eq!(
            parse_date("2025-07-01T09:30:00+07:00"),
            Some(utc("2025-07-01T09:30:00+07:00"))
        );
        assert_eq!(
            parse_date(" 2025-07-01 09:30 "),
            Some(utc("2025-07-01T09:30:00Z"))
        );
        assert_eq!(
            parse_date("2025-07-01T09:30:15"),
            Some(utc("2025-07-01T09:30:15Z"))
        );
        assert_eq!(parse_date("2025-07-01"), Some(utc("2025-07-01T00:00:00Z")));
        assert_eq!(parse_date("2025-02-30"), None);
        assert_eq!(parse_date("1 July 2025"), None);
    }
}
