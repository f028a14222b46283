//! GO001: a goroutine left blocked forever on a channel nobody will serve.

use tree_sitter::Node;

use crate::ast::{self, text};
use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks for goroutines that can block forever on a channel made in the enclosing
    /// function:
    /// - an unbuffered send whose receiver can give up: the function returns before
    ///   receiving, receives in a `select` that can take another branch (`<-ctx.Done()`,
    ///   `time.After`) instead, or receives once while goroutines started in a loop all send;
    /// - a receive (`<-ch`, `for range ch`) on a channel the function never sends on or closes,
    ///   or a `for range ch` over a channel the function sends on but never closes.
    ///
    /// ## Why is this bad?
    /// A goroutine blocked on a channel operation is never collected. Each timed-out or
    /// cancelled call leaves one behind, with everything it references, until the process runs
    /// out of memory or goroutines. This is the most common goroutine leak in Go services.
    ///
    /// ## Example
    /// ```go
    /// ch := make(chan result)
    /// go func() { ch <- fetch() }()
    /// select {
    /// case r := <-ch:
    ///     return r, nil
    /// case <-ctx.Done():
    ///     return result{}, ctx.Err() // the goroutine blocks on its send forever
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// ch := make(chan result, 1) // the send always completes
    /// ```
    ///
    /// ## Known problems
    /// Only channels made with `make` in the same function are followed; a channel that is
    /// passed to other functions, returned or stored is assumed to be served elsewhere. In test
    /// code, a way out that reports a failure (`t.Fatal`, `t.Errorf`, `require`) is not counted,
    /// nor is a send that reports an error to the test (`errCh <- fmt.Errorf(...)`, a send
    /// under `if err != nil`): the goroutine then leaks only from a test that already failed.
    ///
    /// ## References
    /// - [Go blog: Go Concurrency Patterns: Pipelines and cancellation](https://go.dev/blog/pipelines)
    /// - [Tu et al., Understanding Real-World Concurrency Bugs in Go (ASPLOS 2019)](https://songlh.github.io/paper/go-study.pdf)
    GoroutineBlockedForever {
        code: "GO001",
        name: "goroutine-blocked-forever",
        level: Error,
        summary: ("goroutine can block forever on a channel send or receive nobody will serve",
                  "goroutine 可能永远阻塞在一个没人处理的 channel 发送或接收上"),
        vocabulary: {
            category: "resource-leak",
            item: "concurrency",
            general: Some("leak"),
            en: &["block forever", "never receive", "nobody receive", "no receiver", "never sent", "unbuffered"],
            zh: &["永远阻塞", "没有接收", "无人接收", "没人读", "无缓冲"],
        },
    }
}

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    for site in &c.index.go_stmts {
        let Some(func) = site.func else { continue };
        let Some(call) = ast::stmt_call(site.node, c.src) else { continue };
        let Some(lit) = call.node.child_by_field_name("function").filter(|f| f.kind() == "func_literal") else {
            continue;
        };
        let Some(lit_body) = ast::body(lit) else { continue };
        let mut reported = false;
        ast::walk(lit_body, false, &mut |n| {
            if reported {
                return false;
            }
            if let Some((ch, op)) = channel_op(n, c.src)
                && !(c.is_test && op == Op::Send && reports_failure(c, n, lit))
                && let Some(why) = leak_reason(c, func, site.node, lit, ch, op)
            {
                report(c, out, n, ch, op, why);
                reported = true;
            }
            true
        });
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Send,
    Receive,
    Range,
}

/// A send statement outside `select`, a bare receive statement, or `for range ch`.
fn channel_op<'t>(n: Node<'t>, src: &'t str) -> Option<(&'t str, Op)> {
    match n.kind() {
        "send_statement" if n.parent().is_some_and(|p| p.kind() != "communication_case") => {
            let ch = n.child_by_field_name("channel")?;
            (ch.kind() == "identifier").then(|| (text(ch, src), Op::Send))
        }
        "expression_statement" => {
            let ch = ast::receive_operand(n.named_child(0)?)?;
            (ch.kind() == "identifier").then(|| (text(ch, src), Op::Receive))
        }
        "range_clause" => {
            let ch = n.child_by_field_name("right")?;
            (ch.kind() == "identifier").then(|| (text(ch, src), Op::Range))
        }
        _ => None,
    }
}

enum Why {
    EarlyReturn,
    SelectOtherBranch,
    NeverServed,
    /// Goroutines started in a loop all send; the function receives once.
    SingleReceive,
    /// The function sends but never closes: the ranging goroutine waits forever at the end.
    NeverClosed,
}

