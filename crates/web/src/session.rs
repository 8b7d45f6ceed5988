//! Who is signed in, and the gate every page passes through.
//!
//! A session lives in the database (so any server behind a load balancer
//! serves any user, and signing out, disabling a user or changing a
//! password ends it on every server at once); the browser holds only its
//! random secret, in an `HttpOnly`, `SameSite=Lax` cookie. Every
//! state-changing request must carry the session's CSRF token in its form
//! (`_csrf`), checked here before any handler runs, so no handler can
//! forget it. See docs/web.md.

use std::sync::Arc;

use poem::http::{Method, StatusCode, header};
use poem::web::RemoteAddr;
use poem::{Endpoint, IntoResponse, Request, Response};
use samverkan_domain::{SessionSecret, User};
use samverkan_report::Lang;
use samverkan_store::Store;

use crate::cookies::{self, Lifetime};
use crate::frame::{self, Ctx, PageError, Viewer};
use crate::{LANGUAGE_COOKIE, WebConfig, pages};

/// The session cookie's name; `__Host-` over HTTPS, which browsers accept
/// only with `Secure`, `Path=/` and no `Domain` (so no subdomain can set it).
pub fn cookie_name(config: &WebConfig) -> &'static str {
    if config.secure() {
        "__Host-samverkan_session"
    } else {
        "samverkan_session"
    }
}

/// The signed-in user of a request, for handlers (`Data<&SignedIn>`).
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub secret: Arc<SessionSecret>,
}

/// Paths anyone may open, signed in or not.
fn is_open(path: &str) -> bool {
    path == "/login" || path == "/tillganglighet" || path.starts_with("/static/")
}

/// The client's address, for the sign-in throttle and the session's record.
pub fn client_address(request: &Request) -> Option<String> {
    match request.remote_addr() {
        RemoteAddr(poem::Addr::SocketAddr(address)) => Some(address.ip().to_string()),
        _ => None,
    }
}

/// Resolves the session, gives the page its [`Ctx`], checks CSRF tokens,
/// sends a stranger to sign in, and turns every error into a page in the
/// reader's language.
pub async fn gate<E: Endpoint>(next: E, mut request: Request) -> poem::Result<Response> {
    let (Some(store), Some(config)) = (
        request.data::<Store>().cloned(),
        request.data::<WebConfig>().cloned(),
    ) else {
        return Err(poem::Error::from_status(StatusCode::INTERNAL_SERVER_ERROR));
    };
    let (lang, chosen) = crate::language(&request);
    let signed_in = match cookies::get(&request, cookie_name(&config)).map(SessionSecret::parse) {
        Some(Ok(secret)) => match store.session(&secret, config.session_idle).await {
            Ok(Ok((user, _))) => Some(SignedIn {
                user,
                secret: Arc::new(secret),
            }),
            Ok(Err(_)) => None,
            Err(error) => {
                let ctx = Ctx::new(lang, None, String::new());
                return Ok(frame::error_page(&ctx, &PageError::Store(error).into()));
            }
        },
        // A malformed cookie is no session.
        Some(Err(_)) | None => None,
    };
    let ctx = match &signed_in {
        Some(signed_in) => Ctx::new(
            Lang::from(signed_in.user.language),
            Some(Viewer {
                user: signed_in.user.clone(),
            }),
            signed_in.secret.csrf_token(),
        ),
        None => Ctx::new(lang, None, String::new()),
    };
    let path = request.uri().path().to_owned();
    if signed_in.is_none() && !is_open(&path) {
        if request.method() == Method::GET || request.method() == Method::HEAD {
            return Ok(see_other(&sign_in_address(&request)));
        }
        // A long form sent after its session expired is kept, not lost
        // (only one of our own pages' forms: another site's is refused).
        if request.method() == Method::POST
            && pages::meeting_form::keeps_expired(&path)
            && !is_foreign(&request)
        {
            let body = request.take_body().into_bytes().await?;
            return Ok(pages::meeting_form::keep_expired(&store, &config, &path, &body)
                .await
                .unwrap_or_else(|error| frame::error_page(&ctx, &error.into())));
        }
        return Ok(frame::error_page(&ctx, &PageError::ExpiredForm.into()));
    }
    if !is_safe(request.method())
        && let Err(error) = check_csrf(&mut request, &ctx).await
    {
        return Ok(frame::error_page(&ctx, &error));
    }
    request.extensions_mut().insert(ctx.clone());
    if let Some(signed_in) = signed_in {
        request.extensions_mut().insert(signed_in);
    }
    let mut response = match next.call(request).await {
        Ok(response) => response.into_response(),
        Err(error) => frame::error_page(&ctx, &error),
    };
    if chosen && ctx.viewer.is_none() {
        // Remembered for the pages that follow, a year at most.
        response.headers_mut().append(
            header::SET_COOKIE,
            cookies::set(
                LANGUAGE_COOKIE,
                lang.as_str(),
                Lifetime::Seconds(365 * 24 * 3600),
                "Lax",
                config.secure(),
            ),
        );
    }
    Ok(response)
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// `/login?next=…`, back to where the reader was going.
fn sign_in_address(request: &Request) -> String {
    let wanted = request.uri().path_and_query().map_or("/", |path| path.as_str());
    if wanted == "/" {
        "/login".to_owned()
    } else {
        format!("/login?next={}", encode_component(wanted))
    }
}

/// Percent-encodes a query value.
pub fn encode_component(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                encoded.push(char::from(byte));
            }
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    encoded
}

