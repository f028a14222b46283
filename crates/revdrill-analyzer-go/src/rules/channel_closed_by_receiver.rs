//! GO017: a channel closed by the side that receives from it.

use crate::ast::{self, text};
use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks for `close(ch)` in a function that receives from `ch` and never sends on it,
    /// while other code in the same file does send on `ch`.
    ///
    /// ## Why is this bad?
    /// Only the sender knows when no more values will come. If the receiver closes the
    /// channel, a sender that is still running panics with "send on closed channel"; the panic
    /// depends on timing, so it shows up rarely and in production.
    ///
    /// ## Example
    /// ```go
    /// func (w *worker) drain() {
    ///     for len(w.results) > 0 {
    ///         <-w.results
    ///     }
    ///     close(w.results) // producers may still send
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// func (w *worker) produce() {
    ///     defer close(w.results) // the only sender closes
    ///     // ...
    /// }
    /// ```
    ///
    /// ## Known problems
    /// Channels are matched by their text (`w.results`), within one file. A `close` after a
    /// `Wait()` (wait group, errgroup) in the same function comes after the senders it waited
    /// for and is not flagged.
    ///
    /// ## References
    /// - [Go blog: Pipelines and cancellation](https://go.dev/blog/pipelines)
    ChannelClosedByReceiver {
        code: "GO017",
        name: "channel-closed-by-receiver",
        level: Warning,
        summary: ("channel closed by its receiver while others send on it",
                  "channel 被接收方关闭，而其他地方仍在向它发送"),
        vocabulary: {
            category: "concurrency",
            item: "concurrency",
            general: Some("close"),
            en: &["receiver close", "close on the receiver", "send on closed", "panic"],
            zh: &["接收方*关闭", "向已关闭", "panic"],
        },
    }
}

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    // `close(ch)` is always a statement, plain or deferred.
    for site in c.index.expr_stmts.iter().chain(&c.index.defer_stmts) {
        let Some(func) = site.func else { continue };
        let Some(node) = site.node.named_child(0) else { continue };
        if ast::callee_name(node, c.src) != "close" {
            continue;
        }
        let Some(call) = ast::call(node, c.src) else { continue };
        if call.name != "close" || call.receiver.is_some() || call.args.len() != 1 {
            continue;
        }
        let ch = text(call.args[0], c.src);
        // Cheap text test first: is there any send on `ch` in the file at all?
        if !c.src.contains(&format!("{ch} <-")) && !c.src.contains(&format!("{ch}<-")) {
            continue;
        }
        let Some(body) = ast::body(func) else { continue };
        let receives = ast::any(body, false, &mut |n| {
            (n.kind() == "unary_expression"
                && n.child_by_field_name("operator").is_some_and(|o| o.kind() == "<-")
                && n.child_by_field_name("operand").is_some_and(|o| text(o, c.src) == ch))
                || (n.kind() == "range_clause" && n.child_by_field_name("right").is_some_and(|r| text(r, c.src) == ch))
        });
        if !receives || sends(c, body, ch) || waited_before(c, body, node) {
            continue;
        }
        let sent_elsewhere = ast::any(c.root, true, &mut |n| {
            !ast::contains(body, n)
                && n.kind() == "send_statement"
                && n.child_by_field_name("channel").is_some_and(|x| text(x, c.src) == ch)
        });
        if !sent_elsewhere {
            continue;
        }
        c.report(
            out,
            &ChannelClosedByReceiver::INFO,
            node,
            Text::new(
                format!("`{ch}` is closed by a function that receives from it while other code sends on it: a late send panics"),
                format!("`{ch}` 被从它接收数据的函数关闭，而其他代码仍在向它发送：晚到的发送会 panic"),
            ),
            Text::new(
                "let the sender close the channel; signal the senders to stop with a separate done channel or context",
                "由发送方关闭 channel；用单独的 done channel 或 context 通知发送方停止",
            ),
        );
    }
}

fn sends(c: &Checker, body: tree_sitter::Node, ch: &str) -> bool {
    ast::any(body, false, &mut |n| {
        n.kind() == "send_statement" && n.child_by_field_name("channel").is_some_and(|x| text(x, c.src) == ch)
    })
}

/// A `X.Wait()` (wait group, errgroup) before the `close` in the same function: the senders
/// it waits for are done, and closing after them is the usual, safe order.
fn waited_before(c: &Checker, body: tree_sitter::Node, close: tree_sitter::Node) -> bool {
    ast::any(body, false, &mut |n| {
        n.end_byte() <= close.start_byte()
            && ast::call(n, c.src).is_some_and(|k| k.name == "Wait" && k.receiver.is_some() && k.args.is_empty())
    })
}
