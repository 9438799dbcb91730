//! Embeds the built-in theme (`themes/default/`), the starter kit
//! (`content/`) and the rules of `candor check` (`rules/`) into the binary,
//! so `candor` works from any folder.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut code = String::new();
    for (name, dir) in [
        ("THEME_FILES", "themes/default"),
        ("STARTER_FILES", "content"),
        ("RULE_FILES", "rules"),
    ] {
        let base = Path::new(&root).join(dir);
        println!("cargo:rerun-if-changed={dir}");
        let mut files = Vec::new();
        collect(&base, &base, &mut files);
        files.sort();
        writeln!(code, "pub static {name}: &[(&str, &[u8])] = &[").unwrap();
        for rel in files {
            let abs = base.join(&rel);
            println!("cargo:rerun-if-changed={}", abs.display());
            writeln!(
                code,
                "    ({rel:?}, include_bytes!({:?})),",
                abs.display().to_string()
            )
            .unwrap();
        }
        writeln!(code, "];").unwrap();
    }
    std::fs::write(Path::new(&out_dir).join("embedded.rs"), code).expect("write embedded.rs");
}

fn collect(base: &Path, dir: &Path, files: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(base, &path, files);
        } else if let Ok(rel) = path.strip_prefix(base) {
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.push(rel.join("/"));
        }
    }
}
