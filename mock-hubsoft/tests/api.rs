//! Drives `mock_hubsoft::app` in-process with `tower::ServiceExt::oneshot` (no port).

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use mock_hubsoft::{app, Config, ATENDIMENTO_PATH, DEMO_TOKEN, TIPO_ATENDIMENTO_PATH};
use serde_json::{json, Value};
use tower::ServiceExt;

const FILL: &str = "Favor preencher os campos obrigatórios de acordo com as especificações";
const INVALID: &str = "Os dados fornecidos são inválidos";

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

async fn send(app: &Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    Reply {
        status,
        headers,
        text: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

fn request(method: Method, path: &str, token: Option<&str>, body: Option<&str>) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header(header::ACCEPT, "application/json");
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    match body {
        Some(body) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap(),
        None => b.body(Body::empty()).unwrap(),
    }
}

async fn post(app: &Router, path: &str, token: Option<&str>, body: &Value) -> Reply {
    send(
        app,
        request(Method::POST, path, token, Some(&body.to_string())),
    )
    .await
}

async fn abrir(app: &Router, body: &Value) -> Reply {
    post(app, ATENDIMENTO_PATH, Some(DEMO_TOKEN), body).await
}

fn valid_ticket() -> Value {
    json!({
        "id_cliente_servico": 11000,
        "descricao": "Sem internet desde ontem",
        "nome": "Maria",
        "telefone": "37999112233",
    })
}

fn with(mut base: Value, key: &str, value: Value) -> Value {
    base[key] = value;
    base
}

fn without(mut base: Value, key: &str) -> Value {
    base.as_object_mut().unwrap().remove(key);
    base
}

async fn expect_errors(app: &Router, body: &Value, msg: &str, errors: &[&str]) {
    let r = abrir(app, body).await;
    assert_eq!(r.status, StatusCode::OK, "{body}");
    assert_eq!(
        r.json(),
        json!({ "status": "error", "msg": msg, "errors": errors }),
        "{body}"
    );
}

fn oauth_body() -> Value {
    json!({
        "grant_type": "password",
        "client_id": "3",
        "client_secret": "demo-secret",
        "username": "api@demo.isp",
        "password": "demo-password",
    })
}

#[tokio::test]
async fn oauth_issues_unique_working_tokens() {
    let app = app(Config::default());
    let a = post(&app, "/oauth/token", None, &oauth_body()).await;
    let b = post(&app, "/oauth/token", None, &oauth_body()).await;
    assert_eq!(a.status, StatusCode::OK);
    let (a, b) = (a.json(), b.json());
    for t in [&a, &b] {
        assert_eq!(t["expires_in"], 2_592_000);
        assert_eq!(t["token_type"], "Bearer");
        assert!(t["access_token"].as_str().unwrap().len() >= 20);
        assert!(!t["refresh_token"].as_str().unwrap().is_empty());
    }
    assert_ne!(a["access_token"], b["access_token"]);
    assert_ne!(a["access_token"], a["refresh_token"]);

    let token = a["access_token"].as_str().unwrap();
    let r = abrir_with(&app, token).await;
    assert_eq!(r.json()["status"], "success");
    let r = send(
        &app,
        request(Method::GET, TIPO_ATENDIMENTO_PATH, Some(token), None),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    // a refresh token is not an access token
    let refresh = a["refresh_token"].as_str().unwrap();
    assert_eq!(
        abrir_with(&app, refresh).await.status,
        StatusCode::UNAUTHORIZED
    );
    // client_id as a JSON number is fine too
    let r = post(
        &app,
        "/oauth/token",
        None,
        &with(oauth_body(), "client_id", json!(3)),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
}

async fn abrir_with(app: &Router, token: &str) -> Reply {
    post(app, ATENDIMENTO_PATH, Some(token), &valid_ticket()).await
}

#[tokio::test]
async fn oauth_rejects_bad_credentials() {
    let app = app(Config::default());
    let expected = json!({
        "error": "invalid_credentials",
        "error_description": "The user credentials were incorrect.",
        "message": "The user credentials were incorrect.",
    });
    for (k, v) in [("password", "wrong"), ("username", "other@demo.isp")] {
        let r = post(&app, "/oauth/token", None, &with(oauth_body(), k, json!(v))).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{k}");
        assert_eq!(r.json(), expected, "{k}");
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    }

    let r = post(
        &app,
        "/oauth/token",
        None,
        &with(oauth_body(), "client_secret", json!("nope")),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"], "invalid_client");

    let r = post(
        &app,
        "/oauth/token",
        None,
        &with(oauth_body(), "grant_type", json!("client_credentials")),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"], "unsupported_grant_type");

    let r = post(
        &app,
        "/oauth/token",
        None,
        &without(oauth_body(), "password"),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error"], "invalid_request");
}

#[tokio::test]
async fn oauth_accepts_form_bodies() {
    let app = app(Config::default());
    let req = Request::post("/oauth/token")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(
            "grant_type=password&client_id=3&client_secret=demo-secret&username=api%40demo.isp&password=demo-password",
        ))
        .unwrap();
    let r = send(&app, req).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["token_type"], "Bearer");
}

#[tokio::test]
async fn unauthenticated_requests_get_401() {
    let app = app(Config::default());
    let expected = json!({ "message": "Unauthenticated." });

    let r = post(&app, ATENDIMENTO_PATH, None, &valid_ticket()).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json(), expected);

    let r = post(&app, ATENDIMENTO_PATH, Some("not-a-token"), &valid_ticket()).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json(), expected);

    let req = Request::post(ATENDIMENTO_PATH)
        .header(header::AUTHORIZATION, "Basic ZGVtby10b2tlbg==")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(valid_ticket().to_string()))
        .unwrap();
    assert_eq!(send(&app, req).await.status, StatusCode::UNAUTHORIZED);

    let req = Request::post(ATENDIMENTO_PATH)
        .header(header::AUTHORIZATION, "demo-token")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, req).await.status, StatusCode::UNAUTHORIZED);

    let r = send(
        &app,
        request(Method::GET, TIPO_ATENDIMENTO_PATH, None, None),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json(), expected);

    // the scheme is case-insensitive
    let req = Request::post(ATENDIMENTO_PATH)
        .header(header::AUTHORIZATION, "bearer demo-token")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(valid_ticket().to_string()))
        .unwrap();
    assert_eq!(send(&app, req).await.json()["status"], "success");
}

