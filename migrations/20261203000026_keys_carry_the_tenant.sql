-- Every primary key and unique index of a table whose rows belong to one tenant includes
-- tenant_id, so the schema can be distributed by tenant (each key is then enforceable on one
-- node) without changes. The composite foreign keys already named (id, tenant_id): they
-- referenced extra unique constraints beside the single-column primary keys; the primary
-- keys become (id, tenant_id) and take their place. Ids stay first, so lookups by id alone
-- keep their index. (A query that groups by an id to select the row's other columns groups by
-- the whole key now.) The rule and its exceptions: docs/architecture.md, "Keys carry the
-- tenant"; the schema test `every_key_of_a_tenant_table_includes_the_tenant` keeps it.

-- The foreign keys that point at the keys being replaced.
alter table area drop constraint area_plan_id_tenant_id_fkey;
alter table indicator drop constraint indicator_plan_id_tenant_id_fkey;
alter table indicator drop constraint indicator_area_id_tenant_id_fkey;
alter table task drop constraint task_plan_id_tenant_id_fkey;
alter table task drop constraint task_area_id_tenant_id_fkey;
alter table indicator_assignment drop constraint indicator_assignment_indicator_id_tenant_id_fkey;
alter table indicator_assignment drop constraint indicator_assignment_organisation_id_tenant_id_fkey;
alter table indicator_report drop constraint indicator_report_indicator_id_tenant_id_fkey;
alter table indicator_report drop constraint indicator_report_supersedes_fkey;
alter table catalog_standing drop constraint catalog_standing_indicator_id_fkey;
alter table grant_organisation drop constraint grant_organisation_organisation_id_tenant_id_fkey;
alter table task_assignment drop constraint task_assignment_organisation_id_tenant_id_fkey;
alter table task_assignment drop constraint task_assignment_task_id_tenant_id_fkey;
alter table task_update drop constraint task_update_task_id_tenant_id_fkey;

-- Primary keys: (id, tenant_id), replacing the (id, tenant_id) unique constraints.
alter table plan drop constraint plan_plan_id_tenant_id_key, drop constraint plan_pkey,
  add primary key (plan_id, tenant_id);
alter table area drop constraint area_area_id_tenant_id_key, drop constraint area_pkey,
  add primary key (area_id, tenant_id);
alter table indicator drop constraint indicator_indicator_id_tenant_id_key, drop constraint indicator_pkey,
  add primary key (indicator_id, tenant_id);
alter table organisation drop constraint organisation_organisation_id_tenant_id_key,
  drop constraint organisation_pkey, add primary key (organisation_id, tenant_id);
alter table task drop constraint task_task_id_tenant_id_key, drop constraint task_pkey,
  add primary key (task_id, tenant_id);
alter table indicator_report drop constraint indicator_report_pkey, add primary key (report_id, tenant_id);
alter table task_update drop constraint task_update_pkey, add primary key (update_id, tenant_id);
alter table import_draft drop constraint import_draft_pkey, add primary key (draft_id, tenant_id);
alter table catalog_standing drop constraint catalog_standing_pkey, add primary key (indicator_id, tenant_id);
alter table indicator_assignment drop constraint indicator_assignment_pkey,
  add primary key (indicator_id, organisation_id, role, tenant_id);
alter table task_assignment drop constraint task_assignment_pkey,
  add primary key (task_id, organisation_id, role, tenant_id);
alter table grant_organisation drop constraint grant_organisation_pkey,
  add primary key (grant_id, organisation_id, tenant_id);

-- Unique constraints and indexes within a plan: the plan's tenant leads.
alter table area drop constraint area_plan_id_name_key, add unique (tenant_id, plan_id, name);
alter table area drop constraint area_plan_id_position_key,
  add unique (tenant_id, plan_id, position) deferrable initially deferred;
