//! GO021: draining `t.C` after `t.Stop()` when the function may already have received it.

use tree_sitter::Node;

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
    /// seen. A receive followed on every path by `t.Reset(...)` (or a return) re-arms the timer,
    /// and a timer made or reset at the top of each loop iteration is fresh, so neither is
    /// reported; a `continue` that skips the `Reset` is. Since Go 1.23 `Stop` and `Reset` discard a pending value, and the drain is not
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
        let is_recv = |n: Node| ast::receive_operand(n).is_some_and(|o| text(o, c.src) == channel);
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
        let in_loop = up.iter().find(|a| a.kind() == "for_statement").copied();
        if in_loop.is_some_and(|lp| rearmed_each_iteration(c, lp, site.node, timer)) {
            continue;
        }
        // Without a loop around both, only a receive that comes first can have taken the value.
        let exclusive = |n: Node| {
            in_loop.is_none_or(|lp| !ast::contains(lp, n))
                && (select.is_some_and(|s| ast::contains(s, n)) || n.start_byte() > site.node.start_byte())
        };
        let taken = ast::collect(func, false, &mut |n| {
            n.kind() == "unary_expression" && !ast::contains(site.node, n) && is_recv(n) && !exclusive(n)
        });
        let Some(other) = taken.into_iter().find(|r| reaches_without_rearm(c, *r, timer)) else { continue };
        let line = other.start_position().row + 1;
        c.report(
            out,
            &TimerDrainAfterReceive::INFO,
            drain,
            Text::new(
                format!("`<-{channel}` blocks forever when the receive on line {line} already took the timer's value and no `Reset` followed: `Stop` returns false then too"),
                format!("如果第 {line} 行的接收已经取走了定时器的值且之后没有 `Reset`，`<-{channel}` 会永远阻塞：这种情况下 `Stop` 同样返回 false"),
            ),
            Text::new(
                format!("drain without blocking: `select {{ case <-{channel}: default: }}` (or rely on Go 1.23 timers, which need no drain)"),
                format!("用非阻塞方式清空：`select {{ case <-{channel}: default: }}`（或使用无需清空的 Go 1.23 定时器）"),
            ),
        );
    }
}

/// The loop body re-arms the timer before the statement holding the drain: a new timer per
/// iteration (`t := time.NewTimer(d)`) or a `t.Reset(d)` at the top.
fn rearmed_each_iteration(c: &Checker, lp: Node, drain_if: Node, timer: &str) -> bool {
    let Some(body) = lp.child_by_field_name("body") else { return false };
    ast::statements(body).into_iter().take_while(|s| !ast::contains(*s, drain_if)).any(|s| rearms(c, s, timer))
}

/// A `t.Reset(...)` statement, or `t = ...` / `t := ...`.
fn rearms(c: &Checker, stmt: Node, timer: &str) -> bool {
    match stmt.kind() {
        "expression_statement" => {
            ast::stmt_call(stmt, c.src).is_some_and(|k| k.name == "Reset" && k.receiver.is_some_and(|r| text(r, c.src) == timer))
        }
        "short_var_declaration" | "assignment_statement" => ast::assigned_names(stmt, c.src).contains(&timer),
        _ => false,
    }
}

/// Some path from the receive `recv` leaves its `select` case (or its statement list) without
/// re-arming the timer: by `continue`, `break` or falling off the end. A path that returns
/// or fails the test ends there and never reaches a drain.
fn reaches_without_rearm(c: &Checker, recv: Node, timer: &str) -> bool {
    let mut stmt = recv;
    for a in ast::ancestors(recv, None).into_iter().take(6) {
        let rest = match a.kind() {
            "communication_case" => ast::statements(a),
            "statement_list" => ast::following(stmt),
            _ => {
                stmt = a;
                continue;
            }
        };
        return matches!(walk(c, &rest, timer), Path::Jumps | Path::FallsThrough);
    }
    true
}

/// How the paths through a statement list end, as far as re-arming goes.
#[derive(PartialEq)]
enum Path {
    /// Every path re-arms the timer or leaves the function first.
    Safe,
    /// Some path jumps out (`continue`, `break`, `goto`) before re-arming.
    Jumps,
    /// Some path reaches the end of the list before re-arming.
    FallsThrough,
}

fn walk(c: &Checker, stmts: &[Node], timer: &str) -> Path {
    for &s in stmts {
        if rearms(c, s, timer) || ast::is_terminating(s, c.src) {
            return Path::Safe;
        }
        match s.kind() {
            "continue_statement" | "break_statement" | "goto_statement" => return Path::Jumps,
            "if_statement" => {
                let (then, other) = (s.child_by_field_name("consequence"), s.child_by_field_name("alternative"));
                let paths: Vec<Path> = [then, other]
                    .into_iter()
                    .flatten()
                    .map(|b| if b.kind() == "if_statement" { walk(c, &[b], timer) } else { walk(c, &ast::statements(b), timer) })
                    .collect();
                if paths.contains(&Path::Jumps) {
                    return Path::Jumps;
                }
                if other.is_some() && paths.iter().all(|p| *p == Path::Safe) {
                    return Path::Safe;
                }
            }
            _ => {
                // A `continue` of this loop buried in another statement (a `switch` case).
                let leaves = ast::any(s, false, &mut |n| {
                    n.kind() == "continue_statement"
                        && !ast::ancestors(n, Some(s)).iter().any(|a| matches!(a.kind(), "for_statement" | "func_literal"))
                });
                if leaves {
                    return Path::Jumps;
                }
            }
        }
    }
    Path::FallsThrough
}