#[tokio::test]
async fn missing_fields_are_listed_in_order() {
    let app = app(Config::default());
    let all = [
        "O campo id cliente servico é obrigatório.",
        "O campo descricao é obrigatório.",
        "O campo nome é obrigatório.",
        "O campo telefone é obrigatório.",
    ];
    expect_errors(&app, &json!({}), FILL, &all).await;
    // blank strings and nulls count as missing (TrimStrings + ConvertEmptyStringsToNull)
    expect_errors(
        &app,
        &json!({"id_cliente_servico": null, "descricao": "   ", "nome": "", "telefone": "\t"}),
        FILL,
        &all,
    )
    .await;
    for (i, key) in ["id_cliente_servico", "descricao", "nome", "telefone"]
        .iter()
        .enumerate()
    {
        expect_errors(&app, &without(valid_ticket(), key), FILL, &[all[i]]).await;
    }
}

#[tokio::test]
async fn non_json_bodies_count_as_empty_input() {
    let app = app(Config::default());
    let all = [
        "O campo id cliente servico é obrigatório.",
        "O campo descricao é obrigatório.",
        "O campo nome é obrigatório.",
        "O campo telefone é obrigatório.",
    ];
    for (ct, body) in [
        ("application/json", "{not json"),
        ("application/json", "[1,2,3]"),
        ("application/json", ""),
        // JSON sent without a JSON content type is not read (Laravel only parses */json bodies)
        ("text/plain", &valid_ticket().to_string()),
    ] {
        let req = Request::post(ATENDIMENTO_PATH)
            .header(header::AUTHORIZATION, "Bearer demo-token")
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body.to_owned()))
            .unwrap();
        let r = send(&app, req).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(
            r.json(),
            json!({"status": "error", "msg": FILL, "errors": all}),
            "{ct} {body}"
        );
    }
}

