-- Server-side sessions (they survive a restart and are shared by every server instance) and
-- login throttling. Neither belongs to a tenant: no row-level security.

create table session (
  -- SHA-256 of the cookie's token: a stolen copy of this table opens no session.
  token_hash   bytea primary key check (length(token_hash) = 32),
  user_id      uuid not null references app_user on delete cascade,
  created_at   timestamptz not null,
  last_seen_at timestamptz not null,
  -- Absolute expiry; the idle expiry is last_seen_at plus the configured idle time.
  expires_at   timestamptz not null,
  check (expires_at > created_at)
);
create index session_user_idx on session (user_id);
create index session_expiry_idx on session (expires_at);

-- Failed sign-ins per account (`account:<email>`) and per client address (`address:<ip>`).
create table login_throttle (
  key             text primary key check (length(key) <= 400),
  failures        integer not null check (failures >= 0),
  last_failure_at timestamptz not null,
  locked_until    timestamptz
);

grant select, insert, update, delete on session, login_throttle to planboard_app;
