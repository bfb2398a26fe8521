//! Fills a fresh data dir with a large, realistic school straight through SQLite, fast.

use std::path::Path;

use argon2::password_hash::PasswordHasher;
use argon2::password_hash::phc::PasswordHash;
use rusqlite::{Connection, Transaction, params};

pub const PASSWORD: &str = "bench passphrase 2026";
pub const LESSONS_PER_COURSE: usize = 20;
/// The learner whose data export is measured: enrolled in this many courses with every
/// lesson's progress (5,000 rows), on top of the free course.
const HEAVY_LEARNER: usize = 3;
const HEAVY_COURSES: usize = 250;

/// How many of each row a school of `scale` times the reference size holds (1x: 10,000
/// users, 1,000 products, 300 courses, 50,000 orders, 100,000 progress rows).
#[derive(Debug, Clone, Copy)]
pub struct Counts {
    pub scale: usize,
    pub users: usize,
    pub products: usize,
    pub courses: usize,
    pub orders: usize,
    pub progress_rows: usize,
}

impl Counts {
    pub fn at(scale: usize) -> Counts {
        Counts {
            scale,
            users: 10_000 * scale,
            products: 1_000 * scale,
            courses: 300 * scale,
            orders: 50_000 * scale,
            progress_rows: 100_000 * scale,
        }
    }
}

const WORDS: &[&str] = &[
    "rust",
    "garden",
    "pottery",
    "guitar",
    "painting",
    "french",
    "algebra",
    "chemistry",
    "baking",
    "yoga",
    "photography",
    "history",
    "python",
    "welding",
    "sewing",
    "chess",
    "drawing",
    "finance",
    "marketing",
    "writing",
    "piano",
    "spanish",
    "biology",
    "physics",
    "carpentry",
    "design",
];

/// What the load scenarios need to address seeded rows.
pub struct Seeded {
    pub student_emails: Vec<String>,
    pub course_ids: Vec<String>,
    pub free_course_id: String,
    pub free_course_lessons: Vec<String>,
    pub category_id: String,
    pub digital_product_ids: Vec<String>,
    pub physical_product_id: String,
    pub heavy_learner_email: String,
    pub instructor_email: String,
}

impl Seeded {
    /// The addresses of a school seeded at `counts`: ids are a pure function of the counts,
    /// so a kept data dir needs no reading back.
    pub fn of(counts: &Counts) -> Seeded {
        Seeded {
            student_emails: (0..counts.users)
                .filter(|n| is_student(*n))
                .map(email)
                .collect(),
            course_ids: (0..counts.courses).map(|n| id(4, n)).collect(),
            free_course_id: id(4, 0),
            free_course_lessons: (0..LESSONS_PER_COURSE).map(|l| id(6, l)).collect(),
            category_id: id(2, 0),
            digital_product_ids: (0..counts.products)
                .filter(|n| n % 2 == 1)
                .map(|n| id(3, n))
                .collect(),
            physical_product_id: id(3, 0),
            heavy_learner_email: email(HEAVY_LEARNER),
            // User 0 teaches every hundredth course.
            instructor_email: email(0),
        }
    }
}

fn email(n: usize) -> String {
    format!("user{n}@bench.school")
}

fn role_of(n: usize) -> &'static str {
    match n % 100 {
        0 => "instructor",
        1 => "vendor",
        2 if n < 300 => "admin",
        _ => "student",
    }
}

fn id(kind: u8, n: usize) -> String {
    // Deterministic UUID-shaped ids keep the seed reproducible.
    format!("0190{kind:04x}-0000-7000-8000-{n:012x}")
}

pub fn seed(data_dir: &Path, counts: &Counts) -> anyhow::Result<Seeded> {
    let mut conn = Connection::open(data_dir.join("schoolhouse.db"))?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA foreign_keys = ON;",
    )?;
    let now = "2026-11-01T09:00:00Z";
    let hash = password_hash()?;
    let tx = conn.transaction()?;
    seed_users(&tx, counts, &hash, now)?;
    seed_catalogue(&tx, counts, now)?;
    seed_orders(&tx, counts, now)?;
    seed_progress(&tx, counts, now)?;
    tx.commit()?;
    Ok(Seeded::of(counts))
}

