//! The JSON API under `/api/v1`: one module per resource, each adding its routes to the
//! routing table (`routes`), which is also the OpenAPI document (`openapi`); the access-matrix
//! test checks its list.

mod audit;
pub mod auth;
mod catalog;
mod contacts;
mod health;
mod import;
pub mod openapi;
mod params;
pub mod plans;
mod regions;
mod reports;
pub mod routes;
pub mod scopes;
mod tasks;
mod tenants;
mod tokens;
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
    let r = contacts::routes(r);
    let r = tokens::routes(r);
    audit::routes(r)
}

/// Every API route as (method, path template): what the authorisation matrix must cover.
pub fn api_routes() -> Vec<(String, String)> {
    api().into_parts().2.into_iter().map(|r| (r.method.to_string(), r.path)).collect()
}
