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
//! - Every violation is reported separately ([`ConfigError::Constraints`]) with the file,
//!   distribution, route and what to change; rule identifiers are listed in [`rules`].

use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Deserialize;
use toml::{Table, Value};

use super::error::{ConfigError, ConstraintViolation};

/// Default `login_path` of a `require_token` route (magic-pocket's `pocket.toml` reference).
pub const DEFAULT_LOGIN_PATH: &str = "/api/auth/login";
/// Default `spa_fallback_html` of an `is_spa` route (magic-pocket's `pocket.toml` reference).
pub const DEFAULT_SPA_FALLBACK_HTML: &str = "index.html";
/// Default distribution `origin_path` (magic-pocket's `pocket.toml` reference).
pub const DEFAULT_ORIGIN_PATH: &str = "/spa";
/// The file name used in messages by [`PocketConfig::from_toml_str`].
pub const DEFAULT_FILE_NAME: &str = "pocket.toml";

/// Stable identifiers of the constraint rules ([`ConstraintViolation::rule`]).
pub mod rules {
    /// `routes` is missing or empty (the `pocket.toml` reference: at least one route).
    pub const ROUTES_MISSING: &str = "routes-missing";
    /// No route, or more than one, has `is_default = true`.
    pub const DEFAULT_ROUTE_COUNT: &str = "default-route-count";
    /// The default route has a non-empty `path_pattern`.
    pub const DEFAULT_ROUTE_PATH_PATTERN: &str = "default-route-path-pattern";
    /// A non-default route has an empty `path_pattern`.
    pub const PATH_PATTERN_EMPTY: &str = "path-pattern-empty";
    /// A non-empty `path_pattern` does not start with `/`.
    pub const PATH_PATTERN_SLASH: &str = "path-pattern-slash";
    /// `path_pattern` has characters CloudFront path patterns do not allow.
    pub const PATH_PATTERN_CHARS: &str = "path-pattern-chars";
    /// Two routes have the same `path_pattern`.
    pub const PATH_PATTERN_DUPLICATE: &str = "path-pattern-duplicate";
    /// `is_spa` and `is_versioned` are both true.
    pub const SPA_AND_VERSIONED: &str = "spa-and-versioned";
    /// `signed = true` but the distribution has no `signing_key`.
    pub const SIGNED_NEEDS_SIGNING_KEY: &str = "signed-needs-signing-key";
    /// An `api` route sets a field only S3 routes may set.
    pub const API_ROUTE_FIELD: &str = "api-route-field";
    /// An `api`/`lambda` route has no `handler`.
    pub const API_ROUTE_HANDLER_MISSING: &str = "api-route-handler-missing";
    /// `handler` names no handler in `[awscontainer.handlers]` / `[container.*.handlers]`.
    pub const HANDLER_UNDEFINED: &str = "handler-undefined";
    /// The handler of an `api` route has no `apigateway` table.
    pub const HANDLER_NO_APIGATEWAY: &str = "handler-no-apigateway";
    /// `build` without `build_dir`.
    pub const BUILD_NEEDS_BUILD_DIR: &str = "build-needs-build-dir";
    /// `require_token = true` without `is_spa = true`.
    pub const REQUIRE_TOKEN_NEEDS_SPA: &str = "require-token-needs-spa";
    /// `require_token = true` but the distribution has no `token_secret`.
    pub const REQUIRE_TOKEN_NEEDS_TOKEN_SECRET: &str = "require-token-needs-token-secret";
    /// `token_secret` names no managed secret of type `spa_token_secret`.
    pub const TOKEN_SECRET_UNDEFINED: &str = "token-secret-undefined";
    /// `signing_key` names no managed secret of type `cloudfront_signing_key`.
    pub const SIGNING_KEY_UNDEFINED: &str = "signing-key-undefined";
    /// `type` is not `s3`, `api` or `lambda`.
    pub const ROUTE_TYPE_UNKNOWN: &str = "route-type-unknown";
    /// `login_path` is not a same-site absolute path (pocket-sign rule).
    pub const LOGIN_PATH_INVALID: &str = "login-path-invalid";
    /// `spa_fallback_html` is not a plain relative file path (pocket-sign rule).
    pub const SPA_FALLBACK_HTML_INVALID: &str = "spa-fallback-html-invalid";
    /// `redirect_from` is set but `domain` is not.
    pub const REDIRECT_FROM_NEEDS_DOMAIN: &str = "redirect-from-needs-domain";
    /// A `login_path` is served by another `require_token` behavior with a different
    /// `login_path`, so the two gates would redirect to each other forever.
    pub const LOGIN_PATH_GATED: &str = "login-path-gated";
    /// `domain` or a `redirect_from` domain is not a host name.
    pub const DOMAIN_INVALID: &str = "domain-invalid";
    /// `enable_origin_verify = true` on a distribution without an `api` / `lambda` route.
    pub const ORIGIN_VERIFY_NEEDS_API_ROUTE: &str = "origin-verify-needs-api-route";
}

/// Kind of origin a route sends requests to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RouteType {
    /// S3 origin (default).
    S3,
    /// API Gateway origin for a handler (`type = "api"`).
    Api,
    /// Lambda handler origin, newer upstream spelling (`type = "lambda"`); may be the default.
    Lambda,
}

impl RouteType {
    /// True for [`RouteType::Api`] and [`RouteType::Lambda`] (origins that run application code).
    pub fn is_api(self) -> bool {
        matches!(self, RouteType::Api | RouteType::Lambda)
    }
}

