//! Excel workbooks. The ledger becomes the 台账 a finance office keeps: a
//! summary sheet of every account, then one sheet per account with its entries
//! in date order, a running balance and a total row. Other record kinds become
//! one sheet with the same columns as their CSV.

use std::collections::HashMap;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::balances::{self, Selection};
use super::cell;
use super::{ExportError, Filter, Kind, Row};
use crate::domain::{Account, Entry, EntryKind, Holder};
use crate::i18n::Lang;
use crate::registry::{Reader, Registry};

/// The printed lists' style (announcements, filings, the sign-in sheet):
/// a large bold title centred over the table, and a shaded header row with
/// the table's borders. One place, so the sheets a bureau prints match.
pub fn print_title() -> Format {
    Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(rust_xlsxwriter::FormatAlign::Center)
}

/// The header cells of a printed list (see `print_title`).
pub fn print_header() -> Format {
    Format::new()
        .set_bold()
        .set_border(rust_xlsxwriter::FormatBorder::Thin)
        .set_background_color("D9E1F2")
}

impl From<XlsxError> for ExportError {
    fn from(e: XlsxError) -> Self {
        ExportError::Io(std::io::Error::other(e.to_string()))
    }
}

fn yuan(fen: i64) -> f64 {
    fen as f64 / 100.0
}

struct Styles {
    header: Format,
    money: Format,
    total: Format,
    total_money: Format,
}

