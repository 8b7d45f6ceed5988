//! Errors as RFC 9457 problem details (`application/problem+json`).
//!
//! Handlers return [`ApiError`]; everything else that fails before a handler
//! runs (a malformed body, a bad parameter, an unknown route, a body too
//! large) is turned into the same shape by [`into_problem`], so a client
//! meets one error format everywhere. [`ProblemKind`] says, in one place,
//! each kind's status, type and title; every problem is made from it.

use poem::Response;
use poem::http::{HeaderValue, StatusCode, header};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object};
use samverkan_domain::{FieldError, ValidationErrors};
use samverkan_store::StoreError;

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// The RFC 6750 challenge sent with every 401.
pub const BEARER_CHALLENGE: &str = "Bearer realm=\"samverkan\"";

/// Every kind of problem the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    VersionConflict,
    Duplicate,
    /// A data protection request the record's state refuses (erasing the
    /// erased).
    Erased,
    PayloadTooLarge,
    UnsupportedMediaType,
    Validation,
    RateLimited,
    Internal,
    Unavailable,
    Timeout,
    Busy,
    TooManyConnections,
    StorageFull,
}

impl ProblemKind {
    /// The table: each kind's status, type slug (`/problems/<slug>`) and
    /// title. Clients branch on the type, so a slug never changes.
    const fn spec(self) -> (StatusCode, &'static str, &'static str) {
        match self {
            Self::BadRequest => (StatusCode::BAD_REQUEST, "bad-request", "Bad request"),
            Self::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "A valid API token is required",
            ),
            Self::Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "The token's role does not allow this",
            ),
            Self::NotFound => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            Self::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "Method not allowed",
            ),
            Self::VersionConflict => (
                StatusCode::CONFLICT,
                "version-conflict",
                "The record has changed since it was read",
            ),
            Self::Duplicate => (StatusCode::CONFLICT, "duplicate", "A unique value is taken"),
            Self::Erased => (
                StatusCode::CONFLICT,
                "erased",
                "The person's data has been erased",
            ),
            Self::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload-too-large",
                "The request body is too large",
            ),
            Self::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "Unsupported media type",
            ),
            Self::Validation => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "The request breaks a rule",
            ),
            Self::RateLimited => (StatusCode::TOO_MANY_REQUESTS, "rate-limited", "Too many requests"),
            Self::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal", "Internal error"),
            Self::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "The database cannot be reached",
            ),
            Self::Timeout => (
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "The request took too long",
            ),
            Self::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy", "The server is busy"),
            Self::TooManyConnections => (
                StatusCode::SERVICE_UNAVAILABLE,
                "too-many-connections",
                "Too many connections",
            ),
            Self::StorageFull => (
                StatusCode::INSUFFICIENT_STORAGE,
                "storage-full",
                "The database's disk is full",
            ),
        }
    }

    pub const fn status(self) -> StatusCode {
        self.spec().0
    }

    /// A problem of this kind; `detail` says what went wrong this time.
    pub fn problem(self, detail: impl Into<String>) -> Problem {
        let (status, slug, title) = self.spec();
        Problem {
            kind: format!("/problems/{slug}"),
            title: title.into(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: None,
        }
    }

    /// A problem of this kind as a whole response.
    pub fn response(self, detail: impl Into<String>) -> Response {
        problem_response(&self.problem(detail))
    }

    /// The kind of an error of `status` that reached the edge without being
    /// a problem. Statuses no kind stands for alone are bad requests or,
    /// from the server's side, internal errors (and keep their own status).
    fn for_status(status: StatusCode) -> Self {
        const WHOLE_STATUS: [ProblemKind; 7] = [
            ProblemKind::Unauthorized,
            ProblemKind::Forbidden,
            ProblemKind::NotFound,
            ProblemKind::MethodNotAllowed,
            ProblemKind::PayloadTooLarge,
            ProblemKind::UnsupportedMediaType,
            ProblemKind::RateLimited,
        ];
        match WHOLE_STATUS.into_iter().find(|kind| kind.status() == status) {
            Some(kind) => kind,
            None if status.is_server_error() => Self::Internal,
            None => Self::BadRequest,
        }
    }
}

