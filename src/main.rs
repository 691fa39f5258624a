use clap::Parser;

// sled copies tree nodes on every write; with glibc's allocator a bulk load
// spends a third of its time in malloc and free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = qiangji::cli::Cli::parse();
    let lang = cli.global.lang;
    if let Err(e) = qiangji::cli::run(cli) {
        if let Some(message) = e.message(lang) {
            eprintln!("qiangji: {message}");
        }
        std::process::exit(e.exit_code());
    }
}