#[tokio::test]
async fn each_format_rule() {
    let app = app(Config::default());
    let v = valid_ticket;
    let cases: Vec<(Value, &str)> = vec![
        (
            with(v(), "id_cliente_servico", json!("abc")),
            "O campo id cliente servico deve ser um número inteiro.",
        ),
        (
            with(v(), "id_cliente_servico", json!(11000.5)),
            "O campo id cliente servico deve ser um número inteiro.",
        ),
        (
            with(v(), "id_cliente_servico", json!(true)),
            "O campo id cliente servico deve ser um número inteiro.",
        ),
        (
            with(v(), "telefone", json!("(37) 99911-2233")),
            "O campo telefone deve conter apenas números com DDD.",
        ),
        (
            with(v(), "telefone", json!("379991122")),
            "O campo telefone deve conter apenas números com DDD.",
        ),
        (
            with(v(), "telefone", json!("5537999112233")),
            "O campo telefone deve conter apenas números com DDD.",
        ),
        (
            with(v(), "email", json!("maria.example.com")),
            "O campo email deve ser um endereço de e-mail válido.",
        ),
        (
            with(v(), "email", json!("maria@")),
            "O campo email deve ser um endereço de e-mail válido.",
        ),
        (
            with(v(), "id_tipo_atendimento", json!("lento")),
            "O campo id tipo atendimento deve ser um número inteiro.",
        ),
        (
            with(v(), "abrir_os", json!("false")),
            "O campo abrir os deve ser verdadeiro ou falso.",
        ),
        (
            with(v(), "abrir_os", json!("sim")),
            "O campo abrir os deve ser verdadeiro ou falso.",
        ),
        (
            with(v(), "nome", json!(42)),
            "O campo nome deve ser uma string.",
        ),
    ];
    for (body, error) in cases {
        expect_errors(&app, &body, FILL, &[error]).await;
    }

    // several at once, in field order
    let body = json!({
        "id_cliente_servico": "x",
        "descricao": "d",
        "telefone": "123",
        "email": "nope",
        "id_tipo_atendimento": 1.5,
        "abrir_os": "true",
    });
    expect_errors(
        &app,
        &body,
        FILL,
        &[
            "O campo id cliente servico deve ser um número inteiro.",
            "O campo nome é obrigatório.",
            "O campo telefone deve conter apenas números com DDD.",
            "O campo email deve ser um endereço de e-mail válido.",
            "O campo id tipo atendimento deve ser um número inteiro.",
            "O campo abrir os deve ser verdadeiro ou falso.",
        ],
    )
    .await;
}

#[tokio::test]
async fn lenient_inputs_that_laravel_accepts() {
    let app = app(Config::default());
    let v = valid_ticket;
    for body in [
        with(v(), "id_cliente_servico", json!("11000")),
        with(v(), "telefone", json!("3733221100")),
        with(v(), "telefone", json!(" 37999112233 ")),
        with(v(), "email", json!("maria@example.com.br")),
        with(v(), "email", json!("")),
        with(v(), "email", Value::Null),
        with(v(), "abrir_os", json!(true)),
        with(v(), "abrir_os", json!(false)),
        with(v(), "abrir_os", json!(1)),
        with(v(), "abrir_os", json!("0")),
        with(v(), "id_tipo_atendimento", json!("110")),
        with(v(), "parametros", json!({"qualquer": "coisa"})),
    ] {
        let r = abrir(&app, &body).await;
        assert_eq!(r.json()["status"], "success", "{body} -> {}", r.text);
    }
}

