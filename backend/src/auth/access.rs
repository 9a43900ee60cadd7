//! Who may do what: the one place the role model (docs/model.md) is decided. Handlers and
//! pages ask here; none improvises its own check.
//!
//! The answers follow one rule for refusals: not signed in where sign-in is needed → 401;
//! a tenant whose internal data the caller may not see → 404 (as if it did not exist);
//! a tenant the caller sees, but a role that may not do this → 403.

use crate::error::Error;
pub use crate::tenancy::TenantRef;
use shared::model::{PlanStatus, Role, Visibility};
use shared::page_data::{Caller, Grant};
use uuid::Uuid;

/// How much of one tenant a caller may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TenantScope {
    /// Anyone: published public plans, approved figures.
    Public,
    /// The tenant's own users, supervisors of its region, platform admins: everything,
    /// internal and draft plans included.
    Internal,
}

fn covers(grant: &Grant, tenant: TenantRef) -> bool {
    match grant.role {
        Role::PlatformAdmin => true,
        Role::Supervisor => grant.region_id == Some(tenant.region_id),
        Role::TenantAdmin | Role::Reporter | Role::Viewer => grant.tenant_id == Some(tenant.tenant_id),
    }
}

/// The scope `caller` has on `tenant`.
pub fn tenant_scope(caller: &Caller, tenant: TenantRef) -> TenantScope {
    if caller.grants.iter().any(|g| covers(g, tenant)) { TenantScope::Internal } else { TenantScope::Public }
}

/// Whether a plan may be shown within a scope. Public readers see published and archived
/// public plans; drafts and internal plans stay with the tenant's own readers.
pub fn plan_visible(scope: TenantScope, visibility: Visibility, status: PlanStatus) -> bool {
    match scope {
        TenantScope::Internal => true,
        TenantScope::Public => visibility == Visibility::Public && status != PlanStatus::Draft,
    }
}

/// Signed in, or 401.
pub fn signed_in(caller: &Caller) -> Result<Uuid, Error> {
    caller.user_id.ok_or(Error::Unauthorized)
}

/// Requires a grant covering `tenant` that `allowed` accepts, with the refusal rule above.
fn require(caller: &Caller, tenant: TenantRef, allowed: impl Fn(&Grant) -> bool) -> Result<(), Error> {
    signed_in(caller)?;
    if tenant_scope(caller, tenant) == TenantScope::Public {
        return Err(Error::NotFound("tenant"));
    }
    if caller.grants.iter().any(|g| covers(g, tenant) && allowed(g)) { Ok(()) } else { Err(Error::Forbidden) }
}

/// The audit trail: the tenant's admins, supervisors of its region, platform admins.
pub fn read_audit(caller: &Caller, tenant: TenantRef) -> Result<(), Error> {
    require(caller, tenant, |g| matches!(g.role, Role::PlatformAdmin | Role::Supervisor | Role::TenantAdmin))
}

/// Approving reports, editing plans, organisations and users: the tenant's admins.
pub fn administer_tenant(caller: &Caller, tenant: TenantRef) -> Result<(), Error> {
    require(caller, tenant, |g| g.role == Role::TenantAdmin)
}

/// Reporting on an item (an indicator value, a task update): the tenant's admins, and
/// reporters one of whose organisations leads the item or is responsible for it.
pub fn report_on(caller: &Caller, tenant: TenantRef, accountable_units: &[Uuid]) -> Result<(), Error> {
    require(caller, tenant, |g| match g.role {
        Role::TenantAdmin => true,
        Role::Reporter => g.organisation_ids.iter().any(|o| accountable_units.contains(o)),
        _ => false,
    })
}

/// Importing plans and setting their status and visibility (publishing): platform admins
/// for any tenant, tenant admins for their own.
pub fn manage_plans(caller: &Caller, tenant: TenantRef) -> Result<(), Error> {
    require(caller, tenant, |g| matches!(g.role, Role::PlatformAdmin | Role::TenantAdmin))
}

/// Inviting users into a tenant and withdrawing their grants: platform admins for any
/// tenant, tenant admins for their own.
pub fn manage_users(caller: &Caller, tenant: TenantRef) -> Result<(), Error> {
    require(caller, tenant, |g| matches!(g.role, Role::PlatformAdmin | Role::TenantAdmin))
}

/// Holding some role in a tenant (its own users, supervisors of its region, platform admins):
/// what a personal API token for it needs.
pub fn hold_a_role_in(caller: &Caller, tenant: TenantRef) -> Result<(), Error> {
    signed_in(caller)?;
    if tenant_scope(caller, tenant) == TenantScope::Internal { Ok(()) } else { Err(Error::Forbidden) }
}

