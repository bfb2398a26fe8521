//! Replication drills against the real Litestream and a real S3 store (SeaweedFS): losing
//! the machine, restoring to a point in time, promoting a warm standby, and a clean stop.
//! Each prints its measured figure (RPO, restore time, point-in-time precision).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::replication::{
    BIN, Node, Peer, assert_prefix, cli, held, login, order, order_for, said, shop, unique_prefix,
};
use crate::support::client;

/// Acknowledged writes younger than this at the kill may be missing from the replica
/// (the sync interval is 1 s; the rest is upload time).
const RPO_LIMIT: Duration = Duration::from_secs(2);
/// How long orders are placed before the machine is lost.
const LOAD: Duration = Duration::from_secs(6);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn losing_the_machine_loses_at_most_the_last_two_seconds_of_orders() {
    let peer = Peer::from_env();
    let env = peer.env(&unique_prefix("disaster"));
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let product = shop(&data).await;
    let mut primary = Node::start(&data, &env, &dir.path().join("primary.log")).await;
    let acked = order_for(&primary.base, &product, LOAD).await;
    assert!(acked.len() > 20, "only {} orders placed", acked.len());

    primary.kill_machine();
    let killed = Instant::now();
    std::fs::remove_dir_all(&data).unwrap();
    let out = cli(
        &[
            "restore",
            "--from-replica",
            "--data-dir",
            data.to_str().unwrap(),
        ],
        &env,
    );
    assert!(out.status.success(), "restore failed: {}", said(&out));
    let restored = assert_prefix(&acked, &held(&data, &product));
    let node = Node::start(&data, &env, &dir.path().join("restored.log")).await;
    let restore_seconds = killed.elapsed().as_secs_f64();

    let lost = &acked[restored..];
    let rpo = lost
        .first()
        .map_or(0.0, |first| (killed - first.instant).as_secs_f64());
    println!(
        "disaster drill: {} orders acknowledged, {restored} restored, RPO {rpo:.2} s, \
         restore time (kill to /readyz 200) {restore_seconds:.1} s",
        acked.len()
    );
    assert!(
        lost.iter().all(|o| killed - o.instant <= RPO_LIMIT),
        "orders acknowledged more than {RPO_LIMIT:?} before the kill are missing (RPO {rpo:.2} s)"
    );
    // The restored server serves the buyer and takes the next order number.
    let token = login(&node.base).await;
    let next = order(&client(), &node.base, &token, &product)
        .await
        .expect("the restored server takes an order");
    assert_eq!(
        next.number
            .trim_start_matches(|c: char| !c.is_ascii_digit())
            .parse::<usize>()
            .ok(),
        Some(restored + 1),
        "order number {}",
        next.number
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_to_the_time_of_an_order_holds_the_orders_up_to_that_moment() {
    let peer = Peer::from_env();
    let env = peer.env(&unique_prefix("pitr"));
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let product = shop(&data).await;
    let mut primary = Node::start(&data, &env, &dir.path().join("primary.log")).await;
    let acked = order_for(&primary.base, &product, LOAD).await;
    primary.stop();
    let target = &acked[acked.len() / 2];
    let at = target.at;

    let restored_dir = dir.path().join("as-of");
    let stamp = schoolhouse::clock::rfc3339(at);
    let out = cli(
        &[
            "restore",
            "--from-replica",
            "--timestamp",
            &stamp,
            "--data-dir",
            restored_dir.to_str().unwrap(),
        ],
        &env,
    );
    assert!(out.status.success(), "restore failed: {}", said(&out));
    let restored = assert_prefix(&acked, &held(&restored_dir, &product));
    assert!(restored > 0, "nothing restored as of {stamp}");
    let last = &acked[restored - 1];
    let precision = (at - last.at).as_seconds_f64();
    println!(
        "point in time: asked for {stamp} (order {} of {}), got the state after order \
         {restored}: precision {precision:.2} s",
        acked.len() / 2 + 1,
        acked.len()
    );
    // Within the sync interval (1 s) plus the replica's one-second timestamps.
    let slack = time::Duration::seconds(2);
    assert!(
        acked.iter().take_while(|o| o.at <= at - slack).count() <= restored,
        "orders acknowledged well before {stamp} are missing"
    );
    assert!(
        acked[restored..].iter().all(|o| o.at > at - slack),
        "the restore stopped more than 2 s before {stamp}"
    );
    assert!(
        acked[..restored].iter().all(|o| o.at <= at + slack),
        "orders acknowledged after {stamp} were restored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_promoted_standby_serves_and_takes_orders_after_the_primary_is_lost() {
    let peer = Peer::from_env();
    let env = peer.env(&unique_prefix("standby"));
    let dir = tempfile::tempdir().unwrap();
    let (data, copy) = (dir.path().join("primary"), dir.path().join("standby"));
    let product = shop(&data).await;
    let mut primary = Node::start(&data, &env, &dir.path().join("primary.log")).await;
    let first = order_for(&primary.base, &product, Duration::from_secs(2)).await;

    let standby_log = std::fs::File::create(dir.path().join("standby.log")).unwrap();
    let follower = Command::new(BIN)
        .args(["standby", "--data-dir", copy.to_str().unwrap()])
        .env_remove("SCHOOLHOUSE_CONFIG")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdout(standby_log.try_clone().unwrap())
        .stderr(standby_log)
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    // Reaped as soon as it exits, as its service manager would: `promote` waits for it.
    let standby = std::thread::spawn(move || {
        let mut follower = follower;
        follower.wait().unwrap()
    });
    let marked = Instant::now();
    while !copy.join("STANDBY").exists() {
        assert!(
            marked.elapsed() < Duration::from_secs(20),
            "the standby never marked its copy"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // While it follows, no server may open the copy.
    let more = order_for(&primary.base, &product, Duration::from_secs(2)).await;
    let acked: Vec<_> = first.into_iter().chain(more).collect();
    let refused = cli(&["migrate", "--data-dir", copy.to_str().unwrap()], &env);
    assert!(
        !refused.status.success(),
        "a standby copy was opened: {}",
        said(&refused)
    );
    assert!(said(&refused).contains("promote"), "{}", said(&refused));

    primary.kill_machine();
    let killed = Instant::now();
    let out = cli(&["promote", "--data-dir", copy.to_str().unwrap()], &env);
    assert!(out.status.success(), "promote failed: {}", said(&out));
    let status = standby.join().unwrap();
    assert!(
        status.code().is_some(),
        "the follower was not stopped: {status:?}"
    );
    let restored = assert_prefix(&acked, &held(&copy, &product));
    let node = Node::start(&copy, &env, &dir.path().join("promoted.log")).await;
    println!(
        "standby promotion: {restored} of {} orders kept, kill to /readyz 200 in {:.1} s",
        acked.len(),
        killed.elapsed().as_secs_f64()
    );
    assert!(
        acked[restored..]
            .iter()
            .all(|o| killed - o.instant <= Duration::from_secs(2)),
        "the promoted copy misses orders older than 2 s"
    );
    let token = login(&node.base).await;
    assert!(
        order(&client(), &node.base, &token, &product)
            .await
            .is_some(),
        "the promoted server refused an order"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clean_stop_with_replication_on_loses_nothing_and_takes_under_two_seconds() {
    let peer = Peer::from_env();
    let env = peer.env(&unique_prefix("clean-stop"));
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let product = shop(&data).await;
    let mut primary = Node::start(&data, &env, &dir.path().join("primary.log")).await;
    let acked = order_for(&primary.base, &product, Duration::from_secs(2)).await;

    let metrics = client()
        .get(format!("{}/metrics", primary.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for gauge in [
        "replication_replica_readable 1",
        "replication_lag_seconds ",
        "replication_last_sync_timestamp_seconds ",
    ] {
        assert!(
            metrics.contains(gauge),
            "{gauge} missing from /metrics:\n{metrics}"
        );
    }
    let doctor = cli(
        &["doctor", "--json", "--data-dir", data.to_str().unwrap()],
        &env,
    );
    let checks: serde_json::Value = serde_json::from_slice(&doctor.stdout).unwrap();
    let replication = checks["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "replication")
        .unwrap_or_else(|| panic!("no replication check: {checks}"));
    assert!(
        replication["message"]
            .as_str()
            .unwrap()
            .contains("last sync"),
        "{replication}"
    );

    let took = primary.stop();
    println!(
        "clean stop with replication on: {:.2} s",
        took.as_secs_f64()
    );
    assert!(
        took < Duration::from_secs(2),
        "stopping took {took:?}:\n{}",
        primary.log_text()
    );
    assert!(
        !primary.log_text().contains("WAL checkpoint was busy"),
        "the server fought Litestream over a checkpoint:\n{}",
        primary.log_text()
    );
    let elsewhere = dir.path().join("elsewhere");
    let out = cli(
        &[
            "restore",
            "--from-replica",
            "--data-dir",
            elsewhere.to_str().unwrap(),
        ],
        &env,
    );
    assert!(out.status.success(), "restore failed: {}", said(&out));
    assert_eq!(
        assert_prefix(&acked, &held(&elsewhere, &product)),
        acked.len()
    );
}
