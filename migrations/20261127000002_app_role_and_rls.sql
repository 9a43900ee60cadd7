-- The server connects as `planboard_app`: not a superuser, no BYPASSRLS, owner of nothing.
-- Row-level security on every tenant-owned table is the second wall behind the handlers: each
-- request's transaction says which tenants it may touch with
--   select set_config('app.tenant_ids', '<uuid>,<uuid>', true)
-- and sees nothing else. Without that setting a query sees no tenant-owned row at all.
--
-- Roles belong to the whole PostgreSQL cluster, so creating it tolerates an existing one (and
-- another database's migration creating it at the same moment).
do $$
begin
  create role planboard_app login nosuperuser nocreatedb nocreaterole noinherit nobypassrls;
exception when duplicate_object or unique_violation then
  null;
end $$;

grant usage on schema public to planboard_app;
grant select on region, tenant to planboard_app;
grant select, insert, update, delete on organisation, plan, area, indicator, task,
  task_assignment, indicator_report, task_update, grant_organisation to planboard_app;
grant select, insert, update on app_user, role_grant to planboard_app;
grant delete on role_grant to planboard_app;
grant select, insert on audit_event to planboard_app;

-- The tenants the current transaction may touch.
create or replace function app_tenant_ids() returns uuid[] language sql stable as $$
  select coalesce(string_to_array(nullif(current_setting('app.tenant_ids', true), ''), ',')::uuid[], '{}')
$$;

do $$
declare
  t text;
begin
  foreach t in array array['organisation', 'plan', 'area', 'indicator', 'task', 'task_assignment',
                           'indicator_report', 'task_update', 'grant_organisation']
  loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format('create policy tenant_isolation on %I using (tenant_id = any (app_tenant_ids())) '
                   'with check (tenant_id = any (app_tenant_ids()))', t);
  end loop;
end $$;

-- Audit events of a tenant are visible within its context; platform events (no tenant) are
-- written by anyone and read only through the platform's own context.
alter table audit_event enable row level security;
alter table audit_event force row level security;
create policy audit_read on audit_event for select
  using (tenant_id = any (app_tenant_ids()) or (tenant_id is null and current_setting('app.platform', true) = 'on'));
create policy audit_append on audit_event for insert
  with check (tenant_id is null or tenant_id = any (app_tenant_ids()));
