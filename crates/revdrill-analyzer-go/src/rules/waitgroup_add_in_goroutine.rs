//! GO011: `wg.Add` called inside the goroutine it is meant to count.

use crate::ast::{self, text};
use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks for `wg.Add(...)` on a `sync.WaitGroup` inside the body of a `go func() { ... }()`.
    ///
    /// ## Why is this bad?
    /// The goroutine may not have started when the parent reaches `wg.Wait()`. The counter is
    /// still zero, `Wait` returns at once, and the parent goes on while the work is still
    /// running (or panics with a negative counter later).
    ///
    /// ## Example
    /// ```go
    /// for _, job := range jobs {
    ///     go func() {
    ///         wg.Add(1)
    ///         defer wg.Done()
    ///         run(job)
    ///     }()
    /// }
    /// wg.Wait()
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// for _, job := range jobs {
    ///     wg.Add(1)
    ///     go func() {
    ///         defer wg.Done()
    ///         run(job)
    ///     }()
    /// }
    /// wg.Wait()
    /// ```
    ///
    /// ## Known problems
    /// Wait groups are recognised by name (`wg`, `...WaitGroup`, `...wg`) or by a
    /// `sync.WaitGroup` declaration in the same file. A goroutine that adds for goroutines it
    /// starts itself is not flagged.
    ///
    /// ## References
    /// - [`sync.WaitGroup.Add`](https://pkg.go.dev/sync#WaitGroup.Add)
    WaitGroupAddInGoroutine {
        code: "GO011",
        name: "waitgroup-add-in-goroutine",
        level: Error,
        summary: ("`wg.Add` inside the goroutine it counts: `Wait` may return too early",
                  "在被计数的 goroutine 内部调用 `wg.Add`：`Wait` 可能过早返回"),
        vocabulary: {
            category: "concurrency",
            item: "concurrency",
            general: Some("goroutine"),
            en: &["`wg.Add`", "add inside the goroutine", "before the goroutine", "wait return early", "return too early"],
            zh: &["wg.add", "提前返回", "启动前"],
        },
    }
}

/// True for receivers that look like a `sync.WaitGroup`.
pub(crate) fn is_wait_group(c: &Checker, recv: &str) -> bool {
    let last = recv.rsplit('.').next().unwrap_or(recv);
    let lower = last.to_ascii_lowercase();
    lower == "wg"
        || lower.ends_with("wg")
        || lower.contains("waitgroup")
        || c.src.contains(&format!("{last} sync.WaitGroup"))
        || c.src.contains(&format!("{last} *sync.WaitGroup"))
}

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    for site in &c.index.go_stmts {
        let Some(call) = ast::stmt_call(site.node, c.src) else { continue };
        let Some(body) = call.node.child_by_field_name("function").filter(|f| f.kind() == "func_literal").and_then(ast::body)
        else {
            continue;
        };
        for stmt in ast::statements(body) {
            let Some(add) = ast::stmt_call(stmt, c.src).filter(|k| k.name == "Add" && stmt.kind() == "expression_statement")
            else {
                continue;
            };
            let Some(recv) = add.receiver.map(|r| text(r, c.src)) else { continue };
            if !is_wait_group(c, recv) {
                continue;
            }
            // A goroutine that adds for the goroutines it starts itself is fine.
            if ast::following(stmt).iter().any(|s| ast::any(*s, false, &mut |n| n.kind() == "go_statement")) {
                continue;
            }
            c.report(
                out,
                &WaitGroupAddInGoroutine::INFO,
                add.node,
                Text::new(
                    format!("`{recv}.Add` runs inside the goroutine it counts: `{recv}.Wait()` can return before it runs"),
                    format!("`{recv}.Add` 在它所计数的 goroutine 内部执行：`{recv}.Wait()` 可能在它执行之前就返回"),
                ),
                Text::new(
                    format!("call `{recv}.Add(1)` before the `go` statement"),
                    format!("在 `go` 语句之前调用 `{recv}.Add(1)`"),
                ),
            );
        }
    }
}
