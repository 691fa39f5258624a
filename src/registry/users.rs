//! Users and their SSH keys: adding one, marking one removed (the record
//! stays), and the lookups the SSH server authenticates with.

use super::command::{Command, RecordKind};
use super::{Applied, Applying, Registry, RegistryError, TxResult, permit, refuse, required};
use crate::domain::field::Field;
use crate::domain::text::SHORT;
use crate::domain::user::{is_valid_login, safe_login};
use crate::domain::{Removal, Role, User};
use crate::store::{StoreError, Tree, Tx, keys};

/// The most keys one user may have.
pub const MAX_KEYS: usize = 16;

pub(super) fn apply(tx: &Tx<'_>, ctx: &Applying<'_>, command: &Command) -> TxResult<Applied> {
    use Command as C;
    match command {
        C::AddUser {
            login,
            display_name,
            role,
            keys: lines,
        } => {
            permit(ctx.actor, command, None, None)?;
            let login = required(Field::Login, login, SHORT)?;
            if !is_valid_login(&login) {
                return refuse(RegistryError::BadLogin {
                    shown: safe_login(&login),
                });
            }
            if let Some(old) = tx.get::<User, _>(Tree::Users, login.as_bytes())? {
                return refuse(RegistryError::DuplicateUser {
                    login,
                    removed: old.removed.is_some(),
                });
            }
            if let Role::Viewer(ps) = role
                && ps.is_empty()
            {
                return refuse(RegistryError::ViewerWithoutGroups);
            }
            if lines.len() > MAX_KEYS {
                return refuse(RegistryError::TooManyKeys { max: MAX_KEYS });
            }
            let mut user_keys: Vec<crate::domain::UserKey> = Vec::new();
            for (i, line) in lines.iter().enumerate() {
                let key = super::ssh_keys::parse_line(line, i + 1).or_else(refuse)?;
                if user_keys.iter().any(|k| k.fingerprint == key.fingerprint) {
                    continue;
                }
                if let Some(owner) = active_owner(tx, &key.fingerprint)? {
                    return refuse(RegistryError::DuplicateKey {
                        fingerprint: key.fingerprint,
                        login: owner,
                    });
                }
                user_keys.push(key);
            }
            let user = User {
                id: ctx.new_id,
                login,
                display_name: required(Field::Name, display_name, SHORT)?,
                role: role.clone(),
                keys: user_keys,
                added: ctx.now,
                added_by: ctx.actor.login.clone(),
                removed: None,
                lang: None,
            };
            for k in &user.keys {
                tx.put_raw(
                    Tree::Index,
                    &keys::user_of_key(&k.fingerprint),
                    user.login.as_bytes(),
                )?;
            }
            put(tx, &user)
        }
        C::RemoveUser { login } => {
            permit(ctx.actor, command, None, None)?;
            let Some(mut user) = tx.get::<User, _>(Tree::Users, login.trim().as_bytes())? else {
                return refuse(RegistryError::NoSuchUser {
                    login: safe_login(login),
                });
            };
            if user.removed.is_some() {
                return refuse(RegistryError::AlreadyRemoved { login: user.login });
            }
            if user.login == ctx.actor.login {
                return refuse(RegistryError::RemoveSelf);
            }
            user.removed = Some(Removal {
                at: ctx.now,
                by: ctx.actor.login.clone(),
            });
            put(tx, &user)
        }
        C::AddUserKey { login, key } => {
            permit(ctx.actor, command, None, None)?;
            let mut user = active_user(tx, login)?;
            if user.keys.len() >= MAX_KEYS {
                return refuse(RegistryError::TooManyKeys { max: MAX_KEYS });
            }
            let key = super::ssh_keys::parse_line(key, 1).or_else(refuse)?;
            if let Some(owner) = active_owner(tx, &key.fingerprint)? {
                return refuse(RegistryError::DuplicateKey {
                    fingerprint: key.fingerprint,
                    login: owner,
                });
            }
            tx.put_raw(
                Tree::Index,
                &keys::user_of_key(&key.fingerprint),
                user.login.as_bytes(),
            )?;
            user.keys.push(key);
            put(tx, &user)
        }
        C::RemoveUserKey { login, fingerprint } => {
            permit(ctx.actor, command, None, None)?;
            let mut user = active_user(tx, login)?;
            let fingerprint = fingerprint.trim();
            let Some(at) = user.keys.iter().position(|k| k.fingerprint == fingerprint) else {
                return refuse(RegistryError::NoSuchKey {
                    login: user.login,
                    fingerprint: safe_login(fingerprint),
                });
            };
            user.keys.remove(at);
            if user.keys.is_empty() {
                not_self(ctx, &user.login)?;
            }
            tx.remove(Tree::Index, &keys::user_of_key(fingerprint))?;
            put(tx, &user)
        }
        C::ChangeUser { login, role, lang } => {
            permit(ctx.actor, command, None, None)?;
            let mut user = active_user(tx, login)?;
            if let Role::Viewer(ps) = role
                && ps.is_empty()
            {
                return refuse(RegistryError::ViewerWithoutGroups);
            }
            if user.role == Role::Admin && *role != Role::Admin {
                not_self(ctx, &user.login)?;
            }
            user.role = role.clone();
            user.lang = *lang;
            put(tx, &user)
        }
        _ => unreachable!("users::apply called with {command:?}"),
    }
}

