//! Plain-language measures: sentences, syllables and reading grade, and
//! the small text helpers the rules share.

use crate::load::content::Body;

pub fn norm(s: &str) -> String {
    s.replace(['\u{2019}', '\u{2018}'], "'")
        .trim()
        .trim_end_matches(['?', ':', '.'])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Line of the first case-insensitive occurrence of `needle` in a body.
pub fn line_of(body: &Body, needle: &str) -> Option<usize> {
    let lower = body.text.to_lowercase();
    let i = lower.find(&needle.to_lowercase())?;
    Some(body.first_line + lower[..i].matches('\n').count())
}

pub fn is_toll_free(phone: &str) -> bool {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let us = digits.strip_prefix('1').unwrap_or(&digits);
    ["800", "833", "844", "855", "866", "877", "888"]
        .iter()
        .any(|p| us.starts_with(p) && us.len() == 10)
        || digits.starts_with("0800")
        || digits.starts_with("0808")
}

/// Sentences of plain text: split at . ! ? followed by space or end.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Paragraphs, and each list item on its own.
    let mut blocks: Vec<String> = Vec::new();
    for para in text.split("\n\n") {
        let mut current = String::new();
        for line in para.lines() {
            let t = line.trim_start();
            let item = t.starts_with("-  ")
                || t.split_once(". ")
                    .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            if item && !current.trim().is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
            current.push_str(t.trim_start_matches("-  "));
            current.push(' ');
        }
        blocks.push(current);
    }
    for block in &blocks {
        let block = block.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut current = String::new();
        let chars: Vec<char> = block.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            current.push(*c);
            let end =
                matches!(c, '.' | '!' | '?') && chars.get(i + 1).is_none_or(|n| n.is_whitespace());
            // "Ste. 3", "asst. property mgr.": a full stop before a word in
            // lower case or a number does not end a sentence either.
            let next_word = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            let continues = next_word.is_some_and(|n| n.is_lowercase() || n.is_ascii_digit());
            if end && !(*c == '.' && (abbreviation(&current) || continues) && i + 1 < chars.len()) {
                out.push(std::mem::take(&mut current).trim().to_string());
            }
        }
        if !current.trim().is_empty() {
            out.push(current.trim().to_string());
        }
    }
    out.retain(|s| s.split_whitespace().count() > 0);
    out
}

/// Words written with a full stop that do not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "no", "nos", "inc", "ltd", "co", "corp", "dept", "tel", "ext",
    "incl", "approx", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "ave", "rd", "blvd", "ste", "apt", "fig", "vol", "esq", "jr", "sr", "prof", "gov", "pp",
    "asst", "mgr", "acct", "accts", "soc", "sec", "govt", "univ", "hosp", "assn", "bros", "est",
];

/// Does `text` end with an abbreviation ("a.m.", "U.S.", "Inc.", "J.")?
fn abbreviation(text: &str) -> bool {
    let word = text
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .trim_start_matches(|c: char| !c.is_alphanumeric());
    let Some(stem) = word.strip_suffix('.') else {
        return false;
    };
    // Dotted letters (a.m., P.C., U.S., e.g.) and single initials.
    let dotted = stem
        .split('.')
        .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic));
    dotted || ABBREVIATIONS.contains(&stem.to_lowercase().as_str())
}

/// Flesch–Kincaid grade level: 0.39 (words/sentences) + 11.8 (syllables/words) − 15.59.
pub fn flesch_kincaid_grade(text: &str) -> f64 {
    grade_of(&sentences(text))
}

/// The Flesch–Kincaid grade of text already split into sentences.
pub fn grade_of<S: AsRef<str>>(sents: &[S]) -> f64 {
    let words: Vec<&str> = sents
        .iter()
        .flat_map(|s| s.as_ref().split_whitespace())
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    if words.is_empty() || sents.is_empty() {
        return 0.0;
    }
    let syllables: usize = words.iter().map(|w| syllables(w)).sum();
    0.39 * (words.len() as f64 / sents.len() as f64)
        + 11.8 * (syllables as f64 / words.len() as f64)
        - 15.59
}

/// A vowel-group estimate of syllables, with a silent final "e".
fn syllables(word: &str) -> usize {
    let w: Vec<char> = word
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    if w.len() <= 3 {
        return 1;
    }
    let vowel = |c: char| "aeiouy".contains(c);
    let mut count = 0;
    let mut prev = false;
    for &c in &w {
        let v = vowel(c);
        if v && !prev {
            count += 1;
        }
        prev = v;
    }
    if w.ends_with(&['e']) && !w.ends_with(&['l', 'e']) && count > 1 {
        count -= 1;
    }
    count.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_grade_of_plain_and_of_hard_text() {
        let plain = "We found a problem. We fixed it. Call us if you need help.";
        let hard = "Notwithstanding the aforementioned circumstances, the organisation's comprehensive investigation determined that unauthorised exfiltration of personally identifiable information potentially occurred.";
        assert!(
            flesch_kincaid_grade(plain) < 4.0,
            "{}",
            flesch_kincaid_grade(plain)
        );
        assert!(
            flesch_kincaid_grade(hard) > 14.0,
            "{}",
            flesch_kincaid_grade(hard)
        );
    }

    #[test]
    fn toll_free_numbers() {
        assert!(is_toll_free("1-800-555-0100"));
        assert!(is_toll_free("(888) 555 0100"));
        assert!(is_toll_free("0808 157 0192"));
        assert!(!is_toll_free("020 7946 0000"));
        assert!(!is_toll_free("212-555-0100"));
    }
}
