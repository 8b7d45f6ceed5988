//! SeaORM entities, one module per table (see `migrations/` for the schema
//! and `docs/data-model.md` for what each column means).

pub mod affiliations;
pub mod agenda_item_presenters;
pub mod agenda_item_tags;
pub mod agenda_items;
pub mod api_tokens;
pub mod attendances;
pub mod audit_events;
pub mod engagement_meetings;
pub mod engagement_people;
pub mod erasures;
pub mod follow_ups;
pub mod kept_forms;
pub mod meeting_drafts;
pub mod meeting_partnerships;
pub mod meeting_tags;
pub mod meetings;
pub mod organisation_tags;
pub mod organisations;
pub mod outcomes;
pub mod partnerships;
pub mod representatives;
pub mod sessions;
pub mod sign_in_failures;
pub mod user_passwords;
pub mod users;
