//! The report a person reads: the findings, each as a diagnostic, then
//! the deadlines.

use std::fmt::Write as _;

use super::Report;
use crate::base::diagnostics::Style;

pub fn human(report: &Report, style: Style) -> String {
    let paint = |code: &str, t: &str| {
        if style.colour {
            format!("{code}{t}\x1b[0m")
        } else {
            t.to_string()
        }
    };
    let mut out = String::new();
    let _ = writeln!(out, "Checked against: {}\n", report.regimes.join(", "));
    // Each finding as every diagnostic is shown: one renderer, one colour scheme.
    for f in &report.findings {
        let _ = writeln!(out, "{}\n", f.render(style));
    }
    let mut last_incident = None;
    for d in &report.deadlines {
        if last_incident != Some(&d.incident) {
            let _ = writeln!(out, "Deadlines for {}:", d.incident);
            last_incident = Some(&d.incident);
        }
        let state = if d.overdue {
            paint("\x1b[1;31m", &d.state)
        } else {
            d.state.clone()
        };
        let _ = writeln!(out, "  {:<9}{}", d.regime, d.who);
        match &d.due {
            Some(due) => {
                let _ = writeln!(out, "  {:<9}due {due}: {state}", "");
            }
            None => {
                let _ = writeln!(out, "  {:<9}{state}", "");
            }
        }
        let _ = writeln!(out, "  {:<9}{} ({})", "", d.message, d.source);
    }
    if !report.deadlines.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{} errors (must, must not), {} warnings (should). This is not legal advice: each rule cites its source.",
        report.errors, report.warnings
    );
    out
}
