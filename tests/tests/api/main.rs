//! The HTTP API and the server-rendered pages against a real PostgreSQL, one fresh database
//! per test. One binary for all of them (each test binary costs link time).

mod admin_pages;
mod audit;
mod auth;
mod cache;
mod comparison;
mod contacts;
mod contract;
mod conventions;
mod deploy;
mod files;
mod import;
mod isolation;
mod matrix;
mod mirror;
mod onboarding;
mod pages;
mod pool;
mod progress;
mod read_api;
mod schema;
mod security;
mod seed_fidelity;
mod tokens;
