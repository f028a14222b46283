//! GO004: look up shared state, then change it based on what was seen, with no lock held.

use tree_sitter::Node;

use crate::ast::{self, text};
use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;
use crate::summary::Op;

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
    /// seen when every call of the function in the package holds one, or when the type offers
    /// `Lock()` to its users; a cache filled with a value computed from the key alone is left
    /// alone (racing fills store the same value). Only receivers (`s.tasks` in a method of `s`) and package variables count as
    /// shared; values whose type is a builder or buffer do not.
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
        vocabulary: {
            category: "concurrency",
            item: "concurrency",
            general: Some("race"),
            en: &["check then act", "check-then-act", "not atomic", "between the check", "in between", "toctou"],
            zh: &["非原子", "不是原子", "先*再", "之间"],
        },
    }
}

const CHECKS: &[&str] = &["Get", "Load", "Lookup", "Exists", "Has", "Contains", "Find"];
const ACTS: &[&str] = &["Delete", "Remove", "Store", "Set", "Put", "Add", "Create", "Insert", "Update"];

/// Works from the acts up: each act call (found by a scan of the text for `.Delete` and the
/// other verbs) looks at its ancestors, found in one descent from the root, for the `if`
/// statements whose branches hold it. Walking down from every `if` instead costs the square
/// of the nesting depth.
pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    let locks = lock_positions(c);
    let mut reported = std::collections::HashSet::new();
    for act in act_calls(c) {
        let path = ast::path_to(c.top_decl(act.node).unwrap_or(c.root), act.node);
        let mut child = act.node;
        let mut ifs = Vec::new();
        let mut func = None;
        for &a in path.iter().rev() {
            if matches!(a.kind(), "function_declaration" | "method_declaration" | "func_literal") {
                func = Some(a);
                break;
            }
            let in_branch =
                ["consequence", "alternative"].iter().any(|f| a.child_by_field_name(f).is_some_and(|b| b.id() == child.id()));
            if a.kind() == "if_statement" && in_branch {
                ifs.push(a);
            }
            child = a;
        }
        let Some(func) = func else { continue };
        let name = ast::function_name(func, c.src);
        if name.ends_with("Locked")
            || name.ends_with("locked")
            || !shared_root(c, &act, func, &path)
            || locked_by_callers(c, func)
            || memo_fill(c, &act)
        {
            continue;
        }
        for if_node in ifs {
            if reported.contains(&if_node.id()) {
                continue;
            }
            let Some(chk) = checks_of(c, if_node).into_iter().find(|chk| same_target(c, chk, &act)) else { continue };
            if locks_before(&locks, func, if_node) {
                continue;
            }
            reported.insert(if_node.id());
            report(c, out, &chk, &act);
        }
    }
}

/// The lock is the caller's: the method's type offers `Lock()` itself (its users lock it
/// around calls), or every call of the function in the package is made with a lock held.
fn locked_by_callers(c: &Checker, func: Node) -> bool {
    let name = match func.kind() {
        "method_declaration" => {
            let ty = crate::package::receiver_type(func, c.src);
            if ["Lock", "RLock"].iter().any(|m| c.package.methods.contains_key(&(ty.to_string(), m.to_string()))) {
                return true;
            }
            format!("{ty}.{}", ast::function_name(func, c.src))
        }
        "function_declaration" => ast::function_name(func, c.src).to_string(),
        _ => return false,
    };
    let mut calls = 0;
    for unit in &c.package.units {
        let mut held: Vec<&str> = Vec::new();
        for e in unit.events.iter().filter(|e| !e.deferred) {
            match e.op {
                Op::Lock | Op::RLock => held.push(&e.key),
                Op::Unlock => held.retain(|m| *m != e.key),
                Op::Call if e.key == name => {
                    if held.is_empty() {
                        return false;
                    }
                    calls += 1;
                }
                _ => {}
            }
        }
    }
    calls > 0
}

/// A cache filled with a value derived from the key alone (`v = strings.Split(key, ".")`
/// then `Store(key, v)`): two racing fills store equal values, so the race is harmless.
fn memo_fill<'t>(c: &Checker<'t>, act: &ast::Call<'t>) -> bool {
    let (Some(key), Some(value)) = (act.args.first(), act.args.get(1).filter(|_| act.args.len() == 2)) else { return false };
    let key = text(*key, c.src);
    let Some(assign) = act
        .node
        .parent()
        .and_then(ast::previous)
        .filter(|p| matches!(p.kind(), "assignment_statement" | "short_var_declaration"))
        .filter(|p| ast::assigned_names(*p, c.src) == [text(*value, c.src)])
    else {
        return false;
    };
    let Some(derived) = ast::assigned_values(assign).first().copied().filter(|v| v.kind() == "call_expression") else {
        return false;
    };
    let mut pure = true;
    ast::walk(derived, false, &mut |n| {
        if n.kind() == "identifier" {
            let t = text(n, c.src);
            pure &= t == key || c.imports.contains(t) || c.package.funcs.contains_key(t);
        }
        n.kind() != "func_literal"
    });
    pure
}

