//! The authorisation matrix: every role × every API route × a target tenant that is the
//! caller's own, another tenant of the same region, or a tenant of another region, with the
//! status each cell must answer. The rows must name exactly the routes the server has.

use serde_json::json;
use shared::model::Role;
use sqlx::PgPool;
use std::collections::{BTreeSet, HashMap};
use tests::{TestApp, browser_like_client_from, spawn_app};
use uuid::Uuid;

/// Who calls: anonymous, then one user per role, all with grants on tenant `qianjiang`
/// (region `chongqing`).
const CALLERS: [&str; 6] = ["anonymous", "platform_admin", "supervisor", "tenant_admin", "reporter", "viewer"];

#[derive(Clone, Copy, Debug)]
enum Target {
    Own,
    OtherTenant,
    OtherRegion,
}

const TARGETS: [Target; 3] = [Target::Own, Target::OtherTenant, Target::OtherRegion];

impl Target {
    fn region(self) -> &'static str {
        match self {
            Target::Own | Target::OtherTenant => "chongqing",
            Target::OtherRegion => "sichuan",
        }
    }

    fn slug(self) -> &'static str {
        match self {
            Target::Own => "qianjiang",
            Target::OtherTenant => "neighbour",
            Target::OtherRegion => "faraway",
        }
    }
}

/// Expected status per caller (in `CALLERS` order), for each target.
struct Row {
    method: &'static str,
    path: &'static str,
    own: [u16; 6],
    other_tenant: [u16; 6],
    other_region: [u16; 6],
    /// A body for the request, where the route takes one (`{cell}` becomes the cell's number).
    body: Option<serde_json::Value>,
    /// Send `If-Match: "1"` (the version of a record nobody has edited yet).
    if_match: bool,
}

const fn same(codes: [u16; 6]) -> ([u16; 6], [u16; 6], [u16; 6]) {
    (codes, codes, codes)
}

