//! GO007: errors compared with `==` or by their message instead of `errors.Is`.

use tree_sitter::Node;

use crate::ast::{self, text};
use crate::checker::{Checker, Site};
use crate::diagnostic::{Diagnostic, Text};
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks for `err == ErrX` / `err != ErrX` comparisons with sentinel errors, and for
    /// `err.Error() == "..."` comparisons of error messages.
    ///
    /// ## Why is this bad?
    /// Errors are routinely wrapped (`fmt.Errorf("...: %w", err)`). A wrapped sentinel is no
    /// longer `==` to itself, so the check silently stops matching the day a callee adds
    /// context. Comparing messages breaks as soon as the wording changes.
    ///
    /// ## Example
    /// ```go
    /// if err == ErrNotFound {
    ///     return nil
    /// }
    /// ```
    ///
    /// Use instead:
    /// ```go
    /// if errors.Is(err, ErrNotFound) {
    ///     return nil
    /// }
    /// ```
    ///
    /// ## Known problems
    /// Only sentinels of the package itself (`ErrX`, not `pkg.ErrX`) are checked: other
    /// libraries often document that they return theirs unwrapped (`io.EOF`, bbolt's errors).
    /// A sentinel the package never wraps is compared safely with `==`, so `==` is reported only
    /// when the package wraps that sentinel somewhere (`fmt.Errorf("...: %w", ErrX)`,
    /// `errors.Wrap(ErrX, ...)`), or when the error compared comes straight from a function of
    /// the package that wraps the errors it passes on and does not return that sentinel itself
    /// (one that does returns it as is); wrapping done in other packages is not seen.
    /// Comparisons inside an `Is(target error) bool` method, which is how `errors.Is` is
    /// implemented, and test files are skipped.
    ///
    /// ## References
    /// - [`errors.Is`](https://pkg.go.dev/errors#Is)
    /// - [Go blog: Working with Errors in Go 1.13](https://go.dev/blog/go1.13-errors)
    ErrorComparedByValue {
        code: "GO007",
        name: "error-compared-by-value",
        level: Warning,
        summary: ("error compared with `==` or by message instead of `errors.Is`",
                  "用 `==` 或错误消息比较 error，而不是用 `errors.Is`"),
        nolint: ["errorlint", "err113"],
        vocabulary: {
            category: "error-handling",
            item: "error-paths",
            general: Some("error"),
            en: &["`errors.Is`", "compare with ==", "wrapped error", "wrap", "string comparison", "compare the message"],
            zh: &["errors.is", "包装", "比较*字符串", "比较*消息"],
        },
    }
}

pub(crate) fn check(c: &Checker, out: &mut Vec<Diagnostic>) {
    if c.is_test {
        return;
    }
    for site in &c.index.comparisons {
        if site.func.is_some_and(|f| ast::function_name(f, c.src) == "Is") {
            continue;
        }
        let (Some(l), Some(r)) = (site.node.child_by_field_name("left"), site.node.child_by_field_name("right")) else {
            continue;
        };
        let (l, r) = (ast::strip_parens(l), ast::strip_parens(r));
        let sentinel = [(l, r), (r, l)].into_iter().find_map(|(a, b)| {
            (a.kind() == "identifier" && ast::is_err_name(text(a, c.src)) && is_sentinel(c, b) && may_be_wrapped(c, site, a, b))
                .then_some(b)
        });
        let by_message =
            [(l, r), (r, l)].into_iter().any(|(a, b)| is_error_message(c, a) && b.kind().ends_with("string_literal"));
        let (en, zh) = if let Some(s) = sentinel {
            let s = text(s, c.src);
            (
                format!("`{}` compares the error with `{s}` by value: a wrapped `{s}` will not match", text(site.node, c.src)),
                format!("`{}` 按值比较 error 与 `{s}`：被包装（wrap）过的 `{s}` 将无法匹配", text(site.node, c.src)),
            )
        } else if by_message {
            (
                "the error is compared by its message: any change of wording breaks this check".to_string(),
                "按错误消息文本比较 error：措辞一变这个判断就失效了".to_string(),
            )
        } else {
            continue;
        };
        c.report(
            out,
            &ErrorComparedByValue::INFO,
            site.node,
            Text::new(en, zh),
            Text::new(
                "use `errors.Is(err, target)` (or `errors.As` for error types)",
                "改用 `errors.Is(err, target)`（错误类型用 `errors.As`）",
            ),
        );
    }
}

/// `ErrNotFound`, `os.ErrNotExist`: a name starting with `Err` and an upper-case letter.
fn is_sentinel(c: &Checker, n: Node) -> bool {
    // Only this package's sentinels: it is this code base that wraps them (or will).
    let name = match n.kind() {
        "identifier" => text(n, c.src),
        _ => return false,
    };
    crate::package::is_sentinel_name(name)
}

/// The package wraps `sentinel` somewhere, or `err` was last set from a call to a function of
/// the package that wraps the errors it passes on.
fn may_be_wrapped<'t>(c: &Checker<'t>, site: &Site<'t>, err: Node<'t>, sentinel: Node<'t>) -> bool {
    if c.package.wrapped.contains(text(sentinel, c.src)) {
        return true;
    }
    let name = text(err, c.src);
    let at = site.node.start_byte();
    let Some(assign) = c
        .index
        .short_vars
        .iter()
        .filter(|s| s.func.map(|f| f.id()) == site.func.map(|f| f.id()) && s.node.start_byte() < at)
        .filter(|s| ast::assigned_names(s.node, c.src).contains(&name))
        .max_by_key(|s| s.node.start_byte())
    else {
        return false;
    };
    let values = ast::assigned_values(assign.node);
    let i = ast::assigned_names(assign.node, c.src).iter().position(|n| *n == name).unwrap_or(0);
    let Some(value) = values.get(i).or(values.first()) else { return false };
    let sentinel = text(sentinel, c.src);
    callee_unit(c, *value).and_then(|u| c.package.wrapping.get(&u)).is_some_and(|named| !named.contains(sentinel))
}

/// The package unit a call resolves to: `open` for `open(p)`, `Store.get` for `s.get(k)` when
/// the type of `s` is known.
fn callee_unit<'t>(c: &Checker<'t>, value: Node<'t>) -> Option<String> {
    let call = ast::call(ast::strip_parens(value), c.src)?;
    match call.receiver {
        None => Some(call.name.to_string()),
        Some(r) => Some(format!("{}.{}", c.type_of(r)?, call.name)),
    }
}

/// `err.Error()`.
fn is_error_message(c: &Checker, n: Node) -> bool {
    ast::call(n, c.src)
        .is_some_and(|k| k.name == "Error" && k.args.is_empty() && k.receiver.is_some_and(|r| ast::is_err_name(text(r, c.src))))
}
