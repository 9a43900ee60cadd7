-- People known by a mobile number (docs/model.md): an account has an e-mail address, a
-- mainland mobile number (11 digits, stored without spaces or +86), or both, and signs in with
-- either. An invitation names at least one of them.

alter table app_user alter column email drop not null;
alter table app_user add column mobile text check (mobile ~ '^1[3-9][0-9]{9}$');
create unique index app_user_mobile_idx on app_user (mobile);
alter table app_user add constraint app_user_has_a_login check (email is not null or mobile is not null);

alter table invitation alter column email drop not null;
alter table invitation add column mobile text check (mobile ~ '^1[3-9][0-9]{9}$');
alter table invitation add constraint invitation_names_someone check (email is not null or mobile is not null);
