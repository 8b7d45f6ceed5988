//! What every page shares: the context its frame is drawn from (language,
//! who is signed in and what they may do, the assets), how a template
//! becomes a response, and the error pages.
//!
//! Handlers return `poem::Result`; an error they return — or one poem
//! raises before them (an unknown path, a malformed form) — becomes a page in
//! the reader's language in one place, [`error_page`], called by the
//! session middleware that wraps every page. No error ever reaches a person
//! as JSON or as a bare status.

use askama::Template;
use poem::Response;
use poem::error::ResponseError;
use poem::http::StatusCode;
use samverkan_domain::{Permission, User};
use samverkan_report::Lang;
use samverkan_store::{Actor, Store, StoreError};

use crate::assets::{ASSETS, Assets};
use crate::i18n::{Fmt, Labels, labels};

/// The signed-in user, as the frame shows them.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
}

impl Viewer {
    pub fn may(&self, permission: Permission) -> bool {
        self.user.is_enabled() && self.user.details.role.allows(permission)
    }

    /// The name shown in the header.
    pub fn name(&self) -> &str {
        self.user
            .details
            .display_name
            .as_deref()
            .unwrap_or(self.user.details.email.as_str())
    }
}

/// One entry of the main navigation.
#[derive(Debug)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// The sections of the main navigation, each behind the permission its
/// pages need: a link to what a role may not see is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Start,
    Organisations,
    People,
    Meetings,
    FollowUps,
    Partnerships,
    Engagement,
    Search,
    /// Users and their tokens (admins).
    Users,
    Account,
    /// Pages outside the navigation (sign-in, errors, accessibility).
    None,
}

impl Section {
    const NAV: [Self; 9] = [
        Self::Start,
        Self::Organisations,
        Self::People,
        Self::Meetings,
        Self::FollowUps,
        Self::Partnerships,
        Self::Engagement,
        Self::Search,
        Self::Users,
    ];

    pub fn href(self) -> &'static str {
        match self {
            Self::Start | Self::None => "/",
            Self::Organisations => "/organisations",
            Self::People => "/people",
            Self::Meetings => "/meetings",
            Self::FollowUps => "/follow-ups",
            Self::Partnerships => "/partnerships",
            Self::Engagement => "/engagement",
            Self::Search => "/search",
            Self::Users => "/users",
            Self::Account => "/account",
        }
    }

    fn label(self, t: &'static Labels) -> &'static str {
        match self {
            Self::Start | Self::None => t.nav_start,
            Self::Organisations => t.nav_organisations,
            Self::People => t.nav_people,
            Self::Meetings => t.nav_meetings,
            Self::FollowUps => t.nav_follow_ups,
            Self::Partnerships => t.nav_partnerships,
            Self::Engagement => t.nav_engagement,
            Self::Search => t.nav_search,
            Self::Users => t.nav_users,
            Self::Account => t.my_account,
        }
    }

    /// What a section's pages need; `None` for pages every signed-in user
    /// may see.
    pub fn permission(self) -> Option<Permission> {
        match self {
            Self::Organisations | Self::People | Self::Meetings | Self::FollowUps | Self::Partnerships => {
                Some(Permission::ReadRecords)
            }
            Self::Search => Some(Permission::ReadRecords),
            Self::Engagement => Some(Permission::ReadReports),
            Self::Users => Some(Permission::ManageUsers),
            Self::Start | Self::Account | Self::None => None,
        }
    }
}

/// The context every template is drawn with.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub t: &'static Labels,
    pub fmt: Fmt,
    pub assets: &'static Assets,
    pub viewer: Option<Viewer>,
    /// The CSRF token every state-changing form carries (`_csrf`); empty
    /// before sign-in, where the sign-in form has a token of its own.
    pub csrf: String,
    /// The section the page belongs to, marked in the navigation.
    pub section: Section,
}

impl Ctx {
    pub fn new(lang: Lang, viewer: Option<Viewer>, csrf: String) -> Self {
        Self {
            lang,
            t: labels(lang),
            fmt: Fmt { lang },
            assets: &ASSETS,
            viewer,
            csrf,
            section: Section::None,
        }
    }

    /// The same context, for a page of `section`.
    pub fn at(&self, section: Section) -> Self {
        Self {
            section,
            ..self.clone()
        }
    }

