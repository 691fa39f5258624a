//! `user add|change|key|list|remove`: the users the SSH server lets in, with
//! their roles, languages and public keys.

use std::io::Write;

use unicode_width::UnicodeWidthStr;

use super::{Done, Failure, Invocation};
use crate::command_line::{KeyCmd, ListFormat, UserCmd};
use crate::domain::{Role, User};
use crate::export::ExportError;
use crate::i18n::{Lang, Localized};
use crate::registry::{Command, Reader, ssh_keys};

/// A public key file's text and the name to give it in a message (its path,
/// or "-" for standard input).
pub struct KeyFile {
    pub name: String,
    pub text: String,
}

/// Runs a `user` subcommand. `keys` holds the texts of `user add`'s (or
/// `user key add`'s) key files, read by the caller; what was done is said on
/// `err`, a listing goes to `out`.
pub fn run(
    ctx: &Invocation<'_>,
    cmd: UserCmd,
    keys: &[KeyFile],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Done {
    let lang = ctx.lang;
    let registry = ctx.registry;
    let said = |e: std::io::Error| Failure::Write(ExportError::from(e));
    match cmd {
        UserCmd::Add {
            name,
            role,
            projects,
            display_name,
            lang: user_lang,
            ..
        } => {
            let role = Role::from_parts(&role, &projects)
                .map_err(|e| Failure::Usage(e.localized(lang)))?;
            let lines = key_lines(keys, lang)?;
            let mut commands = vec![Command::AddUser {
                display_name: display_name.unwrap_or_else(|| name.clone()),
                login: name.clone(),
                role: role.clone(),
                keys: lines,
            }];
            // The language is set in the same transaction: all or nothing.
            if let Some(l) = user_lang.and_then(|l| l.lang()) {
                commands.push(Command::ChangeUser {
                    login: name.trim().to_string(),
                    role: role.clone(),
                    lang: Some(l),
                });
            }
            registry
                .apply_batch(ctx.actor, &commands)
                .map_err(|e| ctx.refused(&e.error))?;
            let user = registry
                .user_by_login(name.trim())
                .map_err(|e| ctx.refused(&e))?
                .ok_or(Failure::Failed)?;
            let line = format!(
                "{} {} ({}): {}",
                lang.pick("已添加用户", "added the user"),
                user.login,
                user.role.label(lang),
                user.keys
                    .iter()
                    .map(|k| k.fingerprint.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            writeln!(err, "{}", crate::safe_text::one_line(&line)).map_err(said)
        }
        UserCmd::Change {
            name,
            role,
            projects,
            lang: user_lang,
        } => {
            let user = registry
                .user_by_login(name.trim())
                .map_err(|e| ctx.refused(&e))?
                .filter(User::is_active)
                .ok_or_else(|| {
                    ctx.refused(&crate::registry::RegistryError::NoSuchUser {
                        login: crate::domain::user::safe_login(&name),
                    })
                })?;
            let role = match role {
                Some(r) => Role::from_parts(&r, &projects)
                    .map_err(|e| Failure::Usage(e.localized(lang)))?,
                None if !projects.is_empty() => {
                    // Groups alone: the same role over the groups given.
                    Role::from_parts(user.role.code(), &projects)
                        .map_err(|e| Failure::Usage(e.localized(lang)))?
                }
                None => user.role.clone(),
            };
            let new_lang = match user_lang {
                Some(l) => l.lang(),
                None => user.lang,
            };
            registry
                .apply(
                    ctx.actor,
                    Command::ChangeUser {
                        login: user.login.clone(),
                        role: role.clone(),
                        lang: new_lang,
                    },
                )
                .map_err(|e| ctx.refused(&e))?;
            let line = format!(
                "{} {}: {}, {}",
                lang.pick("已变更用户", "changed the user"),
                user.login,
                role.label(lang),
                lang_label(new_lang, lang)
            );
            writeln!(err, "{}", crate::safe_text::one_line(&line)).map_err(said)
        }
        UserCmd::Key {
            action: KeyCmd::Add { name, .. },
        } => {
            let lines = key_lines(keys, lang)?;
            let mut added = Vec::new();
            for line in lines {
                let event = registry
                    .apply(
                        ctx.actor,
                        Command::AddUserKey {
                            login: name.trim().to_string(),
                            key: line.clone(),
                        },
                    )
                    .map_err(|e| ctx.refused(&e))?;
                let _ = event;
                if let Ok(k) = ssh_keys::parse_line(&line, 1) {
                    added.push(k.fingerprint);
                }
            }
            let line = format!(
                "{} {}: {}",
                lang.pick("已为用户添加公钥", "added keys to the user"),
                name.trim(),
                added.join(", ")
            );
            writeln!(err, "{}", crate::safe_text::one_line(&line)).map_err(said)
        }
        UserCmd::Key {
            action: KeyCmd::Remove { name, fingerprint },
        } => {
            registry
                .apply(
                    ctx.actor,
                    Command::RemoveUserKey {
                        login: name.trim().to_string(),
                        fingerprint: fingerprint.trim().to_string(),
                    },
                )
                .map_err(|e| ctx.refused(&e))?;
            let line = format!(
                "{} {}: {}",
                lang.pick(
                    "已移除公钥（用它登录的会话随即结束）",
                    "removed the key (sessions logged in with it end now) of"
                ),
                name.trim(),
                fingerprint.trim()
            );
            writeln!(err, "{}", crate::safe_text::one_line(&line)).map_err(said)
        }
        UserCmd::List { format } => {
            let reader = registry.reader(ctx.actor);
            let text = list(&reader, format, lang).map_err(|e| ctx.refused(&e))?;
            out.write_all(text.as_bytes()).map_err(said)
        }
        UserCmd::Remove { name } => {
            registry
                .apply(
                    ctx.actor,
                    Command::RemoveUser {
                        login: name.clone(),
                    },
                )
                .map_err(|e| ctx.refused(&e))?;
            let line = format!(
                "{} {}",
                lang.pick(
                    "已停用用户（记录保留，不能再登录）：",
                    "removed (kept as a record; can no longer log in):"
                ),
                name.trim()
            );
            writeln!(err, "{}", crate::safe_text::one_line(&line)).map_err(said)
        }
    }
}

/// The public-key lines of the key files given, each file's problem named
/// by the file.
fn key_lines(keys: &[KeyFile], lang: Lang) -> Result<Vec<String>, Failure> {
    let mut lines = Vec::new();
    for key in keys {
        let parsed = ssh_keys::parse_file(&key.text)
            .map_err(|e| Failure::Refused(format!("{}: {}", key.name, e.localized(lang))))?;
        lines.extend(parsed.into_iter().map(|k| k.public_line()));
    }
    Ok(lines)
}

/// A user's language as `user list` says it.
fn lang_label(user: Option<Lang>, lang: Lang) -> &'static str {
    match user {
        Some(Lang::Zh) => lang.pick("中文", "Chinese"),
        Some(Lang::En) => lang.pick("英文", "English"),
        None => lang.pick("随服务器", "the server's"),
    }
}

/// The users as a table or as JSON: what `qiangji user list` prints (and what
/// an SSH `user list` would).
pub fn list(
    reader: &Reader<'_>,
    format: ListFormat,
    lang: Lang,
) -> Result<String, crate::store::StoreError> {
    let users = reader.users()?;
    Ok(match format {
        ListFormat::Json => {
            let v: Vec<serde_json::Value> = users.iter().map(json).collect();
            let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
            s.push('\n');
            s
        }
        ListFormat::Table => table(&users, lang),
    })
}

fn json(u: &User) -> serde_json::Value {
    serde_json::json!({
        "login": u.login,
        "display_name": u.display_name,
        "role": u.role.code(),
        "projects": u.role.projects().iter().map(|p| p.code()).collect::<Vec<_>>(),
        "keys": u.keys.iter().map(|k| serde_json::json!({
            "fingerprint": k.fingerprint,
            "algorithm": k.algorithm(),
            "comment": k.comment,
        })).collect::<Vec<_>>(),
        "added": u.added.to_rfc3339(),
        "added_by": u.added_by,
        "removed": u.removed.as_ref().map(|r| r.at.to_rfc3339()),
        "removed_by": u.removed.as_ref().map(|r| r.by.clone()),
        "lang": u.lang,
    })
}

fn table(users: &[User], lang: Lang) -> String {
    let headers = [
        lang.pick("登录名", "login"),
        lang.pick("姓名", "name"),
        lang.pick("角色", "role"),
        lang.pick("语言", "language"),
        lang.pick("公钥指纹", "key fingerprints"),
        lang.pick("状态", "status"),
    ];
    let mut rows: Vec<[String; 6]> = vec![headers.map(str::to_string)];
    for u in users {
        let keys = if u.keys.is_empty() {
            lang.pick("（无公钥，不能登录）", "(no key: cannot log in)")
                .to_string()
        } else {
            u.keys
                .iter()
                .map(|k| k.fingerprint.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let status = match &u.removed {
            None => lang.pick("有效", "active").to_string(),
            Some(r) => format!(
                "{} {}",
                lang.pick("已停用", "removed"),
                crate::registry::shanghai(r.at).format("%Y-%m-%d")
            ),
        };
        rows.push([
            u.login.clone(),
            crate::safe_text::one_line(&u.display_name),
            u.role.label(lang),
            lang_label(u.lang, lang).to_string(),
            keys,
            status,
        ]);
    }
    let mut widths = [0usize; 6];
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.width());
        }
    }
    let mut out = String::new();
    for (i, r) in rows.iter().enumerate() {
        let mut line = String::new();
        for (j, (c, w)) in r.iter().zip(widths).enumerate() {
            if j > 0 {
                line.push_str("  ");
            }
            line.push_str(c);
            line.push_str(&" ".repeat(w - c.width()));
        }
        out.push_str(line.trim_end());
        out.push('\n');
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out.push_str(&rule.join("  "));
            out.push('\n');
        }
    }
    if users.is_empty() {
        out.push_str(lang.pick(
            "（还没有用户：qiangji user add NAME --role admin --key FILE.pub）\n",
            "(no users yet: qiangji user add NAME --role admin --key FILE.pub)\n",
        ));
    }
    out
}
