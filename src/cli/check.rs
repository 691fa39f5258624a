//! `qiangji check`: prints a summary of what was checked and every violation.

use super::CliError;
use crate::i18n::{Lang, Localized};
use crate::registry::Registry;

pub fn run(registry: &Registry, lang: Lang) -> Result<(), CliError> {
    let report = registry
        .check(lang)
        .map_err(|e| CliError::Message(e.localized(lang)))?;
    println!(
        "{} {}",
        lang.pick("数据库", "database"),
        registry.store().path().display()
    );
    for (zh, en, n) in &report.counts {
        println!("  {:<12} {n:>10}", lang.pick(zh, en));
    }
    if report.ok() {
        println!("{}", lang.pick("全部校验通过。", "every check holds."));
        return Ok(());
    }
    println!(
        "{} {}",
        report.violations.len(),
        lang.pick("处不一致：", "violations:")
    );
    for v in &report.violations {
        // A finding may quote stored text; nothing raw reaches the terminal.
        println!("  - {}", crate::export::cell::plain(v));
    }
    Err(CliError::Failed)
}
