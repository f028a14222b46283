//! GO006: a call whose error result is thrown away by using it as a statement.

use tree_sitter::Node;

use crate::ast::{self, text};
use crate::checker::Checker;
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks for calls used as statements whose error result is dropped, when the call can be
    /// tied to its declaration and its failure loses data or leaves state behind: a function of
    /// the same package, a method of a type the package declares (or an interface it declares)
    /// named like `Delete`, `Remove`, `Close`, `Flush`, `Write`, `Sync`, `Commit`, `Save`,
    /// `Persist` or `Rename`, called on a receiver whose type the code shows
    /// (a parameter, a variable declared with a type or from a literal or constructor, a struct
    /// field), a few well-known library methods on such receivers (`*os.File`, `*bufio.Writer`,
    /// `*gzip.Writer`, ...) and well-known functions of `os`, `syscall` and `unix`.
    ///
    /// ## Why is this bad?
    /// A failed delete, flush or write that nobody checks leaves state behind or loses data,
    /// and the failure leaves no trace. Dropping an error on purpose is fine, but it should be
    /// visible: `_ = f.Close()` with a reason.
    ///
    /// ## Example
    /// ```go
    /// s.tasks.Delete(ctx, id)
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// if err := s.tasks.Delete(ctx, id); err != nil {
    ///     log.G(ctx).WithError(err).Warn("delete task")
    /// }
    /// ```
    ///
    /// ## Known problems
    /// Names resolve only within their package and only through types the file shows: a call on
    /// a value of unknown type (returned by another package, taken from a map) is never
    /// reported, so some dropped errors are missed. `Close` is flagged only after a write to the
    /// same value, since closing what was only read cannot lose data. Cleanup inside an
    /// `if err != nil` block, in deferred closures or right before returning another error,
    /// writes to in-memory buffers and hashes, calls on a type of the package that keeps its
    /// error in an `err` field (it comes back later), loops releasing many things in a
    /// `Close`/`Stop`/`Shutdown` method, writers built over `os.Stdout`/`os.Stderr`, lines marked `//nolint:errcheck`, and test code
    /// are skipped. A callee whose error the file drops in four or more statements is
    /// taken to be dropped by convention and is not reported (counted per file).
    ///
    /// ## References
    /// - [Effective Go: Errors](https://go.dev/doc/effective_go#errors)
    IgnoredError {
        code: "GO006",
        name: "ignored-error",
        level: Warning,
        summary: ("an error result is ignored", "函数返回的错误被忽略了"),
        nolint: ["errcheck"],
        vocabulary: {
            category: "error-handling",
            item: "error-paths",
            general: Some("error"),
            en: &["ignore", "unchecked", "not check", "swallow", "drop", "discard"],
            zh: &["忽略", "没有检查", "未检查", "吞", "丢弃"],
        },
    }
}

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    if c.is_test {
        return;
    }
    // Calls tied to an error-returning declaration, with the key of that declaration.
    let mut dropped: Vec<(Node, ast::Call, String)> = Vec::new();
    for site in &c.index.expr_stmts {
        let Some(expr) = site.node.named_child(0).filter(|e| e.kind() == "call_expression") else { continue };
        let Some(call) = ast::call(expr, c.src) else { continue };
        let Some(key) = error_declaration(c, &call) else { continue };
        if (call.name == "Close" && !written_before_close(c, &call, site.func))
            || nolint(c, site.node)
            || in_memory_writer(c, &call)
            || terminal_writer(c, &call, site.func)
            || sticky_error(c, &call)
            || teardown_loop(c, site.node, site.func)
            || in_cleanup(c, site.node, site.func)
            || before_failure(c, site.node)
        {
            continue;
        }
        dropped.push((site.node, call, key));
    }
    let mut per_key: std::collections::HashMap<&str, u32> = Default::default();
    for (_, _, key) in &dropped {
        *per_key.entry(key).or_default() += 1;
    }
    for (_, call, key) in &dropped {
        if per_key[key.as_str()] >= CONVENTION_DROPS {
            continue;
        }
        let callee = call.node.child_by_field_name("function").map(|f| text(f, c.src)).unwrap_or("");
        c.report(
            out,
            &IgnoredError::INFO,
            call.node,
            Text::new(format!("the error returned by `{callee}` is ignored"), format!("`{callee}` 返回的错误被忽略了")),
            Text::new(
                "handle, return or log the error; if dropping it is intended, write `_ = ...` and say why",
                "处理、返回或记录这个错误；如果确实要丢弃，写成 `_ = ...` 并注明原因",
            ),
        );
    }
}

