//! API tokens and service accounts (docs/api.md): what `/api/v1/tokens`,
//! `/api/v1/service-accounts` and the tokens page take and answer.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where an API token stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TokenState {
    Active,
    Expired,
    Revoked,
}

/// `POST /api/v1/tokens`: a token for oneself, or for a service account one administers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What the token is for, to recognise it later (1–100 characters).
    pub name: String,
    /// What it may be used for: some of `read`, `report`, `import`.
    pub scopes: Vec<crate::model::TokenScope>,
    /// The district it is for (a slug); or give `region`.
    #[serde(default)]
    pub tenant: Option<String>,
    /// The region it is for (a slug); or give `tenant`.
    #[serde(default)]
    pub region: Option<String>,
    /// Days until it expires, 1–366 (90 when left out).
    #[serde(default)]
    pub expires_in_days: Option<i64>,
    /// For a service account's token: the account's id (its district or region is the
    /// token's). Left out: a personal token of the caller.
    #[serde(default)]
    pub service_account: Option<Uuid>,
}

/// Whose grants a token acts with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenOwner {
    pub id: Uuid,
    /// A person's address or name, or a service account's name.
    pub name: String,
    pub service_account: bool,
}

/// An API token, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenView {
    pub id: Uuid,
    pub name: String,
    /// The secret's first characters (`pb_` and five more), to recognise it by.
    pub prefix: String,
    pub scopes: Vec<crate::model::TokenScope>,
    pub tenant: Option<String>,
    pub region: Option<String>,
    pub owner: TokenOwner,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub state: TokenState,
}

/// A new token with its secret, which is shown this once: send it as
/// `Authorization: Bearer <secret>`. Only its SHA-256 is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedToken {
    pub token: TokenView,
    pub secret: String,
}

/// `POST /api/v1/service-accounts`: an account for a machine, owned by a district (its
/// admins) or a region (platform admins), with one role there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewServiceAccount {
    /// What it is for (1–100 characters), e.g. 市大数据局数据交换.
    pub name: String,
    /// Its district (a slug); or give `region`.
    #[serde(default)]
    pub tenant: Option<String>,
    /// Its region (a slug), for a supervisor's reading; or give `tenant`.
    #[serde(default)]
    pub region: Option<String>,
    /// In a district `viewer`, `reporter` or `tenant_admin`; in a region `supervisor`.
    pub role: crate::model::Role,
    /// The organisations a reporter reports for, by name.
    #[serde(default)]
    pub organisations: Vec<String>,
}

/// A service account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceAccountView {
    pub id: Uuid,
    pub name: String,
    pub tenant: Option<String>,
    pub region: Option<String>,
    pub role: crate::model::Role,
    pub organisations: Vec<String>,
    /// Who created it (an address), while their account exists.
    pub created_by: Option<String>,
    pub created_at: DateTime<Utc>,
    /// False once disabled: its tokens are revoked and it acts no more.
    pub active: bool,
}

/// A district or a region, as the token and service-account forms offer them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// `tenant` or `region`.
    pub kind: String,
    pub slug: String,
    pub name: String,
}

/// The API tokens page: the tokens and service accounts the caller may manage, and where
/// the caller may make them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokensPage {
    pub tokens: Vec<TokenView>,
    pub service_accounts: Vec<ServiceAccountView>,
    /// Where a personal token may be for: the districts and regions the caller holds a role in.
    pub personal_places: Vec<Place>,
    /// Where the caller may make service accounts: districts they administer (regions too, for
    /// platform admins).
    pub service_places: Vec<Place>,
}
