//! Lists a page at a time (docs/api.md): `?limit=N` (1–1000, 1000 by default, so a client
//! written before lists were paged still gets a plan's, an indicator's or a task's lists whole:
//! none is longer; the districts of a country-wide region are) and
//! `?cursor=…`, the opaque place where the previous page ended; the next page's URL is in
//! `Link: <…>; rel="next"`, absent on the last page. The body stays a plain JSON array.
//!
//! Each list comes from the domain in a total order (its sort key ends in a tie-breaker no
//! two items share; docs/api.md lists them), and a cursor names the last item of its page by
//! its identity (`Listed::identity`): the next page is what follows that item. Items added or
//! removed elsewhere in the list move nothing across a page boundary; a cursor whose item is
//! gone is refused (400), and the client starts again.

use crate::error::{Error, Result};
use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use shared::api::{
    CatalogEntry, IndicatorRow, InvitationSummary, PlanSummary, RegionView, ReportRow, ServiceAccountView, TaskRow,
    TaskUpdateRow, TenantSummary, TenantUser, TokenView,
};
use utoipa::IntoParams;

pub const MAX_LIMIT: usize = 1000;

/// The page a list request asks for, with the request's path and other query parameters
/// for the next page's link.
pub struct Pagination {
    limit: usize,
    cursor: Option<String>,
    path: String,
    other_params: Vec<(String, String)>,
}

/// How the document describes the two parameters.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // describes the query for the document; `Pagination` reads it
pub struct PageParams {
    /// How many items, 1–1000 (1000 by default).
    #[param(minimum = 1, maximum = 1000)]
    limit: Option<u32>,
    /// Where the page starts: as the previous page's `Link: <…>; rel="next"` gives it.
    #[param(max_length = 1024)]
    cursor: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Pagination {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self> {
        let query = parts.uri.query().unwrap_or_default();
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
            .map_err(|e| Error::BadRequest(format!("the query cannot be read: {e}")))?;
        let mut pagination =
            Pagination { limit: MAX_LIMIT, cursor: None, path: parts.uri.path().to_owned(), other_params: Vec::new() };
        for (name, value) in pairs {
            match name.as_str() {
                "limit" => {
                    pagination.limit = value.parse().ok().filter(|n| (1..=MAX_LIMIT).contains(n)).ok_or_else(|| {
                        Error::BadRequest(format!("limit {value:?} is not between 1 and {MAX_LIMIT}"))
                    })?;
                }
                "cursor" => pagination.cursor = Some(value),
                _ => pagination.other_params.push((name, value)),
            }
        }
        Ok(pagination)
    }
}

impl Pagination {
    /// The URL of the page that starts after `cursor`.
    fn next_link(&self, cursor: &str) -> String {
        let mut params = self.other_params.clone();
        params.push(("limit".into(), self.limit.to_string()));
        params.push(("cursor".into(), cursor.to_owned()));
        let query = serde_urlencoded::to_string(&params).unwrap_or_default();
        format!("<{}?{query}>; rel=\"next\"", self.path)
    }

    /// This page of `items` (in the list's order) as the JSON array it answers with, and the
    /// `Link` to the next.
    pub fn respond<T: Listed + Serialize>(&self, items: Vec<T>) -> Result<Response> {
        let start = match &self.cursor {
            None => 0,
            Some(cursor) => {
                let after = decode(cursor)?;
                let last = items.iter().position(|item| item.identity() == after).ok_or_else(|| {
                    Error::BadRequest(format!("cursor {cursor:?} names an item no longer in the list; start again"))
                })?;
                last + 1
            }
        };
        let end = items.len().min(start.saturating_add(self.limit));
        let next = (end < items.len() && end > start).then(|| encode(&items[end - 1].identity()));
        let page: Vec<T> = items.into_iter().skip(start).take(end - start).collect();
        let mut response = Json(page).into_response();
        if let Some(value) = next.and_then(|cursor| HeaderValue::from_str(&self.next_link(&cursor)).ok()) {
            response.headers_mut().insert(header::LINK, value);
        }
        Ok(response)
    }
}

fn encode(identity: &str) -> String {
    URL_SAFE_NO_PAD.encode(identity.as_bytes())
}

fn decode(cursor: &str) -> Result<String> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .ok_or_else(|| Error::BadRequest(format!("cursor {cursor:?} is not one this list gave")))
}

/// An item of a paged list: what tells it from every other item of the list.
pub trait Listed {
    fn identity(&self) -> String;
}

macro_rules! listed_by {
    ($($type:ty => $field:ident),+ $(,)?) => {
        $(impl Listed for $type {
            fn identity(&self) -> String {
                self.$field.to_string()
            }
        })+
    };
}

listed_by! {
    TenantSummary => slug,
    RegionView => slug,
    PlanSummary => id,
    IndicatorRow => id,
    TaskRow => id,
    ReportRow => id,
    TaskUpdateRow => id,
    CatalogEntry => key,
    TenantUser => id,
    InvitationSummary => id,
    TokenView => id,
    ServiceAccountView => id,
}
