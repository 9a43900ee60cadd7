#![recursion_limit = "256"]
//! Planboard's server: configuration, database, access rules, the HTTP API, the pages, and the
//! command-line tasks (migrate, seed). `main.rs` is only the command line over this library,
//! so tests can start the same application in-process.

pub mod access;
pub mod app;
pub mod audit;
pub mod bounded;
pub mod cache;
pub mod catalog;
pub mod cli;
pub mod clock;
pub mod comparison;
pub mod config;
pub mod dashboard;
pub mod db;
pub mod demo;
pub mod error;
pub mod http;
pub mod import;
pub mod invitations;
pub mod memo;
pub mod metrics;
pub mod mirror;
pub mod page_data;
pub mod password;
pub mod plan_store;
pub mod progress_store;
pub mod read;
pub mod reports;
pub mod seed;
pub mod session;
pub mod task_updates;
pub mod telemetry;
pub mod tenancy;
pub mod throttle;
pub mod users;
