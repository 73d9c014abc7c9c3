//! Writes `$OUT_DIR/style.min.css`: `src/style.css` without comments and indentation
//! (`src/css_min.rs`), which `src/embed/mod.rs` embeds in the bundle.

#[path = "src/css_min.rs"]
mod css_min;

fn main() {
    println!("cargo:rerun-if-changed=src/style.css");
    println!("cargo:rerun-if-changed=src/css_min.rs");
    let css = std::fs::read_to_string("src/style.css").expect("read src/style.css");
    let out =
        std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("style.min.css");
    std::fs::write(out, css_min::minify(&css)).expect("write style.min.css");
}
