//! Aggregate read models, built from PostgreSQL and served through `infra::cache`.

/// Region comparison: districts side by side, per catalog key.
pub mod comparison;
/// Plan dashboard: indicators and tasks by status, per area and organisation.
pub mod dashboard;
