//! Errors as RFC 9457 problem details (`application/problem+json`).
//!
//! Handlers return [`ApiError`]; everything else that fails before a handler
//! runs (a malformed body, a bad parameter, an unknown route, a body too
//! large) is turned into the same shape by [`into_problem`], so a client
//! meets one error format everywhere.

use poem::Response;
use poem::http::StatusCode;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object};
use samverkan_domain::{FieldError, ValidationErrors};
use samverkan_store::StoreError;

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

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
    pub fn new(status: StatusCode, kind: &str, title: &str, detail: impl Into<String>) -> Self {
        Self {
            kind: format!("/problems/{kind}"),
            title: title.into(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: None,
        }
    }

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
            Problem::new(
                StatusCode::BAD_REQUEST,
                "bad-request",
                "Bad request",
                format!("{field}: {message}"),
            )
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
            Problem::new(StatusCode::BAD_REQUEST, "bad-request", "Bad request", detail)
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
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "The request breaks a rule",
                detail,
            )
            .with_errors(field_problems(errors.into_errors())),
        ))
    }

    /// A fault of the server; the caller logs the cause, the client learns
    /// no more than that.
    pub fn internal() -> Self {
        Self::Internal(Json(Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            "the server failed; the error is logged",
        )))
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::Forbidden(Json(Problem::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "The token's role does not allow this",
            detail,
        )))
    }

    pub fn version_conflict(detail: impl Into<String>) -> Self {
        Self::Conflict(Json(Problem::new(
            StatusCode::CONFLICT,
            "version-conflict",
            "The record has changed since it was read",
            detail,
        )))
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
            StoreError::NotFound { .. } => Self::NotFound(Json(Problem::new(
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found",
                error.to_string(),
            ))),
            StoreError::VersionConflict { .. } => Self::version_conflict(error.to_string()),
            StoreError::Duplicate {
                ref field,
                ref message,
            } => {
                let problem = Problem::new(
                    StatusCode::CONFLICT,
                    "duplicate",
                    "A unique value is taken",
                    message.clone(),
                );
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
            StoreError::Validation(errors) => Self::validation(errors),
            StoreError::InvalidCursor { reason } => Self::bad_request("cursor", reason),
            StoreError::Unavailable(_) => {
                tracing::warn!(%error, "database unavailable");
                Self::Unavailable(Json(Problem::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "The database cannot be reached",
                    "try again shortly",
                )))
            }
            StoreError::StorageFull(_) => {
                tracing::error!(%error, "write refused");
                Self::InsufficientStorage(Json(Problem::new(
                    StatusCode::INSUFFICIENT_STORAGE,
                    "storage-full",
                    "The database's disk is full",
                    "nothing was written; writes work again once space is freed on the database's disk",
                )))
            }
            StoreError::TimedOut(reason) => Self::Unavailable(Json(Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "The request took too long",
                reason,
            ))),
            StoreError::Busy(reason) => Self::Unavailable(Json(Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "The server is busy",
                reason,
            ))),
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
            .get(poem::http::header::CONTENT_TYPE)
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
    let (kind, title) = match status {
        StatusCode::UNAUTHORIZED => ("unauthorized", "A valid API token is required"),
        StatusCode::FORBIDDEN => ("forbidden", "The token's role does not allow this"),
        StatusCode::NOT_FOUND => ("not-found", "Not found"),
        StatusCode::METHOD_NOT_ALLOWED => ("method-not-allowed", "Method not allowed"),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload-too-large", "The request body is too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported-media-type", "Unsupported media type"),
        StatusCode::TOO_MANY_REQUESTS => ("rate-limited", "Too many requests"),
        s if s.is_server_error() => ("internal", "Internal error"),
        _ => ("bad-request", "Bad request"),
    };
    let mut problem = Problem::new(status, kind, title, message.clone());
    if let Some(field) = field {
        problem = problem.with_errors(vec![FieldProblem { field, message }]);
    }
    let mut response = problem_response(status, &problem);
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            poem::http::header::WWW_AUTHENTICATE,
            poem::http::HeaderValue::from_static(BEARER_CHALLENGE),
        );
    }
    response
}

/// The RFC 6750 challenge sent with every 401.
pub const BEARER_CHALLENGE: &str = "Bearer realm=\"samverkan\"";

pub fn problem_response(status: StatusCode, problem: &Problem) -> Response {
    let body = serde_json::to_vec(&poem_openapi::types::ToJSON::to_json(problem)).unwrap_or_default();
    Response::builder()
        .status(status)
        .content_type(PROBLEM_CONTENT_TYPE)
        .body(body)
}
