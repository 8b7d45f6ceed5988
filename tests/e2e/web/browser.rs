//! A headless Chromium driven through WebDriver (chromedriver), for the
//! browser tests: the pages as a person's browser shows them, with axe-core
//! checking each for WCAG 2.1 AA, and screenshots to look at.
//!
//! Debian's `chromium` and `chromium-driver` (`SAMVERKAN_CHROMIUM`,
//! `SAMVERKAN_CHROMEDRIVER` point elsewhere). Like PostgreSQL: where they
//! are missing the tests are skipped with a message, except under
//! `CI=true`, where that fails the run (`.ci/run` installs them).

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use serde_json::json;

/// One browser at a time: two cores cannot run several Chromiums beside
/// the rest of the tests.
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The viewports every page is looked at in: a laptop and a phone.
pub const DESKTOP: (u32, u32) = (1280, 800);
pub const PHONE: (u32, u32) = (390, 844);

/// `html` printed to PDF by headless Chromium as a person's browser prints
/// it (`--print-to-pdf`, which follows the page's `@page` sizes), and the
/// PDF's text read back by `pdftotext` (poppler-utils); `None` (after
/// [`missing`]) where either is not installed.
pub async fn print(html: &[u8]) -> Option<(Vec<u8>, String)> {
    let Some(chromium) = program("SAMVERKAN_CHROMIUM", "/usr/bin/chromium") else {
        missing("chromium (apt install chromium)");
        return None;
    };
    let Some(pdftotext) = program("SAMVERKAN_PDFTOTEXT", "/usr/bin/pdftotext") else {
        missing("pdftotext (apt install poppler-utils)");
        return None;
    };
    let _turn = ONE_BROWSER.lock().await;
    let html = html.to_vec();
    tokio::task::spawn_blocking(move || {
        let dir = tempfile::tempdir().expect("a folder");
        let page = dir.path().join("report.html");
        let pdf = dir.path().join("report.pdf");
        std::fs::write(&page, html).expect("the page is written");
        let printed = Command::new(chromium)
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
            ])
            .arg("--no-pdf-header-footer")
            .arg(format!(
                "--user-data-dir={}",
                dir.path().join("profile").display()
            ))
            .arg(format!("--print-to-pdf={}", pdf.display()))
            .arg(format!("file://{}", page.display()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("chromium runs");
        assert!(printed.success(), "chromium prints: {printed}");
        let bytes = std::fs::read(&pdf).expect("a PDF");
        let text = Command::new(pdftotext)
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext runs");
        assert!(text.status.success());
        Some((bytes, String::from_utf8_lossy(&text.stdout).into_owned()))
    })
    .await
    .expect("printing finishes")
}

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

fn program(variable: &str, default: &str) -> Option<PathBuf> {
    let path = std::env::var_os(variable).map_or_else(|| PathBuf::from(default), PathBuf::from);
    path.exists().then_some(path)
}

/// Where a missing tool stops the browser tests: a failure under CI, a
/// skip with a message elsewhere.
pub fn missing(what: &str) {
    if std::env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!("the browser tests need {what} (CI=true)");
    }
    eprintln!("skipping the browser tests: {what} is missing");
}

