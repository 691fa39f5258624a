//! Reading a school's list into rows of cells: `.xlsx` through calamine, `.csv`
//! in UTF-8 (with or without a byte-order mark) or GBK/GB18030, what Excel
//! writes on Chinese Windows. A byte-order mark decides; else the bytes must be
//! strict UTF-8; else they are read as GB18030, and bytes that are neither are
//! refused rather than replaced.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::i18n::{Lang, Localized};

/// The largest file read: a list of a few thousand rows is well under this.
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// One cell as the file gives it; nothing is converted yet.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number cell of a workbook (a phone typed without a leading quote).
    Number(f64),
    /// A date cell of a workbook.
    Date(NaiveDate),
    /// An error cell of a workbook (`#N/A`, `#REF!`).
    Error(String),
}

impl Cell {
    /// The cell as text, as a person reads it.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Error(e) => e.clone(),
        }
    }
}

/// A sheet: its header row and the rows under it, each with its line number
/// in the file (1 is the header).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<Cell>)>,
}

/// Why a file could not be read at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// The file cannot be read; why, in Chinese and in English (the OS
    /// says it in English only).
    Io {
        path: PathBuf,
        reason: (String, String),
    },
    TooLarge {
        path: PathBuf,
    },
    UnknownType {
        path: PathBuf,
    },
    /// Neither UTF-8 nor GB18030.
    Encoding {
        path: PathBuf,
    },
    Csv {
        line: usize,
        reason: String,
    },
    Xlsx {
        reason: String,
    },
    NoHeader,
}

impl Localized for ReadError {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (ReadError::Io { path, reason }, Lang::Zh) => {
                format!("无法读取 {}：{}", path.display(), reason.0)
            }
            (ReadError::Io { path, reason }, Lang::En) => {
                format!("cannot read {}: {}", path.display(), reason.1)
            }
            (ReadError::TooLarge { path }, Lang::Zh) => format!(
                "{} 超过 {} MiB，不像推荐名单",
                path.display(),
                MAX_BYTES >> 20
            ),
            (ReadError::TooLarge { path }, Lang::En) => format!(
                "{} is larger than {} MiB, not a recommendation list",
                path.display(),
                MAX_BYTES >> 20
            ),
            (ReadError::UnknownType { path }, Lang::Zh) => format!(
                "{}：只能导入 .xlsx 或 .csv 文件（Excel 可“另存为”这两种格式）",
                path.display()
            ),
            (ReadError::UnknownType { path }, Lang::En) => format!(
                "{}: only .xlsx or .csv files can be imported (Excel saves both with Save As)",
                path.display()
            ),
            (ReadError::Encoding { path }, Lang::Zh) => format!(
                "{} 既不是 UTF-8 也不是 GBK/GB18030 编码的文本；请在 Excel 中另存为“CSV UTF-8”或 .xlsx",
                path.display()
            ),
            (ReadError::Encoding { path }, Lang::En) => format!(
                "{} is neither UTF-8 nor GBK/GB18030 text; save it from Excel as \"CSV UTF-8\" or .xlsx",
                path.display()
            ),
            (ReadError::Csv { line, reason }, Lang::Zh) => {
                format!("第 {line} 行不是有效的 CSV：{reason}")
            }
            (ReadError::Csv { line, reason }, Lang::En) => {
                format!("line {line} is not valid CSV: {reason}")
            }
            (ReadError::Xlsx { reason }, Lang::Zh) => {
                format!("无法读取 Excel 工作簿：{reason}")
            }
            (ReadError::Xlsx { reason }, Lang::En) => {
                format!("cannot read the Excel workbook: {reason}")
            }
            (ReadError::NoHeader, Lang::Zh) => "文件是空的：第一行应是表头（姓名、性别……）".into(),
            (ReadError::NoHeader, Lang::En) => {
                "the file is empty: its first line should be the headers (name, gender, ...)".into()
            }
        }
    }
}

/// Reads `path` by its extension.
pub fn read(path: &Path) -> Result<Table, ReadError> {
    use crate::user_file::UserFileError;
    let bytes = crate::user_file::read_bytes(path, MAX_BYTES).map_err(|e| match e {
        UserFileError::TooLarge { .. } => ReadError::TooLarge {
            path: path.to_path_buf(),
        },
        e => ReadError::Io {
            path: path.to_path_buf(),
            reason: (e.localized(Lang::Zh), e.localized(Lang::En)),
        },
    })?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "csv" | "txt" => {
            let text = decode(&bytes).ok_or_else(|| ReadError::Encoding {
                path: path.to_path_buf(),
            })?;
            csv_table(&text)
        }
        "xlsx" | "xlsm" | "xls" | "ods" => xlsx_table(bytes),
        _ => Err(ReadError::UnknownType {
            path: path.to_path_buf(),
        }),
    }
}

/// A list given as bytes (standard input, an upload): a workbook when it
/// is one (a zip archive, as every .xlsx is), else CSV text. `name` is what
/// messages call it.
pub fn from_bytes(bytes: Vec<u8>, name: &Path) -> Result<Table, ReadError> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(ReadError::TooLarge {
            path: name.to_path_buf(),
        });
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return xlsx_table(bytes);
    }
    let text = decode(&bytes).ok_or_else(|| ReadError::Encoding {
        path: name.to_path_buf(),
    })?;
    csv_table(&text)
}

/// Text from bytes: a byte-order mark decides; else strict UTF-8; else
/// GB18030 (a superset of GBK). `None` when the bytes are none of these.
pub fn decode(bytes: &[u8]) -> Option<String> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling_and_without_replacement(&bytes[bom..])
            .map(|s| s.into_owned());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some(s.to_string());
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| s.into_owned())
}

