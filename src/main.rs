//! The `jesaisfaire` command: the web server and its maintenance tasks.

use jesaisfaire::server::{config::Config, db::Db, demo, http, AppState};
use leptos::prelude::LeptosOptions;
use std::process::ExitCode;

const USAGE: &str = "\
Usage: jesaisfaire [COMMAND]

Commands:
  serve       apply pending migrations, then serve the site (default)
  migrate     apply pending migrations and exit
  demo-data   apply migrations, then load the demo data if the database is empty
  outbox      print the mails waiting in the outbox (development: invitation links)
  help        print this help

Settings come from Leptos.toml (or the file named by JSF_CONFIG), overridden by the
environment: JSF_ADDR, JSF_DATA_DIR, DATABASE_URL, JSF_SITE_ROOT, JSF_MAX_BODY_BYTES,
JSF_PUBLIC_URL.
Logs: RUST_LOG (default info), JSF_LOG_FORMAT=json for structured output.";

#[tokio::main]
async fn main() -> ExitCode {
    init_logging();
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    if matches!(command.as_str(), "help" | "-h" | "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    if !matches!(command.as_str(), "serve" | "migrate" | "demo-data" | "outbox") {
        eprintln!("unknown command {command:?}\n\n{USAGE}");
        return ExitCode::from(2);
    }
    match run(&command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: &str) -> Result<(), String> {
    let config = Config::load().map_err(|e| format!("configuration: {e}"))?;
    let db = Db::connect(&config.database_url)
        .await
        .map_err(|e| format!("database: {e}"))?;
    db.migrate().await.map_err(|e| format!("database: {e}"))?;
    tracing::info!(backend = ?db.backend(), "database ready");
    match command {
        "migrate" => {
            db.close().await;
            Ok(())
        }
        "demo-data" => {
            let outcome = demo::load_if_empty(&db).await.map_err(|e| format!("demo data: {e}"))?;
            match outcome {
                demo::Outcome::Loaded { consultations } => tracing::info!(consultations, "demo data loaded"),
                demo::Outcome::AlreadyPopulated => tracing::info!("database not empty: demo data not loaded"),
            }
            db.close().await;
            Ok(())
        }
        "outbox" => {
            // Standard output, not the logs: the links are secrets (see `api::admin::invite_user`).
            let mails = jesaisfaire::server::db::accounts::pending_mails(db.pool())
                .await
                .map_err(|e| format!("outbox: {e}"))?;
            for mail in &mails {
                println!(
                    "--- mail {} to {}\nSubject: {}\n\n{}",
                    mail.id, mail.recipient, mail.subject, mail.body
                );
            }
            println!("{} mail(s) waiting", mails.len());
            db.close().await;
            Ok(())
        }
        _ => {
            let leptos_options = LeptosOptions::builder()
                .output_name(env!("CARGO_PKG_NAME"))
                .site_root(config.site_root.display().to_string())
                .site_pkg_dir("pkg")
                .site_addr(config.address)
                .build();
            http::serve(&config, AppState::new(leptos_options, db, &config.public_url))
                .await
                .map_err(|e| format!("server: {e}"))
        }
    }
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr);
    if std::env::var("JSF_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().init();
    } else {
        builder.init();
    }
}
