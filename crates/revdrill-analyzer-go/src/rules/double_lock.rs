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
    /// of the same file that starts by locking `r.mu` itself.
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
    /// same receiver that lock at the top of their body.
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

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
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
