//! The request-rate rows: the `/healthz` baseline, catalogue reads, cart, checkout,
//! progress, logins and the mixed load, each printed as a row of the table.

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use crate::load::{self, Call, MakeCall};
use crate::seed::{self, Seeded};
use crate::{Options, row, write_row};

/// Runs the rows `options` asks for; returns the baseline's requests/s and the progress
/// write (reused by the mail drain row).
/// Signed-in students: the first 256 (signed in through the API) make cart adds, progress
/// and the mixed load's writes; the rest (signed in by [`crate::seed::sign_in_buyers`]) are
/// the checkout rows' buyers.
pub const BUYERS_START: usize = 256;
/// Buyers signed in directly, at most: more than a row's orders.
pub const MOST_BUYERS: usize = 60_000;

/// The buyer of worker `w`'s `i`-th order among `tokens` tokens: each worker takes its own
/// share of the buyers in turn, so a buyer holds a few unpaid orders as a school's buyer
/// does (`orders.max_open_orders`, which the benchmark lifts), and no two requests of one
/// buyer race.
fn buyer(w: usize, i: u64, tokens: usize) -> usize {
    let per_worker = ((tokens - BUYERS_START) / 32).max(1);
    BUYERS_START + (w % 32) * per_worker + (i as usize % per_worker)
}

pub async fn rows(
    client: &reqwest::Client,
    base: &str,
    address: std::net::SocketAddr,
    options: &Options,
    seeded: &Arc<Seeded>,
    tokens: &Arc<Vec<String>>,
) -> (f64, MakeCall) {
    let duration = Duration::from_secs(options.seconds);
    let healthz: MakeCall = Arc::new(|_, _| Call::get("/healthz"));
    let baseline = load::run(address, 32, duration, healthz.clone()).await;
    row("GET /healthz (baseline)", 32, &baseline, baseline.rps());
    let base_rps = baseline.rps();

    let s = Arc::clone(seeded);
    let course_list: MakeCall = Arc::new(move |_, i| {
        Call::get(format!(
            "/api/courses?per_page=20&sort=rating&category={}&page={}",
            s.category_id,
            1 + i % 5
        ))
    });
    if options.wants("courses") {
        row(
            "GET /api/courses (filter+sort)",
            32,
            &load::run(address, 32, duration, course_list.clone()).await,
            base_rps,
        );
    }

    let s = Arc::clone(seeded);
    let course_detail: MakeCall = Arc::new(move |w, i| {
        Call::get(format!(
            "/api/courses/{}",
            s.course_ids[(w * 7 + i as usize) % s.course_ids.len()]
        ))
    });
    if options.wants("course") {
        row(
            "GET /api/courses/:id",
            32,
            &load::run(address, 32, duration, course_detail.clone()).await,
            base_rps,
        );
    }

    let search: MakeCall = Arc::new(|w, i| {
        const TERMS: &[&str] = &["garden", "guitar", "chess", "piano", "yoga", "design"];
        Call::get(format!(
            "/api/products?q={}",
            TERMS[(w + i as usize) % TERMS.len()]
        ))
    });
    if options.wants("search") {
        row(
            "GET /api/products?q= (search)",
            32,
            &load::run(address, 32, duration, search).await,
            base_rps,
        );
    }

    // Cart adds use their own 32 users (tokens 32..64), so checkout's carts start empty;
    // each worker cycles through the digital products (a line holds at most 1,000).
    let (s, t) = (Arc::clone(seeded), Arc::clone(tokens));
    let cart_add: MakeCall = Arc::new(move |w, i| {
        let product = &s.digital_product_ids[(w * 13 + i as usize) % s.digital_product_ids.len()];
        Call::post(
            "/api/cart",
            json!({ "item_type": "product", "item_id": product, "quantity": 1 }),
        )
        .auth(&t[32 + w])
    });
    if options.wants("cart") {
        write_row(
            client,
            base,
            address,
            "POST /api/cart",
            duration,
            cart_add,
            base_rps,
        )
        .await;
    }

    let shipping = json!({ "name": "Bench", "line1": "1 Main St", "city": "Springfield", "postal_code": "12345", "country": "US" });
    // "Buy now": the physical product named in the order itself, one request per order.
    let (s, t, to) = (Arc::clone(seeded), Arc::clone(tokens), shipping.clone());
    let checkout: MakeCall = Arc::new(move |w, i| {
        Call::post(
            "/api/orders",
            json!({ "items": [{ "item_type": "product", "item_id": s.physical_product_id }], "shipping_method": "standard", "shipping_address": to }),
        )
        .auth(&t[buyer(w, i, t.len())])
    });
    if options.wants("checkout") {
        write_row(
            client,
            base,
            address,
            "POST /api/orders (checkout)",
            duration,
            checkout,
            base_rps,
        )
        .await;
    }

    // The same order through the cart: a cart add, then the order of the cart.
    let (s, t) = (Arc::clone(seeded), Arc::clone(tokens));
    let cart_checkout: MakeCall = Arc::new(move |w, i| {
        let buyer = buyer(w, i, t.len());
        Call::post(
            "/api/orders",
            json!({ "shipping_method": "standard", "shipping_address": shipping }),
        )
        .auth(&t[buyer])
        .after(
            Call::post(
                "/api/cart",
                json!({ "item_type": "product", "item_id": s.physical_product_id, "quantity": 1 }),
            )
            .auth(&t[buyer]),
        )
    });
    if options.wants("cart-checkout") {
        write_row(
            client,
            base,
            address,
            "POST /api/cart + /api/orders",
            duration,
            cart_checkout,
            base_rps,
        )
        .await;
    }

    let (s, t) = (Arc::clone(seeded), Arc::clone(tokens));
    let progress: MakeCall = Arc::new(move |w, i| {
        let lesson = &s.free_course_lessons[(i as usize) % s.free_course_lessons.len()];
        Call::post(
            format!("/api/courses/{}/progress", s.free_course_id),
            json!({ "lesson_id": lesson, "time_spent_seconds": 1 }),
        )
        .auth(&t[w])
    });
    if options.wants("progress") {
        write_row(
            client,
            base,
            address,
            "POST /api/courses/:id/progress",
            duration,
            progress.clone(),
            base_rps,
        )
        .await;
    }

    let s = Arc::clone(seeded);
    let logins: MakeCall = Arc::new(move |w, i| {
        Call::post(
            "/api/auth/login",
            json!({ "email": s.student_emails[(w * 31 + i as usize) % s.student_emails.len()], "password": seed::PASSWORD }),
        )
    });
    if options.wants("login") {
        crate::quiet_down(client, base).await;
        let paced = Some(READS_DURING_LOGINS_PER_SECOND);
        let reads_idle =
            load::run_paced(address, 4, duration / 2, paced, course_detail.clone()).await;
        let (login_figures, reads_during) = tokio::join!(
            load::run(address, 32, duration, logins),
            load::run_paced(address, 4, duration, paced, course_detail.clone()),
        );
        row(
            "POST /api/auth/login (argon2 hashes)",
            32,
            &login_figures,
            base_rps,
        );
        row(
            "  GET /api/courses/:id, 1,000/s idle",
            4,
            &reads_idle,
            base_rps,
        );
        row(
            "  GET /api/courses/:id, during logins",
            4,
            &reads_during,
            base_rps,
        );
        let slower = reads_during.p99_ms / reads_idle.p99_ms.max(1e-9);
        println!("    the reads' p99 during the logins: {slower:.2}x idle");
        crate::summary::record("reads' p99 during logins, of idle", "x", slower);
        let raw = raw_argon2_rate(duration / 2).await;
        let share = login_figures.rps() / raw.max(1e-9) * 100.0;
        println!(
            "    argon2 in this process (the server's parameters, one hash per core at a time): {raw:.1} hashes/s; logins reached {share:.0} % of it"
        );
        crate::summary::record("argon2 hashes in-process", "hashes/s", raw);
        crate::summary::record("logins as a share of raw argon2", "%", share);
    }

    for connections in [32, 256] {
        if !options.wants("mixed") {
            break;
        }
        crate::quiet_down(client, base).await;
        let (reads, writes) = (course_list.clone(), progress.clone());
        let detail = course_detail.clone();
        let mixed: MakeCall = Arc::new(move |w, i| match i % 10 {
            0 | 1 => writes(w % 256, i),
            2..=5 => detail(w, i),
            _ => reads(w, i),
        });
        row(
            "mixed 80% read / 20% write",
            connections,
            &load::run(address, connections, duration, mixed).await,
            base_rps,
        );
    }

    // The machine's own drift over the rows: the shares above are of the first baseline.
    crate::quiet_down(client, base).await;
    let again = load::run(address, 32, duration / 2, healthz).await;
    row("GET /healthz (again, after the rows)", 32, &again, base_rps);

    (base_rps, progress)
}

