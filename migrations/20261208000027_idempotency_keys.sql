-- Idempotent retries (docs/api.md): a POST that carries an `Idempotency-Key` is remembered
-- for 24 hours under a hash of its caller and key, with a hash of the request and, once it
-- has run, its answer. The answer is encrypted under a key derived from the caller and the
-- idempotency key, which only the client holds, so this table opens nothing by itself (an
-- invitation's answer holds its one-time link). Not a tenant table: it belongs to callers.

create table idempotency_key (
  key_hash     bytea primary key check (length(key_hash) = 32),
  request_hash bytea not null check (length(request_hash) = 32),
  created_at   timestamptz not null,
  completed_at timestamptz,
  response     bytea,
  check ((completed_at is null) = (response is null))
);
create index idempotency_key_created_idx on idempotency_key (created_at);

grant select, insert, update, delete on idempotency_key to planboard_app;
