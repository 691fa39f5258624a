//! Adding a user (login, name, role, group, a pasted public key line),
//! changing one (role, group, language, a key added or taken away) and
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

fn role_choices() -> Vec<Choice> {
    vec![
        Choice::new("首席教练员 chief", "chief coach (chief)", "chief"),
        Choice::new("教练员 coach", "coach (coach)", "coach"),
        Choice::new("查看 viewer", "viewer (viewer)", "viewer"),
        Choice::new("规划财务处 finance", "finance (finance)", "finance"),
        Choice::new("工作专班 admin", "coordinator (admin)", "admin"),
    ]
}

fn group_choices() -> Vec<Choice> {
    let mut groups = vec![Choice::new("（不指定）", "(none)", None::<ProjectId>)];
    groups.extend(
        ProjectId::ALL
            .into_iter()
            .map(|p| Choice::new(p.group_name(Lang::Zh), p.group_name(Lang::En), Some(p))),
    );
    groups
}

pub fn add_user_form(lang: Lang) -> AddUserForm {
    let roles = role_choices();
    let groups = group_choices();
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
enum C {
    Role,
    Group,
    Lang,
    AddKey,
    RemoveKey,
}

/// Changes a user: role and group, language, one key added (pasted) or one
/// taken away; saved together or not at all. Their open sessions follow.
pub struct ChangeUserForm {
    form: Form<C>,
    login: String,
}

pub fn change_user_form(user: &User, lang: Lang) -> ChangeUserForm {
    let roles = role_choices();
    let role_at = roles
        .iter()
        .position(|c| c.value::<&'static str>() == Some(user.role.code()))
        .unwrap_or(0);
    let groups = group_choices();
    let group_at = match user.role.projects().first() {
        Some(p) => groups
            .iter()
            .position(|c| c.value::<Option<ProjectId>>() == Some(Some(*p)))
            .unwrap_or(0),
        None => 0,
    };
    let langs = vec![
        Choice::new("随服务器", "the server's", None::<Lang>),
        Choice::new("中文", "Chinese", Some(Lang::Zh)),
        Choice::new("英文", "English", Some(Lang::En)),
    ];
    let lang_at = match user.lang {
        None => 0,
        Some(Lang::Zh) => 1,
        Some(Lang::En) => 2,
    };
    let mut keys = vec![Choice::new("（不移除）", "(none)", None::<String>)];
    keys.extend(user.keys.iter().map(|k| {
        let shown = format!(
            "{} {}",
            k.fingerprint,
            crate::safe_text::one_line(&k.comment)
        );
        Choice::new(shown.clone(), shown, Some(k.fingerprint.clone()))
    }));
    let intro = format!(
        "{} {} ({}): {}",
        L::ChangeUserTitle.get(lang),
        user.login,
        crate::safe_text::one_line(&user.display_name),
        lang.pick(
            "保存后其已打开的会话随即按新角色显示；移除的公钥不能再登录",
            "their open sessions follow at once; a removed key can no longer log in"
        )
    );
    let form = Form::new(L::ChangeUserTitle)
        .intro(intro)
        .with(C::Role, Field::choice(("角色", "Role"), roles, role_at))
        .with(
            C::Group,
            Field::choice(("项目组", "Group"), groups, group_at),
        )
        .with(C::Lang, Field::choice(("语言", "Language"), langs, lang_at))
        .with(
            C::AddKey,
            Field::text(("添加公钥", "Add a key"), KEY_MAX, false),
        )
        .with(
            C::RemoveKey,
            Field::choice(("移除公钥", "Remove a key"), keys, 0),
        );
    ChangeUserForm {
        form,
        login: user.login.clone(),
    }
}

impl FormFlow for ChangeUserForm {
    sheet_of!();

    fn save(&self, scope: Scope) -> Result<Vec<Command>, String> {
        let lang = scope.lang;
        let code: &'static str = self.form.required(C::Role, lang)?;
        let group: Option<ProjectId> = self.form.chosen(C::Group).flatten();
        let groups: Vec<ProjectId> = group.into_iter().collect();
        let role = Role::from_parts(code, &groups).map_err(|e| e.localized(lang))?;
        let user_lang: Option<Lang> = self.form.chosen(C::Lang).flatten();
        let mut commands = vec![Command::ChangeUser {
            login: self.login.clone(),
            role,
            lang: user_lang,
        }];
        let pasted = self.form.text(C::AddKey);
        if !pasted.trim().is_empty() {
            let key = ssh_keys::parse_line(&pasted, 1).map_err(|e| e.localized(lang))?;
            commands.push(Command::AddUserKey {
                login: self.login.clone(),
                key: key.public_line(),
            });
        }
        if let Some(fingerprint) = self.form.chosen::<Option<String>>(C::RemoveKey).flatten() {
            commands.push(Command::RemoveUserKey {
                login: self.login.clone(),
                fingerprint,
            });
        }
        Ok(commands)
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
        crate::safe_text::one_line(&user.display_name),
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
