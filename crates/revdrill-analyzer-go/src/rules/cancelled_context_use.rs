//! GO003: a context passed on after it is known to be cancelled.

use tree_sitter::Node;

use crate::ast::{self, text};
use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks for calls that take `ctx` as an argument after `<-ctx.Done()` has returned on the
    /// same path: later statements after a bare `<-ctx.Done()`, or the body of a
    /// `case <-ctx.Done():` in a `select`.
    ///
    /// ## Why is this bad?
    /// Once `Done()` is closed the context is cancelled for good. Any call that honours its
    /// context (RPCs, database and store calls, `exec.CommandContext`) returns
    /// `context.Canceled` at once, so cleanup written after the wait silently never happens.
    ///
    /// ## Example
    /// ```go
    /// <-ctx.Done()
    /// if err := store.Delete(ctx, id); err != nil {
    ///     return err // always context.Canceled
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// <-ctx.Done()
    /// cleanupCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
    /// defer cancel()
    /// if err := store.Delete(cleanupCtx, id); err != nil {
    ///     return err
    /// }
    /// ```
    ///
    /// ## Known problems
    /// Calls that only read values from the context (loggers, tracing) are fine and are
    /// skipped by name (`log.G`, `log.Ctx`, `...FromContext`, span `SetStatus...`), as are
    /// `cleanup.*` helpers that detach the context themselves and functions of the package that
    /// return no error (they cannot act on a cancellation); other value-only helpers of other
    /// packages may be flagged.
    ///
    /// ## References
    /// - [`context.WithoutCancel`](https://pkg.go.dev/context#WithoutCancel)
    CancelledContextUse {
        code: "GO003",
        name: "cancelled-context-use",
        level: Error,
        summary: ("context used after `<-ctx.Done()`: calls honouring it fail at once",
                  "在 `<-ctx.Done()` 之后继续使用同一个 context：遵守 context 的调用会立即失败"),
        vocabulary: {
            category: "correctness",
            item: "error-paths",
            general: Some("error"),
            en: &[ "=cancelled context", "=canceled context", "already cancel", "after `<-ctx.Done`", "`context.Canceled`", "`context.WithoutCancel`", ],
            zh: &["已*取消", "已经*cancel", "context.canceled", "withoutcancel"],
        },
    }
}

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    // Bare `<-ctx.Done()` statements: every later statement in the same list.
    for site in &c.index.expr_stmts {
        let Some(expr) = site.node.named_child(0) else { continue };
        let Some(ctx) = ast::done_receive_operand(expr, c.src) else { continue };
        if ctx.kind() != "identifier" {
            continue;
        }
        scan(c, out, text(ctx, c.src), ast::following(site.node));
    }
    // `case <-ctx.Done():` bodies.
    for site in &c.index.selects {
        let mut cur = site.node.walk();
        for case in site.node.named_children(&mut cur).filter(|n| n.kind() == "communication_case") {
            let Some(comm) = case.child_by_field_name("communication") else { continue };
            if comm.kind() != "receive_statement" || comm.child_by_field_name("left").is_some() {
                continue;
            }
            let Some(ctx) = comm.child_by_field_name("right").and_then(|r| ast::done_receive_operand(r, c.src)) else {
                continue;
            };
            if ctx.kind() == "identifier" {
                scan(c, out, text(ctx, c.src), ast::statements(case));
            }
        }
    }
}

fn scan<'t>(c: &Checker<'t>, out: &mut Vec<Diagnostic>, ctx: &str, stmts: Vec<Node<'t>>) {
    for stmt in stmts {
        if reassigns(stmt, c.src, ctx) {
            return;
        }
        for call in ast::collect(stmt, false, &mut |n| n.kind() == "call_expression") {
            let Some(parts) = ast::call(call, c.src) else { continue };
            let passes_ctx = parts.args.iter().any(|a| a.kind() == "identifier" && text(*a, c.src) == ctx);
            let detaches = parts.receiver.is_some_and(|r| text(r, c.src) == "cleanup");
            if !passes_ctx || value_only(parts.name) || detaches || cannot_fail(c, &parts) {
                continue;
            }
            let callee = call.child_by_field_name("function").map(|f| text(f, c.src)).unwrap_or("");
            c.report(
                out,
                &CancelledContextUse::INFO,
                call,
                Text::new(
                    format!("`{callee}` is called with `{ctx}` after `<-{ctx}.Done()`: the context is already cancelled"),
                    format!("`{callee}` 在 `<-{ctx}.Done()` 之后仍使用 `{ctx}`：这个 context 已经被取消了"),
                ),
                Text::new(
                    format!("run this on a context that outlives the cancellation, e.g. `context.WithTimeout(context.WithoutCancel({ctx}), d)`"),
                    format!("改用不随取消而失效的 context，例如 `context.WithTimeout(context.WithoutCancel({ctx}), d)`"),
                ),
            );
        }
    }
}

/// True when the statement gives `ctx` a new value (`ctx = ...`, `ctx, cancel := ...`).
fn reassigns(stmt: Node, src: &str, ctx: &str) -> bool {
    matches!(stmt.kind(), "short_var_declaration" | "assignment_statement") && ast::assigned_names(stmt, src).contains(&ctx)
}

/// A function or method of the package that returns no error: it has no way to report the
/// cancellation, so it does not act on it (a logger, a span helper, a setter).
fn cannot_fail<'t>(c: &Checker<'t>, call: &ast::Call<'t>) -> bool {
    let sig = match call.receiver {
        None => c.package.funcs.get(call.name),
        Some(r) => c.type_of(r).and_then(|t| c.package.methods.get(&(t, call.name.to_string()))),
    };
    sig.is_some_and(|s| !s.returns_error())
}

/// Callees that only read values (loggers, tracing, span status), or derive a detached context.
fn value_only(name: &str) -> bool {
    matches!(name, "G" | "L" | "Ctx" | "WithoutCancel" | "WithValue" | "Value" | "Err" | "Cause" | "Deadline")
        || name.starts_with("SetStatus")
        || name.starts_with("Record")
        || name.ends_with("FromContext")
        || name.contains("Log")
        || name.contains("log")
        || name.contains("Span")
        || name.contains("Trace")
}
