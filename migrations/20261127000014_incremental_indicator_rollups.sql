-- Every approval updates one indicator, and recomputing the district's whole rollup for it
-- was the largest single cost of a write. An update of indicators now applies its
-- difference: the changed rows as they are now, counted +1, and as they were, counted -1
-- (only rows of published plans count, as in the full refresh). A district with no rollup
-- yet gets the full refresh; inserts and deletes of indicators (imports, removals) and
-- statements on plans and tasks keep it too: they are rare, or not worth the bookkeeping of
-- the open tasks' due years.
--
-- The difference is also right under concurrent writers, where two full refreshes could
-- each compute from a snapshot missing the other's change: `x = x + d` waits for the row.

create function apply_indicator_updates_to_rollups() returns trigger language plpgsql as $$
begin
  update tenant_rollup r set
    indicators_total = r.indicators_total + d.total,
    achieved = r.achieved + d.achieved,
    on_track = r.on_track + d.on_track,
    at_risk = r.at_risk + d.at_risk,
    behind = r.behind + d.behind,
    no_data = r.no_data + d.no_data,
    progress_count = r.progress_count + d.progress_count,
    -- As the full refresh has it: no progress at all is a null sum.
    progress_sum = case when r.progress_count + d.progress_count = 0 then null
                        else coalesce(r.progress_sum, 0) + coalesce(d.progress_sum, 0) end
  from (select c.tenant_id,
               coalesce(sum(c.sign), 0) as total,
               coalesce(sum(c.sign) filter (where c.status = 'achieved'), 0) as achieved,
               coalesce(sum(c.sign) filter (where c.status = 'on_track'), 0) as on_track,
               coalesce(sum(c.sign) filter (where c.status = 'at_risk'), 0) as at_risk,
               coalesce(sum(c.sign) filter (where c.status = 'behind'), 0) as behind,
               coalesce(sum(c.sign) filter (where c.status = 'no_data'), 0) as no_data,
               coalesce(sum(c.sign) filter (where c.progress is not null), 0) as progress_count,
               sum(c.sign * c.progress) as progress_sum
        from (select tenant_id, plan_id, status, progress, 1 as sign from changed_new
              union all
              select tenant_id, plan_id, status, progress, -1 from changed_old) c
        join plan p on p.plan_id = c.plan_id and p.status = 'published'
        group by c.tenant_id) d
  where r.tenant_id = d.tenant_id;

  perform refresh_tenant_rollup(t)
  from (select distinct tenant_id from changed_new) s(t)
  where not exists (select 1 from tenant_rollup r where r.tenant_id = s.t);
  return null;
end $$;

drop trigger indicator_rollup_update on indicator;
create trigger indicator_rollup_update after update on indicator
  referencing old table as changed_old new table as changed_new
  for each statement execute function apply_indicator_updates_to_rollups();
