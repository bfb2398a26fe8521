//! Media on S3-compatible storage (SeaweedFS from tests/support/s3/start.sh, whose env file
//! gives S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION): uploads land in the bucket
//! under their SHA-256, links redirect to presigned URLs the store checks itself (tampered
//! and expired ones refused), proxy mode streams ranges, access rules are unchanged, and
//! `media migrate --to s3` is resumable and verified. A missing peer fails these tests.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use reqwest::StatusCode;
use reqwest::header::{CONTENT_RANGE, CONTENT_TYPE, LOCATION, RANGE};
use schoolhouse::config::Config;
use schoolhouse::config::media::{Delivery, S3Config, StoreKind};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::catalog::{cast, course, enrol, upload};
use crate::support::{TestApp, spawn_app_with, uuid_suffix};

const BINARY: &str = env!("CARGO_BIN_EXE_schoolhouse");

/// The object store the test script started.
struct Peer {
    endpoint: String,
    bucket: String,
    access: String,
    secret: String,
    region: String,
}

/// A proxied range request: what it is, the Range header, the answer, its Content-Range,
/// and which bytes of the file come back.
type RangeRow = (
    &'static str,
    Option<&'static str>,
    StatusCode,
    Option<&'static str>,
    std::ops::Range<usize>,
);

fn peer() -> Peer {
    let var = |name: &str| {
        std::env::var(name).unwrap_or_else(|_| {
            panic!("{name} is not set: start the S3 peer (tests/support/s3/start.sh) and source its env file")
        })
    };
    Peer {
        endpoint: var("S3_ENDPOINT"),
        bucket: var("S3_BUCKET"),
        access: var("S3_ACCESS_KEY"),
        secret: var("S3_SECRET_KEY"),
        region: var("S3_REGION"),
    }
}

impl Peer {
    /// curl with the peer's credentials (its own SigV4: an independent client); status and body.
    fn curl(&self, args: &[&str]) -> (u16, Vec<u8>) {
        let output = Command::new("curl")
            .args(["-s", "-o", "-", "-w", "\n%{http_code}", "--aws-sigv4"])
            .arg(format!("aws:amz:{}:s3", self.region))
            .arg("--user")
            .arg(format!("{}:{}", self.access, self.secret))
            .args(args)
            .output()
            .expect("curl runs");
        let mut body = output.stdout;
        let at = body.iter().rposition(|b| *b == b'\n').expect("status line");
        let status = String::from_utf8_lossy(&body[at + 1..])
            .parse()
            .unwrap_or(0);
        body.truncate(at);
        (status, body)
    }

    fn object_url(&self, prefix: &str, sha: &str) -> String {
        format!("{}/{}/{prefix}/{sha}", self.endpoint, self.bucket)
    }

    /// The object's bytes as the store keeps them, `None` when absent.
    fn object(&self, prefix: &str, sha: &str) -> Option<Vec<u8>> {
        let (status, body) = self.curl(&[&self.object_url(prefix, sha)]);
        match status {
            200 => Some(body),
            404 => None,
            other => panic!("reading {sha}: {other} {}", String::from_utf8_lossy(&body)),
        }
    }

