//! GO007: errors compared with `==` or by their message instead of `errors.Is`.

use tree_sitter::Node;

use crate::ast::{self, text};
use crate::checker::Checker;
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
        let sentinel = [(l, r), (r, l)]
            .into_iter()
            .find_map(|(a, b)| (a.kind() == "identifier" && ast::is_err_name(text(a, c.src)) && is_sentinel(c, b)).then_some(b));
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
    name.len() > 3
        && (name.starts_with("Err") || name.starts_with("err"))
        && name[3..].starts_with(|ch: char| ch.is_ascii_uppercase())
}

/// `err.Error()`.
fn is_error_message(c: &Checker, n: Node) -> bool {
    ast::call(n, c.src)
        .is_some_and(|k| k.name == "Error" && k.args.is_empty() && k.receiver.is_some_and(|r| ast::is_err_name(text(r, c.src))))
}
