//! `schoolhouse doctor`: secret file modes, a missing data dir, and the outside world (Stripe
//! keys and API, SMTP, TLS certificate expiry).

use std::path::Path;

use schoolhouse::config::{Config, TlsConfig};
use schoolhouse::mail::config::{MailTransport, SmtpSecurity};
use schoolhouse::ops::doctor::{self, Check, Status};
use schoolhouse::payments::config::GatewayKind;
use time::{Duration, OffsetDateTime};

use crate::support::spawn_app;

const BIN: &str = env!("CARGO_BIN_EXE_schoolhouse");

async fn check(config: &Config, name: &str, online: bool) -> Check {
    doctor::run_all(config, OffsetDateTime::now_utc(), online)
        .await
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no {name} check"))
}

fn with_stripe(config: &mut Config, secret: &str, publishable: &str, webhook: &str) {
    config.payments.gateways = vec![GatewayKind::Stripe, GatewayKind::Manual];
    config.payments.stripe.secret_key = secret.into();
    config.payments.stripe.publishable_key = publishable.into();
    config.payments.stripe.webhook_secret = webhook.into();
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn stripe_keys_of_the_wrong_shape_or_mixed_modes_fail_with_a_fix() {
    let app = spawn_app().await;
    let mut config = (*app.state.config).clone();
    assert_eq!(check(&config, "stripe", false).await.status, Status::Ok);

    let cases = [
        (
            "pk_test_1",
            "pk_test_2",
            "whsec_1",
            "secret_key does not look like",
        ),
        (
            "sk_test_1",
            "sk_test_2",
            "whsec_1",
            "publishable_key does not look like",
        ),
        ("sk_live_1", "pk_test_2", "whsec_1", "different modes"),
        (
            "sk_test_1",
            "pk_test_2",
            "secret",
            "webhook_secret is not set",
        ),
    ];
    for (secret, publishable, webhook, expected) in cases {
        with_stripe(&mut config, secret, publishable, webhook);
        let found = check(&config, "stripe", false).await;
        assert_eq!(found.status, Status::Fail, "{found:?}");
        assert!(found.message.contains(expected), "{found:?}");
        assert!(found.hint.is_some());
    }
    with_stripe(&mut config, "sk_test_1", "pk_test_2", "whsec_3");
    let found = check(&config, "stripe", false).await;
    assert_eq!(found.status, Status::Ok, "{found:?}");
    assert!(found.message.contains("test mode"), "{found:?}");
    // Without --online nothing is called.
    let all = doctor::run_all(&config, OffsetDateTime::now_utc(), false).await;
    assert!(all.iter().all(|c| c.name != "stripe api"));
}

#[tokio::test]
async fn doctor_online_calls_the_stripe_api_and_fails_when_it_cannot_be_reached() {
    let (Ok(base), Ok(key)) = (
        std::env::var("STRIPE_API_BASE"),
        std::env::var("STRIPE_SECRET_KEY"),
    ) else {
        panic!(
            "STRIPE_API_BASE and STRIPE_SECRET_KEY are not set: run through tests/run.sh, which starts localstripe"
        );
    };
    let app = spawn_app().await;
    let mut config = (*app.state.config).clone();
    with_stripe(&mut config, &key, "pk_test_doctor", "whsec_doctor");
    config.payments.stripe.api_base = base.clone();
    let found = check(&config, "stripe api", true).await;
    assert_eq!(found.status, Status::Ok, "{found:?}");
    assert!(
        found.message.contains("accepted the secret key"),
        "{found:?}"
    );

    config.payments.stripe.api_base = format!("http://127.0.0.1:{}", closed_port());
    let found = check(&config, "stripe api", true).await;
    assert_eq!(found.status, Status::Fail, "{found:?}");
    assert!(found.message.contains("cannot reach"), "{found:?}");
    assert!(found.hint.unwrap().contains("payments.stripe.api_base"));
}

#[tokio::test]
async fn smtp_reachability_is_checked_with_a_session_and_a_closed_port_fails() {
    let port: u16 = std::env::var("SMTP_TEST_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .expect("SMTP_TEST_PORT is not set: run through tests/run.sh, which starts aiosmtpd");
    let app = spawn_app().await;
    let mut config = (*app.state.config).clone();
    let found = check(&config, "mail", false).await;
    assert_eq!(found.status, Status::Ok);
    assert!(found.message.contains("written as files"), "{found:?}");

    config.mail.transport = MailTransport::Smtp;
    config.mail.smtp.host = "127.0.0.1".into();
    config.mail.smtp.security = SmtpSecurity::None;
    config.mail.smtp.port = port;
    let found = check(&config, "mail", false).await;
    assert_eq!(found.status, Status::Ok, "{found:?}");
    assert!(found.message.contains("answered EHLO"), "{found:?}");

    config.mail.smtp.port = closed_port();
    let found = check(&config, "mail", false).await;
    assert_eq!(found.status, Status::Fail, "{found:?}");
    assert!(
        found.message.contains("cannot reach SMTP server"),
        "{found:?}"
    );
    assert!(found.hint.unwrap().contains("mail.smtp.host"));
}

/// A self-signed certificate valid from `from` to `until`, written as cert.pem and key.pem.
fn certificate(dir: &Path, from: OffsetDateTime, until: OffsetDateTime) -> TlsConfig {
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    params.not_before = from;
    params.not_after = until;
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("cert.pem"), cert.pem()).unwrap();
    std::fs::write(dir.join("key.pem"), key.serialize_pem()).unwrap();
    TlsConfig {
        cert: dir.join("cert.pem"),
        key: dir.join("key.pem"),
        redirect_http_from: None,
    }
}

#[tokio::test]
async fn tls_certificates_warn_within_two_weeks_of_expiry_and_fail_once_expired() {
    let app = spawn_app().await;
    let files = tempfile::tempdir().unwrap();
    let now = OffsetDateTime::now_utc();
    let config = (*app.state.config).clone();
    let tls_check = |tls: TlsConfig| {
        let mut config = config.clone();
        config.server.tls = Some(tls);
        async move { check(&config, "tls", false).await }
    };

    let good = certificate(
        &files.path().join("good"),
        now - Duration::days(1),
        now + Duration::days(90),
    );
    let found = tls_check(good).await;
    assert_eq!(found.status, Status::Ok, "{found:?}");
    assert!(found.message.contains("valid until"), "{found:?}");

    let soon = certificate(
        &files.path().join("soon"),
        now - Duration::days(80),
        now + Duration::days(5),
    );
    let found = tls_check(soon).await;
    assert_eq!(found.status, Status::Warn, "{found:?}");
    assert!(
        found.message.contains("expires in 4 day(s)")
            || found.message.contains("expires in 5 day(s)"),
        "{found:?}"
    );

    let expired = certificate(
        &files.path().join("old"),
        now - Duration::days(400),
        now - Duration::days(2),
    );
    let found = tls_check(expired.clone()).await;
    assert_eq!(found.status, Status::Fail, "{found:?}");
    assert!(found.message.contains("expired on"), "{found:?}");
    assert!(found.hint.unwrap().contains("renew"));

    let garbage = files.path().join("garbage.pem");
    std::fs::write(&garbage, "not a certificate").unwrap();
    let found = tls_check(TlsConfig {
        cert: garbage,
        ..expired.clone()
    })
    .await;
    assert_eq!(found.status, Status::Fail, "{found:?}");
    assert!(
        found.message.contains("holds no PEM certificate"),
        "{found:?}"
    );

    let missing = TlsConfig {
        key: files.path().join("nope.pem"),
        ..expired
    };
    let found = tls_check(missing).await;
    assert_eq!(found.status, Status::Fail, "{found:?}");
    assert!(found.message.contains("cannot read the key"), "{found:?}");
}

#[tokio::test]
async fn doctor_exits_non_zero_on_an_expired_certificate_and_says_so_in_json() {
    let app = spawn_app().await;
    let files = tempfile::tempdir().unwrap();
    let now = OffsetDateTime::now_utc();
    let expired = certificate(
        files.path(),
        now - Duration::days(400),
        now - Duration::days(2),
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_schoolhouse"))
        .env_remove("SCHOOLHOUSE_CONFIG")
        .env("SCHOOLHOUSE_SERVER__TLS__CERT", &expired.cert)
        .env("SCHOOLHOUSE_SERVER__TLS__KEY", &expired.key)
        .arg("--data-dir")
        .arg(app.dir.path())
        .args(["doctor", "--json"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    let tls = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "tls")
        .unwrap();
    assert_eq!(tls["status"], "fail");
    assert!(tls["message"].as_str().unwrap().contains("expired on"));
    assert!(tls["hint"].as_str().unwrap().contains("renew"));
    let mail = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "mail")
        .unwrap();
    assert_eq!(mail["status"], "ok");
}

fn doctor(data_dir: &Path, json: bool) -> std::process::Output {
    let mut command = std::process::Command::new(BIN);
    command
        .env_remove("SCHOOLHOUSE_CONFIG")
        .arg("--data-dir")
        .arg(data_dir)
        .arg("doctor");
    if json {
        command.arg("--json");
    }
    command.output().unwrap()
}

#[tokio::test]
async fn doctor_fails_on_a_readable_secret_and_passes_once_it_is_fixed() {
    use std::os::unix::fs::PermissionsExt;
    let app = spawn_app().await;
    let key = app.dir.path().join("secrets/jwt.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();

    let out = doctor(app.dir.path(), false);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("FAIL  secrets"), "{text}");
    assert!(text.contains("chmod 600"), "{text}");
    assert!(text.contains("ok    database"), "{text}");

    let out = doctor(app.dir.path(), true);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    let secrets = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "secrets")
        .unwrap();
    assert_eq!(secrets["status"], "fail");

    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = doctor(app.dir.path(), false);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn doctor_fails_when_the_data_dir_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let out = doctor(&dir.path().join("nowhere"), false);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success());
    assert!(text.contains("FAIL  data dir"), "{text}");
    assert!(text.contains("FAIL  database"), "{text}");
}
