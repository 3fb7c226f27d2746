//! The `jesaisfaire` binary as a process: killed in the middle of writing, it restarts on an
//! intact database; asked to stop, it finishes cleanly.

use jesaisfaire::server::db::Db;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_jesaisfaire");

fn command(dir: &std::path::Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env("JSF_CONFIG", concat!(env!("CARGO_MANIFEST_DIR"), "/Leptos.toml"))
        .env("JSF_DATA_DIR", dir)
        .env("DATABASE_URL", format!("sqlite:{}", dir.join("jsf.db").display()))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

async fn check_intact(dir: &std::path::Path) -> i64 {
    let db = Db::connect(&format!("sqlite:{}", dir.join("jsf.db").display()))
        .await
        .unwrap();
    let check: String = sqlx::query_scalar("pragma integrity_check")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(check, "ok");
    db.migrate().await.expect("an interrupted migration is resumed");
    let consultations: i64 = sqlx::query_scalar("select count(*) from consultations")
        .fetch_one(db.pool())
        .await
        .unwrap();
    let versions: i64 = sqlx::query_scalar("select count(*) from spec_versions")
        .fetch_one(db.pool())
        .await
        .unwrap();
    // The demo data is one transaction: all of it or none of it.
    assert!(
        matches!((consultations, versions), (0, 0) | (4, 3)),
        "half-written: {consultations} consultations, {versions} versions"
    );
    db.close().await;
    consultations
}

/// SIGKILL at many moments of a first start (creating the file, migrating, writing the demo
/// data); each time the database opens intact and a new run completes the work.
#[tokio::test]
async fn killed_during_a_write_the_database_restarts_intact() {
    let mut interrupted_before_commit = 0;
    for delay_ms in [0u64, 1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128] {
        let dir = tempfile::tempdir().unwrap();
        let mut child = command(dir.path(), &["demo-data"]).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL: no chance to clean up
        let _ = child.wait();
        if dir.path().join("jsf.db").exists() && check_intact(dir.path()).await == 0 {
            interrupted_before_commit += 1;
        }
        let status = command(dir.path(), &["demo-data"]).status().unwrap();
        assert!(status.success(), "restart after a kill at {delay_ms} ms failed");
        assert_eq!(check_intact(dir.path()).await, 4);
    }
    // The kills must really have hit before the commit at least once, or the test proves nothing.
    assert!(
        interrupted_before_commit > 0,
        "no kill landed before the commit; adjust the delays"
    );
}

fn http_get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    Some(answer)
}

fn wait_healthy(port: u16, server: &mut Child) {
    let start = Instant::now();
    loop {
        if let Some(answer) = http_get(port, "/healthz") {
            assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
            return;
        }
        assert!(server.try_wait().unwrap().is_none(), "the server exited early");
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the server did not answer in 20 s"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn the_server_stops_cleanly_on_sigterm_and_restarts_after_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let serve = |dir: &std::path::Path| {
        let mut cmd = command(dir, &["serve"]);
        cmd.env("JSF_ADDR", format!("127.0.0.1:{port}")).env("RUST_LOG", "info");
        cmd.spawn().unwrap()
    };
    assert!(command(dir.path(), &["demo-data"]).status().unwrap().success());

    let mut server = serve(dir.path());
    wait_healthy(port, &mut server);
    server.kill().unwrap(); // crash
    server.wait().unwrap();

    let mut server = serve(dir.path());
    wait_healthy(port, &mut server);
    let page = http_get(port, "/").unwrap();
    assert!(page.contains("Maintenance du parc informatique"), "{page}");
    let status = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = server.wait().unwrap();
    let mut logs = String::new();
    server.stderr.take().unwrap().read_to_string(&mut logs).unwrap();
    assert!(exit.success(), "exit {exit:?}; logs:\n{logs}");
    assert!(logs.contains("stopped cleanly"), "{logs}");
}
