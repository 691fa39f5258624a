//! Key bindings are data: `keymaps/default.toml` is compiled in, a preset
//! (`vim`) or a user's file is layered on top, and the help overlay and footer
//! hints are generated from the result. The file format and the rules are
//! documented at the top of `keymaps/default.toml`.

use std::path::Path;

use toml::de::{DeTable, DeValue};

use crate::i18n::{Lang, Localized};
use crate::tui::action::{Action, Context};
use crate::tui::key::{Key, KeyError, KeySeq};

/// The shipped default bindings.
pub const DEFAULT_TOML: &str = include_str!("../../../../keymaps/default.toml");
/// The vim preset, layered on the defaults.
pub const VIM_TOML: &str = include_str!("../../../../keymaps/vim.toml");

/// The action name that removes a binding in a layered file.
pub const UNBIND: &str = "none";

/// The names `--keymap` accepts besides a path.
pub const PRESETS: [&str; 2] = ["default", "vim"];

#[derive(Clone, Debug, PartialEq, Eq)]
struct Binding {
    seq: KeySeq,
    action: Action,
}

/// The live bindings: per context, in file order (later layers replace in
/// place or append).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keymap {
    contexts: [Vec<Binding>; Context::ALL.len()],
}

/// What a key press means, given the keys typed before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    Action(Action),
    /// The keys so far start a sequence: keep them and wait for the next key.
    Pending,
    /// Nothing bound: drop the pending keys (a text field may type the key).
    Unbound,
}

/// The largest keymap file read: the full default keymap is about 5 KiB.
pub const KEYMAP_FILE_LIMIT: u64 = 1024 * 1024;

/// A keymap file that cannot be used. Each names the file and the 1-based line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    #[error("{file}: cannot read the keymap file: {error}")]
    Read {
        file: String,
        error: crate::user_file::UserFileError,
    },
    #[error("{file}:{line}: TOML syntax error: {detail}")]
    Syntax {
        file: String,
        line: usize,
        detail: String,
    },
    #[error(
        "{file}:{line}: unknown context [{name}]; use [global], [list], [form], [input], [confirm] or a screen's: {}",
        screen_contexts(", ")
    )]
    UnknownContext {
        file: String,
        line: usize,
        name: String,
    },
    #[error(
        "{file}:{line}: \"{name}\" must be a context table like [list] holding \"key\" = \"action\" lines"
    )]
    NotATable {
        file: String,
        line: usize,
        name: String,
    },
    #[error("{file}:{line}: bad key \"{key}\": {error}")]
    BadKey {
        file: String,
        line: usize,
        key: String,
        error: KeyError,
    },
    #[error(
        "{file}:{line}: the action for \"{key}\" must be a quoted name like \"quit\", or \"none\" to unbind"
    )]
    NotAString {
        file: String,
        line: usize,
        key: String,
    },
    #[error("{file}:{line}: unknown action \"{name}\"{}", did_you_mean(*suggestion, Lang::En))]
    UnknownAction {
        file: String,
        line: usize,
        name: String,
        suggestion: Option<&'static str>,
    },
    #[error(
        "{file}:{line}: action \"{}\" belongs to [{}] and cannot be bound in [{}]; an action may be bound in its own context, global actions anywhere, and the actions of [list] and of a screen in [list] or any screen's context",
        action.name(), action.context().code(), context.code()
    )]
    WrongContext {
        file: String,
        line: usize,
        action: Action,
        context: Context,
    },
    #[error(
        "{}:{}: \"{}\" conflicts with \"{}\" on line {} in [{}]: one is the start of the other",
        .0.file, .0.line, .0.key, .0.other, .0.other_line, .0.context.code()
    )]
    PrefixConflict(Clash),
    #[error(
        "{}:{}: \"{}\" is the same key as \"{}\" on line {} in [{}]",
        .0.file, .0.line, .0.key, .0.other, .0.other_line, .0.context.code()
    )]
    SameKey(Clash),
}

/// Two lines of a keymap binding keys that cannot both stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub file: String,
    pub line: usize,
    pub context: Context,
    pub key: String,
    pub other: String,
    pub other_line: usize,
}

fn did_you_mean(suggestion: Option<&str>, lang: Lang) -> String {
    match (suggestion, lang) {
        (Some(s), Lang::En) => format!("; did you mean \"{s}\"?"),
        (Some(s), Lang::Zh) => format!("；是否想写 \"{s}\"？"),
        (None, _) => String::new(),
    }
}

impl KeymapError {
    /// The file as named in the message: a path, or `default.toml`/`vim.toml`.
    pub fn file(&self) -> &str {
        self.place().0
    }

