//! The API's routing table. Routes are added through `ApiRoutes`, which remembers each method
//! and path it was given: the authorisation matrix test compares that list with its rows, so
//! a route added without its row fails the test.

use crate::state::AppState;
use axum::Router;
use axum::handler::Handler;
use axum::routing::{delete, get, post, put};

pub struct ApiRoutes {
    router: Router<AppState>,
    list: Vec<(&'static str, &'static str)>,
}

impl ApiRoutes {
    pub fn new() -> Self {
        ApiRoutes { router: Router::new(), list: Vec::new() }
    }

    pub fn get<H: Handler<T, AppState>, T: 'static>(mut self, path: &'static str, handler: H) -> Self {
        self.list.push(("GET", path));
        self.router = self.router.route(path, get(handler));
        self
    }

    pub fn post<H: Handler<T, AppState>, T: 'static>(mut self, path: &'static str, handler: H) -> Self {
        self.list.push(("POST", path));
        self.router = self.router.route(path, post(handler));
        self
    }

    pub fn put<H: Handler<T, AppState>, T: 'static>(mut self, path: &'static str, handler: H) -> Self {
        self.list.push(("PUT", path));
        self.router = self.router.route(path, put(handler));
        self
    }

    pub fn delete<H: Handler<T, AppState>, T: 'static>(mut self, path: &'static str, handler: H) -> Self {
        self.list.push(("DELETE", path));
        self.router = self.router.route(path, delete(handler));
        self
    }

    pub fn into_parts(self) -> (Router<AppState>, Vec<(&'static str, &'static str)>) {
        (self.router, self.list)
    }
}

impl Default for ApiRoutes {
    fn default() -> Self {
        Self::new()
    }
}
