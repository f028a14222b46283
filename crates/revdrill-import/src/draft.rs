//! Drafting `drill.toml`: checklist from what the change touches, answer key from the Go
//! analyzer's findings on added lines, `missing-tests` when no test changed.
//!
//! Everything drafted is marked (a `drafted` tag and a comment above each finding) so that the
//! learner, or whoever curates the pack, knows to read it before trusting it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use revdrill_analyzer_go::{Diagnostic, Level, Vocabulary, rule};
use revdrill_pack::diff::{FileDiff, LineKind};

use crate::select::{Dropped, FileChange, is_test};

/// What the drill is about, before drafting.
pub(crate) struct Meta<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub source: &'a str,
    pub body: &'a str,
    /// Facts the learner should know (merge commit, lossy text...), en and zh.
    pub notes: &'a [(String, String)],
    /// Where the change comes from, for the header comment.
    pub origin: &'a str,
}

/// One finding of the answer key, drafted.
struct Draft {
    id: String,
    category: &'static str,
    severity: &'static str,
    lines: Vec<(u32, u32)>,
    rules: Vec<String>,
    hit: Vec<Vec<String>>,
    partial: Vec<Vec<String>>,
    problem: (String, String),
    risk: (String, String),
    suggestion: (String, String),
    comment: String,
    item: &'static str,
    origin: String,
}

/// A rule's vocabulary, declared next to the rule (`RuleInfo::vocabulary`). A code the
/// analyzer does not know (a drill naming a retired rule) gets the generic words.
fn vocab(code: &str) -> Vocabulary {
    rule(code).map_or(
        Vocabulary {
            category: "correctness",
            item: "error-paths",
            general: None,
            en: &["bug", "wrong", "incorrect"],
            zh: &["错误", "不对", "有问题"],
        },
        |r| r.vocabulary,
    )
}

const MISSING_TEST_EN: &[&str] = &[
    "no test",
    "without test",
    "missing test",
    "not covered",
    "untested",
    "add a test",
    "needs a test",
    "write a test",
    "no coverage",
    "no unit test",
];
const MISSING_TEST_ZH: &[&str] =
    &["没有*测试", "缺少*测试", "缺*测试", "补*测试", "加*测试", "没有单测", "需要*测试", "没有*test", "补*单测", "加*单测"];
const PROOF_EN: &[&str] =
    &["regression", "fail without", "would catch", "prove", "verify", "assert", "reproduce", "edge case", "error path"];
const PROOF_ZH: &[&str] = &["回归", "证明", "验证", "断言", "复现", "边界", "错误路径", "没有这次改动就会失败"];

/// Keywords of the added lines that put a checklist item on the list.
const CONCURRENCY: &[&str] = &[
    "go func",
    "go ",
    "sync.",
    "Mutex",
    ".Lock()",
    "RLock()",
    "chan ",
    "<-",
    "select {",
    "WaitGroup",
    "atomic.",
    "thread",
    "spawn",
    "async ",
    "await",
    "Arc<",
];
const ERRORS: &[&str] = &["err ", "err)", "err.", "error", "Err(", "?;", "except", "catch", "throw", "panic", "unwrap", "raise"];
const SECURITY: &[&str] = &[
    "filepath.",
    "path.Join",
    "os.Open",
    "os.Create",
    "os.Remove",
    "ReadFile",
    "WriteFile",
    "../",
    "exec.Command",
    "os/exec",
    "subprocess",
    "Command::new",
    "system(",
    "popen",
    "SELECT ",
    "INSERT ",
    "UPDATE ",
    "DELETE FROM",
    "db.Query",
    "db.Exec",
    "sql.",
    "std::fs",
    "open(",
    "Unmarshal",
    "template.HTML",
    "http.",
];