/// The object acted on is shared: its root is the receiver of the enclosing method (or of the
/// method a closure sits in) or a package-level variable, not a local value nobody else holds.
fn shared_root<'t>(c: &Checker<'t>, act: &ast::Call<'t>, func: Node<'t>, path: &[Node<'t>]) -> bool {
    let Some(mut root) = act.receiver else { return false };
    while root.kind() == "selector_expression" {
        let Some(o) = root.child_by_field_name("operand") else { return false };
        root = o;
    }
    if root.kind() != "identifier" {
        return false;
    }
    // Builders and buffers have one owner by construction: a lookup then a change on one is
    // ordinary code, not a race.
    if act.receiver.and_then(|r| c.type_of(r)).is_some_and(|t| t.ends_with("Builder") || t.ends_with("Buffer")) {
        return false;
    }
    let name = text(root, c.src);
    let method = if func.kind() == "method_declaration" {
        Some(func)
    } else {
        path.iter().find(|n| n.kind() == "method_declaration").copied()
    };
    if method.and_then(|m| crate::package::receiver_name(m, c.src)) == Some(name) {
        return true;
    }
    !c.is_local(root) && c.package.vars.contains_key(name)
}

/// The act calls of the file on shared receivers, in source order.
fn act_calls<'t>(c: &Checker<'t>) -> Vec<ast::Call<'t>> {
    let mut out = Vec::new();
    for verb in ACTS {
        let needle = format!(".{verb}");
        for (at, _) in c.src.match_indices(&needle) {
            // From the top-level declaration, found by binary search: a descent from the root
            // scans every declaration of the file.
            let Some(top) = c.top_decl_at(at) else { continue };
            let Some(field) = top.descendant_for_byte_range(at + 1, at + needle.len()) else { continue };
            let Some(sel) = field.parent().filter(|p| p.kind() == "selector_expression") else { continue };
            let Some(call) = sel.parent().filter(|p| p.kind() == "call_expression") else { continue };
            if call.child_by_field_name("function").is_some_and(|f| f.id() == sel.id())
                && let Some(k) = ast::call(call, c.src).filter(|k| k.name.starts_with(verb) && shared_receiver(c, k))
            {
                out.push(k);
            }
        }
    }
    out.sort_by_key(|k| k.node.start_byte());
    out
}

/// The lookups an `if` decides on: in its initializer or condition, or in the statement just
/// before it when the condition reads what that statement assigned.
fn checks_of<'t>(c: &Checker<'t>, if_node: Node<'t>) -> Vec<ast::Call<'t>> {
    let mut checks = Vec::new();
    for field in ["initializer", "condition"] {
        if let Some(n) = if_node.child_by_field_name(field) {
            checks.extend(verb_calls(c, n, CHECKS));
        }
    }
    // `v, ok := s.m.Load(k)` just before `if !ok { ... }`.
    if let (Some(prev), Some(cond)) = (ast::previous(if_node), if_node.child_by_field_name("condition"))
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
    checks
}

fn report<'t>(c: &Checker<'t>, out: &mut Vec<Diagnostic>, chk: &ast::Call<'t>, act: &ast::Call<'t>) {
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

/// Start bytes of the `Lock()`/`RLock()`/`TryLock()` statements of the file, sorted.
fn lock_positions(c: &Checker) -> Vec<usize> {
    let mut out: Vec<usize> = c
        .index
        .expr_stmts
        .iter()
        .filter(|s| s.node.named_child(0).is_some_and(|n| matches!(ast::callee_name(n, c.src), "Lock" | "RLock" | "TryLock")))
        .map(|s| s.node.start_byte())
        .collect();
    out.sort_unstable();
    out
}

/// A lock statement in `func` before `at`.
fn locks_before(locks: &[usize], func: Node, at: Node) -> bool {
    let first = locks.partition_point(|&p| p < func.start_byte());
    locks.get(first).is_some_and(|&p| p < at.start_byte())
}
