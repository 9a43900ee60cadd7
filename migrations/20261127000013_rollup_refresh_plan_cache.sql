-- The rollup refresh runs in every write's transaction. As a SQL function it was parsed and
-- planned again on every call (a seventh of PostgreSQL's time under the write benchmark);
-- PL/pgSQL keeps the statement's plan for the session.
create or replace function refresh_tenant_rollup(target uuid) returns void language plpgsql as $$
begin
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
    completed = excluded.completed, blocked = excluded.blocked, open_due_years = excluded.open_due_years;
end $$;
