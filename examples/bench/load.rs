//! A closed-loop HTTP load generator: N workers, each sending one request at a time.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::{Client, Method};
use serde_json::Value;

/// One request to send; built fresh for every iteration.
pub struct Call {
    pub method: Method,
    pub path: String,
    pub token: Option<String>,
    pub body: Option<Value>,
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
            body: Some(body),
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
    pub first_error: Option<String>,
}

impl Figures {
    pub fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
}

async fn send(client: &Client, base: &str, call: &Call) -> Result<(), String> {
    let mut request = client.request(call.method.clone(), format!("{base}{}", call.path));
    if let Some(token) = &call.token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = &call.body {
        request = request.json(body);
    }
    let response = request.send().await.map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| e.to_string())?;
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

/// Runs `connections` workers for `duration` and returns the measured figures.
pub async fn run(
    client: &Client,
    base: &str,
    connections: usize,
    duration: Duration,
    make: MakeCall,
) -> Figures {
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let mut workers = Vec::new();
    for worker in 0..connections {
        let (client, base, make) = (client.clone(), base.to_string(), make.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies: Vec<u32> = Vec::with_capacity(100_000);
            let (mut errors, mut first_error) = (0u64, None);
            let mut iteration = 0u64;
            while Instant::now() < deadline {
                let call = make(worker, iteration);
                iteration += 1;
                let mut setup_failed = false;
                for setup in &call.setup {
                    if let Err(e) = send(&client, &base, setup).await {
                        errors += 1;
                        first_error.get_or_insert(e);
                        setup_failed = true;
                    }
                }
                if setup_failed {
                    continue;
                }
                let at = Instant::now();
                let outcome = send(&client, &base, &call).await;
                latencies.push(at.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
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
    all.sort_unstable();
    let pick = |q: f64| -> f64 {
        if all.is_empty() {
            return 0.0;
        }
        let index = ((all.len() as f64 * q).ceil() as usize).clamp(1, all.len()) - 1;
        f64::from(all[index]) / 1000.0
    };
    figures.p50_ms = pick(0.50);
    figures.p99_ms = pick(0.99);
    figures.p999_ms = pick(0.999);
    figures
}