    /// The navigation the viewer may use.
    pub fn nav(&self) -> Vec<NavItem> {
        let Some(viewer) = &self.viewer else {
            return Vec::new();
        };
        Section::NAV
            .into_iter()
            .filter(|section| section.permission().is_none_or(|needed| viewer.may(needed)))
            .map(|section| NavItem {
                href: section.href(),
                label: section.label(self.t),
                current: section == self.section,
            })
            .collect()
    }

    pub fn may(&self, permission: Permission) -> bool {
        self.viewer.as_ref().is_some_and(|viewer| viewer.may(permission))
    }

    /// Whether the signed-in user is user `id` (who may not disable or
    /// demote themselves).
    pub fn is_user(&self, id: samverkan_domain::UserId) -> bool {
        self.viewer.as_ref().is_some_and(|viewer| viewer.user.id == id)
    }

    /// The store, writing as the signed-in user (their audit trail's
    /// author). Only a page behind the sign-in writes, so there is always
    /// one; without, the write would be recorded as the web's own.
    pub fn store(&self, store: &Store) -> Store {
        store.acting_as(match &self.viewer {
            Some(viewer) => Actor::User {
                id: viewer.user.id,
                email: viewer.user.details.email.to_string(),
            },
            None => Actor::Process("web"),
        })
    }

    /// A 403 page unless the viewer's role allows `permission`.
    pub fn require(&self, permission: Permission) -> Result<(), PageError> {
        if self.may(permission) {
            Ok(())
        } else {
            Err(PageError::Forbidden)
        }
    }
}

/// A rendered page with its status. A template that fails to render (it
/// cannot, short of a bug: every value is checked at compile time, but a
/// `Display` may fail) is logged and answered 500.
pub fn render(template: &impl Template, status: StatusCode) -> Response {
    match template.render() {
        Ok(html) => Response::builder()
            .status(status)
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(error) => {
            tracing::error!(%error, "a page failed to render");
            Response::builder()
                .status(StatusCode::INTERNAL_SERVER_ERROR)
                .content_type("text/plain; charset=utf-8")
                .body("Internal error")
        }
    }
}

/// What a page handler can fail with, beyond poem's own errors.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// An address with a value that cannot be read (a hand-edited cursor).
    #[error("bad request")]
    BadRequest,
    /// A form without a valid CSRF token (an old page, or another site).
    #[error("the form's token is missing or wrong")]
    ExpiredForm,
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A bug or a failed worker: logged, answered 500.
    #[error("{0}")]
    Internal(String),
}

impl ResponseError for PageError {
    fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden | Self::ExpiredForm => StatusCode::FORBIDDEN,
            Self::BadRequest => StatusCode::BAD_REQUEST,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Store(error) => match error {
                StoreError::NotFound { .. } => StatusCode::NOT_FOUND,
                StoreError::VersionConflict { .. }
                | StoreError::Duplicate { .. }
                | StoreError::Refused(_) => StatusCode::CONFLICT,
                StoreError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
                StoreError::InvalidCursor { .. } => StatusCode::BAD_REQUEST,
                StoreError::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
                StoreError::Unavailable(_) | StoreError::TimedOut(_) | StoreError::Busy(_) => {
                    StatusCode::SERVICE_UNAVAILABLE
                }
                StoreError::Corrupt { .. } | StoreError::Internal(_) | StoreError::Database(_) => {
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            },
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    ctx: &'a Ctx,
    title: &'static str,
    body: &'static str,
}

/// The page for an error, in the reader's language.
pub fn error_page(ctx: &Ctx, error: &poem::Error) -> Response {
    let status = error.status();
    let t = ctx.t;
    let expired = error
        .downcast_ref::<PageError>()
        .is_some_and(|error| matches!(error, PageError::ExpiredForm));
    let (title, body) = match status {
        _ if expired => (t.expired_form_title, t.expired_form_body),
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => (t.not_found_title, t.not_found_body),
        StatusCode::FORBIDDEN => (t.forbidden_title, t.forbidden_body),
        StatusCode::SERVICE_UNAVAILABLE => (t.unavailable_title, t.unavailable_body),
        StatusCode::INSUFFICIENT_STORAGE => (t.storage_full_title, t.storage_full_body),
        status if status.is_client_error() => (t.bad_request_title, t.bad_request_body),
        _ => (t.internal_error_title, t.internal_error_body),
    };
    if status.is_server_error() {
        tracing::error!(%error, %status, "a page failed");
    }
    render(&ErrorPage { ctx, title, body }, status)
}
