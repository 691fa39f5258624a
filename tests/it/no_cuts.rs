//! Nothing that must be read whole is cut: every main screen
//! (`scenes::SCREENS`) at 80 x 24 and 120 x 40, in Chinese and in English,
//! shows each date, amount and voucher whole. Columns holding them get their
//! width first; text gives way, with a visible `…`.

use crate::common;

use std::collections::HashSet;

use qiangji::i18n::Lang;
use qiangji::tui::scenes::{self, SCREENS};
use qiangji::tui::screenshot::to_text;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// The runs of `chars` in `line` that `start` begins, with where they end.
fn runs<'a>(line: &'a str, start: impl Fn(char) -> bool + 'a) -> Vec<(String, Option<char>)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        // A value starts after a space, a frame or a bracket: digits inside
        // a voucher (拨-2026-1) or a word are not one.
        let after = i == 0 || " │(（[~>".contains(chars[i - 1]);
        if !start(chars[i]) || !after {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && (chars[j].is_ascii_digit() || ",.-".contains(chars[j])) {
            j += 1;
        }
        out.push((chars[i..j].iter().collect(), chars.get(j).copied()));
        i = j;
    }
    out
}

/// The parts of `screen` to read: all of it, or with an overlay open (a
/// form, the help, the palette) only what is inside the overlay's frame,
/// since the screen beneath is covered, not cut.
fn readable(screen: &str, overlay: bool) -> Vec<String> {
    if !overlay {
        return screen.lines().map(str::to_string).collect();
    }
    screen
        .lines()
        .filter_map(|l| {
            let parts: Vec<&str> = l.split('│').collect();
            (parts.len() >= 4).then(|| parts[2].to_string())
        })
        .collect()
}

/// What is cut on `screen`, each with its line.
fn cuts(screen: &str, vouchers: &HashSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    for line in screen.lines() {
        for (run, _) in runs(line, |c| c.is_ascii_digit()) {
            // A date begun must be whole: 2027-01-0 is not one.
            let run = run.trim_end_matches([',', '.']);
            let parts: Vec<&str> = run.split('-').collect();
            if parts.len() >= 2 && parts[0].len() == 4 && parts[1].len() <= 2 {
                let whole = parts.len() == 3 && parts[1].len() == 2 && parts[2].len() == 2;
                let month = parts.len() == 2 && parts[1].len() == 2;
                if !whole && !month {
                    found.push(format!("date {run:?} in {line:?}"));
                }
            }
        }
        // Money: ¥ or a sign, digits with thousands commas, and two decimals.
        for (run, _) in runs(line, |c| c == '¥') {
            let amount = run.trim_start_matches('¥').trim_start_matches('-');
            // A lone ¥ is a label's ("Amount ¥").
            if !amount.is_empty() && !is_amount(amount) {
                found.push(format!("amount {run:?} in {line:?}"));
            }
        }
        for (run, _) in runs(line, |c| c == '+') {
            if run.len() > 1 && !is_amount(&run[1..]) {
                found.push(format!("amount {run:?} in {line:?}"));
            }
        }
        // A voucher shown is one the ledger holds.
        for word in line.split(|c: char| c.is_whitespace() || c == '│') {
            let voucher_like = ["记-", "拨-", "基-", "奖-"]
                .iter()
                .any(|p| word.starts_with(p));
            if voucher_like && !vouchers.contains(word) {
                found.push(format!("voucher {word:?} in {line:?}"));
            }
        }
    }
    found
}

fn is_amount(s: &str) -> bool {
    let Some((units, cents)) = s.split_once('.') else {
        return false;
    };
    let cents = &cents[..cents.len().min(3)];
    cents.len() >= 2
        && cents[..2].chars().all(|c| c.is_ascii_digit())
        && !units.is_empty()
        && units
            .split(',')
            .all(|g| !g.is_empty() && g.chars().all(|c| c.is_ascii_digit()))
}

