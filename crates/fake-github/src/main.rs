//! `fake-github`: serves the fake GitHub API over HTTP(S). See `fake_github::server::USAGE`.

use fake_github::server::{run, Options};

#[tokio::main]
async fn main() {
    let options = match Options::parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let serve = run(options);
    tokio::select! {
        result = serve => {
            if let Err(message) = result {
                eprintln!("fake-github: {message}");
                std::process::exit(1);
            }
        }
        _ = tokio::signal::ctrl_c() => {}
    }
}
