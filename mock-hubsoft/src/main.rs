//! `mock-hubsoft` binary: serves [`mock_hubsoft::app`] on a loopback address.
//!
//! ```text
//! mock-hubsoft [--host 127.0.0.1] [--port 8787] [--serve DIR]
//! ```
//!
//! * `--port N` (or `--port=N`; env `MOCK_HUBSOFT_PORT`; default 8787; 0 picks a free port).
//! * `--host ADDR`: loopback only (`127.0.0.1` default, any `127.x.y.z`, `::1`, `localhost`);
//!   anything else is refused.
//! * `--serve DIR`: also serve the files of DIR at `/` (e.g. the built widget).
//!
//! Stdout gets exactly one line, `mock-hubsoft listening on http://HOST:PORT` (flushed), once the
//! socket is bound; the demo credentials go to stderr. Ctrl-C or SIGTERM shut down gracefully.
//! Exit status: 0 after shutdown, 1 when the socket cannot be bound, 2 on a usage error.

#![deny(missing_docs)]

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use mock_hubsoft::{
    app, Config, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_TOKEN, DEMO_USERNAME,
};

const DEFAULT_PORT: u16 = 8787;

const USAGE: &str = "\
usage: mock-hubsoft [--host 127.0.0.1] [--port 8787] [--serve DIR]

  --port N      port to listen on (env MOCK_HUBSOFT_PORT; default 8787; 0 = any free port)
  --host ADDR   loopback address to bind (default 127.0.0.1; non-loopback is refused)
  --serve DIR   also serve static files from DIR at /
  -h, --help    this text";

/// Parsed command line.
#[derive(Debug, PartialEq, Eq)]
struct Options {
    host: IpAddr,
    port: u16,
    serve: Option<PathBuf>,
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
enum Cli {
    Run(Options),
    Help,
}

fn parse_port(s: &str, origin: &str) -> Result<u16, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("{origin}: invalid port {s:?}"))
}

fn parse_host(s: &str) -> Result<IpAddr, String> {
    let ip = if s.eq_ignore_ascii_case("localhost") {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else {
        s.trim_start_matches('[')
            .trim_end_matches(']')
            .parse()
            .map_err(|_| format!("--host: invalid address {s:?}"))?
    };
    if ip.is_loopback() {
        Ok(ip)
    } else {
        Err(format!(
            "--host: refusing to listen on non-loopback address {ip} (this mock has no security)"
        ))
    }
}

/// Parses the arguments (without the program name); `env_port` is `MOCK_HUBSOFT_PORT`.
fn parse_args<I: IntoIterator<Item = String>>(
    args: I,
    env_port: Option<String>,
) -> Result<Cli, String> {
    let mut host = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let mut port = match env_port.as_deref().map(str::trim) {
        Some(p) if !p.is_empty() => parse_port(p, "MOCK_HUBSOFT_PORT")?,
        _ => DEFAULT_PORT,
    };
    let mut serve = None;

    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Cli::Help),
            "--port" => port = parse_port(&value("--port")?, "--port")?,
            "--host" => host = parse_host(&value("--host")?)?,
            "--serve" => {
                let dir = PathBuf::from(value("--serve")?);
                if !dir.is_dir() {
                    return Err(format!("--serve: {} is not a directory", dir.display()));
                }
                serve = Some(dir);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Cli::Run(Options { host, port, serve }))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    eprintln!("mock-hubsoft: shutting down");
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = parse_args(
        std::env::args().skip(1),
        std::env::var("MOCK_HUBSOFT_PORT").ok(),
    );
    let opts = match cli {
        Ok(Cli::Run(opts)) => opts,
        Ok(Cli::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("mock-hubsoft: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };

    let listener = match tokio::net::TcpListener::bind(SocketAddr::new(opts.host, opts.port)).await
    {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "mock-hubsoft: cannot listen on {}: {e}",
                SocketAddr::new(opts.host, opts.port)
            );
            return ExitCode::from(1);
        }
    };
    let addr = listener
        .local_addr()
        .unwrap_or(SocketAddr::new(opts.host, opts.port));

    eprintln!(
        "mock-hubsoft: demo credentials: client_id={DEMO_CLIENT_ID:?} client_secret={DEMO_CLIENT_SECRET:?} \
         username={DEMO_USERNAME:?} password={DEMO_PASSWORD:?}; static bearer token {DEMO_TOKEN:?}"
    );
    if let Some(dir) = &opts.serve {
        eprintln!("mock-hubsoft: serving static files from {}", dir.display());
    }
    println!("mock-hubsoft listening on http://{addr}");
    let _ = std::io::stdout().flush();

    let config = Config {
        serve_dir: opts.serve,
        ..Config::default()
    };
    match axum::serve(listener, app(config))
        .with_graceful_shutdown(shutdown_signal())
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mock-hubsoft: server error: {e}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    fn run(a: &[&str], env: Option<&str>) -> Result<Options, String> {
        match parse_args(args(a), env.map(str::to_owned))? {
            Cli::Run(o) => Ok(o),
            Cli::Help => Err("help".into()),
        }
    }

    #[test]
    fn defaults_and_env() {
        let o = run(&[], None).unwrap();
        assert_eq!(o.host, IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(o.port, 8787);
        assert_eq!(o.serve, None);
        assert_eq!(run(&[], Some("9000")).unwrap().port, 9000);
        assert_eq!(run(&[], Some("")).unwrap().port, 8787);
        assert_eq!(run(&["--port", "9100"], Some("9000")).unwrap().port, 9100);
        assert_eq!(run(&["--port=0"], None).unwrap().port, 0);
        assert!(run(&[], Some("x")).is_err());
        assert!(run(&["--port", "70000"], None).is_err());
        assert!(run(&["--port"], None).is_err());
    }

    #[test]
    fn host_loopback_only() {
        assert_eq!(
            run(&["--host", "::1"], None).unwrap().host,
            "::1".parse::<IpAddr>().unwrap()
        );
        assert_eq!(
            run(&["--host=localhost"], None).unwrap().host,
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        );
        assert!(run(&["--host", "127.0.0.2"], None).is_ok());
        let err = run(&["--host", "0.0.0.0"], None).unwrap_err();
        assert!(err.contains("non-loopback"), "{err}");
        assert!(run(&["--host", "192.168.0.1"], None).is_err());
        assert!(run(&["--host", "example.com"], None).is_err());
    }

    #[test]
    fn serve_and_errors() {
        let dir = std::env::temp_dir();
        let o = run(&["--serve", dir.to_str().unwrap()], None).unwrap();
        assert_eq!(o.serve, Some(dir));
        assert!(run(&["--serve", "/definitely/not/here"], None).is_err());
        assert!(run(&["--bogus"], None).is_err());
        assert_eq!(parse_args(args(&["--help"]), None), Ok(Cli::Help));
    }
}
