//! Times: read with an explicit offset, shown in the site's time zone.
//!
//! A breach notice that says "16:30" without saying which 16:30 is worse than
//! none, so a time without an offset is an error, never silently UTC. Every
//! time is shown in the site's IANA zone with its abbreviation ("19 November
//! 2026, 16:30 GMT") and given to machines in UTC. The zone database is the one
//! jiff bundles, so output is the same on every machine.

use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};
use serde::Serialize;

/// Parse an RFC 3339 time that carries `Z` or an offset.
pub fn parse_instant(text: &str) -> Result<Timestamp, String> {
    let text = text.trim();
    // jiff accepts a bare date-time as a "civil" time only when asked for one;
    // Timestamp parsing insists on an offset, which is exactly the rule here.
    text.parse::<Timestamp>().map_err(|_| {
        if looks_offsetless(text) {
            "this time has no UTC offset".to_string()
        } else {
            format!("`{text}` is not an RFC 3339 time")
        }
    })
}

fn looks_offsetless(text: &str) -> bool {
    text.parse::<jiff::civil::DateTime>().is_ok() || text.parse::<jiff::civil::Date>().is_ok()
}

pub const OFFSET_HINT: &str = "write the time with Z (UTC) or an offset, for example 2026-11-19T16:30:00Z or 2026-11-19T16:30:00+01:00";

/// A time as templates see it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Hash)]
pub struct TimeView {
    /// RFC 3339 in UTC, for `<time datetime>`, feeds and JSON.
    pub iso: String,
    /// "19 November 2026, 16:30 GMT"
    pub long: String,
    /// "19 November 2026"
    pub date: String,
    /// "16:30 GMT"
    pub time: String,
    /// "19 Nov, 16:30"
    pub short: String,
    /// Seconds since the Unix epoch, for sorting and comparing in templates.
    pub epoch: i64,
}

/// A time view, shared by the many views that show the same time.
pub type Time = std::sync::Arc<TimeView>;

/// The site's zone, with helpers to show times in it.
#[derive(Debug, Clone)]
pub struct Clock {
    pub tz: TimeZone,
    pub tz_name: String,
    /// The reader's language: month names, the order of a date's parts,
    /// the zone's name. The time itself never changes.
    pub strings: std::sync::Arc<crate::base::i18n::Strings>,
    /// Views already made, kept by the preview between rebuilds.
    memo: Option<Memo>,
}

/// Time views by instant, for one zone.
pub type Memo = std::sync::Arc<std::sync::RwLock<std::collections::HashMap<Timestamp, Time>>>;

/// More views than any site holds: the memo is emptied rather than grown.
const MEMO_MAX: usize = 200_000;

impl Clock {
    pub fn new(tz_name: &str) -> Result<Clock, String> {
        let tz = TimeZone::get(tz_name)
            .map_err(|_| format!("`{tz_name}` is not an IANA time zone name"))?;
        Ok(Clock {
            tz,
            tz_name: tz_name.to_string(),
            strings: crate::base::i18n::Strings::english(),
            memo: None,
        })
    }

    pub fn utc() -> Clock {
        Clock {
            tz: TimeZone::UTC,
            tz_name: "UTC".to_string(),
            strings: crate::base::i18n::Strings::english(),
            memo: None,
        }
    }

    /// The clock of a zone, or UTC for a name that is not one (which
    /// `site.toml`'s reader has already reported).
    pub fn or_utc(tz_name: &str) -> Clock {
        Clock::new(tz_name).unwrap_or_else(|_| Clock::utc())
    }

    /// Show times in the words of `strings`' language.
    pub fn in_language(mut self, strings: std::sync::Arc<crate::base::i18n::Strings>) -> Clock {
        self.strings = strings;
        self.memo = None;
        self
    }

    /// Remember views in `memo` (which must belong to this zone and language).
    pub fn with_memo(mut self, memo: Memo) -> Clock {
        self.memo = Some(memo);
        self
    }

