//! Per-function summaries of a package: which mutexes a function locks and unlocks, which
//! channels it sends on, receives from or closes, which wait groups it waits on or marks done,
//! and which functions of the same package it calls, in source order.
//!
//! A unit is a function, a method or a function literal (a goroutine body, a callback); its
//! events do not include those of the literals inside it. Names are normalised so that units
//! of one package agree: `s.mu` in a method of `*Server` is `Server.mu`, a local `wg` shared by
//! a function and its closures is `@<offset>.wg` (the offset of their top-level declaration),
//! a package variable is its name. Calls resolve by name and receiver type only: `s.flush()`
//! in a method of `*Server` is `Server.flush`, `flush()` is the package function `flush`.
//!
//! Architecture invariant: summaries are built from tree-sitter trees of one package only.

use std::collections::HashMap;

use tree_sitter::Node;

use crate::ast::{self, text};
use crate::package::{receiver_name, receiver_type};

/// What a unit does, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Lock,
    RLock,
    Unlock,
    Send,
    Recv,
    Close,
    Wait,
    Done,
    /// `Signal()` or `Broadcast()` of a `sync.Cond`: what a `Wait` on it waits for.
    Signal,
    /// A call to the unit named by the key (`Server.flush`, `flush`).
    Call,
}

/// One event: the operation, the normalised name it acts on, and where.
#[derive(Clone, Debug)]
pub(crate) struct Event {
    pub op: Op,
    pub key: String,
    pub range: (usize, usize),
    /// Inside a `defer`: runs at return, not here.
    pub deferred: bool,
    /// Under `if flag { ... }` with a plain boolean name (`if needLock { mu.Lock() }`): taken
    /// only when the caller asks, so a caller holding the lock is not deadlocked by it.
    pub conditional: bool,
}

/// `held` is held while `taken` is locked, at `range` of the unit starting at `unit`,
/// through the call `via` (none when locked directly).
pub(crate) type LockEdge = (String, String, usize, (usize, usize), Option<String>);

/// One function, method or function literal.
#[derive(Clone, Debug, Default)]
pub(crate) struct Unit {
    /// `Server.flush`, `flush`, or empty for a literal.
    pub name: String,
    /// Start byte of the unit (unique within its file).
    pub start: usize,
    /// Which file of the package the unit is in: the address of that file's source text,
    /// which stays put while the package is analysed (see [`crate::checker::Checker::units`]).
    pub file: usize,
    pub events: Vec<Event>,
}