/// Writes `drill.toml`.
pub(crate) fn drill_toml(
    meta: &Meta,
    files: &[FileChange],
    dropped: &[Dropped],
    diff: &[FileDiff],
    diags: &[Diagnostic],
) -> String {
    let added: Vec<(&str, u32, &str)> = diff
        .iter()
        .flat_map(|f| {
            f.lines().filter(|l| l.kind == LineKind::Added).map(move |l| (f.path(), l.new_line.unwrap_or(0), l.text.as_str()))
        })
        .collect();
    let has = |words: &[&str]| added.iter().any(|(p, _, t)| !is_test(p) && words.iter().any(|w| t.contains(w)));
    let tests_changed = files.iter().any(|f| is_test(&f.path) && !f.deleted);

    let mut drafts = findings(diff, diags);
    drafts.push(testing_finding(files, diff, diags, tests_changed));

    let mut items: Vec<&'static str> = Vec::new();
    for (id, words) in [("concurrency", CONCURRENCY), ("error-paths", ERRORS), ("security", SECURITY)] {
        if has(words) || drafts.iter().any(|d| d.item == id) {
            items.push(id);
        }
    }
    items.push("testing");
    let language = language(files);
    let mut tags: Vec<&str> = vec!["drafted", "imported"];
    tags.extend(items.iter().filter(|i| **i != "testing").copied());
    let total: usize = files.iter().map(FileChange::size).sum();
    let difficulty = if total < 40 {
        "easy"
    } else if total < 200 {
        "medium"
    } else {
        "hard"
    };

    let mut out = String::new();
    let _ = writeln!(out, "# Drafted by `revdrill import` from {}.", crate::one_line(meta.origin));
    let _ = writeln!(
        out,
        "# The checklist and answer key are drafts from the Go analyzer: read and edit them before relying on the grades."
    );
    for d in dropped {
        let _ = writeln!(out, "# not shown: {} ({})", crate::one_line(&d.path), d.why.0);
    }
    let _ = writeln!(out, "id = {}", s(meta.id));
    let _ = writeln!(out, "title = {}", s(meta.title));
    let _ = writeln!(out, "source = {}", s(meta.source));
    let _ = writeln!(out, "language = {}", s(&language));
    let _ = writeln!(out, "difficulty = {}", s(difficulty));
    let _ = writeln!(out, "tags = [{}]", tags.iter().map(|t| s(t)).collect::<Vec<_>>().join(", "));
    let (pen, pzh) = purpose(meta);
    let _ = writeln!(out, "\n[purpose]\nen = {}\nzh = {}", s(&pen), s(&pzh));

    let (len, lzh) = new_logic(files, dropped, meta.notes);
    let _ = writeln!(out, "\n[new_logic]\nen = [{}]\nzh = [{}]", list(&len), list(&lzh));

    for item in &items {
        let covers: Vec<&str> = drafts.iter().filter(|d| d.item == *item).map(|d| d.id.as_str()).collect();
        let (en, zh) = prompt(item);
        let _ = writeln!(
            out,
            "\n[[checklist]]\nid = {}\ncovers = [{}]\nprompt = {{ en = {}, zh = {} }}",
            s(item),
            list(&covers),
            s(en),
            s(zh)
        );
    }
    let _ = writeln!(
        out,
        "\n[[checklist]]\nid = \"expression\"\nkind = \"comment\"\ncovers = []\nprompt = {{ en = {}, zh = {} }}",
        s("Expression: write one English review comment that sums up one of your points: clear, specific and argued."),
        s("表达练习：写一句英文 code review comment，总结上面其中一点，要求清晰、具体、有理有据。")
    );

    // Concepts: one per rule used, one per finding for the code it names.
    let mut concepts: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for d in &drafts {
        for code in &d.rules {
            if code == "GO018" {
                continue;
            }
            let v = vocab(code);
            concepts.insert(
                rule_concept(code),
                (v.en.iter().map(|t| t.to_string()).collect(), v.zh.iter().map(|t| t.to_string()).collect()),
            );
        }
    }
    concepts.insert(
        "missing-test".into(),
        (MISSING_TEST_EN.iter().map(|t| t.to_string()).collect(), MISSING_TEST_ZH.iter().map(|t| t.to_string()).collect()),
    );
    concepts.insert(
        "regression-proof".into(),
        (PROOF_EN.iter().map(|t| t.to_string()).collect(), PROOF_ZH.iter().map(|t| t.to_string()).collect()),
    );
    for d in &drafts {
        let idents = identifiers(&d.problem.0);
        if !idents.is_empty() {
            let terms: Vec<String> = idents.iter().map(|i| format!("`{i}`")).collect();
            concepts.insert(format!("{}-code", d.id), (terms.clone(), terms));
        }
    }
    let _ = writeln!(out, "\n[concepts]");
    for (name, (en, zh)) in &concepts {
        let _ = writeln!(out, "{name} = {{ en = [{}], zh = [{}] }}", list(en), list(zh));
    }

    for d in &drafts {
        let code_concept = format!("{}-code", d.id);
        let mut hit = d.hit.clone();
        let mut partial = d.partial.clone();
        if concepts.contains_key(&code_concept) {
            if let Some(first) = d.hit.first().and_then(|g| g.first()) {
                hit.push(vec![first.clone(), code_concept.clone()]);
            }
            partial.push(vec![code_concept.clone()]);
        }
        let _ = writeln!(out, "\n# drafted from {}: check the lines, the severity and the texts", crate::one_line(&d.origin));
        let _ = writeln!(out, "[[findings]]\nid = {}\ncategory = {}\nseverity = {}", s(&d.id), s(d.category), s(d.severity));
        let lines: Vec<String> =
            d.lines.iter().map(|&(a, b)| if a == b { a.to_string() } else { s(&format!("{a}-{b}")) }).collect();
        let _ = writeln!(out, "lines = [{}]", lines.join(", "));
        if !d.rules.is_empty() {
            let _ = writeln!(out, "rules = [{}]", list(&d.rules));
        }
        let _ = writeln!(out, "hit = [{}]", groups(&hit));
        if !partial.is_empty() {
            let _ = writeln!(out, "partial = [{}]", groups(&partial));
        }
        for (name, (en, zh)) in [("problem", &d.problem), ("risk", &d.risk), ("suggestion", &d.suggestion)] {
            let _ = writeln!(out, "{name} = {{ en = {}, zh = {} }}", s(en), s(zh));
        }
        let _ = writeln!(out, "comment = {}", s(&d.comment));
    }
    out
}