#[tokio::test]
async fn unknown_service_and_tipo() {
    let app = app(Config::default());
    expect_errors(
        &app,
        &with(valid_ticket(), "id_cliente_servico", json!(99999)),
        INVALID,
        &["O valor selecionado para o campo id cliente servico é inválido."],
    )
    .await;
    expect_errors(
        &app,
        &with(valid_ticket(), "id_tipo_atendimento", json!(1)),
        INVALID,
        &["O valor selecionado para o campo id tipo atendimento é inválido."],
    )
    .await;
    let both = with(
        with(valid_ticket(), "id_cliente_servico", json!(5)),
        "id_tipo_atendimento",
        json!(2),
    );
    expect_errors(
        &app,
        &both,
        INVALID,
        &[
            "O valor selecionado para o campo id cliente servico é inválido.",
            "O valor selecionado para o campo id tipo atendimento é inválido.",
        ],
    )
    .await;
    // failures do not consume ticket ids
    let r = abrir(&app, &valid_ticket()).await;
    assert_eq!(r.json()["atendimento"]["id_atendimento"], 1000);
}

fn is_ddmmyyyy(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[2] == b'/'
        && b[5] == b'/'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || i == 5 || c.is_ascii_digit())
}

#[tokio::test]
async fn success_shape() {
    let app = app(Config::default());
    let r = abrir(
        &app,
        &with(valid_ticket(), "descricao", json!("  Sem internet  ")),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let body = r.json();
    assert_eq!(body["status"], "success");
    let a = &body["atendimento"];
    let protocolo = a["protocolo"].as_str().expect("protocolo is a string");
    assert_eq!(protocolo.len(), 20);
    assert!(protocolo.bytes().all(|b| b.is_ascii_digit()));
    assert!(protocolo.ends_with("000001"));
    assert_eq!(
        body["msg"],
        format!("Atendimento aberto com sucesso. Anote o protocolo: {protocolo}.")
    );
    let data = a["data_cadastro"].as_str().unwrap();
    assert!(is_ddmmyyyy(data), "{data}");
    // protocolo starts with yyyymmdd of the same day as data_cadastro
    assert_eq!(
        &protocolo[..8],
        format!("{}{}{}", &data[6..], &data[3..5], &data[..2])
    );

    let expected = json!({
        "id_atendimento": 1000,
        "protocolo": protocolo,
        "tipo_atendimento": "SAC",
        "usuario_abertura": "API",
        "usuario_responsavel": null,
        "usuario_fechamento": null,
        "data_cadastro": data,
        "data_fechamento": null,
        "setor_responsavel": null,
        "status_fechamento": null,
        "motivo_fechamento": null,
        "status": "Aguardando Análise",
        "descricao_abertura": "Sem internet | ATENDIMENTO ABERTO VIA API",
        "cliente": {
            "codigo_cliente": 1204,
            "nome_razaosocial": "MARIA DA SILVA SOUZA",
            "cpf_cnpj": "12345678909",
        },
    });
    assert_eq!(a, &expected);

    // growing ids, other customers, typed tickets
    let cases = [
        (
            11001,
            None,
            1204,
            "MARIA DA SILVA SOUZA",
            "12345678909",
            "SAC",
        ),
        (
            12000,
            Some(109),
            1300,
            "JOÃO PEREIRA LIMA",
            "98765432100",
            "SEM ACESSO A INTERNET",
        ),
        (
            13000,
            Some(110),
            1400,
            "PROVEDOR EXEMPLO LTDA",
            "11222333000181",
            "INTERNET LENTA",
        ),
        (
            11000,
            Some(111),
            1204,
            "MARIA DA SILVA SOUZA",
            "12345678909",
            "FINANCEIRO",
        ),
    ];
    let mut last = protocolo.to_owned();
    for (i, (service, tipo, codigo, nome, doc, tipo_nome)) in cases.into_iter().enumerate() {
        let mut body = with(valid_ticket(), "id_cliente_servico", json!(service));
        if let Some(t) = tipo {
            body = with(body, "id_tipo_atendimento", json!(t));
        }
        let r = abrir(&app, &body).await.json();
        let a = &r["atendimento"];
        assert_eq!(a["id_atendimento"], 1001 + i as u64);
        assert_eq!(a["tipo_atendimento"], tipo_nome);
        assert_eq!(
            a["cliente"],
            json!({"codigo_cliente": codigo, "nome_razaosocial": nome, "cpf_cnpj": doc})
        );
        let p = a["protocolo"].as_str().unwrap().to_owned();
        assert_eq!(p.len(), 20);
        assert!(p > last, "{p} > {last}");
        last = p;
    }
}

#[tokio::test]
async fn tipos_de_atendimento() {
    let app = app(Config::default());
    let r = send(
        &app,
        request(Method::GET, TIPO_ATENDIMENTO_PATH, Some(DEMO_TOKEN), None),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.json(),
        json!({
            "status": "success",
            "msg": "Dados consultados com sucesso",
            "tipos_atendimento": [
                {"id_tipo_atendimento": 109, "descricao": "SEM ACESSO A INTERNET"},
                {"id_tipo_atendimento": 110, "descricao": "INTERNET LENTA"},
                {"id_tipo_atendimento": 111, "descricao": "FINANCEIRO"},
            ],
        })
    );
}

#[tokio::test]
async fn cors_everywhere() {
    let app = app(Config::default());
    let ok = abrir(&app, &valid_ticket()).await;
    let err = abrir(&app, &json!({})).await;
    let unauth = post(&app, ATENDIMENTO_PATH, None, &valid_ticket()).await;
    let not_found = send(&app, request(Method::GET, "/nope", None, None)).await;
    let control = send(&app, request(Method::GET, "/__mock/requests", None, None)).await;
    assert_eq!(not_found.status, StatusCode::NOT_FOUND);
    for (what, r) in [
        ("success", &ok),
        ("error", &err),
        ("401", &unauth),
        ("404", &not_found),
        ("control", &control),
    ] {
        assert_eq!(r.header("access-control-allow-origin"), Some("*"), "{what}");
    }

    let preflight = Request::builder()
        .method(Method::OPTIONS)
        .uri(ATENDIMENTO_PATH)
        .header(header::ORIGIN, "http://localhost:8080")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            "authorization,content-type",
        )
        .body(Body::empty())
        .unwrap();
    let r = send(&app, preflight).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let methods = r.header("access-control-allow-methods").unwrap();
    for m in ["GET", "POST", "OPTIONS"] {
        assert!(methods.contains(m), "{methods}");
    }
    let headers = r.header("access-control-allow-headers").unwrap();
    for h in ["authorization", "content-type", "accept"] {
        assert!(headers.contains(h), "{headers}");
    }
    assert!(r.text.is_empty());

    // preflights are not recorded
    let log = send(&app, request(Method::GET, "/__mock/requests", None, None))
        .await
        .json();
    assert!(log
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["method"] != "OPTIONS"));
}

