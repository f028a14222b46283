//! Rebuilds the crate when anything under `catalog/` changes: `include_dir!` embeds the folder,
//! but cargo only knows to embed it again when told that the folder is an input.

fn main() {
    println!("cargo:rerun-if-changed=../../catalog");
}
