//! Passwords for signing in to the web interface, and their stored hashes.
//!
//! The rules are NIST SP 800-63B's: a length, and no composition rules
//! (which only make people write passwords down). Hashes are Argon2id with
//! argon2's default cost (19 MiB, two passes, one lane: OWASP's minimum),
//! as PHC strings, so that a later change of cost can still read old ones.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash as Phc;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use unicode_normalization::UnicodeNormalization;

use crate::access::RandomnessUnavailable;
use crate::error::FieldError;

/// A password that meets the rules, in its NFKC form.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

/// Never print a password, not even in a debug log.
impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

impl Password {
    /// Counted in code points after normalising, as SP 800-63B counts.
    pub const MIN_CHARS: usize = 12;
    /// Long enough for any passphrase; the bound keeps hashing cheap to refuse.
    pub const MAX_CHARS: usize = 256;

    /// Checks a password as typed. NFKC makes the same password typed on
    /// another keyboard (composed or not, full-width or not) the same bytes.
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let normalized: String = raw.nfkc().collect();
        let chars = normalized.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(FieldError::new(
                "password",
                format!("must be at least {} characters", Self::MIN_CHARS),
            ));
        }
        if chars > Self::MAX_CHARS {
            return Err(FieldError::new(
                "password",
                format!("must be at most {} characters", Self::MAX_CHARS),
            ));
        }
        Ok(Self(normalized))
    }

    /// Letters and digits that cannot be mistaken for one another when read
    /// off a screen (no 0/O, 1/l/I): 5.7 bits a character.
    const GENERATED_ALPHABET: &'static [u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// A random password of `chars` characters (at least [`Self::MIN_CHARS`])
    /// from the operating system's random number generator, for a person to
    /// be handed (the demo's users).
    pub fn generate(chars: usize) -> Result<Self, RandomnessUnavailable> {
        let alphabet = Self::GENERATED_ALPHABET;
        // Bytes at or past the last whole multiple of the alphabet are
        // drawn again, so that every character is equally likely.
        let fair = 256 - 256 % alphabet.len();
        let wanted = chars.max(Self::MIN_CHARS);
        let mut out = String::with_capacity(wanted);
        let mut buffer = [0u8; 64];
        while out.len() < wanted {
            getrandom::fill(&mut buffer).map_err(|error| RandomnessUnavailable(error.to_string()))?;
            for byte in buffer
                .iter()
                .map(|byte| usize::from(*byte))
                .filter(|byte| *byte < fair)
            {
                if out.len() == wanted {
                    break;
                }
                if let Some(c) = alphabet.get(byte % alphabet.len()) {
                    out.push(char::from(*c));
                }
            }
        }
        Ok(Self(out))
    }

    /// The password itself: to be shown to the person it is for (a
    /// generated one), never logged.
    pub fn expose(&self) -> &str {
        &self.0
    }

    fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// Why a password could not be hashed.
#[derive(Debug, thiserror::Error)]
pub enum HashingFailed {
    #[error(transparent)]
    Randomness(#[from] RandomnessUnavailable),
    #[error("argon2 failed: {0}")]
    Argon2(String),
}

/// A stored password hash: an Argon2id PHC string.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

/// The hash is not a secret the way a password is, but it is what an
/// attacker would crack offline: keep it out of logs too.
impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordHash(…)")
    }
}

/// A hash of a password nobody knows, made with the default cost: see
/// [`PasswordHash::dummy`]. Fixed rather than computed at start, so that
/// the first sign-in of an unknown user costs the same as the others.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FtdmVya2FuLWR1bW15$BB7hzu3fdjsdAFzyW5W0XG7IOT3FNONkPkc6yqkUA1E";

static DUMMY: LazyLock<PasswordHash> = LazyLock::new(|| PasswordHash(DUMMY_HASH.to_owned()));

impl PasswordHash {
    /// Bytes of random salt (argon2's recommended length).
    const SALT_BYTES: usize = 16;