/// One validated route (one CloudFront cache behavior).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Route {
    /// Position in the `routes` list (0-based).
    pub index: usize,
    /// Origin kind.
    pub route_type: RouteType,
    /// Handler name for API routes (`wsgi` or `CONTAINER.wsgi`).
    pub handler: Option<String>,
    /// CloudFront path pattern; empty for the default route.
    pub path_pattern: String,
    /// This route is the DefaultCacheBehavior.
    pub is_default: bool,
    /// SPA fallback: extension-less URIs are rewritten to the fallback HTML.
    pub is_spa: bool,
    /// Versioned assets (long cache).
    pub is_versioned: bool,
    /// File served for SPA routes, relative to the route prefix (default `index.html`).
    pub spa_fallback_html: String,
    /// Route reference name (`ref`), possibly empty.
    pub ref_name: String,
    /// Signed URLs required (CloudFront trusted key group).
    pub signed: bool,
    /// Build command, if any.
    pub build: Option<String>,
    /// Build output directory, if any.
    pub build_dir: Option<String>,
    /// The SPA token gate protects this route.
    pub require_token: bool,
    /// Where unauthenticated viewers are sent (default `/api/auth/login`).
    pub login_path: String,
    /// Route-level S3 origin path, if set.
    pub origin_path: Option<String>,
}

impl Route {
    /// `default` for the default route, else the path pattern: the `--route` selector and the
    /// `behavior` of generated functions.
    pub fn behavior(&self) -> &str {
        if self.is_default {
            "default"
        } else {
            &self.path_pattern
        }
    }

    /// The SPA fallback URI (magic-pocket rule): the path pattern without its trailing `*`, then
    /// without its trailing `/`, + `/` + `spa_fallback_html`. `""`, `/*` give `/index.html`;
    /// `/admin/*`, `/admin*` give `/admin/index.html`.
    pub fn fallback_uri(&self) -> String {
        let p = self
            .path_pattern
            .strip_suffix('*')
            .unwrap_or(&self.path_pattern);
        let p = p.strip_suffix('/').unwrap_or(p);
        format!("{}/{}", p, self.spa_fallback_html)
    }
}

/// One validated `[cloudfront.NAME]` distribution, after the stage merge.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Distribution {
    /// The `NAME` of `[cloudfront.NAME]`.
    pub name: String,
    /// Canonical domain (lowercase), if any.
    pub domain: Option<String>,
    /// S3 origin path (default `/spa`).
    pub origin_path: String,
    /// Domains redirected (301) to `domain`.
    pub redirect_from: Vec<String>,
    /// Managed secret name of the CloudFront signing key.
    pub signing_key: Option<String>,
    /// Managed secret name of the SPA token secret (the function reads KVS key `token_secret`).
    pub token_secret: Option<String>,
    /// pocket-sign extension: HTTP basic auth on S3 routes against KVS key `basic_auth`.
    pub basic_auth: bool,
    /// magic-pocket's `enable_origin_verify` (default `false`): CloudFront adds the secret
    /// origin header `X-Pocket-Origin-Verify` to API origins and the application refuses
    /// requests without it (`crate::origin_verify`); the API routes' functions then also drop a
    /// client-sent `x-pocket-origin-verify`. Needs at least one `api` / `lambda` route.
    pub enable_origin_verify: bool,
    /// Routes in file order.
    pub routes: Vec<Route>,
}

/// A validated `pocket.toml` (the parts pocket-sign uses).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PocketConfig {
    /// File name used in messages.
    pub file: String,
    /// Stage merged in, if any.
    pub stage: Option<String>,
    /// `[general] project_name`, if set.
    pub project_name: Option<String>,
    /// Distributions by name.
    pub distributions: BTreeMap<String, Distribution>,
    /// Advice that does not stop generation (unknown keys, double S3 prefix), one sentence each.
    pub warnings: Vec<String>,
}

const DIST_KEYS: &[&str] = &[
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
const ROUTE_KEYS: &[&str] = &[
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

#[derive(Deserialize)]
struct RawRedirect {
    domain: String,
}

#[derive(Deserialize)]
struct RawDistribution {
    domain: Option<String>,
    origin_path: Option<String>,
    #[serde(default)]
    redirect_from: Vec<RawRedirect>,
    signing_key: Option<String>,
    token_secret: Option<String>,
    #[serde(default)]
    basic_auth: bool,
    #[serde(default)]
    enable_origin_verify: bool,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawBuild {
    Command(String),
    Table {
        dir: Option<String>,
        cmd: Option<String>,
    },
}

#[derive(Deserialize)]
struct RawRoute {
    #[serde(rename = "type")]
    route_type: Option<String>,
    handler: Option<String>,
    #[serde(default)]
    path_pattern: String,
    #[serde(default)]
    is_default: bool,
    #[serde(default)]
    is_spa: bool,
    #[serde(default)]
    is_versioned: bool,
    versioning: Option<String>,
    spa_fallback_html: Option<String>,
    #[serde(rename = "ref", default)]
    ref_name: String,
    #[serde(default)]
    signed: bool,
    build: Option<RawBuild>,
    build_dir: Option<String>,
    #[serde(default)]
    require_token: bool,
    login_path: Option<String>,
    origin_path: Option<String>,
}

impl PocketConfig {
    /// Reads `pocket.toml` text, merging `[STAGE.*]` over the common tables when `stage` is
    /// given, and checks the constraints. Messages name the file `pocket.toml`.
    ///
    /// Errors: [`ConfigError::Toml`] for syntax, [`ConfigError::Schema`] for wrong value types,
    /// [`ConfigError::UnknownStage`] when `[general] stages` does not list `stage`,
    /// [`ConfigError::Constraints`] with every violated rule.
    pub fn from_toml_str(text: &str, stage: Option<&str>) -> Result<PocketConfig, ConfigError> {
        Self::from_toml_str_named(DEFAULT_FILE_NAME, text, stage)
    }

    /// Same as [`PocketConfig::from_toml_str`], naming `file` in every message.
    pub fn from_toml_str_named(
        file: &str,
        text: &str,
        stage: Option<&str>,
    ) -> Result<PocketConfig, ConfigError> {
        let root: Table = toml::from_str(text).map_err(|e| ConfigError::Toml {
            file: file.to_owned(),
            message: one_line(&e.to_string()),
        })?;
        let stages: Vec<String> = match lookup(&root, &["general", "stages"]) {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            _ => Vec::new(),
        };
        if let Some(s) = stage {
            if !stages.is_empty() && !stages.iter().any(|x| x == s) {
                return Err(ConfigError::UnknownStage {
                    file: file.to_owned(),
                    stage: s.to_owned(),
                    stages: stages.join(", "),
                });
            }
        }
        let merged = merge_stage(root, &stages, stage);
        Reader {
            file,
            root: &merged,
            violations: Vec::new(),
            warnings: Vec::new(),
        }
        .read(stage)
    }

    /// The distribution called `name`, if defined.
    pub fn distribution(&self, name: &str) -> Option<&Distribution> {
        self.distributions.get(name)
    }
}

/// Removes the stage tables from `root` and, when `stage` is given, merges its table over the
/// rest (tables recursively, other values replaced).
fn merge_stage(mut root: Table, stages: &[String], stage: Option<&str>) -> Table {
    let mut overlay = None;
    for s in stages.iter().map(String::as_str).chain(stage) {
        if let Some(v) = root.remove(s) {
            if Some(s) == stage {
                overlay = Some(v);
            }
        }
    }
    if let Some(Value::Table(t)) = overlay {
        merge_into(&mut root, t);
    }
    root
}

fn merge_into(base: &mut Table, over: Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(Value::Table(b)), Value::Table(o)) => merge_into(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

fn lookup<'a>(t: &'a Table, path: &[&str]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let v = t.get(*first)?;
    if rest.is_empty() {
        Some(v)
    } else {
        lookup(v.as_table()?, rest)
    }
}

fn one_line(s: &str) -> String {
    let mut out = String::new();
    for part in s.split('\n').map(str::trim).filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push_str(" | ");
        }
        out.push_str(part);
    }
    out
}

struct Reader<'a> {
    file: &'a str,
    root: &'a Table,
    violations: Vec<ConstraintViolation>,
    warnings: Vec<String>,
}