/// A CSV text as a table; blank lines are left out. Each row keeps its
/// number as Excel shows it, whatever ends the lines: LF, CR LF (what Excel
/// writes on Windows) or CR alone (old Macs), and a quoted cell holding a
/// line break is still one row.
pub fn csv_table(text: &str) -> Result<Table, ReadError> {
    // One line ending, so that the reader's line count is the file's.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut table = Table::default();
    let mut first = true;
    // Line breaks inside quoted cells so far: the reader counts them as
    // lines, Excel does not count them as rows.
    let mut inside = 0usize;
    for record in reader.records() {
        let record = record.map_err(|e| ReadError::Csv {
            line: e
                .position()
                .map(|p| (p.line() as usize).saturating_sub(inside))
                .unwrap_or(0),
            reason: e.to_string(),
        })?;
        // A record after blank lines is placed before them: count them.
        let line = record
            .position()
            .map(|p| {
                let blank = text
                    .as_bytes()
                    .get(p.byte() as usize..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|&&b| b == b'\n')
                    .count();
                (p.line() as usize + blank).saturating_sub(inside)
            })
            .unwrap_or(0);
        inside += record
            .iter()
            .map(|c| c.matches('\n').count())
            .sum::<usize>();
        if first {
            table.headers = record.iter().map(|h| h.to_string()).collect();
            first = false;
            continue;
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cells = record
            .iter()
            .map(|c| {
                if c.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(c.to_string())
                }
            })
            .collect();
        table.rows.push((line, cells));
    }
    if first || table.headers.iter().all(|h| h.trim().is_empty()) {
        return Err(ReadError::NoHeader);
    }
    Ok(table)
}

fn xlsx_table(bytes: Vec<u8>) -> Result<Table, ReadError> {
    use calamine::{Data, Reader};
    let bad = |e: calamine::Error| ReadError::Xlsx {
        reason: e.to_string(),
    };
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(bad)?;
    let range = book
        .worksheet_range_at(0)
        .ok_or(ReadError::NoHeader)?
        .map_err(bad)?;
    let (first_row, _) = range.start().unwrap_or((0, 0));
    let mut table = Table::default();
    let mut rows = range.rows();
    let Some(header) = rows.next() else {
        return Err(ReadError::NoHeader);
    };
    table.headers = header.iter().map(|c| cell(c).text()).collect();
    if table.headers.iter().all(|h| h.trim().is_empty()) {
        return Err(ReadError::NoHeader);
    }
    for (i, row) in rows.enumerate() {
        let cells: Vec<Cell> = row.iter().map(cell).collect();
        if cells.iter().all(|c| c.text().trim().is_empty()) {
            continue;
        }
        table.rows.push((first_row as usize + i + 2, cells));
    }
    return Ok(table);

    fn cell(d: &Data) -> Cell {
        match d {
            Data::Empty => Cell::Empty,
            Data::String(s) => Cell::Text(s.clone()),
            Data::Int(i) => Cell::Number(*i as f64),
            Data::Float(f) => Cell::Number(*f),
            Data::Bool(b) => Cell::Text(b.to_string()),
            Data::DateTime(dt) if dt.is_datetime() => excel_date(dt.as_f64())
                .map(Cell::Date)
                .unwrap_or_else(|| Cell::Text(dt.as_f64().to_string())),
            Data::DateTime(dt) => Cell::Text(dt.as_f64().to_string()),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
            Data::Error(e) => Cell::Error(e.to_string()),
        }
    }
}

/// An Excel serial date (days since 1899-12-30 in the 1900 system).
pub fn excel_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?
        .checked_add_days(chrono::Days::new(serial.floor() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_then_utf8_then_gb18030() {
        let (gbk, _, _) = encoding_rs::GBK.encode("姓名,性别\n张伟,男\n");
        assert_eq!(decode(&gbk).unwrap(), "姓名,性别\n张伟,男\n");
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("姓名".as_bytes());
        assert_eq!(decode(&bom).unwrap(), "姓名");
        assert_eq!(decode("姓名".as_bytes()).unwrap(), "姓名");
        // A byte GB18030 has no reading for is refused, not replaced.
        assert_eq!(decode(&[0x81, 0x20, 0xFF]), None);
    }

    /// The line of each data row and of its first cell.
    fn lines(text: &str) -> Vec<(usize, String)> {
        csv_table(text)
            .unwrap()
            .rows
            .into_iter()
            .map(|(line, cells)| (line, cells[0].text()))
            .collect()
    }

    #[test]
    fn rows_are_numbered_as_excel_shows_them_whatever_ends_the_lines() {
        let lf = "姓名,学校\n张伟,二中\n\n刘洋,九中\n\"陈\n静\",一中\n孙悦,五十八中\n";
        let want = vec![
            (2, "张伟".to_string()),
            (4, "刘洋".to_string()),
            (5, "陈\n静".to_string()),
            (6, "孙悦".to_string()),
        ];
        assert_eq!(lines(lf), want, "LF");
        assert_eq!(lines(&lf.replace('\n', "\r\n")), want, "CR LF");
        assert_eq!(lines(&lf.replace('\n', "\r")), want, "CR");
        // Without a line break at the end, and with mixed endings.
        assert_eq!(
            lines("姓名,学校\r\n张伟,二中\r刘洋,九中\n孙悦,五十八中"),
            vec![
                (2, "张伟".to_string()),
                (3, "刘洋".to_string()),
                (4, "孙悦".to_string())
            ]
        );
    }

    #[test]
    fn excel_serials() {
        assert_eq!(excel_date(46266.0), NaiveDate::from_ymd_opt(2026, 9, 1));
        assert_eq!(excel_date(-3.0), None);
    }
}
