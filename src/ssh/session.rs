//! One SSH connection: public-key authentication decided on the verified
//! key's fingerprint, then either a shell (a pty is required) running its
//! own App on a thread of its own, or one read command (`exec`).
//!
//! A session's App, terminal and input parser belong to it alone. Input
//! bytes go through the parser to the App's event channel; frames go out
//! through the session's outbox, one in flight at a time. A panic in a
//! session ends that session with a message; the server goes on.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use russh::keys::{HashAlg, PublicKey};
use russh::server::{Auth, ChannelOpenHandle, Handle, Msg, Session};
use russh::{Channel, ChannelId, MethodKind, MethodSet};

use super::Hub;
use super::input::{ESC_WAIT, Input};
use super::output::{ChannelWriter, Outbox};
use crate::domain::Actor;
use crate::i18n::Lang;
use crate::tui::app::{App, Message};
use crate::tui::driver::{Driver, DriverError};
use crate::tui::keymap::Keymap;
use crate::tui::theme::ColorMode;

/// What the client's terminal is told as a session starts and ends:
/// the alternate screen, the cursor hidden, bracketed paste.
const ENTER: &[u8] = b"\x1b[?1049h\x1b[?25l\x1b[?2004h\x1b[2J";
const LEAVE: &[u8] = b"\x1b[?2004l\x1b[?25h\x1b[?1049l";

pub struct Client {
    hub: Arc<Hub>,
    /// Where the connection comes from, for the log.
    peer: Option<std::net::SocketAddr>,
    actor: Option<Actor>,
    fingerprint: String,
    pty: Option<(String, u16, u16)>,
    env: Vec<(String, String)>,
    channel: Option<ChannelId>,
    live: Option<Live>,
    /// An exec command reading standard input, until the client's EOF.
    waiting: Option<Waiting>,
    /// The session channel, until it is known what runs on it: SFTP reads
    /// it as a stream; a shell or a command drops it (its messages then go
    /// to the handler's callbacks alone, and none waits unread).
    stream: Option<Channel<Msg>>,
    /// The channel runs SFTP: the client's EOF ends it.
    sftp: bool,
}

/// An exec command that reads its input first (`import applications -`).
struct Waiting {
    prepared: super::exec::Prepared,
    input: Vec<u8>,
    /// More came than a list may hold: refused at EOF.
    over: bool,
    handle: Handle,
}

/// A running shell session.
struct Live {
    events: mpsc::Sender<Message>,
    bytes: tokio::sync::mpsc::Sender<Vec<u8>>,
    stop: Arc<AtomicBool>,
}

impl Drop for Client {
    fn drop(&mut self) {
        // A killed client: the connection is gone, so is its session.
        self.stop_live();
    }
}

impl Client {
    /// Ends the dashboard running for this connection, if one is.
    fn stop_live(&self) {
        if let Some(live) = &self.live {
            live.stop.store(true, Ordering::SeqCst);
        }
    }

    pub fn new(hub: Arc<Hub>, peer: Option<std::net::SocketAddr>) -> Client {
        Client {
            hub,
            peer,
            actor: None,
            fingerprint: String::new(),
            pty: None,
            env: Vec::new(),
            channel: None,
            live: None,
            waiting: None,
            stream: None,
            sftp: false,
        }
    }

    /// The source address for the log.
    fn from(&self) -> String {
        self.peer.map_or_else(|| "-".into(), |p| p.to_string())
    }

    /// A key no active user holds: one line in the log (the client may offer
    /// its next key, which is logged on its own).
    fn refused(&self, asked: &str, fingerprint: &str) {
        tracing::warn!(
            asked = %crate::safe_text::one_line(asked),
            key = %fingerprint,
            from = %self.from(),
            "login refused: no active user holds this key"
        );
    }

    /// `SetEnv QIANGJI_LANG` for this connection, else the user's own
    /// language (`user add|change --lang`), else the server's.
    fn lang(&self) -> Lang {
        self.env
            .iter()
            .find(|(k, _)| k == "QIANGJI_LANG")
            .and_then(|(_, v)| Lang::parse(v))
            .or_else(|| {
                self.actor.as_ref()?;
                let user = self.hub.registry.user_by_fingerprint(&self.fingerprint);
                user.ok().flatten().and_then(|u| u.lang)
            })
            .unwrap_or(self.hub.lang)
    }

