//! `GET /api/admin/settings`: the effective configuration for admins, key by key, secrets
//! redacted, so staff can see how the school is set up without reading the config file.

use axum::extract::State;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::config::{Config, is_secret_key};
use crate::http::{Json, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(effective_settings))
}

/// One effective setting.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Setting {
    /// The dotted key in the config file, e.g. `orders.reservation_minutes`.
    pub key: String,
    /// The environment variable that overrides it, e.g. `SCHOOLHOUSE_ORDERS__RESERVATION_MINUTES`.
    pub env: String,
    /// Its value as JSON of any type (`"<redacted>"` for a secret that is set).
    pub value: serde_json::Value,
    pub secret: bool,
}

/// The effective configuration, grouped by section.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EffectiveSettings {
    pub settings: Vec<Setting>,
}

/// Every key of `table` under `prefix`, depth first; arrays (of tables too) stay one value.
fn flatten(prefix: &str, table: &toml::Table, out: &mut Vec<Setting>) {
    for (name, value) in table {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        if let toml::Value::Table(inner) = value {
            flatten(&key, inner, out);
            continue;
        }
        out.push(Setting {
            env: format!(
                "SCHOOLHOUSE_{}",
                key.replace('.', "__").to_ascii_uppercase()
            ),
            value: serde_json::to_value(value).unwrap_or_default(),
            secret: is_secret_key(name),
            key,
        });
    }
}

/// The settings of `config`, secrets redacted.
pub fn effective(config: &Config) -> EffectiveSettings {
    let mut settings = Vec::new();
    flatten("", &config.redacted(), &mut settings);
    EffectiveSettings { settings }
}

/// The effective configuration (file, environment overrides and defaults together), with
/// the config key and environment variable of each setting; secrets are redacted.
#[utoipa::path(get, path = "/api/admin/settings", tag = "admin", security(("bearer" = [])),
    responses(
        (status = 200, body = EffectiveSettings),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn effective_settings(State(state): State<AppState>) -> Json<EffectiveSettings> {
    Json(effective(&state.config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_setting_has_its_key_and_variable_and_secrets_stay_hidden() {
        let mut config = Config::default();
        config.payments.stripe.secret_key = "sk_live_do_not_show".into();
        let shown = effective(&config);
        let find = |key: &str| shown.settings.iter().find(|s| s.key == key).unwrap();
        let minutes = find("orders.reservation_minutes");
        assert_eq!(minutes.env, "SCHOOLHOUSE_ORDERS__RESERVATION_MINUTES");
        assert_eq!(minutes.value, 30);
        assert!(!minutes.secret);
        let secret = find("payments.stripe.secret_key");
        assert!(secret.secret);
        assert_eq!(secret.value, "<redacted>");
        let text =
            serde_json::to_string(&shown.settings.iter().map(|s| &s.value).collect::<Vec<_>>())
                .unwrap();
        assert!(!text.contains("sk_live_do_not_show"));
    }
}
