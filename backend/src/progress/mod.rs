//! Reporting progress against a plan.

/// Indicator reports: submitting, approving or rejecting, correcting; the units that answer.
pub mod reports;
/// The rules a report, a correction and a decision keep, as pure functions.
pub mod rules;
/// Task status updates.
pub mod task_updates;
/// A reporter's work: what the caller may report on, across its tenants.
pub mod work;
