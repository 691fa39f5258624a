//! An import's report (导入推荐名单), shown before anything is written: the
//! rows that would be created, every bad row with its line, column and
//! reason, and the rows already recorded. It is a yes/no question with a
//! long answer: yes (`y`, Enter) writes the rows as one batch, no (`n`, Esc)
//! closes it and nothing is written; the arrow and page keys, which a
//! question binds to nothing, scroll the report.
//!
//! The file was read once, by the import form; the report is planned again
//! whenever this group's trainees change (another session may have imported
//! the same list meanwhile), so a confirmation never creates a duplicate.

pub mod draw;

use std::sync::atomic::{AtomicU16, Ordering};

use ratatui::Frame;
use ratatui::layout::Rect;

use super::{Reply, Screen};
use crate::domain::ProjectId;
use crate::i18n::Lang;
use crate::import::{self, Options, Report, Table};
use crate::registry::{self, RecordKind};
use crate::tui::ctx::{Ctx, Status};
use crate::tui::forms::Review;
use crate::tui::input::action::Action;
use crate::tui::input::key::{Key, KeyCode};
use crate::tui::strings::L;

pub struct ImportScreen {
    pub project: ProjectId,
    /// The file's name (not its directory), for the heading.
    pub file: String,
    table: Table,
    pub options: Options,
    pub report: Report,
    /// How many rows the write in flight creates: the report is planned
    /// again once they are recorded, and then finds them already there.
    writing: usize,
    pub scroll: u16,
    /// How far the report can scroll, as last drawn.
    pub scroll_max: AtomicU16,
}

impl ImportScreen {
    /// The report the import form read and planned.
    pub fn new(review: Review) -> ImportScreen {
        let Review {
            project,
            file,
            table,
            options,
            report,
        } = review;
        ImportScreen {
            project,
            file,
            table,
            options,
            report,
            writing: 0,
            scroll: 0,
            scroll_max: AtomicU16::new(u16::MAX),
        }
    }

    /// Whether a yes writes anything: rows to create, and no bad row unless
    /// the bad ones are skipped.
    pub fn importable(&self) -> bool {
        !self.report.create.is_empty() && (self.report.problems.is_empty() || self.options.skip_bad)
    }

    /// Why a yes writes nothing: which lines are bad and what to do, or
    /// that every row is already recorded.
    pub fn why_not(&self, lang: Lang) -> String {
        let lines = self.report.bad_lines();
        let mut named: Vec<String> = lines.iter().take(5).map(|l| l.to_string()).collect();
        if lines.len() > 5 {
            named.push(lang.pick("…", "...").to_string());
        }
        let (bad, already) = (lines.len(), self.report.already.len());
        match (lang, bad, self.report.create.is_empty()) {
            (Lang::Zh, 0, _) => format!("没有要新建的学员：{already} 行都已在系统中"),
            (Lang::En, 0, _) => {
                format!("Nobody to create: all {already} rows are already recorded")
            }
            (Lang::Zh, _, true) => format!(
                "未导入：没有可导入的行（第 {} 行有问题，{already} 行已在系统中）；请改正文件",
                named.join("、")
            ),
            (Lang::En, _, true) => format!(
                "Nothing imported: no row can be (bad: line {}; {already} already recorded); fix the file",
                named.join(", ")
            ),
            (Lang::Zh, _, false) => format!(
                "未导入：第 {} 行有问题；请改正文件，或按 n 返回，在表单中选“跳过”",
                named.join("、")
            ),
            (Lang::En, _, false) => format!(
                "Nothing imported: line {} bad; fix the file, or press n and choose to skip them",
                named.join(", ")
            ),
        }
    }

    /// The keys a question leaves unbound: the arrows and page keys scroll.
    pub fn type_key(&mut self, key: Key, page: usize) {
        let page = u16::try_from(page).unwrap_or(u16::MAX);
        let max = self.scroll_max.load(Ordering::Relaxed);
        self.scroll = match key.code {
            KeyCode::Down => self.scroll.saturating_add(1),
            KeyCode::Up => self.scroll.saturating_sub(1),
            KeyCode::PageDown => self.scroll.saturating_add(page),
            KeyCode::PageUp => self.scroll.saturating_sub(page),
            KeyCode::Home => 0,
            KeyCode::End => max,
            _ => return,
        }
        .min(max);
    }

}

impl Screen for ImportScreen {
    fn title(&self, lang: Lang) -> String {
        L::ImportScreen.get(lang).to_string()
    }

    fn act(&mut self, action: Action, ctx: &mut Ctx) -> Reply {
        match action {
            Action::Yes if !self.importable() => {
                *ctx.status = Some(Status::Error(self.why_not(ctx.lang)));
                Reply::Done
            }
            Action::Yes => {
                self.writing = self.report.create.len();
                Reply::Write(import::commands(&self.report))
            }
            Action::No | Action::Back => {
                ctx.info(L::ImportCancelled);
                Reply::Close
            }
            _ => Reply::Pass,
        }
    }

    fn draw(&self, frame: &mut Frame, area: Rect, ui: &crate::tui::widgets::Ui) {
        draw::draw(frame, area, ui, self)
    }

    fn reload(&mut self, ctx: &mut Ctx) {
        match import::plan(ctx.registry, &self.table, self.options) {
            Ok(report) => self.report = report,
            Err(e) => ctx.error(&e),
        }
    }

    /// Plans again when this group's trainees changed.
    fn changed(&mut self, changes: &[registry::Event], ctx: &mut Ctx) {
        let touched = changes
            .iter()
            .any(|c| c.kind == RecordKind::Trainee && c.project.is_none_or(|p| p == self.project));
        if touched {
            self.reload(ctx);
        }
    }

    /// A question: the footer shows its yes and no.
    fn hints(&self) -> &'static [Action] {
        &[]
    }

    fn hint_label(&self, action: Action, lang: Lang) -> Option<&'static str> {
        let l = match action {
            Action::Yes if self.importable() => L::ImportYes,
            Action::No => L::ImportNo,
            _ => return None,
        };
        Some(l.get(lang))
    }

    /// A yes/no question.
    fn context(&self) -> crate::tui::input::action::Context {
        crate::tui::input::action::Context::Confirm
    }

    fn transient(&self) -> bool {
        true
    }

    fn type_key(&mut self, key: Key, ctx: &mut Ctx) {
        ImportScreen::type_key(self, key, ctx.page)
    }

    /// After the write: done (the screen closes) when it went through.
    fn written(&mut self, result: &Result<Vec<registry::Event>, String>, ctx: &mut Ctx) -> bool {
        match result {
            Ok(_) => {
                let n = self.writing;
                let mut said = match ctx.lang {
                    Lang::Zh => format!("已导入 {n} 名学员（{}）", self.file),
                    Lang::En => format!(
                        "imported {n} trainee{} ({})",
                        if n == 1 { "" } else { "s" },
                        self.file
                    ),
                };
                // Over SSH: where the group's list of trainees is now (the
                // file's name gives way to the line, which must fit).
                if let Some(remote) = ctx.remote {
                    let path = format!("exports/{}/trainees.xlsx", self.project.code());
                    said = format!(
                        "{}{}",
                        match ctx.lang {
                            Lang::Zh => format!("已导入 {n} 名学员；名单："),
                            Lang::En => format!("imported {n}; the list: "),
                        },
                        remote.fetch_line(&path)
                    );
                }
                *ctx.status = Some(Status::Info(said));
                true
            }
            Err(message) => {
                *ctx.status = Some(Status::Error(message.clone()));
                false
            }
        }
    }
}
