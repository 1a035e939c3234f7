//! `boilerstrip mine` and `clean --learn` on a generated multi-site corpus with known planted
//! boilerplate: every planted line is found and removed, every article sentence survives, and
//! the output is the same at any thread count.

use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use predicates::str::contains;
use tempfile::TempDir;

use crate::common;
use common::boilerstrip;

const SITES: &[&str] = &["harbour", "valley", "summit"];
const DOCS_PER_SITE: usize = 6;

/// The boilerplate planted on every page of a site: head lines and tail lines.
fn planted(site: &str) -> (Vec<String>, Vec<String>) {
    let head = vec![
        format!("{site} Gazette Weekend Edition"),
        "Sections | Local | Coast | Council | Weather".to_string(),
        // A long navigation label: eligible only because it is in the head zone.
        format!(
            "Local Coast Council Weather Ferries Schools Markets Harbours Letters Puzzles \
             Obituaries {site} Archive Podcasts"
        ),
    ];
    let tail = vec![
        format!("Read more from our {site} desk"),
        format!("Listen to the {site} Hour podcast every Friday"),
        "Tip us off at the newsroom".to_string(),
    ];
    (head, tail)
}

/// Deterministic pseudo-random words.
struct Words(u64);

impl Words {
    const LIST: &'static [&'static str] = &[
        "council",
        "ferry",
        "harbour",
        "residents",
        "budget",
        "plan",
        "vote",
        "market",
        "storm",
        "bridge",
        "school",
        "teachers",
        "road",
        "tide",
        "fishermen",
        "season",
        "mayor",
        "rain",
        "festival",
        "museum",
        "library",
        "workers",
        "pier",
        "lighthouse",
        "garden",
        "river",
    ];

    fn next(&mut self) -> &'static str {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        Self::LIST[(self.0 >> 33) as usize % Self::LIST.len()]
    }

    fn sentence(&mut self, words: usize) -> String {
        let mut s: Vec<&str> = (0..words).map(|_| self.next()).collect();
        s.insert(0, "The");
        format!("{}.", s.join(" "))
    }
}

/// Wire copy printed on every page of every site: a long sentence, article text.
const WIRE: &str = "The regional weather service said on Monday that the storm would reach the \
                    coast by Thursday evening and bring heavy rain to the harbour towns.";

/// One page: planted head, a unique headline, article sentences (some short), planted tail.
/// Returns the text and its article lines.
fn page(site: &str, n: usize) -> (String, Vec<String>) {
    let mut words = Words((n as u64 + 1) * 7919 + site.len() as u64 * 104729);
    let (head, tail) = planted(site);
    // Numbers fold to one symbol when lines are counted, so unique lines differ in words.
    let nth = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth"][n];
    let mut article = vec![format!("{nth} ferry plan splits {site} council")];
    for i in 0..5 {
        article.push(words.sentence(14 + i * 3));
    }
    article.push(format!(
        "{site} mayor answers {} questions",
        nth.to_lowercase()
    )); // short
    article.push(WIRE.to_string());
    // A sentence printed twice in one page is not evidence.
    let twice = words.sentence(9);
    article.push(twice.clone());
    article.push(twice);
    let mut text = String::new();
    for line in head.iter().chain(&article).chain(&tail) {
        text.push_str(line);
        text.push_str("\n\n");
    }
    (text, article)
}

/// The corpus under `dir/<site>/page-N.txt`; returns every article line.
fn corpus(dir: &Path) -> Vec<String> {
    let mut article = Vec::new();
    for site in SITES {
        for n in 0..DOCS_PER_SITE {
            let (text, lines) = page(site, n);
            let path = dir.join(site).join(format!("page-{n}.txt"));
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
            article.extend(lines);
        }
    }
    article
}

fn all_planted() -> Vec<String> {
    SITES
        .iter()
        .flat_map(|site| {
            let (head, tail) = planted(site);
            head.into_iter().chain(tail)
        })
        .collect()
}

