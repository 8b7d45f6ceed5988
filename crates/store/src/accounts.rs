//! Users of Samverkan and their API tokens; the look-up every request makes.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, Order, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use samverkan_domain::{
    ApiToken, Email, Language, Role, TokenId, TokenRefusal, TokenSecret, User, UserDetails, UserId,
    ValidationErrors, time,
};

use crate::Store;
use crate::audit::fields;
use crate::entity::{api_tokens, users};
use crate::error::{StoreError, StoreResult};
use crate::page::{Cursor, Page, PageRequest};
use crate::support::{id_after, stored};

pub(crate) const USER: &str = "user";
const TOKEN: &str = "token";
/// The name on the user list's cursors.
const USERS_SCOPE: &str = "users";

/// A token's last use is written at most this often, so that reads do not
/// each become a write (on SQLite, one writer serves the whole server).
pub(crate) const LAST_USE_RESOLUTION: chrono::Duration = chrono::Duration::minutes(1);

/// Why a presented token does not authenticate anyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthFailure {
    #[error("the token is not known")]
    Unknown,
    #[error(transparent)]
    Refused(#[from] TokenRefusal),
}

/// E-mail addresses are unique regardless of case.
pub(crate) fn email_key(email: &Email) -> String {
    email.as_str().to_lowercase()
}

pub(crate) fn user_row(user: &User) -> users::Model {
    users::Model {
        id: user.id.as_uuid(),
        email: user.details.email.as_str().to_owned(),
        email_folded: email_key(&user.details.email),
        role: user.details.role.as_str().to_owned(),
        display_name: user.details.display_name.clone(),
        representative_id: user.details.representative_id.map(|id| id.as_uuid()),
        disabled_at: user.disabled_at,
        language: user.language.as_str().to_owned(),
        created_at: user.created_at,
        updated_at: user.updated_at,
        erased_at: user.erased_at,
    }
}

pub(crate) fn user_from_row(row: users::Model) -> StoreResult<User> {
    Ok(User {
        id: row.id.into(),
        details: UserDetails {
            email: stored(USER, row.id, Email::parse("email", &row.email))?,
            role: stored(USER, row.id, Role::parse("role", &row.role))?,
            display_name: row.display_name,
            representative_id: row.representative_id.map(Into::into),
        },
        disabled_at: row.disabled_at,
        language: stored(USER, row.id, Language::parse("language", &row.language))?,
        created_at: row.created_at,
        updated_at: row.updated_at,
        erased_at: row.erased_at,
    })
}

fn token_from_row(row: api_tokens::Model) -> ApiToken {
    ApiToken {
        id: row.id.into(),
        user_id: row.user_id.into(),
        name: row.name,
        expires_at: row.expires_at,
        revoked_at: row.revoked_at,
        last_used_at: row.last_used_at,
        created_at: row.created_at,
    }
}

fn not_found(entity: &'static str, id: Uuid) -> StoreError {
    StoreError::NotFound { entity, id }
}

/// A user as the audit trail keeps them.
pub(crate) fn user_snapshot(user: &User) -> StoreResult<serde_json::Value> {
    fields(&user_row(user))
}

/// A token as the audit trail keeps it: never its hash.
fn token_snapshot(token: &ApiToken) -> serde_json::Value {
    serde_json::json!({
        "id": token.id.as_uuid(),
        "user_id": token.user_id.as_uuid(),
        "name": token.name,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
        "created_at": token.created_at,
    })
}

impl Store {
    /// Creates a user; the e-mail address must be free (any case).
    pub async fn create_user(&self, details: UserDetails) -> StoreResult<User> {
        let now = time::now();
        let user = User {
            id: UserId::new(),
            details,
            disabled_at: None,
            language: Language::default(),
            created_at: now,
            updated_at: now,
            erased_at: None,
        };
        let mut txn = self.begin_write().await?;
        if let Some(existing) = users::Entity::find()
            .filter(users::Column::EmailFolded.eq(email_key(&user.details.email)))
            .one(&*txn)
            .await?
        {
            return Err(StoreError::Duplicate {
                field: "email".into(),
                message: format!("a user with the e-mail address {} exists", existing.email),
            });
        }
        users::Entity::insert(user_row(&user).into_active_model())
            .exec_without_returning(&*txn)
            .await?;
        txn.audit(
            USER,
            user.id.as_uuid(),
            "create",
            None,
            Some(user_snapshot(&user)?),
        )
        .await?;
        txn.commit().await?;
        Ok(user)
    }

    pub async fn user(&self, id: UserId) -> StoreResult<User> {
        let row = users::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .ok_or_else(|| not_found(USER, id.as_uuid()))?;
        user_from_row(row)
    }

