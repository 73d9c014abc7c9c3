//! The `cliente/atendimento` lookup (`docs/hubsoft-api.md` §3), the shared validation rules and the scripted
//! faults, driven in-process (and, for the dropped connection, over loopback HTTP).

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use mock_hubsoft::{app, Config, ATENDIMENTO_PATH, CLIENTE_ATENDIMENTO_PATH, DEMO_TOKEN};
use serde_json::{json, Value};
use tower::ServiceExt;

async fn call(app: &Router, method: Method, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {DEMO_TOKEN}"));
    let body = match body {
        Some(v) => {
            b = b.header(header::CONTENT_TYPE, "application/json");
            Body::from(v.to_string())
        }
        None => Body::empty(),
    };
    let res = app.clone().oneshot(b.body(body).unwrap()).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

fn ticket(servico: u64, descricao: &str) -> Value {
    json!({"id_cliente_servico": servico, "descricao": descricao, "nome": "Maria", "telefone": "37999112233"})
}

#[tokio::test]
async fn lookup_lists_the_tickets_opened_on_a_service() {
    let app = app(Config::default());
    let (_, a) = call(
        &app,
        Method::POST,
        ATENDIMENTO_PATH,
        Some(ticket(11000, "Sem sinal")),
    )
    .await;
    let (_, b) = call(
        &app,
        Method::POST,
        ATENDIMENTO_PATH,
        Some(ticket(11001, "Lenta")),
    )
    .await;
    let (_, c) = call(
        &app,
        Method::POST,
        ATENDIMENTO_PATH,
        Some(ticket(11000, "Caiu de novo")),
    )
    .await;
    assert_eq!(a["status"], "success");
    assert_eq!(b["status"], "success");

    let uri = format!("{CLIENTE_ATENDIMENTO_PATH}?busca=id_cliente_servico&termo_busca=11000&apenas_pendente=sim&order_type=desc");
    let (status, list) = call(&app, Method::GET, &uri, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["status"], "suscess");
    assert_eq!(list["msg"], "Dados consultados com sucesso");
    let items = list["atendimentos"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["protocolo"], c["atendimento"]["protocolo"]);
    assert_eq!(items[1]["protocolo"], a["atendimento"]["protocolo"]);
    assert_eq!(
        items[1]["descricao_abertura"],
        "Sem sinal | ATENDIMENTO ABERTO VIA API"
    );
    assert_eq!(items[1]["servico"]["id_cliente_servico"], "11000");
    assert_eq!(
        items[1]["id_atendimento"],
        a["atendimento"]["id_atendimento"]
    );

    let by_protocolo = format!(
        "{CLIENTE_ATENDIMENTO_PATH}?busca=protocolo&termo_busca={}",
        b["atendimento"]["protocolo"].as_str().unwrap()
    );
    let (_, one) = call(&app, Method::GET, &by_protocolo, None).await;
    assert_eq!(one["atendimentos"].as_array().unwrap().len(), 1);

    let (_, bad) = call(
        &app,
        Method::GET,
        &format!("{CLIENTE_ATENDIMENTO_PATH}?busca=cpf"),
        None,
    )
    .await;
    assert_eq!(bad["status"], "error");

    // Without a token: 401 like every Hubsoft route.
    let res = app
        .clone()
        .oneshot(Request::get(uri.as_str()).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    // Reset forgets the tickets.
    call(&app, Method::POST, "/__mock/reset", None).await;
    let (_, list) = call(&app, Method::GET, &uri, None).await;
    assert_eq!(list["atendimentos"], json!([]));
}

#[tokio::test]
async fn the_widget_rules_apply_after_the_format_rules() {
    let app = app(Config::default());
    // 10 digits in the right format, but DDD 20 does not exist (`docs/hubsoft-api.md` §5).
    let mut body = ticket(11000, "x");
    body["telefone"] = json!("2099112233");
    let (status, r) = call(&app, Method::POST, ATENDIMENTO_PATH, Some(body)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(r["status"], "error");
    let sentence = r["errors"][0].as_str().unwrap();
    assert!(
        sentence.starts_with("O campo telefone é inválido"),
        "{sentence}"
    );
    let (_, r) = call(
        &app,
        Method::POST,
        ATENDIMENTO_PATH,
        Some(ticket(11000, &"a".repeat(2001))),
    )
    .await;
    assert!(
        r["errors"][0]
            .as_str()
            .unwrap()
            .starts_with("O campo descricao"),
        "{r}"
    );
}

#[tokio::test]
async fn a_dropped_connection_still_opens_the_ticket() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = app(Config::default());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let base = format!("http://{addr}");
    let client = reqwest::Client::new();
    let r = client
        .post(format!("{base}/__mock/queue"))
        .json(&json!({"fault": "drop"}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let lost = client
        .post(format!("{base}{ATENDIMENTO_PATH}"))
        .bearer_auth(DEMO_TOKEN)
        .json(&ticket(11000, "Sem sinal"))
        .send()
        .await;
    assert!(lost.is_err(), "the connection must close without an answer");
    let list: Value = client
        .get(format!(
            "{base}{CLIENTE_ATENDIMENTO_PATH}?busca=id_cliente_servico&termo_busca=11000"
        ))
        .bearer_auth(DEMO_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["atendimentos"].as_array().unwrap().len(), 1);
}
