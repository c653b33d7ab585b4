//! The raw `pocket.toml`: serde structs of the `[cloudfront.NAME]` tables and their routes as
//! written, the keys they know, and lookups in the untyped TOML tables (`[general]`, handlers,
//! managed secrets).

use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;
use toml::{Table, Value};

/// The keys a `[cloudfront.NAME]` table may have; others draw a warning.
pub(super) const DIST_KEYS: &[&str] = &[
    "domain",
    "origin_path",
    "hosted_zone_id_override",
    "redirect_from",
    "routes",
    "signing_key",
    "token_secret",
    "basic_auth",
    "enable_origin_verify",
];
/// The keys a route table may have; others draw a warning.
pub(super) const ROUTE_KEYS: &[&str] = &[
    "type",
    "handler",
    "path_pattern",
    "is_default",
    "is_spa",
    "is_versioned",
    "versioning",
    "spa_fallback_html",
    "versioned_max_age",
    "ref",
    "signed",
    "build",
    "build_dir",
    "require_token",
    "login_path",
    "origin_path",
];

/// One `redirect_from` entry.
#[derive(Deserialize)]
pub(super) struct RawRedirect {
    pub(super) domain: String,
}

/// A `[cloudfront.NAME]` table without its `routes` (read one by one as [`RawRoute`]).
#[derive(Deserialize)]
pub(super) struct RawDistribution {
    pub(super) domain: Option<String>,
    pub(super) origin_path: Option<String>,
    #[serde(default)]
    pub(super) redirect_from: Vec<RawRedirect>,
    pub(super) signing_key: Option<String>,
    pub(super) token_secret: Option<String>,
    #[serde(default)]
    pub(super) basic_auth: bool,
    #[serde(default)]
    pub(super) enable_origin_verify: bool,
}

/// A route's `build`: a command string, or the newer upstream table `{ dir, cmd }`.
#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawBuild {
    /// `build = "CMD"`.
    Command(String),
    /// `build = { dir = "DIR", cmd = "CMD" }`.
    Table {
        dir: Option<String>,
        cmd: Option<String>,
    },
}

/// One table of a distribution's `routes` list.
#[derive(Deserialize)]
pub(super) struct RawRoute {
    #[serde(rename = "type")]
    pub(super) route_type: Option<String>,
    pub(super) handler: Option<String>,
    #[serde(default)]
    pub(super) path_pattern: String,
    #[serde(default)]
    pub(super) is_default: bool,
    #[serde(default)]
    pub(super) is_spa: bool,
    #[serde(default)]
    pub(super) is_versioned: bool,
    pub(super) versioning: Option<String>,
    pub(super) spa_fallback_html: Option<String>,
    #[serde(rename = "ref", default)]
    pub(super) ref_name: String,
    #[serde(default)]
    pub(super) signed: bool,
    pub(super) build: Option<RawBuild>,
    pub(super) build_dir: Option<String>,
    #[serde(default)]
    pub(super) require_token: bool,
    pub(super) login_path: Option<String>,
    pub(super) origin_path: Option<String>,
}

/// Managed secrets by name → type, from `[awscontainer.secrets.managed]` and
/// `[container.*.secrets.managed]`.
pub(super) fn managed_secrets(root: &Table) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut add = |t: Option<&Value>| {
        if let Some(Value::Table(m)) = t {
            for (k, v) in m {
                let ty = lookup_value(v, "type")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                out.insert(k.clone(), ty.to_owned());
            }
        }
    };
    add(lookup(root, &["awscontainer", "secrets", "managed"]));
    if let Some(Value::Table(cs)) = root.get("container") {
        for c in cs.values() {
            if let Some(ct) = c.as_table() {
                add(lookup(ct, &["secrets", "managed"]));
            }
        }
    }
    out
}

/// Handler lookup: `Some(has_apigateway)` when defined.
pub(super) fn handler(root: &Table, name: &str) -> Option<bool> {
    let found = |h: Option<&Value>| {
        h.and_then(Value::as_table)
            .map(|t| t.contains_key("apigateway"))
    };
    if let Some((container, handler)) = name.split_once('.') {
        return found(lookup(root, &["container", container, "handlers", handler]));
    }
    if let Some(r) = found(lookup(root, &["awscontainer", "handlers", name])) {
        return Some(r);
    }
    if let Some(Value::Table(cs)) = root.get("container") {
        for c in cs.values() {
            if let Some(ct) = c.as_table() {
                if let Some(r) = found(lookup(ct, &["handlers", name])) {
                    return Some(r);
                }
            }
        }
    }
    None
}

/// The value at `path` (table keys) under `t`.
pub(super) fn lookup<'a>(t: &'a Table, path: &[&str]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let v = t.get(*first)?;
    if rest.is_empty() {
        Some(v)
    } else {
        lookup(v.as_table()?, rest)
    }
}

/// The value of `key` when `v` is a table.
fn lookup_value<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_table()?.get(key)
}
