//! Samverkan's web interface: server-rendered HTML pages over the store,
//! for the people who use Samverkan (strategists, managers, leadership).
//!
//! Pages are askama templates, checked at compile time and escaping every
//! value; handlers call the [`Store`] directly (never the JSON API), under
//! the same permissions ([`samverkan_domain::Role::allows`]) and the same
//! audit path as the API. The stylesheet and script are the project's own,
//! embedded in the binary ([`assets`]); every page works without
//! JavaScript. See docs/web.md.

pub mod assets;
mod cookies;
mod frame;
pub mod i18n;
mod pages;

use poem::http::header;
use poem::{Endpoint, EndpointExt, IntoResponse, Request, Response, Route, get};
use samverkan_domain::HealthThresholds;
use samverkan_report::Lang;
use samverkan_store::Store;

pub use frame::{Ctx, PageError};

/// Who answers for the site's accessibility (shown on `/tillganglighet`).
#[derive(Debug, Clone)]
pub struct AccessibilityContact {
    pub organisation: String,
    pub email: String,
}

impl Default for AccessibilityContact {
    fn default() -> Self {
        Self {
            organisation: "Samverkan".to_owned(),
            email: "tillganglighet@example.org".to_owned(),
        }
    }
}

/// How the pages are served.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The address people reach Samverkan at; an `https://` one makes the
    /// session cookie `Secure`.
    pub public_url: Option<String>,
    /// A session unused this long ends.
    pub session_idle: chrono::Duration,
    /// A session ends this long after sign-in, however much it is used.
    pub session_lifetime: chrono::Duration,
    pub accessibility: AccessibilityContact,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            public_url: None,
            session_idle: chrono::Duration::hours(8),
            session_lifetime: chrono::Duration::days(7),
            accessibility: AccessibilityContact::default(),
        }
    }
}

impl WebConfig {
    /// Whether people reach the site over HTTPS (so cookies are `Secure`).
    pub fn secure(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }
}

/// The cookie that remembers the language chosen before signing in.
const LANGUAGE_COOKIE: &str = "samverkan_lang";

/// Every page, under `/`.
pub fn pages(store: Store, thresholds: HealthThresholds, config: WebConfig) -> impl Endpoint + use<> {
    Route::new()
        .at("/static/:name", get(assets::serve))
        .at("/tillganglighet", get(pages::accessibility::page))
        .around(frame_middleware)
        .data(store)
        .data(thresholds)
        .data(config)
}

/// Gives every page its [`Ctx`] and turns every error into a page in the
/// reader's language.
async fn frame_middleware<E: Endpoint>(next: E, mut request: Request) -> poem::Result<Response> {
    let (lang, chosen) = language(&request);
    let ctx = Ctx::new(lang, None, String::new());
    request.extensions_mut().insert(ctx.clone());
    let mut response = match next.call(request).await {
        Ok(response) => response.into_response(),
        Err(error) => frame::error_page(&ctx, &error),
    };
    if chosen {
        // Remembered for the pages that follow, a year at most.
        response.headers_mut().append(
            header::SET_COOKIE,
            cookies::set(
                LANGUAGE_COOKIE,
                lang.as_str(),
                cookies::Lifetime::Seconds(365 * 24 * 3600),
                "Lax",
                false,
            ),
        );
    }
    Ok(response)
}

/// The language of a page before sign-in: `?lang=` (then remembered), the
/// remembered choice, or Swedish. Whether it was chosen just now.
fn language(request: &Request) -> (Lang, bool) {
    let asked = request.uri().query().and_then(|query| {
        query
            .split('&')
            .find_map(|pair| pair.strip_prefix("lang="))
            .and_then(Lang::parse)
    });
    if let Some(lang) = asked {
        return (lang, true);
    }
    let remembered = cookies::get(request, LANGUAGE_COOKIE).and_then(Lang::parse);
    (remembered.unwrap_or_default(), false)
}
