//! Authentication and authorisation: the gate no handler can skip.
//!
//! Every protected operation takes, as an argument, one of the security
//! schemes below: one per [`Permission`]. poem-openapi runs a scheme's
//! checker before the handler body, so a handler that names
//! [`WriteRecords`] cannot run for a token without that permission, and an
//! operation without a scheme argument is visibly open (in the code and in
//! the OpenAPI document, which the authorisation-matrix test walks). The
//! checker finds the token by the hash of its secret, refuses unknown,
//! expired, revoked tokens and disabled users (401), then checks the role
//! against the permission (403).

use poem::http::{HeaderValue, StatusCode, header};
use poem::{Endpoint, IntoResponse, Request, Response};
use poem_openapi::SecurityScheme;
use poem_openapi::auth::Bearer;
use samverkan_domain::{Permission, TokenSecret, User};
use samverkan_store::{Actor, Store};

use crate::hardening::{TokenRateLimit, too_many_requests};
use crate::problem::{ApiError, ProblemKind};

/// Who is calling: the token's user.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
}

/// A 401 answer (with the bearer challenge, as every 401).
pub fn unauthorized(detail: impl Into<String>) -> poem::Error {
    poem::Error::from_response(ProblemKind::Unauthorized.response(detail))
}

fn forbidden(caller: &Caller, permission: Permission) -> poem::Error {
    api_error(ApiError::forbidden(format!(
        "the role {} does not have the permission {permission:?}",
        caller.user.details.role
    )))
}

fn api_error(error: ApiError) -> poem::Error {
    poem::Error::from_response(IntoResponse::into_response(error))
}

/// Authenticates a bearer token (and counts it against its rate limit).
async fn authenticate(req: &Request, token: &str) -> poem::Result<Caller> {
    let secret = TokenSecret::parse(token).map_err(|error| unauthorized(error.to_string()))?;
    let store = req.data::<Store>().ok_or_else(|| {
        tracing::error!("the store is not attached to the request");
        poem::Error::from_status(StatusCode::INTERNAL_SERVER_ERROR)
    })?;
    let found = store
        .authenticate(&secret)
        .await
        .map_err(|error| api_error(error.into()))?;
    let (user, token) = found.map_err(|failure| unauthorized(failure.to_string()))?;
    if let Some(Some(limit)) = req.data::<Option<TokenRateLimit>>() {
        limit.check(token.id).map_err(too_many_requests)?;
    }
    Ok(Caller { user })
}

/// Checks `permission` for the caller [`authenticate_first`] found, or
/// (outside `/api/v1`) authenticates the bearer token first.
async fn authorise(req: &Request, bearer: Bearer, permission: Permission) -> poem::Result<Caller> {
    let caller = match req.extensions().get::<Caller>() {
        Some(caller) => caller.clone(),
        None => authenticate(req, &bearer.token).await?,
    };
    if caller.user.details.role.allows(permission) {
        Ok(caller)
    } else {
        Err(forbidden(&caller, permission))
    }
}

/// Authenticates every `/api/v1` request from its headers before a byte of
/// its body is read: a request without a valid token is answered 401 at
/// once, so a stranger can make the server neither buffer a body nor wait
/// for one. (Its body left unread, such an answer closes the connection.)
/// The caller found is left in the request for the operation's security
/// scheme, which then checks only the role's permission.
pub async fn authenticate_first<E: Endpoint>(next: E, mut request: Request) -> poem::Result<Response> {
    if !request.uri().path().starts_with("/api/v1/") {
        return next.call(request).await.map(IntoResponse::into_response);
    }
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_owned());
    let authenticated = match token {
        Some(token) => authenticate(&request, &token).await,
        None => Err(unauthorized("send an API token: Authorization: Bearer svk_…")),
    };
    match authenticated {
        Ok(caller) => {
            request.extensions_mut().insert(caller);
            next.call(request).await.map(IntoResponse::into_response)
        }
        Err(error) => {
            let announces_body = request.headers().contains_key(header::TRANSFER_ENCODING)
                || request
                    .headers()
                    .get(header::CONTENT_LENGTH)
                    .is_some_and(|length| length.as_bytes() != b"0");
            let mut response = error.into_response();
            if announces_body {
                response
                    .headers_mut()
                    .insert(header::CONNECTION, HeaderValue::from_static("close"));
            }
            Ok(response)
        }
    }
}

/// Defines one bearer security scheme per permission. They share one name
/// (`bearer`) in the OpenAPI document: to a client there is one way to
/// authenticate; what differs is what the token's role must allow.
macro_rules! permission_schemes {
    ($($(#[$doc:meta])* $scheme:ident, $checker:ident, $checker_name:literal => $permission:ident;)+) => {
        $(
            $(#[$doc])*
            /// An API token (`samverkan token create`, or `POST
            /// /api/v1/users/{id}/tokens`), sent as `Authorization: Bearer
            /// svk_…`. What it may do depends on its user's role.
            #[derive(Debug, SecurityScheme)]
            #[oai(rename = "bearer", ty = "bearer", bearer_format = "svk_…", checker = $checker_name)]
            pub struct $scheme(pub Caller);

            async fn $checker(req: &Request, bearer: Bearer) -> poem::Result<Caller> {
                authorise(req, bearer, Permission::$permission).await
            }
        )+
    };
}

permission_schemes! {
    // A token whose role may read records.
    ReadRecords, check_read_records, "check_read_records" => ReadRecords;
    // A token whose role may create, change and archive records.
    WriteRecords, check_write_records, "check_write_records" => WriteRecords;
    // A token whose role may move follow-ups through their statuses.
    UpdateFollowUpStatus, check_update_follow_up_status, "check_update_follow_up_status" => UpdateFollowUpStatus;
    // A token whose role may read engagement figures and reports.
    ReadReports, check_read_reports, "check_read_reports" => ReadReports;
    // A token whose role may manage users and tokens.
    ManageUsers, check_manage_users, "check_manage_users" => ManageUsers;
    // A token whose role may read the audit trail.
    ReadAudit, check_read_audit, "check_read_audit" => ReadAudit;
    // A token whose role may export, erase and restrict a person's data.
    ManagePersonalData, check_manage_personal_data, "check_manage_personal_data" => ManagePersonalData;
}

impl Caller {
    /// Whom the caller's writes are recorded for in the audit trail.
    pub fn actor(&self) -> Actor {
        Actor::User {
            id: self.user.id,
            email: self.user.details.email.as_str().to_owned(),
        }
    }
}

/// The store, writing on behalf of the token's user: every handler that
/// writes goes through this, so the audit trail names who did it.
macro_rules! acting_store {
    ($($scheme:ident),+) => {
        $(
            impl $scheme {
                pub fn store(&self, store: &Store) -> Store {
                    store.acting_as(self.0.actor())
                }
            }
        )+
    };
}

acting_store!(
    WriteRecords,
    UpdateFollowUpStatus,
    ManageUsers,
    ManagePersonalData
);
