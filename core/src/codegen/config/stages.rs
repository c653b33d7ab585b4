//! Stage overrides: the stages `[general] stages` declares, and the merge of `[STAGE.*]` over the
//! common tables (tables recursively, other values replaced).

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

use toml::{Table, Value};

use super::raw::lookup;
use crate::codegen::error::ConfigError;

/// Checks `stage` against `[general] stages` (when that list is set) and returns `root` with the
/// stage tables removed and, when `stage` is given, its table merged over the rest.
///
/// Errors: [`ConfigError::UnknownStage`] when `[general] stages` does not list `stage`.
pub(super) fn select_stage(
    file: &str,
    root: Table,
    stage: Option<&str>,
) -> Result<Table, ConfigError> {
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
    Ok(merge_stage(root, &stages, stage))
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
