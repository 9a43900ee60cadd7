-- A supervisor's region comparison reads every district of one region. Naming those
-- districts in app.tenant_ids costs more than the comparison itself at national scale: the
-- 2,850 ids are sent, parsed and hashed once per table the comparison reads (about 3 ms to
-- set and 3 ms per table). The setting app.region_id names the region instead, and these
-- policies let a transaction that sets it read (never write) the rows of that region's
-- districts, in the three tables the comparison reads. The server sets it only after the
-- caller's right to compare the region was checked (`db::region_tx`).

create function app_region_id() returns uuid language sql stable as $$
  select nullif(current_setting('app.region_id', true), '')::uuid
$$;

do $$
declare
  t text;
begin
  foreach t in array array['plan', 'indicator', 'tenant_rollup'] loop
    execute format('create policy region_read on %I for select '
                   'using (tenant_id in (select tenant_id from tenant where region_id = app_region_id()))', t);
  end loop;
end $$;
