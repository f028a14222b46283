//! GO009: a mutex locked and not unlocked on some path out of the function or loop body.
//!
//! Also hosts the path scan shared with GO010 (double lock).

use std::collections::HashMap;

use tree_sitter::Node;

use crate::ast::{self, text};
use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks for `mu.Lock()` / `mu.RLock()` followed, in the same function, by a `return`,
    /// `break` or `continue` reached without `mu.Unlock()` on the way, or by the end of the
    /// function or loop body with the lock still held, when no `defer mu.Unlock()` follows the
    /// lock.
    ///
    /// ## Why is this bad?
    /// The early return is usually an error path added later. When it runs, the mutex stays
    /// locked and the next caller blocks forever: the whole service stalls on one rare error.
    ///
    /// ## Example
    /// ```go
    /// s.mu.Lock()
    /// if err := s.validate(); err != nil {
    ///     return err // s.mu stays locked
    /// }
    /// s.mu.Unlock()
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// s.mu.Lock()
    /// defer s.mu.Unlock()
    /// if err := s.validate(); err != nil {
    ///     return err
    /// }
    /// ```
    ///
    /// ## Known problems
    /// Unlocking in another function, or handing the lock to the caller, is not seen:
    /// functions whose name mentions `lock`, functions that never unlock the mutex themselves,
    /// and functions that unlock inside a closure are skipped. `panic` paths are not considered.
    ///
    /// ## References
    /// - [`sync.Mutex`](https://pkg.go.dev/sync#Mutex)
    LockWithoutUnlock {
        code: "GO009",
        name: "lock-without-unlock",
        level: Error,
        summary: ("`Lock()` without `Unlock()` on some return, break or continue path",
                  "`Lock()` 之后，某条 return/break/continue 路径上没有 `Unlock()`"),
        vocabulary: {
            category: "concurrency",
            item: "concurrency",
            general: Some("lock"),
            en: &["not unlock", "never unlock", "missing unlock", "still held", "`Unlock`"],
            zh: &["没有解锁", "未解锁", "忘记解锁", "没*unlock", "一直持有"],
        },
    }
}

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    for event in scan(c) {
        let &Event::Leak { lock, mutex, at, exit } = event else { continue };
        let (en, zh) = match exit {
            Some(kind) => (
                format!("`{mutex}` is still locked at this `{kind}`: the next `Lock()` blocks forever"),
                format!("执行到这个 `{kind}` 时 `{mutex}` 仍处于加锁状态：下一次 `Lock()` 会永远阻塞"),
            ),
            None => (
                format!("`{mutex}` is locked here and not unlocked before the end of the block"),
                format!("`{mutex}` 在这里加锁，但直到代码块结束都没有解锁"),
            ),
        };
        c.report_span(
            out,
            &LockWithoutUnlock::INFO,
            lock,
            at,
            Text::new(en, zh),
            Text::new(
                format!("add `defer {mutex}.Unlock()` right after the lock, or unlock before every exit"),
                format!("加锁后立即 `defer {mutex}.Unlock()`，或在每个出口之前解锁"),
            ),
        );
    }
}

pub(crate) enum Event<'t> {
    /// Lock statement, the mutex text, where it is still held, and the exit kind (None: end).
    Leak { lock: Node<'t>, mutex: &'t str, at: Node<'t>, exit: Option<&'static str> },
    /// Lock statement, the mutex text, and the second lock call.
    Double { lock: Node<'t>, mutex: &'t str, second: Node<'t> },
}

/// Follows every `X.Lock()`/`X.RLock()` statement through the rest of its block (once per file).
pub(crate) fn scan<'c, 't>(c: &'c Checker<'t>) -> &'c [Event<'t>] {
    c.lock_events.get_or_init(|| compute(c))
}

fn compute<'t>(c: &Checker<'t>) -> Vec<Event<'t>> {
    let mut events = Vec::new();
    let lockers = locking_methods(c);
    for site in &c.index.expr_stmts {
        let Some(func) = site.func else { continue };
        if !text(site.node, c.src).ends_with("Lock()") {
            continue;
        }
        let Some(call) = ast::stmt_call(site.node, c.src) else { continue };
        let unlock = match call.name {
            "Lock" => "Unlock",
            "RLock" => "RUnlock",
            _ => continue,
        };
        let Some(recv) = call.receiver.filter(|_| call.args.is_empty()) else { continue };
        let mutex = text(recv, c.src);
        if ast::function_name(func, c.src).to_ascii_lowercase().contains("lock") || func.has_error() {
            continue;
        }
        // `mu.Unlock(); work(); mu.Lock()`: the lock is given back to code that took it
        // earlier (a loop that holds it around each iteration), not a new one to pair up.
        let mut prev = ast::previous(site.node);
        let mut relock = false;
        while let Some(p) = prev {
            if ast::any(p, false, &mut |n| is_call_on(c, n, mutex, &[unlock])) {
                relock = true;
                break;
            }
            prev = ast::previous(p);
        }
        if relock {
            continue;
        }
        let Some(body) = ast::body(func) else { continue };
        let unlocks_in_closure = ast::any(body, true, &mut |n| {
            n.kind() == "func_literal" && ast::any(n, true, &mut |m| is_call_on(c, m, mutex, &["Unlock", "RUnlock"]))
        });
        let unlocks_anywhere = ast::any(body, false, &mut |n| is_call_on(c, n, mutex, &[unlock]));
        if unlocks_in_closure || (!unlocks_anywhere && site.in_loop.is_none()) {
            // Unlocked elsewhere (a closure, or the lock is handed to the caller on purpose).
            continue;
        }
        // `r.mu` held in a method of `r`: calls `r.m()` to methods that lock `r.mu` again.
        let self_path = receiver_name(c, func).and_then(|r| Some((r, mutex.strip_prefix(r)?.strip_prefix('.')?)));
        let recv_type = receiver_type(c, func);
        let held = Held { lock: site.node, mutex, unlock, in_loop: site.in_loop, self_path, lockers: &lockers, recv_type };
        follow(c, &held, &mut events);
    }
    events
}