alter table indicator drop constraint indicator_plan_id_code_key, add unique (tenant_id, plan_id, code);
alter table task drop constraint task_area_id_seq_key, add unique (tenant_id, area_id, seq);
-- Named in the code (a second indicator of a plan under one catalog key; a second open
-- report of a period), so the names stay.
drop index indicator_plan_catalog_idx;
create unique index indicator_plan_catalog_idx on indicator (tenant_id, plan_id, catalog_key)
  where catalog_key is not null;
drop index indicator_report_open_idx;
create unique index indicator_report_open_idx on indicator_report
  (tenant_id, indicator_id, period_year, coalesce(period_quarter::integer, 0)) where state = 'submitted';

-- The foreign keys again, now onto the primary keys; the two that named an id alone now
-- name its tenant too.
alter table area add foreign key (plan_id, tenant_id) references plan (plan_id, tenant_id) on delete cascade;
alter table indicator add foreign key (plan_id, tenant_id) references plan (plan_id, tenant_id) on delete cascade;
alter table indicator add foreign key (area_id, tenant_id) references area (area_id, tenant_id) on delete cascade;
alter table task add foreign key (plan_id, tenant_id) references plan (plan_id, tenant_id) on delete cascade;
alter table task add foreign key (area_id, tenant_id) references area (area_id, tenant_id) on delete cascade;
alter table indicator_assignment add foreign key (indicator_id, tenant_id)
  references indicator (indicator_id, tenant_id) on delete cascade;
alter table indicator_assignment add foreign key (organisation_id, tenant_id)
  references organisation (organisation_id, tenant_id);
alter table indicator_report add foreign key (indicator_id, tenant_id)
  references indicator (indicator_id, tenant_id) on delete cascade;
alter table indicator_report add foreign key (supersedes, tenant_id) references indicator_report (report_id, tenant_id);
alter table catalog_standing add foreign key (indicator_id, tenant_id)
  references indicator (indicator_id, tenant_id) on delete cascade;
alter table grant_organisation add foreign key (organisation_id, tenant_id)
  references organisation (organisation_id, tenant_id) on delete cascade;
alter table task_assignment add foreign key (organisation_id, tenant_id)
  references organisation (organisation_id, tenant_id);
alter table task_assignment add foreign key (task_id, tenant_id) references task (task_id, tenant_id) on delete cascade;
alter table task_update add foreign key (task_id, tenant_id) references task (task_id, tenant_id) on delete cascade;

-- The standing's upsert names its key.
create or replace function refresh_catalog_standing(target uuid) returns void language plpgsql as $$
begin
  insert into catalog_standing as s (indicator_id, tenant_id, region_id, catalog_key, slug, tenant_name,
                                     tenant_is_demo, name, unit,
                                     baseline_year, baseline_value, target_year, target_value, comparator,
                                     latest_period_year, latest_period_quarter, latest_value, progress, status)
  select i.indicator_id, i.tenant_id, t.region_id, i.catalog_key, t.slug, t.name, t.is_demo, i.name, i.unit,
         i.baseline_year, i.baseline_value, i.target_year, i.target_value, i.comparator,
         i.latest_period_year, i.latest_period_quarter, i.latest_value, i.progress, i.status
  from indicator i
  join plan p on p.plan_id = i.plan_id and p.tenant_id = i.tenant_id and p.status = 'published'
  join tenant t on t.tenant_id = i.tenant_id
  where i.indicator_id = target and i.catalog_key is not null
  on conflict (indicator_id, tenant_id) do update set
    region_id = excluded.region_id, catalog_key = excluded.catalog_key,
    slug = excluded.slug, tenant_name = excluded.tenant_name, tenant_is_demo = excluded.tenant_is_demo,
    name = excluded.name, unit = excluded.unit, baseline_year = excluded.baseline_year,
    baseline_value = excluded.baseline_value, target_year = excluded.target_year,
    target_value = excluded.target_value, comparator = excluded.comparator,
    latest_period_year = excluded.latest_period_year, latest_period_quarter = excluded.latest_period_quarter,
    latest_value = excluded.latest_value, progress = excluded.progress, status = excluded.status;
  if not found then
    delete from catalog_standing where indicator_id = target;
  end if;
end $$;
