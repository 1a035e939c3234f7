//! The comment-section pass (`COMMENTS`): finds a reader-comment thread at the end of a
//! document by its structure and cuts it off.
//!
//! A tail rule such as `Leave a Reply` may only cut when less text follows it than precedes it
//! (see the pattern README), so that a marker printed above the article takes nothing with it.
//! A lively comment thread is often longer than the article it follows, and then the guard keeps
//! it. What marks a thread for certain is not its header but its shape: every comment carries a
//! **signature**, the commenter's name with a date and time, printed by the blog software
//! (`Posted by: Ellen at September 10, 2012 11:40 AM`, `2 Dawn Camp November 7, 2012 at 6:57
//! AM`, `Matt 11.06.12 at 7:53 pm`, `Jane says:`), and the signatures follow each other every
//! few lines down to the end of the document.
//!
//! So the pass looks for a **run of signatures** that
//!
//! * has at least [`CommentOptions::min_signatures`] signatures,
//! * has no more than [`CommentOptions::max_gap_lines`] non-blank lines between one signature
//!   and the next, nor after the last one (the thread reaches the end of the document),
//! * begins at the first signature of the document, after at least
//!   [`CommentOptions::min_article_words`] words of text (none by default),
//! * and is marked as comments: by signatures only a comment has (`Posted by: NAME at DATE`,
//!   `NAME says:`), at least as many as a run needs, or by a comment header (`Comments`,
//!   `12 Responses to …`, `{ 4 comments… read them below or add one }`) just above its first
//!   signature or just below it. A run of bare name-date-time lines without a header could be
//!   the timeline that ends an article, and is kept.
//!
//! The run is cut, from its first signature to the end, or from a comment header
//! (`Comments`, `12 Responses to …`, `Leave a Reply`) a few lines above it, which also takes the
//! first comment of blogs that print the signature below the comment. An article quoting a few
//! dated messages in its body is not cut: the run must reach the end of the document. Trackback
//! lines (`Tracked on Apr 2, 2007 8:49:51 AM`) are not signatures.
//!
//! A text that is a thread from its first lines on (an extractor that returned the comments
//! instead of the article) is cut whole and comes out empty or nearly: it holds no article.
//! Whoever cleans forum threads, where the posts are the content, sets
//! [`CommentOptions::min_article_words`] (80 keeps such texts whole) or disables the pass.

use std::sync::OnceLock;

use regex::Regex;

use crate::passes;
pub use crate::passes::COMMENTS;

/// Thresholds of the comment-section pass. Every field is a documented option.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CommentOptions {
    /// Words of text needed above the first signature of a cut run (the article); 0 cuts a text
    /// that is all comments, too.
    pub min_article_words: usize,
    /// Signatures a run needs.
    pub min_signatures: usize,
    /// Most non-blank lines from one signature to the next, and after the last one.
    pub max_gap_lines: usize,
    /// Non-blank lines above the first signature searched for a comment header.
    pub header_lines: usize,
}

impl Default for CommentOptions {
    fn default() -> Self {
        CommentOptions {
            min_article_words: 0,
            min_signatures: 3,
            max_gap_lines: 15,
            header_lines: 5,
        }
    }
}

/// Longest line (in bytes) that may be a signature or a header.
const MAX_SIGNATURE_LEN: usize = 150;

/// Most words of a signature (a name, a date and a time).
const MAX_SIGNATURE_WORDS: usize = 16;

