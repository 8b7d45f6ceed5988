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
use crate::ids::{RepresentativeId, SessionId, TokenId, UserId};
use crate::kinds::{Language, Role};
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
    /// Answer data protection requests: export, erase and restrict a
    /// person's data (docs/privacy.md).
    ManagePersonalData,
}

impl Permission {
    pub const ALL: &'static [Self] = &[
        Self::ReadRecords,
        Self::WriteRecords,
        Self::UpdateFollowUpStatus,
        Self::ReadReports,
        Self::ManageUsers,
        Self::ReadAudit,
        Self::ManagePersonalData,
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
    /// The language the web interface speaks to them in: a preference they
    /// set after they are created.
    pub language: Language,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Erased (GDPR Art. 17): e-mail and display name are placeholders, the
    /// account disabled for good.
    pub erased_at: Option<DateTime<Utc>>,
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
pub struct RandomnessUnavailable(pub(crate) String);

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

/// The secret of a signed-in browser session, the value of its cookie:
/// `svs_` and 256 random bits in unpadded base64url. Only its
/// [`TokenHash`] is stored, as with API tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionSecret(String);

/// Never print a secret, not even in a debug log.
impl std::fmt::Debug for SessionSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionSecret(…)")
    }
}

/// Why a string is not a session secret at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a Samverkan session")]
pub struct MalformedSession;

impl SessionSecret {
    const PREFIX: &'static str = "svs_";
    const BYTES: usize = 32;
    const ENCODED_LEN: usize = 43;
    /// Sets the CSRF token apart from any other hash of the secret.
    const CSRF_CONTEXT: &'static [u8] = b"samverkan-csrf\0";

    /// A new secret from the operating system's random number generator.
    pub fn generate() -> Result<Self, RandomnessUnavailable> {
        let mut bytes = [0u8; Self::BYTES];
        getrandom::fill(&mut bytes).map_err(|error| RandomnessUnavailable(error.to_string()))?;
        Ok(Self(format!("{}{}", Self::PREFIX, URL_SAFE_NO_PAD.encode(bytes))))
    }

    /// Checks the shape of a presented cookie, so that garbage is refused
    /// before any database look-up.
    pub fn parse(raw: &str) -> Result<Self, MalformedSession> {
        let encoded = raw.strip_prefix(Self::PREFIX).ok_or(MalformedSession)?;
        let well_formed = encoded.len() == Self::ENCODED_LEN
            && URL_SAFE_NO_PAD
                .decode(encoded)
                .is_ok_and(|bytes| bytes.len() == Self::BYTES);
        if well_formed {
            Ok(Self(raw.to_owned()))
        } else {
            Err(MalformedSession)
        }
    }

    /// The secret itself: for the cookie, never for a log.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What is stored and looked up (see [`TokenSecret::hash`] for why a
    /// plain SHA-256 suffices).
    pub fn hash(&self) -> TokenHash {
        TokenHash(hex(&Sha256::digest(self.0.as_bytes())))
    }

    /// The session's synchronizer token for forms: derived from the secret,
    /// so every server knows it without storing it, and it dies with the
    /// session; one-way, so a token seen in a page does not reveal the
    /// cookie.
    pub fn csrf_token(&self) -> String {
        let mut digest = Sha256::new();
        digest.update(Self::CSRF_CONTEXT);
        digest.update(self.0.as_bytes());
        URL_SAFE_NO_PAD.encode(digest.finalize())
    }
}

/// A signed-in browser session (without its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: SessionId,
    pub user_id: UserId,
    pub created_at: DateTime<Utc>,
    /// To the minute: the store writes it at most once a minute.
    pub last_seen_at: DateTime<Utc>,
    /// The absolute end, however active the session is.
    pub expires_at: DateTime<Utc>,
}

/// Why a presented session does not sign anyone in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SessionRefusal {
    #[error("the session is not known")]
    Unknown,
    #[error("the session's user is disabled")]
    Disabled,
    #[error("the session was idle too long")]
    IdleExpired,
    #[error("the session has expired")]
    Expired,
}

