-- Plans join the mirror (backend/src/mirror.rs): the read path keeps the plan a dashboard
-- names, and drops it when told here that the plan changed or went.
--   p:<plan id>   a plan changed (title, status, visibility, …) or was deleted

create function notify_plan_change() returns trigger language plpgsql as $$
begin
  perform pg_notify('planboard_changes', 'p:' || old.plan_id);
  return null;
end $$;

create trigger plan_change_notify after update or delete on plan
  for each row execute function notify_plan_change();