/// The two kinds of signature: `[strong, dated]`. A strong one can only be a comment's
/// (`Posted by: NAME at DATE`, `NAME says:`, `NAME on DATE at TIME said:`); a dated one, a name
/// with a date and a time, could also be an entry of a timeline, so a run of them needs a
/// comment header.
fn signatures() -> &'static [Regex; 2] {
    static RE: OnceLock<[Regex; 2]> = OnceLock::new();
    RE.get_or_init(|| {
        let month = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?";
        let time = r"[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})? *(?:[ap]\.?m\.?)?";
        let date = format!(
            r"(?:{month} +[0-9]{{1,2}},? +[0-9]{{4}}|[0-9]{{1,2}}\.? +{month},? +[0-9]{{4}}|[0-9]{{1,2}}[./-][0-9]{{1,2}}[./-][0-9]{{2,4}})"
        );
        let strong = [
            // TypePad / Movable Type: "Posted by: Ellen at September 10, 2012 11:40 AM",
            // "Posted by: Jeff | Mar 21, 2007 8:22:53 AM"
            r"^(?:posted|written|submitted|publié|publicado|pubblicato|geschrieben) (?:by|par|por|da|von) *: *[^ ].*?(?: at | on | le | el | em | il | am |\|).*[0-9]"
                .to_string(),
            // "Jane says:", "Jean dit :", "Hans sagt:"
            r"^[^ ].* +(?:says|dit|dice|sagt|schreibt|diz|escribe|scrive) *:$".to_string(),
            // "Shea on October 14, 2012 at 6:12 pm said:"
            format!(r"^[^ ].* +on +{date} *(?:at|@|,)? *{time} +said *:$"),
        ]
        .join("|");
        // Name (optionally numbered), date and time: "2 Dawn Camp November 7, 2012 at 6:57 AM"
        let dated = format!(
            r"^(?:[0-9]{{1,4}}\.? +)?[^ ].*? +{date} *(?:at|@|-|,|\||à|um|a las|alle|às)? *{time}$"
        );
        [strong, dated].map(|p| Regex::new(&format!("(?i){p}")).expect("signatures compile"))
    })
}

fn header() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)^(?:[0-9]+ +|one +|no +)?(?:comments?|responses?|replies|reactions|reader comments|discussion|thoughts on .*|responses? to .*|comments? on .*|kommentare?|commentaires?|comentarios?|commenti|comentários?) *(?:\([0-9]+\))? *:?$|^(?:leave|post|add|write) (?:a|your) (?:reply|comment|response)|^\{ *[0-9]+ (?:comments?|responses?)(?-u:\b).*\}$",
        )
        .expect("the comment header pattern compiles")
    })
}

/// What kind of comment signature a line is, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signature {
    /// Only a comment has it (`Posted by: NAME at DATE`, `NAME says:`).
    Strong,
    /// A name with a date and a time (`2 Dawn Camp November 7, 2012 at 6:57 AM`).
    Dated,
}

pub(crate) fn signature(line: &str) -> Option<Signature> {
    // Every form has a colon (`Posted by:`, `says:`, the time) and ends in a digit, a colon or
    // the `AM`/`p.m.` of a time: a cheap test that most lines fail.
    let plausible = line.len() <= MAX_SIGNATURE_LEN
        && line.ends_with(|c: char| c.is_ascii_digit() || matches!(c, ':' | 'M' | 'm'))
            | line.ends_with("m.")
            | line.ends_with("M.")
        && memchr::memchr(b':', line.as_bytes()).is_some()
        && !line
            .get(..11)
            .is_some_and(|s| s.eq_ignore_ascii_case("tracked on "));
    if !plausible || passes::space_words(line, MAX_SIGNATURE_WORDS + 1) > MAX_SIGNATURE_WORDS {
        return None;
    }
    let [strong, dated] = signatures();
    if strong.is_match(line) {
        Some(Signature::Strong)
    } else if dated.is_match(line) {
        Some(Signature::Dated)
    } else {
        None
    }
}

