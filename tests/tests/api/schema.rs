//! The schema guards the data on its own: bad rows are refused whatever code writes them.

use sqlx::PgPool;
use tests::spawn_app;

async fn refused(pool: &PgPool, sql: &str) -> bool {
    let mut tx = pool.begin().await.unwrap();
    let result = sqlx::query(sql).execute(&mut *tx).await;
    tx.rollback().await.unwrap();
    result.is_err()
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn check_constraints_refuse_malformed_rows(pool: PgPool) {
    let app = spawn_app(pool).await;
    let db = &app.admin;
    let cases = [
        ("comparator outside ge/le/eq", "update indicator set comparator = 'gt'"),
        ("target before baseline", "update indicator set target_year = 2019"),
        ("ongoing with a due year", "update task set ongoing = true, due_year = 2025"),
        ("task sequence below 1", "update task set seq = 0"),
        ("unknown plan visibility", "update plan set visibility = 'secret'"),
        ("plan ending before it starts", "update plan set period_end = 2020"),
        (
            "quarter 5",
            "insert into indicator_report (tenant_id, indicator_id, period_year, period_quarter, value)
                       select tenant_id, indicator_id, 2023, 5, 1 from indicator limit 1",
        ),
        (
            "report decided but still submitted",
            "insert into indicator_report (tenant_id, indicator_id, period_year, value, decided_at)
                       select tenant_id, indicator_id, 2023, 1, now() from indicator limit 1",
        ),
        (
            "unknown task status",
            "insert into task_update (tenant_id, task_id, status)
                       select tenant_id, task_id, 'done' from task limit 1",
        ),
        (
            "percent over 100",
            "insert into task_update (tenant_id, task_id, status, percent)
                       select tenant_id, task_id, 'in_progress', 101 from task limit 1",
        ),
        (
            "malformed tenant slug",
            "insert into tenant (region_id, slug, name) select region_id, 'Bad Slug', 'x' from region",
        ),
        (
            "tenant admin without a tenant",
            "insert into role_grant (user_id, role)
                       select user_id, 'tenant_admin' from app_user limit 1",
        ),
    ];
    sqlx::query("insert into app_user (email) values ('someone@example.org')").execute(db).await.unwrap();
    for (what, sql) in cases {
        assert!(refused(db, sql).await, "{what} was accepted");
    }
}

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn a_row_cannot_point_at_another_tenants_rows(pool: PgPool) {
    let app = spawn_app(pool).await;
    sqlx::query("insert into tenant (region_id, slug, name) select region_id, 'other', '其他区' from region")
        .execute(&app.admin)
        .await
        .unwrap();
    // An assignment of a Qianjiang task to an organisation of another tenant.
    let sql =
        "insert into organisation (tenant_id, name) select tenant_id, '外区单位' from tenant where slug = 'other';
               insert into task_assignment (tenant_id, task_id, organisation_id, role, position)
               select t.tenant_id, t.task_id, o.organisation_id, 'lead', 9
               from task t, organisation o where o.name = '外区单位' limit 1";
    let mut tx = app.admin.begin().await.unwrap();
    let result = sqlx::raw_sql(sql).execute(&mut *tx).await;
    assert!(result.is_err(), "a cross-tenant assignment was accepted");
}

/// Tables whose `tenant_id` may be null, and why they are not distributed by tenant: they are
/// local tables of the platform (docs/architecture.md, "Keys carry the tenant").
const LOCAL_TABLES: &[(&str, &str)] = &[
    ("audit_event", "events outside any tenant (platform admins' writes, sign-ins) have none"),
    ("role_grant", "platform admins' and supervisors' grants belong to no tenant"),
    ("service_account", "a region's service accounts belong to no district"),
    ("api_token", "a token scoped to a region belongs to no district"),
];

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn every_key_of_a_tenant_table_includes_the_tenant(pool: PgPool) {
    // Every unique index (primary keys and unique constraints are ones) of every table with a
    // tenant_id column, and whether the index covers that column.
    let rows: Vec<(String, bool, String, bool)> = sqlx::query_as(
        "select c.relname::text, a.attnotnull, i.relname::text, a.attnum = any(x.indkey::smallint[])
         from pg_class c
         join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
         join pg_index x on x.indrelid = c.oid and x.indisunique
         join pg_class i on i.oid = x.indexrelid
         where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
         order by 1, 3",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut wrong = Vec::new();
    for (table, not_null, index, covered) in &rows {
        // The tenant table is where the key comes from: a reference table, its slug unique
        // across the platform.
        if table == "tenant" {
            continue;
        }
        if !not_null {
            if !LOCAL_TABLES.iter().any(|(t, _)| t == table) {
                wrong
                    .push(format!("{table}: tenant_id may be null; make it not null, or document it as a local table"));
            }
        } else if !covered {
            wrong.push(format!("{table}: the key {index} does not include tenant_id"));
        }
    }
    wrong.dedup();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let tables: std::collections::BTreeSet<&str> = rows.iter().map(|(t, _, _, _)| t.as_str()).collect();
    for expected in ["plan", "indicator", "indicator_report", "task_update", "organisation", "import_draft"] {
        assert!(tables.contains(expected), "the check saw no key of {expected}: {tables:?}");
    }
    assert!(rows.len() >= 25, "only {} keys seen", rows.len());
}
