//! Who may do what: the users of Samverkan, their roles, and the API tokens
//! they act with.
//!
//! Users are the people who work *in* Samverkan (strategists, managers,
//! leadership); they are distinct from representatives, the people the
//! records are *about*, though a user may be linked to one. Every request
//! under `/api/v1` is made with a token; the token's user's role decides,
//! through [`Role::allows`], which [`Permission`]s it has. That one function
//! is the whole authorisation matrix.

pub use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::contact::Email;
use crate::error::{FieldError, ValidationErrors};
use crate::ids::{RepresentativeId, TokenId, UserId};
use crate::kinds::Role;
use crate::text;

/// One kind of operation an API route performs. Every route names exactly
/// one; a test walks every route against every role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    /// Read records: organisations, representatives, partnerships, meetings,
    /// follow-ups, search, timelines and record histories.
    ReadRecords,
    /// Create, change and archive records, and change a meeting's parts.
    WriteRecords,
    /// Move a follow-up through its statuses (and nothing else about it).
    UpdateFollowUpStatus,
    /// Engagement figures, follow-up summaries and reports.
    ReadReports,
    /// Users and their tokens, other than one's own.
    ManageUsers,
    /// The audit trail across all records.
    ReadAudit,
}

impl Permission {
    pub const ALL: &'static [Self] = &[
        Self::ReadRecords,
        Self::WriteRecords,
        Self::UpdateFollowUpStatus,
        Self::ReadReports,
        Self::ManageUsers,
        Self::ReadAudit,
    ];
}

impl Role {
    /// The authorisation matrix.
    pub const fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Self::Admin => true,
            Self::Strategist => matches!(
                permission,
                ReadRecords | WriteRecords | UpdateFollowUpStatus | ReadReports
            ),
            Self::Manager => matches!(permission, ReadRecords | UpdateFollowUpStatus | ReadReports),
            Self::Viewer => matches!(permission, ReadReports),
        }
    }
}

/// What a client sends to create a user.
#[derive(Debug, Clone, Default)]
pub struct UserInput {
    pub email: String,
    pub role: Option<Role>,
    pub display_name: Option<String>,
    pub representative_id: Option<RepresentativeId>,
}

/// A user's validated fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserDetails {
    /// How the user is known and found; unique, compared case-insensitively.
    pub email: Email,
    pub role: Role,
    pub display_name: Option<String>,
    /// The representative this user is, where they are one.
    pub representative_id: Option<RepresentativeId>,
}

impl UserDetails {
    pub const DISPLAY_NAME_MAX: usize = 200;

    pub fn parse(input: &UserInput) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let email = errors.collect(Email::parse("email", &input.email));
        let role = match input.role {
            Some(role) => Some(role),
            None => {
                errors.add("role", "is required");
                None
            }
        };
        let display_name = errors.collect(text::optional_line(
            "display_name",
            input.display_name.as_deref(),
            Self::DISPLAY_NAME_MAX,
        ));
        match (email, role, display_name) {
            (Some(email), Some(role), Some(display_name)) if errors.is_empty() => Ok(Self {
                email,
                role,
                display_name,
                representative_id: input.representative_id,
            }),
            _ => Err(errors),
        }
    }
}

/// A user of Samverkan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub details: UserDetails,
    /// A disabled user's tokens are refused; the user stays, for the audit
    /// trail's sake.
    pub disabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl User {
    pub fn is_enabled(&self) -> bool {
        self.disabled_at.is_none()
    }
}

/// The secret part of an API token, as shown once to its owner:
/// `svk_` and 256 random bits in unpadded base64url (47 characters in all).
/// Only its [`TokenHash`] is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenSecret(String);

/// Never print a secret, not even in a debug log.
impl std::fmt::Debug for TokenSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenSecret(…)")
    }
}

/// Why a string is not a token at all (as opposed to a well-formed token
/// nobody knows).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a Samverkan API token")]
pub struct MalformedToken;

/// Failure to read random bits from the operating system.
#[derive(Debug, thiserror::Error)]
#[error("the operating system's random number generator failed: {0}")]
pub struct RandomnessUnavailable(String);

impl TokenSecret {
    const PREFIX: &'static str = "svk_";
    const BYTES: usize = 32;
    const ENCODED_LEN: usize = 43;

    /// A new secret from the operating system's random number generator.
    pub fn generate() -> Result<Self, RandomnessUnavailable> {
        let mut bytes = [0u8; Self::BYTES];
        getrandom::fill(&mut bytes).map_err(|error| RandomnessUnavailable(error.to_string()))?;
        Ok(Self(format!("{}{}", Self::PREFIX, URL_SAFE_NO_PAD.encode(bytes))))
    }

    /// Checks the shape of a presented token, so that garbage is refused
    /// before any database look-up.
    pub fn parse(raw: &str) -> Result<Self, MalformedToken> {
        let encoded = raw.strip_prefix(Self::PREFIX).ok_or(MalformedToken)?;
        let well_formed = encoded.len() == Self::ENCODED_LEN
            && URL_SAFE_NO_PAD
                .decode(encoded)
                .is_ok_and(|bytes| bytes.len() == Self::BYTES);
        if well_formed {
            Ok(Self(raw.to_owned()))
        } else {
            Err(MalformedToken)
        }
    }

    /// The secret itself: to be shown to its owner once, never logged.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What is stored and looked up. A plain SHA-256 suffices: the secret
    /// has 256 bits of entropy, so no dictionary or brute force applies and a
    /// slow password hash would only slow every request.
    pub fn hash(&self) -> TokenHash {
        TokenHash(hex(&Sha256::digest(self.0.as_bytes())))
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, byte| {
            let _ = write!(out, "{byte:02x}");
            out
        })
}

