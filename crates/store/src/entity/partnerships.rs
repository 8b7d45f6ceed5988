//! The `partnerships` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize)]
#[sea_orm(table_name = "partnerships")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_a_id: Uuid,
    pub organisation_b_id: Uuid,
    pub kind: String,
    pub status: String,
    pub started_on: Option<Date>,
    pub ended_on: Option<Date>,
    pub responsible_representative_id: Option<Uuid>,
    #[sea_orm(column_type = "Text", nullable)]
    pub goals: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub archived_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
