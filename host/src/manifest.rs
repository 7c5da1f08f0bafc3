//! Reading and validating `spin.toml` (manifest version 2).
//!
//! Only the keys this project relies on are given meaning; keys Spin knows but
//! the local host cannot honour are refused with a message rather than silently
//! ignored, so the app never behaves differently here than under `spin up`.
//! The rules (id syntax, variable names, templates) follow Spin's own
//! `spin-manifest` / `spin-expressions` crates.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail, ensure};
use serde::Deserialize;

use crate::router::RouteSpec;
use crate::variables::{Template, validate_variable_name};

/// A validated application, with paths resolved against the manifest's folder.
#[derive(Debug, Clone)]
pub struct App {
    pub manifest_dir: PathBuf,
    pub name: String,
    pub version: String,
    pub description: String,
    /// Application variables (`[variables]`), by name.
    pub variables: BTreeMap<String, AppVariable>,
    /// Components in manifest order.
    pub components: Vec<Component>,
    /// HTTP triggers in manifest order (private routes already dropped).
    pub triggers: Vec<HttpTrigger>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppVariable {
    pub default: Option<String>,
    pub required: bool,
    pub secret: bool,
}

#[derive(Debug, Clone)]
pub struct Component {
    pub id: String,
    /// Absolute path of the component's .wasm file (checked to exist).
    pub source: PathBuf,
    pub files: Vec<FileMount>,
    pub sqlite_databases: Vec<String>,
    pub key_value_stores: Vec<String>,
    /// Component variables: name → template (checked against app variables).
    pub variables: BTreeMap<String, Template>,
    /// WASI environment variables (`environment = { ... }`), as Spin sets them.
    pub environment: BTreeMap<String, String>,
    /// `wasi:http` requests the component may make (templates, filled in at start-up).
    pub allowed_outbound_hosts: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileMount {
    /// A path or glob relative to the manifest folder; matches keep their
    /// relative path inside the guest's `/`.
    Pattern(String),
    /// A host directory (absolute path) mounted at `destination` in the guest.
    Placement {
        source: PathBuf,
        destination: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpTrigger {
    /// The route as written in the manifest.
    pub route: String,
    pub component: String,
}

/// Reads, parses and validates the manifest at `path`.
pub fn load(path: &Path) -> Result<App> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read manifest {}", path.display()))?;
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    parse(&text, &dir).with_context(|| format!("invalid manifest {}", path.display()))
}

/// Parses and validates manifest text; relative paths resolve against `manifest_dir`.
pub fn parse(text: &str, manifest_dir: &Path) -> Result<App> {
    // Parse loosely first so a wrong version gets a version error, not a
    // confusing "missing field" one (Spin does the same).
    let doc: toml::Table = toml::from_str(text)
        .map_err(|e| anyhow!("TOML syntax error: {}", e.to_string().trim_end()))?;
    match doc.get("spin_manifest_version") {
        Some(toml::Value::Integer(2)) => {}
        Some(v) => bail!(
            "unsupported spin_manifest_version {v}: this host supports only spin_manifest_version = 2"
        ),
        None if doc.contains_key("spin_version") => {
            bail!(
                "manifest version 1 (`spin_version`) is not supported: use spin_manifest_version = 2"
            )
        }
        None => bail!("missing `spin_manifest_version = 2`"),
    }
    let raw: RawManifest =
        toml::from_str(text).map_err(|e| anyhow!("{}", e.to_string().trim_end()))?;
    validate(raw, manifest_dir)
}

fn validate(raw: RawManifest, dir: &Path) -> Result<App> {
    let mut variables = BTreeMap::new();
    for (name, v) in raw.variables {
        validate_variable_name(&name)
            .map_err(|reason| anyhow!("invalid application variable name {name:?}: {reason}"))?;
        match (&v.default, v.required) {
            (Some(_), true) => {
                bail!("variable {name:?} cannot be both required and have a default")
            }
            (None, false) => bail!("variable {name:?} must either be required or have a default"),
            _ => {}
        }
        variables.insert(
            name,
            AppVariable {
                default: v.default,
                required: v.required,
                secret: v.secret,
            },
        );
    }

    let mut components = Vec::new();
    for (id, c) in raw.components {
        validate_id(&id).map_err(|reason| anyhow!("invalid component id {id:?}: {reason}"))?;
        components.push(
            validate_component(&id, c, dir, &variables)
                .with_context(|| format!("component {id:?}"))?,
        );
    }
    let known: HashSet<&str> = components.iter().map(|c| c.id.as_str()).collect();

    let mut triggers = Vec::new();
    for (kind, list) in raw.triggers {
        ensure!(
            kind == "http",
            "trigger type {kind:?} is not supported by the local host (only [[trigger.http]])"
        );
        for (index, t) in list.into_iter().enumerate() {
            let Some(t) = validate_trigger(t, index)? else {
                continue;
            };
            ensure!(
                known.contains(t.component.as_str()),
                "trigger for route {:?} refers to unknown component {:?}",
                t.route,
                t.component
            );
            triggers.push(t);
        }
    }
    // Parse every route now so a bad or duplicate route is a manifest error.
    crate::router::Router::build(
        triggers
            .iter()
            .map(|t| (t.route.as_str(), t.component.as_str())),
    )?;

    Ok(App {
        manifest_dir: dir.to_path_buf(),
        name: raw.application.name,
        version: raw.application.version,
        description: raw.application.description,
        variables,
        components,
        triggers,
    })
}

fn validate_component(
    id: &str,
    c: RawComponent,
    dir: &Path,
    app_vars: &BTreeMap<String, AppVariable>,
) -> Result<Component> {
    // Keys Spin would act on but this host cannot: refuse rather than diverge.
    for (key, set) in [
        ("exclude_files", !c.exclude_files.is_empty()),
        ("ai_models", !c.ai_models.is_empty()),
        ("dependencies", !c.dependencies.is_empty()),
        ("profile", !c.profile.is_empty()),
    ] {
        ensure!(!set, "`{key}` is not supported by the local host");
    }
    let source = match c.source {
        toml::Value::String(s) => dir.join(s),
        _ => bail!("only a local file `source = \"path/to/file.wasm\"` is supported"),
    };
    ensure!(
        source.is_file(),
        "source file {} does not exist",
        source.display()
    );

    let mut files = Vec::new();
    for f in c.files {
        files.push(match f {
            RawFileMount::Pattern(p) => {
                glob::Pattern::new(&p).map_err(|e| anyhow!("bad `files` pattern {p:?}: {e}"))?;
                FileMount::Pattern(p)
            }
            RawFileMount::Placement {
                source,
                destination,
            } => {
                ensure!(
                    destination.starts_with('/'),
                    "`files` destination {destination:?} must be an absolute path"
                );
                let host = dir.join(&source);
                ensure!(
                    host.is_dir(),
                    "`files` source directory {} does not exist",
                    host.display()
                );
                FileMount::Placement {
                    source: host,
                    destination,
                }
            }
        });
    }

    for label in c.sqlite_databases.iter().chain(&c.key_value_stores) {
        ensure!(
            validate_id(label).is_ok() || validate_snake_id(label).is_ok(),
            "store/database label {label:?} must be kebab-case or snake_case"
        );
    }

    let mut variables = BTreeMap::new();
    for (name, value) in c.variables {
        validate_variable_name(&name)
            .map_err(|reason| anyhow!("invalid variable name {name:?}: {reason}"))?;
        let template = Template::parse(&value)
            .map_err(|e| anyhow!("variable {name:?}: invalid template: {e}"))?;
        for var in template.references() {
            ensure!(
                app_vars.contains_key(var),
                "variable {name:?} refers to undeclared application variable {var:?} (add it to [variables])"
            );
        }
        variables.insert(name, template);
    }

    Ok(Component {
        id: id.to_string(),
        source,
        files,
        sqlite_databases: c.sqlite_databases,
        key_value_stores: c.key_value_stores,
        variables,
        environment: c.environment,
        // The deprecated `allowed_http_hosts` means the same to this host.
        allowed_outbound_hosts: c
            .allowed_outbound_hosts
            .into_iter()
            .chain(c.allowed_http_hosts)
            .collect(),
    })
}

/// `Ok(None)` for a private (unroutable) trigger, which Spin skips.
fn validate_trigger(t: RawHttpTrigger, index: usize) -> Result<Option<HttpTrigger>> {
    let what = || format!("[[trigger.http]] #{}", index + 1);
    ensure!(
        t.static_response.is_none(),
        "{}: `static_response` is not supported",
        what()
    );
    ensure!(
        t.components.is_empty(),
        "{}: `components` is not supported",
        what()
    );
    if let Some(executor) = &t.executor {
        let kind = executor.get("type").and_then(toml::Value::as_str);
        ensure!(
            kind == Some("http"),
            "{}: executor {kind:?} is not supported (only the default wasi-http executor)",
            what()
        );
    }
    let component = match t.component {
        Some(toml::Value::String(id)) => id,
        Some(_) => bail!(
            "{}: inline components are not supported; use `component = \"id\"`",
            what()
        ),
        None => bail!("{}: missing `component`", what()),
    };
    let route = match t.route {
        Some(toml::Value::String(route)) => route,
        Some(toml::Value::Table(table)) => {
            return match table.get("private") {
                Some(toml::Value::Boolean(true)) if table.len() == 1 => Ok(None),
                _ => bail!(
                    "{}: route must be a string pattern or `{{ private = true }}` (component {component:?})",
                    what()
                ),
            };
        }
        Some(_) => bail!("{}: route must be a string", what()),
        None => bail!("{}: missing `route`", what()),
    };
    RouteSpec::parse(&route)
        .map_err(|e| anyhow!("bad route {route:?} for component {component:?}: {e}"))?;
    Ok(Some(HttpTrigger { route, component }))
}

/// Spin's kebab-case id rule: words of ASCII letters/digits separated by single
/// `-`, the first word starting with a letter, each word all lower or all upper case.
pub fn validate_id(id: &str) -> Result<(), String> {
    validate_words(id, '-')
}

fn validate_snake_id(id: &str) -> Result<(), String> {
    validate_words(id, '_')
}

fn validate_words(id: &str, delim: char) -> Result<(), String> {
    if id.is_empty() {
        return Err("must not be empty".into());
    }
    let wrong = if delim == '-' { '_' } else { '-' };
    if id.contains(wrong) {
        return Err(format!(
            "words must be separated with {delim:?}, not {wrong:?}"
        ));
    }
    for (i, word) in id.split(delim).enumerate() {
        let mut chars = word.chars();
        let Some(first) = chars.next() else {
            return Err(format!("{delim:?}-separated words must not be empty"));
        };
        if !(first.is_ascii_alphabetic() || (i > 0 && first.is_ascii_digit())) {
            return Err(format!(
                "words must start with an ASCII letter; got {first:?}"
            ));
        }
        let upper = first.is_ascii_uppercase();
        for ch in chars {
            if ch.is_ascii_digit() {
                continue;
            }
            if !ch.is_ascii_alphanumeric() {
                return Err(format!(
                    "may only contain ASCII letters and digits; got {ch:?}"
                ));
            }
            if ch.is_ascii_uppercase() != upper {
                return Err(format!(
                    "words must be all lowercase or all UPPERCASE; got {word:?}"
                ));
            }
        }
    }
    Ok(())
}

// ---- serde shapes of the TOML -------------------------------------------------
//
// `deny_unknown_fields` where Spin's own schema (spin-manifest, v2) has it:
// top level, [application], [variables.*], [component.*] and its build table,
// so a misspelt key fails here as it would under `spin up`. Triggers keep
// unknown keys, as in Spin (they carry trigger-specific settings).

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    #[allow(dead_code, reason = "checked before typed parsing")]
    spin_manifest_version: i64,
    application: RawApplication,
    #[serde(default)]
    variables: BTreeMap<String, RawVariable>,
    #[serde(default, rename = "trigger")]
    triggers: BTreeMap<String, Vec<RawHttpTrigger>>,
    // Vec of pairs keeps manifest order (toml tables deserialize in order).
    #[serde(default, rename = "component", deserialize_with = "ordered_map")]
    components: Vec<(String, RawComponent)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApplication {
    name: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    #[allow(dead_code, reason = "accepted, not used")]
    authors: Vec<String>,
    #[serde(default)]
    #[allow(dead_code, reason = "accepted, not used")]
    targets: Vec<toml::Value>,
    #[serde(default)]
    #[allow(dead_code, reason = "accepted, not used")]
    trigger: toml::Table,
    #[serde(default)]
    #[allow(dead_code, reason = "accepted, not used")]
    tool: toml::Table,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVariable {
    #[serde(default)]
    #[allow(dead_code, reason = "accepted, not used")]
    description: Option<String>,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    default: Option<String>,
    #[serde(default)]
    secret: bool,
}

#[derive(Deserialize)]
struct RawHttpTrigger {
    route: Option<toml::Value>,
    component: Option<toml::Value>,
    #[serde(default)]
    components: toml::Table,
    executor: Option<toml::Table>,
    static_response: Option<toml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComponent {
    source: toml::Value,
    #[serde(default)]
    files: Vec<RawFileMount>,
    #[serde(default)]
    exclude_files: Vec<String>,
    #[serde(default)]
    sqlite_databases: Vec<String>,
    #[serde(default)]
    key_value_stores: Vec<String>,
    #[serde(default)]
    variables: BTreeMap<String, String>,
    #[serde(default)]
    environment: BTreeMap<String, String>,
    #[serde(default)]
    allowed_outbound_hosts: Vec<String>,
    #[serde(default)]
    allowed_http_hosts: Vec<String>,
    #[serde(default)]
    ai_models: Vec<String>,
    #[serde(default)]
    dependencies: toml::Table,
    #[serde(default)]
    profile: toml::Table,
    #[serde(default)]
    #[allow(dead_code, reason = "building is done by project scripts")]
    build: Option<RawBuild>,
    #[serde(default)]
    #[allow(dead_code, reason = "accepted, not used")]
    description: String,
    #[serde(default)]
    #[allow(dead_code, reason = "accepted, not used")]
    tool: toml::Table,
    #[serde(default)]
    #[allow(dead_code, reason = "accepted: there are no dependencies to configure")]
    dependencies_inherit_configuration: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code, reason = "parsed only to validate its shape")]
struct RawBuild {
    command: toml::Value,
    #[serde(default)]
    workdir: Option<String>,
    #[serde(default)]
    watch: Vec<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawFileMount {
    Pattern(String),
    Placement { source: String, destination: String },
}

fn ordered_map<'de, D, T>(d: D) -> Result<Vec<(String, T)>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
        type Value = Vec<(String, T)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a table of components")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(entry) = map.next_entry()? {
                out.push(entry);
            }
            Ok(out)
        }
    }
    d.deserialize_map(V(std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A temp dir holding `a.wasm`, `b.wasm` and a `static/` folder.
    fn fixture() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.wasm"), b"\0asm").unwrap();
        std::fs::write(dir.path().join("b.wasm"), b"\0asm").unwrap();
        std::fs::create_dir(dir.path().join("static")).unwrap();
        dir
    }

    const GOOD: &str = r#"
spin_manifest_version = 2

[application]
name = "mot-cua"
version = "0.1.0"
description = "Cổng dịch vụ công"

[variables]
db_label = { default = "default" }
api_key = { required = true, secret = true }

[[trigger.http]]
route = "/api/procedures/..."
component = "catalogue"

[[trigger.http]]
route = "/..."
component = "static-files"

[[trigger.http]]
route = { private = true }
component = "catalogue"

[component.catalogue]
source = "a.wasm"
sqlite_databases = ["default"]
key_value_stores = ["default"]
allowed_outbound_hosts = []
variables = { label = "db-{{ db_label }}", key = "{{api_key}}" }
[component.catalogue.build]
command = "cargo build --target wasm32-wasip2 --release"
watch = ["src/**/*.rs"]

[component.static-files]
source = "b.wasm"
files = [{ source = "static", destination = "/" }, "static/*.css"]
"#;

    fn parse_in(dir: &tempfile::TempDir, text: &str) -> Result<App> {
        parse(text, dir.path())
    }

    fn err(text: &str) -> String {
        let dir = fixture();
        format!(
            "{:#}",
            parse_in(&dir, text).expect_err("manifest should be rejected")
        )
    }

    #[test]
    fn parses_a_good_manifest() {
        let dir = fixture();
        let app = parse_in(&dir, GOOD).unwrap();
        assert_eq!(app.name, "mot-cua");
        assert_eq!(app.version, "0.1.0");
        assert_eq!(
            app.variables["api_key"],
            AppVariable {
                default: None,
                required: true,
                secret: true
            }
        );
        let ids: Vec<_> = app.components.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["catalogue", "static-files"]);
        assert_eq!(app.triggers.len(), 2, "the private route is skipped");
        assert_eq!(app.triggers[0].route, "/api/procedures/...");
        let cat = &app.components[0];
        assert_eq!(cat.source, dir.path().join("a.wasm"));
        assert_eq!(cat.sqlite_databases, ["default"]);
        assert_eq!(cat.variables.len(), 2);
        let files = &app.components[1].files;
        assert_eq!(
            files[0],
            FileMount::Placement {
                source: dir.path().join("static"),
                destination: "/".into()
            }
        );
        assert_eq!(files[1], FileMount::Pattern("static/*.css".into()));
    }

