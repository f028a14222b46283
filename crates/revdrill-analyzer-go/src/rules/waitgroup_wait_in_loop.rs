//! GO012: `wg.Wait` inside the loop that starts the goroutines.

use crate::ast::{self, text};
use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;
use crate::rules::waitgroup_add_in_goroutine::is_wait_group;

declare_rule! {
    /// ## What it does
    /// Checks for `wg.Wait()` inside a loop body that also starts goroutines with `go`.
    ///
    /// ## Why is this bad?
    /// Each iteration waits for the goroutine it just started, so the work runs one at a time:
    /// the goroutines add cost and no concurrency. Usually the `Wait` was meant to follow the
    /// loop.
    ///
    /// ## Example
    /// ```go
    /// for _, h := range hosts {
    ///     wg.Add(1)
    ///     go func() { defer wg.Done(); ping(h) }()
    ///     wg.Wait()
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// for _, h := range hosts {
    ///     wg.Add(1)
    ///     go func() { defer wg.Done(); ping(h) }()
    /// }
    /// wg.Wait()
    /// ```
    ///
    /// ## Known problems
    /// Deliberate batching (start N, wait, repeat) looks the same; such loops usually start
    /// the goroutines in an inner loop, which is not flagged. Neither is a loop that starts two
    /// goroutines before the wait or works while its goroutine runs (they overlap on purpose),
    /// nor test code, where a serial loop costs only time.
    ///
    /// ## References
    /// - [`sync.WaitGroup`](https://pkg.go.dev/sync#WaitGroup)
    WaitGroupWaitInLoop {
        code: "GO012",
        name: "waitgroup-wait-in-loop",
        level: Warning,
        summary: ("`wg.Wait` inside the loop that starts the goroutines: they run one at a time",
                  "在启动 goroutine 的循环内部调用 `wg.Wait`：goroutine 实际上是逐个串行执行的"),
        vocabulary: {
            category: "performance",
            item: "concurrency",
            general: Some("goroutine"),
            en: &["wait in the loop", "one at a time", "serial", "sequential", "`wg.Wait`"],
            zh: &["串行", "一个一个", "逐个", "wg.wait"],
        },
    }
}

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    for site in &c.index.expr_stmts {
        let Some(lp) = site.in_loop else { continue };
        let Some(node) = site.node.named_child(0) else { continue };
        if ast::callee_name(node, c.src) != "Wait" {
            continue;
        }
        let Some(call) = ast::call(node, c.src).filter(|k| k.name == "Wait" && k.args.is_empty()) else { continue };
        let Some(recv) = call.receiver.map(|r| text(r, c.src)) else { continue };
        let Some(body) = lp.child_by_field_name("body") else { continue };
        if !is_wait_group(c, recv) {
            continue;
        }
        // Exactly one `go` statement directly in this loop body (not a nested loop) before the
        // wait, and nothing but bookkeeping between them: the goroutine then overlaps with no
        // other work. Two goroutines started together, or work done while the goroutine runs,
        // are concurrency on purpose (race tests, a pipeline stage per iteration).
        let before: Vec<_> = ast::statements(body).into_iter().filter(|s| s.end_byte() <= site.node.start_byte()).collect();
        let gos: Vec<usize> = before.iter().enumerate().filter(|(_, s)| s.kind() == "go_statement").map(|(i, _)| i).collect();
        let [go] = gos[..] else { continue };
        if before[go + 1..].iter().any(|s| !is_bookkeeping(c, *s)) {
            continue;
        }
        c.report(
            out,
            &WaitGroupWaitInLoop::INFO,
            node,
            Text::new(
                format!("`{recv}.Wait()` inside the loop that starts the goroutines: each iteration waits for its own goroutine"),
                format!("`{recv}.Wait()` 位于启动 goroutine 的循环内部：每次迭代都在等待自己刚启动的 goroutine"),
            ),
            Text::new(format!("move `{recv}.Wait()` after the loop"), format!("把 `{recv}.Wait()` 移到循环之后")),
        );
    }
}

/// `wg.Add(1)`, a log line, a comment-free no-op: statements that do no work of their own.
fn is_bookkeeping(c: &Checker, stmt: tree_sitter::Node) -> bool {
    ast::stmt_call(stmt, c.src).filter(|_| stmt.kind() == "expression_statement").is_some_and(|k| {
        matches!(k.name, "Add" | "Done") || k.receiver.is_some_and(|r| matches!(text(r, c.src), "log" | "t" | "b" | "logger"))
    })
}
