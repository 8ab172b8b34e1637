//! Moments and days as people write them, in the zone the company works in: "4 december 2026
//! om 05:17", "4 December 2026 at 05:17", "31 mei 2027". Month names come from chrono's locale
//! data (CLDR), not from a table of our own. Machines keep reading ISO 8601 (the export's JSON,
//! the CSV, the APIs); this is only for people.

use crate::Lang;
use chrono::{DateTime, Locale, NaiveDate, Utc};
use chrono_tz::Tz;

/// The zone the portal shows times in and counts deadlines in (configuration: `time_zone`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    zone: Tz,
}

impl Default for LocalTime {
    fn default() -> Self {
        Self::new(chrono_tz::Europe::Amsterdam)
    }
}

impl LocalTime {
    pub const fn new(zone: Tz) -> Self {
        Self { zone }
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// The calendar day a moment falls on, here.
    pub fn day_of(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.zone).date_naive()
    }

    /// A moment: "4 december 2026 om 05:17" / "4 December 2026 at 05:17".
    pub fn moment(&self, at: DateTime<Utc>, lang: Lang) -> String {
        let local = at.with_timezone(&self.zone);
        let pattern = match lang {
            Lang::Nl => "%-d %B %Y om %H:%M",
            Lang::En => "%-d %B %Y at %H:%M",
        };
        local.format_localized(pattern, locale(lang)).to_string()
    }

    /// The time of day only, for a moment that is today: "05:17".
    pub fn clock(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.zone).format("%H:%M").to_string()
    }

    /// The day a moment falls on: "4 december 2026".
    pub fn date_of(&self, at: DateTime<Utc>, lang: Lang) -> String {
        date(self.day_of(at), lang)
    }
}

/// A calendar day: "31 mei 2027" / "31 May 2027".
pub fn date(day: NaiveDate, lang: Lang) -> String {
    day.format_localized("%-d %B %Y", locale(lang)).to_string()
}

/// A month: "mei 2027" / "May 2027".
pub fn month(day: NaiveDate, lang: Lang) -> String {
    day.format_localized("%B %Y", locale(lang)).to_string()
}

fn locale(lang: Lang) -> Locale {
    match lang {
        Lang::Nl => Locale::nl_NL,
        Lang::En => Locale::en_GB,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn amsterdam() -> LocalTime {
        LocalTime::default()
    }

    #[test]
    fn a_winter_moment_is_shown_an_hour_after_utc_with_a_dutch_month_name() {
        let at = Utc.with_ymd_and_hms(2026, 12, 4, 4, 17, 0).unwrap();
        assert_eq!(amsterdam().moment(at, Lang::Nl), "4 december 2026 om 05:17");
        assert_eq!(amsterdam().moment(at, Lang::En), "4 December 2026 at 05:17");
    }

    #[test]
    fn a_summer_moment_is_shown_two_hours_after_utc() {
        let at = Utc.with_ymd_and_hms(2027, 5, 31, 21, 30, 0).unwrap();
        assert_eq!(amsterdam().moment(at, Lang::Nl), "31 mei 2027 om 23:30");
        assert_eq!(amsterdam().clock(at), "23:30");
    }

    #[test]
    fn a_moment_late_in_the_utc_day_falls_on_the_next_local_day() {
        let at = Utc.with_ymd_and_hms(2026, 12, 31, 23, 30, 0).unwrap();
        assert_eq!(amsterdam().date_of(at, Lang::Nl), "1 januari 2027");
        assert_eq!(
            amsterdam().day_of(at),
            NaiveDate::from_ymd_opt(2027, 1, 1).expect("a real date")
        );
    }

    #[test]
    fn days_and_months_are_written_out_in_each_language() {
        let day = NaiveDate::from_ymd_opt(2027, 3, 9).expect("a real date");
        assert_eq!(date(day, Lang::Nl), "9 maart 2027");
        assert_eq!(date(day, Lang::En), "9 March 2027");
        assert_eq!(month(day, Lang::Nl), "maart 2027");
        assert_eq!(month(day, Lang::En), "March 2027");
    }

    #[test]
    fn another_zone_shows_its_own_clock() {
        let at = Utc.with_ymd_and_hms(2026, 12, 4, 4, 17, 0).unwrap();
        let london = LocalTime::new(chrono_tz::Europe::London);
        assert_eq!(london.moment(at, Lang::En), "4 December 2026 at 04:17");
    }
}
