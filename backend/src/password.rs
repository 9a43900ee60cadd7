//! Password hashing with argon2id at the OWASP parameters (19 MiB, 2 passes, 1 lane).
//! Each hash holds 19 MiB and a few tens of milliseconds of CPU, so hashing runs on the
//! blocking pool, at most `MAX_CONCURRENT_HASHES` at a time: a burst of sign-ins queues
//! instead of exhausting memory or stalling the async runtime.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::{Arc, LazyLock};
use tokio::sync::Semaphore;

pub const MEMORY_KIB: u32 = 19 * 1024;
pub const PASSES: u32 = 2;
pub const LANES: u32 = 1;
pub const MAX_CONCURRENT_HASHES: usize = 4;

pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 256;

static PERMITS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| Arc::new(Semaphore::new(MAX_CONCURRENT_HASHES)));

/// A hash of a password nobody has, checked when the account does not exist so that an
/// unknown email and a wrong password take the same time.
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| hash_now("not a password of anyone").ok());

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("a password needs at least {MIN_LENGTH} characters")]
    TooShort,
    #[error("a password may have at most {MAX_LENGTH} characters")]
    TooLong,
    #[error("password hashing failed: {0}")]
    Hashing(String),
}

fn hasher() -> Result<Argon2<'static>, PasswordError> {
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).map_err(|e| PasswordError::Hashing(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

pub fn check_strength(password: &str) -> Result<(), PasswordError> {
    let n = password.chars().count();
    if n < MIN_LENGTH {
        Err(PasswordError::TooShort)
    } else if n > MAX_LENGTH {
        Err(PasswordError::TooLong)
    } else {
        Ok(())
    }
}

fn hash_now(password: &str) -> Result<String, PasswordError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| PasswordError::Hashing(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| PasswordError::Hashing(e.to_string()))?;
    Ok(hasher()?
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| PasswordError::Hashing(e.to_string()))?
        .to_string())
}

fn verify_now(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else { return false };
    hasher().is_ok_and(|h| h.verify_password(password.as_bytes(), &parsed).is_ok())
}

async fn off_runtime<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, PasswordError> {
    let _permit = PERMITS.clone().acquire_owned().await.map_err(|e| PasswordError::Hashing(e.to_string()))?;
    let span = tracing::info_span!("argon2");
    tokio::task::spawn_blocking(move || span.in_scope(work)).await.map_err(|e| PasswordError::Hashing(e.to_string()))
}

/// Hashes a password that passed `check_strength`.
#[tracing::instrument(skip_all)]
pub async fn hash(password: String) -> Result<String, PasswordError> {
    check_strength(&password)?;
    off_runtime(move || hash_now(&password)).await?
}

/// Whether `password` matches `hash`; with no hash (unknown account) the same work is done
/// against a dummy and the answer is no.
#[tracing::instrument(skip_all)]
pub async fn verify(password: String, hash: Option<String>) -> Result<bool, PasswordError> {
    off_runtime(move || match hash {
        Some(h) => verify_now(&password, &h),
        None => {
            if let Some(dummy) = DUMMY_HASH.as_deref() {
                verify_now(&password, dummy);
            }
            false
        }
    })
    .await
}

/// Letters and digits that cannot be misread for one another (no 0/O, 1/l/I).
const TEMPORARY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A temporary password for an invited account: 16 characters from a 55-letter alphabet
/// (about 92 bits), drawn without modulo bias.
pub fn temporary() -> Result<String, PasswordError> {
    let n = TEMPORARY_ALPHABET.len();
    let limit = (256 / n * n) as u8;
    let mut out = String::with_capacity(16);
    while out.len() < 16 {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| PasswordError::Hashing(e.to_string()))?;
        for b in bytes.into_iter().filter(|b| *b < limit).take(16 - out.len()) {
            out.push(char::from(TEMPORARY_ALPHABET[b as usize % n]));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let h = hash("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("correct horse battery".into(), Some(h.clone())).await.unwrap());
        assert!(!verify("wrong horse battery".into(), Some(h)).await.unwrap());
        assert!(!verify("anything at all".into(), None).await.unwrap());
    }

    #[test]
    fn short_and_long_passwords_are_refused() {
        assert!(matches!(check_strength("short"), Err(PasswordError::TooShort)));
        assert!(matches!(check_strength(&"x".repeat(MAX_LENGTH + 1)), Err(PasswordError::TooLong)));
        assert!(check_strength("long enough!").is_ok());
    }

    #[test]
    fn temporary_passwords_are_strong_enough_and_differ() {
        let a = temporary().expect("randomness");
        let b = temporary().expect("randomness");
        assert_eq!(a.len(), 16);
        assert!(check_strength(&a).is_ok());
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| TEMPORARY_ALPHABET.contains(&c)));
    }
}
