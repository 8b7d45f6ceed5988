//! axe-core, run in the browser on a page: its WCAG 2.1 A and AA rules.
//!
//! `axe.min.js` comes from the npm package at test time (`npm pack`), into
//! `target/axe/`, and is never committed. Injected through WebDriver, which
//! the pages' Content-Security-Policy does not govern.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::browser::{Browser, missing};

pub const AXE_VERSION: &str = "4.14.1";

fn axe_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("target/axe/axe-{AXE_VERSION}.min.js"))
}

/// The script, fetched once; `None` (after [`missing`]) without npm.
pub fn source() -> Option<&'static str> {
    static SOURCE: OnceLock<Option<String>> = OnceLock::new();
    SOURCE
        .get_or_init(|| {
            let file = axe_file();
            if !file.exists() {
                fetch(&file)?;
            }
            Some(std::fs::read_to_string(&file).expect("axe.min.js is readable"))
        })
        .as_deref()
}

fn fetch(file: &Path) -> Option<()> {
    let folder = file.parent().expect("a folder");
    std::fs::create_dir_all(folder).unwrap();
    let packed = Command::new("npm")
        .args(["pack", &format!("axe-core@{AXE_VERSION}"), "--silent"])
        .current_dir(folder)
        .status();
    if !packed.is_ok_and(|status| status.success()) {
        missing("axe-core (npm pack axe-core, with npm and the npm registry)");
        return None;
    }
    let tarball = folder.join(format!("axe-core-{AXE_VERSION}.tgz"));
    let unpacked = Command::new("tar")
        .args(["-xzf", tarball.to_str().unwrap(), "package/axe.min.js"])
        .current_dir(folder)
        .status()
        .unwrap();
    assert!(unpacked.success(), "axe-core's tarball unpacks");
    std::fs::rename(folder.join("package/axe.min.js"), file).unwrap();
    let _ = std::fs::remove_dir_all(folder.join("package"));
    let _ = std::fs::remove_file(tarball);
    Some(())
}

/// Runs axe on the page open in `browser`: the violations of the WCAG 2.0
/// and 2.1 A and AA rules, each as `rule (impact): selectors`.
pub async fn violations(browser: &Browser, source: &str) -> Vec<String> {
    browser.client.execute(source, vec![]).await.expect("axe loads");
    let result = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — '
                    + v.nodes.map(n => n.target.join(' ')).join(', '))))
                .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("axe runs");
    result
        .as_array()
        .expect("a list")
        .iter()
        .map(|violation| violation.as_str().unwrap_or_default().to_owned())
        .collect()
}
