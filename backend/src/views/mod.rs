//! Aggregate read models, built from PostgreSQL and served through `infra::cache`; and the
//! tables people see, as files.

/// The administration pages: a tenant's plans, users and organisations; the platform's.
pub mod admin;
/// Region comparison: districts side by side, per catalog key.
pub mod comparison;
/// Plan dashboard: indicators and tasks by status, per area and organisation.
pub mod dashboard;
/// The home page: districts by region, with their headline figures.
pub mod home;
/// The tables people see as CSV and Excel files.
pub mod tables;
