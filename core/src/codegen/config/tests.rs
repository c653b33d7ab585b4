//! End-to-end tests of reading `pocket.toml`: stage merge, schema errors, each constraint rule
//! and its message, warnings, and the route model built from the file.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::model::{PocketConfig, Route, RouteType, DEFAULT_LOGIN_PATH, DEFAULT_ORIGIN_PATH};
use super::rules;
use crate::codegen::error::ConfigError;

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
    assert_eq!(e.kind(), "UnknownStage");
    assert!(e.to_string().contains("dev, prd"), "{e}");
}

#[test]
fn syntax_and_schema_errors_name_the_file_and_place() {
    let e =
        PocketConfig::from_toml_str_named("x/pocket.toml", "[cloudfront.web\n", None).unwrap_err();
    assert_eq!(e.kind(), "Toml");
    assert!(e.to_string().starts_with("x/pocket.toml: "), "{e}");
    let e =
        PocketConfig::from_toml_str(&with_routes("[{ is_default = \"yes\" }]"), None).unwrap_err();
    match &e {
        ConfigError::Schema { path, .. } => assert_eq!(path, "cloudfront.d.routes[0]"),
        other => panic!("{other:?}"),
    }
    let e = PocketConfig::from_toml_str("[cloudfront.d]\nroutes = 3\n", None).unwrap_err();
    assert_eq!(e.kind(), "Schema");
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
    let t = "[cloudfront.d]\ndomain = \"https://example.com/\"\nroutes = [{ is_default = true }]\n";
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
