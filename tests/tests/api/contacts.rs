//! A district's contacts from a spreadsheet (CSV here; the browser test uploads Excel): each
//! row checked and its problems named by cell, nothing done while any remains; then every
//! row invited at once; an invitee known by number only signs in with it.

use serde_json::{Value, json};
use shared::model::Role;
use sqlx::PgPool;
use tests::spawn_app;

const HEADER: &str = "姓名,单位,手机号,邮箱,角色\n";

#[sqlx::test(migrator = "backend::infra::db::MIGRATOR")]
async fn contacts_are_checked_row_by_row_then_invited_together(pool: PgPool) {
    let app = spawn_app(pool).await;
    app.add_user("admin@qianjiang.gov.cn", Role::TenantAdmin, Some("qianjiang"), None, &[]).await;
    let admin = app.sign_in("admin@qianjiang.gov.cn").await;
    let url = app.url("/api/v1/tenants/qianjiang/contacts");
    let send = |body: String, dry_run: bool| {
        admin.post(format!("{url}?dry_run={dry_run}")).header("content-type", "text/csv").body(body).send()
    };
    let bad = format!(
        "{HEADER}张三,区发展改革委,138 0013 8000,,填报员\n李四,没有这个单位,13800138001,,\n\
         王五,区经济信息委,13800138000,,填报员\n赵六,区科技局,,not-an-address,查看者\n钱七,区科技局,,,\n孙八,,13800138009,,局长\n"
    );
    let response = send(bad.clone(), true).await.unwrap();
    assert_eq!(response.status(), 422, "findings, as for a plan's import, dry run or not");
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["outcome"], "invalid");
    let at: Vec<&str> = report["errors"].as_array().unwrap().iter().map(|f| f["at"].as_str().unwrap()).collect();
    assert_eq!(
        at,
        ["line 3, column B", "line 4, column C", "line 5, column D", "line 6, column C", "line 7, column E"],
        "{report}"
    );
    assert_eq!(report["rows"][0]["mobile"], "13800138000", "the number as stored, however written");
    let refused = send(bad, false).await.unwrap();
    assert_eq!(refused.status(), 422);
    let invitations: i64 = sqlx::query_scalar("select count(*) from invitation").fetch_one(&app.admin).await.unwrap();
    assert_eq!(invitations, 0, "nothing is done while a row is wrong");

    let good =
        format!("{HEADER}张三,区发展改革委,138 0013 8000,,填报员\n赵六,区科技局,,zhao@qianjiang.gov.cn,查看者\n");
    let created = send(good, false).await.unwrap();
    assert_eq!(created.status(), 201);
    assert_eq!(created.headers()["cache-control"], "no-store");
    let report: Value = created.json().await.unwrap();
    let links = report["invitations"].as_array().unwrap();
    assert_eq!(links.len(), 2);
    assert_eq!(links[0]["mobile"], "13800138000");
    assert_eq!(links[0]["organisations"], json!(["区发展改革委"]));

    // The invitee known by number accepts (a new account), then signs in with the number.
    let token = links[0]["link"].as_str().unwrap().rsplit('/').next().unwrap().to_owned();
    let newcomer = tests::browser_like_client(app.addr);
    let accepted = newcomer
        .post(app.url("/forms/invitations/accept"))
        .form(&[
            ("tenant", "qianjiang"),
            ("token", &token),
            ("password", tests::PASSWORD),
            ("confirm_password", tests::PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert!(accepted.status().is_success() || accepted.status().is_redirection());
    let signed_in = tests::browser_like_client(app.addr)
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"login": "+86 138-0013-8000", "password": tests::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200);
    let me: Value = signed_in.json().await.unwrap();
    assert_eq!(
        (me["login"].as_str(), me["email"].as_str(), me["mobile"].as_str()),
        (Some("13800138000"), Some(""), Some("13800138000"))
    );
    assert_eq!(me["grants"][0]["role"], "reporter");
}
