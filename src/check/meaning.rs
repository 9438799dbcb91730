//! Finding what a sentence says, in the words people use: the patterns the
//! rule files give for each thing a notice must (or must not) say.
//!
//! A pattern is words matched in order within one sentence:
//!
//! - `police report`: the two words, side by side;
//! - `police .. report`: with up to eight words between them;
//! - `charge|fee|cost`: any of these words;
//! - a plain word also matches its inflections (`report` matches
//!   `reports`, `reported`, `reporting`); `freez*` matches any word that
//!   starts with `freez`;
//! - `#num` a number ("1,240", "two hundred" is not), `#date` a date
//!   ("3 May", "May 3, 2026", "03/05/2026", "2026-05-03"), `#phone` a
//!   telephone number, `#web` a web address, `#email` an email address,
//!   `#month` a month's name.
//!
//! Words are compared in lower case, with curly apostrophes made straight.

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    source: String,
    slots: Vec<Slot>,
}

#[derive(Debug, Clone)]
enum Slot {
    Word(Vec<Alt>),
    Gap(usize),
}

#[derive(Debug, Clone)]
enum Alt {
    Word(String),
    Prefix(String),
    Class(Class),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Num,
    Date,
    Phone,
    Web,
    Email,
    Month,
}

/// How many words `..` may skip.
const GAP: usize = 8;

impl Pattern {
    pub fn new(source: &str) -> Result<Pattern, String> {
        let mut slots = Vec::new();
        for part in source.split_whitespace() {
            if part == ".." {
                slots.push(Slot::Gap(GAP));
                continue;
            }
            let mut alts = Vec::new();
            for alt in part.split('|').filter(|a| !a.is_empty()) {
                let alt = alt.to_lowercase();
                alts.push(match alt.as_str() {
                    "#num" => Alt::Class(Class::Num),
                    "#date" => Alt::Class(Class::Date),
                    "#phone" => Alt::Class(Class::Phone),
                    "#web" => Alt::Class(Class::Web),
                    "#email" => Alt::Class(Class::Email),
                    "#month" => Alt::Class(Class::Month),
                    a if a.starts_with('#') => return Err(format!("unknown class `{a}`")),
                    a => match a.strip_suffix('*') {
                        Some(p) => Alt::Prefix(p.to_string()),
                        None => Alt::Word(a.to_string()),
                    },
                });
            }
            if alts.is_empty() {
                return Err(format!("empty word in `{source}`"));
            }
            slots.push(Slot::Word(alts));
        }
        if !slots.iter().any(|s| matches!(s, Slot::Word(_))) {
            return Err("a pattern needs at least one word".into());
        }
        Ok(Pattern {
            source: source.to_string(),
            slots,
        })
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// Does the sentence say it? Returns the matched words' range.
    pub fn find(&self, words: &[Token]) -> Option<(usize, usize)> {
        (0..words.len()).find_map(|start| {
            self.at(0, words, start)
                .map(|end| (start, end.max(start + 1)))
        })
    }

    fn at(&self, slot: usize, words: &[Token], i: usize) -> Option<usize> {
        let Some(s) = self.slots.get(slot) else {
            return Some(i);
        };
        match s {
            Slot::Gap(n) => (0..=*n)
                .take_while(|k| i + k <= words.len())
                .find_map(|k| self.at(slot + 1, words, i + k)),
            Slot::Word(alts) => {
                let w = words.get(i)?;
                alts.iter()
                    .any(|a| a.matches(w))
                    .then(|| self.at(slot + 1, words, i + 1))
                    .flatten()
            }
        }
    }
}

impl Alt {
    fn matches(&self, t: &Token) -> bool {
        match self {
            Alt::Class(c) => {
                t.class == Some(*c)
                    || (*c == Class::Date && t.class == Some(Class::Month))
                    || (*c == Class::Month && t.class == Some(Class::Date))
            }
            Alt::Prefix(p) => t.class.is_none() && t.word.starts_with(p.as_str()),
            // A number, an address or a domain matches as written.
            Alt::Word(w) => match t.class {
                None => inflects(w, &t.word),
                Some(_) => t.word == *w,
            },
        }
    }
}

/// Is `word` `base` or a regular inflection of it?
fn inflects(base: &str, word: &str) -> bool {
    if word == base {
        return true;
    }
    let Some(rest) = word.strip_prefix(base) else {
        // charge → charging, freeze → freezing; policy → policies; apply → applied
        if let Some(stem) = base.strip_suffix('e')
            && let Some(rest) = word.strip_prefix(stem)
        {
            return matches!(rest, "ing" | "ed" | "er" | "ers");
        }
        if let Some(stem) = base.strip_suffix('y')
            && let Some(rest) = word.strip_prefix(stem)
        {
            return matches!(rest, "ies" | "ied");
        }
        return false;
    };
    matches!(
        rest,
        "s" | "es" | "ed" | "d" | "ing" | "'s" | "s'" | "er" | "ers" | "ly"
    ) || (rest.len() == 3
        && rest.ends_with("ed")
        && base.ends_with(&rest[..1])
        && !base.ends_with("ll"))
        || (rest.len() == 4 && rest.ends_with("ing") && base.ends_with(&rest[..1]))
}

/// A word of a sentence, or a number, date, phone number or address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub word: String,
    class: Option<Class>,
}

