//! Outputs: rustc-like text with a code frame, JSON, SARIF 2.1.0 and GitHub review comments.
//!
//! Renderers are pure functions from findings to a `String`; writing it is the caller's job.

use std::fmt::Write;

use serde_json::{Value, json};

use crate::diagnostic::{Diagnostic, Lang, Level};
use crate::registry::{RuleInfo, rules};

/// rustc-like text: a header, the location, a code frame with a caret underline and the help.
/// Ends with a one-line count. No colours: callers may add them.
pub fn text(diags: &[Diagnostic], lang: Lang) -> String {
    let mut out = String::new();
    for d in diags {
        let level = match (lang, d.level) {
            (Lang::En, l) => l.as_str(),
            (Lang::Zh, Level::Error) => "错误",
            (Lang::Zh, Level::Warning) => "警告",
            (Lang::Zh, Level::Hint) => "提示",
        };
        let _ = writeln!(out, "{level}[{}]: {}", d.code, d.message.get(lang));
        let num = d.line.to_string();
        let pad = " ".repeat(num.len());
        let _ = writeln!(out, "{pad}--> {}:{}:{}", d.path, d.line, d.column);
        let _ = writeln!(out, "{pad} |");
        let shown = d.source_line.replace('\t', "    ");
        let _ = writeln!(out, "{num} | {shown}");
        // Columns are in characters; tabs before the column widen to four spaces.
        let before: String = d.source_line.chars().take(d.column.saturating_sub(1) as usize).collect();
        let indent = before.chars().map(|ch| if ch == '\t' { 4 } else { 1 }).sum::<usize>();
        let line_len = d.source_line.chars().count() as u32;
        let end = if d.end_line == d.line { d.end_column.min(line_len + 1) } else { line_len + 1 };
        let width = end.saturating_sub(d.column).max(1) as usize;
        let _ = writeln!(out, "{pad} | {}{}", " ".repeat(indent), "^".repeat(width));
        let _ = writeln!(out, "{pad} |");
        let help = if lang == Lang::Zh { "帮助" } else { "help" };
        let _ = writeln!(out, "{pad} = {help}: {}", d.help.get(lang));
        out.push('\n');
    }
    let n = diags.len();
    let _ = match lang {
        Lang::En => writeln!(out, "{n} finding{}", if n == 1 { "" } else { "s" }),
        Lang::Zh => writeln!(out, "共 {n} 个问题"),
    };
    out
}

/// A JSON array of findings, each with both languages.
pub fn json(diags: &[Diagnostic]) -> String {
    serde_json::to_string_pretty(diags).unwrap_or_else(|_| "[]".into())
}

fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Hint => "note",
    }
}

/// A SARIF 2.1.0 log with one run; every rule is listed in the driver, results refer to it by
/// `ruleId` and `ruleIndex`. Messages are in `lang`.
pub fn sarif(diags: &[Diagnostic], lang: Lang) -> String {
    let all: Vec<&RuleInfo> = rules().collect();
    let rule_objects: Vec<Value> = all
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": { "text": r.summary(lang) },
                "fullDescription": { "text": r.summary(lang) },
                "help": { "text": r.summary(lang), "markdown": r.doc() },
                "defaultConfiguration": { "level": sarif_level(r.level) },
            })
        })
        .collect();
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            json!({
                "ruleId": d.code,
                "ruleIndex": all.iter().position(|r| r.code == d.code).unwrap_or(0),
                "level": sarif_level(d.level),
                "message": { "text": format!("{} ({})", d.message.get(lang), d.help.get(lang)) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&d.path) },
                        "region": {
                            "startLine": d.line.max(1),
                            "startColumn": d.column.max(1),
                            "endLine": d.end_line.max(d.line).max(1),
                            "endColumn": d.end_column.max(1),
                        }
                    }
                }],
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "revdrill-analyzer-go",
                "informationUri": "https://github.com/revdrill/revdrill",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rule_objects,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

/// A URI reference: relative paths stay relative, absolute ones become `file://` URIs; `/`
/// separators, spaces and `%` escaped.
fn uri(path: &str) -> String {
    let p = path.replace('\\', "/");
    let p = p.strip_prefix("./").unwrap_or(&p);
    let escaped = p.replace('%', "%25").replace(' ', "%20");
    if escaped.starts_with('/') {
        format!("file://{escaped}")
    } else if escaped.as_bytes().get(1) == Some(&b':') {
        format!("file:///{escaped}") // C:/...
    } else {
        escaped
    }
}

/// The body of `POST /repos/{owner}/{repo}/pulls/{number}/reviews`: one `COMMENT` review with
/// an inline comment per finding on the new side of the diff.
pub fn github(diags: &[Diagnostic], lang: Lang) -> String {
    let comments: Vec<Value> = diags
        .iter()
        .map(|d| {
            let mut c = json!({
                "path": d.path.strip_prefix("./").unwrap_or(&d.path),
                "line": d.end_line.max(d.line),
                "side": "RIGHT",
                "body": format!("**{}** `{}` ({}): {}\n\n{}", d.code, d.name, d.level.as_str(), d.message.get(lang), d.help.get(lang)),
            });
            if d.end_line > d.line {
                c["start_line"] = json!(d.line);
                c["start_side"] = json!("RIGHT");
            }
            c
        })
        .collect();
    let body = match lang {
        Lang::En => format!("revdrill-analyzer-go: {} finding(s).", diags.len()),
        Lang::Zh => format!("revdrill-analyzer-go：共 {} 个问题。", diags.len()),
    };
    serde_json::to_string_pretty(&json!({ "event": "COMMENT", "body": body, "comments": comments })).unwrap_or_default()
}
