//! `candor serve`: the live preview ([`serve`]) and its file watcher
//! ([`watch`]). Behind the `serve` feature (on by default).

pub mod serve;
pub mod watch;
