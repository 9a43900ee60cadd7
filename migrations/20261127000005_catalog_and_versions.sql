-- The indicator catalog: shared keys that map each tenant's own indicators for comparison
-- across districts. Platform-wide data, not a tenant's: no row-level security.
create table catalog_entry (
  key        text primary key check (key ~ '^[a-z0-9_]{1,100}$'),
  name       text not null check (length(name) between 1 and 500),
  name_en    text not null default '' check (length(name_en) <= 500),
  unit       text not null check (length(unit) between 1 and 100),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create trigger catalog_entry_updated_at before update on catalog_entry for each row execute function set_updated_at();

-- Other spellings of an entry's name in published plans, for suggesting keys at import.
create table catalog_alias (
  key  text not null references catalog_entry on delete cascade,
  name text not null check (length(name) between 1 and 500),
  primary key (key, name)
);

grant select on catalog_entry, catalog_alias to planboard_app;
grant insert, update, delete on catalog_entry, catalog_alias to planboard_app;

-- Confirmed mappings point at the catalog; a suggestion waits for an admin's confirmation.
alter table indicator
  add foreign key (catalog_key) references catalog_entry (key) on update cascade,
  add column catalog_suggestion text references catalog_entry (key) on update cascade on delete set null;
-- One indicator per catalog key in a plan: comparisons pick it without ambiguity.
create unique index indicator_plan_catalog_idx on indicator (plan_id, catalog_key) where catalog_key is not null;

-- Bumped (from one sequence) in the same transaction as every write that changes a tenant's
-- aggregate views, and part of their cache keys: a cached view of older data is never read.
create sequence data_version_seq;
alter table tenant add column data_version bigint not null default 0;
create index tenant_region_version_idx on tenant (region_id, data_version);
grant update (data_version) on tenant to planboard_app;
grant usage on sequence data_version_seq to planboard_app;