/// One broken rule: the field (a path such as `agenda[2].presenter_ids[0]`)
/// and why.
#[derive(Debug, Clone, Object)]
#[oai(example)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl poem_openapi::types::Example for FieldProblem {
    fn example() -> Self {
        Self {
            field: "agenda[0].presenter_ids[1]".into(),
            message: "representative 0190c2d4-6a8e-7d1c-9b7e-3f1f7d2a9c01 presents but is not an attendee of the meeting"
                .into(),
        }
    }
}

/// An RFC 9457 problem.
#[derive(Debug, Clone, Object)]
pub struct Problem {
    /// A URI reference naming the kind of problem, e.g. `/problems/validation`.
    #[oai(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this case.
    pub detail: String,
    /// For validation problems: every broken rule, by field.
    #[oai(skip_serializing_if_is_none)]
    pub errors: Option<Vec<FieldProblem>>,
}

impl Problem {
    #[must_use]
    pub fn with_errors(mut self, errors: Vec<FieldProblem>) -> Self {
        self.errors = Some(errors);
        self
    }
}

fn field_problems(errors: Vec<FieldError>) -> Vec<FieldProblem> {
    errors
        .into_iter()
        .map(|e| FieldProblem {
            field: e.field,
            message: e.message,
        })
        .collect()
}

/// Every error an operation documents and answers.
#[derive(Debug, ApiResponse)]
pub enum ApiError {
    /// The request is malformed: bad JSON, a bad parameter or id.
    #[oai(status = 400, content_type = "application/problem+json")]
    BadRequest(Json<Problem>),
    /// No valid API token: none, malformed, unknown, expired or revoked, or
    /// its user is disabled.
    #[oai(status = 401, content_type = "application/problem+json")]
    Unauthorized(Json<Problem>),
    /// The token's role does not allow this operation.
    #[oai(status = 403, content_type = "application/problem+json")]
    Forbidden(Json<Problem>),
    /// No record has this id.
    #[oai(status = 404, content_type = "application/problem+json")]
    NotFound(Json<Problem>),
    /// The record changed since the version the client read, or a unique
    /// value is taken. Nothing was written.
    #[oai(status = 409, content_type = "application/problem+json")]
    Conflict(Json<Problem>),
    /// The request has no JSON body, or one of another media type.
    #[oai(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Json<Problem>),
    /// The request body is larger than 1 MiB.
    #[oai(status = 413, content_type = "application/problem+json")]
    PayloadTooLarge(Json<Problem>),
    /// The token is over its rate limit; `Retry-After` says when to retry.
    #[oai(status = 429, content_type = "application/problem+json")]
    TooManyRequests(Json<Problem>),
    /// The request breaks a rule of the domain. Nothing was written.
    #[oai(status = 422, content_type = "application/problem+json")]
    Unprocessable(Json<Problem>),
    /// A fault on the server's side.
    #[oai(status = 500, content_type = "application/problem+json")]
    Internal(Json<Problem>),
    /// The database cannot be reached, or the server is busy.
    #[oai(status = 503, content_type = "application/problem+json")]
    Unavailable(Json<Problem>),
    /// The database's disk is full: nothing was written. Reads go on; writes
    /// work again once space is freed.
    #[oai(status = 507, content_type = "application/problem+json")]
    InsufficientStorage(Json<Problem>),
}

impl ApiError {
    pub fn bad_request(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::BadRequest(Json(
            ProblemKind::BadRequest
                .problem(format!("{field}: {message}"))
                .with_errors(vec![FieldProblem {
                    field: field.into(),
                    message,
                }]),
        ))
    }

    /// Query parameters that break a rule together (a period's `from` and
    /// `to`): a 400 naming every one.
    pub fn bad_parameters(errors: ValidationErrors) -> Self {
        let detail = errors.to_string();
        Self::BadRequest(Json(
            ProblemKind::BadRequest
                .problem(detail)
                .with_errors(field_problems(errors.into_errors())),
        ))
    }

