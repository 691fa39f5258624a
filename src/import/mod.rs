//! `qiangji import applications`: a school's recommendation list (姓名, 性别,
//! 学校, 区市, 年级, 联系电话, 项目组, 推荐教师1, 推荐教师2, 申报日期) read
//! from `.xlsx` or `.csv`, every row checked with the same domain rules as the
//! forms (`domain::text`, `domain::phone`, the districts, the groups), then
//! applied as one batch: all rows or none, so a kill half way leaves nothing.
//!
//! A row is matched to a trainee already recorded by name + school + group +
//! year of application: the same row imported again creates nothing.

pub mod read;

use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};

pub use read::{Cell, ReadError, Table};

use crate::domain::field::Field;
use crate::domain::phone::{self, PhoneError};
use crate::domain::project::DISTRICTS;
use crate::domain::text::{self, MEDIUM, SHORT, TextError};
use crate::domain::{Actor, Gender, ProjectId, Trainee, TraineeKind, TraineeStage};
use crate::i18n::{Lang, Localized};
use crate::registry::{ApplicationInput, Command, Registry, RegistryError, Warning};

/// The columns an application list has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Col {
    Kind,
    Name,
    Gender,
    School,
    District,
    Grade,
    Phone,
    Project,
    Recommender1,
    Recommender2,
    Date,
}

impl Col {
    pub const ALL: [Col; 11] = [
        Col::Name,
        Col::Gender,
        Col::School,
        Col::District,
        Col::Grade,
        Col::Phone,
        Col::Project,
        Col::Recommender1,
        Col::Recommender2,
        Col::Date,
        Col::Kind,
    ];

    /// The field the column holds, from the one table (`domain::field`):
    /// both recommenders are a recommender.
    pub fn field(self) -> Field {
        match self {
            Col::Kind => Field::Kind,
            Col::Name => Field::Name,
            Col::Gender => Field::Gender,
            Col::School => Field::HomeSchool,
            Col::District => Field::District,
            Col::Grade => Field::Grade,
            Col::Phone => Field::Phone,
            Col::Project => Field::Group,
            Col::Recommender1 | Col::Recommender2 => Field::Recommender,
            Col::Date => Field::ApplicationDate,
        }
    }

    /// The header a template writes: the field's label, numbered for the
    /// two recommenders.
    pub fn header(self, lang: Lang) -> &'static str {
        match self {
            Col::Recommender1 => lang.pick("推荐教师1", "Recommender 1"),
            Col::Recommender2 => lang.pick("推荐教师2", "Recommender 2"),
            c => c.field().label(lang),
        }
    }

    /// The headers people write for this column, compared after
    /// [`normalise`]: lower case, without spaces, underscores or punctuation.
    fn variants(self) -> &'static [&'static str] {
        match self {
            Col::Recommender1 => &[
                "推荐教师1",
                "推荐教师一",
                "推荐老师1",
                "推荐老师一",
                "第一推荐教师",
                "推荐人1",
                "recommender1",
                "teacher1",
                "recommendingteacher1",
            ],
            Col::Recommender2 => &[
                "推荐教师2",
                "推荐教师二",
                "推荐老师2",
                "推荐老师二",
                "第二推荐教师",
                "推荐人2",
                "recommender2",
                "teacher2",
                "recommendingteacher2",
            ],
            c => c.field().aliases(),
        }
    }

    fn required(self, options: &Options) -> bool {
        match self {
            // Schools' lists rarely have a date: the day of the import
            // (or `--date`) is taken, and the report says so.
            Col::Kind | Col::Grade | Col::Phone | Col::Date => false,
            Col::Project => options.project.is_none(),
            _ => true,
        }
    }
}

