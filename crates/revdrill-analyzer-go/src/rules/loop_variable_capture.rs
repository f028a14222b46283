//! GO013: a loop variable captured by a goroutine or deferred closure before Go 1.22.

use tree_sitter::Node;

use crate::ast::{self, text};
use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks for `go func() { ... }()` and `defer func() { ... }()` inside a loop whose
    /// closure uses the loop variable, when the module's `go` version is older than 1.22 (or
    /// unknown: code outside a module gets the old semantics).
    ///
    /// ## Why is this bad?
    /// Before Go 1.22 a loop has one variable for all iterations. The goroutines run later and
    /// typically all see the last value; deferred closures all run with it at function exit.
    ///
    /// ## Example
    /// ```go
    /// for _, id := range ids {
    ///     go func() {
    ///         stop(id) // every goroutine may stop the last id
    ///     }()
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// for _, id := range ids {
    ///     go func(id string) {
    ///         stop(id)
    ///     }(id)
    /// }
    /// ```
    ///
    /// ## Known problems
    /// Closures passed to other calls (`errgroup.Go`, `t.Run` with `t.Parallel`) are not
    /// checked.
    ///
    /// ## References
    /// - [Go blog: Fixing For Loops in Go 1.22](https://go.dev/blog/loopvar-preview)
    LoopVariableCapture {
        code: "GO013",
        name: "loop-variable-capture",
        level: Error,
        summary: ("loop variable captured by a goroutine or defer closure (module `go` < 1.22)",
                  "goroutine 或 defer 闭包捕获了循环变量（模块 `go` 版本 < 1.22）"),
        nolint: ["govet", "loopclosure", "copyloopvar"],
        vocabulary: {
            category: "concurrency",
            item: "concurrency",
            general: Some("goroutine"),
            en: &["loop variable", "capture", "same variable", "last value"],
            zh: &["循环变量", "捕获", "同一个变量", "最后一个值"],
        },
    }
}

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    if c.go_version.is_some_and(|v| !v.before(1, 22)) {
        return;
    }
    for lp in &c.index.fors {
        let vars = loop_vars(c, lp.node);
        if vars.is_empty() {
            continue;
        }
        let Some(body) = lp.node.child_by_field_name("body") else { continue };
        for site in c.index.go_stmts.iter().chain(&c.index.defer_stmts) {
            if !ast::contains(body, site.node) || site.func.map(|f| f.id()) != lp.func.map(|f| f.id()) {
                continue;
            }
            let Some(call) = ast::stmt_call(site.node, c.src) else { continue };
            let Some(lit) = call.node.child_by_field_name("function").filter(|f| f.kind() == "func_literal") else {
                continue;
            };
            let params = ast::parameter_names(lit, c.src);
            let Some(lit_body) = ast::body(lit) else { continue };
            for var in &vars {
                if params.contains(var) || copied_before(c, body, site.node, var) {
                    continue;
                }
                let used = ast::collect(lit_body, true, &mut |n| n.kind() == "identifier" && text(n, c.src) == *var);
                let Some(first) = used.first() else { continue };
                let what = if site.node.kind() == "go_statement" { "goroutine" } else { "deferred closure" };
                let what_zh = if site.node.kind() == "go_statement" { "goroutine" } else { "defer 闭包" };
                c.report(out, &LoopVariableCapture::INFO, *first, Text::new(
                    format!("the {what} captures loop variable `{var}`: before Go 1.22 every iteration shares it"),
                    format!("{what_zh} 捕获了循环变量 `{var}`：Go 1.22 之前所有迭代共享同一个变量"),
                ), Text::new(
                    format!("pass `{var}` as an argument, copy it (`{var} := {var}`) before the closure, or move to `go 1.22` in go.mod"),
                    format!("把 `{var}` 作为参数传入，或在闭包之前复制（`{var} := {var}`），或把 go.mod 升级到 `go 1.22`"),
                ));
                break;
            }
        }
    }
}

/// Variables declared by the loop header with `:=`.
fn loop_vars<'t>(c: &Checker<'t>, lp: Node<'t>) -> Vec<&'t str> {
    let mut cur = lp.walk();
    let header = lp.named_children(&mut cur).find(|n| matches!(n.kind(), "range_clause" | "for_clause"));
    let Some(header) = header else { return Vec::new() };
    let decl = match header.kind() {
        "range_clause" => {
            let mut cur = header.walk();
            let defines = header.children(&mut cur).any(|n| n.kind() == ":=");
            if !defines {
                return Vec::new();
            }
            header
        }
        _ => match header.child_by_field_name("initializer") {
            Some(i) if i.kind() == "short_var_declaration" => i,
            _ => return Vec::new(),
        },
    };
    ast::assigned_names(decl, c.src).into_iter().filter(|n| *n != "_").collect()
}

/// `v := v` (or any redeclaration of `v`) in the loop body before `at`.
fn copied_before(c: &Checker, body: Node, at: Node, var: &str) -> bool {
    c.index.short_vars.iter().any(|s| {
        s.node.kind() == "short_var_declaration"
            && ast::contains(body, s.node)
            && s.node.end_byte() <= at.start_byte()
            && ast::assigned_names(s.node, c.src).contains(&var)
    })
}
