//! `qiangji serve`: one process owns the database and runs one App per SSH
//! session, the way soft-serve and wish serve terminal programs. Nothing to
//! install on the users' side: `ssh -p 2222 chief-math@host`.
//!
//! - `session.rs`: a connection: who it is (the verified key), its shell or
//!   its one command.
//! - `input.rs`: bytes to keys and pastes; `output.rs`: frames to the client,
//!   bounded for a slow one.
//! - `exec.rs`: the CLI's commands as SSH commands.
//! - `files/`: the SFTP subsystem: exports to download, lists to upload.
//! - `hostkey.rs`: the host key, made once, and its `.pub` beside it.
//! - `log.rs`: one line per event on standard error.
//! - `backups.rs`: backups on a schedule and before every bulk change.

pub mod backups;
pub mod exec;
pub mod files;
pub mod holder;
pub mod hostkey;
pub mod input;
pub mod log;
pub mod output;
pub mod session;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use russh::server::Server as _;
use russh::{MethodKind, MethodSet};

use crate::domain::Actor;
use crate::i18n::Lang;
use crate::registry::{self, Registry};

/// How a verified key's fingerprint becomes the one acting.
pub type Keyring = Box<dyn Fn(&Registry, &str) -> Option<Actor> + Send + Sync>;

pub struct Options {
    /// The database directory, to say beside it that it is served.
    pub db: PathBuf,
    pub listen: SocketAddr,
    pub host_key: PathBuf,
    pub idle: Duration,
    pub max_sessions: usize,
    pub lang: Lang,
    /// `--backup-dir` and its schedule.
    pub backups: Option<backups::Schedule>,
}

/// What every session shares: the registry, who may log in, the changes
/// applied, and the count of sessions.
pub struct Hub {
    pub registry: Arc<Registry>,
    /// The database directory: each user's uploads are kept beside it.
    pub db: PathBuf,
    /// Where the server listens: the host and port of the scp lines.
    pub listen: SocketAddr,
    keyring: Keyring,
    /// Every applied command, with the session that applied it.
    pub changes: tokio::sync::broadcast::Sender<(u64, Vec<registry::Event>)>,
    sessions: AtomicUsize,
    next_id: AtomicU64,
    pub max_sessions: usize,
    pub idle: Duration,
    pub lang: Lang,
    pub stopping: AtomicBool,
    pub runtime: tokio::runtime::Handle,
    /// The server's backups, when it writes them.
    pub backups: Option<Arc<backups::Backups>>,
}

impl Hub {
    pub fn actor_for(&self, fingerprint: &str) -> Option<Actor> {
        (self.keyring)(&self.registry, fingerprint)
    }

    pub fn publish(&self, session: u64, events: &[registry::Event]) {
        // No receiver is fine: nobody else is logged in.
        let _ = self.changes.send((session, events.to_vec()));
    }

    pub fn room_for_one_more(&self) -> bool {
        self.sessions.load(Ordering::SeqCst) < self.max_sessions
    }

    pub fn open_session(&self, actor: &Actor, fingerprint: &str) -> u64 {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst) + 1;
        let now = self.sessions.fetch_add(1, Ordering::SeqCst) + 1;
        tracing::info!(
            session = id,
            login = %actor.login,
            key = %fingerprint,
            "session {id} opened: {} ({now} open)",
            actor.login
        );
        id
    }

    pub fn close_session(&self, id: u64) {
        let now = self
            .sessions
            .fetch_sub(1, Ordering::SeqCst)
            .saturating_sub(1);
        tracing::info!(session = id, "session {id} closed ({now} open)");
    }

    pub fn sessions(&self) -> usize {
        self.sessions.load(Ordering::SeqCst)
    }
}

struct Listener {
    hub: Arc<Hub>,
}

impl russh::server::Server for Listener {
    type Handler = session::Client;

    fn new_client(&mut self, peer: Option<SocketAddr>) -> session::Client {
        tracing::debug!(?peer, "connection");
        session::Client::new(self.hub.clone(), peer)
    }
}