fn route_label(index: usize, raw: &RawRoute) -> String {
    if raw.path_pattern.is_empty() {
        if raw.is_default {
            format!("routes[{index}] (default)")
        } else {
            format!("routes[{index}]")
        }
    } else {
        format!("routes[{index}] \"{}\"", raw.path_pattern)
    }
}

impl Reader<'_> {
    fn violation(&mut self, dist: &str, route: &str, rule: &str, message: String) {
        self.violations.push(ConstraintViolation {
            file: self.file.to_owned(),
            distribution: dist.to_owned(),
            route: route.to_owned(),
            rule: rule.to_owned(),
            message,
        });
    }

    fn schema(&self, path: String, message: String) -> ConfigError {
        ConfigError::Schema {
            file: self.file.to_owned(),
            path,
            message: one_line(&message),
        }
    }

    /// Managed secrets by name → type, from `[awscontainer.secrets.managed]` and
    /// `[container.*.secrets.managed]`.
    fn managed_secrets(&self) -> BTreeMap<String, String> {
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
        add(lookup(self.root, &["awscontainer", "secrets", "managed"]));
        if let Some(Value::Table(cs)) = self.root.get("container") {
            for c in cs.values() {
                if let Some(ct) = c.as_table() {
                    add(lookup(ct, &["secrets", "managed"]));
                }
            }
        }
        out
    }

    /// Handler lookup: `Some(has_apigateway)` when defined.
    fn handler(&self, name: &str) -> Option<bool> {
        let found = |h: Option<&Value>| {
            h.and_then(Value::as_table)
                .map(|t| t.contains_key("apigateway"))
        };
        if let Some((container, handler)) = name.split_once('.') {
            return found(lookup(
                self.root,
                &["container", container, "handlers", handler],
            ));
        }
        if let Some(r) = found(lookup(self.root, &["awscontainer", "handlers", name])) {
            return Some(r);
        }
        if let Some(Value::Table(cs)) = self.root.get("container") {
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

    fn read(mut self, stage: Option<&str>) -> Result<PocketConfig, ConfigError> {
        let project_name = lookup(self.root, &["general", "project_name"])
            .and_then(Value::as_str)
            .map(String::from);
        let secrets = self.managed_secrets();
        let mut distributions = BTreeMap::new();
        if let Some(cf) = self.root.get("cloudfront") {
            let cf = cf.as_table().ok_or_else(|| {
                self.schema(
                    "cloudfront".into(),
                    "expected a table of [cloudfront.NAME] sections".into(),
                )
            })?;
            for (name, value) in cf {
                let d = self.read_distribution(name, value, &secrets)?;
                distributions.insert(name.clone(), d);
            }
        }
        if !self.violations.is_empty() {
            return Err(ConfigError::Constraints(self.violations));
        }
        Ok(PocketConfig {
            file: self.file.to_owned(),
            stage: stage.map(String::from),
            project_name,
            distributions,
            warnings: self.warnings,
        })
    }

    fn read_distribution(
        &mut self,
        name: &str,
        value: &Value,
        secrets: &BTreeMap<String, String>,
    ) -> Result<Distribution, ConfigError> {
        let path = format!("cloudfront.{name}");
        let table = value
            .as_table()
            .ok_or_else(|| self.schema(path.clone(), "expected a table".into()))?;
        for k in table.keys() {
            if !DIST_KEYS.contains(&k.as_str()) {
                self.warnings.push(format!(
                    "{}: [cloudfront.{name}]: unknown key \"{k}\" is ignored",
                    self.file
                ));
            }
        }
        let mut rest = table.clone();
        let routes_value = rest.remove("routes");
        let raw: RawDistribution = Value::Table(rest)
            .try_into()
            .map_err(|e: toml::de::Error| self.schema(path.clone(), e.to_string()))?;

        let domain = raw.domain.map(|d| d.to_ascii_lowercase());
        if let Some(d) = &domain {
            if !valid_domain(d) {
                self.violation(name, "", rules::DOMAIN_INVALID, format!(
                    "domain \"{d}\" is not a host name; use letters, digits, '-' and '.' only (no scheme, port or path)"
                ));
            }
        }
        let mut redirect_from = Vec::new();
        for r in raw.redirect_from {
            let d = r.domain.to_ascii_lowercase();
            if !valid_domain(&d) {
                self.violation(name, "", rules::DOMAIN_INVALID, format!(
                    "redirect_from domain \"{d}\" is not a host name; use letters, digits, '-' and '.' only"
                ));
            }
            redirect_from.push(d);
        }
        if !redirect_from.is_empty() && domain.is_none() {
            self.violation(name, "", rules::REDIRECT_FROM_NEEDS_DOMAIN, String::from(
                "redirect_from is set but domain is not; set domain to the canonical host the redirects go to",
            ));
        }
        if let Some(ts) = &raw.token_secret {
            if secrets.get(ts).map(String::as_str) != Some("spa_token_secret") {
                self.violation(name, "", rules::TOKEN_SECRET_UNDEFINED, format!(
                    "token_secret = \"{ts}\" names no managed secret of type spa_token_secret; add {ts} = {{ type = \"spa_token_secret\" }} under [awscontainer.secrets.managed]"
                ));
            }
        }
        if let Some(sk) = &raw.signing_key {
            if secrets.get(sk).map(String::as_str) != Some("cloudfront_signing_key") {
                self.violation(name, "", rules::SIGNING_KEY_UNDEFINED, format!(
                    "signing_key = \"{sk}\" names no managed secret of type cloudfront_signing_key; add {sk} = {{ type = \"cloudfront_signing_key\" }} under [awscontainer.secrets.managed]"
                ));
            }
        }

        let raw_routes: Vec<Value> = match routes_value {
            None => Vec::new(),
            Some(Value::Array(a)) => a,
            Some(_) => {
                return Err(self.schema(
                    format!("{path}.routes"),
                    "expected a list of route tables".into(),
                ))
            }
        };
        if raw_routes.is_empty() {
            self.violation(name, "", rules::ROUTES_MISSING, String::from(
                "routes is missing or empty; add at least the default route, e.g. routes = [{ is_default = true }]",
            ));
        }
        let origin_path = raw
            .origin_path
            .unwrap_or_else(|| DEFAULT_ORIGIN_PATH.to_owned());
        let mut routes = Vec::new();
        for (i, rv) in raw_routes.into_iter().enumerate() {
            let rpath = format!("{path}.routes[{i}]");
            if let Some(t) = rv.as_table() {
                for k in t.keys() {
                    if !ROUTE_KEYS.contains(&k.as_str()) {
                        self.warnings.push(format!(
                            "{}: [cloudfront.{name}] routes[{i}]: unknown key \"{k}\" is ignored",
                            self.file
                        ));
                    }
                }
            }
            let rr: RawRoute = rv
                .try_into()
                .map_err(|e: toml::de::Error| self.schema(rpath.clone(), e.to_string()))?;
            let route = self.check_route(name, i, rr, &raw.signing_key, &raw.token_secret);
            routes.push(route);
        }
        self.check_login_loops(name, &routes);
        let defaults = routes.iter().filter(|r| r.is_default).count();
        if !routes.is_empty() && defaults != 1 {
            self.violation(name, "", rules::DEFAULT_ROUTE_COUNT, format!(
                "{defaults} routes have is_default = true; exactly one route must be the default (set is_default = true on one route only)"
            ));
        }
        for (i, r) in routes.iter().enumerate() {
            if r.path_pattern.is_empty() {
                continue;
            }
            if routes[..i].iter().any(|o| o.path_pattern == r.path_pattern) {
                let label = format!("routes[{i}] \"{}\"", r.path_pattern);
                self.violation(name, &label, rules::PATH_PATTERN_DUPLICATE, format!(
                    "path_pattern \"{}\" is used by an earlier route; give each route its own path_pattern",
                    r.path_pattern
                ));
            }
        }
        if raw.enable_origin_verify && !routes.iter().any(|r| r.route_type.is_api()) {
            self.violation(name, "", rules::ORIGIN_VERIFY_NEEDS_API_ROUTE, String::from(
                "enable_origin_verify = true needs at least one lambda route (the origin to protect); S3-only distributions are already protected by origin access control",
            ));
        }
        Ok(Distribution {
            name: name.to_owned(),
            domain,
            origin_path,
            redirect_from,
            signing_key: raw.signing_key,
            token_secret: raw.token_secret,
            basic_auth: raw.basic_auth,
            enable_origin_verify: raw.enable_origin_verify,
            routes,
        })
    }

    fn check_route(
        &mut self,
        dist: &str,
        index: usize,
        raw: RawRoute,
        signing_key: &Option<String>,
        token_secret: &Option<String>,
    ) -> Route {
        let label = route_label(index, &raw);
        let mut v: Vec<(&'static str, String)> = Vec::new();
        let route_type = match raw.route_type.as_deref() {
            None | Some("s3") => RouteType::S3,
            Some("api") => RouteType::Api,
            Some("lambda") => RouteType::Lambda,
            Some(other) => {
                v.push((rules::ROUTE_TYPE_UNKNOWN, format!(
                    "type = \"{other}\" is not a route type; use \"s3\" (default), \"api\" or \"lambda\""
                )));
                RouteType::S3
            }
        };
        let (build, build_dir) = match raw.build {
            None => (None, raw.build_dir),
            Some(RawBuild::Command(c)) => (Some(c), raw.build_dir),
            Some(RawBuild::Table { dir, cmd }) => {
                (cmd.or(Some(String::new())), dir.or(raw.build_dir))
            }
        };
        let is_versioned = raw.is_versioned || raw.versioning.is_some();
        if raw.is_default && !raw.path_pattern.is_empty() {
            v.push((rules::DEFAULT_ROUTE_PATH_PATTERN, format!(
                "the default route has path_pattern = \"{}\"; remove path_pattern from the is_default route",
                raw.path_pattern
            )));
        }
        if !raw.is_default && raw.path_pattern.is_empty() {
            v.push((
                rules::PATH_PATTERN_EMPTY,
                String::from(
                    "a route that is not the default needs a path_pattern such as \"/static/*\"",
                ),
            ));
        }
        if !raw.path_pattern.is_empty() && !raw.path_pattern.starts_with('/') {
            v.push((
                rules::PATH_PATTERN_SLASH,
                format!(
                    "path_pattern \"{}\" must start with '/'; write \"/{}\"",
                    raw.path_pattern, raw.path_pattern
                ),
            ));
        }
        if !raw
            .path_pattern
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.*$/~@:+&".contains(&b))
            || raw.path_pattern.len() > 255
        {
            v.push((rules::PATH_PATTERN_CHARS, format!(
                "path_pattern \"{}\" may only contain A-Z a-z 0-9 _ - . * $ / ~ @ : + & (at most 255)",
                raw.path_pattern.escape_debug()
            )));
        }
        if raw.is_spa && is_versioned {
            v.push((
                rules::SPA_AND_VERSIONED,
                String::from("is_spa and is_versioned cannot both be true; keep one of them"),
            ));
        }
        if raw.signed && signing_key.is_none() {
            v.push((rules::SIGNED_NEEDS_SIGNING_KEY, String::from(
                "signed = true needs signing_key on the distribution; add signing_key = \"NAME\" naming a cloudfront_signing_key managed secret",
            )));
        }
        if route_type.is_api() {
            let mut forbidden: Vec<&str> = Vec::new();
            if raw.is_spa {
                forbidden.push("is_spa");
            }
            if is_versioned {
                forbidden.push("is_versioned");
            }
            if raw.signed {
                forbidden.push("signed");
            }
            if raw.is_default && route_type == RouteType::Api {
                forbidden.push("is_default");
            }
            if raw.require_token {
                forbidden.push("require_token");
            }
            if build.is_some() {
                forbidden.push("build");
            }
            if build_dir.is_some() {
                forbidden.push("build_dir");
            }
            for f in forbidden {
                v.push((
                    rules::API_ROUTE_FIELD,
                    format!("an API route cannot set {f}; remove {f} or make this an S3 route"),
                ));
            }
            match &raw.handler {
                None => v.push((rules::API_ROUTE_HANDLER_MISSING, String::from(
                    "an API route needs handler = \"NAME\" naming a handler in [awscontainer.handlers]",
                ))),
                Some(h) => match self.handler(h) {
                    None => v.push((rules::HANDLER_UNDEFINED, format!(
                        "handler \"{h}\" is not defined; add [awscontainer.handlers.{h}] with apigateway = {{}}"
                    ))),
                    Some(false) if route_type == RouteType::Api => v.push((rules::HANDLER_NO_APIGATEWAY, format!(
                        "handler \"{h}\" has no apigateway; add apigateway = {{}} to that handler"
                    ))),
                    Some(_) => {}
                },
            }
        }
        if build.is_some() && build_dir.is_none() {
            v.push((
                rules::BUILD_NEEDS_BUILD_DIR,
                String::from(
                    "build is set without build_dir; add build_dir = \"DIR\" with the build output",
                ),
            ));
        }
        if raw.require_token && !raw.is_spa {
            v.push((
                rules::REQUIRE_TOKEN_NEEDS_SPA,
                String::from("require_token = true needs is_spa = true on the same route"),
            ));
        }
        if raw.require_token && token_secret.is_none() {
            v.push((rules::REQUIRE_TOKEN_NEEDS_TOKEN_SECRET, String::from(
                "require_token = true needs token_secret on the distribution; add token_secret = \"NAME\" naming a spa_token_secret managed secret",
            )));
        }
        let login_path = raw
            .login_path
            .unwrap_or_else(|| DEFAULT_LOGIN_PATH.to_owned());
        if !valid_login_path(&login_path) {
            v.push((rules::LOGIN_PATH_INVALID, format!(
                "login_path \"{}\" must be a same-site path: start with one '/', no '\\', '?', '#', spaces or control characters",
                login_path.escape_debug()
            )));
        }
        let spa_fallback_html = raw
            .spa_fallback_html
            .unwrap_or_else(|| DEFAULT_SPA_FALLBACK_HTML.to_owned());
        if !valid_fallback(&spa_fallback_html) {
            v.push((rules::SPA_FALLBACK_HTML_INVALID, format!(
                "spa_fallback_html \"{}\" must be a relative file path such as \"index.html\" (no leading '/', no '..', no '?' or '#')",
                spa_fallback_html.escape_debug()
            )));
        }
        let origin_path = raw.origin_path;
        if let Some(op) = &origin_path {
            let prefix = raw.path_pattern.trim_end_matches('*').trim_end_matches('/');
            if !prefix.is_empty() && op.trim_end_matches('/') == prefix {
                self.warnings.push(format!(
                    "{}: [cloudfront.{dist}] {label}: origin_path \"{op}\" repeats the path_pattern prefix, so S3 keys live under {}{}/ (double prefix); this is allowed, check it is intended",
                    self.file,
                    op.trim_start_matches('/'),
                    prefix
                ));
            }
        }
        for (rule, message) in v {
            self.violation(dist, &label, rule, message);
        }
        Route {
            index,
            route_type,
            handler: raw.handler,
            path_pattern: raw.path_pattern,
            is_default: raw.is_default,
            is_spa: raw.is_spa,
            is_versioned,
            spa_fallback_html,
            ref_name: raw.ref_name,
            signed: raw.signed,
            build,
            build_dir,
            require_token: raw.require_token,
            login_path,
            origin_path,
        }
    }
}

impl Reader<'_> {
    /// Each gated route's `login_path` must reach either a behavior without a gate or a gate
    /// that exempts that very path (same `login_path`); otherwise viewers loop between logins.
    fn check_login_loops(&mut self, dist: &str, routes: &[Route]) {
        for r in routes.iter().filter(|r| r.require_token) {
            if let Some(serving) = behavior_for(routes, &r.login_path) {
                if serving.require_token && serving.login_path != r.login_path {
                    let label = if r.is_default {
                        format!("routes[{}] (default)", r.index)
                    } else {
                        format!("routes[{}] \"{}\"", r.index, r.path_pattern)
                    };
                    self.violation(dist, &label, rules::LOGIN_PATH_GATED, format!(
                        "login_path \"{}\" is served by the require_token route {} whose login_path is \"{}\", so the gates would redirect to each other; point login_path at an ungated route (e.g. the API) or give both routes the same login_path",
                        r.login_path, serving.behavior(), serving.login_path
                    ));
                }
            }
        }
    }
}

/// The route CloudFront would use for `path`: the first non-default route whose path pattern
/// matches, else the default route ("Cache behavior settings: path pattern", evaluated in order).
pub fn behavior_for<'r>(routes: &'r [Route], path: &str) -> Option<&'r Route> {
    routes
        .iter()
        .filter(|r| !r.is_default && !r.path_pattern.is_empty())
        .find(|r| {
            let pat = r.path_pattern.strip_prefix('/').unwrap_or(&r.path_pattern);
            let p = path.strip_prefix('/').unwrap_or(path);
            glob_match(pat.as_bytes(), p.as_bytes())
        })
        .or_else(|| routes.iter().find(|r| r.is_default))
}