    #[test]
    fn rejects_toml_syntax_errors_with_location() {
        let e = err("spin_manifest_version = 2\n[application\nname = 'x'\n");
        assert!(e.contains("TOML syntax error"), "{e}");
        assert!(e.contains("line 2"), "{e}");
    }

    #[test]
    fn rejects_other_manifest_versions() {
        assert!(err("spin_manifest_version = 1\n").contains("unsupported spin_manifest_version 1"));
        assert!(
            err("spin_manifest_version = \"1\"\n").contains("unsupported spin_manifest_version")
        );
        assert!(err("spin_version = \"1\"\n").contains("version 1"));
        assert!(err("[application]\nname='x'\n").contains("missing `spin_manifest_version"));
    }

    #[test]
    fn rejects_unknown_top_level_keys() {
        let e = err("spin_manifest_version = 2\nbogus = 1\n[application]\nname='x'\n");
        assert!(e.contains("bogus"), "{e}");
    }

    #[test]
    fn rejects_misspelt_component_keys() {
        let e = err(&GOOD.replace(
            "sqlite_databases = [\"default\"]",
            "sqlite_database = [\"default\"]",
        ));
        assert!(e.contains("sqlite_database"), "{e}");
    }

    #[test]
    fn rejects_unknown_component_in_trigger() {
        let e = err(&GOOD.replace("component = \"static-files\"", "component = \"nope\""));
        assert!(e.contains("unknown component \"nope\""), "{e}");
    }

