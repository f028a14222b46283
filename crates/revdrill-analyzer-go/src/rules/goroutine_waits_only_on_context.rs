//! GO002: a goroutine whose only way out is `<-ctx.Done()`.

use crate::ast::{self, text};
use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks for goroutines that block on `<-ctx.Done()` (alone, or as the only case of a
    /// `select`) where `ctx` comes from the caller or from `context.Background()`, so that the
    /// goroutine ends only if somebody else cancels it.
    ///
    /// ## Why is this bad?
    /// Whether the goroutine ever exits depends on a promise the code does not show: that every
    /// caller passes a context that will be cancelled. A caller passing `context.Background()`
    /// or a long-lived service context leaks one goroutine, and everything its closure holds,
    /// per call. Such leaks grow slowly and show up only after days in production.
    ///
    /// ## Example
    /// ```go
    /// func (s *Service) watch(ctx context.Context, id string) {
    ///     go func() {
    ///         <-ctx.Done()
    ///         s.cleanup(id)
    ///     }()
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// // watch must be called with a context cancelled when the task exits.
    /// func (s *Service) watch(ctx context.Context, id string) {
    ///     go func() {
    ///         select {
    ///         case <-ctx.Done():
    ///         case <-s.shutdown:
    ///         }
    ///         s.cleanup(id)
    ///     }()
    /// }
    /// ```
    ///
    /// ## Known problems
    /// Without seeing the callers the rule cannot know whether the context is always
    /// cancelled. A goroutine that holds nothing of the call but its context, started by a
    /// function named for it (`Start`, `Run`, `Serve`, `Listen...`) or whose doc comment speaks
    /// of the context ("stops when the context is done"), ties an object's lifetime to the
    /// context on purpose and is not flagged; a context created and cancelled in the same function is not flagged, and one
    /// read from a struct field is assumed to be the owner's lifetime and not flagged either.
    ///
    /// ## References
    /// - [Go blog: Go Concurrency Patterns: Context](https://go.dev/blog/context)
    /// - [`context` package: cancellation](https://pkg.go.dev/context)
    GoroutineWaitsOnlyOnContext {
        code: "GO002",
        name: "goroutine-waits-only-on-context",
        level: Warning,
        summary: ("goroutine whose only exit is `<-ctx.Done()` of a context that may never be cancelled",
                  "goroutine 唯一的退出路径是 `<-ctx.Done()`，而这个 context 可能永远不会被取消"),
        vocabulary: {
            category: "concurrency",
            item: "concurrency",
            general: Some("leak"),
            en: &["never cancel", "not cancel", "only exit", "`ctx.Done`", "background context"],
            zh: &["不*取消", "没有*取消", "唯一*退出", "ctx.done"],
        },
    }
}

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    for site in &c.index.go_stmts {
        let Some(call) = ast::stmt_call(site.node, c.src) else { continue };
        let Some(lit) = call.node.child_by_field_name("function").filter(|f| f.kind() == "func_literal") else {
            continue;
        };
        let Some(body) = ast::body(lit) else { continue };
        for stmt in ast::statements(body) {
            let Some(ctx) = only_done_wait(stmt, c.src) else { continue };
            let ctx_name = text(ctx, c.src);
            if ctx.kind() != "identifier"
                || !origin_is_uncancelled(c, site.func, lit, &call, ctx_name)
                || site.func.is_some_and(|f| ties_lifetime(c, f, lit, ctx_name))
            {
                continue;
            }
            c.report_span(
                out,
                &GoroutineWaitsOnlyOnContext::INFO,
                site.node,
                stmt,
                Text::new(
                    format!("this goroutine can only exit through `<-{ctx_name}.Done()`: it leaks if `{ctx_name}` is never cancelled"),
                    format!("这个 goroutine 只能通过 `<-{ctx_name}.Done()` 退出：如果 `{ctx_name}` 永远不被取消，它就会泄露"),
                ),
                Text::new(
                    "give the goroutine another way out (a done channel, the owner's shutdown context), or document who cancels the context",
                    "给 goroutine 另一个退出条件（done channel、所属对象的关闭 context），或者在文档中写清楚由谁取消这个 context",
                ),
            );
            break;
        }
    }
}

/// Words in a function's doc comment that show it states what its context governs ("stops
/// when the context is done", "until ctx is cancelled"): the contract is then written down.
const CONTEXT_WORDS: &[&str] = &["context", "ctx", "cancel"];

