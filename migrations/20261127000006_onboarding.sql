-- Onboarding over the API: platform admins create regions and tenants, and invited users
-- sign in first with a temporary password that grants nothing until it is changed.

alter table app_user add column must_change_password boolean not null default false;

grant insert on region, tenant to planboard_app;
