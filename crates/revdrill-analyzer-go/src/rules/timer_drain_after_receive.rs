//! GO021: draining `t.C` after `t.Stop()` when the function may already have received it.

use crate::ast::{self, text};
use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks for the drain idiom `if !t.Stop() { <-t.C }` in a function that also receives
    /// from `t.C` somewhere else (a `select` case, a loop).
    ///
    /// ## Why is this bad?
    /// `Stop` returns false both when the timer fired and its value is still in `t.C`, and when
    /// the value was already received. After the other receive took it, the drain waits for a
    /// value that never comes and the goroutine blocks forever. Tu et al. list timer misuse
    /// among the blocking bugs of real Go programs; this one hides in `Reset` helpers.
    ///
    /// ## Example
    /// ```go
    /// for {
    ///     select {
    ///     case <-t.C:
    ///         tick()
    ///     case d := <-resets:
    ///         if !t.Stop() {
    ///             <-t.C // blocks forever if the case above already took the value
    ///         }
    ///         t.Reset(d)
    ///     }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// if !t.Stop() {
    ///     select {
    ///     case <-t.C:
    ///     default:
    ///     }
    /// }
    /// ```
    ///
    /// ## Known problems
    /// The timer is matched by its text (`t`, `s.timer`); a receive in another function is not
    /// seen. Since Go 1.23 `Stop` and `Reset` discard a pending value, and the drain is not
    /// needed at all.
    ///
    /// ## References
    /// - [`time.Timer.Stop`](https://pkg.go.dev/time#Timer.Stop)
    /// - [Tu et al., Understanding Real-World Concurrency Bugs in Go (ASPLOS 2019)](https://songlh.github.io/paper/go-study.pdf)
    TimerDrainAfterReceive {
        code: "GO021",
        name: "timer-drain-after-receive",
        level: Error,
        summary: ("`<-t.C` after `!t.Stop()` in a function that may already have received from `t.C`",
                  "函数中其他地方可能已经从 `t.C` 接收过，`!t.Stop()` 之后再 `<-t.C` 会永远阻塞"),
        vocabulary: {
            category: "concurrency",
            item: "concurrency",
            general: Some("block"),
            en: &["already received", "already drained", "block forever", "non-blocking drain", "select with default", "timer"],
            zh: &["已经接收", "已被取走", "永远阻塞", "非阻塞", "default 分支", "定时器"],
        },
    }
}

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    for site in &c.index.ifs {
        let Some(func) = site.func else { continue };
        let Some(cond) = site.node.child_by_field_name("condition") else { continue };
        let Some(timer) = text(cond, c.src).strip_prefix('!').and_then(|t| t.strip_suffix(".Stop()")) else { continue };
        let Some(body) = site.node.child_by_field_name("consequence") else { continue };
        let channel = format!("{timer}.C");
        let is_recv = |n: tree_sitter::Node| ast::receive_operand(n).is_some_and(|o| text(o, c.src) == channel);
        let Some(drain) = ast::statements(body)
            .into_iter()
            .find(|s| s.kind() == "expression_statement" && s.named_child(0).is_some_and(is_recv))
        else {
            continue;
        };
        // Another case of the same `select` is exclusive with this one, unless a loop runs the
        // select again.
        let up = ast::ancestors(site.node, Some(func));
        let select = up.iter().take(4).find(|a| a.kind() == "communication_case").and_then(|cc| cc.parent());
        let in_loop = up.iter().any(|a| a.kind() == "for_statement");
        let exclusive = |n: tree_sitter::Node| !in_loop && select.is_some_and(|s| ast::contains(s, n));
        let elsewhere = ast::any(func, false, &mut |n| {
            n.kind() == "unary_expression" && !ast::contains(site.node, n) && is_recv(n) && !exclusive(n)
        });
        if !elsewhere {
            continue;
        }
        c.report(
            out,
            &TimerDrainAfterReceive::INFO,
            drain,
            Text::new(
                format!("`<-{channel}` blocks forever when this function already received the timer's value elsewhere: `Stop` returns false then too"),
                format!("如果本函数其他地方已经取走了定时器的值，`<-{channel}` 会永远阻塞：这种情况下 `Stop` 同样返回 false"),
            ),
            Text::new(
                format!("drain without blocking: `select {{ case <-{channel}: default: }}` (or rely on Go 1.23 timers, which need no drain)"),
                format!("用非阻塞方式清空：`select {{ case <-{channel}: default: }}`（或使用无需清空的 Go 1.23 定时器）"),
            ),
        );
    }
}
