//! Secrets at rest: MFA secrets are stored encrypted, and `schoolhouse keys rotate` moves
//! them to a new key (refusing a running server or a key from the config).

use reqwest::StatusCode;
use schoolhouse::auth::service::{self, NewAccount, Origin};
use schoolhouse::users::Role;
use serde_json::json;

use crate::privacy::find_anywhere;
use crate::support::{PASSWORD, spawn_app, test_config};

#[tokio::test]
async fn mfa_secrets_are_ciphertext_and_survive_a_key_rotation() {
    let dir = tempfile::tempdir().unwrap();
    let config = test_config(dir.path());
    let state = schoolhouse::state::AppState::open(config.clone()).unwrap();
    let user = service::create_account(
        &state,
        NewAccount {
            email: "mfa@example.com".into(),
            password: PASSWORD.into(),
            name: "M".into(),
            role: Role::Student,
        },
        None,
        &Origin::default(),
    )
    .await
    .unwrap();
    let old_key = state.secrets.encryption_key;
    let sealed =
        schoolhouse::auth::crypto::encrypt(&old_key, b"JBSWY3DPEHPK3PXP", &user.id).unwrap();
    let (id, stored) = (user.id.clone(), sealed.clone());
    state.db
        .write(move |conn| Ok(conn.execute("INSERT INTO user_mfa (user_id, secret_ciphertext, created_at) VALUES (?1, ?2, 'x')", [&id, &stored])?))
        .await
        .unwrap();
    state.db.close();

    let rotation = schoolhouse::privacy::keys::rotate(&config).unwrap();
    assert_eq!(rotation.reencrypted, 1);
    let secrets = dir.path().join("secrets");
    let new_hex = std::fs::read_to_string(secrets.join("encryption.key")).unwrap();
    let mut new_key = [0u8; 32];
    hex::decode_to_slice(new_hex.trim(), &mut new_key).unwrap();
    assert_ne!(new_key, old_key);
    assert_eq!(
        std::fs::read_to_string(&rotation.old_key_file)
            .unwrap()
            .trim(),
        hex::encode(old_key)
    );

    let reopened = schoolhouse::state::AppState::open(config.clone()).unwrap();
    let id = user.id.clone();
    let now_stored: String = reopened
        .db
        .read(move |conn| {
            Ok(conn.query_row(
                "SELECT secret_ciphertext FROM user_mfa WHERE user_id = ?1",
                [&id],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap();
    assert_ne!(now_stored, sealed);
    assert!(now_stored.starts_with("v1:") && !now_stored.contains("JBSWY3DPEHPK3PXP"));
    assert_eq!(reopened.secrets.encryption_key, new_key);
    assert_eq!(
        schoolhouse::auth::crypto::decrypt(&new_key, &now_stored, &user.id).unwrap(),
        b"JBSWY3DPEHPK3PXP"
    );
    assert!(schoolhouse::auth::crypto::decrypt(&old_key, &now_stored, &user.id).is_err());
    let detail: String = reopened
        .db
        .read(|conn| {
            Ok(conn.query_row(
                "SELECT detail FROM audit_log WHERE action = 'keys.rotated'",
                [],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&detail).unwrap()["reencrypted"],
        1
    );
    reopened.db.close();
}

#[tokio::test]
async fn key_rotation_refuses_a_running_server_and_a_key_from_the_config() {
    let app = spawn_app().await;
    let error = schoolhouse::privacy::keys::rotate(&app.state.config)
        .unwrap_err()
        .to_string();
    assert!(error.contains("stop the server"), "{error}");
    let mut config = (*app.state.config).clone();
    config.auth.encryption_key = "00".repeat(32);
    let error = schoolhouse::privacy::keys::rotate(&config)
        .unwrap_err()
        .to_string();
    assert!(error.contains("configuration"), "{error}");
}

#[tokio::test]
async fn the_mfa_secret_is_stored_encrypted() {
    let app = spawn_app().await;
    let user = app.student().await;
    let (status, body) = app
        .post("/api/users/me/mfa/setup", json!({}), Some(&user.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let secret = body["secret"].as_str().unwrap().to_string();
    assert!(
        find_anywhere(&app, &secret).await.is_empty(),
        "the TOTP secret is stored in clear"
    );
}