fn rows() -> Vec<Row> {
    let row = |method, path, (own, other_tenant, other_region): ([u16; 6], [u16; 6], [u16; 6])| Row {
        method,
        path,
        own,
        other_tenant,
        other_region,
        body: None,
        if_match: false,
    };
    // Internal plan data: the tenant's own users, supervisors of its region, platform admins.
    let internal_read =
        ([404, 200, 200, 200, 200, 200], [404, 200, 200, 404, 404, 404], [404, 200, 404, 404, 404, 404]);
    // Unapproved figures: signed-in readers with the tenant in scope.
    let signed_in_read =
        ([401, 200, 200, 200, 200, 200], [401, 200, 200, 404, 404, 404], [401, 200, 404, 404, 404, 404]);
    // Reporting: tenant admins, and reporters where their unit answers for the item
    // (`reporter` is the reporter's answer on its own tenant).
    let admin_write = |ok: u16, reporter: u16| {
        ([401, 403, 403, ok, reporter, 403], [401, 403, 403, 404, 404, 404], [401, 403, 404, 404, 404, 404])
    };
    // Managing a tenant's plans and users: platform admins, and the tenant's own admins.
    let manage = |ok: u16| ([401, ok, 403, ok, 403, 403], [401, ok, 403, 404, 404, 404], [401, ok, 404, 404, 404, 404]);
    // Deciding on reports, naming responsible units: tenant admins only.
    let admin_only = |ok: u16| admin_write(ok, 403);
    vec![
        row("GET", "/healthz", same([200; 6])),
        row("GET", "/readyz", same([200; 6])),
        Row {
            body: Some(json!({"email": "nobody+{cell}@example.cn", "password": "wrong password!"})),
            ..row("POST", "/api/v1/auth/login", same([401; 6]))
        },
        row("POST", "/api/v1/auth/logout", same([204; 6])),
        Row {
            body: Some(json!({"current_password": "wrong password!", "new_password": "a new long password"})),
            ..row("POST", "/api/v1/auth/password", same([401, 422, 422, 422, 422, 422]))
        },
        row("GET", "/api/v1/me", same([401, 200, 200, 200, 200, 200])),
        row("GET", "/api/v1/tenants", same([200; 6])),
        row("GET", "/api/v1/tenants/{slug}", same([200; 6])),
        row("GET", "/api/v1/regions", same([200; 6])),
        row("GET", "/api/v1/regions/{region}", same([200; 6])),
        row("GET", "/api/v1/tenants/{slug}/plans", same([200; 6])),
        row("GET", "/api/v1/tenants/{slug}/plans/{id}", internal_read),
        row("GET", "/api/v1/tenants/{slug}/plans/{id}/indicators", internal_read),
        row("GET", "/api/v1/tenants/{slug}/plans/{id}/tasks", internal_read),
        row("GET", "/api/v1/tenants/{slug}/plans/{id}/dashboard", internal_read),
        row("GET", "/api/v1/tenants/{slug}/indicators/{id}/reports", signed_in_read),
        row("GET", "/api/v1/tenants/{slug}/indicators/{id}/reports/{rid}", signed_in_read),
        Row {
            body: Some(json!({"period": "2023", "value": 1})),
            ..row("POST", "/api/v1/tenants/{slug}/indicators/{id}/reports", admin_write(201, 403))
        },
        Row {
            if_match: true,
            ..row("POST", "/api/v1/tenants/{slug}/indicators/{id}/reports/{rid}/approve", admin_only(200))
        },
        Row {
            if_match: true,
            body: Some(json!({"reason": "the source is missing"})),
            ..row("POST", "/api/v1/tenants/{slug}/indicators/{id}/reports/{rid}/reject", admin_only(200))
        },
        Row {
            if_match: true,
            body: Some(json!({"lead": [], "responsible": []})),
            ..row("PUT", "/api/v1/tenants/{slug}/indicators/{id}/units", admin_only(204))
        },
        row("GET", "/api/v1/tenants/{slug}/tasks/{id}/updates", signed_in_read),
        row("GET", "/api/v1/tenants/{slug}/tasks/{id}/updates/{uid}", signed_in_read),
        // Own region for the first two targets, another region for the third.
        row(
            "GET",
            "/api/v1/regions/{region}/comparison",
            ([401, 200, 200, 403, 403, 403], [401, 200, 200, 403, 403, 403], [401, 200, 403, 403, 403, 403]),
        ),
        row("GET", "/api/v1/catalog", same([200; 6])),
        // No body: the callers who may import get 422 (an empty document), the others refusals.
        row(
            "POST",
            "/api/v1/tenants/{slug}/plans/import",
            ([401, 422, 403, 422, 403, 403], [401, 422, 403, 404, 404, 404], [401, 422, 404, 404, 404, 404]),
        ),
        row("GET", "/api/v1/tenants/{slug}/plans/{id}/export.json", internal_read),
        row("GET", "/api/v1/tenants/{slug}/plans/{id}/export.xlsx", internal_read),
        row("GET", "/api/v1/import/template.xlsx", same([200; 6])),
        Row {
            body: Some(json!({"key": "matrix_key", "name": "矩阵测试", "unit": "个"})),
            ..row("PUT", "/api/v1/catalog/{key}", same([401, 204, 403, 403, 403, 403]))
        },
        Row {
            if_match: true,
            body: Some(json!({"key": null})),
            ..row(
                "PUT",
                "/api/v1/tenants/{slug}/indicators/{id}/catalog",
                ([401, 204, 403, 403, 403, 403], [401, 204, 403, 404, 404, 404], [401, 204, 404, 404, 404, 404]),
            )
        },
        // Task 1 is led by 区发展改革委, the reporter's unit.
        Row {
            body: Some(json!({"status": "in_progress"})),
            ..row("POST", "/api/v1/tenants/{slug}/tasks/{id}/updates", admin_write(201, 201))
        },
        Row {
            body: Some(json!({"slug": "region{cell}", "name": "矩阵区域"})),
            ..row("POST", "/api/v1/regions", same([401, 201, 403, 403, 403, 403]))
        },
        Row {
            body: Some(json!({"slug": "tenant{cell}", "name": "矩阵区", "region": "chongqing"})),
            ..row("POST", "/api/v1/tenants", same([401, 201, 403, 403, 403, 403]))
        },
        Row {
            if_match: true,
            body: Some(json!({"status": "published", "visibility": "internal"})),
            ..row("PUT", "/api/v1/tenants/{slug}/plans/{id}/publication", manage(204))
        },
        row("GET", "/api/v1/tenants/{slug}/users", manage(200)),
        Row {
            body: Some(json!({"email": "invitee{cell}@example.cn", "role": "viewer"})),
            ..row("POST", "/api/v1/tenants/{slug}/users", manage(201))
        },
        row("GET", "/api/v1/tenants/{slug}/invitations", manage(200)),
        row("GET", "/api/v1/tenants/{slug}/contacts/template.xlsx", manage(200)),
        // No body: those who may invite get 422 (no contacts), the others refusals.
        row("POST", "/api/v1/tenants/{slug}/contacts", manage(422)),
        row("GET", "/api/v1/tenants/{slug}/invitations/{id}", manage(200)),
        row("DELETE", "/api/v1/tenants/{slug}/grants/{id}", manage(204)),
        row(
            "GET",
            "/api/v1/tenants/{slug}/audit",
            ([401, 200, 200, 200, 403, 403], [401, 200, 200, 404, 404, 404], [401, 200, 404, 404, 404, 404]),
        ),
        // Tokens and service accounts: everyone signed in lists what they may manage; a
        // personal token is made where one holds a role; Qianjiang's service account and its
        // token are its admins' and the platform's.
        row("GET", "/api/v1/tokens", same([401, 200, 200, 200, 200, 200])),
        Row {
            body: Some(json!({"name": "矩阵{cell}", "scopes": ["read"], "tenant": "{slug}"})),
            ..row(
                "POST",
                "/api/v1/tokens",
                ([401, 201, 201, 201, 201, 201], [401, 201, 201, 403, 403, 403], [401, 201, 403, 403, 403, 403]),
            )
        },
        row("GET", "/api/v1/tokens/{id}", same([401, 200, 404, 200, 404, 404])),
        row("DELETE", "/api/v1/tokens/{id}", same([401, 204, 404, 204, 404, 404])),
        row("GET", "/api/v1/service-accounts", same([401, 200, 200, 200, 200, 200])),
        Row {
            body: Some(json!({"name": "矩阵{cell}", "tenant": "{slug}", "role": "viewer"})),
            ..row("POST", "/api/v1/service-accounts", manage(201))
        },
        row("GET", "/api/v1/service-accounts/{id}", same([401, 200, 404, 200, 404, 404])),
        row("DELETE", "/api/v1/service-accounts/{id}", same([401, 204, 404, 204, 404, 404])),
    ]
}