/// A header as compared: lower case, no spaces, underscores, hyphens,
/// colons, stars (a required mark) or brackets.
pub fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '_' | '-' | ':' | '：' | '*' | '（' | '）' | '(' | ')' | '\u{feff}' | '.'
                )
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// What the user asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Every row is for this group; a row naming another is refused.
    pub project: Option<ProjectId>,
    /// Report only; write nothing.
    pub dry_run: bool,
    /// Import the good rows even when some are bad.
    pub skip_bad: bool,
    /// The application date of every row when the list has no date
    /// column (`--date`); none: the day of the import.
    pub date: Option<NaiveDate>,
}

/// Why one cell of one row cannot be imported.
#[derive(Clone, Debug, PartialEq)]
pub enum Reason {
    Text(TextError),
    Phone(PhoneError),
    /// A cell beginning with `=` `+` `-` `@`: a formula, or a value Excel
    /// would run as one.
    Formula(char),
    /// An error cell of the workbook (`#N/A`).
    ErrorCell(String),
    UnknownGender(String),
    UnknownDistrict(String),
    UnknownProject(String),
    /// The row names another group than `--project`.
    OtherProject {
        row: ProjectId,
        asked: ProjectId,
    },
    UnknownKind(String),
    MissingRecommender(u8),
    SameRecommenders(String),
    BadDate(String),
    /// A date that does not exist (2026-02-30).
    NoSuchDate(String),
    FutureDate(NaiveDate),
    EarlyDate(NaiveDate),
    /// The same name, school, group and year as an earlier row of the file.
    DuplicateRow(usize),
    /// The same name, school, group and year as a trainee already recorded,
    /// with other details.
    Conflicts {
        id: u64,
        name: String,
    },
    /// The registry refused the row.
    Refused(String, String),
}

/// The earliest application date taken.
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