#[test]
fn no_date_amount_or_voucher_is_cut_at_80x24_or_120x40_in_either_language() {
    let (_dir, registry) = common::ui::demo();
    let mut vouchers = HashSet::new();
    for (account, _) in registry.balances().unwrap() {
        for e in registry.entries(&account).unwrap() {
            vouchers.insert(e.voucher);
        }
    }
    let mut problems = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        for (name, actions) in SCREENS {
            for (w, h) in SIZES {
                let mut app = common::ui::app_as(&registry, lang, "coordinator");
                let screen = to_text(&scenes::capture(&mut app, actions, w, h));
                let overlay = app.overlay().is_some();
                let screen = readable(&screen, overlay).join("\n");
                for cut in cuts(&screen, &vouchers) {
                    problems.push(format!("{name} {lang:?} {w}x{h}: {cut}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} cut:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_checker_sees_a_cut() {
    let vouchers: HashSet<String> = ["记-2026-10032".to_string()].into();
    assert!(cuts("│ 2026-01-09 至 2027-01-0 │", &vouchers).len() == 1);
    assert!(cuts("│ 余额 ¥234,01┐", &vouchers).len() == 1);
    assert!(cuts("│ 记-2026-100 │", &vouchers).len() == 1);
    assert!(
        cuts(
            "│ 2026-01-09 ¥1,234.50 +410,000.00 记-2026-10032 2026-09 │",
            &vouchers
        )
        .is_empty()
    );
    assert!(
        cuts(
            "│ 拨-2026-1 │ Amount ¥ │",
            &["拨-2026-1".to_string()].into()
        )
        .is_empty()
    );
    let covered = "│ 2027-01-0 │ 表单 2026-09-01 │ x │";
    assert_eq!(readable(covered, true), [" 表单 2026-09-01 "]);
}

/// The screen `actions` reach, as text, at `w` x `h` in `lang`.
fn seen(lang: Lang, actions: &[qiangji::tui::action::Action], w: u16, h: u16) -> String {
    let (_dir, registry) = common::ui::demo();
    let mut app = common::ui::app_as(&registry, lang, "coordinator");
    to_text(&scenes::capture(&mut app, actions, w, h))
}

#[test]
fn the_cuts_a_new_user_saw_are_gone() {
    use qiangji::tui::action::Action as A;
    // The ledger overview at 80x24 names the humanities group whole.
    assert!(seen(Lang::Zh, &[A::LedgerOverview], 80, 24).contains("历史哲学古文字学组"));
    // The palette's longest entry fits at 80x24.
    let new = A::NewRecord.describe(Lang::Zh);
    let (_dir, registry) = common::ui::demo();
    let mut app = common::ui::app_as(&registry, Lang::Zh, "coordinator");
    scenes::capture(&mut app, &[A::Palette], 80, 24);
    common::ui::typed(&mut app, "新建");
    assert!(app.screen_text().contains(new), "{}", app.screen_text());
    // The audit trail at 120x40 in English: groups and actions whole.
    let audit = seen(Lang::En, &[A::AuditLog], 120, 40);
    assert!(
        audit.contains("Humanities group") && audit.contains("record coaches' development"),
        "{audit}"
    );
    // The help wraps instead of cutting.
    let help = seen(Lang::En, &[A::Help], 120, 40);
    assert!(
        !help.contains("accou\u{20}") && !help.contains("accou│"),
        "{help}"
    );
}

/// Labels cut or run into their values on `screen`: a label of the
/// interface (`L::ALL`) shown without its last character before a space or
/// a frame (`区市推荐意 `), or a label of several words running straight
/// into a word (`Plan / reportsubmitted`).
fn label_cuts(screen: &str, lang: Lang) -> Vec<String> {
    use qiangji::tui::strings::L;
    let labels: HashSet<&str> = L::ALL.iter().map(|l| l.get(lang)).collect();
    let mut found = Vec::new();
    for line in screen.lines() {
        for label in &labels {
            let chars: Vec<char> = label.chars().collect();
            if chars.len() < 4 || chars.iter().any(|c| "（(：:…".contains(*c)) {
                continue;
            }
            let cut: String = chars[..chars.len() - 1].iter().collect();
            // An English label without its last letter is often a word of
            // its own (`Saved`, `Save`): those are checked where they run
            // into their values, and in the tables by the tests below.
            let check_cut = !labels.contains(cut.as_str()) && !label.is_ascii();
            for (at, _) in line.match_indices(&cut).filter(|_| check_cut) {
                let next = line[at + cut.len()..].chars().next();
                let before = line[..at].chars().next_back();
                let starts = before.is_none_or(|c| c == ' ' || c == '│');
                if starts && matches!(next, Some(' ') | Some('│')) {
                    found.push(format!("label {label:?} cut in {line:?}"));
                }
            }
            let several_words = label.is_ascii() && label.contains(' ');
            if several_words {
                for (at, _) in line.match_indices(label) {
                    let next = line[at + label.len()..].chars().next();
                    if next.is_some_and(|c| c.is_ascii_alphanumeric()) {
                        found.push(format!("label {label:?} runs into {line:?}"));
                    }
                }
            }
        }
    }
    found
}

#[test]
fn no_label_is_cut_or_runs_into_its_value() {
    let (_dir, registry) = common::ui::demo();
    let mut problems = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        for (name, actions) in SCREENS {
            for (w, h) in SIZES {
                let mut app = common::ui::app_as(&registry, lang, "coordinator");
                let screen = to_text(&scenes::capture(&mut app, actions, w, h));
                let screen = readable(&screen, app.overlay().is_some()).join("\n");
                for cut in label_cuts(&screen, lang) {
                    problems.push(format!("{name} {lang:?} {w}x{h}: {cut}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_long_status_line_is_shown_whole_or_ends_in_an_ellipsis() {
    use qiangji::domain::{Actor, ProjectId, Role};
    use qiangji::tui::app::Message;
    use qiangji::tui::key::Key;
    let (_dir, registry) = common::ui::demo();
    for lang in [Lang::Zh, Lang::En] {
        for (w, h) in SIZES {
            let mut app = common::ui::app_as(&registry, lang, "coordinator");
            common::ui::send(&mut app, Message::Resize(w, h));
            // The help open, the role changed: the longest message there is
            // about a role.
            common::ui::press(&mut app, &[Key::char('?')]);
            let mut actor = Actor::admin("coordinator");
            actor.role = Role::ChiefCoach(ProjectId::Humanities);
            let role = actor.role.label(lang);
            common::ui::send(&mut app, Message::Rescoped(actor));
            let said = match app.status() {
                Some(qiangji::tui::ctx::Status::Info(m)) => m.clone(),
                other => panic!("{other:?}"),
            };
            assert!(said.contains(&role), "{said}");
            let screen = app.screen_text();
            // The footer's rows, joined as one text again.
            let lines: Vec<&str> = screen.lines().collect();
            let foot: String = lines[lines.len() - 3..]
                .iter()
                .map(|l| l.trim())
                .collect::<Vec<_>>()
                .join(" ");
            let joined: String = foot.split_whitespace().collect();
            let whole: String = said.split_whitespace().collect();
            assert!(
                joined.contains(&whole) || foot.contains('…'),
                "{lang:?} {w}x{h}: {said:?} cut:\n{screen}"
            );
        }
    }
}

#[test]
fn the_users_screen_shows_every_role_whole_or_with_an_ellipsis() {
    use qiangji::tui::action::Action;
    let (_dir, registry) = common::ui::demo();
    let users = registry.users().unwrap();
    for lang in [Lang::Zh, Lang::En] {
        for (w, h) in SIZES {
            let mut app = common::ui::app_as(&registry, lang, "coordinator");
            let screen = to_text(&scenes::capture(&mut app, &[Action::Users], w, h));
            for u in &users {
                let Some(line) = screen
                    .lines()
                    .find(|l| l.split([' ', '│', '>']).any(|word| word == u.login))
                else {
                    continue;
                };
                let role = u.role.label(lang);
                assert!(
                    line.contains(&role) || line.contains('…'),
                    "{lang:?} {w}x{h}: {role:?} cut in {line:?}"
                );
            }
        }
    }
}

#[test]
fn every_roles_title_bar_keeps_the_date_and_says_who_whole_or_with_an_ellipsis() {
    use qiangji::domain::{Actor, ProjectId, Role};
    let (_dir, registry) = common::ui::demo();
    let today = registry.today().to_string();
    let mut roles = vec![
        Role::Admin,
        Role::Finance,
        Role::Viewer(vec![ProjectId::Math]),
    ];
    for p in ProjectId::ALL {
        roles.push(Role::ChiefCoach(p));
        roles.push(Role::Coach(p));
    }
    let mut problems = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        for role in &roles {
            for (w, h) in SIZES {
                let mut actor = Actor::admin("chief-chemistry");
                actor.role = role.clone();
                let mut app = qiangji::tui::app::App::with_registry(
                    lang,
                    qiangji::tui::keymap::Keymap::default_keymap(),
                    qiangji::tui::theme::ColorMode::None,
                    actor.clone(),
                    registry.clone(),
                );
                let screen = to_text(&scenes::capture(&mut app, &[], w, h));
                let title = screen.lines().next().unwrap_or_default().to_string();
                let who = format!("{} · {}", actor.login, role.label(lang));
                if !title.contains(&today) {
                    problems.push(format!("{role:?} {lang:?} {w}x{h}: no date in {title:?}"));
                }
                if !title.contains(&who) && !title.contains('…') {
                    problems.push(format!(
                        "{role:?} {lang:?} {w}x{h}: {who:?} cut in {title:?}"
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_label_checker_sees_a_cut_label_and_one_running_into_its_value() {
    assert_eq!(label_cuts("│区市推荐意 市南区同意   │", Lang::Zh).len(), 1);
    assert!(label_cuts("│区市推荐意见 市南区同意 │", Lang::Zh).is_empty());
    assert_eq!(label_cuts("│Plan / reportsubmitted │", Lang::En).len(), 1);
    assert!(label_cuts("│Plan / report submitted │", Lang::En).is_empty());
}
