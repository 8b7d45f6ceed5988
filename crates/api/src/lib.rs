//! Samverkan's HTTP API: poem + poem-openapi over the store.
//!
//! One `#[OpenApi]` struct per resource, combined as a tuple into one
//! service, so the OpenAPI document (`/api/openapi.json`) is generated from
//! the same code that serves the requests. Request and response types
//! (`New*`, `*Patch`, the records) are separate from the domain's types and
//! converted at the edge. Every error is an RFC 9457 problem
//! ([`problem::ApiError`]).

mod audit;
pub mod auth;
mod body;
mod common;
mod engagement;
mod follow_ups;
pub mod hardening;
mod health;
pub mod listener;
mod meetings;
mod middleware;
mod organisations;
mod partnerships;
mod privacy;
pub mod problem;
mod reports;
mod representatives;
mod search;
mod server;
mod users;

use poem::{Endpoint, EndpointExt, Route};
use poem_openapi::{OpenApiService, Tags};
use samverkan_domain::HealthThresholds;
use samverkan_domain::privacy::ProcessingTerms;
use samverkan_store::Store;

pub use hardening::HttpLimits;
pub use server::{ServeConfig, ServeError, serve};

use hardening::TokenRateLimit;

/// Groups of operations in the documentation.
#[derive(Debug, Tags)]
pub enum ApiTags {
    /// Liveness and readiness.
    Health,
    /// Universities, companies, municipalities, ...
    Organisations,
    /// People acting for organisations, and their affiliations over time.
    Representatives,
    /// Partnerships between two organisations.
    Partnerships,
    /// Meetings, logged whole: attendees, agenda, outcomes, follow-ups.
    Meetings,
    /// Follow-ups and their statuses.
    FollowUps,
    /// Search across everything.
    Search,
    /// Users of Samverkan and their API tokens (admins only).
    Users,
    /// Who changed what: the audit trail, and each record's history.
    Audit,
    /// Documents for people (minutes) and exports for programs.
    Reports,
    /// Engagement figures per organisation and partnership, and their summary.
    Engagement,
    /// Data protection requests: a person's data exported, erased or
    /// restricted (admins only).
    Privacy,
}

/// The API service: every resource, with its OpenAPI document. Health
/// labels of engagement are judged by `thresholds`; personal data exports
/// state `terms`.
pub fn api_service(
    store: &Store,
    thresholds: HealthThresholds,
    terms: ProcessingTerms,
) -> OpenApiService<impl poem_openapi::OpenApi, ()> {
    let apis = (
        health::HealthApi { store: store.clone() },
        organisations::OrganisationsApi { store: store.clone() },
        representatives::RepresentativesApi { store: store.clone() },
        partnerships::PartnershipsApi { store: store.clone() },
        follow_ups::FollowUpsApi { store: store.clone() },
        meetings::MeetingsApi { store: store.clone() },
        search::SearchApi { store: store.clone() },
        users::UsersApi { store: store.clone() },
        audit::AuditApi { store: store.clone() },
        reports::ReportsApi {
            store: store.clone(),
            thresholds,
        },
        engagement::EngagementApi {
            store: store.clone(),
            thresholds,
        },
        privacy::PrivacyApi {
            store: store.clone(),
            terms,
        },
    );
    OpenApiService::new(apis, "Samverkan", env!("CARGO_PKG_VERSION")).description(
        "Samverkan records strategic partnership work: organisations, their representatives, \
             meetings with attendees, agenda, outcomes and follow-ups. Dates are Europe/Stockholm days; \
             instants are RFC 3339 with offset. Errors are RFC 9457 problems (application/problem+json).",
    )
}

/// The OpenAPI document, as served at `/api/openapi.json`.
pub fn openapi_json(store: &Store) -> String {
    api_service(store, HealthThresholds::default(), ProcessingTerms::default()).spec()
}

/// Whether a path belongs to the API (and its documentation and probes)
/// rather than to the web interface. The two answer differently (problem
/// JSON and tokens; pages and sessions), so a request goes to exactly one.
pub fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/")
        || path == "/docs"
        || path.starts_with("/docs/")
        || path == "/health"
        || path == "/ready"
}

/// The whole HTTP application: API, documentation and pages, limits,
/// logging.
pub fn app(
    store: Store,
    limits: &HttpLimits,
    thresholds: HealthThresholds,
    terms: ProcessingTerms,
    web: samverkan_web::WebConfig,
) -> impl Endpoint + use<> {
    let service = api_service(&store, thresholds, terms.clone());
    let allowed = std::sync::Arc::new(middleware::AllowedMethods::from_spec(
        &service.spec(),
        &[("/api/openapi.json", "GET")],
    ));
    let spec = service.spec_endpoint();
    let docs = service.swagger_ui();
    let timeout = limits.request_timeout;
    let api = Route::new()
        .nest("/", service)
        .at("/api/openapi.json", spec)
        .nest("/docs", docs)
        // For the security schemes' checkers (`auth.rs`).
        // Innermost first: the body is read (at most 1 MiB) only for a
        // request whose token is valid, and within the request's time limit.
        .around(middleware::limit_body)
        .around(auth::authenticate_first)
        .data(TokenRateLimit::new(limits))
        .with_if(!limits.cors_origins.is_empty(), hardening::cors(limits))
        .catch_all_error(problem::into_problem)
        .around(move |next, request| {
            let allowed = std::sync::Arc::clone(&allowed);
            async move { middleware::allow_header(next, request, &allowed).await }
        });
    let pages = samverkan_web::pages(store.clone(), thresholds, terms, web).around(middleware::limit_body);
    Split { api, pages }
        .around(move |next, request| hardening::time_limit(next, request, timeout))
        .data(store)
        .around(hardening::security_headers)
        .around(middleware::log_request)
}

/// Sends each request to the API or to the pages, by its path.
struct Split<A, P> {
    api: A,
    pages: P,
}

impl<A: Endpoint, P: Endpoint> Endpoint for Split<A, P> {
    type Output = poem::Response;

    async fn call(&self, request: poem::Request) -> poem::Result<Self::Output> {
        use poem::IntoResponse;
        if is_api_path(request.uri().path()) {
            self.api.call(request).await.map(IntoResponse::into_response)
        } else {
            self.pages.call(request).await.map(IntoResponse::into_response)
        }
    }
}
