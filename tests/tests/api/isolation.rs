//! Row-level security as the second wall: the server's role sees only the tenants its
//! transaction names, whatever the query asks for.

use backend::infra::db;
use sqlx::PgPool;
use tests::{app_role_pool, spawn_app};
use uuid::Uuid;

async fn second_tenant(admin: &PgPool) -> Uuid {
    let tenant: Uuid = sqlx::query_scalar(
        "insert into tenant (region_id, slug, name) select region_id, 'other', '其他区' from region where slug = 'chongqing'
         returning tenant_id",
    )
    .fetch_one(admin)
    .await
    .unwrap();
    let mut tx = admin.begin().await.unwrap();
    sqlx::query("insert into organisation (tenant_id, name) values ($1, '其他区发展改革委')")
        .bind(tenant)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    tenant
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_query_without_tenant_filter_sees_only_the_context_tenant(pool: PgPool) {
    let app = spawn_app(pool).await;
    let other = second_tenant(&app.admin).await;
    let qianjiang: Uuid = sqlx::query_scalar("select tenant_id from tenant where slug = 'qianjiang'")
        .fetch_one(&app.admin)
        .await
        .unwrap();

    let mut tx = db::tenant_tx(&app.app_pool, &[qianjiang]).await.unwrap();
    let tenants: Vec<Uuid> =
        sqlx::query_scalar("select distinct tenant_id from organisation").fetch_all(&mut *tx).await.unwrap();
    assert_eq!(tenants, [qianjiang]);
    let n: i64 = sqlx::query_scalar("select count(*) from organisation").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(n, 33);
    // Writing a row of another tenant is refused too.
    let refused =
        sqlx::query("insert into organisation (tenant_id, name) values ($1, 'x')").bind(other).execute(&mut *tx).await;
    assert!(refused.is_err(), "an insert for another tenant must violate the policy");
    tx.rollback().await.unwrap();

    let mut tx = db::tenant_tx(&app.app_pool, &[other]).await.unwrap();
    let names: Vec<String> = sqlx::query_scalar("select name from organisation").fetch_all(&mut *tx).await.unwrap();
    assert_eq!(names, ["其他区发展改革委"]);
    let plans: i64 = sqlx::query_scalar("select count(*) from plan").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(plans, 0);
}

/// A region read context (a supervisor's comparison) sees the rollups and catalog standings
/// of that region's districts, no others, nothing else (not even their plans), and writes
/// nothing. A district moved to another region takes its rows along.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_region_context_reads_its_districts_and_writes_nothing(pool: PgPool) {
    let app = spawn_app(pool).await;
    let other = second_tenant(&app.admin).await;
    let chongqing: Uuid = sqlx::query_scalar("select region_id from region where slug = 'chongqing'")
        .fetch_one(&app.admin)
        .await
        .unwrap();
    let elsewhere: Uuid =
        sqlx::query_scalar("insert into region (slug, name) values ('elsewhere', '别处') returning region_id")
            .fetch_one(&app.admin)
            .await
            .unwrap();
    sqlx::query(
        "insert into plan (tenant_id, title, issuer, issued_on, period_start, period_end, visibility, status)
         values ($1, '别处规划', '别处', '2022-01-01', 2021, 2025, 'public', 'published')",
    )
    .bind(other)
    .execute(&app.admin)
    .await
    .unwrap();
    // Moved after its plan: only the move itself can carry its rows to the other region.
    sqlx::query("update tenant set region_id = $1 where tenant_id = $2")
        .bind(elsewhere)
        .bind(other)
        .execute(&app.admin)
        .await
        .unwrap();

    let mut tx = db::region_tx(&app.app_pool, chongqing).await.unwrap();
    let seen = |table: &'static str| format!("select count(distinct tenant_id) from {table}");
    for table in ["tenant_rollup", "catalog_standing"] {
        let n: i64 = sqlx::query_scalar(&seen(table)).fetch_one(&mut *tx).await.unwrap();
        assert_eq!(n, 1, "{table}: the region's one district");
    }
    for table in ["plan", "indicator", "organisation", "task", "indicator_report", "audit_event"] {
        let n: i64 = sqlx::query_scalar(&format!("select count(*) from {table}")).fetch_one(&mut *tx).await.unwrap();
        assert_eq!(n, 0, "{table} is not part of a comparison");
    }
    let written = sqlx::query("update tenant_rollup set tasks_total = tasks_total").execute(&mut *tx).await;
    assert!(written.is_err(), "a region context is read only");
    tx.rollback().await.unwrap();

    // The district moved with its rows: the other region sees it, and only it.
    let mut tx = db::region_tx(&app.app_pool, elsewhere).await.unwrap();
    let slugs: Vec<String> = sqlx::query_scalar("select slug from tenant_rollup").fetch_all(&mut *tx).await.unwrap();
    assert_eq!(slugs, ["other"]);
    let plans: i64 = sqlx::query_scalar("select count(*) from plan").fetch_one(&mut *tx).await.unwrap();
    assert_eq!(plans, 0, "a region context reads the comparison's tables only");
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn without_a_tenant_context_no_tenant_row_is_visible(pool: PgPool) {
    let app = spawn_app(pool).await;
    for table in
        ["organisation", "plan", "area", "indicator", "task", "task_assignment", "tenant_rollup", "catalog_standing"]
    {
        let n: i64 =
            sqlx::query_scalar(&format!("select count(*) from {table}")).fetch_one(&app.app_pool).await.unwrap();
        assert_eq!(n, 0, "{table} leaks without a tenant context");
    }
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_tenant_context_does_not_outlive_its_transaction(pool: PgPool) {
    let app = spawn_app(pool).await;
    let single = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect_with((*app.app_pool.connect_options()).clone())
        .await
        .unwrap();
    let qianjiang: Uuid = sqlx::query_scalar("select tenant_id from tenant where slug = 'qianjiang'")
        .fetch_one(&app.admin)
        .await
        .unwrap();
    let tx = db::tenant_tx(&single, &[qianjiang]).await.unwrap();
    tx.commit().await.unwrap();
    // The same pooled connection, next request: nothing visible.
    let n: i64 = sqlx::query_scalar("select count(*) from plan").fetch_one(&single).await.unwrap();
    assert_eq!(n, 0);
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_server_refuses_a_role_that_bypasses_row_level_security(pool: PgPool) {
    // `pool` is the superuser the tests create databases with.
    let err = db::ensure_rls_applies(&pool).await.unwrap_err();
    assert!(err.to_string().contains("bypasses row-level security"), "{err}");
    let app_pool = app_role_pool(&pool, db::PING_AFTER_IDLE).await;
    db::ensure_rls_applies(&app_pool).await.unwrap();
    app_pool.close().await;
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn the_audit_trail_is_append_only_for_the_server(pool: PgPool) {
    let app = spawn_app(pool).await;
    for statement in ["update audit_event set action = 'x'", "delete from audit_event"] {
        let result = sqlx::query(statement).execute(&app.app_pool).await;
        assert!(result.is_err(), "{statement} must be refused");
    }
}

/// Every table with a `tenant_id` has row-level security, forced, except those whose rows
/// must be read before a tenant context exists: `tenant` itself, `role_grant` (who the
/// caller is), `api_token` (found by its hash before anything else is known) and
/// `service_account` (read by key, filtered to the districts the caller administers), which
/// the application reads by key and never lists across tenants.
#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn every_tenant_owned_table_has_forced_row_level_security(pool: PgPool) {
    let unguarded: Vec<String> = sqlx::query_scalar(
        "select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind = 'r'
           and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
           and not (c.relrowsecurity and c.relforcerowsecurity)
         order by 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(unguarded, ["api_token", "role_grant", "service_account", "tenant"]);
    // The context's ids are read once per statement (an init plan), never once per row; and
    // the ids are a caller's own districts, a few at most: region-wide reads have their own
    // context (`region_id`), so `= any` compares each row with one id or a few.
    let per_row: Vec<String> = sqlx::query_scalar(
        "select tablename || '.' || policyname from pg_policies
         where schemaname = 'public'
           and (replace(coalesce(qual, ''), '( SELECT app_tenant_ids() AS app_tenant_ids)', '')
                  ilike '%app_tenant_ids()%'
                or replace(coalesce(with_check, ''), '( SELECT app_tenant_ids() AS app_tenant_ids)', '')
                  ilike '%app_tenant_ids()%')
         order by 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(per_row, Vec::<String>::new());
}
