//! External programs some tests drive (tmux, hledger, setpriv). A test that
//! cannot run must not report a pass where it is expected to run: in CI
//! (`CI=true`, set by `.ci/run`, which installs these tools) a missing tool
//! fails the test; elsewhere the test prints why it skips and returns.

use std::process::{Command, Stdio};

/// True when `CI` says this is a CI run (`true`, `1`, `yes`).
pub fn in_ci() -> bool {
    std::env::var("CI")
        .is_ok_and(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes"))
}

/// Whether `tool probe...` runs and succeeds. If not: a panic in CI, else a
/// line saying what is skipped and why, and false.
pub fn available(tool: &str, probe: &[&str], needed_for: &str) -> bool {
    if runs(tool, probe) {
        return true;
    }
    skip_or_fail(&format!(
        "`{tool} {}` does not run, so {needed_for} cannot be tested; install {tool} (.ci/run does)",
        probe.join(" ")
    ))
}

/// Whether `tool probe...` runs and succeeds, quietly.
pub fn runs(tool: &str, probe: &[&str]) -> bool {
    Command::new(tool)
        .args(probe)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// For a test that cannot run for `reason`: fails in CI, else prints
/// `skipping: reason` and returns false.
pub fn skip_or_fail(reason: &str) -> bool {
    if in_ci() {
        panic!("CI=true but this test cannot run: {reason}");
    }
    eprintln!("skipping: {reason}");
    false
}
