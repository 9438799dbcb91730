//! Write a generated benchmark site: `cargo run --release --example generate_site -- DIR N [hugo]`
//! (the same generator as `cargo bench --bench build`), for profiling.

#[path = "../benches/support/mod.rs"]
mod support;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(n)) = (args.get(1), args.get(2).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: generate_site DIR N [hugo]");
        std::process::exit(2);
    };
    if args.get(3).is_some_and(|a| a == "hugo") {
        support::generate_hugo_site(std::path::Path::new(dir), n);
    } else {
        support::generate_site(std::path::Path::new(dir), n);
    }
}
