//! One file under analysis: its tree, an index of the nodes rules look at, and the report sink.
//!
//! The index is built in a single iterative walk, so each rule visits only the nodes it needs
//! and the whole analysis stays close to the cost of parsing.

use std::collections::HashSet;

use tree_sitter::{Node, Tree};

use crate::GoVersion;
use crate::ast::{self, text};
use crate::diagnostic::{Diagnostic, Text};
use crate::package::Package;
use crate::registry::RuleInfo;

/// A node with the function and loop it sits in (the loop only if inside that same function).
#[derive(Clone, Copy)]
pub(crate) struct Site<'t> {
    pub node: Node<'t>,
    pub func: Option<Node<'t>>,
    pub in_loop: Option<Node<'t>>,
}

/// Nodes by kind, in source order.
#[derive(Default)]
pub(crate) struct Index<'t> {
    pub functions: Vec<Site<'t>>,
    pub go_stmts: Vec<Site<'t>>,
    pub defer_stmts: Vec<Site<'t>>,
    pub selects: Vec<Site<'t>>,
    pub comparisons: Vec<Site<'t>>,
    pub ifs: Vec<Site<'t>>,
    pub expr_stmts: Vec<Site<'t>>,
    pub short_vars: Vec<Site<'t>>,
    pub fors: Vec<Site<'t>>,
    /// The tree nests deeper than [`MAX_TREE_DEPTH`]: the walk stopped and the file is not
    /// analysed (every rule may then assume bounded depth).
    pub too_deep: bool,
}

/// How deep (in tree nodes, about three per nested block) a file may nest before it is
/// skipped with [`crate::SKIP_TOO_DEEP`]: hand-written Go stays far below; beyond it, rules
/// that look up or down a nesting would cost its square.
pub(crate) const MAX_TREE_DEPTH: usize = 768;

/// The state every rule reads.
pub(crate) struct Checker<'t> {
    pub src: &'t str,
    pub root: Node<'t>,
    pub path: &'t str,
    pub is_test: bool,
    pub go_version: Option<GoVersion>,
    /// What the file's package declares.
    pub package: &'t Package,
    pub index: Index<'t>,
    /// The top-level declarations, in source order.
    pub top_decls: Vec<Node<'t>>,
    /// Declarations by scope, for [`Checker::type_of`].
    pub scopes: crate::types::Scopes<'t>,
    /// Names under which packages are imported (`os`, `errdefs`, aliases).
    pub imports: HashSet<&'t str>,
    /// Lock paths, shared by GO009 and GO010 and computed once.
    pub lock_events: std::cell::OnceCell<Vec<crate::rules::LockEvent<'t>>>,
    /// Summaries of this file's functions, shared by GO010, GO019 and GO020 (see [`Checker::units`]).
    pub units: std::cell::OnceCell<Vec<crate::summary::Unit>>,
}

