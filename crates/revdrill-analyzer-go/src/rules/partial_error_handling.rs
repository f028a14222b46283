//! GO005: one kind of error handled, every other kind silently dropped.

use tree_sitter::Node;

use crate::ast::{self, text};
use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks for an error that is only tested for one kind (`errdefs.IsNotFound(err)`,
    /// `os.IsNotExist(err)`, `errors.Is(err, ErrX)`) in an `if` with no `else`, when nothing after
    /// that `if` looks at the error again: every other error is dropped.
    ///
    /// ## Why is this bad?
    /// The expected error is handled, and the unexpected ones (timeouts, I/O errors, a cancelled
    /// context, permission problems) vanish without a log line. Those are exactly the failures
    /// someone will need to diagnose later.
    ///
    /// ## Example
    /// ```go
    /// if _, err := s.store.Get(ctx, id); errdefs.IsNotFound(err) {
    ///     s.recreate(id)
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// _, err := s.store.Get(ctx, id)
    /// switch {
    /// case errdefs.IsNotFound(err):
    ///     s.recreate(id)
    /// case err != nil:
    ///     log.G(ctx).WithError(err).Warn("look up task")
    /// }
    /// ```
    ///
    /// ## Known problems
    /// Existence probes with `os.Stat`/`os.Lstat` are skipped, since other errors usually
    /// surface on the next file operation. An error inspected through another variable later
    /// is not seen.
    ///
    /// ## References
    /// - [Go blog: Working with Errors in Go 1.13](https://go.dev/blog/go1.13-errors)
    PartialErrorHandling {
        code: "GO005",
        name: "partial-error-handling",
        level: Warning,
        summary: ("only one kind of error is handled (`IsNotFound`, `IsNotExist`...), all others are dropped",
                  "只处理了一种错误（`IsNotFound`、`IsNotExist` 等），其他错误全部被丢弃"),
        vocabulary: {
            category: "error-handling",
            item: "error-paths",
            general: Some("error"),
            en: &["other error", "unexpected error", "only handle", "every other error", "all other errors"],
            zh: &["其他错误", "其它错误", "只处理", "其他*错误"],
        },
    }
}

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    for site in &c.index.ifs {
        let node = site.node;
        if node.child_by_field_name("alternative").is_some() {
            continue;
        }
        let Some(cond) = node.child_by_field_name("condition") else { continue };
        if !text(cond, c.src).contains("Is") {
            continue;
        }
        let Some((pred, err)) = kind_test(c, cond, 0) else { continue };
        if site.func.is_some_and(|f| named_result(c, f, err)) {
            continue; // a bare `return` hands it back
        }
        let init = node.child_by_field_name("initializer");
        let source = match init {
            Some(i) if ast::assigned_names(i, c.src).contains(&err) => i,
            _ => match ast::previous(node) {
                Some(p)
                    if matches!(p.kind(), "short_var_declaration" | "assignment_statement")
                        && ast::assigned_names(p, c.src).contains(&err) =>
                {
                    // Declared outside the `if`: fine if a later statement looks at it again.
                    if ast::following(node).iter().any(|s| ast::mentions(*s, c.src, err, true)) {
                        continue;
                    }
                    p
                }
                _ => continue,
            },
        };
        let Some(producer) = ast::assigned_values(source).into_iter().find_map(|v| ast::call(v, c.src)) else {
            continue;
        };
        if matches!(producer.name, "Stat" | "Lstat") {
            continue;
        }
        let callee = producer.node.child_by_field_name("function").map(|f| text(f, c.src)).unwrap_or("");
        c.report(
            out,
            &PartialErrorHandling::INFO,
            node.child_by_field_name("condition").unwrap_or(node),
            Text::new(
                format!("only `{pred}` errors from `{callee}` are handled: any other error in `{err}` is silently dropped"),
                format!("只处理了 `{callee}` 返回的 `{pred}` 错误：`{err}` 中的其他错误被静默丢弃"),
            ),
            Text::new(
                format!("handle the other errors too: add `else if {err} != nil` that returns, logs or counts them"),
                format!("同时处理其他错误：加上 `else if {err} != nil` 分支，返回、记录日志或计数"),
            ),
        );
    }
}

/// In a condition made only of `&&`, a positive kind test on an error variable:
/// returns the predicate name and the variable.
fn kind_test<'t>(c: &Checker<'t>, cond: Node<'t>, depth: usize) -> Option<(&'t str, &'t str)> {
    let cond = ast::strip_parens(cond);
    if depth > 32 {
        return None; // a generated `a && b && ...` chain: not worth a deep recursion
    }
    match cond.kind() {
        "binary_expression" => {
            let op = cond.child_by_field_name("operator")?;
            if op.kind() != "&&" {
                return None;
            }
            kind_test(c, cond.child_by_field_name("left")?, depth + 1)
                .or_else(|| kind_test(c, cond.child_by_field_name("right")?, depth + 1))
        }
        "call_expression" => {
            let call = ast::call(cond, c.src)?;
            let first = call.args.first()?;
            let err = text(*first, c.src);
            if first.kind() != "identifier" || !ast::is_err_name(err) {
                return None;
            }
            let is_kind = (call.name == "Is" && call.args.len() == 2)
                || (call.args.len() == 1
                    && call.name.len() > 2
                    && call.name.starts_with("Is")
                    && call.name[2..].starts_with(|ch: char| ch.is_ascii_uppercase()));
            is_kind.then_some((text(cond.child_by_field_name("function")?, c.src), err))
        }
        _ => None,
    }
}

/// True when `name` is a named result of the function.
fn named_result(c: &Checker, func: Node, name: &str) -> bool {
    func.child_by_field_name("result").is_some_and(|r| {
        r.kind() == "parameter_list" && ast::any(r, false, &mut |n| n.kind() == "identifier" && text(n, c.src) == name)
    })
}
