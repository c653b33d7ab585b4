//! `pocket-sign cf-function`: CloudFront Functions (viewer-request) from `pocket.toml`.
//!
//! Output: `--format js` prints the JavaScript (several functions are separated by a
//! `// ===== pocket-sign function NAME behavior PATTERN kvs_keys K =====` line, K the
//! comma-separated keys, optional ones suffixed with `?`);
//! `--format json` prints a JSON array of `{name, runtime, behavior, code, kvs_keys,
//! optional_kvs_keys}` (`optional_kvs_keys` ⊆ `kvs_keys`: keys that may be absent from the
//! KeyValueStore, such as `token_secret_previous`).
//! With `--out DIR` each function is written to `DIR/NAME.js` (or `DIR/NAME.json`) and the
//! paths are printed. Configuration warnings go to stderr. Exit 2 on any configuration error.
use std::fs;
use std::path::PathBuf;

use pocket_sign_core::codegen::{self, GeneratedFunction, PocketConfig};

use crate::error::{CliError, CliResult};

/// Output format of `cf-function`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// JavaScript source.
    Js,
    /// JSON: name, runtime, behavior, code, kvs_keys, optional_kvs_keys.
    Json,
}

/// Arguments of `pocket-sign cf-function`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Path of pocket.toml.
    #[arg(long, default_value = "pocket.toml")]
    pub config: PathBuf,
    /// Distribution name (NAME of [cloudfront.NAME]).
    #[arg(long)]
    pub distribution: String,
    /// Stage whose [STAGE.cloudfront.NAME] overrides are merged in.
    #[arg(long)]
    pub stage: Option<String>,
    /// Only this cache behavior: `default` or an exact path_pattern such as `/api/*`.
    #[arg(long)]
    pub route: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Js)]
    pub format: Format,
    /// Write one file per function into this directory instead of printing.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

fn to_json(f: &GeneratedFunction) -> serde_json::Value {
    serde_json::to_value(f).unwrap_or(serde_json::Value::Null)
}

/// Runs the command.
pub fn run(args: Args) -> CliResult {
    let file = args.config.display().to_string();
    let text = fs::read_to_string(&args.config)
        .map_err(|e| CliError::input(format!("cannot read {file}: {e}")))?;
    let config = PocketConfig::from_toml_str_named(&file, &text, args.stage.as_deref())
        .map_err(|e| CliError::input(e.to_string()))?;
    for w in &config.warnings {
        eprintln!("pocket-sign: warning: {w}");
    }
    let functions = codegen::generate(&config, &args.distribution, args.route.as_deref())
        .map_err(|e| CliError::input(e.to_string()))?;
    if functions.is_empty() {
        eprintln!(
            "pocket-sign: distribution \"{}\" needs no viewer-request function{}",
            args.distribution,
            args.route
                .as_deref()
                .map(|r| format!(" for route {r}"))
                .unwrap_or_default()
        );
    }
    if let Some(dir) = &args.out {
        fs::create_dir_all(dir)
            .map_err(|e| CliError::input(format!("cannot create {}: {e}", dir.display())))?;
        for f in &functions {
            let (path, body) = match args.format {
                Format::Js => (dir.join(format!("{}.js", f.name)), f.code.clone()),
                Format::Json => (
                    dir.join(format!("{}.json", f.name)),
                    format!("{:#}\n", to_json(f)),
                ),
            };
            fs::write(&path, body)
                .map_err(|e| CliError::input(format!("cannot write {}: {e}", path.display())))?;
            super::out::line(&format!("{}", path.display()))?;
        }
        return Ok(());
    }
    match args.format {
        Format::Json => {
            let all: Vec<serde_json::Value> = functions.iter().map(to_json).collect();
            super::out::line(&format!("{:#}", serde_json::Value::Array(all)))?;
        }
        Format::Js => {
            let many = functions.len() > 1;
            for f in &functions {
                if many {
                    super::out::line(&format!(
                        "// ===== pocket-sign function {} behavior {} kvs_keys {} =====",
                        f.name,
                        f.behavior,
                        if f.kvs_keys.is_empty() {
                            "-".to_owned()
                        } else {
                            f.kvs_keys
                                .iter()
                                .map(|k| {
                                    if f.optional_kvs_keys.contains(k) {
                                        format!("{k}?")
                                    } else {
                                        k.clone()
                                    }
                                })
                                .collect::<Vec<_>>()
                                .join(",")
                        }
                    ))?;
                }
                super::out::text(&f.code)?;
            }
        }
    }
    Ok(())
}
