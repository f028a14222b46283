//! Small helpers over tree-sitter-go nodes: text, statements, calls, and bounded walks.
//!
//! Every walk here is iterative or depth-bounded, so deeply nested input cannot overflow the stack.

use tree_sitter::Node;

/// The source text of `node` (empty if the range is not on a char boundary).
pub(crate) fn text<'s>(node: Node, src: &'s str) -> &'s str {
    src.get(node.byte_range()).unwrap_or("")
}

/// The statements of a block, a case clause or a statement list, comments left out.
pub(crate) fn statements(node: Node) -> Vec<Node> {
    let list = if node.kind() == "statement_list" {
        Some(node)
    } else {
        let mut c = node.walk();

        node.named_children(&mut c).find(|n| n.kind() == "statement_list")
    };
    let Some(list) = list else { return Vec::new() };
    let mut c = list.walk();
    list.named_children(&mut c).filter(|n| n.kind() != "comment").collect()
}

/// Visits `node` and its descendants in source order; `f` returns false to skip a subtree.
/// Function literals are entered only when `into_closures` is true.
pub(crate) fn walk<'t>(node: Node<'t>, into_closures: bool, f: &mut dyn FnMut(Node<'t>) -> bool) {
    let mut cursor = node.walk();
    let root_id = node.id();
    loop {
        let n = cursor.node();
        let descend = f(n) && (into_closures || n.kind() != "func_literal" || n.id() == root_id);
        if descend && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node().id() == root_id {
                return;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// True when some node under `node` (itself included) satisfies `pred`.
pub(crate) fn any<'t>(node: Node<'t>, into_closures: bool, pred: &mut dyn FnMut(Node<'t>) -> bool) -> bool {
    let mut found = false;
    walk(node, into_closures, &mut |n| {
        if found {
            return false;
        }
        if pred(n) {
            found = true;
            return false;
        }
        true
    });
    found
}

/// All nodes under `node` (itself included) that satisfy `pred`, in source order.
pub(crate) fn collect<'t>(node: Node<'t>, into_closures: bool, pred: &mut dyn FnMut(Node<'t>) -> bool) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    walk(node, into_closures, &mut |n| {
        if pred(n) {
            out.push(n);
        }
        true
    });
    out
}

/// A call split into its parts: `s.tasks.Get(ctx, id)` has receiver `s.tasks` and name `Get`.
pub(crate) struct Call<'t> {
    pub node: Node<'t>,
    /// The operand before the last `.`, if any.
    pub receiver: Option<Node<'t>>,
    /// The last name of the callee (`Get`, or `close` for a plain call).
    pub name: &'t str,
    /// The arguments, in order.
    pub args: Vec<Node<'t>>,
}

/// The last name of a call's callee (`Get` in `s.tasks.Get(...)`), without splitting the call:
/// a cheap first filter. Empty for anything that is not a call.
pub(crate) fn callee_name<'t>(node: Node<'t>, src: &'t str) -> &'t str {
    if node.kind() != "call_expression" {
        return "";
    }
    match node.child_by_field_name("function") {
        Some(f) if f.kind() == "identifier" => text(f, src),
        Some(f) if f.kind() == "selector_expression" => f.child_by_field_name("field").map_or("", |n| text(n, src)),
        _ => "",
    }
}

/// Splits a `call_expression` into receiver, name and arguments.
pub(crate) fn call<'t>(node: Node<'t>, src: &'t str) -> Option<Call<'t>> {
    if node.kind() != "call_expression" {
        return None;
    }
    let func = node.child_by_field_name("function")?;
    let (receiver, name) = match func.kind() {
        "selector_expression" => (func.child_by_field_name("operand"), text(func.child_by_field_name("field")?, src)),
        "identifier" => (None, text(func, src)),
        _ => (None, ""),
    };
    let args = node
        .child_by_field_name("arguments")
        .map(|a| {
            let mut c = a.walk();
            a.named_children(&mut c).filter(|n| n.kind() != "comment").collect()
        })
        .unwrap_or_default();
    Some(Call { node, receiver, name, args })
}

/// The call inside an expression statement, `go` or `defer`, if that is what it holds.
pub(crate) fn stmt_call<'t>(stmt: Node<'t>, src: &'t str) -> Option<Call<'t>> {
    if !matches!(stmt.kind(), "expression_statement" | "go_statement" | "defer_statement") {
        return None;
    }
    let mut c = stmt.walk();
    let inner = stmt.named_children(&mut c).find(|n| n.kind() != "comment")?;
    call(inner, src)
}

/// For `<-x.Done()`, the node of `x`.
pub(crate) fn done_receive_operand<'t>(node: Node<'t>, src: &'t str) -> Option<Node<'t>> {
    let node = strip_parens(node);
    if node.kind() != "unary_expression" || node.child_by_field_name("operator").map(|o| o.kind()) != Some("<-") {
        return None;
    }
    let operand = node.child_by_field_name("operand")?;
    let c = call(strip_parens(operand), src)?;
    (c.name == "Done" && c.args.is_empty()).then_some(c.receiver).flatten()
}

/// For `<-ch` (receive), the channel node.
pub(crate) fn receive_operand(node: Node) -> Option<Node> {
    let node = strip_parens(node);
    if node.kind() == "unary_expression" && node.child_by_field_name("operator").map(|o| o.kind()) == Some("<-") {
        return node.child_by_field_name("operand").map(strip_parens);
    }
    None
}

