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

/// Turn transparent huge pages off for this process. mimalloc asks for
/// them, so memory a build frees and allocates again comes back as 2 MiB
/// pages that the kernel zeroes whole (and compacts memory to find).
/// Measured at 10,000 long updates: a build took 1.44 s with them off and
/// 2.3–4.7 s with them on, at a lower peak (384 against 396–411 MiB); in
/// the preview the zeroing was half of every rebuild, and the first edits
/// after starting took 0.6 s instead of 50 ms.
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes no pointers; it sets a flag of this
    // process, and fails harmlessly on kernels without it.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