/// Comparing the districts of a region: its supervisors and platform admins.
pub fn compare_region(caller: &Caller, region_id: Uuid) -> Result<(), Error> {
    signed_in(caller)?;
    let allowed = caller.grants.iter().any(|g| match g.role {
        Role::PlatformAdmin => true,
        Role::Supervisor => g.region_id == Some(region_id),
        _ => false,
    });
    if allowed { Ok(()) } else { Err(Error::Forbidden) }
}

/// Comparing some region: a caller with no supervisor or platform admin grant is refused
/// before anything is looked up for it.
pub fn compare_regions(caller: &Caller) -> Result<(), Error> {
    signed_in(caller)?;
    let allowed = caller.grants.iter().any(|g| matches!(g.role, Role::PlatformAdmin | Role::Supervisor));
    if allowed { Ok(()) } else { Err(Error::Forbidden) }
}

/// Mapping a tenant's indicator to the catalog: platform admins.
pub fn map_to_catalog(caller: &Caller, tenant: TenantRef) -> Result<(), Error> {
    require(caller, tenant, |g| g.role == Role::PlatformAdmin)
}

/// Platform-wide changes (the indicator catalog, regions, tenants): platform admins.
pub fn administer_platform(caller: &Caller) -> Result<(), Error> {
    signed_in(caller)?;
    if caller.grants.iter().any(|g| g.role == Role::PlatformAdmin) { Ok(()) } else { Err(Error::Forbidden) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(role: Role, tenant_id: Option<Uuid>, region_id: Option<Uuid>, orgs: Vec<Uuid>) -> Caller {
        Caller {
            user_id: Some(Uuid::new_v4()),
            grants: vec![Grant { role, tenant_id, region_id, organisation_ids: orgs }],
        }
    }

    fn tenant() -> TenantRef {
        TenantRef { tenant_id: Uuid::new_v4(), region_id: Uuid::new_v4() }
    }

    #[test]
    fn each_role_reads_internal_data_only_within_its_scope() {
        let t = tenant();
        let other = Uuid::new_v4();
        let internal = TenantScope::Internal;
        let public = TenantScope::Public;
        assert_eq!(tenant_scope(&Caller::anonymous(), t), public);
        assert_eq!(tenant_scope(&caller(Role::PlatformAdmin, None, None, vec![]), t), internal);
        assert_eq!(tenant_scope(&caller(Role::Supervisor, None, Some(t.region_id), vec![]), t), internal);
        assert_eq!(tenant_scope(&caller(Role::Supervisor, None, Some(other), vec![]), t), public);
        for role in [Role::TenantAdmin, Role::Reporter, Role::Viewer] {
            assert_eq!(tenant_scope(&caller(role, Some(t.tenant_id), None, vec![]), t), internal);
            assert_eq!(tenant_scope(&caller(role, Some(other), None, vec![]), t), public);
        }
    }

    #[test]
    fn public_readers_see_only_public_plans_that_are_not_drafts() {
        use PlanStatus::*;
        use Visibility::*;
        assert!(plan_visible(TenantScope::Public, Public, Published));
        assert!(plan_visible(TenantScope::Public, Public, Archived));
        assert!(!plan_visible(TenantScope::Public, Public, Draft));
        assert!(!plan_visible(TenantScope::Public, Internal, Published));
        assert!(plan_visible(TenantScope::Internal, Internal, Draft));
    }

    #[test]
    fn refusals_distinguish_sign_in_visibility_and_role() {
        let t = tenant();
        assert!(matches!(read_audit(&Caller::anonymous(), t), Err(Error::Unauthorized)));
        let stranger = caller(Role::TenantAdmin, Some(Uuid::new_v4()), None, vec![]);
        assert!(matches!(read_audit(&stranger, t), Err(Error::NotFound(_))));
        let viewer = caller(Role::Viewer, Some(t.tenant_id), None, vec![]);
        assert!(matches!(read_audit(&viewer, t), Err(Error::Forbidden)));
        assert!(read_audit(&caller(Role::Supervisor, None, Some(t.region_id), vec![]), t).is_ok());
        assert!(matches!(
            administer_tenant(&caller(Role::Supervisor, None, Some(t.region_id), vec![]), t),
            Err(Error::Forbidden)
        ));
    }

    #[test]
    fn a_reporter_reports_only_where_its_unit_is_accountable() {
        let t = tenant();
        let (mine, theirs) = (Uuid::new_v4(), Uuid::new_v4());
        let reporter = caller(Role::Reporter, Some(t.tenant_id), None, vec![mine]);
        assert!(report_on(&reporter, t, &[mine, theirs]).is_ok());
        assert!(matches!(report_on(&reporter, t, &[theirs]), Err(Error::Forbidden)));
        assert!(report_on(&caller(Role::TenantAdmin, Some(t.tenant_id), None, vec![]), t, &[theirs]).is_ok());
        assert!(matches!(
            report_on(&caller(Role::PlatformAdmin, None, None, vec![]), t, &[theirs]),
            Err(Error::Forbidden)
        ));
    }
}
