-- Each district's standing across its published plans, kept current by triggers in the
-- transaction of every write that changes it (indicators, tasks, plans), so the region
-- comparison reads one row per district instead of aggregating every indicator and task.
-- Overdue depends on the day, so the rollup keeps the due years of open tasks and the
-- reader counts those before the current year.

create table tenant_rollup (
  tenant_id        uuid primary key references tenant on delete cascade,
  indicators_total integer not null default 0,
  achieved         integer not null default 0,
  on_track         integer not null default 0,
  at_risk          integer not null default 0,
  behind           integer not null default 0,
  no_data          integer not null default 0,
  progress_sum     numeric,
  progress_count   integer not null default 0,
  tasks_total      integer not null default 0,
  not_started      integer not null default 0,
  in_progress      integer not null default 0,
  completed        integer not null default 0,
  blocked          integer not null default 0,
  -- Due years of tasks neither completed nor ongoing, one entry per task.
  open_due_years   integer[] not null default '{}'
);

alter table tenant_rollup enable row level security;
alter table tenant_rollup force row level security;
create policy tenant_isolation on tenant_rollup using (tenant_id = any (app_tenant_ids()))
  with check (tenant_id = any (app_tenant_ids()));
grant select, insert, update, delete on tenant_rollup to planboard_app;

create function refresh_tenant_rollup(target uuid) returns void language sql as $$
  insert into tenant_rollup as r (tenant_id, indicators_total, achieved, on_track, at_risk, behind, no_data,
                                  progress_sum, progress_count, tasks_total, not_started, in_progress, completed,
                                  blocked, open_due_years)
  select target, i.total, i.achieved, i.on_track, i.at_risk, i.behind, i.no_data, i.progress_sum, i.progress_count,
         k.total, k.not_started, k.in_progress, k.completed, k.blocked, k.open_due_years
  from (select count(*) as total,
               count(*) filter (where i.status = 'achieved') as achieved,
               count(*) filter (where i.status = 'on_track') as on_track,
               count(*) filter (where i.status = 'at_risk') as at_risk,
               count(*) filter (where i.status = 'behind') as behind,
               count(*) filter (where i.status = 'no_data') as no_data,
               sum(i.progress) as progress_sum, count(i.progress) as progress_count
        from plan p join indicator i on i.plan_id = p.plan_id
        where p.tenant_id = target and p.status = 'published') i,
       (select count(*) as total,
               count(*) filter (where k.status = 'not_started') as not_started,
               count(*) filter (where k.status = 'in_progress') as in_progress,
               count(*) filter (where k.status = 'completed') as completed,
               count(*) filter (where k.status = 'blocked') as blocked,
               coalesce(array_agg(k.due_year) filter (where not k.ongoing and k.due_year is not null
                                                        and k.status <> 'completed'), '{}') as open_due_years
        from plan p join task k on k.plan_id = p.plan_id
        where p.tenant_id = target and p.status = 'published') k
  -- A district being deleted (its plans go with it) keeps no rollup.
  where exists (select 1 from tenant where tenant_id = target)
  on conflict (tenant_id) do update set
    indicators_total = excluded.indicators_total, achieved = excluded.achieved, on_track = excluded.on_track,
    at_risk = excluded.at_risk, behind = excluded.behind, no_data = excluded.no_data,
    progress_sum = excluded.progress_sum, progress_count = excluded.progress_count,
    tasks_total = excluded.tasks_total, not_started = excluded.not_started, in_progress = excluded.in_progress,
    completed = excluded.completed, blocked = excluded.blocked, open_due_years = excluded.open_due_years
$$;

-- Once per statement and district, whatever number of rows the statement touched.
create function refresh_rollups_of_changed_rows() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    perform refresh_tenant_rollup(t) from (select distinct tenant_id from changed_new) s(t);
  elsif tg_op = 'UPDATE' then
    perform refresh_tenant_rollup(t) from (select tenant_id from changed_new union select tenant_id from changed_old) s(t);
  else
    perform refresh_tenant_rollup(t) from (select distinct tenant_id from changed_old) s(t);
  end if;
  return null;
end $$;

do $$
declare
  t text;
begin
  foreach t in array array['plan', 'indicator', 'task'] loop
    execute format('create trigger %I after insert on %I referencing new table as changed_new '
                   'for each statement execute function refresh_rollups_of_changed_rows()', t || '_rollup_insert', t);
    execute format('create trigger %I after update on %I referencing old table as changed_old new table as changed_new '
                   'for each statement execute function refresh_rollups_of_changed_rows()', t || '_rollup_update', t);
    execute format('create trigger %I after delete on %I referencing old table as changed_old '
                   'for each statement execute function refresh_rollups_of_changed_rows()', t || '_rollup_delete', t);
  end loop;
end $$;

select refresh_tenant_rollup(tenant_id) from tenant;