    /// Hashes `password` with a fresh random salt. Takes tens of
    /// milliseconds of CPU and 19 MiB: callers on an async runtime run it
    /// on a blocking thread.
    pub fn new(password: &Password) -> Result<Self, HashingFailed> {
        let mut salt = [0u8; Self::SALT_BYTES];
        getrandom::fill(&mut salt).map_err(|error| RandomnessUnavailable(error.to_string()))?;
        let hash = Argon2::default()
            .hash_password_with_salt(password.as_bytes(), &salt)
            .map_err(|error| HashingFailed::Argon2(error.to_string()))?;
        Ok(Self(hash.to_string()))
    }

    /// Whether `password` is the one hashed. A stored string that is not a
    /// PHC hash matches nothing.
    pub fn verify(&self, password: &Password) -> bool {
        Phc::new(&self.0).is_ok_and(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
    }

    /// A hash to verify against when there is no real one (the account is
    /// unknown, disabled or has no password), so that the answer takes as
    /// long as for a real account and its timing gives no user away.
    pub fn dummy() -> &'static Self {
        &DUMMY
    }

    pub fn from_stored(phc: String) -> Self {
        Self(phc)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_12_to_256_characters_and_nothing_else() {
        assert_eq!(Password::parse("elva tecken").unwrap_err().field, "password");
        assert!(Password::parse("tolv  tecken").is_ok());
        // Code points, not bytes: twelve Swedish letters are 24 bytes.
        assert!(Password::parse("åäöåäöåäöåäö").is_ok());
        assert!(Password::parse("åäöåäöåäöåä").is_err());
        assert!(Password::parse(&"x".repeat(256)).is_ok());
        assert!(Password::parse(&"x".repeat(257)).is_err());
        // No composition rules: all lower-case letters is fine.
        assert!(Password::parse("korrekthästbatteri").is_ok());
        assert_eq!(
            format!("{:?}", Password::parse("hemlig hemlighet").unwrap()),
            "Password(…)"
        );
    }

    #[test]
    fn generated_passwords_are_random_and_unambiguous() {
        let one = Password::generate(20).unwrap();
        let two = Password::generate(20).unwrap();
        assert_ne!(one, two);
        assert_eq!(one.expose().chars().count(), 20);
        assert!(
            one.expose()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() && !"0O1lI".contains(c))
        );
        assert_eq!(Password::parse(one.expose()).unwrap(), one);
        assert_eq!(Password::generate(3).unwrap().expose().len(), Password::MIN_CHARS);
    }

    #[test]
    fn the_same_password_typed_differently_is_the_same() {
        let composed = Password::parse("smörgåsbordet").unwrap();
        let decomposed = Password::parse("smo\u{308}rga\u{30a}sbordet").unwrap();
        assert_eq!(composed, decomposed);
        let full_width = Password::parse("ｐａｓｓｗｏｒｄ１２３４").unwrap();
        assert_eq!(full_width, Password::parse("password1234").unwrap());
    }

    #[test]
    fn a_hash_verifies_its_password_only() {
        let password = Password::parse("rätt lösenord här").unwrap();
        let hash = PasswordHash::new(&password).unwrap();
        assert!(hash.as_str().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(hash.verify(&password));
        assert!(!hash.verify(&Password::parse("fel lösenord här").unwrap()));
        // Salted: the same password hashes differently each time.
        assert_ne!(PasswordHash::new(&password).unwrap(), hash);
        let stored = PasswordHash::from_stored(hash.as_str().to_owned());
        assert!(stored.verify(&password));
        assert!(!PasswordHash::from_stored("inte en hash".into()).verify(&password));
        assert_eq!(format!("{hash:?}"), "PasswordHash(…)");
    }

    #[test]
    fn the_dummy_costs_what_a_real_hash_costs_and_matches_nothing() {
        let real = PasswordHash::new(&Password::parse("vilket lösenord som helst").unwrap()).unwrap();
        let params = |hash: &str| hash.split('$').nth(3).map(str::to_owned);
        assert_eq!(params(PasswordHash::dummy().as_str()), params(real.as_str()));
        assert!(Phc::new(PasswordHash::dummy().as_str()).is_ok());
        assert!(!PasswordHash::dummy().verify(&Password::parse("vilket lösenord som helst").unwrap()));
    }
}
