//! GO014: `time.After` in a `select` inside a loop.

use crate::ast::{self, text};
use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks for `case <-time.After(d):` in a `select` that runs inside a `for` loop, when the
    /// module's `go` version is older than 1.23 (or unknown).
    ///
    /// ## Why is this bad?
    /// Every iteration creates a new timer. Before Go 1.23 an unfired timer is not garbage
    /// collected until it fires, so a busy loop with a long timeout piles up timers and memory.
    /// It also restarts the timeout on every iteration, so the timeout may never trigger while
    /// other cases keep the loop busy.
    ///
    /// ## Example
    /// ```go
    /// for {
    ///     select {
    ///     case ev := <-events:
    ///         handle(ev)
    ///     case <-time.After(time.Minute):
    ///         return errIdle
    ///     }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// idle := time.NewTimer(time.Minute)
    /// defer idle.Stop()
    /// for {
    ///     select {
    ///     case ev := <-events:
    ///         handle(ev)
    ///         idle.Reset(time.Minute)
    ///     case <-idle.C:
    ///         return errIdle
    ///     }
    /// }
    /// ```
    ///
    /// ## Known problems
    /// When the timeout is meant per iteration and the loop is slow, this is harmless.
    ///
    /// ## References
    /// - [`time.After`](https://pkg.go.dev/time#After)
    TimeAfterInLoop {
        code: "GO014",
        name: "time-after-in-loop",
        level: Warning,
        summary: ("`time.After` in a `select` inside a loop: a new timer every iteration",
                  "在循环内的 `select` 中使用 `time.After`：每次迭代都创建一个新的 timer"),
        vocabulary: {
            category: "resource-leak",
            item: "concurrency",
            general: Some("leak"),
            en: &["new timer", "every iteration", "timer leak", "`time.NewTimer`", "`time.After`"],
            zh: &["每次*定时器", "每轮", "新的*timer", "time.after", "time.newtimer"],
        },
    }
}

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    if c.go_version.is_some_and(|v| !v.before(1, 23)) {
        return;
    }
    for site in &c.index.selects {
        if site.in_loop.is_none() {
            continue;
        }
        let mut cur = site.node.walk();
        let comms: Vec<_> =
            site.node.named_children(&mut cur).filter_map(|case| case.child_by_field_name("communication")).collect();
        for comm in comms {
            // `case <-time.After(d):` and `case v := <-time.After(d):`.
            let calls = ast::collect(comm, false, &mut |n| {
                ast::callee_name(n, c.src) == "After"
                    && ast::call(n, c.src).is_some_and(|k| k.receiver.is_some_and(|r| text(r, c.src) == "time"))
            });
            for call in calls {
                report(c, out, call);
            }
        }
    }
}

fn report(c: &Checker, out: &mut Vec<Diagnostic>, call: tree_sitter::Node) {
    {
        c.report(
            out,
            &TimeAfterInLoop::INFO,
            call,
            Text::new(
                "`time.After` in a `select` inside a loop creates a new timer on every iteration and restarts the timeout",
                "循环内 `select` 中的 `time.After` 每次迭代都会创建新的 timer，并重新开始计时",
            ),
            Text::new(
                "create one `time.NewTimer` before the loop, `Reset` it as needed and `Stop` it when done",
                "在循环之前创建一个 `time.NewTimer`，按需 `Reset`，结束时 `Stop`",
            ),
        );
    }
}