/// The comment section of `lines` (the index of the line from which every line is part of it),
/// given their signatures (indexes, in order). Most documents have none, and in a long text with
/// signatures here and there, the first gap too wide between two of them settles it: lines are
/// looked at only as far as needed.
pub(crate) fn section<'a>(
    len: usize,
    line: impl Fn(usize) -> &'a str,
    found: Vec<(usize, Signature)>,
    options: &CommentOptions,
) -> Option<usize> {
    if found.len() < options.min_signatures.max(1) {
        return None;
    }
    // Gaps are counted in non-blank lines (a signature is never blank), from one signature to
    // the next and from the last one to the end of the text.
    let first = found[0].0;
    let widest = options.max_gap_lines + 1;
    let (mut next, mut gap) = (1, 0);
    for i in first + 1..len {
        if line(i).is_empty() {
            continue;
        }
        gap += 1;
        if gap > widest {
            return None;
        }
        if found.get(next).is_some_and(|&(at, _)| at == i) {
            next += 1;
            gap = 0;
        }
    }
    if gap + 1 > widest {
        return None;
    }
    // The article above the thread: only whether it has enough words counts.
    let mut words = 0;
    for i in 0..first {
        if words >= options.min_article_words {
            break;
        }
        words += line(i).split_whitespace().count();
    }
    if words < options.min_article_words {
        return None;
    }
    let is_header = |i: usize| line(i).len() <= MAX_SIGNATURE_LEN && header().is_match(line(i));
    let nonblank = |range: std::ops::Range<usize>| range.filter(|&i| !line(i).is_empty());
    // The highest header among the last few non-blank lines above the first signature.
    let mut above: Vec<usize> = nonblank(0..first)
        .rev()
        .take(options.header_lines)
        .collect();
    above.reverse();
    let header = above.into_iter().find(|&i| is_header(i));
    // A run of dated signatures could be a timeline: it needs a header, above its first
    // signature or just below it (the article's own signature, then `Comments`).
    let strong = found
        .iter()
        .filter(|(_, s)| *s == Signature::Strong)
        .count();
    let headed = header.is_some() || nonblank(first + 1..len).take(2).any(is_header);
    if strong < options.min_signatures && !headed {
        return None;
    }
    Some(header.unwrap_or(first))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Whether a line is a comment signature (name, date and time, or `NAME says:`).
    fn is_signature(line: &str) -> bool {
        signature(line).is_some()
    }

    /// The comment section of a document, if it has one (`lines` are trimmed lines).
    fn comment_section(lines: &[&str], options: &CommentOptions) -> Option<usize> {
        let found = lines
            .iter()
            .enumerate()
            .filter_map(|(i, line)| signature(line).map(|s| (i, s)))
            .collect();
        section(lines.len(), |i| lines[i], found, options)
    }

    /// [`section`] as it was first written, over an index of every non-blank line: the
    /// reference the early-exit version is checked against.
    fn section_by_index(
        lines: &[&str],
        found: Vec<(usize, Signature)>,
        options: &CommentOptions,
    ) -> Option<usize> {
        if found.len() < options.min_signatures.max(1) {
            return None;
        }
        let idx: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_empty()).collect();
        let kinds: Vec<(usize, Signature)> = found
            .iter()
            .map(|&(i, s)| (idx.binary_search(&i).expect("a non-blank line"), s))
            .collect();
        let sigs: Vec<usize> = kinds.iter().map(|&(k, _)| k).collect();
        let first = sigs[0];
        let close = sigs
            .windows(2)
            .map(|w| w[1] - w[0])
            .chain([idx.len() - sigs[sigs.len() - 1]])
            .all(|gap| gap <= options.max_gap_lines + 1);
        let words: usize = idx[..first]
            .iter()
            .map(|&i| lines[i].split_whitespace().count())
            .sum();
        if !close || words < options.min_article_words {
            return None;
        }
        let is_header =
            |k: usize| lines[idx[k]].len() <= MAX_SIGNATURE_LEN && header().is_match(lines[idx[k]]);
        let header = (first.saturating_sub(options.header_lines)..first).find(|&k| is_header(k));
        let strong = kinds
            .iter()
            .filter(|(_, s)| *s == Signature::Strong)
            .count();
        let headed = header.is_some() || (first + 1..idx.len().min(first + 3)).any(is_header);
        if strong < options.min_signatures && !headed {
            return None;
        }
        Some(idx[header.unwrap_or(first)])
    }

    proptest! {
        #[test]
        fn section_agrees_with_the_indexed_version(
            picks in proptest::collection::vec(0usize..7, 0..60),
            min_article_words in 0usize..40,
            max_gap_lines in 0usize..6,
            header_lines in 0usize..4,
            min_signatures in 0usize..4,
        ) {
            let shapes = [
                "",
                "",
                PROSE,
                "Comments",
                "Posted by: Ellen at September 10, 2012 11:40 AM",
                "Matt 11.06.12 at 7:53 pm",
                "Great post, thanks.",
            ];
            let lines: Vec<&str> = picks.iter().map(|&k| shapes[k]).collect();
            let options = CommentOptions {
                min_article_words,
                max_gap_lines,
                header_lines,
                min_signatures,
            };
            let found: Vec<(usize, Signature)> = lines
                .iter()
                .enumerate()
                .filter_map(|(i, line)| signature(line).map(|s| (i, s)))
                .collect();
            prop_assert_eq!(
                section(lines.len(), |i| lines[i], found.clone(), &options),
                section_by_index(&lines, found, &options)
            );
        }
    }

    const PROSE: &str = "The council met on Monday to discuss the future of the old bridge, \
                         which has been closed to traffic since the floods of last winter.";

    #[test]
    fn signature_shapes() {
        let yes = [
            "Posted by: Ellen at September 10, 2012 11:40 AM",
            "Posted by: James Snell | Mar 20, 2007 11:59:09 PM",
            "31 Theresa Payne November 8, 2012 at 11:21 AM",
            "Matt 11.06.12 at 7:53 pm",
            "Andrew Moylan 07.19.12 at 07:57",
            "Jane says:",
            "Shea on October 14, 2012 at 6:12 pm said:",
            "Posted by: tom3465, farnworth on 8:21pm Tue 1 Jan 08",
        ];
        let no = [
            "Tracked on Apr 2, 2007 8:49:51 AM",
            "The vote is set for November 7, 2012 at 6:57 AM, the clerk said.",
            "January 12, 2008 08:57am",
            "Posted by Kathy on March 20, 2007 | Permalink",
            "In a wide-ranging interview, President Obama also said:",
        ];
        for line in yes {
            assert!(is_signature(line), "{line}");
        }
        for line in no {
            assert!(!is_signature(line), "{line}");
        }
    }

    fn thread(doc: &mut Vec<&'static str>, n: usize) {
        for _ in 0..n {
            doc.push("Posted by: Ellen at September 10, 2012 11:40 AM");
            doc.push("Great post, thanks for writing it.");
        }
    }

    #[test]
    fn a_thread_longer_than_the_article_is_cut_at_its_header() {
        let mut doc = vec![PROSE, PROSE, PROSE, PROSE, "Comments", "I love it."];
        thread(&mut doc, 20);
        assert_eq!(comment_section(&doc, &CommentOptions::default()), Some(4));
    }

    #[test]
    fn without_a_header_the_cut_starts_at_the_first_signature() {
        let mut doc = vec![PROSE, PROSE, PROSE, PROSE, "", "Nice."];
        thread(&mut doc, 3);
        assert_eq!(comment_section(&doc, &CommentOptions::default()), Some(6));
    }

    #[test]
    fn too_few_signatures_or_too_little_article_cut_nothing() {
        let o = CommentOptions::default();
        let mut doc = vec![PROSE, PROSE, PROSE, PROSE];
        thread(&mut doc, 2);
        assert_eq!(comment_section(&doc, &o), None);
        // With a least article size, a text that is all comments is left alone...
        let o = CommentOptions {
            min_article_words: 80,
            ..CommentOptions::default()
        };
        let mut doc = vec![PROSE];
        thread(&mut doc, 5);
        assert_eq!(comment_section(&doc, &o), None);
        // ...and by default it is cut from its header.
        let mut doc = vec!["Bridge plans", "{ 5 comments… read them below or add one }"];
        thread(&mut doc, 5);
        assert_eq!(comment_section(&doc, &CommentOptions::default()), Some(1));
    }

    #[test]
    fn a_timeline_at_the_end_of_the_article_is_kept() {
        let mut doc = vec![PROSE, PROSE, PROSE, PROSE, "Timeline"];
        for entry in [
            "Alarm raised March 3, 2024 at 9:15 AM",
            "Crews on site March 3, 2024 at 9:40 AM",
            "Fire out March 3, 2024 at 1:05 PM",
        ] {
            doc.push(entry);
            doc.push("Crews from three towns worked through the morning.");
        }
        assert_eq!(comment_section(&doc, &CommentOptions::default()), None);
        // The same shape under a comment header is a thread.
        doc[4] = "3 Comments";
        assert_eq!(comment_section(&doc, &CommentOptions::default()), Some(4));
    }

    #[test]
    fn dated_messages_quoted_mid_article_are_kept() {
        let mut doc = vec![PROSE, PROSE, PROSE, PROSE];
        thread(&mut doc, 3);
        doc.extend(std::iter::repeat_n(PROSE, 20));
        assert_eq!(comment_section(&doc, &CommentOptions::default()), None);
    }
}