/// The declaration (`Type.method`, `pkg.F` or `F`) when the call can be tied to one that
/// returns `error`: a function of this package, a method of a package type or of a well-known
/// library type that the receiver is declared with, or a well-known function of an
/// error-returning package (`os.Remove`).
fn error_declaration<'t>(c: &Checker<'t>, call: &ast::Call<'t>) -> Option<String> {
    // Names first: resolving a type walks declarations, and most calls cannot qualify.
    let named = loses_state(call.name)
        || PACKAGE_FUNCS.contains(&call.name)
        || LIBRARY_METHODS.iter().any(|(_, methods)| methods.contains(&call.name));
    if !named {
        return None;
    }
    let Some(recv) = call.receiver else {
        let callee = call.node.child_by_field_name("function");
        let tied = callee.is_some_and(|f| f.kind() == "identifier" && !c.is_local(f))
            && c.package.funcs.get(call.name).is_some_and(|s| s.returns_error())
            && loses_state(call.name);
        return tied.then(|| call.name.to_string());
    };
    if c.is_package_name(recv) {
        let pkg = text(recv, c.src);
        return (ERROR_PACKAGES.contains(&pkg) && PACKAGE_FUNCS.contains(&call.name)).then(|| format!("{pkg}.{}", call.name));
    }
    let ty = c.type_of(recv)?;
    let tied = match c.package.methods.get(&(ty.clone(), call.name.to_string())) {
        Some(sig) => sig.returns_error() && loses_state(call.name),
        None => LIBRARY_METHODS.iter().any(|(t, methods)| *t == ty && methods.contains(&call.name)),
    };
    tied.then(|| format!("{ty}.{}", call.name))
}

/// Verbs whose failure loses data or leaves state behind when nobody checks it. Errors of other
/// package methods (`updateState`, `processRPC`) are dropped on purpose more often than not.
const STATE_VERBS: &[&str] = &["Delete", "Remove", "Close", "Flush", "Write", "Sync", "Commit", "Save", "Persist", "Rename"];

fn loses_state(name: &str) -> bool {
    let mut upper = name.to_string();
    if let Some(first) = upper.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    STATE_VERBS.iter().any(|v| upper.starts_with(v))
}

/// How many call statements of one file may drop the same callee's error before dropping it
/// is taken as a convention (an error that only reports shutdown, say), not an oversight worth
/// a comment on each line.
const CONVENTION_DROPS: u32 = 4;

/// A `//nolint` (all linters) or `//nolint:errcheck` comment on the line.
fn nolint(c: &Checker, stmt: Node) -> bool {
    let line = c.src[stmt.start_byte()..].lines().next().unwrap_or("");
    line.split_once("//nolint").is_some_and(|(_, rest)| !rest.starts_with(':') || rest.contains("errcheck"))
}

/// Well-known functions of [`ERROR_PACKAGES`] that return an error.
const PACKAGE_FUNCS: &[&str] = &[
    "Remove",
    "RemoveAll",
    "Rename",
    "Chmod",
    "Chown",
    "Mkdir",
    "MkdirAll",
    "Symlink",
    "Link",
    "Truncate",
    "WriteFile",
    "Kill",
    "Unmount",
];

/// Library types (as the receiver is declared) and their methods that return an error and
/// whose failure loses data or leaves state behind.
const LIBRARY_METHODS: &[(&str, &[&str])] = &[
    ("os.File", &["Close", "Write", "WriteString", "WriteAt", "Sync", "Truncate", "Chmod"]),
    ("bufio.Writer", &["Flush", "Write", "WriteString"]),
    ("gzip.Writer", &["Close", "Flush", "Write"]),
    ("zlib.Writer", &["Close", "Flush", "Write"]),
    ("tar.Writer", &["Close", "Flush", "Write", "WriteHeader"]),
    ("zip.Writer", &["Close", "Flush"]),
    ("tabwriter.Writer", &["Flush"]),
    ("io.WriteCloser", &["Close", "Write"]),
    ("io.Writer", &["Write"]),
    ("net.Conn", &["Write"]),
    ("http.Server", &["Shutdown"]),
    ("sql.Tx", &["Commit"]),
];

/// Packages whose well-known functions do return an error (`os.Remove`); in other packages a
/// `Remove` may return anything (`heap.Remove`).
const ERROR_PACKAGES: &[&str] = &["os", "syscall", "unix", "windows", "ioutil", "io"];

/// The next statement fails anyway (`return ..., err`, `t.Fatalf`): the call is best-effort
/// cleanup before reporting another error.
fn before_failure(c: &Checker, stmt: Node) -> bool {
    let Some(next) = stmt.next_named_sibling().filter(|n| n.kind() != "comment") else { return false };
    match next.kind() {
        "return_statement" => next.named_child(0).is_some_and(|list| {
            let last = list.named_child(list.named_child_count().saturating_sub(1));
            last.is_some_and(|v| text(v, c.src) != "nil")
        }),
        _ => ast::is_terminating(next, c.src),
    }
}