/// The active user `login`, or the refusal that says why not.
fn active_user(tx: &Tx<'_>, login: &str) -> TxResult<User> {
    let login = login.trim();
    match tx.get::<User, _>(Tree::Users, login.as_bytes())? {
        None => refuse(RegistryError::NoSuchUser {
            login: safe_login(login),
        }),
        Some(u) if u.removed.is_some() => refuse(RegistryError::AlreadyRemoved { login: u.login }),
        Some(u) => Ok(u),
    }
}

/// Refuses an admin's taking their own admin role or last key: the one
/// acting stays an admin who can log in, so some admin always can (another
/// admin may do it, as with a removal).
fn not_self(ctx: &Applying<'_>, login: &str) -> TxResult<()> {
    if ctx.actor.login == login {
        return refuse(RegistryError::LastAdmin);
    }
    Ok(())
}

/// Whether `actor`, who logged in with a key, is still that user: active,
/// holding the key, in the same role. Read inside the command's transaction.
pub(super) fn still_acting(tx: &Tx<'_>, actor: &crate::domain::Actor) -> TxResult<()> {
    let changed = || {
        refuse(RegistryError::ActorChanged {
            login: safe_login(&actor.login),
        })
    };
    let Some(user) = tx.get::<User, _>(Tree::Users, actor.login.as_bytes())? else {
        return changed();
    };
    let holds_key = actor
        .key
        .as_deref()
        .is_some_and(|fp| user.keys.iter().any(|k| k.fingerprint == fp));
    if !user.is_active() || !holds_key || user.role != actor.role {
        return changed();
    }
    Ok(())
}

/// Writes `user` (users are never deleted: a removal is a mark on them).
fn put(tx: &Tx<'_>, user: &User) -> TxResult<Applied> {
    tx.put(Tree::Users, user.login.as_bytes(), user)?;
    Ok(Applied {
        kind: RecordKind::User,
        id: user.id,
        project: None,
        before: None,
    })
}

/// The active user who holds the key, if any (a removed user's keys may be
/// given to someone else).
fn active_owner(tx: &Tx<'_>, fingerprint: &str) -> TxResult<Option<String>> {
    let Some(login) = tx.get_raw(Tree::Index, &keys::user_of_key(fingerprint))? else {
        return Ok(None);
    };
    let user = tx.get::<User, _>(Tree::Users, &login)?;
    Ok(user.filter(User::is_active).map(|u| u.login))
}

impl Registry {
    /// The active (not removed) user whose key has this fingerprint
    /// (`SHA256:...`, as OpenSSH and `ssh_key::Fingerprint`'s `Display` write
    /// it): two key lookups. What the SSH server calls after a key's
    /// signature has been verified.
    pub fn user_by_fingerprint(&self, fingerprint: &str) -> Result<Option<User>, StoreError> {
        let Some(login) = self
            .store()
            .tree(Tree::Index)
            .get(keys::user_of_key(fingerprint))?
        else {
            return Ok(None);
        };
        let user: Option<User> = self.store().get(Tree::Users, &login)?;
        Ok(user.filter(|u| u.is_active() && u.keys.iter().any(|k| k.fingerprint == fingerprint)))
    }

    /// A user by login, removed or not (check `User::is_active`).
    pub fn user_by_login(&self, login: &str) -> Result<Option<User>, StoreError> {
        self.store().get(Tree::Users, login.as_bytes())
    }

    /// Whether an active admin with at least one key exists: without one,
    /// `serve` has nobody who could manage users.
    pub fn has_admin(&self) -> Result<bool, StoreError> {
        for u in self.store().values::<User>(Tree::Users) {
            let u = u?;
            if u.is_active() && u.role == Role::Admin && !u.keys.is_empty() {
                return Ok(true);
            }
        }
        Ok(false)
    }
}
