//! Every refusal the registry can give, each with a message in Chinese and
//! English that says what to do next.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::dates::DateOutside;
use crate::domain::field::Field;
use crate::domain::phone::PhoneError;
use crate::domain::text::TextError;
use crate::domain::{
    CoachRole, CoachStage, Document, Filing, Money, ProjectId, Role, Semester, Shortfall,
    TraineeStage,
};
use crate::i18n::{Lang, Localized};
use crate::store::StoreError;

use super::command::RecordKind;

/// An entry as the people keeping the ledger know it: its date, voucher
/// and amount (its id is the database's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryNote {
    pub date: NaiveDate,
    pub voucher: String,
    pub amount: Money,
}

impl EntryNote {
    pub fn describe(&self, lang: Lang) -> String {
        let (date, amount) = (self.date, self.amount.display());
        match (lang, self.voucher.trim()) {
            (Lang::Zh, "") => format!("{date} 的一笔 {amount}（无凭证号）"),
            (Lang::Zh, v) => format!("{date} 的一笔 {amount}（凭证 {v}）"),
            (Lang::En, "") => format!("the entry of {date} for {amount} (no voucher)"),
            (Lang::En, v) => format!("the entry of {date} for {amount} (voucher {v})"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("{actor} ({}) may not {action_en}", .role.label(Lang::En))]
    Forbidden {
        actor: String,
        role: Role,
        action_zh: &'static str,
        action_en: &'static str,
    },
    #[error("the {} (no. {id}) does not exist: it may have been removed; reload", .kind.label(Lang::En))]
    NotFound { kind: RecordKind, id: u64 },
    /// `at` is shown in Shanghai time to the minute, as the screens show it.
    #[error(
        "{what} was changed by {by} at {when} (version {current}, yours {yours}); reload and try again",
        when = crate::registry::shanghai(*.at).format("%Y-%m-%d %H:%M")
    )]
    Stale {
        what: String,
        by: String,
        at: DateTime<Utc>,
        current: u32,
        yours: u32,
    },
    #[error("{0}")]
    Text(#[from] TextError),
    #[error("{0}")]
    Phone(#[from] PhoneError),
    #[error("{0}")]
    Date(#[from] DateOutside),
    #[error("the amount must be greater than zero")]
    NotPositive,
    /// A district that is not one of Qingdao's ten, which the message lists.
    #[error(
        "district: “{value}” is not one of Qingdao's ten districts and county-level cities; choose one from the list"
    )]
    NotDistrict { value: String },
    /// A number outside its range, which the message gives.
    #[error("{}: {value} is outside the range {min} to {max}", .field.en().to_lowercase())]
    NotBetween {
        field: Field,
        value: String,
        min: String,
        max: String,
    },
    #[error("{} is more than one entry may be ({}); split it or check the amount", .amount.display(), Money::MAX_ENTRY.display())]
    AmountTooLarge { amount: Money },
    #[error("the account's totals would exceed what can be recorded; run qiangji check")]
    TotalOverflow,
    #[error(
        "the login name (shown safely as {shown:?}) has characters other than letters, digits, '.', '_' and '-', or does not begin with a letter or digit"
    )]
    BadLogin { shown: String },
    #[error("the {} already has {seats} enrolled student trainees; withdraw one or enrol later", .project.group_name(Lang::En))]
    GroupFull { project: ProjectId, seats: usize },
    #[error("the {} already has an active chief coach ({name}); end that term first", .project.group_name(Lang::En))]
    ChiefTaken { project: ProjectId, name: String },
    #[error("the {} already has {max} active coaches and assistants; end a term first", .project.group_name(Lang::En))]
    TooManyCoaches { project: ProjectId, max: u32 },
    #[error("a student needs at least {need} recommending teachers named; {have} so far")]
    NeedRecommenders { have: usize, need: usize },
    #[error("{name} already has the recommender {teacher}")]
    DuplicateRecommender { name: String, teacher: String },
    #[error("{name} is {}; this step needs {}", .stage.label(Lang::En), .expected.iter().map(|s| s.label(Lang::En)).collect::<Vec<_>>().join(" or "))]
    WrongStage {
        name: String,
        stage: TraineeStage,
        expected: Vec<TraineeStage>,
    },
    #[error("the announcement runs until {ends}; file from {} on", .ends.succ_opt().unwrap_or(*.ends))]
    AnnouncementNotOver { ends: NaiveDate },
    #[error("{count} objection(s) to {name} are still open; resolve them before filing")]
    OpenObjection { name: String, count: usize },
    #[error("there is no objection number {index} to resolve")]
    NoSuchObjection { index: usize },
    #[error("the base school {school} is not approved for the {}", .project.group_name(Lang::En))]
    SchoolNotServing { school: String, project: ProjectId },
    #[error("{name} already has a result for {}; correct it instead", .semester.label(Lang::En))]
    AlreadyAssessed { name: String, semester: Semester },
    #[error("{name} is not enrolled, so cannot be assessed")]
    NotEnrolled { name: String },
    #[error("this expense of {} would leave a balance of {}; the balance is {} (spend within income)", .amount.display(), .would_leave.display(), .balance.display())]
    Overdraft {
        balance: Money,
        amount: Money,
        would_leave: Money,
    },
    #[error("the reward fund of the {} for {year} has already been allocated; it is paid once a year", .project.group_name(Lang::En))]
    RewardAlreadyAllocated { project: ProjectId, year: i32 },
    #[error("{} was already reversed on {}", .original.describe(Lang::En), .on)]
    AlreadyReversed { original: EntryNote, on: NaiveDate },
    #[error("a reversal cannot itself be reversed; record a new entry instead")]
    ReverseReversal,
    #[error("this account does not exist: group funds are daily or reward, school funds are base")]
    BadAccount,
    #[error("a {} term lasts {} year(s), not {years}", .role.label(Lang::En), .role.allowed_term_years().iter().map(|y| y.to_string()).collect::<Vec<_>>().join(" or "))]
    BadTerm { role: CoachRole, years: i32 },
    #[error("{name} does not meet annex 1-1 as {}: {}; give a written justification to file anyway", .role.label(Lang::En), .shortfalls.iter().map(|s| s.localized(Lang::En)).collect::<Vec<_>>().join("; "))]
    NotQualified {
        name: String,
        role: CoachRole,
        shortfalls: Vec<Shortfall>,
    },
    #[error("this appointment is {}; it cannot become {}", .from.label(Lang::En), .to.label(Lang::En))]
    CoachStep { from: CoachStage, to: CoachStage },
    #[error("the {} is {}; it cannot be {} now: submit it first, then file it on or after the submission date", .document.label(Lang::En), .current.label(Lang::En), if *.filed { "filed" } else { "submitted" })]
    FilingOrder {
        document: Document,
        current: Filing,
        filed: bool,
    },
    #[error("the {} of the {} for {year} is filed; it changes only by an amendment: write what is amended and why", .document.label(Lang::En), .project.group_name(Lang::En))]
    FiledDocument {
        project: ProjectId,
        year: i32,
        document: Document,
    },
    #[error("the completion report of the {} for {year} cannot be submitted with its attainment empty; write the attainment first", .project.group_name(Lang::En))]
    NeedAttainment { project: ProjectId, year: i32 },
    #[error("the base school application was already decided")]
    AlreadyDecided,
    #[error("the user {login} already exists{}; pick another login", if *.removed { " (removed, kept as a record)" } else { "" })]
    DuplicateUser { login: String, removed: bool },
    #[error("a viewer needs at least one group")]
    ViewerWithoutGroups,
    #[error("a user may have at most {max} keys")]
    TooManyKeys { max: usize },
    #[error("the key {fingerprint} already belongs to the user {login}")]
    DuplicateKey { fingerprint: String, login: String },
    #[error("there is no user {login}; `qiangji user list` shows them")]
    NoSuchUser { login: String },
    #[error("the user {login} was already removed")]
    AlreadyRemoved { login: String },
    #[error("you cannot remove yourself; ask another admin")]
    RemoveSelf,
    #[error("the user {login} has no key {fingerprint}; `qiangji user list` shows their keys")]
    NoSuchKey { login: String, fingerprint: String },
    #[error("you cannot take your own admin role or your last key; ask another admin")]
    LastAdmin,
    #[error(
        "not saved: your account ({login}) was removed or changed since this session began; log in again"
    )]
    ActorChanged { login: String },
    #[error("a session must end after it starts ({start} to {end})")]
    SessionTimes {
        start: chrono::NaiveTime,
        end: chrono::NaiveTime,
    },
    #[error("the {} (no. {id}) is not of the {}", .kind.label(Lang::En), .project.group_name(Lang::En))]
    OtherGroup {
        kind: RecordKind,
        id: u64,
        project: ProjectId,
    },
    #[error("the series has no day left after the holidays; check its first and last day")]
    EmptySeries,
    #[error("the session {topic} is cancelled")]
    SessionCancelled { topic: String },
    #[error("the session is on {date}; it can be held, and attendance taken, from that day")]
    SessionAhead { date: NaiveDate },
    #[error("{name} was not in training on {date}, so is not on that session's roster")]
    NotOnRoster { name: String, date: NaiveDate },
    #[error(
        "{name} is in the class {class}; take them out of it first (a trainee is in one class of a group at a time)"
    )]
    InAnotherClass { name: String, class: String },
    #[error("{name} is not in the class {class}")]
    NotInClass { name: String, class: String },
    #[error("{0}")]
    Key(#[from] super::ssh_keys::KeyError),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl RegistryError {
    /// The field the refusal is about, from the one table
    /// (`domain::field`): a form focuses the field that answers to it.
    /// `None` when no one field is to blame (someone else saved first, a
    /// full group, a wrong stage).
    pub fn field(&self) -> Option<Field> {
        use RegistryError as E;
        match self {
            E::Text(t) => t.ident(),
            E::Phone(_) => Some(Field::Phone),
            E::Date(d) => d.ident(),
            E::NotBetween { field, .. } => Some(*field),
            E::NotDistrict { .. } => Some(Field::District),
            E::NotPositive | E::AmountTooLarge { .. } | E::Overdraft { .. } => Some(Field::Amount),
            E::NeedRecommenders { .. } | E::DuplicateRecommender { .. } => Some(Field::Recommender),
            E::FiledDocument { .. } => Some(Field::Amendment),
            E::AnnouncementNotOver { .. } => Some(Field::FilingDate),
            E::NeedAttainment { .. } => Some(Field::Attainment),
            E::BadTerm { .. } => Some(Field::TermYears),
            E::NotQualified { .. } => Some(Field::Justification),
            E::BadLogin { .. } | E::DuplicateUser { .. } => Some(Field::Login),
            E::SessionTimes { .. } => Some(Field::End),
            _ => None,
        }
    }
}

