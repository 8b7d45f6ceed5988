//! `/account`: the signed-in user's own things, whatever their role: their
//! language, their password and their API tokens (made here, shown once,
//! revoked here; only their own). Every change is a POST answered with a
//! redirect back to the page (Post/Redirect/Get), except a form with
//! errors, shown again with them, and a new token, shown on the answer
//! itself since its secret may be shown only once and never put in an
//! address.

use askama::Template;
use poem::http::{StatusCode, header};
use poem::web::{Data, Form, Path, Query};
use poem::{Request, Response, handler};
use samverkan_domain::{ApiToken, Language, Password, SignInThrottle, TokenId, UserId, time};
use samverkan_report::Translated;
use samverkan_store::{Store, StoreError};
use serde::Deserialize;
use uuid::Uuid;

use crate::WebConfig;
use crate::forms::{ErrorSummary, FieldErrors};
use crate::frame::{Ctx, PageError, Section, render};
use crate::login::{self, Hashing};
use crate::session::{SignedIn, client_address, see_other};

#[derive(Debug, Default, Deserialize)]
pub struct AccountQuery {
    /// What was just done, for the notice at the top.
    #[serde(default)]
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "account/page.html")]
struct AccountPage {
    ctx: Ctx,
    languages: Vec<(&'static str, &'static str)>,
    tokens: Vec<ApiToken>,
    notice: Option<&'static str>,
    errors: FieldErrors,
    token_name: String,
    token_days: String,
}

impl AccountPage {
    fn summary(&self) -> ErrorSummary<'_> {
        ErrorSummary::new(&self.errors, None)
    }

    fn email(&self) -> &str {
        self.ctx
            .viewer
            .as_ref()
            .map_or("", |viewer| viewer.user.details.email.as_str())
    }

    fn role(&self) -> &'static str {
        self.ctx
            .viewer
            .as_ref()
            .map_or("", |viewer| viewer.user.details.role.label(self.ctx.lang))
    }

    fn language(&self) -> &'static str {
        self.ctx.lang.as_str()
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

fn page(ctx: &Ctx, tokens: Vec<ApiToken>) -> AccountPage {
    AccountPage {
        ctx: ctx.at(Section::Account),
        languages: Language::ALL
            .iter()
            .map(|language| (language.as_str(), language.label(ctx.lang)))
            .collect(),
        tokens,
        notice: None,
        errors: FieldErrors::default(),
        token_name: String::new(),
        token_days: String::new(),
    }
}

#[handler]
pub async fn show(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    signed_in: Data<&SignedIn>,
    Query(query): Query<AccountQuery>,
) -> poem::Result<Response> {
    let tokens = store
        .tokens_of(signed_in.user.id)
        .await
        .map_err(PageError::Store)?;
    let mut page = page(&ctx, tokens);
    let t = ctx.t;
    page.notice = match query.done.as_deref() {
        Some("language") => Some(t.language_saved),
        Some("password") => Some(t.password_changed),
        Some("revoked") => Some(t.token_revoked),
        _ => None,
    };
    Ok(render(&page, StatusCode::OK))
}

#[derive(Debug, Default, Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    language: String,
}

#[handler]
pub async fn set_language(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    signed_in: Data<&SignedIn>,
    Form(form): Form<LanguageForm>,
) -> poem::Result<Response> {
    let Ok(language) = Language::parse("language", &form.language) else {
        let tokens = store
            .tokens_of(signed_in.user.id)
            .await
            .map_err(PageError::Store)?;
        let mut page = page(&ctx, tokens);
        page.errors.add("language", ctx.t.choose_from_list);
        return Ok(render(&page, StatusCode::UNPROCESSABLE_ENTITY));
    };
    ctx.store(&store)
        .set_language(signed_in.user.id, language)
        .await
        .map_err(PageError::Store)?;
    Ok(see_other("/account?done=language"))
}

#[derive(Debug, Default, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_again: String,
}

