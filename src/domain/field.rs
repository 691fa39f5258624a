//! Every field a person names, with one identity: its label in Chinese and
//! English, its JSON key (the stored record's field name where it has one),
//! and the headers an imported list may give it. The forms, the registry's
//! refusals, the audit view, the printed lists and the import read their
//! words from here, so "所在学校" is one word wherever a trainee's school
//! is meant. Nothing stores a `Field`: a refusal carries it (or its
//! [`Field::ident`] text, see `TextError`), a form field declares it.

use crate::i18n::Lang;

macro_rules! fields {
    ($( $(#[$doc:meta])* $variant:ident = $zh:literal, $en:literal, $key:literal $(, [$($alias:literal),* $(,)?])? ; )*) => {
        /// A field as people name it; see the module.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Field { $( $(#[$doc])* $variant, )* }

        impl Field {
            /// Every field, in the order declared.
            pub const ALL: &'static [Field] = &[ $( Field::$variant, )* ];

            /// The label in Chinese.
            pub fn zh(self) -> &'static str {
                match self { $( Field::$variant => $zh, )* }
            }

            /// The label in English.
            pub fn en(self) -> &'static str {
                match self { $( Field::$variant => $en, )* }
            }

            /// The JSON key: the stored record's field name where the
            /// field is one, and the key of the lists' JSON exports.
            pub fn key(self) -> &'static str {
                match self { $( Field::$variant => $key, )* }
            }

            /// The headers an imported list may give the field, as
            /// compared (lower case, no spaces or punctuation; see
            /// `import::normalise`); empty for a field no import reads.
            pub fn aliases(self) -> &'static [&'static str] {
                match self { $( Field::$variant => &[ $($($alias,)*)? ], )* }
            }
        }
    };
}

fields! {
    // Who a trainee is, as the application and the lists give it.
    Name = "姓名", "Name", "name",
        ["姓名", "学生姓名", "学员姓名", "名字", "name", "studentname", "fullname"];
    Gender = "性别", "Gender", "gender", ["性别", "gender", "sex"];
    /// The school a trainee comes from (a coach's is `Workplace`, a base
    /// school's name `SchoolName`).
    HomeSchool = "所在学校", "Home school", "home_school",
        ["所在学校", "学校", "就读学校", "推荐学校", "学校名称", "school", "homeschool", "schoolname"];
    District = "区市", "District", "district", ["区市", "区", "所在区市", "区县", "district"];
    Grade = "年级", "Grade", "grade", ["年级", "grade", "year"];
    Phone = "联系电话", "Phone", "phone",
        ["联系电话", "手机号", "手机号码", "电话", "手机", "联系方式", "phone", "mobile",
         "telephone", "phonenumber", "tel"];
    Group = "项目组", "Group", "project",
        ["项目组", "项目", "申报项目", "学科", "group", "project", "subject"];
    Kind = "学员类别", "Kind", "kind",
        ["学员类别", "类别", "学员类型", "类型", "kind", "type", "traineekind"];
    Recommender = "推荐教师", "Recommender", "recommenders";
    ApplicationDate = "申报日期", "Date applied", "applied_on",
        ["申报日期", "日期", "申请日期", "applicationdate", "dateapplied", "date", "applied"];
    TrainingMode = "培养方式", "Training mode", "training_mode";
    // The steps of a trainee's history.
    RecommendationDate = "推荐日期", "Recommendation date", "recommended_on";
    SelectionDate = "遴选日期", "Selection date", "selected_on";
    AnnouncementStart = "公示开始", "Announcement start", "announced_from";
    WorkingDays = "公示工作日", "Working days", "working_days";
    Objection = "异议", "Objection", "objection";
    ObjectionDate = "异议日期", "Objection date", "objection_date";
    Resolution = "处理结果", "Resolution", "resolution";
    ResolutionDate = "处理日期", "Resolution date", "resolved_on";
    FilingDate = "备案日期", "Filing date", "filed_on";
    EnrolmentDate = "录取日期", "Enrolment date", "enrolled_on";
    WithdrawalDate = "退出日期", "Withdrawal date", "withdrawn_on";
    WithdrawalReason = "退出原因", "Withdrawal reason", "withdrawal_reason";
    RetractionDate = "撤回日期", "Retraction date", "retracted_on";
    RetractionReason = "撤回原因", "Retraction reason", "retraction_reason";
    ReinstatementDate = "恢复日期", "Reinstatement date", "reinstated_on";
    ReinstatementReason = "恢复原因", "Reinstatement reason", "reinstatement_reason";
    Score = "分数", "Score", "score";
    // The ledger.
    /// A day on its own: an entry's, a session's, a coach's step.
    Date = "日期", "Date", "date";
    Amount = "金额", "Amount", "amount";
    Account = "账户", "Account", "account";
    Category = "类别", "Category", "category";
    Voucher = "凭证号", "Voucher", "voucher";
    Payee = "收款方", "Payee", "payee";
    Note = "备注", "Note", "note";
    /// Why an entry is reversed (kept as the reversal's note).
    ReversalReason = "冲销原因", "Reversal reason", "reversal_reason";
    // Coaches and the people behind them.
    NominationDate = "提名日期", "Nomination date", "nominated_on";
    Justification = "书面说明", "Justification", "justification";
    TermYears = "任期年数", "Term years", "term_years";
    /// Where a coach works (their school or unit).
    Workplace = "工作单位", "Workplace", "school";
    Title = "职称", "Title", "title";
    TeachingSince = "从教起始", "Teaching since", "teaching_since";
    CoachingSince = "竞赛辅导起始", "Coaching since", "coaching_since";
    Competition = "竞赛名称", "Competition", "competition";
    University = "录取高校", "University", "university";
    ResearchOutput = "研究成果", "Research output", "research_outputs";
    // A base school's application and its decision.
    /// A base school's name.
    SchoolName = "学校名称", "School name", "school_name";
    Projects = "申报项目", "Groups applied for", "projects";
    Principal = "校长", "Principal", "principal";
    ChiefCoach = "首席教练员姓名", "Chief coach", "chief_coach";
    WorkStart = "参加工作时间", "Work start", "work_start";
    Subject = "任教学科", "Subject", "subject";
    Achievements = "主要成绩", "Achievements", "achievements";
    TrackRecord = "学校工作基础", "Track record", "track_record";
    WorkPlan = "工作计划", "Work plan", "work_plan";
    DistrictRecommendation = "区市推荐意见", "District's recommendation", "district_recommendation";
    DecisionNote = "审批意见", "Decision note", "decision_note";
    // A group's annual plan.
    Year = "年度", "Year", "year";
    Goals = "年度目标", "Goals", "goals";
    Target = "目标", "Target", "targets";
    Attainment = "完成情况", "Attainment", "attainment";
    Amendment = "修订说明", "Amendment", "amendment";
    Criteria = "学员条件及产生方式", "Trainee criteria", "criteria";
    Management = "学员组织管理", "Trainee management", "management";
    TrainingPlan = "培训组织计划", "Training plan", "training";
    Funding = "经费安排", "Budget", "funding";
    // Training.
    Topic = "主题", "Topic", "topic";
    Room = "教室", "Room", "room";
    Link = "链接", "Link", "link";
    Place = "地点", "Place", "place";
    End = "结束", "End", "end";
    EveryDays = "间隔天数", "Every days", "every_days";
    SeriesLength = "系列活动次数", "Sessions in a series", "sessions";
    CancelReason = "取消原因", "Cancellation reason", "cancel_reason";
    ClassName = "班级名称", "Class name", "class_name";
    ClassDate = "编班日期", "Date placed", "joined";
    LeaveDate = "调出日期", "Date moved out", "left";
    Hours = "学时", "Hours", "tenths";
    AttendanceThreshold = "出勤率预警线", "Attendance threshold", "percent";
    // Users.
    Login = "登录名", "Login", "login";
}

