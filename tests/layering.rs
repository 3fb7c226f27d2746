//! The dependencies between the layers of `src/` point down (see docs/architecture.md):
//!
//! ```text
//! app ──▶ ui ──▶ api ──▶ server ──▶ model ──▶ domain
//!                 (server::http, the composition root, also serves app)
//! ```
//!
//! This test reads every `crate::…` and `super::…` path of `src/` (imports and paths written in
//! the code) and fails on a path that goes up a layer, and on a cycle between files. It needs no
//! database and no build of the site: it reads the sources.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What each layer may use, besides itself.
fn allowed(layer: &str) -> &'static [&'static str] {
    match layer {
        "domain" => &[],
        "error" => &[],
        "model" => &["domain"],
        "server" => &["domain", "model", "error"],
        "api" => &["domain", "model", "error", "server"],
        "ui" => &["domain", "model", "error", "api"],
        "app" => &["domain", "model", "error", "api", "ui"],
        _ => &[],
    }
}

/// Exceptions, each with its reason: module → layer it may also use.
const EXCEPTIONS: &[(&str, &str, &str)] = &[(
    "server::http",
    "app",
    "the HTTP stack is the composition root: it serves the application's shell and routes",
)];

/// A module path (`["server", "http"]`) and its file.
#[derive(Clone, Debug)]
struct Module {
    path: Vec<String>,
    file: PathBuf,
}

fn modules(src: &Path) -> Vec<Module> {
    let mut files = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src is readable") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .filter_map(|file| {
            let relative = file.strip_prefix(src).ok()?.with_extension("");
            let mut path: Vec<String> = relative.iter().map(|s| s.to_string_lossy().into_owned()).collect();
            if path.last().is_some_and(|l| l == "mod") {
                path.pop();
            }
            // The crate root and the binary wire everything together.
            if path == ["lib"] || path == ["main"] {
                return None;
            }
            Some(Module { path, file })
        })
        .collect()
}