    fn colors(&self) -> ColorMode {
        let var = |name: &str| {
            self.env
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        match self.pty.as_ref().map(|p| p.0.as_str()) {
            Some("dumb") | None => ColorMode::None,
            Some(_) => ColorMode::from_vars(var("NO_COLOR"), var("COLORTERM")),
        }
    }

    /// Says `text` on the channel's standard error, gives `status` and
    /// closes it.
    async fn refuse(handle: Handle, channel: ChannelId, text: String, status: u32) {
        let _ = handle
            .extended_data(channel, 1, format!("{text}\r\n").into_bytes())
            .await;
        let _ = handle.exit_status_request(channel, status).await;
        let _ = handle.eof(channel).await;
        let _ = handle.close(channel).await;
    }

    /// Runs an exec command off the async threads and sends its outcome.
    fn run_exec(
        &self,
        channel: ChannelId,
        handle: Handle,
        actor: Actor,
        prepared: super::exec::Prepared,
        input: Option<Vec<u8>>,
    ) {
        let hub = self.hub.clone();
        let pty = self.pty.is_some();
        tokio::spawn(async move {
            let run = tokio::task::spawn_blocking(move || {
                let before = hub.registry.write_generation();
                let outcome = super::exec::run(&hub, &actor, prepared, input, pty);
                // What an exec command changed (an import, a user removed)
                // reaches every open dashboard, as a session's writes do.
                if hub.registry.write_generation() != before {
                    hub.publish(0, &[]);
                }
                outcome
            });
            let outcome = run.await.unwrap_or_else(|_| super::exec::Output {
                err: b"qiangji: internal error\n".to_vec(),
                status: 1,
                ..Default::default()
            });
            send_outcome(handle, channel, outcome).await;
        });
    }

    fn start_shell(&mut self, channel: ChannelId, handle: Handle, actor: Actor) {
        let Some((_, w, h)) = self.pty.clone() else {
            return;
        };
        let (lang, colors, hub) = (self.lang(), self.colors(), self.hub.clone());
        let stop = Arc::new(AtomicBool::new(false));
        let outbox = Arc::new(Outbox::default());
        outbox.push(ENTER);
        let (tx, rx) = mpsc::channel::<Message>();
        let (bytes_tx, bytes_rx) = tokio::sync::mpsc::channel::<Vec<u8>>(64);
        let id = hub.open_session(&actor, &self.fingerprint);
        let _ = tx.send(Message::Resize(w, h));
        let _ = tx.send(Message::Opened(hub.registry.clone()));

        tokio::spawn(send_frames(outbox.clone(), handle.clone(), channel));
        tokio::spawn(read_input(bytes_rx, tx.clone(), hub.idle, stop.clone()));
        tokio::spawn(forward_changes(hub.clone(), id, tx.clone(), stop.clone()));

        let thread_stop = stop.clone();
        let events = tx.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("session-{id}"))
            .spawn(move || {
                let run = std::panic::AssertUnwindSafe(|| {
                    run_app(
                        actor,
                        lang,
                        colors,
                        (w, h),
                        rx,
                        tx,
                        &outbox,
                        &hub,
                        &thread_stop,
                        id,
                    )
                });
                let goodbye = match std::panic::catch_unwind(run) {
                    Ok(goodbye) => goodbye,
                    Err(_) => {
                        tracing::error!(session = id, "the session panicked");
                        Some(
                            lang.pick(
                                "内部错误，本会话已结束；其他会话不受影响",
                                "internal error: this session ended; the others go on",
                            )
                            .to_string(),
                        )
                    }
                };
                outbox.push(LEAVE);
                outbox.close();
                let handle2 = handle.clone();
                let hub2 = hub.clone();
                hub.runtime.spawn(async move {
                    // Let the last frame go first.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    // Why the session ended is a message: standard error.
                    if let Some(text) = goodbye {
                        let line = format!("{text}\r\n").into_bytes();
                        let _ = handle2.extended_data(channel, 1, line).await;
                    }
                    // Open until its last words are out: a stopping server
                    // waits for them.
                    hub2.close_session(id);
                    let _ = handle2.exit_status_request(channel, 0).await;
                    let _ = handle2.eof(channel).await;
                    let _ = handle2.close(channel).await;
                });
            });
        if spawned.is_ok() {
            self.live = Some(Live {
                events,
                bytes: bytes_tx,
                stop,
            });
        }
    }
}

