//! GO008: the cancel func of a derived context is not called on every path.

use tree_sitter::Node;

use crate::ast::{self, text};
use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks that the cancel func returned by `context.WithCancel`, `WithTimeout`,
    /// `WithDeadline` (and their `Cause` variants) is called on every path: it is flagged when
    /// it is discarded with `_`, never used, or called directly but not before some `return`
    /// (or `break`/`continue` out of the loop body that created the context).
    ///
    /// ## Why is this bad?
    /// Until it is cancelled, a derived context stays registered with its parent, and the timer
    /// of `WithTimeout` keeps running. Forgetting `cancel` leaks both for as long as the parent
    /// lives, which for a server's root context is forever.
    ///
    /// ## Example
    /// ```go
    /// ctx, cancel := context.WithTimeout(ctx, time.Second)
    /// resp, err := client.Do(ctx, req)
    /// if err != nil {
    ///     return err // cancel not called
    /// }
    /// cancel()
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// ctx, cancel := context.WithTimeout(ctx, time.Second)
    /// defer cancel()
    /// ```
    ///
    /// ## Known problems
    /// A cancel func assigned (`=`) to a variable the function does not declare (a package
    /// variable, an enclosing closure's) belongs to whoever owns that variable and is not
    /// followed.
    /// A cancel func that is deferred, stored, passed, returned or used in a closure is assumed
    /// to be handled. Paths are approximated by blocks: a call in an earlier enclosing block
    /// counts for every later `return`.
    ///
    /// ## References
    /// - [`go vet` lostcancel](https://pkg.go.dev/golang.org/x/tools/go/analysis/passes/lostcancel)
    /// - [`context.WithCancel`](https://pkg.go.dev/context#WithCancel)
    CancelNotCalled {
        code: "GO008",
        name: "cancel-not-called",
        level: Error,
        summary: ("cancel func of `context.WithCancel/Timeout/Deadline` not called on every path",
                  "`context.WithCancel/Timeout/Deadline` 返回的 cancel 函数没有在所有路径上被调用"),
        nolint: ["govet", "lostcancel"],
        vocabulary: {
            category: "resource-leak",
            item: "concurrency",
            general: Some("leak"),
            en: &["cancel not called", "never call cancel", "missing cancel", "`defer cancel()`", "not cancel"],
            zh: &["没有调用*cancel", "未调用*cancel", "defer cancel", "没*cancel"],
        },
    }
}

const DERIVES: &[&str] =
    &["WithCancel", "WithTimeout", "WithDeadline", "WithCancelCause", "WithTimeoutCause", "WithDeadlineCause"];

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    for site in &c.index.short_vars {
        let Some(func) = site.func else { continue };
        if !text(site.node, c.src).contains("context.With") {
            continue;
        }
        let values = ast::assigned_values(site.node);
        let Some(call) = values.first().and_then(|v| ast::call(*v, c.src)) else { continue };
        let pkg = call.receiver.map(|r| text(r, c.src)).unwrap_or("");
        if !DERIVES.contains(&call.name) || pkg != "context" || values.len() != 1 {
            continue;
        }
        let names = ast::assigned_names(site.node, c.src);
        let Some(&cancel) = names.get(1) else { continue };
        if !cancel.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            continue; // stored in a field or slice: released elsewhere
        }
        let decl = site.node;
        // `ctx, stop = context.WithCancel(ctx)` into a variable not declared in this function:
        // a package variable or an outer closure's, called by whoever owns it.
        if decl.kind() == "assignment_statement" && cancel != "_" && !declared_in(c, func, cancel) {
            continue;
        }
        if cancel == "_" {
            report(
                c,
                out,
                decl,
                decl,
                cancel,
                Text::new(
                    format!("the cancel func of `context.{}` is discarded: the context is never released", call.name),
                    format!("`context.{}` 返回的 cancel 函数被丢弃了：这个 context 永远不会被释放", call.name),
                ),
            );
            continue;
        }
        let Some(body) = ast::body(func) else { continue };
        let uses: Vec<Node> = ast::collect(body, true, &mut |n| {
            n.kind() == "identifier" && text(n, c.src) == cancel && n.start_byte() > decl.end_byte()
        });
        if uses.is_empty() {
            report(
                c,
                out,
                decl,
                decl,
                cancel,
                Text::new(
                    format!("`{cancel}` is never called: the context from `context.{}` is never released", call.name),
                    format!("`{cancel}` 从未被调用：`context.{}` 创建的 context 永远不会被释放", call.name),
                ),
            );
            continue;
        }
        // Anything but a plain `cancel()` statement in this function's own code: assume handled.
        let direct_calls: Vec<Node> = uses.iter().filter_map(|u| direct_call_stmt(c, *u, func)).collect();
        if direct_calls.len() != uses.len() {
            continue;
        }
        // Returns within the block that declares the context: past its end the variable is
        // gone, and a call at the block's own level covers the way out.
        let scope = decl.parent().unwrap_or(body);
        // Exits: returns, and `break`/`continue` that leave the loop body declaring the context.
        let exits = ast::collect(scope, false, &mut |n| {
            n.start_byte() > decl.end_byte()
                && match n.kind() {
                    "return_statement" => true,
                    "break_statement" | "continue_statement" => leaves_scope(n, scope),
                    _ => false,
                }
        });
        if let Some(exit) = exits.into_iter().find(|r| !direct_calls.iter().any(|call| dominates(*call, *r))) {
            let kind = match exit.kind() {
                "return_statement" => "return",
                "break_statement" => "break",
                _ => "continue",
            };
            report(
                c,
                out,
                decl,
                exit,
                cancel,
                Text::new(
                    format!(
                        "`{cancel}` is not called before this `{kind}`: the context from `context.{}` leaks on this path",
                        call.name
                    ),
                    format!("在这个 `{kind}` 之前没有调用 `{cancel}`：`context.{}` 创建的 context 在这条路径上泄露", call.name),
                ),
            );
        }
    }
}

