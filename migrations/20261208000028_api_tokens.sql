-- Machine clients (docs/api.md): API tokens, personal or of a service account, and the
-- service accounts themselves.
--
-- A service account is an account without a password that a district (or, for a region, the
-- platform) owns: it has grants like a person and outlives the staff who made it. Its address
-- is a made-up one under .invalid (RFC 2606), so nothing mails it and no one signs in as it.
--
-- A token is kept as the SHA-256 of its secret, with the first characters of the secret to
-- recognise it by. It is scoped to one district or one region and to some of read, report and
-- import, and it expires within a year; it acts with its owner's grants as they are at each
-- request, never more. Both tables are local tables (docs/architecture.md): a region's
-- service account or token belongs to no district.

alter table app_user add column is_service boolean not null default false;

create table service_account (
  user_id    uuid primary key references app_user on delete cascade,
  tenant_id  uuid references tenant on delete cascade,
  region_id  uuid references region on delete cascade,
  name       text not null check (length(name) between 1 and 100),
  created_by uuid references app_user on delete set null,
  created_at timestamptz not null,
  check ((tenant_id is null) <> (region_id is null))
);
create index service_account_tenant_idx on service_account (tenant_id);

create table api_token (
  token_id     uuid primary key default gen_random_uuid(),
  token_hash   bytea not null unique check (length(token_hash) = 32),
  -- `pb_` and the secret's first five characters: enough to tell one's tokens apart.
  prefix       text not null check (length(prefix) between 4 and 12),
  user_id      uuid not null references app_user on delete cascade,
  name         text not null check (length(name) between 1 and 100),
  scopes       text[] not null check (cardinality(scopes) between 1 and 3
                                      and scopes <@ array['read', 'report', 'import']),
  tenant_id    uuid references tenant on delete cascade,
  region_id    uuid references region on delete cascade,
  created_by   uuid references app_user on delete set null,
  created_at   timestamptz not null,
  expires_at   timestamptz not null,
  revoked_at   timestamptz,
  last_used_at timestamptz,
  check ((tenant_id is null) <> (region_id is null)),
  check (expires_at > created_at and expires_at <= created_at + interval '366 days')
);
create index api_token_user_idx on api_token (user_id);

grant select, insert, update on service_account, api_token to planboard_app;

-- Audit events written through a token name it.
alter table audit_event add column token_id uuid references api_token on delete set null;
