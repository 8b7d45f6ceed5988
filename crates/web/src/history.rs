//! The "History" section of a record's page: who changed what, and when,
//! from the audit trail (read under the same permission as the API's
//! `/…/{id}/history`).

use samverkan_store::{AuditEvent, AuditFilter, PageRequest, Store};
use uuid::Uuid;

use crate::frame::PageError;
use crate::i18n::Labels;

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

/// The changes of record `id` made after its version `version`, newest
/// first: what others saved while a form read at that version was open.
pub async fn since(store: &Store, id: Uuid, version: i32) -> Result<Vec<HistoryEntry>, PageError> {
    let newer = |entry: &HistoryEntry| {
        entry
            .event
            .after
            .as_ref()
            .and_then(|after| after.get("version"))
            .and_then(serde_json::Value::as_i64)
            .is_some_and(|saved| saved > i64::from(version))
    };
    Ok(of(store, id, 20).await?.into_iter().filter(newer).collect())
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
        // Bookkeeping every write changes, and columns derived from others
        // (for sorting and search): not what a reader asks about.
        .filter(|name| {
            !matches!(
                name.as_str(),
                "version" | "updated_at" | "created_at" | "id" | "search_text"
            )
        })
        .filter(|name| !name.ends_with("_folded") && !name.ends_with("_sort"))
        .filter_map(|name| {
            let old = before.get(name).map(shown).unwrap_or_default();
            let new = after.get(name).map(shown).unwrap_or_default();
            (old != new).then(|| (name.clone(), old, new))
        })
        .collect()
}

/// A stored field's name as the pages call it (the name itself where the
/// pages have none for it).
pub fn field_label<'a>(t: &'static Labels, name: &'a str) -> &'a str {
    match name {
        "name" | "full_name" => t.name,
        "short_name" => t.short_name,
        "kind" => t.kind,
        "organisation_number" => t.organisation_number,
        "website" => t.website,
        "city" => t.city,
        "description" => t.description,
        "tags" => t.tags,
        "title" => t.title,
        "email" => t.email,
        "phone" => t.phone,
        "notes" => t.notes,
        "is_minor" => t.minor,
        "status" => t.status,
        "due_on" => t.due,
        "owner_id" => t.owner,
        "organisation_id" => t.organisation,
        "location" => t.location,
        "starts_at" => t.starts,
        "all_day" => t.all_day,
        "host_organisation_id" => t.host,
        "summary" => t.summary,
        "goals" => t.goals,
        "started_on" => t.started,
        "ended_on" => t.ended,
        "completed_at" => t.completed_on,
        "archived_at" => t.archived,
        other => other,
    }
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
        let after = serde_json::json!({"name": "Högskolan Väst", "city": "Trollhättan", "version": 2, "tags": ["a", "b"], "name_folded": "högskolan väst", "search_text": "x"});
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