/// `Close` matters after writing: it reports the data that did not reach the disk or peer.
/// Closing something only read from is harmless to ignore.
fn written_before_close(c: &Checker, close: &ast::Call, func: Option<Node>) -> bool {
    let (Some(func), Some(recv)) = (func, close.receiver) else { return false };
    let recv = text(recv, c.src);
    ast::any(func, false, &mut |n| {
        let Some(k) = ast::call(n, c.src) else { return false };
        if n.start_byte() >= close.node.start_byte() {
            return false;
        }
        let on_recv = k.receiver.is_some_and(|r| text(r, c.src) == recv)
            && ["Write", "Flush", "Encode", "Commit", "ReadFrom"].iter().any(|w| k.name.starts_with(w));
        let into_recv = k.args.first().is_some_and(|a| text(*a, c.src) == recv)
            && matches!(k.name, "Copy" | "CopyN" | "CopyBuffer" | "WriteString" | "Fprint" | "Fprintf" | "Fprintln" | "Encode");
        on_recv || into_recv
    })
}

/// Writes to buffers, builders and hashes cannot fail.
fn in_memory_writer(c: &Checker, call: &ast::Call) -> bool {
    if !call.name.starts_with("Write") {
        return false;
    }
    let Some(recv) = call.receiver else { return false };
    let r = text(recv, c.src).rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    ["buf", "b", "sb", "h", "w"].contains(&r.as_str())
        || ["buf", "builder", "hash", "digest", "sha", "md5", "crc"].iter().any(|s| r.contains(s))
}

/// The receiver's type (of this package) keeps the error in a field `err` of type `error`,
/// like `bufio.Writer`: a dropped error comes back from the next call or `Close`.
fn sticky_error<'t>(c: &Checker<'t>, call: &ast::Call<'t>) -> bool {
    let Some(ty) = call.receiver.and_then(|r| c.type_of(r)) else { return false };
    c.package.fields.get(&(ty, "err".to_string())).is_some_and(|t| t == "error")
}

/// A loop in a `Close`/`Stop`/`Shutdown` method releasing many things: one failure must not
/// stop the rest, and there is nobody left to tell.
fn teardown_loop(c: &Checker, stmt: Node, func: Option<Node>) -> bool {
    let Some(func) = func.filter(|f| f.kind() == "method_declaration") else { return false };
    matches!(ast::function_name(func, c.src), "Close" | "Stop" | "Shutdown")
        && ast::ancestors(stmt, Some(func)).iter().any(|a| a.kind() == "for_statement")
}

/// `w.Flush()` / `w.Write(...)` on a writer the function built over the terminal
/// (`tabwriter.NewWriter(os.Stdout, ...)`): like `fmt.Println`, nobody checks those.
fn terminal_writer(c: &Checker, call: &ast::Call, func: Option<Node>) -> bool {
    if !(call.name == "Flush" || call.name.starts_with("Write")) {
        return false;
    }
    let Some(recv) = call.receiver.filter(|r| r.kind() == "identifier").map(|r| text(r, c.src)) else { return false };
    c.index.short_vars.iter().filter(|s| s.func.map(|f| f.id()) == func.map(|f| f.id())).any(|s| {
        ast::assigned_names(s.node, c.src).contains(&recv)
            && ast::assigned_values(s.node).iter().any(|v| {
                let t = text(*v, c.src);
                t.contains("os.Stdout") || t.contains("os.Stderr")
            })
    })
}

/// Inside an error path (`if err != nil { ... }`), a deferred closure, or a test's
/// `t.Cleanup(func() { ... })`: best-effort cleanup.
fn in_cleanup(c: &Checker, stmt: Node, func: Option<Node>) -> bool {
    if func.is_some_and(|f| {
        f.kind() == "func_literal"
            && f.parent().is_some_and(|p| {
                (p.kind() == "call_expression" && p.parent().is_some_and(|g| g.kind() == "defer_statement"))
                    || (p.kind() == "argument_list" && p.parent().is_some_and(|g| ast::callee_name(g, c.src) == "Cleanup"))
            })
    }) {
        return true;
    }
    let stop = func.and_then(ast::body);
    ast::ancestors(stmt, stop).into_iter().any(|a| {
        a.kind() == "if_statement"
            && a.child_by_field_name("condition").is_some_and(|cond| is_err_not_nil(c, cond))
            && a.child_by_field_name("consequence").is_some_and(|b| ast::contains(b, stmt))
    })
}

/// `err != nil`, alone.
fn is_err_not_nil(c: &Checker, cond: Node) -> bool {
    let cond = ast::strip_parens(cond);
    cond.kind() == "binary_expression"
        && cond.child_by_field_name("operator").is_some_and(|o| o.kind() == "!=")
        && cond.child_by_field_name("right").is_some_and(|r| text(r, c.src) == "nil")
        && cond.child_by_field_name("left").is_some_and(|l| ast::is_err_name(text(l, c.src)))
}
