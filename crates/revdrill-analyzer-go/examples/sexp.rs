//! Print the tree-sitter tree of a Go file: `sexp FILE` (for writing rules).
fn main() {
    let path = std::env::args().nth(1).expect("FILE");
    let src = std::fs::read_to_string(path).unwrap();
    let mut p = tree_sitter::Parser::new();
    p.set_language(&tree_sitter_go::LANGUAGE.into()).unwrap();
    let tree = p.parse(&src, None).unwrap();
    println!("{}", tree.root_node().to_sexp());
}
