//! GO022: a blocking send on a channel field whose only receiver may already have returned.

use tree_sitter::Node;

use crate::ast::text;
use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::package::{receiver_name, receiver_type};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks for a plain send (`s.done <- v`, not a `select` case) on an unexported channel
    /// field made without a buffer, when the only receive of that field in the package is a
    /// case of a one-shot `select` (not in a loop) whose other case returns (a `ctx.Done()`, a
    /// timeout, a stop channel).
    ///
    /// ## Why is this bad?
    /// Once the receiving function has left through its other case, nothing will ever receive
    /// again: the sender blocks forever, and with it everything it holds. Tu et al. (ASPLOS
    /// 2019) found this shape among the most common blocking bugs of real Go programs: a
    /// result channel abandoned by a waiter that timed out or was cancelled.
    ///
    /// ## Example
    /// ```go
    /// func (j *job) Wait(ctx context.Context) error {
    ///     select {
    ///     case err := <-j.result:
    ///         return err
    ///     case <-ctx.Done():
    ///         return ctx.Err()
    ///     }
    /// }
    ///
    /// func (j *job) run() {
    ///     j.result <- j.do() // blocks forever if Wait gave up
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// j := &job{result: make(chan error, 1)} // the one send always completes
    /// ```
    ///
    /// ## Known problems
    /// Only channel fields reached through a method's receiver are followed, within one
    /// package; a field that is exported, used any other way in the sending file (passed,
    /// returned, closed), made with a buffer anywhere, or never made in the package is left
    /// alone. A receive in a serving loop (`for { select { ... } }`) is taken as a lifetime
    /// that ends with its producers and is not followed. A waiter that is called again after
    /// giving up (a retry loop) is not seen.
    ///
    /// ## References
    /// - [Tu et al., Understanding Real-World Concurrency Bugs in Go (ASPLOS 2019)](https://songlh.github.io/paper/go-study.pdf)
    /// - [Go blog: Go Concurrency Patterns: Pipelines and cancellation](https://go.dev/blog/pipelines)
    SendAfterReceiverGone {
        code: "GO022",
        name: "send-after-receiver-gone",
        level: Error,
        summary: ("blocking send on a channel whose only receiver may already have returned",
                  "向 channel 阻塞发送，而唯一的接收方可能已经返回"),
        vocabulary: {
            category: "concurrency",
            item: "concurrency",
            general: Some("block"),
            en: &["receiver returned", "receiver gone", "nobody receives", "block forever", "buffer of 1", "goroutine leak"],
            zh: &["接收方*返回", "没有*接收", "永远阻塞", "缓冲", "goroutine 泄漏"],
        },
    }
}

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    if c.package.chans.is_empty() {
        return;
    }
    for (at, _) in c.src.match_indices("<-") {
        let Some(top) = c.top_decl_at(at).filter(|t| t.kind() == "method_declaration") else { continue };
        let Some(send) = top.descendant_for_byte_range(at, at + 2).and_then(|n| n.parent()) else { continue };
        if send.kind() != "send_statement" || send.parent().is_none_or(|p| p.kind() == "communication_case") {
            continue;
        }
        let Some(ch) = send.child_by_field_name("channel").filter(|ch| ch.kind() == "selector_expression") else { continue };
        let (Some(op), Some(field)) = (ch.child_by_field_name("operand"), ch.child_by_field_name("field")) else { continue };
        if receiver_name(top, c.src) != Some(text(op, c.src)) {
            continue;
        }
        let (ty, field) = (receiver_type(top, c.src), text(field, c.src));
        let Some(facts) = c.package.chans.get(&format!("{ty}.{field}")) else { continue };
        let Some(waiter) = facts.abandoned_by.as_deref() else { continue };
        let only_unbuffered = facts.unbuffered_makes > 0 && facts.buffered_makes == 0;
        if !only_unbuffered || facts.receives != 1 || facts.escapes || escapes_here(c, field) {
            continue;
        }
        report(c, out, send, text(ch, c.src), waiter);
    }
}

/// The sending file uses `.field` other than to send or receive (`close`, `len`, passed on).
fn escapes_here(c: &Checker, field: &str) -> bool {
    let needle = format!(".{field}");
    c.src.match_indices(&needle).any(|(at, _)| {
        let rest = &c.src[at + needle.len()..];
        if rest.starts_with(|ch: char| ch.is_alphanumeric() || ch == '_') {
            return false; // a longer name
        }
        let before = c.src[..at].trim_end_matches(|ch: char| ch.is_alphanumeric() || ch == '_' || ch == '.');
        let sends = rest.trim_start().starts_with("<-");
        let receives = before.trim_end().ends_with("<-") || before.trim_end().ends_with("range");
        let made = rest.trim_start().starts_with('=') && rest.trim_start()[1..].trim_start().starts_with("make(");
        let literal = rest.starts_with(':') || before.trim_end().ends_with(':');
        !(sends || receives || made || literal)
    })
}

fn report(c: &Checker, out: &mut Vec<Diagnostic>, send: Node, ch: &str, waiter: &str) {
    c.report(
        out,
        &SendAfterReceiverGone::INFO,
        send,
        Text::new(
            format!("`{ch}` is unbuffered and its only receive, in `{waiter}`, sits in a `select` that can return through another case: after that this send blocks forever"),
            format!("`{ch}` 没有缓冲，唯一的接收位于 `{waiter}` 的 `select` 中，而该 `select` 可能经由另一个分支返回：之后这次发送会永远阻塞"),
        ),
        Text::new(
            format!("make `{ch}` with a buffer of 1 so the single send always completes, or send in a `select` with the same done/stop case"),
            format!("给 `{ch}` 一个容量为 1 的缓冲，让唯一的一次发送总能完成；或在发送时用 `select` 同时监听同一个 done/stop 分支"),
        ),
    );
}
