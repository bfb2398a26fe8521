//! The sender's batches: one mail failing in a batch is its own failure alone, and SMTP
//! mail goes over a small pool of connections kept open, not one per mail.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

use crate::mail::{WAIT, use_smtp};
use crate::support::{TestApp, spawn_app, spawn_app_with};

/// An SMTP server that accepts every recipient but those with `bounce` in the address
/// (550), and counts the connections it was opened and the mails it accepted.
struct FakeSmtp {
    port: u16,
    connections: Arc<AtomicUsize>,
    accepted: Arc<Mutex<Vec<String>>>,
}

async fn fake_smtp() -> FakeSmtp {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = Arc::new(AtomicUsize::new(0));
    let accepted = Arc::new(Mutex::new(Vec::new()));
    let (counter, list) = (connections.clone(), accepted.clone());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(converse(stream, list.clone()));
        }
    });
    FakeSmtp {
        port,
        connections,
        accepted,
    }
}

async fn converse(stream: TcpStream, accepted: Arc<Mutex<Vec<String>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let _ = write.write_all(b"220 fake ESMTP\r\n").await;
    let (mut recipient, mut in_data) = (None::<String>, false);
    while let Ok(Some(line)) = lines.next_line().await {
        if in_data {
            if line == "." {
                in_data = false;
                accepted.lock().unwrap().extend(recipient.take());
                let _ = write.write_all(b"250 accepted\r\n").await;
            }
            continue;
        }
        let command = line.to_ascii_uppercase();
        let reply = if command.starts_with("EHLO") {
            "250-fake\r\n250 8BITMIME"
        } else if command.starts_with("RCPT TO") && line.contains("bounce") {
            "550 no such mailbox"
        } else if command.starts_with("RCPT TO") {
            recipient = Some(
                line["RCPT TO:".len()..]
                    .trim_matches(['<', '>'])
                    .to_string(),
            );
            "250 OK"
        } else if command == "DATA" {
            in_data = true;
            "354 go ahead"
        } else if command == "QUIT" {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            "250 OK"
        };
        let _ = write.write_all(format!("{reply}\r\n").as_bytes()).await;
    }
}

/// Queues one ready-rendered mail per address in one write, as a sale's write would.
async fn queue(app: &TestApp, addresses: &[String]) {
    let (addresses, now) = (addresses.to_vec(), app.state.now_text());
    app.state
        .db
        .write(move |conn| {
            for (n, to) in addresses.iter().enumerate() {
                conn.execute(
                    "INSERT INTO outbox (id, template, to_address, subject, body_text, body_html,
                        created_at, next_attempt_at)
                     VALUES (?1, 'order_paid', ?2, ?3, 'Thank you.', '<p>Thank you.</p>', ?4, ?4)",
                    rusqlite::params![
                        uuid::Uuid::now_v7().to_string(),
                        to,
                        format!("Order {n}"),
                        now
                    ],
                )?;
            }
            Ok(())
        })
        .await
        .unwrap();
    schoolhouse::mail::wake(&app.state);
}

/// `(to, sent, attempts, last_error)` of every outbox row, once none is still untried.
async fn settled(app: &TestApp) -> Vec<(String, bool, i64, Option<String>)> {
    let deadline = Instant::now() + WAIT;
    loop {
        let rows = app
            .state
            .db
            .read(|conn| {
                let mut stmt = conn.prepare(
                    "SELECT to_address, sent_at IS NOT NULL, attempts, last_error FROM outbox",
                )?;
                let rows = stmt
                    .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(rows)
            })
            .await
            .unwrap();
        if rows.iter().all(|row| row.2 > 0) {
            return rows;
        }
        assert!(
            Instant::now() < deadline,
            "the outbox never settled: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn addresses(count: usize, bad_at: usize, bad: &str) -> Vec<String> {
    (0..count)
        .map(|n| match n == bad_at {
            true => bad.to_string(),
            false => format!("buyer{n}@example.com"),
        })
        .collect()
}

/// Checks that only `bad` failed (queued for a retry with its error) and every other mail
/// was sent once with no error.
fn only_the_bad_one_failed(rows: &[(String, bool, i64, Option<String>)], bad: &str) {
    for (to, sent, attempts, error) in rows {
        assert_eq!(*attempts, 1, "{to} was tried once: {rows:?}");
        if to == bad {
            assert!(!sent, "the failed mail to {to} was marked sent");
            assert!(error.is_some(), "the failed mail keeps its error");
        } else {
            assert!(sent, "{to} was not marked sent beside a failure: {rows:?}");
            assert_eq!(error, &None, "{to} was marked failed beside a failure");
        }
    }
}

#[tokio::test]
async fn a_refused_recipient_fails_alone_and_the_rest_of_its_smtp_batch_is_sent_once() {
    let smtp = fake_smtp().await;
    let app = spawn_app_with(|c| {
        use_smtp(c, smtp.port);
        c.mail.smtp.connections = 3;
    })
    .await;
    let bad = "bounce@example.com";
    let mails = addresses(60, 17, bad);
    queue(&app, &mails).await;

    let rows = settled(&app).await;
    assert_eq!(rows.len(), 60);
    only_the_bad_one_failed(&rows, bad);
    let error = rows.iter().find(|r| r.0 == bad).unwrap().3.clone().unwrap();
    assert!(error.contains("SMTP") && error.contains("550"), "{error}");
    let mut accepted = smtp.accepted.lock().unwrap().clone();
    accepted.sort();
    let mut expected: Vec<String> = mails.into_iter().filter(|to| to != bad).collect();
    expected.sort();
    assert_eq!(accepted, expected, "each good mail arrives exactly once");
    // Three pooled connections, plus the one that replaces the connection the refusal
    // closed: never a connection per mail.
    let opened = smtp.connections.load(Ordering::SeqCst);
    assert!(opened <= 4, "{opened} connections for 60 mails");
    app.stop().await;
}

#[tokio::test]
async fn a_mail_that_cannot_be_built_fails_alone_and_the_rest_of_its_file_batch_is_written() {
    let app = spawn_app().await;
    let bad = "not an address";
    queue(&app, &addresses(30, 4, bad)).await;

    let rows = settled(&app).await;
    assert_eq!(rows.len(), 30);
    only_the_bad_one_failed(&rows, bad);
    let files = std::fs::read_dir(app.state.config.data_dir.join("mail"))
        .unwrap()
        .filter(|e| {
            let text = std::fs::read_to_string(e.as_ref().unwrap().path()).unwrap();
            text.contains("Subject: Order ")
        })
        .count();
    assert_eq!(files, 29, "one .eml per mail sent");
}
