//! Test harness: the mock Hubsoft in-process on a loopback port, gateways as real processes (the
//! built binary), and a real `redis-server` started on a free loopback port.
//!
//! Every gateway's stderr (its logs) goes to a file; [`Gateway::stop`] stops the process and
//! checks that its logs hold no token, secret, description or full phone.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use abrir_chamado_gateway::auth::{self, Claims, SigningKey};
use serde_json::{json, Value};

/// The HS256 secret of the test gateways (≥ 32 bytes).
pub const SECRET: &str = "test-portal-secret-0123456789-abcdefghij";
/// An Ed25519 key pair (PKCS#8 PEM) for the EdDSA tests.
pub const ED_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIPkoxFJq8dBZZMrjqVDstTeqFI86TKfgPXTZzgSUYhRT
-----END PRIVATE KEY-----
";
/// The public half of [`ED_PRIVATE`].
pub const ED_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAJltCy5Y72NUXeGLobkdDFiJRyaSJm+wL/I9fweQqwHs=
-----END PUBLIC KEY-----
";
/// A marker inside every test description: it must never appear in a log.
pub const PRIVATE_TEXT: &str = "texto-privado-do-cliente";
/// The test phone: it must never appear whole in a log.
pub const PHONE: &str = "37999112233";
/// The portal origin allowed by CORS in the tests.
pub const PORTAL: &str = "http://127.0.0.1:9999";

/// The mock Hubsoft, served in-process on a loopback port.
pub struct Mock {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Mock {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts a mock Hubsoft.
pub async fn mock() -> Mock {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = mock_hubsoft::app(mock_hubsoft::Config::default());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Mock {
        url: format!("http://{addr}"),
        task,
    }
}

impl Mock {
    /// Posts `body` to the mock's control route `route` (`/__mock/…`) and checks it was taken.
    async fn control(&self, route: &str, body: &Value) {
        let r = reqwest::Client::new()
            .post(format!("{}/__mock/{route}", self.url))
            .json(body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "/__mock/{route}: {}", r.status());
    }

    /// Queues responses or faults (`/__mock/queue`).
    pub async fn queue(&self, entries: Value) {
        self.control("queue", &entries).await;
    }