impl Localized for RegistryError {
    fn localized(&self, lang: Lang) -> String {
        use RegistryError as E;
        if lang == Lang::En {
            return self.to_string();
        }
        let z = |p: &ProjectId| p.group_name(Lang::Zh);
        match self {
            E::Forbidden {
                actor,
                role,
                action_zh,
                ..
            } => {
                format!("{actor}（{}）无权{action_zh}", role.label(Lang::Zh))
            }
            E::NotFound { kind, id } => format!("{}（编号 {id}）不存在", kind.label(Lang::Zh)),
            E::Stale { what, by, at, .. } => format!(
                "{what}已被 {by} 于 {} 修改；请刷新后重试",
                crate::registry::shanghai(*at).format("%Y-%m-%d %H:%M")
            ),
            E::Text(t) => t.localized(lang),
            E::Phone(p) => p.localized(lang),
            E::Date(d) => d.localized(lang),
            E::NotPositive => "金额必须大于零".into(),
            E::NotDistrict { value } => format!(
                "区市：“{value}”不是青岛市的区市（应为 {} 之一）",
                crate::domain::project::DISTRICTS.join("、")
            ),
            E::NotBetween {
                field,
                value,
                min,
                max,
            } => format!(
                "{}：{value} 超出范围（应在 {min} 至 {max} 之间）",
                field.label(lang)
            ),
            E::AmountTooLarge { amount } => format!(
                "{} 超过单笔上限 {}；请拆分或核对金额",
                amount.display(),
                Money::MAX_ENTRY.display()
            ),
            E::TotalOverflow => "账户合计将超出可记录的范围；请运行 qiangji check".into(),
            E::BadLogin { shown } => {
                format!(
                    "登录名（安全显示为“{shown}”）含有字母、数字、“.”、“_”、“-”以外的字符，或不以字母或数字开头"
                )
            }
            E::GroupFull { project, seats } => format!(
                "{}已有 {seats} 名在培学生学员，名额已满；请先办理退出或稍后再录取",
                z(project)
            ),
            E::ChiefTaken { project, name } => {
                format!("{}已有在聘首席教练员（{name}）；请先结束其聘期", z(project))
            }
            E::TooManyCoaches { project, max } => format!(
                "{}在聘教练员和助理教练员已达 {max} 名；请先结束一人的聘期",
                z(project)
            ),
            E::NeedRecommenders { have, need } => {
                format!("学生须有至少 {need} 名学科教师实名推荐，目前 {have} 名")
            }
            E::DuplicateRecommender { name, teacher } => {
                format!("{name} 已有推荐教师 {teacher}")
            }
            E::WrongStage {
                name,
                stage,
                expected,
            } => format!(
                "{name} 当前为“{}”，此操作需要“{}”",
                stage.label(Lang::Zh),
                expected
                    .iter()
                    .map(|s| s.label(Lang::Zh))
                    .collect::<Vec<_>>()
                    .join("”或“")
            ),
            E::AnnouncementNotOver { ends } => format!(
                "公示期至 {ends} 结束，{} 起方可备案",
                ends.succ_opt().unwrap_or(*ends)
            ),
            E::OpenObjection { name, count } => {
                format!("{name} 的公示有 {count} 条异议尚未处理，处理完毕后方可备案")
            }
            E::NoSuchObjection { index } => format!("没有第 {index} 条异议"),
            E::SchoolNotServing { school, project } => {
                format!("基地校 {school} 未获批承担{}培养", z(project))
            }
            E::AlreadyAssessed { name, semester } => {
                format!(
                    "{name} 已有{}的考核结果；如需修改请更正该结果",
                    semester.label(Lang::Zh)
                )
            }
            E::NotEnrolled { name } => format!("{name} 不在培养中，不能考核"),
            E::Overdraft {
                balance,
                amount,
                would_leave,
            } => format!(
                "此笔支出 {} 将使余额变为 {}；当前余额 {}（量入为出，不得超支）",
                amount.display(),
                would_leave.display(),
                balance.display()
            ),
            E::RewardAlreadyAllocated { project, year } => {
                format!(
                    "{}{year} 年的项目奖励经费已拨付；奖励经费每年一次性发放",
                    z(project)
                )
            }
            E::AlreadyReversed { original, on } => {
                format!("{}已于 {on} 冲销", original.describe(Lang::Zh))
            }
            E::ReverseReversal => "冲销记录不能再冲销；如需更正请另记一笔".into(),
            E::BadAccount => {
                "账户不存在：项目组为日常培养经费或项目奖励经费，基地校为基地经费".into()
            }
            E::BadTerm { role, years } => format!(
                "{}聘期为 {} 年，不能为 {years} 年",
                role.label(Lang::Zh),
                role.allowed_term_years()
                    .iter()
                    .map(|y| y.to_string())
                    .collect::<Vec<_>>()
                    .join(" 或 ")
            ),
            E::NotQualified {
                name,
                role,
                shortfalls,
            } => format!(
                "{name} 不符合附件1-1{}条件：{}；如仍需备案，请填写书面说明",
                role.label(Lang::Zh),
                shortfalls
                    .iter()
                    .map(|s| s.localized(Lang::Zh))
                    .collect::<Vec<_>>()
                    .join("；")
            ),
            E::CoachStep { from, to } => {
                format!(
                    "该聘任当前为“{}”，不能变为“{}”",
                    from.label(Lang::Zh),
                    to.label(Lang::Zh)
                )
            }
            E::FilingOrder {
                document,
                current,
                filed,
            } => format!(
                "{}当前为“{}”，现在不能{}；须先提交，备案日期不早于提交日期",
                document.label(Lang::Zh),
                current.label(Lang::Zh),
                if *filed { "备案" } else { "提交" }
            ),
            E::FiledDocument {
                project,
                year,
                document,
            } => format!(
                "{}{}已备案，只能通过修订更改：请写明修订内容和理由",
                z(project),
                document.of_year(*year, Lang::Zh)
            ),
            E::NeedAttainment { project, year } => format!(
                "{}{year} 年完成情况为空，不能提交完成情况报告；请先填写完成情况",
                z(project)
            ),
            E::AlreadyDecided => "该基地校申报已有决定".into(),
            E::DuplicateUser { login, removed } => format!(
                "用户 {login} 已存在{}；请换一个登录名",
                if *removed {
                    "（已停用，记录保留）"
                } else {
                    ""
                }
            ),
            E::ViewerWithoutGroups => "查看角色须至少指定一个项目组".into(),
            E::TooManyKeys { max } => format!("每个用户最多 {max} 个公钥"),
            E::DuplicateKey { fingerprint, login } => {
                format!("公钥 {fingerprint} 已属于用户 {login}")
            }
            E::NoSuchUser { login } => {
                format!("没有用户 {login}；`qiangji user list` 可列出所有用户")
            }
            E::AlreadyRemoved { login } => format!("用户 {login} 已停用"),
            E::RemoveSelf => "不能停用自己；请另一位工作专班管理员操作".into(),
            E::NoSuchKey { login, fingerprint } => {
                format!("用户 {login} 没有公钥 {fingerprint}；`qiangji user list` 可列出其公钥")
            }
            E::LastAdmin => {
                "不能取消自己的管理员角色或移除自己的最后一个公钥；请另一位工作专班管理员操作"
                    .into()
            }
            E::ActorChanged { login } => {
                format!("未保存：您的账号（{login}）在本次会话开始后已被停用或变更；请重新登录")
            }
            E::SessionTimes { start, end } => {
                format!("活动结束时间须晚于开始时间（{start} 至 {end}）")
            }
            E::OtherGroup { kind, id, project } => {
                format!("{}（编号 {id}）不属于{}", kind.label(Lang::Zh), z(project))
            }
            E::EmptySeries => "去掉节假日后该系列活动没有日期；请核对起止日期".into(),
            E::SessionCancelled { topic } => format!("培养活动“{topic}”已取消"),
            E::SessionAhead { date } => {
                format!("该活动在 {date} 举行；当天起方可登记举行和考勤")
            }
            E::NotOnRoster { name, date } => {
                format!("{name} 在 {date} 不在培养中，不在该活动的名单上")
            }
            E::InAnotherClass { name, class } => format!(
                "{name} 已在班级“{class}”；请先将其调出（同一项目组内学员同时只在一个班级）"
            ),
            E::NotInClass { name, class } => format!("{name} 不在班级“{class}”"),
            E::Key(e) => e.localized(lang),
            E::Store(e) => e.localized(lang),
        }
    }
}
