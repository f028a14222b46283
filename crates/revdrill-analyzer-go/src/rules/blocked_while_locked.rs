//! GO020: a blocking channel operation or `wg.Wait()` while holding a mutex that the goroutine
//! on the other side must take first.

use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;
use crate::summary::{Event, Op, Unit};

declare_rule! {
    /// ## What it does
    /// Checks for a channel send, a channel receive, a `WaitGroup.Wait()` or a `cond.Wait()`
    /// made while a mutex is held, when the function on the other side (the receiver, the
    /// sender or closer, the goroutine calling `Done()`, `Signal()` or `Broadcast()`) locks the same mutex itself or through a function of the
    /// same package it calls. Calls are followed: holding the mutex while calling a method that
    /// blocks this way is reported at the call.
    ///
    /// ## Why is this bad?
    /// The holder waits for the other side, and the other side waits for the mutex: neither
    /// moves again. Blocking with a lock held is the largest class of blocking bugs in the
    /// study of real Go programs by Tu et al. (Docker, Kubernetes, etcd, gRPC): the channel or
    /// wait group hides a lock-order cycle that no race detector reports.
    ///
    /// ## Example
    /// ```go
    /// func (p *Pool) Put(j job) {
    ///     p.mu.Lock()
    ///     defer p.mu.Unlock()
    ///     p.jobs <- j // the worker below needs p.mu before it can receive again
    /// }
    ///
    /// func (p *Pool) work() {
    ///     for j := range p.jobs {
    ///         p.mu.Lock()
    ///         p.done++
    ///         p.mu.Unlock()
    ///         j.run()
    ///     }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// func (p *Pool) Put(j job) {
    ///     p.mu.Lock()
    ///     p.queued++
    ///     p.mu.Unlock()
    ///     p.jobs <- j // blocks without holding the lock
    /// }
    /// ```
    ///
    /// ## Known problems
    /// Calls are resolved by name and receiver type within the package; channels and mutexes
    /// match by their path from the receiver (`p.jobs`, `p.mu`), a package variable, or a local
    /// shared by a function and its closures. A buffered channel that never fills is reported
    /// all the same. `cond.Wait()` releases the cond's own lock: the lock taken last before it
    /// is taken to be that one, and only the others held around the wait count (a `Signal` or
    /// `Broadcast` anywhere in the package marks the name as a cond).
    ///
    /// ## References
    /// - [Tu et al., Understanding Real-World Concurrency Bugs in Go (ASPLOS 2019)](https://songlh.github.io/paper/go-study.pdf)
    /// - [The Go Memory Model](https://go.dev/ref/mem)
    BlockedWhileLocked {
        code: "GO020",
        name: "blocked-while-locked",
        level: Error,
        summary: ("blocking channel operation or `wg.Wait()` while holding a mutex the other side needs",
                  "持有 mutex 时阻塞在 channel 操作或 `wg.Wait()` 上，而另一方需要这把锁才能继续"),
        vocabulary: {
            category: "concurrency",
            item: "concurrency",
            general: Some("deadlock"),
            en: &["holding the lock", "while locked", "lock held", "under the lock", "deadlock", "release the lock before"],
            zh: &["持有*锁", "加锁*阻塞", "锁*发送", "死锁", "先解锁", "释放*锁"],
        },
    }
}

