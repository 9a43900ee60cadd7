-- The generic plan model of PRODUCT.md §2, for every tenant at once.
--
-- Conventions: singular table names, `<table>_id uuid` keys, `tenant_id` on every tenant-owned
-- row, and composite foreign keys (`(x_id, tenant_id)`) so that no row can point at a row of
-- another tenant. Vocabularies are text guarded by check constraints; values are numeric.

create or replace function set_updated_at() returns trigger language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end $$;

create table region (
  region_id  uuid primary key default gen_random_uuid(),
  slug       text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name       text not null check (length(name) between 1 and 200),
  name_en    text not null default '' check (length(name_en) <= 200),
  is_demo    boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table tenant (
  tenant_id  uuid primary key default gen_random_uuid(),
  region_id  uuid not null references region,
  slug       text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name       text not null check (length(name) between 1 and 200),
  name_en    text not null default '' check (length(name_en) <= 200),
  time_zone  text not null default 'Asia/Shanghai' check (length(time_zone) between 1 and 64),
  -- Synthetic tenants made by `backend demo`; never a real district.
  is_demo    boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index tenant_region_idx on tenant (region_id);

create table organisation (
  organisation_id uuid primary key default gen_random_uuid(),
  tenant_id       uuid not null references tenant on delete cascade,
  -- As written in the document (区发展改革委, 相关企业 …).
  name            text not null check (length(name) between 1 and 500),
  created_at      timestamptz not null default now(),
  unique (tenant_id, name),
  unique (organisation_id, tenant_id)
);

create table plan (
  plan_id         uuid primary key default gen_random_uuid(),
  tenant_id       uuid not null references tenant on delete cascade,
  title           text not null check (length(title) between 1 and 500),
  issuer          text not null check (length(issuer) between 1 and 500),
  document_number text check (length(document_number) between 1 and 500),
  issued_on       date not null,
  period_start    integer not null check (period_start between 1900 and 2200),
  period_end      integer not null check (period_end between 1900 and 2200),
  visibility      text not null check (visibility in ('public', 'internal')),
  status          text not null check (status in ('draft', 'published', 'archived')),
  notes           text check (length(notes) <= 20000),
  source_text     text check (length(source_text) <= 2000000),
  version         integer not null default 1,
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  check (period_end >= period_start),
  -- The same document imported twice is the same plan.
  unique (tenant_id, title, issued_on),
  unique (plan_id, tenant_id)
);

create table area (
  area_id   uuid primary key default gen_random_uuid(),
  tenant_id uuid not null,
  plan_id   uuid not null,
  position  integer not null check (position >= 1),
  name      text not null check (length(name) between 1 and 500),
  foreign key (plan_id, tenant_id) references plan (plan_id, tenant_id) on delete cascade,
  unique (plan_id, position) deferrable initially deferred,
  unique (plan_id, name),
  unique (area_id, tenant_id)
);

create table indicator (
  indicator_id   uuid primary key default gen_random_uuid(),
  tenant_id      uuid not null,
  plan_id        uuid not null,
  area_id        uuid not null,
  position       integer not null check (position >= 1),
  code           text not null check (length(code) between 1 and 100),
  name           text not null check (length(name) between 1 and 500),
  unit           text not null check (length(unit) between 1 and 100),
  baseline_year  integer not null check (baseline_year between 1900 and 2200),
  -- Null where the document has —— (no value).
  baseline_value numeric,
  target_year    integer not null check (target_year between 1900 and 2200),
  target_value   numeric not null,
  comparator     text not null check (comparator in ('ge', 'le', 'eq')),
  catalog_key    text check (catalog_key ~ '^[a-z0-9_]{1,100}$'),
  notes          text check (length(notes) <= 20000),
  version        integer not null default 1,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  check (target_year > baseline_year),
  foreign key (plan_id, tenant_id) references plan (plan_id, tenant_id) on delete cascade,
  foreign key (area_id, tenant_id) references area (area_id, tenant_id) on delete cascade,
  -- Names may repeat (the seed plan has 专业研发机构和科技服务机构 twice); codes may not.
  unique (plan_id, code),
  unique (indicator_id, tenant_id)
);
create index indicator_plan_idx on indicator (plan_id, position);
create index indicator_catalog_idx on indicator (catalog_key) where catalog_key is not null;

create table task (
  task_id    uuid primary key default gen_random_uuid(),
  tenant_id  uuid not null,
  plan_id    uuid not null,
  area_id    uuid not null,
  position   integer not null check (position >= 1),
  seq        integer not null check (seq >= 1),
  text       text not null check (length(text) between 1 and 20000),
  -- A year, or ongoing (长期), or neither when the document states no deadline.
  due_year   integer check (due_year between 1900 and 2200),
  ongoing    boolean not null default false,
  version    integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (not (ongoing and due_year is not null)),
  foreign key (plan_id, tenant_id) references plan (plan_id, tenant_id) on delete cascade,
  foreign key (area_id, tenant_id) references area (area_id, tenant_id) on delete cascade,
  unique (area_id, seq),
  unique (task_id, tenant_id)
);
create index task_plan_idx on task (plan_id, position);

create table task_assignment (
  tenant_id       uuid not null,
  task_id         uuid not null,
  organisation_id uuid not null,
  role            text not null check (role in ('lead', 'responsible', 'cooperating')),
  position        integer not null check (position >= 1),
  foreign key (task_id, tenant_id) references task (task_id, tenant_id) on delete cascade,
  foreign key (organisation_id, tenant_id) references organisation (organisation_id, tenant_id),
  -- One unit may hold two roles on one task (the seed's task 3 lists its lead among the
  -- responsible units too), but not the same role twice.
  primary key (task_id, organisation_id, role)
);
create index task_assignment_org_idx on task_assignment (organisation_id);

create table app_user (
  user_id       uuid primary key default gen_random_uuid(),
  email         text not null check (email ~ '^[^@\s]+@[^@\s]+$' and length(email) <= 320),
  display_name  text not null default '' check (length(display_name) <= 200),
  -- argon2id PHC string; null until a password is set.
  password_hash text,
  is_active     boolean not null default true,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create unique index app_user_email_idx on app_user (lower(email));

create table role_grant (
  grant_id   uuid primary key default gen_random_uuid(),
  user_id    uuid not null references app_user on delete cascade,
  role       text not null check (role in ('platform_admin', 'supervisor', 'tenant_admin', 'reporter', 'viewer')),
  tenant_id  uuid references tenant on delete cascade,
  region_id  uuid references region on delete cascade,
  created_at timestamptz not null default now(),
  -- Each role has exactly the scope PRODUCT.md §1 gives it.
  check (case role
    when 'platform_admin' then tenant_id is null and region_id is null
    when 'supervisor' then tenant_id is null and region_id is not null
    else tenant_id is not null and region_id is null
  end),
  unique (grant_id, tenant_id)
);
create unique index role_grant_unique_idx on role_grant (user_id, role, coalesce(tenant_id, region_id));

-- The organisations a reporter grant reports for.
create table grant_organisation (
  grant_id        uuid not null,
  tenant_id       uuid not null,
  organisation_id uuid not null,
  foreign key (grant_id, tenant_id) references role_grant (grant_id, tenant_id) on delete cascade,
  foreign key (organisation_id, tenant_id) references organisation (organisation_id, tenant_id) on delete cascade,
  primary key (grant_id, organisation_id)
);

create table indicator_report (
  report_id       uuid primary key default gen_random_uuid(),
  tenant_id       uuid not null,
  indicator_id    uuid not null,
  period_year     integer not null check (period_year between 1900 and 2200),
  period_quarter  smallint check (period_quarter between 1 and 4),
  value           numeric not null,
  note            text check (length(note) <= 20000),
  source          text check (length(source) <= 2000),
  state           text not null default 'submitted' check (state in ('submitted', 'approved', 'rejected')),
  reported_by     uuid references app_user,
  reported_at     timestamptz not null default now(),
  decided_by      uuid references app_user,
  decided_at      timestamptz,
  decision_reason text check (length(decision_reason) <= 2000),
  -- A correction names the report it replaces; the replaced one stays as history.
  supersedes      uuid references indicator_report,
  version         integer not null default 1,
  foreign key (indicator_id, tenant_id) references indicator (indicator_id, tenant_id) on delete cascade,
  check ((state = 'submitted') = (decided_at is null))
);
create index indicator_report_latest_idx
  on indicator_report (indicator_id, period_year desc, (coalesce(period_quarter, 4)) desc)
  where state = 'approved';

create table task_update (
  update_id  uuid primary key default gen_random_uuid(),
  tenant_id  uuid not null,
  task_id    uuid not null,
  status     text not null check (status in ('not_started', 'in_progress', 'completed', 'blocked')),
  percent    numeric check (percent between 0 and 100),
  note       text check (length(note) <= 20000),
  updated_by uuid references app_user,
  created_at timestamptz not null default now(),
  foreign key (task_id, tenant_id) references task (task_id, tenant_id) on delete cascade
);
create index task_update_latest_idx on task_update (task_id, created_at desc);

-- Append-only: the application role may insert and read, never change or delete.
create table audit_event (
  event_id      bigint generated always as identity primary key,
  -- Null for events outside any tenant (platform actions, logins).
  tenant_id     uuid references tenant on delete set null,
  actor_user_id uuid references app_user on delete set null,
  occurred_at   timestamptz not null default now(),
  action        text not null check (length(action) between 1 and 100),
  entity        text not null check (length(entity) between 1 and 100),
  entity_id     text,
  before        jsonb,
  after         jsonb
);
create index audit_event_tenant_idx on audit_event (tenant_id, event_id desc);

create trigger region_updated_at before update on region for each row execute function set_updated_at();
create trigger tenant_updated_at before update on tenant for each row execute function set_updated_at();
create trigger plan_updated_at before update on plan for each row execute function set_updated_at();
create trigger indicator_updated_at before update on indicator for each row execute function set_updated_at();
create trigger task_updated_at before update on task for each row execute function set_updated_at();
create trigger app_user_updated_at before update on app_user for each row execute function set_updated_at();
