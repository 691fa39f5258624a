//! `qiangji serve --print-unit`: a systemd unit that runs this very binary
//! as the server, with the database, listen address and backups asked for.
//! The service runs as a dedicated account, keeps its files in its
//! `StateDirectory` (`/var/lib/qiangji`), restarts on failure, and sees the
//! rest of the system read-only: it may write only its database (and the
//! host key, uploads and marker beside it) and its backups.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::i18n::Lang;

/// The directory systemd makes for the service (`StateDirectory=`), under
/// `/var/lib`, owned by the service's account.
pub const STATE: &str = "qiangji";

/// What the unit starts.
pub struct Spec {
    /// The binary: absolute.
    pub exe: PathBuf,
    /// The database directory given, or none for `/var/lib/qiangji/db`.
    pub db: Option<PathBuf>,
    pub listen: SocketAddr,
    pub host_key: Option<PathBuf>,
    pub idle: Duration,
    pub max_sessions: usize,
    pub backup: Option<Backups>,
    pub user: String,
    pub lang: Lang,
}

pub struct Backups {
    pub dir: PathBuf,
    pub every: Duration,
    pub keep: u32,
}

/// `path` from the current directory, as the operator meant it (the
/// service runs elsewhere).
pub fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The state directory's path.
pub fn state_dir() -> PathBuf {
    Path::new("/var/lib").join(STATE)
}

/// The unit's text, or why it cannot be written as asked.
pub fn unit(spec: &Spec, lang: Lang) -> Result<String, String> {
    if !valid_account(&spec.user) {
        return Err(match lang {
            Lang::Zh => format!(
                "--user {:?} 不是可用的系统账户名（小写字母、数字、_ 和 -，以字母或 _ 开头，最多 32 个字符）",
                spec.user
            ),
            Lang::En => format!(
                "--user {:?} is not a usable account name (lowercase letters, digits, _ and -, starting with a letter or _, at most 32 characters)",
                spec.user
            ),
        });
    }
    if spec.user == "root" {
        return Err(lang
            .pick(
                "服务不应以 root 运行；请用专门的账户，如 --user qiangji",
                "the service should not run as root; use an account of its own, e.g. --user qiangji",
            )
            .into());
    }
    let state = state_dir();
    let db = spec.db.clone().unwrap_or_else(|| state.join("db"));
    let mut paths = vec![("--db", &db)];
    if let Some(k) = &spec.host_key {
        paths.push(("--host-key", k));
    }
    if let Some(b) = &spec.backup {
        paths.push(("--backup-dir", &b.dir));
    }
    for (option, path) in &paths {
        check_path(option, path, lang)?;
    }

    let mut exec = vec![
        spec.exe.display().to_string(),
        "serve".into(),
        "--db".into(),
        db.display().to_string(),
        "--listen".into(),
        spec.listen.to_string(),
    ];
    if let Some(k) = &spec.host_key {
        exec.extend(["--host-key".into(), k.display().to_string()]);
    }
    if spec.idle != Duration::from_secs(30 * 60) {
        exec.extend(["--idle".into(), format!("{}s", spec.idle.as_secs())]);
    }
    if spec.max_sessions != 64 {
        exec.extend(["--max-sessions".into(), spec.max_sessions.to_string()]);
    }
    if let Some(b) = &spec.backup {
        exec.extend([
            "--backup-dir".into(),
            b.dir.display().to_string(),
            "--backup-every".into(),
            format!("{}s", b.every.as_secs()),
            "--backup-keep".into(),
            b.keep.to_string(),
        ]);
    }
    if spec.lang == Lang::En {
        exec.extend(["--lang".into(), "en".into()]);
    }
    let exec: Vec<String> = exec.iter().map(|w| word(w)).collect();

    // Every directory the service writes outside its state directory: the
    // one holding the database (host key, uploads and marker live beside
    // it), the host key's, the backups'.
    let mut writable: Vec<PathBuf> = Vec::new();
    let mut add = |dir: PathBuf| {
        if !dir.starts_with(&state) && !writable.contains(&dir) {
            writable.push(dir);
        }
    };
    add(parent(&db));
    if let Some(k) = &spec.host_key {
        add(parent(k));
    }
    if let Some(b) = &spec.backup {
        add(b.dir.clone());
    }

    let mut u = String::new();
    let _ = writeln!(
        u,
        "# Printed by `qiangji serve --print-unit`. Install it as\n\
         # /etc/systemd/system/qiangji.service, then: systemctl daemon-reload &&\n\
         # systemctl enable --now qiangji. Logs: journalctl -u qiangji."
    );
    let _ = writeln!(u, "[Unit]");
    let _ = writeln!(
        u,
        "Description=Qiangji: the Strong Foundation dashboard over SSH"
    );
    let _ = writeln!(u, "After=network-online.target");
    let _ = writeln!(u, "Wants=network-online.target");
    let _ = writeln!(u);
    let _ = writeln!(u, "[Service]");
    let _ = writeln!(u, "Type=exec");
    let _ = writeln!(u, "User={}", spec.user);
    let _ = writeln!(u, "Group={}", spec.user);
    let _ = writeln!(u, "ExecStart={}", exec.join(" "));
    let _ = writeln!(u, "StateDirectory={STATE}");
    let _ = writeln!(u, "StateDirectoryMode=0700");
    let _ = writeln!(u, "UMask=0077");
    let _ = writeln!(u, "Restart=on-failure");
    let _ = writeln!(u, "RestartSec=5s");
    let _ = writeln!(
        u,
        "# The sessions get a goodbye line and the database is flushed."
    );
    let _ = writeln!(u, "KillSignal=SIGTERM");
    let _ = writeln!(u, "TimeoutStopSec=30s");
    let _ = writeln!(u, "# Log level: RUST_LOG=debug, or warn,qiangji=debug");
    let _ = writeln!(u, "Environment=RUST_LOG=warn,qiangji=info");
    let _ = writeln!(
        u,
        "# Hardening: the rest of the system is read-only or hidden."
    );
    for line in [
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "PrivateDevices=yes",
        "ProtectKernelTunables=yes",
        "ProtectKernelModules=yes",
        "ProtectKernelLogs=yes",
        "ProtectControlGroups=yes",
        "ProtectClock=yes",
        "ProtectHostname=yes",
        "ProtectProc=invisible",
        "RestrictNamespaces=yes",
        "RestrictRealtime=yes",
        "RestrictSUIDSGID=yes",
        "LockPersonality=yes",
        "MemoryDenyWriteExecute=yes",
        "RemoveIPC=yes",
        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
        "SystemCallArchitectures=native",
        "SystemCallFilter=@system-service",
        "SystemCallFilter=~@privileged",
    ] {
        let _ = writeln!(u, "{line}");
    }
    if spec.listen.port() < 1024 {
        let _ = writeln!(u, "# A port below 1024 needs this one capability.");
        let _ = writeln!(u, "AmbientCapabilities=CAP_NET_BIND_SERVICE");
        let _ = writeln!(u, "CapabilityBoundingSet=CAP_NET_BIND_SERVICE");
    } else {
        let _ = writeln!(u, "CapabilityBoundingSet=");
    }
    if !writable.is_empty() {
        let dirs: Vec<String> = writable
            .iter()
            .map(|d| word(&d.display().to_string()))
            .collect();
        let _ = writeln!(
            u,
            "# Outside the state directory; each must exist, owned by {}.",
            spec.user
        );
        let _ = writeln!(u, "ReadWritePaths={}", dirs.join(" "));
    }
    let _ = writeln!(u);
    let _ = writeln!(u, "[Install]");
    let _ = writeln!(u, "WantedBy=multi-user.target");
    Ok(u)
}

