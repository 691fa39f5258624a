//! The working-day calendar of this run (`--calendar FILE`, the config
//! directory's `calendar.toml`, or the compiled-in default), read once at
//! start and put in force for every working-day count.

use crate::i18n::Lang;

/// The calendar for this run: `file`, else `calendar.toml` in the config
/// directory, else the compiled-in default; a file that cannot be read or
/// used is a message in `lang` naming it (and its line).
pub fn calendar(
    file: Option<&std::path::Path>,
    lang: Lang,
) -> Result<crate::domain::calendar::WorkCalendar, String> {
    use crate::i18n::Localized;
    let file = file.map(std::path::Path::to_path_buf).or_else(|| {
        directories::ProjectDirs::from("", "", "qiangji")
            .map(|d| d.config_dir().join("calendar.toml"))
            .filter(|p| p.is_file())
    });
    let Some(file) = file else {
        return Ok(crate::domain::calendar::WorkCalendar::default_calendar());
    };
    let text = crate::user_file::read_text(&file, crate::user_file::limit::CONFIG)
        .map_err(|e| crate::user_file::describe(&file, &e, lang))?;
    crate::domain::calendar::WorkCalendar::parse(&text, Some(&file.display().to_string()))
        .map_err(|e| e.localized(lang))
}
