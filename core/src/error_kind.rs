//! The error-kind contract shared by every front end.
//!
//! Each error enum of the core has `kind(&self) -> &'static str`: the **variant name** in
//! PascalCase (`"Expired"`, `"InvalidUrl"`, `"UnknownDistribution"`), generated from the
//! variant list by the crate-private `variant_kind!` macro so that it cannot drift from the
//! enum. The string never contains the variant's data (no secret or token text), and a front
//! end reports it as is:
//! the Python exceptions' `kind` attribute, the npm package's `PocketSignError.kind`, the
//! `pocket-sign` CLI's `pocket-sign: <kind>: <message>` on stderr, and the bad-input catalogue
//! (`tests/vectors/bad_inputs.json`) that checks all of them. A kind is unique within its
//! enum; the enum (the Python exception class, the npm `domain`) tells the domains apart.
//!
//! The enums: [`crate::alb::AlbError`], [`crate::cloudfront::SigningError`],
//! [`crate::codegen::ConfigError`], [`crate::codegen::CodegenError`],
//! [`crate::cognito::TenantError`], [`crate::encoding::EncodingError`],
//! `jwks::CacheError` and `jwks::FetchError` (feature `std`), [`crate::jwt::JwtError`],
//! [`crate::keygen::KeygenError`], [`crate::spa_token::SpaTokenError`].
//!
//! JWT and ALB errors also name the matching [aws-jwt-verify](https://github.com/awslabs/aws-jwt-verify)
//! error class (`JwtError::aws_jwt_verify_class`, `AlbError::aws_jwt_verify_class`): a
//! separate compatibility mapping (the Python exception classes carry those names), not a kind.

/// `variant_kind!(value, Enum { A, B(..), C { .. } })` expands to an exhaustive `match` that
/// returns each variant's name as a `&'static str`. Listing a variant with the wrong shape or
/// leaving one out fails to compile.
macro_rules! variant_kind {
    ($value:expr, $enum:ident { $($variant:ident $(( $($tuple:tt)* ))? $({ $($fields:tt)* })?),+ $(,)? }) => {
        match $value {
            $( $enum::$variant $(( $($tuple)* ))? $({ $($fields)* })? => stringify!($variant), )+
        }
    };
}
pub(crate) use variant_kind;
