//! Preservation: a sanitizer that deletes everything is safe and useless.
//! Over the benign canvas corpus (`tests/data/canvas-benign/`, see its
//! README), the share of documents whose visible text and element
//! structure (parsed by the oracle's own html5ever parse) survive at the
//! `Markup` level.

use std::path::Path;

use secfuzz::canvas::oracle::{judge_preserved, structure};
use secfuzz::canvas::{Level, Sanitizer};

/// The benign corpus: `(file name, text)`.
pub fn corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/canvas-benign");
    let mut docs: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    docs.sort();
    docs
}

#[test]
fn at_least_99_percent_of_benign_canvases_survive_at_markup() {
    let docs = corpus();
    assert!(docs.len() >= 80, "{}", docs.len());
    let s = Sanitizer::new(Level::Markup);
    let mut lost = Vec::new();
    for (name, html) in &docs {
        let result = s.sanitize(html);
        if let Err(v) = judge_preserved(html, &result) {
            lost.push(format!("{name}: {v}"));
        }
    }
    let kept = docs.len() - lost.len();
    eprintln!(
        "preservation at markup: {kept} of {} benign canvases ({:.1} %) keep their visible text and element structure",
        docs.len(),
        100.0 * kept as f64 / docs.len() as f64
    );
    assert!(kept * 100 >= docs.len() * 99, "lost:\n{}", lost.join("\n"));
    // The measure can fail: the text level keeps the text but not the
    // structure of any of them.
    let text = Sanitizer::new(Level::Text);
    for (name, html) in &docs {
        let out = text.sanitize(html).unwrap();
        assert_eq!(structure(&out).text, structure(html).text, "{name}");
        assert!(judge_preserved(html, &Ok(out)).is_err(), "{name}");
    }
}
