//! A load run of `qiangji serve`, on loopback only, bounded in count and
//! time: 20 dashboards over SSH each moving the selection (100 keys each,
//! 20-40 ms apart), one more recording a semester result every 100 ms, and
//! optionally a client that reads nothing. Prints the keystroke-to-frame
//! latency (p50, p99), the server's peak memory and its memory per session.
//!
//! `cargo bench --bench serve_load` (builds the release binary first).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use russh::keys::ssh_key::private::Ed25519Keypair;
use russh::keys::{PrivateKey, PrivateKeyWithHashAlg};
use russh::{ChannelMsg, client};

const BIN: &str = env!("CARGO_BIN_EXE_qiangji");
const SESSIONS: usize = 20;
const KEYS: usize = 100;

struct Trusting;

impl client::Handler for Trusting {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &russh::keys::PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        // Loopback, a server this run started.
        Ok(true)
    }
}

fn kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

async fn dashboard(
    port: u16,
    key: Arc<PrivateKey>,
) -> (client::Handle<Trusting>, russh::Channel<client::Msg>) {
    let config = Arc::new(client::Config::default());
    let mut handle = client::connect(config, ("127.0.0.1", port), Trusting)
        .await
        .expect("connect");
    let auth = handle
        .authenticate_publickey("bench", PrivateKeyWithHashAlg::new(key, None))
        .await
        .expect("auth");
    assert!(auth.success(), "the bench key is refused");
    let mut channel = handle.channel_open_session().await.expect("channel");
    channel
        .request_pty(false, "xterm-256color", 120, 40, 0, 0, &[])
        .await
        .expect("pty");
    channel.request_shell(false).await.expect("shell");
    // The overview with its data: wait until frames stop for a moment.
    let until = Instant::now() + Duration::from_secs(20);
    while Instant::now() < until {
        match tokio::time::timeout(Duration::from_millis(300), channel.wait()).await {
            Ok(Some(ChannelMsg::Data { .. })) => continue,
            Ok(Some(_)) => continue,
            _ => break,
        }
    }
    (handle, channel)
}

/// Sends `KEYS` keys and times each to the first frame after it.
async fn typist(port: u16, key: Arc<PrivateKey>) -> Vec<Duration> {
    let (_handle, mut channel) = dashboard(port, key).await;
    let mut out = Vec::with_capacity(KEYS);
    for i in 0..KEYS {
        let keystroke: &[u8] = if i % 2 == 0 { b"\x1b[B" } else { b"\x1b[A" };
        let sent = Instant::now();
        channel.data_bytes(keystroke.to_vec()).await.expect("send");
        loop {
            match tokio::time::timeout(Duration::from_secs(5), channel.wait()).await {
                Ok(Some(ChannelMsg::Data { .. })) => {
                    out.push(sent.elapsed());
                    break;
                }
                Ok(Some(_)) => continue,
                _ => {
                    out.push(Duration::from_secs(5));
                    break;
                }
            }
        }
        // Drain what else came (other sessions' changes), then pause.
        let pause = Duration::from_millis(20 + (i as u64 * 7) % 20);
        let _ = tokio::time::timeout(pause, async {
            while let Some(msg) = channel.wait().await {
                let _ = msg;
            }
        })
        .await;
    }
    out
}

/// Records a result every 100 ms on the math group's assessment.
async fn writer(
    port: u16,
    key: Arc<PrivateKey>,
    stop: Arc<std::sync::atomic::AtomicBool>,
) -> usize {
    let (_handle, mut channel) = dashboard(port, key).await;
    channel.data_bytes(b"1".to_vec()).await.expect("send");
    tokio::time::sleep(Duration::from_millis(300)).await;
    channel.data_bytes(b"A".to_vec()).await.expect("send");
    let mut written = 0;
    while !stop.load(std::sync::atomic::Ordering::SeqCst) && written < 400 {
        let _ = tokio::time::timeout(Duration::from_millis(100), async {
            while let Some(msg) = channel.wait().await {
                let _ = msg;
            }
        })
        .await;
        channel.data_bytes(b"p".to_vec()).await.expect("send");
        written += 1;
    }
    written
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn run(slow_client: bool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("db");
    let status = Command::new(BIN)
        .args(["demo", "--db"])
        .arg(&db)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("demo");
    assert!(status.success());
    let key = PrivateKey::from(Ed25519Keypair::from_seed(&[7u8; 32]));
    let public = dir.path().join("bench.pub");
    std::fs::write(&public, key.public_key().to_openssh().expect("openssh")).unwrap();
    let status = Command::new(BIN)
        .args(["user", "add", "bench", "--role", "admin", "--key"])
        .arg(&public)
        .arg("--db")
        .arg(&db)
        .stdout(Stdio::null())
        .status()
        .expect("user add");
    assert!(status.success());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port");
    let mut server = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--max-sessions",
            "64",
        ])
        .arg("--db")
        .arg(&db)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("serve");
    let mut lines = BufReader::new(server.stderr.take().expect("stderr")).lines();
    // Ready once the start line (with the listen address) is logged.
    let listening = format!("127.0.0.1:{port}");
    for line in lines.by_ref() {
        match line {
            Ok(l) if !l.contains(&listening) => continue,
            _ => break,
        }
    }
    // Keep reading the log so the server never blocks on it.
    std::thread::spawn(move || for _ in lines {});
    let pid = server.id();
    let idle_rss = kib(pid, "VmRSS:");

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let key = Arc::new(key);
    let (latencies, written, open_rss) = runtime.block_on(async {
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let _slow = if slow_client {
            // Opens a dashboard and then reads nothing at all.
            let (handle, channel) = dashboard(port, key.clone()).await;
            Some((handle, channel))
        } else {
            None
        };
        let w = tokio::spawn(writer(port, key.clone(), stop.clone()));
        let typists: Vec<_> = (0..SESSIONS)
            .map(|_| tokio::spawn(typist(port, key.clone())))
            .collect();
        tokio::time::sleep(Duration::from_secs(3)).await;
        let open_rss = kib(pid, "VmRSS:");
        let mut all = Vec::new();
        for t in typists {
            all.extend(t.await.expect("typist"));
        }
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        let written = w.await.expect("writer");
        (all, written, open_rss)
    });
    let peak = kib(pid, "VmHWM:");
    let _ = server.kill();
    let _ = server.wait();
    let mut sorted = latencies;
    sorted.sort();
    let sessions = SESSIONS + 1 + usize::from(slow_client);
    println!(
        "serve_load{}: {} keys over {SESSIONS} sessions, {written} results written | keystroke to frame p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms | server RSS idle {} MiB, with {sessions} sessions {} MiB, peak {} MiB, per session {:.2} MiB",
        if slow_client {
            " (with a client reading nothing)"
        } else {
            ""
        },
        sorted.len(),
        percentile(&sorted, 0.5).as_secs_f64() * 1e3,
        percentile(&sorted, 0.99).as_secs_f64() * 1e3,
        sorted.last().copied().unwrap_or_default().as_secs_f64() * 1e3,
        idle_rss / 1024,
        open_rss / 1024,
        peak / 1024,
        (open_rss.saturating_sub(idle_rss)) as f64 / 1024.0 / sessions as f64,
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing
    // useful: run the load only when benchmarking.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    run(false);
    run(true);
}
