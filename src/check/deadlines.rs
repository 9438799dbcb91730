//! Deadlines: each selected regime's clock from the incident's
//! `discovered` time, closed by `[[notified]]` entries.

use jiff::{SignedDuration, Timestamp, ToSpan};
use serde::Serialize;

use super::rules::Deadline;
use crate::base::time::Clock;
use crate::model::IncidentView;

#[derive(Debug, Clone, Serialize)]
pub struct DeadlineRow {
    pub incident: String,
    pub regime: String,
    pub id: String,
    pub who: String,
    pub message: String,
    /// When the clock runs out, if the rule has a fixed time.
    pub due: Option<String>,
    pub due_iso: Option<String>,
    /// With audiences: the people this regime protects, across them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub people: Option<i64>,
    /// "done 17 November 2026, 09:00 GMT", "2 days 4 hours left", "overdue by 3 hours", "no fixed time"
    pub state: String,
    pub overdue: bool,
    pub source: String,
    /// How to tell them: a form, an address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub how: Option<String>,
}

pub fn deadline_row(
    clock: &Clock,
    inc: &IncidentView,
    regime: &str,
    d: &Deadline,
    notified: Option<Timestamp>,
    now: Timestamp,
    people: Option<i64>,
) -> DeadlineRow {
    let discovered = Timestamp::from_second(inc.discovered.epoch).unwrap_or(now);
    let below = d.min_people.zip(people).is_some_and(|(min, n)| n < min);
    let due: Option<Timestamp> = match (d.hours, d.days) {
        _ if below => None,
        (Some(h), _) => discovered.checked_add(SignedDuration::from_hours(h)).ok(),
        // Calendar days in the site's zone: the wall-clock time is kept across a clock change.
        (None, Some(days)) => clock
            .zoned(discovered)
            .checked_add(days.days())
            .ok()
            .map(|z| z.timestamp()),
        (None, None) => None,
    };
    let (state, overdue) = match (notified, due) {
        (Some(at), Some(due)) if at <= due => (format!("done {}", clock.view(at).long), false),
        (Some(at), Some(_)) => (format!("done late, {}", clock.view(at).long), false),
        (Some(at), None) => (format!("done {}", clock.view(at).long), false),
        (None, Some(due)) if due > now => (
            format!("{} left", span_words(due.duration_since(now))),
            false,
        ),
        (None, Some(due)) => (
            format!("overdue by {}", span_words(now.duration_since(due))),
            true,
        ),
        (None, None) if below => (
            format!(
                "not required: fewer than {} people",
                d.min_people.unwrap_or(0)
            ),
            false,
        ),
        (None, None) => ("no fixed time".to_string(), false),
    };
    DeadlineRow {
        incident: inc.slug.clone(),
        regime: regime.to_string(),
        id: d.id.clone(),
        who: d.who.clone(),
        message: d.message.clone(),
        due: due.map(|t| clock.view(t).long.clone()),
        due_iso: due.map(crate::base::time::iso_utc),
        people: None,
        state,
        overdue,
        source: d.source.clone(),
        how: None,
    }
}

/// "2 days 4 hours", "35 minutes"
pub(super) fn span_words(d: SignedDuration) -> String {
    let mins = d.as_secs().max(0) / 60;
    let (days, hours, minutes) = (mins / 1440, (mins % 1440) / 60, mins % 60);
    let unit = |n: i64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    match (days, hours) {
        (0, 0) => unit(minutes, "minute"),
        (0, h) => unit(h, "hour"),
        (d, 0) => unit(d, "day"),
        (d, h) => format!("{} {}", unit(d, "day"), unit(h, "hour")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_in_words() {
        assert_eq!(span_words(SignedDuration::from_mins(50)), "50 minutes");
        assert_eq!(span_words(SignedDuration::from_hours(52)), "2 days 4 hours");
        assert_eq!(span_words(SignedDuration::from_hours(24)), "1 day");
    }
}
