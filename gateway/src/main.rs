//! `abrir-chamado-gateway` binary: serves the gateway, or mints a portal token.
//!
//! Stdout gets one line once the socket is bound, `abrir-chamado-gateway listening on
//! http://ADDR` (flushed); logs go to stderr. SIGTERM or Ctrl-C stop accepting connections and
//! let in-flight requests finish. Exit status: 0 after shutdown, 1 on a start-up failure, 2 on a
//! usage or settings error.

use std::io::Write as _;
use std::process::ExitCode;

use abrir_chamado_gateway::auth::{self, SigningKey};
use abrir_chamado_gateway::config::{
    portal_secret, read_file, Cli, Command, MintArgs, Settings, SettingsArgs,
    DEFAULT_MAX_LIFETIME_SECS,
};
use abrir_chamado_gateway::{observe, serve, server, state};
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::MintToken(args)) => mint(args, cli.settings),
        None => run(cli.settings),
    }
}

/// `mint-token`: prints the token on stdout; warns on stderr when its lifetime is over the
/// `portal_jwt_max_lifetime_secs` of these settings (flag, variable or file; default 3600), which
/// a gateway with them refuses.
fn mint(args: MintArgs, settings: SettingsArgs) -> ExitCode {
    // The file the gateway would read: refused here as the gateway would refuse it.
    let file = match settings.config.as_deref().map(read_file) {
        None => SettingsArgs::default(),
        Some(Ok(file)) => file,
        Some(Err(e)) => {
            eprintln!("mint-token: {e}");
            return ExitCode::from(2);
        }
    };
    let max_lifetime = settings
        .portal_jwt_max_lifetime_secs
        .or(file.portal_jwt_max_lifetime_secs)
        .unwrap_or(DEFAULT_MAX_LIFETIME_SECS);
    if args.ttl_secs > max_lifetime {
        eprintln!(
            "mint-token: warning: --ttl-secs {} is over portal_jwt_max_lifetime_secs ({max_lifetime} s): \
             a gateway with that setting refuses this token (401); portal tokens should live minutes",
            args.ttl_secs
        );
    }
    let key = match &args.ed25519_private_key {
        Some(path) => match std::fs::read(path) {
            Ok(pem) => SigningKey::Ed25519Pem(pem),
            Err(e) => {
                eprintln!("cannot read {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        None => {
            let secret = portal_secret(
                settings
                    .portal_jwt_hs256_secret
                    .or(file.portal_jwt_hs256_secret),
                "portal_jwt_hs256_secret",
            );
            match secret {
                Ok(Some(s)) => SigningKey::Hs256(s),
                Err(e) => {
                    eprintln!("mint-token: {e}");
                    return ExitCode::from(2);
                }
                Ok(None) => {
                    eprintln!(
                        "mint-token: set PORTAL_JWT_HS256_SECRET (or --portal-jwt-hs256-secret, \
                         or the config file) or give --ed25519-private-key"
                    );
                    return ExitCode::from(2);
                }
            }
        }
    };
    let mut claims = auth::claims_for(&args.sub, args.servicos, args.ttl_secs);
    claims.nome = args.nome;
    claims.telefone = args.telefone;
    claims.email = args.email;
    match auth::mint(&claims, &key) {
        Ok(token) => {
            println!("{token}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("mint-token: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: SettingsArgs) -> ExitCode {
    let mut settings = match Settings::resolve(args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("abrir-chamado-gateway: {e}");
            return ExitCode::from(2);
        }
    };
    observe::init_logs(&settings.log_format);
    // Client connections and the connections to Hubsoft each hold an open file: the soft limit
    // (1024 under systemd and Docker) is raised to the hard one.
    match server::raise_file_limit() {
        Ok(files) => tracing::info!(open_files = files, "open-file limit"),
        Err(error) => tracing::warn!(%error, "could not raise the open-file limit"),
    }
    for warning in &settings.warnings {
        tracing::warn!("{warning}");
    }
    if settings.demo {
        // A fresh random secret per run: demo tokens never outlive the process.
        let secret = format!(
            "{}{}",
            uuid::Uuid::new_v4().simple(),
            uuid::Uuid::new_v4().simple()
        );
        settings.portal_hs256_secret = Some(secret.into_bytes());
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("abrir-chamado-gateway: runtime: {e}");
            return ExitCode::from(1);
        }
    };
    runtime.block_on(async move {
        #[cfg(unix)]
        ignore_sighup();
        let listen = settings.listen;
        tracing::info!(settings = ?settings, "starting");
        if settings.cors_origins.is_empty() {
            tracing::warn!(
                "no cors_origins: browsers send Origin with every POST, same-origin ones too, \
                 so every browser request will be refused with 403; list the portal's origin"
            );
        }
        if settings.demo {
            tracing::warn!(
                "demo mode: POST /demo/portal-token gives a valid portal token to anyone who reaches it"
            );
        }
        let state = match state(settings).await {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "start-up failed");
                eprintln!("abrir-chamado-gateway: {e}");
                return ExitCode::from(1);
            }
        };
        let listener = match tokio::net::TcpListener::bind(listen).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("abrir-chamado-gateway: cannot listen on {listen}: {e}");
                return ExitCode::from(1);
            }
        };
        let addr = listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default();
        println!("abrir-chamado-gateway listening on http://{addr}");
        let _ = std::io::stdout().flush();
        tracing::info!(%addr, store = state.store.kind(), "listening");
        match serve(listener, state, shutdown_signal()).await {
            Ok(()) => {
                tracing::info!("stopped");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("abrir-chamado-gateway: {e}");
                ExitCode::from(1)
            }
        }
    })
}

/// Logs each SIGHUP and keeps running: the settings are read once, at start (a restart applies
/// changes), and a daemon whose terminal or SSH session closed gets SIGHUP, whose default action
/// would end it at once, without closing its connections.
#[cfg(unix)]
fn ignore_sighup() {
    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) {
        Ok(mut hup) => {
            tokio::spawn(async move {
                while hup.recv().await.is_some() {
                    tracing::warn!(
                        "SIGHUP: no reload (settings are read at start); restart to apply changes"
                    );
                }
            });
        }
        Err(error) => tracing::warn!(%error, "cannot handle SIGHUP"),
    }
}

/// Resolves on SIGTERM or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
