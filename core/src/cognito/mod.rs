//! Cognito helpers: `SECRET_HASH` ([`secret_hash()`]) and tenant resolution ([`tenant`]).

pub mod secret_hash;
pub mod tenant;

pub use secret_hash::secret_hash;
pub use tenant::{resolve_tenant, TenantConfig, TenantError, TenantMode};
