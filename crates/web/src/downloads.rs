//! Documents to download from a page (the minutes, the engagement report):
//! built by `samverkan-report` off the async threads, as the API does, and
//! sent with a file name.

use poem::Response;
use poem::http::header;
use samverkan_report::{Document, Format};

use crate::frame::PageError;

/// The format of a page document's download (the minutes, the brief) from
/// its address's extension: `html`, `md` or `pdf`.
pub fn page_format(extension: &str) -> Option<Format> {
    match Format::parse(extension)? {
        format @ (Format::Html | Format::Md | Format::Pdf) => Some(format),
        _ => None,
    }
}

/// `build` rendered as `format`, answered as the file `stem.ext`.
pub async fn document(
    build: impl FnOnce() -> Document + Send + 'static,
    format: Format,
    stem: &str,
) -> Result<Response, PageError> {
    let bytes = tokio::task::spawn_blocking(move || samverkan_report::render(&build(), format))
        .await
        .map_err(|error| PageError::Internal(error.to_string()))?
        .map_err(|error| PageError::Internal(error.to_string()))?;
    // An HTML document opens in the browser; the rest are saved.
    let disposition = if format == Format::Html {
        "inline"
    } else {
        "attachment"
    };
    let builder = Response::builder().content_type(format.content_type()).header(
        header::CONTENT_DISPOSITION,
        format!("{disposition}; filename=\"{stem}.{}\"", format.as_str()),
    );
    // The document's own stylesheet, which the pages' policy would block.
    let builder = if format == Format::Html {
        builder.header(
            header::CONTENT_SECURITY_POLICY,
            samverkan_report::html::content_security_policy(&bytes),
        )
    } else {
        builder
    };
    Ok(builder.body(bytes))
}