/// Names of functions that start something meant to live as long as their context.
const LIFECYCLE_PREFIXES: &[&str] = &["Start", "Run", "Serve", "Listen", "WithContext"];

/// `func` ties an object's lifetime to its context on purpose: it is named for it (`Start`,
/// `Serve`) or its doc speaks of the context, and the goroutine holds nothing of the call but
/// the context (so it is one per object, not one per request carrying that request's data).
fn ties_lifetime<'t>(c: &Checker<'t>, func: tree_sitter::Node<'t>, lit: tree_sitter::Node<'t>, ctx: &str) -> bool {
    let top = c.top_decl(func).unwrap_or(func);
    let named = LIFECYCLE_PREFIXES.iter().any(|p| ast::function_name(top, c.src).starts_with(p));
    let holds_call_data = ast::parameter_names(top, c.src)
        .iter()
        .skip(usize::from(crate::package::receiver_name(top, c.src).is_some()))
        .any(|p| *p != ctx && ast::mentions(lit, c.src, p, true));
    !holds_call_data && (named || documents_context(c, top))
}

/// The doc comment right above `func` mentions its context: the caller was told.
fn documents_context<'t>(c: &Checker<'t>, func: tree_sitter::Node<'t>) -> bool {
    let top = c.top_decl(func).unwrap_or(func);
    let mut doc = String::new();
    let mut prev = top.prev_named_sibling();
    let mut row = top.start_position().row;
    while let Some(p) = prev.filter(|p| p.kind() == "comment" && p.end_position().row + 1 >= row) {
        doc.push_str(&text(p, c.src).to_ascii_lowercase());
        row = p.start_position().row;
        prev = p.prev_named_sibling();
    }
    CONTEXT_WORDS.iter().any(|w| doc.contains(w))
}

/// For `<-ctx.Done()` as a statement, or `select` whose only case is it, the `ctx` node.
fn only_done_wait<'t>(stmt: tree_sitter::Node<'t>, src: &'t str) -> Option<tree_sitter::Node<'t>> {
    match stmt.kind() {
        "expression_statement" => ast::done_receive_operand(stmt.named_child(0)?, src),
        "select_statement" => {
            let mut cur = stmt.walk();
            let cases: Vec<_> = stmt.named_children(&mut cur).filter(|n| n.kind() != "comment").collect();
            if cases.len() != 1 || cases[0].kind() != "communication_case" {
                return None;
            }
            let comm = cases[0].child_by_field_name("communication")?;
            let expr = if comm.kind() == "receive_statement" { comm.child_by_field_name("right")? } else { return None };
            ast::done_receive_operand(expr, src)
        }
        _ => None,
    }
}

/// True when `name` is a parameter of the enclosing function (or of the literal, fed from one)
/// that is not re-derived with a cancel func, or is set from `context.Background()`/`TODO()`.
fn origin_is_uncancelled(
    c: &Checker,
    func: Option<tree_sitter::Node>,
    lit: tree_sitter::Node,
    call: &ast::Call,
    name: &str,
) -> bool {
    // `go func(ctx context.Context) {...}(parent)`: follow the argument.
    let lit_params = ast::parameter_names(lit, c.src);
    let name = match lit_params.iter().position(|p| *p == name) {
        Some(i) => match call.args.get(i) {
            Some(arg) if arg.kind() == "identifier" => text(*arg, c.src),
            _ => return false,
        },
        None => name,
    };
    let Some(func) = func else { return false };
    let mut derived_with_cancel = false;
    let mut background = false;
    for site in &c.index.short_vars {
        if site.func.map(|f| f.id()) != Some(func.id()) || site.node.start_byte() > lit.start_byte() {
            continue;
        }
        let names = ast::assigned_names(site.node, c.src);
        let Some(i) = names.iter().position(|n| *n == name) else { continue };
        let values = ast::assigned_values(site.node);
        let value = values.get(i).or(values.first()).map(|v| text(*v, c.src)).unwrap_or("");
        if value.starts_with("context.Background(") || value.starts_with("context.TODO(") {
            background = true;
        } else {
            derived_with_cancel = true;
        }
    }
    background || (!derived_with_cancel && ast::parameter_names(func, c.src).contains(&name))
}
