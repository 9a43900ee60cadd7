use clap::Parser;

/// glibc's malloc raises its mmap threshold each time a large block is freed, after which
/// blocks of that size (a gzip compressor's state on every cached view, a country-wide
/// comparison's JSON) come from the heap and are never given back, and the server grew
/// steadily under the write benchmark (docs/benchmarks.md). mimalloc returns freed memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = backend::cli::Cli::parse();
    match backend::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // `{:#}` prints the whole chain of causes on one line: what failed and why.
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