impl Browser {
    /// A fresh browser (its own profile: no cookies), with JavaScript on
    /// or off; `None` (after [`missing`]) where Chromium is not installed.
    pub async fn start(javascript: bool) -> Option<Self> {
        let (Some(chromium), Some(chromedriver)) = (
            program("SAMVERKAN_CHROMIUM", "/usr/bin/chromium"),
            program("SAMVERKAN_CHROMEDRIVER", "/usr/bin/chromedriver"),
        ) else {
            missing("chromium and chromium-driver (apt install chromium chromium-driver)");
            return None;
        };
        let turn = ONE_BROWSER.lock().await;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so that dropping the browser ends
            // chromedriver and every Chromium process it started.
            .process_group(0)
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().expect("a profile folder");
        let mut options = json!({
            "binary": chromium,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--hide-scrollbars", "--force-device-scale-factor=1",
                "--lang=sv-SE", "--window-size=1280,800",
                format!("--user-data-dir={}", profile.path().display()),
            ],
            "prefs": { "intl.accept_languages": "sv-SE,sv" },
        });
        if !javascript {
            options["prefs"]["profile.managed_default_content_settings.javascript"] = json!(2);
        }
        let mut capabilities = Capabilities::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert("goog:chromeOptions".into(), options);
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(error) if Instant::now() > deadline => panic!("chromedriver did not answer: {error}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Some(Self {
            client,
            driver,
            _profile: profile,
            _turn: turn,
        })
    }

    /// The page as it prints on A4 (WebDriver's print command), and the
    /// PDF's text read back by `pdftotext`; `None` (after [`missing`])
    /// without poppler-utils.
    pub async fn print_a4(&self) -> Option<(Vec<u8>, String)> {
        let Some(pdftotext) = program("SAMVERKAN_PDFTOTEXT", "/usr/bin/pdftotext") else {
            missing("pdftotext (apt install poppler-utils)");
            return None;
        };
        let configuration = fantoccini::wd::PrintConfiguration::builder()
            .size(fantoccini::wd::PrintSize::A4)
            .build()
            .expect("an A4 print");
        let bytes = self.client.print(configuration).await.expect("the page prints");
        let dir = tempfile::tempdir().expect("a folder");
        let pdf = dir.path().join("page.pdf");
        std::fs::write(&pdf, &bytes).expect("the PDF is written");
        let text = Command::new(pdftotext)
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext runs");
        Some((bytes, String::from_utf8_lossy(&text.stdout).into_owned()))
    }

    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|error| panic!("open {url}: {error}"));
    }

    /// Submits `form` and waits until the browser has left the page it was
    /// on (its root element gone stale): a form's submit, like a click,
    /// returns before the browser has navigated, and the next page may have
    /// the same address.
    pub async fn submit(&self, form: fantoccini::elements::Form) {
        let old = self.client.find(Locator::Css("html")).await.unwrap();
        form.submit().await.unwrap();
        self.wait_until_gone(old).await;
    }

    /// Clicks `css` and waits until the next page has opened.
    pub async fn click(&self, css: &str) {
        let old = self.client.find(Locator::Css("html")).await.unwrap();
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|error| panic!("no {css}: {error}"))
            .click()
            .await
            .unwrap();
        self.wait_until_gone(old).await;
    }

    async fn wait_until_gone(&self, old: fantoccini::elements::Element) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while old.tag_name().await.is_ok() {
            assert!(Instant::now() < deadline, "the page did not change");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits (up to 15 s) until the page at `path` has opened: a click or
    /// a form's submit returns before the browser has navigated.
    pub async fn wait_for_path(&self, path: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let url = self.client.current_url().await.unwrap();
            let ready = self
                .client
                .execute("return document.readyState", vec![])
                .await
                .ok()
                .and_then(|state| state.as_str().map(str::to_owned));
            // With JavaScript off, no script answers; the address must do.
            if url.path() == path && ready.as_deref().is_none_or(|state| state == "complete") {
                return;
            }
            assert!(Instant::now() < deadline, "still at {url}, not {path}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|error| panic!("no {css}: {error}"))
            .text()
            .await
            .unwrap()
    }

    /// The texts of every element matching `css`.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for element in self.client.find_all(Locator::Css(css)).await.unwrap() {
            texts.push(element.text().await.unwrap());
        }
        texts
    }

    /// Sets the viewport (the inner size) to `width` × `height`.
    pub async fn viewport(&self, (width, height): (u32, u32)) {
        self.client.set_window_size(width, height).await.unwrap();
        // The window's frame takes some of the size; grow it by the rest.
        let inner = self
            .client
            .execute("return [window.innerWidth, window.innerHeight]", vec![])
            .await
            .unwrap();
        let (Some(inner_width), Some(inner_height)) = (inner[0].as_u64(), inner[1].as_u64()) else {
            return;
        };
        let grow = |outer: u32, inner: u64, want: u32| outer + want.saturating_sub(inner as u32);
        self.client
            .set_window_size(
                grow(width, inner_width, width),
                grow(height, inner_height, height),
            )
            .await
            .unwrap();
    }

    /// Saves a screenshot of the viewport as `target/screenshots/NAME-WxH.png`.
    pub async fn screenshot(&self, name: &str, (width, height): (u32, u32)) -> PathBuf {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join(format!("{name}-{width}x{height}.png"));
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(&path, png).unwrap();
        path
    }

    /// Ends the WebDriver session (and, on drop, the browser).
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

fn end(driver: &mut Child) {
    // The whole group: chromedriver and its Chromium processes.
    if let Ok(group) = i32::try_from(driver.id()) {
        let _ = killpg(Pid::from_raw(group), Signal::SIGTERM);
    }
    let _ = driver.wait();
}

impl Drop for Browser {
    fn drop(&mut self) {
        end(&mut self.driver);
    }
}
