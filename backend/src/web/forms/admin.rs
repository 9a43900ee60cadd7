//! The administration pages' forms (see `forms` for how forms answer): the account's
//! password, the import wizard's upload and commit, a plan's publication, inviting users and
//! withdrawing grants, and creating regions and tenants.

use crate::auth::invitations;
use crate::auth::session;
use crate::error::{Error, parse_id};
use crate::import;
use crate::plans::store;
use crate::state::AppState;
use crate::tenancy;
use crate::web::ClientAddress;
use crate::web::forms::{OneTimeSecret, PageForm, optional, page_texts, uploaded};
use crate::web::respond::{back, encode, see_other, with_cookie, with_outcome};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, Query, Request, State};
use axum::http::HeaderMap;
use axum::http::header::HOST;
use axum::response::Response;
use axum::routing::post;
use serde::Deserialize;
use shared::api::{NewInvitation, NewRegion, NewTenant, Publication};
use shared::import_report::ImportOutcome;
use shared::page_data::Caller;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/forms/password", post(password_form))
        .route("/forms/import", post(import_upload_form))
        .route("/forms/invitations/accept", post(accept_invitation_form))
        .route("/forms/import/commit", post(import_commit_form))
        .route("/forms/publication", post(publication_form))
        .route("/forms/invitations", post(invitation_form))
        .route("/forms/grants/revoke", post(revoke_form))
        .route("/forms/regions", post(region_form))
        .route("/forms/tenants", post(tenant_form))
}

#[derive(Deserialize)]
struct PasswordForm {
    current_password: String,
    new_password: String,
    confirm_password: String,
}

async fn password_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Extension(ClientAddress(client)): Extension<ClientAddress>,
    headers: HeaderMap,
    PageForm(form): PageForm<PasswordForm>,
) -> Response {
    let outcome = async {
        if form.new_password != form.confirm_password {
            return Err(Error::invalid("confirm_password", "confirm_password: the two new passwords differ"));
        }
        state
            .accounts()
            .set_new_password(
                &caller,
                session::token_from_headers(&headers),
                client,
                form.current_password,
                form.new_password,
            )
            .await
    }
    .await;
    with_outcome("/me", outcome, "")
}

#[derive(Deserialize)]
struct UploadTarget {
    tenant: String,
}

/// The wizard's first step: a file (any format the import reads) or pasted text, kept as a
/// draft; the review page runs the dry run on it. The tenant comes in the form's address
/// (`/forms/import?tenant=…`), so the caller is admitted before the upload is read.
async fn import_upload_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    target: Result<Query<UploadTarget>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    request: Request,
) -> Response {
    let page = back(&headers, "/admin");
    let outcome = async {
        let Query(UploadTarget { tenant }) = target.map_err(|e| Error::BadRequest(e.body_text()))?;
        let tenant_record = crate::tenancy::find_tenant(&state.pool, &tenant).await?;
        import::admit(&state.pool, &tenant_record, &caller).await?;
        let (content, name) = uploaded(&state, &headers, request).await?;
        let draft = import::drafts::save(&state.pool, &tenant_record, &caller, name, &content).await?;
        Ok(format!("/t/{tenant}/import?draft={draft}"))
    }
    .await;
    match outcome {
        Ok(location) => see_other(&location),
        Err(e) => with_outcome(&page, Err(e), ""),
    }
}

#[derive(Deserialize)]
struct CommitForm {
    tenant: String,
    draft: String,
}

async fn import_commit_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    PageForm(form): PageForm<CommitForm>,
) -> Response {
    let page = back(&headers, &format!("/t/{}/import", form.tenant));
    let outcome = async {
        let draft = parse_id("import draft", &form.draft)?;
        let tenant = crate::tenancy::find_tenant(&state.pool, &form.tenant).await?;
        let report = import::drafts::commit(&state.pool, &tenant, &caller, draft).await?;
        match (report.outcome, report.plan_id) {
            (ImportOutcome::Created | ImportOutcome::AlreadyPresent, Some(plan)) => {
                Ok(format!("/t/{}/plans/{plan}?ok=1", form.tenant))
            }
            _ => Err(Error::Unprocessable(format!(
                "the document has {} error(s); nothing was imported",
                report.errors.len()
            ))),
        }
    }
    .await;
    match outcome {
        Ok(location) => see_other(&location),
        Err(e) => with_outcome(&page, Err(e), ""),
    }
}

#[derive(Deserialize)]
struct PublicationForm {
    tenant: String,
    plan: String,
    version: i32,
    status: String,
    visibility: String,
}

async fn publication_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    PageForm(form): PageForm<PublicationForm>,
) -> Response {
    let page = back(&headers, &format!("/t/{}/admin", form.tenant));
    let outcome = async {
        let word = |field| move |e: shared::model::UnknownWord| Error::invalid(field, e.to_string());
        let publication = Publication {
            status: form.status.parse().map_err(word("status"))?,
            visibility: form.visibility.parse().map_err(word("visibility"))?,
        };
        let plan = parse_id("plan", &form.plan)?;
        let tenant = crate::tenancy::find_tenant(&state.pool, &form.tenant).await?;
        store::set_publication(&state.pool, &tenant, &caller, plan, form.version, publication).await?;
        Ok(())
    }
    .await;
    with_outcome(&page, outcome, "")
}

