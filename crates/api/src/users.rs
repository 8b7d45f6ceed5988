//! `/api/v1/users` and `/api/v1/tokens`: accounts and their API tokens, for
//! admins. The same operations as `samverkan user …` / `samverkan token …`.

use chrono::{DateTime, Utc};
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi};
use samverkan_domain::{
    self as domain, ApiToken, Password, PasswordHash, RepresentativeId, TokenId, UserDetails, UserId,
    UserInput,
};
use samverkan_store::Store;
use samverkan_store::StoreError;
use uuid::Uuid;

use crate::ApiTags;
use crate::auth;
use crate::body::Body;
use crate::common::{api_enum, list_of, page_request};
use crate::problem::ApiError;

api_enum!(
    /// What a user may do: `admin` everything; `strategist` create and change
    /// records; `manager` read everything and move follow-ups; `viewer`
    /// engagement and reports only.
    Role { Admin, Strategist, Manager, Viewer }
);

/// A user of Samverkan (not a representative: a person who works in it).
#[derive(Debug, Clone, Object)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    #[oai(nullable)]
    pub display_name: Option<String>,
    /// The representative this user is, where they are one.
    #[oai(nullable)]
    pub representative_id: Option<Uuid>,
    /// Set while the user is disabled: their tokens are refused.
    #[oai(nullable)]
    pub disabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<domain::User> for User {
    fn from(user: domain::User) -> Self {
        Self {
            id: user.id.as_uuid(),
            email: user.details.email.as_str().to_owned(),
            role: user.details.role.into(),
            display_name: user.details.display_name,
            representative_id: user.details.representative_id.map(|id| id.as_uuid()),
            disabled_at: user.disabled_at,
            created_at: user.created_at,
            updated_at: user.updated_at,
        }
    }
}

/// A new user.
#[derive(Debug, Clone, Object)]
#[oai(deny_unknown_fields)]
pub struct NewUser {
    pub email: String,
    pub role: Role,
    pub display_name: Option<String>,
    pub representative_id: Option<Uuid>,
}

/// Enables or disables a user, or changes their role; at least one.
#[derive(Debug, Clone, Object)]
#[oai(deny_unknown_fields)]
pub struct UserPatch {
    /// `true` refuses the user's tokens from the next request on, and ends
    /// their sessions.
    pub disabled: Option<bool>,
    /// The user's new role, from their next request on. An admin cannot
    /// change their own (another admin can), so that no one takes the last
    /// admin's rights away by mistake.
    pub role: Option<Role>,
}

/// A user's new password for signing in to the web interface.
#[derive(Clone, Object)]
#[oai(deny_unknown_fields)]
pub struct NewPassword {
    /// 12 to 256 characters (counted after Unicode NFKC normalisation); no
    /// other rules.
    #[oai(write_only)]
    pub password: String,
}

/// Never print a password, not even in a debug log.
impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

#[derive(Debug, ApiResponse)]
pub enum PasswordSet {
    /// Set; every session of the user has ended (their API tokens stay).
    #[oai(status = 204)]
    Set,
}

