//! The base layer: what every stage shares, importing nothing of candor's.
//!
//! - [`diagnostics`]: the one model of an error, warning or finding, and
//!   how it is shown;
//! - [`vocab`]: the words of the content model (statuses, severities, data
//!   types, regions, jurisdictions, regimes, channels) as enums with their
//!   labels;
//! - [`time`]: instants with explicit offsets, shown in the site's zone;
//! - [`text`]: slugs, escaping, placeholders, hosts;
//! - [`fingerprint`]: hashes of what an output is made from;
//! - [`output`]: the output folders, written to a staging folder and swapped
//!   in atomically.

pub mod diagnostics;
pub mod fingerprint;
pub mod i18n;
pub mod output;
pub mod text;
pub mod time;
pub mod vocab;