fn rule_concept(code: &str) -> String {
    format!("rule-{}", code.to_ascii_lowercase())
}

/// One finding per cluster of diagnostics: same rule, same file, lines at most five apart.
fn findings(diff: &[FileDiff], diags: &[Diagnostic]) -> Vec<Draft> {
    let mut sorted: Vec<&Diagnostic> = diags.iter().filter(|d| d.code != "GO018").collect();
    sorted.sort_by(|a, b| (a.code, &a.path, a.line).cmp(&(b.code, &b.path, b.line)));
    let mut clusters: Vec<Vec<&Diagnostic>> = Vec::new();
    for d in sorted {
        match clusters.last_mut() {
            Some(c) if c[0].code == d.code && c[0].path == d.path && d.line <= c.last().unwrap().end_line + 5 => c.push(d),
            _ => clusters.push(vec![d]),
        }
    }
    // Most severe first, then in file order; a drill with more than eight findings is a list, not a review.
    clusters.sort_by_key(|c| (level_rank(c[0].level), c[0].path.clone(), c[0].line));
    clusters.truncate(8);
    clusters.sort_by_key(|c| (c[0].path.clone(), c[0].line));
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for c in clusters {
        let d = c[0];
        let mut lines: Vec<(u32, u32)> = c.iter().filter_map(|d| shown_range(diff, &d.path, d.line, d.end_line)).collect();
        lines.dedup();
        if lines.is_empty() {
            continue;
        }
        let info = rule(d.code);
        let name = info.map_or(d.name, |r| r.name);
        let n = used.entry(name.to_string()).or_default();
        *n += 1;
        let id = if *n == 1 { name.to_string() } else { format!("{name}-{n}") };
        let v = vocab(d.code);
        let concept = rule_concept(d.code);
        let hit = match v.general {
            Some(g) => vec![vec![concept.clone(), g.to_string()]],
            None => vec![vec![concept.clone()]],
        };
        let partial = if v.general.is_some() { vec![vec![concept.clone()]] } else { Vec::new() };
        let why = info.map(|r| section(&r.doc(), "## Why is this bad?")).unwrap_or_default();
        let risk_en = if why.is_empty() { info.map_or(d.message.en.clone(), |r| r.summary_en.to_string()) } else { why };
        let risk_zh = match info {
            Some(r) => format!("{}（完整说明：`revdrill rules {}`）", r.summary_zh, r.code),
            None => d.message.zh.clone(),
        };
        let severity = match d.level {
            Level::Error => "major",
            Level::Warning => "minor",
            Level::Hint => "nit",
        };
        let label = if d.level == Level::Error { "issue (blocking)" } else { "issue" };
        let also = if c.len() > 1 { format!(" (and {} more like it nearby)", c.len() - 1) } else { String::new() };
        let also_zh = if c.len() > 1 { format!("（附近还有 {} 处类似问题）", c.len() - 1) } else { String::new() };
        out.push(Draft {
            id,
            category: v.category,
            severity,
            lines,
            rules: vec![d.code.to_string()],
            hit,
            partial,
            problem: (
                capital(&format!("{}{also}.", d.message.en.trim_end_matches('.'))),
                format!("{}{also_zh}。", d.message.zh.trim_end_matches('。')),
            ),
            risk: (risk_en, risk_zh),
            suggestion: (capital(&d.help.en), d.help.zh.clone()),
            comment: format!(
                "{label}: {}{also}. Could we {}?",
                d.message.en.trim_end_matches('.'),
                lower_first(d.help.en.trim_end_matches('.'))
            ),
            item: v.item,
            origin: format!("{} ({}) at {}:{}", d.code, name, d.path, d.line),
        });
    }
    out
}

