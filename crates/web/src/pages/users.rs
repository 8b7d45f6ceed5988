//! `/users` (admins: `ManageUsers`): the users who work in Samverkan, a new
//! one added, and on a user's page: disabling and enabling them (their
//! sessions and tokens stop at once), setting a new password (their
//! sessions end), and their API tokens, revoked here. The same store calls
//! as the API's `/api/v1/users`, audited as the signed-in admin.
//!
//! A new user is added without a password and gets one on their page: two
//! single writes the admin sees one after the other, rather than one form
//! whose second half could fail after its first was saved.

use askama::Template;
use poem::http::StatusCode;
use poem::web::{Data, Form, Path, Query};
use poem::{Response, handler};
use samverkan_domain::{ApiToken, Permission, Role, TokenId, User, UserDetails, UserId, UserInput, time};
use samverkan_report::Translated;
use samverkan_store::{Store, StoreError};
use serde::Deserialize;
use uuid::Uuid;

use crate::forms::{ErrorSummary, FieldErrors};
use crate::frame::{Ctx, PageError, Section, render};
use crate::login::{self, Hashing};
use crate::paging::{ListAddress, PageQuery, Pager};
use crate::session::see_other;

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(flatten)]
    page: PageQuery,
}

#[derive(Template)]
#[template(path = "users/list.html")]
struct ListPage {
    ctx: Ctx,
    users: Vec<User>,
    pager: Pager,
}

impl ListPage {
    fn role(&self, user: &User) -> &'static str {
        user.details.role.label(self.ctx.lang)
    }
}

#[handler]
pub async fn list(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Query(query): Query<ListQuery>,
) -> poem::Result<Response> {
    ctx.require(Permission::ManageUsers)?;
    let page = store
        .list_users(&query.page.request()?)
        .await
        .map_err(PageError::Store)?;
    let pager = Pager::new(&ListAddress::new("/users"), &page);
    Ok(render(
        &ListPage {
            ctx: ctx.at(Section::Users),
            users: page.items,
            pager,
        },
        StatusCode::OK,
    ))
}

/// The new-user form, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct UserForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
}

#[derive(Template)]
#[template(path = "users/new.html")]
struct NewPage {
    ctx: Ctx,
    form: UserForm,
    roles: Vec<(&'static str, &'static str)>,
    errors: FieldErrors,
}

impl NewPage {
    fn new(ctx: &Ctx, form: UserForm, errors: FieldErrors) -> Self {
        Self {
            ctx: ctx.at(Section::Users),
            form,
            roles: role_choices(ctx),
            errors,
        }
    }

    fn summary(&self) -> ErrorSummary<'_> {
        ErrorSummary::new(&self.errors, None)
    }

    fn saved(&self, _field: &str) -> Option<&str> {
        None
    }
}

#[handler]
pub async fn new(ctx: Data<&Ctx>) -> poem::Result<Response> {
    ctx.require(Permission::ManageUsers)?;
    Ok(render(
        &NewPage::new(&ctx, UserForm::default(), FieldErrors::default()),
        StatusCode::OK,
    ))
}

#[handler]
pub async fn create(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Form(form): Form<UserForm>,
) -> poem::Result<Response> {
    ctx.require(Permission::ManageUsers)?;
    let t = ctx.t;
    let mut errors = FieldErrors::default();
    // The domain reads an empty address as no address at all; a person
    // reads "enter one".
    if form.email.trim().is_empty() {
        errors.add("email", t.enter_user_email);
    }
    let role = match form.role.trim() {
        "" => None,
        raw => match Role::parse("role", raw) {
            Ok(role) => Some(role),
            Err(_) => {
                errors.add("role", t.choose_from_list);
                None
            }
        },
    };
    let input = UserInput {
        email: form.email.clone(),
        role,
        display_name: Some(form.display_name.clone()).filter(|name| !name.trim().is_empty()),
        representative_id: None,
    };
    let required = |field: &str| match field {
        "email" => Some(t.enter_user_email),
        "role" => Some(t.choose_user_role),
        _ => None,
    };
    let details = match UserDetails::parse(&input) {
        Ok(details) if errors.is_empty() => details,
        parsed => {
            if let Err(invalid) = parsed {
                errors.merge(FieldErrors::from_domain(
                    ctx.lang,
                    invalid.errors(),
                    str::to_owned,
                    required,
                ));
            }
            return Ok(render(&NewPage::new(&ctx, form, errors), StatusCode::BAD_REQUEST));
        }
    };
    match ctx.store(&store).create_user(details).await {
        Ok(user) => Ok(see_other(&format!("/users/{}?done=created", user.id))),
        Err(StoreError::Duplicate { .. }) => {
            errors.add("email", t.user_email_taken);
            Ok(render(&NewPage::new(&ctx, form, errors), StatusCode::CONFLICT))
        }
        Err(error) => Err(PageError::Store(error).into()),
    }
}

#[derive(Template)]
#[template(path = "users/page.html")]
struct UserPage {
    ctx: Ctx,
    user: User,
    roles: Vec<(&'static str, &'static str)>,
    tokens: Vec<ApiToken>,
    notice: Option<&'static str>,
    errors: FieldErrors,
}

impl UserPage {
    /// No saved value beside a field: these forms have no edit conflict.
    fn none(&self) -> Option<&'static str> {
        None
    }

    fn role(&self) -> &'static str {
        self.user.details.role.label(self.ctx.lang)
    }

    fn is_me(&self) -> bool {
        self.ctx.is_user(self.user.id)
    }

    fn summary(&self) -> ErrorSummary<'_> {
        ErrorSummary::new(&self.errors, None)
    }

    /// "Revoked", "Expired", or nothing for a token in use.
    fn token_state(&self, token: &ApiToken) -> Option<&'static str> {
        if token.revoked_at.is_some() {
            Some(self.ctx.t.revoked)
        } else if token.expires_at.is_some_and(|expires| expires <= time::now()) {
            Some(self.ctx.t.expired)
        } else {
            None
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    done: Option<String>,
}

