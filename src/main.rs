fn main() {
    std::process::exit(qiangji::cli::exit::run_main(std::env::args_os()));
}
