//! When a rights request must be answered (Art. 12(3) GDPR): one month from receipt, counted
//! in calendar months as EU Regulation 1182/71 counts periods — the period ends on the day of
//! the last month with the same number as the day of receipt, or on that month's last day when
//! it has no such day (31 January → 28 or 29 February). It can be extended by at most two
//! further months, with reasons, and only while the first month runs; it stands still while
//! the company waits for the person's answer.
//!
//! Everything is in calendar dates of the person's time zone; the caller converts instants
//! with its clock and zone, so the rules are the same whatever the clock.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The most an answer can be put off beyond the first month.
pub const MAX_EXTENSION_MONTHS: u32 = 2;

/// A request's deadline as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// The day the request was received.
    pub received: NaiveDate,
    /// Further months granted (0, 1 or 2).
    pub extended_months: u32,
    /// Days the clock stood still in pauses that have ended.
    pub paused_days: u32,
    /// The day the current pause began, if the clock stands still now.
    pub paused_since: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum DeadlineError {
    /// Art. 12(3): an extension must be announced within the first month.
    #[error("the original deadline has passed")]
    TooLate,
    /// More than two further months in all.
    #[error("at most {MAX_EXTENSION_MONTHS} further months")]
    TooLong,
    /// No months, or none left.
    #[error("no further months to grant")]
    Nothing,
    #[error("the clock is paused already")]
    AlreadyPaused,
}

/// `date` plus `months` calendar months, ending on the month's last day when it is shorter.
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    // chrono clamps to the last day of a shorter month, which is the rule of Art. 3(2)(c)
    // of Regulation 1182/71; it fails only beyond the year 262143.
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

impl Deadline {
    pub fn new(received: NaiveDate) -> Self {
        Self {
            received,
            extended_months: 0,
            paused_days: 0,
            paused_since: None,
        }
    }

    /// The last day of the first month, moved on by the pauses so far.
    pub fn original_due(&self) -> NaiveDate {
        self.shifted(add_months(self.received, 1))
    }

    /// The last day on which the answer is on time.
    pub fn due(&self) -> NaiveDate {
        self.shifted(add_months(self.received, 1 + self.extended_months))
    }

    fn shifted(&self, date: NaiveDate) -> NaiveDate {
        date.checked_add_days(Days::new(u64::from(self.paused_days)))
            .unwrap_or(NaiveDate::MAX)
    }

    /// Whether the clock stands still.
    pub fn paused(&self) -> bool {
        self.paused_since.is_some()
    }

    /// Whether `today` is past the deadline (never while paused).
    pub fn overdue(&self, today: NaiveDate) -> bool {
        !self.paused() && today > self.due()
    }

    /// Days left from `today`, negative when overdue.
    pub fn days_left(&self, today: NaiveDate) -> i64 {
        (self.due() - today).num_days()
    }

    /// Grants `months` further months on `today`. Refused after the original deadline, and
    /// beyond two further months in all.
    pub fn extend(&self, months: u32, today: NaiveDate) -> Result<Self, DeadlineError> {
        if months == 0 {
            return Err(DeadlineError::Nothing);
        }
        if today > self.original_due() {
            return Err(DeadlineError::TooLate);
        }
        if self.extended_months + months > MAX_EXTENSION_MONTHS {
            return Err(DeadlineError::TooLong);
        }
        Ok(Self {
            extended_months: self.extended_months + months,
            ..*self
        })
    }

    /// Stops the clock on `today`: the company waits for the person's answer.
    pub fn pause(&self, today: NaiveDate) -> Result<Self, DeadlineError> {
        if self.paused() {
            return Err(DeadlineError::AlreadyPaused);
        }
        Ok(Self {
            paused_since: Some(today),
            ..*self
        })
    }