fn testing_finding(files: &[FileChange], diff: &[FileDiff], diags: &[Diagnostic], tests_changed: bool) -> Draft {
    let first_added = |want_test: bool| {
        diff.iter()
            .filter(|f| is_test(f.path()) == want_test)
            .flat_map(|f| f.lines())
            .find(|l| l.kind == LineKind::Added)
            .and_then(|l| l.new_line)
    };
    let any_line = diff.iter().flat_map(|f| f.lines()).find_map(|l| l.new_line).unwrap_or(1);
    if tests_changed {
        let tests: Vec<String> = files.iter().filter(|f| is_test(&f.path)).map(|f| format!("`{}`", f.path)).take(3).collect();
        let line = first_added(true).or(first_added(false)).unwrap_or(any_line);
        return Draft {
            id: "test-coverage".into(),
            category: "testing",
            severity: "minor",
            lines: vec![(line, line)],
            rules: Vec::new(),
            hit: vec![vec!["test".into(), "regression-proof".into()]],
            partial: vec![vec!["test".into()]],
            problem: (
                format!("The change updates tests ({}); whether they fail without the change and reach its error paths is for the reviewer to check.", tests.join(", ")),
                format!("这次改动更新了测试（{}）；这些测试在没有本改动时是否会失败、是否覆盖了错误路径，需要 reviewer 检查。", tests.join("、")),
            ),
            risk: ("A test that passes with or without the change proves nothing and lets the bug come back.".into(), "一个有没有改动都能通过的测试什么也证明不了，bug 可能悄悄回来。".into()),
            suggestion: ("Check that each new test fails on the parent commit and covers the failure and edge cases, not only the happy path.".into(), "确认每个新测试在父提交上会失败，并覆盖失败和边界情况，而不只是正常路径。".into()),
            comment: "question: do the new tests fail without this change, and do they cover the error paths as well as the happy path?".into(),
            item: "testing",
            origin: "the test files the change touches".into(),
        };
    }
    let line = first_added(false).unwrap_or(any_line);
    let go018 = diags.iter().find(|d| d.code == "GO018");
    let (problem, suggestion, rules) = match go018 {
        Some(d) => (
            (capital(&format!("{}.", d.message.en.trim_end_matches('.'))), d.message.zh.clone()),
            (capital(&d.help.en), d.help.zh.clone()),
            vec!["GO018".to_string()],
        ),
        None => (
            (
                "The change adds or changes code but no test file.".into(),
                "这次改动新增或修改了代码，但没有改动任何测试文件。".into(),
            ),
            (
                "Add a test that fails without this change, covering its error paths too.".into(),
                "补充一个没有这次改动就会失败的测试，并覆盖错误路径。".into(),
            ),
            Vec::new(),
        ),
    };
    Draft {
        id: "missing-tests".into(),
        category: "testing",
        severity: "major",
        lines: vec![(line, line)],
        rules,
        hit: vec![vec!["missing-test".into(), "regression-proof".into()]],
        partial: vec![vec!["missing-test".into()]],
        problem,
        risk: (
            "Nothing shows the change works, and nothing stops it from regressing unnoticed.".into(),
            "没有任何东西能证明这次改动是对的，也没有东西能防止它悄悄回退。".into(),
        ),
        suggestion,
        comment:
            "issue: this change comes without a test: could we add one that fails without it and also covers the error path?"
                .into(),
        item: "testing",
        origin: if go018.is_some() { "GO018 (package-without-test)".into() } else { "no test file in the change".into() },
    }
}