impl<'t> Checker<'t> {
    pub(crate) fn new(
        tree: &'t Tree,
        src: &'t str,
        path: &'t str,
        go_version: Option<GoVersion>,
        package: &'t Package,
    ) -> Checker<'t> {
        let root = tree.root_node();
        let mut c = root.walk();
        let top_decls = root.named_children(&mut c).collect();
        Checker {
            src,
            root,
            path,
            is_test: is_test_path(path),
            go_version,
            package,
            index: build_index(root, src),
            top_decls,
            scopes: Default::default(),
            imports: imports(root, src),
            lock_events: std::cell::OnceCell::new(),
            units: std::cell::OnceCell::new(),
        }
    }

    /// The summaries of this file's functions: the package's, when it was collected from this
    /// very text (the usual case), else computed here once.
    pub(crate) fn units(&self) -> &[crate::summary::Unit] {
        self.units.get_or_init(|| {
            let file = self.src.as_ptr() as usize;
            let mine: Vec<crate::summary::Unit> = self.package.units.iter().filter(|u| u.file == file).cloned().collect();
            if mine.is_empty() { crate::summary::units(self.src, self.root, &self.package.fields) } else { mine }
        })
    }

    /// Records a finding spanning `node`.
    pub(crate) fn report(&self, out: &mut Vec<Diagnostic>, rule: &RuleInfo, node: Node, message: Text, help: Text) {
        self.report_span(out, rule, node, node, message, help);
    }

    /// Records a finding from the start of `start` to the end of `end`.
    pub(crate) fn report_span(
        &self,
        out: &mut Vec<Diagnostic>,
        rule: &RuleInfo,
        start: Node,
        end: Node,
        message: Text,
        help: Text,
    ) {
        let (sp, ep) = (start.start_position(), end.end_position());
        let line_text = line_at(self.src, start.start_byte());
        let end_line_text = line_at(self.src, end.end_byte().saturating_sub(1).max(end.start_byte()));
        out.push(Diagnostic {
            code: rule.code,
            name: rule.name,
            level: rule.level,
            path: self.path.to_string(),
            line: sp.row as u32 + 1,
            column: char_column(line_text, sp.column) + 1,
            end_line: ep.row as u32 + 1,
            end_column: char_column(end_line_text, ep.column) + 1,
            message,
            help,
            source_line: truncate(line_text, 240).to_string(),
        });
    }
}

/// The whole line containing byte `at`, without its newline.
fn line_at(src: &str, at: usize) -> &str {
    let at = at.min(src.len());
    let start = src[..floor_boundary(src, at)].rfind('\n').map_or(0, |i| i + 1);
    let end = src[start..].find('\n').map_or(src.len(), |i| start + i);
    src[start..end].trim_end_matches('\r')
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn char_column(line: &str, byte_col: usize) -> u32 {
    let b = floor_boundary(line, byte_col.min(line.len()));
    line[..b].chars().count() as u32 + byte_col.saturating_sub(line.len()) as u32
}

fn truncate(s: &str, max: usize) -> &str {
    &s[..floor_boundary(s, max.min(s.len()))]
}

/// What the index does with a node kind; looked up by kind id, so the walk compares no strings.
#[derive(Clone, Copy, PartialEq)]
enum Slot {
    None,
    Function,
    Go,
    Defer,
    Select,
    /// Expressions: walked only if their text can hold a closure or a comparison.
    Expr,
    Binary,
    If,
    ExprStmt,
    Assign,
    For,
    /// Subtrees that hold no statements or calls (types, imports, strings, comments): not walked.
    Skip,
}

fn slots() -> &'static [Slot] {
    static SLOTS: std::sync::OnceLock<Vec<Slot>> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        let lang: tree_sitter::Language = tree_sitter_go::LANGUAGE.into();
        (0..lang.node_kind_count() as u16)
            .map(|id| match lang.node_kind_for_id(id).unwrap_or("") {
                "function_declaration" | "method_declaration" | "func_literal" => Slot::Function,
                "go_statement" => Slot::Go,
                "defer_statement" => Slot::Defer,
                "select_statement" => Slot::Select,
                "call_expression"
                | "argument_list"
                | "expression_list"
                | "selector_expression"
                | "composite_literal"
                | "literal_value"
                | "index_expression"
                | "unary_expression"
                | "parenthesized_expression"
                | "keyed_element"
                | "slice_expression"
                | "type_assertion_expression" => Slot::Expr,
                "binary_expression" => Slot::Binary,
                "if_statement" => Slot::If,
                "expression_statement" => Slot::ExprStmt,
                "short_var_declaration" | "assignment_statement" => Slot::Assign,
                "for_statement" => Slot::For,
                "comment"
                | "import_declaration"
                | "package_clause"
                | "type_declaration"
                | "parameter_list"
                | "interpreted_string_literal"
                | "raw_string_literal"
                | "type_identifier"
                | "qualified_type"
                | "pointer_type"
                | "slice_type"
                | "array_type"
                | "map_type"
                | "struct_type"
                | "interface_type"
                | "channel_type"
                | "generic_type"
                | "function_type"
                | "type_arguments"
                | "field_identifier" => Slot::Skip,
                _ => Slot::None,
            })
            .collect()
    })
}