async fn queue(app: &Router, body: Value) -> Reply {
    post(app, "/__mock/queue", None, &body).await
}

#[tokio::test]
async fn queue_is_fifo_and_overrides_normal_behaviour() {
    let app = app(Config::default());
    let r = queue(
        &app,
        json!([
            {"status": 502, "body": "<html><body>Bad Gateway</body></html>", "content_type": "text/html"},
            {"body": {"status": "suscess", "atendimento": {"id_atendimento": 7}}},
        ]),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json(), json!({"queued": 2, "pending": 2}));
    let r = queue(&app, json!({"status": 204})).await;
    assert_eq!(r.json(), json!({"queued": 1, "pending": 3}));
    let pending = send(&app, request(Method::GET, "/__mock/queue", None, None))
        .await
        .json();
    assert_eq!(pending.as_array().unwrap().len(), 3);
    assert_eq!(pending[2]["path"], ATENDIMENTO_PATH);
    assert_eq!(pending[2]["content_type"], "application/json");

    // queued responses replace even the auth check
    let r = post(&app, ATENDIMENTO_PATH, None, &valid_ticket()).await;
    assert_eq!(r.status, StatusCode::BAD_GATEWAY);
    assert_eq!(r.header("content-type"), Some("text/html"));
    assert_eq!(r.text, "<html><body>Bad Gateway</body></html>");
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));

    let r = abrir(&app, &valid_ticket()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        r.json(),
        json!({"status": "suscess", "atendimento": {"id_atendimento": 7}})
    );

    let r = abrir(&app, &valid_ticket()).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(r.text.is_empty());

    // queue drained: normal behaviour again, and the queued calls did not use ticket ids
    let r = abrir(&app, &valid_ticket()).await.json();
    assert_eq!(r["atendimento"]["id_atendimento"], 1000);

    // every call was recorded, queued or not
    let log = send(&app, request(Method::GET, "/__mock/requests", None, None))
        .await
        .json();
    assert_eq!(log.as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn queue_entries_can_target_other_paths() {
    let app = app(Config::default());
    queue(
        &app,
        json!({"path": "/oauth/token", "status": 503, "body": "", "content_type": "text/plain"}),
    )
    .await;
    // the atendimento route is unaffected
    assert_eq!(
        abrir(&app, &valid_ticket()).await.json()["status"],
        "success"
    );
    let r = post(&app, "/oauth/token", None, &oauth_body()).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.header("content-type"), Some("text/plain"));
    let r = post(&app, "/oauth/token", None, &oauth_body()).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn queue_delay_is_applied() {
    let app = app(Config::default());
    queue(
        &app,
        json!({"status": 401, "body": {"message": "Unauthenticated."}, "delay_ms": 60}),
    )
    .await;
    let start = Instant::now();
    let r = abrir(&app, &valid_ticket()).await;
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(60), "{elapsed:?}");
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json(), json!({"message": "Unauthenticated."}));

    let start = Instant::now();
    abrir(&app, &valid_ticket()).await;
    assert!(start.elapsed() < Duration::from_millis(60));
}