/// An API token, without its secret.
#[derive(Debug, Clone, Object)]
pub struct Token {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    #[oai(nullable)]
    pub expires_at: Option<DateTime<Utc>>,
    #[oai(nullable)]
    pub revoked_at: Option<DateTime<Utc>>,
    /// To the minute.
    #[oai(nullable)]
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<ApiToken> for Token {
    fn from(token: ApiToken) -> Self {
        Self {
            id: token.id.as_uuid(),
            user_id: token.user_id.as_uuid(),
            name: token.name,
            expires_at: token.expires_at,
            revoked_at: token.revoked_at,
            last_used_at: token.last_used_at,
            created_at: token.created_at,
        }
    }
}

/// A token just made, with its secret: shown this once, stored only as a
/// hash.
#[derive(Debug, Clone, Object)]
pub struct CreatedTokenBody {
    pub token: Token,
    /// `Authorization: Bearer <secret>`.
    pub secret: String,
}

/// A new token.
#[derive(Debug, Clone, Object)]
#[oai(deny_unknown_fields)]
pub struct NewToken {
    /// What the token is for, e.g. "rapportverktyg".
    pub name: String,
    /// Lifetime in days (1 to 3650); without it the token does not expire.
    pub expires_in_days: Option<u32>,
}

list_of!(
    /// A page of users, oldest first.
    UserList,
    User
);

#[derive(Debug, ApiResponse)]
pub enum CreatedUser {
    /// Created; `Location` names it.
    #[oai(status = 201)]
    Created(Json<User>, #[oai(header = "Location")] String),
}

#[derive(Debug, ApiResponse)]
pub enum CreatedToken {
    /// Created; the secret is in the body, this once.
    #[oai(status = 201)]
    Created(Json<CreatedTokenBody>),
}

pub struct UsersApi {
    pub store: Store,
}

#[OpenApi(prefix_path = "/api/v1", tag = "ApiTags::Users")]
impl UsersApi {
    /// List users
    #[oai(path = "/users", method = "get", operation_id = "list_users")]
    async fn list(
        &self,
        auth: auth::ManageUsers,
        /// Page size, 1 to 500 (default 50).
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))]
        limit: Query<Option<u64>>,
        /// The `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
    ) -> Result<Json<UserList>, ApiError> {
        let page = page_request(limit.0, cursor.0.as_deref())?;
        let found = auth.store(&self.store).list_users(&page).await?;
        Ok(Json(UserList::from_page(found, User::from)))
    }

    /// Create a user
    #[oai(path = "/users", method = "post", operation_id = "create_user")]
    async fn create(&self, auth: auth::ManageUsers, body: Body<NewUser>) -> Result<CreatedUser, ApiError> {
        let body = body.0;
        let details = UserDetails::parse(&UserInput {
            email: body.email,
            role: Some(body.role.into()),
            display_name: body.display_name,
            representative_id: body.representative_id.map(RepresentativeId::from),
        })?;
        let created = auth.store(&self.store).create_user(details).await?;
        let location = format!("/api/v1/users/{}", created.id);
        Ok(CreatedUser::Created(Json(created.into()), location))
    }

    /// Get a user
    #[oai(path = "/users/:id", method = "get", operation_id = "get_user")]
    async fn get(&self, auth: auth::ManageUsers, id: Path<Uuid>) -> Result<Json<User>, ApiError> {
        Ok(Json(
            auth.store(&self.store).user(UserId::from(id.0)).await?.into(),
        ))
    }

    /// Disable or enable a user, or change their role
    ///
    /// Both in one request are one change. Disabling ends the user's
    /// sessions; a new role applies from their next request.
    #[oai(path = "/users/:id", method = "patch", operation_id = "update_user")]
    async fn update(
        &self,
        auth: auth::ManageUsers,
        id: Path<Uuid>,
        body: Body<UserPatch>,
    ) -> Result<Json<User>, ApiError> {
        let id = UserId::from(id.0);
        let UserPatch { disabled, role } = body.0;
        let role: Option<domain::Role> = role.map(Into::into);
        let mut errors = domain::ValidationErrors::new();
        if disabled.is_none() && role.is_none() {
            errors.add("role", "give `disabled`, `role` or both");
        }
        if let Some(role) = role
            && id == auth.0.user.id
            && role != auth.0.user.details.role
        {
            errors.add(
                "role",
                "an admin cannot change their own role (another admin can)",
            );
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let user = auth.store(&self.store).change_user(id, role, disabled).await?;
        Ok(Json(user.into()))
    }

    /// Set a user's password
    ///
    /// For signing in to the web interface; the user's sessions end, so
    /// every browser signed in as them is signed out. Only the hash is kept,
    /// and the audit trail records when, never the hash.
    #[oai(
        path = "/users/:id/password",
        method = "put",
        operation_id = "set_user_password"
    )]
    async fn set_password(
        &self,
        auth: auth::ManageUsers,
        id: Path<Uuid>,
        body: Body<NewPassword>,
    ) -> Result<PasswordSet, ApiError> {
        let password = Password::parse(&body.0.password).map_err(domain::ValidationErrors::from)?;
        let store = auth.store(&self.store);
        // Known first: no hashing (tens of milliseconds of CPU) for nobody.
        let user = store.user(UserId::from(id.0)).await?;
        let hash = tokio::task::spawn_blocking(move || PasswordHash::new(&password))
            .await
            .map_err(|error| StoreError::Internal(format!("hashing a password: {error}")))?
            .map_err(|error| StoreError::Internal(error.to_string()))?;
        store.set_password(user.id, &hash).await?;
        Ok(PasswordSet::Set)
    }

    /// List a user's tokens
    #[oai(path = "/users/:id/tokens", method = "get", operation_id = "list_user_tokens")]
    async fn tokens(&self, auth: auth::ManageUsers, id: Path<Uuid>) -> Result<Json<Vec<Token>>, ApiError> {
        let user = auth.store(&self.store).user(UserId::from(id.0)).await?;
        let tokens = auth.store(&self.store).tokens_of(user.id).await?;
        Ok(Json(tokens.into_iter().map(Token::from).collect()))
    }

    /// Create a token for a user
    ///
    /// The answer holds the secret, this once; only its hash is stored.
    #[oai(
        path = "/users/:id/tokens",
        method = "post",
        operation_id = "create_user_token"
    )]
    async fn create_token(
        &self,
        auth: auth::ManageUsers,
        id: Path<Uuid>,
        body: Body<NewToken>,
    ) -> Result<CreatedToken, ApiError> {
        let store = auth.store(&self.store);
        let user = store.user(UserId::from(id.0)).await?;
        let (token, secret) = store
            .issue_token(user.id, &body.0.name, body.0.expires_in_days)
            .await?;
        Ok(CreatedToken::Created(Json(CreatedTokenBody {
            token: token.into(),
            secret: secret.expose().to_owned(),
        })))
    }

    /// Revoke a token
    ///
    /// For good: a revoked token is refused from the next request on.
    #[oai(path = "/tokens/:id", method = "delete", operation_id = "revoke_token")]
    async fn revoke(&self, auth: auth::ManageUsers, id: Path<Uuid>) -> Result<Json<Token>, ApiError> {
        Ok(Json(
            auth.store(&self.store)
                .revoke_token(TokenId::from(id.0))
                .await?
                .into(),
        ))
    }
}
