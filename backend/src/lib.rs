#![recursion_limit = "256"]
//! Planboard's server. `main.rs` is only the command line over this library, so tests start
//! the same application in-process. The folders are layers, each importing only those listed
//! before it (docs/architecture.md; `tests/layers.rs` fails on an import against the order).

/// PostgreSQL, Redis, OpenTelemetry, time and bounded memory: knows no plan, tenant or role.
pub mod infra;

/// The append-only audit trail every write adds to.
pub mod audit;
/// The domain's failure vocabulary, mapped to HTTP only in `web::error`.
pub mod error;

/// Who is calling and what they may do: the access policy, sessions, passwords, users, invitations.
pub mod auth;
/// Documents in and out: the import readers and service, the export.
pub mod import;
/// Exact in-memory copies of sessions, tenants, plans and region versions for the read path.
pub mod mirror;
/// Command-line tasks that write data: seeding the shipped plans, the synthetic demo districts.
pub mod ops;
/// Plans as stored: reading them, storing imported documents, the catalog, the indicator standing.
pub mod plans;
/// Reporting progress: indicator reports and their approval, task updates.
pub mod progress;
/// Regions and tenants (districts): the records every request is scoped by.
pub mod tenancy;
/// Aggregate read models (plan dashboard, region comparison), served through `infra::cache`.
pub mod views;

/// The `backend` command line.
pub mod cli;
/// Settings from the environment and the config file.
pub mod config;
/// Builds the application from its configuration and serves it until stopped.
pub mod startup;
/// The handles every request shares.
pub mod state;
/// HTTP only: the router, middleware, API handlers, forms, pages and their data adapter.
pub mod web;
