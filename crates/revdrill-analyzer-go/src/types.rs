//! The type of an expression, as far as the file and its package show it: a parameter, a
//! variable declared with a type or from a literal, a struct field of a package type, the
//! result of a package function or method. Anything else has no known type, and rules that
//! need one say nothing.
//!
//! Declarations are collected once per top-level declaration and cached; a lookup is a
//! binary search and a short scan, so resolving every call of a file stays linear.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use tree_sitter::Node;

use crate::ast::{self, text};
use crate::checker::Checker;
use crate::package::{base_type, literal_type};

/// How deep a type is chased through variables, calls and fields.
const MAX_CHASE: usize = 6;

/// How a name was declared.
#[derive(Clone, Copy)]
enum Binding<'t> {
    /// With a written type.
    Typed(Node<'t>),
    /// From the `index`-th result of a value (`x := T{}`, `f, err := os.Open(p)`).
    Value(Node<'t>, usize),
    /// Somehow we cannot follow (`range`, type switch).
    Unknown,
}

/// One declaration: where it starts, the range it is visible in, and how it was declared.
#[derive(Clone, Copy)]
struct Decl<'t> {
    at: usize,
    scope: (usize, usize),
    binding: Binding<'t>,
}

/// The declarations of one top-level declaration, by name.
#[derive(Default)]
pub(crate) struct Decls<'t> {
    by_name: HashMap<&'t str, Vec<Decl<'t>>>,
}

/// Per-file cache of [`Decls`], by top-level declaration id.
#[derive(Default)]
pub(crate) struct Scopes<'t> {
    cache: RefCell<HashMap<usize, Rc<Decls<'t>>>>,
}

