//! Issue 20: one identity per field. A trainee's home school (and name,
//! gender, district, grade, phone) is one `domain::field::Field`, read the
//! same in the application form, the registry's refusal, the audit view,
//! the announcement list and the import's header; a refusal focuses the
//! form field by that identity.

use crate::common;

use common::ui::{demo, press, typed};
use qiangji::domain::field::Field;
use qiangji::domain::{ProjectId, TraineeKind};
use qiangji::export::lists;
use qiangji::i18n::{Lang, Localized};
use qiangji::import::{self, Options};
use qiangji::registry::Command;
use qiangji::tui::ctx::Scope;
use qiangji::tui::forms::{FormFlow, application_form};
use qiangji::tui::key::{Key, KeyCode};

/// The fields a trainee's details are, with an application refused for
/// each when it is left empty or made wrong.
const TRAINEE: [Field; 6] = [
    Field::Name,
    Field::Gender,
    Field::HomeSchool,
    Field::District,
    Field::Grade,
    Field::Phone,
];

#[test]
fn a_trainee_field_reads_the_same_in_the_form_refusal_audit_list_and_import() {
    let (_dir, registry) = demo();
    let today = registry.today();
    for lang in [Lang::Zh, Lang::En] {
        // The application form labels each as the table does.
        let form = application_form(ProjectId::Math, Scope { lang, today });
        let labels: Vec<&str> = form.sheet().fields.iter().map(|f| f.label(lang)).collect();
        // The announcement list heads its columns so, under the field's key.
        let list = lists::announcement(&registry, ProjectId::Math, lang).unwrap();
        let heads = &list.parts[0].headers;
        // The audit view labels a correction's details so: `e` on the
        // first math trainee, a new phone, saved; then `U`.
        let mut app = common::ui::app_as(&registry, lang, "coordinator-wang");
        press(
            &mut app,
            &[Key::char('1'), Key::char('e'), Key::plain(KeyCode::BackTab)],
        );
        press(&mut app, &[Key::ctrl('u')]);
        typed(&mut app, "13900000000");
        press(&mut app, &[Key::ctrl('s')]);
        assert!(app.overlay().is_none(), "{:?}", app.status());
        press(&mut app, &[Key::char('U')]);
        let audit = app.audit().expect("the audit trail");
        let audited: Vec<&str> = audit.lines[0]
            .change
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        for f in TRAINEE {
            let label = f.label(lang);
            assert!(
                labels.contains(&label),
                "{f:?} {label} in the form {labels:?}"
            );
            assert!(
                audited.contains(&label),
                "{f:?} {label} in the audit {audited:?}"
            );
            if f != Field::Phone {
                assert!(
                    heads.contains(&(label.to_string(), f.key())),
                    "{f:?} {label} in the list {heads:?}"
                );
            }
            // The import takes the label as a header, for the column that
            // holds the field.
            let header = vec![label.to_string()];
            let (cols, unknown) = import::columns(&header, &Options::default())
                .or_else(|_| {
                    // Columns a list must have are missing: ask again with
                    // every required one, the field's own first.
                    let mut all = header.clone();
                    all.extend(
                        import::Col::ALL
                            .iter()
                            .filter(|c| c.field() != f)
                            .map(|c| c.header(Lang::Zh).to_string()),
                    );
                    import::columns(&all, &Options::default())
                })
                .unwrap();
            assert!(unknown.is_empty(), "{unknown:?}");
            let col = cols
                .iter()
                .find(|(_, at)| **at == 0)
                .map(|(c, _)| *c)
                .unwrap();
            assert_eq!(col.field(), f);
            assert_eq!(col.header(lang), label);
        }
        assert!(
            heads.contains(&(Field::HomeSchool.label(lang).to_string(), "home_school")),
            "{heads:?}"
        );
    }
}

/// Makes one field of an application wrong.
type Spoil = fn(&mut qiangji::registry::ApplicationInput);