/// A lock being followed through the rest of its block.
struct Held<'a, 't> {
    lock: Node<'t>,
    mutex: &'t str,
    unlock: &'a str,
    in_loop: Option<Node<'t>>,
    /// The method's receiver and the mutex path under it (`s`, `mu` for `s.mu`).
    self_path: Option<(&'t str, &'t str)>,
    lockers: &'a HashMap<(&'t str, &'t str), Vec<&'t str>>,
    /// The receiver type of the method holding the lock.
    recv_type: &'t str,
}

/// Methods of this file that lock a field of their receiver at the top of their body:
/// (receiver type, method name) → mutex paths under the receiver (`mu` for `s.mu.Lock()`).
fn locking_methods<'t>(c: &Checker<'t>) -> HashMap<(&'t str, &'t str), Vec<&'t str>> {
    let mut out: HashMap<(&str, &str), Vec<&str>> = HashMap::new();
    for site in &c.index.functions {
        let f = site.node;
        if f.kind() != "method_declaration" {
            continue;
        }
        let (Some(recv), Some(body)) = (receiver_name(c, f), ast::body(f)) else { continue };
        for stmt in ast::statements(body).into_iter().take(4) {
            let Some(call) = ast::stmt_call(stmt, c.src).filter(|_| stmt.kind() == "expression_statement") else { continue };
            if matches!(call.name, "Unlock" | "RUnlock") {
                break; // unlocks what the caller holds, then locks again: made to be called locked
            }
            if !matches!(call.name, "Lock" | "RLock") {
                continue;
            }
            let Some(path) = call.receiver.and_then(|r| text(r, c.src).strip_prefix(recv)?.strip_prefix('.')) else { continue };
            out.entry((receiver_type(c, f), ast::function_name(f, c.src))).or_default().push(path);
            break;
        }
    }
    out
}

/// The receiver type of a method without pointer or type arguments (`S` in `func (s *S[T]) m()`).
fn receiver_type<'t>(c: &Checker<'t>, func: Node<'t>) -> &'t str {
    let ty = func
        .child_by_field_name("receiver")
        .and_then(|l| l.named_child(0))
        .and_then(|d| d.child_by_field_name("type"))
        .map_or("", |t| text(t, c.src));
    let ty = ty.trim_start_matches('*');
    ty.split('[').next().unwrap_or(ty).trim()
}

/// The receiver variable of a method (`s` in `func (s *S) m()`).
fn receiver_name<'t>(c: &Checker<'t>, func: Node<'t>) -> Option<&'t str> {
    let list = func.child_by_field_name("receiver")?;
    let decl = list.named_child(0)?;
    decl.child_by_field_name("name").map(|n| text(n, c.src)).filter(|n| *n != "_")
}

/// `r.m(...)` where `m` locks the same path of its receiver.
fn is_self_locking_call<'t>(c: &Checker<'t>, n: Node<'t>, held: &Held<'_, 't>) -> bool {
    let Some((recv, path)) = held.self_path else { return false };
    if n.parent().is_some_and(|p| p.kind() == "go_statement") {
        return false; // runs in another goroutine, which waits for the lock like any other
    }
    let name = ast::callee_name(n, c.src);
    let Some(paths) = held.lockers.get(&(held.recv_type, name)) else { return false };
    paths.contains(&path) && receiver_text(c.src, n) == Some(recv)
}

/// The receiver text of `x.m(...)` (`x`), without splitting the whole call.
fn receiver_text<'s>(src: &'s str, call: Node) -> Option<&'s str> {
    let f = call.child_by_field_name("function").filter(|f| f.kind() == "selector_expression")?;
    f.child_by_field_name("operand").map(|o| text(o, src))
}

