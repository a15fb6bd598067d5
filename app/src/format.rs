//! Formatting shared by server rendering and the browser, so both render
//! the same text and hydration matches. Dates and numbers follow the
//! page's language without an ICU data set in the WASM.

use crate::dates::civil_from_days;
use crate::i18n::Locale;

/// `2026-11-22 08:00 UTC` from milliseconds since the epoch.
pub fn utc_minutes(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let mut out = String::with_capacity(20);
    push_ymd(&mut out, y, m, d);
    out.push(' ');
    push_hm(&mut out, rem);
    out.push_str(" UTC");
    out
}

// Hand-written digits rather than `format!`: a task table formats several
// instants a row, and server rendering of the page pays for each.

/// Appends `n` (0..=99) as two digits.
fn push_two(out: &mut String, n: i64) {
    let n = u32::try_from(n.rem_euclid(100)).unwrap_or(0);
    out.push(char::from_digit(n / 10, 10).unwrap_or('0'));
    out.push(char::from_digit(n % 10, 10).unwrap_or('0'));
}

/// Appends a year as at least four digits (`{year:04}`).
fn push_year(out: &mut String, year: i64) {
    if (0..=9999).contains(&year) {
        push_two(out, year / 100);
        push_two(out, year % 100);
    } else {
        use std::fmt::Write;
        let _ = write!(out, "{year:04}");
    }
}

/// `YYYY-MM-DD`.
fn push_ymd(out: &mut String, year: i64, month: i64, day: i64) {
    push_year(out, year);
    out.push('-');
    push_two(out, month);
    out.push('-');
    push_two(out, day);
}

/// `HH:MM` of the seconds into a day.
fn push_hm(out: &mut String, secs_of_day: i64) {
    push_two(out, secs_of_day / 3600);
    out.push(':');
    push_two(out, (secs_of_day % 3600) / 60);
}

/// A calendar date as the language writes it: `2026-11-22` (English, the
/// console's ISO style), `22/11/2026` (Spanish), `2026年11月22日` (Chinese).
pub fn date(locale: Locale, year: i64, month: i64, day: i64) -> String {
    match locale {
        Locale::en => {
            let mut out = String::with_capacity(10);
            push_ymd(&mut out, year, month, day);
            out
        }
        Locale::es => {
            let mut out = String::with_capacity(10);
            push_two(&mut out, day);
            out.push('/');
            push_two(&mut out, month);
            out.push('/');
            push_year(&mut out, year);
            out
        }
        Locale::zh => format!("{year}年{month}月{day}日"),
    }
}

/// The UTC calendar date of an instant, in the language's style.
pub fn utc_date(locale: Locale, ms: i64) -> String {
    let (y, m, d) = civil_from_days(ms.div_euclid(1000).div_euclid(86_400));
    date(locale, y, m, d)
}