/// The roles a user may be given, as (value, name).
fn role_choices(ctx: &Ctx) -> Vec<(&'static str, &'static str)> {
    Role::ALL
        .iter()
        .map(|role| (role.as_str(), role.label(ctx.lang)))
        .collect()
}

async fn user_page(ctx: &Ctx, store: &Store, id: UserId, errors: FieldErrors) -> Result<UserPage, PageError> {
    let user = store.user(id).await?;
    let tokens = store.tokens_of(id).await?;
    Ok(UserPage {
        ctx: ctx.at(Section::Users),
        user,
        roles: role_choices(ctx),
        tokens,
        notice: None,
        errors,
    })
}

#[handler]
pub async fn show(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
    Query(query): Query<ShowQuery>,
) -> poem::Result<Response> {
    ctx.require(Permission::ManageUsers)?;
    let mut page = user_page(&ctx, &store, UserId::from(id), FieldErrors::default()).await?;
    let t = ctx.t;
    page.notice = match query.done.as_deref() {
        Some("created") => Some(t.user_added),
        Some("disabled") => Some(t.user_disabled),
        Some("enabled") => Some(t.user_enabled),
        Some("role") => Some(t.user_role_changed),
        Some("password") => Some(t.user_password_set),
        Some("revoked") => Some(t.token_revoked),
        _ => None,
    };
    Ok(render(&page, StatusCode::OK))
}

#[derive(Debug, Default, Deserialize)]
pub struct DisabledForm {
    /// `1` to disable, `0` to enable.
    #[serde(default)]
    disabled: String,
}

#[handler]
pub async fn set_disabled(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
    Form(form): Form<DisabledForm>,
) -> poem::Result<Response> {
    ctx.require(Permission::ManageUsers)?;
    let id = UserId::from(id);
    let disabled = match form.disabled.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(PageError::BadRequest.into()),
    };
    // An admin who disabled themselves would be signed out mid-sentence,
    // and could leave no admin at all: another admin must do it.
    if disabled && ctx.is_user(id) {
        let mut errors = FieldErrors::default();
        errors.add("disabled", ctx.t.cannot_disable_yourself);
        let page = user_page(&ctx, &store, id, errors).await?;
        return Ok(render(&page, StatusCode::CONFLICT));
    }
    ctx.store(&store)
        .set_user_disabled(id, disabled)
        .await
        .map_err(PageError::Store)?;
    let done = if disabled { "disabled" } else { "enabled" };
    Ok(see_other(&format!("/users/{}?done={done}", id.as_uuid())))
}

#[derive(Debug, Default, Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

/// `POST /users/:id/role`: another user's role (an admin's own is changed
/// by another admin, so that no one locks the last admin out by mistake).
#[handler]
pub async fn set_role(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path(id): Path<Uuid>,
    Form(form): Form<RoleForm>,
) -> poem::Result<Response> {
    ctx.require(Permission::ManageUsers)?;
    let id = UserId::from(id);
    let mut errors = FieldErrors::default();
    let role = Role::parse("role", form.role.trim())
        .map_err(|_| errors.add("role", ctx.t.choose_user_role))
        .ok();
    if ctx.is_user(id) {
        errors.add("role", ctx.t.cannot_change_own_role);
    }
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        let page = user_page(&ctx, &store, id, errors).await?;
        return Ok(render(&page, StatusCode::BAD_REQUEST));
    };
    ctx.store(&store)
        .set_user_role(id, role)
        .await
        .map_err(PageError::Store)?;
    Ok(see_other(&format!("/users/{}?done=role", id.as_uuid())))
}

#[derive(Debug, Default, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_again: String,
}

#[handler]
pub async fn set_password(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    hashing: Data<&Hashing>,
    Path(id): Path<Uuid>,
    Form(form): Form<PasswordForm>,
) -> poem::Result<Response> {
    ctx.require(Permission::ManageUsers)?;
    let id = UserId::from(id);
    let mut errors = FieldErrors::default();
    let password = login::new_password(ctx.t, &form.new_password, &form.new_password_again, &mut errors);
    let Some(password) = password.filter(|_| errors.is_empty()) else {
        let page = user_page(&ctx, &store, id, errors).await?;
        return Ok(render(&page, StatusCode::UNPROCESSABLE_ENTITY));
    };
    // Known first: no hashing for nobody.
    let user = store.user(id).await.map_err(PageError::Store)?;
    let hash = login::hash(&hashing, password).await?;
    ctx.store(&store)
        .set_password(user.id, &hash)
        .await
        .map_err(PageError::Store)?;
    Ok(see_other(&format!("/users/{}?done=password", id.as_uuid())))
}

#[handler]
pub async fn revoke_token(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    Path((id, token)): Path<(Uuid, Uuid)>,
) -> poem::Result<Response> {
    ctx.require(Permission::ManageUsers)?;
    let token_id = TokenId::from(token);
    let found = store.token(token_id).await.map_err(PageError::Store)?;
    // The token must be this user's: the address names both.
    if found.user_id != UserId::from(id) {
        return Err(PageError::NotFound.into());
    }
    ctx.store(&store)
        .revoke_token(token_id)
        .await
        .map_err(PageError::Store)?;
    Ok(see_other(&format!("/users/{id}?done=revoked")))
}
