//! Signing in and out: `GET /login`, `POST /login`, `POST /logout`.
//!
//! A failed sign-in says only "wrong e-mail address or password", whether
//! the account exists or not (and an unknown account costs the same
//! password check, against a dummy hash). Failures are counted in the
//! database per account and per client address, so every server agrees;
//! past the limits the next try waits, growing, and the page says until
//! when. Hashing runs off the async threads, at most two at a time, so a
//! flood of sign-ins cannot take the server's memory (Argon2id uses 19 MiB
//! per hash).

use std::sync::Arc;

use askama::Template;
use poem::http::{StatusCode, header};
use poem::web::{Data, Form, Query};
use poem::{Request, Response, handler};
use samverkan_domain::{Email, Password, PasswordHash, SessionSecret, SignInThrottle, UserId, time};
use samverkan_store::Store;
use serde::Deserialize;
use tokio::sync::Semaphore;

use crate::WebConfig;
use crate::cookies::{self, Lifetime};
use crate::forms::{ErrorSummary, FieldErrors};
use crate::frame::{Ctx, PageError, render};
use crate::i18n::Labels;
use crate::session::{SignedIn, client_address, cookie_name, see_other};

/// The sign-in form's own CSRF cookie (there is no session yet): its value
/// is also the form's hidden `_csrf`, and a POST must carry both.
pub const LOGIN_COOKIE: &str = "samverkan_login";

/// How many passwords are checked at once.
#[derive(Debug, Clone)]
pub struct Hashing(pub Arc<Semaphore>);

impl Default for Hashing {
    fn default() -> Self {
        Self(Arc::new(Semaphore::new(2)))
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    signed_out: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ctx: Ctx,
    csrf: String,
    email: String,
    next: String,
    signed_out: bool,
    errors: FieldErrors,
    /// A failure that belongs to no one field ("wrong e-mail or password").
    problem: Option<&'static str>,
}

impl LoginPage {
    fn summary(&self) -> ErrorSummary<'_> {
        ErrorSummary::new(&self.errors, self.problem.map(|message| ("email", message)))
    }

    /// The e-mail field's message: its own, or the form's ("wrong e-mail
    /// address or password"), shown there as the summary links there.
    fn email_error(&self) -> Option<&str> {
        self.errors.get("email").or(self.problem)
    }
}

#[derive(Template)]
#[template(path = "login_throttled.html")]
struct ThrottledPage {
    ctx: Ctx,
    until: String,
}

/// Where to go after signing in: a path of this site, never another site
/// (`//evil.example`, `/\evil.example`) and never the API.
fn safe_next(next: &str) -> &str {
    let ours = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.starts_with("/api")
        && !next.starts_with("/login");
    if ours { next } else { "/" }
}

/// A fresh form token and the cookie that carries it.
fn form_token(config: &WebConfig) -> poem::Result<(String, poem::http::HeaderValue)> {
    let token = SessionSecret::generate()
        .map_err(poem::error::InternalServerError)?
        .expose()
        .to_owned();
    let cookie = cookies::set(
        LOGIN_COOKIE,
        &token,
        Lifetime::Seconds(1800),
        "Strict",
        config.secure(),
    );
    Ok((token, cookie))
}

fn login_page(mut page: LoginPage, status: StatusCode, config: &WebConfig) -> poem::Result<Response> {
    let (token, cookie) = form_token(config)?;
    page.csrf = token;
    let mut response = render(&page, status);
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}

#[handler]
pub fn show(
    ctx: Data<&Ctx>,
    config: Data<&WebConfig>,
    signed_in: Option<Data<&SignedIn>>,
    Query(query): Query<LoginQuery>,
) -> poem::Result<Response> {
    if signed_in.is_some() {
        return Ok(see_other(safe_next(query.next.as_deref().unwrap_or("/"))));
    }
    let page = LoginPage {
        ctx: (*ctx).clone(),
        csrf: String::new(),
        email: String::new(),
        next: query.next.unwrap_or_default(),
        signed_out: query.signed_out.is_some(),
        errors: FieldErrors::default(),
        problem: None,
    };
    login_page(page, StatusCode::OK, &config)
}

