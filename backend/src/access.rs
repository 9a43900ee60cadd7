//! Who may read what: the one place the role model of PRODUCT.md §1 is decided for reads.
//! Handlers and pages ask here; none improvises its own check.

use shared::model::{PlanStatus, Role, Visibility};
use shared::page_data::Caller;
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

/// The scope `caller` has on the tenant `tenant_id` of region `region_id`.
pub fn tenant_scope(caller: &Caller, tenant_id: Uuid, region_id: Uuid) -> TenantScope {
    let covers = caller.grants.iter().any(|g| match g.role {
        Role::PlatformAdmin => true,
        Role::Supervisor => g.region_id == Some(region_id),
        Role::TenantAdmin | Role::Reporter | Role::Viewer => g.tenant_id == Some(tenant_id),
    });
    if covers {
        TenantScope::Internal
    } else {
        TenantScope::Public
    }
}

/// Whether a plan may be shown within a scope. Public readers see published and archived
/// public plans; drafts and internal plans stay with the tenant's own readers.
pub fn plan_visible(scope: TenantScope, visibility: Visibility, status: PlanStatus) -> bool {
    match scope {
        TenantScope::Internal => true,
        TenantScope::Public => visibility == Visibility::Public && status != PlanStatus::Draft,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::page_data::Grant;

    fn grant(role: Role, tenant_id: Option<Uuid>, region_id: Option<Uuid>) -> Caller {
        Caller {
            user_id: Some(Uuid::new_v4()),
            grants: vec![Grant {
                role,
                tenant_id,
                region_id,
                organisation_ids: vec![],
            }],
        }
    }

    #[test]
    fn each_role_reads_internal_data_only_within_its_scope() {
        let (tenant, region, other) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let internal = TenantScope::Internal;
        let public = TenantScope::Public;
        assert_eq!(tenant_scope(&Caller::anonymous(), tenant, region), public);
        assert_eq!(
            tenant_scope(&grant(Role::PlatformAdmin, None, None), tenant, region),
            internal
        );
        assert_eq!(
            tenant_scope(&grant(Role::Supervisor, None, Some(region)), tenant, region),
            internal
        );
        assert_eq!(
            tenant_scope(&grant(Role::Supervisor, None, Some(other)), tenant, region),
            public
        );
        for role in [Role::TenantAdmin, Role::Reporter, Role::Viewer] {
            assert_eq!(
                tenant_scope(&grant(role, Some(tenant), None), tenant, region),
                internal
            );
            assert_eq!(
                tenant_scope(&grant(role, Some(other), None), tenant, region),
                public
            );
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
}
