use clap::Parser;

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
