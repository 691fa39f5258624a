//! Adding a user (login, name, role, group, a pasted public key line) and
//! removing one, on the admin's users screen.

use super::{Choice, Field, Form, FormFlow, Scope, sheet_of, yes_no};
use crate::domain::text::SHORT;
use crate::domain::{ProjectId, Role, User};
use crate::i18n::{Lang, Localized};
use crate::registry::{Command, ssh_keys};
use crate::tui::strings::L;

/// The longest key line the form takes (an RSA 4096 key is about 750).
const KEY_MAX: usize = 2000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum F {
    Login,
    Name,
    Role,
    Group,
    Key,
}

pub struct AddUserForm {
    form: Form<F>,
}

pub fn add_user_form(lang: Lang) -> AddUserForm {
    let roles = vec![
        Choice::new("首席教练员 chief", "chief coach (chief)", "chief"),
        Choice::new("教练员 coach", "coach (coach)", "coach"),
        Choice::new("查看 viewer", "viewer (viewer)", "viewer"),
        Choice::new("规划财务处 finance", "finance (finance)", "finance"),
        Choice::new("工作专班 admin", "coordinator (admin)", "admin"),
    ];
    let mut groups = vec![Choice::new("（不指定）", "(none)", None::<ProjectId>)];
    groups.extend(
        ProjectId::ALL
            .into_iter()
            .map(|p| Choice::new(p.group_name(Lang::Zh), p.group_name(Lang::En), Some(p))),
    );
    let form = Form::new(L::AddUserTitle)
        .with(F::Login, Field::text(("登录名", "Login"), SHORT, true))
        .with(F::Name, Field::text(("姓名", "Name"), SHORT, true))
        .with(F::Role, Field::choice(("角色", "Role"), roles, 0))
        .with(F::Group, Field::choice(("项目组", "Group"), groups, 1))
        .with(F::Key, Field::text(("公钥", "Public key"), KEY_MAX, true))
        .intro(lang.pick(
            "公钥：粘贴 id_ed25519.pub 的一行（ssh-ed25519 AAAA... 备注）",
            "Public key: paste the line of id_ed25519.pub (ssh-ed25519 AAAA... comment)",
        ));
    AddUserForm { form }
}

impl FormFlow for AddUserForm {
    sheet_of!();

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        let lang = scope.lang;
        let code: &'static str = self.form.required(F::Role, lang)?;
        let group: Option<ProjectId> = self.form.chosen(F::Group).flatten();
        let groups: Vec<ProjectId> = group.into_iter().collect();
        let role = Role::from_parts(code, &groups).map_err(|e| e.localized(lang))?;
        let key =
            ssh_keys::parse_line(&self.form.text(F::Key), 1).map_err(|e| e.localized(lang))?;
        Ok(vec![Command::AddUser {
            login: self.form.text(F::Login).trim().to_string(),
            display_name: self.form.text(F::Name),
            role,
            keys: vec![key.public_line()],
        }])
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum R {
    Confirm,
}

pub struct RemoveUserForm {
    form: Form<R>,
    login: String,
}

pub fn remove_user_form(user: &User, lang: Lang) -> RemoveUserForm {
    let intro = format!(
        "{} {} ({}, {}): {}",
        L::RemoveUserTitle.get(lang),
        user.login,
        crate::cli::safe_text::one_line(&user.display_name),
        user.role.label(lang),
        lang.pick(
            "停用后不能再登录，记录保留",
            "they can no longer log in; the record stays"
        )
    );
    let mut options = yes_no();
    options.reverse();
    let form = Form::new(L::RemoveUserTitle).intro(intro).with(
        R::Confirm,
        Field::choice(("确认停用", "Remove"), options, 0),
    );
    RemoveUserForm {
        form,
        login: user.login.clone(),
    }
}

impl FormFlow for RemoveUserForm {
    sheet_of!();

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        if self.form.chosen::<bool>(R::Confirm) != Some(true) {
            return Err(L::RemoveUserNo.get(scope.lang).to_string());
        }
        Ok(vec![Command::RemoveUser {
            login: self.login.clone(),
        }])
    }
}
