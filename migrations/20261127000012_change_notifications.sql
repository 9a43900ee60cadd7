-- Every server instance keeps in memory the rows each request reads — sessions, tenants,
-- regions' versions — and drops or updates its copies when these triggers say a row
-- changed (backend/src/mirror.rs). Notifications go out at commit, in commit order, on the
-- channel 'planboard_changes':
--   s:<token hash hex>                        a session ended
--   u:<user id>                               a user's sessions may answer differently
--   t:<tenant id>:<region id>                 a tenant changed (or joined, or left)
--   v:<tenant id>:<region id>:<data version>  only a tenant's data version moved (every write)
--   r:<region id>                             a region changed
--   c:<catalog key>                           a catalog entry changed

create function notify_session_end() returns trigger language plpgsql as $$
begin
  perform pg_notify('planboard_changes', 's:' || encode(old.token_hash, 'hex'));
  return null;
end $$;

create trigger session_end_notify after delete on session
  for each row execute function notify_session_end();

create function notify_user_change() returns trigger language plpgsql as $$
begin
  perform pg_notify('planboard_changes', 'u:' || coalesce(new.user_id, old.user_id));
  return null;
end $$;

create trigger app_user_change_notify after update on app_user for each row
  when ((old.is_active, old.grants_version, old.must_change_password)
        is distinct from (new.is_active, new.grants_version, new.must_change_password))
  execute function notify_user_change();
create trigger app_user_delete_notify after delete on app_user
  for each row execute function notify_user_change();

create function notify_tenant_change() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE'
     and (to_jsonb(old) - 'data_version' - 'updated_at') = (to_jsonb(new) - 'data_version' - 'updated_at') then
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

create trigger tenant_change_notify after insert or update or delete on tenant
  for each row execute function notify_tenant_change();

create function notify_region_change() returns trigger language plpgsql as $$
begin
  perform pg_notify('planboard_changes', 'r:' || old.region_id);
  return null;
end $$;

create trigger region_change_notify after update or delete on region
  for each row execute function notify_region_change();

create function notify_catalog_change() returns trigger language plpgsql as $$
begin
  -- A renamed key changes the entries under both names (identical payloads are sent once).
  if tg_op <> 'INSERT' then
    perform pg_notify('planboard_changes', 'c:' || old.key);
  end if;
  if tg_op <> 'DELETE' then
    perform pg_notify('planboard_changes', 'c:' || new.key);
  end if;
  return null;
end $$;

create trigger catalog_entry_change_notify after insert or update or delete on catalog_entry
  for each row execute function notify_catalog_change();
