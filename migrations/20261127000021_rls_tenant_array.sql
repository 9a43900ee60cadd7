-- Tenant isolation as `tenant_id = any (<the context's ids, read once>)` rather than the
-- hashed subplan of migration `rls_hashed_membership`. That form was for a region's 2,850
-- districts in `app.tenant_ids`; region comparisons now have their own context
-- (`app.region_id`, migration `region_read_context`), and a tenant context holds the caller's
-- own districts: one, or a few. For those, every scan of every table built a hash table of
-- one id per statement; the write benchmark's report-approval-dashboard round went from 5.6 to
-- 4.5–5.0 ms of PostgreSQL time. The `(select …)` makes the ids an init plan, read once per
-- statement; the cast keeps `any` from reading it as a subquery of arrays.

do $$
declare
  t text;
begin
  foreach t in array array['organisation', 'plan', 'area', 'indicator', 'task', 'task_assignment',
                           'indicator_report', 'task_update', 'grant_organisation', 'indicator_assignment',
                           'import_draft', 'tenant_rollup', 'catalog_standing']
  loop
    execute format('alter policy tenant_isolation on %I using (tenant_id = any ((select app_tenant_ids())::uuid[])) '
                   'with check (tenant_id = any ((select app_tenant_ids())::uuid[]))', t);
  end loop;
end $$;

alter policy audit_read on audit_event
  using (tenant_id = any ((select app_tenant_ids())::uuid[])
         or (tenant_id is null and current_setting('app.platform', true) = 'on'));
alter policy audit_append on audit_event
  with check (tenant_id is null or tenant_id = any ((select app_tenant_ids())::uuid[]));