#[test]
fn the_registry_refuses_a_trainee_field_by_its_identity_and_the_form_focuses_it() {
    let (_dir, registry) = demo();
    let today = registry.today();
    let admin = qiangji::domain::Actor::admin("coordinator");
    let cases: [(Field, Spoil); 5] = [
        (Field::Name, |a| a.name.clear()),
        (Field::HomeSchool, |a| a.home_school = "  ".into()),
        (Field::District, |a| a.district = "北京".into()),
        (Field::Grade, |a| a.grade = "=1".into()),
        (Field::Phone, |a| a.phone = "call me".into()),
    ];
    for (field, spoil) in cases {
        let mut input = common::application(TraineeKind::Student, "林一", ProjectId::Math);
        input.date = today;
        spoil(&mut input);
        let e = registry.apply(&admin, Command::Apply(input)).unwrap_err();
        assert_eq!(e.field(), Some(field), "{e:?}");
        for lang in [Lang::Zh, Lang::En] {
            let said = e.localized(lang);
            let label = field.label(lang);
            if field != Field::Phone {
                // Said as a sentence says it: lower case in English.
                let named = match lang {
                    Lang::Zh => label.to_string(),
                    Lang::En => label.to_lowercase(),
                };
                assert!(said.starts_with(&named), "{said} names {named}");
            }
            // The form focuses the field, wherever the user was.
            let mut form = application_form(ProjectId::Math, Scope { lang, today });
            let sheet = form.sheet_mut();
            sheet.focus = sheet.fields.len() - 1;
            sheet.refused(said.clone(), e.field());
            let focused = &sheet.fields[sheet.focus];
            assert_eq!(focused.label(lang), label, "{said}");
        }
    }
}

#[test]
fn the_audit_view_labels_a_field_by_the_table_in_both_languages() {
    let (_dir, registry) = demo();
    for lang in [Lang::Zh, Lang::En] {
        let mut app = common::ui::app_as(&registry, lang, "coordinator-wang");
        press(&mut app, &[Key::char('U')]);
        let audit = app.audit().expect("the audit trail");
        let labels: Vec<&str> = audit
            .lines
            .iter()
            .flat_map(|l| l.change.iter().chain(&l.before))
            .map(|(k, _)| k.as_str())
            .collect();
        // The demo applies, corrects and books: these keys show as the
        // table labels them, never as the key itself.
        for f in [Field::HomeSchool, Field::Amount, Field::Payee] {
            assert!(labels.contains(&f.label(lang)), "{f:?} in {labels:?}");
        }
        assert!(!labels.contains(&"home school"), "{labels:?}");
        assert!(!labels.contains(&"home_school"), "{labels:?}");
    }
}

#[test]
fn the_screens_columns_say_a_trainee_field_as_the_table_does() {
    use qiangji::tui::strings::L;
    for lang in [Lang::Zh, Lang::En] {
        for (l, f) in [
            (L::Name, Field::Name),
            (L::Gender, Field::Gender),
            (L::HomeSchool, Field::HomeSchool),
            (L::District, Field::District),
            (L::Grade, Field::Grade),
            (L::Phone, Field::Phone),
            (L::Group, Field::Group),
        ] {
            assert_eq!(l.get(lang), f.label(lang), "{f:?}");
        }
    }
}

/// Issue 20: the plan form's parts labelled apart from the registry's word
/// (项目目标 for 年度目标, 量化指标 for 目标, 经费预算 for its lines'
/// 类别, 学员条件, 学员管理) are focused by a refusal naming them.
#[test]
fn a_refusal_of_a_plan_part_focuses_that_part() {
    use qiangji::tui::forms::plan_form;
    let order = [
        Field::Year,
        Field::Goals,
        Field::Target,
        Field::Category,
        Field::Attainment,
        Field::Criteria,
        Field::Management,
        Field::TrainingPlan,
        Field::Funding,
    ];
    for lang in [Lang::Zh, Lang::En] {
        for (at, field) in order.into_iter().enumerate() {
            let mut form = plan_form(ProjectId::Math, 2026, None, &[], lang);
            let sheet = form.sheet_mut();
            sheet.focus = if at == 0 { 1 } else { 0 };
            sheet.refused(field.label(lang).to_string(), Some(field));
            assert_eq!(sheet.focus, at, "{field:?}");
        }
    }
}

