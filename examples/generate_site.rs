//! Write a generated benchmark site, for profiling:
//!
//!     cargo run --release --example generate_site -- DIR N [short|long] [hugo]
//!
//! (the same generator as `cargo bench --bench build`; `short` by default).

#[path = "../benches/support/mod.rs"]
mod support;

use support::Shape;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(n)) = (args.get(1), args.get(2).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: generate_site DIR N [short|long] [hugo]");
        std::process::exit(2);
    };
    let rest = &args[3..];
    let shape = if rest.iter().any(|a| a == "long") {
        Shape::Long
    } else {
        Shape::Short
    };
    let dir = std::path::Path::new(dir);
    if rest.iter().any(|a| a == "hugo") {
        support::generate_hugo(dir, n, shape);
    } else {
        support::generate(dir, n, shape);
    }
}
