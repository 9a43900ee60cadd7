//! The indicator catalog: shared keys that map each district's own indicators for
//! comparison. Keys are suggested from an indicator's name and unit when a plan is stored,
//! and confirmed by a platform admin.

use crate::audit::{self, Event, Touched};
use crate::auth::access;
use crate::error::{Error, OnConstraint, Result};
use crate::infra::db;
use crate::tenancy::TenantRecord;
use serde_json::json;
use shared::api::{CatalogEntry, CatalogMapping};
use shared::page_data::Caller;
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;
use uuid::Uuid;

/// The catalog shipped with Planboard, loaded by `backend seed`.
pub const SHIPPED: &str = include_str!("../../seed/catalog.json");

/// A name reduced for matching only (stored names keep their spelling): no spaces, no quotes
/// or brackets, full-width letters and digits as ASCII.
pub fn match_key(name: &str) -> String {
    name.chars()
        .filter_map(|c| match c {
            c if c.is_whitespace() => None,
            '“' | '”' | '"' | '‘' | '’' | '\'' | '「' | '」' | '《' | '》' | '（' | '）' | '(' | ')' => {
                None
            }
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
            c => Some(c.to_ascii_lowercase()),
        })
        .collect()
}

/// Whether `text` can be a catalog key: 1 to 100 of a-z, 0-9 and `_`.
pub fn is_key(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 100
        && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

pub fn check_entry(entry: &CatalogEntry) -> Result<()> {
    if !is_key(&entry.key) {
        return Err(Error::invalid("key", format!("{:?} is not a catalog key (a-z, 0-9, _)", entry.key)));
    }
    let too_long = |s: &str| s.chars().count() > 500;
    if entry.name.trim().is_empty() || too_long(&entry.name) || too_long(&entry.name_en) {
        return Err(Error::invalid("name", "name must have 1 to 500 characters"));
    }
    if entry.unit.trim().is_empty() || entry.unit.chars().count() > 100 {
        return Err(Error::invalid("unit", "unit must have 1 to 100 characters"));
    }
    if entry.aliases.len() > 50 || entry.aliases.iter().any(|a| a.trim().is_empty() || too_long(a)) {
        return Err(Error::invalid("aliases", "at most 50 aliases of 1 to 500 characters"));
    }
    Ok(())
}

/// Creates or replaces an entry with its aliases.
pub async fn upsert(conn: &mut PgConnection, entry: &CatalogEntry) -> sqlx::Result<()> {
    sqlx::query(
        "insert into catalog_entry (key, name, name_en, unit) values ($1, $2, $3, $4)
         on conflict (key) do update set name = excluded.name, name_en = excluded.name_en, unit = excluded.unit",
    )
    .bind(&entry.key)
    .bind(&entry.name)
    .bind(&entry.name_en)
    .bind(&entry.unit)
    .execute(&mut *conn)
    .await?;
    sqlx::query("delete from catalog_alias where key = $1").bind(&entry.key).execute(&mut *conn).await?;
    sqlx::query("insert into catalog_alias (key, name) select $1, unnest($2::text[]) on conflict do nothing")
        .bind(&entry.key)
        .bind(&entry.aliases)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn list(pool: &PgPool) -> Result<Vec<CatalogEntry>> {
    let rows: Vec<(String, String, String, String, Vec<String>)> = sqlx::query_as(
        "select e.key, e.name, e.name_en, e.unit,
                coalesce(array_agg(a.name order by a.name) filter (where a.name is not null), '{}')
         from catalog_entry e left join catalog_alias a using (key)
         group by e.key order by e.key",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(key, name, name_en, unit, aliases)| CatalogEntry { key, name, name_en, unit, aliases })
        .collect())
}

/// Suggests a catalog key for each indicator of `plan_id` without one: an entry whose name or
/// alias matches the indicator's name (see `match_key`) with the same unit. A key already
/// used in the plan is not suggested again.
pub async fn suggest_for_plan(conn: &mut PgConnection, plan_id: Uuid) -> sqlx::Result<usize> {
    let names: Vec<(String, String, String)> = sqlx::query_as(
        "select e.key, e.name, e.unit from catalog_entry e
         union all select a.key, a.name, e.unit from catalog_alias a join catalog_entry e using (key)",
    )
    .fetch_all(&mut *conn)
    .await?;
    let by_name: HashMap<(String, String), String> =
        names.into_iter().map(|(key, name, unit)| ((match_key(&name), unit), key)).collect();
    let indicators: Vec<(Uuid, String, String, Option<String>)> = sqlx::query_as(
        "select indicator_id, name, unit, catalog_key from indicator where plan_id = $1 order by position",
    )
    .bind(plan_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut used: Vec<String> = indicators.iter().filter_map(|i| i.3.clone()).collect();
    let mut suggested = 0;
    for (id, name, unit, key) in &indicators {
        if key.is_some() {
            continue;
        }
        if let Some(key) = by_name.get(&(match_key(name), unit.clone()))
            && !used.contains(key)
        {
            sqlx::query("update indicator set catalog_suggestion = $2 where indicator_id = $1")
                .bind(id)
                .bind(key)
                .execute(&mut *conn)
                .await?;
            used.push(key.clone());
            suggested += 1;
        }
    }
    Ok(suggested)
}

/// Confirms, changes or clears an indicator's catalog key (platform admins), if
/// `expected_version` is current. Returns the indicator's new version.
pub async fn map_indicator(
    pool: &PgPool,
    tenant: &TenantRecord,
    caller: &Caller,
    indicator_id: Uuid,
    expected_version: i32,
    mapping: CatalogMapping,
) -> Result<i32> {
    let actor = access::signed_in(caller)?;
    crate::auth::audited::audited(
        pool,
        tenant,
        caller,
        "indicator.catalog",
        "indicator",
        indicator_id,
        access::map_to_catalog(caller, tenant.reference()),
    )
    .await?;
    let mut tx = db::tenant_tx(pool, &[tenant.tenant_id]).await?;
    let current: Option<(i32, Option<String>)> = sqlx::query_as(
        "select version, catalog_key from indicator where indicator_id = $1 and tenant_id = $2 for update",
    )
    .bind(indicator_id)
    .bind(tenant.tenant_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (version, before) = current.ok_or(Error::NotFound("indicator"))?;
    if version != expected_version {
        return Err(Error::Conflict(format!(
            "indicator {indicator_id} has changed (version {version} now, {expected_version} expected); reload it"
        )));
    }
    if let Some(key) = &mapping.key {
        let known: bool = sqlx::query_scalar("select exists (select 1 from catalog_entry where key = $1)")
            .bind(key)
            .fetch_one(&mut *tx)
            .await?;
        if !known {
            return Err(Error::invalid("key", format!("no catalog key {key:?}")));
        }
    }
    let version: i32 = sqlx::query_scalar(
        "update indicator set catalog_key = $2, catalog_suggestion = null, version = version + 1
         where indicator_id = $1 returning version",
    )
    .bind(indicator_id)
    .bind(&mapping.key)
    .fetch_one(&mut *tx)
    .await
    .on_constraint("indicator_plan_catalog_idx", || {
        Error::Conflict("another indicator of this plan already has that key".into())
    })?;
    audit::append_and_touch(
        &mut tx,
        Event {
            tenant_id: Some(tenant.tenant_id),
            actor: Some(actor),
            action: "indicator.catalog".into(),
            entity: "indicator",
            entity_id: indicator_id.to_string(),
            before: Some(json!({ "catalog_key": before })),
            after: Some(json!({ "catalog_key": mapping.key })),
        },
        Touched::Everything,
    )
    .await?;
    tx.commit().await?;
    Ok(version)
}

/// Creates or replaces a catalog entry (platform admins).
pub async fn put_entry(pool: &PgPool, caller: &Caller, entry: CatalogEntry) -> Result<()> {
    let actor = access::signed_in(caller)?;
    access::administer_platform(caller)?;
    check_entry(&entry)?;
    let mut tx = pool.begin().await?;
    upsert(&mut tx, &entry).await?;
    audit::append(
        &mut tx,
        Event {
            tenant_id: None,
            actor: Some(actor),
            action: "catalog.put".into(),
            entity: "catalog_entry",
            entity_id: entry.key.clone(),
            before: None,
            after: Some(json!(entry)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::match_key;

    #[test]
    fn names_match_across_quote_bracket_and_width_variants() {
        assert_eq!(match_key("“5G+工业互联网”新场景示范项目"), match_key("5G＋工业互联网新场景示范项目"));
        assert_eq!(match_key("研究与试验发展（R&D）经费"), match_key("研究与试验发展(R&D)经费"));
        assert_ne!(match_key("绿色工厂"), match_key("绿色园区"));
    }
}
