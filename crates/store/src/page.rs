//! Keyset pagination: a page ends with a cursor naming the last row's sort
//! key and id; the next page starts strictly after it. Unlike offsets, rows
//! added meanwhile neither repeat nor vanish from a walk through the pages.
//!
//! A page can also end strictly before a cursor (the previous page): the
//! list reads in the reverse order from the cursor, and the rows are turned
//! back. Every list does it the same way: [`PageRequest::start`] says which
//! way to read, [`Page::from_rows`] turns the rows and names both cursors.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use chrono::{DateTime, Utc};
use sea_orm::Order;

use samverkan_domain::{FieldError, ValidationErrors};

use crate::StoreError;

/// The most rows one page may hold.
pub const MAX_PAGE_SIZE: u64 = 500;
/// The page size when none is asked for.
pub const DEFAULT_PAGE_SIZE: u64 = 50;

/// Where a page starts (or ends) and how long it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: u64,
    /// The page starts strictly after this cursor (a `next_cursor`).
    pub after: Option<Cursor>,
    /// The page ends strictly before this cursor (a `prev_cursor`); not
    /// together with `after`.
    pub before: Option<Cursor>,
}

impl PageRequest {
    /// The first page, `limit` rows long.
    pub fn first(limit: u64) -> Self {
        Self {
            limit,
            ..Self::default()
        }
    }

    /// Validates a client's `limit` and opaque `cursor` (to start after).
    pub fn parse(limit: Option<u64>, cursor: Option<&str>) -> Result<Self, ValidationErrors> {
        Self::parse_cursors(limit, cursor, None)
    }

    /// Validates a client's `limit` and opaque cursors: `after` (a
    /// `next_cursor`) or `before` (a `prev_cursor`). Giving both is left to
    /// the list to refuse, as for a request built by hand.
    pub fn parse_cursors(
        limit: Option<u64>,
        after: Option<&str>,
        before: Option<&str>,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let limit = limit.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(1..=MAX_PAGE_SIZE).contains(&limit) {
            errors.add("limit", format!("must be between 1 and {MAX_PAGE_SIZE}"));
        }
        let after = errors.collect(after.map(Cursor::decode).transpose());
        let before = errors.collect(before.map(Cursor::decode).transpose());
        errors.finish(|| Self {
            limit,
            after: after.flatten(),
            before: before.flatten(),
        })
    }
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            limit: DEFAULT_PAGE_SIZE,
            after: None,
            before: None,
        }
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

    /// The key as the instant it holds (lists in time order).
    pub(crate) fn instant(&self) -> Result<DateTime<Utc>, StoreError> {
        DateTime::parse_from_rfc3339(&self.key)
            .map(|at| at.with_timezone(&Utc))
            .map_err(|_| StoreError::InvalidCursor {
                reason: "does not hold a time".into(),
            })
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

/// Where a list starts reading, and which way: forward after `cursor`
/// (from the start without one), or backward before it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Start<'a> {
    pub(crate) cursor: Option<&'a Cursor>,
    pub(crate) backward: bool,
}

impl Start<'_> {
    /// The order to read rows in, for a list in `order`: reversed when
    /// reading backward, so that "after the cursor" in the read order is
    /// "before it" in the list's.
    pub(crate) fn order(&self, order: Order) -> Order {
        match (self.backward, order) {
            (false, order) => order,
            (true, Order::Asc) => Order::Desc,
            (true, _) => Order::Asc,
        }
    }
}

impl PageRequest {
    /// Where the page starts, its cursor checked to come from the list
    /// `scope`.
    pub(crate) fn start(&self, scope: &str) -> Result<Start<'_>, StoreError> {
        let (cursor, backward) = match (&self.after, &self.before) {
            (Some(_), Some(_)) => {
                return Err(StoreError::InvalidCursor {
                    reason: "a page starts after a cursor or ends before one, not both".into(),
                });
            }
            (None, Some(before)) => (Some(before), true),
            (after, None) => (after.as_ref(), false),
        };
        match cursor {
            Some(cursor) if cursor.scope != scope => Err(StoreError::InvalidCursor {
                reason: format!("comes from the {} list, not from {scope}", cursor.scope),
            }),
            cursor => Ok(Start { cursor, backward }),
        }
    }
}

/// One page of a list, where the next one starts (`None` on the last) and
/// where the previous one ends (`None` on the first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Give it as [`PageRequest::after`] for the next page.
    pub next_cursor: Option<String>,
    /// Give it as [`PageRequest::before`] for the previous page.
    pub prev_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows fetched in the order of
    /// `start` (see [`Start::order`]): the extra row only tells that there
    /// is more that way. Read backward, the rows are turned back into the
    /// list's order.
    ///
    /// Reading forward from a cursor, the previous page is taken to exist:
    /// the cursor's own row lies before this page (asking the database
    /// would cost a query per page, and a vanished row yields an empty
    /// previous page, not a wrong one). Reading backward, the cursor's row
    /// is the next page's. An empty page names neither cursor: it has no
    /// row to name (the cursor's own row is gone, or was the last).
    pub(crate) fn from_rows<R>(
        mut rows: Vec<R>,
        limit: u64,
        start: &Start<'_>,
        cursor_of: impl Fn(&R) -> Cursor,
        convert: impl Fn(R) -> Result<T, StoreError>,
    ) -> Result<Self, StoreError> {
        let limit = usize::try_from(limit).unwrap_or(usize::MAX);
        let has_more = rows.len() > limit;
        rows.truncate(limit);
        if start.backward {
            rows.reverse();
        }
        let first = rows.first().map(|row| cursor_of(row).encode());
        let last = rows.last().map(|row| cursor_of(row).encode());
        let (next_cursor, prev_cursor) = if start.backward {
            (last, first.filter(|_| has_more))
        } else {
            (
                last.filter(|_| has_more),
                first.filter(|_| start.cursor.is_some()),
            )
        };
        let items = rows.into_iter().map(convert).collect::<Result<_, _>>()?;
        Ok(Self {
            items,
            next_cursor,
            prev_cursor,
        })
    }

    /// The same page holding `items` instead (the rows made whole).
    pub(crate) fn with_items<U>(self, items: Vec<U>) -> Page<U> {
        Page {
            items,
            next_cursor: self.next_cursor,
            prev_cursor: self.prev_cursor,
        }
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
