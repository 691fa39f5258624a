//! Everything a key can be bound to, and the contexts bindings live in.
//! Internal events (resize, data loaded) are not actions and cannot be bound.

use serde::{Deserialize, Serialize};

use crate::domain::ProjectId;
use crate::i18n::Lang;

/// Where a binding applies. A key is looked up in the current context first,
/// then in `global`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    Global,
    /// Tables: the overview's groups and every workspace tab.
    List,
    /// A form with fields.
    Form,
    /// A one-line text input: the filter and the command palette.
    Input,
    /// A yes/no question.
    Confirm,
    /// The keys of one screen's tables, looked up before [list]: the
    /// overview, a group's tabs (its ledger tab has [ledger]), the ledger
    /// overview ([ledgers]), a semester assessment, the audit trail, the
    /// users, the evaluation, the calendar tab and the attendance roster.
    Overview,
    Group,
    Ledger,
    Ledgers,
    Assessment,
    Audit,
    Users,
    Evaluation,
    /// A group's calendar tab.
    Calendar,
    /// A session's attendance roster.
    Attendance,
}

impl Context {
    pub const ALL: [Context; 15] = [
        Context::Global,
        Context::List,
        Context::Form,
        Context::Input,
        Context::Confirm,
        Context::Overview,
        Context::Group,
        Context::Ledger,
        Context::Ledgers,
        Context::Assessment,
        Context::Audit,
        Context::Users,
        Context::Evaluation,
        Context::Calendar,
        Context::Attendance,
    ];

    /// Where a key not bound here is looked up next: a screen's context
    /// falls back to [list], every other to [global].
    pub fn fallback(self) -> Option<Context> {
        match self {
            Context::Global => None,
            _ if self.is_screen() => Some(Context::List),
            _ => Some(Context::Global),
        }
    }

    /// The contexts a key is looked up in, this one first.
    pub fn chain(self) -> impl Iterator<Item = Context> {
        std::iter::successors(Some(self), |c| c.fallback())
    }

    /// One screen's context (not [list] itself).
    pub fn is_screen(self) -> bool {
        matches!(
            self,
            Context::Overview
                | Context::Group
                | Context::Ledger
                | Context::Ledgers
                | Context::Assessment
                | Context::Audit
                | Context::Users
                | Context::Evaluation
                | Context::Calendar
                | Context::Attendance
        )
    }

    /// Whether an action of context `self` may be bound in `other`: in its
    /// own context; a global action anywhere; an action of [list] or of a
    /// screen in [list] or any screen's context.
    pub fn binds_in(self, other: Context) -> bool {
        let tables = |c: Context| c == Context::List || c.is_screen();
        self == other || self == Context::Global || (tables(self) && tables(other))
    }

    pub fn code(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Form => "form",
            Context::Input => "input",
            Context::Confirm => "confirm",
            Context::Overview => "overview",
            Context::Group => "group",
            Context::Ledger => "ledger",
            Context::Ledgers => "ledgers",
            Context::Assessment => "assessment",
            Context::Audit => "audit",
            Context::Users => "users",
            Context::Evaluation => "evaluation",
            Context::Calendar => "calendar",
            Context::Attendance => "attendance",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Context::Global => lang.pick("全局", "Everywhere"),
            Context::List => lang.pick("列表", "Lists"),
            Context::Form => lang.pick("表单", "Forms"),
            Context::Input => lang.pick("输入框", "Text input"),
            Context::Confirm => lang.pick("确认", "Questions"),
            Context::Overview => lang.pick("总览", "Overview"),
            Context::Group => lang.pick("项目组", "Group"),
            Context::Ledger => lang.pick("经费", "Ledger"),
            Context::Ledgers => lang.pick("经费总览", "Ledger overview"),
            Context::Assessment => lang.pick("学期考核", "Semester assessment"),
            Context::Audit => lang.pick("审计记录", "Audit trail"),
            Context::Users => lang.pick("用户管理", "Users"),
            Context::Evaluation => lang.pick("年度评价", "Evaluation"),
            Context::Calendar => lang.pick("日程", "Calendar"),
            Context::Attendance => lang.pick("考勤", "Attendance"),
        }
    }

    /// Contexts where unbound printable keys are typed as text, so a global
    /// binding on a printable key (like `q`) must not fire there.
    pub fn is_typing(self) -> bool {
        matches!(self, Context::Form | Context::Input)
    }
}