    /// The 1-based line, if the problem is on one.
    pub fn line(&self) -> Option<usize> {
        self.place().1
    }

    fn place(&self) -> (&str, Option<usize>) {
        match self {
            KeymapError::Read { file, .. } => (file, None),
            KeymapError::Syntax { file, line, .. }
            | KeymapError::UnknownContext { file, line, .. }
            | KeymapError::NotATable { file, line, .. }
            | KeymapError::BadKey { file, line, .. }
            | KeymapError::NotAString { file, line, .. }
            | KeymapError::UnknownAction { file, line, .. }
            | KeymapError::WrongContext { file, line, .. } => (file, Some(*line)),
            KeymapError::PrefixConflict(c) | KeymapError::SameKey(c) => (&c.file, Some(c.line)),
        }
    }
}

/// Every screen's context as a keymap file names it, `[overview]` first:
/// the message for an unknown context lists what exists.
fn screen_contexts(separator: &str) -> String {
    Context::ALL
        .into_iter()
        .filter(|c| c.is_screen())
        .map(|c| format!("[{}]", c.code()))
        .collect::<Vec<_>>()
        .join(separator)
}

impl Localized for KeymapError {
    fn localized(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        let problem = match self {
            KeymapError::Read { file, error } => {
                return format!("无法读取按键配置文件 {file}：{}", error.localized(lang));
            }
            KeymapError::Syntax { detail, .. } => format!("TOML 语法错误：{detail}"),
            KeymapError::UnknownContext { name, .. } => format!(
                "未知的上下文 [{name}]；可用的有 [global]、[list]、[form]、[input]、[confirm] 及各界面的 {}",
                screen_contexts("、")
            ),
            KeymapError::NotATable { name, .. } => {
                format!("\"{name}\" 应是 [list] 这样的上下文表，表中每行为 \"按键\" = \"操作\"")
            }
            KeymapError::BadKey { key, error, .. } => {
                format!("按键 \"{key}\" 有误：{}", error.localized(lang))
            }
            KeymapError::NotAString { key, .. } => {
                format!("\"{key}\" 对应的操作应是带引号的名称，如 \"quit\"；取消绑定请写 \"none\"")
            }
            KeymapError::UnknownAction {
                name, suggestion, ..
            } => format!("未知操作 \"{name}\"{}", did_you_mean(*suggestion, lang)),
            KeymapError::WrongContext {
                action, context, ..
            } => format!(
                "操作 \"{}\" 属于 [{}]，不能绑定在 [{}] 中；操作只能绑定在自己的上下文中，全局操作可绑定在任何上下文，[list] 和各界面的操作可绑定在 [list] 或任一界面的上下文",
                action.name(),
                action.context().code(),
                context.code()
            ),
            KeymapError::PrefixConflict(c) | KeymapError::SameKey(c) => {
                let clash = match self {
                    KeymapError::SameKey(_) => "是同一个按键",
                    _ => "冲突：一个是另一个的开头",
                };
                let (context, key, other) = (c.context.code(), &c.key, &c.other);
                format!(
                    "[{context}] 中的 \"{key}\" 与第 {} 行的 \"{other}\" {clash}",
                    c.other_line
                )
            }
        };
        let line = self.line().unwrap_or(1);
        format!("{} 第 {line} 行：{problem}", self.file())
    }
}

/// One checked line of a keymap file.
struct Entry {
    context: Context,
    line: usize,
    written: String,
    seq: KeySeq,
    /// `None` unbinds.
    action: Option<Action>,
}

