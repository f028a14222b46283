//! What one Go package declares, read from the trees of its files: functions and methods with
//! their result types, struct fields, interface methods and package variables.
//!
//! A package is the files of one folder with the same `package` clause, as the Go tool sees
//! it. Names are resolved only inside their package: a method `Lock() error` declared in one
//! package says nothing about a `mu.Lock()` in another.
//!
//! Architecture invariant: nothing here looks outside the package's own files, and no name
//! resolves to a declaration of another package.

use std::collections::{HashMap, HashSet};

use tree_sitter::{Node, Tree};

use crate::ast::{self, text};

/// The result types of a function, method or interface method, as written (pointer and type
/// arguments stripped by [`base_type`]).
#[derive(Clone, Debug, Default)]
pub(crate) struct Signature {
    pub results: Vec<String>,
}

impl Signature {
    /// True when the last result is `error`.
    pub(crate) fn returns_error(&self) -> bool {
        self.results.last().is_some_and(|r| r == "error")
    }
}

/// The declarations of one package.
#[derive(Clone, Debug, Default)]
pub(crate) struct Package {
    /// The `package` clause (`p` in `package p`).
    pub name: String,
    /// Package-level functions by name.
    pub funcs: HashMap<String, Signature>,
    /// Methods and interface methods by (type, name).
    pub methods: HashMap<(String, String), Signature>,
    /// Struct fields by (struct type, field) → field type.
    pub fields: HashMap<(String, String), String>,
    /// Types declared in the package.
    pub types: HashSet<String>,
    /// Package-level variables by name → type, when written or inferable from a literal.
    pub vars: HashMap<String, Option<String>>,
    /// Summaries of every function, method and function literal of the package.
    pub units: Vec<crate::summary::Unit>,
    /// Names passed as the wrapped error of `fmt.Errorf("...%w", x)` or `errors.Wrap(x, ...)`
    /// somewhere in the package (`ErrNotFound`, `err`).
    pub wrapped: HashSet<String>,
    /// Functions and methods (`open`, `Store.Get`) that wrap an error they did not make
    /// (`%w` of an `err` variable): what they return may hold a sentinel wrapped. With each,
    /// the sentinel-like names (`ErrX`, `errX`) it mentions itself: those it returns as they
    /// are, so a caller comparing with them by `==` is right.
    pub wrapping: HashMap<String, HashSet<String>>,
    /// Unexported channel fields of the package's structs (`Type.field`), with how they are
    /// made, sent on and received from (GO022).
    pub chans: HashMap<String, ChanFacts>,
    /// Lock orders of the whole package (GO019), computed once for all its files.
    pub lock_edges: std::sync::OnceLock<Vec<crate::summary::LockEdge>>,
}

