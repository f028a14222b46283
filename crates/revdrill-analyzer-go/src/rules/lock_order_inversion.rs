//! GO019: two mutexes taken in opposite orders in the same file (AB-BA deadlock).

use std::collections::HashMap;

use tree_sitter::Node;

use crate::ast::{self, text};
use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;
use crate::summary::{LockEdge, Op, Unit};

declare_rule! {
    /// ## What it does
    /// Checks for two mutexes that one function locks in the order A then B (B taken while A
    /// is held) and another locks in the order B then A. Fields of a method's receiver are
    /// compared across methods (`s.mu` in one method is `t.mu` in another).
    ///
    /// Through the package's function summaries the same is checked across calls: holding `a`
    /// while calling a function of the package that locks `b` (up to two calls deep) counts as
    /// taking `b` while `a` is held.
    ///
    /// ## Why is this bad?
    /// If two goroutines run the two functions at the same time, each can take its first lock
    /// and wait forever for the other's: a deadlock that appears only under load and leaves no
    /// error, just a stuck process.
    ///
    /// ## Example
    /// ```go
    /// func (s *S) a() {
    ///     s.mu.Lock()
    ///     defer s.mu.Unlock()
    ///     s.cacheMu.Lock()
    ///     defer s.cacheMu.Unlock()
    /// }
    ///
    /// func (s *S) b() {
    ///     s.cacheMu.Lock()
    ///     defer s.cacheMu.Unlock()
    ///     s.mu.Lock() // opposite order
    ///     defer s.mu.Unlock()
    /// }
    /// ```
    ///
    /// Use instead: take the locks in one documented order everywhere (`mu` before `cacheMu`),
    /// or restructure so that no function holds both.
    ///
    /// ## Known problems
    /// Only locks taken in the same file and in the same block are seen; orders established
    /// through calls to other functions are not.
    ///
    /// ## References
    /// - [Tu et al., Understanding Real-World Concurrency Bugs in Go (ASPLOS 2019)](https://songlh.github.io/paper/go-study.pdf)
    LockOrderInversion {
        code: "GO019",
        name: "lock-order-inversion",
        level: Error,
        summary: ("two mutexes are locked in opposite orders in different places (AB-BA deadlock)",
                  "两个 mutex 在不同位置以相反的顺序加锁（AB-BA 死锁）"),
        vocabulary: {
            category: "concurrency",
            item: "concurrency",
            general: Some("lock"),
            en: &["lock order", "opposite order", "deadlock", "ab-ba", "inversion"],
            zh: &["加锁顺序", "相反*顺序", "死锁"],
        },
    }
}

/// How many calls deep a lock taken while another is held is followed.
const CALL_DEPTH: usize = 2;