/// Removes any number of enclosing parentheses.
pub(crate) fn strip_parens(mut node: Node) -> Node {
    for _ in 0..64 {
        if node.kind() != "parenthesized_expression" {
            break;
        }
        let mut c = node.walk();
        let Some(inner) = node.named_children(&mut c).find(|n| n.kind() != "comment") else { break };
        node = inner;
    }
    node
}

/// The identifiers on the left of `:=` / `=` / `range`, as text (`_` included).
pub(crate) fn assigned_names<'t>(stmt: Node<'t>, src: &'t str) -> Vec<&'t str> {
    let Some(left) = stmt.child_by_field_name("left") else { return Vec::new() };
    let mut c = left.walk();
    left.named_children(&mut c).map(|n| text(n, src)).collect()
}

/// The expressions on the right of `:=` / `=`.
pub(crate) fn assigned_values<'t>(stmt: Node<'t>) -> Vec<Node<'t>> {
    let Some(right) = stmt.child_by_field_name("right") else { return Vec::new() };
    if right.kind() != "expression_list" {
        return vec![right];
    }
    let mut c = right.walk();
    right.named_children(&mut c).filter(|n| n.kind() != "comment").collect()
}

/// True when an identifier with exactly this text occurs under `node`.
pub(crate) fn mentions(node: Node, src: &str, name: &str, into_closures: bool) -> bool {
    any(node, into_closures, &mut |n| n.kind() == "identifier" && text(n, src) == name)
}

/// True when the function returns, or the statement list ends in, a terminating statement.
pub(crate) fn is_terminating(stmt: Node, src: &str) -> bool {
    match stmt.kind() {
        "return_statement" | "goto_statement" => true,
        "expression_statement" => stmt_call(stmt, src).is_some_and(|c| {
            matches!(c.name, "panic" | "Exit" | "Fatal" | "Fatalf" | "Fatalln" | "Goexit")
                && (c.receiver.is_none() || c.name != "panic")
        }),
        _ => false,
    }
}

/// The name of a function or method declaration (empty for literals).
pub(crate) fn function_name<'t>(func: Node<'t>, src: &'t str) -> &'t str {
    func.child_by_field_name("name").map(|n| text(n, src)).unwrap_or("")
}

/// Names of the parameters of a function node.
pub(crate) fn parameter_names<'t>(func: Node<'t>, src: &'t str) -> Vec<&'t str> {
    let mut out = Vec::new();
    for field in ["receiver", "parameters"] {
        let Some(list) = func.child_by_field_name(field) else { continue };
        let mut c = list.walk();
        for decl in list.named_children(&mut c) {
            let mut c2 = decl.walk();
            for name in decl.children_by_field_name("name", &mut c2) {
                out.push(text(name, src));
            }
        }
    }
    out
}

/// True for names that read like an error variable: `err`, `werr`, `errClose`.
pub(crate) fn is_err_name(name: &str) -> bool {
    name == "err" || name.ends_with("Err") || name.ends_with("err") || name.starts_with("err")
}

/// The statements after `stmt` in its statement list, comments left out.
pub(crate) fn following(stmt: Node) -> Vec<Node> {
    let mut out = Vec::new();
    let mut n = stmt.next_named_sibling();
    while let Some(s) = n {
        if s.kind() != "comment" {
            out.push(s);
        }
        n = s.next_named_sibling();
    }
    out
}

/// The statement just before `stmt` in its statement list, comments left out.
pub(crate) fn previous(stmt: Node) -> Option<Node> {
    let mut n = stmt.prev_named_sibling();
    while let Some(s) = n {
        if s.kind() != "comment" {
            return Some(s);
        }
        n = s.prev_named_sibling();
    }
    None
}

/// The ancestors of `node`, innermost first, up to (not including) `stop` or the root.
/// Bounded, so pathological nesting costs at most a fixed number of steps.
pub(crate) fn ancestors<'t>(node: Node<'t>, stop: Option<Node<'t>>) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut n = node.parent();
    while let Some(p) = n {
        if stop.is_some_and(|s| s.id() == p.id()) || out.len() > 256 {
            break;
        }
        out.push(p);
        n = p.parent();
    }
    out
}

/// The body block of a function node.
pub(crate) fn body(func: Node) -> Option<Node> {
    func.child_by_field_name("body")
}

/// True when `inner` lies within `outer` (or is it).
pub(crate) fn contains(outer: Node, inner: Node) -> bool {
    outer.start_byte() <= inner.start_byte() && inner.end_byte() <= outer.end_byte()
}

/// The items of an `expression_list`, or the node itself when it is a single expression.
pub(crate) fn list_items(node: Node) -> Vec<Node> {
    if node.kind() != "expression_list" {
        return vec![node];
    }
    let mut c = node.walk();
    node.named_children(&mut c).filter(|n| n.kind() != "comment").collect()
}

/// The ancestors of `node` under `root`, outermost first (`root` included, `node` not), found
/// by one descent from the root: O(depth), where calling `Node::parent` in a loop costs the
/// square of it (tree-sitter nodes keep no parent pointer).
pub(crate) fn path_to<'t>(root: Node<'t>, node: Node<'t>) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    let mut cursor = root.walk();
    let target = node.start_byte();
    loop {
        let n = cursor.node();
        if n.id() == node.id() {
            return out;
        }
        out.push(n);
        if cursor.goto_first_child_for_byte(target).is_none() {
            return Vec::new();
        }
        // Several nodes can start at `target`: step to the sibling that holds `node`.
        while !contains(cursor.node(), node) || (cursor.node().end_byte() < node.end_byte()) {
            if !cursor.goto_next_sibling() {
                return Vec::new();
            }
        }
    }
}
