//! Spin variables: `{{ app_var }}` templates, name rules, resolution from
//! `SPIN_VARIABLE_<NAME>` environment variables (Spin's default env provider)
//! or defaults, and the `fermyon:spin/variables@2.0.0` host implementation.
//!
//! Values are resolved once at start-up (the environment does not change
//! while the host runs), so a required variable without a value stops the
//! host before it serves anything.

use std::collections::BTreeMap;

use anyhow::{Result, bail};

use crate::manifest::AppVariable;
use crate::spin_apis::{SpinCtx, variables};

/// A component variable value: literal text with `{{ name }}` expressions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Lit(String),
    Expr(String),
}

impl Template {
    /// Parses like Spin: `{{` opens an expression up to the next `}}`, and the
    /// expression (trimmed) must be a valid variable name.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut parts = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            if let Some(expr_rest) = rest.strip_prefix("{{") {
                let Some((expr, after)) = expr_rest.split_once("}}") else {
                    return Err("unmatched '{{' in template".into());
                };
                let name = expr.trim();
                validate_variable_name(name)
                    .map_err(|reason| format!("{{{{ {name} }}}}: {reason}"))?;
                parts.push(Part::Expr(name.to_string()));
                rest = after;
            } else {
                let end = rest.find("{{").unwrap_or(rest.len());
                parts.push(Part::Lit(rest[..end].to_string()));
                rest = &rest[end..];
            }
        }
        Ok(Self { parts })
    }

    /// Names of the application variables the template uses.
    pub fn references(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Expr(name) => Some(name.as_str()),
            Part::Lit(_) => None,
        })
    }

    /// Substitutes resolved application variable values.
    fn render(&self, values: &BTreeMap<String, String>) -> Result<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Lit(lit) => out.push_str(lit),
                Part::Expr(name) => match values.get(name) {
                    Some(v) => out.push_str(v),
                    None => bail!("unknown application variable {name:?}"),
                },
            }
        }
        Ok(out)
    }
}

/// Spin's variable name rule (`spin-expressions` `Key`): lowercase ASCII
/// letters, digits and single underscores, starting with a letter and not
/// ending with an underscore (so names map cleanly to env var names).
pub fn validate_variable_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("must not be empty".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_'))
    {
        return Err(format!(
            "invalid character {c:?}. Variable names may contain only lower-case letters, numbers, and underscores."
        ));
    }
    if !name.as_bytes()[0].is_ascii_lowercase() {
        return Err("must start with a lowercase ASCII letter".into());
    }
    if !name.as_bytes()[name.len() - 1].is_ascii_alphanumeric() {
        return Err("must end with a lowercase ASCII letter or digit".into());
    }
    if name.contains("__") {
        return Err("must not contain multiple consecutive underscores".into());
    }
    Ok(())
}

/// The environment variable Spin's env provider reads for `name`.
pub fn env_var_name(name: &str) -> String {
    format!("SPIN_VARIABLE_{}", name.to_ascii_uppercase())
}

