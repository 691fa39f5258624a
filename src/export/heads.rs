//! The column headers of the printed lists (announcement, filing,
//! evaluation): each in Chinese and English, with its JSON key. A column
//! that is a field of the one table (`domain::field`) reads its words and
//! key there, so a list says 所在学校 as the form and the import do.

use crate::domain::field::Field;
use crate::i18n::Lang;

/// Every column a list prints: the fields of the one table it shows, and
/// the columns only lists have, with their header in both languages and
/// their JSON key.
macro_rules! heads {
    (
        fields { $( $fv:ident => $field:ident; )* }
        own { $( $variant:ident = $zh:literal, $en:literal, $key:literal; )* }
    ) => {
        #[derive(Clone, Copy)]
        pub enum Head { $( $fv, )* $( $variant, )* }

        impl Head {
            /// The field of the one table the column is, if it is one.
            pub fn field(self) -> Option<Field> {
                match self {
                    $( Head::$fv => Some(Field::$field), )*
                    _ => None,
                }
            }

            pub fn header(self, lang: Lang) -> (String, &'static str) {
                match self {
                    $( Head::$fv => (Field::$field.label(lang).into(), Field::$field.key()), )*
                    $( Head::$variant => (lang.pick($zh, $en).into(), $key), )*
                }
            }
        }
    };
}

heads! {
    fields {
        Name => Name;
        Gender => Gender;
        School => HomeSchool;
        District => District;
        Grade => Grade;
        Kind => Kind;
        Group => Group;
        Opens => AnnouncementStart;
        Filed => FilingDate;
        Mode => TrainingMode;
        Workplace => Workplace;
        SchoolName => SchoolName;
        Date => WithdrawalDate;
    }
    own {
        // The bureau's word for the day a trainee joins training.
        Enrolled = "参加培养日期", "Enrolled on", "enrolled_on";
        Closes = "公示结束", "Announcement end", "announced_to";
        Role = "职务", "Role", "role";
        TermFrom = "任期开始", "Term from", "term_from";
        TermTo = "任期结束", "Term to", "term_to";
        Stage = "状态", "Stage", "stage";
        Approved = "批准日期", "Approved on", "approved_on";
        Reason = "原因", "Reason", "reason";
        Returned = "回原校", "Back at home school", "returned_to_home_school";
        Students = "学生学员", "Students", "students";
        Teachers = "青年教师学员", "Young teachers", "teachers";
        Coaches = "教练员", "Coaches", "coaches";
        Bases = "基地校", "Base schools", "base_schools";
        Withdrawn = "当年退出", "Withdrawn this year", "withdrawn";
        No = "序号", "No.", "no";
        Note = "说明", "Note", "note";
        AsBase = "基地校积分", "As base school", "as_base";
        AsHome = "生源校积分", "As home school", "as_home";
        Total = "合计", "Total", "total";
        Behind = "成绩", "Achievements", "achievements";
        Targets = "目标", "Targets (attained/goal)", "targets";
        ReportState = "完成情况报告", "Completion report", "report";
        RewardFund = "奖励经费", "Reward fund", "reward_fund";
        Late = "补录", "Recorded late", "recorded_late";
    }
}

pub fn heads(lang: Lang, heads: &[Head]) -> Vec<(String, &'static str)> {
    heads.iter().map(|h| h.header(lang)).collect()
}
