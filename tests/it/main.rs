//! candor's integration tests, one binary (as ripgrep and Cargo do): each
//! module is an area, and every module shares the harness in [`common`].
//! Most tests copy a fixture site from `tests/fixtures/` into a temp folder
//! and run the real `candor` binary on it.

mod audiences;
mod authoring;
mod build;
mod channels;
mod check;
mod common;
mod corpus;
mod desk;
mod faults;
mod hostile;
mod incremental;
mod jurisdictions;
mod languages;
mod layers;
mod links;
mod machine;
mod progress;
mod properties;
mod publish;
mod recipients;
mod record;
mod serve;
mod soak;
