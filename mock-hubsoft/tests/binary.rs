//! Runs the real `mock-hubsoft` binary on a free port: the single stdout line, a real HTTP round
//! trip, usage errors, and graceful shutdown on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_mock-hubsoft");

/// Kills the child if a test fails half-way.
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn http(addr: &str, raw: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(raw.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn prints_one_line_serves_and_stops_on_sigterm() {
    let child = Command::new(BIN)
        .args(["--port", "0"])
        .env_remove("MOCK_HUBSOFT_PORT")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut guard = Guard(child);
    let mut stdout = BufReader::new(guard.0.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let addr = line
        .trim_end()
        .strip_prefix("mock-hubsoft listening on http://127.0.0.1:")
        .map(|port| format!("127.0.0.1:{port}"))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    assert!(addr.rsplit(':').next().unwrap().parse::<u16>().unwrap() > 0);

    let body =
        r#"{"id_cliente_servico":12000,"descricao":"teste","nome":"Joao","telefone":"1133224455"}"#;
    let res = http(
        &addr,
        &format!(
            "POST /api/v1/integracao/atendimento HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer demo-token\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(res.starts_with("HTTP/1.1 200"), "{res}");
    assert!(res
        .to_ascii_lowercase()
        .contains("access-control-allow-origin: *"));
    assert!(res.contains("\"id_atendimento\":1000"), "{res}");
    assert!(res.contains("JOÃO PEREIRA LIMA"), "{res}");

    #[cfg(unix)]
    {
        let pid = guard.0.id().to_string();
        let ok = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(ok.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(s) = guard.0.try_wait().unwrap() {
                break s;
            }
            assert!(Instant::now() < deadline, "did not stop after SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(status.success(), "{status:?}");
        // exactly one line on stdout
        let mut rest = String::new();
        stdout.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "");
        let mut err = String::new();
        guard
            .0
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert!(
            err.contains("demo-secret") && err.contains("demo-token"),
            "{err}"
        );
    }
}

#[test]
fn refuses_non_loopback_and_bad_usage() {
    for args in [
        &["--host", "0.0.0.0"][..],
        &["--port", "nope"][..],
        &["--what"][..],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("--serve DIR"));
}
