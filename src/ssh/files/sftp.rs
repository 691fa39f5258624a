//! The SFTP subsystem (protocol 3, as OpenSSH's `sftp` and `scp` speak it)
//! over the virtual tree of [`super::tree`]: listing, `stat` and download
//! everywhere, upload (and removing one's own upload) in `imports/` only.
//! Writing, renaming or removing anything else is SFTP's permission error;
//! a path outside the tree, or one the role may not see, is "no such file".

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use russh_sftp::protocol::{
    Attrs, Data, File, FileAttributes, Handle, Name, OpenFlags, Status, StatusCode, Version,
};
use russh_sftp::server::StatusReply;

use super::content;
use super::tree::{self, Item, Node};
use super::uploads::{Refused, Upload, Uploads};
use crate::domain::Actor;
use crate::i18n::Lang;
use crate::ssh::Hub;

/// One user's SFTP session.
pub struct Sftp {
    hub: Arc<Hub>,
    actor: Actor,
    lang: Lang,
    uploads: Uploads,
    open: HashMap<String, Opened>,
    next: u64,
    /// The registry's user generation when `actor` was last checked.
    users_seen: u64,
    /// The user was removed or their key revoked: every request is refused.
    ended: bool,
}

/// What a handle stands for.
enum Opened {
    /// A file made (an export) or read (an upload) when it was opened.
    Reading(Arc<Vec<u8>>),
    Writing(Upload),
    /// A directory's entries, sent in one answer.
    Listing(Option<Vec<File>>),
}

type Answer<T> = Result<T, StatusReply>;

impl Sftp {
    pub fn new(hub: Arc<Hub>, actor: Actor, lang: Lang) -> Sftp {
        let uploads = Uploads::of(&hub.db, &actor.login);
        let users_seen = hub.registry.user_generation();
        Sftp {
            hub,
            actor,
            lang,
            uploads,
            open: HashMap::new(),
            next: 0,
            users_seen,
            ended: false,
        }
    }

    /// The session follows its user record: after any change to a user, the
    /// one acting is looked up again; removed or without this key, nothing
    /// more is served (open handles included); another role, another tree.
    fn follow(&mut self) -> Answer<()> {
        let now = self.hub.registry.user_generation();
        if now != self.users_seen {
            self.users_seen = now;
            match self
                .actor
                .key
                .as_deref()
                .and_then(|fp| self.hub.actor_for(fp))
            {
                Some(actor) => self.actor = actor,
                None => {
                    tracing::info!(login = %self.actor.login, "sftp session ended: user removed or key revoked");
                    self.ended = true;
                    self.open.clear();
                }
            }
        }
        if self.ended {
            return Err(self.say(
                StatusCode::PermissionDenied,
                "您的账号已被停用或公钥已被移除",
                "your account was removed or your key revoked",
            ));
        }
        Ok(())
    }

    fn say(&self, code: StatusCode, zh: &str, en: &str) -> StatusReply {
        code.with_message(self.lang.pick(zh, en))
            .with_language_tag(self.lang.pick("zh-CN", "en"))
    }

    fn not_there(&self) -> StatusReply {
        self.say(StatusCode::NoSuchFile, "没有这个文件", "no such file")
    }

    fn read_only(&self) -> StatusReply {
        self.say(
            StatusCode::PermissionDenied,
            "只读：只能向 imports/ 上传名单",
            "read-only: lists are uploaded to imports/ only",
        )
    }

    fn refused(&self, r: Refused) -> StatusReply {
        match r {
            Refused::Name => self.say(
                StatusCode::PermissionDenied,
                "只能上传 .xlsx 或 .csv 名单，文件名不能以点开头",
                "only .xlsx or .csv lists can be uploaded, under a name not starting with a dot",
            ),
            Refused::TooLarge => self.say(
                StatusCode::Failure,
                "文件超过 20 MiB，未保存",
                "the file is over 20 MiB and was not kept",
            ),
            Refused::Quota => self.say(
                StatusCode::Failure,
                "上传空间已满（每人 100 MiB）；请先删除不用的文件",
                "the upload space is full (100 MiB a user); remove files no longer needed",
            ),
            Refused::Io(e) => {
                tracing::warn!(login = %self.actor.login, error = %e, "upload failed");
                self.say(
                    StatusCode::Failure,
                    "服务器无法保存文件",
                    "the server cannot keep the file",
                )
            }
        }
    }

