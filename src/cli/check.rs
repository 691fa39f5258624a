//! `qiangji check`: prints a summary of what was checked and every violation.
//! Exit 1 when records break a rule, 2 when the storage is damaged (a value
//! that does not decode, or a database that cannot be opened).

use std::path::Path;

use super::CliError;
use crate::i18n::Lang;
use crate::registry::Registry;
use crate::store::{Accepted, MarkState};

/// `accept_loss`: open in place whatever the `acknowledged` mark says and
/// set it to the newest audit entry present, the one way to keep using a
/// database whose mark is missing, garbled or ahead (after deciding not to
/// restore a backup). Without it the database is opened as a private copy
/// and never written.
pub fn run(dir: &Path, accept_loss: bool, lang: Lang) -> Result<(), CliError> {
    let registry = if accept_loss {
        let (registry, accepted) = Registry::open_accepting_loss(dir)?;
        println!("{}", describe_accepted(&accepted, lang));
        registry
    } else {
        // A private copy whatever the clean-close stamp says: check is what
        // someone runs on a database they suspect.
        Registry::open_to_inspect(dir)?
    };
    super::say_upgraded(&registry, lang);
    let actor = crate::domain::Actor::local();
    let ctx = crate::runner::Invocation::new(&registry, &actor, lang);
    crate::runner::check(&ctx, &mut std::io::stdout().lock()).map_err(CliError::from)
}

fn describe_accepted(a: &Accepted, lang: Lang) -> String {
    let before = match (&a.mark, lang) {
        (MarkState::At(m), Lang::Zh) => format!("确认标记原为审计记录 {m}"),
        (MarkState::At(m), Lang::En) => format!("the mark said audit entry {m}"),
        (MarkState::Absent, Lang::Zh) => "确认标记缺失".into(),
        (MarkState::Absent, Lang::En) => "the mark was missing".into(),
        (MarkState::Garbled(_), Lang::Zh) => "确认标记已损坏".into(),
        (MarkState::Garbled(why), Lang::En) => format!("the mark was garbled ({why})"),
    };
    match lang {
        Lang::Zh => format!(
            "已按现状接受：{before}，现存最新审计记录为 {}，标记已改为该值。",
            a.newest
        ),
        Lang::En => format!(
            "accepted as it is: {before}; the newest audit entry present is {}, and the mark now says so.",
            a.newest
        ),
    }
}
