//! CPU-heavy work (password hashing, archives) on one thread per core at low scheduling
//! priority: it uses idle cores at full speed but yields them to request handling.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::{Arc, Mutex, mpsc};

use tokio::sync::oneshot;

use crate::http::AppError;

type Job = Box<dyn FnOnce() + Send + 'static>;

/// Nice value of the pool's threads (0 is normal, 19 the lowest priority).
const NICENESS: i32 = 10;

pub struct CpuPool {
    queue: mpsc::Sender<Job>,
}

impl CpuPool {
    /// Starts `threads` workers; they stop when the pool is dropped and the queue is empty.
    pub fn start(threads: usize) -> anyhow::Result<CpuPool> {
        let (queue, jobs) = mpsc::channel::<Job>();
        let jobs = Arc::new(Mutex::new(jobs));
        for i in 0..threads.max(1) {
            let jobs = jobs.clone();
            std::thread::Builder::new()
                .name(format!("cpu-{i}"))
                .spawn(move || work(&jobs))?;
        }
        Ok(CpuPool { queue })
    }

    /// Runs `f` on the pool; jobs beyond one per thread wait their turn, as futures.
    pub async fn run<T, F>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let (reply, outcome) = oneshot::channel();
        let span = tracing::Span::current();
        let job: Job = Box::new(move || {
            let _entered = span.enter();
            // The caller may have gone away; the work is done regardless.
            let _ = reply.send(catch_unwind(AssertUnwindSafe(f)));
        });
        self.queue
            .send(job)
            .map_err(|_| AppError::Unavailable("the server is shutting down".into()))?;
        match outcome.await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(panic)) => resume_unwind(panic),
            Err(_) => Err(AppError::Unavailable("the worker thread stopped".into())),
        }
    }
}

fn work(jobs: &Mutex<mpsc::Receiver<Job>>) {
    // Linux applies a nice value to the one thread whose id is given. A process started
    // nicer than this keeps its own value (raising priority needs privileges).
    let me = Some(rustix::thread::gettid());
    let current = rustix::process::getpriority_process(me).unwrap_or(0);
    if let Err(e) = rustix::process::setpriority_process(me, current.max(NICENESS)) {
        tracing::debug!(error = %e, "cannot lower the priority of a CPU worker");
    }
    loop {
        let next = jobs.lock().unwrap_or_else(|p| p.into_inner()).recv();
        match next {
            Ok(job) => job(),
            Err(_) => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn jobs_run_on_low_priority_threads_and_return_their_value() {
        let pool = CpuPool::start(2).unwrap();
        let (value, nice) = pool
            .run(|| {
                let nice = rustix::process::getpriority_process(Some(rustix::thread::gettid()));
                (6 * 7, nice.unwrap())
            })
            .await
            .unwrap();
        assert_eq!(value, 42);
        assert!(nice >= NICENESS, "nice {nice}");
    }

    #[tokio::test]
    async fn a_panicking_job_panics_its_caller_and_the_pool_goes_on() {
        let pool = CpuPool::start(1).unwrap();
        let failed = tokio::spawn(async move {
            let pool = Arc::new(pool);
            let outcome = tokio::spawn({
                let pool = pool.clone();
                async move { pool.run(|| panic!("boom")).await }
            })
            .await;
            assert!(outcome.unwrap_err().is_panic());
            pool.run(|| 1).await.unwrap()
        })
        .await
        .unwrap();
        assert_eq!(failed, 1);
    }
}
