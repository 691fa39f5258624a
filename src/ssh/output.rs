//! What a session draws goes to its SSH channel: one frame in flight at a
//! time; frames drawn meanwhile wait together in one buffer. A client that
//! reads nothing cannot grow it past `MAX_WAITING`: then the waiting frames
//! are dropped and the next frame is drawn whole (ratatui draws differences,
//! so dropped differences must be replaced by a full screen).

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

/// Bytes waiting for a slow client at most.
pub const MAX_WAITING: usize = 512 * 1024;

/// Frames on their way to one client.
#[derive(Default)]
pub struct Outbox {
    waiting: Mutex<Vec<u8>>,
    ready: Notify,
    /// Waiting frames were dropped: the next draw must be whole.
    dropped: AtomicBool,
    closed: AtomicBool,
}

impl Outbox {
    pub fn push(&self, bytes: &[u8]) {
        let mut waiting = self.waiting.lock().unwrap_or_else(|p| p.into_inner());
        if waiting.len() + bytes.len() > MAX_WAITING {
            waiting.clear();
            self.dropped.store(true, Ordering::SeqCst);
        } else {
            waiting.extend_from_slice(bytes);
        }
        drop(waiting);
        self.ready.notify_one();
    }

    /// Whether frames were dropped since the last call.
    pub fn take_dropped(&self) -> bool {
        self.dropped.swap(false, Ordering::SeqCst)
    }

    /// Waits for bytes to send; `None` once closed and empty.
    pub async fn next(&self) -> Option<Vec<u8>> {
        loop {
            {
                let mut waiting = self.waiting.lock().unwrap_or_else(|p| p.into_inner());
                if !waiting.is_empty() {
                    return Some(std::mem::take(&mut *waiting));
                }
            }
            if self.closed.load(Ordering::SeqCst) {
                return None;
            }
            self.ready.notified().await;
        }
    }

    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.ready.notify_one();
    }

    pub fn waiting(&self) -> usize {
        self.waiting.lock().map(|w| w.len()).unwrap_or(0)
    }
}

/// The `Write` a session's ratatui backend draws into: a frame is what is
/// written between two flushes.
pub struct ChannelWriter {
    frame: Vec<u8>,
    outbox: Arc<Outbox>,
}

impl ChannelWriter {
    pub fn new(outbox: Arc<Outbox>) -> ChannelWriter {
        ChannelWriter {
            frame: Vec::with_capacity(16 * 1024),
            outbox,
        }
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.frame.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.frame.is_empty() {
            self.outbox.push(&self.frame);
            self.frame.clear();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_wait_together_and_a_stalled_client_grows_no_memory() {
        let outbox = Arc::new(Outbox::default());
        let mut w = ChannelWriter::new(outbox.clone());
        w.write_all(b"one").unwrap();
        w.flush().unwrap();
        w.write_all(b"two").unwrap();
        w.flush().unwrap();
        assert_eq!(outbox.waiting(), 6, "coalesced in one buffer");
        assert!(!outbox.take_dropped());
        // Nobody reads: the buffer never passes the limit.
        for _ in 0..1000 {
            w.write_all(&[b'x'; 4096]).unwrap();
            w.flush().unwrap();
            assert!(outbox.waiting() <= MAX_WAITING);
        }
        assert!(outbox.take_dropped(), "the next draw must be whole");
        assert!(!outbox.take_dropped(), "once");
    }
}