/// A service account of Qianjiang (a viewer) with a token, made straight in the database:
/// one per cell that disables or revokes, so one cell's success is not the next one's 404.
async fn service_account_with_token(app: &TestApp, cell: usize) -> (Uuid, Uuid) {
    let account: Uuid = sqlx::query_scalar(
        "with u as (insert into app_user (email, display_name, is_service) values ($1, '矩阵账号', true) returning user_id),
              a as (insert into service_account (user_id, tenant_id, name, created_at)
                    select u.user_id, t.tenant_id, '矩阵账号', now() from u, tenant t where t.slug = 'qianjiang'
                    returning user_id)
         insert into role_grant (user_id, role, tenant_id)
         select a.user_id, 'viewer', t.tenant_id from a, tenant t where t.slug = 'qianjiang' returning user_id",
    )
    .bind(format!("service+matrix{cell}@planboard.invalid"))
    .fetch_one(&app.admin)
    .await
    .unwrap();
    let token: Uuid = sqlx::query_scalar(
        "insert into api_token (token_hash, prefix, user_id, name, scopes, tenant_id, created_at, expires_at)
         select sha256($1::bytea), 'pb_matri', $2, '矩阵', '{read}', tenant_id, now(), now() + interval '1 day'
         from tenant where slug = 'qianjiang' returning token_id",
    )
    .bind(format!("matrix secret {cell}").into_bytes())
    .bind(account)
    .fetch_one(&app.admin)
    .await
    .unwrap();
    (account, token)
}

