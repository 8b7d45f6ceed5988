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
mod downloads;
mod forms;
mod frame;
mod history;
pub mod i18n;
mod login;
mod pages;
mod paging;
mod session;
#[cfg(test)]
mod template_checks;

use poem::{Endpoint, EndpointExt, Request, Route, get, post};
use samverkan_domain::HealthThresholds;
use samverkan_domain::privacy::ProcessingTerms;
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
pub(crate) const LANGUAGE_COOKIE: &str = "samverkan_lang";

/// Every page, under `/`.
pub fn pages(
    store: Store,
    thresholds: HealthThresholds,
    terms: ProcessingTerms,
    config: WebConfig,
) -> impl Endpoint + use<> {
    Route::new()
        .at("/", get(pages::start::page))
        .at("/login", get(login::show).post(login::sign_in))
        .at("/logout", post(login::sign_out))
        .at("/engagement", get(pages::engagement::page))
        .at("/engagement/report.:format", get(pages::engagement::report))
        .at(
            "/engagement/attendances.:format",
            get(pages::engagement::attendances),
        )
        .at("/meetings", get(pages::meetings::list))
        .at(
            "/meetings/new",
            get(pages::meeting_form::new).post(pages::meeting_form::submit),
        )
        .at(
            "/meetings/drafts/:id/delete",
            post(pages::meeting_form::delete_draft),
        )
        .at("/meetings/:id", get(pages::meetings::show))
        .at(
            "/meetings/:id/edit",
            get(pages::meeting_form::edit).post(pages::meeting_form::update),
        )
        .at(
            "/meetings/:id/attendance",
            get(pages::attendance::form).post(pages::attendance::save),
        )
        .at(
            "/meetings/:id/minutes.:format",
            get(pages::meetings::minutes_download),
        )
        .at("/organisations", get(pages::organisations::list))
        .at(
            "/organisations/suggest",
            get(pages::meeting_form::suggest_organisations),
        )
        .at(
            "/organisations/new",
            get(pages::organisation_forms::new).post(pages::organisation_forms::create),
        )
        .at("/organisations/:id", get(pages::organisations::show))
        .at(
            "/organisations/:id/edit",
            get(pages::organisation_forms::edit).post(pages::organisation_forms::update),
        )
        .at(
            "/organisations/:id/archive",
            get(pages::organisation_forms::confirm_archive).post(pages::organisation_forms::archive),
        )
        .at("/organisations/:id/brief", get(pages::organisations::brief))
        .at(
            "/organisations/:id/brief.:format",
            get(pages::organisations::brief_download),
        )
        .at("/people", get(pages::people::list))
        .at("/people/suggest", get(pages::meeting_form::suggest_people))
        .at(
            "/people/new",
            get(pages::person_forms::new).post(pages::person_forms::create),
        )
        .at("/people/:id", get(pages::people::show))
        .at("/people/:id/personal-data.:format", get(pages::privacy::download))
        .at(
            "/people/:id/erase",
            get(pages::privacy::confirm_erase).post(pages::privacy::erase),
        )
        .at("/people/:id/restriction", post(pages::privacy::restrict))
        .at(
            "/people/:id/edit",
            get(pages::person_forms::edit).post(pages::person_forms::update),
        )
        .at(
            "/people/:id/archive",
            get(pages::person_forms::confirm_archive).post(pages::person_forms::archive),
        )
        .at("/follow-ups", get(pages::follow_ups::list))
        .at("/follow-ups/:id", get(pages::follow_ups::show))
        .at("/follow-ups/:id/status", post(pages::follow_ups::change_status))
        .at(
            "/follow-ups/:id/edit",
            get(pages::follow_up_forms::edit).post(pages::follow_up_forms::update),
        )
        .at(
            "/follow-ups/:id/archive",
            get(pages::follow_up_forms::confirm_archive).post(pages::follow_up_forms::archive),
        )
        .at("/partnerships", get(pages::partnerships::list))
        .at(
            "/partnerships/new",
            get(pages::partnership_forms::new).post(pages::partnership_forms::create),
        )
        .at("/partnerships/:id", get(pages::partnerships::show))
        .at(
            "/partnerships/:id/edit",
            get(pages::partnership_forms::edit).post(pages::partnership_forms::update),
        )
        .at(
            "/partnerships/:id/archive",
            get(pages::partnership_forms::confirm_archive).post(pages::partnership_forms::archive),
        )
        .at("/search", get(pages::search::page))
        .at("/users", get(pages::users::list))
        .at("/users/new", get(pages::users::new).post(pages::users::create))
        .at("/users/:id", get(pages::users::show))
        .at("/users/:id/disabled", post(pages::users::set_disabled))
        .at("/users/:id/role", post(pages::users::set_role))
        .at("/users/:id/password", post(pages::users::set_password))
        .at(
            "/users/:id/tokens/:token/revoke",
            post(pages::users::revoke_token),
        )
        .at("/account", get(pages::account::show))
        .at("/account/language", post(pages::account::set_language))
        .at("/account/password", post(pages::account::change_password))
        .at("/account/tokens", post(pages::account::create_token))
        .at("/account/tokens/:id/revoke", post(pages::account::revoke_token))
        .at("/static/:name", get(assets::serve))
        .at("/tillganglighet", get(pages::accessibility::page))
        .around(session::gate)
        .data(store)
        .data(thresholds)
        .data(terms)
        .data(config)
        .data(login::Hashing::default())
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
