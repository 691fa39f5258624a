//! The selected record's details: its fields, its history of stages, and
//! every audited change to it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::columns::filing;
use super::{GroupScreen, Tab};
use crate::domain::{Holder, TrainingMode};
use crate::i18n::Localized;
use crate::registry::{Command, shanghai};
use crate::tui::model::Reversal;
use crate::tui::strings::L;
use crate::tui::widgets::{Ui, field};

pub fn draw(frame: &mut Frame, area: Rect, ui: &Ui, w: &GroupScreen) {
    w.details_scroll
        .draw_in(frame, area, ui, detail_lines(ui, w), w.details_focused);
}

/// A labelled line of the details.
fn put(out: &mut Vec<Line<'static>>, ui: &Ui, label: L, value: impl Into<String>) {
    out.push(field(label.get(ui.lang), value.into(), ui.theme.dim));
}

fn detail_lines(ui: &Ui, w: &GroupScreen) -> Vec<Line<'static>> {
    let lang = ui.lang;
    let th = ui.theme;
    let label = th.dim;
    let section = |l: L| Line::from(Span::styled(format!("-- {} --", l.get(lang)), th.header));
    let Some(r) = w.table().current() else {
        return vec![Line::from(L::Nothing.get(lang))];
    };
    let d = &w.data;
    let mut out: Vec<Line<'static>> = Vec::new();
    match w.tab {
        Tab::Trainees => {
            let t = &d.trainees[r];
            out.push(Line::from(Span::styled(
                format!(
                    "{}  {}  {}",
                    t.name,
                    t.kind.label(lang),
                    t.stage.label(lang)
                ),
                th.accent,
            )));
            if let Some(next) = crate::domain::pipeline::next_step(t, ui.today, lang) {
                out.push(Line::from(Span::styled(format!("> {next}"), th.warn)));
            }
            // The achievements first, where `N` records one: a title that
            // says how, then one line each.
            let how = if w.details_focused {
                L::AchievementKeysFocused
            } else {
                L::AchievementKeys
            };
            out.push(Line::from(vec![
                Span::styled(format!("-- {} ", L::AchievementsLabel.get(lang)), th.header),
                Span::styled(format!("({}) --", how.get(lang)), th.dim),
            ]));
            for a in &w.details.achievements {
                out.push(Line::from(format!("{}  {}", a.year, a.feat.describe(lang))));
            }
            put(&mut out, ui, L::Gender, t.gender.label(lang));
            put(
                &mut out,
                ui,
                L::HomeSchool,
                format!("{} ({})", t.home_school, t.district),
            );
            put(&mut out, ui, L::Grade, &t.grade);
            put(&mut out, ui, L::Phone, &t.phone);
            put(&mut out, ui, L::Recommenders, t.recommenders.join(", "));
            if let Some(m) = t.training_mode {
                let school = match m {
                    TrainingMode::BaseSchool { school } => d
                        .schools
                        .iter()
                        .find(|s| s.id == school)
                        .map(|s| format!(" {}", s.application.name))
                        .unwrap_or_default(),
                    TrainingMode::Commuting => String::new(),
                };
                put(&mut out, ui, L::Mode, format!("{}{school}", m.label(lang)));
            }
            if let Some(c) = t.commitment_signed {
                put(&mut out, ui, L::Commitment, c.to_string());
            }
            if let Some(a) = &t.announcement {
                put(
                    &mut out,
                    ui,
                    L::Announcement,
                    format!("{} {} {}", a.start, L::Until.get(lang), a.end()),
                );
            }
            // An objection raised or resolved well after its date: both.
            let late = |date, resolve: bool| {
                w.details
                    .late
                    .iter()
                    .find(|l| {
                        l.stated == date
                            && match l.command {
                                Command::RaiseObjection { .. } => !resolve,
                                Command::ResolveObjection { .. } => resolve,
                                _ => false,
                            }
                    })
                    .map(|l| l.note(lang))
                    .unwrap_or_default()
            };
            for o in &t.objections {
                let state = match &o.resolution {
                    Some((d, text)) => {
                        format!("{} {d}{}: {text}", L::Resolved.get(lang), late(*d, true))
                    }
                    None => format!("! {}", L::Open.get(lang)),
                };
                put(
                    &mut out,
                    ui,
                    L::Objections,
                    format!(
                        "{}{} {} ({state})",
                        o.raised_on,
                        late(o.raised_on, false),
                        o.text
                    ),
                );
            }
            for wd in &t.withdrawals {
                let mut s = format!("{} {}", wd.date, wd.reason.label(lang));
                if let Some(r) = wd.reinstated_on {
                    s.push_str(&format!(" -> {r}"));
                }
                put(&mut out, ui, L::Withdrawal, s);
            }
            if let Some(rt) = &t.retraction {
                put(
                    &mut out,
                    ui,
                    L::Retraction,
                    format!("{} {}", rt.date, rt.reason),
                );
            }
            if let Some(c) = &w.details.class {
                put(&mut out, ui, L::ClassLabel, c.clone());
            }
            if let Some((semester, rate, threshold)) = &w.details.attendance {
                let pct = rate.percent().unwrap_or(100);
                let flag = if rate.under(*threshold) { " !" } else { "" };
                put(
                    &mut out,
                    ui,
                    L::Attendance,
                    format!(
                        "{pct}% ({} {}/{}){flag}",
                        semester.label(lang),
                        rate.present + rate.late,
                        rate.counted()
                    ),
                );
            }
            out.push(section(L::History));
            for c in &t.history {
                // A stage recorded well after its date: both dates.
                let late = w
                    .details
                    .late
                    .iter()
                    .find(|l| l.stated == c.date && l.stage() == Some(c.stage))
                    .map(|l| l.note(lang))
                    .unwrap_or_default();
                out.push(Line::from(format!(
                    "{}  {}{late}",
                    c.date,
                    c.stage.label(lang)
                )));
            }
            if !w.details.assessments.is_empty() {
                out.push(section(L::AssessmentsLabel));
                for a in &w.details.assessments {
                    let score = a.score.map(|s| format!(" {s}")).unwrap_or_default();
                    out.push(Line::from(format!(
                        "{}  {}{score}",
                        a.semester.label(lang),
                        a.outcome.label(lang)
                    )));
                }
            }
        }
        Tab::Coaches => {
            let c = &d.coaches[r];
            let p = &c.person;
            out.push(Line::from(Span::styled(
                format!(
                    "{}  {}  {}",
                    p.name,
                    c.coach.role.label(lang),
                    c.coach.stage.label(lang)
                ),
                th.accent,
            )));
            put(
                &mut out,
                ui,
                L::Workplace,
                format!("{} {}", p.school, p.title),
            );
            put(
                &mut out,
                ui,
                L::Term,
                format!(
                    "{} {} {}",
                    c.coach.term_start,
                    L::Until.get(lang),
                    c.coach.term_end
                ),
            );
            put(&mut out, ui, L::Phone, &p.phone);
            for res in &p.results {
                put(
                    &mut out,
                    ui,
                    L::Results,
                    format!(
                        "{} {} {}{}{}",
                        res.year,
                        res.competition,
                        res.level.label(lang),
                        lang.pick("", " "),
                        res.prize.label(lang)
                    ),
                );
            }
            for o in &p.research_outputs {
                put(&mut out, ui, L::Research, o);
            }
            let today = ui.today;
            let shortfalls = crate::domain::coach::qualification_shortfalls(
                p,
                c.coach.role,
                c.coach.project,
                today,
            );
            if !shortfalls.is_empty() {
                out.push(section(L::Shortfalls));
                out.extend(shortfalls.iter().map(|s| {
                    Line::from(Span::styled(format!("! {}", s.localized(lang)), th.warn))
                }));
            }
            if let Some(j) = &c.coach.justification {
                put(&mut out, ui, L::Justification, j);
            }
            out.push(section(L::History));
            for (stage, date) in &c.coach.history {
                out.push(Line::from(format!("{date}  {}", stage.label(lang))));
            }
        }
        Tab::Schools => {
            let s = &d.schools[r];
            let a = &s.application;
            out.push(Line::from(Span::styled(
                format!("{}  {}", a.name, s.stage.label(lang)),
                th.accent,
            )));
            put(&mut out, ui, L::District, &a.district);
            put(
                &mut out,
                ui,
                L::Principal,
                format!("{} {}", a.principal, a.phone),
            );
            put(
                &mut out,
                ui,
                L::ChiefCoach,
                format!(
                    "{} {} {}",
                    a.chief_coach.name, a.chief_coach.title, a.chief_coach.subject
                ),
            );
            if let Some(dd) = s.decided_on {
                put(
                    &mut out,
                    ui,
                    L::Decision,
                    format!("{dd} {}", s.decision_note),
                );
            }
            // The group's classes here (编班), each with who is in it now.
            for class in d.classes.iter().filter(|c| c.school == s.id) {
                let names: Vec<&str> = class
                    .current()
                    .filter_map(|id| d.trainees.iter().find(|t| t.id == id))
                    .map(|t| t.name.as_str())
                    .collect();
                let count = match lang {
                    crate::i18n::Lang::Zh => format!("（{}人）", names.len()),
                    crate::i18n::Lang::En => format!(" ({} trainees)", names.len()),
                };
                put(
                    &mut out,
                    ui,
                    L::ClassLabel,
                    format!(
                        "{}{count}{}{}",
                        class.name,
                        lang.pick("：", ": "),
                        names.join(lang.pick("、", ", "))
                    ),
                );
            }
            put(&mut out, ui, L::TrackRecord, &a.track_record);
            put(&mut out, ui, L::WorkPlan, &a.work_plan);
            put(&mut out, ui, L::Recommendation, &a.district_recommendation);
        }
        Tab::Ledger => {
            let e = &d.entries[r];
            let holder = match e.account.holder {
                Holder::Project(p) => p.group_name(lang),
                Holder::School(id) => d
                    .schools
                    .iter()
                    .find(|s| s.id == id)
                    .map(|s| s.application.name.clone())
                    .unwrap_or_default(),
            };
            out.push(Line::from(Span::styled(
                format!("{}  {}", e.kind.label(lang), e.amount.display()),
                th.accent,
            )));
            put(
                &mut out,
                ui,
                L::Account,
                format!("{holder} {} {}", e.account.year, e.account.fund.label(lang)),
            );
            put(&mut out, ui, L::Date, e.date.to_string());
            put(
                &mut out,
                ui,
                L::Category,
                crate::domain::ledger::category_label(&e.category, lang),
            );
            put(&mut out, ui, L::Voucher, &e.voucher);
            put(&mut out, ui, L::Payee, &e.payee);
            put(
                &mut out,
                ui,
                L::RecordedBy,
                format!(
                    "{} {}",
                    e.recorded_by,
                    shanghai(e.stamp.created_at).format("%Y-%m-%d %H:%M")
                ),
            );
            if !e.note.is_empty() {
                put(&mut out, ui, L::Detail, &e.note);
            }
            // Both sides of a reversal say what they are.
            let other = |i: usize| {
                let o = &d.entries[i];
                let voucher = if o.voucher.is_empty() {
                    "-"
                } else {
                    &o.voucher
                };
                format!(
                    "{} {} {} {voucher}",
                    o.date,
                    o.kind.label(lang),
                    o.amount.display()
                )
            };
            match d.entry_links[r] {
                Reversal::ReversedBy(i) => put(&mut out, ui, L::Reversed, other(i)),
                Reversal::Of(i) => put(&mut out, ui, L::ReversalOf, other(i)),
                Reversal::None => {}
            }
            out.push(section(L::Balance));
            for a in &d.accounts {
                let who = a
                    .school
                    .clone()
                    .unwrap_or_else(|| d.project.group_name(lang));
                out.push(Line::from(format!(
                    "{who} {} {}: {}",
                    a.account.year,
                    a.account.fund.label(lang),
                    a.balance.display()
                )));
            }
        }
        Tab::Calendar => {
            let row = &d.sessions[r];
            let s = &row.session;
            out.push(Line::from(Span::styled(
                format!("{}  {}", s.topic, s.kind.label(lang)),
                th.accent,
            )));
            out.push(Line::from(Span::styled(
                L::SessionKeys.get(lang).to_string(),
                label,
            )));
            put(
                &mut out,
                ui,
                L::Date,
                format!(
                    "{} {} {}-{}",
                    s.date,
                    crate::tui::model::calendar::weekday(s.date, lang),
                    s.start.format("%H:%M"),
                    s.end.format("%H:%M")
                ),
            );
            put(&mut out, ui, L::Place, row.place(lang));
            if let crate::domain::training::Place::Online { link } = &s.place
                && !link.is_empty()
            {
                put(&mut out, ui, L::Place, link.clone());
            }
            put(&mut out, ui, L::Coaches, row.coaches_text(lang));
            put(
                &mut out,
                ui,
                L::ClassLabel,
                row.class
                    .clone()
                    .unwrap_or_else(|| lang.pick("全组", "whole group").into()),
            );
            put(&mut out, ui, L::SessionStatus, row.status(ui.today, lang));
            if let crate::domain::training::SessionStatus::Cancelled { date, reason } = &s.status {
                put(&mut out, ui, L::CancelledFor, format!("{date} {reason}"));
            }
            if row.marked > 0 || row.expected > 0 {
                put(&mut out, ui, L::Marked, row.attendance());
            }
            if let Some(counts) = &w.details.marks {
                let text: Vec<String> = crate::domain::training::Mark::ALL
                    .iter()
                    .zip(counts)
                    .map(|(m, n)| format!("{} {n}", m.label(lang)))
                    .collect();
                put(&mut out, ui, L::MarkCounts, text.join("  "));
            }
            if let Some(first) = s.series {
                let n = d
                    .sessions
                    .iter()
                    .filter(|x| x.session.series == Some(first))
                    .count();
                put(&mut out, ui, L::SeriesOf, format!("{n}"));
            }
        }
        Tab::Plans => {
            let c = &d.cycles[r];
            out.push(Line::from(Span::styled(
                format!("{} {}", c.year, d.project.group_name(lang)),
                th.accent,
            )));
            put(&mut out, ui, L::Plan, filing(c.plan, lang));
            put(&mut out, ui, L::Report, filing(c.report, lang));
            put(&mut out, ui, L::Goals, &c.goals);
            for t in &c.targets {
                let got = t.attained.map(|a| format!(" -> {a}")).unwrap_or_default();
                put(
                    &mut out,
                    ui,
                    L::Targets,
                    format!("{}: {}{got}", t.name, t.goal),
                );
            }
            for (cat, m) in &c.budget {
                let cat = crate::domain::ledger::category_label(cat, lang);
                put(&mut out, ui, L::Budget, format!("{cat} {}", m.display()));
            }
            // The plan's other parts (section 三.4), each under its heading.
            let [_, criteria, management, training, funding] =
                crate::domain::PlanParts::headings(lang);
            for (heading, text) in [
                (criteria, &c.parts.criteria),
                (management, &c.parts.management),
                (training, &c.parts.training),
                (funding, &c.parts.funding),
            ] {
                if text.is_empty() {
                    continue;
                }
                out.push(Line::from(Span::styled(
                    format!("-- {heading} --"),
                    th.header,
                )));
                for line in text.lines() {
                    out.push(Line::from(line.to_string()));
                }
            }
        }
    }
    if !w.details.audit.is_empty() {
        out.push(section(L::Audit));
        for a in &w.details.audit {
            out.push(Line::from(vec![
                Span::styled(shanghai(a.at).format("%Y-%m-%d %H:%M ").to_string(), label),
                Span::raw(format!(
                    "{} {} {}",
                    a.command.action(lang),
                    L::ByActor.get(lang),
                    a.actor
                )),
            ]));
        }
    }
    out
}