#[tokio::test]
async fn queue_rejects_malformed_entries() {
    let app = app(Config::default());
    for bad in [
        json!({"status": 42}),
        json!({"statuss": 500}),
        json!([{"status": 500}, {"delay_ms": "slow"}]),
        json!("text"),
    ] {
        let r = queue(&app, bad.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(r.json()["error"].is_string());
    }
    let req = Request::post("/__mock/queue")
        .body(Body::from("{oops"))
        .unwrap();
    assert_eq!(send(&app, req).await.status, StatusCode::BAD_REQUEST);
    // nothing was queued by the failed calls
    let pending = send(&app, request(Method::GET, "/__mock/queue", None, None))
        .await
        .json();
    assert_eq!(pending, json!([]));
}

#[tokio::test]
async fn requests_log_and_reset() {
    let app = app(Config::default());
    let ticket = valid_ticket().to_string();
    let req = Request::post(format!("{ATENDIMENTO_PATH}?debug=1"))
        .header("Authorization", "Bearer demo-token")
        .header("Content-Type", "application/json")
        .header("X-Custom", "a")
        .header("x-custom", "b")
        .body(Body::from(ticket.clone()))
        .unwrap();
    send(&app, req).await;
    let req = Request::post(ATENDIMENTO_PATH)
        .header("Content-Type", "text/plain")
        .body(Body::from("<not json>"))
        .unwrap();
    send(&app, req).await;
    send(
        &app,
        request(Method::GET, TIPO_ATENDIMENTO_PATH, Some(DEMO_TOKEN), None),
    )
    .await;
    // not recorded: controls, preflight, unknown paths
    queue(&app, json!([])).await;
    send(&app, request(Method::OPTIONS, ATENDIMENTO_PATH, None, None)).await;
    send(&app, request(Method::GET, "/unknown", None, None)).await;

    let log = send(&app, request(Method::GET, "/__mock/requests", None, None))
        .await
        .json();
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 3, "{log:?}");

    assert_eq!(log[0]["method"], "POST");
    assert_eq!(log[0]["path"], ATENDIMENTO_PATH);
    assert_eq!(log[0]["query"], "debug=1");
    assert_eq!(log[0]["headers"]["authorization"], "Bearer demo-token");
    assert_eq!(log[0]["headers"]["content-type"], "application/json");
    assert_eq!(log[0]["headers"]["x-custom"], "a, b");
    assert_eq!(log[0]["body"], ticket);
    assert_eq!(log[0]["json"], valid_ticket());

    assert_eq!(log[1]["query"], Value::Null);
    assert_eq!(log[1]["body"], "<not json>");
    assert_eq!(log[1]["json"], Value::Null);
    assert!(log[1]["headers"].get("authorization").is_none());

    assert_eq!(log[2]["method"], "GET");
    assert_eq!(log[2]["path"], TIPO_ATENDIMENTO_PATH);
    assert_eq!(log[2]["body"], "");

    // reset clears log and queue and restarts id_atendimento; protocolos are never given twice
    let before = abrir(&app, &valid_ticket()).await.json()["atendimento"]["protocolo"]
        .as_str()
        .unwrap()
        .to_owned();
    queue(&app, json!({"status": 500})).await;
    let r = send(&app, request(Method::POST, "/__mock/reset", None, None)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json(), json!({"reset": true}));
    let log = send(&app, request(Method::GET, "/__mock/requests", None, None))
        .await
        .json();
    assert_eq!(log, json!([]));
    let pending = send(&app, request(Method::GET, "/__mock/queue", None, None))
        .await
        .json();
    assert_eq!(pending, json!([]));
    let r = abrir(&app, &valid_ticket()).await.json();
    assert_eq!(r["atendimento"]["id_atendimento"], 1000);
    let after = r["atendimento"]["protocolo"].as_str().unwrap();
    assert_ne!(after, before);
    assert!(after[14..] > before[14..], "{before} then {after}");
}

