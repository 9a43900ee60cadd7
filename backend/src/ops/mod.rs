//! Command-line tasks that write data.

/// `backend admin`: the first platform admin, and new temporary passwords.
pub mod admin;
/// `backend demo`: synthetic districts, labelled as such, in their own region.
pub mod demo;
/// `backend seed`: the tenants whose plans ship with Planboard.
pub mod seed;