/// Lock orders of the package through calls: (held, taken) → where, per unit of `units`.
fn package_edges(units: &[Unit]) -> Vec<LockEdge> {
    let mut edges = Vec::new();
    for unit in units {
        let mut held: Vec<&str> = Vec::new();
        for e in unit.events.iter().filter(|e| !e.deferred) {
            match e.op {
                Op::Lock | Op::RLock => {
                    edges.extend(
                        held.iter().filter(|h| **h != e.key).map(|h| (h.to_string(), e.key.clone(), unit.start, e.range, None)),
                    );
                    held.push(&e.key);
                }
                Op::Unlock => held.retain(|h| *h != e.key),
                Op::Call if !held.is_empty() => {
                    let mut taken = Vec::new();
                    for u in units.iter().filter(|u| u.name == e.key && u.name != unit.name) {
                        u.locked(units, CALL_DEPTH, &mut taken);
                    }
                    for t in taken {
                        for h in held.iter().filter(|h| **h != t) {
                            edges.push((h.to_string(), t.clone(), unit.start, e.range, Some(e.key.clone())));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    edges
}

/// AB-BA through calls to other functions of the package: this file takes B while holding A
/// (directly or in a callee), and some function of the package takes A while holding B.
fn through_calls(c: &Checker, out: &mut Vec<Diagnostic>) {
    if c.package.units.is_empty() {
        return;
    }
    let all = c.package.lock_edges.get_or_init(|| package_edges(&c.package.units));
    let here = package_edges(c.units());
    let reported: Vec<u32> = out.iter().filter(|d| d.code == LockOrderInversion::INFO.code).map(|d| d.line).collect();
    let mut done = std::collections::HashSet::new();
    for (a, b, _, range, via) in &here {
        if via.is_none() && !all.iter().any(|x| x.0 == *b && x.1 == *a && x.4.is_some()) {
            continue; // both orders direct: the per-file check above already sees them
        }
        if !all.iter().any(|x| x.0 == *b && x.1 == *a) || !done.insert((a.clone(), b.clone())) {
            continue;
        }
        let Some(node) = c.root.descendant_for_byte_range(range.0, range.1) else { continue };
        if reported.contains(&(node.start_position().row as u32 + 1)) {
            continue;
        }
        // `bank.mu` (type and path) reads well; a local `@123.mu` shows as `mu`.
        let shown = |k: &str| k.split_once('.').filter(|(r, _)| r.starts_with('@')).map_or(k.to_string(), |(_, r)| r.to_string());
        let (f, s) = (shown(a), shown(b));
        let through = via.as_deref().map(|v| format!(" (through `{v}`)")).unwrap_or_default();
        let through_zh = via.as_deref().map(|v| format!("（经由 `{v}`）")).unwrap_or_default();
        c.report(out, &LockOrderInversion::INFO, node, Text::new(
            format!("`{s}` is locked while `{f}` is held{through}, but elsewhere in this package `{f}` is locked while `{s}` is held: the two can deadlock"),
            format!("这里在持有 `{f}` 时对 `{s}` 加锁{through_zh}，而本包另一处在持有 `{s}` 时对 `{f}` 加锁：两者可能互相死锁"),
        ), Text::new(
            "take the two locks in one documented order everywhere, or never hold both at once",
            "在所有地方按同一个（写进文档的）顺序加这两把锁，或避免同时持有两把锁",
        ));
    }
}

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    per_file(c, out);
    through_calls(c, out);
}

fn per_file(c: &Checker, out: &mut Vec<Diagnostic>) {
    // (outer, inner) normalised mutex names → the inner lock call where the order is set.
    let mut edges: HashMap<(String, String), Node> = HashMap::new();
    for site in &c.index.expr_stmts {
        let Some(func) = site.func else { continue };
        if !text(site.node, c.src).ends_with("Lock()") {
            continue;
        }
        let Some(call) = ast::stmt_call(site.node, c.src).filter(|k| matches!(k.name, "Lock" | "RLock") && k.args.is_empty())
        else {
            continue;
        };
        let Some(outer) = call.receiver.map(|r| text(r, c.src)) else { continue };
        let unlock = if call.name == "Lock" { "Unlock" } else { "RUnlock" };
        'stmts: for stmt in ast::following(site.node) {
            let calls =
                ast::collect(stmt, false, &mut |n| n.kind() == "call_expression" && ast::callee_name(n, c.src).ends_with("ock"));
            for n in calls {
                let Some(k) = ast::call(n, c.src) else { continue };
                let Some(recv) = k.receiver.map(|r| text(r, c.src)) else { continue };
                if recv == outer && k.name == unlock && stmt.kind() != "defer_statement" {
                    break 'stmts;
                }
                if recv != outer && matches!(k.name, "Lock" | "RLock") && k.args.is_empty() {
                    let key = (normalise(c, func, outer), normalise(c, func, recv));
                    edges.entry(key).or_insert(n);
                }
            }
        }
    }
    for ((a, b), at) in &edges {
        if a < b && edges.contains_key(&(b.clone(), a.clone())) {
            let other = edges[&(b.clone(), a.clone())];
            for (node, first, second) in [(*at, a, b), (other, b, a)] {
                let (f, s) = (shown(first), shown(second));
                c.report(out, &LockOrderInversion::INFO, node, Text::new(
                    format!("`{s}` is locked while `{f}` is held, but elsewhere in this file `{f}` is locked while `{s}` is held: the two can deadlock"),
                    format!("这里在持有 `{f}` 时对 `{s}` 加锁，而本文件另一处在持有 `{s}` 时对 `{f}` 加锁：两者可能互相死锁"),
                ), Text::new(
                    "take the two locks in one documented order everywhere, or never hold both at once",
                    "在所有地方按同一个（写进文档的）顺序加这两把锁，或避免同时持有两把锁",
                ));
            }
        }
    }
}

/// `s.mu` in a method with receiver `s` becomes `$.mu`, so methods of one type agree.
fn normalise(c: &Checker, func: Node, mutex: &str) -> String {
    let recv = func
        .child_by_field_name("receiver")
        .and_then(|l| l.named_child(0))
        .and_then(|d| d.child_by_field_name("name"))
        .map(|n| text(n, c.src));
    match recv.and_then(|r| mutex.strip_prefix(r)).filter(|rest| rest.starts_with('.')) {
        Some(rest) => format!("${rest}"),
        None => mutex.to_string(),
    }
}

fn shown(name: &str) -> &str {
    name.strip_prefix("$.").unwrap_or(name)
}
