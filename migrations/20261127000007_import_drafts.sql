-- The import wizard keeps an uploaded document between its steps (upload, review, commit),
-- so the review page can be rendered on the server and the commit needs no second upload.
-- Drafts are deleted at commit and expire after a day.

create table import_draft (
  draft_id   uuid primary key default gen_random_uuid(),
  tenant_id  uuid not null references tenant on delete cascade,
  created_by uuid references app_user on delete set null,
  file_name  text check (length(file_name) <= 300),
  content    bytea not null check (length(content) <= 4194304),
  created_at timestamptz not null default now()
);
create index import_draft_tenant_idx on import_draft (tenant_id, created_at);

alter table import_draft enable row level security;
alter table import_draft force row level security;
create policy tenant_isolation on import_draft using (tenant_id = any (app_tenant_ids()))
  with check (tenant_id = any (app_tenant_ids()));
grant select, insert, delete on import_draft to planboard_app;