/// An integer with the language's digit grouping (CLDR): `12,345`
/// (English, Chinese), `12.345` (Spanish, which leaves four-digit numbers
/// ungrouped).
pub fn number(locale: Locale, n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let (separator, min_len) = match locale {
        Locale::en | Locale::zh => (',', 4),
        Locale::es => ('.', 5),
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        let left = digits.len() - i;
        if i > 0 && left.is_multiple_of(3) && digits.len() >= min_len {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// `08:00:05 UTC` from milliseconds since the epoch.
pub fn utc_time(ms: i64) -> String {
    let rem = ms.div_euclid(1000).rem_euclid(86_400);
    let mut out = String::with_capacity(12);
    push_hm(&mut out, rem);
    out.push(':');
    push_two(&mut out, rem % 60);
    out.push_str(" UTC");
    out
}

/// `08:00 UTC` (no seconds) from milliseconds since the epoch.
pub fn utc_clock(ms: i64) -> String {
    let mut out = String::with_capacity(9);
    push_hm(&mut out, ms.div_euclid(1000).rem_euclid(86_400));
    out.push_str(" UTC");
    out
}

/// `5 s`, `3 min`, `2 h` for a duration in ms (rounded down, never negative).
pub fn span(ms: i64) -> String {
    let secs = ms.max(0) / 1000;
    match secs {
        0..=59 => format!("{secs} s"),
        60..=3599 => format!("{} min", secs / 60),
        _ => format!("{} h", secs / 3600),
    }
}

/// ISO 8601 for `<time datetime>`.
pub fn iso_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let mut out = String::with_capacity(20);
    push_ymd(&mut out, y, m, d);
    out.push('T');
    push_hm(&mut out, rem);
    out.push(':');
    push_two(&mut out, rem % 60);
    out.push('Z');
    out
}

/// An image's scan status in plain words.
pub fn scan_status_label(
    i18n: crate::i18n::I18n,
    status: scanport_wire::hss::ScanStatus,
) -> &'static str {
    use crate::i18n::*;
    use scanport_wire::hss::ScanStatus as S;
    match status {
        S::Unscan => t_string!(i18n, scan_status_unscan),
        S::Success => t_string!(i18n, scan_status_success),
        S::Scanning => t_string!(i18n, scan_status_scanning),
        S::Failed => t_string!(i18n, scan_status_failed),
        S::DownloadFailed => t_string!(i18n, scan_status_download_failed),
        S::ImageOversized => t_string!(i18n, scan_status_oversized),
        S::WaitingForScan => t_string!(i18n, scan_status_waiting),
    }
}

/// A TCSS scan state in the page's language; a state this console does
/// not know shows as the service names it.
pub fn tcss_status_label(i18n: crate::i18n::I18n, raw: &str) -> String {
    use crate::i18n::*;
    use scanport_wire::tcss::scan_status;
    match raw {
        scan_status::NOT_SCAN => t_string!(i18n, scan_status_unscan),
        scan_status::SCANNING => t_string!(i18n, scan_status_scanning),
        scan_status::SCANNED => t_string!(i18n, scan_status_success),
        scan_status::SCAN_ERR => t_string!(i18n, scan_status_failed),
        scan_status::CANCELED => t_string!(i18n, scan_status_canceled),
        other => return other.to_owned(),
    }
    .to_owned()
}

/// Percent-encodes a query value.
pub fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(utc_minutes(0), "1970-01-01 00:00 UTC");
        // 2026-11-22T08:00:00Z, the signing vectors' date.
        assert_eq!(utc_minutes(1_795_334_400_000), "2026-11-22 08:00 UTC");
        assert_eq!(iso_utc(1_795_334_400_000), "2026-11-22T08:00:00Z");
        assert_eq!(utc_time(1_795_334_405_000), "08:00:05 UTC");
        assert_eq!(span(-5), "0 s");
        assert_eq!(span(59_999), "59 s");
        assert_eq!(span(125_000), "2 min");
        // A leap day.
        assert_eq!(utc_minutes(1_709_164_800_000), "2024-02-29 00:00 UTC");
        // Before the epoch, and a year past four digits.
        assert_eq!(iso_utc(-1_000), "1969-12-31T23:59:59Z");
        assert_eq!(utc_minutes(253_402_300_800_000), "10000-01-01 00:00 UTC");
        assert_eq!(date(Locale::en, 12, 1, 2), "0012-01-02");
    }

    #[test]
    fn dates_follow_the_language() {
        assert_eq!(date(Locale::en, 2026, 11, 2), "2026-11-02");
        assert_eq!(date(Locale::es, 2026, 11, 2), "02/11/2026");
        assert_eq!(date(Locale::zh, 2026, 11, 2), "2026年11月2日");
        assert_eq!(utc_date(Locale::es, 1_709_164_800_000), "29/02/2024");
    }

    #[test]
    fn numbers_are_grouped_per_language() {
        assert_eq!(number(Locale::en, 0), "0");
        assert_eq!(number(Locale::en, 999), "999");
        assert_eq!(number(Locale::en, 1234), "1,234");
        assert_eq!(number(Locale::zh, 1_234_567), "1,234,567");
        assert_eq!(number(Locale::es, 1234), "1234");
        assert_eq!(number(Locale::es, 12_345), "12.345");
        assert_eq!(number(Locale::es, 1_234_567), "1.234.567");
        assert_eq!(number(Locale::en, -12_345), "-12,345");
    }
}
