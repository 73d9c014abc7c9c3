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
async fn lookup_filters_closed_tickets_and_creation_dates_and_the_clock_can_be_set() {
    let app = app(Config::default());
    let (_, a) = call(
        &app,
        Method::POST,
        ATENDIMENTO_PATH,
        Some(ticket(11000, "Um")),
    )
    .await;
    let a = a["atendimento"]["protocolo"].as_str().unwrap().to_owned();
    // UTC+14 and UTC−12 lie on two different dates at any moment.
    let (status, set) = call(
        &app,
        Method::POST,
        "/__mock/clock",
        Some(json!({"utc_offset_minutes": 840})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(set["utc_offset_minutes"], 840);
    let (_, b) = call(
        &app,
        Method::POST,
        ATENDIMENTO_PATH,
        Some(ticket(11000, "Dois")),
    )
    .await;
    let b = b["atendimento"]["protocolo"].as_str().unwrap().to_owned();
    call(
        &app,
        Method::POST,
        "/__mock/clock",
        Some(json!({"utc_offset_minutes": -720})),
    )
    .await;
    let (_, c) = call(
        &app,
        Method::POST,
        ATENDIMENTO_PATH,
        Some(ticket(11000, "Tres")),
    )
    .await;
    let c = c["atendimento"]["protocolo"].as_str().unwrap().to_owned();
    // The protocolo's date is the local date of its clock.
    assert!(b[..8] > c[..8], "{b} {c}");
    let day = |p: &str| format!("{}-{}-{}", &p[0..4], &p[4..6], &p[6..8]);
    let list = |query: String| {
        let app = app.clone();
        async move {
            let uri = format!(
                "{CLIENTE_ATENDIMENTO_PATH}?busca=id_cliente_servico&termo_busca=11000&{query}"
            );
            let (_, v) = call(&app, Method::GET, &uri, None).await;
            v["atendimentos"]
                .as_array()
                .unwrap_or_else(|| panic!("{v}"))
                .iter()
                .map(|t| t["protocolo"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    // Each bound is inclusive, on the local creation date (the first ticket's date, in
    // Brasília time, may be either's).
    let from_b = list(format!("data_inicio={}", day(&b))).await;
    assert!(from_b.contains(&b) && !from_b.contains(&c), "{from_b:?}");
    let to_c = list(format!("data_fim={}", day(&c))).await;
    assert!(to_c.contains(&c) && !to_c.contains(&b), "{to_c:?}");
    assert_eq!(
        list(format!(
            "data_inicio={}&data_fim={}&order_type=desc",
            day(&c),
            day(&b)
        ))
        .await,
        vec![c.clone(), b.clone(), a.clone()]
    );
    let (_, bad) = call(&app, Method::GET, &format!("{CLIENTE_ATENDIMENTO_PATH}?busca=id_cliente_servico&termo_busca=11000&data_inicio=01/12/2026"), None).await;
    assert_eq!(bad["status"], "error");
    assert_eq!(
        list("limit=1&order_type=desc".into()).await,
        vec![c.clone()]
    );

    // Closed by staff: gone from the pending tickets (the default), listed with apenas_pendente=nao.
    let (status, _) = call(
        &app,
        Method::POST,
        "/__mock/close",
        Some(json!({"protocolo": a})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list(String::new()).await, vec![b.clone(), c.clone()]);
    assert_eq!(
        list("apenas_pendente=sim".into()).await,
        vec![b.clone(), c.clone()]
    );
    assert_eq!(
        list("apenas_pendente=nao".into()).await,
        vec![a.clone(), b.clone(), c.clone()]
    );
    let (_, v) = call(
        &app,
        Method::GET,
        &format!("{CLIENTE_ATENDIMENTO_PATH}?busca=protocolo&termo_busca={a}&apenas_pendente=nao"),
        None,
    )
    .await;
    assert_eq!(v["atendimentos"][0]["status"], "Resolvido");
    assert!(v["atendimentos"][0]["data_fechamento"].is_string());
    let (status, _) = call(
        &app,
        Method::POST,
        "/__mock/close",
        Some(json!({"protocolo": "1"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(
        &app,
        Method::POST,
        "/__mock/clock",
        Some(json!({"utc_offset_minutes": 5000})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
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
