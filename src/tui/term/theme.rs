//! Colours. Truecolor when the terminal says so (COLORTERM), the 16 ANSI
//! colours otherwise, none with NO_COLOR. Nothing is told by colour alone:
//! every status also has a mark or a word.

use ratatui::style::{Color, Modifier, Style};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorMode {
    TrueColor,
    Ansi16,
    None,
}

impl ColorMode {
    /// From the environment, as terminals and SSH clients report it.
    pub fn detect() -> ColorMode {
        let no_color = std::env::var("NO_COLOR").ok();
        let colorterm = std::env::var("COLORTERM").ok();
        ColorMode::from_vars(no_color.as_deref(), colorterm.as_deref())
    }

    /// From `NO_COLOR` and `COLORTERM` as a terminal (or an SSH client's
    /// environment request) gives them.
    pub fn from_vars(no_color: Option<&str>, colorterm: Option<&str>) -> ColorMode {
        if no_color.is_some_and(|v| !v.is_empty()) {
            return ColorMode::None;
        }
        match colorterm.map(str::to_ascii_lowercase) {
            Some(v) if v == "truecolor" || v == "24bit" => ColorMode::TrueColor,
            _ => ColorMode::Ansi16,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub base: Style,
    pub title: Style,
    pub header: Style,
    pub selected: Style,
    pub border: Style,
    pub focus_border: Style,
    pub dim: Style,
    pub warn: Style,
    pub bad: Style,
    pub good: Style,
    pub accent: Style,
    pub key: Style,
}

impl Theme {
    pub fn new(mode: ColorMode) -> Theme {
        let plain = Style::default();
        match mode {
            ColorMode::None => Theme {
                base: plain,
                title: plain.add_modifier(Modifier::BOLD),
                header: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                selected: plain.add_modifier(Modifier::REVERSED),
                border: plain,
                focus_border: plain.add_modifier(Modifier::BOLD),
                dim: plain,
                warn: plain.add_modifier(Modifier::BOLD),
                bad: plain.add_modifier(Modifier::BOLD),
                good: plain,
                accent: plain.add_modifier(Modifier::BOLD),
                key: plain.add_modifier(Modifier::BOLD),
            },
            ColorMode::Ansi16 => Theme {
                base: plain,
                title: plain
                    .fg(Color::Black)
                    .bg(Color::Cyan)
                    .add_modifier(Modifier::BOLD),
                header: plain.fg(Color::Yellow).add_modifier(Modifier::BOLD),
                selected: plain.fg(Color::Black).bg(Color::Cyan),
                border: plain.fg(Color::DarkGray),
                focus_border: plain.fg(Color::Cyan),
                dim: plain.fg(Color::DarkGray),
                warn: plain.fg(Color::Yellow),
                bad: plain.fg(Color::LightRed).add_modifier(Modifier::BOLD),
                good: plain.fg(Color::Green),
                accent: plain.fg(Color::LightCyan).add_modifier(Modifier::BOLD),
                key: plain.fg(Color::LightCyan),
            },
            ColorMode::TrueColor => Theme {
                base: plain,
                title: plain
                    .fg(Color::Rgb(20, 24, 32))
                    .bg(Color::Rgb(122, 184, 214))
                    .add_modifier(Modifier::BOLD),
                header: plain
                    .fg(Color::Rgb(230, 190, 110))
                    .add_modifier(Modifier::BOLD),
                selected: plain
                    .fg(Color::Rgb(20, 24, 32))
                    .bg(Color::Rgb(150, 200, 225)),
                border: plain.fg(Color::Rgb(90, 96, 108)),
                focus_border: plain.fg(Color::Rgb(122, 184, 214)),
                dim: plain.fg(Color::Rgb(130, 136, 148)),
                warn: plain.fg(Color::Rgb(230, 180, 80)),
                bad: plain
                    .fg(Color::Rgb(240, 110, 100))
                    .add_modifier(Modifier::BOLD),
                good: plain.fg(Color::Rgb(130, 200, 130)),
                accent: plain
                    .fg(Color::Rgb(150, 210, 240))
                    .add_modifier(Modifier::BOLD),
                key: plain.fg(Color::Rgb(150, 210, 240)),
            },
        }
    }
}