/// How many calls deep the other side's lock is looked for.
const CALL_DEPTH: usize = 2;

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    let units = &c.package.units;
    if units.is_empty() {
        return;
    }
    for unit in c.units() {
        let mut held: Vec<&str> = Vec::new();
        for e in unit.events.iter().filter(|e| !e.deferred) {
            match e.op {
                Op::Lock | Op::RLock => held.push(&e.key),
                Op::Unlock => held.retain(|m| *m != e.key),
                _ if held.is_empty() => {}
                Op::Send | Op::Recv | Op::Wait => {
                    // `cond.Wait()` lets go of the cond's own lock, the one taken last.
                    let kept = if is_cond(units, &e.key) { &held[..held.len() - 1] } else { &held[..] };
                    if let Some((mutex, other)) = kept.iter().find_map(|m| other_side(units, unit, e, m).map(|o| (*m, o))) {
                        report(c, out, e, mutex, other, None);
                    }
                }
                Op::Call if releases_held(units, e, &held) => {
                    let callees: Vec<&Unit> = units.iter().filter(|u| u.name == e.key).collect();
                    held.retain(|m| {
                        !(callees.iter().any(|u| u.releases(m)) || (callees.is_empty() && e.key.ends_with("AndUnlock")))
                    });
                }
                Op::Call => {
                    for callee in units.iter().filter(|u| u.name == e.key && u.start != unit.start) {
                        let blocking =
                            callee.events.iter().filter(|b| matches!(b.op, Op::Send | Op::Recv | Op::Wait) && !b.deferred);
                        let held = &held;
                        let found = blocking
                            .flat_map(|b| {
                                let kept = if is_cond(units, &b.key) { &held[..held.len() - 1] } else { &held[..] };
                                kept.iter().map(move |m| (b, *m))
                            })
                            .find_map(|(b, m)| other_side(units, callee, b, m).map(|o| (m, o)));
                        if let Some((mutex, other)) = found {
                            report(c, out, e, mutex, other, Some(&callee.name));
                            break;
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Something in the package signals `key`: it is a `sync.Cond`.
fn is_cond(units: &[Unit], key: &str) -> bool {
    units.iter().any(|u| u.events.iter().any(|e| e.op == Op::Signal && e.key == key))
}

/// The call hands a held mutex back: the callee unlocks it (`tryGrantLockedAndUnlock`), or,
/// when the callee is not in the package, its name says so (`...AndUnlock`).
fn releases_held(units: &[Unit], e: &Event, held: &[&str]) -> bool {
    let callees: Vec<&Unit> = units.iter().filter(|u| u.name == e.key).collect();
    if callees.is_empty() {
        return e.key.ends_with("AndUnlock");
    }
    held.iter().any(|m| callees.iter().any(|u| u.releases(m)))
}

/// A unit other than `unit` that performs the operation `e` waits for, on the same name, and
/// locks `mutex` (itself or through its calls): its name, empty for a function literal.
fn other_side<'u>(units: &'u [Unit], unit: &Unit, e: &Event, mutex: &str) -> Option<&'u str> {
    let wanted: &[Op] = match e.op {
        Op::Send => &[Op::Recv],
        Op::Recv => &[Op::Send, Op::Close],
        Op::Wait => &[Op::Done, Op::Signal],
        _ => return None,
    };
    units
        .iter()
        .filter(|u| u.start != unit.start || u.name != unit.name)
        .find(|u| u.events.iter().any(|x| wanted.contains(&x.op) && x.key == e.key) && u.locks(mutex, units, CALL_DEPTH))
        .map(|u| u.name.as_str())
}

fn report(c: &Checker, out: &mut Vec<Diagnostic>, e: &Event, mutex: &str, other: &str, via: Option<&str>) {
    let Some(node) = c.root.descendant_for_byte_range(e.range.0, e.range.1) else { return };
    let shown =
        |k: &str| k.split_once('.').filter(|(r, _)| r.starts_with('@')).map_or(k.to_string(), |(_, rest)| rest.to_string());
    let (m, what) = (shown(mutex), shown(&e.key));
    let (other_en, other_zh) = if other.is_empty() {
        ("a goroutine".to_string(), "某个 goroutine".to_string())
    } else {
        (format!("`{other}`"), format!("`{other}`"))
    };
    let (op_en, op_zh) = match (e.op.clone(), via) {
        (_, Some(callee)) => (format!("calls `{callee}`, which blocks"), format!("调用了会阻塞的 `{callee}`")),
        (Op::Send, _) => (format!("sends on `{what}`"), format!("向 `{what}` 发送")),
        (Op::Recv, _) => (format!("receives from `{what}`"), format!("从 `{what}` 接收")),
        _ => (format!("waits on `{what}`"), format!("等待 `{what}`")),
    };
    c.report(
        out,
        &BlockedWhileLocked::INFO,
        node,
        Text::new(
            format!("{op_en} while holding `{m}`, but {other_en} must lock `{m}` before it can serve it: both wait forever"),
            format!("在持有 `{m}` 时{op_zh}，而 {other_zh} 必须先获得 `{m}` 才能响应：双方都会永远等待"),
        ),
        Text::new(
            format!("release `{m}` before blocking, or make the other side not need `{m}` (copy what it needs under the lock)"),
            format!("阻塞之前先释放 `{m}`，或让另一方不再需要 `{m}`（在锁内复制它需要的数据）"),
        ),
    );
}
