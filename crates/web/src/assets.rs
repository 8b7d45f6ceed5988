//! The stylesheet, script and icon, embedded in the binary and served under
//! names that carry a hash of their contents (`app-1a2b3c4d5e6f.css`): a
//! changed file gets a new name, so browsers may keep each one for a year,
//! and a deploy never serves a page with an old stylesheet.

use std::sync::LazyLock;

use poem::http::{HeaderValue, StatusCode, header};
use poem::web::Path;
use poem::{Request, Response, handler};
use sha2::{Digest, Sha256};

/// One embedded file.
#[derive(Debug)]
pub struct Asset {
    /// The name it is served under, with its hash.
    pub name: String,
    /// `"…"`, for `ETag` and `If-None-Match`.
    etag: String,
    content_type: &'static str,
    bytes: &'static [u8],
}

impl Asset {
    fn new(stem: &str, extension: &str, content_type: &'static str, bytes: &'static [u8]) -> Self {
        let digest = Sha256::digest(bytes);
        let hash: String = digest.iter().take(6).map(|byte| format!("{byte:02x}")).collect();
        Self {
            name: format!("{stem}-{hash}.{extension}"),
            etag: format!("\"{hash}\""),
            content_type,
            bytes,
        }
    }

    /// The address templates link to.
    pub fn href(&self) -> String {
        format!("/static/{}", self.name)
    }
}

/// Every file the pages use.
#[derive(Debug)]
pub struct Assets {
    pub css: Asset,
    pub js: Asset,
    pub icon: Asset,
}

pub static ASSETS: LazyLock<Assets> = LazyLock::new(|| Assets {
    css: Asset::new(
        "app",
        "css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/app.css"),
    ),
    js: Asset::new(
        "app",
        "js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/app.js"),
    ),
    icon: Asset::new(
        "icon",
        "svg",
        "image/svg+xml",
        include_bytes!("../assets/favicon.svg"),
    ),
});

/// `GET /static/{name}`: a file by its hashed name; any other name is 404
/// (an old name after a deploy, too: the page linking to it was old).
#[handler]
pub fn serve(Path(name): Path<String>, request: &Request) -> Response {
    let assets = &*ASSETS;
    let Some(asset) = [&assets.css, &assets.js, &assets.icon]
        .into_iter()
        .find(|asset| asset.name == name)
    else {
        return StatusCode::NOT_FOUND.into();
    };
    let cached = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == asset.etag));
    let builder = Response::builder()
        .header(header::CACHE_CONTROL, "public, max-age=31536000, immutable")
        .header(
            header::ETAG,
            HeaderValue::from_str(&asset.etag).unwrap_or(HeaderValue::from_static("")),
        );
    if cached {
        return builder.status(StatusCode::NOT_MODIFIED).finish();
    }
    builder.content_type(asset.content_type).body(asset.bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_carry_the_hash_of_the_contents() {
        let css = &ASSETS.css;
        assert!(css.name.starts_with("app-") && css.name.ends_with(".css"));
        let hash = &css.name["app-".len()..css.name.len() - ".css".len()];
        assert_eq!(hash.len(), 12);
        assert_eq!(css.etag, format!("\"{hash}\""));
        assert_ne!(
            ASSETS.css.name,
            Asset::new("app", "css", "text/css", b"other").name
        );
    }
}
