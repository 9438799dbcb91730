//! Each person's reference code: 85 bits from a keyed hash (HMAC-SHA-256
//! with the site's secret key) of who they are, written as 17 Crockford
//! base-32 symbols and a Luhn mod 32 check symbol, in groups of three to
//! read aloud: `7KQ-M3X-D29-HFA-T4P-WR8`.
//!
//! The same person and key give the same code on every run; without the
//! key, a code cannot be made from what is known about a person, and 85
//! bits cannot be guessed.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// Crockford's base 32: no I, L, O or U.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Symbols of the code before its check symbol.
const SYMBOLS: usize = 17;

/// A person's reference code, without dashes (18 symbols).
pub fn code(key: &[u8], site: &str, identity: &str) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap_or_else(|_| {
        // HMAC takes a key of any length; this cannot happen.
        <Hmac<Sha256> as KeyInit>::new_from_slice(&[0]).expect("HMAC key")
    });
    mac.update(b"candor-recipient-v1\n");
    mac.update(site.as_bytes());
    mac.update(b"\n");
    mac.update(identity.as_bytes());
    let digest = mac.finalize().into_bytes();
    let mut out = String::with_capacity(SYMBOLS + 1);
    // 5 bits a symbol, from the first 85 bits of the digest.
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut bytes = digest.iter();
    while out.len() < SYMBOLS {
        if bits < 5 {
            acc = (acc << 8) | u32::from(*bytes.next().unwrap_or(&0));
            bits += 8;
        }
        bits -= 5;
        out.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
    }
    let check = check_symbol(&out);
    out.push(check);
    out
}

fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|v| v as u32)
}

/// Luhn mod 32: catches every single wrong symbol and most swaps of two
/// neighbours.
fn check_symbol(code: &str) -> char {
    let mut sum = 0;
    for (i, c) in code.bytes().rev().enumerate() {
        let v = value(c).unwrap_or(0);
        let v = if i % 2 == 0 { v * 2 } else { v };
        sum += v / 32 + v % 32;
    }
    ALPHABET[((32 - sum % 32) % 32) as usize] as char
}

/// `7KQM3XD29HFAT4PWR8` → `7KQ-M3X-D29-HFA-T4P-WR8`
pub fn grouped(code: &str) -> String {
    code.as_bytes()
        .chunks(3)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as a person types it: any case, spaces and dashes, O for 0 and
/// I or L for 1. `None` unless it is 18 symbols with the right check.
pub fn parse(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect();
    if code.len() != SYMBOLS + 1 || !code.bytes().all(|c| value(c).is_some()) {
        return None;
    }
    let (body, check) = code.split_at(SYMBOLS);
    check.starts_with(check_symbol(body)).then_some(code)
}

/// What the public lookup is keyed by: a hash of the code, which says
/// nothing of the person and cannot be turned back into the code.
pub fn lookup_key(code: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"candor-lookup-v1\n");
    h.update(code.as_bytes());
    h.finalize().into()
}

/// The key that encrypts what only the holder of the code may read.
pub fn secret_key(code: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"candor-lookup-key-v1\n");
    h.update(code.as_bytes());
    h.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_stable_keyed_and_checked() {
        let a = code(b"key one", "https://s.example/", "ann@example.org");
        assert_eq!(a.len(), 18);
        assert_eq!(a, code(b"key one", "https://s.example/", "ann@example.org"));
        assert_ne!(a, code(b"key two", "https://s.example/", "ann@example.org"));
        assert_ne!(a, code(b"key one", "https://s.example/", "bob@example.org"));
        assert_eq!(parse(&grouped(&a)).as_deref(), Some(a.as_str()));
        assert_eq!(
            parse(&grouped(&a).to_lowercase()).as_deref(),
            Some(a.as_str())
        );
        // Every single wrong symbol is caught.
        for i in 0..a.len() {
            for &c in ALPHABET {
                let mut wrong = a.clone().into_bytes();
                if wrong[i] == c {
                    continue;
                }
                wrong[i] = c;
                let wrong = String::from_utf8(wrong).unwrap();
                assert_eq!(parse(&wrong), None, "{wrong}");
            }
        }
        assert_eq!(parse("not a code"), None);
    }

    #[test]
    fn codes_spread_over_85_bits() {
        let codes: std::collections::HashSet<String> = (0..20_000)
            .map(|i| code(b"k", "s", &format!("person {i}"))[..4].to_string())
            .collect();
        // 20,000 people over 2^20 first-four-symbol values: few collide.
        assert!(codes.len() > 19_500, "{}", codes.len());
    }
}