/// Serves until SIGTERM or ctrl-c; then every session gets a goodbye line
/// and the database is flushed.
pub fn serve(registry: Registry, keyring: Keyring, options: Options) -> Result<(), String> {
    let lang = options.lang;
    let key = hostkey::load_or_create(&options.host_key, lang)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    if !options.listen.ip().is_loopback() {
        tracing::warn!(
            "{}{}",
            lang.pick(
                "注意：在本机以外的地址监听：",
                "note: listening beyond this machine: "
            ),
            options.listen
        );
    }
    let backups = options.backups.map(|s| Arc::new(backups::Backups::new(s)));
    if let Some(b) = &backups {
        let b = b.clone();
        registry.before_bulk(Box::new(move |registry, kind| {
            // A failure is logged and shown; the change goes ahead.
            let _ = b.take(registry, backups::Why::Before(kind));
        }));
    }
    let registry = Arc::new(registry);
    let hub = Arc::new(Hub {
        registry: registry.clone(),
        db: options.db.clone(),
        listen: options.listen,
        keyring,
        changes: tokio::sync::broadcast::channel(1024).0,
        sessions: AtomicUsize::new(0),
        next_id: AtomicU64::new(0),
        max_sessions: options.max_sessions,
        idle: options.idle,
        lang,
        stopping: AtomicBool::new(false),
        runtime: runtime.handle().clone(),
        backups: backups.clone(),
    });
    let config = russh::server::Config {
        methods: MethodSet::from(&[MethodKind::PublicKey][..]),
        keys: vec![key.clone()],
        auth_rejection_time: Duration::from_millis(300),
        auth_rejection_time_initial: Some(Duration::ZERO),
        inactivity_timeout: Some(options.idle + Duration::from_secs(60)),
        keepalive_interval: Some(Duration::from_secs(30)),
        nodelay: true,
        ..Default::default()
    };
    let fingerprint = hostkey::fingerprint(&key);
    let result = runtime.block_on(async {
        let socket = tokio::net::TcpListener::bind(options.listen)
            .await
            .map_err(|e| {
                format!(
                    "{} {}: {e}",
                    lang.pick("无法监听", "cannot listen on"),
                    options.listen
                )
            })?;
        let local = socket.local_addr().map_err(|e| e.to_string())?;
        let _holding = holder::Holding::take(&options.db, &local);
        tracing::info!(
            "{}{local}  {}{fingerprint}",
            lang.pick("qiangji 服务已启动：", "qiangji serving on "),
            lang.pick("主机密钥指纹 ", "host key fingerprint ")
        );
        if let Some(b) = backups {
            tracing::info!(
                dir = %b.schedule.dir.display(),
                every = ?b.schedule.every,
                keep = b.schedule.keep,
                "backups on"
            );
            tokio::spawn(scheduled_backups(b, registry.clone()));
        }
        let mut listener = Listener { hub: hub.clone() };
        let running = listener.run_on_socket(Arc::new(config), &socket);
        let handle = running.handle();
        tokio::select! {
            r = running => r.map_err(|e| e.to_string()),
            _ = stop_signal() => {
                hub.stopping.store(true, Ordering::SeqCst);
                // Each session sees the flag within its next step.
                for _ in 0..50 {
                    if hub.sessions() == 0 {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
                handle.shutdown("server stopped".into());
                Ok(())
            }
        }
    });
    let flushed = registry.store().flush().map_err(|e| e.to_string());
    match (&result, &flushed) {
        (Ok(()), Ok(())) => tracing::info!(
            "{}",
            lang.pick(
                "服务已停止，数据库已写入并关闭",
                "stopped; the database is flushed and closed"
            )
        ),
        (Err(e), _) | (_, Err(e)) => tracing::error!(error = %e, "stopped"),
    }
    result.and(flushed)
}

/// A backup at every interval, the first one an interval after the newest
/// in the directory (now, if there is none).
async fn scheduled_backups(backups: Arc<backups::Backups>, registry: Arc<Registry>) {
    let mut wait = backups.due_in(registry.now());
    loop {
        tokio::time::sleep(wait).await;
        let (b, r) = (backups.clone(), registry.clone());
        let ok = tokio::task::spawn_blocking(move || b.take(&r, backups::Why::Scheduled).is_some())
            .await
            .unwrap_or(false);
        wait = backups.next_after(ok);
    }
}

async fn stop_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(_) => return std::future::pending().await,
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}