/// The steady read load whose p99 is measured idle and during the login flood: a busy
/// school's browsing. A load that reads as fast as the server answers would take every
/// core the hashes leave and more; a fixed one shows what a flood of logins costs others.
const READS_DURING_LOGINS_PER_SECOND: f64 = 1_000.0;

/// Hashes per second that argon2 reaches here with the server's default parameters, one
/// hash per core at a time (as the server runs them): what logins through the API are
/// measured against.
async fn raw_argon2_rate(duration: Duration) -> f64 {
    let config = schoolhouse::config::Config::default();
    let hasher = schoolhouse::security::password::PasswordHasherConfig::new(&config.auth.argon2)
        .expect("argon2 parameters");
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let started = std::time::Instant::now();
    let threads: Vec<_> = (0..cores)
        .map(|_| {
            let hasher = hasher.clone();
            std::thread::spawn(move || {
                let mut hashes = 0u64;
                while started.elapsed() < duration {
                    let _ = hasher.hash("correct horse battery staple");
                    hashes += 1;
                }
                hashes
            })
        })
        .collect();
    let hashes: u64 = tokio::task::spawn_blocking(move || {
        threads.into_iter().map(|t| t.join().unwrap_or(0)).sum()
    })
    .await
    .unwrap_or(0);
    hashes as f64 / started.elapsed().as_secs_f64()
}
