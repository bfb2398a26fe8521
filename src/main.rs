//! The `schoolhouse` binary: parses the command line and runs the chosen subcommand.

use clap::Parser;

/// mimalloc instead of glibc's allocator, whose per-thread arenas can each keep freed
/// password-hash buffers (argon2 allocates `auth.argon2.memory_kib` per hash).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Threads for blocking work: database reads (at most `database.read_pool_size` at once, 8
/// by default) and file I/O (password hashing has its own pool). A read hands its
/// connection back just before its thread is idle again, so a busy server otherwise keeps
/// starting threads beyond the readers, and every thread keeps its own allocator pages:
/// with 64 allowed, the benchmark's read rows left about 30 MB more resident.
const MAX_BLOCKING_THREADS: usize = 12;

fn main() -> std::process::ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .build();
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    runtime.block_on(run())
}

async fn run() -> std::process::ExitCode {
    let cli = schoolhouse::cli::Cli::parse();
    match schoolhouse::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
