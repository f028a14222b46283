//! GO016: `select {}` outside `main`, and loops that spin on an empty `default`.

use crate::ast::{self};
use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks for `select {}` outside `func main` and command entry points, for `for { select { ... default: } }` where
    /// the `default` case is empty, and for empty `for {}` loops.
    ///
    /// ## Why is this bad?
    /// `select {}` blocks the goroutine forever: outside `main` it is a leak by design. An empty
    /// `default` in a loop turns the `select` into a spin: the loop burns a full core polling
    /// channels instead of blocking on them.
    ///
    /// ## Example
    /// ```go
    /// for {
    ///     select {
    ///     case job := <-jobs:
    ///         run(job)
    ///     default:
    ///     }
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// for job := range jobs {
    ///     run(job)
    /// }
    /// ```
    ///
    /// ## Known problems
    /// A final `select {}` in a top-level function named like a command's entry point (`main`,
    /// `cmdRun`, `runServer`, `serveForever`: `main`, `cmd...`, `run...`, `serve...`) is taken as
    /// the intended "serve until killed" of a program and not flagged. Test code is not checked:
    /// a spin in a test or benchmark costs CPU, not correctness. A `default` that is empty because the loop body does other work after the `select` is
    /// flagged only when the `select` is the whole loop body.
    ///
    /// ## References
    /// - [Go spec: Select statements](https://go.dev/ref/spec#Select_statements)
    BusyLoop {
        code: "GO016",
        name: "busy-loop",
        level: Warning,
        summary: ("`select {}` or a loop spinning on an empty `default`",
                  "`select {}` 或在空 `default` 上空转的循环"),
        vocabulary: {
            category: "performance",
            item: "concurrency",
            general: Some("performance"),
            en: &["busy loop", "spin", "cpu", "burn", "empty default", "`select {}`"],
            zh: &["忙等", "空转", "cpu", "死循环"],
        },
    }
}

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    for site in &c.index.selects {
        let mut cur = site.node.walk();
        let cases: Vec<_> = site.node.named_children(&mut cur).filter(|n| n.kind() != "comment").collect();
        if cases.is_empty() {
            if !serves_forever(c, site) && !site.node.has_error() {
                c.report(
                    out,
                    &BusyLoop::INFO,
                    site.node,
                    Text::new("`select {}` blocks this goroutine forever", "`select {}` 会让这个 goroutine 永远阻塞"),
                    Text::new(
                        "wait on a channel or context that ends, so the goroutine can exit",
                        "改为等待一个会结束的 channel 或 context，让 goroutine 能够退出",
                    ),
                );
            }
            continue;
        }
        let Some(lp) = site.in_loop else { continue };
        let Some(body) = lp.child_by_field_name("body") else { continue };
        let whole_body = ast::statements(body).len() == 1
            && ast::contains(body, site.node)
            && site.node.parent().and_then(|p| p.parent()).is_some_and(|b| b.id() == body.id());
        let empty_default = cases.iter().find(|n| n.kind() == "default_case" && ast::statements(**n).is_empty());
        // `for cond { select { case <-timeout: return; default: } }` spins on other state
        // (an atomic, a flag): there is no channel it could block on instead.
        let polls_state = lp.named_child(0).is_some_and(|h| h.kind() != "block");
        if polls_state {
            continue;
        }
        if let (true, Some(default)) = (whole_body, empty_default) {
            c.report(
                out,
                &BusyLoop::INFO,
                *default,
                Text::new(
                    "the empty `default` makes this loop spin: it polls the channels at full CPU instead of blocking",
                    "空的 `default` 让这个循环空转：它以满 CPU 轮询 channel，而不是阻塞等待",
                ),
                Text::new(
                    "remove the `default` case so the `select` blocks until a case is ready",
                    "删除 `default` 分支，让 `select` 阻塞直到某个 case 就绪",
                ),
            );
        }
    }
    for site in &c.index.fors {
        let mut cur = site.node.walk();
        let header = site.node.named_children(&mut cur).filter(|n| n.kind() != "block" && n.kind() != "comment").count();
        let empty =
            site.node.child_by_field_name("body").is_some_and(|b| ast::statements(b).is_empty() && b.named_child_count() == 0);
        if header == 0 && empty && !site.node.has_error() {
            c.report(
                out,
                &BusyLoop::INFO,
                site.node,
                Text::new("`for {}` spins forever at full CPU", "`for {}` 会以满 CPU 永远空转"),
                Text::new(
                    "block on a channel, context or `select {}` in `main` instead",
                    "改为阻塞在 channel、context 上，或在 `main` 中使用 `select {}`",
                ),
            );
        }
    }
}

/// Name prefixes (lower case) of functions that are a program's entry point: a final
/// `select {}` there keeps the program serving until it is killed.
const ENTRY_POINT_PREFIXES: &[&str] = &["main", "cmd", "run", "serve"];

/// `select {}` is the last statement of a top-level function named like an entry point.
fn serves_forever(c: &Checker, site: &crate::checker::Site) -> bool {
    let Some(f) = site.func.filter(|f| f.kind() == "function_declaration") else { return false };
    let name = ast::function_name(f, c.src).to_ascii_lowercase();
    let last = ast::body(f).and_then(|b| ast::statements(b).last().copied());
    ENTRY_POINT_PREFIXES.iter().any(|p| name.starts_with(p)) && last.is_some_and(|l| l.id() == site.node.id())
}