macro_rules! actions {
    ($( $variant:ident = $name:literal, $ctx:ident, $zh:literal, $en:literal; )*
     @group;
     $( $later:ident = $lname:literal, $lctx:ident, $lzh:literal, $len:literal; )*) => {
        /// A bindable action. `Group` is one action over the six groups; the
        /// keymap names each (`group_math` ... `group_humanities`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action { $( $variant, )* Group(ProjectId), $( $later, )* }

        impl Action {
            pub const ALL: &'static [Action] = &[
                $( Action::$variant, )*
                Action::Group(ProjectId::Math),
                Action::Group(ProjectId::Physics),
                Action::Group(ProjectId::Chemistry),
                Action::Group(ProjectId::Biology),
                Action::Group(ProjectId::Informatics),
                Action::Group(ProjectId::Humanities),
                $( Action::$later, )*
            ];

            /// The name used in keymap files.
            pub fn name(self) -> &'static str {
                match self {
                    $( Action::$variant => $name, )*
                    Action::Group(p) => group_action(p).0,
                    $( Action::$later => $lname, )*
                }
            }

            pub fn from_name(name: &str) -> Option<Action> {
                match name {
                    $( $name => Some(Action::$variant), )*
                    $( $lname => Some(Action::$later), )*
                    _ => ProjectId::ALL
                        .into_iter()
                        .find(|p| group_action(*p).0 == name)
                        .map(Action::Group),
                }
            }

            /// The context the action belongs to (where it can be bound).
            pub fn context(self) -> Context {
                match self {
                    $( Action::$variant => Context::$ctx, )*
                    Action::Group(_) => Context::Global,
                    $( Action::$later => Context::$lctx, )*
                }
            }

            pub fn describe(self, lang: Lang) -> &'static str {
                match self {
                    $( Action::$variant => lang.pick($zh, $en), )*
                    Action::Group(p) => {
                        let (_, zh, en) = group_action(p);
                        lang.pick(zh, en)
                    }
                    $( Action::$later => lang.pick($lzh, $len), )*
                }
            }
        }
    };
}

/// A group's action: its keymap name and description.
fn group_action(p: ProjectId) -> (&'static str, &'static str, &'static str) {
    match p {
        ProjectId::Math => ("group_math", "数学组", "Mathematics group"),
        ProjectId::Physics => ("group_physics", "物理组", "Physics group"),
        ProjectId::Chemistry => ("group_chemistry", "化学组", "Chemistry group"),
        ProjectId::Biology => ("group_biology", "生物学组", "Biology group"),
        ProjectId::Informatics => ("group_informatics", "信息学组", "Informatics group"),
        ProjectId::Humanities => ("group_humanities", "历史哲学古文字学组", "Humanities group"),
    }
}

