//! HTTPS: served with a self-signed certificate, reloaded on SIGHUP.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::{PASSWORD, spawn_app_with};

struct TestCert {
    cert_pem: String,
    key_pem: String,
}

fn self_signed() -> TestCert {
    let made =
        rcgen::generate_simple_self_signed(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .unwrap();
    TestCert {
        cert_pem: made.cert.pem(),
        key_pem: made.signing_key.serialize_pem(),
    }
}

fn trusting(certs: &[&TestCert]) -> reqwest::Client {
    crate::support::client();
    let mut builder = reqwest::Client::builder()
        .tls_info(true)
        .redirect(reqwest::redirect::Policy::none());
    for cert in certs {
        builder = builder.add_root_certificate(
            reqwest::Certificate::from_pem(cert.cert_pem.as_bytes()).unwrap(),
        );
    }
    builder.build().unwrap()
}

async fn served_certificate(client: &reqwest::Client, url: &str) -> Vec<u8> {
    let response = client.get(url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|info| info.peer_certificate())
        .unwrap()
        .to_vec()
}

#[tokio::test]
async fn tls_is_served_with_a_self_signed_certificate_reloaded_on_sighup() {
    use tokio::signal::unix::{SignalKind, signal};
    // Keep a SIGHUP handler installed in this process before any signal is sent.
    let _hangups = signal(SignalKind::hangup()).unwrap();
    let files = tempfile::tempdir().unwrap();
    let (cert_path, key_path) = (files.path().join("cert.pem"), files.path().join("key.pem"));
    let first = self_signed();
    std::fs::write(&cert_path, &first.cert_pem).unwrap();
    std::fs::write(&key_path, &first.key_pem).unwrap();
    let redirect_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (cert, key) = (cert_path.clone(), key_path.clone());
    let app = spawn_app_with(move |config| {
        config.server.tls = Some(schoolhouse::config::TlsConfig {
            cert,
            key,
            redirect_http_from: Some(format!("127.0.0.1:{redirect_port}").parse().unwrap()),
        });
    })
    .await;
    let port = app.base.rsplit(':').next().unwrap().to_string();
    let https = format!("https://localhost:{port}");
    let second = self_signed();
    let client = trusting(&[&first, &second]);

    let served = served_certificate(&client, &format!("{https}/healthz")).await;
    assert_eq!(served, pem_der(&first.cert_pem));
    // Plain HTTP on the TLS port does not get through.
    assert!(app.client.get(app.url("/healthz")).send().await.is_err());
    // The refresh cookie is Secure once TLS is on.
    use schoolhouse::auth::service::{NewAccount, Origin, create_account};
    let account = NewAccount {
        email: "tls@example.com".into(),
        password: PASSWORD.into(),
        name: "TLS".into(),
        role: schoolhouse::users::Role::Student,
    };
    create_account(&app.state, account, None, &Origin::default())
        .await
        .unwrap();
    let login = client
        .post(format!("{https}/api/auth/login"))
        .json(&json!({"email": "tls@example.com", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let cookie = login.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("Secure"), "{cookie}");
    // The HTTP listener redirects to HTTPS.
    let redirected = client
        .get(format!("http://127.0.0.1:{redirect_port}/readyz?x=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(redirected.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        redirected.headers()["location"],
        format!("https://{}/readyz?x=1", app.state.config.server.listen).as_str()
    );

    // A renewed certificate is picked up on SIGHUP.
    std::fs::write(&cert_path, &second.cert_pem).unwrap();
    std::fs::write(&key_path, &second.key_pem).unwrap();
    let mut reloaded = false;
    for _ in 0..50 {
        let _ = std::process::Command::new("kill")
            .args(["-HUP", &std::process::id().to_string()])
            .status();
        let fresh = trusting(&[&first, &second]);
        if served_certificate(&fresh, &format!("{https}/healthz")).await
            == pem_der(&second.cert_pem)
        {
            reloaded = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(reloaded, "the new certificate was never served");
}

fn pem_der(pem: &str) -> Vec<u8> {
    use base64::Engine;
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap()
}
