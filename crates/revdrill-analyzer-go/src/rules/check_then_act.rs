//! GO004: look up shared state, then change it based on what was seen, with no lock held.

use tree_sitter::Node;

use crate::ast::{self, text};
use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks for an `if` that decides on the result of a lookup on a shared object
    /// (`s.tasks.Get(id)`, `s.cache.Load(key)`, `s.store.Exists(key)`) and then changes the same
    /// object under the same key (`Delete`, `Store`, `Set`, `Put`, `Remove`, `Add`, `Create`, ...),
    /// in a function that takes no lock before it.
    ///
    /// ## Why is this bad?
    /// The check and the act are two separate steps. Another goroutine can change the entry in
    /// between, so the act runs on a stale decision: an entry re-created under the same key is
    /// deleted, or two goroutines both see "absent" and both create it. This is a time-of-check
    /// to time-of-use race even when each call is safe on its own.
    ///
    /// ## Example
    /// ```go
    /// if _, ok := s.sessions.Load(id); !ok {
    ///     s.sessions.Store(id, newSession())
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// s.sessions.LoadOrStore(id, newSession())
    /// ```
    ///
    /// ## Known problems
    /// Without types the rule cannot tell shared from local objects; it only looks at fields
    /// (`x.y.Get`), skips package calls (`os.Getenv`), headers and query values, and functions
    /// that call `Lock()` first or whose name ends in `Locked`. A lock taken by the caller is
    /// not seen.
    ///
    /// ## References
    /// - [Wikipedia: Time-of-check to time-of-use](https://en.wikipedia.org/wiki/Time-of-check_to_time-of-use)
    /// - [`sync.Map.LoadOrStore`](https://pkg.go.dev/sync#Map.LoadOrStore)
    CheckThenAct {
        code: "GO004",
        name: "check-then-act",
        level: Warning,
        summary: ("lookup then change of the same key on shared state with no lock held",
                  "在未加锁的情况下，先查询共享状态、再按同一个 key 修改它（check-then-act）"),
    }
}

const CHECKS: &[&str] = &["Get", "Load", "Lookup", "Exists", "Has", "Contains", "Find"];
const ACTS: &[&str] = &["Delete", "Remove", "Store", "Set", "Put", "Add", "Create", "Insert", "Update"];

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    for site in &c.index.ifs {
        let Some(func) = site.func else { continue };
        // Cheap text filter: an act verb somewhere in the `if` before any tree work.
        let if_text = text(site.node, c.src);
        if !ACTS.iter().any(|a| if_text.match_indices(a).any(|(i, _)| i > 0 && if_text.as_bytes()[i - 1] == b'.')) {
            continue;
        }
        let mut checks = Vec::new();
        for field in ["initializer", "condition"] {
            if let Some(n) = site.node.child_by_field_name(field) {
                checks.extend(verb_calls(c, n, CHECKS));
            }
        }
        // `v, ok := s.m.Load(k)` just before `if !ok { ... }`.
        if let (Some(prev), Some(cond)) = (ast::previous(site.node), site.node.child_by_field_name("condition"))
            && (prev.kind() == "short_var_declaration" || prev.kind() == "assignment_statement")
        {
            let prev_checks = verb_calls(c, prev, CHECKS);
            if !prev_checks.is_empty() {
                let names = ast::assigned_names(prev, c.src);
                if names.iter().any(|n| *n != "_" && ast::mentions(cond, c.src, n, false)) {
                    checks.extend(prev_checks);
                }
            }
        }
        if checks.is_empty() {
            continue;
        }
        let mut acts = Vec::new();
        for field in ["consequence", "alternative"] {
            if let Some(n) = site.node.child_by_field_name(field) {
                acts.extend(verb_calls(c, n, ACTS));
            }
        }
        let found = checks.iter().find_map(|chk| acts.iter().find(|act| same_target(c, chk, act)).map(|act| (chk, act)));
        let Some((chk, act)) = found else { continue };
        let name = ast::function_name(func, c.src);
        if name.ends_with("Locked") || name.ends_with("locked") || locks_before(c, func, site.node) {
            continue;
        }
        let (recv, key) = (text(chk.receiver.unwrap_or(chk.node), c.src), shared_key(c, chk, act).unwrap_or(""));
        c.report_span(
            out,
            &CheckThenAct::INFO,
            chk.node,
            act.node,
            Text::new(
                format!("`{recv}.{}` then `{recv}.{}` on `{key}` is a check-then-act race: the entry can change in between", chk.name, act.name),
                format!("先 `{recv}.{}` 再 `{recv}.{}`（key 为 `{key}`）是 check-then-act 竞争：两次调用之间条目可能已被修改", chk.name, act.name),
            ),
            Text::new(
                "make the store do both in one atomic step (a conditional delete, `LoadOrStore`), or hold the store's lock across both calls",
                "让存储层一步原子地完成（条件删除、`LoadOrStore`），或在两次调用期间持有同一把锁",
            ),
        );
    }
}

fn verb_calls<'t>(c: &Checker<'t>, node: Node<'t>, verbs: &[&str]) -> Vec<ast::Call<'t>> {
    // Cheap filter on the method name before splitting the call.
    ast::collect(node, false, &mut |n| {
        n.kind() == "call_expression"
            && n.child_by_field_name("function")
                .filter(|f| f.kind() == "selector_expression")
                .and_then(|f| f.child_by_field_name("field"))
                .is_some_and(|f| {
                    let name = text(f, c.src);
                    verbs.iter().any(|v| name.starts_with(v))
                })
    })
    .into_iter()
    .filter_map(|n| ast::call(n, c.src))
    .filter(|call| verbs.iter().any(|v| call.name.starts_with(v)) && shared_receiver(c, call))
    .collect()
}

/// A field of something (`s.tasks`), not a package, header or query value.
fn shared_receiver(c: &Checker, call: &ast::Call) -> bool {
    let Some(recv) = call.receiver else { return false };
    if recv.kind() != "selector_expression" {
        return false;
    }
    let field = recv.child_by_field_name("field").map(|f| text(f, c.src)).unwrap_or("");
    let root = recv.child_by_field_name("operand").map(|o| text(o, c.src)).unwrap_or("");
    !c.imports.contains(root) && !["Header", "header", "Values", "Query", "Form", "Trailer"].iter().any(|s| field.contains(s))
}

fn same_target<'t>(c: &Checker<'t>, chk: &ast::Call<'t>, act: &ast::Call<'t>) -> bool {
    let (Some(a), Some(b)) = (chk.receiver, act.receiver) else { return false };
    text(a, c.src) == text(b, c.src) && shared_key(c, chk, act).is_some()
}

/// The first argument text both calls share, contexts left out.
fn shared_key<'t>(c: &Checker<'t>, chk: &ast::Call<'t>, act: &ast::Call<'t>) -> Option<&'t str> {
    chk.args.iter().map(|a| text(*a, c.src)).filter(|k| !is_context(k)).find(|k| act.args.iter().any(|b| text(*b, c.src) == *k))
}

fn is_context(arg: &str) -> bool {
    arg == "ctx" || arg.ends_with("Ctx") || arg == "context"
}

fn locks_before(c: &Checker, func: Node, at: Node) -> bool {
    c.index.expr_stmts.iter().any(|s| {
        s.node.start_byte() < at.start_byte()
            && ast::contains(func, s.node)
            && s.node.named_child(0).is_some_and(|n| matches!(ast::callee_name(n, c.src), "Lock" | "RLock" | "TryLock"))
    })
}
