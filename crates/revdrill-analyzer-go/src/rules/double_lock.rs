//! GO010: the same mutex locked twice on one path.

use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;
use crate::rules::lock_without_unlock::{Event, scan};

declare_rule! {
    /// ## What it does
    /// Checks for a second `mu.Lock()` (or `mu.RLock()`) of the same mutex later in the same
    /// function while the first is still held (also after `defer mu.Unlock()`), with no
    /// `mu.Unlock()` in between; and, in a method holding `r.mu`, for a call `r.m()` to a method
    /// of the same file that starts by locking `r.mu` itself; and, through the package's
    /// function summaries, for a call made with the mutex held to a function or method of the
    /// same package that locks it again up to three calls deep (`Stop` → `flush` → `record`).
    ///
    /// ## Why is this bad?
    /// Go mutexes are not reentrant. Locking a mutex the goroutine already holds blocks it
    /// forever; a second `RLock` deadlocks as soon as a writer is waiting in between.
    ///
    /// ## Example
    /// ```go
    /// s.mu.Lock()
    /// if s.closed {
    ///     s.mu.Lock()
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// s.mu.Lock()
    /// defer s.mu.Unlock()
    /// if s.closed {
    ///     // already held
    /// }
    /// ```
    ///
    /// ## Known problems
    /// Locks taken inside called functions are seen only for methods of the same file on the
    /// same receiver that lock at the top of their body. A lock a callee takes only under a
    /// flag (`if needLock { mu.Lock() }`) is taken to be skipped by a caller that holds it.
    ///
    /// ## References
    /// - [`sync.RWMutex`: recursive read locking is prohibited](https://pkg.go.dev/sync#RWMutex)
    DoubleLock {
        code: "GO010",
        name: "double-lock",
        level: Error,
        summary: ("the same mutex is locked twice on one path", "同一个 mutex 在一条路径上被加锁两次"),
        vocabulary: {
            category: "concurrency",
            item: "concurrency",
            general: Some("lock"),
            en: &["lock twice", "double lock", "locked again", "re-lock", "deadlock", "not reentrant"],
            zh: &["两次加锁", "重复加锁", "死锁", "不可重入"],
        },
    }
}

/// How many calls deep a second lock of a held mutex is looked for.
const CALL_DEPTH: usize = 3;

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    let mut seen = std::collections::HashSet::new();
    for event in scan(c) {
        if let Event::Double { lock, .. } = event {
            seen.insert(lock.start_byte());
        }
    }
    through_calls(c, &seen, out);
    for event in scan(c) {
        let &Event::Double { lock, mutex, second } = event else { continue };
        let via = if crate::ast::callee_name(second, c.src).ends_with("Lock") {
            String::new()
        } else {
            format!(" (through `{}`)", crate::ast::text(second.child_by_field_name("function").unwrap_or(second), c.src))
        };
        c.report_span(
            out,
            &DoubleLock::INFO,
            lock,
            second,
            Text::new(
                format!("`{mutex}` is locked again while already held{via}: the goroutine deadlocks on itself"),
                format!("`{mutex}` 在已持有的情况下再次加锁{via}：goroutine 会把自己死锁"),
            ),
            Text::new(
                format!("unlock `{mutex}` before locking it again, or restructure so the lock is taken once"),
                format!("再次加锁前先解锁 `{mutex}`，或者调整结构只加一次锁"),
            ),
        );
    }
}

/// Held locks followed through calls to other functions of the package (package summaries):
/// `s.mu` held while calling `s.a()`, which calls `s.b()`, which locks `s.mu`.
fn through_calls(c: &Checker, seen: &std::collections::HashSet<usize>, out: &mut Vec<Diagnostic>) {
    use crate::summary::Op;
    let units = &c.package.units;
    for unit in c.units() {
        // (mutex, start of its lock, exclusive?) in order.
        let mut held: Vec<(&str, usize, bool)> = Vec::new();
        for e in unit.events.iter().filter(|e| !e.deferred) {
            match e.op {
                Op::Lock | Op::RLock => held.push((&e.key, e.range.0, e.op == Op::Lock)),
                Op::Unlock => held.retain(|h| h.0 != e.key),
                Op::Call => {
                    let Some(callee) = units.iter().find(|u| u.name == e.key && u.name != unit.name) else { continue };
                    for &(mutex, at, exclusive) in &held {
                        if seen.contains(&at) {
                            continue;
                        }
                        let Some(mut chain) = callee.lock_chain(mutex, exclusive, units, CALL_DEPTH) else { continue };
                        chain.insert(0, callee.name.clone());
                        let (Some(lock), Some(call)) = (
                            c.root.descendant_for_byte_range(at, at + 1).and_then(|n| n.parent()),
                            c.root.descendant_for_byte_range(e.range.0, e.range.1),
                        ) else {
                            continue;
                        };
                        let shown = mutex.split_once('.').map_or(mutex, |(_, rest)| rest);
                        let path = chain.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" → ");
                        c.report(
                            out,
                            &DoubleLock::INFO,
                            call,
                            Text::new(
                                format!("`{shown}` is held (locked on line {}) and this call locks it again through {path}: the goroutine deadlocks on itself", lock.start_position().row + 1),
                                format!("`{shown}` 已被持有（第 {} 行加锁），这个调用经由 {path} 再次加锁：goroutine 会把自己死锁", lock.start_position().row + 1),
                            ),
                            Text::new(
                                format!("call it after unlocking `{shown}`, or split out a variant that expects the lock held (`...Locked`)"),
                                format!("在解锁 `{shown}` 之后再调用，或拆出一个假定已持有锁的版本（`...Locked`）"),
                            ),
                        );
                        break;
                    }
                }
                _ => {}
            }
        }
    }
}
