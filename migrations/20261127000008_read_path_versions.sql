-- Versions that let the read path keep records in memory and still answer fresh:
-- * a user's grants_version moves whenever a grant of theirs (or its organisations) changes,
--   so the caller built from them can be kept per (user, grants_version);
-- * a new tenant starts at a fresh data_version, so a region's newest version moves when a
--   district joins (its aggregate views then change).

alter table app_user add column grants_version bigint not null default 0;

create function bump_grants_version() returns trigger language plpgsql as $$
declare
  affected uuid;
begin
  if tg_table_name = 'role_grant' then
    affected := coalesce(new.user_id, old.user_id);
  else
    select user_id into affected from role_grant where grant_id = coalesce(new.grant_id, old.grant_id);
  end if;
  update app_user set grants_version = grants_version + 1 where user_id = affected;
  return null;
end $$;

create trigger role_grant_version after insert or update or delete on role_grant
  for each row execute function bump_grants_version();
create trigger grant_organisation_version after insert or update or delete on grant_organisation
  for each row execute function bump_grants_version();

alter table tenant alter column data_version set default nextval('data_version_seq');