fn leak_reason<'t>(c: &Checker<'t>, func: Node<'t>, go: Node<'t>, lit: Node<'t>, ch: &str, op: Op) -> Option<Why> {
    let (unbuffered, decl) = made_here(c, func, go, ch)?;
    // Every mention of `ch` in the function outside the goroutine and its declaration.
    let uses: Vec<Node> = ast::collect(func, true, &mut |n| n.kind() == "identifier" && text(n, c.src) == ch)
        .into_iter()
        .filter(|n| !ast::contains(lit, *n) && !ast::contains(decl, *n))
        .collect();
    match op {
        Op::Receive => uses.is_empty().then_some(Why::NeverServed),
        Op::Range => {
            if uses.is_empty() {
                return Some(Why::NeverServed);
            }
            // Only sends from the function (no close, no escape): the range never ends.
            let only_sends = uses.iter().all(|u| {
                u.parent().is_some_and(|p| {
                    p.kind() == "send_statement" && p.child_by_field_name("channel").is_some_and(|ch| ch.id() == u.id())
                })
            });
            only_sends.then_some(Why::NeverClosed)
        }
        Op::Send => {
            if !unbuffered {
                return None;
            }
            if uses.is_empty() {
                return Some(Why::NeverServed);
            }
            // Any use other than a receive means the channel escapes: give up.
            let receives: Vec<Node> = uses.iter().copied().filter(|u| is_received(*u)).collect();
            if receives.len() != uses.len() || uses.iter().any(|u| u.start_byte() < go.start_byte()) {
                return None;
            }
            let first = receives[0];
            let loops = |n: Node| ast::ancestors(n, Some(func)).iter().any(|a| a.kind() == "for_statement");
            if loops(go) && receives.len() == 1 && !loops(first) {
                return Some(Why::SingleReceive);
            }
            if let Some(select) = enclosing_select_case(first).and_then(|case| case.parent()) {
                let in_loop = ast::ancestors(select, Some(func)).iter().any(|a| a.kind() == "for_statement");
                let received_later = receives.iter().any(|r| r.start_byte() > select.end_byte());
                if has_other_exit(c, select, first, in_loop || received_later) {
                    return Some(Why::SelectOtherBranch);
                }
            }
            returns_between(c, func, go, first).then_some(Why::EarlyReturn)
        }
    }
}

/// `ch := make(chan T[, n])` in `func` before `go`: (unbuffered, declaration).
fn made_here<'t>(c: &Checker<'t>, func: Node<'t>, go: Node<'t>, ch: &str) -> Option<(bool, Node<'t>)> {
    c.index
        .short_vars
        .iter()
        .filter(|s| s.func.map(|f| f.id()) == Some(func.id()) && s.node.start_byte() < go.start_byte())
        .rev()
        .find_map(|s| {
            let names = ast::assigned_names(s.node, c.src);
            let i = names.iter().position(|n| *n == ch)?;
            let value = *ast::assigned_values(s.node).get(i)?;
            let call = ast::call(value, c.src)?;
            if call.name != "make" || call.args.first().is_none_or(|t| t.kind() != "channel_type") {
                return None;
            }
            let unbuffered = call.args.len() == 1 || call.args.get(1).is_some_and(|n| text(*n, c.src) == "0");
            Some((unbuffered, s.node))
        })
}

/// True when this identifier is the operand of `<-`, or the channel of a `range`.
fn is_received(ident: Node) -> bool {
    ident.parent().is_some_and(|p| {
        (p.kind() == "unary_expression" && p.child_by_field_name("operator").is_some_and(|o| o.kind() == "<-"))
            || (p.kind() == "range_clause")
    })
}

fn enclosing_select_case(n: Node) -> Option<Node> {
    ast::ancestors(n, None)
        .into_iter()
        .take(4)
        .find(|a| a.kind() == "communication_case")
        .filter(|case| case.child_by_field_name("communication").is_some_and(|comm| ast::contains(comm, n)))
}

/// Another case (or `default`) that leaves without receiving: any, if nothing after the
/// `select` receives again (`must_return` false); one that returns, otherwise (in a loop, or
/// with a later receive).
fn has_other_exit(c: &Checker, select: Node, receive: Node, must_return: bool) -> bool {
    let mut cur = select.walk();
    let cases: Vec<Node> = select.named_children(&mut cur).filter(|n| n.kind() != "comment").collect();
    cases.iter().any(|case| {
        !ast::contains(*case, receive)
            && matches!(case.kind(), "communication_case" | "default_case")
            && (!must_return || ast::any(*case, false, &mut |n| ast::is_terminating(n, c.src)))
            && !(c.is_test && fails_test(c, *case))
    })
}

