//! Base schools (annex 2) as forms: the application with the annex's fields,
//! and the bureau's decision on it.

use chrono::NaiveDate;

use super::form::{Field, FieldKind, Form, Purpose, option};
use super::strings::L;
use crate::domain::project::DISTRICTS;
use crate::domain::text::{LONG, MEDIUM, SHORT};
use crate::domain::{
    BaseSchool, ChiefCoachDetails, Gender, ProjectId, SchoolApplication, SchoolStage,
};
use crate::i18n::Lang;
use crate::registry::Command;

const DISTRICT: &str = "区市";
const NAME: &str = "学校名称";
const GROUPS: &str = "申报项目组";
const PRINCIPAL: &str = "校长";
const PHONE: &str = "联系电话";
const CHIEF: &str = "首席教练员";
const GENDER: &str = "性别";
const BORN: &str = "出生年月";
const WORK: &str = "参加工作";
const SUBJECT: &str = "任教学科";
const TITLE: &str = "职称";
const ACHIEVEMENTS: &str = "主要业绩";
const RECORD: &str = "学校培养基础";
const PLAN: &str = "工作计划";
const RECOMMENDATION: &str = "区市推荐意见";
const DATE: &str = "日期";
const DECISION: &str = "审批结果";
const NOTE: &str = "意见";

/// An application of a school to serve `project` (and, chosen in the form,
/// every group).
pub fn application_form(project: ProjectId, today: NaiveDate) -> Form {
    let mut groups: Vec<(String, String)> =
        vec![(project.group_name(Lang::Zh), project.group_name(Lang::En))];
    groups.push(option("全部项目组", "every group"));
    Form::new(
        L::SchoolApplication,
        Purpose::ApplySchool { project },
        vec![
            Field::choice(
                (DISTRICT, "District"),
                DISTRICTS.iter().map(|d| option(d, d)).collect(),
                0,
            ),
            Field::new((NAME, "School"), FieldKind::text(MEDIUM, true), ""),
            Field::choice((GROUPS, "Serves"), groups, 0),
            Field::new((PRINCIPAL, "Principal"), FieldKind::text(SHORT, true), ""),
            Field::new((PHONE, "Phone"), FieldKind::Phone, ""),
            Field::new((CHIEF, "Chief coach"), FieldKind::text(SHORT, true), ""),
            Field::choice(
                (GENDER, "Gender"),
                vec![option("女", "female"), option("男", "male")],
                0,
            ),
            Field::new((BORN, "Born (date)"), FieldKind::Date, ""),
            Field::new((WORK, "Working since"), FieldKind::Date, ""),
            Field::new(
                (SUBJECT, "Subject"),
                FieldKind::text(SHORT, true),
                project.name(Lang::Zh),
            ),
            Field::new((TITLE, "Title"), FieldKind::text(SHORT, false), ""),
            Field::new(
                (ACHIEVEMENTS, "Achievements"),
                FieldKind::text(LONG, false),
                "",
            ),
            Field::new((RECORD, "Track record"), FieldKind::text(LONG, false), ""),
            Field::new((PLAN, "Work plan"), FieldKind::text(LONG, false), ""),
            Field::new(
                (RECOMMENDATION, "District says"),
                FieldKind::text(LONG, false),
                "",
            ),
            Field::new((DATE, "Applied on"), FieldKind::Date, &today.to_string()),
        ],
    )
}

pub fn application(form: &Form, project: ProjectId) -> Command {
    Command::ApplySchool(SchoolApplication {
        district: DISTRICTS
            .get(form.choice(DISTRICT))
            .copied()
            .unwrap_or_default()
            .to_string(),
        name: form.text(NAME),
        projects: if form.choice(GROUPS) == 0 {
            vec![project]
        } else {
            ProjectId::ALL.to_vec()
        },
        principal: form.text(PRINCIPAL),
        phone: form.text(PHONE),
        chief_coach: ChiefCoachDetails {
            name: form.text(CHIEF),
            gender: if form.choice(GENDER) == 0 {
                Gender::Female
            } else {
                Gender::Male
            },
            birth_month: form.date(BORN),
            work_start: form.date(WORK),
            subject: form.text(SUBJECT),
            title: form.text(TITLE),
            achievements: form.text(ACHIEVEMENTS),
        },
        track_record: form.text(RECORD),
        work_plan: form.text(PLAN),
        district_recommendation: form.text(RECOMMENDATION),
        applied_on: form.date(DATE),
    })
}

/// The decision on a pending application.
pub fn decision_form(school: &BaseSchool, today: NaiveDate) -> Result<Form, L> {
    if school.stage != SchoolStage::Applied {
        return Err(L::AlreadyDecided);
    }
    let mut form = Form::new(
        L::DecideSchool,
        Purpose::DecideSchool {
            school: school.id,
            version: school.stamp.version,
        },
        vec![
            Field::choice(
                (DECISION, "Decision"),
                vec![option("批准", "approve"), option("不批准", "reject")],
                0,
            ),
            Field::new((NOTE, "Note"), FieldKind::text(LONG, false), ""),
            Field::new((DATE, "Date"), FieldKind::Date, &today.to_string()),
        ],
    );
    form.intro = Some(format!(
        "{} {} {}",
        school.application.name, school.application.district, school.application.principal
    ));
    Ok(form)
}

pub fn decision(form: &Form) -> Option<Command> {
    let Purpose::DecideSchool { school, version } = form.purpose else {
        return None;
    };
    Some(Command::DecideSchool {
        id: school,
        version,
        approve: form.choice(DECISION) == 0,
        date: form.date(DATE),
        note: form.text(NOTE),
    })
}
