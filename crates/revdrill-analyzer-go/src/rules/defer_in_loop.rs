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
    /// ## Known problems
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
        vocabulary: {
            category: "resource-leak",
            item: "error-paths",
            general: Some("leak"),
            en: &["defer in the loop", "function exit", "not per iteration", "until the function returns", "accumulate"],
            zh: &["循环*defer", "函数返回", "函数退出", "不会*每次", "累积"],
        },
    }
}

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    if c.is_test {
        return;
    }
    for site in &c.index.defer_stmts {
        if site.in_loop.is_none() {
            continue;
        }
        // `defer x.Close(); return ...`: the function ends in this iteration anyway.
        if crate::ast::following(site.node).last().is_some_and(|s| crate::ast::is_terminating(*s, c.src)) {
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
