//! Time, injectable: rules that depend on "now" take a [`Clock`], so tests can move time on
//! instead of sleeping.

use chrono::{DateTime, Duration, Utc};
use std::sync::{Arc, Mutex, PoisonError};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// The real time.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until told to move; clones share the same time.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn at(now: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(now)))
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_advanced_and_its_clones_move_with_it() {
        let start = DateTime::from_timestamp(1_800_000_000, 0).expect("a time");
        let clock = ManualClock::at(start);
        let other = clock.clone();
        assert_eq!(clock.now(), start);
        other.advance(Duration::minutes(31));
        assert_eq!(clock.now(), start + Duration::minutes(31));
    }
}
