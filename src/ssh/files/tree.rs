//! The tree a user sees over SFTP, built for their role, never the server's
//! file system:
//!
//! ```text
//! /exports/template-applications.xlsx
//! /exports/math/            one folder per group the role reads
//!     announcement.xlsx  filing-2026.xlsx  ledger-2026.xlsx
//!     trainees.csv  trainees.xlsx  assessments.csv
//! /exports/all/             for roles that read every group
//!     filing-2026.xlsx  ledger-2026.xlsx  trainees.csv  trainees.xlsx
//!     assessments.csv  evaluation-2026.xlsx
//! /imports/                 the user's own uploads
//! ```
//!
//! A path is resolved like a chroot: `..` stops at `/`, so `../../etc/passwd`
//! is `/etc/passwd`, which is not in the tree. What the role may not read
//! (another group's folder, `all/`) is simply not there.

use crate::domain::{Actor, ProjectId, Role};

/// A folder of exports: one group's, or every group's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Folder {
    Group(ProjectId),
    All,
}

impl Folder {
    pub fn name(self) -> &'static str {
        match self {
            Folder::Group(p) => p.code(),
            Folder::All => "all",
        }
    }

    pub fn project(self) -> Option<ProjectId> {
        match self {
            Folder::Group(p) => Some(p),
            Folder::All => None,
        }
    }
}

/// One export in a folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    /// 公示名单 (a group's only).
    Announcement,
    /// 备案名单 of a year.
    Filing(i32),
    /// 台账 of a year.
    Ledger(i32),
    TraineesCsv,
    TraineesXlsx,
    AssessmentsCsv,
    /// 年度评价 of a year (`all/` only).
    Evaluation(i32),
}

impl Item {
    pub fn name(self) -> String {
        match self {
            Item::Announcement => "announcement.xlsx".into(),
            Item::Filing(y) => format!("filing-{y}.xlsx"),
            Item::Ledger(y) => format!("ledger-{y}.xlsx"),
            Item::TraineesCsv => "trainees.csv".into(),
            Item::TraineesXlsx => "trainees.xlsx".into(),
            Item::AssessmentsCsv => "assessments.csv".into(),
            Item::Evaluation(y) => format!("evaluation-{y}.xlsx"),
        }
    }

    /// The items of `folder`, with a file per year in `years`.
    pub fn all(folder: Folder, years: &[i32]) -> Vec<Item> {
        let mut items = Vec::new();
        if let Folder::Group(_) = folder {
            items.push(Item::Announcement);
        }
        items.extend(years.iter().map(|&y| Item::Filing(y)));
        items.extend(years.iter().map(|&y| Item::Ledger(y)));
        items.extend([Item::TraineesCsv, Item::TraineesXlsx, Item::AssessmentsCsv]);
        if folder == Folder::All {
            items.extend(years.iter().map(|&y| Item::Evaluation(y)));
        }
        items
    }
}

/// Where a path leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    Root,
    Exports,
    Template,
    Folder(Folder),
    /// An item by name; whether it is there depends on the years with
    /// records, which the caller knows.
    Export(Folder, String),
    Imports,
    Upload(String),
}

impl Node {
    pub fn is_dir(&self) -> bool {
        matches!(
            self,
            Node::Root | Node::Exports | Node::Folder(_) | Node::Imports
        )
    }
}

pub const TEMPLATE: &str = "template-applications.xlsx";

/// The path's parts after resolving `.` and `..` from `/`; a relative path
/// starts at `/` too (the home of every user).
pub fn parts(path: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts
}

/// The canonical form of a path (what REALPATH answers).
pub fn canonical(path: &str) -> String {
    format!("/{}", parts(path).join("/"))
}

/// The folders of exports `role` may read, in order.
pub fn folders(role: &Role) -> Vec<Folder> {
    let mut folders: Vec<Folder> = ProjectId::ALL
        .into_iter()
        .filter(|p| role.can_read(*p))
        .map(Folder::Group)
        .collect();
    if crate::runner::reads_every_group(role) {
        folders.push(Folder::All);
    }
    folders
}

/// The node at `path` for `actor`, or None: not there (whether it does not
/// exist or the role may not see it is the same answer).
pub fn resolve(actor: &Actor, path: &str) -> Option<Node> {
    let parts = parts(path);
    let folder = |name: &str| folders(&actor.role).into_iter().find(|f| f.name() == name);
    match parts.as_slice() {
        [] => Some(Node::Root),
        ["exports"] => Some(Node::Exports),
        ["exports", TEMPLATE] => Some(Node::Template),
        ["exports", f] => folder(f).map(Node::Folder),
        ["exports", f, item] => folder(f).map(|f| Node::Export(f, (*item).to_string())),
        ["imports"] => Some(Node::Imports),
        ["imports", name] => Some(Node::Upload((*name).to_string())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chief() -> Actor {
        Actor::with_role("li", Role::ChiefCoach(ProjectId::Math))
    }

    #[test]
    fn dot_dot_stops_at_the_root_like_a_chroot() {
        assert_eq!(canonical("../../etc/passwd"), "/etc/passwd");
        assert_eq!(canonical("/exports/math/../../.."), "/");
        assert_eq!(canonical("exports/./math/"), "/exports/math");
        assert_eq!(resolve(&chief(), "../../etc/passwd"), None);
        assert_eq!(resolve(&chief(), "/etc"), None);
        assert_eq!(
            resolve(&chief(), "/imports/../exports/math"),
            Some(Node::Folder(Folder::Group(ProjectId::Math)))
        );
    }

    #[test]
    fn another_groups_folder_and_all_are_not_there_for_a_chief() {
        let chief = chief();
        assert_eq!(folders(&chief.role), vec![Folder::Group(ProjectId::Math)]);
        assert_eq!(resolve(&chief, "/exports/physics"), None);
        assert_eq!(resolve(&chief, "/exports/physics/trainees.csv"), None);
        assert_eq!(resolve(&chief, "/exports/all"), None);
        let admin = Actor::admin("coordinator");
        assert_eq!(folders(&admin.role).len(), ProjectId::ALL.len() + 1);
        assert_eq!(
            resolve(&admin, "/exports/all"),
            Some(Node::Folder(Folder::All))
        );
    }

    #[test]
    fn the_evaluation_is_in_all_and_the_announcement_in_a_group() {
        let years = [2025, 2026];
        let group: Vec<String> = Item::all(Folder::Group(ProjectId::Math), &years)
            .into_iter()
            .map(Item::name)
            .collect();
        assert!(group.contains(&"announcement.xlsx".to_string()));
        assert!(group.contains(&"filing-2025.xlsx".to_string()));
        assert!(!group.iter().any(|n| n.starts_with("evaluation")));
        let all: Vec<String> = Item::all(Folder::All, &years)
            .into_iter()
            .map(Item::name)
            .collect();
        assert!(all.contains(&"evaluation-2026.xlsx".to_string()));
        assert!(!all.contains(&"announcement.xlsx".to_string()));
    }
}