/// Gives every application variable a value: from the environment
/// (`SPIN_VARIABLE_<NAME>`) first, then its default. `env` is injected for tests.
pub fn resolve_app_variables(
    declared: &BTreeMap<String, AppVariable>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<BTreeMap<String, String>> {
    let mut values = BTreeMap::new();
    let mut missing = Vec::new();
    for (name, var) in declared {
        let env_name = env_var_name(name);
        match env(&env_name).or_else(|| var.default.clone()) {
            Some(value) => {
                values.insert(name.clone(), value);
            }
            None => missing.push(format!("{name:?} (set {env_name})")),
        }
    }
    if !missing.is_empty() {
        bail!(
            "required application variable(s) have no value: {}",
            missing.join(", ")
        );
    }
    Ok(values)
}

/// Renders one template (an `allowed_outbound_hosts` entry) against the app variable values.
pub fn render_template(text: &str, app_values: &BTreeMap<String, String>) -> Result<String> {
    Template::parse(text).map_err(|e| anyhow::anyhow!("{text:?}: {e}"))?.render(app_values)
}

/// Renders a component's variable templates against the app variable values.
pub fn resolve_component_variables(
    templates: &BTreeMap<String, Template>,
    app_values: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>> {
    templates
        .iter()
        .map(|(name, t)| Ok((name.clone(), t.render(app_values)?)))
        .collect()
}

impl variables::Host for SpinCtx {
    async fn get(&mut self, name: String) -> Result<String, variables::Error> {
        // Error texts follow Spin's, which guests may show.
        validate_variable_name(&name)
            .map_err(|reason| variables::Error::InvalidName(format!("{name:?}: {reason}")))?;
        self.apis.variables.get(&name).cloned().ok_or_else(|| {
            variables::Error::Undefined(format!(
                "no variable for {:?}.{name:?}",
                self.apis.component_id
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spin_apis::variables::Host as _;
    use std::sync::Arc;

    fn var(default: Option<&str>, required: bool) -> AppVariable {
        AppVariable {
            default: default.map(String::from),
            required,
            secret: false,
        }
    }

    #[test]
    fn templates_parse_like_spin() {
        let t = Template::parse("a-{{ x }}-{{y}}{{ z_1 }}").unwrap();
        assert_eq!(t.references().collect::<Vec<_>>(), ["x", "y", "z_1"]);
        assert!(
            Template::parse("plain")
                .unwrap()
                .references()
                .next()
                .is_none()
        );
        assert!(Template::parse("").unwrap().references().next().is_none());
        assert!(
            Template::parse("{{ open")
                .unwrap_err()
                .contains("unmatched")
        );
        assert!(Template::parse("{{ Bad }}").is_err());
        assert!(Template::parse("{{ }}").is_err());
    }

    #[test]
    fn names_follow_spin_rules() {
        for ok in ["a", "abc", "a1b2c3", "a_1", "a_1_b_3"] {
            assert!(validate_variable_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", "aX", "1bc", "_x", "x.y", "x_", "a__b", "x-y"] {
            assert!(validate_variable_name(bad).is_err(), "{bad}");
        }
        assert_eq!(env_var_name("api_key"), "SPIN_VARIABLE_API_KEY");
    }

    #[test]
    fn env_beats_default_and_required_needs_a_value() {
        let declared = BTreeMap::from([
            ("region".to_string(), var(Some("hn"), false)),
            ("api_key".to_string(), var(None, true)),
        ]);
        let env = |k: &str| (k == "SPIN_VARIABLE_API_KEY").then(|| "secret".to_string());
        let values = resolve_app_variables(&declared, env).unwrap();
        assert_eq!(values["region"], "hn");
        assert_eq!(values["api_key"], "secret");

        let env = |k: &str| (k == "SPIN_VARIABLE_REGION").then(|| "hcm".to_string());
        let e = resolve_app_variables(&declared, env)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("\"api_key\"") && e.contains("SPIN_VARIABLE_API_KEY"),
            "{e}"
        );

        let declared = BTreeMap::from([("region".to_string(), var(Some("hn"), false))]);
        let env = |k: &str| (k == "SPIN_VARIABLE_REGION").then(|| "hcm".to_string());
        assert_eq!(
            resolve_app_variables(&declared, env).unwrap()["region"],
            "hcm"
        );
    }

    #[test]
    fn component_templates_render() {
        let app = BTreeMap::from([
            ("host".to_string(), "db".to_string()),
            ("port".to_string(), "5".to_string()),
        ]);
        let templates = BTreeMap::from([
            (
                "url".to_string(),
                Template::parse("tcp://{{ host }}:{{port}}/x").unwrap(),
            ),
            ("plain".to_string(), Template::parse("literal").unwrap()),
        ]);
        let values = resolve_component_variables(&templates, &app).unwrap();
        assert_eq!(values["url"], "tcp://db:5/x");
        assert_eq!(values["plain"], "literal");
    }

    #[tokio::test]
    async fn host_get_reports_spin_errors() {
        let dir = tempfile::tempdir().unwrap();
        let apis = crate::spin_apis::ComponentApis {
            component_id: "catalogue".into(),
            allowed_databases: Default::default(),
            allowed_stores: Default::default(),
            variables: BTreeMap::from([("greeting".to_string(), "xin chào".to_string())]),
            databases: Arc::new(crate::sqlite::Databases::new(dir.path())),
            stores: Arc::new(crate::key_value::KeyValueStores::new(dir.path())),
        };
        let mut ctx = SpinCtx::new(Arc::new(apis));
        assert_eq!(ctx.get("greeting".into()).await.unwrap(), "xin chào");
        assert!(matches!(
            ctx.get("missing".into()).await,
            Err(variables::Error::Undefined(_))
        ));
        assert!(matches!(
            ctx.get("Bad-Name".into()).await,
            Err(variables::Error::InvalidName(_))
        ));
    }
}