/// Invites a user. The one-time link is shown on the page this answers with, once; only its
/// hash is stored.
async fn invitation_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let value = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default();
    let tenant = value("tenant");
    let page = back(&headers, &format!("/t/{tenant}/admin"));
    let role = match value("role").parse() {
        Ok(role) => role,
        Err(e) => return with_outcome(&page, Err(Error::invalid("role", format!("role: {e}"))), ""),
    };
    let invitation = NewInvitation {
        email: value("email"),
        mobile: Some(value("mobile")).filter(|m| !m.trim().is_empty()),
        display_name: value("display_name"),
        role,
        organisations: pairs
            .iter()
            .filter(|(k, v)| k == "organisations" && !v.is_empty())
            .map(|(_, v)| v.clone())
            .collect(),
    };
    let created = match crate::tenancy::find_tenant(&state.pool, &tenant).await {
        Ok(record) => invitations::create(&state.pool, state.clock.now(), &caller, &record, invitation).await,
        Err(e) => Err(e),
    };
    match created {
        Ok(view) => {
            let origin = state
                .public_origin
                .clone()
                .or_else(|| headers.get(HOST).and_then(|h| h.to_str().ok()).map(|host| format!("http://{host}")));
            let url = format!("{}{}", origin.unwrap_or_default(), view.link);
            let texts = page_texts(&headers);
            let shown = OneTimeSecret {
                title: texts.invited_title,
                label: texts.email,
                subject: &view.email,
                note: texts.invitation_link_note,
                secret: &url,
                testid: "invitation-link",
            };
            shown.page(&headers, &page)
        }
        Err(e) => with_outcome(&page, Err(e), ""),
    }
}

#[derive(Deserialize)]
struct AcceptForm {
    tenant: String,
    token: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm_password: String,
}

/// Accepts an invitation: signed in as the invited address, or as a new person setting a
/// password (who is then signed in). Errors go back to the invitation's page.
async fn accept_invitation_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    PageForm(form): PageForm<AcceptForm>,
) -> Response {
    let page = back(&headers, &format!("/t/{}/invitations/{}", form.tenant, form.token));
    let outcome = async {
        let tenant = crate::tenancy::find_tenant(&state.pool, &form.tenant).await?;
        let newcomer = if caller.user_id.is_none() && !form.password.is_empty() {
            if form.password != form.confirm_password {
                return Err(Error::invalid("confirm_password", "confirm_password: the two passwords differ"));
            }
            Some(invitations::Newcomer { display_name: form.display_name, password: form.password })
        } else {
            None
        };
        let now = state.clock.now();
        invitations::accept(&state.pool, now, &state.session_policy, &caller, &tenant, &form.token, newcomer).await
    }
    .await;
    match outcome {
        Ok(accepted) => match accepted.session {
            Some(token) => with_cookie(see_other("/me"), &session::set_cookie(&token, &state.session_policy)),
            None => see_other("/me?ok=1"),
        },
        Err(e) => with_outcome(&page, Err(e), ""),
    }
}

#[derive(Deserialize)]
struct RevokeForm {
    tenant: String,
    grant: String,
}

async fn revoke_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    PageForm(form): PageForm<RevokeForm>,
) -> Response {
    let page = back(&headers, &format!("/t/{}/admin", form.tenant));
    let outcome = async {
        let grant = parse_id("grant", &form.grant)?;
        let tenant = crate::tenancy::find_tenant(&state.pool, &form.tenant).await?;
        crate::auth::users::withdraw(&state.pool, &caller, &tenant, grant).await
    }
    .await;
    with_outcome(&page, outcome, "")
}

#[derive(Deserialize)]
struct RegionForm {
    slug: String,
    name: String,
    #[serde(default)]
    name_en: String,
}

async fn region_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    PageForm(form): PageForm<RegionForm>,
) -> Response {
    let page = back(&headers, "/admin");
    let new = NewRegion { slug: form.slug.trim().to_owned(), name: form.name, name_en: form.name_en };
    let outcome = async {
        crate::auth::access::administer_platform(&caller)?;
        tenancy::create_region(&state.pool, caller.user_id, &new).await?;
        Ok::<_, Error>(())
    }
    .await;
    with_outcome(&page, outcome.map_err(slug_taken), "")
}

#[derive(Deserialize)]
struct TenantForm {
    slug: String,
    name: String,
    #[serde(default)]
    name_en: String,
    region: String,
    #[serde(default)]
    time_zone: String,
}

async fn tenant_form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    PageForm(form): PageForm<TenantForm>,
) -> Response {
    let page = back(&headers, "/admin");
    let new = NewTenant {
        slug: form.slug.trim().to_owned(),
        name: form.name,
        name_en: form.name_en,
        region: form.region,
        time_zone: optional(form.time_zone),
    };
    let outcome = async {
        crate::auth::access::administer_platform(&caller)?;
        tenancy::create_tenant(&state.pool, caller.user_id, &new).await?;
        Ok::<_, Error>(())
    }
    .await;
    match outcome {
        // Next: the new district's plan.
        Ok(()) => see_other(&format!("/t/{}/import?ok=1", encode(&new.slug))),
        Err(e) => with_outcome(&page, Err(slug_taken(e)), ""),
    }
}

/// The one conflict in creating a region or a tenant is its slug being taken: shown at the
/// slug field.
fn slug_taken(e: Error) -> Error {
    match e {
        Error::Conflict(message) => Error::invalid("slug", message),
        other => other,
    }
}
