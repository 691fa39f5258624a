//! Where a local command's data goes: a file the user named (`-o`), written
//! whole or not at all (`atomic_file`), or standard output. What is written
//! is `crate::runner`'s, the same as over SSH.

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::CliError;
use crate::command_line::{Format, TemplateKind};
use crate::domain::Actor;
use crate::i18n::{Lang, Localized};
use crate::registry::Registry;
use crate::runner::{Done, Failure, Invocation};

/// Runs `write` as the local actor (the admin: the file system is the
/// permission) into `output` or standard output, and puts the file in place
/// only when everything was written.
pub fn to_destination(
    registry: &Registry,
    lang: Lang,
    output: Option<&Path>,
    write: impl FnOnce(&Invocation<'_>, &mut dyn Write) -> Done,
) -> Result<(), CliError> {
    let actor = Actor::local();
    let ctx = Invocation {
        registry,
        actor: &actor,
        lang,
        out_is_terminal: output.is_none() && std::io::stdout().is_terminal(),
    };
    let mut out = destination(output, lang)?;
    let result = write(&ctx, &mut out);
    finish(result, out, lang)
}

/// `export template applications`: no database needed.
pub fn template(
    lang: Lang,
    what: Option<TemplateKind>,
    format: Option<Format>,
    output: Option<&Path>,
) -> Result<(), CliError> {
    let terminal = output.is_none() && std::io::stdout().is_terminal();
    let mut out = destination(output, lang)?;
    let result = crate::runner::lists::template(lang, what, format, terminal, &mut out);
    finish(result, out, lang)
}

/// Where an export goes: a file the user named, written whole or not at all
/// (`atomic_file`), or standard output.
pub(super) enum Destination {
    File(crate::atomic_file::AtomicFile, std::path::PathBuf),
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
}

impl Write for Destination {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Destination::File(f, _) => f.write(buf),
            Destination::Stdout(o) => o.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Destination::File(f, _) => f.flush(),
            Destination::Stdout(o) => o.flush(),
        }
    }
}

/// A writer to `output` (a temporary file beside it until `finish`), or to
/// standard output.
pub(super) fn destination(output: Option<&Path>, lang: Lang) -> Result<Destination, CliError> {
    Ok(match output {
        Some(path) => Destination::File(
            crate::atomic_file::AtomicFile::create(path).map_err(|e| {
                CliError::Message(crate::atomic_file::describe_error(path, &e, lang))
            })?,
            path.to_path_buf(),
        ),
        None => Destination::Stdout(std::io::BufWriter::new(std::io::stdout().lock())),
    })
}

/// Reports a failed write in the user's language, and puts a file in place
/// only when everything was written (a failed export leaves the previous
/// file as it was); a reader that stops early (`| head`) is not an error.
pub(super) fn finish(result: Done, out: Destination, lang: Lang) -> Result<(), CliError> {
    match result {
        Err(Failure::Write(e)) if e.is_broken_pipe() => return Ok(()),
        Err(Failure::Write(e)) => return Err(CliError::Message(e.localized(lang))),
        Err(other) => return Err(other.into()),
        Ok(()) => {}
    }
    match out {
        Destination::File(f, path) => f
            .commit()
            .map_err(|e| CliError::Message(crate::atomic_file::describe_error(&path, &e, lang))),
        Destination::Stdout(mut o) => match o.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(CliError::Message(crate::atomic_file::describe_error(
                Path::new("-"),
                &e,
                lang,
            ))),
            Ok(()) => Ok(()),
        },
    }
}
