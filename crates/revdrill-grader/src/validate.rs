//! Checks of a drill that need the grader: every concept a group names must exist.

use revdrill_pack::{ConceptGroup, Drill, PackError};

use crate::concepts::{lexicon, mechanisms};

/// Problems with concept names in the drill's findings, traps and decoys, located in `drill.toml`.
pub fn check_concepts(drill: &Drill) -> Vec<PackError> {
    let mut errs = Vec::new();
    // `!name` is `name`, denied.
    let known = |name: &str| {
        let name = name.strip_prefix('!').unwrap_or(name);
        drill.concepts.contains_key(name) || lexicon().contains_key(name) || mechanisms().contains_key(name)
    };
    let mut check = |field: String, groups: &[ConceptGroup]| {
        for (g, group) in groups.iter().enumerate() {
            for (k, name) in group.iter().enumerate() {
                if !known(name) {
                    let field = format!("{field}[{g}][{k}]");
                    errs.push(PackError {
                        file: drill.toml_path(),
                        line: drill.line_of(&field),
                        field,
                        message: format!("unknown concept `{name}`: define it under [concepts] or use one of the lexicon's"),
                    });
                }
            }
        }
    };
    for (i, f) in drill.findings.iter().enumerate() {
        check(format!("findings[{i}].hit"), &f.hit);
        check(format!("findings[{i}].partial"), &f.partial);
    }
    for (i, t) in drill.traps.iter().enumerate() {
        check(format!("traps[{i}].match"), &t.matches);
    }
    for (i, d) in drill.decoys.iter().enumerate() {
        check(format!("decoys[{i}].match"), &d.matches);
    }
    for (name, terms) in &drill.concepts {
        for (lang, list) in [("en", &terms.en), ("zh", &terms.zh)] {
            for (k, term) in list.iter().enumerate() {
                if let Some(lex) =
                    crate::concepts::include_of(term).filter(|l| !lexicon().contains_key(*l) && !mechanisms().contains_key(*l))
                {
                    let field = format!("concepts.{name}.{lang}[{k}]");
                    errs.push(PackError {
                        file: drill.toml_path(),
                        line: drill.line_of(&format!("concepts.{name}")),
                        field,
                        message: format!("`@{lex}` includes no mechanism or lexicon concept"),
                    });
                }
            }
        }
    }
    for (i, t) in drill.traps.iter().enumerate() {
        for (k, name) in t.unless.iter().enumerate() {
            if !known(name) {
                let field = format!("traps[{i}].unless[{k}]");
                errs.push(PackError {
                    file: drill.toml_path(),
                    line: drill.line_of(&field),
                    field,
                    message: format!("unknown concept `{name}`"),
                });
            }
        }
    }
    errs
}

/// Concepts the drill defines but no group, `unless` or `!concept` names: dead phrasings that
/// cost matching time and mislead authors. Warnings, located in `drill.toml`.
pub fn lint_concepts(drill: &Drill) -> Vec<PackError> {
    let used: std::collections::BTreeSet<&str> = drill
        .findings
        .iter()
        .flat_map(|f| f.hit.iter().chain(&f.partial))
        .chain(drill.traps.iter().flat_map(|t| &t.matches))
        .chain(drill.decoys.iter().flat_map(|d| &d.matches))
        .flatten()
        .chain(drill.traps.iter().flat_map(|t| &t.unless))
        .map(|n| n.strip_prefix('!').unwrap_or(n))
        .collect();
    drill
        .concepts
        .keys()
        .filter(|name| !used.contains(name.as_str()))
        .map(|name| {
            let field = format!("concepts.{name}");
            PackError {
                file: drill.toml_path(),
                line: drill.line_of(&field),
                field,
                message: format!("concept `{name}` is named by no finding, trap or decoy"),
            }
        })
        .collect()
}