    #[test]
    fn rejects_missing_source_file() {
        let e = err(&GOOD.replace("\"b.wasm\"", "\"missing.wasm\""));
        assert!(
            e.contains("missing.wasm") && e.contains("does not exist"),
            "{e}"
        );
        assert!(e.contains("static-files"), "names the component: {e}");
    }

    #[test]
    fn rejects_bad_routes() {
        for bad in ["/a/.../b", "/a/:/b", "/a?b", "/a b"] {
            let e = err(&GOOD.replace("route = \"/...\"", &format!("route = \"{bad}\"")));
            assert!(e.contains("bad route"), "{bad}: {e}");
        }
        let e = err(&GOOD.replace("route = { private = true }", "route = { private = false }"));
        assert!(e.contains("private = true"), "{e}");
    }

    #[test]
    fn rejects_duplicate_routes() {
        let e = err(&GOOD.replace("route = \"/...\"", "route = \"/api/procedures/...\""));
        assert!(e.contains("duplicate route"), "{e}");
    }

    #[test]
    fn rejects_template_with_undeclared_app_variable() {
        let e = err(&GOOD.replace("{{ db_label }}", "{{ nothing_here }}"));
        assert!(
            e.contains("undeclared application variable \"nothing_here\""),
            "{e}"
        );
        let e = err(&GOOD.replace("{{ db_label }}", "{{ db_label"));
        assert!(e.contains("invalid template"), "{e}");
    }

