//! Reporting progress against a plan.

/// Indicator reports: submitting, approving or rejecting, correcting; the units that answer.
pub mod reports;
/// Task status updates.
pub mod task_updates;
