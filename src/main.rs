//! The `jesaisfaire` command: the web server and its maintenance tasks.

use jesaisfaire::server::{config::Config, db::Db, demo, http, AppState};
use leptos::prelude::LeptosOptions;
use std::process::ExitCode;

/// See Cargo.toml: bounded memory and cheaper allocations under load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
Usage: jesaisfaire [COMMAND]

Commands:
  serve       apply pending migrations, then serve the site (default)
  migrate     apply pending migrations and exit
  demo-data   apply migrations, then load the demo data if the database is empty
  outbox      print the mails waiting in the outbox (without [mail]: invitation and
              registration links) and those given up
  diff OLD.md NEW.md [--stat] [--timings]
              print the clause-aligned diff of two specifications (no database needed);
              --timings prints the time of each step on standard error
  import FILE.docx|FILE.odt
              print the Markdown of a Word or OpenDocument file on standard output and
              what could not be carried (images, comments…) on standard error
  export NEW.md -o OUT.docx [--compare OLD.md] [--date RFC3339]
              write a specification as .docx, or with --compare the .docx of NEW where every
              change from OLD is a tracked change (dated --date, default now)
  help        print this help

Settings come from Leptos.toml (or the file named by JSF_CONFIG), overridden by the
environment: JSF_ADDR, JSF_DATA_DIR, DATABASE_URL, JSF_SITE_ROOT, JSF_MAX_BODY_BYTES,
JSF_PUBLIC_URL, JSF_TRUSTED_PROXIES; mail: JSF_SMTP_HOST, JSF_SMTP_PORT, JSF_SMTP_TLS,
JSF_MAIL_FROM, JSF_SMTP_USERNAME, JSF_SMTP_PASSWORD; JSF_FIXED_NOW (tests only) fixes the clock.
Logs: RUST_LOG (default info), JSF_LOG_FORMAT=json for structured output.";

fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".into());
    if matches!(command.as_str(), "help" | "-h" | "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    // No runtime, no logging: the diff is also the engine's benchmark as a whole process.
    if command == "diff" {
        return diff_command(&std::env::args().skip(2).collect::<Vec<_>>());
    }
    if command == "import" {
        return import_command(&std::env::args().skip(2).collect::<Vec<_>>());
    }
    if command == "export" {
        return export_command(&std::env::args().skip(2).collect::<Vec<_>>());
    }
    if !matches!(command.as_str(), "serve" | "migrate" | "demo-data" | "outbox") {
        eprintln!("unknown command {command:?}\n\n{USAGE}");
        return ExitCode::from(2);
    }
    init_logging();
    if command == "serve" {
        give_back_freed_memory();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build();
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// mimalloc gives memory back to the system a second after it is freed, but only when some
/// thread next calls the allocator: after a burst of pages, an idle server kept it all (after the
/// load benchmark, 250–410 MiB resident for a working set under 150). A thread of its own asks it
/// every second to return what has been free for that second; memory still in use, or freed
/// less than a second ago, is left alone (returning all freed memory at once, mimalloc's purge
/// delay 0, cost 30 % of the throughput).
fn give_back_freed_memory() {
    unsafe extern "C" {
        /// mimalloc's (linked by the `mimalloc` crate): collects this thread's heap and returns
        /// the free memory whose purge delay has passed, for the whole process.
        fn mi_collect(force: bool);
    }
    let spawned = std::thread::Builder::new().name("memory".into()).spawn(|| {
        // mimalloc's collection does nothing at all on a thread that never allocated.
        let _heap = std::hint::black_box(Box::new(0_u64));
        loop {
            std::thread::sleep(std::time::Duration::from_secs(1));
            // SAFETY: a plain call into the allocator, safe from any thread at any time.
            unsafe { mi_collect(false) };
        }
    });
    if let Err(e) = spawned {
        eprintln!("memory will be given back only under load: {e}");
    }
}

async fn run(command: &str) -> Result<(), String> {
    let config = Config::load().map_err(|e| format!("configuration: {e}"))?;
    let mut db = Db::connect(&config.database_url)
        .await
        .map_err(|e| format!("database: {e}"))?;
    if let Some(clock) = &config.fixed_now {
        tracing::warn!(now = clock.now(), "JSF_FIXED_NOW: the clock is fixed (tests only)");
        db = db.with_clock(clock.clone());
    }
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
            use jesaisfaire::server::db::outbox;
            let waiting = outbox::waiting(db.pool()).await.map_err(|e| format!("outbox: {e}"))?;
            let given_up = outbox::given_up(db.pool()).await.map_err(|e| format!("outbox: {e}"))?;
            for mail in &waiting {
                println!(
                    "--- mail {} to {}\nSubject: {}\n\n{}",
                    mail.id, mail.recipient, mail.subject, mail.body
                );
            }
            for mail in &given_up {
                println!(
                    "--- mail {} to {} GIVEN UP after {} attempt(s): {}\nSubject: {}",
                    mail.id, mail.recipient, mail.attempts, mail.last_error, mail.subject
                );
            }
            println!("{} mail(s) waiting, {} given up", waiting.len(), given_up.len());
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
            match &config.mail {
                Some(mail) => {
                    let sender = jesaisfaire::server::mail::MailSender::new(mail).map_err(|e| format!("mail: {e}"))?;
                    sender.spawn(db.clone());
                    tracing::info!(host = %mail.host, port = mail.port, "mail delivered over SMTP");
                }
                None => tracing::info!("no [mail] settings: mails wait in the outbox (`jesaisfaire outbox`)"),
            }
            let state = AppState::new(leptos_options, db, &config.public_url).with_ocid_prefix(&config.ocid_prefix);
            // Time-based notifications and daily digests (idempotent: see `server::notifications`).
            jesaisfaire::server::notifications::spawn_scheduler(state.clone());
            http::serve(&config, state).await.map_err(|e| format!("server: {e}"))
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

/// `jesaisfaire import FILE`: the Markdown on standard output, the losses on standard error
/// (one per line: code, tab, message).
fn import_command(args: &[String]) -> ExitCode {
    use jesaisfaire::domain::word;
    let [path] = args else {
        eprintln!("usage: jesaisfaire import FILE.docx|FILE.odt");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::metadata(path).and_then(|m| {
        if m.len() > word::MAX_FILE_BYTES as u64 {
            Ok(None)
        } else {
            std::fs::read(path).map(Some)
        }
    }) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            eprintln!(
                "{path}: {}",
                word::WordError::TooLarge(std::fs::metadata(path).map_or(0, |m| m.len() as usize))
            );
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    match word::import(&bytes) {
        Ok(imported) => {
            print!("{}", imported.markdown);
            for loss in &imported.losses {
                eprintln!("{}\t{}\t{}", loss.kind.code(), loss.count, loss.message_fr());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `jesaisfaire export NEW.md -o OUT.docx [--compare OLD.md] [--date RFC3339]`.
fn export_command(args: &[String]) -> ExitCode {
    use jesaisfaire::domain::spec::{carry_ids, Specification, MAX_BYTES};
    use jesaisfaire::domain::word::{comparison_docx, version_docx, Cover, Side};
    const USAGE: &str = "usage: jesaisfaire export NEW.md -o OUT.docx [--compare OLD.md] [--date RFC3339]";
    let mut files = Vec::new();
    let (mut out, mut old, mut date) = (None, None, None);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-o" | "--output" => out = args.next(),
            "--compare" => old = args.next(),
            "--date" => date = args.next(),
            _ => files.push(arg),
        }
    }
    let ([new], Some(out)) = (&files[..], out) else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let read = |path: &str| -> Result<String, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
        if bytes.len() > MAX_BYTES {
            return Err(format!("{path}: larger than {MAX_BYTES} bytes"));
        }
        String::from_utf8(bytes).map_err(|_| format!("{path}: not UTF-8 text"))
    };
    let cover = |path: &str| Cover {
        title: std::path::Path::new(path)
            .file_stem()
            .map_or_else(|| path.to_owned(), |s| s.to_string_lossy().into_owned()),
        lines: vec![format!("Fichier : {path}")],
    };
    let result = read(new).and_then(|new_text| match old {
        None => Ok(version_docx(&new_text, &Specification::parse(&new_text), &cover(new))),
        Some(old) => {
            let old_text = read(old)?;
            let old_spec = Specification::parse(&old_text);
            let mut new_spec = Specification::parse(&new_text);
            carry_ids(&old_spec, &mut new_spec);
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64);
            let at = date
                .cloned()
                .unwrap_or_else(|| jesaisfaire::domain::format::rfc3339_utc(now));
            let (old_cover, new_cover) = (cover(old), cover(new));
            Ok(comparison_docx(
                Side {
                    markdown: &old_text,
                    spec: &old_spec,
                    cover: &old_cover,
                },
                Side {
                    markdown: &new_text,
                    spec: &new_spec,
                    cover: &new_cover,
                },
                &at,
            ))
        }
    });
    match result.and_then(|bytes| std::fs::write(out, bytes).map_err(|e| format!("{out}: {e}"))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

/// `jesaisfaire diff OLD.md NEW.md [--stat]`: the clause-aligned diff of two files, as the diff
/// page computes it (ids carried from OLD to NEW first, as at publication).
fn diff_command(args: &[String]) -> ExitCode {
    use jesaisfaire::domain::diff::{diff_specifications, ChangeKind, Op};
    use jesaisfaire::domain::spec::{carry_ids, SpecLimitError, Specification, MAX_BYTES};
    let stat = args.iter().any(|a| a == "--stat");
    let timings = args.iter().any(|a| a == "--timings");
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let [old_path, new_path] = files[..] else {
        eprintln!("usage: jesaisfaire diff OLD.md NEW.md [--stat] [--timings]");
        return ExitCode::from(2);
    };
    let started = std::time::Instant::now();
    let mut steps = Vec::new();
    let mut step = |name: &'static str| steps.push((name, started.elapsed()));
    // Only the size limit: counting clauses would parse each file once more, and the command
    // is also the engine's benchmark. The text is checked as UTF-8 in place by simdutf8 (std's
    // check and a copy into a `String` cost more than the parse here).
    let read = |path: &str| -> Result<(Vec<u8>, Specification), String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
        if bytes.len() > MAX_BYTES {
            return Err(format!(
                "{path}: {}",
                SpecLimitError::TooLarge {
                    bytes: bytes.len() as u64
                }
            ));
        }
        let text = simdutf8::basic::from_utf8(&bytes).map_err(|_| format!("{path}: not UTF-8 text"))?;
        let spec = Specification::parse(text);
        Ok((bytes, spec))
    };
    // The two files are independent: one on each core.
    let (old, new) = std::thread::scope(|s| {
        let old = s.spawn(|| read(old_path));
        let new = read(new_path);
        (old.join().expect("reading and parsing do not panic"), new)
    });
    let ((old_text, old), (new_text, mut new)) = match (old, new) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    step("read and parse both files");
    carry_ids(&old, &mut new);
    step("carry clause ids");
    let diff = diff_specifications(&old, &new, &[], &[], std::time::Duration::from_secs(10));
    step("diff");
    let mut out = String::new();
    let s = diff.stats;
    out.push_str(&format!(
        "{} added, {} removed, {} modified, {} moved, {} unchanged\n",
        s.added, s.removed, s.modified, s.moved, s.unchanged
    ));
    for clause in diff
        .clauses
        .iter()
        .filter(|c| c.kind != ChangeKind::Unchanged || c.moved)
    {
        let kind = match clause.kind {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Modified => "modified",
            ChangeKind::Unchanged => "moved",
        };
        out.push_str(&format!("{kind} {}\n", clause.label()));
        if !stat && clause.kind == ChangeKind::Modified {
            for segment in &clause.segments {
                match segment.op {
                    Op::Equal => out.push_str(&segment.text),
                    Op::Delete => out.push_str(&format!("[-{}-]", segment.text)),
                    Op::Insert => out.push_str(&format!("{{+{}+}}", segment.text)),
                }
            }
            out.push('\n');
        }
    }
    print!("{out}");
    step("print");
    if timings {
        for (name, at) in &steps {
            eprintln!("{:>8.2} ms  {name}", at.as_secs_f64() * 1e3);
        }
    }
    // The process ends here: freeing thousands of strings one by one would only delay it.
    std::mem::forget((old, new, diff, old_text, new_text));
    ExitCode::SUCCESS
}