/// The seeded password's hash, under the server's default argon2 settings, as its own
/// sign-ups would store it (a login under other settings would store a fresh hash).
fn password_hash() -> anyhow::Result<String> {
    let costs = schoolhouse::config::Argon2Config::default();
    let params = argon2::Params::new(costs.memory_kib, costs.iterations, costs.parallelism, None)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_with_salt(PASSWORD.as_bytes(), b"benchsaltbenchsalt")
        .map(|h: PasswordHash| h.to_string())
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Stores the seeded password's hash under this binary's default argon2 settings in a kept
/// school seeded under other ones, so its logins do not re-hash (and write) as they would
/// after a change of the default. Returns the accounts changed.
pub fn rehash_kept(data_dir: &Path) -> anyhow::Result<usize> {
    let conn = Connection::open(data_dir.join("schoolhouse.db"))?;
    Ok(conn.execute(
        "UPDATE users SET password_hash = ?1
         WHERE password_hash <> ?1 AND email LIKE '%@bench.school'",
        [password_hash()?],
    )?)
}

fn seed_users(tx: &Transaction<'_>, counts: &Counts, hash: &str, now: &str) -> anyhow::Result<()> {
    let mut insert = tx.prepare("INSERT INTO users (id, email, name, password_hash, role, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)")?;
    for n in 0..counts.users {
        insert.execute(params![
            id(1, n),
            email(n),
            format!("Bench User {n}"),
            hash,
            role_of(n),
            now
        ])?;
    }
    Ok(())
}

fn seed_catalogue(tx: &Transaction<'_>, counts: &Counts, now: &str) -> anyhow::Result<()> {
    {
        tx.execute("INSERT INTO categories (id, name, slug, position, created_at, updated_at) VALUES (?1, 'Arts', 'arts', 0, ?2, ?2)", params![id(2, 0), now])?;
        tx.execute("INSERT INTO categories (id, name, slug, position, created_at, updated_at) VALUES (?1, 'Science', 'science', 1, ?2, ?2)", params![id(2, 1), now])?;
        let mut product = tx.prepare(
            "INSERT INTO products (id, vendor_id, name, slug, description, kind, price_cents, currency, stock_quantity, category_id, status, sales_count, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'USD', ?8, ?9, 'published', ?10, ?11, ?11)",
        )?;
        for n in 0..counts.products {
            let word = WORDS[n % WORDS.len()];
            let physical = n % 2 == 0;
            product.execute(params![
                id(3, n),
                id(1, 1 + (n % 100) * 100),
                format!("{word} kit {n}"),
                format!("{word}-kit-{n}"),
                format!(
                    "Everything you need for {word}, edition {n}. Made for learners of {} and {}.",
                    WORDS[(n + 3) % WORDS.len()],
                    WORDS[(n + 7) % WORDS.len()]
                ),
                if physical { "physical" } else { "digital" },
                500 + (n as i64 * 37) % 20_000,
                if physical {
                    Some(1_000_000_000i64)
                } else {
                    None
                },
                id(2, n % 2),
                ((n * 13) % 500) as i64,
                now,
            ])?;
        }
        let mut course = tx.prepare(
            "INSERT INTO courses (id, instructor_id, title, slug, description, price_cents, currency, category_id, level, status, rating_sum, rating_count, enrollment_count, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'USD', ?7, 'all', 'published', ?8, ?9, ?10, ?11, ?11)",
        )?;
        let mut section = tx.prepare("INSERT INTO sections (id, course_id, title, position, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)")?;
        let mut lesson = tx.prepare(
            "INSERT INTO lessons (id, course_id, section_id, title, content_type, position, is_preview, required, duration_seconds, body_markdown, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'reading', ?5, ?6, 1, 300, 'Read this carefully.', ?7, ?7)",
        )?;
        for n in 0..counts.courses {
            let word = WORDS[n % WORDS.len()];
            let course_id = id(4, n);
            course.execute(params![
                course_id,
                id(1, (n % 100) * 100),
                format!("{word} for everyone {n}"),
                format!("{word}-for-everyone-{n}"),
                format!(
                    "A complete course on {word} with {} practice.",
                    WORDS[(n + 5) % WORDS.len()]
                ),
                if n == 0 {
                    0
                } else {
                    1_000 + (n as i64 * 101) % 30_000
                },
                id(2, n % 2),
                ((n % 5 + 1) * 40) as i64,
                40,
                ((n * 17) % 900) as i64,
                now,
            ])?;
            for s in 0..4 {
                let section_id = id(5, n * 4 + s);
                section.execute(params![
                    section_id,
                    course_id,
                    format!("Part {}", s + 1),
                    s as i64,
                    now
                ])?;
                for l in 0..LESSONS_PER_COURSE / 4 {
                    let index = n * LESSONS_PER_COURSE + s * 5 + l;
                    lesson.execute(params![
                        id(6, index),
                        course_id,
                        section_id,
                        format!("Lesson {}", s * 5 + l + 1),
                        l as i64,
                        i64::from(s == 0 && l == 0),
                        now
                    ])?;
                }
            }
        }
        // Every student is enrolled in the free course so progress writes are allowed.
        let mut enrol = tx.prepare("INSERT INTO enrollments (id, user_id, course_id, status, source, enrolled_at, updated_at) VALUES (?1, ?2, ?3, 'active', 'free', ?4, ?4)")?;
        for n in 0..counts.users {
            if is_student(n) {
                enrol.execute(params![id(7, n), id(1, n), id(4, 0), now])?;
            }
        }
        for c in 1..=HEAVY_COURSES.min(counts.courses - 1) {
            enrol.execute(params![id(10, c), id(1, HEAVY_LEARNER), id(4, c), now])?;
        }
    }
    Ok(())
}

fn is_student(n: usize) -> bool {
    n % 100 > 2
}

/// Past orders of students (1 or 2 products each) numbered SH-000001.., and the order
/// counter left at the last number so new checkouts continue without a gap.
fn seed_orders(tx: &Transaction<'_>, counts: &Counts, now: &str) -> anyhow::Result<()> {
    let mut order = tx.prepare(
        "INSERT INTO orders (id, number, user_id, status, currency, subtotal_cents, discount_cents,
            tax_cents, shipping_cents, total_cents, prices_include_tax, shipping_method,
            shipping_address, billing_country, created_at, updated_at, paid_at)
         VALUES (?1, ?2, ?3, ?4, 'USD', ?5, 0, 0, ?6, ?7, 0, ?8, ?9, 'US', ?10, ?11, ?12)",
    )?;
    let mut item = tx.prepare(
        "INSERT INTO order_items (id, order_id, item_type, item_kind, item_id, name, quantity,
            unit_price_cents, discount_cents, tax_cents, tax_rate_bps, total_cents, vendor_id,
            position)
         VALUES (?1, ?2, 'product', ?3, ?4, ?5, ?6, ?7, 0, 0, 0, ?8, ?9, ?10)",
    )?;
    let address = r#"{"name":"Bench Buyer","line1":"1 Main St","city":"Springfield","postal_code":"12345","country":"US"}"#;
    let mut user = 0usize;
    for k in 0..counts.orders {
        user = (user + 7) % counts.users;
        while !is_student(user) {
            user = (user + 1) % counts.users;
        }
        let order_id = id(8, k);
        let created = format!(
            "2026-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            1 + (k * 10 / counts.orders),
            1 + k % 28,
            k % 24,
            k % 60,
            (k / 60) % 60
        );
        let lines: Vec<(usize, i64, i64)> = (0..1 + k % 2)
            .map(|position| {
                let p = (k * 31 + position * 17) % counts.products;
                (p, 1 + (k % 3) as i64, 500 + (p as i64 * 37) % 20_000)
            })
            .collect();
        let subtotal: i64 = lines.iter().map(|(_, q, unit)| q * unit).sum();
        let physical = lines.iter().any(|(p, _, _)| p % 2 == 0);
        let status = match k % 20 {
            0 => "pending",
            1 => "cancelled",
            2 => "refunded",
            3..=6 => "delivered",
            7..=9 => "shipped",
            _ => "paid",
        };
        let shipping = if physical { 500 } else { 0 };
        order.execute(params![
            order_id,
            format!("SH-{:06}", k + 1),
            id(1, user),
            status,
            subtotal,
            shipping,
            subtotal + shipping,
            physical.then_some("standard"),
            physical.then_some(address),
            created,
            now,
            (!matches!(status, "pending" | "cancelled")).then_some(&created),
        ])?;
        for (position, (p, quantity, unit)) in lines.into_iter().enumerate() {
            item.execute(params![
                id(9, k * 2 + position),
                order_id,
                if p % 2 == 0 {
                    "physical_product"
                } else {
                    "digital_product"
                },
                id(3, p),
                format!("{} kit {p}", WORDS[p % WORDS.len()]),
                quantity,
                unit,
                unit * quantity,
                id(1, 1 + (p % 100) * 100),
                position as i64,
            ])?;
        }
    }
    tx.execute(
        "UPDATE counters SET value = ?1 WHERE name = 'order_number'",
        [counts.orders as i64],
    )?;
    Ok(())
}

