//! Lists in pages, with their filters in the address: a list's view can be
//! bookmarked and shared, and the "next" and "previous" links keep every
//! filter. Pages come from the store's keyset cursors.

use samverkan_store::PageRequest;
use serde::Deserialize;

use crate::frame::PageError;
use crate::session::encode_component;

/// How many rows a page of a list shows.
pub const PAGE_SIZE: u64 = 25;

/// The `after` (next page) and `before` (previous page) of a list's address.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    pub after: Option<String>,
    #[serde(default)]
    pub before: Option<String>,
}

impl PageQuery {
    /// The store's request for this page; a cursor that is not ours (edited
    /// by hand, or from another list) is a 400 page.
    pub fn request(&self) -> Result<PageRequest, PageError> {
        let mut request =
            PageRequest::parse(Some(PAGE_SIZE), self.after.as_deref().filter(|c| !c.is_empty()))
                .map_err(|_| PageError::BadRequest)?;
        if let Some(before) = self.before.as_deref().filter(|c| !c.is_empty()) {
            request.before =
                Some(samverkan_store::Cursor::decode(before).map_err(|_| PageError::BadRequest)?);
        }
        Ok(request)
    }
}

/// The address of a list with its filters, for links to other pages of it.
#[derive(Debug, Clone, Default)]
pub struct ListAddress {
    path: String,
    filters: Vec<(&'static str, String)>,
}

impl ListAddress {
    pub fn new(path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            filters: Vec::new(),
        }
    }

    /// Keeps filter `name` in the links, when it has a value.
    pub fn with(mut self, name: &'static str, value: Option<impl ToString>) -> Self {
        if let Some(value) = value
            .map(|value| value.to_string())
            .filter(|value| !value.is_empty())
        {
            self.filters.push((name, value));
        }
        self
    }

    /// The address with one more parameter.
    pub fn href(&self, extra: Option<(&str, &str)>) -> String {
        let mut query: Vec<String> = self
            .filters
            .iter()
            .map(|(name, value)| format!("{name}={}", encode_component(value)))
            .collect();
        if let Some((name, value)) = extra {
            query.push(format!("{name}={}", encode_component(value)));
        }
        if query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, query.join("&"))
        }
    }
}

/// The links under a list.
#[derive(Debug, Clone, Default)]
pub struct Pager {
    pub next: Option<String>,
    pub previous: Option<String>,
}

impl Pager {
    pub fn new<T>(address: &ListAddress, page: &samverkan_store::Page<T>) -> Self {
        Self {
            next: page
                .next_cursor
                .as_deref()
                .map(|cursor| address.href(Some(("after", cursor)))),
            previous: page
                .prev_cursor
                .as_deref()
                .map(|cursor| address.href(Some(("before", cursor)))),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.next.is_none() && self.previous.is_none()
    }
}

/// A page of a list and its links, unless its filters have errors: then
/// nothing is read, and the page shows the errors beside their fields.
pub async fn page_unless<T, F>(
    errors: &crate::forms::FieldErrors,
    address: &ListAddress,
    read: impl FnOnce() -> F,
) -> Result<(Vec<T>, Pager), PageError>
where
    F: Future<Output = Result<samverkan_store::Page<T>, samverkan_store::StoreError>>,
{
    if !errors.is_empty() {
        return Ok((Vec::new(), Pager::default()));
    }
    let page = read().await?;
    let pager = Pager::new(address, &page);
    Ok((page.items, pager))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_every_filter() {
        let address = ListAddress::new("/organisations")
            .with("q", Some("Högskolan Väst"))
            .with("kind", None::<&str>)
            .with("tag", Some(""));
        assert_eq!(address.href(None), "/organisations?q=H%C3%B6gskolan%20V%C3%A4st");
        assert_eq!(
            address.href(Some(("after", "abc"))),
            "/organisations?q=H%C3%B6gskolan%20V%C3%A4st&after=abc"
        );
    }
}