impl Unit {
    /// The first event, `depth` calls deep at most, that locks `mutex` exclusively (or in any
    /// mode when `shared_too`): the chain of callee names that leads to it.
    pub(crate) fn lock_chain(&self, mutex: &str, shared_too: bool, units: &[Unit], depth: usize) -> Option<Vec<String>> {
        for e in &self.events {
            match e.op {
                // Lets the caller's lock go first: made to be called with it held.
                Op::Unlock if e.key == mutex => return None,
                Op::Lock if e.key == mutex && !e.conditional => return Some(Vec::new()),
                Op::RLock if shared_too && e.key == mutex && !e.conditional => return Some(Vec::new()),
                Op::Call if depth > 0 => {
                    for u in units.iter().filter(|u| u.name == e.key && u.name != self.name) {
                        if let Some(mut chain) = u.lock_chain(mutex, shared_too, units, depth - 1) {
                            chain.insert(0, u.name.clone());
                            return Some(chain);
                        }
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// The mutexes the unit locks, itself or `depth` calls deep (deferred events included).
    pub(crate) fn locked(&self, units: &[Unit], depth: usize, out: &mut Vec<String>) {
        for e in &self.events {
            match e.op {
                Op::Lock | Op::RLock if !out.contains(&e.key) => out.push(e.key.clone()),
                Op::Call if depth > 0 => {
                    for u in units.iter().filter(|u| u.name == e.key && u.name != self.name) {
                        u.locked(units, depth - 1, out);
                    }
                }
                _ => {}
            }
        }
    }

    /// True when the unit, called with `mutex` held, returns with it released: it unlocks
    /// what its caller locked (`tryGrantLockedAndUnlock`, a `defer mu.Unlock()` it did not
    /// pair with a lock of its own).
    pub(crate) fn releases(&self, mutex: &str) -> bool {
        let mut held = true;
        for e in self.events.iter().filter(|e| e.key == mutex && !e.deferred) {
            match e.op {
                Op::Unlock => held = false,
                Op::Lock | Op::RLock => held = true,
                _ => {}
            }
        }
        let deferred_unlock = self.events.iter().any(|e| e.deferred && e.op == Op::Unlock && e.key == mutex);
        !held || deferred_unlock
    }

    /// True when the unit (or, `depth` calls deep, a unit it calls) locks `mutex`.
    pub(crate) fn locks(&self, mutex: &str, units: &[Unit], depth: usize) -> bool {
        self.events.iter().any(|e| match e.op {
            Op::Lock | Op::RLock => e.key == mutex,
            Op::Call if depth > 0 => units.iter().filter(|u| u.name == e.key).any(|u| u.locks(mutex, units, depth - 1)),
            _ => false,
        })
    }
}

/// The summaries of the units of one file (empty when it takes no lock: nothing to relate).
pub(crate) fn units(src: &str, root: Node, fields: &HashMap<(String, String), String>) -> Vec<Unit> {
    if !src.contains("Lock()") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut c = root.walk();
    for top in root.named_children(&mut c) {
        if !matches!(top.kind(), "function_declaration" | "method_declaration") {
            continue;
        }
        let t = text(top, src);
        // Locals only name what a unit locks, waits on, sends on or closes; a declaration that
        // does none of that yields calls only, whose keys need no locals.
        let (locals, buffered) =
            if NAMED_OPS.iter().any(|w| t.contains(w)) { locals_of(top, src) } else { (Vec::new(), Vec::new()) };
        let ctx = Ctx {
            src,
            recv: receiver_name(top, src),
            recv_type: receiver_type(top, src),
            top: top.start_byte(),
            locals,
            fields,
            buffered,
        };
        let funcs = if t.get(4..).is_some_and(|rest| rest.contains("func")) {
            ast::collect(top, true, &mut |n| matches!(n.kind(), "function_declaration" | "method_declaration" | "func_literal"))
        } else {
            vec![top]
        };
        for func in funcs {
            let name = match func.kind() {
                "method_declaration" => format!("{}.{}", ctx.recv_type, ast::function_name(func, src)),
                "function_declaration" => ast::function_name(func, src).to_string(),
                _ => String::new(),
            };
            let Some(body) = ast::body(func) else { continue };
            out.push(Unit { name, start: func.start_byte(), file: src.as_ptr() as usize, events: events(&ctx, body) });
        }
    }
    out
}

struct Ctx<'s> {
    src: &'s str,
    recv: Option<&'s str>,
    recv_type: &'s str,
    top: usize,
    locals: Vec<&'s str>,
    /// Struct fields of the package: `s.store.Put()` in a method of `S` calls `Store.Put` when
    /// field `store` of `S` has type `Store`.
    fields: &'s HashMap<(String, String), String>,
    /// Local channels made with a buffer (`make(chan T, n)`): a send on one is not counted as
    /// blocking (a single send into a fresh buffer never blocks).
    buffered: Vec<&'s str>,
}

impl Ctx<'_> {
    /// The normalised name of `expr`, or `None` when it is not a plain path (`a.b.c`).
    fn key(&self, expr: Node) -> Option<String> {
        let t = text(ast::strip_parens(expr), self.src).trim_start_matches('&');
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.') {
            return None;
        }
        let root = t.split('.').next().unwrap_or(t);
        if self.recv == Some(root) {
            return Some(format!("{}{}", self.recv_type, &t[root.len()..]));
        }
        if self.locals.contains(&root) {
            return Some(format!("@{}.{t}", self.top));
        }
        Some(t.to_string())
    }
}

/// Text that shows a declaration acts on a named lock, channel or wait group.
const NAMED_OPS: &[&str] = &["Lock", "Wait", "<-", "close(", "Done()", "Signal", "Broadcast"];

/// Parameters and variables declared anywhere under a top-level declaration, and the locals
/// among them assigned `make(chan T, n)`, in one walk.
fn locals_of<'s>(top: Node<'s>, src: &'s str) -> (Vec<&'s str>, Vec<&'s str>) {
    let (mut locals, mut buffered) = (Vec::new(), Vec::new());
    ast::walk(top, true, &mut |n| {
        match n.kind() {
            "parameter_declaration" | "var_spec" => {
                let mut c = n.walk();
                locals.extend(n.children_by_field_name("name", &mut c).map(|x| text(x, src)));
            }
            "short_var_declaration" | "range_clause" | "assignment_statement" => {
                if n.kind() != "assignment_statement"
                    && let Some(l) = n.child_by_field_name("left")
                {
                    locals.extend(ast::list_items(l).into_iter().map(|x| text(x, src)));
                }
                if n.kind() != "range_clause" {
                    let names = ast::assigned_names(n, src);
                    for (name, value) in names.iter().zip(ast::assigned_values(n)) {
                        let make =
                            ast::call(value, src).filter(|k| k.name == "make" && k.receiver.is_none() && k.args.len() == 2);
                        if make.is_some_and(|k| text(k.args[0], src).starts_with("chan")) {
                            buffered.push(*name);
                        }
                    }
                }
            }
            _ => {}
        }
        true
    });
    (locals, buffered)
}

/// The events of one body, closures left out; operations in a `select` with a `default` do
/// not block and are left out too.
fn events(ctx: &Ctx, body: Node) -> Vec<Event> {
    let mut out = Vec::new();
    // The statement kind each call or expression sits directly in, noted when the statement is
    // visited (before its child): `Node::parent` would cost the depth of the node.
    let mut stmt_of: std::collections::HashMap<usize, &'static str> = std::collections::HashMap::new();
    // Byte ranges of `if flag { ... }` bodies (see [`Event::conditional`]).
    let mut flagged: Vec<(usize, usize)> = Vec::new();
    ast::walk(body, false, &mut |n| {
        if n.kind() == "if_statement"
            && n.child_by_field_name("condition").is_some_and(|c| c.kind() == "identifier")
            && let Some(then) = n.child_by_field_name("consequence")
        {
            flagged.push((then.start_byte(), then.end_byte()));
        }
        let conditional = flagged.iter().any(|&(a, b)| a <= n.start_byte() && n.end_byte() <= b);
        if n.kind() == "select_statement" && has_default(n) {
            return false;
        }
        if let kind @ ("expression_statement" | "defer_statement") = n.kind()
            && let Some(child) = n.named_child(0)
        {
            stmt_of.insert(child.id(), kind);
        }
        let in_stmt = stmt_of.get(&n.id()).copied();
        let push = |out: &mut Vec<Event>, op: Op, key: Option<String>| {
            if let Some(key) = key {
                let deferred = in_stmt == Some("defer_statement");
                out.push(Event { op, key, range: (n.start_byte(), n.end_byte()), deferred, conditional });
            }
        };
        match n.kind() {
            "send_statement" => {
                let ch = n.child_by_field_name("channel").filter(|ch| !ctx.buffered.contains(&text(*ch, ctx.src)));
                push(&mut out, Op::Send, ch.and_then(|ch| ctx.key(ch)))
            }
            "unary_expression" if n.child_by_field_name("operator").is_some_and(|o| o.kind() == "<-") => {
                let operand = n.child_by_field_name("operand");
                // `<-ctx.Done()` and `<-time.After(d)` are not channels of the package.
                if operand.is_some_and(|o| ast::strip_parens(o).kind() != "call_expression") {
                    push(&mut out, Op::Recv, operand.and_then(|o| ctx.key(o)));
                }
            }
            "range_clause" => {
                if let Some(r) = n.child_by_field_name("right").filter(|r| r.kind() != "call_expression") {
                    // Only channels are ranged over by a receive; a key that names a slice never
                    // meets a send, so it relates to nothing.
                    push(&mut out, Op::Recv, ctx.key(r));
                }
            }
            // `go f()` runs `f` in another goroutine: not a call made with this one's locks.
            "go_statement" => return false,
            "call_expression" => {
                if let Some(call) = ast::call(n, ctx.src) {
                    let on = call.receiver.and_then(|r| ctx.key(r));
                    match (call.name, call.args.len(), call.receiver) {
                        ("Lock", 0, Some(_)) => push(&mut out, Op::Lock, on),
                        ("RLock", 0, Some(_)) => push(&mut out, Op::RLock, on),
                        ("Unlock" | "RUnlock", 0, Some(_)) => push(&mut out, Op::Unlock, on),
                        ("Wait", 0, Some(_)) => push(&mut out, Op::Wait, on),
                        ("Done", 0, Some(_)) if in_stmt.is_some() => push(&mut out, Op::Done, on),
                        ("Signal" | "Broadcast", 0, Some(_)) if in_stmt.is_some() => push(&mut out, Op::Signal, on),
                        ("close", 1, None) => push(&mut out, Op::Close, ctx.key(call.args[0])),
                        (name, _, Some(r)) if ctx.recv == Some(text(r, ctx.src)) => {
                            push(&mut out, Op::Call, Some(format!("{}.{name}", ctx.recv_type)))
                        }
                        (name, _, None) if !name.is_empty() => push(&mut out, Op::Call, Some(name.to_string())),
                        (name, _, Some(r)) => {
                            let path = text(r, ctx.src);
                            let field = path.split_once('.').filter(|(root, f)| ctx.recv == Some(*root) && !f.contains('.'));
                            if let Some(ty) = field.and_then(|(_, f)| ctx.fields.get(&(ctx.recv_type.to_string(), f.to_string())))
                            {
                                push(&mut out, Op::Call, Some(format!("{ty}.{name}")))
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        true
    });
    out
}

fn has_default(select: Node) -> bool {
    let body = select.named_child(0).filter(|b| b.kind() != "communication_case" && b.kind() != "default_case");
    let parent = body.unwrap_or(select);
    let mut c = parent.walk();
    parent.named_children(&mut c).any(|n| n.kind() == "default_case")
}