/// An unlabeled `break`/`continue` that jumps out of `scope` (no loop, or for `break` no
/// `switch`/`select`, in between).
fn leaves_scope(n: Node, scope: Node) -> bool {
    if n.named_child(0).is_some() {
        return false; // labeled: target unknown here
    }
    let in_loop_body = scope.parent().and_then(|b| b.parent()).is_some_and(|f| f.kind() == "for_statement");
    in_loop_body
        && !ast::ancestors(n, Some(scope)).iter().any(|a| match a.kind() {
            "for_statement" | "func_literal" => true,
            "expression_switch_statement" | "type_switch_statement" | "select_statement" => n.kind() == "break_statement",
            _ => false,
        })
}

/// The `cancel()` expression statement this identifier is the callee of, if it is one and
/// not inside a closure.
fn direct_call_stmt<'t>(c: &Checker, ident: Node<'t>, func: Node<'t>) -> Option<Node<'t>> {
    let call = ident.parent().filter(|p| p.kind() == "call_expression")?;
    let stmt = call.parent().filter(|p| p.kind() == "expression_statement")?;
    let _ = c;
    let in_closure = ast::ancestors(stmt, Some(func)).iter().any(|a| a.kind() == "func_literal");
    (!in_closure).then_some(stmt)
}

/// A statement comes before `later` in a block that encloses `later`.
fn dominates(stmt: Node, later: Node) -> bool {
    stmt.end_byte() <= later.start_byte() && stmt.parent().is_some_and(|list| ast::contains(list, later))
}

fn report(c: &Checker, out: &mut Vec<Diagnostic>, start: Node, end: Node, cancel: &str, message: Text) {
    let name = if cancel == "_" { "cancel" } else { cancel };
    c.report_span(
        out,
        &CancelNotCalled::INFO,
        start,
        end,
        message,
        Text::new(
            format!("call `defer {name}()` right after creating the context"),
            format!("创建 context 之后立即 `defer {name}()`"),
        ),
    );
}

/// `name` is a parameter of `func` or declared in its body (`:=`, `var`).
fn declared_in(c: &Checker, func: Node, name: &str) -> bool {
    ast::parameter_names(func, c.src).contains(&name)
        || c.index.short_vars.iter().any(|s| {
            s.func.is_some_and(|f| f.id() == func.id())
                && s.node.kind() == "short_var_declaration"
                && ast::assigned_names(s.node, c.src).contains(&name)
        })
        || ast::body(func).is_some_and(|b| {
            ast::any(b, false, &mut |n| {
                n.kind() == "var_spec" && n.child_by_field_name("name").is_some_and(|x| text(x, c.src) == name)
            })
        })
}
