//! While `qiangji serve` holds a database it says so in a file beside it:
//! its pid and the address it listens on. A local command that finds the
//! database locked reads it, to say who holds it and which ssh command does
//! the same.

use std::path::{Path, PathBuf};

use crate::i18n::Lang;

pub fn path(db: &Path) -> PathBuf {
    super::hostkey::beside(db, "serving")
}

/// Written when serving starts; removed when it stops (by `Drop`).
pub struct Holding(PathBuf);

impl Holding {
    pub fn take(db: &Path, listen: &std::net::SocketAddr) -> Holding {
        let file = path(db);
        if let Err(e) = std::fs::write(&file, format!("{} {listen}\n", std::process::id())) {
            tracing::warn!(error = %e, "cannot say who holds the database");
        }
        Holding(file)
    }
}

impl Drop for Holding {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The pid and address of the server holding `db`, if one is running.
pub fn holder(db: &Path) -> Option<(u32, String)> {
    let text = std::fs::read_to_string(path(db)).ok()?;
    let mut words = text.split_whitespace();
    let pid: u32 = words.next()?.parse().ok()?;
    let listen = words.next()?.to_string();
    Path::new(&format!("/proc/{pid}"))
        .exists()
        .then_some((pid, listen))
}

/// What to tell someone whose local command found the database held by a
/// server: who, and the ssh command that does the same.
pub fn message(db: &Path, lang: Lang) -> Option<String> {
    let (pid, listen) = holder(db)?;
    let (host, port) = listen.rsplit_once(':')?;
    // Whoever reads this is on the server's machine: a server listening on
    // every address is reached there as localhost.
    let host = match host {
        "0.0.0.0" | "[::]" => "localhost",
        h => h,
    };
    let ssh = format!("ssh -p {port} USER@{host}");
    Some(match lang {
        Lang::Zh => format!(
            "数据库 {} 由 qiangji serve（进程 {pid}，监听 {listen}）持有；请用 {ssh} 打开面板，或 {ssh} ledger（export、check 同理）",
            db.display()
        ),
        Lang::En => format!(
            "the database {} is held by qiangji serve (pid {pid}, listening on {listen}); open the dashboard with {ssh}, or run {ssh} ledger (export and check likewise)",
            db.display()
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_on_every_address_is_reached_as_localhost() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("db");
        for (listen, host) in [
            ("0.0.0.0:2222", "localhost"),
            ("[::]:2222", "localhost"),
            ("127.0.0.1:2300", "127.0.0.1"),
        ] {
            let _held = Holding::take(&db, &listen.parse().unwrap());
            let said = message(&db, Lang::En).unwrap();
            let port = listen.rsplit_once(':').unwrap().1;
            assert!(
                said.contains(&format!("ssh -p {port} USER@{host} ledger")),
                "{said}"
            );
        }
        assert!(message(&db, Lang::En).is_none());
    }
}