impl Session {
    /// Whether this session, of `user`, may be used at `now`, if it ends
    /// after `idle` without use.
    pub fn check(
        &self,
        user: &User,
        now: DateTime<Utc>,
        idle: chrono::Duration,
    ) -> Result<(), SessionRefusal> {
        if !user.is_enabled() {
            return Err(SessionRefusal::Disabled);
        }
        if self.expires_at <= now {
            return Err(SessionRefusal::Expired);
        }
        if self.last_seen_at + idle <= now {
            return Err(SessionRefusal::IdleExpired);
        }
        Ok(())
    }
}

/// Recent failed sign-ins, as the store counts them within the throttle's
/// window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SignInFailures {
    /// Failures for the e-mail address tried.
    pub by_account: u32,
    /// Failures from the client's address, for any e-mail.
    pub by_address: u32,
    /// The latest of either.
    pub last_failure: Option<DateTime<Utc>>,
}

/// When failed sign-ins lock an account or an address out for a while.
/// Per account, to stop guessing one person's password; per address (more
/// generously: a municipality's staff often share one NAT address), to stop
/// one client trying many accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInThrottle {
    pub account_limit: u32,
    pub address_limit: u32,
    /// How far back failures count.
    pub window: chrono::Duration,
}

impl Default for SignInThrottle {
    fn default() -> Self {
        Self {
            account_limit: 5,
            address_limit: 20,
            window: chrono::Duration::minutes(15),
        }
    }
}

impl SignInThrottle {
    /// The first wait past a limit; it doubles with each further failure.
    const FIRST_WAIT: chrono::Duration = chrono::Duration::seconds(30);
    /// The longest wait: a locked-out person can still get in within the
    /// window, and an attacker gains a few guesses an hour at most.
    const LONGEST_WAIT: chrono::Duration = chrono::Duration::minutes(15);

    /// Until when no sign-in is tried, or `None` when one may be now.
    /// Past a limit the wait is `last_failure + min(30 s × 2^(n − limit), 15 min)`,
    /// the longer of the account's and the address's.
    pub fn locked_until(&self, failures: &SignInFailures, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let last = failures.last_failure?;
        let wait = |count: u32, limit: u32| (count >= limit).then(|| Self::wait(count - limit));
        let longest = wait(failures.by_account, self.account_limit)
            .into_iter()
            .chain(wait(failures.by_address, self.address_limit))
            .max()?;
        let until = last + longest;
        (until > now).then_some(until)
    }