actions! {
    Quit = "quit", Global, "退出", "Quit";
    Help = "help", Global, "帮助：按键一览", "Help: every key";
    Palette = "palette", Global, "命令面板", "Command palette";
    Back = "back", Global, "返回", "Back";
    Overview = "overview", Global, "回到总览", "Go to the overview";
    NextGroup = "next_group", Global, "下一个项目组", "Next group";
    PrevGroup = "prev_group", Global, "上一个项目组", "Previous group";
    @group;
    Refresh = "refresh", Global, "重新读取数据", "Reload the data";
    SelectNext = "select_next", List, "下一行", "Next row";
    SelectPrev = "select_prev", List, "上一行", "Previous row";
    SelectFirst = "select_first", List, "第一行", "First row";
    SelectLast = "select_last", List, "最后一行", "Last row";
    PageDown = "page_down", List, "向下翻页", "Page down";
    PageUp = "page_up", List, "向上翻页", "Page up";
    Open = "open", List, "打开", "Open";
    NextTab = "next_tab", List, "下一个标签页", "Next tab";
    PrevTab = "prev_tab", List, "上一个标签页", "Previous tab";
    Filter = "filter", List, "筛选（支持拼音）", "Filter (pinyin too)";
    SortNext = "sort_next", List, "按下一列排序", "Sort by the next column";
    SortReverse = "sort_reverse", List, "反向排序", "Reverse the sort";
    ToggleDetail = "toggle_detail", List, "显示/隐藏详情", "Show or hide details";
    DetailDown = "detail_down", List, "详情向下滚动", "Scroll details down";
    DetailUp = "detail_up", List, "详情向上滚动", "Scroll details up";
    Edit = "edit", List, "编辑所选记录", "Edit the selected record";
    StartAssessment = "start_assessment", List, "学期考核：逐一登记本学期结果", "Semester assessment: record this semester's results one by one";
    AssessPass = "assess_pass", Assessment, "考核合格", "Assessment: pass";
    AssessFail = "assess_fail", Assessment, "考核不合格", "Assessment: fail";
    AssessSkip = "assess_skip", Assessment, "跳过此学员", "Skip this trainee";
    AssessNote = "assess_note", Assessment, "填写分数和备注", "Type a score and a note";
    NewRecord = "new_record", List, "新建：申报、提名、基地校、年度计划或成绩（按标签页）", "New: application, nomination, school, plan or achievement";
    NextStep = "next_step", Group, "所选记录的下一步：学员流程、聘任状态、基地校审批、计划报告的提交备案", "The selected record's next step: pipeline, appointment, school decision, plan or report filing";
    RaiseObjection = "raise_objection", Group, "登记公示异议", "Record an objection to an announcement";
    Withdraw = "withdraw", Group, "退出培养", "Withdraw the trainee";
    WithdrawAll = "withdraw_all", Assessment, "全部确认退出", "Withdraw every failed trainee";
    Undo = "undo", List, "撤销我在本次会话中的上一步", "Undo my last change in this session";
    AuditLog = "audit_log", Global, "审计记录：所有修改", "Audit trail: every change";
    Users = "users", Global, "用户管理：SSH 用户、角色和公钥（工作专班）", "Users: SSH users, roles and keys (admin)";
    RemoveUser = "remove_user", Users, "停用所选用户（记录保留）", "Remove the selected user (kept as a record)";
    Evaluation = "evaluation", Global, "年度评价：学校积分与项目组目标达成", "Annual evaluation: school points and group targets";
    NextYear = "next_year", Evaluation, "下一年度", "Next year";
    PrevYear = "prev_year", Evaluation, "上一年度", "Previous year";
    ImportApplications = "import_applications", Group, "导入推荐名单（学员标签页），先检查后写入", "Import a recommendation list (trainees tab), checked first";
    Rollover = "rollover", Overview, "年度结转：经费结余结转或退回、到期聘任结束（工作专班）", "Year rollover: balances carried or returned (admin)";
    Exports = "exports", Global, "下载导出文件：公示名单、备案名单、台账", "Download exports: lists, filing, ledgers";
    LedgerOverview = "ledger_overview", Global, "经费总览：各项目组与基地校账户", "Ledger overview: every group's and school's accounts";
    AddAllocation = "add_allocation", Ledger, "登记拨入经费", "Record an allocation";
    AddExpense = "add_expense", Ledger, "登记经费支出", "Record an expense";
    ReverseEntry = "reverse_entry", Ledger, "冲销所选台账记录", "Reverse the selected ledger entry";
    CancelSession = "cancel_session", Calendar, "取消所选培养活动（填写原因）", "Cancel the selected session (with a reason)";
    TakeAttendance = "take_attendance", Calendar, "所选活动的考勤：逐一登记", "Take the selected session's attendance, one key a trainee";
    MarkPresent = "mark_present", Attendance, "考勤：出勤", "Attendance: present";
    MarkLate = "mark_late", Attendance, "考勤：迟到", "Attendance: late";
    MarkExcused = "mark_excused", Attendance, "考勤：请假", "Attendance: excused";
    MarkAbsent = "mark_absent", Attendance, "考勤：缺勤", "Attendance: absent";
    NextField = "next_field", Form, "下一项", "Next field";
    PrevField = "prev_field", Form, "上一项", "Previous field";
    Submit = "submit", Form, "保存", "Save";
    Cancel = "cancel", Form, "取消", "Cancel";
    Fill = "fill", Form, "按日程填写培训组织计划", "Fill from the sessions";
    TakeTheirs = "take_theirs", Form, "他人刚保存了此记录时：取用其改动的值，保留您在其他项的输入", "When someone else just saved the record: take the values they changed, keeping what you typed elsewhere";
    Confirm = "confirm", Input, "确定", "Confirm";
    Clear = "clear", Input, "清除并关闭", "Clear and close";
    Yes = "yes", Confirm, "是", "Yes";
    No = "no", Confirm, "否", "No";
}
