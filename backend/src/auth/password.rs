//! Password hashing with argon2id at the OWASP parameters (19 MiB, 2 passes, 1 lane).
//! Each hash holds 19 MiB and a few tens of milliseconds of CPU, so hashing runs on the
//! blocking pool, at most one per core (and never more than `MAX_CONCURRENT_HASHES`) at a
//! time: a burst of sign-ins queues instead of exhausting memory or stalling the async
//! runtime, and more hashes at once than cores would only hold more memory, not finish sooner.
//!
//! The 19 MiB working memory is allocated once per concurrent hash and reused: allocated
//! afresh for every hash, the allocator kept each blocking thread's freed block, and a burst
//! of sign-ins left the server holding hundreds of MB (docs/benchmarks.md).

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{ARGON2ID_IDENT, Algorithm, Argon2, Block, Params, Version};
use std::sync::{Arc, LazyLock, Mutex};
use tokio::sync::Semaphore;

pub const MEMORY_KIB: u32 = 19 * 1024;
pub const PASSES: u32 = 2;
pub const LANES: u32 = 1;
pub const MAX_CONCURRENT_HASHES: usize = 4;

pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 256;

static PERMITS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    Arc::new(Semaphore::new(cores.min(MAX_CONCURRENT_HASHES)))
});

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

fn failed(e: impl std::fmt::Display) -> PasswordError {
    PasswordError::Hashing(e.to_string())
}

fn standard_params() -> Result<Params, PasswordError> {
    Params::new(MEMORY_KIB, PASSES, LANES, None).map_err(failed)
}

/// Working memory of the standard size, kept for the next hash (at most one per permit).
static MEMORY: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

/// argon2id of `password` with `salt` into `out`, in reused memory when `params` are ours.
fn raw_hash(params: &Params, password: &[u8], salt: &[u8], out: &mut [u8]) -> Result<(), PasswordError> {
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let standard = params.m_cost() == MEMORY_KIB && params.p_cost() == LANES;
    let reused = if standard { crate::infra::bounded::lock(&MEMORY).pop() } else { None };
    let mut blocks = reused.unwrap_or_else(|| vec![Block::default(); params.block_count()]);
    let result = argon2.hash_password_into_with_memory(password, salt, out, &mut blocks).map_err(failed);
    if standard {
        crate::infra::bounded::lock(&MEMORY).push(blocks);
    }
    result
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

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`), as argon2's own
/// `PasswordHasher` writes it.
fn hash_with_salt(password: &str, salt: &[u8]) -> Result<String, PasswordError> {
    let params = standard_params()?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    raw_hash(&params, password.as_bytes(), salt, &mut out)?;
    let salt = SaltString::encode_b64(salt).map_err(failed)?;
    let phc = PasswordHash {
        algorithm: ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(failed)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(failed)?),
    };
    Ok(phc.to_string())
}

fn hash_now(password: &str) -> Result<String, PasswordError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(failed)?;
    hash_with_salt(password, &salt)
}

fn verify_now(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else { return false };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else { return false };
    let Ok(params) = Params::try_from(&parsed) else { return false };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else { return false };
    let mut out = vec![0u8; expected.len()];
    parsed.algorithm == ARGON2ID_IDENT
        && raw_hash(&params, password.as_bytes(), salt, &mut out).is_ok()
        // Output's equality is constant-time.
        && Output::new(&out).is_ok_and(|computed| computed == expected)
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
    fn hashes_are_what_argon2_itself_writes_and_reused_memory_changes_nothing() {
        use argon2::password_hash::PasswordHasher;
        let salt = [7u8; 16];
        let ours = hash_with_salt("correct horse battery", &salt).expect("a hash");
        let theirs = Argon2::new(Algorithm::Argon2id, Version::V0x13, standard_params().expect("params"))
            .hash_password(b"correct horse battery", &SaltString::encode_b64(&salt).expect("salt"))
            .expect("a hash")
            .to_string();
        assert_eq!(ours, theirs);
        // Computed again in the memory the first one left behind.
        assert_eq!(hash_with_salt("correct horse battery", &salt).expect("a hash"), theirs);
        assert!(verify_now("correct horse battery", &theirs));
        assert!(!verify_now("correct horse battery!", &theirs));
        assert!(!verify_now("correct horse battery", "$argon2i$v=19$m=19456,t=2,p=1$BwcHBwcHBwcHBwcHBwcHBw$AAAA"));
    }
}
