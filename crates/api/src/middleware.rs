//! Cross-cutting request handling: body size limit, request ids, logging.

use std::time::{Duration, Instant};

use futures_util::StreamExt;

use poem::http::{HeaderValue, StatusCode};
use poem::{Endpoint, IntoResponse, Request, Response, Result};

use crate::problem::ProblemKind;

/// The largest request body accepted.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

const REQUEST_ID: &str = "x-request-id";

/// After a body goes over the limit, how much more of it is read and thrown
/// away, and for how long, before the 413 is sent: a client still sending
/// then reads the answer, where closing at once would reset its connection
/// (the unread bytes make the kernel send a reset) and lose the answer
/// (nginx's "lingering close"). Past either bound the 413 is sent anyway.
const DRAIN_BYTES: usize = 16 * 1024 * 1024;
const DRAIN_TIME: Duration = Duration::from_secs(10);

/// Reads the body up to [`MAX_BODY_BYTES`] and answers 413 beyond it,
/// whether or not the client announced a length; the rest of a body too
/// large is drained first (see [`DRAIN_BYTES`]). Nothing past the limit is
/// kept in memory.
pub async fn limit_body<E: Endpoint>(next: E, mut request: Request) -> Result<Response> {
    let announced = request
        .headers()
        .get(poem::http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    let mut over = announced.is_some_and(|length| length > MAX_BODY_BYTES);
    let mut chunks = std::pin::pin!(request.take_body().into_bytes_stream());
    let mut kept = Vec::new();
    let mut drained = 0;
    let drain_until = tokio::time::Instant::now() + DRAIN_TIME;
    loop {
        let chunk = if over {
            match tokio::time::timeout_at(drain_until, chunks.next()).await {
                // Whatever the client does now (even resetting), it is
                // answered 413.
                Ok(Some(Ok(chunk))) => chunk,
                _ => break,
            }
        } else {
            match chunks.next().await {
                Some(chunk) => chunk.map_err(poem::error::ReadBodyError::Io)?,
                None => break,
            }
        };
        if over {
            drained += chunk.len();
            if drained > DRAIN_BYTES {
                break;
            }
        } else if kept.len() + chunk.len() > MAX_BODY_BYTES {
            over = true;
            drained = kept.len() + chunk.len();
            kept = Vec::new();
        } else {
            kept.extend_from_slice(&chunk);
        }
    }
    if over {
        return Ok(too_large());
    }
    request.set_body(kept);
    next.call(request).await.map(IntoResponse::into_response)
}

fn too_large() -> Response {
    let mut response =
        ProblemKind::PayloadTooLarge.response(format!("the body may be at most {MAX_BODY_BYTES} bytes"));
    // The rest of the body may be left unread (past the drain's bounds), so
    // the connection cannot carry another request: say so, or a client
    // reusing it meets a broken pipe.
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
