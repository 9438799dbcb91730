//! Word diffs between two versions of what was said: each change with a
//! few words either side, as readers see it in a correction ("we said … 1,240
//! …; we now say … 1,310 …") and authors see it in an error.

use std::time::Duration;

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

/// A run of words: the same in both versions, or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Hash)]
pub struct Piece {
    pub text: String,
    pub changed: bool,
}

/// One change: what was said before and what is said now, each with the
/// same words of context around the changed ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Hash)]
pub struct Hunk {
    pub before: Vec<Piece>,
    pub after: Vec<Piece>,
}

impl Hunk {
    /// `before` as plain text, changed words in [brackets].
    pub fn before_text(&self) -> String {
        marked(&self.before, "[", "]")
    }

    pub fn after_text(&self) -> String {
        marked(&self.after, "[", "]")
    }
}

/// Words of context either side of a change.
const CONTEXT_WORDS: usize = 6;

/// The changes from `old` to `new`, word by word. A diff that would take
/// longer than a second is cut short (it is then coarser, never wrong).
pub fn hunks(old: &str, new: &str) -> Vec<Hunk> {
    let diff = TextDiff::configure()
        .timeout(Duration::from_secs(1))
        .diff_words(old, new);
    // The word tokenizer counts the spaces between words as tokens too.
    let groups = diff.grouped_ops(CONTEXT_WORDS * 2);
    let total = diff.ops().last().map_or(0, |op| op.new_range().end);
    let mut out = Vec::new();
    let fresh = || Hunk {
        before: Vec::new(),
        after: Vec::new(),
    };
    // A hunk's context stays on the changed words' own lines: a heading
    // or a field above is not part of "what we said" about the change.
    let finish = |out: &mut Vec<Hunk>, mut h: Hunk, starts: bool, ends: bool| {
        for side in [&mut h.before, &mut h.after] {
            tidy(side, starts, ends);
        }
        out.push(h);
    };
    for group in groups {
        let mut h = fresh();
        let mut changed = false;
        let mut starts = group.first().is_some_and(|op| op.new_range().start == 0);
        let ends = group.last().is_some_and(|op| op.new_range().end >= total);
        for op in &group {
            for change in diff.iter_changes(op) {
                let word = change.value();
                match change.tag() {
                    ChangeTag::Equal if word.contains('\n') => {
                        if changed {
                            finish(&mut out, std::mem::replace(&mut h, fresh()), starts, true);
                            changed = false;
                        } else {
                            h = fresh();
                        }
                        starts = true;
                    }
                    ChangeTag::Equal => {
                        add(&mut h.before, word, false);
                        add(&mut h.after, word, false);
                    }
                    ChangeTag::Delete => {
                        add(&mut h.before, word, true);
                        changed = true;
                    }
                    ChangeTag::Insert => {
                        add(&mut h.after, word, true);
                        changed = true;
                    }
                }
            }
        }
        if changed {
            finish(&mut out, h, starts, ends);
        }
    }
    out
}

/// Add `word` to the last piece if it is of the same kind; whitespace
/// joins whichever piece it follows.
fn add(pieces: &mut Vec<Piece>, word: &str, changed: bool) {
    let space = word.trim().is_empty();
    let word = if space { " " } else { word };
    match pieces.last_mut() {
        Some(last) if last.changed == changed || (space && !last.changed) => {
            if !(space && last.text.ends_with(' ')) {
                last.text.push_str(word);
            }
        }
        _ if space => pieces.push(Piece {
            text: " ".into(),
            changed: false,
        }),
        _ => pieces.push(Piece {
            text: word.to_string(),
            changed,
        }),
    }
}

