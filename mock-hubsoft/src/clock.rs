//! Wall-clock helpers without a date crate: Hubsoft's local time for `protocolo` and
//! `data_cadastro`, Brasília time (fixed UTC−03:00; Brazil has had no daylight saving time since
//! 2019) unless a test sets another offset (`POST /__mock/clock`).

use std::time::{SystemTime, UNIX_EPOCH};

/// Offset of Brasília time from UTC, in minutes: the mock's clock until a test sets another.
pub(crate) const BRASILIA_OFFSET_MINUTES: i64 = -180;

/// A broken-down local date and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateTime {
    pub(crate) year: i64,
    pub(crate) month: u32,
    pub(crate) day: u32,
    pub(crate) hour: u32,
    pub(crate) minute: u32,
    pub(crate) second: u32,
}

impl DateTime {
    /// Splits seconds since the Unix epoch (already shifted to local time).
    pub(crate) fn from_unix(secs: i64) -> Self {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        DateTime {
            year,
            month,
            day,
            hour: (rem / 3600) as u32,
            minute: (rem % 3600 / 60) as u32,
            second: (rem % 60) as u32,
        }
    }

    /// Current local time at `utc_offset_minutes` from UTC.
    pub(crate) fn now_at(utc_offset_minutes: i64) -> Self {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Self::from_unix(secs + utc_offset_minutes * 60)
    }

    /// `yyyymmddHHMMSS` (14 digits), the prefix of a 20-digit `protocolo`.
    pub(crate) fn compact(&self) -> String {
        format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// `yyyymmdd`, the creation date compared with the lookup's `data_inicio`/`data_fim`.
    pub(crate) fn yyyymmdd(&self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }

    /// `dd/mm/yyyy`, Hubsoft's date format (`docs/hubsoft-api.md` §2).
    pub(crate) fn dd_mm_yyyy(&self) -> String {
        format!("{:02}/{:02}/{:04}", self.day, self.month, self.year)
    }
}

/// Days since 1970-01-01 → (year, month 1–12, day 1–31), proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(18_993), (2022, 1, 1));
        assert_eq!(civil_from_days(19_000), (2022, 1, 8));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(19_783), (2024, 3, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn formats() {
        // 2025-09-26 16:08:19 local
        let t = DateTime::from_unix(1_758_902_899);
        assert_eq!(t.compact(), "20250926160819");
        assert_eq!(t.dd_mm_yyyy(), "26/09/2025");
        let t = DateTime::from_unix(-1);
        assert_eq!(t.compact(), "19691231235959");
    }
}
