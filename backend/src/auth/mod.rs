//! Who is calling and what they may do.

/// The role policy: the one place that decides who may do what.
pub mod access;
/// Signing in and out, changing passwords.
pub mod account;
/// Access decisions whose refusals are audited.
pub mod audited;
/// The callers memo: a signed-in user's grants, kept under their version.
pub mod callers;
/// One-time invitation links into a district.
pub mod invitations;
/// argon2id hashing, off the async runtime.
pub mod password;
/// Accounts for machines, owned by a district or a region.
pub mod service_accounts;
/// Server-side sessions and their cookie.
pub mod session;
/// Password-guess throttling per account and per address.
pub mod throttle;
/// API tokens: scoped, expiring, stored hashed, acting with their owner's grants.
pub mod tokens;
/// Users and their role grants.
pub mod users;