/// Spaces at the edges of changed words belong to the context; an
/// ellipsis marks context cut short.
fn tidy(pieces: &mut Vec<Piece>, starts: bool, ends: bool) {
    let mut out: Vec<Piece> = Vec::new();
    for p in pieces.drain(..) {
        if p.changed {
            let lead = p.text.len() - p.text.trim_start().len();
            let trail = p.text.len() - p.text.trim_end().len();
            if lead > 0 {
                push_plain(&mut out, " ");
            }
            let core = p.text.trim();
            if !core.is_empty() {
                out.push(Piece {
                    text: core.to_string(),
                    changed: true,
                });
            }
            if trail > 0 {
                push_plain(&mut out, " ");
            }
        } else {
            push_plain(&mut out, &p.text);
        }
    }
    if let Some(first) = out.first_mut().filter(|p| !p.changed) {
        first.text = first.text.trim_start().to_string();
        if !starts {
            first.text.insert_str(0, "… ");
        }
    } else if !starts {
        out.insert(
            0,
            Piece {
                text: "… ".into(),
                changed: false,
            },
        );
    }
    if let Some(last) = out.last_mut().filter(|p| !p.changed) {
        last.text = last.text.trim_end().to_string();
        if !ends {
            last.text.push_str(" …");
        }
    } else if !ends {
        out.push(Piece {
            text: " …".into(),
            changed: false,
        });
    }
    out.retain(|p| !p.text.is_empty());
    *pieces = out;
}

fn push_plain(out: &mut Vec<Piece>, text: &str) {
    match out.last_mut() {
        Some(last) if !last.changed => {
            if !(text == " " && last.text.ends_with(' ')) {
                last.text.push_str(text);
            }
        }
        _ => out.push(Piece {
            text: text.to_string(),
            changed: false,
        }),
    }
}

fn marked(pieces: &[Piece], open: &str, close: &str) -> String {
    let mut s = String::new();
    for p in pieces {
        if p.changed {
            s.push_str(open);
            s.push_str(&p.text);
            s.push_str(close);
        } else {
            s.push_str(&p.text);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_number_is_shown_in_its_sentence() {
        let old =
            "We wrote to every customer. We believe 1,240 customers were affected. We are sorry.";
        let new =
            "We wrote to every customer. We believe 1,310 customers were affected. We are sorry.";
        let h = hunks(old, new);
        assert_eq!(h.len(), 1);
        assert_eq!(
            h[0].before_text(),
            "… wrote to every customer. We believe [1,240] customers were affected. We are sorry."
        );
        assert_eq!(
            h[0].after_text(),
            "… wrote to every customer. We believe [1,310] customers were affected. We are sorry."
        );
    }

    #[test]
    fn far_apart_changes_are_separate_and_added_words_show() {
        let words: Vec<String> = (0..60).map(|i| format!("w{i}")).collect();
        let old = words.join(" ");
        let new = old.replace("w3 ", "w3 new ").replace("w50", "fifty");
        let h = hunks(&old, &new);
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].before_text(), "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 …");
        assert_eq!(h[0].after_text(), "w0 w1 w2 w3 [new] w4 w5 w6 w7 w8 w9 …");
        assert_eq!(
            h[1].before_text(),
            "… w44 w45 w46 w47 w48 w49 [w50] w51 w52 w53 w54 w55 w56 …"
        );
        assert_eq!(
            h[1].after_text(),
            "… w44 w45 w46 w47 w48 w49 [fifty] w51 w52 w53 w54 w55 w56 …"
        );
    }

    #[test]
    fn a_change_is_shown_on_its_own_line() {
        let old = "Notice\nOccurred: 2026-11-09T21:14:00Z to 2026-11-16T08:40:00Z\nPeople affected: 1,112\nData involved: Names, Postal addresses, Email addresses";
        let new = old.replace("1,112", "1,252");
        let h = hunks(old, &new);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].before_text(), "People affected: [1,112]");
        assert_eq!(h[0].after_text(), "People affected: [1,252]");
        // Two changes on two lines near each other: two hunks.
        let new = new.replace("Names,", "Names and");
        let h = hunks(old, &new);
        assert_eq!(h.len(), 2, "{h:?}");
        assert_eq!(
            h[1].after_text(),
            "Data involved: [Names and] Postal addresses, Email addresses"
        );
    }

    #[test]
    fn the_same_text_has_no_changes() {
        assert!(hunks("same words", "same words").is_empty());
        assert_eq!(hunks("", "new").len(), 1);
    }
}
