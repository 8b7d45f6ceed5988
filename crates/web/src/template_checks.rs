//! Checks over every template file: they hold no words of their own (every
//! word comes from [`crate::i18n`], so each is in both languages), no inline
//! style or script (the pages' Content-Security-Policy forbids both), and
//! mark nothing as safe from escaping except the charts' drawings.

use std::path::{Path, PathBuf};

fn templates() -> Vec<(PathBuf, String)> {
    fn walk(folder: &Path, found: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|extension| extension == "html") {
                let text = std::fs::read_to_string(&path).unwrap();
                found.push((path, text));
            }
        }
    }
    let mut found = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"),
        &mut found,
    );
    assert!(found.len() > 10, "the templates are found");
    found
}

/// `text` without the spans from each `open` to its `close`.
fn without(text: &str, open: &str, close: &str) -> String {
    let mut kept = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        kept.push_str(&rest[..start]);
        match rest[start..].find(close) {
            Some(end) => rest = &rest[start + end + close.len()..],
            None => return kept,
        }
    }
    kept.push_str(rest);
    kept
}

/// The values of attribute `name` in `html`.
fn attribute_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let marker = format!(" {name}=\"");
    let mut values = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&marker) {
        let value = &rest[start + marker.len()..];
        let end = value.find('"').unwrap_or(value.len());
        values.push(&value[..end]);
        rest = &value[end..];
    }
    values
}

#[test]
fn templates_hold_no_words_of_their_own() {
    for (path, text) in templates() {
        let code = without(&without(&without(&text, "{#", "#}"), "{%", "%}"), "{{", "}}");
        for name in ["aria-label", "title", "alt", "placeholder"] {
            for value in attribute_values(&code, name) {
                assert!(
                    !value.chars().any(char::is_alphabetic),
                    "{}: {name}=\"{value}\" is not from the labels",
                    path.display()
                );
            }
        }
        let words = without(&without(&code, "<", ">"), "&", ";");
        let letters: String = words.chars().filter(|c| c.is_alphabetic()).collect();
        assert!(
            letters.is_empty(),
            "{}: words outside the labels: {letters:?}",
            path.display()
        );
    }
}

#[test]
fn templates_have_no_inline_style_or_script_and_escape_everything_but_charts() {
    for (path, text) in templates() {
        let name = path.display().to_string();
        assert!(!text.contains(" style="), "{name}: an inline style");
        assert!(!text.contains("<style"), "{name}: a style element");
        for script in text.match_indices("<script") {
            let tag = &text[script.0
                ..text[script.0..]
                    .find('>')
                    .map_or(text.len(), |end| script.0 + end)];
            assert!(tag.contains(" src="), "{name}: an inline script");
        }
        for handler in ["onclick", "onload", "onsubmit", "onchange", "oninput"] {
            assert!(
                attribute_values(&text, handler).is_empty(),
                "{name}: an event handler"
            );
        }
        let safe = text.matches("|safe").count();
        let allowed = usize::from(name.ends_with("engagement/page.html"));
        assert_eq!(safe, allowed, "{name}: |safe is for the charts' drawings only");
    }
}
