//! Fictional but plausible names: people, schools, competitions.

use rand::Rng;
use rand::seq::IndexedRandom;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹",
    "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛",
    "叶", "阎", "姜", "崔", "欧阳", "司马",
];

const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明",
    "超", "秀英", "华", "鹏", "宇轩", "浩然", "子涵", "欣怡", "梓萱", "思源", "雨桐", "博文",
    "一诺", "俊熙", "佳怡", "晨曦", "天佑", "诗涵", "梦琪", "子墨", "若曦", "嘉懿", "煜城", "可馨",
    "景行", "知远", "安然", "书瑶", "泽宇", "海川", "振华", "立新", "建国", "文博", "晓东", "雪梅",
    "玉兰", "志强", "春燕", "瑞", "昊", "琳", "悦",
];

const SCHOOL_STEMS: &[&str] = &[
    "海川",
    "琴岛",
    "崂峰",
    "浮山",
    "栈桥",
    "鳌山",
    "珠山",
    "胶澳",
    "墨水河",
    "大沽河",
    "石老人",
    "金沙滩",
    "太平角",
    "汇泉",
    "湛山",
    "嘉峪",
    "灵山湾",
    "凤凰岛",
    "少海",
    "云溪",
    "小珠山",
    "鹤山",
    "马山",
    "姜山",
];

const SCHOOL_SUFFIXES: &[&str] = &[
    "中学",
    "高级中学",
    "第一中学",
    "实验中学",
    "外国语学校",
    "第二中学",
];

const TITLES: &[&str] = &["正高级教师", "高级教师", "一级教师", "特级教师"];

pub fn person<R: Rng>(rng: &mut R) -> String {
    let s = SURNAMES.choose(rng).copied().unwrap_or("王");
    let g = GIVEN.choose(rng).copied().unwrap_or("伟");
    if rng.random_bool(0.35) && g.chars().count() == 1 {
        let g2 = GIVEN.choose(rng).copied().unwrap_or("明");
        format!("{s}{g}{}", g2.chars().next().unwrap_or('明'))
    } else {
        format!("{s}{g}")
    }
}

pub fn school<R: Rng>(rng: &mut R) -> String {
    format!(
        "青岛{}{}",
        SCHOOL_STEMS.choose(rng).copied().unwrap_or("海川"),
        SCHOOL_SUFFIXES.choose(rng).copied().unwrap_or("中学")
    )
}

pub fn title<R: Rng>(rng: &mut R) -> String {
    TITLES
        .choose(rng)
        .copied()
        .unwrap_or("高级教师")
        .to_string()
}

pub fn phone<R: Rng>(rng: &mut R) -> String {
    let prefix = ["138", "139", "150", "156", "177", "185", "189"]
        .choose(rng)
        .copied()
        .unwrap_or("138");
    format!("{prefix}{:08}", rng.random_range(0..100_000_000u32))
}

pub fn competition(project: crate::domain::ProjectId) -> &'static str {
    use crate::domain::ProjectId as P;
    match project {
        P::Math => "全国中学生数学奥林匹克竞赛",
        P::Physics => "全国中学生物理竞赛",
        P::Chemistry => "中国化学奥林匹克",
        P::Biology => "全国中学生生物学联赛",
        P::Informatics => "全国青少年信息学奥林匹克联赛",
        P::Humanities => "全国中学生古文字与历史研习大赛",
    }
}

pub const PAYEES: &[&str] = &[
    "青岛市教科院",
    "青岛海川中学",
    "山东大学（青岛）",
    "中国海洋大学",
    "青岛大学",
    "琴岛图书有限公司",
    "青岛交运集团",
    "崂山宾馆",
    "青岛科教仪器有限公司",
    "全国竞赛组委会",
];

pub const GRADES: &[&str] = &["高一", "高二", "高三"];