fn context_index(ctx: Context) -> usize {
    Context::ALL.iter().position(|c| *c == ctx).unwrap_or(0)
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Levenshtein distance, for "did you mean".
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

fn suggest(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    Action::ALL
        .iter()
        .map(|a| a.name())
        .chain([UNBIND])
        .map(|n| (distance(&lower, n), n))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// Parses and checks one file; nothing is applied unless all of it is valid.
fn parse_file(file: &str, text: &str) -> Result<Vec<Entry>, KeymapError> {
    let doc = DeTable::parse(text).map_err(|e| KeymapError::Syntax {
        file: file.to_string(),
        line: e.span().map_or(1, |s| line_of(text, s.start)),
        detail: e.message().trim().replace('\n', " "),
    })?;
    let mut tables: Vec<_> = doc.get_ref().iter().collect();
    tables.sort_by_key(|(k, _)| k.span().start);
    let mut entries: Vec<Entry> = Vec::new();
    for (ctx_name, table) in tables {
        let line = line_of(text, ctx_name.span().start);
        let name: &str = ctx_name.get_ref();
        let DeValue::Table(table) = table.get_ref() else {
            return Err(KeymapError::NotATable {
                file: file.to_string(),
                line,
                name: name.to_string(),
            });
        };
        let Some(context) = Context::ALL.into_iter().find(|c| c.code() == name) else {
            return Err(KeymapError::UnknownContext {
                file: file.to_string(),
                line,
                name: name.to_string(),
            });
        };
        let mut lines: Vec<_> = table.iter().collect();
        lines.sort_by_key(|(k, _)| k.span().start);
        let first = entries.len();
        for (key, value) in lines {
            let line = line_of(text, key.span().start);
            let written: &str = key.get_ref();
            let seq = KeySeq::parse(written).map_err(|error| KeymapError::BadKey {
                file: file.to_string(),
                line,
                key: written.to_string(),
                error,
            })?;
            let DeValue::String(action_name) = value.get_ref() else {
                return Err(KeymapError::NotAString {
                    file: file.to_string(),
                    line,
                    key: written.to_string(),
                });
            };
            let action = if action_name.as_ref() == UNBIND {
                None
            } else {
                let action =
                    Action::from_name(action_name).ok_or_else(|| KeymapError::UnknownAction {
                        file: file.to_string(),
                        line,
                        name: action_name.to_string(),
                        suggestion: suggest(action_name),
                    })?;
                if !action.context().binds_in(context) {
                    return Err(KeymapError::WrongContext {
                        file: file.to_string(),
                        line,
                        action,
                        context,
                    });
                }
                Some(action)
            };
            for earlier in &entries[first..] {
                let clash = || Clash {
                    file: file.to_string(),
                    line,
                    context,
                    key: written.to_string(),
                    other: earlier.written.clone(),
                    other_line: earlier.line,
                };
                if earlier.seq == seq {
                    return Err(KeymapError::SameKey(clash()));
                }
                let both_bind = earlier.action.is_some() && action.is_some();
                if both_bind && (earlier.seq.is_prefix_of(&seq) || seq.is_prefix_of(&earlier.seq)) {
                    return Err(KeymapError::PrefixConflict(clash()));
                }
            }
            entries.push(Entry {
                context,
                line,
                written: written.to_string(),
                seq,
                action,
            });
        }
    }
    Ok(entries)
}

impl Default for Keymap {
    /// The shipped defaults, like [`Keymap::default_keymap`].
    fn default() -> Keymap {
        Keymap::default_keymap()
    }
}

impl Keymap {
    /// No bindings at all.
    pub fn empty() -> Keymap {
        Keymap {
            contexts: Default::default(),
        }
    }

    /// The shipped default.toml (embedded), then an optional user file on top.
    pub fn load(user: Option<&Path>) -> Result<Keymap, KeymapError> {
        let mut map = Keymap::empty();
        map.apply("default.toml", DEFAULT_TOML)?;
        if let Some(path) = user {
            map.apply_file(path)?;
        }
        Ok(map)
    }

    /// `default` or `vim` (default + vim.toml) selects an embedded preset;
    /// anything else is the path of a file layered on the defaults.
    /// This is what `--keymap` takes.
    pub fn load_named(name_or_path: &str) -> Result<Keymap, KeymapError> {
        match name_or_path {
            "default" => Keymap::load(None),
            "vim" => {
                let mut map = Keymap::load(None)?;
                map.apply("vim.toml", VIM_TOML)?;
                Ok(map)
            }
            path => Keymap::load(Some(Path::new(path))),
        }
    }

    /// The shipped defaults. A test proves default.toml is valid; should it
    /// not be, this is an empty keymap rather than a panic.
    pub fn default_keymap() -> Keymap {
        Keymap::load(None).unwrap_or_else(|_| Keymap::empty())
    }

    /// Reads a file and layers it on top (see [`Keymap::apply`]).
    pub fn apply_file(&mut self, path: &Path) -> Result<(), KeymapError> {
        let file = path.display().to_string();
        // Bounded, regular files only: `--keymap /dev/zero` must not eat memory.
        let text = crate::user_file::read_text(path, KEYMAP_FILE_LIMIT).map_err(|error| {
            KeymapError::Read {
                file: file.clone(),
                error,
            }
        })?;
        self.apply(&file, &text)
    }

    /// Layers keymap `text` on top of the current bindings; `file` names it in
    /// errors. A key of `text` replaces the binding of the same key in the same
    /// context (keeping its place), drops earlier bindings that conflict with
    /// it as a prefix, or with `"none"` just removes it. On error nothing
    /// changes.
    pub fn apply(&mut self, file: &str, text: &str) -> Result<(), KeymapError> {
        let entries = parse_file(file, text)?;
        // A [list] line speaks for every table, as it did before screens
        // had contexts of their own: it replaces the same key (and the
        // sequences it starts or ends) in the screens' contexts of the
        // layers below, so that a user's file written for [list] alone
        // means what it meant.
        for entry in entries.iter().filter(|e| e.context == Context::List) {
            for ctx in Context::ALL.into_iter().filter(|c| c.is_screen()) {
                self.contexts[context_index(ctx)].retain(|b| {
                    b.seq != entry.seq
                        && !b.seq.is_prefix_of(&entry.seq)
                        && !entry.seq.is_prefix_of(&b.seq)
                });
            }
        }
        for entry in entries {
            let list = &mut self.contexts[context_index(entry.context)];
            let place = list.iter().position(|b| b.seq == entry.seq);
            if let Some(i) = place {
                list.remove(i);
            }
            let Some(action) = entry.action else {
                continue;
            };
            let mut insert_at = place.unwrap_or(list.len());
            let mut i = 0;
            while i < list.len() {
                let b = &list[i];
                if b.seq.is_prefix_of(&entry.seq) || entry.seq.is_prefix_of(&b.seq) {
                    list.remove(i);
                    if i < insert_at {
                        insert_at -= 1;
                    }
                } else {
                    i += 1;
                }
            }
            list.insert(
                insert_at,
                Binding {
                    seq: entry.seq,
                    action,
                },
            );
        }
        Ok(())
    }

    /// Looks `pending` (keys typed so far in a sequence) + `key` up in `ctx`,
    /// then in the contexts it falls back to: a screen's context, then
    /// [list], then Global ([`Context::chain`]). A match or a started
    /// sequence in a context wins over those after it. A key bound in none
    /// is unbound: no screen sees it. In typing contexts
    /// ([`Context::is_typing`]), Global bindings whose first key is a plain
    /// character are skipped, so `q` types a q in a form.
    pub fn resolve(&self, ctx: Context, pending: &[Key], key: Key) -> Resolution {
        let mut seq = Vec::with_capacity(pending.len() + 1);
        seq.extend_from_slice(pending);
        seq.push(key);
        ctx.chain()
            .find_map(|c| {
                let skip = c == Context::Global && ctx.is_typing();
                self.lookup(c, &seq, skip)
            })
            .unwrap_or(Resolution::Unbound)
    }

    fn lookup(&self, ctx: Context, seq: &[Key], skip_printable: bool) -> Option<Resolution> {
        let mut pending = false;
        for b in &self.contexts[context_index(ctx)] {
            let keys = b.seq.keys();
            if skip_printable && keys.first().is_some_and(|k| k.is_printable()) {
                continue;
            }
            if keys == seq {
                return Some(Resolution::Action(b.action));
            }
            if keys.len() > seq.len() && keys.starts_with(seq) {
                pending = true;
            }
        }
        pending.then_some(Resolution::Pending)
    }

    /// The bindings of one context (not including Global's), in file order,
    /// grouped by action: for the help overlay.
    pub fn bindings(&self, ctx: Context) -> Vec<(Action, Vec<KeySeq>)> {
        let mut out: Vec<(Action, Vec<KeySeq>)> = Vec::new();
        for b in &self.contexts[context_index(ctx)] {
            match out.iter_mut().find(|(a, _)| *a == b.action) {
                Some((_, seqs)) => seqs.push(b.seq.clone()),
                None => out.push((b.action, vec![b.seq.clone()])),
            }
        }
        out
    }

    /// Every key sequence bound to `action`: first those in its own context,
    /// then those in other contexts (a global action bound in [list], say).
    pub fn keys_for(&self, action: Action) -> Vec<KeySeq> {
        let home = context_index(action.context());
        let own = self.contexts[home].iter();
        let others = self
            .contexts
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != home)
            .flat_map(|(_, list)| list.iter());
        own.chain(others)
            .filter(|b| b.action == action)
            .map(|b| b.seq.clone())
            .collect()
    }

    /// The first key sequence bound to `action` in its own context (else in
    /// any context), for footer hints.
    pub fn key_for(&self, action: Action) -> Option<KeySeq> {
        self.keys_for(action).into_iter().next()
    }

    /// Actions with no key at all.
    pub fn unbound_actions(&self) -> Vec<Action> {
        Action::ALL
            .iter()
            .copied()
            .filter(|a| self.key_for(*a).is_none())
            .collect()
    }
}

#[cfg(test)]
mod tests;
