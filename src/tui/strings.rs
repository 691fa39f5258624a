//! Every label the interface shows, in Chinese and English, in one place.

use crate::i18n::Lang;

macro_rules! labels {
    ($( $variant:ident = $zh:literal, $en:literal; )*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum L { $( $variant, )* }

        impl L {
            pub const ALL: &'static [L] = &[ $( L::$variant, )* ];

            pub fn get(self, lang: Lang) -> &'static str {
                match self { $( L::$variant => lang.pick($zh, $en), )* }
            }
        }
    };
}

labels! {
    Overview = "总览", "Overview";
    Loading = "正在打开数据库", "Opening the database";
    Enlarge = "窗口太小：请放大到至少 80 x 24", "The window is too small: enlarge it to at least 80 x 24";
    Now = "当前", "now";
    ChiefCoach = "首席教练员", "Chief coach";
    NoChiefYet = "（空缺）", "(vacant)";
    Coaches = "教练员", "Coaches";
    Students = "在培学生", "Students";
    Teachers = "青年教师", "Teachers";
    BaseSchools = "基地校", "Base schools";
    DailyFund = "日常经费", "Daily fund";
    RewardFund = "奖励经费", "Reward fund";
    Paid = "已发放", "paid";
    NotYet = "未发放", "not yet";
    Assessed = "本学期考核", "Assessed";
    Alerts = "提醒", "Alerts";
    NoAlerts = "无提醒", "no alerts";
    Group = "项目组", "Group";
    TabTrainees = "学员", "Trainees";
    TabCoaches = "教练员", "Coaches";
    TabSchools = "基地校", "Schools";
    TabLedger = "经费", "Ledger";
    TabPlans = "年度计划", "Plans";
    TabCalendar = "日程", "Calendar";
    LowAttendance = "出勤率低于", "Attendance under";
    Topic = "主题", "Topic";
    Place = "地点", "Place";
    SessionStatus = "状态", "Status";
    Marked = "考勤", "Marked";
    CancelledFor = "取消原因", "Cancelled for";
    SeriesOf = "系列", "Series";
    SessionKeys = "（. 考勤  x 取消  N 新活动）", "(. attendance  x cancel  N new)";
    PickSession = "请先选择一次培养活动", "Pick a session first";
    SessionCancelledAlready = "该活动已取消", "That session is cancelled";
    SessionAheadNoMarks = "活动尚未到期，当天或之后才能登记考勤", "The session is ahead: attendance can be taken from its day on";
    NewSessionHint = "新活动", "new session";
    NewSessionTitle = "安排培养活动", "Plan a session";
    NewSessionIntro = "“重复至”留空为单次；填写则按间隔天数排出系列活动，法定节假日自动跳过。地点说明：教室、会议链接或其他地点名称。授课教练员按姓名填写，空格分隔。", "Leave \"repeat until\" empty for one session; with a date, a series every so many days is planned, public holidays skipped. Room or link: the room, the meeting link, or the place's name. Coaches by name, separated by spaces.";
    BadTime = "请按 08:30 的格式填写时间", "type a time as 08:30";
    NotACoachHere = "不是本组的教练员", "not a coach of this group";
    BadEveryDays = "间隔天数须为 1 到 366", "every (days) must be 1 to 366";
    CancelSessionTitle = "取消培养活动", "Cancel a session";
    AttendanceTitle = "考勤", "Attendance";
    Skip = "跳过", "skip";
    CorrectMarks = "更正考勤", "correct marks";
    NobodyExpected = "该活动的名单为空：班级无学员，或当天无在培学员", "Nobody is expected at this session: an empty class, or no trainee in training that day";
    AttendanceSummary = "小结", "Summary";
    MarkCounts = "考勤明细", "Marks";
    AbsentOrLate = "缺勤、迟到的学员", "Absent or late";
    NobodyMissed = "全部出勤", "Everyone was there";
    Unmarked = "未登记", "unmarked";
    Name = "姓名", "Name";
    Kind = "类别", "Kind";
    Stage = "阶段", "Stage";
    HomeSchool = "所在学校", "Home school";
    District = "区市", "District";
    Grade = "年级", "Grade";
    Mode = "培养方式", "Mode";
    Role = "角色", "Role";
    Term = "聘期", "Term";
    Workplace = "单位", "Works at";
    Qualified = "附件1-1", "Annex 1-1";
    Meets = "符合", "meets";
    Unmet = "项不符", "unmet";
    School = "学校", "School";
    Projects = "项目", "Groups";
    Principal = "校长", "Principal";
    Date = "日期", "Date";
    Account = "账户", "Account";
    Amount = "金额", "Amount";
    Category = "类别", "Category";
    EntryType = "类型", "Type";
    Reversed = "已冲销", "reversed";
    FindTitle = "查找", "Find";
    HitTrainee = "学员", "trainee";
    HitCoach = "教练员", "coach";
    HitSchool = "基地校", "school";
    FindPrompt = "查找所有项目组", "search every group";
    FilterWords = "姓名、拼音、学校，或阶段：待办 已申报 公示中 已备案 培养中 已退出", "name, pinyin, school or stage: todo applied announced filed enrolled withdrawn";
    ReversalOf = "冲销的是", "reverses";
    ShortChief = "首席", "Chief";
    ShortCoaches = "教练", "Coach";
    ShortStudents = "学生", "Stud.";
    ShortTeachers = "教师", "Tchr";
    ShortSchools = "基地", "Base";
    ShortFund = "经费余额", "Daily fund";
    ShortAssessed = "考核", "Done";
    Voucher = "凭证号", "Voucher";
    Payee = "收款方", "Payee";
    Allocated = "拨入", "Allocated";
    Spent = "支出", "Spent";
    Balance = "余额", "Balance";
    Year = "年度", "Year";
    Plan = "实施方案", "Plan";
    Report = "完成报告", "Report";
    Goals = "年度目标", "Goals";
    Targets = "目标指标", "Targets";
    Budget = "预算", "Budget";
    Detail = "详情", "Details";
    History = "历史", "History";
    Audit = "审计记录", "Audit trail";
    AssessmentsLabel = "学期考核", "Assessments";
    Withdrawal = "退出培养", "Withdrawal";
    Retraction = "撤回申报", "Application withdrawn";
    Attendance = "出勤率", "Attendance";
    ClassLabel = "班级", "Class";
    Recommenders = "推荐教师", "Recommenders";
    Phone = "联系电话", "Phone";
    Gender = "性别", "Gender";
    Commitment = "承诺书", "Letter signed";
    Announcement = "公示", "Announcement";
    Objections = "异议", "Objections";
    Resolved = "已处理", "resolved";
    Open = "未处理", "open";
    Results = "学生成绩", "Prizes";
    Research = "研究成果", "Research";
    Shortfalls = "不符合条件", "Unmet conditions";
    Justification = "书面说明", "Justification";
    Application = "申报信息", "Application";
    Decision = "审批", "Decision";
    TrackRecord = "工作基础", "Track record";
    WorkPlan = "工作计划", "Work plan";
    Recommendation = "区市推荐意见", "District says";
    Nothing = "暂无记录", "Nothing here yet";
    EmptyDatabase = "数据库是空的。可运行 qiangji demo --db 目录 写入演示数据，或用 qiangji --demo 直接体验；学员、教练员等记录通过各工作流录入。", "The database is empty. Run qiangji demo --db DIR to load demo data, or qiangji --demo to try it; records are added through the workflows.";
    FilterPrompt = "筛选", "Filter";
    FilterHint = "姓名、拼音或首字母、学校、区市", "name, pinyin or initials, school, district";
    Shown = "显示", "showing";
    Of = "/", "of";
    PaletteTitle = "命令面板", "Command palette";
    PaletteHint = "输入操作名称（支持拼音）", "type an action's name (pinyin too)";
    PasteIgnored = "粘贴的内容只能放进正在输入的栏目：先打开表单或筛选框", "a paste goes into the field being typed in: open a form or the filter first";
    HelpTitle = "帮助：当前按键", "Help: the keys in force";
    HelpFooter = "按键可在 keymap.toml 中修改，见 README", "Keys can be changed in keymap.toml, see the README";
    Saved = "已保存", "Saved";
    LedgerOverview = "经费总览", "Ledger overview";
    AccountHolder = "项目组/基地校", "Group / school";
    Fund = "经费", "Fund";
    UsedPercent = "已用", "Used";
    Planned = "预算", "Planned";
    Remaining = "剩余", "Remaining";
    BudgetTitle = "本年度日常经费：预算执行", "This year's daily fund: budget against actual";
    NoBudget = "本年度计划未列预算；下表为各类别支出", "This year's plan has no budget; spending by category";
    MonthlyTitle = "月度支出", "Spending by month";
    TotalRow = "合计", "Total";
    Unbudgeted = "未列入预算", "not budgeted";
    MoreCategories = "其余类别", "other categories";
    YearKeys = "左右键切换年度", "left/right: change the year";
    NoAccounts = "这一年没有账户", "No accounts this year";
    AddAllocation = "登记拨入经费", "Record an allocation";
    AddExpense = "登记经费支出", "Record an expense";
    ReverseEntry = "冲销台账记录", "Reverse a ledger entry";
    LedgerOnly = "请在项目组的经费页或经费总览中登记经费", "Record money from a group's ledger tab or the ledger overview";
    PickEntry = "请先在经费页选中要冲销的记录", "Select the entry to reverse on the ledger tab first";
    NoAccountHere = "没有可登记的账户", "No account to record into";
    ReverseIntro = "冲销以下记录（原记录保留）：", "Reverse this entry (it stays on record):";
    Recorded = "已登记", "Recorded";
    AssessmentSession = "学期考核", "Semester assessment";
    SemesterKeys = "左右键切换学期", "left/right: another semester";
    PlanAndReport = "方案 / 报告", "Plan / report";
    AllGroups = "全部项目组", "every group";
    Progress = "已登记", "recorded";
    Result = "结果", "Result";
    Score = "分数", "Score";
    Note = "备注", "Note";
    Skipped = "已跳过", "skipped";
    NoResult = "未登记", "none yet";
    Pending = "下一条结果附带", "With the next result";
    ScorePrompt = "分数 备注（如 87.5 表现稳定），回车确定", "score note (e.g. 87.5 steady work), enter to keep";
    BadScore = "分数应为 0 到 100 之间的数，最多一位小数（如 87.5）", "A score is a number from 0 to 100 with at most one decimal (87.5)";
    SummaryTitle = "考核小结", "Summary";
    Passed = "合格", "passed";
    Failed = "不合格", "failed";
    NotAssessed = "未登记", "not recorded";
    WithdrawQueue = "不合格学员：确认退出培养（原因：学期考核不合格）", "Failed trainees: confirm the withdrawal (reason: failed the semester assessment)";
    Withdrawn = "已退出", "withdrawn";
    ToConfirm = "待确认", "to confirm";
    NobodyEnrolled = "没有在培学员", "Nobody is enrolled";
    NothingFailed = "无不合格学员", "Nobody failed";
    NothingWithdrawn = "未退出任何学员", "Nobody was withdrawn";
    NothingToWithdraw = "不合格学员都已退出培养", "Every failed trainee is already withdrawn";
    NotInSession = "请先按 A 开始学期考核", "Start a semester assessment first (A)";
    NewApplication = "新建申报", "New application";
    StepRecommend = "学校推荐", "School recommendation";
    StepSelect = "项目组遴选", "Group selection";
    StepAnnounce = "公示", "Public announcement";
    StepResolve = "处理公示异议", "Resolve the objection";
    StepFile = "备案", "Filing";
    StepEnrol = "参加培养", "Enrolment";
    NoNextStep = "此学员没有待办的下一步", "This trainee has no next step";
    NotAnnounced = "只有公示中的学员可以登记异议", "Objections are recorded during the announcement only";
    RaiseObjection = "登记公示异议", "Record an objection";
    GroupFirst = "请先进入一个项目组", "Open a group first";
    NominateCoach = "提名教练员", "Nominate a coach";
    PrizeSyntax = "学生获奖写作“国一 2024; 省二 2023”（国/省，一/二/三/参赛，年份），以分号分隔", "Prizes as \"N1 2024; P2 2023; PC 2022\" (N national or P provincial; 1, 2, 3 or C for took part; the year), separated by ;";
    AdvanceCoach = "变更聘任状态", "Move the appointment on";
    SchoolApplication = "基地校申报（附件2）", "Base-school application (annex 2)";
    AlreadyDecided = "该申报已审批", "This application has been decided";
    DecideSchool = "审批基地校申报", "Decide the application";
    PlanForm = "年度实施方案与完成情况", "Annual plan and attainment";
    PlanSyntax = "指标写作“省一等奖人数 5”（完成后“5/3”），预算写作“课酬 120000”，以分号分隔", "Targets as \"first prizes 5\" (\"5/3\" once attained), budget as \"coaching 120000\", separated by ;";
    FilingForm = "登记提交或备案", "Record a submission or filing";
    NothingNewHere = "此标签页没有可新建的记录", "Nothing to create on this tab";
    AuditTitle = "审计记录", "Audit trail";
    Newest = "最近", "newest";
    Time = "时间", "Time";
    Actor = "操作人", "By";
    Action = "操作", "Action";
    Record = "记录", "Record";
    Change = "变更内容", "Change";
    Before = "修改前", "Before";
    NothingToUndo = "本次会话中没有可撤销的操作", "Nothing of yours to undo in this session";
    Undone = "已撤销", "Undone";
    WithdrawTitle = "退出培养", "Withdrawal";
    ReinstateTitle = "恢复培养", "Reinstatement";
    PickTrainee = "请先在学员页选中一名学员", "Select a trainee on the trainees tab first";
    NotEnrolledHere = "只有在培学员可以退出培养，录取前的申报可以撤回", "Only an enrolled trainee can be withdrawn, and an application before enrolment";
    RetractTitle = "撤回申报", "Withdraw the application";
    RetractKept = "申报作废，记录保留", "the application no longer stands; its record stays";
    Reloaded = "已重新读取", "Reloaded";
    UsersTitle = "用户管理", "Users";
    UsersAdminOnly = "只有工作专班（管理员）可以管理用户", "Only an admin (coordinator) can manage users";
    NoUsers = "还没有用户：按 N 添加（填写登录名、角色和公钥）", "No users yet: N adds one (login, role and a public key)";
    NoUserSelected = "请先选择一个用户", "Select a user first";
    AlreadyRemovedUser = "该用户已停用", "This user was already removed";
    AddUserTitle = "添加用户", "Add a user";
    RemoveUserTitle = "停用用户", "Remove a user";
    ChangeUserTitle = "变更用户", "Change a user";
    RemoveUserNo = "选择“是”才会停用该用户", "Choose yes to remove the user";
    Login = "登录名", "Login";
    UserKeys = "公钥", "Keys";
    UserState = "状态", "Status";
    UserActive = "有效", "active";
    UserRemoved = "已停用", "removed";
    AddedBy = "添加人", "Added by";
    EditTrainee = "修改学员信息", "Edit the trainee's details";
    DiscardTitle = "放弃修改？", "Discard the changes?";
    DiscardBody = "表单有未保存的修改。放弃吗？", "The form has unsaved changes. Discard them?";
    NothingToFill = "此表没有可按记录填写的项", "Nothing in this form fills from the records";
    NotEditable = "此标签页暂无可编辑的表单", "Nothing on this tab can be edited here yet";
    FixErrors = "请先改正标出的错误", "Fix the marked fields first";
    Required = "必填", "required";
    BadDate = "日期格式应为 2026-09-01", "write dates like 2026-09-01";
    BadMonth = "年月格式应为 2026-09", "write months like 2026-09";
    BadGroups = "请写一个或几个项目组，用空格或逗号分开，如“数学 物理”，或“全部”", "write one or more groups separated by spaces or commas, like \"math physics\", or \"all\"";
    BadSince = "请写年份、年月或日期，如 2015、2015-09 或 2015-09-01（1950–2100 年）", "write a year, a month or a date, like 2015, 2015-09 or 2015-09-01 (1950-2100)";
    Sorted = "排序", "sorted by";
    Student = "学生", "student";
    Teacher = "教师", "teacher";
    Until = "至", "until";
    BaseMode = "基地校", "base school";
    CommuteMode = "走读", "commuting";
    GuidedBy = "指导单位", "Guided by";
    Overdue = "已逾期", "overdue";
    DueOn = "截止", "due";
    FewCoaches = "教练员不足 2 名", "fewer than 2 coaches";
    NoChief = "首席教练员空缺", "no chief coach";
    TermEnds = "聘期将满", "term ends";
    OpenObjections = "公示异议未处理", "open announcement objections";
    Submitted = "已提交", "submitted";
    Filed = "已备案", "filed";
    NotSubmitted = "未提交", "not submitted";
    ByActor = "操作人", "by";
    RecordedBy = "经办人", "Recorded by";
    Yes = "是", "yes";
    No = "否", "no";
    ImportTitle = "导入推荐名单", "Import a recommendation list";
    ImportInto = "导入到", "Into the";
    ImportScreen = "导入推荐名单", "Import";
    ImportNoUpload = "这个上传的名单已不在，请重新上传", "that upload is no longer there; upload it again";
    ImportReadsFirst = "按回车读取文件并检查，确认后才导入", "Press enter to read and check the file; it is imported once you confirm";
    ImportFromTrainees = "请在项目组的学员页导入推荐名单", "Import a recommendation list from a group's trainees tab";
    ImportNothingNew = "没有要新建的学员：各行都已在系统中或有问题", "Nobody to create: every row is already recorded or bad";
    ImportFixFirst = "有问题的行须先改正；或在导入表单中选择跳过有问题的行。现在不会导入", "Fix the bad rows, or skip them in the import form: nothing is imported now";
    ImportCancelled = "已取消导入，未写入任何记录", "Import cancelled; nothing was written";
    ImportBadRows = "有问题的行", "Bad rows";
    ImportCheck = "请核对：与已有学员相似", "To check: like a recorded trainee";
    ImportUnknownColumns = "未识别的列（已忽略）：", "Columns not recognised (left out): ";
    ImportCreate = "将新建", "To create";
    ImportAlready = "已在系统中", "Already recorded";
    ImportYes = "导入", "import";
    ImportNo = "取消，不写入", "cancel, write nothing";
    RecordId = "编号", "id";
    AchievementTitle = "登记学员成绩", "Record an achievement";
    AchievementsLabel = "成绩", "Achievements";
    AchievementKeys = "回车后按 N 登记", "enter, then N records one";
    AchievementKeysFocused = "N 登记，esc 返回列表", "N records one, esc: back to the list";
    AddAchievement = "登记成绩", "record an achievement";
    AchievementNotYours = "你的角色不能为此学员登记成绩（由本组首席教练员或工作专班登记）", "Your role cannot record this trainee's achievements (the group's chief coach or an admin can)";
    BadYear = "年度应为 2000 至 2100 之间的四位数字", "The year is four digits from 2000 to 2100";
    RolloverTitle = "年度结转", "Year rollover";
    RolloverAdminOnly = "只有工作专班（管理员）可以做年度结转", "Only an admin (coordinator) can roll the year over";
    BadRolloverYear = "结转到的年度应在 2001 至 2100 之间", "The year to roll over to lies between 2001 and 2100";
    RolloverNotPlanned = "按回车先核对要结转的内容", "Press enter to work out what the rollover moves first";
    EvaluationTitle = "年度评价", "Evaluation";
    SchoolPoints = "学校积分", "School points";
    GroupTargets = "项目组目标", "Group targets";
    AsBase = "基地校积分", "As base";
    AsHome = "生源校积分", "As home";
    TargetsAttained = "目标（完成/目标）", "Targets (attained/goal)";
    NoTargets = "年度计划未列目标", "The plan sets no targets";
    NoAchievementsYet = "这一年还没有登记学员成绩。在项目组学员页选中学员，回车后按 N 登记；积分同时计入基地校和生源校。", "No achievements recorded for this year. On a group's trainees tab, select a trainee, press enter, then N; the points count for the base school and the home school.";
    NoOtherYear = "没有更多年度", "No other year";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_has_both_languages() {
        for l in L::ALL {
            let zh = l.get(Lang::Zh);
            let en = l.get(Lang::En);
            assert!(
                !zh.trim().is_empty() && !en.trim().is_empty(),
                "{l:?} is empty"
            );
            assert!(
                !en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{l:?}: the English label has Chinese in it: {en}"
            );
        }
    }
}