    fn handle(&mut self, opened: Opened) -> String {
        self.next += 1;
        let handle = self.next.to_string();
        self.open.insert(handle.clone(), opened);
        handle
    }

    /// Runs `f` on the registry off the async threads.
    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&crate::registry::Registry, &Actor, Lang) -> T + Send + 'static,
    ) -> Answer<T> {
        let (hub, actor, lang) = (self.hub.clone(), self.actor.clone(), self.lang);
        tokio::task::spawn_blocking(move || f(&hub.registry, &actor, lang))
            .await
            .map_err(|_| self.say(StatusCode::Failure, "内部错误", "internal error"))
    }

    /// The bytes of a file node, made now.
    async fn contents(&self, node: &Node) -> Answer<Arc<Vec<u8>>> {
        let made = match node {
            Node::Template => self.blocking(|_, _, lang| content::template(lang)).await?,
            Node::Export(folder, name) => {
                let (folder, name) = (*folder, name.clone());
                let made = self
                    .blocking(move |registry, actor, lang| {
                        content::item(registry, actor, folder, &name)
                            .map(|item| content::make(registry, actor, lang, folder, item))
                    })
                    .await?;
                made.ok_or_else(|| self.not_there())?
            }
            Node::Upload(name) => {
                return self
                    .uploads
                    .read(name)
                    .map(Arc::new)
                    .map_err(|_| self.not_there());
            }
            _ => return Err(self.not_there()),
        };
        made.map(Arc::new)
            .map_err(|message| StatusCode::Failure.with_message(message))
    }

    /// The node at `path`, if it is there for this user.
    async fn node(&self, path: &str) -> Answer<Node> {
        let node = tree::resolve(&self.actor, path).ok_or_else(|| self.not_there())?;
        let there = match &node {
            Node::Export(folder, name) => {
                let (folder, name) = (*folder, name.clone());
                self.blocking(move |registry, actor, _| {
                    content::item(registry, actor, folder, &name).is_some()
                })
                .await?
            }
            Node::Upload(name) => self.uploads.get(name).is_some(),
            _ => true,
        };
        if there {
            Ok(node)
        } else {
            Err(self.not_there())
        }
    }

    /// A node's attributes (a file's size is that of its contents now).
    async fn attrs(&self, node: &Node) -> Answer<FileAttributes> {
        Ok(match node {
            n if n.is_dir() => dir_attrs(matches!(n, Node::Imports)),
            Node::Upload(name) => {
                let u = self.uploads.get(name).ok_or_else(|| self.not_there())?;
                file_attrs(u.size, u.modified, true)
            }
            n => {
                let bytes = self.contents(n).await?;
                file_attrs(bytes.len() as u64, SystemTime::now(), false)
            }
        })
    }

    /// The entries of directory `node`.
    async fn entries(&self, node: &Node) -> Answer<Vec<File>> {
        let dir = |name: &str, imports: bool| File::new(name, dir_attrs(imports));
        Ok(match node {
            Node::Root => vec![dir("exports", false), dir("imports", true)],
            Node::Exports => {
                let mut list: Vec<File> = tree::folders(&self.actor.role)
                    .into_iter()
                    .map(|f| dir(f.name(), false))
                    .collect();
                let template = self.attrs(&Node::Template).await?;
                list.push(File::new(tree::TEMPLATE, template));
                list
            }
            Node::Folder(folder) => {
                let folder = *folder;
                // Each file is made to say its size: one moment for all.
                let made = self
                    .blocking(move |registry, actor, lang| {
                        let years = content::years(registry, actor, folder);
                        Item::all(folder, &years)
                            .into_iter()
                            .map(|item| {
                                let size = content::make(registry, actor, lang, folder, item)
                                    .map_or(0, |b| b.len() as u64);
                                (item.name(), size)
                            })
                            .collect::<Vec<_>>()
                    })
                    .await?;
                let now = SystemTime::now();
                made.into_iter()
                    .map(|(name, size)| File::new(name, file_attrs(size, now, false)))
                    .collect()
            }
            Node::Imports => self
                .uploads
                .list()
                .into_iter()
                .map(|u| File::new(u.name, file_attrs(u.size, u.modified, true)))
                .collect(),
            _ => return Err(self.not_there()),
        })
    }
}

fn seconds(t: SystemTime) -> u32 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| u32::try_from(d.as_secs()).unwrap_or(u32::MAX))
}