/// CloudFront path-pattern match: `*` any run of bytes (including `/`), `?` exactly one byte.
/// Iterative with one backtrack point, so linear-ish and without recursion.
fn glob_match(pat: &[u8], s: &[u8]) -> bool {
    let (mut p, mut i) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while i < s.len() {
        match pat.get(p) {
            Some(b'*') => {
                star = Some((p, i));
                p += 1;
            }
            Some(&c) if c == b'?' || c == s[i] => {
                p += 1;
                i += 1;
            }
            _ => match star {
                Some((sp, si)) => {
                    p = sp + 1;
                    i = si + 1;
                    star = Some((sp, si + 1));
                }
                None => return false,
            },
        }
    }
    pat[p.min(pat.len())..].iter().all(|&c| c == b'*')
}

fn lookup_value<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_table()?.get(key)
}

/// Host name check: 1..=253 chars of `[a-z0-9.-]`, labels 1..=63, no leading/trailing `-`/`.`.
fn valid_domain(d: &str) -> bool {
    !d.is_empty()
        && d.len() <= 253
        && d.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// Same-site absolute path: one leading `/`, printable ASCII without `\ ? # "` or spaces.
fn valid_login_path(p: &str) -> bool {
    p.starts_with('/')
        && !p.starts_with("//")
        && p.len() <= 512
        && p.bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'\\' | b'?' | b'#' | b'"'))
}

