//! `qiangji check`: prints a summary of what was checked and every violation.
//! Exit 1 when records break a rule, 2 when the storage is damaged (a value
//! that does not decode, or a database that cannot be opened).

use std::path::Path;

use super::CliError;
use crate::i18n::{Lang, Localized};
use crate::registry::Registry;
use crate::store::{Accepted, MarkState, StoreError};

/// `accept_loss`: open in place whatever the `acknowledged` mark says and
/// set it to the newest audit entry present, the one way to keep using a
/// database whose mark is missing, garbled or ahead (after deciding not to
/// restore a backup). Without it the database is opened as a private copy
/// and never written.
pub fn run(dir: &Path, accept_loss: bool, lang: Lang) -> Result<(), CliError> {
    let registry = if accept_loss {
        let (registry, accepted) = Registry::open_accepting_loss(dir)?;
        println!("{}", describe_accepted(&accepted, lang));
        registry
    } else {
        Registry::open_read_only(dir)?
    };
    let report = match registry.check(lang) {
        Ok(report) => report,
        Err(e @ StoreError::Corrupt { .. }) => return Err(CliError::Damaged(e.localized(lang))),
        Err(e) => return Err(CliError::Message(e.localized(lang))),
    };
    println!(
        "{} {}",
        lang.pick("数据库", "database"),
        registry.store().path().display()
    );
    for line in counts_table(&report.counts, lang) {
        println!("  {line}");
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
    if report.damaged > 0 {
        return Err(CliError::Damaged(
            lang.pick(
                "存储已损坏（有无法读取的记录）；请从备份恢复",
                "the storage is damaged (records that cannot be read); restore it from a backup",
            )
            .into(),
        ));
    }
    Err(CliError::Failed)
}

/// What was checked, a line per kind: the names left, the numbers right,
/// aligned by display width in either language.
fn counts_table(counts: &[(&str, &str, usize)], lang: Lang) -> Vec<String> {
    let rows: Vec<Vec<String>> = counts
        .iter()
        .map(|(zh, en, n)| vec![lang.pick(zh, en).to_string(), n.to_string()])
        .collect();
    crate::export::cell::columns(&rows, &[1])
}

fn describe_accepted(a: &Accepted, lang: Lang) -> String {
    let before = match (&a.mark, lang) {
        (MarkState::At(m), Lang::Zh) => format!("确认标记原为审计记录 {m}"),
        (MarkState::At(m), Lang::En) => format!("the mark said audit entry {m}"),
        (MarkState::Absent, Lang::Zh) => "确认标记缺失".into(),
        (MarkState::Absent, Lang::En) => "the mark was missing".into(),
        (MarkState::Garbled(_), Lang::Zh) => "确认标记已损坏".into(),
        (MarkState::Garbled(why), Lang::En) => format!("the mark was garbled ({why})"),
    };
    match lang {
        Lang::Zh => format!(
            "已按现状接受：{before}，现存最新审计记录为 {}，标记已改为该值。",
            a.newest
        ),
        Lang::En => format!(
            "accepted as it is: {before}; the newest audit entry present is {}, and the mark now says so.",
            a.newest
        ),
    }
}

#[cfg(test)]
mod tests {
    use unicode_width::UnicodeWidthStr;

    use super::*;

    #[test]
    fn the_counts_line_up_by_display_width_in_both_languages() {
        let counts = [
            ("学员", "trainees", 4_200),
            ("在培学生学员", "enrolled students", 300),
            ("审计记录", "audit entries", 51_234),
            ("账户", "accounts", 7),
        ];
        for lang in [Lang::Zh, Lang::En] {
            let lines = counts_table(&counts, lang);
            let ends: Vec<usize> = lines.iter().map(|l| l.width()).collect();
            assert!(
                ends.iter().all(|&e| e == ends[0]),
                "{lang:?}:\n{}",
                lines.join("\n")
            );
            // The numbers start after the widest name, never inside it.
            let widest = counts
                .iter()
                .map(|(zh, en, _)| lang.pick(zh, en).width())
                .max();
            assert!(lines.iter().all(|l| l.width() > widest.unwrap_or(0) + 1));
        }
    }
}