fn dir_attrs(writable: bool) -> FileAttributes {
    let now = seconds(SystemTime::now());
    FileAttributes {
        permissions: Some(if writable { 0o40700 } else { 0o40500 }),
        mtime: Some(now),
        atime: Some(now),
        ..FileAttributes::default()
    }
}

fn file_attrs(size: u64, modified: SystemTime, upload: bool) -> FileAttributes {
    let t = seconds(modified);
    FileAttributes {
        size: Some(size),
        permissions: Some(if upload { 0o100600 } else { 0o100400 }),
        mtime: Some(t),
        atime: Some(t),
        ..FileAttributes::default()
    }
}

fn ok(id: u32) -> Status {
    Status {
        id,
        status_code: StatusCode::Ok,
        error_message: "Ok".into(),
        language_tag: "en".into(),
    }
}

impl russh_sftp::server::Handler for Sftp {
    type Error = StatusReply;

    fn unimplemented(&self) -> Self::Error {
        self.say(
            StatusCode::OpUnsupported,
            "不支持此操作",
            "this operation is not supported",
        )
    }

    async fn init(
        &mut self,
        _version: u32,
        _extensions: HashMap<String, String>,
    ) -> Result<Version, Self::Error> {
        tracing::info!(login = %self.actor.login, "sftp session");
        Ok(Version::new())
    }

    async fn realpath(&mut self, id: u32, path: String) -> Result<Name, Self::Error> {
        Ok(Name {
            id,
            files: vec![File::dummy(tree::canonical(&path))],
        })
    }

    async fn stat(&mut self, id: u32, path: String) -> Result<Attrs, Self::Error> {
        self.follow()?;
        let node = self.node(&path).await?;
        let attrs = self.attrs(&node).await?;
        Ok(Attrs { id, attrs })
    }

    async fn lstat(&mut self, id: u32, path: String) -> Result<Attrs, Self::Error> {
        // Nothing in the tree is a link.
        self.stat(id, path).await
    }

    async fn fstat(&mut self, id: u32, handle: String) -> Result<Attrs, Self::Error> {
        self.follow()?;
        let attrs = match self.open.get(&handle) {
            Some(Opened::Reading(bytes)) => {
                file_attrs(bytes.len() as u64, SystemTime::now(), false)
            }
            Some(Opened::Writing(_)) => file_attrs(0, SystemTime::now(), true),
            Some(Opened::Listing(_)) => dir_attrs(false),
            None => return Err(self.not_there()),
        };
        Ok(Attrs { id, attrs })
    }

    async fn opendir(&mut self, id: u32, path: String) -> Result<Handle, Self::Error> {
        self.follow()?;
        let node = self.node(&path).await?;
        if !node.is_dir() {
            return Err(self.not_there());
        }
        let entries = self.entries(&node).await?;
        Ok(Handle {
            id,
            handle: self.handle(Opened::Listing(Some(entries))),
        })
    }

    async fn readdir(&mut self, id: u32, handle: String) -> Result<Name, Self::Error> {
        self.follow()?;
        match self.open.get_mut(&handle) {
            Some(Opened::Listing(entries)) => match entries.take() {
                Some(files) => Ok(Name { id, files }),
                None => Err(StatusCode::Eof.into()),
            },
            _ => Err(self.not_there()),
        }
    }

    async fn open(
        &mut self,
        id: u32,
        filename: String,
        pflags: OpenFlags,
        _attrs: FileAttributes,
    ) -> Result<Handle, Self::Error> {
        self.follow()?;
        let writing = pflags.intersects(
            OpenFlags::WRITE | OpenFlags::APPEND | OpenFlags::CREATE | OpenFlags::TRUNCATE,
        );
        let opened = if writing {
            match tree::resolve(&self.actor, &filename) {
                Some(Node::Upload(name)) => {
                    Opened::Writing(self.uploads.begin(&name).map_err(|r| self.refused(r))?)
                }
                Some(_) => return Err(self.read_only()),
                None => return Err(self.refusal(&filename)),
            }
        } else {
            let node = self.node(&filename).await?;
            if node.is_dir() {
                return Err(self.say(StatusCode::Failure, "这是文件夹", "this is a folder"));
            }
            Opened::Reading(self.contents(&node).await?)
        };
        Ok(Handle {
            id,
            handle: self.handle(opened),
        })
    }

