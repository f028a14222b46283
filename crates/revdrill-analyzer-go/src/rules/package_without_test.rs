//! GO018: a change to a package's code with no change to its tests (diff mode only).

use crate::checker::Checker;
use crate::diagnostic::Diagnostic;
use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// In a unified diff, checks for a non-test `.go` file with added code whose package
    /// (folder) gains or changes no `_test.go` file in the same change.
    ///
    /// ## Why is this bad?
    /// A behaviour change without a test is unproven today and unprotected tomorrow: the next
    /// refactoring can undo it silently. A fix for a bug especially needs the test that would
    /// have caught the bug.
    ///
    /// ## Example
    /// ```diff
    /// --- a/runtime/shim/service.go
    /// +++ b/runtime/shim/service.go
    /// +func (s *Service) waitOrphaned(ctx context.Context, id string) { ... }
    /// ```
    ///
    /// Use instead: change `runtime/shim/service_test.go` in the same diff, with a test that
    /// fails without the change.
    ///
    /// ## Known problems
    /// Tests in another package (integration tests) are not counted. Pure refactorings are
    /// flagged too when they add code lines. The finding spans the first added code line and
    /// the comment block written just above it.
    ///
    /// ## References
    /// - [Google engineering practices: what to look for in a code review (tests)](https://google.github.io/eng-practices/review/reviewer/looking-for.html#tests)
    PackageWithoutTest {
        code: "GO018",
        name: "package-without-test",
        level: Warning,
        summary: ("changed Go file whose package gains no test in the same change (diff mode)",
                  "修改了 Go 代码，但同一改动中该包没有新增或修改任何测试（diff 模式）"),
        diff_only: true,
        vocabulary: {
            category: "testing",
            item: "testing",
            general: None,
            en: &["no test", "without test", "missing test", "not covered", "untested", "add a test", "needs a test", "write a test"],
            zh: &["没有*测试", "缺少*测试", "缺*测试", "补*测试", "加*测试", "没有单测", "需要*测试", "补*单测"],
        },
    }
}

/// Per-file check: nothing; the diff driver calls [`crate::diff`] logic instead.
pub(crate) fn check(_: &Checker, _: &mut Vec<Diagnostic>) {}