#[handler]
pub async fn change_password(
    request: &Request,
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    config: Data<&WebConfig>,
    hashing: Data<&Hashing>,
    signed_in: Data<&SignedIn>,
    Form(form): Form<PasswordForm>,
) -> poem::Result<Response> {
    let t = ctx.t;
    let mut errors = FieldErrors::default();
    if form.current_password.is_empty() {
        errors.add("current_password", t.enter_current_password);
    }
    let new = login::new_password(t, &form.new_password, &form.new_password_again, &mut errors);
    let (ctx_now, store_now, user): (&Ctx, &Store, UserId) = (&ctx, &store, signed_in.user.id);
    let reshow = |errors: FieldErrors, status: StatusCode| async move {
        let tokens = store_now.tokens_of(user).await.map_err(PageError::Store)?;
        let mut page = page(ctx_now, tokens);
        page.errors = errors;
        Ok::<Response, poem::Error>(render(&page, status))
    };
    let Some(new) = new.filter(|_| errors.is_empty()) else {
        return reshow(errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };

    // The current password is checked as a sign-in checks it, failures
    // counted alike: a session left open on a shared computer must not
    // become a way to guess it.
    let email = signed_in.user.details.email.clone();
    let address = client_address(request);
    let throttle = SignInThrottle::default();
    let failures = store
        .sign_in_failures(&email, address.as_deref(), throttle.window)
        .await
        .map_err(PageError::Store)?;
    if throttle.locked_until(&failures, time::now()).is_some() {
        let mut errors = FieldErrors::default();
        errors.add("current_password", t.too_many_attempts_title);
        return reshow(errors, StatusCode::TOO_MANY_REQUESTS).await;
    }
    let stored = store
        .credentials(&email)
        .await
        .map_err(PageError::Store)?
        .and_then(|(_, hash)| hash);
    let matches = match (stored, Password::parse(&form.current_password)) {
        (Some(hash), Ok(current)) => login::verify(&hashing, hash, current).await?,
        _ => false,
    };
    if !matches {
        store
            .record_sign_in_failure(&email, address.as_deref())
            .await
            .map_err(PageError::Store)?;
        let mut errors = FieldErrors::default();
        errors.add("current_password", t.wrong_current_password);
        return reshow(errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }

    let hash = login::hash(&hashing, new).await?;
    // Ends every session of the user, this one too; this browser then gets
    // a new one, so the person who changed it stays signed in here only.
    ctx.store(&store)
        .set_password(signed_in.user.id, &hash)
        .await
        .map_err(PageError::Store)?;
    let cookie = login::start_session(request, &store, &config, signed_in.user.id).await?;
    let mut response = see_other("/account?done=password");
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    days: String,
}

#[derive(Template)]
#[template(path = "account/token.html")]
struct TokenPage {
    ctx: Ctx,
    token: ApiToken,
    secret: String,
}

#[handler]
pub async fn create_token(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    signed_in: Data<&SignedIn>,
    Form(form): Form<TokenForm>,
) -> poem::Result<Response> {
    let t = ctx.t;
    let mut errors = FieldErrors::default();
    if form.name.trim().is_empty() {
        errors.add("name", t.enter_token_name);
    } else if ApiToken::parse_name(&form.name).is_err() {
        errors.add("name", t.token_name_too_long);
    }
    let days = match form.days.trim() {
        "" => None,
        raw => match raw.parse::<u32>() {
            Ok(days) if ApiToken::parse_lifetime_days(days).is_ok() => Some(days),
            _ => {
                errors.add("days", t.token_days_invalid);
                None
            }
        },
    };
    if !errors.is_empty() {
        let tokens = store
            .tokens_of(signed_in.user.id)
            .await
            .map_err(PageError::Store)?;
        let mut page = page(&ctx, tokens);
        page.errors = errors;
        page.token_name = form.name;
        page.token_days = form.days;
        return Ok(render(&page, StatusCode::UNPROCESSABLE_ENTITY));
    }
    let (token, secret) = ctx
        .store(&store)
        .issue_token(signed_in.user.id, form.name.trim(), days)
        .await
        .map_err(PageError::Store)?;
    let mut response = render(
        &TokenPage {
            ctx: ctx.at(Section::Account),
            token,
            secret: secret.expose().to_owned(),
        },
        StatusCode::OK,
    );
    // The secret must not stay in any cache, nor come back with "back".
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        poem::http::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

#[handler]
pub async fn revoke_token(
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    signed_in: Data<&SignedIn>,
    Path(id): Path<Uuid>,
) -> poem::Result<Response> {
    let id = TokenId::from(id);
    let token = match store.token(id).await {
        Ok(token) => token,
        Err(StoreError::NotFound { .. }) => return Err(PageError::NotFound.into()),
        Err(error) => return Err(PageError::Store(error).into()),
    };
    // Someone else's token is, to this person, no token at all.
    if token.user_id != signed_in.user.id {
        return Err(PageError::NotFound.into());
    }
    ctx.store(&store)
        .revoke_token(id)
        .await
        .map_err(PageError::Store)?;
    Ok(see_other("/account?done=revoked"))
}
