//! The JSON API under `/api/v1`: one module per resource, each adding its routes to the
//! routing table (`routes`), whose list the access-matrix test checks.

mod audit;
pub mod auth;
mod catalog;
mod health;
mod import;
pub mod plans;
mod regions;
mod reports;
pub mod routes;
mod tasks;
mod tenants;
pub mod users;

use routes::ApiRoutes;

pub fn api() -> ApiRoutes {
    let r = ApiRoutes::new();
    let r = health::routes(r);
    let r = auth::routes(r);
    let r = tenants::routes(r);
    let r = plans::routes(r);
    let r = reports::routes(r);
    let r = tasks::routes(r);
    let r = regions::routes(r);
    let r = catalog::routes(r);
    let r = import::routes(r);
    let r = users::routes(r);
    audit::routes(r)
}

/// Every API route as (method, path template): what the authorisation matrix must cover.
pub fn api_routes() -> Vec<(&'static str, &'static str)> {
    api().into_parts().1
}
