//! The dashboard's view of an SSH user's files (`tui::files::RemoteFiles`):
//! their uploads, and the `scp` lines with the host and port this server
//! listens on.

use std::net::SocketAddr;

use super::uploads::Uploads;
use crate::i18n::Lang;
use crate::tui::files::RemoteFiles;

pub struct SessionFiles {
    uploads: Uploads,
    login: String,
    /// `host` as scp takes it (an IPv6 address in brackets).
    host: String,
    port: u16,
    /// The server's backups, whose failure admins are shown.
    backups: Option<std::sync::Arc<crate::ssh::backups::Backups>>,
}

impl SessionFiles {
    pub fn new(db: &std::path::Path, login: &str, listen: SocketAddr) -> SessionFiles {
        SessionFiles {
            uploads: Uploads::of(db, login),
            login: login.to_string(),
            host: host_of(listen),
            port: listen.port(),
            backups: None,
        }
    }

    /// With the server's backups, to say when one failed.
    pub fn with_backups(
        mut self,
        backups: Option<std::sync::Arc<crate::ssh::backups::Backups>>,
    ) -> SessionFiles {
        self.backups = backups;
        self
    }

    fn remote(&self, path: &str) -> String {
        format!("{}@{}:{path}", self.login, self.host)
    }
}

/// The name users reach this server by: the address it listens on, or
/// this machine's name when it listens on every address.
fn host_of(listen: SocketAddr) -> String {
    let ip = listen.ip();
    if ip.is_unspecified() {
        return machine_name().unwrap_or_else(|| "HOST".into());
    }
    match ip {
        std::net::IpAddr::V6(v6) => format!("[{v6}]"),
        std::net::IpAddr::V4(v4) => v4.to_string(),
    }
}

fn machine_name() -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname writes at
    // most that many bytes.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return None;
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8(buf[..end].to_vec())
        .ok()
        .filter(|n| !n.is_empty())
}

impl RemoteFiles for SessionFiles {
    fn uploads(&self) -> Vec<String> {
        self.uploads.list().into_iter().map(|u| u.name).collect()
    }

    fn read_upload(&self, name: &str) -> std::io::Result<Vec<u8>> {
        self.uploads.read(name)
    }

    fn fetch_line(&self, path: &str) -> String {
        format!("scp -P {} {} .", self.port, self.remote(path))
    }

    fn upload_line(&self, lang: Lang) -> String {
        let file = lang.pick("名单.xlsx", "list.xlsx");
        let line = format!("scp -P {} {file} {}", self.port, self.remote("imports/"));
        match lang {
            Lang::Zh => format!("还没有上传的名单；请在自己的电脑上运行：{line}"),
            Lang::En => format!("no list uploaded yet; on your own computer run: {line}"),
        }
    }

    fn server_warning(&self, lang: Lang) -> Option<String> {
        self.backups.as_ref()?.failure(lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scp_line_names_the_user_host_and_port() {
        let dir = tempfile::tempdir().unwrap();
        let files = SessionFiles::new(
            &dir.path().join("db"),
            "li",
            "127.0.0.1:2222".parse().unwrap(),
        );
        assert_eq!(
            files.fetch_line("exports/math/announcement.xlsx"),
            "scp -P 2222 li@127.0.0.1:exports/math/announcement.xlsx ."
        );
        let v6 = SessionFiles::new(&dir.path().join("db"), "li", "[::1]:22".parse().unwrap());
        assert!(v6.fetch_line("x").contains("li@[::1]:x"));
        assert!(
            files
                .upload_line(Lang::En)
                .contains("li@127.0.0.1:imports/")
        );
    }
}
