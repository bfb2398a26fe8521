//! A closed-loop HTTP load generator: N workers, each with its own keep-alive HTTP/1.1
//! connection, sending one request at a time.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use tokio::net::TcpStream;

/// One request to send; built fresh for every iteration.
pub struct Call {
    pub method: Method,
    pub path: String,
    pub token: Option<String>,
    /// The JSON body, serialized once when the call is made.
    pub body: Option<Bytes>,
    /// Requests sent before `path` in the same iteration and not measured (e.g. a cart add
    /// before a checkout).
    pub setup: Vec<Call>,
}

impl Call {
    pub fn get(path: impl Into<String>) -> Call {
        Call {
            method: Method::GET,
            path: path.into(),
            token: None,
            body: None,
            setup: Vec::new(),
        }
    }

    pub fn post(path: impl Into<String>, body: Value) -> Call {
        Call {
            method: Method::POST,
            path: path.into(),
            token: None,
            body: Some(Bytes::from(body.to_string())),
            setup: Vec::new(),
        }
    }

    pub fn auth(mut self, token: &str) -> Call {
        self.token = Some(token.to_string());
        self
    }

    pub fn after(mut self, setup: Call) -> Call {
        self.setup.push(setup);
        self
    }
}

pub type MakeCall = Arc<dyn Fn(usize, u64) -> Call + Send + Sync>;

#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub requests: u64,
    pub errors: u64,
    pub seconds: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub p999_ms: f64,
    /// p99 of the GET requests and of the others, when a run mixes both.
    pub read_write_p99_ms: Option<(f64, f64)>,
    pub first_error: Option<String>,
}

impl Figures {
    pub fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
}

/// One worker's HTTP/1.1 connection, opened once and kept alive.
pub struct Connection {
    sender: http1::SendRequest<Full<Bytes>>,
}

impl Connection {
    pub async fn open(address: SocketAddr) -> Result<Connection, String> {
        let stream = TcpStream::connect(address)
            .await
            .map_err(|e| e.to_string())?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        let (sender, connection) = http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(connection);
        Ok(Connection { sender })
    }

    async fn send(&mut self, call: &Call) -> Result<(), String> {
        let mut request = Request::builder()
            .method(call.method.clone())
            .uri(call.path.as_str())
            .header(HOST, "127.0.0.1");
        if let Some(token) = &call.token {
            request = request.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        if call.body.is_some() {
            request = request.header(CONTENT_TYPE, "application/json");
        }
        let request = request
            .body(Full::new(call.body.clone().unwrap_or_default()))
            .map_err(|e| e.to_string())?;
        self.sender.ready().await.map_err(|e| e.to_string())?;
        let response = self
            .sender
            .send_request(request)
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        if status.is_success() {
            Ok(())
        } else {
            Err(format!(
                "{} {} -> {status}: {}",
                call.method,
                call.path,
                String::from_utf8_lossy(&body)
            ))
        }
    }
}

/// Runs `connections` workers for `duration`, each sending its next request as soon as
/// the last is answered, and returns the measured figures.
pub async fn run(
    address: SocketAddr,
    connections: usize,
    duration: Duration,
    make: MakeCall,
) -> Figures {
    run_paced(address, connections, duration, None, make).await
}

/// Like [`run`], but with `per_second` set each worker sends at a steady pace (together
/// `per_second` requests a second) whatever the answers' speed, and a request's latency
/// counts from when it was due: the p99 of a fixed load, which a busy server delays rather
/// than slows down.
pub async fn run_paced(
    address: SocketAddr,
    connections: usize,
    duration: Duration,
    per_second: Option<f64>,
    make: MakeCall,
) -> Figures {
    let pace = per_second.map(|rate| Duration::from_secs_f64(connections as f64 / rate));
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..connections {
        let make = make.clone();
        workers.push(tokio::spawn(async move {
            // Microseconds, and whether the request was a read (GET).
            let mut latencies: Vec<(u32, bool)> = Vec::with_capacity(100_000);
            let (mut errors, mut first_error) = (0u64, None);
            let mut connection = match Connection::open(address).await {
                Ok(connection) => connection,
                Err(e) => return (latencies, 1, Some(format!("cannot connect: {e}"))),
            };
            // Workers' paces are staggered, so their requests do not arrive in bursts.
            let mut ticks = pace.map(|pace| {
                let first =
                    tokio::time::Instant::now() + pace.mul_f64(worker as f64 / connections as f64);
                let mut ticks = tokio::time::interval_at(first, pace);
                ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
                ticks
            });
            let (mut iteration, mut last_answered) = (0u64, Instant::now());
            while Instant::now() < deadline {
                let due = match &mut ticks {
                    Some(ticks) => Some(ticks.tick().await.into_std()),
                    None => None,
                };
                let call = make(worker, iteration);
                iteration += 1;
                let mut setup_failed = false;
                for setup in &call.setup {
                    if let Err(e) = connection.send(setup).await {
                        errors += 1;
                        first_error.get_or_insert(e);
                        setup_failed = true;
                    }
                }
                if setup_failed {
                    continue;
                }
                // A request held back by the previous one's answer counts from when it was
                // due; one the timer woke late (tokio's timers tick in milliseconds), from
                // when it was sent.
                let sent = Instant::now();
                let counted_from = due.filter(|&due| due < last_answered).unwrap_or(sent);
                let outcome = connection.send(&call).await;
                last_answered = Instant::now();
                let micros = counted_from.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
                latencies.push((micros, call.method == Method::GET));
                if let Err(e) = outcome {
                    errors += 1;
                    first_error.get_or_insert(e);
                }
            }
            (latencies, errors, first_error)
        }));
    }
    let mut all = Vec::new();
    let mut figures = Figures::default();
    for worker in workers {
        if let Ok((latencies, errors, first_error)) = worker.await {
            all.extend(latencies);
            figures.errors += errors;
            if figures.first_error.is_none() {
                figures.first_error = first_error;
            }
        }
    }
    figures.seconds = started.elapsed().as_secs_f64();
    figures.requests = all.len() as u64;
    let (mut reads, mut writes): (Vec<u32>, Vec<u32>) = (Vec::new(), Vec::new());
    for &(micros, read) in &all {
        if read { &mut reads } else { &mut writes }.push(micros);
    }
    let mut every: Vec<u32> = all.iter().map(|&(micros, _)| micros).collect();
    every.sort_unstable();
    figures.p50_ms = percentile_ms(&every, 0.50);
    figures.p99_ms = percentile_ms(&every, 0.99);
    figures.p999_ms = percentile_ms(&every, 0.999);
    if !reads.is_empty() && !writes.is_empty() {
        reads.sort_unstable();
        writes.sort_unstable();
        figures.read_write_p99_ms =
            Some((percentile_ms(&reads, 0.99), percentile_ms(&writes, 0.99)));
    }
    figures
}

/// The `q` quantile of sorted microsecond latencies, in milliseconds.
fn percentile_ms(sorted: &[u32], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let index = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len()) - 1;
    f64::from(sorted[index]) / 1000.0
}
