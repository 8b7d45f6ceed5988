//! Cross-cutting request handling: body size limit, request ids, logging.

use std::time::Instant;

use poem::http::{HeaderValue, StatusCode};
use poem::{Endpoint, IntoResponse, Request, Response, Result};

use crate::problem::ProblemKind;

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

const REQUEST_ID: &str = "x-request-id";

/// Reads the body up to [`MAX_BODY_BYTES`] and answers 413 beyond it,
/// whether or not the client announced a length.
pub async fn limit_body<E: Endpoint>(next: E, mut request: Request) -> Result<Response> {
    let announced = request
        .headers()
        .get(poem::http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if announced.is_some_and(|length| length > MAX_BODY_BYTES) {
        return Ok(too_large());
    }
    let body = request.take_body();
    match body.into_bytes_limit(MAX_BODY_BYTES).await {
        Ok(bytes) => {
            request.set_body(bytes);
            next.call(request).await.map(IntoResponse::into_response)
        }
        Err(poem::error::ReadBodyError::PayloadTooLarge) => Ok(too_large()),
        Err(error) => Err(error.into()),
    }
}

fn too_large() -> Response {
    let mut response =
        ProblemKind::PayloadTooLarge.response(format!("the body may be at most {MAX_BODY_BYTES} bytes"));
    // The rest of the body is left unread, so the connection cannot carry
    // another request: say so, or a client reusing it meets a broken pipe.
    response
        .headers_mut()
        .insert(poem::http::header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Gives each request an id (the client's `x-request-id` if it sent a sane
/// one), returns it in the response, and logs one line per request.
pub async fn log_request<E: Endpoint>(next: E, request: Request) -> Result<Response> {
    let request_id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .filter(|value| {
            !value.is_empty() && value.len() <= 128 && value.bytes().all(|b| b.is_ascii_graphic())
        })
        .map_or_else(|| uuid::Uuid::now_v7().to_string(), ToOwned::to_owned);
    let method = request.method().clone();
    // The path only: query strings may carry search terms about people.
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let mut response = next.get_response(request).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    let status = response.status().as_u16();
    tracing::info!(target: "samverkan::http", %method, path, status, latency_ms, request_id, "request");
    Ok(response)
}

/// The methods each path of the API answers, read from the OpenAPI
/// document, so that every 405 can say which are allowed (RFC 9110's
/// `Allow`, which the answer must carry).
#[derive(Debug, Clone, Default)]
pub struct AllowedMethods {
    /// Path templates as segments (`{id}` stands for any one segment), and
    /// their methods as an `Allow` value.
    routes: Vec<(Vec<String>, HeaderValue)>,
}

impl AllowedMethods {
    /// From an OpenAPI document (`paths` → path → method), plus `extra`
    /// routes that are not in it.
    pub fn from_spec(spec: &str, extra: &[(&str, &str)]) -> Self {
        let document: serde_json::Value = serde_json::from_str(spec).unwrap_or_default();
        let mut routes: Vec<(String, Vec<String>)> = document["paths"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(path, operations)| {
                let methods = operations
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(method, _)| method.to_ascii_uppercase())
                    .collect();
                (path.clone(), methods)
            })
            .collect();
        routes.extend(
            extra
                .iter()
                .map(|(path, method)| ((*path).to_owned(), vec![(*method).to_owned()])),
        );
        let routes = routes
            .into_iter()
            .filter_map(|(path, mut methods)| {
                // poem answers HEAD with the GET endpoint.
                if methods.iter().any(|method| method == "GET") {
                    methods.push("HEAD".into());
                }
                let value = HeaderValue::from_str(&methods.join(", ")).ok()?;
                Some((path.split('/').map(ToOwned::to_owned).collect(), value))
            })
            .collect();
        Self { routes }
    }

    fn for_path(&self, path: &str) -> Option<&HeaderValue> {
        let segments: Vec<&str> = path.split('/').collect();
        self.routes
            .iter()
            .find(|(template, _)| {
                template.len() == segments.len()
                    && template
                        .iter()
                        .zip(&segments)
                        .all(|(expected, actual)| expected.starts_with('{') || expected == actual)
            })
            .map(|(_, allow)| allow)
    }
}

/// Adds `Allow` to every 405.
pub async fn allow_header<E: Endpoint>(
    next: E,
    request: Request,
    allowed: &AllowedMethods,
) -> Result<Response> {
    let path = request.uri().path().to_owned();
    let mut response = next.get_response(request).await;
    if response.status() == StatusCode::METHOD_NOT_ALLOWED
        && let Some(allow) = allowed.for_path(&path)
    {
        response
            .headers_mut()
            .insert(poem::http::header::ALLOW, allow.clone());
    }
    Ok(response)
}
