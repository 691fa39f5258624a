//! The column headers of the printed lists (announcement, filing,
//! evaluation): each in Chinese and English, with its JSON key.

use crate::i18n::Lang;

/// Every column a list prints: its header in both languages and its JSON key.
macro_rules! heads {
    ($( $variant:ident = $zh:literal, $en:literal, $key:literal; )*) => {
        #[derive(Clone, Copy)]
        pub enum Head { $( $variant, )* }

        impl Head {
            pub fn header(self, lang: Lang) -> (String, &'static str) {
                match self { $( Head::$variant => (lang.pick($zh, $en).into(), $key), )* }
            }
        }
    };
}

heads! {
    Name = "姓名", "name", "name";
    Gender = "性别", "gender", "gender";
    School = "所在学校", "school", "school";
    District = "区市", "district", "district";
    Grade = "年级", "grade", "grade";
    Kind = "学员类别", "kind", "kind";
    Group = "项目组", "group", "group";
    Opens = "公示开始", "announced from", "announced_from";
    Closes = "公示结束", "announced to", "announced_to";
    Filed = "备案日期", "filed on", "filed_on";
    Mode = "培养方式", "training mode", "training_mode";
    Enrolled = "参加培养日期", "enrolled on", "enrolled_on";
    Workplace = "所在单位", "school", "school";
    Role = "职务", "role", "role";
    TermFrom = "任期开始", "term from", "term_from";
    TermTo = "任期结束", "term to", "term_to";
    Stage = "状态", "stage", "stage";
    SchoolName = "学校", "school", "school";
    Approved = "批准日期", "approved on", "approved_on";
    Date = "退出日期", "date", "date";
    Reason = "原因", "reason", "reason";
    Returned = "回原校", "back at home school", "returned_to_home_school";
    Students = "学生学员", "students", "students";
    Teachers = "青年教师学员", "young teachers", "teachers";
    Coaches = "教练员", "coaches", "coaches";
    Bases = "基地校", "base schools", "base_schools";
    Withdrawn = "当年退出", "withdrawn this year", "withdrawn";
    No = "序号", "no.", "no";
    Note = "说明", "note", "note";
    AsBase = "基地校积分", "as base school", "as_base";
    AsHome = "生源校积分", "as home school", "as_home";
    Total = "合计", "total", "total";
    Behind = "成绩", "achievements", "achievements";
    Targets = "目标", "targets (attained/goal)", "targets";
    ReportState = "完成情况报告", "completion report", "report";
    RewardFund = "奖励经费", "reward fund", "reward_fund";
    Late = "补录", "recorded late", "recorded_late";
}

pub fn heads(lang: Lang, heads: &[Head]) -> Vec<(String, &'static str)> {
    heads.iter().map(|h| h.header(lang)).collect()
}
