//! Samverkan's persistence on SQLite and PostgreSQL, with SeaORM.
//!
//! [`Store`] is the one door: every operation takes and returns domain
//! types, and every write that touches more than one row runs in one
//! transaction. Rows are mapped to domain values by the domain's own `parse`
//! constructors, so nothing invalid leaves the store unnoticed.

mod accounts;
mod audit;
mod connect;
pub mod demo;
mod drafts;
mod engagement;
mod engagement_facts;
pub mod entity;
mod error;
mod exports;
mod follow_up_summary;
mod follow_ups;
mod insights;
mod meeting_parts;
mod meetings;
mod memo;
mod organisations;
mod page;
mod partnerships;
mod privacy;
mod representatives;
mod sessions;
mod support;
mod versioned;

pub use accounts::AuthFailure;
pub use audit::{Actor, AuditEvent, AuditFilter};
pub use connect::{DEFAULT_DATABASE_URL, MAX_CONCURRENT_EXPORTS, Store, StoreOptions};
pub use drafts::{DRAFTS_PER_AUTHOR, KEPT_FORM_LIFETIME, MeetingDraft};
pub use engagement::EngagementFilter;
pub use error::{StoreError, StoreResult};
pub use exports::{BRIEF_MEETINGS, BRIEF_PEOPLE, DEFAULT_EXPORT_BATCH};
pub use follow_up_summary::DONE_LATELY_DAYS;
pub use follow_ups::{FollowUpFilter, FollowUpOrder};
pub use insights::{HitKind, Presentation, SearchHit, TimelineEntry, TimelineKind, TopAttendee};
pub use meetings::{MeetingFilter, Newcomers};
pub use organisations::OrganisationFilter;
pub use page::{Cursor, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageRequest};
pub use partnerships::PartnershipFilter;
pub use privacy::{Erasure, ErasureLogEntry, Mention, RetentionRun};
pub use representatives::RepresentativeFilter;
/// The database error inside [`StoreError::Database`].
pub use sea_orm::DbErr;