    /// A body whose values are not of the types its schema says (see
    /// [`crate::body`]): a 400 naming every such field.
    pub fn bad_body(errors: ValidationErrors) -> Self {
        Self::bad_parameters(errors)
    }

    pub fn validation(errors: ValidationErrors) -> Self {
        let detail = errors.to_string();
        Self::Unprocessable(Json(
            ProblemKind::Validation
                .problem(detail)
                .with_errors(field_problems(errors.into_errors())),
        ))
    }

    /// A fault of the server; the caller logs the cause, the client learns
    /// no more than that.
    pub fn internal() -> Self {
        Self::Internal(Json(
            ProblemKind::Internal.problem("the server failed; the error is logged"),
        ))
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::Forbidden(Json(ProblemKind::Forbidden.problem(detail)))
    }

    pub fn version_conflict(detail: impl Into<String>) -> Self {
        Self::Conflict(Json(ProblemKind::VersionConflict.problem(detail)))
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        Self::validation(errors)
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { .. } => {
                Self::NotFound(Json(ProblemKind::NotFound.problem(error.to_string())))
            }
            StoreError::VersionConflict { .. } => Self::version_conflict(error.to_string()),
            StoreError::Duplicate {
                ref field,
                ref message,
            } => {
                let problem = ProblemKind::Duplicate.problem(message.clone());
                let problem = if field.is_empty() {
                    problem
                } else {
                    problem.with_errors(vec![FieldProblem {
                        field: field.clone(),
                        message: message.clone(),
                    }])
                };
                Self::Conflict(Json(problem))
            }
            StoreError::Refused(refusal) => {
                let message = refusal.to_string();
                Self::Conflict(Json(ProblemKind::Erased.problem(message.clone()).with_errors(
                    vec![FieldProblem {
                        field: refusal.field().to_owned(),
                        message,
                    }],
                )))
            }
            StoreError::Validation(errors) => Self::validation(errors),
            StoreError::InvalidCursor { reason } => Self::bad_request("cursor", reason),
            StoreError::Unavailable(_) => {
                tracing::warn!(%error, "database unavailable");
                Self::Unavailable(Json(ProblemKind::Unavailable.problem("try again shortly")))
            }
            StoreError::StorageFull(_) => {
                tracing::error!(%error, "write refused");
                Self::InsufficientStorage(Json(ProblemKind::StorageFull.problem(
                    "nothing was written; writes work again once space is freed on the database's disk",
                )))
            }
            StoreError::TimedOut(reason) => Self::Unavailable(Json(ProblemKind::Timeout.problem(reason))),
            StoreError::Busy(reason) => Self::Unavailable(Json(ProblemKind::Busy.problem(reason))),
            StoreError::Corrupt { .. } | StoreError::Internal(_) | StoreError::Database(_) => {
                tracing::error!(%error, "request failed");
                Self::internal()
            }
        }
    }
}

/// Turns any error that reached the edge without being a problem already
/// (poem-openapi's parse errors, unknown routes, ...) into one.
pub async fn into_problem(error: poem::Error) -> Response {
    let status = error.status();
    let response_is_problem = |response: &Response| {
        response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|value| value.as_bytes().starts_with(PROBLEM_CONTENT_TYPE.as_bytes()))
    };
    let mut message = error.to_string();
    let field = if let Some(param) = error.downcast_ref::<poem_openapi::error::ParseParamError>() {
        message = param.reason.clone();
        Some(param.name.to_owned())
    } else if error.is::<poem_openapi::error::ParsePathError>() {
        // Every path parameter of this API is a record id.
        message = "an id in the path is not a valid UUID".into();
        Some("id".to_owned())
    } else if let Some(payload) = error.downcast_ref::<poem_openapi::error::ParseRequestPayloadError>() {
        message = payload.reason.clone();
        Some("body".to_owned())
    } else {
        None
    };
    let response = error.into_response();
    if response_is_problem(&response) {
        return response;
    }
    let mut problem = Problem {
        status: status.as_u16(),
        ..ProblemKind::for_status(status).problem(message.clone())
    };
    if let Some(field) = field {
        problem = problem.with_errors(vec![FieldProblem { field, message }]);
    }
    problem_response(&problem)
}