    /// The user with this e-mail address, in any case.
    pub async fn user_by_email(&self, email: &Email) -> StoreResult<Option<User>> {
        users::Entity::find()
            .filter(users::Column::EmailFolded.eq(email_key(email)))
            .one(&self.db)
            .await?
            .map(user_from_row)
            .transpose()
    }

    /// Users in the order they were created.
    pub async fn list_users(&self, page: &PageRequest) -> StoreResult<Page<User>> {
        let start = page.start(USERS_SCOPE)?;
        let order = start.order(Order::Asc);
        let rows = users::Entity::find()
            .filter(id_after(order.clone(), users::Column::Id, start.cursor))
            .order_by(users::Column::Id, order)
            .limit(page.limit + 1)
            .all(&self.db)
            .await?;
        let cursor_of = |row: &users::Model| Cursor::new(USERS_SCOPE, String::new(), row.id);
        Page::from_rows(rows, page.limit, &start, cursor_of, user_from_row)
    }

    /// Whether anyone can sign in at all: a server without users says how
    /// to create the first one.
    pub async fn has_users(&self) -> StoreResult<bool> {
        Ok(users::Entity::find()
            .select_only()
            .column(users::Column::Id)
            .into_tuple::<Uuid>()
            .one(&self.db)
            .await?
            .is_some())
    }

    /// Disables (or enables again) a user: a disabled user's tokens are
    /// refused from the next request on, and their sessions end.
    pub async fn set_user_disabled(&self, id: UserId, disabled: bool) -> StoreResult<User> {
        self.change_user(id, None, Some(disabled)).await
    }

    /// Gives user `id` the role `role`, from their next request on (every
    /// request reads the user afresh, on every server).
    pub async fn set_user_role(&self, id: UserId, role: Role) -> StoreResult<User> {
        self.change_user(id, Some(role), None).await
    }

    /// Changes a user's role, or disables or enables them, or both, in one
    /// transaction, audited as `set_role`, `disable`, `enable` or (both)
    /// `update`. Disabling signs them out everywhere.
    pub async fn change_user(
        &self,
        id: UserId,
        role: Option<Role>,
        disabled: Option<bool>,
    ) -> StoreResult<User> {
        let action = match (role, disabled) {
            (Some(_), None) => "set_role",
            (None, Some(true)) => "disable",
            (None, Some(false)) => "enable",
            _ => "update",
        };
        self.revise_user(id, action, disabled == Some(true), |user, now| {
            if let Some(role) = role {
                user.details.role = role;
            }
            if let Some(disabled) = disabled {
                user.disabled_at = match (disabled, user.disabled_at) {
                    (true, Some(since)) => Some(since),
                    (true, None) => Some(now),
                    (false, _) => None,
                };
            }
        })
        .await
    }

    /// Changes a user as `change` says, audited as `action`, in one
    /// transaction; `end_sessions` signs them out everywhere with it.
    async fn revise_user(
        &self,
        id: UserId,
        action: &'static str,
        end_sessions: bool,
        change: impl FnOnce(&mut User, chrono::DateTime<chrono::Utc>),
    ) -> StoreResult<User> {
        let mut txn = self.begin_write().await?;
        let row = users::Entity::find_by_id(id.as_uuid())
            .one(&*txn)
            .await?
            .ok_or_else(|| not_found(USER, id.as_uuid()))?;
        let now = time::now();
        let mut user = user_from_row(row)?;
        let before = user_snapshot(&user)?;
        change(&mut user, now);
        user.updated_at = now;
        users::Entity::update(user_row(&user).into_active_model().reset_all())
            .exec(&*txn)
            .await?;
        if end_sessions {
            crate::sessions::end_sessions_of(&*txn, id).await?;
        }
        txn.audit(
            USER,
            user.id.as_uuid(),
            action,
            Some(before),
            Some(user_snapshot(&user)?),
        )
        .await?;
        txn.commit().await?;
        Ok(user)
    }

    /// Makes a token for `user`, named `name` and living `expires_in_days`
    /// (or for ever): a fresh secret from the operating system's random
    /// number generator, stored only as its hash. The secret is returned
    /// for the caller to show, this once.
    pub async fn issue_token(
        &self,
        user: UserId,
        name: &str,
        expires_in_days: Option<u32>,
    ) -> StoreResult<(ApiToken, TokenSecret)> {
        let secret = TokenSecret::generate().map_err(|error| StoreError::Internal(error.to_string()))?;
        let token = self.create_token(user, name, expires_in_days, &secret).await?;
        Ok((token, secret))
    }

