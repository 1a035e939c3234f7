//! "Did you mean": the known names closest to a mistyped rule id, rule name, set or pass, as
//! clap suggests subcommands and flags (Jaro-Winkler similarity, case folded).

/// How similar (0 to 1) a known name must be to be suggested.
const SIMILAR: f64 = 0.8;

/// Names suggested at most.
const SHOWN: usize = 3;

/// The known names most similar to `wanted`, best first (at most three, each once).
pub fn similar<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let wanted = wanted.to_lowercase();
    let mut scored: Vec<(f64, &str)> = known
        .into_iter()
        .map(|name| (strsim::jaro_winkler(&wanted, &name.to_lowercase()), name))
        .filter(|(score, _)| *score > SIMILAR)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let mut names: Vec<&str> = Vec::new();
    for (_, name) in scored {
        if !names.contains(&name) && names.len() < SHOWN {
            names.push(name);
        }
    }
    names
}

/// `; did you mean NAME?` (or `... A, B or C?`) for a message, or nothing when no name is near.
pub fn did_you_mean(names: &[impl AsRef<str>]) -> String {
    let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => format!("; did you mean {one}?"),
        [rest @ .., last] => format!("; did you mean {} or {last}?", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_are_suggested_best_first() {
        let known = [
            "NAV001",
            "skip-links",
            "back-to-top",
            "skip-links",
            "DEDUPE",
            "REJOIN",
            "share-buttons",
        ];
        let cases: &[(&str, &[&str])] = &[
            ("skip-link", &["skip-links"]),
            ("Skip-Links", &["skip-links"]),
            ("nav01", &["NAV001"]),
            ("dedup", &["DEDUPE"]),
            ("back-top", &["back-to-top"]),
            ("zzz", &[]),
            ("", &[]),
        ];
        for (wanted, want) in cases {
            assert_eq!(similar(wanted, known), *want, "{wanted:?}");
        }
    }

    #[test]
    fn at_most_three_are_suggested() {
        let known = ["WP001", "WP002", "WP003", "WP004", "WP005"];
        assert_eq!(similar("WP00", known), ["WP001", "WP002", "WP003"]);
    }

    #[test]
    fn suggestions_read_as_a_question() {
        assert_eq!(did_you_mean(&[] as &[&str]), "");
        assert_eq!(did_you_mean(&["a"]), "; did you mean a?");
        assert_eq!(did_you_mean(&["a", "b", "c"]), "; did you mean a, b or c?");
    }
}
