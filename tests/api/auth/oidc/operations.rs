//! Operations of provider sign-in: `doctor` names each redirect URL and, `--online`, reads
//! each provider's discovery document and keys; `config check` refuses a bad entry.

use schoolhouse::config::Config;
use schoolhouse::ops::doctor::{self, Status};
use time::OffsetDateTime;

use super::{issuer, provider};

fn with_provider(p: schoolhouse::auth::oidc::config::ProviderConfig) -> Config {
    let mut config = Config::default();
    config.server.public_url = "https://school.example".into();
    config.auth.oidc.providers = vec![p];
    config
}

#[tokio::test]
async fn doctor_online_reads_the_providers_discovery_and_keys_and_fails_when_it_cannot() {
    let config = with_provider(provider("test", "schoolhouse"));
    let checks = doctor::run_all(&config, OffsetDateTime::now_utc(), true).await;
    let offline = checks
        .iter()
        .find(|c| c.name == "sign-in providers")
        .unwrap();
    assert_eq!(offline.status, Status::Ok, "{offline:?}");
    assert!(
        offline
            .message
            .contains("https://school.example/api/auth/oidc/test/callback"),
        "{offline:?}"
    );
    let online = checks
        .iter()
        .find(|c| c.name == "sign-in provider")
        .unwrap();
    assert_eq!(online.status, Status::Ok, "{online:?}");
    assert!(online.message.contains(&issuer()), "{online:?}");

    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut gone = provider("gone", "schoolhouse");
    gone.issuer = format!("http://{closed}");
    let checks = doctor::run_all(&with_provider(gone), OffsetDateTime::now_utc(), true).await;
    let online = checks
        .iter()
        .find(|c| c.name == "sign-in provider")
        .unwrap();
    assert_eq!(online.status, Status::Fail, "{online:?}");
    assert!(online.hint.is_some());
}

#[test]
fn config_check_refuses_a_provider_entry_without_its_secret_or_with_a_bad_id() {
    let env = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let ok = Config::load(
        None,
        env(&[(
            "SCHOOLHOUSE_AUTH__OIDC__PROVIDERS",
            r#"[{ id = "google", preset = "google", client_id = "id", client_secret = "s" }]"#,
        )]),
    );
    assert!(ok.is_ok(), "{:?}", ok.err());
    for (entry, key) in [
        (
            r#"[{ id = "google", preset = "google", client_id = "id" }]"#,
            "client_secret",
        ),
        (
            r#"[{ id = "Bad Id", preset = "google", client_id = "id", client_secret = "s" }]"#,
            "id",
        ),
        (
            r#"[{ id = "x", issuer = "ftp://x", client_id = "id", client_secret = "s" }]"#,
            "issuer",
        ),
    ] {
        let err = Config::load(None, env(&[("SCHOOLHOUSE_AUTH__OIDC__PROVIDERS", entry)]))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("auth.oidc.providers") && err.contains(key),
            "{err}"
        );
    }
}
