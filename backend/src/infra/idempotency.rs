//! Remembered answers for idempotent retries (docs/api.md): the first request with a key
//! claims it, its answer is kept encrypted for 24 hours, and a retry gets that answer back.
//! This module knows PostgreSQL and the cipher, not HTTP: the web layer decides what a
//! request and an answer are (`web/middleware/idempotency.rs`).

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};
use sqlx::PgPool;

/// How long a key is remembered.
pub const KEPT_FOR: Duration = Duration::hours(24);
/// A claim whose request has run this long without an answer is taken to have died with its
/// server (a request is refused long before: the timeouts are far shorter), and may be taken
/// over by a retry.
const ABANDONED_AFTER: Duration = Duration::minutes(5);

/// A caller's key, as stored: what finds it, and what opens its answer.
pub struct Claim {
    key_hash: [u8; 32],
    cipher_key: [u8; 32],
}

impl Claim {
    /// The claim of `key` by `caller` (a user's or a token's id as text).
    pub fn new(caller: &str, key: &str) -> Self {
        let derive = |purpose: &[u8]| -> [u8; 32] {
            let mut h = Sha256::new();
            h.update(purpose);
            h.update(caller.as_bytes());
            h.update([0]);
            h.update(key.as_bytes());
            h.finalize().into()
        };
        Claim {
            key_hash: derive(b"planboard idempotency id v1\0"),
            cipher_key: derive(b"planboard idempotency key v1\0"),
        }
    }
}

/// What a claimed key says about a request.
pub enum Outcome {
    /// First seen (or forgotten): run the request, then `complete` or `release`.
    Run,
    /// Already answered: this is the answer, decrypted.
    Answered(Vec<u8>),
    /// The key was used for another request.
    OtherRequest,
    /// The first request with this key is still running.
    Running,
}

/// The SHA-256 of what makes a request the same request.
pub fn request_hash(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for part in parts {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part);
    }
    h.finalize().into()
}

#[derive(sqlx::FromRow)]
struct Row {
    request_hash: Vec<u8>,
    response: Option<Vec<u8>>,
}

/// Claims `claim` for a request with `request`'s hash at `now`. Keys older than a day are
/// forgotten on the way (by the index on their time, so this costs little).
pub async fn claim(pool: &PgPool, claim: &Claim, request: &[u8; 32], now: DateTime<Utc>) -> anyhow::Result<Outcome> {
    // Two tries: a claim released between the statements of the first leaves the key free.
    for _ in 0..2 {
        // Take the key when it is new, forgotten or abandoned by the same request.
        let taken: Option<i32> = sqlx::query_scalar(
            "with forgotten as (delete from idempotency_key where created_at < $4 and key_hash <> $1)
             insert into idempotency_key (key_hash, request_hash, created_at) values ($1, $2, $3)
             on conflict (key_hash) do update set request_hash = $2, created_at = $3, completed_at = null, response = null
               where idempotency_key.created_at < $4
                  or (idempotency_key.completed_at is null and idempotency_key.created_at < $5
                      and idempotency_key.request_hash = $2)
             returning 1",
        )
        .bind(&claim.key_hash[..])
        .bind(&request[..])
        .bind(now)
        .bind(now - KEPT_FOR)
        .bind(now - ABANDONED_AFTER)
        .fetch_optional(pool)
        .await?;
        if taken.is_some() {
            return Ok(Outcome::Run);
        }
        let row: Option<Row> = sqlx::query_as("select request_hash, response from idempotency_key where key_hash = $1")
            .bind(&claim.key_hash[..])
            .fetch_optional(pool)
            .await?;
        let Some(row) = row else { continue };
        if row.request_hash != request[..] {
            return Ok(Outcome::OtherRequest);
        }
        return match row.response {
            None => Ok(Outcome::Running),
            Some(sealed) => Ok(Outcome::Answered(open(claim, &sealed)?)),
        };
    }
    Ok(Outcome::Running)
}

/// Keeps `answer` (encrypted) as the claimed request's answer.
pub async fn complete(pool: &PgPool, claim: &Claim, answer: &[u8], now: DateTime<Utc>) -> anyhow::Result<()> {
    sqlx::query("update idempotency_key set completed_at = $2, response = $3 where key_hash = $1")
        .bind(&claim.key_hash[..])
        .bind(now)
        .bind(seal(claim, answer)?)
        .execute(pool)
        .await?;
    Ok(())
}

/// Forgets the claim: the request failed in a way a retry may mend (a server error).
pub async fn release(pool: &PgPool, claim: &Claim) -> anyhow::Result<()> {
    sqlx::query("delete from idempotency_key where key_hash = $1 and completed_at is null")
        .bind(&claim.key_hash[..])
        .execute(pool)
        .await?;
    Ok(())
}

/// The nonce, then the ciphertext.
fn seal(claim: &Claim, plain: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut nonce = [0u8; 12];
    getrandom::fill(&mut nonce).map_err(|e| anyhow::anyhow!("no randomness for a nonce: {e}"))?;
    let cipher = ChaCha20Poly1305::new(Key::from_slice(&claim.cipher_key));
    let sealed = cipher.encrypt(Nonce::from_slice(&nonce), plain).map_err(|_| anyhow::anyhow!("sealing failed"))?;
    Ok([&nonce[..], &sealed].concat())
}

fn open(claim: &Claim, sealed: &[u8]) -> anyhow::Result<Vec<u8>> {
    anyhow::ensure!(sealed.len() > 12, "a kept answer too short to open");
    let (nonce, text) = sealed.split_at(12);
    let cipher = ChaCha20Poly1305::new(Key::from_slice(&claim.cipher_key));
    cipher.decrypt(Nonce::from_slice(nonce), text).map_err(|_| anyhow::anyhow!("a kept answer does not open"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_opens_only_with_the_key_it_was_sealed_under() {
        let mine = Claim::new("user-1", "key-a");
        let sealed = seal(&mine, b"the answer").unwrap_or_default();
        assert_eq!(open(&mine, &sealed).ok().as_deref(), Some(&b"the answer"[..]));
        assert!(open(&Claim::new("user-1", "key-b"), &sealed).is_err());
        assert!(open(&Claim::new("user-2", "key-a"), &sealed).is_err());
        assert_ne!(Claim::new("user-1", "key-a").key_hash, Claim::new("user-2", "key-a").key_hash);
    }
}