/// The session's App on its driver, until the user quits, the client goes
/// or the server stops. Returns the line to leave on the client's screen.
#[allow(clippy::too_many_arguments)]
fn run_app(
    actor: Actor,
    lang: Lang,
    colors: ColorMode,
    (w, h): (u16, u16),
    rx: mpsc::Receiver<Message>,
    tx: mpsc::Sender<Message>,
    outbox: &Arc<Outbox>,
    hub: &Arc<Hub>,
    stop: &AtomicBool,
    id: u64,
) -> Option<String> {
    let backend = ratatui::backend::CrosstermBackend::new(ChannelWriter::new(outbox.clone()));
    // A fixed viewport: the size comes from the client (pty-req and
    // window-change), never from the server's own terminal.
    let options = TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
    };
    let terminal = Terminal::with_options(backend, options).ok()?;
    let files = super::files::remote::SessionFiles::new(&hub.db, &actor.login, hub.listen)
        .with_backups(hub.backups.clone());
    let mut app = App::new(lang, Keymap::default_keymap(), colors, actor.clone());
    // Uploads instead of server paths; scp lines to this server.
    app.set_remote(Arc::new(files));
    let hub2 = hub.clone();
    let events = tx.clone();
    let mut driver = Driver::new(terminal, app, rx, tx).on_applied(Box::new(move |events| {
        hub2.publish(id, events);
    }));
    let mut acting = actor.clone();
    let mut users_seen = hub.registry.user_generation();
    loop {
        if stop.load(Ordering::SeqCst) {
            return None;
        }
        // The session follows its user record: within one step (at most
        // 200 ms) of a change to any user, it is checked again.
        let users_now = hub.registry.user_generation();
        if users_now != users_seen {
            users_seen = users_now;
            let now = acting.key.as_deref().and_then(|fp| hub.actor_for(fp));
            match now {
                None => {
                    tracing::info!(session = id, login = %acting.login, "session ended: user removed or key revoked");
                    return Some(
                        lang.pick(
                            "您的账号已被停用或登录所用的公钥已被移除，会话已结束",
                            "your account was removed or the key you logged in with was revoked: this session ended",
                        )
                        .to_string(),
                    );
                }
                Some(now) if now != acting => {
                    tracing::info!(session = id, login = %now.login, role = now.role.code(), "session re-scoped: role changed");
                    acting = now.clone();
                    let _ = events.send(Message::Rescoped(now));
                }
                Some(_) => {}
            }
        }
        if hub.stopping.load(Ordering::SeqCst) {
            // "Everything is saved" is true only without a changed form.
            let discarded = driver.app().form().is_some_and(|f| f.changed());
            return Some(
                if discarded {
                    lang.pick(
                        "服务器正在关闭，会话已结束；已保存的数据都在，但正在填写、尚未保存的表单已丢弃",
                        "the server is shutting down: this session ended; what was saved is kept, but the form you were filling in was not saved and is discarded",
                    )
                } else {
                    lang.pick(
                        "服务器正在关闭，会话已结束；数据均已保存",
                        "the server is shutting down: this session ended, everything is saved",
                    )
                }
                .to_string(),
            );
        }
        if outbox.take_dropped() && driver.redraw_whole().is_err() {
            return None;
        }
        match driver.step(Duration::from_millis(200)) {
            Ok(true) => {}
            Ok(false) => return None,
            Err(DriverError::Closed) => return None,
            Err(e) => {
                tracing::warn!(session = id, error = %e, "session ended");
                return None;
            }
        }
    }
}

/// An exec command's data to standard output, its messages to standard
/// error (extended data 1), then its exit status.
async fn send_outcome(handle: Handle, channel: ChannelId, outcome: super::exec::Output) {
    if !outcome.out.is_empty() {
        let _ = handle.data(channel, outcome.out).await;
    }
    if !outcome.err.is_empty() {
        let _ = handle.extended_data(channel, 1, outcome.err).await;
    }
    let _ = handle.exit_status_request(channel, outcome.status).await;
    let _ = handle.eof(channel).await;
    let _ = handle.close(channel).await;
}

/// Sends what the session drew, one frame at a time.
async fn send_frames(outbox: Arc<Outbox>, handle: Handle, channel: ChannelId) {
    while let Some(bytes) = outbox.next().await {
        if handle.data(channel, bytes).await.is_err() {
            break;
        }
    }
}