/// The source without comments and string contents, so that only code is read.
fn code_only(source: &str) -> String {
    let bytes = source.as_bytes();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &source[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            i += end;
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(rest.len(), |e| e + 2);
            out.extend(rest[..end].chars().filter(|c| *c == '\n'));
            i += end;
        } else if rest.starts_with("r#\"") || rest.starts_with("r\"") {
            let hashes = rest[1..].chars().take_while(|c| *c == '#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let body = 2 + hashes;
            let end = rest[body..].find(&close).map_or(rest.len(), |e| body + e + close.len());
            out.push_str("\"\"");
            out.extend(rest[..end].chars().filter(|c| *c == '\n'));
            i += end;
        } else if rest.starts_with("'\"'") || rest.starts_with("'\\''") || rest.starts_with("'\\\"'") {
            out.push_str("' '");
            i += if rest.starts_with("'\"'") { 3 } else { 4 };
        } else if rest.starts_with('"') {
            let mut j = 1;
            let b = rest.as_bytes();
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            out.push_str("\"\"");
            out.extend(rest[..(j + 1).min(rest.len())].chars().filter(|c| *c == '\n'));
            i += (j + 1).min(rest.len());
        } else {
            let c = rest.chars().next().expect("a char");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The byte ranges of `#[cfg(test)] mod … { … }` blocks, where `super` is the file itself.
fn test_blocks(code: &str) -> Vec<(usize, usize)> {
    let mut blocks = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("#[cfg(test)]") {
        let start = from + at;
        let after = &code[start + "#[cfg(test)]".len()..];
        let trimmed = after.trim_start();
        if trimmed.starts_with("mod ") {
            if let Some(open) = after.find('{') {
                let open = start + "#[cfg(test)]".len() + open;
                let mut depth = 0;
                let mut end = code.len();
                for (k, c) in code[open..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = open + k;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                blocks.push((start, end));
                from = end;
                continue;
            }
        }
        from = start + 1;
    }
    blocks
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Expands a use tree starting at `text` (after `crate::` or `super::`): `a::b`, `a::{b, c::d}`.
fn use_tree(text: &str) -> Vec<Vec<String>> {
    fn parse(text: &str, i: &mut usize) -> Vec<Vec<String>> {
        let b: Vec<char> = text.chars().collect();
        let mut prefix = Vec::new();
        loop {
            while *i < b.len() && b[*i].is_whitespace() {
                *i += 1;
            }
            if *i < b.len() && b[*i] == '{' {
                *i += 1;
                let mut all = Vec::new();
                loop {
                    for mut sub in parse(text, i) {
                        let mut p = prefix.clone();
                        p.append(&mut sub);
                        all.push(p);
                    }
                    while *i < b.len() && b[*i].is_whitespace() {
                        *i += 1;
                    }
                    if *i < b.len() && b[*i] == ',' {
                        *i += 1;
                        continue;
                    }
                    if *i < b.len() && b[*i] == '}' {
                        *i += 1;
                    }
                    return all;
                }
            }
            let start = *i;
            while *i < b.len() && is_ident(b[*i]) {
                *i += 1;
            }
            if start == *i {
                return vec![prefix];
            }
            let word: String = b[start..*i].iter().collect();
            if word != "self" {
                prefix.push(word);
            }
            while *i < b.len() && b[*i].is_whitespace() {
                *i += 1;
            }
            if *i + 1 < b.len() && b[*i] == ':' && b[*i + 1] == ':' {
                *i += 2;
                continue;
            }
            // `as name` and anything else end this path.
            return vec![prefix];
        }
    }
    let mut i = 0;
    parse(text, &mut i)
}

/// Every module path a file refers to, absolute (`["domain", "spec", "Clause"]`).
fn references(module: &Module, source: &str) -> Vec<Vec<String>> {
    let code = code_only(source);
    let tests = test_blocks(&code);
    let is_mod_rs = module.file.file_name().is_some_and(|n| n == "mod.rs");
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::").chain(code.match_indices("super::")) {
        if at > 0 && code[..at].chars().next_back().is_some_and(|c| is_ident(c) || c == '$') {
            continue;
        }
        let in_test = tests.iter().any(|(s, e)| (*s..*e).contains(&at));
        let mut rest = &code[at..];
        let mut base: Vec<String> = if rest.starts_with("crate::") {
            rest = &rest["crate::".len()..];
            Vec::new()
        } else {
            // `super` of a file is its parent module (of a `mod.rs`, the parent of its folder);
            // in a test module inside the file, the file itself.
            let mut base = module.path.clone();
            if !in_test {
                base.pop();
            }
            let _ = is_mod_rs;
            rest = &rest["super::".len()..];
            while let Some(r) = rest.strip_prefix("super::") {
                base.pop();
                rest = r;
            }
            base
        };
        for tail in use_tree(rest) {
            let mut path = base.clone();
            path.extend(tail);
            if !path.is_empty() {
                found.push(path);
            }
        }
        base.clear();
    }
    found
}

/// The module (file) a path lands in: the longest prefix that is a module of `src/`.
fn target<'a>(path: &[String], known: &'a BTreeMap<Vec<String>, Module>) -> Option<&'a Module> {
    (1..=path.len()).rev().find_map(|n| known.get(&path[..n]))
}

/// Upward imports and file cycles of a set of modules with their sources.
fn check(modules: &[(Module, String)]) -> Vec<String> {
    let known: BTreeMap<Vec<String>, Module> = modules.iter().map(|(m, _)| (m.path.clone(), m.clone())).collect();
    let mut problems = Vec::new();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, source) in modules {
        let layer = module.path[0].as_str();
        let name = module.path.join("::");
        for path in references(module, source) {
            let used = path[0].as_str();
            let excepted = EXCEPTIONS
                .iter()
                .any(|(m, l, _)| (name == *m || name.starts_with(&format!("{m}::"))) && *l == used);
            if used != layer && !allowed(layer).contains(&used) && !excepted && known.contains_key(&path[..1]) {
                problems.push(format!(
                    "{}: `{layer}` uses `crate::{}` (a layer above it or beside it)",
                    module.file.display(),
                    path.join("::")
                ));
            }
            if let Some(to) = target(&path, &known) {
                // A module using what its own parent re-exports is not a cycle of files.
                let into_ancestor = module.path.starts_with(&to.path);
                if to.path != module.path && !into_ancestor {
                    edges.entry(module.path.clone()).or_default().insert(to.path.clone());
                }
            }
        }
    }
    // Cycles between files: a depth-first search that reports each back edge's loop.
    let mut state: BTreeMap<Vec<String>, u8> = BTreeMap::new();
    let mut stack: Vec<Vec<String>> = Vec::new();
    fn visit(
        node: &Vec<String>,
        edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, u8>,
        stack: &mut Vec<Vec<String>>,
        problems: &mut Vec<String>,
    ) {
        state.insert(node.clone(), 1);
        stack.push(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            match state.get(next).copied().unwrap_or(0) {
                0 => visit(next, edges, state, stack, problems),
                1 => {
                    let from = stack.iter().position(|n| n == next).unwrap_or(0);
                    let names: Vec<String> = stack[from..].iter().chain([next]).map(|n| n.join("::")).collect();
                    problems.push(format!("cycle between files: {}", names.join(" → ")));
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(node.clone(), 2);
    }
    for node in known.keys() {
        if !state.contains_key(node) {
            visit(node, &edges, &mut state, &mut stack, &mut problems);
        }
    }
    problems
}

fn source_modules() -> Vec<(Module, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    modules(&src)
        .into_iter()
        .map(|m| {
            let source = std::fs::read_to_string(&m.file).expect("a source file");
            (m, source)
        })
        .collect()
}

#[test]
fn dependencies_point_down_and_files_form_no_cycle() {
    let modules = source_modules();
    assert!(modules.len() > 60, "the sources were found: {}", modules.len());
    let problems = check(&modules);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The check itself fails on what it must refuse: an upward import (as `domain` using `model`
/// was before issue 15), a path written in the code, a grouped import, and a cycle.
#[test]
fn the_check_refuses_upward_imports_and_cycles() {
    let module = |path: &str, source: &str| {
        (
            Module {
                path: path.split("::").map(str::to_owned).collect(),
                file: PathBuf::from(format!("src/{}.rs", path.replace("::", "/"))),
            },
            source.to_owned(),
        )
    };
    let clean = [
        module("domain::spec", "use super::markdown::render;\n"),
        module("domain::markdown", "pub fn render() {}\n"),
        module("model::consultation", "use crate::domain::spec;\n"),
        module("server::http", "use crate::app::shell;\n"),
        module("app", "use crate::ui::pages;\n"),
        module(
            "ui::pages",
            "// crate::server::AppState in a comment\nlet s = \"crate::server\";\n",
        ),
        module("server", ""),
        module("ui", ""),
    ];
    assert_eq!(check(&clean), Vec::<String>::new());

    let upward = check(&[
        module("domain::consultation", "use crate::model::SourcingMode;\n"),
        module("model", ""),
        module("domain", ""),
    ]);
    assert_eq!(upward.len(), 1, "{upward:?}");
    assert!(
        upward[0].contains("`domain` uses `crate::model::SourcingMode`"),
        "{upward:?}"
    );

    let in_code = check(&[
        module(
            "server::publishing",
            "fn f() { let d = crate::ui::format::instant_fr(0); }\n",
        ),
        module("ui", ""),
        module("server", ""),
    ]);
    assert_eq!(in_code.len(), 1, "{in_code:?}");

    let grouped = check(&[
        module(
            "server::http::downloads",
            "use crate::{api::consultations::visible, domain::spec};\n",
        ),
        module("api", ""),
        module("server", ""),
        module("domain", ""),
    ]);
    assert_eq!(grouped.len(), 1, "{grouped:?}");
    assert!(grouped[0].contains("crate::api::consultations::visible"), "{grouped:?}");

    let cycle = check(&[
        module("domain::markdown", "use super::spec::{self, Specification};\n"),
        module("domain::spec", "use super::markdown;\n"),
    ]);
    assert!(cycle.iter().any(|p| p.starts_with("cycle between files")), "{cycle:?}");
}