impl Localized for Reason {
    fn localized(&self, lang: Lang) -> String {
        use Reason as R;
        let zh = lang == Lang::Zh;
        let v = crate::safe_text::one_line;
        match self {
            R::Text(e) => e.localized(lang),
            R::Phone(e) => e.localized(lang),
            R::Formula(c) => {
                if zh {
                    format!("以“{c}”开头，像公式；请删去开头的符号（Excel 会把它当作公式运行）")
                } else {
                    format!(
                        "begins with {c:?} like a formula; delete that first character (Excel would run it)"
                    )
                }
            }
            R::ErrorCell(e) => {
                if zh {
                    format!("是 Excel 的错误值 {}；请填写实际内容", v(e))
                } else {
                    format!("is the Excel error value {}; fill in the real value", v(e))
                }
            }
            R::UnknownGender(g) => {
                if zh {
                    format!("“{}”不是性别；请填写 男 或 女", v(g))
                } else {
                    format!("\"{}\" is not a gender; write 男/male or 女/female", v(g))
                }
            }
            R::UnknownDistrict(d) => {
                if zh {
                    format!("“{}”不是青岛的区市；可填：{}", v(d), DISTRICTS.join("、"))
                } else {
                    format!(
                        "\"{}\" is not a district of Qingdao; use one of: {}",
                        v(d),
                        DISTRICTS.join(", ")
                    )
                }
            }
            R::UnknownProject(p) => {
                if zh {
                    format!(
                        "“{}”不是项目组；可填：{}",
                        v(p),
                        ProjectId::ALL.map(|p| p.name(Lang::Zh)).join("、")
                    )
                } else {
                    format!(
                        "\"{}\" is not a project group; use one of: {}",
                        v(p),
                        ProjectId::ALL.map(|p| p.code()).join(", ")
                    )
                }
            }
            R::OtherProject { row, asked } => {
                if zh {
                    format!(
                        "本行是{}，而导入指定了 --project {}（{}）",
                        row.group_name(lang),
                        asked.code(),
                        asked.group_name(lang)
                    )
                } else {
                    format!(
                        "this row is for the {}, but the import was given --project {}",
                        row.group_name(lang),
                        asked.code()
                    )
                }
            }
            R::UnknownKind(k) => {
                if zh {
                    format!("“{}”不是学员类别；请填写 学生 或 教师（空白即学生）", v(k))
                } else {
                    format!(
                        "\"{}\" is not a kind of trainee; write student or teacher (blank is student)",
                        v(k)
                    )
                }
            }
            R::MissingRecommender(n) => {
                if zh {
                    format!(
                        "学生学员需要两名实名推荐的学科教师，缺少第{}名",
                        if *n == 1 { "一" } else { "二" }
                    )
                } else {
                    format!(
                        "a student needs two subject teachers recommending by name; the {} is missing",
                        if *n == 1 { "first" } else { "second" }
                    )
                }
            }
            R::SameRecommenders(t) => {
                if zh {
                    format!("两名推荐教师都是“{}”；需要两位不同的教师", v(t))
                } else {
                    format!(
                        "both recommenders are \"{}\"; two different teachers are needed",
                        v(t)
                    )
                }
            }
            R::BadDate(s) => {
                if zh {
                    format!(
                        "“{}”不是日期；请写成 2026-09-01、2026/9/1 或 2026年9月1日",
                        v(s)
                    )
                } else {
                    format!(
                        "\"{}\" is not a date; write it as 2026-09-01, 2026/9/1 or 2026年9月1日",
                        v(s)
                    )
                }
            }
            R::NoSuchDate(s) => {
                if zh {
                    format!("日期“{}”不存在", v(s))
                } else {
                    format!("there is no such date as \"{}\"", v(s))
                }
            }
            R::FutureDate(d) => {
                if zh {
                    format!("申报日期 {d} 晚于今天")
                } else {
                    format!("the application date {d} is after today")
                }
            }
            R::EarlyDate(d) => {
                if zh {
                    format!("申报日期 {d} 早于 {EARLIEST}")
                } else {
                    format!("the application date {d} is before {EARLIEST}")
                }
            }
            R::DuplicateRow(line) => {
                if zh {
                    format!("与第 {line} 行重复（姓名、学校、项目组和年度相同）")
                } else {
                    format!("repeats line {line} (same name, school, group and year)")
                }
            }
            R::Conflicts { id, name } => {
                if zh {
                    format!(
                        "已有同名同校同项目组同年度的学员 {}（编号 {id}），但其他信息不同；请核对后在系统中修改",
                        v(name)
                    )
                } else {
                    format!(
                        "a trainee {} (id {id}) with the same name, school, group and year is already recorded with other details; check and edit it there",
                        v(name)
                    )
                }
            }
            R::Refused(zh_text, en_text) => lang.pick(zh_text, en_text).to_string(),
        }
    }
}

/// One problem: the file's line, the column as its header reads (or the
/// column's own name when the file has none) and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub line: usize,
    pub column: String,
    pub reason: Reason,
}

impl Localized for Problem {
    fn localized(&self, lang: Lang) -> String {
        let column = crate::safe_text::one_line(&self.column);
        match lang {
            Lang::Zh => format!(
                "第 {} 行“{}”列：{}",
                self.line,
                column,
                self.reason.localized(lang)
            ),
            Lang::En => format!(
                "line {}, column \"{}\": {}",
                self.line,
                column,
                self.reason.localized(lang)
            ),
        }
    }
}

/// A whole-file problem: the file is read, but is not a list that can be
/// imported.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportError {
    Read(ReadError),
    MissingColumns(Vec<Col>),
    /// Two headers name the same column.
    TwiceColumn {
        col: Col,
        first: String,
        second: String,
    },
    Store(String, String),
    /// The date given for a list without a date column (`--date`) cannot
    /// be an application date.
    DefaultDate(Reason),
}