fn level_rank(l: Level) -> u8 {
    match l {
        Level::Error => 0,
        Level::Warning => 1,
        Level::Hint => 2,
    }
}

/// The lines `line..=end` of `path` that the diff shows, as one range from `line` on.
fn shown_range(diff: &[FileDiff], path: &str, line: u32, end: u32) -> Option<(u32, u32)> {
    let f = diff.iter().find(|f| f.path() == path)?;
    if !f.shows_new_line(line) {
        return None;
    }
    let mut last = line;
    while last < end && f.shows_new_line(last + 1) {
        last += 1;
    }
    Some((line, last))
}

/// The first paragraph under `heading` of a rule's Markdown doc, on one line.
fn section(doc: &str, heading: &str) -> String {
    let Some(start) = doc.find(heading) else { return String::new() };
    let rest = &doc[start + heading.len()..];
    let para: Vec<&str> =
        rest.trim_start().lines().take_while(|l| !l.trim().is_empty() && !l.starts_with('#')).map(str::trim).collect();
    para.join(" ")
}

/// Identifiers the analyzer quoted in backticks (`s.tasks.Get`, `ctx`): the code a learner
/// would name. Bare short names are too common to count.
fn identifiers(text: &str) -> Vec<String> {
    let mut out = BTreeSet::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 && part.len() >= 4 && !part.contains(char::is_whitespace) && part.len() <= 60 {
            out.insert(part.to_string());
        }
    }
    out.into_iter().take(4).collect()
}

fn purpose(meta: &Meta) -> (String, String) {
    let body: String = meta.body.lines().filter(|l| !is_trailer(l)).collect::<Vec<_>>().join("\n");
    let body = body.trim();
    if body.is_empty() {
        (
            format!("The commit message has no body; its subject says: {}", meta.title),
            format!("提交说明没有正文；标题是：{}", meta.title),
        )
    } else {
        let short: String = if body.chars().count() > 1200 {
            format!("{}…", body.chars().take(1200).collect::<String>())
        } else {
            body.to_string()
        };
        (short.clone(), format!("（提交说明原文，未翻译）\n{short}"))
    }
}

fn is_trailer(l: &str) -> bool {
    ["Signed-off-by:", "Co-authored-by:", "Reviewed-by:", "Change-Id:", "Acked-by:"].iter().any(|t| l.starts_with(t))
}