#[handler]
pub async fn sign_in(
    request: &Request,
    ctx: Data<&Ctx>,
    store: Data<&Store>,
    config: Data<&WebConfig>,
    hashing: Data<&Hashing>,
    Form(form): Form<LoginForm>,
) -> poem::Result<Response> {
    let t = ctx.t;
    let mut page = LoginPage {
        ctx: (*ctx).clone(),
        csrf: String::new(),
        email: form.email.clone(),
        next: form.next.clone(),
        signed_out: false,
        errors: FieldErrors::default(),
        problem: None,
    };
    if form.email.trim().is_empty() {
        page.errors.add("email", t.enter_email);
    }
    if form.password.is_empty() {
        page.errors.add("password", t.enter_password);
    }
    if !page.errors.is_empty() {
        return login_page(page, StatusCode::UNPROCESSABLE_ENTITY, &config);
    }
    let address = client_address(request);
    let wrong = |mut page: LoginPage| {
        page.problem = Some(t.wrong_credentials);
        login_page(page, StatusCode::UNAUTHORIZED, &config)
    };
    // Not an e-mail address: no account has it, and there is nothing to
    // count failures against.
    let Ok(email) = Email::parse("email", &form.email) else {
        return wrong(page);
    };
    let throttle = SignInThrottle::default();
    let failures = store
        .sign_in_failures(&email, address.as_deref(), throttle.window)
        .await
        .map_err(PageError::Store)?;
    if let Some(until) = throttle.locked_until(&failures, time::now()) {
        let page = ThrottledPage {
            ctx: (*ctx).clone(),
            until: ctx.fmt.date_time(&until),
        };
        let mut response = render(&page, StatusCode::TOO_MANY_REQUESTS);
        let seconds = (until - time::now()).num_seconds().max(1);
        if let Ok(value) = poem::http::HeaderValue::from_str(&seconds.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return Ok(response);
    }
    let credentials = store.credentials(&email).await.map_err(PageError::Store)?;
    let (user, hash) = match credentials {
        Some((user, Some(hash))) if user.is_enabled() => (Some(user), hash),
        // Unknown, disabled or without a password: the same check, against
        // a hash no password matches, so the answer takes as long.
        _ => (None, PasswordHash::dummy().clone()),
    };
    let matches = match Password::parse(&form.password) {
        Ok(password) => verify(&hashing, hash, password).await?,
        Err(_) => {
            // Too short or too long to be anyone's: the same work anyway.
            let stand_in =
                Password::generate(Password::MIN_CHARS).map_err(poem::error::InternalServerError)?;
            verify(&hashing, PasswordHash::dummy().clone(), stand_in).await?;
            false
        }
    };
    let Some(user) = user.filter(|_| matches) else {
        store
            .record_sign_in_failure(&email, address.as_deref())
            .await
            .map_err(PageError::Store)?;
        return wrong(page);
    };
    store
        .clear_sign_in_failures(&email)
        .await
        .map_err(PageError::Store)?;
    let cookie = start_session(request, &store, &config, user.id).await?;
    let mut response = see_other(safe_next(&form.next));
    let headers = response.headers_mut();
    headers.append(header::SET_COOKIE, cookie);
    headers.append(
        header::SET_COOKIE,
        cookies::set(LOGIN_COOKIE, "", Lifetime::Gone, "Strict", config.secure()),
    );
    Ok(response)
}

/// Starts a session for `user` in this browser: the cookie to set.
/// Always a new secret: a session id planted before sign-in (fixation) is
/// never the one signed in.
pub(crate) async fn start_session(
    request: &Request,
    store: &Store,
    config: &WebConfig,
    user: UserId,
) -> poem::Result<poem::http::HeaderValue> {
    let secret = SessionSecret::generate().map_err(poem::error::InternalServerError)?;
    let agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok());
    store
        .start_session(
            user,
            &secret,
            config.session_lifetime,
            client_address(request).as_deref(),
            agent,
        )
        .await
        .map_err(PageError::Store)?;
    Ok(cookies::set(
        cookie_name(config),
        secret.expose(),
        Lifetime::BrowserSession,
        "Lax",
        config.secure(),
    ))
}

/// Hashes a new password off the async threads, as many at once as
/// [`verify`] checks.
/// A new password typed twice (`new_password`, `new_password_again`), or
/// why not, beside its field: too short or too long (NIST SP 800-63B: no
/// other rules), or the two differ.
pub(crate) fn new_password(
    t: &'static Labels,
    new: &str,
    again: &str,
    errors: &mut FieldErrors,
) -> Option<Password> {
    let Ok(password) = Password::parse(new) else {
        let short = new.chars().count() < Password::MIN_CHARS;
        errors.add(
            "new_password",
            if short {
                t.password_too_short
            } else {
                t.password_too_long
            },
        );
        return None;
    };
    if again != new {
        errors.add("new_password_again", t.passwords_differ);
        return None;
    }
    Some(password)
}

pub(crate) async fn hash(hashing: &Hashing, password: Password) -> poem::Result<PasswordHash> {
    let _permit = hashing
        .0
        .acquire()
        .await
        .map_err(poem::error::InternalServerError)?;
    tokio::task::spawn_blocking(move || PasswordHash::new(&password))
        .await
        .map_err(poem::error::InternalServerError)?
        .map_err(poem::error::InternalServerError)
}

pub(crate) async fn verify(hashing: &Hashing, hash: PasswordHash, password: Password) -> poem::Result<bool> {
    let _permit = hashing
        .0
        .acquire()
        .await
        .map_err(poem::error::InternalServerError)?;
    tokio::task::spawn_blocking(move || hash.verify(&password))
        .await
        .map_err(poem::error::InternalServerError)
}

#[handler]
pub async fn sign_out(
    store: Data<&Store>,
    config: Data<&WebConfig>,
    signed_in: Data<&SignedIn>,
) -> poem::Result<Response> {
    store
        .end_session(&signed_in.secret)
        .await
        .map_err(PageError::Store)?;
    let mut response = see_other("/login?signed_out=1");
    response.headers_mut().append(
        header::SET_COOKIE,
        cookies::set(cookie_name(&config), "", Lifetime::Gone, "Lax", config.secure()),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_never_leaves_the_site() {
        assert_eq!(
            safe_next("/meetings?from=2024-01-01"),
            "/meetings?from=2024-01-01"
        );
        for away in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "/api/v1/users",
            "",
            "/login",
        ] {
            assert_eq!(safe_next(away), "/", "{away}");
        }
    }
}
