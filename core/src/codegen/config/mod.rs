//! `pocket.toml` reading: the `[cloudfront.NAME]` schema of magic-pocket's `pocket.toml`
//! reference, with stage overrides and the reference's route constraints checked.
//!
//! - Stage merge: `[STAGE.cloudfront.NAME]` (and every other `[STAGE.*]` table) is merged over the
//!   common table recursively: tables merge key by key, any other value (string, list such as
//!   `routes`) replaces the common one. Without a stage, stage tables are ignored.
//! - Unknown sections and keys are ignored (the file also configures Lambda, S3, databases, ...);
//!   unknown keys inside a distribution or a route produce a warning in
//!   [`PocketConfig::warnings`], because a misspelt `require_token` would silently open a gate.
//! - Newer upstream spellings are accepted: `[container.NAME]` next to `[awscontainer]`,
//!   `handler = "CONTAINER.HANDLER"`, `build = { dir, cmd }`, `versioning = "..."`, and
//!   `type = "lambda"` (an API-like route that may also be the default route).
//! - Every violation is reported separately
//!   ([`ConfigError::Constraints`](super::ConfigError::Constraints)) with the file, distribution,
//!   route and what to change; rule identifiers are listed in [`rules`].

// One file per concept; the arrows go one way: `reader` uses `stages`, `raw`, `rules` and
// `model`; `rules` uses `model`; `stages` uses `raw`.
mod model; // the validated route model and its defaults
mod raw; // serde structs of the tables as written, known keys, untyped lookups
mod reader; // PocketConfig::from_toml_str: parse, select the stage, read, check
pub mod rules; // rule identifiers and the checks that report them
mod stages; // [general] stages and the [STAGE.*] merge
#[cfg(test)]
mod tests;

pub use model::{
    behavior_for, Distribution, PocketConfig, Route, RouteType, DEFAULT_LOGIN_PATH,
    DEFAULT_ORIGIN_PATH, DEFAULT_SPA_FALLBACK_HTML,
};
pub use reader::DEFAULT_FILE_NAME;
