//! What the server does to every request for its own protection: a time
//! limit, a rate limit per token, security headers, and CORS only where
//! configured.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use poem::http::{HeaderValue, header};
use poem::{Endpoint, IntoResponse, Request, Response, Result};
use samverkan_domain::TokenId;

use crate::problem::ProblemKind;

/// The server's limits, from `samverkan serve`'s options.
#[derive(Debug, Clone)]
pub struct HttpLimits {
    /// A request not answered within this is answered 503.
    pub request_timeout: Duration,
    /// Requests per second each token may make on average; `None`: no limit.
    pub rate_per_second: Option<NonZeroU32>,
    /// How many requests a token may make at once above the average.
    pub burst: NonZeroU32,
    /// Origins allowed to call from a browser (CORS); empty: none.
    pub cors_origins: Vec<String>,
    /// Deadlines and caps of the connections themselves.
    pub connections: crate::listener::ConnectionLimits,
}

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(30),
            rate_per_second: NonZeroU32::new(100),
            burst: NonZeroU32::new(200).unwrap_or(NonZeroU32::MIN),
            cors_origins: Vec::new(),
            connections: crate::listener::ConnectionLimits::default(),
        }
    }
}

/// The per-token rate limiter, shared by the requests of one server. (Each
/// server behind a load balancer keeps its own: the limit is per server.)
#[derive(Clone)]
pub struct TokenRateLimit(Arc<DefaultKeyedRateLimiter<TokenId>>);

impl std::fmt::Debug for TokenRateLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenRateLimit")
    }
}

impl TokenRateLimit {
    pub fn new(limits: &HttpLimits) -> Option<Self> {
        let rate = limits.rate_per_second?;
        let quota = Quota::per_second(rate).allow_burst(limits.burst);
        Some(Self(Arc::new(DefaultKeyedRateLimiter::keyed(quota))))
    }

    /// `Err(wait)` when `token` is over its limit.
    pub fn check(&self, token: TokenId) -> std::result::Result<(), Duration> {
        self.0
            .check_key(&token)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

/// The 429 answer, with `Retry-After` in whole seconds (at least 1).
pub fn too_many_requests(wait: Duration) -> poem::Error {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let seconds = seconds.max(1);
    let mut response =
        ProblemKind::RateLimited.response(format!("this token is over its rate limit; retry in {seconds} s"));
    if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    poem::Error::from_response(response)
}

/// Answers 503 when the handler takes longer than `timeout`; the work is
/// dropped, and a write in progress rolls back with its transaction.
pub async fn time_limit<E: Endpoint>(next: E, request: Request, timeout: Duration) -> Result<Response> {
    match tokio::time::timeout(timeout, next.call(request)).await {
        Ok(result) => result.map(IntoResponse::into_response),
        Err(_) => Ok(ProblemKind::Timeout.response(format!(
            "no answer within {} s; nothing was written",
            timeout.as_secs()
        ))),
    }
}

/// Headers that keep browsers from misusing the answers: no sniffing, no
/// framing, no referrer, nothing cached (the answers hold personal data), and
/// a content security policy that allows nothing, except on `/docs`, whose
/// Swagger UI needs its own inline scripts and styles.
pub async fn security_headers<E: Endpoint>(next: E, request: Request) -> Result<Response> {
    let (policy, referrer) = policy(request.uri().path());
    let mut response = next.get_response(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static(referrer));
    // A document that brings its own policy (an HTML report, whose one
    // stylesheet it allows by hash) keeps it.
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(response)
}

/// The Content-Security-Policy and Referrer-Policy of a path. The API
/// allows nothing to load; Swagger UI its own inline scripts; pages their
/// own stylesheet, script and images and nothing inline, post forms only to
/// the site itself, and are never framed. Pages send the referrer to the
/// site itself (`same-origin`): with `no-referrer`, browsers send
/// `Origin: null` on a form's POST.
fn policy(path: &str) -> (&'static str, &'static str) {
    if path == "/docs" || path.starts_with("/docs/") {
        (
            "default-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
            "no-referrer",
        )
    } else if crate::is_api_path(path) {
        ("default-src 'none'; frame-ancestors 'none'", "no-referrer")
    } else {
        (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
             connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            "same-origin",
        )
    }
}

/// CORS for the configured origins (applied only when there are some: with
/// none, no CORS headers are sent at all, so browsers refuse cross-origin
/// calls).
pub fn cors(limits: &HttpLimits) -> poem::middleware::Cors {
    poem::middleware::Cors::new()
        .allow_origins(limits.cors_origins.iter().map(String::as_str))
        .allow_methods([
            poem::http::Method::GET,
            poem::http::Method::POST,
            poem::http::Method::PATCH,
            poem::http::Method::PUT,
            poem::http::Method::DELETE,
        ])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .expose_headers([header::LOCATION, header::RETRY_AFTER])
        .max_age(600)
}

#[cfg(test)]
mod tests {
    use poem::http::StatusCode;

    use super::*;

    #[tokio::test]
    async fn a_slow_request_is_answered_503_in_time() {
        let slow = poem::endpoint::make(|_| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            "late"
        });
        let started = std::time::Instant::now();
        let response = time_limit(slow, Request::default(), Duration::from_millis(50))
            .await
            .unwrap_or_else(|error| error.into_response());
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        for (wait, expected) in [(0, "1"), (1, "1"), (1_001, "2"), (3_000, "3")] {
            let response = too_many_requests(Duration::from_millis(wait)).into_response();
            assert_eq!(response.headers()[header::RETRY_AFTER], expected, "{wait} ms");
        }
    }
}