/// A `303 See Other` to `location` (after a form, or to sign in).
pub fn see_other(location: &str) -> Response {
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(header::LOCATION, location)
        .finish()
}

/// A state-changing request is refused unless it comes from our own pages
/// (`Sec-Fetch-Site`, where the browser sends it) and its form carries the
/// session's CSRF token — or, for signing in, the token of the sign-in
/// form's own cookie. The body is read here (it is already capped) and put
/// back for the handler.
async fn check_csrf(request: &mut Request, ctx: &Ctx) -> poem::Result<()> {
    let refused = || poem::Error::from(PageError::ExpiredForm);
    if is_foreign(request) {
        return Err(refused());
    }
    let body = request.take_body().into_bytes().await?;
    let sent = form_value(&body, "_csrf");
    request.set_body(body);
    let expected = if ctx.viewer.is_some() {
        ctx.csrf.clone()
    } else {
        // Only `/login` is open to a POST without a session.
        cookies::get(request, crate::login::LOGIN_COOKIE)
            .unwrap_or_default()
            .to_owned()
    };
    match sent {
        Some(sent) if !expected.is_empty() && same(sent.as_bytes(), expected.as_bytes()) => Ok(()),
        _ => Err(refused()),
    }
}

/// Whether the browser says the request comes from another site
/// (`Sec-Fetch-Site`, where it sends it).
fn is_foreign(request: &Request) -> bool {
    request
        .headers()
        .get("sec-fetch-site")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|site| site != "same-origin" && site != "none")
}

/// The value of `name` in an `application/x-www-form-urlencoded` body.
fn form_value(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

/// Compares in time independent of where the first difference is, so the
/// token cannot be guessed byte by byte from response times.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_addresses_are_encoded() {
        assert_eq!(
            encode_component("/meetings?from=2024-01-01&q=å"),
            "/meetings%3Ffrom%3D2024-01-01%26q%3D%C3%A5"
        );
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(same(b"abc", b"abc"));
        assert!(!same(b"abc", b"abd"));
        assert!(!same(b"abc", b"abcd"));
    }

    #[test]
    fn the_token_is_found_in_a_form() {
        assert_eq!(form_value(b"a=1&_csrf=x%2By", "_csrf").as_deref(), Some("x+y"));
        assert_eq!(form_value(b"a=1", "_csrf"), None);
    }
}
