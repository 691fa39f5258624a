//! The quick check, `qiangji ledger`: every account with what was allocated,
//! spent and is left, from the running balances (one read per account, never
//! a scan of the entries), as an aligned table, JSON or CSV.

use std::io::Write;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::ExportError;
use crate::domain::{Account, Balance, Holder, Money, ProjectId};
use crate::i18n::Lang;
use crate::registry::Reader;

/// Which accounts to show. A group's accounts are its daily and reward funds;
/// a school's, its base fund.
#[derive(Clone, Copy, Debug, Default)]
pub struct Selection {
    pub project: Option<ProjectId>,
    pub school: Option<u64>,
    pub year: Option<i32>,
}

impl Selection {
    pub fn holds(&self, account: &Account) -> bool {
        let holder = match (self.project, self.school) {
            (None, None) => true,
            (p, s) => match account.holder {
                Holder::Project(h) => p == Some(h),
                Holder::School(h) => s == Some(h),
            },
        };
        holder && self.year.is_none_or(|y| account.year == y)
    }
}

/// One account's line. JSON keys are stable: `project` or `school`, `year`,
/// `account` (daily, reward, base) and amounts in fen.
#[derive(Clone, Debug, Serialize)]
pub struct BalanceRow {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub school: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub school_name: Option<String>,
    pub year: i32,
    pub account: &'static str,
    pub allocated_fen: i64,
    pub spent_fen: i64,
    pub balance_fen: i64,
    pub entries: u64,
    #[serde(skip)]
    pub holder_label: (String, String),
    #[serde(skip)]
    pub fund_label: (&'static str, &'static str),
}

impl BalanceRow {
    fn new(account: &Account, b: &Balance, school_name: Option<String>) -> BalanceRow {
        let holder_label = match account.holder {
            Holder::Project(p) => (p.group_name(Lang::Zh), p.group_name(Lang::En)),
            Holder::School(id) => {
                let name = school_name.clone().unwrap_or_else(|| id.to_string());
                (name.clone(), name)
            }
        };
        BalanceRow {
            project: account.project().map(|p| p.code()),
            school: match account.holder {
                Holder::School(s) => Some(s),
                Holder::Project(_) => None,
            },
            school_name,
            year: account.year,
            account: account.fund.code(),
            allocated_fen: b.allocated.fen(),
            spent_fen: b.spent.fen(),
            balance_fen: b.balance().fen(),
            entries: b.entries,
            holder_label,
            fund_label: (account.fund.label(Lang::Zh), account.fund.label(Lang::En)),
        }
    }

    fn holder(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.holder_label.0,
            Lang::En => &self.holder_label.1,
        }
    }
}

/// The selected accounts, groups first (in programme order), then schools.
pub fn rows(registry: &Reader<'_>, selection: &Selection) -> Result<Vec<BalanceRow>, ExportError> {
    let mut out = Vec::new();
    for (account, b) in registry.balances()? {
        if !selection.holds(&account) {
            continue;
        }
        let school_name = match account.holder {
            Holder::School(id) => registry.school(id)?.map(|s| s.application.name),
            Holder::Project(_) => None,
        };
        out.push(BalanceRow::new(&account, &b, school_name));
    }
    Ok(out)
}

const HEADERS: [(&str, &str); 6] = [
    ("项目组/基地校", "Group / school"),
    ("年度", "Year"),
    ("经费", "Fund"),
    ("拨入", "Allocated"),
    ("支出", "Spent"),
    ("余额", "Balance"),
];

fn cells(r: &BalanceRow, lang: Lang) -> [String; 6] {
    [
        super::cell::plain(r.holder(lang)).into_owned(),
        r.year.to_string(),
        lang.pick(r.fund_label.0, r.fund_label.1).to_string(),
        Money(r.allocated_fen).display(),
        Money(r.spent_fen).display(),
        Money(r.balance_fen).display(),
    ]
}