impl Localized for ImportError {
    fn localized(&self, lang: Lang) -> String {
        match (self, lang) {
            (ImportError::Read(e), _) => e.localized(lang),
            (ImportError::MissingColumns(cols), Lang::Zh) => format!(
                "缺少必填的列：{}（表头可用中文或英文，顺序不限）",
                cols.iter()
                    .map(|c| c.header(Lang::Zh))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            (ImportError::MissingColumns(cols), Lang::En) => format!(
                "missing required column{}: {} (headers in Chinese or English, any order)",
                if cols.len() == 1 { "" } else { "s" },
                cols.iter()
                    .map(|c| c.header(Lang::En))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (ImportError::TwiceColumn { col, first, second }, Lang::Zh) => format!(
                "“{}”和“{}”都是{}列；请只保留一列",
                crate::safe_text::one_line(first),
                crate::safe_text::one_line(second),
                col.header(Lang::Zh)
            ),
            (ImportError::TwiceColumn { col, first, second }, Lang::En) => format!(
                "\"{}\" and \"{}\" both name the {} column; keep one",
                crate::safe_text::one_line(first),
                crate::safe_text::one_line(second),
                col.header(Lang::En)
            ),
            (ImportError::Store(zh, en), _) => lang.pick(zh, en).to_string(),
            (ImportError::DefaultDate(reason), _) => reason.localized(lang),
        }
    }
}

impl From<ReadError> for ImportError {
    fn from(e: ReadError) -> Self {
        ImportError::Read(e)
    }
}

/// A row that will be created.
#[derive(Clone, Debug, PartialEq)]
pub struct NewRow {
    pub line: usize,
    pub input: ApplicationInput,
    pub recommenders: Vec<String>,
}

/// What an import found and did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Data rows read (blank lines left out).
    pub rows: usize,
    pub create: Vec<NewRow>,
    /// Lines already recorded, with the trainee's id.
    pub already: Vec<(usize, u64)>,
    /// Every problem; a row may have several.
    pub problems: Vec<Problem>,
    /// Headers that name no column, reported and left out.
    pub unknown_columns: Vec<String>,
    /// Whether the rows in `create` were written.
    pub written: bool,
    pub dry_run: bool,
    /// The list has no date column: every row is dated this day (the
    /// import's, or `--date`).
    pub default_date: Option<NaiveDate>,
    /// Rows to create that resemble a recorded trainee (the same name and
    /// school, or the same phone), as the application form warns: the line
    /// and the warning. They are imported; a person should look.
    pub warnings: Vec<(usize, Warning)>,
}

impl Report {
    /// Lines with at least one problem.
    pub fn bad_lines(&self) -> Vec<usize> {
        let mut lines: Vec<usize> = self.problems.iter().map(|p| p.line).collect();
        lines.dedup();
        lines
    }