/// Directories the service cannot see (`ProtectHome`, `PrivateTmp`).
const HIDDEN: [&str; 5] = ["/home", "/root", "/run/user", "/tmp", "/var/tmp"];

/// What to say when the binary itself is where the service cannot see it
/// (`cargo install` puts it in `~/.cargo/bin`): the unit is printed all
/// the same, for the operator to copy the binary and fix `ExecStart`.
pub fn exe_warning(exe: &Path, lang: Lang) -> Option<String> {
    let hidden = HIDDEN.iter().find(|h| exe.starts_with(h))?;
    Some(match lang {
        Lang::Zh => format!(
            "注意：{} 在 {hidden} 下，服务看不到它；请复制到 /usr/local/bin（install -m 755 {} /usr/local/bin/），再从那里运行 --print-unit",
            exe.display(),
            exe.display()
        ),
        Lang::En => format!(
            "note: {} is under {hidden}, which the service cannot see; copy it to /usr/local/bin (install -m 755 {} /usr/local/bin/) and run --print-unit from there",
            exe.display(),
            exe.display()
        ),
    })
}

fn parent(path: &Path) -> PathBuf {
    path.parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"))
}

/// A path the service uses: absolute, and not where the hardening hides it.
fn check_path(option: &str, path: &Path, lang: Lang) -> Result<(), String> {
    if !path.is_absolute() {
        return Err(match lang {
            Lang::Zh => format!(
                "{option} {} 须是绝对路径（服务不在当前目录运行）",
                path.display()
            ),
            Lang::En => format!(
                "{option} {} must be an absolute path (the service does not run in this directory)",
                path.display()
            ),
        });
    }
    let hidden = HIDDEN.iter().find(|h| path.starts_with(h));
    if let Some(h) = hidden {
        return Err(match lang {
            Lang::Zh => format!(
                "{option} {} 在 {h} 下，服务看不到那里（ProtectHome、PrivateTmp）；请放在 {} 下",
                path.display(),
                state_dir().display()
            ),
            Lang::En => format!(
                "{option} {} is under {h}, which the service cannot see (ProtectHome, PrivateTmp); put it under {}",
                path.display(),
                state_dir().display()
            ),
        });
    }
    Ok(())
}

