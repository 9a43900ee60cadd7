-- Progress: who answers for an indicator, one open report per indicator and period, and each
-- indicator's and task's current standing kept on its row. The standing is computed by the
-- shared progress rules whenever an approval changes an indicator's latest value, so every
-- view (API, pages, dashboard aggregates) counts the same numbers without recomputing them.

create table indicator_assignment (
  tenant_id       uuid not null,
  indicator_id    uuid not null,
  organisation_id uuid not null,
  role            text not null check (role in ('lead', 'responsible')),
  foreign key (indicator_id, tenant_id) references indicator (indicator_id, tenant_id) on delete cascade,
  foreign key (organisation_id, tenant_id) references organisation (organisation_id, tenant_id),
  primary key (indicator_id, organisation_id, role)
);
create index indicator_assignment_org_idx on indicator_assignment (organisation_id);
alter table indicator_assignment enable row level security;
alter table indicator_assignment force row level security;
create policy tenant_isolation on indicator_assignment using (tenant_id = any (app_tenant_ids()))
  with check (tenant_id = any (app_tenant_ids()));
grant select, insert, update, delete on indicator_assignment to planboard_app;

alter table indicator
  add column latest_period_year    integer check (latest_period_year between 1900 and 2200),
  add column latest_period_quarter smallint check (latest_period_quarter between 1 and 4),
  add column latest_value          numeric,
  add column progress              numeric check (progress between 0 and 1),
  add column status                text not null default 'no_data'
    check (status in ('achieved', 'on_track', 'at_risk', 'behind', 'no_data')),
  add check ((latest_value is null) = (status = 'no_data'));

alter table task
  add column status  text not null default 'not_started'
    check (status in ('not_started', 'in_progress', 'completed', 'blocked')),
  add column percent numeric check (percent between 0 and 100);

-- One report awaiting a decision per indicator and period.
create unique index indicator_report_open_idx
  on indicator_report (indicator_id, period_year, coalesce(period_quarter, 0)) where state = 'submitted';
create index indicator_report_supersedes_idx on indicator_report (supersedes) where supersedes is not null;
create index indicator_report_pending_idx on indicator_report (tenant_id, reported_at) where state = 'submitted';

-- Entry order, for histories whose timestamps tie (two entries in one instant).
alter table indicator_report add column entry_seq bigint generated always as identity;
alter table task_update add column entry_seq bigint generated always as identity;
