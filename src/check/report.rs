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
    let mut incidents: Vec<&str> = Vec::new();
    for i in report
        .laws
        .iter()
        .map(|l| l.incident.as_str())
        .chain(report.deadlines.iter().map(|d| d.incident.as_str()))
    {
        if !incidents.contains(&i) {
            incidents.push(i);
        }
    }
    for incident in incidents {
        let _ = writeln!(out, "Obligations for {incident}:");
        let laws: Vec<_> = report
            .laws
            .iter()
            .filter(|l| l.incident == incident)
            .collect();
        for l in &laws {
            let _ = writeln!(
                out,
                "  {} ({}): {}. {}: {}.",
                l.name,
                l.place,
                l.people_text,
                capitalised(l.status.words()),
                l.why.trim_end_matches('.')
            );
            let rows = report
                .deadlines
                .iter()
                .filter(|d| d.incident == incident && d.regime == l.place);
            for d in rows {
                row(&mut out, d, &paint, "    ");
            }
            if l.status != super::laws::Status::NotTriggered && !l.must_include.is_empty() {
                let _ = writeln!(
                    out,
                    "    the notice must include{}: {}",
                    if l.content_checked {
                        " (checked above)"
                    } else {
                        " (not checked by candor: check it yourself)"
                    },
                    l.must_include.join("; ")
                );
            }
            if l.status != super::laws::Status::NotTriggered && !l.must_not_include.is_empty() {
                let _ = writeln!(
                    out,
                    "    the notice must not include: {}",
                    l.must_not_include.join("; ")
                );
            }
            if l.status != super::laws::Status::NotTriggered && !l.exemptions.is_empty() {
                let _ = writeln!(out, "    exemptions: {}", l.exemptions);
            }
            let _ = writeln!(
                out,
                "    {} (checked {}, confidence {}; {})",
                l.law, l.last_checked, l.confidence, l.source
            );
        }
        for d in report
            .deadlines
            .iter()
            .filter(|d| d.incident == incident && !laws.iter().any(|l| l.place == d.regime))
        {
            let _ = writeln!(out, "  {}", d.regime);
            row(&mut out, d, &paint, "    ");
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{} errors (must, must not), {} warnings (should). {}",
        report.errors, report.warnings, report.disclaimer
    );
    out
}

/// One duty: who, when, in what state, and how.
fn row(
    out: &mut String,
    d: &super::DeadlineRow,
    paint: &dyn Fn(&str, &str) -> String,
    indent: &str,
) {
    let state = if d.overdue {
        paint("\x1b[1;31m", &d.state)
    } else {
        d.state.clone()
    };
    let _ = writeln!(out, "{indent}{} [{}]", d.who, d.id);
    match &d.due {
        Some(due) => {
            let _ = writeln!(out, "{indent}  due {due}: {state}");
        }
        None => {
            let _ = writeln!(out, "{indent}  {state}");
        }
    }
    let _ = writeln!(out, "{indent}  {}", d.message);
    if let Some(how) = &d.how {
        let _ = writeln!(out, "{indent}  how: {how}");
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}
