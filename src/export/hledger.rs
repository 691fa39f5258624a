//! The ledger as an hledger journal, for finance staff who keep their books in
//! plain text. Every account is declared with its type, the commodity and the
//! decimal mark are declared, and every entry is a balanced transaction:
//!
//! - an allocation moves money from the bureau's grant (revenue) into the fund
//!   (asset);
//! - an expense moves money from the fund into an expense account per
//!   category;
//! - a reversal posts its original's lines with the signs turned.
//!
//! So `hledger bal` of an asset account equals our balance of that account.
//! The voucher number is the transaction code, the group (or school) and the
//! category are tags.

use crate::domain::ledger::category_label;
use std::collections::BTreeSet;
use std::io::Write;

use super::ExportError;
use super::balances::Selection;
use crate::domain::{Account, Entry, EntryKind, Holder, Money};
use crate::i18n::Lang;
use crate::registry::Reader;

/// The names of one account's three sides.
struct Names {
    asset: String,
    revenue: String,
    /// Followed by `:category`.
    expense: String,
    holder_tag: String,
}

/// hledger reads `:` as a level separator, two spaces as the end of an account
/// name, `;` as a comment and `,` as the end of a tag value; none of those may
/// come from a record's text.
fn clean(text: &str) -> String {
    let mapped: String = text
        .chars()
        .map(|c| match c {
            ':' => '：',
            ';' => '；',
            ',' => '，',
            '(' => '（',
            ')' => '）',
            '|' => '｜',
            // Controls and invisible characters, as every export does.
            c if crate::domain::chars::is_unsafe(c) => ' ',
            c => c,
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn names(account: &Account, school_name: &dyn Fn(u64) -> String, lang: Lang) -> Names {
    let holder = match account.holder {
        Holder::Project(p) => clean(&p.group_name(lang)),
        Holder::School(id) => format!(
            "{}:{}",
            lang.pick("基地校", "base schools"),
            clean(&school_name(id))
        ),
    };
    let fund = clean(account.fund.label(lang));
    let year = account.year;
    Names {
        asset: format!(
            "{}:{holder}:{fund}:{year}",
            lang.pick("资产:专项经费", "assets:earmarked funds")
        ),
        revenue: format!(
            "{}:{holder}:{fund}:{year}",
            lang.pick("收入:专项拨款", "revenue:grants")
        ),
        expense: format!("{}:{holder}:{fund}:{year}", lang.pick("支出", "expenses")),
        holder_tag: format!(
            "{}:{}",
            lang.pick("项目组", "group"),
            holder.replace(':', "/")
        ),
    }
}

/// `1,234.50 CNY`, the style the journal declares.
fn amount(m: Money) -> String {
    format!("{} CNY", m.grouped())
}

/// Writes every entry of the selected accounts, oldest first.
pub fn journal<W: Write>(
    registry: &Reader<'_>,
    selection: &Selection,
    lang: Lang,
    today: chrono::NaiveDate,
    out: &mut W,
) -> Result<(), ExportError> {
    let schools: std::collections::HashMap<u64, String> = registry
        .schools()?
        .into_iter()
        .map(|s| (s.id, s.application.name))
        .collect();
    let school_name = |id: u64| schools.get(&id).cloned().unwrap_or_else(|| id.to_string());

    // Declarations first: hledger's strict mode wants every account declared
    // before use, and the set is known from the running balances.
    // Sorted assets, revenue, expenses, as a chart of accounts reads.
    let mut declared: BTreeSet<(u8, String, &str)> = BTreeSet::new();
    let mut categories: BTreeSet<(Account, String)> = BTreeSet::new();
    for e in registry.all_entries() {
        let e = e?;
        if selection.holds(&e.account) && e.kind == EntryKind::Expense {
            categories.insert((e.account, clean(category_label(&e.category, lang))));
        }
    }
    for (account, _) in registry.balances()? {
        if !selection.holds(&account) {
            continue;
        }
        let n = names(&account, &school_name, lang);
        declared.insert((0, n.asset, "Asset"));
        declared.insert((1, n.revenue, "Revenue"));
    }
    for (account, category) in &categories {
        let n = names(account, &school_name, lang);
        declared.insert((2, format!("{}:{category}", n.expense), "Expense"));
    }

    writeln!(
        out,
        "; {} {today}",
        lang.pick(
            "强基 Qiangji 专项资金使用台账，导出于",
            "Qiangji earmarked-fund ledger, exported on"
        )
    )?;
    writeln!(out, "decimal-mark .")?;
    writeln!(out, "commodity 1,000.00 CNY")?;
    writeln!(out)?;
    for (_, name, kind) in &declared {
        writeln!(out, "account {name}  ; type: {kind}")?;
    }

    for e in registry.all_entries() {
        let e = e?;
        if !selection.holds(&e.account) {
            continue;
        }
        let n = names(&e.account, &school_name, lang);
        // A reversal mirrors the entry it cancels.
        let (shape, sign, category) = match e.kind {
            EntryKind::Reversal { of } => match registry.entry(of)? {
                Some(original) => (original.kind, -1, original.category),
                None => continue,
            },
            kind => (kind, 1, e.category.clone()),
        };
        let category = category_label(&category, lang);
        let signed = Money(sign * e.amount.fen());
        let (debit, credit) = match shape {
            EntryKind::Allocation => (n.asset.clone(), n.revenue.clone()),
            _ => (
                format!("{}:{}", n.expense, clean(category)),
                n.asset.clone(),
            ),
        };
        write_transaction(out, &e, &n, category, lang)?;
        writeln!(out, "    {debit}  {}", amount(signed))?;
        writeln!(out, "    {credit}")?;
    }
    Ok(())
}

fn write_transaction<W: Write>(
    out: &mut W,
    e: &Entry,
    n: &Names,
    category: &str,
    lang: Lang,
) -> Result<(), ExportError> {
    let code = if e.voucher.trim().is_empty() {
        String::new()
    } else {
        format!(" ({})", clean(&e.voucher))
    };
    let payee = clean(&e.payee);
    let what = match e.kind {
        EntryKind::Reversal { of } => format!("{} #{of}", e.kind.label(lang)),
        kind => kind.label(lang).to_string(),
    };
    let note = clean(&e.note);
    let description = match (payee.is_empty(), note.is_empty()) {
        (true, true) => what,
        (true, false) => format!("{what} {note}"),
        (false, true) => format!("{payee} | {what}"),
        (false, false) => format!("{payee} | {what} {note}"),
    };
    writeln!(out)?;
    writeln!(
        out,
        "{}{code} {description}  ; {}, {}:{}, {}:{}",
        e.date,
        n.holder_tag,
        lang.pick("类别", "category"),
        clean(category),
        lang.pick("编号", "id"),
        e.id
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_text_cannot_break_the_journal() {
        assert_eq!(clean("a:b; c,d  (e) | f\n"), "a：b； c，d （e） ｜ f");
        assert_eq!(amount(Money(123_456)), "1,234.56 CNY");
        assert_eq!(amount(Money(-5)), "-0.05 CNY");
    }
}