/// Two more tenants (one in another region), each with an internal plan, and the seed's
/// plan made internal, so that every plan route depends on the caller's scope.
/// The ids a target tenant's paths use.
struct Ids {
    plan: Uuid,
    indicator: Uuid,
    /// Another indicator, for the catalog mapping (which bumps the indicator's version).
    catalog_indicator: Uuid,
    task: Uuid,
    /// Submitted reports: one to approve, one to reject.
    approve: Uuid,
    reject: Uuid,
    /// An update of `task`.
    update: Uuid,
    /// An open invitation into the tenant.
    invitation: Uuid,
}

async fn world(app: &TestApp) -> HashMap<&'static str, Ids> {
    sqlx::raw_sql(
        "insert into region (slug, name) values ('sichuan', '四川省');
         insert into tenant (region_id, slug, name) select region_id, 'neighbour', '邻区' from region where slug = 'chongqing';
         insert into tenant (region_id, slug, name) select region_id, 'faraway', '远区' from region where slug = 'sichuan';
         update plan set visibility = 'internal';",
    )
    .execute(&app.admin)
    .await
    .unwrap();
    let bundle = backend::ops::seed::parse_bundle("qianjiang.json", backend::ops::seed::BUNDLES[0].1).unwrap();
    let mut doc = bundle.plans[0].clone();
    doc.visibility = shared::model::Visibility::Internal;
    let mut plans = HashMap::new();
    plans.insert("qianjiang", app.seed_plan_id().await);
    for slug in ["neighbour", "faraway"] {
        let tenant: Uuid = sqlx::query_scalar("select tenant_id from tenant where slug = $1")
            .bind(slug)
            .fetch_one(&app.admin)
            .await
            .unwrap();
        let mut tx = app.admin.begin().await.unwrap();
        sqlx::query("select set_config('app.tenant_ids', $1, true)")
            .bind(tenant.to_string())
            .execute(&mut *tx)
            .await
            .unwrap();
        let stored = backend::plans::store::store_plan(&mut tx, tenant, None, &doc).await.unwrap();
        tx.commit().await.unwrap();
        plans.insert(slug, stored.plan_id());
    }
    app.add_user("platform@planboard.cn", Role::PlatformAdmin, None, None, &[]).await;
    app.add_user("supervisor@chongqing.gov.cn", Role::Supervisor, None, Some("chongqing"), &[]).await;
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    app.add_user("reporter@qianjiang.gov.cn", Role::Reporter, Some("qianjiang"), None, &["区发展改革委"]).await;
    app.add_user("viewer@qianjiang.gov.cn", Role::Viewer, Some("qianjiang"), None, &[]).await;
    let mut ids = HashMap::new();
    for (slug, plan) in plans {
        let (tenant, indicator): (Uuid, Uuid) =
            sqlx::query_as("select tenant_id, indicator_id from indicator where plan_id = $1 and code = '1.1'")
                .bind(plan)
                .fetch_one(&app.admin)
                .await
                .unwrap();
        let catalog_indicator: Uuid =
            sqlx::query_scalar("select indicator_id from indicator where plan_id = $1 and code = '1.2'")
                .bind(plan)
                .fetch_one(&app.admin)
                .await
                .unwrap();
        let task: Uuid = sqlx::query_scalar("select task_id from task where plan_id = $1 and position = 1")
            .bind(plan)
            .fetch_one(&app.admin)
            .await
            .unwrap();
        let mut reports = Vec::new();
        for year in [2021, 2022] {
            let id: Uuid = sqlx::query_scalar(
                "insert into indicator_report (tenant_id, indicator_id, period_year, value) values ($1, $2, $3, 1)
                 returning report_id",
            )
            .bind(tenant)
            .bind(indicator)
            .bind(year)
            .fetch_one(&app.admin)
            .await
            .unwrap();
            reports.push(id);
        }
        let update: Uuid = sqlx::query_scalar(
            "insert into task_update (tenant_id, task_id, status) values ($1, $2, 'in_progress') returning update_id",
        )
        .bind(tenant)
        .bind(task)
        .fetch_one(&app.admin)
        .await
        .unwrap();
        let invitation: Uuid = sqlx::query_scalar(
            "insert into invitation (tenant_id, token_hash, email, role, created_at, expires_at)
             values ($1, sha256(gen_random_uuid()::text::bytea), 'matrix@example.cn', 'viewer', now(), now() + interval '7 days')
             returning invitation_id",
        )
        .bind(tenant)
        .fetch_one(&app.admin)
        .await
        .unwrap();
        let (approve, reject) = (reports[0], reports[1]);
        ids.insert(slug, Ids { plan, indicator, catalog_indicator, task, approve, reject, update, invitation });
    }
    ids
}

