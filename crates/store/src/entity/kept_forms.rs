//! The `kept_forms` table: a form sent after its session expired, until its
//! sender signs in again (or a day has passed).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kept_forms")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// SHA-256 (hex) of the secret in the sender's cookie.
    pub secret_hash: String,
    /// The page the form belongs to.
    pub path: String,
    /// The form's fields as sent (`application/x-www-form-urlencoded`).
    pub form: String,
    pub kept_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
