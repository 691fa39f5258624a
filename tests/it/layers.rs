//! Layers only downward: the README's table of layers is the rule, and every
//! `crate::` path in `src/` outside test modules must name a module on a lower
//! line of it. A new module must be placed in the table before it is used.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The README's layer table: module name to layer number.
fn layers_in_readme() -> BTreeMap<String, u32> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let start = readme
        .find(" layer  module")
        .expect("the README's table of layers (a line ` layer  module ...`)");
    let table = &readme[start..];
    let table = &table[..table.find("```").expect("the table's closing fence")];
    let mut layers = BTreeMap::new();
    for line in table.lines().skip(1) {
        let mut words = line.split_whitespace();
        let (Some(number), Some(module)) = (words.next(), words.next()) else {
            continue;
        };
        let number: u32 = number
            .parse()
            .unwrap_or_else(|_| panic!("a layer number in the README's table: {line:?}"));
        layers.insert(module.to_string(), number);
    }
    layers
}

/// One use of a module from a higher or equal layer.
#[derive(Debug, PartialEq)]
struct Upward {
    file: String,
    line: usize,
    from: String,
    to: String,
}

/// The source without comments, up to its test module: a `#[cfg(test)]`
/// followed by `mod` ends what the layers govern (tests may build from any
/// layer, like the integration tests do).
fn governed_lines(source: &str) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    let mut previous_was_cfg_test = false;
    for (i, line) in source.lines().enumerate() {
        let code = match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        };
        let trimmed = code.trim();
        if previous_was_cfg_test && (trimmed.starts_with("mod ") || trimmed.starts_with("pub mod "))
        {
            break;
        }
        previous_was_cfg_test = trimmed == "#[cfg(test)]";
        lines.push((i + 1, code.to_string()));
    }
    lines
}

/// Every `crate::NAME` in `source` (the file `file` of top-level module
/// `from`) whose NAME is not on a lower layer than `from`.
fn upward_uses(
    layers: &BTreeMap<String, u32>,
    from: &str,
    file: &str,
    source: &str,
) -> Result<Vec<Upward>, String> {
    let own = *layers
        .get(from)
        .ok_or_else(|| format!("src/{from} is not in the README's table of layers"))?;
    let mut found = Vec::new();
    for (line, code) in governed_lines(source) {
        let mut rest = code.as_str();
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            rest = &after[name.len()..];
            if name == from {
                continue;
            }
            let to = *layers.get(&name).ok_or_else(|| {
                format!("{file}:{line} uses crate::{name}, which is not in the README's table")
            })?;
            if to >= own {
                found.push(Upward {
                    file: file.to_string(),
                    line,
                    from: from.to_string(),
                    to: name,
                });
            }
        }
    }
    Ok(found)
}

fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push(path);
        }
    }
}

#[test]
fn every_use_in_src_points_to_a_lower_layer() {
    let layers = layers_in_readme();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut upward = Vec::new();
    let mut unplaced = Vec::new();
    for path in files {
        let relative = path.strip_prefix(&src).expect("under src");
        let top = relative
            .components()
            .next()
            .expect("a component")
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        // main.rs and lib.rs are the crate's roots, above every layer; a
        // file named tests.rs is a test module.
        if matches!(top.as_str(), "main" | "lib") || path.ends_with("tests.rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("read a source file");
        let name = format!("src/{}", relative.display());
        match upward_uses(&layers, &top, &name, &source) {
            Ok(mut found) => upward.append(&mut found),
            Err(why) => unplaced.push(why),
        }
    }
    assert!(unplaced.is_empty(), "{unplaced:#?}");
    assert!(
        upward.is_empty(),
        "uses of a module on the same or a higher layer (README, \"How it is built\"):\n{}",
        upward
            .iter()
            .map(|u| format!("  {}:{}: {} uses {}", u.file, u.line, u.from, u.to))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The check itself fails on a wrong import: a store module that reaches up
/// into the registry, or a registry module into the tui, is named with its
/// line; comments and test modules are not governed.
#[test]
fn an_upward_use_is_caught_with_its_file_and_line() {
    let layers = layers_in_readme();
    let source = "//! uses crate::tui in a comment only\n\
                  use crate::domain::Trainee;\n\
                  use crate::registry::Registry;\n\
                  fn f() { crate::tui::app::App::draw(); }\n\
                  #[cfg(test)]\n\
                  mod tests { use crate::demo; }\n";
    let found = upward_uses(&layers, "store", "src/store/wrong.rs", source).expect("placed");
    assert_eq!(
        found,
        vec![
            Upward {
                file: "src/store/wrong.rs".into(),
                line: 3,
                from: "store".into(),
                to: "registry".into()
            },
            Upward {
                file: "src/store/wrong.rs".into(),
                line: 4,
                from: "store".into(),
                to: "tui".into()
            },
        ]
    );
    let unknown = upward_uses(
        &layers,
        "store",
        "src/store/wrong.rs",
        "use crate::nowhere::X;",
    );
    assert!(unknown.is_err_and(|why| why.contains("crate::nowhere")));
}