/// The SHA-256 of a [`TokenSecret`], lower-case hex.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenHash(String);

impl TokenHash {
    pub fn from_stored(hex: String) -> Self {
        Self(hex)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A named API token of a user (without its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: TokenId,
    pub user_id: UserId,
    pub name: String,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Why a known token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenRefusal {
    #[error("the token has expired")]
    Expired,
    #[error("the token has been revoked")]
    Revoked,
    #[error("the token's user is disabled")]
    UserDisabled,
}

impl ApiToken {
    pub const NAME_MAX: usize = 100;
    /// The longest lifetime a token may be given, in days (ten years).
    pub const MAX_LIFETIME_DAYS: u32 = 3650;

    /// Checks a token name: one line, 1 to 100 characters.
    pub fn parse_name(raw: &str) -> Result<String, FieldError> {
        text::required_line("name", raw, Self::NAME_MAX)
    }

    /// Checks a requested lifetime in days.
    pub fn parse_lifetime_days(days: u32) -> Result<chrono::Duration, FieldError> {
        if days == 0 || days > Self::MAX_LIFETIME_DAYS {
            return Err(FieldError::new(
                "expires_in_days",
                format!("must be between 1 and {}", Self::MAX_LIFETIME_DAYS),
            ));
        }
        Ok(chrono::Duration::days(i64::from(days)))
    }

    /// Whether this token, of `user`, may be used at `now`.
    pub fn check(&self, user: &User, now: DateTime<Utc>) -> Result<(), TokenRefusal> {
        if self.revoked_at.is_some() {
            return Err(TokenRefusal::Revoked);
        }
        if self.expires_at.is_some_and(|expires_at| expires_at <= now) {
            return Err(TokenRefusal::Expired);
        }
        if !user.is_enabled() {
            return Err(TokenRefusal::UserDisabled);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_manage_users_and_read_the_audit_trail() {
        for role in Role::ALL {
            assert_eq!(role.allows(Permission::ManageUsers), *role == Role::Admin);
            assert_eq!(role.allows(Permission::ReadAudit), *role == Role::Admin);
        }
    }

    #[test]
    fn the_matrix_follows_the_roles() {
        use Permission::*;
        let allowed = |role: Role| -> Vec<Permission> {
            Permission::ALL
                .iter()
                .copied()
                .filter(|p| role.allows(*p))
                .collect()
        };
        assert_eq!(allowed(Role::Admin), Permission::ALL.to_vec());
        assert_eq!(
            allowed(Role::Strategist),
            vec![ReadRecords, WriteRecords, UpdateFollowUpStatus, ReadReports]
        );
        assert_eq!(
            allowed(Role::Manager),
            vec![ReadRecords, UpdateFollowUpStatus, ReadReports]
        );
        assert_eq!(allowed(Role::Viewer), vec![ReadReports]);
    }

    #[test]
    fn secrets_are_random_well_formed_and_hashed() {
        let one = TokenSecret::generate().unwrap();
        let two = TokenSecret::generate().unwrap();
        assert_ne!(one, two);
        assert_eq!(one.expose().len(), 47);
        assert_eq!(TokenSecret::parse(one.expose()).unwrap(), one);
        assert_eq!(one.hash().as_str().len(), 64);
        assert_ne!(one.hash(), two.hash());
        assert_eq!(format!("{one:?}"), "TokenSecret(…)");
    }

    #[test]
    fn malformed_tokens_are_refused_before_any_look_up() {
        for raw in [
            "",
            "svk_",
            "Bearer svk_x",
            "abc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "svk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "svk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!",
            "svk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ] {
            assert_eq!(TokenSecret::parse(raw), Err(MalformedToken), "{raw}");
        }
    }

    #[test]
    fn a_token_is_refused_when_revoked_expired_or_its_user_disabled() {
        let now = crate::time::now();
        let user = User {
            id: UserId::new(),
            details: UserDetails::parse(&UserInput {
                email: "anna.lindqvist@example.se".into(),
                role: Some(Role::Manager),
                ..UserInput::default()
            })
            .unwrap(),
            disabled_at: None,
            created_at: now,
            updated_at: now,
        };
        let token = ApiToken {
            id: TokenId::new(),
            user_id: user.id,
            name: "rapporter".into(),
            expires_at: Some(now + chrono::Duration::days(1)),
            revoked_at: None,
            last_used_at: None,
            created_at: now,
        };
        assert_eq!(token.check(&user, now), Ok(()));
        let later = now + chrono::Duration::days(1);
        assert_eq!(token.check(&user, later), Err(TokenRefusal::Expired));
        let revoked = ApiToken {
            revoked_at: Some(now),
            ..token.clone()
        };
        assert_eq!(revoked.check(&user, now), Err(TokenRefusal::Revoked));
        let disabled = User {
            disabled_at: Some(now),
            ..user
        };
        assert_eq!(token.check(&disabled, now), Err(TokenRefusal::UserDisabled));
    }

    #[test]
    fn users_need_an_email_and_a_role() {
        let errors = UserDetails::parse(&UserInput {
            email: "inte en adress".into(),
            ..UserInput::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = errors.errors().iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["email", "role"]);
        assert!(ApiToken::parse_lifetime_days(0).is_err() && ApiToken::parse_lifetime_days(3651).is_err());
        assert!(ApiToken::parse_name("  ").is_err());
    }
}