    fn wait(past_limit: u32) -> chrono::Duration {
        // 2^5 × 30 s is past 15 min already; larger shifts only overflow.
        let doublings = past_limit.min(5);
        (Self::FIRST_WAIT * (1_i32 << doublings)).min(Self::LONGEST_WAIT)
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
            language: Language::Sv,
            created_at: now,
            updated_at: now,
            erased_at: None,
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

    fn user(now: DateTime<Utc>) -> User {
        User {
            id: UserId::new(),
            details: UserDetails::parse(&UserInput {
                email: "sara.holm@example.se".into(),
                role: Some(Role::Viewer),
                ..UserInput::default()
            })
            .unwrap(),
            disabled_at: None,
            language: Language::default(),
            created_at: now,
            updated_at: now,
            erased_at: None,
        }
    }

    #[test]
    fn session_secrets_are_random_well_formed_and_give_a_csrf_token() {
        let one = SessionSecret::generate().unwrap();
        let two = SessionSecret::generate().unwrap();
        assert_ne!(one, two);
        assert!(one.expose().starts_with("svs_") && one.expose().len() == 47);
        assert_eq!(SessionSecret::parse(one.expose()).unwrap(), one);
        assert_eq!(one.hash().as_str().len(), 64);
        assert_eq!(format!("{one:?}"), "SessionSecret(…)");
        // A token is no session, nor a session a token.
        let token = TokenSecret::generate().unwrap();
        assert_eq!(SessionSecret::parse(token.expose()), Err(MalformedSession));
        assert_eq!(TokenSecret::parse(one.expose()), Err(MalformedToken));
        for raw in [
            "",
            "svs_",
            "svs_AAAA",
            "svs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!",
        ] {
            assert_eq!(SessionSecret::parse(raw), Err(MalformedSession), "{raw}");
        }
        let csrf = one.csrf_token();
        assert_eq!(csrf, one.csrf_token());
        assert_ne!(csrf, two.csrf_token());
        assert_eq!(csrf.len(), 43);
        assert!(!csrf.contains(&one.expose()[4..]));
        assert_ne!(csrf, one.hash().as_str());
    }

    #[test]
    fn the_csrf_token_is_the_documented_digest() {
        let secret = SessionSecret::parse("svs_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").unwrap();
        let mut input = b"samverkan-csrf\0".to_vec();
        input.extend_from_slice(secret.expose().as_bytes());
        assert_eq!(
            secret.csrf_token(),
            URL_SAFE_NO_PAD.encode(Sha256::digest(&input))
        );
    }

    #[test]
    fn a_session_ends_when_idle_past_its_end_or_its_user_disabled() {
        let now = crate::time::now();
        let idle = chrono::Duration::hours(8);
        let user = user(now);
        let session = Session {
            id: SessionId::new(),
            user_id: user.id,
            created_at: now,
            last_seen_at: now,
            expires_at: now + chrono::Duration::days(7),
        };
        assert_eq!(session.check(&user, now, idle), Ok(()));
        let almost = now + idle - chrono::Duration::seconds(1);
        assert_eq!(session.check(&user, almost, idle), Ok(()));
        assert_eq!(
            session.check(&user, now + idle, idle),
            Err(SessionRefusal::IdleExpired)
        );
        let active = Session {
            last_seen_at: now + chrono::Duration::days(7) - chrono::Duration::minutes(1),
            ..session.clone()
        };
        assert_eq!(
            active.check(&user, now + chrono::Duration::days(7), idle),
            Err(SessionRefusal::Expired)
        );
        let disabled = User {
            disabled_at: Some(now),
            ..user
        };
        assert_eq!(session.check(&disabled, now, idle), Err(SessionRefusal::Disabled));
    }

    #[test]
    fn the_throttle_waits_from_the_limit_on_doubling_to_a_quarter() {
        let throttle = SignInThrottle::default();
        let now = crate::time::now();
        let failures = |by_account, by_address| SignInFailures {
            by_account,
            by_address,
            last_failure: Some(now),
        };
        let wait = |f: SignInFailures| throttle.locked_until(&f, now).map(|until| until - now);
        let seconds = chrono::Duration::seconds;
        assert_eq!(wait(failures(0, 0)), None);
        assert_eq!(wait(failures(4, 19)), None);
        assert_eq!(wait(failures(5, 0)), Some(seconds(30)));
        assert_eq!(wait(failures(6, 0)), Some(seconds(60)));
        assert_eq!(wait(failures(7, 0)), Some(seconds(120)));
        assert_eq!(wait(failures(9, 0)), Some(seconds(480)));
        assert_eq!(wait(failures(10, 0)), Some(seconds(900)));
        assert_eq!(wait(failures(u32::MAX, 0)), Some(seconds(900)));
        assert_eq!(wait(failures(0, 20)), Some(seconds(30)));
        assert_eq!(wait(failures(0, 22)), Some(seconds(120)));
        // The longer of the two locks.
        assert_eq!(wait(failures(6, 23)), Some(seconds(240)));
        // No failure, no lock; a lock runs out.
        let none = SignInFailures {
            by_account: 9,
            by_address: 0,
            last_failure: None,
        };
        assert_eq!(throttle.locked_until(&none, now), None);
        let later = now + seconds(30);
        assert_eq!(throttle.locked_until(&failures(5, 0), later), None);
        assert_eq!(
            throttle.locked_until(&failures(5, 0), now + seconds(29)),
            Some(now + seconds(30))
        );
    }
}