fn build_index<'t>(root: Node<'t>, src: &str) -> Index<'t> {
    let slots = slots();
    let mut index = Index::default();
    let mut cursor = root.walk();
    let mut depth = 0usize;
    // (depth, node, is_function) of the enclosing functions and loops.
    let mut scopes: Vec<(usize, Node, bool)> = Vec::new();
    loop {
        let node = cursor.node();
        let slot = slots.get(node.kind_id() as usize).copied().unwrap_or(Slot::None);
        // An expression with no `func`, `==` or `!=` in its text holds nothing the index wants:
        // skipping it by a text scan is much cheaper than walking its nodes.
        let slot = if slot == Slot::Expr {
            let t = text(node, src);
            let wanted = t.contains("==") || t.contains("!=") || t.contains("func");
            if wanted { Slot::None } else { Slot::Skip }
        } else {
            slot
        };
        if slot != Slot::None && slot != Slot::Skip {
            // Only slot nodes are looked at, so leave scopes by position, not by depth.
            while scopes.last().is_some_and(|&(d, s, _)| d >= depth || s.end_byte() <= node.start_byte()) {
                scopes.pop();
            }
            let func = scopes.iter().rev().find(|s| s.2).map(|s| s.1);
            let in_loop = scopes.last().filter(|s| !s.2).map(|s| s.1);
            let site = Site { node, func, in_loop };
            match slot {
                Slot::Function => {
                    index.functions.push(site);
                    scopes.push((depth, node, true));
                }
                Slot::Go => index.go_stmts.push(site),
                Slot::Defer => index.defer_stmts.push(site),
                Slot::Select => index.selects.push(site),
                Slot::Binary => {
                    if node.child_by_field_name("operator").is_some_and(|o| matches!(o.kind(), "==" | "!=")) {
                        index.comparisons.push(site)
                    }
                }
                Slot::If => index.ifs.push(site),
                Slot::ExprStmt => index.expr_stmts.push(site),
                Slot::Assign => index.short_vars.push(site),
                Slot::For => {
                    index.fors.push(site);
                    scopes.push((depth, node, false));
                }
                Slot::None | Slot::Skip | Slot::Expr => {}
            }
        }
        if slot != Slot::Skip && cursor.goto_first_child() {
            depth += 1;
            if depth > MAX_TREE_DEPTH {
                index.too_deep = true;
                return index;
            }
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return index;
            }
            depth -= 1;
        }
    }
}

fn imports<'t>(root: Node<'t>, src: &'t str) -> HashSet<&'t str> {
    let mut out = HashSet::new();
    let mut c = root.walk();
    for decl in root.named_children(&mut c).filter(|n| n.kind() == "import_declaration") {
        for spec in ast::collect(decl, false, &mut |n| n.kind() == "import_spec") {
            if let Some(name) = spec.child_by_field_name("name") {
                out.insert(text(name, src));
            } else if let Some(path) = spec.child_by_field_name("path") {
                let p = text(path, src).trim_matches(|c| c == '"' || c == '`');
                let mut parts = p.rsplit('/');
                let last = parts.next().unwrap_or(p);
                // `.../v2` is imported under the element before the major version.
                let is_major = last.len() > 1 && last.starts_with('v') && last[1..].bytes().all(|b| b.is_ascii_digit());
                let name = if is_major { parts.next().unwrap_or(last) } else { last };
                out.insert(name.trim_start_matches("go-"));
            }
        }
    }
    out
}

/// `_test.go` files, the usual test-helper file names, and files in well-known test-helper
/// folders.
fn is_test_path(path: &str) -> bool {
    let mut parts = path.rsplit('/');
    let file = parts.next().unwrap_or("");
    file.ends_with("_test.go")
        || matches!(file, "testing.go" | "testutil.go" | "testhelpers.go")
        || parts.any(|d| matches!(d, "testutil" | "testutils" | "testsuite" | "testhelper" | "testhelpers" | "tartest"))
}
