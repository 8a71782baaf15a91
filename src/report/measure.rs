//! Small statistics the figures are made of: medians and percentiles of
//! day counts, ISO weeks and months as labels, and the share of a whole.
//! Pure functions of numbers and dates; nothing here knows about pages.

use chrono::{Datelike, Duration, NaiveDate};

/// The value at `p` (0–100) of sorted `values`, by the nearest-rank method
/// (the value a reader can find in the list: no interpolated half days).
pub fn percentile(sorted: &[i64], p: u32) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (u64::from(p) * sorted.len() as u64).div_ceil(100).max(1) as usize;
    sorted.get(rank - 1).copied()
}

/// The median of sorted `values`: the mean of the two middle ones for an
/// even count, rounded down to whole days.
pub fn median(sorted: &[i64]) -> Option<i64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    if n % 2 == 1 {
        return Some(sorted[n / 2]);
    }
    Some((sorted[n / 2 - 1] + sorted[n / 2]).div_euclid(2))
}

/// `part` of `whole` in percent with one decimal (as `i18n status` prints).
pub fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    (part as f64 * 1000.0 / whole as f64).round() / 10.0
}

/// The Monday that starts the week of `day`.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// Mondays from the week of `from` to the week of `to`, both included.
pub fn weeks(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut week = week_start(from);
    while week <= to {
        out.push(week);
        week += Duration::days(7);
    }
    out
}

/// `YYYY-MM` of a day.
pub fn month(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

/// Months from the month of `from` to the month of `to`, both included.
pub fn months(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    while (y, m) <= (to.year(), to.month()) {
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        let v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        assert_eq!(percentile(&v, 90), Some(9));
        assert_eq!(percentile(&v, 50), Some(5));
        assert_eq!(percentile(&[30], 90), Some(30));
        assert_eq!(percentile(&[], 90), None);
        assert_eq!(median(&[1, 2, 3, 10]), Some(2));
        assert_eq!(median(&[4, 30, 90]), Some(30));
    }

    #[test]
    fn weeks_start_on_monday_and_months_cross_years() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        assert_eq!(week_start(d("2026-03-15")), d("2026-03-09"));
        assert_eq!(weeks(d("2026-03-15"), d("2026-03-23")).len(), 3);
        assert_eq!(
            months(d("2025-11-30"), d("2026-02-01")),
            ["2025-11", "2025-12", "2026-01", "2026-02"]
        );
    }
}
