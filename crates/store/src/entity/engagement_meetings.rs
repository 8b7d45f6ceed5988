//! The `engagement_meetings` table: one row per counted meeting and
//! organisation that hosted or attended it (a read model, written by
//! `crate::engagement_facts`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "engagement_meetings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub meeting_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: Uuid,
    pub starts_at: DateTimeUtc,
    pub partner_day: i16,
    pub hosted: i16,
    pub attended: i16,
    pub presentations: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