/// A problem as a response of its status; a 401 carries the bearer
/// challenge (RFC 6750), whoever raised it.
pub fn problem_response(problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = Response::builder()
        .status(status)
        .content_type(PROBLEM_CONTENT_TYPE)
        .body(problem_body(problem));
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(BEARER_CHALLENGE),
        );
    }
    response
}

/// A problem's JSON, for answers written without poem (the listener's).
pub fn problem_body(problem: &Problem) -> Vec<u8> {
    serde_json::to_vec(&poem_openapi::types::ToJSON::to_json(problem)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use poem::IntoResponse as _;
    use serde_json::Value;

    use super::*;

    async fn answer(response: Response) -> (StatusCode, Option<String>, Value) {
        let status = response.status();
        let challenge = response
            .headers()
            .get(header::WWW_AUTHENTICATE)
            .and_then(|value| value.to_str().ok())
            .map(ToOwned::to_owned);
        let body = response.into_body().into_vec().await.unwrap_or_default();
        (
            status,
            challenge,
            serde_json::from_slice(&body).unwrap_or_default(),
        )
    }

    #[tokio::test]
    async fn every_error_is_answered_with_the_status_its_problem_names() {
        let id = uuid::Uuid::nil();
        let mut broken = ValidationErrors::new();
        broken.add("name", "is blank");
        let errors = [
            ApiError::bad_request("limit", "too large"),
            ApiError::validation(broken),
            ApiError::internal(),
            ApiError::forbidden("no"),
            ApiError::version_conflict("stale"),
            StoreError::NotFound {
                entity: "meeting",
                id,
            }
            .into(),
            StoreError::Duplicate {
                field: "name".into(),
                message: "taken".into(),
            }
            .into(),
            StoreError::Unavailable("down".into()).into(),
            StoreError::StorageFull("full".into()).into(),
            StoreError::TimedOut("slow".into()).into(),
            StoreError::Busy("busy".into()).into(),
        ];
        for error in errors {
            let (status, _, problem) = answer(error.into_response()).await;
            assert_eq!(problem["status"], status.as_u16(), "{problem}");
            assert!(
                problem["type"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("/problems/"))
            );
        }
    }

    #[tokio::test]
    async fn every_401_carries_the_bearer_challenge() {
        let raised = crate::auth::unauthorized("no token").into_response();
        let at_the_edge = into_problem(poem::Error::from_status(StatusCode::UNAUTHORIZED)).await;
        for response in [raised, at_the_edge] {
            let (status, challenge, problem) = answer(response).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
            assert_eq!(challenge.as_deref(), Some(BEARER_CHALLENGE));
            assert_eq!(problem["type"], "/problems/unauthorized");
        }
        let (_, challenge, _) = answer(ProblemKind::Forbidden.response("no")).await;
        assert_eq!(challenge, None);
    }

    #[tokio::test]
    async fn a_status_no_kind_stands_for_keeps_its_own() {
        for (status, slug) in [
            (StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed"),
            (StatusCode::CONFLICT, "bad-request"),
            (StatusCode::LENGTH_REQUIRED, "bad-request"),
            (StatusCode::BAD_GATEWAY, "internal"),
        ] {
            let (answered, _, problem) = answer(into_problem(poem::Error::from_status(status)).await).await;
            assert_eq!(answered, status);
            assert_eq!(problem["status"], status.as_u16());
            assert_eq!(problem["type"], format!("/problems/{slug}"));
        }
    }

    #[test]
    fn a_body_written_without_poem_is_the_same_problem() {
        let problem = ProblemKind::TooManyConnections.problem("retry");
        let body: Value = serde_json::from_slice(&problem_body(&problem)).unwrap_or_default();
        assert_eq!(
            body,
            serde_json::json!({
                "type": "/problems/too-many-connections",
                "title": "Too many connections",
                "status": 503,
                "detail": "retry",
            })
        );
    }
}
