//! The "History" section of a record's page: who changed what, and when,
//! from the audit trail (read under the same permission as the API's
//! `/…/{id}/history`).

use samverkan_store::{AuditEvent, AuditFilter, PageRequest, Store};
use uuid::Uuid;

use crate::frame::PageError;

/// One change of a record.
#[derive(Debug)]
pub struct HistoryEntry {
    pub event: AuditEvent,
    /// The fields the change touched: name, before, after.
    pub changes: Vec<(String, String, String)>,
}

/// The newest changes of record `id`, at most `limit`.
pub async fn of(store: &Store, id: Uuid, limit: u64) -> Result<Vec<HistoryEntry>, PageError> {
    let filter = AuditFilter {
        entity_id: Some(id),
        ..AuditFilter::default()
    };
    let page = store
        .audit_trail(
            &filter,
            &PageRequest {
                limit,
                ..PageRequest::default()
            },
        )
        .await?;
    Ok(page
        .items
        .into_iter()
        .map(|event| HistoryEntry {
            changes: changes(event.before.as_ref(), event.after.as_ref()),
            event,
        })
        .collect())
}

/// The fields whose values differ between two snapshots, in name order.
fn changes(
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> Vec<(String, String, String)> {
    let empty = serde_json::Map::new();
    let before = before.and_then(serde_json::Value::as_object).unwrap_or(&empty);
    let after = after.and_then(serde_json::Value::as_object).unwrap_or(&empty);
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        // Bookkeeping every write changes: not what a reader asks about.
        .filter(|name| !matches!(name.as_str(), "version" | "updated_at" | "created_at" | "id"))
        .filter_map(|name| {
            let old = before.get(name).map(shown).unwrap_or_default();
            let new = after.get(name).map(shown).unwrap_or_default();
            (old != new).then(|| (name.clone(), old, new))
        })
        .collect()
}

fn shown(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Array(items) => items.iter().map(shown).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_are_listed() {
        let before =
            serde_json::json!({"name": "Högskolan", "city": "Trollhättan", "version": 1, "tags": ["a"]});
        let after = serde_json::json!({"name": "Högskolan Väst", "city": "Trollhättan", "version": 2, "tags": ["a", "b"]});
        assert_eq!(
            changes(Some(&before), Some(&after)),
            vec![
                (
                    "name".to_owned(),
                    "Högskolan".to_owned(),
                    "Högskolan Väst".to_owned()
                ),
                ("tags".to_owned(), "a".to_owned(), "a, b".to_owned()),
            ]
        );
        assert_eq!(changes(None, Some(&after)).len(), 3);
    }
}