impl Token {
    /// A phone number, an email or web address.
    pub fn is_address(&self) -> bool {
        matches!(self.class, Some(Class::Phone | Class::Email | Class::Web))
    }
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// The words of a sentence. Telephone numbers (however spaced) are one
/// token each; `May` is a month only beside a number.
pub fn tokens(sentence: &str) -> Vec<Token> {
    let text = mark_phones(&sentence.replace(['\u{2019}', '\u{2018}'], "'"));
    let raw: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<Token> = Vec::with_capacity(raw.len());
    for (i, r) in raw.iter().enumerate() {
        if *r == "\u{1}phone" {
            out.push(Token {
                word: "#phone".into(),
                class: Some(Class::Phone),
            });
            continue;
        }
        let t = r.trim_matches(|c: char| !c.is_alphanumeric() && c != '@' && c != '#');
        if t.is_empty() {
            continue;
        }
        let lower = t.to_lowercase();
        let class = classify(&lower, raw.get(i.wrapping_sub(1)), raw.get(i + 1));
        if class.is_some() {
            out.push(Token { word: lower, class });
            continue;
        }
        // Words joined by hyphens or slashes are separate words.
        for w in lower
            .split(['-', '/', '\u{2013}'])
            .filter(|w| !w.is_empty())
        {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            if w.is_empty() {
                continue;
            }
            let class = w
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',')
                .then_some(Class::Num);
            out.push(Token {
                word: w.to_string(),
                class,
            });
        }
    }
    merge_dates(out)
}

/// "June 20, 2026", "3rd March", "the 9th of March", "20 June 2026": one
/// date token each, so `between #date and #date` reads a range.
fn merge_dates(words: Vec<Token>) -> Vec<Token> {
    let day = |t: &Token| {
        let digits: String = t.word.chars().take_while(char::is_ascii_digit).collect();
        let rest = &t.word[digits.len()..];
        !digits.is_empty()
            && digits.len() <= 2
            && matches!(rest, "" | "st" | "nd" | "rd" | "th")
            && digits.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
    };
    let year = |t: &Token| t.word.len() == 4 && t.word.chars().all(|c| c.is_ascii_digit());
    let month = |t: &Token| t.class == Some(Class::Month);
    let mut out: Vec<Token> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let at = |k: usize| words.get(i + k);
        let len = if month(&words[i]) {
            // June 20 (2026)
            match (at(1), at(2)) {
                (Some(d), Some(y)) if day(d) && year(y) => 3,
                (Some(d), _) if day(d) || year(d) => 2,
                _ => 1,
            }
        } else if day(&words[i]) {
            // 20 June (2026); 9th of March (2026)
            let of = usize::from(at(1).is_some_and(|t| t.word == "of"));
            match (at(1 + of), at(2 + of)) {
                (Some(m), Some(y)) if month(m) && year(y) => 3 + of,
                (Some(m), _) if month(m) => 2 + of,
                _ => 0,
            }
        } else {
            0
        };
        if len > 1 || (len == 1 && month(&words[i])) {
            let word = words[i..i + len]
                .iter()
                .map(|t| t.word.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            out.push(Token {
                word,
                class: Some(Class::Date),
            });
            i += len;
        } else {
            out.push(words[i].clone());
            i += 1;
        }
    }
    out
}