    /// The summary line and then each problem, in `lang`.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let mut out = Vec::new();
        let bad = self.bad_lines().len();
        let n = self.create.len();
        let summary = match (lang, self.written, self.dry_run) {
            (Lang::Zh, true, _) => format!("已导入 {n} 名学员"),
            (Lang::En, true, _) => format!("imported {n} trainee{}", plural(n)),
            (Lang::Zh, false, true) => format!("试运行，未写入：将新建 {n} 名学员"),
            (Lang::En, false, true) => {
                format!(
                    "dry run, nothing written: would create {n} trainee{}",
                    plural(n)
                )
            }
            (Lang::Zh, false, false) => format!(
                "未导入任何学员（{bad} 行有问题；可修改后重试，或加 --skip-bad 只导入无问题的行）"
            ),
            (Lang::En, false, false) => format!(
                "nothing imported ({bad} bad row{}; fix them and try again, or add --skip-bad to import the good rows)",
                plural(bad)
            ),
        };
        out.push(match lang {
            Lang::Zh => format!(
                "{summary}；共 {} 行，{} 行已在系统中，{bad} 行有问题",
                self.rows,
                self.already.len()
            ),
            Lang::En => format!(
                "{summary}; {} row{}, {} already recorded, {bad} bad",
                self.rows,
                plural(self.rows),
                self.already.len()
            ),
        });
        if let Some(date) = self.default_date {
            out.push(match lang {
                Lang::Zh => format!(
                    "名单没有申报日期一列：各行的申报日期记为 {date}（导入之日；可用 --date 指定）"
                ),
                Lang::En => format!(
                    "the list has no application-date column: every row is dated {date} (the day of the import; --date sets another)"
                ),
            });
        }
        if !self.unknown_columns.is_empty() {
            let cols = self
                .unknown_columns
                .iter()
                .map(|c| crate::safe_text::one_line(c))
                .collect::<Vec<_>>();
            out.push(match lang {
                Lang::Zh => format!("未识别的列（已忽略）：{}", cols.join("、")),
                Lang::En => format!("columns not recognised (left out): {}", cols.join(", ")),
            });
        }
        for p in &self.problems {
            out.push(p.localized(lang));
        }
        for (line, w) in &self.warnings {
            out.push(match lang {
                Lang::Zh => format!("第 {line} 行：{}", w.localized(lang)),
                Lang::En => format!("line {line}: {}", w.localized(lang)),
            });
        }
        if self.dry_run {
            for r in &self.create {
                out.push(match lang {
                    Lang::Zh => format!(
                        "第 {} 行：将新建 {}（{}，{}）",
                        r.line,
                        r.input.name,
                        r.input.home_school,
                        r.input.project.group_name(lang)
                    ),
                    Lang::En => format!(
                        "line {}: would create {} ({}, {})",
                        r.line,
                        r.input.name,
                        r.input.home_school,
                        r.input.project.group_name(lang)
                    ),
                });
            }
        }
        out
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Finds each column by its header; unknown headers are returned apart.
pub fn columns(
    headers: &[String],
    options: &Options,
) -> Result<(HashMap<Col, usize>, Vec<String>), ImportError> {
    let mut found: HashMap<Col, usize> = HashMap::new();
    let mut unknown = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let n = normalise(h);
        if n.is_empty() {
            continue;
        }
        match Col::ALL
            .into_iter()
            .find(|c| c.variants().contains(&n.as_str()))
        {
            Some(col) => {
                if let Some(&first) = found.get(&col) {
                    return Err(ImportError::TwiceColumn {
                        col,
                        first: headers[first].clone(),
                        second: h.clone(),
                    });
                }
                found.insert(col, i);
            }
            None => unknown.push(h.clone()),
        }
    }
    let missing: Vec<Col> = Col::ALL
        .into_iter()
        .filter(|c| c.required(options) && !found.contains_key(c))
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::MissingColumns(missing));
    }
    Ok((found, unknown))
}

/// A date as people type it: `2026-09-01`, `2026/9/1`, `2026.9.1`,
/// `2026年9月1日`, or a workbook's date cell.
pub fn parse_date(s: &str) -> Result<NaiveDate, Reason> {
    let t = s.trim();
    let t = t.strip_suffix('日').unwrap_or(t);
    let parts: Vec<&str> = t.split(['-', '/', '.', '年', '月']).collect();
    let bad = || Reason::BadDate(s.trim().to_string());
    if parts.len() != 3
        || parts[0].len() != 4
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
        || parts[1].len() > 2
        || parts[2].len() > 2
    {
        return Err(bad());
    }
    let n = |p: &str| p.parse::<u32>().map_err(|_| bad());
    let (y, m, d) = (n(parts[0])? as i32, n(parts[1])?, n(parts[2])?);
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| Reason::NoSuchDate(s.trim().to_string()))
}

fn parse_kind(s: &str) -> Option<TraineeKind> {
    match normalise(s).as_str() {
        "" | "学生" | "学生学员" | "student" => Some(TraineeKind::Student),
        "教师" | "青年教师" | "青年骨干教师" | "青年骨干教师学员" | "青年教师学员" | "teacher" => {
            Some(TraineeKind::Teacher)
        }
        _ => None,
    }
}

fn parse_project(s: &str) -> Option<ProjectId> {
    ProjectId::parse(s)
}

/// The key a row is matched on: name, school, group, year of application.
type Key = (String, String, ProjectId, i32);