impl Package {
    /// Collects the declarations of the files of one package (each `(source, tree)`).
    pub(crate) fn collect<'a>(files: impl IntoIterator<Item = (&'a str, &'a Tree)>) -> Package {
        let files: Vec<(&str, &Tree)> = files.into_iter().collect();
        let mut p = Package::default();
        for (src, tree) in &files {
            p.add_file(src, tree.root_node());
        }
        // Summaries last: calls through fields need every struct of the package.
        for (src, tree) in &files {
            let units = crate::summary::units(src, tree.root_node(), &p.fields);
            p.units.extend(units);
        }
        p
    }

    /// Groups the files of one folder by their `package` clause (`p` and `p_test` are two
    /// packages) and collects each: (package, indices of its files).
    pub(crate) fn by_clause(files: &[(&str, &Tree)]) -> Vec<(Package, Vec<usize>)> {
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, (src, tree)) in files.iter().enumerate() {
            let name = clause(src, tree.root_node());
            match groups.iter_mut().find(|g| g.0 == name) {
                Some(g) => g.1.push(i),
                None => groups.push((name.to_string(), vec![i])),
            }
        }
        groups.into_iter().map(|(_, idx)| (Package::collect(idx.iter().map(|&i| files[i])), idx)).collect()
    }

    fn add_file(&mut self, src: &str, root: Node) {
        if src.contains("%w") || src.contains("Wrap") || src.contains("WithStack") || src.contains("WithMessage") {
            self.add_wraps(src, root);
        }
        if src.contains("chan") || src.contains("<-") {
            self.add_chans(src, root);
        }
        let mut c = root.walk();
        for decl in root.named_children(&mut c) {
            match decl.kind() {
                "package_clause" if self.name.is_empty() => {
                    self.name = decl.named_child(0).map(|n| text(n, src).to_string()).unwrap_or_default();
                }
                "function_declaration" => {
                    self.funcs.insert(ast::function_name(decl, src).to_string(), signature(decl, src));
                }
                "method_declaration" => {
                    let ty = receiver_type(decl, src).to_string();
                    self.methods.insert((ty, ast::function_name(decl, src).to_string()), signature(decl, src));
                }
                "type_declaration" => self.add_types(src, decl),
                "var_declaration" => {
                    for spec in ast::collect(decl, false, &mut |n| n.kind() == "var_spec") {
                        let ty = spec.child_by_field_name("type").map(|t| base_type(text(t, src)).to_string());
                        let mut c2 = spec.walk();
                        let values = spec.child_by_field_name("value").map(ast::list_items).unwrap_or_default();
                        for (i, name) in spec.children_by_field_name("name", &mut c2).enumerate() {
                            let inferred = ty.clone().or_else(|| values.get(i).and_then(|v| literal_type(*v, src)));
                            self.vars.insert(text(name, src).to_string(), inferred);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Records what the file's wrapping calls wrap, and which functions wrap a received error.
    fn add_wraps(&mut self, src: &str, root: Node) {
        let mut c = root.walk();
        for top in root.named_children(&mut c) {
            if !matches!(top.kind(), "function_declaration" | "method_declaration" | "var_declaration") {
                continue;
            }
            let t = text(top, src);
            if !(t.contains("%w") || t.contains("Wrap") || t.contains("WithStack") || t.contains("WithMessage")) {
                continue; // most declarations wrap nothing: skip the walk
            }
            let unit = match top.kind() {
                "method_declaration" => format!("{}.{}", receiver_type(top, src), ast::function_name(top, src)),
                _ => ast::function_name(top, src).to_string(),
            };
            let mut wraps_received = false;
            let mut mentioned = HashSet::new();
            ast::walk(top, true, &mut |n| {
                if n.kind() == "identifier" && is_sentinel_name(text(n, src)) {
                    mentioned.insert(text(n, src).to_string());
                }
                let Some(call) = ast::call(n, src) else { return true };
                for arg in wrapped_args(&call, src) {
                    let name = text(arg, src);
                    wraps_received |= ast::is_err_name(name) && !is_sentinel_name(name);
                    self.wrapped.insert(name.to_string());
                }
                true
            });
            if wraps_received && !unit.is_empty() {
                self.wrapping.insert(unit, mentioned);
            }
        }
    }

    fn add_types(&mut self, src: &str, decl: Node) {
        for spec in ast::collect(decl, false, &mut |n| matches!(n.kind(), "type_spec" | "type_alias")) {
            let Some(name) = spec.child_by_field_name("name").map(|n| text(n, src).to_string()) else { continue };
            self.types.insert(name.clone());
            let Some(ty) = spec.child_by_field_name("type") else { continue };
            match ty.kind() {
                "struct_type" => {
                    for field in ast::collect(ty, false, &mut |n| n.kind() == "field_declaration") {
                        let Some(ft_node) = field.child_by_field_name("type") else { continue };
                        let ft = base_type(text(ft_node, src)).to_string();
                        let mut c = field.walk();
                        let names: Vec<String> =
                            field.children_by_field_name("name", &mut c).map(|n| text(n, src).to_string()).collect();
                        if names.is_empty() {
                            // Embedded: the field is named after its type (`sync.Mutex` → `Mutex`).
                            let short = ft.rsplit('.').next().unwrap_or(&ft).to_string();
                            self.fields.insert((name.clone(), short), ft.clone());
                        }
                        for n in names {
                            self.fields.insert((name.clone(), n), ft.clone());
                        }
                    }
                }
                "interface_type" => {
                    for m in ast::collect(ty, false, &mut |n| matches!(n.kind(), "method_elem" | "method_spec")) {
                        let Some(mname) = m.child_by_field_name("name") else { continue };
                        self.methods.insert((name.clone(), text(mname, src).to_string()), signature(m, src));
                    }
                }
                _ => {}
            }
        }
    }
}

/// `ErrNotFound`, `errSkip`: `Err`/`err` followed by an upper-case letter.
pub(crate) fn is_sentinel_name(name: &str) -> bool {
    name.len() > 3
        && (name.starts_with("Err") || name.starts_with("err"))
        && name[3..].starts_with(|c: char| c.is_ascii_uppercase())
}

/// What the package does with one channel field.
#[derive(Clone, Debug, Default)]
pub(crate) struct ChanFacts {
    /// `make(chan T)` stored in the field (literal or assignment).
    pub unbuffered_makes: u32,
    /// `make(chan T, n)` stored in the field (`n` not a literal 0).
    pub buffered_makes: u32,
    /// Receives and `range` loops on the field.
    pub receives: u32,
    /// A receive that is a case of a `select` with another case that returns: the function
    /// it is in (`Type.method`), once it may have left without receiving.
    pub abandoned_by: Option<String>,
    /// Used any other way (passed, returned, copied, closed): the rule stays quiet.
    pub escapes: bool,
}

impl Package {
    /// Collects [`ChanFacts`] from the methods of one file (fields reached through the
    /// receiver) and the struct literals of the package's types.
    fn add_chans(&mut self, src: &str, root: Node) {
        let mut c = root.walk();
        for top in root.named_children(&mut c) {
            let t = text(top, src);
            if !(t.contains("<-") || t.contains("chan")) {
                continue; // no channel in sight: skip the walk
            }
            let recv = if top.kind() == "method_declaration" { receiver_name(top, src) } else { None };
            let (ty, method) = (receiver_type(top, src), ast::function_name(top, src));
            ast::walk(top, true, &mut |n| {
                match n.kind() {
                    "keyed_element" => self.literal_make(src, n),
                    "selector_expression" => {
                        let (Some(r), Some(op)) = (recv, n.child_by_field_name("operand")) else { return true };
                        let Some(field) = n.child_by_field_name("field").map(|f| text(f, src)) else { return true };
                        if text(op, src) != r || !field.starts_with(|ch: char| ch.is_ascii_lowercase()) {
                            return true;
                        }
                        let key = format!("{ty}.{field}");
                        let use_kind = chan_use(n, src);
                        if matches!(use_kind, ChanUse::Other) && !self.chans.contains_key(&key) {
                            return true; // most fields are no channels: only note uses of known ones
                        }
                        let facts = self.chans.entry(key).or_default();
                        match use_kind {
                            ChanUse::Send | ChanUse::Field => {}
                            ChanUse::Make(buffered) => {
                                if buffered {
                                    facts.buffered_makes += 1
                                } else {
                                    facts.unbuffered_makes += 1
                                }
                            }
                            ChanUse::Receive(abandoned) => {
                                facts.receives += 1;
                                if abandoned {
                                    facts.abandoned_by = Some(format!("{ty}.{method}"));
                                }
                            }
                            ChanUse::Other => facts.escapes = true,
                        }
                    }
                    _ => {}
                }
                true
            });
        }
    }

    /// `field: make(chan T[, n])` in a literal of a package struct.
    fn literal_make(&mut self, src: &str, n: Node) {
        let (Some(k), Some(v)) = (n.named_child(0), n.named_child(1)) else { return };
        let Some(lit) = n.parent().and_then(|p| p.parent()).filter(|p| p.kind() == "composite_literal") else { return };
        let Some(ty) = literal_type(lit, src) else { return };
        let v = if v.kind() == "literal_element" { v.named_child(0).unwrap_or(v) } else { v };
        if let Some(buffered) = make_chan(v, src) {
            let facts = self.chans.entry(format!("{ty}.{}", text(k, src))).or_default();
            if buffered { facts.buffered_makes += 1 } else { facts.unbuffered_makes += 1 }
        }
    }
}

/// How a `recv.field` selector is used.
enum ChanUse {
    Send,
    /// Assigned `make(chan T[, n])`: whether with a buffer.
    Make(bool),
    /// Received from; true when in a `select` case next to a case that returns.
    Receive(bool),
    /// Read as the operand of a longer path (`s.ch.x`) or a method call: not the channel.
    Field,
    Other,
}

fn chan_use(sel: Node, src: &str) -> ChanUse {
    let Some(parent) = sel.parent() else { return ChanUse::Other };
    match parent.kind() {
        "send_statement" if parent.child_by_field_name("channel").is_some_and(|c| c.id() == sel.id()) => ChanUse::Send,
        "unary_expression" if parent.child_by_field_name("operator").is_some_and(|o| o.kind() == "<-") => {
            ChanUse::Receive(abandoned_receive(parent))
        }
        "range_clause" => ChanUse::Receive(false),
        "selector_expression" | "call_expression" => ChanUse::Field,
        "expression_list" => {
            let assign = parent.parent().filter(|a| a.kind() == "assignment_statement");
            let Some(assign) = assign.filter(|a| a.child_by_field_name("left").is_some_and(|l| l.id() == parent.id())) else {
                return ChanUse::Other;
            };
            let value = ast::assigned_values(assign).into_iter().next();
            value.and_then(|v| make_chan(v, src)).map_or(ChanUse::Other, ChanUse::Make)
        }
        _ => ChanUse::Other,
    }
}

/// `make(chan T[, n])`: `Some(buffered)`.
fn make_chan(v: Node, src: &str) -> Option<bool> {
    let call = ast::call(v, src).filter(|k| k.name == "make" && k.receiver.is_none())?;
    (call.args.first()?.kind() == "channel_type").then(|| call.args.get(1).is_some_and(|n| text(*n, src) != "0"))
}

/// The receive `<-x` is the communication of a `select` case outside any loop (a one-shot
/// wait, not a serving loop), and another case of that `select` returns: the function may
/// leave without ever receiving.
fn abandoned_receive(recv: Node) -> bool {
    let mut n = recv;
    for _ in 0..3 {
        let Some(p) = n.parent() else { return false };
        if p.kind() == "communication_case" {
            let Some(select) = p.parent() else { return false };
            let looped = ast::ancestors(select, None)
                .iter()
                .take_while(|a| !matches!(a.kind(), "function_declaration" | "method_declaration" | "func_literal"))
                .any(|a| a.kind() == "for_statement");
            if looped {
                return false;
            }
            let mut c = select.walk();
            return select.named_children(&mut c).any(|case| {
                case.id() != p.id()
                    && matches!(case.kind(), "communication_case" | "default_case")
                    && ast::statements(case).iter().any(|s| s.kind() == "return_statement")
            });
        }
        n = p;
    }
    false
}

/// The identifiers a call wraps as an error: the arguments after a format with `%w`
/// (`fmt.Errorf`), or the first argument of `errors.Wrap`/`Wrapf`/`WithStack`/`WithMessage`
/// and friends (pkg/errors, cockroachdb/errors).
pub(crate) fn wrapped_args<'t>(call: &ast::Call<'t>, src: &str) -> Vec<Node<'t>> {
    let idents = |args: &[Node<'t>]| args.iter().copied().filter(|a| a.kind() == "identifier").collect::<Vec<_>>();
    match call.name {
        "Errorf" | "Newf" | "NewWithDepthf" => {
            let Some(i) = call.args.iter().position(|a| a.kind().ends_with("string_literal")) else { return Vec::new() };
            if text(call.args[i], src).contains("%w") { idents(&call.args[i + 1..]) } else { Vec::new() }
        }
        "Wrap" | "Wrapf" | "WithStack" | "WithMessage" | "WithMessagef" | "Mark" | "WithDetail" | "WithHint" => {
            idents(&call.args[..call.args.len().min(1)])
        }
        _ => Vec::new(),
    }
}

/// The `package` clause of a file (empty when missing).
fn clause<'s>(src: &'s str, root: Node) -> &'s str {
    let mut c = root.walk();
    let found = root.named_children(&mut c).find(|n| n.kind() == "package_clause");
    found.and_then(|p| p.named_child(0)).map_or("", |n| text(n, src))
}

/// The result types of a function-like node (`result` field).
fn signature(func: Node, src: &str) -> Signature {
    let Some(result) = func.child_by_field_name("result") else { return Signature::default() };
    if result.kind() != "parameter_list" {
        return Signature { results: vec![base_type(text(result, src)).to_string()] };
    }
    let mut results = Vec::new();
    let mut c = result.walk();
    for decl in result.named_children(&mut c) {
        let Some(ty) = decl.child_by_field_name("type") else { continue };
        let mut c2 = decl.walk();
        let count = decl.children_by_field_name("name", &mut c2).count().max(1);
        for _ in 0..count {
            results.push(base_type(text(ty, src)).to_string());
        }
    }
    Signature { results }
}

/// The receiver type of a method without pointer or type arguments (`S` in `func (s *S[T]) m()`).
pub(crate) fn receiver_type<'t>(func: Node<'t>, src: &'t str) -> &'t str {
    let ty = func
        .child_by_field_name("receiver")
        .and_then(|l| l.named_child(0))
        .and_then(|d| d.child_by_field_name("type"))
        .map_or("", |t| text(t, src));
    base_type(ty)
}

/// The receiver variable of a method (`s` in `func (s *S) m()`).
pub(crate) fn receiver_name<'t>(func: Node<'t>, src: &'t str) -> Option<&'t str> {
    let list = func.child_by_field_name("receiver")?;
    let decl = list.named_child(0)?;
    decl.child_by_field_name("name").map(|n| text(n, src)).filter(|n| *n != "_")
}

/// A type as written, without pointers and type arguments: `*pkg.T[int]` → `pkg.T`.
pub(crate) fn base_type(ty: &str) -> &str {
    let ty = ty.trim().trim_start_matches('*').trim_start();
    ty.split('[').next().unwrap_or(ty).trim()
}

/// The type a literal value obviously has: `T{...}`, `&T{...}`, `new(T)`.
pub(crate) fn literal_type(value: Node, src: &str) -> Option<String> {
    let v = ast::strip_parens(value);
    match v.kind() {
        "composite_literal" => {
            let ty = v.child_by_field_name("type")?;
            matches!(ty.kind(), "type_identifier" | "qualified_type" | "generic_type")
                .then(|| base_type(text(ty, src)).to_string())
        }
        "unary_expression" if v.child_by_field_name("operator").is_some_and(|o| o.kind() == "&") => {
            literal_type(v.child_by_field_name("operand")?, src)
        }
        "call_expression" => {
            let f = v.child_by_field_name("function")?;
            if text(f, src) != "new" {
                return None;
            }
            let arg = v.child_by_field_name("arguments")?.named_child(0)?;
            Some(base_type(text(arg, src)).to_string())
        }
        _ => None,
    }
}