fn classify(w: &str, before: Option<&&str>, after: Option<&&str>) -> Option<Class> {
    let digits = w.chars().filter(char::is_ascii_digit).count();
    if w.contains('@') && w.contains('.') {
        return Some(Class::Email);
    }
    if w.starts_with("http") || w.starts_with("www.") {
        return Some(Class::Web);
    }
    if let Some((name, tld)) = w.rsplit_once('.')
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_lowercase())
        && name.chars().any(|c| c.is_ascii_alphabetic())
        && !name.contains(' ')
        && !matches!(w, "i.e" | "e.g" | "p.m" | "a.m")
        && w.split('.').all(|p| p.len() > 1)
    {
        return Some(Class::Web);
    }
    // 03/05/2026, 2026-05-03, 3.5.2026
    let date_like = digits >= 4
        && w.chars().all(|c| c.is_ascii_digit() || "/-.".contains(c))
        && w.chars().filter(|c| "/-.".contains(*c)).count() == 2;
    if date_like {
        return Some(Class::Date);
    }
    if digits > 0 && w.chars().all(|c| c.is_ascii_digit() || ",.".contains(c)) {
        // A year or a day beside a month is part of a date.
        return Some(Class::Num);
    }
    // A month's name; "may" only beside a number ("3 May", "May 3").
    let near_number =
        |t: Option<&&str>| t.is_some_and(|t| t.chars().next().is_some_and(|c| c.is_ascii_digit()));
    if MONTHS.contains(&w)
        && (w != "may" && w != "mar" || near_number(before) || near_number(after))
    {
        return Some(Class::Month);
    }
    None
}

/// The telephone numbers in a text, as written.
pub fn phones(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    phone_runs(text, |run| out.push(run.trim().to_string()));
    out
}

/// Call `found` with each telephone number of `text`; returns the text
/// with each replaced by a marker token.
fn phone_runs(text: &str, mut found: impl FnMut(&str)) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit() || chars[i] == '+' || chars[i] == '(';
        let fresh = i == 0 || !chars[i - 1].is_alphanumeric();
        if starts && fresh {
            let mut j = i;
            let mut digits = 0;
            let mut last_digit = i;
            while j < chars.len()
                && (chars[j].is_ascii_digit() || " -.()+\u{a0}".contains(chars[j]))
            {
                if chars[j].is_ascii_digit() {
                    digits += 1;
                    last_digit = j;
                }
                j += 1;
            }
            let ends = chars
                .get(last_digit + 1)
                .is_none_or(|c| !c.is_alphanumeric());
            if (10..=15).contains(&digits) && ends {
                found(&chars[i..=last_digit].iter().collect::<String>());
                out.push_str(" \u{1}phone ");
                i = last_digit + 1;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Replace each telephone number in `text` by one marker token: a run of
/// digits, spaces, dashes, dots and brackets (with a leading `+`) that
/// holds 10 to 15 digits.
fn mark_phones(text: &str) -> String {
    phone_runs(text, |_| {})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn says(pattern: &str, sentence: &str) -> bool {
        Pattern::new(pattern)
            .unwrap()
            .find(&tokens(sentence))
            .is_some()
    }

    #[test]
    fn words_inflections_gaps_and_alternatives() {
        assert!(says("police report", "You may ask for a police report."));
        assert!(says(
            "police .. report",
            "ask your local police department for a copy of any report"
        ));
        assert!(!says(
            "police report",
            "ask your local police department for a report"
        ));
        assert!(says("charge|fee|cost", "They cannot charge you."));
        assert!(says("freez*", "Freezing your credit"));
        assert!(says("report", "We reported it."));
        assert!(says("free", "it is free."));
        assert!(says("stop", "we stopped it"));
        assert!(!says("free", "freedom"));
        assert!(says("apply", "we applied"));
        assert!(says("policy", "our policies"));
    }

    #[test]
    fn numbers_dates_phones_and_addresses() {
        assert!(says(
            "#num massachusetts residents",
            "one of 1,240 Massachusetts residents"
        ));
        assert!(says(
            "#num .. residents",
            "one of 1,240 Massachusetts residents"
        ));
        assert!(says("#date", "on 3 May 2026"));
        assert!(says("#date", "between 03/05/2026 and then"));
        assert!(!says("#date", "you may call us"));
        assert!(says("#phone", "Call 0808 157 0123 today"));
        assert!(says(
            "equifax .. #phone",
            "Equifax: 1-888-298-0045, equifax.com"
        ));
        assert!(says("#web", "Visit identitytheft.gov for help"));
        assert!(says("#email", "Write to dpo@shop.example."));
        assert!(!says("#web", "e.g. a name"));
        assert!(!says("#phone", "2026-11-03"));
    }

    #[test]
    fn a_date_is_one_token_however_written() {
        for d in [
            "June 20, 2026",
            "June 20",
            "20 June 2026",
            "3rd March",
            "9th of March",
            "2026-06-20",
        ] {
            assert!(says("on #date today", &format!("on {d} today")), "{d}");
        }
        assert!(says(
            "between #date and #date",
            "between June 20 and July 3, 2026"
        ));
        assert!(!says("#date", "we have 20 staff"));
    }

    #[test]
    fn bad_patterns_are_refused() {
        assert!(Pattern::new("..").is_err());
        assert!(Pattern::new("#nothing").is_err());
    }
}
