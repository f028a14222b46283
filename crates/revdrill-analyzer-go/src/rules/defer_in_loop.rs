//! GO015: `defer` inside a loop.

use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks for `defer` statements directly inside a `for` loop of the same function.
    ///
    /// ## Why is this bad?
    /// Deferred calls run when the function returns, not at the end of the iteration. Files,
    /// locks and connections opened in the loop stay open until then: a long loop exhausts file
    /// descriptors, and a deferred `Unlock` deadlocks the next iteration.
    ///
    /// ## Example
    /// ```go
    /// for _, p := range paths {
    ///     f, err := os.Open(p)
    ///     if err != nil {
    ///         return err
    ///     }
    ///     defer f.Close()
    ///     process(f)
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// for _, p := range paths {
    ///     if err := processFile(p); err != nil { // opens, defers Close, returns
    ///         return err
    ///     }
    /// }
    /// ```
    ///
    /// Only defers that hold something per iteration are reported: an `Unlock`, or a `Close`,
    /// `Release` or `Stop` of a value made in the loop body and not kept after it.
    ///
    /// ## Known problems
    /// A `defer` guarded by a flag that makes it run once per call (`if !locked { mu.Lock();
    /// defer mu.Unlock(); locked = true }`) is intended and not flagged.
    /// A loop that always runs once is flagged too; a `defer` followed by `return` in the
    /// same block, and test files (short loops over cases), are skipped.
    ///
    /// ## References
    /// - [Go spec: Defer statements](https://go.dev/ref/spec#Defer_statements)
    DeferInLoop {
        code: "GO015",
        name: "defer-in-loop",
        level: Warning,
        summary: ("`defer` inside a loop runs at function exit, not per iteration",
                  "循环中的 `defer` 在函数返回时才执行，而不是每次迭代结束时"),
        nolint: ["deferloop", "gocritic", "revive"],
        vocabulary: {
            category: "resource-leak",
            item: "error-paths",
            general: Some("leak"),
            en: &["defer in the loop", "function exit", "not per iteration", "until the function returns", "accumulate"],
            zh: &["循环*defer", "函数返回", "函数退出", "不会*每次", "累积"],
        },
    }
}

/// Methods whose deferral in a loop holds something per iteration until the function returns.
const RELEASES: &[&str] = &["Close", "Unlock", "RUnlock", "Release", "Stop"];

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    for site in &c.index.defer_stmts {
        let Some(lp) = site.in_loop else { continue };
        // `defer x.Close(); return ...`: the function ends in this iteration anyway.
        if crate::ast::following(site.node).last().is_some_and(|s| crate::ast::is_terminating(*s, c.src)) {
            continue;
        }
        if !holds_per_iteration(c, site.node, lp) || once_only(c, site.node) {
            continue;
        }
        c.report(
            out,
            &DeferInLoop::INFO,
            site.node,
            Text::new(
                "this `defer` is inside a loop: it runs when the function returns, not at the end of each iteration",
                "这个 `defer` 位于循环内：它在函数返回时才执行，而不是每次迭代结束时",
            ),
            Text::new(
                "move the loop body into a function (or closure) so the deferred call runs per iteration",
                "把循环体提取成函数（或闭包），让 defer 在每次迭代结束时执行",
            ),
        );
    }
}

/// The deferred call releases something taken in this iteration and not kept past it: an
/// `Unlock` (the next iteration deadlocks), or `Close`/`Release`/`Stop` of a value declared
/// in the loop body that is not appended, stored, sent or returned (values kept for after the
/// loop are closed at the end on purpose).
fn holds_per_iteration(c: &Checker, defer: tree_sitter::Node, lp: tree_sitter::Node) -> bool {
    let calls = crate::ast::collect(defer, true, &mut |n| RELEASES.contains(&crate::ast::callee_name(n, c.src)));
    calls.into_iter().filter_map(|n| crate::ast::call(n, c.src)).any(|call| {
        if matches!(call.name, "Unlock" | "RUnlock") {
            return true;
        }
        let Some(recv) = call.receiver.filter(|r| r.kind() == "identifier") else { return false };
        let name = crate::ast::text(recv, c.src);
        let Some(body) = lp.child_by_field_name("body") else { return false };
        let declared = crate::ast::any(body, false, &mut |n| {
            n.kind() == "short_var_declaration"
                && n.start_byte() < defer.start_byte()
                && crate::ast::assigned_names(n, c.src).contains(&name)
        });
        declared && !escapes(c, body, name)
    })
}

/// `name` leaves the iteration: appended, assigned to something, sent, returned, put in a
/// composite literal, or handed to another function (which may keep it: a client built on a
/// connection).
fn escapes(c: &Checker, body: tree_sitter::Node, name: &str) -> bool {
    crate::ast::any(body, true, &mut |n| {
        if n.kind() == "argument_list" && n.parent().is_none_or(|p| p.parent().is_none_or(|g| g.kind() != "defer_statement")) {
            let mut cur = n.walk();
            let passed = n.named_children(&mut cur).any(|a| a.kind() == "identifier" && crate::ast::text(a, c.src) == name);
            if passed {
                return true;
            }
        }
        let is_name = |x: tree_sitter::Node| x.kind() == "identifier" && crate::ast::text(x, c.src) == name;
        match n.kind() {
            "call_expression" if crate::ast::callee_name(n, c.src) == "append" => {
                crate::ast::call(n, c.src).is_some_and(|k| k.args.iter().skip(1).any(|a| is_name(*a)))
            }
            "assignment_statement" => crate::ast::assigned_values(n).iter().any(|v| is_name(*v)),
            "send_statement" => n.child_by_field_name("value").is_some_and(is_name),
            "return_statement" => crate::ast::mentions(n, c.src, name, false),
            "keyed_element" | "literal_element" => crate::ast::mentions(n, c.src, name, false),
            _ => false,
        }
    })
}

/// `if !done { mu.Lock(); defer mu.Unlock(); done = true }`: a flag makes the `defer` run at
/// most once per call, so it is meant to hold until the function returns.
fn once_only(c: &Checker, defer: tree_sitter::Node) -> bool {
    let Some(block) = defer.parent().and_then(|l| l.parent()) else { return false };
    let Some(if_node) = block.parent().filter(|p| p.kind() == "if_statement") else { return false };
    let Some(flag) = if_node.child_by_field_name("condition").and_then(|cnd| crate::ast::text(cnd, c.src).strip_prefix('!'))
    else {
        return false;
    };
    crate::ast::statements(block).iter().any(|s| {
        s.kind() == "assignment_statement"
            && crate::ast::assigned_names(*s, c.src) == [flag.trim()]
            && crate::ast::assigned_values(*s).first().is_some_and(|v| crate::ast::text(*v, c.src) == "true")
    })
}