#[tokio::test]
async fn apps_do_not_share_state() {
    let a = app(Config::default());
    let b = app(Config::default());
    abrir(&a, &valid_ticket()).await;
    let r = abrir(&b, &valid_ticket()).await.json();
    assert_eq!(r["atendimento"]["id_atendimento"], 1000);
}

#[tokio::test]
async fn custom_credentials() {
    let app = app(Config {
        demo_token: "other".into(),
        password: "s3cret".into(),
        ..Config::default()
    });
    assert_eq!(
        abrir(&app, &valid_ticket()).await.status,
        StatusCode::UNAUTHORIZED
    );
    let r = post(&app, ATENDIMENTO_PATH, Some("other"), &valid_ticket()).await;
    assert_eq!(r.json()["status"], "success");
    let r = post(&app, "/oauth/token", None, &oauth_body()).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = post(
        &app,
        "/oauth/token",
        None,
        &with(oauth_body(), "password", json!("s3cret")),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn serves_static_files_with_wasm_mime() {
    let dir = std::env::temp_dir().join(format!(
        "mock-hubsoft-static-{}-{:?}",
        std::process::id(),
        Instant::now()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>demo</title>").unwrap();
    std::fs::write(dir.join("widget_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join("widget.js"), "export default 1;").unwrap();

    let app = app(Config {
        serve_dir: Some(dir.clone()),
        ..Config::default()
    });
    let r = send(&app, request(Method::GET, "/widget_bg.wasm", None, None)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), Some("application/wasm"));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));

    let r = send(&app, request(Method::GET, "/widget.js", None, None)).await;
    assert!(r.header("content-type").unwrap().contains("javascript"));

    let r = send(&app, request(Method::GET, "/", None, None)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.text.contains("<title>demo</title>"));

    let r = send(&app, request(Method::GET, "/missing.js", None, None)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // the API still works next to the static files
    assert_eq!(
        abrir(&app, &valid_ticket()).await.json()["status"],
        "success"
    );

    std::fs::remove_dir_all(&dir).unwrap();
}