fn key_of(t: &Trainee) -> Key {
    let year = t
        .stage_date(TraineeStage::Applied)
        .or_else(|| t.history.first().map(|h| h.date))
        .map(|d| d.year())
        .unwrap_or_default();
    (t.name.clone(), t.home_school.clone(), t.project, year)
}

/// Whether a recorded trainee is what the row says (then the row is
/// already imported).
fn same(t: &Trainee, r: &NewRow) -> bool {
    t.kind == r.input.kind
        && t.gender == r.input.gender
        && t.district == r.input.district
        && t.grade == r.input.grade
        && t.phone == r.input.phone
        && t.stage_date(TraineeStage::Applied) == Some(r.input.date)
        && (t.stage != TraineeStage::Applied || t.recommenders == r.recommenders)
}

/// Checks every row against the rules and the records; writes nothing.
pub fn plan(registry: &Registry, table: &Table, options: Options) -> Result<Report, ImportError> {
    let (cols, unknown) = columns(&table.headers, &options)?;
    let today = registry.today();
    let store = |e: crate::store::StoreError| {
        let e = RegistryError::from(e);
        ImportError::Store(e.localized(Lang::Zh), e.localized(Lang::En))
    };
    let mut existing: HashMap<ProjectId, HashMap<Key, Trainee>> = HashMap::new();
    let mut report = Report {
        rows: table.rows.len(),
        unknown_columns: unknown,
        dry_run: options.dry_run,
        ..Report::default()
    };
    if !cols.contains_key(&Col::Date) {
        let date = options.date.unwrap_or(today);
        if date > today {
            return Err(ImportError::DefaultDate(Reason::FutureDate(date)));
        }
        if date < EARLIEST {
            return Err(ImportError::DefaultDate(Reason::EarlyDate(date)));
        }
        report.default_date = Some(date);
    }
    let mut seen: HashMap<Key, usize> = HashMap::new();
    for (line, cells) in &table.rows {
        let line = *line;
        let mut problems: Vec<Problem> = Vec::new();
        let header = |c: Col| match cols.get(&c) {
            Some(&i) => table.headers[i].trim().to_string(),
            None => c.header(Lang::Zh).to_string(),
        };
        let mut get = |c: Col| -> Option<Cell> {
            let cell = cols
                .get(&c)
                .and_then(|&i| cells.get(i))
                .cloned()
                .unwrap_or(Cell::Empty);
            match &cell {
                Cell::Error(e) => {
                    problems.push(Problem {
                        line,
                        column: header(c),
                        reason: Reason::ErrorCell(e.clone()),
                    });
                    None
                }
                Cell::Text(s) => {
                    let first = s.trim_start().chars().next();
                    match first {
                        Some(f @ ('=' | '+' | '-' | '@')) => {
                            problems.push(Problem {
                                line,
                                column: header(c),
                                reason: Reason::Formula(f),
                            });
                            None
                        }
                        _ => Some(cell),
                    }
                }
                _ => Some(cell),
            }
        };
        let kind_cell = get(Col::Kind);
        let name_cell = get(Col::Name);
        let gender_cell = get(Col::Gender);
        let school_cell = get(Col::School);
        let district_cell = get(Col::District);
        let grade_cell = get(Col::Grade);
        let phone_cell = get(Col::Phone);
        let project_cell = get(Col::Project);
        let r1_cell = get(Col::Recommender1);
        let r2_cell = get(Col::Recommender2);
        let date_cell = get(Col::Date);
        let mut bad = |c: Col, reason: Reason| {
            problems.push(Problem {
                line,
                column: header(c),
                reason,
            });
        };
        let text_field = |c: Col,
                          cell: Option<Cell>,
                          max: usize,
                          required: bool,
                          bad: &mut dyn FnMut(Col, Reason)|
         -> Option<String> {
            let cell = cell?;
            let s = cell.text();
            let field = c.field().ident();
            let r = if required {
                text::clean(&field, &s, max, false)
            } else {
                text::clean_optional(&field, &s, max, false)
            };
            r.map_err(|e| bad(c, Reason::Text(e))).ok()
        };
        let kind = kind_cell.and_then(|c| {
            let s = c.text();
            parse_kind(&s).or_else(|| {
                bad(Col::Kind, Reason::UnknownKind(s.trim().to_string()));
                None
            })
        });
        let name = text_field(Col::Name, name_cell, SHORT, true, &mut bad);
        let gender = gender_cell.and_then(|c| {
            let s = c.text();
            Gender::parse(&s).or_else(|| {
                bad(Col::Gender, Reason::UnknownGender(s.trim().to_string()));
                None
            })
        });
        let school = text_field(Col::School, school_cell, MEDIUM, true, &mut bad);
        let district =
            text_field(Col::District, district_cell, SHORT, true, &mut bad).and_then(|d| {
                if DISTRICTS.contains(&d.as_str()) {
                    Some(d)
                } else if let Some(full) =
                    DISTRICTS.iter().find(|full| full[..full.len() - 3] == *d)
                {
                    Some(full.to_string())
                } else {
                    bad(Col::District, Reason::UnknownDistrict(d));
                    None
                }
            });
        let grade = text_field(Col::Grade, grade_cell, SHORT, false, &mut bad);
        let phone = phone_cell.and_then(|c| {
            phone::check(&c.text())
                .map_err(|e| bad(Col::Phone, Reason::Phone(e)))
                .ok()
        });
        let project = match (cols.contains_key(&Col::Project), options.project) {
            (true, asked) => project_cell.and_then(|c| {
                let s = c.text();
                if s.trim().is_empty() {
                    if let Some(asked) = asked {
                        return Some(asked);
                    }
                    bad(
                        Col::Project,
                        Reason::Text(TextError::Empty {
                            field: Field::Group.ident(),
                        }),
                    );
                    return None;
                }
                match (parse_project(&s), asked) {
                    (None, _) => {
                        bad(Col::Project, Reason::UnknownProject(s.trim().to_string()));
                        None
                    }
                    (Some(row), Some(asked)) if row != asked => {
                        bad(Col::Project, Reason::OtherProject { row, asked });
                        None
                    }
                    (Some(p), _) => Some(p),
                }
            }),
            (false, asked) => asked,
        };
        let r1 = text_field(Col::Recommender1, r1_cell, SHORT, false, &mut bad);
        let r2 = text_field(Col::Recommender2, r2_cell, SHORT, false, &mut bad);
        let date = match report.default_date {
            Some(d) => Some(d),
            None => date_cell.and_then(|c| {
                let d = match &c {
                    Cell::Date(d) => Ok(*d),
                    Cell::Empty => Err(Reason::Text(TextError::Empty {
                        field: Field::ApplicationDate.ident(),
                    })),
                    Cell::Number(n) => Err(Reason::BadDate(Cell::Number(*n).text())),
                    other => parse_date(&other.text()),
                };
                let d = d.and_then(|d| {
                    if d > today {
                        Err(Reason::FutureDate(d))
                    } else if d < EARLIEST {
                        Err(Reason::EarlyDate(d))
                    } else {
                        Ok(d)
                    }
                });
                d.map_err(|r| bad(Col::Date, r)).ok()
            }),
        };
        let kind = kind.unwrap_or(TraineeKind::Student);
        let mut recommenders: Vec<String> = [r1.clone(), r2.clone()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect();
        if kind == TraineeKind::Student {
            for (n, r, c) in [(1u8, &r1, Col::Recommender1), (2, &r2, Col::Recommender2)] {
                if r.as_deref() == Some("") {
                    bad(c, Reason::MissingRecommender(n));
                }
            }
        }
        if let (Some(a), Some(b)) = (&r1, &r2)
            && !a.is_empty()
            && a == b
        {
            bad(Col::Recommender2, Reason::SameRecommenders(a.clone()));
            recommenders.pop();
        }
        let (
            Some(name),
            Some(gender),
            Some(school),
            Some(district),
            Some(grade),
            Some(phone),
            Some(project),
            Some(date),
        ) = (name, gender, school, district, grade, phone, project, date)
        else {
            report.problems.extend(problems);
            continue;
        };
        if !problems.is_empty() {
            report.problems.extend(problems);
            continue;
        }
        let row = NewRow {
            line,
            input: ApplicationInput {
                kind,
                name: name.clone(),
                gender,
                home_school: school.clone(),
                district,
                grade,
                phone,
                project,
                date,
            },
            recommenders,
        };
        let key: Key = (name.clone(), school, project, date.year());
        if let Some(&first) = seen.get(&key) {
            report.problems.push(Problem {
                line,
                column: header(Col::Name),
                reason: Reason::DuplicateRow(first),
            });
            continue;
        }
        seen.insert(key.clone(), line);
        if let std::collections::hash_map::Entry::Vacant(v) = existing.entry(project) {
            let map = registry
                .trainees(project)
                .map_err(store)?
                .into_iter()
                .map(|t| (key_of(&t), t))
                .collect();
            v.insert(map);
        }
        match existing.get(&project).and_then(|m| m.get(&key)) {
            Some(t) if same(t, &row) => report.already.push((line, t.id)),
            Some(t) => report.problems.push(Problem {
                line,
                column: header(Col::Name),
                reason: Reason::Conflicts {
                    id: t.id,
                    name: t.name.clone(),
                },
            }),
            None => report.create.push(row),
        }
    }
    let inputs: Vec<&ApplicationInput> = report.create.iter().map(|r| &r.input).collect();
    let warnings = registry.applicant_warnings(&inputs).map_err(store)?;
    report.warnings = report
        .create
        .iter()
        .zip(warnings)
        .flat_map(|(r, ws)| ws.into_iter().map(move |w| (r.line, w)))
        .collect();
    Ok(report)
}

/// The commands that create the planned rows, in file order.
pub fn commands(report: &Report) -> Vec<Command> {
    report
        .create
        .iter()
        .map(|r| Command::ApplyRecommended {
            input: r.input.clone(),
            recommenders: r.recommenders.clone(),
        })
        .collect()
}

/// Writes what `report` plans, in one transaction, unless it is a dry run,
/// it has bad rows and `skip_bad` is off, or there is nothing to create. A
/// refusal by the registry is reported against its row, and nothing is
/// written.
pub fn commit(
    registry: &Registry,
    actor: &Actor,
    report: &mut Report,
    options: Options,
) -> Result<(), ImportError> {
    if options.dry_run
        || report.create.is_empty()
        || (!report.problems.is_empty() && !options.skip_bad)
    {
        return Ok(());
    }
    match registry.apply_batch(actor, &commands(report)) {
        Ok(_) => {
            report.written = true;
            Ok(())
        }
        Err(b) => {
            let e = b.error;
            if matches!(e, RegistryError::Store(_)) {
                return Err(ImportError::Store(
                    e.localized(Lang::Zh),
                    e.localized(Lang::En),
                ));
            }
            let line = report
                .create
                .get(b.index)
                .map(|r| r.line)
                .unwrap_or_default();
            report.problems.push(Problem {
                line,
                column: String::from("—"),
                reason: Reason::Refused(e.localized(Lang::Zh), e.localized(Lang::En)),
            });
            report.problems.sort_by_key(|p| p.line);
            Ok(())
        }
    }
}

/// Reads, checks and (unless a dry run or refused) writes `path`.
pub fn run(
    registry: &Registry,
    actor: &Actor,
    path: &Path,
    options: Options,
) -> Result<Report, ImportError> {
    let table = read::read(path)?;
    let mut report = plan(registry, &table, options)?;
    commit(registry, actor, &mut report, options)?;
    Ok(report)
}
