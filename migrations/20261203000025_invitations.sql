-- Invitations into a district: a one-time link, valid seven days. Only the link's token's
-- SHA-256 is kept, so a copy of this table opens nothing. No account and no grant exists
-- for the invitee until the link is accepted: a new person sets their own password, an
-- account holder accepts signed in as that account. The key carries the tenant.

create table invitation (
  tenant_id        uuid not null references tenant on delete cascade,
  invitation_id    uuid not null default gen_random_uuid(),
  token_hash       bytea not null check (length(token_hash) = 32),
  email            text not null check (length(email) <= 320),
  display_name     text not null default '' check (length(display_name) <= 200),
  role             text not null check (role in ('tenant_admin', 'reporter', 'viewer')),
  organisations    text[] not null default '{}',
  invited_by       uuid references app_user on delete set null,
  created_at       timestamptz not null,
  expires_at       timestamptz not null,
  accepted_at      timestamptz,
  accepted_by      uuid references app_user on delete set null,
  primary key (tenant_id, invitation_id),
  unique (tenant_id, token_hash),
  check (expires_at > created_at),
  check ((accepted_at is null) = (accepted_by is null))
);

alter table invitation enable row level security;
alter table invitation force row level security;
create policy tenant_isolation on invitation
  using (tenant_id = any ((select app_tenant_ids())::uuid[]))
  with check (tenant_id = any ((select app_tenant_ids())::uuid[]));
grant select, insert, update on invitation to planboard_app;