/// Turns the client's bytes into events; a lone Esc after a quiet moment;
/// closes the session after `idle` without input.
async fn read_input(
    mut bytes: tokio::sync::mpsc::Receiver<Vec<u8>>,
    events: mpsc::Sender<Message>,
    idle: Duration,
    stop: Arc<AtomicBool>,
) {
    let mut input = Input::default();
    let mut held = false;
    let mut last = Instant::now();
    loop {
        let wait = if held {
            ESC_WAIT
        } else {
            idle.saturating_sub(last.elapsed())
                .max(Duration::from_millis(10))
        };
        tokio::select! {
            got = bytes.recv() => match got {
                Some(b) => {
                    last = Instant::now();
                    for e in input.feed(&b) {
                        if events.send(e).is_err() {
                            return;
                        }
                    }
                    held = true;
                }
                None => {
                    stop.store(true, Ordering::SeqCst);
                    return;
                }
            },
            _ = tokio::time::sleep(wait) => {
                if held {
                    held = false;
                    for e in input.flush() {
                        let _ = events.send(e);
                    }
                } else if last.elapsed() >= idle {
                    tracing::info!(?idle, "idle session closed");
                    stop.store(true, Ordering::SeqCst);
                    return;
                }
            }
        }
    }
}

/// Changes other sessions applied, into this session's App.
async fn forward_changes(
    hub: Arc<Hub>,
    id: u64,
    events: mpsc::Sender<Message>,
    stop: Arc<AtomicBool>,
) {
    let mut changes = hub.changes.subscribe();
    loop {
        match changes.recv().await {
            Ok((from, list)) if from != id => {
                if events.send(Message::Changed(list)).is_err() {
                    return;
                }
            }
            Ok(_) => {}
            Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                tracing::warn!(session = id, missed = n, "changes missed: reloading");
                if events.send(Message::Changed(Vec::new())).is_err() {
                    return;
                }
            }
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
        }
        if stop.load(Ordering::SeqCst) {
            return;
        }
    }
}

impl russh::server::Handler for Client {
    type Error = russh::Error;

    async fn auth_publickey_offered(
        &mut self,
        user: &str,
        key: &PublicKey,
    ) -> Result<Auth, Self::Error> {
        // Only a hint: nothing is decided before the signature is checked.
        // An unknown key is rejected here so the client offers its next.
        let fingerprint = key.fingerprint(HashAlg::Sha256).to_string();
        Ok(if self.hub.actor_for(&fingerprint).is_some() {
            Auth::Accept
        } else {
            self.refused(user, &fingerprint);
            reject()
        })
    }

    async fn auth_publickey(&mut self, user: &str, key: &PublicKey) -> Result<Auth, Self::Error> {
        // The signature over this very key is verified: the key decides who
        // this is, never the name the client asked for.
        let fingerprint = key.fingerprint(HashAlg::Sha256).to_string();
        match self.hub.actor_for(&fingerprint) {
            Some(actor) => {
                tracing::info!(
                    login = %actor.login,
                    key = %fingerprint,
                    from = %self.from(),
                    asked = %crate::safe_text::one_line(user),
                    "logged in"
                );
                self.actor = Some(actor);
                self.fingerprint = fingerprint;
                Ok(Auth::Accept)
            }
            None => {
                self.refused(user, &fingerprint);
                Ok(reject())
            }
        }
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel.is_some() {
            // One session channel per connection.
            drop(reply);
            return Ok(());
        }
        self.channel = Some(channel.id());
        self.stream = Some(channel);
        reply.accept().await;
        Ok(())
    }