fn follow<'t>(c: &Checker<'t>, held: &Held<'_, 't>, events: &mut Vec<Event<'t>>) {
    let (lock, mutex, in_loop) = (held.lock, held.mutex, held.in_loop);
    let unlocks = [held.unlock];
    // After `defer mu.Unlock()` the lock is held to the end: only double locks are looked for.
    let mut deferred = false;
    for stmt in ast::following(lock) {
        if stmt.kind() == "defer_statement" && ast::any(stmt, true, &mut |n| is_call_on(c, n, mutex, &unlocks)) {
            deferred = true;
            continue;
        }
        if ast::stmt_call(stmt, c.src).is_some_and(|k| is_call_on(c, k.node, mutex, &unlocks)) {
            return;
        }
        // A second lock before any unlock in this statement, directly or through a method
        // of the same receiver that takes the same lock.
        let first_lock = ast::collect(stmt, false, &mut |n| {
            is_call_on(c, n, mutex, &["Lock", "RLock"]) || (n.kind() == "call_expression" && is_self_locking_call(c, n, held))
        })
        .into_iter()
        .next();
        let first_unlock = ast::collect(stmt, false, &mut |n| is_call_on(c, n, mutex, &unlocks)).into_iter().next();
        if let Some(second) = first_lock
            && first_unlock.is_none_or(|u| second.start_byte() < u.start_byte())
        {
            events.push(Event::Double { lock, mutex, second });
            return;
        }
        if deferred {
            if first_unlock.is_some() {
                return;
            }
            continue;
        }
        // Exits inside this statement with no unlock before them on their path.
        let exits = ast::collect(stmt, false, &mut |n| match n.kind() {
            "return_statement" => true,
            "break_statement" | "continue_statement" => in_loop.is_some() && leaves_loop(n, in_loop),
            _ => false,
        });
        for exit in exits {
            let unlocked_after_loop = exit.kind() == "break_statement"
                && in_loop.is_some_and(|lp| {
                    ast::following(lp).iter().any(|s| ast::any(*s, false, &mut |n| is_call_on(c, n, mutex, &unlocks)))
                });
            if !unlocked_before(c, exit, stmt, mutex, &unlocks) && !unlocked_after_loop {
                let kind = match exit.kind() {
                    "return_statement" => "return",
                    "break_statement" => "break",
                    _ => "continue",
                };
                events.push(Event::Leak { lock, mutex, at: exit, exit: Some(kind) });
                return;
            }
        }
        if first_unlock.is_some() {
            // Unlocked on some branch: paths beyond are not followed.
            return;
        }
    }
    if deferred {
        return;
    }
    // End of the block with the lock held: a leak only at the end of a loop body.
    let list = lock.parent();
    let is_loop_body = list.and_then(|l| l.parent()).and_then(|b| b.parent()).is_some_and(|f| f.kind() == "for_statement");
    // Locked once per iteration and unlocked as many times after the loop: counted on purpose.
    let unlocked_after = in_loop
        .is_some_and(|lp| ast::following(lp).iter().any(|s| ast::any(*s, false, &mut |n| is_call_on(c, n, mutex, &unlocks))));
    if is_loop_body && in_loop.is_some() && !unlocked_after {
        let end = list.and_then(|l| l.parent()).unwrap_or(lock);
        events.push(Event::Leak { lock, mutex, at: end, exit: None });
    }
}

/// `break`/`continue` that leaves the loop the lock was taken in (not a nested loop, `switch`
/// or `select`, for `break`).
fn leaves_loop(n: Node, in_loop: Option<Node>) -> bool {
    let Some(lp) = in_loop else { return false };
    if n.named_child(0).is_some() {
        return true; // labeled: assume it leaves
    }
    for a in ast::ancestors(n, Some(lp)) {
        match a.kind() {
            "for_statement" | "func_literal" => return false,
            "expression_switch_statement" | "type_switch_statement" | "select_statement" if n.kind() == "break_statement" => {
                return false;
            }
            _ => {}
        }
    }
    true
}

/// An unlock statement earlier on the path from `top` down to `exit`.
fn unlocked_before(c: &Checker, exit: Node, top: Node, mutex: &str, unlocks: &[&str]) -> bool {
    let mut child = exit;
    for a in ast::ancestors(exit, Some(top.parent().unwrap_or(top))) {
        if a.kind() == "statement_list" {
            let mut sib = child.prev_named_sibling();
            while let Some(s) = sib {
                if ast::any(s, false, &mut |n| is_call_on(c, n, mutex, unlocks)) {
                    return true;
                }
                sib = s.prev_named_sibling();
            }
        }
        child = a;
    }
    false
}

pub(crate) fn is_call_on(c: &Checker, n: Node, mutex: &str, names: &[&str]) -> bool {
    // Name first: it is cheap and rules out almost every call.
    let name = ast::callee_name(n, c.src);
    if names.contains(&name) {
        return receiver_text(c.src, n) == Some(mutex);
    }
    // `cc.updateStateAndUnlock(...)` hands the lock over to a function that releases it.
    names.iter().any(|u| u.ends_with("Unlock")) && name.ends_with("AndUnlock")
}
