//! Fingerprints: 128-bit hashes of everything an output is made from.
//!
//! The preview keeps each output with the fingerprint of its inputs and
//! renders it again only when that fingerprint changes (see
//! [`crate::render::prints`]). XXH3-128 is used for speed (a 1,000-update
//! model hashes in about a millisecond); 128 bits make an accidental
//! collision between two versions of one page practically impossible.

use std::hash::Hash;

use xxhash_rust::xxh3::Xxh3Default;

pub type Fingerprint = u128;

/// Feeds values into one fingerprint.
#[derive(Clone)]
pub struct Fp(Xxh3Default);

impl Default for Fp {
    fn default() -> Self {
        Fp(Xxh3Default::new())
    }
}

impl Fp {
    pub fn new() -> Fp {
        Fp::default()
    }

    /// Add a value. Its `Hash` impl must cover everything that can change
    /// what is rendered from it.
    pub fn add<T: Hash + ?Sized>(&mut self, value: &T) -> &mut Fp {
        value.hash(&mut self.0);
        self
    }

    pub fn finish(&self) -> Fingerprint {
        self.0.digest128()
    }
}

/// The fingerprint of one value.
pub fn of<T: Hash + ?Sized>(value: &T) -> Fingerprint {
    Fp::new().add(value).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_between_values_count() {
        // ("ab", "c") and ("a", "bc") must differ: `str`'s Hash ends each string.
        let a = Fp::new().add("ab").add("c").finish();
        let b = Fp::new().add("a").add("bc").finish();
        assert_ne!(a, b);
        assert_eq!(of(&("ab", "c")), of(&("ab", "c")));
    }
}
