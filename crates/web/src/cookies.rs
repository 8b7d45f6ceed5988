//! Reading the `Cookie` header and writing `Set-Cookie`: the few lines the
//! pages need, rather than poem's cookie jar (whose `Request::cookie()`
//! panics unless its middleware is mounted).

use poem::Request;
use poem::http::{HeaderValue, header};

/// The value of cookie `name`, if the request carries it.
pub fn get<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"'))
}

/// How long a cookie lives.
#[derive(Debug, Clone, Copy)]
pub enum Lifetime {
    /// Until the browser closes (the server decides when a session ends).
    BrowserSession,
    Seconds(u64),
    /// Delete it now.
    Gone,
}

/// A `Set-Cookie` value: always `Path=/`, `HttpOnly`, `SameSite`, and
/// `Secure` when the site is reached over HTTPS. `value` must be a cookie
/// value (our own base64url or a language tag: no spaces, `;` or quotes).
pub fn set(name: &str, value: &str, lifetime: Lifetime, same_site: &str, secure: bool) -> HeaderValue {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}");
    match lifetime {
        Lifetime::BrowserSession => {}
        Lifetime::Seconds(seconds) => cookie.push_str(&format!("; Max-Age={seconds}")),
        Lifetime::Gone => cookie.push_str("; Max-Age=0"),
    }
    if secure {
        cookie.push_str("; Secure");
    }
    // Only our own names and values reach here; none holds a byte a header
    // may not.
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_cookie_among_others() {
        let request = Request::builder()
            .header(header::COOKIE, "a=1; samverkan_lang=en")
            .header(header::COOKIE, "b=2")
            .finish();
        assert_eq!(get(&request, "samverkan_lang"), Some("en"));
        assert_eq!(get(&request, "b"), Some("2"));
        assert_eq!(get(&request, "lang"), None);
    }

    #[test]
    fn set_cookie_carries_every_flag() {
        let value = set("s", "x", Lifetime::BrowserSession, "Lax", true);
        assert_eq!(value, "s=x; Path=/; HttpOnly; SameSite=Lax; Secure");
        let gone = set("s", "", Lifetime::Gone, "Strict", false);
        assert_eq!(gone, "s=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    }
}