/// A `return` in the function's own code between the `go` statement and the first receive
/// (in a test, one that follows a reported failure does not count).
fn returns_between(c: &Checker, func: Node, go: Node, receive: Node) -> bool {
    let Some(body) = ast::body(func) else { return false };
    ast::any(body, false, &mut |n| {
        n.kind() == "return_statement"
            && n.start_byte() > go.end_byte()
            && n.end_byte() < receive.start_byte()
            && !(c.is_test && n.parent().is_some_and(|list| fails_test(c, list)))
    })
}

/// In a test goroutine, a send of an error (`errCh <- fmt.Errorf(...)`) or a send under
/// `if err != nil`: the goroutine reports a failure, and blocks only when the test fails.
fn reports_failure(c: &Checker, send: Node, lit: Node) -> bool {
    let value = send.child_by_field_name("value").map_or("", |v| text(v, c.src));
    value.contains("Errorf(")
        || value.starts_with("errors.New(")
        || ast::ancestors(send, Some(lit)).iter().any(|a| {
            a.kind() == "if_statement"
                && a.child_by_field_name("condition").is_some_and(|cond| text(cond, c.src).contains("err != nil"))
        })
}

/// The code reports a test failure (`t.Fatal`, `t.Errorf`, `require.NoError`): a goroutine left
/// blocked on that path leaks only from a test that already failed.
fn fails_test(c: &Checker, node: Node) -> bool {
    ast::any(node, false, &mut |n| {
        ast::call(n, c.src).is_some_and(|k| {
            k.name.starts_with("Fatal")
                || k.name.starts_with("Error")
                || k.name.starts_with("Fail")
                || k.name.starts_with("Skip")
                || k.receiver.is_some_and(|r| matches!(text(r, c.src), "require" | "assert" | "must" | "check" | "test"))
                || (k.name == "New" && k.receiver.is_some_and(|r| text(r, c.src) == "errors"))
        })
    })
}

fn report(c: &Checker, out: &mut Vec<Diagnostic>, at: Node, ch: &str, op: Op, why: Why) {
    let (en, zh) = match (op, why) {
        (_, Why::NeverServed) if op != Op::Send => (
            format!("this goroutine waits on `{ch}`, which the function never sends on or closes: it blocks forever"),
            format!("这个 goroutine 在等待 `{ch}`，但函数从未向它发送或关闭它：会永远阻塞"),
        ),
        (_, Why::NeverServed) => (
            format!("nothing receives from unbuffered `{ch}`: this send blocks forever"),
            format!("没有任何地方从无缓冲的 `{ch}` 接收：这次发送会永远阻塞"),
        ),
        (_, Why::SelectOtherBranch) => (
            format!("when the `select` takes another branch nobody receives from unbuffered `{ch}`, so this send blocks forever"),
            format!("当 `select` 走了另一个分支时，没有人再从无缓冲的 `{ch}` 接收，这次发送会永远阻塞"),
        ),
        (_, Why::SingleReceive) => (
            format!(
                "goroutines started in a loop all send on unbuffered `{ch}`, but the function receives once: the others block forever"
            ),
            format!("循环中启动的多个 goroutine 都向无缓冲的 `{ch}` 发送，但函数只接收一次：其余的会永远阻塞"),
        ),
        (_, Why::NeverClosed) => (
            format!("this goroutine ranges over `{ch}`, which the function sends on but never closes: the loop never ends"),
            format!("这个 goroutine 遍历 `{ch}`，函数向它发送却从不关闭：循环永远不会结束"),
        ),
        (_, Why::EarlyReturn) => (
            format!("the function can return before receiving from unbuffered `{ch}`, so this send blocks forever"),
            format!("函数可能在从无缓冲的 `{ch}` 接收之前就返回，这次发送会永远阻塞"),
        ),
    };
    let help = match op {
        Op::Send => Text::new(
            format!(
                "give `{ch}` a buffer of 1 (`make(chan T, 1)`) so the send always completes, or select on a done channel too"
            ),
            format!(
                "给 `{ch}` 加一个容量为 1 的缓冲（`make(chan T, 1)`），让发送总能完成；或在发送时同时 select 一个 done channel"
            ),
        ),
        Op::Receive | Op::Range => Text::new(
            format!("close `{ch}` when the producer is done (`defer close({ch})`), or select on a done channel too"),
            format!("生产者结束时关闭 `{ch}`（`defer close({ch})`），或者同时 select 一个 done channel"),
        ),
    };
    c.report(out, &GoroutineBlockedForever::INFO, at, Text::new(en, zh), help);
}