    #[test]
    fn rejects_bad_variable_declarations() {
        let e = err(&GOOD.replace(
            "{ default = \"default\" }",
            "{ default = \"x\", required = true }",
        ));
        assert!(e.contains("cannot be both required"), "{e}");
        let e = err(&GOOD.replace("{ default = \"default\" }", "{ secret = true }"));
        assert!(
            e.contains("must either be required or have a default"),
            "{e}"
        );
        let e = err(&GOOD.replace("db_label = {", "DbLabel = {"));
        assert!(e.contains("invalid application variable name"), "{e}");
    }

    #[test]
    fn rejects_unsupported_features() {
        let e = err(&GOOD.replace(
            "[[trigger.http]]\nroute = \"/...\"",
            "[[trigger.redis]]\nchannel = \"x\"",
        ));
        assert!(e.contains("trigger type \"redis\""), "{e}");
        let e = err(&GOOD.replace(
            "source = \"b.wasm\"",
            "source = { url = \"https://x\", digest = \"sha256:0\" }",
        ));
        assert!(e.contains("only a local file"), "{e}");
        let e = err(&GOOD.replace("allowed_outbound_hosts = []", "exclude_files = [\"x\"]"));
        assert!(e.contains("exclude_files"), "{e}");
    }

    #[test]
    fn rejects_bad_ids_and_files() {
        let e = err(&GOOD.replace("[component.static-files]", "[component.static_files]"));
        assert!(e.contains("invalid component id"), "{e}");
        let e = err(&GOOD.replace("destination = \"/\"", "destination = \"rel\""));
        assert!(e.contains("absolute"), "{e}");
        let e = err(&GOOD.replace("{ source = \"static\"", "{ source = \"nodir\""));
        assert!(e.contains("nodir"), "{e}");
    }

    #[test]
    fn id_rules_follow_spin() {
        for ok in ["a", "static-files", "api-v2", "a-1", "ABC-def"] {
            assert!(validate_id(ok).is_ok(), "{ok}");
        }
        for bad in ["", "1a", "a--b", "-a", "a-", "a_b", "aB", "a.b"] {
            assert!(validate_id(bad).is_err(), "{bad}");
        }
    }
}