    fn s3_config(&self, prefix: &str, delivery: Delivery) -> S3Config {
        S3Config {
            bucket: self.bucket.clone(),
            endpoint: self.endpoint.clone(),
            region: self.region.clone(),
            access_key_id: self.access.clone(),
            secret_access_key: self.secret.clone(),
            prefix: prefix.into(),
            delivery,
            public_url: String::new(),
        }
    }
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A PDF of `len` bytes whose content depends on `seed` (so every file has its own hash).
fn pdf(seed: u32, len: usize) -> Vec<u8> {
    let mut bytes = format!("%PDF-1.7\n% file {seed}\n").into_bytes();
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    while bytes.len() < len {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes.push((x & 0xff) as u8);
    }
    bytes
}

fn bucket_store(config: &mut Config, peer: &Peer, prefix: &str, delivery: Delivery) {
    config.media.store = StoreKind::S3;
    config.media.s3 = peer.s3_config(prefix, delivery);
}

async fn s3_app(peer: &Peer, delivery: Delivery) -> (TestApp, String) {
    let prefix = format!("t{}", uuid_suffix());
    let app = spawn_app_with(|c| bucket_store(c, peer, &prefix, delivery)).await;
    (app, prefix)
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The presigned URL `/media/..` redirects to.
async fn location(app: &TestApp, path: &str) -> String {
    let answer = no_redirects().get(app.url(path)).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::TEMPORARY_REDIRECT, "{path}");
    assert_eq!(answer.headers()["cache-control"], "private, no-store");
    answer.headers()[LOCATION].to_str().unwrap().to_string()
}

#[tokio::test]
async fn an_upload_lands_in_the_bucket_under_its_sha256_and_not_on_disk() {
    let peer = peer();
    let (app, prefix) = s3_app(&peer, Delivery::Redirect).await;
    let c = cast(&app).await;
    let bytes = pdf(1, 3000);
    let (status, media) = upload(&app, &c.teacher.token, "notes.pdf", bytes.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{media}");
    let sha = sha256(&bytes);
    assert_eq!(media["sha256"], sha.as_str());
    assert_eq!(
        peer.object(&prefix, &sha).as_deref(),
        Some(bytes.as_slice())
    );
    let local = app
        .state
        .config
        .data_dir
        .join("media")
        .join(&sha[..2])
        .join(&sha);
    assert!(!local.exists(), "the bucket store keeps nothing on disk");
    let tmp = std::fs::read_dir(app.state.config.data_dir.join("media/tmp")).unwrap();
    assert_eq!(tmp.count(), 0, "the temp file is gone");
    // The same bytes again: one object, a second media row.
    let (status, again) = upload(&app, &c.vendor.token, "copy.pdf", bytes.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    assert_ne!(again["id"], media["id"]);
    assert_eq!(again["sha256"], sha.as_str());
    // A refused upload leaves nothing in the bucket.
    let text = b"plain text is not an accepted type".to_vec();
    let (status, _) = upload(&app, &c.teacher.token, "x.pdf", text.clone()).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(peer.object(&prefix, &sha256(&text)), None);
}

#[tokio::test]
async fn a_signed_link_redirects_to_a_presigned_url_that_serves_byte_ranges() {
    let peer = peer();
    let (app, prefix) = s3_app(&peer, Delivery::Redirect).await;
    let c = cast(&app).await;
    let bytes = pdf(2, 5000);
    let (_, media) = upload(&app, &c.teacher.token, "notes.pdf", bytes.clone()).await;
    let sha = sha256(&bytes);
    let link = media["url"].as_str().unwrap();
    let presigned = location(&app, link).await;
    assert!(
        presigned.starts_with(&peer.object_url(&prefix, &sha)),
        "{presigned}"
    );
    assert!(presigned.contains("X-Amz-Signature="), "{presigned}");

    let part = no_redirects()
        .get(&presigned)
        .header(RANGE, "bytes=5-14")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.headers()[CONTENT_RANGE], "bytes 5-14/5000");
    assert_eq!(part.headers()[CONTENT_TYPE], "application/pdf");
    assert_eq!(part.bytes().await.unwrap().as_ref(), &bytes[5..15]);

    // A browser follows the redirect with its Range header, as the app's client does.
    let followed = app
        .client
        .get(app.url(link))
        .header(RANGE, "bytes=-100")
        .send()
        .await
        .unwrap();
    assert_eq!(followed.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(followed.bytes().await.unwrap().as_ref(), &bytes[4900..]);
    let whole = app.client.get(app.url(link)).send().await.unwrap();
    assert_eq!(whole.status(), StatusCode::OK);
    assert_eq!(whole.bytes().await.unwrap().as_ref(), bytes.as_slice());
}

/// One way to abuse a presigned URL, and what the store must answer.
struct Abuse {
    sentence: &'static str,
    change: fn(&str, &str) -> String,
}

const ABUSES: &[Abuse] = &[
    Abuse {
        sentence: "a presigned URL with one character of its signature changed is refused",
        change: |url, _| {
            let at = url.find("X-Amz-Signature=").unwrap() + "X-Amz-Signature=".len();
            let flipped = if &url[at..at + 1] == "0" { "1" } else { "0" };
            format!("{}{flipped}{}", &url[..at], &url[at + 1..])
        },
    },
    Abuse {
        sentence: "a presigned URL may not be pointed at another object",
        change: |url, other_sha| {
            let path_end = url.find('?').unwrap();
            let slash = url[..path_end].rfind('/').unwrap();
            format!("{}/{other_sha}{}", &url[..slash], &url[path_end..])
        },
    },
    Abuse {
        sentence: "a presigned URL may not stretch its own lifetime",
        change: |url, _| url.replace("X-Amz-Expires=", "X-Amz-Expires=9"),
    },
    Abuse {
        sentence: "the object without any signature is not public",
        change: |url, _| url[..url.find('?').unwrap()].to_string(),
    },
];

#[tokio::test]
async fn the_store_refuses_tampered_and_expired_presigned_urls() {
    let peer = peer();
    let (app, prefix) = s3_app(&peer, Delivery::Redirect).await;
    let c = cast(&app).await;
    let (bytes, other) = (pdf(3, 2000), pdf(4, 2000));
    let (_, media) = upload(&app, &c.teacher.token, "a.pdf", bytes.clone()).await;
    let (_, _) = upload(&app, &c.teacher.token, "b.pdf", other.clone()).await;
    let presigned = location(&app, media["url"].as_str().unwrap()).await;
    let plain = no_redirects();
    let good = plain.get(&presigned).send().await.unwrap();
    assert_eq!(good.status(), StatusCode::OK, "the untouched URL works");
    for abuse in ABUSES {
        let url = (abuse.change)(&presigned, &sha256(&other));
        assert_ne!(url, presigned, "{}", abuse.sentence);
        let answer = plain.get(&url).send().await.unwrap();
        assert_eq!(
            answer.status(),
            StatusCode::FORBIDDEN,
            "{}: {url}",
            abuse.sentence
        );
        let body = answer.bytes().await.unwrap();
        assert!(
            !body
                .windows(8)
                .any(|w| w == &other[..8] || w == &bytes[..8]),
            "{}: no file bytes in the refusal",
            abuse.sentence
        );
    }
    // Nothing changed in the bucket.
    assert_eq!(
        peer.object(&prefix, &sha256(&bytes)).as_deref(),
        Some(bytes.as_slice())
    );

    // A link signed for one second: the redirect names a URL that expires with it.
    let id = media["id"].as_str().unwrap();
    let (short, _) = schoolhouse::http::signing::signed_path(
        &app.state,
        schoolhouse::http::signing::Purpose::Media,
        "/media",
        id,
        1,
    );
    let presigned = location(&app, &short).await;
    assert!(presigned.contains("X-Amz-Expires=1&"), "{presigned}");
    // Waiting for real time to pass is the point here: the store's clock decides.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    let expired = plain.get(&presigned).send().await.unwrap();
    assert_eq!(
        expired.status(),
        StatusCode::FORBIDDEN,
        "an expired presigned URL"
    );
}

#[tokio::test]
async fn a_student_who_is_not_enrolled_gets_no_url_and_no_redirect() {
    let peer = peer();
    let (app, _prefix) = s3_app(&peer, Delivery::Redirect).await;
    let c = cast(&app).await;
    let video = b"\0\0\0\x18ftypmp42\0\0\0\0 a lesson video".to_vec();
    let (_, media) = upload(&app, &c.teacher.token, "v.mp4", video.clone()).await;
    let k = course(
        &app,
        &c.teacher.token,
        json!({"title": "Closed", "price_cents": 1000, "status": "published"}),
    )
    .await;
    let course_id = k["id"].as_str().unwrap();
    let base = format!("/api/courses/{course_id}");
    let (_, s) = app
        .post(
            &format!("{base}/sections"),
            json!({"title": "S"}),
            Some(&c.teacher.token),
        )
        .await;
    let (status, lesson) = app
        .post(
            &format!("{base}/lessons"),
            json!({"section_id": s["id"], "content_type": "video", "title": "Paid",
            "media_id": media["id"]}),
            Some(&c.teacher.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{lesson}");
    let media_url = |outline: &Value| {
        outline["sections"][0]["lessons"][0]["content"]["media_url"]
            .as_str()
            .map(str::to_string)
    };
    let (_, outline) = app
        .get(&format!("{base}/lessons"), Some(&c.student.token))
        .await;
    assert_eq!(
        media_url(&outline),
        None,
        "no URL for a student not enrolled: {outline}"
    );
    let id = media["id"].as_str().unwrap();
    let unsigned = no_redirects()
        .get(app.url(&format!("/media/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), StatusCode::FORBIDDEN);
    assert!(
        unsigned.headers().get(LOCATION).is_none(),
        "no presigned URL leaks"
    );

    enrol(&app, &c.student.id, course_id).await;
    let (_, outline) = app
        .get(&format!("{base}/lessons"), Some(&c.student.token))
        .await;
    let url = media_url(&outline).expect("the enrolled student gets a URL");
    let presigned = location(&app, &url).await;
    let served = no_redirects().get(&presigned).send().await.unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.headers()[CONTENT_TYPE], "video/mp4");
    assert_eq!(served.bytes().await.unwrap().as_ref(), video.as_slice());

    // The link itself still expires on the server's clock: no redirect after that.
    app.state.clock.advance(time::Duration::minutes(61));
    let late = no_redirects().get(app.url(&url)).send().await.unwrap();
    assert_eq!(late.status(), StatusCode::FORBIDDEN);
    assert!(late.headers().get(LOCATION).is_none());
}

#[tokio::test]
async fn proxy_mode_streams_the_asked_range_from_the_bucket() {
    let peer = peer();
    let (app, _prefix) = s3_app(&peer, Delivery::Proxy).await;
    let c = cast(&app).await;
    let bytes = pdf(5, 9000);
    let (_, media) = upload(&app, &c.teacher.token, "notes.pdf", bytes.clone()).await;
    let link = media["url"].as_str().unwrap();
    let plain = no_redirects();
    let rows: &[RangeRow] = &[
        (
            "a closed range",
            Some("bytes=5-14"),
            StatusCode::PARTIAL_CONTENT,
            Some("bytes 5-14/9000"),
            5..15,
        ),
        (
            "an open range",
            Some("bytes=8990-"),
            StatusCode::PARTIAL_CONTENT,
            Some("bytes 8990-8999/9000"),
            8990..9000,
        ),
        (
            "the last bytes",
            Some("bytes=-3"),
            StatusCode::PARTIAL_CONTENT,
            Some("bytes 8997-8999/9000"),
            8997..9000,
        ),
        ("no range", None, StatusCode::OK, None, 0..9000),
        (
            "a range past the end",
            Some("bytes=9000-"),
            StatusCode::RANGE_NOT_SATISFIABLE,
            Some("bytes */9000"),
            0..0,
        ),
    ];
    for (sentence, range, status, content_range, want) in rows {
        let mut request = plain.get(app.url(link));
        if let Some(range) = range {
            request = request.header(RANGE, *range);
        }
        let answer = request.send().await.unwrap();
        assert_eq!(answer.status(), *status, "{sentence}");
        assert_eq!(
            answer
                .headers()
                .get(CONTENT_RANGE)
                .map(|v| v.to_str().unwrap()),
            *content_range,
            "{sentence}"
        );
        if status.is_success() {
            assert_eq!(
                answer.headers()[CONTENT_TYPE],
                "application/pdf",
                "{sentence}"
            );
            assert!(
                answer.headers()["cache-control"]
                    .to_str()
                    .unwrap()
                    .starts_with("private")
            );
            assert_eq!(
                answer.bytes().await.unwrap().as_ref(),
                &bytes[want.clone()],
                "{sentence}"
            );
        }
    }
    let id = media["id"].as_str().unwrap();
    let unsigned = plain
        .get(app.url(&format!("/media/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        unsigned.status(),
        StatusCode::FORBIDDEN,
        "access rules hold in proxy mode"
    );
    let tampered = link.replace("sig=", "sig=00");
    let answer = plain.get(app.url(&tampered)).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
}

fn write_config(dir: &std::path::Path, peer: &Peer, prefix: &str) -> std::path::PathBuf {
    let path = dir.join("migrate.toml");
    let text = format!(
        "data_dir = {data:?}\n[media.s3]\nbucket = {bucket:?}\nendpoint = {endpoint:?}\n\
         region = {region:?}\naccess_key_id = {access:?}\nsecret_access_key = {secret:?}\n\
         prefix = {prefix:?}\n",
        data = dir.join("data").display().to_string(),
        bucket = peer.bucket,
        endpoint = peer.endpoint,
        region = peer.region,
        access = peer.access,
        secret = peer.secret,
    );
    std::fs::write(&path, text).unwrap();
    path
}

fn migrate(config: &std::path::Path) -> std::process::Child {
    Command::new(BINARY)
        .args([
            "--config",
            config.to_str().unwrap(),
            "media",
            "migrate",
            "--to",
            "s3",
        ])
        .env("SCHOOLHOUSE_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[tokio::test]
async fn media_migrate_to_s3_is_resumable_and_verifies_every_file() {
    let peer = peer();
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let prefix = format!("t{}", uuid_suffix());
    const FILES: u32 = 40;
    let app = spawn_app_with(|c| c.data_dir = data.clone()).await;
    let c = cast(&app).await;
    let mut files = Vec::new();
    for seed in 0..FILES {
        let bytes = pdf(100 + seed, 256 * 1024);
        let (status, media) = upload(&app, &c.teacher.token, "f.pdf", bytes.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{media}");
        files.push((media["id"].as_str().unwrap().to_string(), bytes));
    }
    app.stop().await;
    // A wrong object already under one file's key must be found and replaced.
    let (_, victim) = &files[FILES as usize - 1];
    let junk = work.path().join("junk");
    std::fs::write(&junk, b"not the right bytes").unwrap();
    let put = peer.curl(&[
        "-T",
        junk.to_str().unwrap(),
        &peer.object_url(&prefix, &sha256(victim)),
    ]);
    assert_eq!(put.0, 200, "{put:?}");

    let config = write_config(work.path(), &peer, &prefix);
    // First run: killed (SIGKILL) as soon as it reports its first file.
    let mut first = migrate(&config);
    let mut lines = BufReader::new(first.stdout.take().unwrap()).lines();
    let line = lines.next().expect("a first line").unwrap();
    assert!(line.starts_with("copied "), "{line}");
    first.kill().unwrap();
    let status = first.wait().unwrap();
    assert!(!status.success(), "the first run was cut short");
    let copied_before = files
        .iter()
        .filter(|(_, bytes)| {
            peer.object(&prefix, &sha256(bytes)).as_deref() == Some(bytes.as_slice())
        })
        .count();
    assert!(
        copied_before < FILES as usize,
        "killed halfway: {copied_before} of {FILES}"
    );

    // Second run: finishes, and reads every object back.
    let second = migrate(&config).wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&second.stdout);
    assert!(
        second.status.success(),
        "{out}\n{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert!(out.contains(&format!("{FILES} file(s): ")), "{out}");
    assert!(out.contains("0 missing, 0 damaged"), "{out}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("verified ")).count(),
        copied_before,
        "{out}"
    );
    for (_, bytes) in &files {
        assert_eq!(
            peer.object(&prefix, &sha256(bytes)).as_deref(),
            Some(bytes.as_slice()),
            "every object holds its file's bytes"
        );
    }
    // Third run: nothing left to copy.
    let third = migrate(&config).wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&third.stdout);
    assert!(
        out.contains(&format!("0 copied, {FILES} already in the bucket")),
        "{out}"
    );

    // Switched to the bucket, the server serves the migrated files.
    let app = spawn_app_with(|c| {
        c.data_dir = data.clone();
        bucket_store(c, &peer, &prefix, Delivery::Redirect);
    })
    .await;
    let (id, bytes) = &files[7];
    let link = schoolhouse::catalog::signed_media_url(&app.state, id);
    let served = app.client.get(app.url(&link)).send().await.unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(served.bytes().await.unwrap().as_ref(), bytes.as_slice());
}

#[tokio::test]
async fn media_migrate_reports_a_file_missing_everywhere_and_fails() {
    let peer = peer();
    let work = tempfile::tempdir().unwrap();
    let data = work.path().join("data");
    let prefix = format!("t{}", uuid_suffix());
    let app = spawn_app_with(|c| c.data_dir = data.clone()).await;
    let c = cast(&app).await;
    let (kept, lost) = (pdf(900, 4000), pdf(901, 4000));
    upload(&app, &c.teacher.token, "kept.pdf", kept.clone()).await;
    upload(&app, &c.teacher.token, "lost.pdf", lost.clone()).await;
    app.stop().await;
    let sha = sha256(&lost);
    std::fs::remove_file(data.join("media").join(&sha[..2]).join(&sha)).unwrap();
    let run = migrate(&write_config(work.path(), &peer, &prefix))
        .wait_with_output()
        .unwrap();
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(!run.status.success(), "{out}");
    assert!(out.contains(&format!("MISSING {sha}")), "{out}");
    assert!(
        out.contains("1 copied, 0 already in the bucket, 1 missing"),
        "{out}"
    );
    assert_eq!(
        peer.object(&prefix, &sha256(&kept)).as_deref(),
        Some(kept.as_slice())
    );
    assert_eq!(peer.object(&prefix, &sha), None);
}
