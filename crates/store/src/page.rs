//! Keyset pagination: a page ends with a cursor naming the last row's sort
//! key and id; the next page starts strictly after it. Unlike offsets, rows
//! added meanwhile neither repeat nor vanish from a walk through the pages.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use samverkan_domain::{FieldError, ValidationErrors};

/// The most rows one page may hold.
pub const MAX_PAGE_SIZE: u64 = 500;
/// The page size when none is asked for.
pub const DEFAULT_PAGE_SIZE: u64 = 50;

/// Where a page starts and how long it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u64,
    pub after: Option<Cursor>,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            limit: DEFAULT_PAGE_SIZE,
            after: None,
        }
    }
}

impl PageRequest {
    /// Validates a client's `limit` and opaque `cursor`.
    pub fn parse(limit: Option<u64>, cursor: Option<&str>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let limit = limit.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(1..=MAX_PAGE_SIZE).contains(&limit) {
            errors.add("limit", format!("must be between 1 and {MAX_PAGE_SIZE}"));
        }
        let after = errors.collect(cursor.map(Cursor::decode).transpose());
        errors.finish(|| Self {
            limit,
            after: after.flatten(),
        })
    }
}

/// The position after which a page starts: the list it belongs to, and the
/// sort key and id of the last row of the previous page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// Which list gave it out (`organisations`, `meetings`, ...): a cursor
    /// is refused by any other list.
    pub scope: String,
    pub key: String,
    pub id: Uuid,
}

impl Cursor {
    pub fn new(scope: &str, key: impl Into<String>, id: Uuid) -> Self {
        Self {
            scope: scope.to_owned(),
            key: key.into(),
            id,
        }
    }

    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{}\n{}\n{}", self.scope, self.id, self.key))
    }

    pub fn decode(raw: &str) -> Result<Self, FieldError> {
        let invalid = || FieldError::new("cursor", "is not a cursor this server gave out");
        let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| invalid())?;
        let text = String::from_utf8(bytes).map_err(|_| invalid())?;
        let mut parts = text.splitn(3, '\n');
        let (Some(scope), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(invalid());
        };
        let id = Uuid::parse_str(id).map_err(|_| invalid())?;
        // Keys this server writes are printable ASCII (hex sort keys, RFC 3339
        // instants); anything else would only reach the database to fail.
        if !key.chars().all(|c| c.is_ascii_graphic()) {
            return Err(invalid());
        }
        Ok(Self::new(scope, key, id))
    }
}

impl PageRequest {
    /// The cursor to start after, checked to come from the list `scope`.
    pub(crate) fn after(&self, scope: &str) -> Result<Option<&Cursor>, crate::StoreError> {
        match &self.after {
            Some(cursor) if cursor.scope != scope => Err(crate::StoreError::InvalidCursor {
                reason: format!("comes from the {} list, not from {scope}", cursor.scope),
            }),
            after => Ok(after.as_ref()),
        }
    }
}

/// One page of a list, and where the next one starts (`None` on the last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows fetched in order: the extra
    /// row only tells that there is a next page.
    pub(crate) fn from_rows<R>(
        mut rows: Vec<R>,
        limit: u64,
        cursor_of: impl Fn(&R) -> Cursor,
        convert: impl Fn(R) -> Result<T, crate::StoreError>,
    ) -> Result<Self, crate::StoreError> {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let has_more = rows.len() > limit;
        rows.truncate(limit);
        let next_cursor = if has_more {
            rows.last().map(|row| cursor_of(row).encode())
        } else {
            None
        };
        let items = rows.into_iter().map(convert).collect::<Result<_, _>>()?;
        Ok(Self { items, next_cursor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip() {
        for (scope, key) in [
            ("organisations", "0068006f"),
            ("meetings", "2024-04-25T22:00:00+00:00"),
            ("follow_ups", ""),
        ] {
            let cursor = Cursor::new(scope, key, Uuid::now_v7());
            assert_eq!(Cursor::decode(&cursor.encode()).unwrap(), cursor);
        }
        let unprintable = Cursor::new("organisations", "00\u{0}68", Uuid::now_v7());
        assert!(Cursor::decode(&unprintable.encode()).is_err());
    }

    #[test]
    fn foreign_cursors_are_rejected() {
        assert!(Cursor::decode("not a cursor").is_err());
        assert!(Cursor::decode(&URL_SAFE_NO_PAD.encode("x\ny")).is_err());
        assert!(Cursor::decode(&URL_SAFE_NO_PAD.encode("meetings\nnot-a-uuid\nkey")).is_err());
    }

    #[test]
    fn page_sizes_are_bounded() {
        assert!(PageRequest::parse(Some(0), None).is_err());
        assert!(PageRequest::parse(Some(501), None).is_err());
        assert_eq!(PageRequest::parse(None, None).unwrap().limit, 50);
    }
}
