//! Progress on a terminal (issue #24): a long build, check or recipients
//! run shows a spinner on a terminal, and nothing when its output is not
//! a terminal or with `-q`. The terminal is script(1)'s pseudo-terminal;
//! the spinner's delay is set to nothing so the small example shows it.

use std::process::Command;

use crate::common::Site;

/// Run candor under a pseudo-terminal; what the terminal showed.
fn on_a_terminal(site: &Site, args: &str) -> Option<String> {
    if Command::new("script").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "script(1) (util-linux) is missing: the progress test cannot run"
        );
        eprintln!("skipped: script(1) is missing");
        return None;
    }
    let log = site.path("typescript");
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_candor"));
    let status = Command::new("script")
        .args(["-qec", &command])
        .arg(&log)
        .current_dir(site.path(""))
        .env("CANDOR_PROGRESS_DELAY_MS", "0")
        .env("NO_COLOR", "1")
        .output()
        .expect("run script");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    Some(std::fs::read_to_string(log).unwrap_or_default())
}

#[test]
fn a_spinner_on_a_terminal_and_nothing_elsewhere() {
    let site = Site::example();
    // Not a terminal: nothing but the summary.
    let run = site.candor_env(
        &["build", "--now", crate::common::NOW],
        &[("CANDOR_PROGRESS_DELAY_MS", "0")],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("Building"), "{}", run.stderr);
    assert!(!run.stderr.contains('\r'));

    let Some(shown) = on_a_terminal(&site, &format!("build --now {}", crate::common::NOW)) else {
        return;
    };
    assert!(shown.contains("Building"), "{shown}");
    assert!(shown.contains("Built "), "{shown}");
    let Some(quiet) = on_a_terminal(&site, &format!("build -q --now {}", crate::common::NOW))
    else {
        return;
    };
    assert!(!quiet.contains("Building"), "{quiet}");
    let Some(check) = on_a_terminal(&site, &format!("check --now {}", crate::common::NOW)) else {
        return;
    };
    assert!(check.contains("Checking"), "{check}");
}