impl Field {
    /// The label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.pick(self.zh(), self.en())
    }

    /// The labels in Chinese and English, as a form field takes them.
    pub fn labels(self) -> (&'static str, &'static str) {
        (self.zh(), self.en())
    }

    /// The field named in both languages, "所在学校 home school" (the
    /// English in lower case, as a message says it mid-sentence): how a
    /// refusal that carries text (`TextError`, `DateOutside`) names it;
    /// [`Field::of_ident`] reads it back.
    pub fn ident(self) -> String {
        format!("{} {}", self.zh(), self.en().to_lowercase())
    }

    /// The field whose [`Field::ident`] is `ident`.
    pub fn of_ident(ident: &str) -> Option<Field> {
        let (zh, en) = ident.split_once(' ')?;
        Field::ALL
            .iter()
            .copied()
            .find(|f| f.zh() == zh && f.en().to_lowercase() == en)
    }

    /// The field whose JSON key is `key`.
    pub fn of_key(key: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.key() == key)
    }

    /// The field labelled `label` in Chinese.
    pub fn labelled(label: &str) -> Option<Field> {
        Field::ALL.iter().copied().find(|f| f.zh() == label)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn keys_and_labels_are_distinct_and_idents_read_back() {
        let mut keys = HashSet::new();
        let mut zh = HashSet::new();
        let mut en = HashSet::new();
        for f in Field::ALL.iter().copied() {
            assert!(keys.insert(f.key()), "key {} twice", f.key());
            assert!(zh.insert(f.zh()), "label {} twice", f.zh());
            assert!(en.insert(f.en().to_lowercase()), "label {} twice", f.en());
            assert!(!f.zh().is_ascii() && !f.zh().contains(' '), "{f:?}");
            assert!(f.en().is_ascii(), "{f:?}");
            assert!(
                f.key().chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{f:?}"
            );
            assert_eq!(Field::of_ident(&f.ident()), Some(f));
            assert_eq!(Field::of_key(f.key()), Some(f));
            assert_eq!(Field::labelled(f.zh()), Some(f));
            assert_eq!(crate::domain::text::label(&f.ident(), Lang::Zh), f.zh());
            assert_eq!(
                crate::domain::text::label(&f.ident(), Lang::En),
                f.en().to_lowercase()
            );
        }
    }

    #[test]
    fn an_import_header_names_one_field_and_every_field_read_takes_its_label() {
        let mut seen = HashSet::new();
        for f in Field::ALL.iter().copied() {
            for a in f.aliases() {
                assert!(seen.insert(*a), "header {a} names two fields");
            }
            if !f.aliases().is_empty() {
                let own = |s: &str| s.to_lowercase().replace(' ', "");
                assert!(f.aliases().contains(&own(f.zh()).as_str()), "{f:?}");
                assert!(f.aliases().contains(&own(f.en()).as_str()), "{f:?}");
            }
        }
    }
}