    /// Starts the clock again on `today`; the days it stood still are added. Unchanged when
    /// it runs.
    pub fn resume(&self, today: NaiveDate) -> Self {
        let Some(since) = self.paused_since else {
            return *self;
        };
        let days = u32::try_from((today - since).num_days().max(0)).unwrap_or(u32::MAX);
        Self {
            paused_days: self.paused_days.saturating_add(days),
            paused_since: None,
            ..*self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn a_request_received_on_31_january_is_due_on_the_last_day_of_february() {
        assert_eq!(Deadline::new(day(2027, 1, 31)).due(), day(2027, 2, 28));
        assert_eq!(Deadline::new(day(2028, 1, 31)).due(), day(2028, 2, 29));
        assert_eq!(Deadline::new(day(2028, 1, 29)).due(), day(2028, 2, 29));
        assert_eq!(Deadline::new(day(2027, 1, 29)).due(), day(2027, 2, 28));
    }

    #[test]
    fn a_month_is_a_calendar_month_not_thirty_days() {
        assert_eq!(Deadline::new(day(2026, 2, 15)).due(), day(2026, 3, 15));
        assert_eq!(Deadline::new(day(2026, 3, 31)).due(), day(2026, 4, 30));
        assert_eq!(Deadline::new(day(2026, 12, 31)).due(), day(2027, 1, 31));
        assert_eq!(Deadline::new(day(2026, 8, 31)).due(), day(2026, 9, 30));
    }

    #[test]
    fn an_extension_counts_three_months_from_receipt() {
        let deadline = Deadline::new(day(2026, 11, 30)).extend(2, day(2026, 12, 1));
        assert_eq!(deadline.map(|d| d.due()), Ok(day(2027, 2, 28)));
    }

    #[test]
    fn an_extension_is_refused_after_the_original_deadline() {
        let deadline = Deadline::new(day(2027, 1, 31));
        assert_eq!(
            deadline.extend(2, day(2027, 3, 1)),
            Err(DeadlineError::TooLate)
        );
        assert!(
            deadline.extend(2, day(2027, 2, 28)).is_ok(),
            "on the day itself"
        );
    }

    #[test]
    fn no_more_than_two_further_months_are_granted_in_all() {
        let today = day(2026, 11, 24);
        let once = Deadline::new(today).extend(1, today).expect("one month");
        assert_eq!(once.extend(2, today), Err(DeadlineError::TooLong));
        let twice = once.extend(1, today).expect("a second month");
        assert_eq!(twice.extend(1, today), Err(DeadlineError::TooLong));
        assert_eq!(
            Deadline::new(today).extend(0, today),
            Err(DeadlineError::Nothing)
        );
        assert_eq!(
            Deadline::new(today).extend(3, today),
            Err(DeadlineError::TooLong)
        );
    }

    #[test]
    fn a_paused_request_is_never_overdue_and_its_pause_moves_the_deadline() {
        let deadline = Deadline::new(day(2026, 1, 10))
            .pause(day(2026, 1, 20))
            .expect("paused");
        assert!(!deadline.overdue(day(2026, 6, 1)));
        assert_eq!(
            deadline.pause(day(2026, 1, 21)),
            Err(DeadlineError::AlreadyPaused)
        );
        let resumed = deadline.resume(day(2026, 1, 30));
        assert_eq!(resumed.due(), day(2026, 2, 20));
        assert!(resumed.overdue(day(2026, 2, 21)));
        assert!(!resumed.overdue(day(2026, 2, 20)));
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (1990i32..2200, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| {
            (0..4)
                .find_map(|back| NaiveDate::from_ymd_opt(y, m, d - back))
                .expect("one of the last four days exists")
        })
    }

    fn months_later(date: NaiveDate, months: u32) -> (i32, u32) {
        let index = date.year() * 12 + date.month0() as i32 + months as i32;
        (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
    }

    fn last_day(year: i32, month: u32) -> u32 {
        (28..=31)
            .rev()
            .find(|d| NaiveDate::from_ymd_opt(year, month, *d).is_some())
            .expect("a month has 28 to 31 days")
    }

    proptest! {
        #[test]
        fn the_deadline_is_the_same_day_of_the_next_month_or_its_last_day(received in any_date()) {
            let due = Deadline::new(received).due();
            let (year, month) = months_later(received, 1);
            prop_assert_eq!((due.year(), due.month()), (year, month));
            prop_assert_eq!(due.day(), received.day().min(last_day(year, month)));
            prop_assert!(due > received);
            prop_assert!((28..=31).contains(&(due - received).num_days()));
        }

        #[test]
        fn an_extension_lands_in_the_third_month_and_never_before_the_first_deadline(
            received in any_date(), months in 1u32..=2, late in 0i64..40,
        ) {
            let deadline = Deadline::new(received);
            let today = received + chrono::Duration::days(late);
            match deadline.extend(months, today) {
                Ok(extended) => {
                    prop_assert!(today <= deadline.due());
                    let (year, month) = months_later(received, 1 + months);
                    prop_assert_eq!((extended.due().year(), extended.due().month()), (year, month));
                    prop_assert!(extended.due() > deadline.due());
                    prop_assert_eq!(extended.original_due(), deadline.due());
                }
                Err(error) => {
                    prop_assert_eq!(error, DeadlineError::TooLate);
                    prop_assert!(today > deadline.due());
                }
            }
        }

        #[test]
        fn a_pause_moves_the_deadline_by_exactly_the_days_it_lasted(
            received in any_date(), start in 0i64..60, length in 0i64..90,
        ) {
            let deadline = Deadline::new(received);
            let from = received + chrono::Duration::days(start);
            let to = from + chrono::Duration::days(length);
            let resumed = deadline.pause(from).expect("runs").resume(to);
            prop_assert_eq!((resumed.due() - deadline.due()).num_days(), length);
            prop_assert!(!resumed.paused());
        }
    }
}