fn mine(input: &Path, rules: &Path, threads: &str) -> String {
    let out = boilerstrip()
        .arg("mine")
        .arg(input)
        .args(["--group-by-dir", "--min-docs", "4", "-j", threads, "-o"])
        .arg(rules)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn phrases(rules: &Path) -> Vec<String> {
    let set = boilerstrip::rule::parse_set(&fs::read_to_string(rules).unwrap(), "mined", "mined")
        .unwrap();
    set.rules
        .into_iter()
        .flat_map(|r| match r.matcher {
            boilerstrip::rule::Matcher::Phrases(p) => p,
            boilerstrip::rule::Matcher::Regex(_) => Vec::new(),
        })
        .collect()
}

#[test]
fn mine_finds_every_planted_line_and_no_article_sentence() {
    let dir = TempDir::new().unwrap();
    let article = corpus(&dir.path().join("in"));
    let rules = dir.path().join("rules.toml");
    let table = mine(&dir.path().join("in"), &rules, "2");
    let found = phrases(&rules);
    for line in all_planted() {
        assert!(
            found.iter().any(|p| p.eq_ignore_ascii_case(&line)),
            "planted line {line:?} not mined; found {found:?}"
        );
    }
    for line in &article {
        assert!(!found.contains(line), "article line {line:?} was mined");
    }
    assert!(table.contains("MINED0001"), "{table}");
    let text = fs::read_to_string(&rules).unwrap();
    assert!(text.contains("documents of"), "{text}");
    assert!(
        text.contains("page-0.txt"),
        "sample paths as comments:\n{text}"
    );
}

#[test]
fn mined_file_passes_check_patterns_and_cleans() {
    let dir = TempDir::new().unwrap();
    let article = corpus(&dir.path().join("in"));
    let rules = dir.path().join("rules.toml");
    mine(&dir.path().join("in"), &rules, "1");
    boilerstrip()
        .arg("check-patterns")
        .arg(&rules)
        .assert()
        .success()
        .stdout(contains("ok:"));
    let out = dir.path().join("out");
    boilerstrip()
        .arg("clean")
        .arg(dir.path().join("in"))
        .arg("-o")
        .arg(&out)
        .arg("--patterns")
        .arg(&rules)
        .assert()
        .success();
    check_cleaned(&out, &article);
}

#[test]
fn mine_is_deterministic_at_any_thread_count() {
    let dir = TempDir::new().unwrap();
    corpus(&dir.path().join("in"));
    let (one, two) = (dir.path().join("one.toml"), dir.path().join("two.toml"));
    let table_one = mine(&dir.path().join("in"), &one, "1");
    let table_two = mine(&dir.path().join("in"), &two, "2");
    assert_eq!(table_one, table_two);
    assert_eq!(fs::read(one).unwrap(), fs::read(two).unwrap());
}

/// Every output page keeps its article lines and has no planted line left.
fn check_cleaned(out: &Path, article: &[String]) {
    let planted = all_planted();
    let mut kept = 0;
    for site in SITES {
        for n in 0..DOCS_PER_SITE {
            let path: PathBuf = out.join(site).join(format!("page-{n}.txt"));
            let text = fs::read_to_string(&path).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            for line in &planted {
                assert!(!lines.contains(&line.as_str()), "{line:?} left in {path:?}");
            }
            let (_, want) = page(site, n);
            for line in &want {
                assert!(
                    lines.contains(&line.as_str()),
                    "{line:?} lost from {path:?}"
                );
                kept += 1;
            }
        }
    }
    assert_eq!(kept, article.len());
}

fn clean_learn(input: &Path, out: &Path, threads: &str) {
    boilerstrip()
        .arg("clean")
        .arg(input)
        .arg("-o")
        .arg(out)
        .args([
            "--learn",
            "--group-by-dir",
            "--learn-min-docs",
            "4",
            "-j",
            threads,
        ])
        .assert()
        .success()
        .stderr(contains("LEARN"));
}

#[test]
fn learn_removes_planted_lines_and_keeps_every_article_sentence() {
    let dir = TempDir::new().unwrap();
    let article = corpus(&dir.path().join("in"));
    let out = dir.path().join("out");
    clean_learn(&dir.path().join("in"), &out, "2");
    check_cleaned(&out, &article);
}

#[test]
fn learn_is_deterministic_at_any_thread_count() {
    let dir = TempDir::new().unwrap();
    corpus(&dir.path().join("in"));
    let (one, two) = (dir.path().join("one"), dir.path().join("two"));
    clean_learn(&dir.path().join("in"), &one, "1");
    clean_learn(&dir.path().join("in"), &two, "2");
    for site in SITES {
        for n in 0..DOCS_PER_SITE {
            let name = format!("{site}/page-{n}.txt");
            assert_eq!(
                fs::read(one.join(&name)).unwrap(),
                fs::read(two.join(&name)).unwrap(),
                "{name}"
            );
        }
    }
}

#[test]
fn learn_is_explained_and_can_be_disabled() {
    let dir = TempDir::new().unwrap();
    corpus(&dir.path().join("in"));
    let input = dir.path().join("in");
    let out = boilerstrip()
        .arg("clean")
        .arg(&input)
        .args(["--learn", "--group-by-dir", "--learn-min-docs", "4"])
        .args(["--dry-run", "--explain"])
        .output()
        .unwrap();
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(
        diff.contains("-Tip us off at the newsroom  # LEARN learned-repeats"),
        "{diff}"
    );
    // Disabled, nothing is learned: the planted lines stay.
    let out = boilerstrip()
        .arg("clean")
        .arg(&input)
        .args([
            "--learn",
            "--group-by-dir",
            "--disable",
            "LEARN",
            "--dry-run",
        ])
        .output()
        .unwrap();
    let diff = String::from_utf8(out.stdout).unwrap();
    assert!(!diff.contains("-Tip us off"), "{diff}");
    boilerstrip()
        .args(["explain", "LEARN"])
        .assert()
        .success()
        .stdout(contains("learned-repeats"));
}

#[test]
fn learn_and_mine_group_jsonl_records_by_url_host() {
    let dir = TempDir::new().unwrap();
    let mut jsonl = String::new();
    let mut article = Vec::new();
    for site in SITES {
        for n in 0..DOCS_PER_SITE {
            let (text, lines) = page(site, n);
            article.extend(lines);
            let record = serde_json::json!({
                "url": format!("https://www.{site}.example/news/{n}?ref=x"),
                "text": text,
            });
            jsonl.push_str(&record.to_string());
            jsonl.push('\n');
        }
    }
    let input = dir.path().join("pages.jsonl");
    fs::write(&input, &jsonl).unwrap();
    let out = boilerstrip()
        .arg("clean")
        .arg(&input)
        .args(["--learn", "--group-by", "url", "--learn-min-docs", "4"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let cleaned = String::from_utf8(out.stdout).unwrap();
    let texts: Vec<String> = cleaned
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["text"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(texts.len(), SITES.len() * DOCS_PER_SITE);
    let all: Vec<&str> = texts.iter().flat_map(|t| t.lines()).collect();
    for line in all_planted() {
        assert!(!all.contains(&line.as_str()), "{line:?} left");
    }
    for line in &article {
        assert!(all.contains(&line.as_str()), "{line:?} lost");
    }
    // mine sees the same groups, named by host.
    let rules = dir.path().join("rules.toml");
    boilerstrip()
        .arg("mine")
        .arg(&input)
        .args(["--group-by", "url", "--min-docs", "4", "-o"])
        .arg(&rules)
        .assert()
        .success()
        .stdout(contains("harbour.example"));
}

#[test]
fn the_audit_report_records_learn_and_its_hits() {
    let dir = TempDir::new().unwrap();
    corpus(&dir.path().join("in"));
    let report = dir.path().join("report.json");
    boilerstrip()
        .arg("clean")
        .arg(dir.path().join("in"))
        .args([
            "--learn",
            "--group-by-dir",
            "--learn-min-docs",
            "4",
            "--dry-run",
        ])
        .arg("--report")
        .arg(&report)
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&report).unwrap()).unwrap();
    assert_eq!(json["options"]["learn"]["min_docs"], 4);
    assert_eq!(json["options"]["learn"]["group_by_dir"], true);
    let rules = json["rules"].as_array().unwrap();
    let learn = rules
        .iter()
        .find(|r| r["id"] == "LEARN")
        .expect("LEARN listed");
    assert_eq!(learn["name"], "learned-repeats");
    // 6 planted lines on each of 18 pages.
    assert_eq!(learn["lines_removed"], 6 * 18);
}

/// `-o FILE` never replaces an input; a rules file in the input directory (which the globs do
/// not take) is fine, and is written whole (atomically).
#[test]
fn mined_rules_never_replace_an_input() {
    let dir = TempDir::new().unwrap();
    corpus(dir.path());
    let input = dir.path().join("harbour/page-0.txt");
    let before = fs::read_to_string(&input).unwrap();
    boilerstrip()
        .arg("mine")
        .arg(dir.path())
        .arg("-o")
        .arg(&input)
        .assert()
        .code(2)
        .stderr(contains("would replace an input file"));
    assert_eq!(fs::read_to_string(&input).unwrap(), before);
    let rules = dir.path().join("mined.toml");
    mine(dir.path(), &rules, "2");
    assert!(!phrases(&rules).is_empty());
    let names: Vec<PathBuf> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    assert_eq!(names, [rules], "no temporary file is left");
}

/// `mine --group-by FIELD` on records without FIELD put them all in one group, `(none)`,
/// without a word (issue 22): the first five are warned about, the rest counted, and an input
/// none of whose records has the field fails.
#[test]
fn group_by_a_field_no_record_has_is_reported_and_fails() {
    let dir = TempDir::new().unwrap();
    let record = |url: Option<&str>| {
        let mut record = serde_json::json!({"text": "Subscribe to our newsletter\nA line."});
        if let Some(url) = url {
            record["url"] = url.into();
        }
        format!("{record}\n")
    };
    let none = dir.path().join("none.jsonl");
    fs::write(&none, record(None).repeat(8)).unwrap();
    let out = boilerstrip()
        .arg("mine")
        .arg(&none)
        .args(["--group-by", "nosuchfield"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warned = stderr
        .matches("no field \"nosuchfield\" to group by")
        .count();
    assert_eq!(warned, 5, "the first five records: {stderr}");
    assert!(stderr.contains("none.jsonl:5: no field"), "{stderr}");
    assert!(!stderr.contains("none.jsonl:6: no field"), "{stderr}");
    assert!(
        stderr.contains("3 more records without the field"),
        "{stderr}"
    );
    assert!(
        stderr.contains("none.jsonl: no record has the field \"nosuchfield\""),
        "{stderr}"
    );

    // Some records with the field: the others are warned about, and that is all.
    let some = dir.path().join("some.jsonl");
    let mixed = [record(Some("https://a.example/1")), record(None)].concat();
    fs::write(&some, mixed.repeat(3)).unwrap();
    boilerstrip()
        .arg("mine")
        .arg(&some)
        .args(["--group-by", "url"])
        .assert()
        .success()
        .stderr(contains("some.jsonl:2: no field \"url\" to group by"))
        .stderr(contains("no record has").not());
}

/// `mine` takes the walk flags of `clean`: --exclude leaves a subtree out (issue 22).
#[test]
fn mine_excludes_what_clean_excludes() {
    let dir = TempDir::new().unwrap();
    for (sub, banner) in [("keep", "Alpha banner line"), ("skip", "Beta banner line")] {
        for n in 0..3 {
            let text = format!("{banner}\n\nArticle {sub} number {n} has its own words.\n");
            common::write(dir.path(), &format!("{sub}/doc{n}.txt"), text);
        }
    }
    let out = boilerstrip()
        .arg("mine")
        .arg(dir.path())
        .args(["--exclude", "skip"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rules = String::from_utf8(out.stdout).unwrap();
    assert!(rules.contains("Alpha banner line"), "{rules}");
    assert!(!rules.contains("Beta banner line"), "{rules}");
}

/// Regression (issue 19): `mine` printed a document's U+202E (and other bidi and control
/// characters) raw, in the rules on stdout, where they reorder what the reviewer reads ("Trojan
/// Source"). The rules write them as TOML escapes, which parse back to the same line; the
/// table and comments show a stand-in, as `clean`'s messages do.
#[test]
fn mined_lines_cannot_drive_the_terminal() {
    let dir = TempDir::new().unwrap();
    let line = "Follow us \u{202E}on Twitter \u{1b}[31mnow\u{2066}";
    // The group (a directory name) carries an escape and an override too.
    let site = dir.path().join("in/site\u{1b}[2J\u{202E}x");
    for k in 0..5 {
        common::write(
            &site,
            &format!("d{k}.txt"),
            format!("Article {k} is about the new bridge over the river.\n{line}\n"),
        );
    }
    let raw = |text: &[u8]| {
        let text = String::from_utf8_lossy(text);
        text.chars()
            .find(|&c| matches!(c, '\u{1b}' | '\u{202E}' | '\u{2066}'))
    };
    let run = boilerstrip()
        .arg("mine")
        .arg(dir.path().join("in"))
        .args(["--group-by-dir", "--min-docs", "4"])
        .assert()
        .success();
    let output = run.get_output();
    assert_eq!(raw(&output.stdout), None, "raw in the rules");
    assert_eq!(raw(&output.stderr), None, "raw in the table");
    let rules = String::from_utf8_lossy(&output.stdout);
    assert!(rules.contains(r"Follow us \u202Eon Twitter"), "{rules}");
    // With -o, the table goes to stdout and the file has the escapes.
    let file = dir.path().join("rules.toml");
    let run = boilerstrip()
        .arg("mine")
        .arg(dir.path().join("in"))
        .args(["--group-by-dir", "--min-docs", "4", "-o"])
        .arg(&file)
        .assert()
        .success();
    assert_eq!(raw(&run.get_output().stdout), None, "raw in the table");
    let text = fs::read(&file).unwrap();
    assert_eq!(raw(&text), None, "raw in the file");
    // The escapes parse back to the line as it was read.
    let set = boilerstrip::rule::parse_set(&String::from_utf8(text).unwrap(), "m", "m").unwrap();
    let phrases: Vec<String> = set
        .rules
        .iter()
        .filter_map(|r| match &r.matcher {
            boilerstrip::rule::Matcher::Phrases(p) => Some(p.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert!(
        phrases.iter().any(|p| p.contains('\u{202E}')),
        "{phrases:?}"
    );
}