fn new_logic(files: &[FileChange], dropped: &[Dropped], notes: &[(String, String)]) -> (Vec<String>, Vec<String>) {
    let (mut en, mut zh) = (Vec::new(), Vec::new());
    for (e, z) in notes {
        en.push(e.clone());
        zh.push(z.clone());
    }
    for f in files.iter().take(8) {
        let what = match (&f.old_path, f.deleted) {
            (Some(old), _) => (format!(" (renamed from `{old}`)"), format!("（由 `{old}` 重命名）")),
            (None, true) => (" (deleted)".into(), "（删除）".into()),
            _ => (String::new(), String::new()),
        };
        en.push(format!("`{}`{}: {} lines added, {} removed.", f.path, what.0, f.added, f.removed));
        zh.push(format!("`{}`{}：新增 {} 行，删除 {} 行。", f.path, what.1, f.added, f.removed));
    }
    if files.len() > 8 {
        en.push(format!("... and {} more files.", files.len() - 8));
        zh.push(format!("……以及另外 {} 个文件。", files.len() - 8));
    }
    if !dropped.is_empty() {
        let names: Vec<String> = dropped.iter().take(6).map(|d| format!("`{}` ({})", d.path, d.why.0)).collect();
        let names_zh: Vec<String> = dropped.iter().take(6).map(|d| format!("`{}`（{}）", d.path, d.why.1)).collect();
        let more = dropped.len().saturating_sub(6);
        en.push(format!(
            "Not shown: {}{}.",
            names.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() }
        ));
        zh.push(format!(
            "未展示：{}{}。",
            names_zh.join("、"),
            if more > 0 { format!("，以及另外 {more} 个") } else { String::new() }
        ));
    }
    (en, zh)
}

fn prompt(item: &str) -> (&'static str, &'static str) {
    match item {
        "concurrency" => (
            "Concurrency: can a goroutine, lock or channel here leak, deadlock or race?",
            "并发性：这里的 goroutine、锁或 channel 有没有可能泄露、死锁或产生 race？",
        ),
        "error-paths" => (
            "Error paths: what happens when a call fails? Are expected and unexpected errors told apart, and none dropped?",
            "错误路径：调用失败时会怎样？是否区分了预期和非预期的错误，有没有错误被丢掉？",
        ),
        "security" => (
            "Security: can input reach a file path, a command or a query unchecked?",
            "安全性：外部输入能否未经检查就进入文件路径、命令或查询？",
        ),
        _ => (
            "Regression risk and testability: is the change covered by tests that would fail without it?",
            "回归风险 / 可测试性：这个改动有没有测试覆盖？没有这次改动时测试会失败吗？",
        ),
    }
}

fn language(files: &[FileChange]) -> String {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for f in files {
        let ext = f.path.rsplit_once('.').map_or("", |(_, e)| e);
        let lang = match ext {
            "go" => "go",
            "rs" => "rust",
            "py" => "python",
            "java" => "java",
            "ts" | "tsx" => "typescript",
            "js" | "jsx" | "mjs" => "javascript",
            "c" | "h" => "c",
            "cc" | "cpp" | "hpp" | "cxx" => "cpp",
            "rb" => "ruby",
            "kt" => "kotlin",
            "sh" => "shell",
            _ => continue,
        };
        *count.entry(lang).or_default() += f.size();
    }
    count.into_iter().max_by_key(|(_, n)| *n).map_or("text".into(), |(l, _)| l.to_string())
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or(String::new(), |f| f.to_lowercase().chain(c).collect())
}

/// A TOML basic string.
pub(crate) fn s(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => {}
            // ESC, BEL and the other C0/C1 controls never reach the pack (nor a terminal).
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list<T: AsRef<str>>(items: &[T]) -> String {
    items.iter().map(|i| s(i.as_ref())).collect::<Vec<_>>().join(", ")
}

fn groups(gs: &[Vec<String>]) -> String {
    gs.iter().map(|g| format!("[{}]", list(g))).collect::<Vec<_>>().join(", ")
}