impl Styles {
    fn new() -> Styles {
        let money = "#,##0.00";
        Styles {
            header: Format::new().set_bold(),
            money: Format::new().set_num_format(money),
            total: Format::new().set_bold(),
            total_money: Format::new().set_bold().set_num_format(money),
        }
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, and
/// not one already taken.
fn sheet_name(wanted: &str, taken: &mut Vec<String>) -> String {
    let clean: String = cell::plain(wanted)
        .chars()
        .map(|c| if "[]:*?/\\'".contains(c) { '_' } else { c })
        .collect();
    let mut n = 1;
    loop {
        let suffix = if n == 1 {
            String::new()
        } else {
            format!(" ({n})")
        };
        let room = 31 - suffix.chars().count();
        let name: String = clean.chars().take(room).collect::<String>() + &suffix;
        if !taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
            taken.push(name.clone());
            return name;
        }
        n += 1;
    }
}

fn header(sheet: &mut Worksheet, row: u32, cells: &[&str], s: &Styles) -> Result<(), XlsxError> {
    for (c, text) in cells.iter().enumerate() {
        sheet.write_string_with_format(row, c as u16, *text, &s.header)?;
    }
    Ok(())
}

/// The ledger workbook for `filter` (group and year; schools' base funds are
/// included when no group is named).
pub fn ledger(registry: &Reader<'_>, filter: &Filter, lang: Lang) -> Result<Vec<u8>, ExportError> {
    let selection = Selection {
        project: filter.project,
        school: None,
        year: filter.year,
    };
    let s = Styles::new();
    let mut workbook = read_workbook(registry)?;
    let mut taken = Vec::new();

    let rows = balances::rows(registry, &selection)?;
    let mut summary = Worksheet::new();
    summary.set_name(sheet_name(lang.pick("汇总", "Summary"), &mut taken))?;
    let heads = [
        lang.pick("项目组/基地校", "Group / school"),
        lang.pick("年度", "Year"),
        lang.pick("经费", "Fund"),
        lang.pick("拨入", "Allocated"),
        lang.pick("支出", "Spent"),
        lang.pick("余额", "Balance"),
        lang.pick("记录数", "Entries"),
    ];
    header(&mut summary, 0, &heads, &s)?;
    let mut r = 1;
    for b in &rows {
        let holder = match (b.project, &b.school_name) {
            (Some(_), _) => lang.pick(&b.holder_label.0, &b.holder_label.1).to_string(),
            (None, Some(name)) => name.clone(),
            (None, None) => b.school.map(|s| s.to_string()).unwrap_or_default(),
        };
        summary.write_string(r, 0, cell::spreadsheet(&holder))?;
        summary.write_number(r, 1, b.year)?;
        summary.write_string(r, 2, lang.pick(b.fund_label.0, b.fund_label.1))?;
        summary.write_number_with_format(r, 3, yuan(b.allocated_fen), &s.money)?;
        summary.write_number_with_format(r, 4, yuan(b.spent_fen), &s.money)?;
        summary.write_number_with_format(r, 5, yuan(b.balance_fen), &s.money)?;
        summary.write_number(r, 6, b.entries as f64)?;
        r += 1;
    }
    let sum =
        |f: fn(&balances::BalanceRow) -> i64| balances::total(&rows, f).map(|m| yuan(m.fen()));
    summary.write_string_with_format(r, 0, lang.pick("合计", "Total"), &s.total)?;
    summary.write_number_with_format(r, 3, sum(|b| b.allocated_fen)?, &s.total_money)?;
    summary.write_number_with_format(r, 4, sum(|b| b.spent_fen)?, &s.total_money)?;
    summary.write_number_with_format(r, 5, sum(|b| b.balance_fen)?, &s.total_money)?;
    summary.set_freeze_panes(1, 0)?;
    summary.set_column_width(0, 28)?;
    for c in 3..6 {
        summary.set_column_width(c, 16)?;
    }
    workbook.push_worksheet(summary);

    let schools: std::collections::HashMap<u64, String> = registry
        .schools()?
        .into_iter()
        .map(|s| (s.id, s.application.name))
        .collect();
    // One account at a time, each sheet streamed to a temporary file
    // (rust_xlsxwriter's constant-memory mode): a province's ten years of
    // ledgers never sit in memory whole.
    let accounts: Vec<Account> = registry
        .balances()?
        .into_iter()
        .map(|(a, _)| a)
        .filter(|a| selection.holds(a))
        .collect();
    for account in accounts {
        let mut entries = registry.entries(&account)?;
        entries.sort_by_key(|e| (e.date, e.id));
        // A reversal stays in its original's account.
        let kinds: HashMap<u64, EntryKind> = entries.iter().map(|e| (e.id, e.kind)).collect();
        let who = match account.holder {
            Holder::Project(p) => p.group_name(lang),
            Holder::School(id) => schools.get(&id).cloned().unwrap_or_else(|| id.to_string()),
        };
        let title = format!("{who} {} {}", account.fund.label(lang), account.year);
        let mut sheet = workbook.new_worksheet_with_constant_memory();
        sheet.set_name(sheet_name(&title, &mut taken))?;
        account_sheet(&mut sheet, &entries, &kinds, lang, &s)?;
        workbook.push_worksheet(sheet);
    }
    Ok(workbook.save_to_buffer()?)
}

fn account_sheet(
    sheet: &mut Worksheet,
    entries: &[Entry],
    kinds: &HashMap<u64, EntryKind>,
    lang: Lang,
    s: &Styles,
) -> Result<(), ExportError> {
    let heads = [
        lang.pick("日期", "Date"),
        lang.pick("凭证号", "Voucher"),
        lang.pick("类型", "Kind"),
        lang.pick("类别", "Category"),
        lang.pick("收款方", "Payee"),
        lang.pick("拨入", "Allocated"),
        lang.pick("支出", "Spent"),
        lang.pick("余额", "Balance"),
        lang.pick("备注", "Note"),
        lang.pick("经办人", "Recorded by"),
        lang.pick("编号", "ID"),
    ];
    header(sheet, 0, &heads, s)?;
    let (mut allocated, mut spent) = (0i64, 0i64);
    let mut r = 1;
    for e in entries {
        // Which column the amount goes in, and with which sign.
        let (column, signed) = match e.kind {
            EntryKind::Allocation => (5, e.amount.fen()),
            EntryKind::Expense => (6, e.amount.fen()),
            EntryKind::Reversal { of } => match kinds.get(&of) {
                Some(EntryKind::Allocation) => (5, -e.amount.fen()),
                _ => (6, -e.amount.fen()),
            },
        };
        // Checked: a damaged account is refused, never wrapped.
        let total = if column == 5 {
            &mut allocated
        } else {
            &mut spent
        };
        *total = total.checked_add(signed).ok_or(ExportError::Overflow)?;
        let balance = allocated.checked_sub(spent).ok_or(ExportError::Overflow)?;
        sheet.write_string(r, 0, e.date.to_string())?;
        sheet.write_string(r, 1, cell::spreadsheet(&e.voucher))?;
        let kind = match e.kind {
            EntryKind::Reversal { of } => format!("{} #{of}", e.kind.label(lang)),
            k => k.label(lang).to_string(),
        };
        sheet.write_string(r, 2, kind)?;
        let category = crate::domain::ledger::category_label(&e.category, lang);
        sheet.write_string(r, 3, cell::spreadsheet(category))?;
        sheet.write_string(r, 4, cell::spreadsheet(&e.payee))?;
        sheet.write_number_with_format(r, column, yuan(signed), &s.money)?;
        sheet.write_number_with_format(r, 7, yuan(balance), &s.money)?;
        sheet.write_string(r, 8, cell::spreadsheet(&e.note))?;
        sheet.write_string(r, 9, cell::spreadsheet(&e.recorded_by))?;
        sheet.write_number(r, 10, e.id as f64)?;
        r += 1;
    }
    sheet.write_string_with_format(r, 0, lang.pick("合计", "Total"), &s.total)?;
    sheet.write_number_with_format(r, 5, yuan(allocated), &s.total_money)?;
    sheet.write_number_with_format(r, 6, yuan(spent), &s.total_money)?;
    let balance = allocated.checked_sub(spent).ok_or(ExportError::Overflow)?;
    sheet.write_number_with_format(r, 7, yuan(balance), &s.total_money)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_column_width(0, 11)?;
    sheet.set_column_width(4, 20)?;
    for c in 5..8 {
        sheet.set_column_width(c, 14)?;
    }
    sheet.set_column_width(8, 30)?;
    Ok(())
}

/// Any other record kind: one sheet, the CSV's columns.
pub fn records(
    registry: &Reader<'_>,
    kind: Kind,
    filter: &Filter,
    lang: Lang,
) -> Result<Vec<u8>, ExportError> {
    let sheet = records_sheet(registry, kind, filter, lang)?;
    let mut workbook = read_workbook(registry)?;
    workbook.push_worksheet(sheet);
    Ok(workbook.save_to_buffer()?)
}

/// The sheet of `records`: a header row frozen above one row per record.
pub fn records_sheet(
    registry: &Reader<'_>,
    kind: Kind,
    filter: &Filter,
    lang: Lang,
) -> Result<Worksheet, ExportError> {
    let s = Styles::new();
    let mut sheet = Worksheet::new();
    let title = match kind {
        Kind::Trainees => lang.pick("学员", "Trainees"),
        Kind::Coaches => lang.pick("教练员", "Coaches"),
        Kind::Schools => lang.pick("基地校", "Base schools"),
        Kind::Assessments => lang.pick("考核结果", "Assessments"),
        Kind::Ledger => lang.pick("台账", "Ledger"),
        Kind::Audit => lang.pick("审计记录", "Audit"),
        Kind::Schedule => lang.pick("培养活动", "Sessions"),
    };
    sheet.set_name(title)?;
    let mut next = 1u32;
    super::each_row(registry, kind, filter, lang, &mut |row: &dyn RowCells| {
        for (c, text) in row.cells_of(lang).into_iter().enumerate() {
            sheet.write_string(next, c as u16, cell::spreadsheet(&text))?;
        }
        next += 1;
        Ok(())
    })?;
    header(&mut sheet, 0, &super::headers(kind, lang), &s)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(sheet)
}

/// A row seen through its columns' cells, so one callback takes every kind.
pub trait RowCells {
    fn cells_of(&self, lang: Lang) -> Vec<String>;
}

impl<R: Row> RowCells for R {
    fn cells_of(&self, lang: Lang) -> Vec<String> {
        self.cells(lang)
    }
}

/// A workbook whose "created" property is the time of the newest change to the
/// records (or 2000-01-01 for an empty database), not the time of the export:
/// the same records give the same file, byte for byte (a restored backup's
/// exports equal the original's).
pub(crate) fn dated_workbook(registry: &Registry) -> Result<Workbook, ExportError> {
    let newest = registry.audit_newest_first().next().transpose()?;
    workbook_dated(newest.map(|e| e.at.timestamp()))
}

/// The same, as one role reads the records.
pub(crate) fn read_workbook(reader: &Reader<'_>) -> Result<Workbook, ExportError> {
    let newest = reader.audit_newest_first().next().transpose()?;
    workbook_dated(newest.map(|e| e.at.timestamp()))
}

fn workbook_dated(at: Option<i64>) -> Result<Workbook, ExportError> {
    let at = at.unwrap_or(946_684_800);
    let created = rust_xlsxwriter::ExcelDateTime::from_timestamp(at)?;
    let mut workbook = Workbook::new();
    workbook.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&created));
    Ok(workbook)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_fit_excel() {
        let mut taken = Vec::new();
        let long = "青岛市第二中学分校基地经费".repeat(3);
        let a = sheet_name(&long, &mut taken);
        let b = sheet_name(&long, &mut taken);
        assert_eq!(a.chars().count(), 31);
        assert!(b.ends_with(" (2)") && b.chars().count() == 31, "{b}");
        assert_eq!(sheet_name("a/b:c", &mut taken), "a_b_c");
    }
}