    /// Stores a new token of `user` by the hash of `secret`.
    async fn create_token(
        &self,
        user: UserId,
        name: &str,
        expires_in_days: Option<u32>,
        secret: &TokenSecret,
    ) -> StoreResult<ApiToken> {
        let mut errors = ValidationErrors::new();
        let name = errors.collect(ApiToken::parse_name(name));
        let lifetime = match expires_in_days {
            Some(days) => errors.collect(ApiToken::parse_lifetime_days(days)).map(Some),
            None => Some(None),
        };
        let (Some(name), Some(lifetime)) = (name, lifetime) else {
            return Err(errors.into());
        };
        let now = time::now();
        let token = ApiToken {
            id: TokenId::new(),
            user_id: user,
            name,
            expires_at: lifetime.map(|lifetime| now + lifetime),
            revoked_at: None,
            last_used_at: None,
            created_at: now,
        };
        let mut txn = self.begin_write().await?;
        if users::Entity::find_by_id(user.as_uuid())
            .one(&*txn)
            .await?
            .is_none()
        {
            return Err(not_found(USER, user.as_uuid()));
        }
        api_tokens::Entity::insert(
            api_tokens::Model {
                id: token.id.as_uuid(),
                user_id: user.as_uuid(),
                name: token.name.clone(),
                token_hash: secret.hash().as_str().to_owned(),
                expires_at: token.expires_at,
                revoked_at: None,
                last_used_at: None,
                created_at: token.created_at,
            }
            .into_active_model(),
        )
        .exec_without_returning(&*txn)
        .await?;
        txn.audit(
            TOKEN,
            token.id.as_uuid(),
            "create",
            None,
            Some(token_snapshot(&token)),
        )
        .await?;
        txn.commit().await?;
        Ok(token)
    }

    /// A user's tokens, newest first (without their secrets, which are not
    /// kept).
    pub async fn tokens_of(&self, user: UserId) -> StoreResult<Vec<ApiToken>> {
        Ok(api_tokens::Entity::find()
            .filter(api_tokens::Column::UserId.eq(user.as_uuid()))
            .order_by_desc(api_tokens::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(token_from_row)
            .collect())
    }

    pub async fn token(&self, id: TokenId) -> StoreResult<ApiToken> {
        api_tokens::Entity::find_by_id(id.as_uuid())
            .one(&self.db)
            .await?
            .map(token_from_row)
            .ok_or_else(|| not_found(TOKEN, id.as_uuid()))
    }

    /// Revokes a token for good; revoking it again changes nothing.
    pub async fn revoke_token(&self, id: TokenId) -> StoreResult<ApiToken> {
        let mut txn = self.begin_write().await?;
        let row = api_tokens::Entity::find_by_id(id.as_uuid())
            .one(&*txn)
            .await?
            .ok_or_else(|| not_found(TOKEN, id.as_uuid()))?;
        let mut token = token_from_row(row);
        let before = token_snapshot(&token);
        if token.revoked_at.is_none() {
            let now = time::now();
            api_tokens::Entity::update_many()
                .col_expr(api_tokens::Column::RevokedAt, Expr::value(now))
                .filter(api_tokens::Column::Id.eq(id.as_uuid()))
                .exec(&*txn)
                .await?;
            token.revoked_at = Some(now);
            txn.audit(
                TOKEN,
                token.id.as_uuid(),
                "revoke",
                Some(before),
                Some(token_snapshot(&token)),
            )
            .await?;
            txn.commit().await?;
        } else {
            txn.discard().await?;
        }
        Ok(token)
    }

    /// Who `secret` belongs to, if it may be used now. Records the token's
    /// use (to the minute).
    pub async fn authenticate(
        &self,
        secret: &TokenSecret,
    ) -> StoreResult<Result<(User, ApiToken), AuthFailure>> {
        let found = api_tokens::Entity::find()
            .filter(api_tokens::Column::TokenHash.eq(secret.hash().as_str()))
            .find_also_related(users::Entity)
            .one(&self.db)
            .await?;
        let Some((token_row, Some(user_row))) = found else {
            return Ok(Err(AuthFailure::Unknown));
        };
        let token = token_from_row(token_row);
        let user = user_from_row(user_row)?;
        let now = time::now();
        if let Err(refusal) = token.check(&user, now) {
            return Ok(Err(refusal.into()));
        }
        let stale = token
            .last_used_at
            .is_none_or(|last| now - last >= LAST_USE_RESOLUTION);
        if stale {
            let mut row = api_tokens::ActiveModel {
                id: sea_orm::ActiveValue::Unchanged(token.id.as_uuid()),
                ..Default::default()
            };
            row.last_used_at = sea_orm::ActiveValue::Set(Some(now));
            row.update(self.writer.as_ref().unwrap_or(&self.db)).await?;
        }
        Ok(Ok((user, token)))
    }
}
