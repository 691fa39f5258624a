//! Importing a school's recommendation list from the trainees tab: the path
//! of an `.xlsx` or `.csv` file and what to do with bad rows. Submitting
//! reads the file with the import the CLI uses (`qiangji import
//! applications --project`), every row for this group, and opens the report
//! (`screens::import`), where the user confirms the write; a file that
//! cannot be read is a refusal here and the path stays as typed. The form
//! hands back what it read and planned (`Review`), plain data: the App has
//! the report shown.
//!
//! In an SSH session no path is typed: the form offers the lists the user
//! uploaded (`imports/` over SFTP, `tui::files`), never a file of the
//! server's.

use std::path::PathBuf;

use super::{Choice, Field, Form, FormFlow, Scope, Submitted, sheet_of};
use crate::domain::ProjectId;
use crate::i18n::{Lang, Localized};
use crate::import::{self, Options, Report, Table, read};
use crate::registry::Command;
use crate::tui::ctx::Ctx;
use crate::tui::strings::L;

/// What the import form read: the list of `file` for `project`, and the
/// report planned from it, to be confirmed or cancelled.
pub struct Review {
    pub project: ProjectId,
    /// The file's name (not its directory), safe to show.
    pub file: String,
    pub table: Table,
    pub options: Options,
    pub report: Report,
}

/// The longest path the field takes.
const PATH_MAX: usize = 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum F {
    Path,
    /// One of the user's uploads (an SSH session).
    Upload,
    SkipBad,
}

pub struct ImportForm {
    form: Form<F>,
    project: ProjectId,
    /// The uploads are offered (an SSH session), not a path.
    uploads: bool,
}

/// The form; `uploads` are the user's uploaded lists in an SSH session
/// (None locally, where a path is typed, `last` to begin with: the path
/// this session typed before, so that leaving the form or its report loses
/// nothing).
pub fn import_form(
    project: ProjectId,
    lang: Lang,
    uploads: Option<Vec<String>>,
    last: &str,
) -> ImportForm {
    let skip = vec![
        Choice::new(
            "不导入（先改正文件）",
            "import nothing (fix the file first)",
            false,
        ),
        Choice::new(
            "跳过，只导入无问题的行",
            "skip them, import the good rows",
            true,
        ),
    ];
    let group = project.group_name(lang);
    let intro = match lang {
        Lang::Zh => format!(
            "{group}：.xlsx 或 .csv（UTF-8 或 GBK）文件，在运行 qiangji 的计算机上；先显示检查结果，确认后才写入"
        ),
        Lang::En => format!(
            "{group}: an .xlsx or .csv (UTF-8 or GBK) file on the computer running qiangji; the check is shown first, and nothing is written until you confirm"
        ),
    };
    let file = match &uploads {
        None => Field::new(
            ("文件路径", "File path"),
            super::field::FieldKind::text(PATH_MAX, true),
            last,
        ),
        Some(names) => Field::choice(
            ("上传的名单", "Uploaded list"),
            names
                .iter()
                .map(|n| Choice::new(n.clone(), n.clone(), n.clone()))
                .collect(),
            0,
        ),
    };
    let (id, intro) = match &uploads {
        None => (F::Path, intro),
        Some(_) => (
            F::Upload,
            match lang {
                Lang::Zh => format!(
                    "{group}：你上传到 imports/ 的名单，最新的在前；先显示检查结果，确认后才写入"
                ),
                Lang::En => format!(
                    "{group}: the lists you uploaded to imports/, newest first; the check is shown first, and nothing is written until you confirm"
                ),
            },
        ),
    };
    let form = Form::new(L::ImportTitle)
        .with(id, file)
        .with(
            F::SkipBad,
            Field::choice(("有问题的行", "Bad rows"), skip, 0),
        )
        .intro(intro);
    ImportForm {
        form,
        project,
        uploads: uploads.is_some(),
    }
}

impl FormFlow for ImportForm {
    sheet_of!();

    /// Nothing is written from the form itself: `submit` reads the file and
    /// the report writes once confirmed.
    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        Err(L::ImportReadsFirst.get(scope.lang).to_string())
    }

    fn recall(&self, recall: &mut crate::tui::ctx::Recall) {
        if !self.uploads {
            recall.import_path = self.form.text(F::Path);
        }
    }

    fn submit(&mut self, ctx: &mut Ctx) -> Result<Submitted, String> {
        let (table, file) = if self.uploads {
            let name: String = self.form.chosen(F::Upload).unwrap_or_default();
            let remote = ctx
                .remote
                .ok_or_else(|| L::ImportNoUpload.get(ctx.lang).to_string())?;
            let bytes = remote
                .read_upload(&name)
                .map_err(|_| L::ImportNoUpload.get(ctx.lang).to_string())?;
            let table = read::from_bytes(bytes, std::path::Path::new(&name))
                .map_err(|e| e.localized(ctx.lang))?;
            (table, name)
        } else if ctx.remote.is_some() {
            // Never a path of the server's, whatever made this form.
            return Err(L::ImportNoUpload.get(ctx.lang).to_string());
        } else {
            let text = self.form.text(F::Path);
            let path = expand_home(text.trim());
            let table = read::read(&path).map_err(|e| e.localized(ctx.lang))?;
            let file = path
                .file_name()
                .map_or_else(|| text.clone(), |n| n.to_string_lossy().into_owned());
            (table, file)
        };
        let options = Options {
            project: Some(self.project),
            dry_run: false,
            skip_bad: self.form.chosen(F::SkipBad).unwrap_or(false),
            date: None,
        };
        // A list that cannot be imported at all (a missing column) is the
        // form's refusal.
        let report =
            import::plan(ctx.registry, &table, options).map_err(|e| e.localized(ctx.lang))?;
        Ok(Submitted::Review(Box::new(Review {
            project: self.project,
            file: crate::safe_text::one_line(&file),
            table,
            options,
            report,
        })))
    }
}

/// `~/x` as a shell reads it: under the home directory.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}
