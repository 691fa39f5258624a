//! The loop that runs an App on any terminal: events come in on a channel
//! (keys and pastes from the local terminal or an SSH session, the database
//! opened, changes made by other sessions, results of writes), every queued
//! event is handled, then one frame is drawn to whatever ratatui backend the
//! transport has. Writes (apply and flush) run on a writer thread that
//! answers into the same channel, so drawing never waits for the disk.

use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::layout::Rect;

use crate::domain::Actor;
use crate::registry::{self, Command, Registry};
use crate::tui::app::{self, App, Effect, Message};

/// A write for the writer thread.
struct Job {
    id: u64,
    actor: Actor,
    commands: Vec<Command>,
}

/// What the driver tells the transport of applied commands (the SSH server
/// publishes them to the other sessions).
pub type Publish = Box<dyn FnMut(&[registry::Event]) + Send>;

pub struct Driver<B: Backend> {
    terminal: Terminal<B>,
    app: App,
    events: Receiver<Message>,
    /// Where the writer thread answers: the same channel as `events`.
    replies: Sender<Message>,
    writer: Option<Sender<Job>>,
    publish: Publish,
    dirty: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    #[error("terminal: {0}")]
    Terminal(String),
    #[error("the event source closed")]
    Closed,
}

impl<B: Backend> Driver<B> {
    /// A driver for `app` on `terminal`, reading `events`; `replies` must
    /// send into the same channel.
    pub fn new(
        terminal: Terminal<B>,
        app: App,
        events: Receiver<Message>,
        replies: Sender<Message>,
    ) -> Driver<B> {
        Driver {
            terminal,
            app,
            events,
            replies,
            writer: None,
            publish: Box::new(|_| {}),
            dirty: true,
        }
    }

    pub fn on_applied(mut self, publish: Publish) -> Driver<B> {
        self.publish = publish;
        self
    }

    pub fn app(&self) -> &App {
        &self.app
    }

    pub fn terminal(&self) -> &Terminal<B> {
        &self.terminal
    }

    /// The next frame is drawn whole: what the terminal shows is unknown
    /// (an SSH client that missed frames).
    pub fn redraw_whole(&mut self) -> Result<(), DriverError> {
        self.terminal
            .clear()
            .map_err(|e| DriverError::Terminal(e.to_string()))?;
        self.dirty = true;
        self.draw()
    }

    /// Draws if anything changed since the last frame.
    pub fn draw(&mut self) -> Result<(), DriverError> {
        if self.dirty {
            let app = &self.app;
            self.terminal
                .draw(|f| crate::tui::widgets::chrome::draw(f, &app.view()))
                .map_err(|e| DriverError::Terminal(e.to_string()))?;
            self.dirty = false;
        }
        Ok(())
    }

    /// Waits up to `timeout` for an event, handles it and every event
    /// queued behind it, then draws once. False once the App quit.
    pub fn step(&mut self, timeout: Duration) -> Result<bool, DriverError> {
        let first = match self.events.recv_timeout(timeout) {
            Ok(e) => e,
            Err(RecvTimeoutError::Timeout) => return Ok(true),
            Err(RecvTimeoutError::Disconnected) => return Err(DriverError::Closed),
        };
        let mut queued = vec![first];
        queued.extend(self.events.try_iter());
        for event in queued {
            if !self.handle(event)? {
                return Ok(false);
            }
        }
        self.draw()?;
        Ok(true)
    }

    /// Runs until the App quits.
    pub fn run(mut self) -> Result<(), DriverError> {
        self.draw()?;
        while self.step(Duration::from_secs(1))? {}
        Ok(())
    }

    fn handle(&mut self, event: Message) -> Result<bool, DriverError> {
        match &event {
            Message::Opened(registry) => self.start_writer(registry.clone()),
            Message::Resize(w, h) => {
                // The backend cannot always ask (an SSH session's size comes
                // with the session): take the size given.
                self.terminal
                    .resize(Rect::new(0, 0, *w, *h))
                    .map_err(|e| DriverError::Terminal(e.to_string()))?;
            }
            _ => {}
        }
        self.dirty = true;
        for effect in self.app.handle(event) {
            match effect {
                Effect::Quit => return Ok(false),
                Effect::Write {
                    id,
                    actor,
                    commands,
                } => self.send_write(Job {
                    id,
                    actor,
                    commands,
                }),
                Effect::Applied(events) => {
                    for e in &events {
                        tracing::info!(audit = e.audit_id, record = e.id, "applied");
                    }
                    (self.publish)(&events);
                }
            }
        }
        Ok(true)
    }

    fn send_write(&mut self, job: Job) {
        let id = job.id;
        let sent = self.writer.as_ref().is_some_and(|w| w.send(job).is_ok());
        if !sent {
            let _ = self.replies.send(Message::Written {
                id,
                result: Err(app::Refusal::said("no database")),
            });
        }
    }

    /// One writer thread per driver: commands are applied in the order they
    /// were asked for, each durably, and answered as `Message::Written`.
    fn start_writer(&mut self, registry: Arc<Registry>) {
        let (tx, rx) = mpsc::channel::<Job>();
        let replies = self.replies.clone();
        let lang = self.app.lang;
        let spawned = std::thread::Builder::new()
            .name("writer".into())
            .spawn(move || {
                for job in rx {
                    let result = app::write(&registry, &job.actor, &job.commands, lang);
                    if replies
                        .send(Message::Written { id: job.id, result })
                        .is_err()
                    {
                        break;
                    }
                }
            });
        if spawned.is_ok() {
            self.writer = Some(tx);
        }
    }
}