/// Lesson progress of the free course: every lesson of the first students' enrolments
/// (a mix of completed and in-progress lessons); then the heavy learner's courses, whole.
fn seed_progress(tx: &Transaction<'_>, counts: &Counts, now: &str) -> anyhow::Result<()> {
    let mut progress = tx.prepare(
        "INSERT INTO lesson_progress (enrollment_id, lesson_id, completed_at, time_spent_seconds,
            updated_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut rows = 0;
    'students: for n in (0..counts.users).filter(|n| is_student(*n)) {
        for l in 0..LESSONS_PER_COURSE {
            if rows == counts.progress_rows {
                break 'students;
            }
            progress.execute(params![
                id(7, n),
                id(6, l),
                (l % 3 != 2).then_some(now),
                (60 + (n + l) % 240) as i64,
                now
            ])?;
            rows += 1;
        }
    }
    for c in 1..=HEAVY_COURSES.min(counts.courses - 1) {
        for l in 0..LESSONS_PER_COURSE {
            progress.execute(params![
                id(10, c),
                id(6, c * LESSONS_PER_COURSE + l),
                now,
                120,
                now
            ])?;
        }
    }
    Ok(())
}

/// The checkout rows' buyers after the first `signed_in` students (who sign in through the
/// API): up to `most` students signed in directly (a session row each and its access token,
/// signed with the data dir's key), since 10,000 argon2 logins would take minutes. Spread
/// over this many buyers, each holds a few unpaid orders during a row, as a school's buyer
/// does (`orders.max_open_orders` is 3), instead of the ~90 each that 768 buyers piled up,
/// which the hold checks walked (two thirds of the writer's time per order). Called before
/// the server starts; the bench's earlier sessions are removed first.
pub fn sign_in_buyers(
    data_dir: &Path,
    counts: &Counts,
    signed_in: usize,
    most: usize,
) -> anyhow::Result<Vec<String>> {
    use schoolhouse::security::tokens::{Claims, JwtKeys, random_token};
    let secrets = schoolhouse::security::keys::Secrets::load_or_create(
        data_dir,
        &schoolhouse::config::Config::default().auth,
    )?;
    let keys = JwtKeys::new(&secrets.jwt_secret);
    let now = time::OffsetDateTime::now_utc();
    let text = |at: time::OffsetDateTime| schoolhouse::clock::rfc3339(at);
    let (created, expires) = (text(now), text(now + time::Duration::days(1)));
    let mut conn = rusqlite::Connection::open(data_dir.join("schoolhouse.db"))?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM sessions WHERE user_agent = 'bench'", [])?;
    let mut insert = tx.prepare(
        "INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, user_agent)
         VALUES (?1, ?2, ?3, ?3, ?4, 'bench')",
    )?;
    let mut tokens = Vec::new();
    for n in (0..counts.users)
        .filter(|n| is_student(*n))
        .skip(signed_in)
        .take(most)
    {
        let (user_id, sid) = (id(1, n), random_token());
        insert.execute(params![sid, user_id, created, expires])?;
        tokens.push(keys.sign(&Claims {
            sub: user_id,
            sid,
            role: schoolhouse::users::Role::Student,
            iat: now.unix_timestamp(),
            exp: (now + time::Duration::hours(12)).unix_timestamp(),
        })?);
    }
    drop(insert);
    tx.commit()?;
    Ok(tokens)
}
