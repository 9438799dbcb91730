use clap::Parser;

fn main() {
    let cli = candor::cli::Cli::parse();
    std::process::exit(candor::cli::run(cli));
}
