//! CloudFront Function (viewer-request) code generation from `pocket.toml`.
//!
//! ```
//! use pocket_sign_core::codegen::{self, config::PocketConfig};
//!
//! let toml = r#"
//! [awscontainer.secrets.managed]
//! SPA_TOKEN_SECRET = { type = "spa_token_secret" }
//! [cloudfront.web]
//! token_secret = "SPA_TOKEN_SECRET"
//! routes = [{ is_default = true, is_spa = true, require_token = true }]
//! "#;
//! let config = PocketConfig::from_toml_str(toml, None)?;
//! let functions = codegen::generate(&config, "web", None)?;
//! assert_eq!(functions.len(), 1);
//! assert_eq!(functions[0].runtime, "cloudfront-js-2.0");
//! assert_eq!(functions[0].kvs_keys, ["token_secret", "token_secret_previous"]);
//! assert_eq!(functions[0].optional_kvs_keys, ["token_secret_previous"]);
//! assert!(functions[0].code.starts_with("import crypto from 'crypto';"));
//! # Ok::<(), Box<dyn core::error::Error>>(())
//! ```
//!
//! - [`config`]: the `[cloudfront.NAME]` schema of magic-pocket's `pocket.toml` reference, stage
//!   merge, constraints.
//! - [`generate`]: one function per cache behavior that needs one ([`functions`] lists the
//!   preludes), each at most 10 KB, as [`GeneratedFunction`].
//!
//! The token gate verifies magic-pocket's SPA token `{user_id}:{expiry}:{hmac_sha256_hex}` from
//! cookie `pocket-spa-token` with the key = the hex-decoded bytes of KVS value `token_secret`
//! (or, during a secret rotation, of the optional `token_secret_previous`: read only after
//! `kvs.exists` says it is there, both HMACs always computed and compared), like `pocket.django.spa_auth` and [`crate::spa_token`]. Compared with upstream it: compares the
//! signature over its full length (XOR accumulate, length checked first); requires exactly three
//! parts, a non-empty user id, an all-digit expiry and a 64-char lowercase hex signature; fails
//! closed when the KVS read fails or the secret is not 64 hex chars; keeps the query string in
//! `next`, URL-encodes it and always makes it a same-site path (leading `/`, `\`, `%2F`, `%5C`
//! runs collapse to one `/`, control characters dropped); and never gates `login_path` itself.
//!
//! Encoded separators cannot route around the gate: CloudFront matches path patterns on the URI
//! as sent (`%2F` is not a `/`), while S3 decodes the key, so with a default ungated route and a
//! gated `/admin/*` over the same origin path `GET /admin%2Fapp.js` would be served by the
//! default behavior from the gated key `admin/app.js`. Every ungated S3 behavior whose keys can
//! overlap a gated route's ([`functions::needs_path_guard`]) therefore gets a *path guard*
//! (even a behavior that needed no function before): 403 (`cache-control: no-store`) for URIs
//! containing `%2F`, `%2f`, `%5C`, `%5c`, a raw `\`, or a `..` segment (also `%2E%2E`, any
//! mix). The function sees the URI as the viewer sent it (not decoded). The guard adds about
//! 300 bytes; layouts without a gated route, and gated routes themselves, are unchanged.

pub mod config;
pub mod error;
pub mod functions;
pub mod js;

use alloc::string::String;
use alloc::vec::Vec;

pub use config::PocketConfig;
pub use error::{CodegenError, ConfigError, ConstraintViolation};
pub use functions::{GeneratedFunction, MAX_FUNCTION_SIZE, RUNTIME};

