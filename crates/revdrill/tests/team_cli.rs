//! `revdrill team init` and `revdrill serve --database-url` end to end, against the PostgreSQL
//! of `REVDRILL_TEST_PG` (the rule of docs/team-server.md: required under `.ci/run`, else
//! skipped with a loud message).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Command;

use common::Env;

/// A new database on the test cluster, made with `psql`; `None` when PostgreSQL is not set up
/// and not required.
fn fresh_database() -> Option<String> {
    let Ok(base) = std::env::var("REVDRILL_TEST_PG") else {
        let required = std::env::var_os("REVDRILL_REQUIRE_PG").is_some() || std::env::var_os("CI").is_some();
        assert!(!required, "REVDRILL_TEST_PG is not set and PostgreSQL tests are required (REVDRILL_REQUIRE_PG or CI)");
        // Past the test harness's capture, so it is seen.
        let _ = std::io::stderr().write_all(
            b"\n*** SKIPPED: the team CLI test needs PostgreSQL (REVDRILL_TEST_PG); see docs/team-server.md, \"Tests\". ***\n\n",
        );
        return None;
    };
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let name = format!("revdrill_cli_{}_{nanos}", std::process::id());
    let ok = Command::new("psql").args([base.as_str(), "-qc", &format!("CREATE DATABASE {name}")]).status().unwrap();
    assert!(ok.success(), "psql could not create a database");
    let (head, _) = base.rsplit_once('/').unwrap();
    Some(format!("{head}/{name}"))
}

/// One HTTP/1.1 request to `addr`; the whole response.
fn http(addr: &str, request: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn team_init_prints_a_setup_link_once_and_serve_runs_team_mode() {
    let Some(url) = fresh_database() else { return };
    let e = Env::new();
    let init = [
        "team",
        "init",
        "--database-url",
        &url,
        "--email",
        "lead@example.com",
        "--name",
        "Lead",
        "--url",
        "https://review.example.com/",
    ];
    let r = e.run(&init, "");
    assert_eq!(r.code, 0, "{}", r.err);
    let link = r.out.lines().find(|l| l.starts_with("https://review.example.com/join/")).expect(&r.out);
    let token = link.rsplit('/').next().unwrap().to_string();
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    let again = e.run(&init, "");
    assert_eq!(again.code, 2);
    assert!(again.err.contains("has accounts already"), "{}", again.err);

    let mut child = e.cmd(&["serve", "--database-url", &url, "--addr", "127.0.0.1:0"]).spawn().unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let addr = first.trim().rsplit("http://").next().unwrap().trim_end_matches('/').to_string();
    let anonymous = http(&addr, "GET /api/attempts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let body = format!(r#"{{"token":"{token}","password":"a long passphrase"}}"#);
    let join = http(
        &addr,
        &format!(
            "POST /api/team/join HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    let _ = child.kill();
    let _ = child.wait();
    assert!(anonymous.starts_with("HTTP/1.1 401"), "{anonymous}");
    assert!(join.starts_with("HTTP/1.1 201"), "{join}");
    assert!(join.to_ascii_lowercase().contains("set-cookie: revdrill_session="), "{join}");
}

#[test]
fn serve_with_an_unreachable_database_says_so_and_exits_2() {
    let e = Env::new();
    // Port 1 on loopback: nothing listens there.
    let r = e.run(&["serve", "--database-url", "postgres://revdrill@127.0.0.1:1/revdrill", "--addr", "127.0.0.1:0"], "");
    assert_eq!(r.code, 2, "{}", r.out);
    assert!(r.err.contains("team server stopped") && r.err.contains("database"), "{}", r.err);
    let bad = e.run(&["serve", "--database-url", "mysql://x", "--addr", "127.0.0.1:0"], "");
    assert_eq!(bad.code, 2);
    assert!(bad.err.contains("bad database URL"), "{}", bad.err);
    let flag = e.run(&["serve", "--trust-proxy"], "");
    assert_eq!(flag.code, 2, "--trust-proxy needs --database-url");
}