/// Columns padded by display width (a Chinese character takes two cells),
/// amounts right-aligned, a total row per fund (a daily fund's money and a
/// reward fund's are never added up as one); plain text, so it reads the
/// same piped into a file or a chat message.
pub fn table<W: Write>(rows: &[BalanceRow], lang: Lang, out: &mut W) -> Result<(), ExportError> {
    let mut lines: Vec<[String; 6]> = vec![HEADERS.map(|(zh, en)| lang.pick(zh, en).to_string())];
    lines.extend(rows.iter().map(|r| cells(r, lang)));
    let mut funds: Vec<&'static str> = Vec::new();
    for r in rows {
        if !funds.contains(&r.account) {
            funds.push(r.account);
        }
    }
    let total_row = |rows: &[&BalanceRow], fund: &str| -> Result<[String; 6], ExportError> {
        let sum = |f: fn(&BalanceRow) -> i64| {
            Money::checked_sum(rows.iter().map(|r| Money(f(r))))
                .map(Money::display)
                .ok_or(ExportError::Overflow)
        };
        Ok([
            match lang {
                Lang::Zh => format!("合计 {} 个账户", rows.len()),
                Lang::En if rows.len() == 1 => "Total, 1 account".to_string(),
                Lang::En => format!("Total, {} accounts", rows.len()),
            },
            String::new(),
            fund.to_string(),
            sum(|r| r.allocated_fen)?,
            sum(|r| r.spent_fen)?,
            sum(|r| r.balance_fen)?,
        ])
    };
    let mut totals = Vec::new();
    for fund in &funds {
        let of_fund: Vec<&BalanceRow> = rows.iter().filter(|r| r.account == *fund).collect();
        let label = of_fund
            .first()
            .map_or("", |r| lang.pick(r.fund_label.0, r.fund_label.1));
        totals.push(total_row(&of_fund, label)?);
    }
    if totals.is_empty() {
        totals.push(total_row(&[], "")?);
    }
    let mut widths = [0usize; 6];
    for line in lines.iter().chain(totals.iter()) {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(cell.width());
        }
    }
    let rule: String = widths
        .iter()
        .map(|w| "-".repeat(*w))
        .collect::<Vec<_>>()
        .join("  ");
    let write_line = |line: &[String; 6], out: &mut W| -> std::io::Result<()> {
        let mut text = String::new();
        for (i, (cell, w)) in line.iter().zip(widths).enumerate() {
            let pad = " ".repeat(w - cell.width());
            if i > 0 {
                text.push_str("  ");
            }
            // Amounts to the right, words to the left.
            if i >= 3 {
                text.push_str(&pad);
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.push_str(&pad);
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    write_line(&lines[0], out)?;
    writeln!(out, "{rule}")?;
    for line in &lines[1..] {
        write_line(line, out)?;
    }
    writeln!(out, "{rule}")?;
    for line in &totals {
        write_line(line, out)?;
    }
    Ok(())
}

/// The sum of one column over every row, refused when it does not fit (a
/// total is never wrapped into a plausible wrong number).
pub fn total(rows: &[BalanceRow], f: fn(&BalanceRow) -> i64) -> Result<Money, ExportError> {
    Money::checked_sum(rows.iter().map(|r| Money(f(r)))).ok_or(ExportError::Overflow)
}

pub fn json<W: Write>(rows: &[BalanceRow], out: &mut W) -> Result<(), ExportError> {
    super::cell::write_json(&mut *out, rows, super::cell::SafeJson::pretty())?;
    writeln!(out)?;
    Ok(())
}

/// UTF-8 with a byte-order mark and headers in the user's language, amounts in
/// yuan with two decimals so a spreadsheet sums them.
pub fn csv<W: Write>(rows: &[BalanceRow], lang: Lang, out: &mut W) -> Result<(), ExportError> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(HEADERS.iter().map(|(zh, en)| lang.pick(zh, en)))?;
    for r in rows {
        let c = cells(r, lang);
        w.write_record([
            super::cell::spreadsheet(&c[0]).as_ref(),
            &c[1],
            &c[2],
            &Money(r.allocated_fen).plain(),
            &Money(r.spent_fen).plain(),
            &Money(r.balance_fen).plain(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(project: ProjectId, allocated: i64, spent: i64) -> BalanceRow {
        let b = Balance {
            allocated: Money(allocated),
            spent: Money(spent),
            entries: 2,
            live_allocations: 1,
        };
        BalanceRow::new(&Account::daily(project, 2026), &b, None)
    }

    #[test]
    fn the_table_aligns_chinese_and_totals() {
        let rows = [
            row(ProjectId::Math, 1_234_567, 34_500),
            row(ProjectId::Humanities, 100, 0),
        ];
        let mut out = Vec::new();
        table(&rows, Lang::Zh, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 6, "{text}");
        assert!(lines[2].starts_with("数学组 "), "{text}");
        assert!(lines[3].starts_with("历史哲学古文字学组"), "{text}");
        assert!(lines[2].ends_with("¥12,000.67"), "{text}");
        assert!(lines[5].starts_with("合计"), "{text}");
        assert!(lines[5].ends_with("¥12,001.67"), "{text}");
        // Every balance ends in the same column, counted in display cells.
        let ends: Vec<usize> = [0, 2, 3, 5].iter().map(|&i| lines[i].width()).collect();
        assert!(ends.windows(2).all(|w| w[0] == w[1]), "{text}");
    }

    #[test]
    fn json_names_the_holder_and_amounts_in_fen() {
        let mut out = Vec::new();
        json(&[row(ProjectId::Math, 500, 200)], &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v[0]["project"], "math");
        assert_eq!(v[0]["account"], "daily");
        assert_eq!(v[0]["balance_fen"], 300);
        assert!(v[0].get("school").is_none());
    }
}
