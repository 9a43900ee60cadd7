-- A second version beside the data version: it moves with every write that moves the data
-- version except report decisions, which change indicator standings only. A plan dashboard's
-- task half (tasks per area, overdue, each organisation's workload) depends on neither
-- reports nor standings, so it is kept under this version and is not computed again after
-- each approval (backend/src/dashboard.rs).
alter table tenant add column structure_version bigint not null default 0;
grant update (structure_version) on tenant to planboard_app;

-- Like the data version, it is no change of the tenant itself: the mirror is told only that
-- the data version moved.
create or replace function notify_tenant_change() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE'
     and (to_jsonb(old) - 'data_version' - 'structure_version' - 'updated_at')
         = (to_jsonb(new) - 'data_version' - 'structure_version' - 'updated_at') then
    perform pg_notify('planboard_changes',
                      'v:' || new.tenant_id || ':' || new.region_id || ':' || new.data_version);
    return null;
  end if;
  if tg_op <> 'INSERT' then
    perform pg_notify('planboard_changes', 't:' || old.tenant_id || ':' || old.region_id);
  end if;
  if tg_op <> 'DELETE' then
    perform pg_notify('planboard_changes', 't:' || new.tenant_id || ':' || new.region_id);
  end if;
  return null;
end $$;