/// Generates the viewer-request functions of `distribution`: every route that needs one, in
/// route order, or only the route selected by `route` (`"default"` or an exact `path_pattern`).
/// Routes that need no function (e.g. a plain versioned-asset route) produce nothing, so the
/// result may be empty.
///
/// Errors: [`CodegenError::UnknownDistribution`], [`CodegenError::UnknownRoute`],
/// [`CodegenError::TooLarge`] (over [`MAX_FUNCTION_SIZE`] bytes).
pub fn generate(
    config: &PocketConfig,
    distribution: &str,
    route: Option<&str>,
) -> Result<Vec<GeneratedFunction>, CodegenError> {
    let dist = config.distribution(distribution).ok_or_else(|| {
        let names: Vec<&str> = config.distributions.keys().map(String::as_str).collect();
        CodegenError::UnknownDistribution {
            distribution: String::from(distribution),
            available: if names.is_empty() {
                String::from("none")
            } else {
                names.join(", ")
            },
        }
    })?;
    let selected: Vec<&config::Route> = match route {
        None => dist.routes.iter().collect(),
        Some(sel) => {
            let found: Vec<&config::Route> =
                dist.routes.iter().filter(|r| r.behavior() == sel).collect();
            if found.is_empty() {
                let names: Vec<&str> = dist.routes.iter().map(config::Route::behavior).collect();
                return Err(CodegenError::UnknownRoute {
                    distribution: String::from(distribution),
                    route: String::from(sel),
                    available: names.join(", "),
                });
            }
            found
        }
    };
    // Names are made unique over the whole distribution, so a selected route gets the same
    // name as in the full output.
    let mut taken = Vec::new();
    let mut out = Vec::new();
    for r in &dist.routes {
        let f = functions::for_route(config, dist, r, &mut taken)?;
        if let Some(f) = f {
            if selected.iter().any(|s| s.index == r.index) {
                out.push(f);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::ToString;

    const WEB: &str = r#"
[general]
project_name = "shop"
stages = ["dev", "prd"]
[awscontainer.handlers.wsgi]
apigateway = {}
[awscontainer.secrets.managed]
SPA_TOKEN_SECRET = { type = "spa_token_secret" }
[cloudfront.web]
token_secret = "SPA_TOKEN_SECRET"
routes = [
    { is_default = true, is_spa = true, require_token = true },
    { path_pattern = "/static/*", is_versioned = true },
    { path_pattern = "/admin/*", is_spa = true, require_token = true, login_path = "/admin/login" },
    { path_pattern = "/api/*", type = "api", handler = "wsgi" },
]
[prd.cloudfront.web]
domain = "example.com"
redirect_from = [{ domain = "www.example.com" }]
[dev.cloudfront.web]
basic_auth = true
"#;

    fn gen(stage: Option<&str>, route: Option<&str>) -> Vec<GeneratedFunction> {
        let c = PocketConfig::from_toml_str(WEB, stage).unwrap();
        generate(&c, "web", route).unwrap()
    }

    const FORBIDDEN: &[&str] = &[
        "require(",
        "process.",
        "setTimeout",
        "setInterval",
        "eval(",
        "new Function",
        "timingSafeEqual",
        "async (",
        "async(",
        "=>",
        "console.",
        "class ",
        "export ",
    ];

    fn assert_runtime_safe(f: &GeneratedFunction) {
        for bad in FORBIDDEN {
            assert!(!f.code.contains(bad), "{} contains {bad:?}", f.name);
        }
        assert!(f.code.len() <= MAX_FUNCTION_SIZE);
        assert_eq!(f.runtime, "cloudfront-js-2.0");
        // Imports only on the first lines, only the two CloudFront modules.
        for line in f.code.lines() {
            if line.starts_with("import ") {
                assert!(
                    line == "import crypto from 'crypto';"
                        || line == "import cf from 'cloudfront';",
                    "{line}"
                );
            }
        }
        assert!(f.code.contains("function handler(event) {"));
        // await only directly in the async handler.
        if f.code.contains("await ") {
            assert!(f.code.contains("async function handler(event)"));
            let before_handler = &f.code[..f.code.find("async function handler").unwrap()];
            assert!(!before_handler.contains("await "));
        }
    }

    #[test]
    fn one_function_per_behavior_that_needs_one() {
        let fs = gen(None, None);
        let behaviors: Vec<&str> = fs.iter().map(|f| f.behavior.as_str()).collect();
        assert_eq!(behaviors, ["default", "/admin/*", "/api/*"]);
        let names: Vec<&str> = fs.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            ["shop-web-default", "shop-web-admin", "shop-web-api"]
        );
        for f in &fs {
            assert_runtime_safe(f);
        }
        assert_eq!(fs[0].kvs_keys, ["token_secret", "token_secret_previous"]);
        assert_eq!(fs[0].optional_kvs_keys, ["token_secret_previous"]);
        assert!(fs[2].kvs_keys.is_empty() && fs[2].optional_kvs_keys.is_empty());
    }

    #[test]
    fn token_gate_properties() {
        let f = &gen(None, Some("default"))[0];
        let c = &f.code;
        assert!(c.starts_with("import crypto from 'crypto';\nimport cf from 'cloudfront';\n"));
        assert!(c.contains("async function handler(event)"));
        assert!(c.contains("await kvs.get('token_secret')"));
        assert!(
            c.contains("catch (e) { s = ''; }"),
            "KVS failure must fail closed"
        );
        assert!(
            c.contains("Buffer.from(s, 'hex')"),
            "key is the hex-decoded secret"
        );
        assert!(c.contains("var m = p[0] + ':' + p[1]"));
        assert!(c.contains("createHmac('sha256', keys[i]).update(m).digest('hex')"));
        // Rotation: the previous secret is optional and read without an exception path.
        assert!(c.contains("if (await kvs.exists('token_secret_previous')) sp = await kvs.get('token_secret_previous');"));
        assert!(c.contains("gate(r, s, sp, "));
        // Both keys are always tried: no early return inside the key loop.
        assert!(c.contains("ok |= eq("));
        assert!(
            c.contains("d |= a.charCodeAt(i) ^ b.charCodeAt(i)"),
            "full-length comparison"
        );
        assert!(c.contains("a.length !== b.length"));
        assert!(c.contains("p.length !== 3"));
        assert!(c.contains("/^[0-9]{1,15}$/.test(p[1])"));
        assert!(c.contains("const LOGIN = \"/api/auth/login\";"));
        assert!(c.contains("const FALLBACK = \"/index.html\";"));
        assert!(c.contains("statusCode: 302"));
        assert!(c.contains("if (!isLogin(r.uri))"));
        // SPA fallback runs after the gate, so `next` is built from the original URI.
        assert!(c.find("toLogin(r)").unwrap() < c.rfind("spa(r);").unwrap());
    }

    #[test]
    fn nested_route_uses_its_own_login_and_fallback() {
        let f = &gen(None, Some("/admin/*"))[0];
        assert!(f.code.contains("const LOGIN = \"/admin/login\";"));
        assert!(f.code.contains("const FALLBACK = \"/admin/index.html\";"));
        assert_eq!(f.name, "shop-web-admin");
    }

    #[test]
    fn api_route_sets_headers_without_kvs() {
        let f = &gen(None, Some("/api/*"))[0];
        assert!(f
            .code
            .contains("h['x-forwarded-host'] = { value: h.host.value }"));
        assert!(f.code.contains("h['x-pocket-viewer-ip']"));
        assert!(!f.code.contains("import "));
        assert!(f.code.contains("\nfunction handler(event) {"));
    }

    #[test]
    fn stage_preludes_merge_into_the_same_function() {
        let prd = gen(Some("prd"), None);
        let behaviors: Vec<&str> = prd.iter().map(|f| f.behavior.as_str()).collect();
        assert_eq!(
            behaviors,
            ["default", "/static/*", "/admin/*", "/api/*"],
            "redirect on every behavior"
        );
        assert!(prd[1].kvs_keys.is_empty() && !prd[1].code.contains("import "));
        for f in &prd {
            assert!(
                f.code.contains("const DOMAIN = \"example.com\";"),
                "{}",
                f.name
            );
            assert!(f.code.contains("statusCode: 301"));
            assert!(f.name.starts_with("shop-prd-web-"));
            assert_runtime_safe(f);
        }
        let dev = gen(Some("dev"), None);
        let behaviors: Vec<&str> = dev.iter().map(|f| f.behavior.as_str()).collect();
        assert_eq!(behaviors, ["default", "/static/*", "/admin/*", "/api/*"]);
        assert_eq!(
            dev[0].kvs_keys,
            ["basic_auth", "token_secret", "token_secret_previous"]
        );
        assert_eq!(dev[1].kvs_keys, ["basic_auth"]);
        assert!(dev[1]
            .code
            .contains("WWW-Authenticate".to_ascii_lowercase().as_str()));
        assert!(dev[3].kvs_keys.is_empty(), "no basic auth on API routes");
        for f in &dev {
            assert_runtime_safe(f);
        }
    }

    #[test]
    fn unknown_distribution_and_route() {
        let c = PocketConfig::from_toml_str(WEB, None).unwrap();
        let e = generate(&c, "nope", None).unwrap_err();
        assert_eq!(e.kind(), "UnknownDistribution");
        assert!(e.to_string().contains("defined: web"));
        let e = generate(&c, "web", Some("/nope/*")).unwrap_err();
        assert_eq!(e.kind(), "UnknownRoute");
        assert!(
            e.to_string()
                .contains("default, /static/*, /admin/*, /api/*"),
            "{e}"
        );
        assert!(generate(&c, "web", Some("/static/*")).unwrap().is_empty());
    }

    #[test]
    fn size_limit_is_a_clear_error() {
        let big = "x".repeat(MAX_FUNCTION_SIZE + 1);
        let e = functions::check_size("f", &big).unwrap_err();
        assert_eq!(
            e,
            CodegenError::TooLarge {
                name: "f".into(),
                size: MAX_FUNCTION_SIZE + 1,
                limit: 10240
            }
        );
        assert!(e
            .to_string()
            .contains("over CloudFront's limit of 10240 bytes"));
        assert!(functions::check_size("f", &big[1..]).is_ok());
        // The largest function we can generate stays far below the limit.
        let all = gen(Some("dev"), Some("default"));
        assert!(
            all[0].code.len() < MAX_FUNCTION_SIZE / 2,
            "{}",
            all[0].code.len()
        );
    }

    fn fixture(file: &str) -> &'static str {
        macro_rules! fixtures {
            ($($name:literal),* $(,)?) => {
                match file {
                    $($name => include_str!(concat!("../../../tests/fixtures/pocket-toml/", $name)),)*
                    other => panic!("fixture {other} is not listed in the test"),
                }
            };
        }
        fixtures!(
            "best-practice.toml",
            "spa-token-fragment.toml",
            "upstream-cloudfront_api_default.toml",
            "upstream-cloudfront_api_route.toml",
            "upstream-cloudfront_s3_route_double_prefix.toml",
            "upstream-cloudfront_s3_route_no_origin_path.toml",
            "upstream-cloudfront_signing_key.toml",
            "upstream-cloudfront_spa_build.toml",
            "upstream-cloudfront_spa_token.toml",
        )
    }

    /// tests/vectors/codegen/fixtures.json, shared with the JS harness.
    #[test]
    fn fixture_vectors() {
        use serde_json::Value;
        let v: Value =
            serde_json::from_str(include_str!("../../../tests/vectors/codegen/fixtures.json"))
                .unwrap();
        let cases = v["cases"].as_array().unwrap();
        assert!(cases.len() >= 9);
        for c in cases {
            let file = c["file"].as_str().unwrap();
            let dist = c["distribution"].as_str().unwrap();
            let stage = c["stage"].as_str();
            let label = format!("{file} {dist} {stage:?}");
            let parsed = PocketConfig::from_toml_str_named(file, fixture(file), stage);
            if let Some(err) = c.get("error") {
                let e = parsed.expect_err(&label);
                assert_eq!(e.rules(), [err["rule"].as_str().unwrap()], "{label}");
                let msg = format!("{file}: {}", err["message"].as_str().unwrap());
                assert_eq!(e.to_string(), msg, "{label}");
                continue;
            }
            let config = parsed.expect(&label);
            match c["warning"].as_str() {
                Some(w) => {
                    assert_eq!(config.warnings.len(), 1, "{label}");
                    assert!(
                        config.warnings[0].contains(w),
                        "{label}: {:?}",
                        config.warnings
                    );
                }
                None => assert!(config.warnings.is_empty(), "{label}: {:?}", config.warnings),
            }
            let fs = generate(&config, dist, None).expect(&label);
            let want = c["functions"].as_array().unwrap();
            assert_eq!(fs.len(), want.len(), "{label}");
            for (f, w) in fs.iter().zip(want) {
                assert_eq!(f.behavior, w["behavior"].as_str().unwrap(), "{label}");
                assert_runtime_safe(f);
                let does: Vec<&str> = w["does"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d.as_str().unwrap())
                    .collect();
                let has = |prefix: &str| does.iter().find_map(|d| d.strip_prefix(prefix));
                let checks = [
                    ("spa:", "const FALLBACK = "),
                    ("gate:", "const LOGIN = "),
                    ("redirect:", "const DOMAIN = "),
                ];
                for (kind, decl) in checks {
                    match has(kind) {
                        Some(value) => assert!(
                            f.code.contains(&format!("{decl}{};", js::literal(value))),
                            "{label} {kind}{value}"
                        ),
                        None => assert!(!f.code.contains(decl), "{label}: unexpected {kind}"),
                    }
                }
                assert_eq!(
                    does.contains(&"api"),
                    f.code.contains("apiHeaders(r, event)"),
                    "{label}"
                );
                assert_eq!(
                    does.contains(&"guard"),
                    f.code.contains("if (!pathOk(r.uri)) return"),
                    "{label}: guard"
                );
                let gate = has("gate:").is_some();
                assert_eq!(
                    f.kvs_keys,
                    if gate {
                        alloc::vec!["token_secret", "token_secret_previous"]
                    } else {
                        Vec::<&str>::new()
                    }
                );
            }
        }
    }

    const SLASH: &str = r#"
[awscontainer.handlers.wsgi]
apigateway = {}
[awscontainer.secrets.managed]
S = { type = "spa_token_secret" }
[cloudfront.web]
token_secret = "S"
routes = [
    { is_default = true, is_spa = true },
    { path_pattern = "/static/*", is_versioned = true },
    { path_pattern = "/admin/*", is_spa = true, require_token = true },
    { path_pattern = "/api/*", type = "api", handler = "wsgi" },
]
[cloudfront.site]
token_secret = "S"
routes = [
    { is_default = true },
    { path_pattern = "/members/*", is_spa = true, require_token = true },
]
[cloudfront.apart]
token_secret = "S"
routes = [
    { is_default = true, is_spa = true, origin_path = "/public" },
    { path_pattern = "/admin/*", is_spa = true, require_token = true, origin_path = "/private" },
]
[cloudfront.open]
routes = [
    { is_default = true, is_spa = true },
    { path_pattern = "/admin/*", is_spa = true },
]
"#;

    fn guarded(dist: &str) -> Vec<(String, bool)> {
        let c = PocketConfig::from_toml_str(SLASH, None).unwrap();
        generate(&c, dist, None)
            .unwrap()
            .into_iter()
            .map(|f| {
                assert_runtime_safe(&f);
                (f.behavior, f.code.contains("if (!pathOk(r.uri)) return"))
            })
            .collect()
    }

    #[test]
    fn encoded_slash_guard_on_ungated_s3_routes_that_reach_a_gated_prefix() {
        // Default ungated SPA over the gated /admin/* keys: guarded; /static/* (keys
        // spa/static/...) cannot reach spa/admin/..., the gated and API routes need none.
        assert_eq!(
            guarded("web"),
            [
                (String::from("default"), true),
                (String::from("/admin/*"), false),
                (String::from("/api/*"), false)
            ]
        );
        // A plain S3 default route had no function at all; now it gets the guard alone,
        // synchronous and without KVS.
        let c = PocketConfig::from_toml_str(SLASH, None).unwrap();
        let fs = generate(&c, "site", None).unwrap();
        assert_eq!(fs[0].behavior, "default");
        assert!(fs[0].kvs_keys.is_empty());
        assert!(fs[0].code.contains("\nfunction handler(event) {"));
        assert!(!fs[0].code.contains("import "));
        assert!(fs[0].code.contains("statusCode: 403"));
        assert!(fs[0].code.len() < 1024, "{}", fs[0].code.len());
        // Disjoint origin paths, or no gated route at all: nothing changes.
        assert_eq!(
            guarded("apart"),
            [
                (String::from("default"), false),
                (String::from("/admin/*"), false)
            ]
        );
        assert_eq!(
            guarded("open"),
            [
                (String::from("default"), false),
                (String::from("/admin/*"), false)
            ]
        );
    }

    #[test]
    fn path_guard_rule_cases() {
        let t = |routes: &str| {
            let text = format!(
                "[awscontainer.secrets.managed]\nS = {{ type = \"spa_token_secret\" }}\n[cloudfront.d]\ntoken_secret = \"S\"\nroutes = {routes}\n"
            );
            let c = PocketConfig::from_toml_str(&text, None).unwrap();
            let d = c.distribution("d").unwrap().clone();
            d.routes
                .iter()
                .map(|r| functions::needs_path_guard(&d, r))
                .collect::<Vec<bool>>()
        };
        // Gated default over the same origin: a non-default route's decoded URIs stay its own.
        assert_eq!(
            t("[{ is_default = true, is_spa = true, require_token = true }, { path_pattern = \"/static/*\" }, { path_pattern = \"/docs*\", is_spa = true }]"),
            [false, false, false]
        );
        // ... but an ungated route *after* a gated nested one with the same prefix is guarded
        // (/static/private%2Fx matches /static/* only).
        assert_eq!(
            t("[{ is_default = true }, { path_pattern = \"/static/private/*\", is_spa = true, require_token = true }, { path_pattern = \"/static/*\" }]"),
            [true, false, true]
        );
        // Origin path of a route reaching into the gated default's origin path.
        assert_eq!(
            t("[{ is_default = true, is_spa = true, require_token = true, origin_path = \"/web/app\" }, { path_pattern = \"/static/*\", origin_path = \"/web\" }, { path_pattern = \"/*\", origin_path = \"/web/\" }]"),
            [false, false, true]
        );
    }

    #[test]
    fn names_are_valid_and_unique() {
        let t = format!(
            "[cloudfront.{}]\nroutes = [{{ is_default = true, is_spa = true }}, {{ path_pattern = \"/a.b/*\", is_spa = true }}, {{ path_pattern = \"/a-b/*\", is_spa = true }}, {{ path_pattern = \"/*\", is_spa = true }}]\n",
            "d".repeat(70)
        );
        let c = PocketConfig::from_toml_str(&t, None).unwrap();
        let fs = generate(&c, &"d".repeat(70), None).unwrap();
        let mut names: Vec<&str> = fs.iter().map(|f| f.name.as_str()).collect();
        for n in &names {
            assert!(n.len() <= 64 && !n.is_empty());
            assert!(
                n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "{n}"
            );
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 4);
    }

    #[test]
    fn enable_origin_verify_drops_client_secret_header_on_api_routes() {
        let on = WEB.replace(
            "[cloudfront.web]\n",
            "[cloudfront.web]\nenable_origin_verify = true\n",
        );
        let c = PocketConfig::from_toml_str(&on, None).unwrap();
        assert!(c.distribution("web").unwrap().enable_origin_verify);
        let fns = generate(&c, "web", None).unwrap();
        for f in &fns {
            let drops = f
                .code
                .contains("delete r.headers['x-pocket-origin-verify'];");
            assert_eq!(drops, f.behavior == "/api/*", "{}", f.behavior);
        }
        // Off (the default): the API function is unchanged.
        let off = gen(None, Some("/api/*"));
        assert!(!off[0].code.contains("x-pocket-origin-verify"));
        assert!(!c
            .warnings
            .iter()
            .any(|w| w.contains("enable_origin_verify")));
    }

    #[test]
    fn enable_origin_verify_needs_an_api_route() {
        let toml = "[cloudfront.web]\nenable_origin_verify = true\nroutes = [{ is_default = true, is_spa = true }]\n";
        match PocketConfig::from_toml_str(toml, None) {
            Err(ConfigError::Constraints(v)) => {
                assert!(v
                    .iter()
                    .any(|c| c.rule == config::rules::ORIGIN_VERIFY_NEEDS_API_ROUTE));
            }
            other => panic!("{other:?}"),
        }
    }
}
