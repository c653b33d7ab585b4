//! The reader: [`PocketConfig::from_toml_str`] parses the text, selects the stage, reads each
//! `[cloudfront.NAME]` table and its routes into the model (defaults applied, unknown keys
//! warned about) and runs the rule checks on them.

use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use toml::{Table, Value};

use super::model::{
    Distribution, PocketConfig, Route, RouteType, DEFAULT_LOGIN_PATH, DEFAULT_ORIGIN_PATH,
    DEFAULT_SPA_FALLBACK_HTML,
};
use super::raw::{
    handler, lookup, managed_secrets, RawBuild, RawDistribution, RawRoute, DIST_KEYS, ROUTE_KEYS,
};
use super::rules::Findings;
use super::stages::select_stage;
use crate::codegen::error::ConfigError;

/// The file name used in messages by [`PocketConfig::from_toml_str`].
pub const DEFAULT_FILE_NAME: &str = "pocket.toml";

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
        let merged = select_stage(file, root, stage)?;
        Reader {
            file,
            root: &merged,
            findings: Findings::new(file),
        }
        .read(stage)
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
    findings: Findings<'a>,
}

impl Reader<'_> {
    fn schema(&self, path: String, message: String) -> ConfigError {
        ConfigError::Schema {
            file: self.file.to_owned(),
            path,
            message: one_line(&message),
        }
    }

    fn read(mut self, stage: Option<&str>) -> Result<PocketConfig, ConfigError> {
        let project_name = lookup(self.root, &["general", "project_name"])
            .and_then(Value::as_str)
            .map(String::from);
        let secrets = managed_secrets(self.root);
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
        if !self.findings.violations.is_empty() {
            return Err(ConfigError::Constraints(self.findings.violations));
        }
        Ok(PocketConfig {
            file: self.file.to_owned(),
            stage: stage.map(String::from),
            project_name,
            distributions,
            warnings: self.findings.warnings,
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
                self.findings.warnings.push(format!(
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
        let redirect_from: Vec<String> = raw
            .redirect_from
            .into_iter()
            .map(|r| r.domain.to_ascii_lowercase())
            .collect();
        self.findings.check_distribution(
            name,
            &domain,
            &redirect_from,
            &raw.token_secret,
            &raw.signing_key,
            secrets,
        );

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
        let origin_path = raw
            .origin_path
            .unwrap_or_else(|| DEFAULT_ORIGIN_PATH.to_owned());
        let root = self.root;
        let mut routes = Vec::new();
        for (i, rv) in raw_routes.into_iter().enumerate() {
            let rpath = format!("{path}.routes[{i}]");
            if let Some(t) = rv.as_table() {
                for k in t.keys() {
                    if !ROUTE_KEYS.contains(&k.as_str()) {
                        self.findings.warnings.push(format!(
                            "{}: [cloudfront.{name}] routes[{i}]: unknown key \"{k}\" is ignored",
                            self.file
                        ));
                    }
                }
            }
            let rr: RawRoute = rv
                .try_into()
                .map_err(|e: toml::de::Error| self.schema(rpath.clone(), e.to_string()))?;
            let (route, unknown_type) = read_route(i, rr);
            self.findings.check_route(
                name,
                &route,
                unknown_type.as_deref(),
                &raw.signing_key,
                &raw.token_secret,
                |h| handler(root, h),
            );
            routes.push(route);
        }
        self.findings
            .check_routes(name, &routes, raw.enable_origin_verify);
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
}

/// Reads route number `index` into the model: the route type, `build` in either spelling,
/// `versioning` as `is_versioned`, and the `login_path` / `spa_fallback_html` defaults. The
/// second value is `type` when it names no route type (the route is then read as S3 and the
/// rules report it).
fn read_route(index: usize, raw: RawRoute) -> (Route, Option<String>) {
    let (route_type, unknown_type) = match raw.route_type.as_deref() {
        None | Some("s3") => (RouteType::S3, None),
        Some("api") => (RouteType::Api, None),
        Some("lambda") => (RouteType::Lambda, None),
        Some(other) => (RouteType::S3, Some(other.to_owned())),
    };
    let (build, build_dir) = match raw.build {
        None => (None, raw.build_dir),
        Some(RawBuild::Command(c)) => (Some(c), raw.build_dir),
        Some(RawBuild::Table { dir, cmd }) => (cmd.or(Some(String::new())), dir.or(raw.build_dir)),
    };
    let is_versioned = raw.is_versioned || raw.versioning.is_some();
    let login_path = raw
        .login_path
        .unwrap_or_else(|| DEFAULT_LOGIN_PATH.to_owned());
    let spa_fallback_html = raw
        .spa_fallback_html
        .unwrap_or_else(|| DEFAULT_SPA_FALLBACK_HTML.to_owned());
    let route = Route {
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
        origin_path: raw.origin_path,
    };
    (route, unknown_type)
}