    pub fn zoned(&self, t: Timestamp) -> ZonedDateTime {
        t.to_zoned_datetime(self.tz.clone())
    }

    /// Every form a template needs.
    pub fn view(&self, t: Timestamp) -> Time {
        let Some(memo) = &self.memo else {
            return Time::new(self.make_view(t));
        };
        if let Some(v) = memo.read().ok().and_then(|m| m.get(&t).cloned()) {
            return v;
        }
        let v = Time::new(self.make_view(t));
        if let Ok(mut m) = memo.write() {
            if m.len() >= MEMO_MAX {
                m.clear();
            }
            m.insert(t, v.clone());
        }
        v
    }

    /// Built from the parts rather than with strftime: a large site formats
    /// tens of thousands of times.
    fn make_view(&self, t: Timestamp) -> TimeView {
        let info = self.tz.to_offset_info(t);
        let dt = info.offset().to_datetime(t);
        let (long, date, time, short) = self.strings.times(&crate::base::i18n::TimeParts {
            year: dt.year(),
            month: dt.month(),
            day: dt.day(),
            hour: dt.hour(),
            minute: dt.minute(),
            zone: info.abbreviation(),
        });
        TimeView {
            iso: iso_utc(t),
            long,
            short,
            date,
            time,
            epoch: t.as_second(),
        }
    }

    /// Format with a strftime pattern (for the template `date` filter).
    pub fn format(&self, t: Timestamp, pattern: &str) -> Result<String, String> {
        let z = self.zoned(t);
        let mut out = String::new();
        jiff::fmt::strtime::format(pattern, &z)
            .map(|s| out.push_str(&s))
            .map_err(|e| format!("bad date format `{pattern}`: {e}"))?;
        Ok(out)
    }
}

/// "2026-11-19T16:30:00Z": seconds precision, always UTC.
pub fn iso_utc(t: Timestamp) -> String {
    let dt = jiff::tz::Offset::UTC.to_datetime(t);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsetless_and_date_only_times_are_rejected() {
        assert_eq!(
            parse_instant("2026-11-19T16:30:00").unwrap_err(),
            "this time has no UTC offset"
        );
        assert_eq!(
            parse_instant("2026-11-19").unwrap_err(),
            "this time has no UTC offset"
        );
        assert!(
            parse_instant("yesterday")
                .unwrap_err()
                .contains("not an RFC 3339 time")
        );
        assert!(parse_instant("2026-11-19T16:30:00+01:00").is_ok());
        assert!(parse_instant("2026-11-19 16:30:00Z").is_ok());
    }

    #[test]
    fn london_shows_bst_then_gmt_across_the_october_change() {
        let clock = Clock::new("Europe/London").unwrap();
        // The clocks went back at 01:00 UTC on 25 October 2026.
        let before = parse_instant("2026-10-24T15:30:00Z").unwrap();
        let after = parse_instant("2026-10-26T15:30:00Z").unwrap();
        assert_eq!(clock.view(before).long, "24 October 2026, 16:30 BST");
        assert_eq!(clock.view(after).long, "26 October 2026, 15:30 GMT");
        assert_eq!(clock.view(after).iso, "2026-10-26T15:30:00Z");
    }

    #[test]
    fn views_match_strftime() {
        for zone in ["Europe/London", "America/New_York", "Asia/Kolkata", "UTC"] {
            let clock = Clock::new(zone).unwrap();
            for s in [0i64, 1_795_000_000, 1_792_900_000, 1_900_000_000, -86_400] {
                let t = Timestamp::from_second(s).unwrap();
                let z = clock.zoned(t);
                let v = clock.view(t);
                assert_eq!(v.long, z.strftime("%-d %B %Y, %H:%M %Z").to_string());
                assert_eq!(v.short, z.strftime("%-d %b, %H:%M %Z").to_string());
                assert_eq!(v.iso, t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string());
            }
        }
    }

    #[test]
    fn unknown_zone_is_an_error() {
        assert!(Clock::new("Europe/Lndon").is_err());
    }
}
