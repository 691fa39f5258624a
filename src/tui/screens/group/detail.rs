//! The selected record's details: its fields, its history of stages, and
//! every audited change to it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use super::columns::filing;
use super::{GroupScreen, Tab};
use crate::domain::{Holder, TrainingMode};
use crate::i18n::Localized;
use crate::registry::shanghai;
use crate::tui::strings::L;
use crate::tui::widgets::{Ui, field, scrolled_in};

pub fn draw(frame: &mut Frame, area: Rect, ui: &Ui, w: &GroupScreen) {
    let lang = ui.lang;
    let th = ui.theme;
    let lines = detail_lines(ui, w);
    let block = Block::bordered()
        .title(Span::styled(
            format!(" {} ", L::Detail.get(lang)),
            th.header,
        ))
        .border_style(th.border);
    let max = scrolled_in(frame, area, block, lines, w.detail_scroll);
    w.detail_max
        .store(max, std::sync::atomic::Ordering::Relaxed);
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
            out.push(field(
                L::Gender.get(lang),
                t.gender.label(lang).into(),
                label,
            ));
            out.push(field(
                L::HomeSchool.get(lang),
                format!("{} ({})", t.home_school, t.district),
                label,
            ));
            out.push(field(L::Grade.get(lang), t.grade.clone(), label));
            out.push(field(L::Phone.get(lang), t.phone.clone(), label));
            out.push(field(
                L::Recommenders.get(lang),
                t.recommenders.join(", "),
                label,
            ));
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
                out.push(field(
                    L::Mode.get(lang),
                    format!("{}{school}", m.label(lang)),
                    label,
                ));
            }
            if let Some(c) = t.commitment_signed {
                out.push(field(L::Commitment.get(lang), c.to_string(), label));
            }
            if let Some(a) = &t.announcement {
                out.push(field(
                    L::Announcement.get(lang),
                    format!("{} {} {}", a.start, L::Until.get(lang), a.end()),
                    label,
                ));
            }
            for o in &t.objections {
                let state = match &o.resolution {
                    Some((d, text)) => format!("{} {d}: {text}", L::Resolved.get(lang)),
                    None => format!("! {}", L::Open.get(lang)),
                };
                out.push(field(
                    L::Objections.get(lang),
                    format!("{} {} ({state})", o.raised_on, o.text),
                    label,
                ));
            }
            for wd in &t.withdrawals {
                let mut s = format!("{} {}", wd.date, wd.reason.label(lang));
                if let Some(r) = wd.reinstated_on {
                    s.push_str(&format!(" -> {r}"));
                }
                out.push(field(L::Withdrawal.get(lang), s, label));
            }
            out.push(section(L::History));
            for c in &t.history {
                out.push(Line::from(format!("{}  {}", c.date, c.stage.label(lang))));
            }
            if !w.detail.assessments.is_empty() {
                out.push(section(L::AssessmentsLabel));
                for a in &w.detail.assessments {
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
            out.push(field(
                L::Workplace.get(lang),
                format!("{} {}", p.school, p.title),
                label,
            ));
            out.push(field(
                L::Term.get(lang),
                format!(
                    "{} {} {}",
                    c.coach.term_start,
                    L::Until.get(lang),
                    c.coach.term_end
                ),
                label,
            ));
            out.push(field(L::Phone.get(lang), p.phone.clone(), label));
            for res in &p.results {
                out.push(field(
                    L::Results.get(lang),
                    format!(
                        "{} {} {}{}{}",
                        res.year,
                        res.competition,
                        res.level.label(lang),
                        lang.pick("", " "),
                        res.prize.label(lang)
                    ),
                    label,
                ));
            }
            for o in &p.research_outputs {
                out.push(field(L::Research.get(lang), o.clone(), label));
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
                out.push(field(L::Justification.get(lang), j.clone(), label));
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
            out.push(field(L::District.get(lang), a.district.clone(), label));
            out.push(field(
                L::Principal.get(lang),
                format!("{} {}", a.principal, a.phone),
                label,
            ));
            out.push(field(
                L::ChiefCoach.get(lang),
                format!(
                    "{} {} {}",
                    a.chief_coach.name, a.chief_coach.title, a.chief_coach.subject
                ),
                label,
            ));
            if let Some(dd) = s.decided_on {
                out.push(field(
                    L::Decision.get(lang),
                    format!("{dd} {}", s.decision_note),
                    label,
                ));
            }
            out.push(field(
                L::TrackRecord.get(lang),
                a.track_record.clone(),
                label,
            ));
            out.push(field(L::WorkPlan.get(lang), a.work_plan.clone(), label));
            out.push(field(
                L::Recommendation.get(lang),
                a.district_recommendation.clone(),
                label,
            ));
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
            out.push(field(
                L::Account.get(lang),
                format!("{holder} {} {}", e.account.year, e.account.fund.label(lang)),
                label,
            ));
            out.push(field(L::Date.get(lang), e.date.to_string(), label));
            out.push(field(L::Category.get(lang), e.category.clone(), label));
            out.push(field(L::Voucher.get(lang), e.voucher.clone(), label));
            out.push(field(L::Payee.get(lang), e.payee.clone(), label));
            out.push(field(
                L::RecordedBy.get(lang),
                format!(
                    "{} {}",
                    e.recorded_by,
                    shanghai(e.stamp.created_at).format("%Y-%m-%d %H:%M")
                ),
                label,
            ));
            if !e.note.is_empty() {
                out.push(field(L::Detail.get(lang), e.note.clone(), label));
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
        Tab::Plans => {
            let c = &d.cycles[r];
            out.push(Line::from(Span::styled(
                format!("{} {}", c.year, d.project.group_name(lang)),
                th.accent,
            )));
            out.push(field(L::Plan.get(lang), filing(c.plan, lang), label));
            out.push(field(L::Report.get(lang), filing(c.report, lang), label));
            out.push(field(L::Goals.get(lang), c.goals.clone(), label));
            for t in &c.targets {
                let got = t.attained.map(|a| format!(" -> {a}")).unwrap_or_default();
                out.push(field(
                    L::Targets.get(lang),
                    format!("{}: {}{got}", t.name, t.goal),
                    label,
                ));
            }
            for (cat, m) in &c.budget {
                out.push(field(
                    L::Budget.get(lang),
                    format!("{cat} {}", m.display()),
                    label,
                ));
            }
        }
    }
    if !w.detail.audit.is_empty() {
        out.push(section(L::Audit));
        for a in &w.detail.audit {
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