    /// The requests the mock received on `path`.
    pub async fn requests(&self, path: &str) -> Vec<Value> {
        let all: Vec<Value> = reqwest::get(format!("{}/__mock/requests", self.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        all.into_iter().filter(|r| r["path"] == path).collect()
    }

    /// The mock's own lookup of service `id`'s tickets (open and closed, the oldest 50), as the
    /// text Hubsoft would send.
    pub async fn listing(&self, id: u64) -> String {
        reqwest::Client::new()
            .get(format!(
                "{}/api/v1/integracao/cliente/atendimento?busca=id_cliente_servico&termo_busca={id}&limit=50&apenas_pendente=nao",
                self.url
            ))
            .bearer_auth(mock_hubsoft::DEMO_TOKEN)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// The tickets the mock opened on service `id` (through its own lookup).
    pub async fn tickets(&self, id: u64) -> Vec<Value> {
        let v: Value = serde_json::from_str(&self.listing(id).await).unwrap();
        v["atendimentos"].as_array().cloned().unwrap_or_default()
    }

    /// Waits (up to 5 s, polling) until the mock has opened a ticket on service `id`: one that
    /// a slow fault saves late.
    pub async fn wait_for_a_ticket(&self, id: u64) {
        self.wait_for_tickets(id, 1).await;
    }

    /// Waits (up to 5 s, polling) until the mock has opened `n` tickets on service `id` (at most
    /// 50), and returns them, oldest first.
    pub async fn wait_for_tickets(&self, id: u64, n: usize) -> Vec<Value> {
        for _ in 0..100 {
            let tickets = self.tickets(id).await;
            if tickets.len() >= n {
                return tickets;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("fewer than {n} tickets on service {id} after 5 s");
    }

    /// Opens a ticket on the mock directly (not through a gateway), as another channel of the
    /// ISP would (the phone as Hubsoft takes it, digits only): its protocolo.
    pub async fn open_directly(&self, body: &Value) -> String {
        let mut body = body.clone();
        body["telefone"] = json!(PHONE);
        let v: Value = reqwest::Client::new()
            .post(format!("{}/api/v1/integracao/atendimento", self.url))
            .bearer_auth(mock_hubsoft::DEMO_TOKEN)
            .json(&body)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        v["atendimento"]["protocolo"]
            .as_str()
            .unwrap_or_else(|| panic!("{v}"))
            .to_owned()
    }

    /// The ticket POSTs the mock received from gateways (not from [`Mock::open_directly`]).
    pub async fn gateway_posts(&self) -> usize {
        self.requests("/api/v1/integracao/atendimento")
            .await
            .iter()
            .filter(|r| {
                r["headers"]["authorization"] != format!("Bearer {}", mock_hubsoft::DEMO_TOKEN)
            })
            .count()
    }

    /// Sets the offset from UTC of the mock's clock, in minutes (`/__mock/clock`).
    pub async fn set_clock(&self, utc_offset_minutes: i32) {
        self.control(
            "clock",
            &json!({ "utc_offset_minutes": utc_offset_minutes }),
        )
        .await;
    }

    /// Closes the ticket `protocolo` as the ISP's staff would (`/__mock/close`).
    pub async fn close(&self, protocolo: &str) {
        self.control("close", &json!({ "protocolo": protocolo }))
            .await;
    }
}

/// A running gateway process.
pub struct Gateway {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    child: Child,
    log: PathBuf,
    /// Extra strings that must not appear in the log (tokens used in the test).
    pub forbidden: Vec<String>,
}

/// Options of a test gateway: `(flag, value)` pairs added to the defaults.
pub struct GatewayOptions<'a> {
    /// Hubsoft URL (the mock).
    pub hubsoft: &'a str,
    /// `--data-dir` (embedded store) unless `redis` is set.
    pub data_dir: Option<&'a Path>,
    /// `--redis-url`.
    pub redis: Option<&'a str>,
    /// Extra flags.
    pub extra: Vec<(&'a str, String)>,
    /// Extra environment variables.
    pub env: Vec<(&'a str, String)>,
    /// The soft limit of open files the process starts with (`RLIMIT_NOFILE`; the hard limit
    /// stays), as systemd and Docker give it: `None` for the test process's own.
    pub soft_file_limit: Option<u64>,
}

fn log_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("gateway-logs");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Starts a gateway process and waits for its "listening" line.
pub fn gateway(opts: GatewayOptions<'_>) -> Gateway {
    let log = log_dir().join(format!("{}.log", uuid::Uuid::new_v4()));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_abrir-chamado-gateway"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env(
            "RUST_LOG",
            "debug,hyper=info,h2=info,reqwest=info,redb=info",
        )
        .env("HUBSOFT_CLIENT_SECRET", mock_hubsoft::DEMO_CLIENT_SECRET)
        .env("HUBSOFT_PASSWORD", mock_hubsoft::DEMO_PASSWORD)
        .env("PORTAL_JWT_HS256_SECRET", SECRET)
        .envs(opts.env.iter().map(|(k, v)| (k, v)))
        .stdout(Stdio::piped())
        .stderr(Stdio::from(std::fs::File::create(&log).unwrap()));
    let defaults = [
        ("--listen", "127.0.0.1:0"),
        ("--hubsoft-url", opts.hubsoft),
        ("--hubsoft-client-id", mock_hubsoft::DEMO_CLIENT_ID),
        ("--hubsoft-username", mock_hubsoft::DEMO_USERNAME),
        ("--cors-origins", PORTAL),
        ("--rate-limit-per-hour", "1000"),
        ("--auth-failures-per-minute", "1000"),
    ];
    for (flag, value) in defaults {
        if !opts.extra.iter().any(|(f, _)| *f == flag) {
            cmd.args([flag, value]);
        }
    }
    if let Some(d) = opts.data_dir {
        cmd.arg("--data-dir").arg(d);
    }
    if let Some(r) = opts.redis {
        cmd.args(["--redis-url", r]);
    }
    for (flag, value) in &opts.extra {
        if value.is_empty() {
            cmd.arg(flag);
        } else {
            cmd.arg(flag).arg(value);
        }
    }
    if let Some(soft) = opts.soft_file_limit {
        use std::os::unix::process::CommandExt;
        let (_, hard) = rlimit::Resource::NOFILE.get().unwrap();
        // SAFETY: between fork and exec the closure only makes the `setrlimit` system call,
        // which is async-signal-safe, and allocates nothing.
        unsafe {
            cmd.pre_exec(move || rlimit::Resource::NOFILE.set(soft, hard));
        }
    }
    let mut child = cmd.spawn().expect("gateway binary");
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let url = line
        .trim()
        .strip_prefix("abrir-chamado-gateway listening on ")
        .unwrap_or_else(|| {
            let log = std::fs::read_to_string(&log).unwrap_or_default();
            panic!("gateway did not start: {line:?}\n{log}")
        })
        .to_owned();
    Gateway {
        url,
        child,
        log,
        forbidden: Vec::new(),
    }
}

impl Gateway {
    /// Sends SIGTERM, waits for the exit, and checks the log.
    pub fn stop(mut self) -> String {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while self.child.try_wait().unwrap().is_none() {
            assert!(Instant::now() < deadline, "gateway did not stop on SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
        self.check_log()
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the process at once (SIGKILL: a crash) and checks the log.
    pub fn kill(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.check_log()
    }

    /// The log text, after checking it holds no secret.
    fn check_log(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap();
        let mut forbidden: Vec<String> = vec![
            SECRET.into(),
            mock_hubsoft::DEMO_CLIENT_SECRET.into(),
            mock_hubsoft::DEMO_PASSWORD.into(),
            "mock-access-".into(),
            "eyJ".into(),
            PRIVATE_TEXT.into(),
            PHONE.into(),
        ];
        forbidden.extend(self.forbidden.iter().cloned());
        for f in &forbidden {
            assert!(
                !text.contains(f.as_str()),
                "the gateway log contains {f:?}: {}",
                self.log.display()
            );
        }
        // Real log lines (tracing's JSON, with a level), not only a warning that logging was
        // compiled out: a check for secrets over an empty log would prove nothing.
        assert!(
            text.contains(r#""level":"INFO""#) && text.contains(r#""message":"listening""#),
            "the gateway wrote no log lines: {}",
            self.log.display()
        );
        text
    }

    /// POSTs a ticket body with a portal token and an optional key.
    pub async fn open(&self, token: &str, key: Option<&str>, body: &Value) -> Reply {
        Gateway::request(&self.url, token, key, body).await
    }

    /// The ticket request of [`Gateway::open`] to the gateway at `url`.
    async fn request(url: &str, token: &str, key: Option<&str>, body: &Value) -> Reply {
        let mut req = reqwest::Client::new()
            .post(format!("{url}/api/v1/integracao/atendimento"))
            .bearer_auth(token)
            .header("Accept", "application/json")
            .json(body);
        if let Some(k) = key {
            req = req.header("Idempotency-Key", k);
        }
        Reply::from(req.send().await.unwrap()).await
    }

    /// [`Gateway::open`] with `token()` in a task of its own, returned once Hubsoft has received
    /// the ticket (its `nth` ticket request, counting from 1): for a ticket that a mock fault
    /// queued before holds, while the test does something else. The task ends with the answer.
    pub async fn open_while_hubsoft_works(
        &self,
        mock: &Mock,
        nth: usize,
        key: Option<&'static str>,
        body: Value,
    ) -> tokio::task::JoinHandle<Reply> {
        let url = self.url.clone();
        let task = tokio::spawn(async move { Gateway::request(&url, &token(), key, &body).await });
        let deadline = Instant::now() + Duration::from_secs(10);
        while mock.requests("/api/v1/integracao/atendimento").await.len() < nth {
            assert!(
                Instant::now() < deadline,
                "the ticket never reached Hubsoft"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        task
    }
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer, read whole.
pub struct Reply {
    /// Status.
    pub status: u16,
    /// Headers.
    pub headers: reqwest::header::HeaderMap,
    /// Body text.
    pub text: String,
}

impl Reply {
    /// Reads a reqwest response.
    pub async fn from(r: reqwest::Response) -> Reply {
        Reply {
            status: r.status().as_u16(),
            headers: r.headers().clone(),
            text: r.text().await.unwrap(),
        }
    }
    /// The body as JSON (panics with the text otherwise).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|_| panic!("not JSON: {}", self.text))
    }
    /// `atendimento.protocolo` of a success.
    pub fn protocolo(&self) -> String {
        let v = self.json();
        assert_eq!(v["status"], "success", "{}", self.text);
        v["atendimento"]["protocolo"].as_str().unwrap().to_owned()
    }
    /// Asserts the contract's JSON error shape and the status.
    pub fn assert_error(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{}", self.text);
        let v = self.json();
        assert_eq!(v["status"], "error", "{}", self.text);
        assert!(
            v["msg"].as_str().is_some_and(|m| !m.is_empty()),
            "{}",
            self.text
        );
        assert!(v["errors"].is_array(), "{}", self.text);
        v
    }
}

/// A valid ticket body for service `id` (its description carries [`PRIVATE_TEXT`]).
pub fn body(id: u64, n: u32) -> Value {
    json!({
        "id_cliente_servico": id,
        "descricao": format!("Sem internet desde ontem ({PRIVATE_TEXT} {n})"),
        "nome": "Maria da Silva",
        "telefone": "(37) 99911-2233",
    })
}

/// A valid HS256 portal token for customer 1204 with services 11000 and 11001.
pub fn token() -> String {
    token_with(|_| {})
}

/// A portal token whose claims `edit` changed, signed with [`SECRET`].
pub fn token_with(edit: impl FnOnce(&mut Claims)) -> String {
    let mut c = auth::claims_for("1204", vec![11000, 11001], 600);
    edit(&mut c);
    auth::mint(&c, &SigningKey::Hs256(SECRET.as_bytes().to_vec())).unwrap()
}

/// A free loopback port (bound then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A real `redis-server` on a free loopback port, without persistence; stopped on drop.
pub struct Redis {
    /// `redis://127.0.0.1:PORT/`.
    pub url: String,
    child: Child,
    port: u16,
    args: Vec<String>,
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `redis-server` (Debian package `redis-server`; `scripts/setup.sh` installs it).
pub fn redis() -> Redis {
    redis_with(&["--save", "", "--appendonly", "no"])
}

/// Starts `redis-server` with `args` (its settings as `--name value` pairs).
pub fn redis_with(args: &[&str]) -> Redis {
    let port = free_port();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let child = start_redis(port, &args);
    Redis {
        url: format!("redis://127.0.0.1:{port}/"),
        child,
        port,
        args,
    }
}

/// Spawns `redis-server` on `port` and waits (up to 10 s) until it answers `PING`.
fn start_redis(port: u16, args: &[String]) -> Child {
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start redis-server ({e}): install it with `apt-get install redis-server` or run scripts/setup.sh")
        });
    let deadline = Instant::now() + Duration::from_secs(10);
    while redis_command(port, "PING").as_deref() != Some("+PONG") {
        assert!(
            Instant::now() < deadline,
            "redis-server did not answer on port {port}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

/// Sends one inline command to the Redis on `port`; its answer's first line.
fn redis_command(port: u16, command: &str) -> Option<String> {
    use std::io::Write;
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    s.write_all(format!("{command}\r\n").as_bytes()).ok()?;
    let mut line = String::new();
    BufReader::new(s).read_line(&mut line).ok()?;
    Some(line.trim_end().to_owned())
}

/// A `redis-server` that also listens with TLS, with a certificate for 127.0.0.1 signed by a test
/// CA (both made with `openssl` in `dir`); its `rediss://` URL, and the CA's file (for the
/// gateway's `SSL_CERT_FILE`).
pub fn redis_tls(dir: &Path) -> (Redis, String, PathBuf) {
    let file = |name: &str| dir.join(name).display().to_string();
    let openssl = |args: &[&str]| {
        let ok = Command::new("openssl")
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl (Debian package openssl)")
            .success();
        assert!(ok, "openssl {args:?}");
    };
    std::fs::write(dir.join("san.ext"), "subjectAltName=IP:127.0.0.1\n").unwrap();
    let (ca, ca_key, crt, key, csr) = (
        file("ca.crt"),
        file("ca.key"),
        file("redis.crt"),
        file("redis.key"),
        file("redis.csr"),
    );
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=test-ca",
        "-keyout",
        &ca_key,
        "-out",
        &ca,
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        &key,
        "-out",
        &csr,
    ]);
    openssl(&[
        "x509",
        "-req",
        "-in",
        &csr,
        "-CA",
        &ca,
        "-CAkey",
        &ca_key,
        "-CAcreateserial",
        "-days",
        "1",
        "-extfile",
        &file("san.ext"),
        "-out",
        &crt,
    ]);
    let tls_port = free_port();
    let redis = redis_with(&[
        "--save",
        "",
        "--tls-port",
        &tls_port.to_string(),
        "--tls-cert-file",
        &crt,
        "--tls-key-file",
        &key,
        "--tls-ca-cert-file",
        &ca,
        "--tls-auth-clients",
        "no",
    ]);
    (
        redis,
        format!("rediss://127.0.0.1:{tls_port}/"),
        dir.join("ca.crt"),
    )
}

impl Redis {
    /// Stops the server (SIGKILL) and starts it again on the same port with the same settings
    /// (without persistence it comes back empty).
    pub fn restart(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.child = start_redis(self.port, &self.args);
    }

    /// Sends one inline command (`CONFIG SET maxmemory 1`); the answer's first line.
    pub fn command(&self, command: &str) -> String {
        redis_command(self.port, command).expect("redis answers")
    }
}

/// Options for a gateway on the embedded store in `dir`.
pub fn embedded<'a>(mock: &'a Mock, dir: &'a Path) -> GatewayOptions<'a> {
    GatewayOptions {
        hubsoft: &mock.url,
        data_dir: Some(dir),
        redis: None,
        extra: Vec::new(),
        env: Vec::new(),
        soft_file_limit: None,
    }
}

/// A gateway on the embedded store in `dir`, with `extra` flags over the test defaults.
pub fn embedded_gateway(mock: &Mock, dir: &Path, extra: Vec<(&'static str, String)>) -> Gateway {
    let mut opts = embedded(mock, dir);
    opts.extra = extra;
    gateway(opts)
}

/// A mock Hubsoft and a gateway in front of it on the embedded store in a new temporary folder,
/// with `extra` flags over the test defaults. The folder lives as long as the returned `TempDir`.
pub async fn mock_and_gateway(
    extra: Vec<(&'static str, String)>,
) -> (Mock, tempfile::TempDir, Gateway) {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let gw = embedded_gateway(&mock, dir.path(), extra);
    (mock, dir, gw)
}

/// Checks that the mock holds exactly one ticket on service 11000, with `protocolo`.
pub async fn assert_one_ticket(mock: &Mock, protocolo: &str) {
    let tickets = mock.tickets(11000).await;
    assert_eq!(tickets.len(), 1, "{tickets:?}");
    assert_eq!(tickets[0]["protocolo"], protocolo);
}

/// Options for a gateway on Redis at `url`.
pub fn on_redis<'a>(mock: &'a Mock, url: &'a str) -> GatewayOptions<'a> {
    GatewayOptions {
        hubsoft: &mock.url,
        data_dir: None,
        redis: Some(url),
        extra: Vec::new(),
        env: Vec::new(),
        soft_file_limit: None,
    }
}