    async fn env_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        value: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if matches!(name, "QIANGJI_LANG" | "COLORTERM" | "NO_COLOR") && value.len() < 64 {
            self.env.push((name.to_string(), value.to_string()));
        }
        session.channel_success(channel)
    }

    #[allow(clippy::too_many_arguments)]
    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.pty = Some((term.to_string(), clamp(col_width), clamp(row_height)));
        session.channel_success(channel)
    }

    async fn window_change_request(
        &mut self,
        _channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let (w, h) = (clamp(col_width), clamp(row_height));
        if let Some(p) = &mut self.pty {
            p.1 = w;
            p.2 = h;
        }
        if let Some(live) = &self.live {
            let _ = live.events.send(Message::Resize(w, h));
            // Resizing the window is the user at work: not idle.
            let _ = live.bytes.send(Vec::new()).await;
        }
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.stream = None;
        let lang = self.lang();
        let handle = session.handle();
        let Some(actor) = self.actor.clone() else {
            return Ok(());
        };
        session.channel_success(channel)?;
        if self.pty.is_none() {
            let text = lang.pick(
                "需要终端：请用 ssh -t 连接（或去掉 -T）",
                "a terminal is needed: connect with ssh -t (or without -T)",
            );
            tokio::spawn(Client::refuse(handle, channel, text.into(), 1));
            return Ok(());
        }
        if !self.hub.room_for_one_more() {
            let text = format!(
                "{} {}",
                lang.pick(
                    "会话已满，请稍后再试；上限",
                    "too many sessions; try again later; at most"
                ),
                self.hub.max_sessions
            );
            tokio::spawn(Client::refuse(handle, channel, text, 1));
            return Ok(());
        }
        self.start_shell(channel, handle, actor);
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.stream = None;
        let Some(actor) = self.actor.clone() else {
            return Ok(());
        };
        session.channel_success(channel)?;
        let handle = session.handle();
        let line = String::from_utf8_lossy(data).into_owned();
        tracing::info!(
            login = %actor.login,
            from = %self.from(),
            "command: {}",
            crate::safe_text::one_line(&line.chars().take(200).collect::<String>())
        );
        let prepared = match super::exec::prepare(&actor, &line, self.lang()) {
            Ok(p) => p,
            Err(answer) => {
                tokio::spawn(send_outcome(handle, channel, answer));
                return Ok(());
            }
        };
        if prepared.needs_input() {
            self.waiting = Some(Waiting {
                prepared,
                input: Vec::new(),
                over: false,
                handle,
            });
        } else {
            self.run_exec(channel, handle, actor, prepared, Some(Vec::new()));
        }
        Ok(())
    }

    /// No X11 here: say so at once, or the client waits for an answer.
    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single_connection: bool,
        _x11_auth_protocol: &str,
        _x11_auth_cookie: &str,
        _x11_screen_number: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)
    }

    /// `sftp`: the user's files (`files::sftp`). Any other subsystem: a
    /// failure at once.
    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let stream = self.stream.take();
        match (name, stream, self.actor.clone()) {
            ("sftp", Some(stream), Some(actor)) => {
                session.channel_success(channel)?;
                self.sftp = true;
                let sftp = super::files::sftp::Sftp::new(self.hub.clone(), actor, self.lang());
                russh_sftp::server::run(stream.into_stream(), sftp).await;
            }
            _ => {
                tracing::info!(subsystem = name, "subsystem refused");
                session.channel_failure(channel)?;
            }
        }
        Ok(())
    }

    async fn data(
        &mut self,
        _channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let Some(live) = &self.live {
            // Waits when the session is behind: the client is slowed, the
            // server's memory is not grown.
            let _ = live.bytes.send(data.to_vec()).await;
        }
        if let Some(w) = &mut self.waiting {
            // Bounded: past the size of a list, the rest is dropped and the
            // command refused at EOF.
            if w.input.len() + data.len() > crate::import::read::MAX_BYTES as usize {
                w.over = true;
                w.input = Vec::new();
            } else if !w.over {
                w.input.extend_from_slice(data);
            }
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.stop_live();
        if std::mem::take(&mut self.sftp) {
            session.exit_status_request(channel, 0)?;
            session.close(channel)?;
        }
        if let Some(w) = self.waiting.take()
            && let Some(actor) = self.actor.clone()
        {
            let input = (!w.over).then_some(w.input);
            self.run_exec(channel, w.handle, actor, w.prepared, input);
        }
        Ok(())
    }

    // Closed without an EOF first: the same end for the dashboard.
    async fn channel_close(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        self.channel_eof(channel, session).await
    }
}

/// Public keys only: no password, no keyboard-interactive, no anonymous.
fn reject() -> Auth {
    Auth::Reject {
        proceed_with_methods: Some(MethodSet::from(&[MethodKind::PublicKey][..])),
        partial_success: false,
    }
}

/// A terminal size as the App takes it.
fn clamp(cells: u32) -> u16 {
    cells.clamp(1, 1000) as u16
}
