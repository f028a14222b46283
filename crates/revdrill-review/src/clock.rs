//! The clock review scheduling reads: the system's, or a fixed instant for tests.
//!
//! `REVDRILL_NOW` (read by `revdrill` and `revdrill serve`; meant for tests only) fixes "now" for
//! everything review cards do: when a card is due, when an answer is logged, what "today" is for
//! the streak. It takes unix seconds, `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DDTHH:MM:SSZ`.
//! Attempts keep the store's own timestamps.
//!
//! Days are UTC days: a day is `unix seconds / 86 400`.

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// The environment variable that fixes the clock (tests only).
pub const NOW_VAR: &str = "REVDRILL_NOW";

/// Where "now" comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// The system clock.
    #[default]
    System,
    /// A fixed instant, unix seconds.
    Fixed(i64),
}

/// `REVDRILL_NOW` is not an instant.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{NOW_VAR}=`{0}` is not unix seconds, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ")]
pub struct BadNow(pub String);

impl Clock {
    /// Unix seconds now.
    pub fn now(self) -> i64 {
        match self {
            Clock::Fixed(t) => t,
            Clock::System => {
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
            }
        }
    }

    /// The clock `REVDRILL_NOW` sets, else the system's.
    pub fn from_env() -> Result<Clock, BadNow> {
        match std::env::var(NOW_VAR) {
            Ok(v) if !v.trim().is_empty() => parse_instant(v.trim()).map(Clock::Fixed).ok_or(BadNow(v)),
            _ => Ok(Clock::System),
        }
    }
}

/// The UTC day of unix seconds `t`.
pub fn day(t: i64) -> i64 {
    t.div_euclid(DAY)
}

/// Unix seconds from `1700000000`, `2026-12-01` or `2026-12-01T08:30:00Z`.
pub fn parse_instant(s: &str) -> Option<i64> {
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let (date, time) = match s.split_once('T') {
        Some((d, t)) => (d, Some(t.strip_suffix('Z')?)),
        None => (s, None),
    };
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, dd) = (d.next()??, d.next()??, d.next()??);
    if d.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&dd) {
        return None;
    }
    let secs = match time {
        None => 0,
        Some(t) => {
            let mut p = t.split(':').map(|x| x.parse::<i64>().ok());
            let (h, mi, se) = (p.next()??, p.next()??, p.next()??);
            if p.next().is_some() || h > 23 || mi > 59 || se > 60 {
                return None;
            }
            h * 3600 + mi * 60 + se
        }
    };
    Some(days_from_civil(y, m, dd) * DAY + secs)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_parse_in_three_forms() {
        assert_eq!(parse_instant("0"), Some(0));
        assert_eq!(parse_instant("1970-01-02"), Some(DAY));
        assert_eq!(parse_instant("2026-11-18T11:06:40Z"), Some(1_795_000_000));
        assert_eq!(parse_instant("2024-03-01"), Some(19_783 * DAY), "after a leap day");
        for bad in ["", "tomorrow", "2026-13-01", "2026-11-18T11:06:40", "2026-11-18T25:00:00Z", "1-2-3-4"] {
            assert_eq!(parse_instant(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_are_utc_days() {
        assert_eq!(day(DAY - 1), 0);
        assert_eq!(day(DAY), 1);
        assert_eq!(day(-1), -1);
        assert_eq!(Clock::Fixed(42).now(), 42);
    }
}
