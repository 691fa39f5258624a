//! Where a user's files are. Locally the dashboard reads a list from a path
//! typed in the import form and the lists are exported with `qiangji
//! export`; in an SSH session nothing on the server's disk is named by the
//! user: the import form offers their uploads (`imports/` over SFTP) and
//! the dashboard says which `scp` line fetches an export. The SSH server
//! gives the App an implementation ([`crate::ssh::files`]); locally there
//! is none.

use crate::domain::{ProjectId, Role};
use crate::i18n::Lang;

/// A remote user's files, as the dashboard may use them.
pub trait RemoteFiles: Send + Sync {
    /// The user's uploads (names), newest first.
    fn uploads(&self) -> Vec<String>;
    /// An upload's bytes.
    fn read_upload(&self, name: &str) -> std::io::Result<Vec<u8>>;
    /// The line that copies `path` (in the user's tree, `exports/...`) to
    /// the user's own computer: `scp -P 2222 li@host:exports/math/x.xlsx .`
    fn fetch_line(&self, path: &str) -> String;
    /// The line that uploads a list: `scp -P 2222 名单.xlsx li@host:imports/`
    fn upload_line(&self, lang: Lang) -> String;
    /// What the server wants admins to know, in `lang`: a backup that
    /// failed. Shown on the overview.
    fn server_warning(&self, _lang: Lang) -> Option<String> {
        None
    }
}

/// The export a user most often wants from where they are: the group's
/// announcement list, or every group's filing list for those who read all.
pub fn main_export(role: &Role, project: Option<ProjectId>, year: i32) -> String {
    match project
        .filter(|p| role.can_read(*p))
        .or(role.projects().first().copied())
    {
        Some(p) => format!("exports/{}/announcement.xlsx", p.code()),
        None => format!("exports/all/filing-{year}.xlsx"),
    }
}

/// What the exports action says: where the files are.
pub fn where_exports_are(
    remote: Option<&dyn RemoteFiles>,
    role: &Role,
    project: Option<ProjectId>,
    year: i32,
    lang: Lang,
) -> String {
    let path = main_export(role, project, year);
    match remote {
        Some(r) => match lang {
            Lang::Zh => format!("下载：{}（旁边还有备案名单、台账）", r.fetch_line(&path)),
            Lang::En => format!(
                "download: {} (filing, ledgers beside it)",
                r.fetch_line(&path)
            ),
        },
        None => {
            let (what, file) = match path.split('/').nth(1) {
                Some("all") => (
                    "filing --project all",
                    lang.pick("备案名单.xlsx", "filing.xlsx"),
                ),
                Some(code) => {
                    return match lang {
                        Lang::Zh => format!(
                            "导出：qiangji export announcement --project {code} -o 公示名单.xlsx（另有 filing、trainees、ledger）"
                        ),
                        Lang::En => format!(
                            "export: qiangji export announcement --project {code} -o announcement.xlsx (also filing, trainees, ledger)"
                        ),
                    };
                }
                None => ("filing --project all", "filing.xlsx"),
            };
            format!(
                "{} qiangji export {what} -o {file}",
                lang.pick("导出：", "export:")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;

    impl RemoteFiles for Fake {
        fn uploads(&self) -> Vec<String> {
            Vec::new()
        }
        fn read_upload(&self, _: &str) -> std::io::Result<Vec<u8>> {
            Err(std::io::ErrorKind::NotFound.into())
        }
        fn fetch_line(&self, path: &str) -> String {
            format!("scp -P 2222 li@h:{path} .")
        }
        fn upload_line(&self, _: Lang) -> String {
            String::new()
        }
    }

    #[test]
    fn the_exports_line_names_the_groups_file_or_every_groups() {
        let chief = Role::ChiefCoach(ProjectId::Math);
        let said = where_exports_are(Some(&Fake), &chief, None, 2026, Lang::Zh);
        assert!(
            said.contains("scp -P 2222 li@h:exports/math/announcement.xlsx ."),
            "{said}"
        );
        // Another group's screen never names a file the role cannot read.
        let said = where_exports_are(
            Some(&Fake),
            &chief,
            Some(ProjectId::Physics),
            2026,
            Lang::En,
        );
        assert!(said.contains("exports/math/"), "{said}");
        let said = where_exports_are(Some(&Fake), &Role::Admin, None, 2026, Lang::En);
        assert!(said.contains("exports/all/filing-2026.xlsx"), "{said}");
        // Locally: the command that writes the file.
        let said = where_exports_are(None, &Role::Admin, Some(ProjectId::Math), 2026, Lang::En);
        assert!(
            said.contains("qiangji export announcement --project math"),
            "{said}"
        );
        let said = where_exports_are(None, &Role::Admin, None, 2026, Lang::Zh);
        assert!(
            said.contains("qiangji export filing --project all"),
            "{said}"
        );
    }
}
