//! Plans as stored in a tenant: areas, indicators, tasks and their units.

/// The indicator catalog that maps each district's indicators for comparison.
pub mod catalog;
/// Reading plans, indicators (with their standing) and tasks under the access rules.
pub mod read;
/// The standing kept on each indicator row: read here, written by `progress::reports`.
pub mod standing;
/// Storing a canonical plan document; a plan's publication.
pub mod store;
