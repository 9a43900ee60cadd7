//! The contacts page's forms (`/t/{tenant}/contacts`): upload the filled-in template (kept as
//! a draft, so the page can show its dry run), then invite every row; the one-time links are
//! shown once, on a page laid out to print or to send from.

use crate::error::{Error, parse_id};
use crate::import;
use crate::state::AppState;
use crate::web::forms::{OneTimeList, PageForm, page_texts, uploaded};
use crate::web::respond::{back, see_other, with_outcome};
use axum::Router;
use axum::extract::{Extension, Query, Request, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::post;
use serde::Deserialize;
use shared::import_report::ImportOutcome;
use shared::page_data::Caller;

pub fn router() -> Router<AppState> {
    Router::new().route("/forms/contacts", post(upload_form)).route("/forms/contacts/invite", post(invite_form))
}

#[derive(Deserialize)]
struct Target {
    tenant: String,
}

/// Keeps the workbook as a draft and goes to the page that shows its dry run. The district
/// comes in the form's address, so the caller is admitted before the upload is read.
async fn upload_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    target: Result<Query<Target>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let page = back(&headers, "/admin");
    let outcome = async {
        let Query(Target { tenant }) = target.map_err(|e| Error::BadRequest(e.body_text()))?;
        let record = crate::tenancy::find_tenant(&state.pool, &tenant).await?;
        crate::auth::invitations::admit(&state.pool, &caller, &record).await?;
        let (content, name) = uploaded(&state, &headers, request).await?;
        let draft = import::drafts::save_contacts(&state.pool, &record, &caller, name, &content).await?;
        Ok(format!("/t/{tenant}/contacts?draft={draft}"))
    }
    .await;
    match outcome {
        Ok(location) => see_other(&location),
        Err(e) => with_outcome(&page, Err(e), ""),
    }
}

#[derive(Deserialize)]
struct InviteForm {
    tenant: String,
    draft: String,
}

/// Invites every row of the draft; answers with the links, once.
async fn invite_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    PageForm(form): PageForm<InviteForm>,
) -> Response {
    let page = back(&headers, &format!("/t/{}/contacts", form.tenant));
    let invited = async {
        let draft = parse_id("import draft", &form.draft)?;
        let tenant = crate::tenancy::find_tenant(&state.pool, &form.tenant).await?;
        let report = import::contacts::invite_draft(&state.pool, state.clock.now(), &caller, &tenant, draft).await?;
        match report.outcome {
            ImportOutcome::Created => Ok(report),
            _ => Err(Error::Unprocessable(format!(
                "{} problem(s) in the contacts; nobody was invited",
                report.errors.len()
            ))),
        }
    }
    .await;
    let report = match invited {
        Ok(report) => report,
        Err(e) => return with_outcome(&page, Err(e), ""),
    };
    let origin = state
        .public_origin
        .clone()
        .or_else(|| {
            headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).map(|host| format!("http://{host}"))
        })
        .unwrap_or_default();
    let texts = page_texts(&headers);
    let rows = report
        .invitations
        .iter()
        .map(|i| {
            let unit = i.organisations.join("、");
            let contact = [Some(i.email.clone()).filter(|e| !e.is_empty()), i.mobile.clone()].into_iter().flatten();
            [i.display_name.clone(), unit, contact.collect::<Vec<_>>().join(" / "), format!("{origin}{}", i.link)]
        })
        .collect();
    let list = OneTimeList {
        title: texts.contacts_invited,
        note: texts.invitation_link_note,
        headers: [texts.display_name, texts.organisations, texts.email_or_mobile, texts.invitation_link],
        rows,
        testid: "invitation-links",
    };
    list.page(&headers, &format!("/t/{}/admin", form.tenant))
}