/// Issue 20: a reversal's reason is refused as the form names it (冲销原因,
/// was 备注), and the reversal form focuses it.
#[test]
fn a_refused_reversal_reason_is_named_and_focused_as_the_form_names_it() {
    use qiangji::domain::Account;
    use qiangji::registry::Movement;
    use qiangji::tui::forms::reversal_form;
    let (_dir, reg) = common::open();
    let booked = common::book(
        &reg,
        Account::daily(ProjectId::Math, 2026),
        Movement::Allocation,
        500,
    );
    let e = reg
        .apply(
            &common::admin(),
            Command::ReverseEntry {
                entry: booked.id,
                date: common::d("2026-06-01"),
                note: "录错\u{7}了".into(),
            },
        )
        .unwrap_err();
    assert_eq!(e.field(), Some(Field::ReversalReason), "{e:?}");
    let entry = reg.entry(booked.id).unwrap().unwrap();
    for lang in [Lang::Zh, Lang::En] {
        let said = e.localized(lang);
        let named = match lang {
            Lang::Zh => "冲销原因".to_string(),
            Lang::En => Field::ReversalReason.label(lang).to_lowercase(),
        };
        assert!(said.starts_with(&named), "{said} names {named}");
        let mut form = reversal_form(&entry, common::d("2026-06-01"), lang);
        let sheet = form.sheet_mut();
        sheet.focus = 0;
        sheet.refused(said.clone(), e.field());
        let focused = sheet.fields[sheet.focus].label(lang);
        assert_eq!(focused, Field::ReversalReason.label(lang), "{said}");
    }
}

/// The trainees' export (CSV headers, JSON keys) says a trainee's fields as
/// the table does.
#[test]
fn the_trainees_export_heads_and_keys_a_trainee_field_as_the_table_does() {
    use qiangji::export::{Filter, Kind};
    let (_dir, reg) = common::open();
    common::ok(
        &reg,
        &common::admin(),
        Command::Apply(common::application(
            TraineeKind::Student,
            "林一",
            ProjectId::Math,
        )),
    );
    let actor = common::admin();
    let reader = reg.reader(&actor);
    for lang in [Lang::Zh, Lang::En] {
        let mut out = Vec::new();
        qiangji::export::csv(&reader, Kind::Trainees, &Filter::default(), lang, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut csv = ::csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let headers: Vec<String> = csv.headers().unwrap().iter().map(str::to_string).collect();
        for f in TRAINEE {
            assert!(
                headers.contains(&f.label(lang).to_string()),
                "{f:?} in {headers:?}"
            );
        }
    }
    let mut out = Vec::new();
    qiangji::export::json(
        &reader,
        Kind::Trainees,
        &Filter::default(),
        Lang::En,
        &mut out,
    )
    .unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out).unwrap();
    for f in TRAINEE {
        assert!(rows[0].get(f.key()).is_some(), "{f:?} in {}", rows[0]);
    }
}

/// The audit view gives a development record's hours under the table's
/// 学时 / Hours, as hours (1.5), not the tenths the command holds.
#[test]
fn the_audit_view_gives_hours_as_hours() {
    let (_dir, registry) = demo();
    for lang in [Lang::Zh, Lang::En] {
        let mut app = common::ui::app_as(&registry, lang, "coordinator-wang");
        press(&mut app, &[Key::char('U')]);
        let audit = app.audit().expect("the audit trail");
        let (line, tenths) = audit
            .lines
            .iter()
            .find_map(|l| match &l.entry.command {
                Command::RecordDevelopment { tenths, .. } => Some((l, *tenths)),
                _ => None,
            })
            .expect("a development record among the newest");
        let hours = line
            .change
            .iter()
            .find(|(k, _)| k == Field::Hours.label(lang))
            .map(|(_, v)| v.as_str());
        assert_eq!(
            hours,
            Some(qiangji::domain::training::hours_text(tenths).as_str()),
            "{:?}",
            line.change
        );
        // The coach by name and the kind in words, in the user's language.
        let coach = lang.pick("教练员", "Coach");
        let named = line.change.iter().find(|(k, _)| k == coach);
        assert!(
            named.is_some_and(|(_, v)| !v.chars().all(|c| c.is_ascii_digit())),
            "{:?}",
            line.change
        );
        assert!(
            !line.change.iter().any(|(_, v)| v.contains('_')),
            "{:?}",
            line.change
        );
    }
}