    async fn read(
        &mut self,
        id: u32,
        handle: String,
        offset: u64,
        len: u32,
    ) -> Result<Data, Self::Error> {
        self.follow()?;
        let Some(Opened::Reading(bytes)) = self.open.get(&handle) else {
            return Err(self.not_there());
        };
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        if start >= bytes.len() {
            return Err(StatusCode::Eof.into());
        }
        let end = start.saturating_add(len as usize).min(bytes.len());
        Ok(Data {
            id,
            data: bytes[start..end].to_vec(),
        })
    }

    async fn write(
        &mut self,
        id: u32,
        handle: String,
        offset: u64,
        data: Vec<u8>,
    ) -> Result<Status, Self::Error> {
        self.follow()?;
        let written = match self.open.get_mut(&handle) {
            Some(Opened::Writing(upload)) => upload.write_at(offset, &data),
            Some(_) => return Err(self.read_only()),
            None => return Err(self.not_there()),
        };
        written.map(|()| ok(id)).map_err(|r| self.refused(r))
    }

    async fn close(&mut self, id: u32, handle: String) -> Result<Status, Self::Error> {
        self.follow()?;
        match self.open.remove(&handle) {
            Some(Opened::Writing(upload)) => {
                upload.finish().map_err(|r| self.refused(r))?;
                tracing::info!(login = %self.actor.login, "upload kept");
                Ok(ok(id))
            }
            Some(_) => Ok(ok(id)),
            None => Err(self.not_there()),
        }
    }

    async fn remove(&mut self, id: u32, filename: String) -> Result<Status, Self::Error> {
        self.follow()?;
        match self.node(&filename).await? {
            Node::Upload(name) => self
                .uploads
                .remove(&name)
                .map(|()| ok(id))
                .map_err(|_| self.not_there()),
            _ => Err(self.read_only()),
        }
    }

    async fn setstat(
        &mut self,
        id: u32,
        path: String,
        _attrs: FileAttributes,
    ) -> Result<Status, Self::Error> {
        // Times and modes a client sends after an upload are not kept.
        match self.node(&path).await? {
            Node::Upload(_) => Ok(ok(id)),
            _ => Err(self.read_only()),
        }
    }

    async fn fsetstat(
        &mut self,
        id: u32,
        handle: String,
        _attrs: FileAttributes,
    ) -> Result<Status, Self::Error> {
        match self.open.get(&handle) {
            Some(Opened::Writing(_)) => Ok(ok(id)),
            Some(_) => Err(self.read_only()),
            None => Err(self.not_there()),
        }
    }

    async fn mkdir(
        &mut self,
        _id: u32,
        path: String,
        _attrs: FileAttributes,
    ) -> Result<Status, Self::Error> {
        self.refuse_change(&path).await
    }

    async fn rmdir(&mut self, _id: u32, path: String) -> Result<Status, Self::Error> {
        self.refuse_change(&path).await
    }

    async fn rename(
        &mut self,
        _id: u32,
        oldpath: String,
        _newpath: String,
    ) -> Result<Status, Self::Error> {
        self.refuse_change(&oldpath).await
    }

    async fn symlink(
        &mut self,
        _id: u32,
        linkpath: String,
        _targetpath: String,
    ) -> Result<Status, Self::Error> {
        self.refuse_change(&linkpath).await
    }

    async fn readlink(&mut self, _id: u32, path: String) -> Result<Name, Self::Error> {
        // Nothing in the tree is a link.
        self.node(&path).await?;
        Err(self.say(StatusCode::Failure, "不是链接", "not a link"))
    }
}

impl Sftp {
    /// A change of the tree's shape: refused where the path is in the
    /// tree; elsewhere, not there.
    /// A new name in a folder of the tree (`exports/x.csv`) is refused the
    /// same way: the folder is there.
    async fn refuse_change(&self, path: &str) -> Answer<Status> {
        Err(self.refusal(path))
    }

    /// Permission denied where `path` or its folder is in the tree; else
    /// no such file.
    fn refusal(&self, path: &str) -> StatusReply {
        let canonical = tree::canonical(path);
        let parent = canonical.rsplit_once('/').map_or("/", |(p, _)| p);
        let parent_is_dir = tree::resolve(&self.actor, parent).is_some_and(|n| n.is_dir());
        if parent_is_dir || tree::resolve(&self.actor, path).is_some() {
            self.read_only()
        } else {
            self.not_there()
        }
    }
}

impl Drop for Sftp {
    fn drop(&mut self) {
        // An upload never closed (the client went away) leaves nothing.
        for (_, opened) in self.open.drain() {
            if let Opened::Writing(upload) = opened {
                upload.abandon();
            }
        }
    }
}
