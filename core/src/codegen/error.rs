//! Errors of `pocket.toml` reading ([`ConfigError`]) and function generation ([`CodegenError`]).
//!
//! Payloads are plain strings and numbers; messages are one sentence each and never contain
//! secret values (the configuration names secrets, it never holds them).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// One violated route or distribution constraint of magic-pocket's `pocket.toml` reference (its
/// constraints section), or one of pocket-sign's own safety rules for generated functions.
///
/// Display: `{file}: [cloudfront.{distribution}] {route}: {message} [{rule}]` where `route` is
/// omitted for distribution-level rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintViolation {
    /// The configuration file name as given by the caller (`pocket.toml` by default).
    pub file: String,
    /// The distribution key (`NAME` of `[cloudfront.NAME]`).
    pub distribution: String,
    /// The route, as `routes[INDEX] (default)` or `routes[INDEX] "/path/*"`; empty for
    /// distribution-level rules.
    pub route: String,
    /// Stable rule identifier, e.g. `require-token-needs-spa` (see [`rules`](super::config::rules)).
    pub rule: String,
    /// What is wrong and what to change, one sentence.
    pub message: String,
}

impl fmt::Display for ConstraintViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.route.is_empty() {
            write!(
                f,
                "{}: [cloudfront.{}]: {} [{}]",
                self.file, self.distribution, self.message, self.rule
            )
        } else {
            write!(
                f,
                "{}: [cloudfront.{}] {}: {} [{}]",
                self.file, self.distribution, self.route, self.message, self.rule
            )
        }
    }
}

/// Why a `pocket.toml` could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The text is not valid TOML (TOML 1.0 / 1.1 syntax); `message` has the position.
    #[error("{file}: not valid TOML: {message}")]
    Toml {
        /// The configuration file name.
        file: String,
        /// The parser's description, with line and column.
        message: String,
    },
    /// A value has the wrong type or shape for magic-pocket's `pocket.toml` schema.
    #[error("{file}: {path}: {message}")]
    Schema {
        /// The configuration file name.
        file: String,
        /// Dotted location, e.g. `cloudfront.web.routes[1]`.
        path: String,
        /// What is wrong, from the schema reader.
        message: String,
    },
    /// The requested stage is not listed in `[general] stages`.
    #[error("{file}: stage \"{stage}\" is not one of [general] stages ({stages}); pass one of those to --stage")]
    UnknownStage {
        /// The configuration file name.
        file: String,
        /// The stage asked for.
        stage: String,
        /// The stages the file lists, comma separated.
        stages: String,
    },
    /// One or more constraints are violated; each violation is reported on its own.
    #[error("{}", DisplayViolations(.0))]
    Constraints(Vec<ConstraintViolation>),
}

impl ConfigError {
    /// The stable machine-readable kind: the variant name (`"Toml"`, `"Schema"`, `"UnknownStage"`, `"Constraints"`), per the
    /// [error-kind contract](crate::error_kind). Never formats the variant's data.
    pub fn kind(&self) -> &'static str {
        crate::error_kind::variant_kind!(self, ConfigError { Toml { .. }, Schema { .. }, UnknownStage { .. }, Constraints(..) })
    }

    /// The violated rule identifiers of a [`ConfigError::Constraints`], in report order
    /// (empty for other kinds).
    pub fn rules(&self) -> Vec<&str> {
        match self {
            ConfigError::Constraints(v) => v.iter().map(|c| c.rule.as_str()).collect(),
            _ => Vec::new(),
        }
    }
}

struct DisplayViolations<'a>(&'a [ConstraintViolation]);

impl fmt::Display for DisplayViolations<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            fmt::Display::fmt(v, f)?;
        }
        Ok(())
    }
}

/// Why functions could not be generated from a valid configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CodegenError {
    /// No `[cloudfront.NAME]` section with this name (after the stage merge).
    #[error("no distribution \"{distribution}\" in the configuration; defined: {available}")]
    UnknownDistribution {
        /// The name asked for.
        distribution: String,
        /// The defined names, comma separated (`none` when there are none).
        available: String,
    },
    /// No route of the distribution matches `--route` (`default` or an exact `path_pattern`).
    #[error("distribution \"{distribution}\" has no route \"{route}\"; use one of: {available}")]
    UnknownRoute {
        /// The distribution name.
        distribution: String,
        /// The route asked for.
        route: String,
        /// `default` and the path patterns, comma separated.
        available: String,
    },
    /// A generated function is larger than CloudFront's function size quota (10 KB).
    #[error("function \"{name}\" would be {size} bytes, over CloudFront's limit of {limit} bytes; split the behavior or drop a prelude")]
    TooLarge {
        /// The function name.
        name: String,
        /// The code size in bytes (UTF-8).
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
}

impl CodegenError {
    /// The stable machine-readable kind: the variant name (`"UnknownDistribution"`, `"UnknownRoute"`, `"TooLarge"`), per the
    /// [error-kind contract](crate::error_kind). Never formats the variant's data.
    pub fn kind(&self) -> &'static str {
        crate::error_kind::variant_kind!(self, CodegenError { UnknownDistribution { .. }, UnknownRoute { .. }, TooLarge { .. } })
    }
}