/// A name `useradd` takes and systemd's `User=` accepts.
fn valid_account(name: &str) -> bool {
    let mut chars = name.chars();
    name.len() <= 32
        && chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

/// One word of a unit's command line: `%` and `$` doubled (systemd's
/// specifiers and variables), quoted when it holds a space, a quote or a
/// backslash.
fn word(w: &str) -> String {
    let w = w.replace('%', "%%").replace('$', "$$");
    if w.is_empty() || w.contains([' ', '\t', '"', '\'', '\\', ';']) {
        format!("\"{}\"", w.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Spec {
        Spec {
            exe: PathBuf::from("/usr/local/bin/qiangji"),
            db: None,
            listen: "0.0.0.0:2222".parse().unwrap(),
            host_key: None,
            idle: Duration::from_secs(1800),
            max_sessions: 64,
            backup: None,
            user: "qiangji".into(),
            lang: Lang::Zh,
        }
    }

    fn line<'a>(unit: &'a str, key: &str) -> Vec<&'a str> {
        unit.lines()
            .filter_map(|l| l.strip_prefix(key)?.strip_prefix('='))
            .collect()
    }

    #[test]
    fn the_unit_runs_this_binary_as_its_own_account_in_its_state_directory() {
        let u = unit(&spec(), Lang::En).unwrap();
        assert_eq!(
            line(&u, "ExecStart"),
            ["/usr/local/bin/qiangji serve --db /var/lib/qiangji/db --listen 0.0.0.0:2222"]
        );
        assert_eq!(line(&u, "User"), ["qiangji"]);
        assert_eq!(line(&u, "StateDirectory"), ["qiangji"]);
        assert_eq!(line(&u, "Restart"), ["on-failure"]);
        for (k, v) in [
            ("NoNewPrivileges", "yes"),
            ("ProtectSystem", "strict"),
            ("PrivateTmp", "yes"),
            ("ProtectHome", "yes"),
        ] {
            assert_eq!(line(&u, k), [v], "{k}");
        }
        // Everything it writes is in the state directory.
        assert!(line(&u, "ReadWritePaths").is_empty());
        assert_eq!(line(&u, "CapabilityBoundingSet"), [""]);
    }

    #[test]
    fn paths_outside_the_state_directory_are_made_writable_and_odd_words_quoted() {
        let mut s = spec();
        s.db = Some(PathBuf::from("/srv/强基 data/db"));
        s.backup = Some(Backups {
            dir: PathBuf::from("/var/backups/qiangji"),
            every: Duration::from_secs(6 * 3600),
            keep: 30,
        });
        s.listen = "0.0.0.0:22".parse().unwrap();
        s.lang = Lang::En;
        s.user = "qj-svc".into();
        let u = unit(&s, Lang::En).unwrap();
        assert_eq!(
            line(&u, "ExecStart"),
            [
                "/usr/local/bin/qiangji serve --db \"/srv/强基 data/db\" --listen 0.0.0.0:22 --backup-dir /var/backups/qiangji --backup-every 21600s --backup-keep 30 --lang en"
            ]
        );
        assert_eq!(
            line(&u, "ReadWritePaths"),
            ["\"/srv/强基 data\" /var/backups/qiangji"]
        );
        assert_eq!(line(&u, "AmbientCapabilities"), ["CAP_NET_BIND_SERVICE"]);
        assert_eq!(line(&u, "User"), ["qj-svc"]);
        assert_eq!(word("50%$x"), "50%%$$x");
    }

    #[test]
    fn a_database_the_hardening_would_hide_or_a_bad_account_is_refused() {
        let mut s = spec();
        s.db = Some(PathBuf::from("/home/li/.local/share/qiangji/db"));
        assert!(unit(&s, Lang::En).unwrap_err().contains("ProtectHome"));
        s.db = Some(PathBuf::from("db"));
        assert!(unit(&s, Lang::En).unwrap_err().contains("absolute"));
        let mut s = spec();
        s.user = "root".into();
        assert!(unit(&s, Lang::Zh).unwrap_err().contains("root"));
        s.user = "Li Ming".into();
        assert!(unit(&s, Lang::En).unwrap_err().contains("account name"));
        assert!(exe_warning(Path::new("/root/.cargo/bin/qiangji"), Lang::En).is_some());
        assert!(exe_warning(Path::new("/usr/local/bin/qiangji"), Lang::En).is_none());
    }
}