fn valid_fallback(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && p.len() <= 256
        && !p.split('/').any(|s| s.is_empty() || s == "..")
        && p.bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'\\' | b'?' | b'#' | b'"'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"
[general]
region = "ap-northeast-1"
stages = ["dev", "prd"]

[awscontainer.handlers.wsgi]
command = "x"
apigateway = {}

[awscontainer.secrets.managed]
SPA_TOKEN_SECRET = { type = "spa_token_secret" }
CF_MEDIA_KEY = { type = "cloudfront_signing_key" }

[cloudfront.web]
token_secret = "SPA_TOKEN_SECRET"
routes = [
    { is_default = true, is_spa = true, require_token = true, origin_path = "/web/app" },
    { path_pattern = "/static/*", ref = "static", is_versioned = true, origin_path = "/web" },
    { path_pattern = "/api/*", type = "api", handler = "wsgi" },
]

[cloudfront.media]
signing_key = "CF_MEDIA_KEY"
routes = [{ is_default = true, signed = true }]

[prd.cloudfront.web]
domain = "Example.com"
redirect_from = [{ domain = "www.example.com" }]

[unknown_section]
whatever = 1
"#;

    fn with_routes(routes: &str) -> String {
        format!(
            "[awscontainer.handlers.wsgi]\napigateway = {{}}\n[awscontainer.handlers.noapi]\ncommand = \"x\"\n\
             [awscontainer.secrets.managed]\nS = {{ type = \"spa_token_secret\" }}\nK = {{ type = \"cloudfront_signing_key\" }}\n\
             [cloudfront.d]\nroutes = {routes}\n"
        )
    }

    fn rules_of(text: &str) -> Vec<String> {
        match PocketConfig::from_toml_str(text, None) {
            Err(ConfigError::Constraints(v)) => v.into_iter().map(|c| c.rule).collect(),
            other => panic!("expected constraint errors, got {other:?}"),
        }
    }

    #[test]
    fn parses_common_config_and_ignores_unknown_sections() {
        let c = PocketConfig::from_toml_str(BASE, None).unwrap();
        assert_eq!(c.distributions.len(), 2);
        let web = c.distribution("web").unwrap();
        assert_eq!(web.domain, None);
        assert!(web.redirect_from.is_empty());
        assert_eq!(web.routes.len(), 3);
        assert!(web.routes[0].require_token);
        assert_eq!(web.routes[0].login_path, DEFAULT_LOGIN_PATH);
        assert_eq!(web.routes[2].route_type, RouteType::Api);
        assert_eq!(web.origin_path, DEFAULT_ORIGIN_PATH);
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    }

    #[test]
    fn stage_merges_over_common_and_keeps_routes() {
        let c = PocketConfig::from_toml_str(BASE, Some("prd")).unwrap();
        let web = c.distribution("web").unwrap();
        assert_eq!(web.domain.as_deref(), Some("example.com"));
        assert_eq!(web.redirect_from, ["www.example.com"]);
        assert_eq!(web.routes.len(), 3);
        assert_eq!(web.token_secret.as_deref(), Some("SPA_TOKEN_SECRET"));
        let dev = PocketConfig::from_toml_str(BASE, Some("dev")).unwrap();
        assert_eq!(dev.distribution("web").unwrap().domain, None);
        assert_eq!(dev.stage.as_deref(), Some("dev"));
    }

    #[test]
    fn stage_lists_replace_and_stage_only_distributions_appear() {
        let text = format!(
            "{BASE}\n[dev.cloudfront.web]\nbasic_auth = true\nroutes = [{{ is_default = true, is_spa = true }}]\n\
             [dev.cloudfront.extra]\nroutes = [{{ is_default = true }}]\n"
        );
        let c = PocketConfig::from_toml_str(&text, Some("dev")).unwrap();
        let web = c.distribution("web").unwrap();
        assert_eq!(web.routes.len(), 1);
        assert!(web.basic_auth);
        assert!(c.distribution("extra").is_some());
        let common = PocketConfig::from_toml_str(&text, None).unwrap();
        assert!(common.distribution("extra").is_none());
        assert!(!common.distribution("web").unwrap().basic_auth);
    }

    #[test]
    fn unknown_stage_is_rejected_with_the_list() {
        let e = PocketConfig::from_toml_str(BASE, Some("stg")).unwrap_err();
        assert_eq!(e.kind(), "unknown-stage");
        assert!(e.to_string().contains("dev, prd"), "{e}");
    }

    #[test]
    fn syntax_and_schema_errors_name_the_file_and_place() {
        let e = PocketConfig::from_toml_str_named("x/pocket.toml", "[cloudfront.web\n", None)
            .unwrap_err();
        assert_eq!(e.kind(), "toml");
        assert!(e.to_string().starts_with("x/pocket.toml: "), "{e}");
        let e = PocketConfig::from_toml_str(&with_routes("[{ is_default = \"yes\" }]"), None)
            .unwrap_err();
        match &e {
            ConfigError::Schema { path, .. } => assert_eq!(path, "cloudfront.d.routes[0]"),
            other => panic!("{other:?}"),
        }
        let e = PocketConfig::from_toml_str("[cloudfront.d]\nroutes = 3\n", None).unwrap_err();
        assert_eq!(e.kind(), "schema");
    }

    #[test]
    fn each_reference_constraint_has_its_own_violation() {
        use rules::*;
        let cases: &[(&str, &[&str])] = &[
            ("[]", &[ROUTES_MISSING]),
            ("[{ path_pattern = \"/a/*\" }]", &[DEFAULT_ROUTE_COUNT]),
            ("[{ is_default = true }, { is_default = true }]", &[DEFAULT_ROUTE_COUNT]),
            ("[{ is_default = true, path_pattern = \"/x/*\" }]", &[DEFAULT_ROUTE_PATH_PATTERN]),
            ("[{ is_default = true, is_spa = true, is_versioned = true }]", &[SPA_AND_VERSIONED]),
            ("[{ is_default = true }, { path_pattern = \"a/*\" }]", &[PATH_PATTERN_SLASH]),
            ("[{ is_default = true }, { path_pattern = \"/a b\\n/*\" }]", &[PATH_PATTERN_CHARS]),
            ("[{ is_default = true }, { is_spa = true }]", &[PATH_PATTERN_EMPTY]),
            ("[{ is_default = true, signed = true }]", &[SIGNED_NEEDS_SIGNING_KEY]),
            (
                "[{ is_default = true }, { path_pattern = \"/api/*\", type = \"api\", handler = \"wsgi\", is_spa = true, signed = true, build = \"b\", build_dir = \"d\" }]",
                &[SIGNED_NEEDS_SIGNING_KEY, API_ROUTE_FIELD, API_ROUTE_FIELD, API_ROUTE_FIELD, API_ROUTE_FIELD],
            ),
            ("[{ is_default = true, type = \"api\", handler = \"wsgi\" }]", &[API_ROUTE_FIELD]),
            ("[{ is_default = true }, { path_pattern = \"/api/*\", type = \"api\" }]", &[API_ROUTE_HANDLER_MISSING]),
            ("[{ is_default = true }, { path_pattern = \"/api/*\", type = \"api\", handler = \"nope\" }]", &[HANDLER_UNDEFINED]),
            ("[{ is_default = true }, { path_pattern = \"/api/*\", type = \"api\", handler = \"noapi\" }]", &[HANDLER_NO_APIGATEWAY]),
            ("[{ is_default = true, build = \"npm run build\" }]", &[BUILD_NEEDS_BUILD_DIR]),
            ("[{ is_default = true, require_token = true }]", &[REQUIRE_TOKEN_NEEDS_SPA, REQUIRE_TOKEN_NEEDS_TOKEN_SECRET]),
            ("[{ is_default = true, type = \"ftp\" }]", &[ROUTE_TYPE_UNKNOWN]),
            ("[{ is_default = true, is_spa = true, login_path = \"//evil.example/x\" }]", &[LOGIN_PATH_INVALID]),
            ("[{ is_default = true, is_spa = true, login_path = \"/login?x=1\" }]", &[LOGIN_PATH_INVALID]),
            ("[{ is_default = true, is_spa = true, spa_fallback_html = \"../x.html\" }]", &[SPA_FALLBACK_HTML_INVALID]),
            ("[{ is_default = true }, { path_pattern = \"/a/*\" }, { path_pattern = \"/a/*\" }]", &[PATH_PATTERN_DUPLICATE]),
        ];
        for (routes, want) in cases {
            let got = rules_of(&with_routes(routes));
            assert_eq!(&got, want, "routes = {routes}");
        }
    }

    #[test]
    fn violation_message_names_file_distribution_route_and_fix() {
        let e = PocketConfig::from_toml_str_named(
            "site/pocket.toml",
            &with_routes(
                "[{ is_default = true }, { path_pattern = \"/app/*\", require_token = true }]",
            ),
            None,
        )
        .unwrap_err();
        let text = e.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(
            lines[0],
            "site/pocket.toml: [cloudfront.d] routes[1] \"/app/*\": require_token = true needs is_spa = true on the same route [require-token-needs-spa]"
        );
        assert!(lines[1].contains("add token_secret = \"NAME\""), "{text}");
        assert_eq!(
            e.rules(),
            [
                rules::REQUIRE_TOKEN_NEEDS_SPA,
                rules::REQUIRE_TOKEN_NEEDS_TOKEN_SECRET
            ]
        );
    }

    #[test]
    fn distribution_level_rules() {
        use rules::*;
        let t = "[cloudfront.d]\ntoken_secret = \"NOPE\"\nsigning_key = \"NOPE2\"\nredirect_from = [{ domain = \"www.example.com\" }]\nroutes = [{ is_default = true }]\n";
        assert_eq!(
            rules_of(t),
            [
                REDIRECT_FROM_NEEDS_DOMAIN,
                TOKEN_SECRET_UNDEFINED,
                SIGNING_KEY_UNDEFINED
            ]
        );
        let t =
            "[cloudfront.d]\ndomain = \"https://example.com/\"\nroutes = [{ is_default = true }]\n";
        assert_eq!(rules_of(t), [DOMAIN_INVALID]);
        let t = "[awscontainer.secrets.managed]\nS = { type = \"password\" }\n[cloudfront.d]\ntoken_secret = \"S\"\nroutes = [{ is_default = true }]\n";
        assert_eq!(rules_of(t), [TOKEN_SECRET_UNDEFINED]);
    }

    #[test]
    fn newer_upstream_spellings_are_accepted() {
        let t = r#"
[container.main.handlers.wsgi]
command = "x"
apigateway = {}
[container.main.secrets.managed]
S = { type = "spa_token_secret" }
[cloudfront.web]
token_secret = "S"
routes = [
    { is_default = true, is_spa = true, require_token = true, build = { dir = "dist", cmd = "npm run build" } },
    { path_pattern = "/static/*", versioning = "content_hash" },
    { path_pattern = "/api/*", type = "lambda", handler = "main.wsgi" },
]
[cloudfront.api]
routes = [{ is_default = true, type = "lambda", handler = "main.wsgi" }]
"#;
        let c = PocketConfig::from_toml_str(t, None).unwrap();
        let web = c.distribution("web").unwrap();
        assert_eq!(web.routes[0].build_dir.as_deref(), Some("dist"));
        assert_eq!(web.routes[0].build.as_deref(), Some("npm run build"));
        assert!(web.routes[1].is_versioned);
        assert_eq!(web.routes[2].route_type, RouteType::Lambda);
        assert!(c.distribution("api").unwrap().routes[0].is_default);
    }

    #[test]
    fn warnings_for_unknown_keys_and_double_prefix() {
        let t = with_routes(
            "[{ is_default = true, is_spa = true, require_tokn = true }, { path_pattern = \"/static/*\", origin_path = \"/static\" }]",
        );
        let c = PocketConfig::from_toml_str(&t, None).unwrap();
        assert_eq!(c.warnings.len(), 2, "{:?}", c.warnings);
        assert!(c.warnings[0].contains("unknown key \"require_tokn\""));
        assert!(c.warnings[1].contains("double prefix"));
    }

    #[test]
    fn fallback_uri_rule() {
        let c = PocketConfig::from_toml_str(
            &with_routes(
                "[{ is_default = true, is_spa = true }, { path_pattern = \"/*\", is_spa = true }, { path_pattern = \"/admin/*\", is_spa = true }, { path_pattern = \"/admin*\", is_spa = true, spa_fallback_html = \"app.html\" }]",
            ),
            None,
        )
        .unwrap();
        let r = &c.distribution("d").unwrap().routes;
        let got: Vec<String> = r.iter().map(Route::fallback_uri).collect();
        assert_eq!(
            got,
            [
                "/index.html",
                "/index.html",
                "/admin/index.html",
                "/admin/app.html"
            ]
        );
    }

    #[test]
    fn login_paths_that_would_loop_are_rejected() {
        let t = with_routes(
            "[{ is_default = true, is_spa = true, require_token = true, login_path = \"/admin/login\" }, { path_pattern = \"/admin/*\", is_spa = true, require_token = true, login_path = \"/signin\" }]",
        )
        .replace("[cloudfront.d]\n", "[cloudfront.d]\ntoken_secret = \"S\"\n");
        assert_eq!(
            rules_of(&t),
            [rules::LOGIN_PATH_GATED, rules::LOGIN_PATH_GATED]
        );
        // Same login_path on both: the serving gate exempts it.
        let ok = t.replace("\"/signin\"", "\"/admin/login\"");
        assert!(PocketConfig::from_toml_str(&ok, None).is_ok());
        // Login on an ungated route is fine.
        let ok = with_routes(
            "[{ is_default = true, is_spa = true, require_token = true, login_path = \"/pub/login\" }, { path_pattern = \"/pub/*\", is_spa = true }]",
        )
        .replace("[cloudfront.d]\n", "[cloudfront.d]\ntoken_secret = \"S\"\n");
        assert!(PocketConfig::from_toml_str(&ok, None).is_ok());
    }

    #[test]
    fn glob_matches_like_cloudfront() {
        assert!(glob_match(b"api/*", b"api/x/y"));
        assert!(!glob_match(b"api/*", b"api"));
        assert!(glob_match(b"docs*", b"docs.pdf"));
        assert!(glob_match(b"*.jpg", b"a/b.jpg"));
        assert!(glob_match(b"a?c", b"abc"));
        assert!(!glob_match(b"a?c", b"ac"));
        assert!(glob_match(b"*a*b*", b"xxaxxbxx"));
        assert!(!glob_match(b"*a*b", b"xxaxxbxx"));
        assert!(glob_match(b"", b""));
    }

    #[test]
    fn domain_and_path_checks() {
        assert!(valid_domain("www.example.com"));
        assert!(!valid_domain("example.com:443"));
        assert!(!valid_domain("-a.com"));
        assert!(!valid_domain("a..com"));
        assert!(valid_login_path("/api/auth/login"));
        assert!(!valid_login_path("/\\evil"));
        assert!(!valid_login_path("api/login"));
        assert!(!valid_login_path("/a b"));
        assert!(valid_fallback("app/index.html"));
        assert!(!valid_fallback("a//b.html"));
    }
}