impl<'t> Checker<'t> {
    /// The top-level declaration that contains byte `at`.
    pub(crate) fn top_decl_at(&self, at: usize) -> Option<Node<'t>> {
        let i = self.top_decls.partition_point(|d| d.end_byte() <= at);
        self.top_decls.get(i).copied().filter(|d| d.start_byte() <= at)
    }

    /// The top-level declaration that contains `node`.
    pub(crate) fn top_decl(&self, node: Node<'t>) -> Option<Node<'t>> {
        let i = self.top_decls.partition_point(|d| d.end_byte() <= node.start_byte());
        self.top_decls.get(i).copied().filter(|d| ast::contains(*d, node))
    }

    fn decls(&self, top: Node<'t>) -> Rc<Decls<'t>> {
        if let Some(d) = self.scopes.cache.borrow().get(&top.id()) {
            return d.clone();
        }
        let d = Rc::new(collect_decls(top, self.src));
        self.scopes.cache.borrow_mut().insert(top.id(), d.clone());
        d
    }

    /// The declaration of the identifier `ident` visible where it is used, if local.
    fn local_binding(&self, ident: Node<'t>) -> Option<Binding<'t>> {
        let top = self.top_decl(ident)?;
        let decls = self.decls(top);
        let at = ident.start_byte();
        decls
            .by_name
            .get(text(ident, self.src))?
            .iter()
            .filter(|d| d.at <= at && d.scope.0 <= at && at < d.scope.1)
            .max_by_key(|d| d.at)
            .map(|d| d.binding)
    }

    /// True when `ident` names a local variable or parameter (not a package-level name).
    pub(crate) fn is_local(&self, ident: Node<'t>) -> bool {
        self.local_binding(ident).is_some()
    }

    /// True when `ident` is an imported package name here (not shadowed by a local).
    pub(crate) fn is_package_name(&self, ident: Node<'t>) -> bool {
        ident.kind() == "identifier" && self.imports.contains(text(ident, self.src)) && !self.is_local(ident)
    }

    /// The type of `expr` without pointers or type arguments (`S`, `os.File`), when known.
    pub(crate) fn type_of(&self, expr: Node<'t>) -> Option<String> {
        self.type_of_depth(expr, 0)
    }

    fn type_of_depth(&self, expr: Node<'t>, depth: usize) -> Option<String> {
        if depth > MAX_CHASE {
            return None;
        }
        let expr = ast::strip_parens(expr);
        match expr.kind() {
            "identifier" => match self.local_binding(expr) {
                Some(Binding::Typed(t)) => Some(base_type(text(t, self.src)).to_string()),
                Some(Binding::Value(v, i)) => self.value_type(v, i, depth + 1),
                Some(Binding::Unknown) => None,
                None => self.package.vars.get(text(expr, self.src)).cloned().flatten(),
            },
            "selector_expression" => {
                let operand = expr.child_by_field_name("operand")?;
                let field = text(expr.child_by_field_name("field")?, self.src);
                if self.is_package_name(operand) {
                    return None;
                }
                let owner = self.type_of_depth(operand, depth + 1)?;
                self.package.fields.get(&(owner, field.to_string())).cloned()
            }
            "unary_expression" => self.type_of_depth(expr.child_by_field_name("operand")?, depth + 1),
            "call_expression" | "composite_literal" => self.value_type(expr, 0, depth + 1),
            _ => None,
        }
    }

    /// The type of the `index`-th value `value` produces.
    fn value_type(&self, value: Node<'t>, index: usize, depth: usize) -> Option<String> {
        if depth > MAX_CHASE {
            return None;
        }
        let value = ast::strip_parens(value);
        if let Some(t) = literal_type(value, self.src) {
            return (index == 0).then_some(t);
        }
        match value.kind() {
            "call_expression" => {
                let f = value.child_by_field_name("function")?;
                match f.kind() {
                    "identifier" if !self.is_local(f) => self.package.funcs.get(text(f, self.src))?.results.get(index).cloned(),
                    "selector_expression" => {
                        let operand = f.child_by_field_name("operand")?;
                        let name = text(f.child_by_field_name("field")?, self.src);
                        if self.is_package_name(operand) {
                            let qualified = format!("{}.{name}", text(operand, self.src));
                            return constructor_type(&qualified).filter(|_| index == 0).map(str::to_string);
                        }
                        let owner = self.type_of_depth(operand, depth + 1)?;
                        self.package.methods.get(&(owner, name.to_string()))?.results.get(index).cloned()
                    }
                    _ => None,
                }
            }
            "identifier" | "selector_expression" if index == 0 => self.type_of_depth(value, depth + 1),
            _ => None,
        }
    }
}

/// Well-known constructors of the standard library and the type they return.
fn constructor_type(qualified: &str) -> Option<&'static str> {
    Some(match qualified {
        "os.Create" | "os.Open" | "os.OpenFile" | "os.CreateTemp" | "ioutil.TempFile" => "os.File",
        "bufio.NewWriter" | "bufio.NewWriterSize" => "bufio.Writer",
        "gzip.NewWriter" | "gzip.NewWriterLevel" => "gzip.Writer",
        "zlib.NewWriter" | "zlib.NewWriterLevel" => "zlib.Writer",
        "tar.NewWriter" => "tar.Writer",
        "zip.NewWriter" => "zip.Writer",
        "csv.NewWriter" => "csv.Writer",
        "tabwriter.NewWriter" => "tabwriter.Writer",
        "net.Dial" | "net.DialTimeout" => "net.Conn",
        "sql.Open" => "sql.DB",
        "exec.Command" | "exec.CommandContext" => "exec.Cmd",
        _ => return None,
    })
}

/// Collects parameters and variable declarations under a top-level declaration, in one walk
/// that keeps its own stack of ancestors (`Node::parent` costs the depth of the node).
fn collect_decls<'t>(top: Node<'t>, src: &'t str) -> Decls<'t> {
    let mut out = Decls::default();
    let mut add = |name: Node<'t>, at: usize, scope: Node<'t>, binding: Binding<'t>| {
        let n = text(name, src);
        if n != "_" && !n.is_empty() {
            out.by_name.entry(n).or_default().push(Decl { at, scope: (scope.start_byte(), scope.end_byte()), binding });
        }
    };
    let mut cursor = top.walk();
    let mut stack: Vec<Node<'t>> = Vec::new();
    loop {
        let n = cursor.node();
        let parent = stack.last().copied().unwrap_or(n);
        let grandparent = stack.len().checked_sub(2).map_or(parent, |i| stack[i]);
        match n.kind() {
            "parameter_declaration" | "variadic_parameter_declaration" => {
                // Visible in the whole function the list belongs to.
                let binding = n.child_by_field_name("type").map_or(Binding::Unknown, Binding::Typed);
                let mut c = n.walk();
                for name in n.children_by_field_name("name", &mut c) {
                    add(name, grandparent.start_byte(), grandparent, binding);
                }
            }
            "var_spec" => {
                let values = n.child_by_field_name("value").map(ast::list_items).unwrap_or_default();
                let ty = n.child_by_field_name("type");
                let mut c = n.walk();
                let names: Vec<Node> = n.children_by_field_name("name", &mut c).collect();
                // `var x T` in a block: the statement list around it; `var ( ... )`: one more up.
                let scope = if parent.kind() == "var_declaration" {
                    grandparent
                } else {
                    stack.get(stack.len().saturating_sub(3)).copied().unwrap_or(grandparent)
                };
                for (i, name) in names.iter().enumerate() {
                    let binding = match (ty, values.len()) {
                        (Some(t), _) => Binding::Typed(t),
                        (None, l) if l == names.len() => Binding::Value(values[i], 0),
                        (None, 1) => Binding::Value(values[0], i),
                        _ => Binding::Unknown,
                    };
                    add(*name, n.start_byte(), scope, binding);
                }
            }
            "short_var_declaration" | "range_clause" | "type_switch_statement" | "receive_statement" => {
                let scope = if n.kind() == "type_switch_statement" { n } else { parent };
                let is_var = n.kind() == "short_var_declaration";
                if let Some(left) = n.child_by_field_name("left").or_else(|| n.child_by_field_name("alias")) {
                    let names = ast::list_items(left);
                    let values = n.child_by_field_name("right").filter(|_| is_var).map(ast::list_items).unwrap_or_default();
                    for (i, name) in names.iter().enumerate().filter(|(_, x)| x.kind() == "identifier") {
                        let binding = match values.len() {
                            l if l == names.len() => Binding::Value(values[i], 0),
                            1 => Binding::Value(values[0], i),
                            _ => Binding::Unknown,
                        };
                        add(*name, n.start_byte(), scope, binding);
                    }
                }
            }
            _ => {}
        }
        if cursor.goto_first_child() {
            stack.push(n);
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return out;
            }
            stack.pop();
            if stack.is_empty() {
                return out;
            }
        }
    }
}