/// A viewer grant on `slug` for a new account, to be withdrawn by one cell.
async fn fresh_grant(app: &TestApp, slug: &str, cell: usize) -> Uuid {
    sqlx::query_scalar(
        "with u as (insert into app_user (email) values ($1) returning user_id)
         insert into role_grant (user_id, role, tenant_id)
         select u.user_id, 'viewer', t.tenant_id from u, tenant t where t.slug = $2 returning grant_id",
    )
    .bind(format!("grantee{cell}@example.cn"))
    .bind(slug)
    .fetch_one(&app.admin)
    .await
    .unwrap()
}

fn email(caller: &str) -> Option<&'static str> {
    match caller {
        "platform_admin" => Some("platform@planboard.cn"),
        "supervisor" => Some("supervisor@chongqing.gov.cn"),
        "tenant_admin" => Some("admin@qianjiang.gov.cn"),
        "reporter" => Some("reporter@qianjiang.gov.cn"),
        "viewer" => Some("viewer@qianjiang.gov.cn"),
        _ => None,
    }
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn every_role_gets_the_expected_status_on_every_route(pool: PgPool) {
    let app = spawn_app(pool).await;
    let rows = rows();

    let listed: BTreeSet<_> = backend::web::api_routes().into_iter().collect();
    let covered: BTreeSet<_> = rows.iter().map(|r| (r.method.to_owned(), r.path.to_owned())).collect();
    assert_eq!(covered, listed, "the matrix must have one row per API route, no more, no less");

    let world = world(&app).await;
    let mut failures = Vec::new();
    let mut cells = 0;
    for (c, caller) in CALLERS.iter().enumerate() {
        for row in &rows {
            for target in TARGETS {
                // A fresh sign-in per cell: a cell that signs out cannot affect the next. Each
                // from an address of its own, so that the sign-in throttle's count per address
                // (the failed sign-ins and password changes of the cells) stays out of it.
                let local = Some(std::net::IpAddr::from([127, 1, (cells / 250) as u8, (cells % 250 + 1) as u8]));
                let client = match email(caller) {
                    Some(e) => app.sign_in_from(e, local).await,
                    None => browser_like_client_from(app.addr, local),
                };
                let slug = target.slug();
                let ids = &world[slug];
                let report = if row.path.ends_with("/reject") { ids.reject } else { ids.approve };
                // A grant of its own for each cell to withdraw, so one cell's success is not the
                // next one's 404.
                let grant =
                    if row.path.contains("/grants/") { fresh_grant(&app, slug, cells).await } else { Uuid::nil() };
                let (account, token) = if row.path.contains("/tokens/") || row.path.contains("/service-accounts/") {
                    service_account_with_token(&app, cells).await
                } else {
                    (Uuid::nil(), Uuid::nil())
                };
                let path = row
                    .path
                    .replace("{slug}", slug)
                    .replace("/plans/{id}", &format!("/plans/{}", ids.plan))
                    .replace("/indicators/{id}/catalog", &format!("/indicators/{}/catalog", ids.catalog_indicator))
                    .replace("/indicators/{id}", &format!("/indicators/{}", ids.indicator))
                    .replace("{region}", target.region())
                    .replace("{key}", "matrix_key")
                    .replace("/tasks/{id}", &format!("/tasks/{}", ids.task))
                    .replace("{rid}", &report.to_string())
                    .replace("{uid}", &ids.update.to_string())
                    .replace("/invitations/{id}", &format!("/invitations/{}", ids.invitation))
                    .replace("/grants/{id}", &format!("/grants/{grant}"))
                    .replace("/tokens/{id}", &format!("/tokens/{token}"))
                    .replace("/service-accounts/{id}", &format!("/service-accounts/{account}"));
                let mut request = client.request(row.method.parse().unwrap(), app.url(&path));
                if row.if_match {
                    // Two callers may publish the same plan: each names its current version.
                    let version: i32 = if row.path.ends_with("/publication") {
                        sqlx::query_scalar("select version from plan where plan_id = $1")
                            .bind(ids.plan)
                            .fetch_one(&app.admin)
                            .await
                            .unwrap()
                    } else {
                        1
                    };
                    request = request.header("if-match", format!("\"{version}\""));
                }
                if let Some(body) = &row.body {
                    // A different unknown account per cell, so sign-in throttling stays out of it.
                    let body = body.to_string().replace("{cell}", &cells.to_string()).replace("{slug}", slug);
                    request = request.header("content-type", "application/json").body(body);
                }
                let status = request.send().await.unwrap().status().as_u16();
                let expected = match target {
                    Target::Own => row.own[c],
                    Target::OtherTenant => row.other_tenant[c],
                    Target::OtherRegion => row.other_region[c],
                };
                cells += 1;
                if status != expected {
                    failures.push(format!(
                        "{caller} {} {path} ({target:?}): expected {expected}, got {status}",
                        row.method
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {cells} cells unexpected:\n{}", failures.len(), failures.join("\n"));
    eprintln!(
        "authorisation matrix: {} roles × {} routes × {} scopes = {cells} cells",
        CALLERS.len(),
        rows.len(),
        TARGETS.len()
    );
}

/// Strings no route may answer with a 5xx: NUL, a direction override, an invalid escape,
/// an oversize value.
fn hostile_strings() -> Vec<String> {
    vec!["a\u{0}b".into(), "\u{202E}gnp.exe".into(), "x".repeat(100_000), "\u{FEFF}".into(), "' or 1=1 --".into()]
}

/// Every way to spoil `value`: each string replaced by each hostile string, each number by
/// an absurd one, each array by one holding a hostile string, one field at a time.
fn spoiled(value: &serde_json::Value) -> Vec<serde_json::Value> {
    use serde_json::Value;
    let mut out = Vec::new();
    match value {
        Value::String(_) => out.extend(hostile_strings().into_iter().map(Value::String)),
        Value::Number(_) => out.extend([json!(1e308), json!(-1e308), json!(u64::MAX), json!("1")]),
        Value::Array(_) => out.extend([json!(["\u{0}"]), json!([{"a": 1}]), json!(vec!["x"; 10_000])]),
        Value::Object(fields) => {
            for (name, field) in fields {
                for bad in spoiled(field) {
                    let mut copy = fields.clone();
                    copy.insert(name.clone(), bad);
                    out.push(Value::Object(copy));
                }
            }
        }
        _ => out.push(json!("\u{0}")),
    }
    out
}

/// A request body: its content type and bytes.
type Body = (&'static str, Vec<u8>);

/// Bodies that are not what any route takes.
fn malformed_bodies() -> Vec<Body> {
    vec![
        ("application/json", b"{".to_vec()),
        ("application/json", b"[]".to_vec()),
        ("application/json", b"null".to_vec()),
        ("application/json", br#"{"a":"\u0000"}"#.to_vec()),
        ("application/json", "[".repeat(10_000).into_bytes()),
        ("application/json", vec![0xff, 0xfe, 0x00, 0x7b]),
        ("text/plain", "\u{202E}\u{0}".as_bytes().to_vec()),
        ("application/x-www-form-urlencoded", b"a=%00&b=%E2%80%AE".to_vec()),
        ("application/json", vec![]),
    ]
}

/// A client for `caller` (number `c`) from an address of its own for each sign-in.
async fn sign_in_from(app: &TestApp, caller: &str, c: usize, sign_ins: &mut u8) -> reqwest::Client {
    *sign_ins += 1;
    let local = Some(std::net::IpAddr::from([127, 2, c as u8, *sign_ins]));
    match email(caller) {
        Some(e) => app.sign_in_from(e, local).await,
        None => browser_like_client_from(app.addr, local),
    }
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn no_route_answers_hostile_input_with_a_server_error(pool: PgPool) {
    let app = spawn_app(pool).await;
    let rows = rows();
    let listed: BTreeSet<_> = backend::web::api_routes().into_iter().collect();
    let covered: BTreeSet<_> = rows.iter().map(|r| (r.method.to_owned(), r.path.to_owned())).collect();
    assert_eq!(covered, listed, "every API route is sent hostile input");
    let world = world(&app).await;
    let ids = &world["qianjiang"];
    let mut failures = Vec::new();
    let mut sent = 0;
    for (c, caller) in CALLERS.iter().enumerate() {
        // An address per caller and sign-in: the rate limits and the sign-in throttle (which
        // counts the password route's hostile bodies as guesses) stay out of it.
        let mut sign_ins = 0u8;
        let app = &app;
        let mut client = sign_in_from(app, caller, c, &mut sign_ins).await;
        for row in &rows {
            let real = |path: &str| {
                path.replace("{slug}", "qianjiang")
                    .replace("/plans/{id}", &format!("/plans/{}", ids.plan))
                    .replace("/indicators/{id}", &format!("/indicators/{}", ids.indicator))
                    .replace("/tasks/{id}", &format!("/tasks/{}", ids.task))
                    .replace("{rid}", &ids.approve.to_string())
                    .replace("{uid}", &ids.update.to_string())
                    .replace("/invitations/{id}", &format!("/invitations/{}", ids.invitation))
                    .replace("/grants/{id}", &format!("/grants/{}", Uuid::new_v4()))
                    .replace("/tokens/{id}", &format!("/tokens/{}", Uuid::new_v4()))
                    .replace("/service-accounts/{id}", &format!("/service-accounts/{}", Uuid::new_v4()))
                    .replace("{region}", "chongqing")
                    .replace("{key}", "industrial_output_above_scale")
            };
            // Each path parameter spoiled in turn, the others real.
            let mut paths = vec![real(row.path)];
            for param in row.path.split('/').filter(|s| s.starts_with('{')) {
                for bad in ["a%00b", "%E2%80%AE", "%FF%FE", "..%2F..%2Fetc", "%20", &"y".repeat(3000)] {
                    paths.push(real(&row.path.replacen(param, bad, 1)));
                }
            }
            let real_path = real(row.path);
            for query in ["dry_run=%00", "limit=-1&offset=99999999999999999999", "indicator=%E2%80%AE", "before=abc"] {
                paths.push(format!("{real_path}?{query}"));
            }
            let mut requests: Vec<(String, Option<Body>)> = paths.into_iter().map(|p| (p, None)).collect();
            if row.method != "GET" {
                let body = row.body.clone().unwrap_or(json!({}));
                for bad in spoiled(&body) {
                    let text = bad.to_string().replace("{cell}", &sent.to_string()).replace("{slug}", "qianjiang");
                    requests.push((real_path.clone(), Some(("application/json", text.into_bytes()))));
                }
                for (kind, bytes) in malformed_bodies() {
                    requests.push((real_path.clone(), Some((kind, bytes))));
                }
                if matches!(*caller, "anonymous" | "tenant_admin") {
                    requests.push((real_path.clone(), Some(("application/json", vec![b' '; 5 * 1024 * 1024]))));
                }
            }
            for (path, body) in requests {
                let mut request =
                    client.request(row.method.parse().unwrap(), app.url(&path)).header("if-match", "\"1\"");
                if let Some((kind, bytes)) = body {
                    request = request.header("content-type", kind).body(bytes);
                }
                let status = match request.send().await {
                    Ok(response) => response.status().as_u16(),
                    Err(e) => {
                        failures.push(format!("{caller} {} {path}: no answer ({e})", row.method));
                        continue;
                    }
                };
                sent += 1;
                if status >= 500 {
                    failures.push(format!(
                        "{caller} {} {}: {status}",
                        row.method,
                        path.chars().take(160).collect::<String>()
                    ));
                }
                if row.path == "/api/v1/auth/logout" || row.path == "/api/v1/auth/password" {
                    client = sign_in_from(app, caller, c, &mut sign_ins).await;
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {sent} hostile requests failed:\n{}", failures.len(), failures.join("\n"));
    eprintln!("hostile input: {sent} requests over {} routes and {} callers, no 5xx", rows.len(), CALLERS.len());
}
