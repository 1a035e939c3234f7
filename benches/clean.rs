//! Micro-benchmarks of `Cleaner::clean` with the default sets on typical documents, built from
//! the project's own corpus, and of one JSONL record (its field read alone, and the record
//! cleaned). Run with `cargo bench --bench clean`.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use std::fs;

use boilerstrip::{jsonl, Cleaner};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn corpus(name: &str) -> String {
    fs::read_to_string(format!("corpus/input/{name}.txt")).expect("corpus file")
}

/// The documents: a short news item, a long article, a raw page dump, a junk-heavy tail.
fn documents() -> Vec<(&'static str, String)> {
    let short = corpus("15-short-bridge-closed");
    let long: String = [
        "01-senate-budget-vote",
        "03-alpine-glacier-study",
        "09-album-review-salt-roads",
        "22-opinion-downtown-parking",
    ]
    .iter()
    .map(|n| corpus(n))
    .collect::<Vec<_>>()
    .join("\n\n");
    let mut page = String::new();
    for item in [
        "Home", "News", "Sports", "Business", "Search", "Sign In", "Menu",
    ] {
        page.push_str(item);
        page.push('\n');
    }
    page.push_str(&corpus("28-missing-hiker-search"));
    for item in [
        "About us",
        "Contact",
        "Privacy policy",
        "Terms of use",
        "Advertise",
        "Careers",
    ] {
        page.push_str(item);
        page.push('\n');
    }
    page.push_str("Copyright © 2024 Example Media Group. All Rights Reserved.\n");
    let mut tail = corpus("05-library-reopens");
    for i in 0..40 {
        tail.push_str(&format!(
            "\nLeave a Reply\n\nReader {i} wrote: great story, thanks for sharing this with us.\n\nYour email address will not be published.\n"
        ));
    }
    vec![
        ("short-news", short),
        ("long-article", long),
        ("raw-page", page),
        ("junk-tail", tail),
    ]
}

fn bench_clean(c: &mut Criterion) {
    let cleaner = Cleaner::new();
    let mut group = c.benchmark_group("clean");
    for (name, doc) in documents() {
        group.throughput(Throughput::Bytes(doc.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(name), &doc, |b, doc| {
            b.iter(|| cleaner.clean(doc))
        });
    }
    group.finish();
}

/// A JSONL record holding the long article: the field read (parsed and unescaped) alone, and
/// the record cleaned.
fn bench_jsonl(c: &mut Criterion) {
    let cleaner = Cleaner::new();
    let options = jsonl::Options::new();
    let (_, long) = documents().swap_remove(1);
    let line = serde_json::json!({"id": "doc-1", "url": "https://example.com/a", "text": long})
        .to_string();
    let mut group = c.benchmark_group("jsonl");
    group.throughput(Throughput::Bytes(line.len() as u64));
    group.bench_function("read-field", |b| b.iter(|| options.text_of(&line)));
    group.bench_function("clean-record", |b| {
        b.iter(|| options.clean_line(&cleaner, &line))
    });
    group.finish();
}

fn bench_build(c: &mut Criterion) {
    c.bench_function("build-default-cleaner", |b| b.iter(Cleaner::new));
}

criterion_group!(benches, bench_clean, bench_jsonl, bench_build);
criterion_main!(benches);
