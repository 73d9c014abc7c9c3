//! The gateway over real HTTP on loopback: gateway processes (the built binary) in front of the
//! mock Hubsoft, with the embedded store or a real `redis-server`.

mod common;

use std::time::Duration;

use abrir_chamado_gateway::auth::{self, SigningKey};
use base64::Engine as _;
use common::*;
use serde_json::json;

const ATENDIMENTO: &str = "/api/v1/integracao/atendimento";
const OAUTH: &str = "/oauth/token";
const LOOKUP: &str = "/api/v1/integracao/cliente/atendimento";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_token_fetch_for_100_concurrent_requests() {
    let (mock, _dir, gw) = mock_and_gateway(vec![]).await;
    let token = token();
    let mut tasks = Vec::new();
    for n in 0..100 {
        let url = gw.url.clone();
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let r = reqwest::Client::new()
                .post(format!("{url}{ATENDIMENTO}"))
                .bearer_auth(token)
                .json(&body(11000, n))
                .send()
                .await
                .unwrap();
            Reply::from(r).await
        }));
    }
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(r.status, 200, "{}", r.text);
        r.protocolo();
    }
    assert_eq!(mock.requests(OAUTH).await.len(), 1);
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), 100);
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hubsoft_401_gets_one_new_token_and_one_replay() {
    let (mock, _dir, gw) = mock_and_gateway(vec![]).await;
    gw.open(&token(), None, &body(11000, 1)).await.protocolo();
    mock.queue(json!({"status": 401, "body": {"message": "Unauthenticated."}}))
        .await;
    let r = gw.open(&token(), None, &body(11000, 2)).await;
    r.protocolo();
    assert_eq!(mock.requests(OAUTH).await.len(), 2);
    let posts = mock.requests(ATENDIMENTO).await;
    assert_eq!(posts.len(), 3);
    // The replay used the new token.
    assert_ne!(
        posts[1]["headers"]["authorization"],
        posts[2]["headers"]["authorization"]
    );
    // Two 401s in a row: a clean 502, no third attempt.
    mock.queue(json!([
        {"status": 401, "body": {"message": "Unauthenticated."}},
        {"status": 401, "body": {"message": "Unauthenticated."}}
    ]))
    .await;
    gw.open(&token(), None, &body(11000, 3))
        .await
        .assert_error(502);
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), 5);
    gw.stop();
}

fn b64(v: &serde_json::Value) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_portal_tokens_get_401_and_reach_nothing() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let pubkey = dir.path().join("portal.pub.pem");
    std::fs::write(&pubkey, ED_PUBLIC).unwrap();
    let gw = embedded_gateway(
        &mock,
        dir.path(),
        vec![(
            "--portal-jwt-ed25519-public-key",
            pubkey.display().to_string(),
        )],
    );

    let now = auth::now_secs();
    let claims = auth::claims_for("1204", vec![11000], 600);
    let forged = auth::mint(
        &claims,
        &SigningKey::Hs256(b"another-secret-another-secret-0000".to_vec()),
    )
    .unwrap();
    let expired = token_with(|c| {
        c.iat = now - 900;
        c.exp = now - 300;
    });
    let not_yet = token_with(|c| c.nbf = Some(now + 600));
    let wrong_aud = token_with(|c| c.aud = "outro-sistema".into());
    let too_long = token_with(|c| c.exp = now + 30 * 86_400);
    let alg_none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "JWT"})),
        b64(&serde_json::to_value(&claims).unwrap())
    );
    // Algorithm confusion: HS256 "signed" with the Ed25519 public key as the HMAC secret.
    let confused = auth::mint(&claims, &SigningKey::Hs256(ED_PUBLIC.as_bytes().to_vec())).unwrap();
    let missing_servicos = {
        let mut v = serde_json::to_value(&claims).unwrap();
        v.as_object_mut().unwrap().remove("servicos");
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
            &v,
            &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
        )
        .unwrap()
    };
    let backwards = token_with(|c| {
        c.iat = now;
        c.exp = now - 1;
    });
    // Signed with the right key, but with a `crit` extension (RFC 7797's `b64`) not understood.
    let with_crit = {
        let header = json!({"alg": "HS256", "crit": ["b64"], "b64": true});
        let message = format!(
            "{}.{}",
            b64(&header),
            b64(&serde_json::to_value(&claims).unwrap())
        );
        let signature = jsonwebtoken::crypto::sign(
            message.as_bytes(),
            &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
            jsonwebtoken::Algorithm::HS256,
        )
        .unwrap();
        format!("{message}.{signature}")
    };
    for (name, bad) in [
        ("exp before iat", backwards),
        ("crit header", with_crit),
        ("forged", forged),
        ("expired", expired),
        ("future nbf", not_yet),
        ("wrong aud", wrong_aud),
        ("lifetime of days", too_long),
        ("alg none", alg_none),
        ("HS256 with the public key", confused),
        ("missing servicos", missing_servicos),
        ("garbage", "abc".into()),
    ] {
        let r = gw.open(&bad, None, &body(11000, 1)).await;
        assert_eq!(r.status, 401, "{name}: {}", r.text);
        r.assert_error(401);
    }
    let r = reqwest::Client::new()
        .post(format!("{}{ATENDIMENTO}", gw.url))
        .json(&body(11000, 1))
        .send()
        .await
        .unwrap();
    Reply::from(r).await.assert_error(401);
    // A real EdDSA token works; a real HS256 token too.
    let ed = auth::mint(
        &claims,
        &SigningKey::Ed25519Pem(ED_PRIVATE.as_bytes().to_vec()),
    )
    .unwrap();
    gw.open(&ed, None, &body(11000, 2)).await.protocolo();
    gw.open(&token(), None, &body(11000, 3)).await.protocolo();
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), 2);
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_repeats_of_a_key_do_not_use_up_the_hourly_limit() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let mut opts = embedded(&mock, dir.path());
    opts.extra = vec![("--rate-limit-per-hour", "2".into())];
    let gw = std::sync::Arc::new(gateway(opts));
    // The widget's first send and its retries, and a double tap: ten at once, one intent.
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let gw = gw.clone();
        tasks.push(tokio::spawn(async move {
            gw.open(&token(), Some("same-1"), &body(11000, 1)).await
        }));
    }
    for t in tasks {
        let r = t.await.unwrap();
        assert!(matches!(r.status, 200 | 409), "{}: {}", r.status, r.json());
    }
    assert_eq!(mock.tickets(11000).await.len(), 1);
    // One ticket counted: the customer's second new ticket of the hour is still allowed.
    gw.open(&token(), Some("other-2"), &body(11000, 2))
        .await
        .protocolo();
    gw.open(&token(), Some("other-3"), &body(11000, 3))
        .await
        .assert_error(429);
    std::sync::Arc::try_unwrap(gw).ok().unwrap().stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attempts_that_open_nothing_do_not_use_up_the_hourly_limit() {
    let (mock, _dir, gw) = mock_and_gateway(vec![("--rate-limit-per-hour", "1".into())]).await;
    // Hubsoft down for a moment (its proxy could not reach it), and a body Hubsoft refuses:
    // nothing opened, nothing counted, with or without a key.
    let down = json!({"status": 522, "content_type": "text/html", "body": "<html>522</html>"});
    let refused = json!({"status": 200, "body": {"status": "error", "msg": "Dados inválidos.", "errors": []}});
    mock.queue(json!([down.clone(), down, refused])).await;
    gw.open(&token(), Some("down-1"), &body(11000, 1))
        .await
        .assert_error(502);
    gw.open(&token(), None, &body(11000, 1))
        .await
        .assert_error(502);
    gw.open(&token(), Some("refused-1"), &body(11000, 1))
        .await
        .assert_error(422);
    // The customer's one ticket of the hour is still there; the next one is over the limit.
    gw.open(&token(), Some("down-1"), &body(11000, 1))
        .await
        .protocolo();
    gw.open(&token(), Some("other-2"), &body(11000, 2))
        .await
        .assert_error(429);
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_attempts_are_bounded_too() {
    use abrir_chamado_gateway::ticket::ATTEMPTS_PER_TICKET;
    let (mock, _dir, gw) = mock_and_gateway(vec![("--rate-limit-per-hour", "1".into())]).await;
    let refused = json!({"status": 200, "body": {"status": "error", "msg": "Dados inválidos.", "errors": []}});
    let n = ATTEMPTS_PER_TICKET as u32;
    mock.queue(json!(vec![refused; n as usize + 1])).await;
    // Refusals give the ticket count back, but every send is an attempt.
    for i in 0..n {
        gw.open(&token(), Some(&format!("try-{i}")), &body(11000, i))
            .await
            .assert_error(422);
    }
    let r = gw.open(&token(), Some("try-last"), &body(11000, n)).await;
    let v = r.assert_error(429);
    assert!(v["msg"].as_str().unwrap().contains("tentativas"), "{v}");
    assert!(r.headers.contains_key("retry-after"));
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), n as usize);
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_aud_array_a_numeric_sub_and_servicos_as_strings_are_accepted() {
    let (_mock, _dir, gw) = mock_and_gateway(vec![]).await;
    let now = auth::now_secs();
    let sign = |claims: serde_json::Value| {
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
        )
        .unwrap()
    };
    let aud = abrir_chamado_gateway::config::AUDIENCE;
    // RFC 7519 §4.1.3: `aud` may be an array; portals often number their customers.
    let ok = sign(
        json!({"sub": 1204, "servicos": ["11000", 11001], "aud": ["portal", aud], "iat": now, "exp": now + 300}),
    );
    gw.open(&ok, None, &body(11000, 1)).await.protocolo();
    let other = sign(
        json!({"sub": "1204", "servicos": [11000], "aud": ["portal"], "iat": now, "exp": now + 300}),
    );
    gw.open(&other, None, &body(11000, 2))
        .await
        .assert_error(401);
    let log = gw.stop();
    assert!(log.contains("InvalidAudience"), "the log says why");
}

/// An HS256 token signed with [`SECRET`] for customer 1204 and service 11000, valid for 5
/// minutes, with the claims of `extra` added.
fn signed_with(extra: serde_json::Value) -> String {
    let now = auth::now_secs();
    let mut claims = json!({"sub": "1204", "servicos": [11000], "aud": "abrir-chamado", "iat": now, "exp": now + 300});
    for (k, v) in extra.as_object().unwrap() {
        claims[k] = v.clone();
    }
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_numeric_telefone_claim_is_read_and_a_mistyped_claim_is_logged_without_its_value() {
    let (_mock, _dir, mut gw) = mock_and_gateway(vec![]).await;
    // A PHP portal that stores phones as integers.
    let numeric = signed_with(json!({"telefone": 37988776655u64, "nome": "Maria", "email": null}));
    gw.open(&numeric, None, &body(11000, 1)).await.protocolo();
    // Refused (401), and the log names the claim and the type expected, never the value.
    for (claim, value) in [
        ("email", json!({"endereco": "cliente.secreto@example.com"})),
        ("nome", json!(123456789012u64)),
        ("telefone", json!(-37988776655i64)),
        ("telefone", json!(37988776655.5)),
    ] {
        let bad = signed_with(json!({ claim: value }));
        gw.open(&bad, None, &body(11000, 2)).await.assert_error(401);
    }
    gw.forbidden.extend(
        [
            "37988776655",
            "cliente.secreto",
            "123456789012",
            "invalid type",
        ]
        .map(String::from),
    );
    let log = gw.stop();
    for line in [
        "claims not as documented: claim email: expected a string",
        "claims not as documented: claim nome: expected a string",
        "claims not as documented: claim telefone: expected a string or a non-negative integer",
    ] {
        assert!(log.contains(line), "the log should say {line:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn during_a_key_rotation_tokens_of_the_previous_secret_are_accepted() {
    const PREVIOUS: &str = "the-previous-portal-secret-0123456789";
    let claims = auth::claims_for("1204", vec![11000], 600);
    let signed =
        |secret: &str| auth::mint(&claims, &SigningKey::Hs256(secret.as_bytes().to_vec())).unwrap();
    let (mock, _dir, gw) = mock_and_gateway(vec![(
        "--portal-jwt-hs256-previous-secret",
        PREVIOUS.into(),
    )])
    .await;
    gw.open(&signed(SECRET), None, &body(11000, 1))
        .await
        .protocolo();
    gw.open(&signed(PREVIOUS), None, &body(11000, 2))
        .await
        .protocolo();
    gw.open(
        &signed("a-third-secret-nobody-configured-0000"),
        None,
        &body(11000, 3),
    )
    .await
    .assert_error(401);
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), 2);
    gw.stop();
}

/// A second Ed25519 key pair (test only): the portal's key before a rotation.
const ED_PREVIOUS_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEILtRc0xGTXt612C0zp3F4lluPvriZB6I6KDRmN/6GkFw
-----END PRIVATE KEY-----
";
/// The public half of [`ED_PREVIOUS_PRIVATE`].
const ED_PREVIOUS_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAvv2m97bqkM9jlBr38uMCmDPl5krwMu1+AjuIhFG0ogA=
-----END PUBLIC KEY-----
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn during_a_key_rotation_tokens_of_the_previous_ed25519_key_are_accepted() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let current = dir.path().join("portal.pub.pem");
    let previous = dir.path().join("portal.previous.pub.pem");
    std::fs::write(&current, ED_PUBLIC).unwrap();
    std::fs::write(&previous, ED_PREVIOUS_PUBLIC).unwrap();
    let gw = embedded_gateway(
        &mock,
        dir.path(),
        vec![
            (
                "--portal-jwt-ed25519-public-key",
                current.display().to_string(),
            ),
            (
                "--portal-jwt-ed25519-previous-public-key",
                previous.display().to_string(),
            ),
        ],
    );
    let claims = auth::claims_for("1204", vec![11000], 600);
    let signed =
        |pem: &str| auth::mint(&claims, &SigningKey::Ed25519Pem(pem.as_bytes().to_vec())).unwrap();
    gw.open(&signed(ED_PRIVATE), None, &body(11000, 1))
        .await
        .protocolo();
    gw.open(&signed(ED_PREVIOUS_PRIVATE), None, &body(11000, 2))
        .await
        .protocolo();
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), 2);
    gw.stop();
    // Without the previous key configured, its tokens count as forged.
    let dir = tempfile::tempdir().unwrap();
    let current = dir.path().join("portal.pub.pem");
    std::fs::write(&current, ED_PUBLIC).unwrap();
    let gw = embedded_gateway(
        &mock,
        dir.path(),
        vec![(
            "--portal-jwt-ed25519-public-key",
            current.display().to_string(),
        )],
    );
    gw.open(&signed(ED_PREVIOUS_PRIVATE), None, &body(11000, 3))
        .await
        .assert_error(401);
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eddsa_only_refuses_every_hs256_token() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let pubkey = dir.path().join("portal.pub.pem");
    std::fs::write(&pubkey, ED_PUBLIC).unwrap();
    let gw = embedded_gateway(
        &mock,
        dir.path(),
        vec![
            (
                "--portal-jwt-ed25519-public-key",
                pubkey.display().to_string(),
            ),
            ("--portal-jwt-algorithms", "EdDSA".into()),
        ],
    );
    let claims = auth::claims_for("1204", vec![11000], 600);
    let confused = auth::mint(&claims, &SigningKey::Hs256(ED_PUBLIC.as_bytes().to_vec())).unwrap();
    gw.open(&confused, None, &body(11000, 1))
        .await
        .assert_error(401);
    gw.open(&token(), None, &body(11000, 1))
        .await
        .assert_error(401);
    assert!(mock.requests(ATENDIMENTO).await.is_empty());
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_foreign_service_gets_403_and_nothing_reaches_hubsoft() {
    let (mock, _dir, gw) = mock_and_gateway(vec![]).await;
    let r = gw.open(&token(), Some("k-foreign"), &body(12000, 1)).await;
    r.assert_error(403);
    // The widget reads it as a refusal naming the service, shown under Serviço in the
    // customer's words (not the API's key).
    let e = abrir_chamado_core::response::classify(403, &r.text).unwrap_err();
    assert_eq!(
        e.fields(),
        [abrir_chamado_core::form::Field::IdClienteServico]
    );
    assert!(!r.text.contains("id cliente servico"), "{}", r.text);
    assert!(mock.requests(ATENDIMENTO).await.is_empty());
    assert!(mock.requests(OAUTH).await.is_empty());
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_bodies_get_422_with_sentences_the_widget_understands() {
    let (mock, _dir, gw) = mock_and_gateway(vec![]).await;
    let r = gw
        .open(
            &token(),
            None,
            &json!({"id_cliente_servico": 11000, "descricao": " ", "nome": "M", "telefone": "99911-2233", "email": "x@"}),
        )
        .await;
    let v = r.assert_error(422);
    let errors: Vec<String> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_owned())
        .collect();
    let fields: Vec<_> = errors
        .iter()
        .filter_map(|e| abrir_chamado_core::error::field_named_in(e))
        .collect();
    use abrir_chamado_core::form::Field;
    assert_eq!(
        fields,
        [Field::Telefone, Field::Email, Field::Descricao],
        "{errors:?}"
    );
    // Not a JSON object at all: said so, rather than "every field is required".
    for raw in [&b"<html>"[..], b"[1,2]", b"{\"nome\": \"\xff\"}"] {
        let r = reqwest::Client::new()
            .post(format!("{}{ATENDIMENTO}", gw.url))
            .bearer_auth(token())
            .header("Content-Type", "application/json")
            .body(raw.to_vec())
            .send()
            .await
            .unwrap();
        let v = Reply::from(r).await.assert_error(422);
        assert!(v["msg"].as_str().unwrap().contains("JSON"), "{v}");
    }
    // What reaches Hubsoft is normalised: the phone as digits, strings trimmed.
    gw.open(&token(), None, &body(11000, 1)).await.protocolo();
    let posts = mock.requests(ATENDIMENTO).await;
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0]["json"]["telefone"], PHONE);
    gw.stop();
}

/// Same key twice (sequential, then concurrent): one ticket, one protocolo.
async fn same_key_gives_one_ticket(gws: &[&Gateway], mock: &Mock) {
    let token = token();
    let first = gws[0]
        .open(&token, Some("key-seq-1"), &body(11000, 7))
        .await;
    let p = first.protocolo();
    let again = gws[gws.len() - 1]
        .open(&token, Some("key-seq-1"), &body(11000, 7))
        .await;
    assert_eq!(again.protocolo(), p);

    let mut tasks = Vec::new();
    for i in 0..8 {
        let url = gws[i % gws.len()].url.clone();
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let r = reqwest::Client::new()
                .post(format!("{url}{ATENDIMENTO}"))
                .bearer_auth(token)
                .header("Idempotency-Key", "key-conc-1")
                .json(&body(11000, 8))
                .send()
                .await
                .unwrap();
            Reply::from(r).await
        }));
    }
    let mut protocolos = Vec::new();
    for t in tasks {
        protocolos.push(t.await.unwrap().protocolo());
    }
    protocolos.dedup();
    assert_eq!(protocolos.len(), 1, "{protocolos:?}");
    assert_ne!(protocolos[0], p);
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), 2);
    assert_eq!(mock.tickets(11000).await.len(), 2);

    // Same key, another body: 422, nothing sent.
    let r = gws[0]
        .open(&token, Some("key-seq-1"), &body(11000, 9))
        .await;
    r.assert_error(422);
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), 2);
    // The same key from another customer is another key.
    let other = token_with(|c| c.sub = "999".into());
    let r = gws[0]
        .open(&other, Some("key-seq-1"), &body(11000, 10))
        .await;
    r.protocolo();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotency_on_the_embedded_store() {
    let (mock, _dir, gw) = mock_and_gateway(vec![]).await;
    same_key_gives_one_ticket(&[&gw], &mock).await;
    let metrics = reqwest::get(format!("{}/metrics", gw.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("gateway_idempotent_replays_total"),
        "{metrics}"
    );
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotency_on_redis() {
    let redis = redis();
    let mock = mock().await;
    let gw = gateway(on_redis(&mock, &redis.url));
    same_key_gives_one_ticket(&[&gw], &mock).await;
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_gateways_on_one_redis_open_one_ticket_per_key() {
    let redis = redis();
    let mock = mock().await;
    let a = gateway(on_redis(&mock, &redis.url));
    let b = gateway(on_redis(&mock, &redis.url));
    same_key_gives_one_ticket(&[&a, &b], &mock).await;
    a.stop();
    b.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_is_reconciled_not_resent() {
    let (mock, _dir, gw) = mock_and_gateway(vec![]).await;
    mock.queue(json!({"fault": "drop"})).await;
    let r = gw.open(&token(), Some("drop-1"), &body(11000, 1)).await;
    let p = r.protocolo();
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), 1);
    assert_eq!(mock.requests(LOOKUP).await.len(), 1);
    let tickets = mock.tickets(11000).await;
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0]["protocolo"], p.as_str());
    // The widget's resend gets the same answer.
    let again = gw.open(&token(), Some("drop-1"), &body(11000, 1)).await;
    assert_eq!(again.protocolo(), p);
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), 1);
    // Without a key, a dropped connection is reconciled too (never resent).
    mock.queue(json!({"fault": "drop"})).await;
    let p2 = gw.open(&token(), None, &body(11000, 2)).await.protocolo();
    assert_ne!(p2, p);
    assert_eq!(mock.tickets(11000).await.len(), 2);
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_answer_is_reconciled_and_a_missing_ticket_is_sent_once_more() {
    let (mock, _dir, gw) = mock_and_gateway(vec![("--hubsoft-timeout-ms", "400".into())]).await;
    // Hubsoft opens the ticket but answers after the gateway's time limit.
    mock.queue(json!({"fault": "late", "delay_ms": 1500})).await;
    let p = gw
        .open(&token(), Some("late-1"), &body(11000, 1))
        .await
        .protocolo();
    assert_one_ticket(&mock, &p).await;
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_ticket_is_sent_once_more_only_after_the_settle_time() {
    let (mock, _dir, gw) = mock_and_gateway(quick_reconciliation()).await;
    // Hubsoft times out WITHOUT opening it. Right after, the lookup finds nothing, but a busy
    // Hubsoft may still save it: no second send yet; 504 with the time left as Retry-After.
    mock.queue(json!({"status": 200, "body": "{}", "delay_ms": 1500}))
        .await;
    let r = gw.open(&token(), Some("late-2"), &body(11000, 2)).await;
    let v = r.assert_error(504);
    assert!(v["msg"].as_str().unwrap().contains("confirmar"), "{v}");
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=2).contains(&retry), "{retry}");
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), 1);
    // Repeats reconcile again; once the first send is older than the settle time, a ticket
    // still missing is sent once more under the same key (bounded: 2 s of settle time).
    let mut protocolo = None;
    for _ in 0..40 {
        let r = gw.open(&token(), Some("late-2"), &body(11000, 2)).await;
        if r.status == 200 {
            protocolo = Some(r.protocolo());
            break;
        }
        r.assert_error(504);
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    let p = protocolo.expect("sent once more after the settle time");
    assert_one_ticket(&mock, &p).await;
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), 2);
    // A second send under one key is counted and logged at WARN.
    let metrics = reqwest::get(format!("{}/metrics", gw.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.lines().any(|l| l == "gateway_second_sends_total 1"),
        "{metrics}"
    );
    let log = gw.stop();
    assert_eq!(warnings(&log, "sending once more").len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_hubsoft_saves_after_the_lookup_is_not_opened_twice() {
    let (mock, _dir, gw) = mock_and_gateway(vec![("--hubsoft-timeout-ms", "400".into())]).await;
    // A busy Hubsoft: the request times out, the lookup right after finds nothing, and the
    // ticket is saved a moment later.
    mock.queue(json!({"fault": "slow", "delay_ms": 1200})).await;
    let r = gw.open(&token(), Some("slow-1"), &body(11000, 1)).await;
    r.assert_error(504);
    assert_eq!(mock.requests(LOOKUP).await.len(), 1);
    mock.wait_for_a_ticket(11000).await;
    // The widget's repeat with the same key finds it: one ticket, one POST.
    the_repeat_gets_the_one_ticket(&gw, &mock, "slow-1", 1).await;
    gw.stop();
}

/// The repeat of `key` with the first body answers the one ticket on service 11000, and
/// Hubsoft has had `posts` POSTs in all.
async fn the_repeat_gets_the_one_ticket(gw: &Gateway, mock: &Mock, key: &str, posts: usize) {
    let p = gw
        .open(&token(), Some(key), &body(11000, 1))
        .await
        .protocolo();
    let tickets = mock.tickets(11000).await;
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0]["protocolo"], p.as_str());
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), posts);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_send_that_opens_nothing_keeps_the_key_for_the_first_sends_ticket() {
    let (mock, _dir, gw) = mock_and_gateway(quick_reconciliation()).await;
    // The first send is saved late (after the lookups); the second, after the settle time,
    // meets a proxy that could not reach Hubsoft (nothing opened).
    mock.queue(json!([
        {"fault": "slow", "delay_ms": 4000},
        {"status": 522, "content_type": "text/html", "body": "<html>522</html>"}
    ]))
    .await;
    gw.open(&token(), Some("late-1"), &body(11000, 1))
        .await
        .assert_error(504);
    // The settle time (2 s, counted in whole seconds) is a rule about time itself: nothing else
    // to wait for.
    tokio::time::sleep(Duration::from_millis(2100)).await;
    gw.open(&token(), Some("late-1"), &body(11000, 1))
        .await
        .assert_error(502);
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), 2);
    mock.wait_for_a_ticket(11000).await;
    // The repeat looks first and finds the first send's ticket: no third send.
    the_repeat_gets_the_one_ticket(&gw, &mock, "late-1", 2).await;
    gw.stop();
}

/// Repeats the keyed ticket `key` (body `n` on service 11000) while the gateway answers 504
/// "could not confirm" (bounded: 40 tries 150 ms apart, past a 2 s settle time): the first other
/// answer.
async fn repeat_while_unconfirmed(gw: &Gateway, key: &str, n: u32) -> Reply {
    for _ in 0..40 {
        let r = gw.open(&token(), Some(key), &body(11000, n)).await;
        if r.status != 504 {
            return r;
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    panic!("still 504 after 6 s");
}

/// Settings for the reconciliation tests: Hubsoft given up after 400 ms, and a send repeated
/// 2 s after the first may go out again.
fn quick_reconciliation() -> Vec<(&'static str, String)> {
    vec![
        ("--hubsoft-timeout-ms", "400".into()),
        ("--reconcile-settle-secs", "2".into()),
    ]
}

/// The lines of a gateway log at WARN whose message contains `text`.
fn warnings<'a>(log: &'a str, text: &str) -> Vec<&'a str> {
    log.lines()
        .filter(|l| l.contains(r#""level":"WARN""#) && l.contains(text))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_ticket_behind_more_than_50_newer_ones_is_found_not_sent_again() {
    let (mock, _dir, gw) = mock_and_gateway(quick_reconciliation()).await;
    // The answer is lost and the ticket saved late; then 55 other tickets on the same service.
    mock.queue(json!({"fault": "slow", "delay_ms": 1000})).await;
    gw.open(&token(), Some("busy-1"), &body(11000, 1))
        .await
        .assert_error(504);
    let first = mock.wait_for_tickets(11000, 1).await[0]["protocolo"]
        .as_str()
        .unwrap()
        .to_owned();
    for n in 0..55 {
        mock.open_directly(&body(11000, 100 + n)).await;
    }
    // The resend, after the settle time if need be, finds the first send's ticket.
    let r = repeat_while_unconfirmed(&gw, "busy-1", 1).await;
    assert_eq!(r.protocolo(), first);
    assert_eq!(mock.gateway_posts().await, 1, "sent once");
    let log = gw.stop();
    assert!(warnings(&log, "sending once more").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_staff_closed_before_the_resend_is_found_not_sent_again() {
    let (mock, _dir, gw) = mock_and_gateway(quick_reconciliation()).await;
    mock.queue(json!({"fault": "slow", "delay_ms": 1000})).await;
    gw.open(&token(), Some("closed-1"), &body(11000, 1))
        .await
        .assert_error(504);
    let first = mock.wait_for_tickets(11000, 1).await[0]["protocolo"]
        .as_str()
        .unwrap()
        .to_owned();
    mock.close(&first).await;
    let r = repeat_while_unconfirmed(&gw, "closed-1", 1).await;
    assert_eq!(r.protocolo(), first);
    assert_eq!(mock.gateway_posts().await, 1, "sent once");
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_lookup_cannot_list_the_whole_window_nothing_is_sent_again() {
    let (mock, _dir, gw) = mock_and_gateway(quick_reconciliation()).await;
    // 55 tickets before the send and 55 after it: more than the two pages (the newest 50, the
    // oldest 50) can hold, with the first send's place between them.
    for n in 0..55 {
        mock.open_directly(&body(11000, 100 + n)).await;
    }
    let sent = std::time::Instant::now();
    mock.queue(json!({"status": 200, "body": "{}", "delay_ms": 1500}))
        .await;
    gw.open(&token(), Some("crowded-1"), &body(11000, 1))
        .await
        .assert_error(504);
    for n in 0..55 {
        mock.open_directly(&body(11000, 200 + n)).await;
    }
    // Past the settle time (2 s, counted in whole seconds: a rule about time itself, nothing
    // else to wait for), a ticket not found would be sent again if the lookup had seen it all.
    tokio::time::sleep(Duration::from_millis(2100).saturating_sub(sent.elapsed())).await;
    let r = gw.open(&token(), Some("crowded-1"), &body(11000, 1)).await;
    let v = r.assert_error(504);
    assert_eq!(v["msg"], abrir_chamado_gateway::errors::MSG_UNCONFIRMED);
    assert!(r.headers.contains_key("retry-after"));
    assert_eq!(mock.gateway_posts().await, 1, "not sent again");
    let log = gw.stop();
    assert!(!warnings(&log, "could not list every ticket").is_empty());
    assert!(warnings(&log, "sending once more").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_utc_offset_is_observed_warned_once_and_used_for_matching() {
    // An ISP in UTC−4 that left the default −180.
    let (mock, _dir, gw) = mock_and_gateway(quick_reconciliation()).await;
    mock.set_clock(-240).await;
    // Tickets Hubsoft opens show its clock.
    gw.open(&token(), None, &body(11000, 1)).await.protocolo();
    gw.open(&token(), None, &body(11000, 2)).await.protocolo();
    mock.queue(json!({"fault": "slow", "delay_ms": 1000})).await;
    gw.open(&token(), Some("tz-1"), &body(11000, 3))
        .await
        .assert_error(504);
    let lost = mock.wait_for_tickets(11000, 3).await[2]["protocolo"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = repeat_while_unconfirmed(&gw, "tz-1", 3).await;
    assert_eq!(r.protocolo(), lost);
    assert_eq!(mock.gateway_posts().await, 3, "the lost one sent once");
    let log = gw.stop();
    let warned = warnings(&log, "hubsoft_utc_offset_minutes: its protocolos say");
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert!(
        warned[0].contains(r#""configured_minutes":-180"#)
            && warned[0].contains(r#""observed_minutes":-240"#),
        "{}",
        warned[0]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn before_hubsofts_clock_is_observed_a_ticket_matching_at_another_offset_is_not_sent_again() {
    let (mock, _dir, gw) = mock_and_gateway(quick_reconciliation()).await;
    mock.set_clock(-240).await;
    // The gateway's first ticket is lost: nothing has shown it Hubsoft's clock yet.
    let sent = std::time::Instant::now();
    mock.queue(json!({"fault": "slow", "delay_ms": 1000})).await;
    gw.open(&token(), Some("tz-2"), &body(11000, 1))
        .await
        .assert_error(504);
    let lost = mock.wait_for_tickets(11000, 1).await[0]["protocolo"]
        .as_str()
        .unwrap()
        .to_owned();
    // Past the settle time (a rule about time itself), the ticket found only at another offset
    // than the configured one keeps the outcome unknown: no second send.
    tokio::time::sleep(Duration::from_millis(2100).saturating_sub(sent.elapsed())).await;
    let r = gw.open(&token(), Some("tz-2"), &body(11000, 1)).await;
    r.assert_error(504);
    assert!(r.headers.contains_key("retry-after"));
    assert_eq!(mock.gateway_posts().await, 1, "not sent again");
    // Once a ticket has shown the clock, the repeat finds the lost one.
    gw.open(&token(), None, &body(11000, 2)).await.protocolo();
    let r = gw.open(&token(), Some("tz-2"), &body(11000, 1)).await;
    assert_eq!(r.protocolo(), lost);
    assert_eq!(mock.gateway_posts().await, 2);
    let log = gw.stop();
    assert!(!warnings(&log, "only at another UTC offset").is_empty());
    assert!(warnings(&log, "sending once more").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_misleading_observation_of_hubsofts_clock_never_leads_to_a_second_send() {
    // One protocolo at another offset (a Hubsoft whose clock was briefly off) makes the observed
    // offset −300 while the configured −180 is right again.
    let (mock, _dir, gw) = mock_and_gateway(quick_reconciliation()).await;
    mock.set_clock(-300).await;
    gw.open(&token(), None, &body(11000, 1)).await.protocolo();
    mock.set_clock(-180).await;
    gw.open(&token(), None, &body(11000, 2)).await.protocolo();
    mock.queue(json!({"fault": "slow", "delay_ms": 1000})).await;
    gw.open(&token(), Some("tz-3"), &body(11000, 3))
        .await
        .assert_error(504);
    let lost = mock.wait_for_tickets(11000, 3).await[2]["protocolo"]
        .as_str()
        .unwrap()
        .to_owned();
    // The lost ticket lies at the configured offset: it is found, never sent again.
    let r = repeat_while_unconfirmed(&gw, "tz-3", 3).await;
    assert_eq!(r.protocolo(), lost);
    assert_eq!(mock.gateway_posts().await, 3, "the lost one sent once");
    let log = gw.stop();
    assert!(warnings(&log, "sending once more").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reconciliation_never_takes_another_intents_ticket() {
    let (mock, _dir, gw) = mock_and_gateway(vec![("--hubsoft-timeout-ms", "400".into())]).await;
    // Intent A opens its ticket; intent B, with the same description, loses its POST (an
    // answer past the time limit, and nothing opened).
    let a = gw
        .open(&token(), Some("intent-a"), &body(11000, 1))
        .await
        .protocolo();
    mock.queue(json!({"status": 200, "delay_ms": 1200, "body": "{}"}))
        .await;
    let mut other = body(11000, 1);
    other["nome"] = json!("João Souza");
    let b = gw.open(&token(), Some("intent-b"), &other).await;
    // B's lookup sees A's ticket, which is A's: B is told it could not be confirmed.
    b.assert_error(504);
    assert!(!b.text.contains(&a), "{}", b.text);
    // Without a key, the same.
    mock.queue(json!({"status": 200, "delay_ms": 1200, "body": "{}"}))
        .await;
    let c = gw.open(&token(), None, &other).await;
    c.assert_error(504);
    assert!(!c.text.contains(&a), "{}", c.text);
    // A's repeat still gets A's ticket.
    assert_eq!(
        gw.open(&token(), Some("intent-a"), &body(11000, 1))
            .await
            .protocolo(),
        a
    );
    assert_eq!(mock.tickets(11000).await.len(), 1);
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_lookup_says_could_not_confirm_and_keeps_the_key() {
    let (mock, _dir, gw) = mock_and_gateway(vec![]).await;
    mock.queue(json!([
        {"fault": "drop"},
        {"path": LOOKUP, "status": 502, "content_type": "text/html", "body": "<html>502 Bad Gateway</html>"}
    ]))
    .await;
    let r = gw.open(&token(), Some("unsure-1"), &body(11000, 1)).await;
    let v = r.assert_error(504);
    assert!(v["msg"].as_str().unwrap().contains("confirmar"), "{v}");
    assert_eq!(mock.tickets(11000).await.len(), 1);
    // The key stays reserved: the next attempt reconciles (lookup works now) instead of sending.
    let p = gw
        .open(&token(), Some("unsure-1"), &body(11000, 1))
        .await
        .protocolo();
    assert_eq!(mock.tickets(11000).await[0]["protocolo"], p.as_str());
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), 1);
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lookup_with_a_bare_number_protocolo_still_finds_the_ticket() {
    let (mock, _dir, gw) = mock_and_gateway(vec![]).await;
    mock.queue(json!([
        {"fault": "drop"},
        {"path": LOOKUP, "status": 502, "content_type": "text/html", "body": "<html>502</html>"}
    ]))
    .await;
    gw.open(&token(), Some("bare-1"), &body(11000, 1))
        .await
        .assert_error(504);
    // Hubsoft's list as it comes, but with the 20-digit protocolo as a bare JSON number.
    let listed = mock.listing(11000).await;
    let protocolo = mock.tickets(11000).await[0]["protocolo"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(protocolo.len(), 20);
    let quoted = format!("\"protocolo\":\"{protocolo}\"");
    assert!(listed.contains(&quoted), "{listed}");
    let bare = listed.replace(&quoted, &format!("\"protocolo\":{protocolo}"));
    mock.queue(
        json!({"path": LOOKUP, "status": 200, "content_type": "application/json", "body": bare}),
    )
    .await;
    let p = gw
        .open(&token(), Some("bare-1"), &body(11000, 1))
        .await
        .protocolo();
    assert_eq!(p, protocolo);
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), 1, "sent once");
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_key_could_not_confirm_says_to_check_before_sending_again() {
    use abrir_chamado_gateway::errors::{MSG_UNCONFIRMED, MSG_UNCONFIRMED_WITHOUT_KEY};
    let (mock, _dir, gw) = mock_and_gateway(vec![]).await;
    let unsure = json!([
        {"fault": "drop"},
        {"path": LOOKUP, "status": 502, "content_type": "text/html", "body": "<html>502 Bad Gateway</html>"}
    ]);
    mock.queue(unsure.clone()).await;
    let r = gw.open(&token(), None, &body(11000, 1)).await;
    let v = r.assert_error(504);
    // The ticket was opened: no promise that a resend is harmless, and no Retry-After.
    assert_eq!(v["msg"], MSG_UNCONFIRMED_WITHOUT_KEY);
    assert!(!r.headers.contains_key("retry-after"));
    assert_eq!(mock.tickets(11000).await.len(), 1);
    // With a key the promise holds, and stays.
    mock.queue(unsure).await;
    let r = gw.open(&token(), Some("unsure-2"), &body(11000, 2)).await;
    assert_eq!(r.assert_error(504)["msg"], MSG_UNCONFIRMED);
    assert!(r.headers.contains_key("retry-after"));
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_outage_answers_503_at_once_and_an_unreachable_redis_stops_the_start() {
    let mock = mock().await;
    let redis = redis();
    let gw = gateway(on_redis(&mock, &redis.url));
    gw.open(&token(), Some("r-1"), &body(11000, 1))
        .await
        .protocolo();
    let url = redis.url.clone();
    drop(redis);
    // Within a few seconds (2 s per Redis command), not the 45 s request time limit.
    let started = std::time::Instant::now();
    let r = gw.open(&token(), Some("r-2"), &body(11000, 2)).await;
    r.assert_error(503);
    assert!(r.headers.contains_key("retry-after"));
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    gw.stop();
    // Nothing listens there now: the start fails with a message, quickly.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_abrir-chamado-gateway"))
        .env_clear()
        .env(
            "PORTAL_JWT_HS256_SECRET",
            "0123456789abcdef0123456789abcdef",
        )
        .args([
            "--hubsoft-url",
            &mock.url,
            "--hubsoft-client-id",
            "1",
            "--hubsoft-client-secret",
            "s",
            "--hubsoft-username",
            "u",
            "--hubsoft-password",
            "p",
            "--redis-url",
            &url,
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot connect"), "{err}");
}

/// The log lines of `log` (JSON) at `level` whose message is `message`.
fn log_lines(log: &str, level: &str, message: &str) -> Vec<serde_json::Value> {
    log.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["level"] == level && v["message"] == message)
        .collect()
}

/// The log of `gw` stopped once it has answered a request (a SIGTERM at once could come before
/// its signal handler is set and end it before its "listening" line).
async fn started_and_stopped(gw: Gateway) -> String {
    reqwest::get(format!("{}/healthz", gw.url)).await.unwrap();
    tokio::task::spawn_blocking(move || gw.stop())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_that_can_lose_records_is_named_in_a_warning_at_start() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let warnings = |log: &str| {
        log.lines()
            .filter(|l| l.contains(r#""level":"WARN""#) && l.contains("Redis"))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let lossy = redis_with(&[
        "--save",
        "",
        "--appendonly",
        "no",
        "--maxmemory-policy",
        "allkeys-lru",
    ]);
    let log = started_and_stopped(gateway(on_redis(&mock, &lossy.url))).await;
    let w = warnings(&log);
    assert!(
        w.iter().any(|l| l.contains("no persistence")),
        "{w:?}\n{log}"
    );
    assert!(w.iter().any(|l| l.contains("allkeys-lru")), "{w:?}");
    let dir_arg = dir.path().display().to_string();
    let safe = redis_with(&[
        "--dir",
        &dir_arg,
        "--save",
        "",
        "--appendonly",
        "yes",
        "--maxmemory-policy",
        "noeviction",
    ]);
    let log = started_and_stopped(gateway(on_redis(&mock, &safe.url))).await;
    assert_eq!(warnings(&log), Vec::<String>::new());
    // A managed Redis that refuses CONFIG: a warning that it could not be checked.
    let managed = redis_with(&["--save", "", "--rename-command", "CONFIG", ""]);
    let log = started_and_stopped(gateway(on_redis(&mock, &managed.url))).await;
    let w = warnings(&log);
    assert!(w.iter().any(|l| l.contains("could not check")), "{w:?}");
}

/// A stand-in for Redis on a loopback port whose `TIME` is `offset_secs` off this host's clock:
/// it answers `TIME`, `PING`, `SET` (`+OK`) and `GET` (nil), and refuses the rest (`CONFIG`,
/// the client's own set-up commands) with an error, as a managed Redis may.
async fn redis_with_a_clock_off_by(offset_secs: i64) -> String {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut read = tokio::io::BufReader::new(read);
                loop {
                    // One command: `*N` then N bulk strings.
                    let mut line = String::new();
                    if read.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let n: usize = line.trim()[1..].parse().unwrap_or(0);
                    let mut args = Vec::new();
                    for _ in 0..n {
                        line.clear();
                        read.read_line(&mut line).await.unwrap();
                        let len: usize = line.trim()[1..].parse().unwrap();
                        let mut buf = vec![0u8; len + 2];
                        read.read_exact(&mut buf).await.unwrap();
                        args.push(String::from_utf8_lossy(&buf[..len]).to_uppercase());
                    }
                    let answer = match args.first().map(String::as_str) {
                        Some("TIME") => {
                            let now = std::time::SystemTime::now()
                                .duration_since(std::time::UNIX_EPOCH)
                                .unwrap()
                                .as_secs() as i64;
                            let secs = (now + offset_secs).to_string();
                            format!("*2\r\n${}\r\n{secs}\r\n$1\r\n0\r\n", secs.len())
                        }
                        Some("PING") => "+PONG\r\n".to_owned(),
                        Some("SET") => "+OK\r\n".to_owned(),
                        Some("GET") => "$-1\r\n".to_owned(),
                        _ => "-ERR unknown command\r\n".to_owned(),
                    };
                    if write.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("redis://{addr}/")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clock_off_by_more_than_5_s_from_redis_is_warned_without_failing_readiness() {
    let mock = mock().await;
    let url = redis_with_a_clock_off_by(-60).await;
    let gw = gateway(on_redis(&mock, &url));
    let r = reqwest::get(format!("{}/readyz", gw.url)).await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let log = tokio::task::spawn_blocking(move || gw.stop())
        .await
        .unwrap();
    let warned = log_lines(&log, "WARN", "readiness check failed");
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert_eq!(warned[0]["what"], "clock");
    assert!(
        warned[0]["cause"].as_str().unwrap().contains("NTP"),
        "{warned:?}"
    );
    // CONFIG refused: said, not taken for a safe Redis.
    assert!(log.contains("could not check Redis persistence"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_over_tls_keeps_the_records() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let (_redis, url, ca) = redis_tls(dir.path());
    // The test CA trusted as a private CA would be (rustls-native-certs reads SSL_CERT_FILE).
    let mut opts = on_redis(&mock, &url);
    opts.env = vec![("SSL_CERT_FILE", ca.display().to_string())];
    let gw = gateway(opts);
    let first = gw
        .open(&token(), Some("tls-1"), &body(11000, 1))
        .await
        .protocolo();
    let again = gw
        .open(&token(), Some("tls-1"), &body(11000, 1))
        .await
        .protocolo();
    assert_eq!(first, again);
    assert_one_ticket(&mock, &first).await;
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_restart_costs_no_customer_a_503() {
    let mock = mock().await;
    let mut redis = redis();
    let gw = gateway(on_redis(&mock, &redis.url));
    gw.open(&token(), Some("restart-1"), &body(11000, 1))
        .await
        .protocolo();
    redis.restart();
    // The first request after the restart, before any keep-alive ping could run.
    gw.open(&token(), Some("restart-2"), &body(11000, 2))
        .await
        .protocolo();
    redis.restart();
    let r = reqwest::get(format!("{}/readyz", gw.url)).await.unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readyz_fails_and_names_the_error_when_redis_refuses_writes() {
    let mock = mock().await;
    let redis = redis();
    let gw = gateway(on_redis(&mock, &redis.url));
    let r = reqwest::get(format!("{}/readyz", gw.url)).await.unwrap();
    assert_eq!(r.status(), 200);
    // maxmemory reached under noeviction: reads and PING work, every write is refused.
    assert_eq!(redis.command("CONFIG SET maxmemory 1"), "+OK");
    let r = reqwest::get(format!("{}/readyz", gw.url)).await.unwrap();
    Reply::from(r).await.assert_error(503);
    gw.open(&token(), Some("oom-1"), &body(11000, 1))
        .await
        .assert_error(503);
    let log = gw.stop();
    let failed = log_lines(&log, "WARN", "readiness check failed");
    assert!(
        failed
            .iter()
            .any(|v| v["what"] == "store" && v["cause"].as_str().unwrap().contains("OOM")),
        "{failed:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn types_service_orders_and_parametros_only_as_the_isp_allows() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let with = |extra: serde_json::Value| {
        let mut b = body(11000, 1);
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    // By default: no type, no service order, no parametros from the browser.
    let gw = gateway(embedded(&mock, dir.path()));
    for extra in [
        json!({"id_tipo_atendimento": 109}),
        json!({"abrir_os": true}),
        json!({"parametros": {"usuario_responsavel": "admin"}}),
    ] {
        let v = gw
            .open(&token(), None, &with(extra.clone()))
            .await
            .assert_error(422);
        // The reason once, as `msg`: not repeated in `errors`.
        assert!(
            v["msg"].as_str().unwrap().contains("portal"),
            "{extra}: {v}"
        );
        assert_eq!(v["errors"], json!([]), "{extra}: {v}");
    }
    assert!(mock.requests(ATENDIMENTO).await.is_empty());
    gw.open(&token(), None, &with(json!({"abrir_os": false})))
        .await
        .protocolo();
    gw.stop();
    // As configured: the listed types, service orders and parametros reach Hubsoft.
    let dir = tempfile::tempdir().unwrap();
    let gw = embedded_gateway(
        &mock,
        dir.path(),
        vec![
            ("--allowed-tipos", "109,110".into()),
            ("--allow-abrir-os", String::new()),
            ("--allow-parametros", String::new()),
        ],
    );
    gw.open(&token(), None, &with(json!({"id_tipo_atendimento": 111})))
        .await
        .assert_error(422);
    gw.open(
        &token(),
        None,
        &with(json!({"id_tipo_atendimento": 110, "abrir_os": true, "parametros": {"origem": "portal"}})),
    )
    .await
    .protocolo();
    let sent = mock.requests(ATENDIMENTO).await;
    let last = &sent.last().unwrap()["json"];
    assert_eq!(last["id_tipo_atendimento"], 110);
    assert_eq!(last["abrir_os"], true);
    assert_eq!(last["parametros"]["origem"], "portal");
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxy_failure_after_forwarding_is_reconciled_and_never_opens_a_second_ticket() {
    let (mock, _dir, gw) = mock_and_gateway(vec![]).await;
    // Envoy's 503 "upstream reset before headers" and Cloudflare's 524 "a timeout occurred":
    // the proxy answers itself after Hubsoft has opened the ticket.
    for (n, (status, page)) in [
        (503, "upstream connect error or disconnect/reset before headers. reset reason: connection termination"),
        (524, "<html><body><h1>524 A timeout occurred</h1></body></html>"),
    ]
    .into_iter()
    .enumerate()
    {
        let n = n as u32 + 1;
        mock.queue(json!({"fault": "replaced", "status": status, "content_type": "text/html", "body": page}))
            .await;
        let key = format!("proxy-{status}");
        let first = gw.open(&token(), Some(&key), &body(11000, n)).await;
        // Reconciled at once: the ticket is found among the service's tickets.
        let protocolo = first.protocolo();
        let again = gw.open(&token(), Some(&key), &body(11000, n)).await;
        assert_eq!(again.protocolo(), protocolo, "{status}");
        assert_eq!(mock.tickets(11000).await.len(), n as usize, "{status}");
    }
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), 2);
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_from_hubsoft_are_never_followed() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // Where a redirect points: it would receive the password grant's credentials.
    let elsewhere = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let target = format!("http://{}/oauth/token", elsewhere.local_addr().unwrap());
    let reached = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = reached.clone();
    tokio::spawn(async move {
        while let Ok((_conn, _)) = elsewhere.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
        }
    });
    // A "Hubsoft" that answers every request with a 307 there.
    let redirector = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hubsoft = format!("http://{}", redirector.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut conn, _)) = redirector.accept().await {
            let target = target.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let _ = conn.read(&mut buf).await;
                let answer = format!(
                    "HTTP/1.1 307 Temporary Redirect\r\nLocation: {target}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
                let _ = conn.write_all(answer.as_bytes()).await;
            });
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let gw = gateway(GatewayOptions {
        hubsoft: &hubsoft,
        data_dir: Some(dir.path()),
        redis: None,
        extra: Vec::new(),
        env: Vec::new(),
        soft_file_limit: None,
    });
    let r = reqwest::get(format!("{}/readyz", gw.url)).await.unwrap();
    assert_eq!(r.status(), 503);
    let r = gw
        .open(&token(), Some("redirected-1"), &body(11000, 1))
        .await;
    assert_ne!(r.status, 200, "{}", r.text);
    r.assert_error(r.status);
    assert_eq!(reached.load(Ordering::SeqCst), 0, "a redirect was followed");
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hubsoft_failure_pages_become_clean_json() {
    let (mock, _dir, gw) = mock_and_gateway(vec![]).await;
    // A Cloudflare HTML 521 (the origin down): nothing was done; a clean JSON 502.
    mock.queue(json!({"status": 521, "content_type": "text/html", "body": "<html><body><h1>521 Web server is down</h1></body></html>"}))
        .await;
    let r = gw.open(&token(), None, &body(11000, 1)).await;
    r.assert_error(502);
    assert!(!r.text.contains('<'), "{}", r.text);
    // An HTML 502 after the POST: may have been created, so reconciled; nothing found → clean
    // JSON "could not confirm" without HTML.
    mock.queue(json!({"status": 502, "content_type": "text/html", "body": "<html><body><h1>502 Bad Gateway</h1></body></html>"}))
        .await;
    let r = gw.open(&token(), None, &body(11000, 2)).await;
    r.assert_error(504);
    assert!(!r.text.contains('<'), "{}", r.text);
    // Laravel internals never leave the gateway.
    mock.queue(json!({"status": 500, "body": {"message": "Server Error", "file": "/var/www/hubsoft/app/Http/Controllers/AtendimentoController.php", "line": 42, "trace": [{"file": "/var/www/x.php"}]}}))
        .await;
    let r = gw.open(&token(), None, &body(11000, 3)).await;
    r.assert_error(504);
    assert!(
        !r.text.contains("/var/www") && !r.text.contains("trace"),
        "{}",
        r.text
    );
    // Hubsoft's own HTTP-200 refusal becomes a 422 with its sentences.
    mock.queue(json!({"status": 200, "body": {"status": "error", "msg": "Os dados fornecidos são inválidos", "errors": ["O valor selecionado para o campo id cliente servico é inválido."]}}))
        .await;
    let v = gw
        .open(&token(), None, &body(11000, 4))
        .await
        .assert_error(422);
    assert_eq!(v["msg"], "Os dados fornecidos são inválidos");
    let log = gw.stop();
    assert!(
        !log.contains("/var/www"),
        "internals must be redacted in the log too"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hubsoft_file_paths_and_sql_errors_never_reach_the_client() {
    let (mock, _dir, gw) = mock_and_gateway(vec![]).await;
    mock.queue(json!([
        {"status": 200, "body": {"status": "error",
            "msg": "SQLSTATE[23505]: Unique violation in /var/www/hubsoft/app/Models/Atendimento.php:123",
            "errors": [
                "Erro em /var/www/html/app/Http/Controllers/Api/AtendimentoController.php linha 88",
                "O campo telefone é obrigatório."
            ]}},
        {"status": 422, "body": {
            "msg": "Não foi possível salvar. SQLSTATE[22001]: String data, right truncated (SQL: insert into atendimento)",
            "errors": {"descricao": ["Erro em C:\\inetpub\\hubsoft\\Atendimento.aspx"]}}},
        {"status": 200, "body": {"status": "error",
            "msg": "SQLSTATE[08006]: could not connect to server (tcp://10.0.0.5:5432)"}}
    ]))
    .await;
    let first = gw.open(&token(), None, &body(11000, 1)).await;
    let v = first.assert_error(422);
    // The sentences with internals are gone: the generic message stands in for the `msg`.
    assert_eq!(v["msg"], abrir_chamado_core::inbound::MSG_INVALID);
    assert_eq!(v["errors"], json!(["O campo telefone é obrigatório."]));
    let second = gw.open(&token(), None, &body(11000, 2)).await;
    let v = second.assert_error(422);
    assert_eq!(v["msg"], "Não foi possível salvar.");
    assert_eq!(v["errors"], json!([]));
    // Nothing left to show and no field named: a message that does not speak of fields.
    let third = gw.open(&token(), None, &body(11000, 3)).await;
    let v = third.assert_error(422);
    assert_eq!(v["msg"], abrir_chamado_gateway::errors::MSG_REFUSED);
    assert_eq!(v["errors"], json!([]));
    for r in [&first, &second, &third] {
        for internal in ["/var/www", ".php", "SQLSTATE", "SQL:", "inetpub", ".aspx"] {
            assert!(!r.text.contains(internal), "{internal} in {}", r.text);
        }
    }
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_answer_429_with_retry_after() {
    let (mock, _dir, gw) = mock_and_gateway(vec![
        ("--rate-limit-per-hour", "2".into()),
        ("--auth-failures-per-minute", "3".into()),
    ])
    .await;
    gw.open(&token(), Some("r1"), &body(11000, 1))
        .await
        .protocolo();
    gw.open(&token(), None, &body(11000, 2)).await.protocolo();
    // A replay does not count.
    gw.open(&token(), Some("r1"), &body(11000, 1))
        .await
        .protocolo();
    let r = gw.open(&token(), Some("r3"), &body(11000, 3)).await;
    r.assert_error(429);
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry), "{retry}");
    // Another customer is not limited.
    let other = token_with(|c| c.sub = "4321".into());
    gw.open(&other, None, &body(11000, 4)).await.protocolo();
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), 3);
    // Authentication failures per IP.
    for _ in 0..3 {
        gw.open("bad", None, &body(11000, 5))
            .await
            .assert_error(401);
    }
    let r = gw.open("bad", None, &body(11000, 5)).await;
    r.assert_error(429);
    assert!(r.headers.contains_key("retry-after"));
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_the_portal_signed_gets_401_and_never_counts_toward_the_ip_limit() {
    let (_mock, _dir, gw) =
        mock_and_gateway(vec![("--auth-failures-per-minute", "2".into())]).await;
    let now = auth::now_secs();
    // Correctly signed, refused for their claims: only the portal can make these.
    let signed_but_refused = [
        token_with(|c| {
            c.iat = now - 900;
            c.exp = now - 300;
        }),
        token_with(|c| c.nbf = Some(now + 600)),
        token_with(|c| c.aud = "outro-sistema".into()),
        token_with(|c| c.exp = now + 30 * 86_400),
        signed_with(json!({"email": 5})),
    ];
    // They do not count: the limit of 2 is still whole afterwards.
    for _ in 0..2 {
        for t in &signed_but_refused {
            gw.open(t, None, &body(11000, 1)).await.assert_error(401);
        }
    }
    for _ in 0..2 {
        gw.open("bad", None, &body(11000, 1))
            .await
            .assert_error(401);
    }
    let forged = auth::mint(
        &auth::claims_for("1204", vec![11000], 600),
        &SigningKey::Hs256(b"another-secret-another-secret-0000".to_vec()),
    )
    .unwrap();
    gw.open(&forged, None, &body(11000, 1))
        .await
        .assert_error(429);
    // Past the limit (someone else on this address sent garbage), an expired token still gets
    // the 401 on which the widget renews its token, and the renewed one works.
    for t in &signed_but_refused {
        gw.open(t, None, &body(11000, 1)).await.assert_error(401);
    }
    gw.open(&token(), None, &body(11000, 2)).await.protocolo();
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_carries_a_bearer_challenge() {
    let (_mock, _dir, gw) =
        mock_and_gateway(vec![("--auth-failures-per-minute", "1".into())]).await;
    let challenge = |r: &Reply| {
        r.headers
            .get("www-authenticate")
            .map(|v| v.to_str().unwrap().to_owned())
    };
    // RFC 6750 §3: no token, just the scheme; a token that is not valid, `invalid_token`.
    let none = Reply::from(
        reqwest::Client::new()
            .post(format!("{}{ATENDIMENTO}", gw.url))
            .json(&body(11000, 1))
            .send()
            .await
            .unwrap(),
    )
    .await;
    none.assert_error(401);
    assert_eq!(challenge(&none).as_deref(), Some("Bearer"));
    let now = auth::now_secs();
    let expired = token_with(|c| {
        c.iat = now - 900;
        c.exp = now - 300;
    });
    for t in [expired.as_str(), "garbage"] {
        let r = gw.open(t, None, &body(11000, 1)).await;
        r.assert_error(401);
        assert_eq!(
            challenge(&r).as_deref(),
            Some(r#"Bearer error="invalid_token""#),
            "{t}"
        );
    }
    // The 429 past the limit is no authentication challenge.
    let r = gw.open("garbage", None, &body(11000, 1)).await;
    r.assert_error(429);
    assert_eq!(challenge(&r), None);
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_idempotency_keys_get_400_and_only_a_short_request_id_is_taken() {
    let (mock, _dir, mut gw) = mock_and_gateway(vec![]).await;
    let post = |headers: Vec<(&'static str, String)>| {
        let mut req = reqwest::Client::new()
            .post(format!("{}{ATENDIMENTO}", gw.url))
            .bearer_auth(token())
            .json(&body(11000, 1));
        for (k, v) in headers {
            req = req.header(k, v);
        }
        async move { Reply::from(req.send().await.unwrap()).await }
    };
    let r = post(vec![
        ("Idempotency-Key", "first".into()),
        ("Idempotency-Key", "second".into()),
    ])
    .await;
    assert!(r.assert_error(400)["msg"]
        .as_str()
        .unwrap()
        .contains("Idempotency-Key"));
    assert!(mock.requests(ATENDIMENTO).await.is_empty());
    // A short id is echoed; a long one, one with spaces, or two are replaced by a generated one.
    let id = |r: &Reply| r.headers["x-request-id"].to_str().unwrap().to_owned();
    let short = "portal-req-0123456789";
    assert_eq!(id(&post(vec![("x-request-id", short.into())]).await), short);
    let long = "x".repeat(20_000);
    gw.forbidden.push("x".repeat(129));
    for sent in [
        vec![("x-request-id", long.clone())],
        vec![("x-request-id", "a b".into())],
        vec![
            ("x-request-id", "one".into()),
            ("x-request-id", "two".into()),
        ],
    ] {
        let r = post(sent.clone()).await;
        let got = id(&r);
        assert!(uuid::Uuid::parse_str(&got).is_ok(), "{sent:?}: {got}");
    }
    gw.stop();
}

/// An invalid-token request from `client` through a proxy that sets `header`.
async fn bad_token_via(gw: &Gateway, header: &str, client: &str) -> Reply {
    let r = reqwest::Client::new()
        .post(format!("{}{ATENDIMENTO}", gw.url))
        .bearer_auth("bad")
        .header(header, client)
        .json(&body(11000, 1))
        .send()
        .await
        .unwrap();
    Reply::from(r).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_failures_count_the_client_behind_a_reverse_proxy() {
    let (_mock, _dir, gw) = mock_and_gateway(vec![
        ("--auth-failures-per-minute", "2".into()),
        ("--client-ip-source", "RightmostXForwardedFor".into()),
    ])
    .await;
    // The proxy appends the client it saw; what the client sent itself stays on the left.
    for _ in 0..2 {
        bad_token_via(&gw, "x-forwarded-for", "10.9.9.9, 203.0.113.7")
            .await
            .assert_error(401);
    }
    bad_token_via(&gw, "x-forwarded-for", "10.9.9.9, 203.0.113.7")
        .await
        .assert_error(429);
    // Another customer behind the same proxy still gets 401 (so the widget renews its token),
    // even when it forges the left part of the header.
    bad_token_via(&gw, "x-forwarded-for", "203.0.113.7, 198.51.100.20")
        .await
        .assert_error(401);
    // Valid tokens are never held back by the limit.
    gw.open(&token(), None, &body(11000, 2)).await.protocolo();
    // A request that bypassed the proxy (no header) counts against the TCP peer and is answered.
    let r = reqwest::Client::new()
        .post(format!("{}{ATENDIMENTO}", gw.url))
        .bearer_auth("bad")
        .json(&body(11000, 1))
        .send()
        .await
        .unwrap();
    Reply::from(r).await.assert_error(401);
    let log = gw.stop();
    assert!(
        log.contains("client IP not in the configured source"),
        "{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_client_ip_header_is_logged_without_its_text() {
    const INJECTED: &str = "forged-log-line-from-the-client";
    let (_mock, _dir, gw) = mock_and_gateway(vec![(
        "--client-ip-source",
        "RightmostXForwardedFor".into(),
    )])
    .await;
    // A client that reaches the gateway without the proxy writes what it likes in the header.
    bad_token_via(&gw, "x-forwarded-for", &format!("10.1.2.3-{INJECTED}"))
        .await
        .assert_error(401);
    let log = gw.stop();
    assert!(
        !log.contains(INJECTED),
        "the client's header text is in the log"
    );
    // The rejection is still logged, naming the header and the source.
    let line = log
        .lines()
        .find(|l| l.contains("client IP not in the configured source"))
        .unwrap_or_else(|| panic!("no warning about the client IP: {log}"));
    assert!(
        line.contains("x-forwarded-for") && line.contains("RightmostXForwardedFor"),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_failures_count_an_ipv6_client_by_its_56_prefix() {
    let (_mock, _dir, gw) = mock_and_gateway(vec![
        ("--auth-failures-per-minute", "2".into()),
        ("--client-ip-source", "XRealIp".into()),
    ])
    .await;
    // A subscriber line delegated a /56: new addresses and /64s in it count together.
    for address in ["2001:db8:7:800::1", "2001:db8:7:801::2"] {
        bad_token_via(&gw, "x-real-ip", address)
            .await
            .assert_error(401);
    }
    bad_token_via(&gw, "x-real-ip", "2001:db8:7:8ff:ffff:1:2:3")
        .await
        .assert_error(429);
    // The neighbouring /56 is another line.
    bad_token_via(&gw, "x-real-ip", "2001:db8:7:900::1")
        .await
        .assert_error(401);
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_bad_tokens_keeps_the_embedded_store_small() {
    let (_mock, dir, gw) = mock_and_gateway(vec![("--auth-failures-per-minute", "5".into())]).await;
    let file = dir.path().join("gateway.redb");
    let client = reqwest::Client::new();
    let url = format!("{}{ATENDIMENTO}", gw.url);
    // Every refused request counts one failure (a write of the counter): 401, then 429.
    let mut statuses = std::collections::BTreeSet::new();
    for _ in 0..400 {
        let mut sends = tokio::task::JoinSet::new();
        for _ in 0..8 {
            let send = client
                .post(&url)
                .bearer_auth("bad")
                .json(&body(11000, 1))
                .send();
            sends.spawn(send);
        }
        while let Some(r) = sends.join_next().await {
            statuses.insert(r.unwrap().unwrap().status().as_u16());
        }
    }
    assert_eq!(statuses, [401, 429].into_iter().collect());
    let size = std::fs::metadata(&file).unwrap().len();
    // Without durable commits in between, the counts left about 10 KB each behind (34 MB here,
    // measured without the fix).
    assert!(size < 8 << 20, "gateway.redb grew to {size} bytes");
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_proxy_a_forged_forwarded_header_changes_nothing() {
    let (_mock, _dir, gw) =
        mock_and_gateway(vec![("--auth-failures-per-minute", "2".into())]).await;
    for n in 0..2 {
        bad_token_via(&gw, "x-forwarded-for", &format!("198.51.100.{n}"))
            .await
            .assert_error(401);
    }
    bad_token_via(&gw, "x-forwarded-for", "198.51.100.99")
        .await
        .assert_error(429);
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_switch_variable_overrides_the_file_and_reads_1_0_yes_no_on_off() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gateway.toml");
    std::fs::write(
        &file,
        "demo = true\nallow_abrir_os = true\nallow_parametros = true\n",
    )
    .unwrap();
    let config = file.display().to_string();
    let mut with_os = body(11000, 1);
    with_os["abrir_os"] = json!(true);
    let mut with_parametros = body(11000, 2);
    with_parametros["parametros"] = json!({"origem": "portal"});
    // Starts a gateway on a store of its own; `(demo route, abrir_os, parametros)` are on.
    // `demo`: whether the settings should turn demo mode on, which refuses a portal key, so the
    // gateway then runs without the test secret and the tickets use its demo token (a demo
    // mode on or off against expectations stops the start: no key, or a key with --demo).
    let run = |flags: Vec<(&'static str, String)>, env: Vec<(&'static str, &str)>, demo: bool| {
        let data = tempfile::tempdir().unwrap();
        let mut opts = embedded(&mock, data.path());
        opts.extra = flags;
        opts.env = env.into_iter().map(|(k, v)| (k, v.to_owned())).collect();
        if demo {
            opts.env.push(("PORTAL_JWT_HS256_SECRET", String::new()));
        }
        let gw = gateway(opts);
        let (with_os, with_parametros) = (with_os.clone(), with_parametros.clone());
        async move {
            let res = reqwest::Client::new()
                .post(format!("{}/demo/portal-token", gw.url))
                .send()
                .await
                .unwrap();
            let demo_route = res.status();
            let token = if demo {
                let v: serde_json::Value = res.json().await.unwrap();
                v["token"].as_str().unwrap().to_owned()
            } else {
                token()
            };
            let os = gw.open(&token, None, &with_os).await.status;
            let parametros = gw.open(&token, None, &with_parametros).await.status;
            gw.stop();
            drop(data);
            (demo_route == 200, os == 200, parametros == 200)
        }
    };
    let file_only = vec![("--config", config.clone())];
    assert_eq!(
        run(file_only.clone(), vec![], true).await,
        (true, true, true)
    );
    // The variable beats the file, in every spelling of false.
    for off in ["false", "0", "no", "OFF", "False", ""] {
        let env = vec![
            ("GATEWAY_DEMO", off),
            ("GATEWAY_ALLOW_ABRIR_OS", off),
            ("GATEWAY_ALLOW_PARAMETROS", off),
        ];
        assert_eq!(
            run(file_only.clone(), env, false).await,
            (false, false, false),
            "{off}"
        );
    }
    // 1/yes/on switch on without a file; a flag's value beats its variable.
    for on in ["1", "yes", "On", "TRUE"] {
        let env = vec![("GATEWAY_DEMO", on), ("GATEWAY_ALLOW_ABRIR_OS", on)];
        assert_eq!(run(vec![], env, true).await, (true, true, false), "{on}");
    }
    let flags = vec![
        ("--config", config),
        ("--demo=false", String::new()),
        ("--allow-parametros=0", String::new()),
        ("--allow-abrir-os", String::new()),
    ];
    let env = vec![("GATEWAY_DEMO", "1"), ("GATEWAY_ALLOW_ABRIR_OS", "0")];
    assert_eq!(run(flags, env, false).await, (false, true, false));
    // A value that is no boolean stops the start and names the setting.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_abrir-chamado-gateway"))
        .env_clear()
        .env("GATEWAY_DEMO", "talvez")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--demo") && err.contains("talvez"), "{err}");
}

#[test]
fn a_config_file_error_names_the_line_without_its_secret() {
    let dir = tempfile::tempdir().unwrap();
    for (text, said) in [
        // Not TOML (a value without quotes).
        ("hubsoft_password = Sup3r-S3cret-Pw\n", "line 1"),
        // The wrong type.
        (
            "listen = \"127.0.0.1:8790\"\nhubsoft_client_secret = 98127361827361\n",
            "line 2",
        ),
        // A string where a number belongs (serde quotes it in double quotes).
        ("hubsoft_timeout_ms = \"Sup3r-S3cret-Pw\"\n", "line 1"),
        // A misspelled setting.
        (
            "hubsoft_pasword = \"Sup3r-S3cret-Pw\"\n",
            "unknown setting `hubsoft_pasword`",
        ),
    ] {
        let file = dir.path().join("gateway.toml");
        std::fs::write(&file, text).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_abrir-chamado-gateway"))
            .env_clear()
            .arg("--config")
            .arg(&file)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{text}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("config file") && err.contains(said), "{err}");
        for secret in ["Sup3r", "S3cret", "98127361827361"] {
            assert!(!err.contains(secret), "{secret} in {err}");
        }
    }
}

#[test]
fn an_unknown_client_ip_source_stops_the_start() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_abrir-chamado-gateway"))
        .env_clear()
        .env(
            "PORTAL_JWT_HS256_SECRET",
            "0123456789abcdef0123456789abcdef",
        )
        .args([
            "--hubsoft-url",
            "http://127.0.0.1:1",
            "--hubsoft-client-id",
            "1",
            "--hubsoft-client-secret",
            "s",
            "--hubsoft-username",
            "u",
            "--hubsoft-password",
            "p",
            "--client-ip-source",
            "X-Forwarded-For",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("client_ip_source") && err.contains("RightmostXForwardedFor"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_allows_the_portal_and_refuses_other_origins() {
    let (_mock, _dir, gw) = mock_and_gateway(vec![]).await;
    let client = reqwest::Client::new();
    let preflight = |origin: &str| {
        client
            .request(reqwest::Method::OPTIONS, format!("{}{ATENDIMENTO}", gw.url))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                "authorization,content-type,idempotency-key",
            )
            .send()
    };
    let ok = preflight(PORTAL).await.unwrap();
    assert!(ok.status().is_success());
    let h = ok.headers();
    assert_eq!(h["access-control-allow-origin"], PORTAL);
    let allowed = h["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    for name in ["authorization", "content-type", "accept", "idempotency-key"] {
        assert!(allowed.contains(name), "{allowed}");
    }
    let refused = preflight("https://evil.example").await.unwrap();
    assert_eq!(refused.status(), 403);
    assert!(refused
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    // A real POST from the portal exposes Retry-After.
    let r = client
        .post(format!("{}{ATENDIMENTO}", gw.url))
        .header("Origin", PORTAL)
        .bearer_auth(token())
        .json(&body(11000, 1))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], PORTAL);
    let exposed = r.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_ascii_lowercase();
    assert!(exposed.contains("retry-after"), "{exposed}");
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_body_gets_413_json() {
    let (mock, _dir, gw) = mock_and_gateway(vec![]).await;
    let mut big = body(11000, 1);
    big["descricao"] = json!("x".repeat(64 * 1024));
    gw.open(&token(), None, &big).await.assert_error(413);
    assert!(mock.requests(ATENDIMENTO).await.is_empty());
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_max_body_bytes_above_2_mib_is_the_limit_that_applies() {
    let (mock, _dir, gw) = mock_and_gateway(vec![("--max-body-bytes", "3000000".into())]).await;
    // 2.5 MB: over axum's own default (2 MiB), under the configured limit. It is refused for
    // its description's length (422), not for its size.
    let mut big = body(11000, 1);
    big["descricao"] = json!("x".repeat(2_500_000));
    let r = gw.open(&token(), None, &big).await;
    assert_ne!(r.status, 413, "{}", r.text);
    r.assert_error(422);
    // Over the configured limit: 413 in the JSON error shape.
    big["descricao"] = json!("x".repeat(3_100_000));
    gw.open(&token(), None, &big).await.assert_error(413);
    assert!(mock.requests(ATENDIMENTO).await.is_empty());
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_405_names_the_allowed_methods_in_allow() {
    let (_mock, _dir, gw) = mock_and_gateway(vec![]).await;
    let r = reqwest::get(format!("{}{ATENDIMENTO}", gw.url))
        .await
        .unwrap();
    let r = Reply::from(r).await;
    r.assert_error(405);
    // RFC 9110 §15.5.6: a 405 carries Allow with the methods the resource supports.
    let allow = r
        .headers
        .get("allow")
        .unwrap_or_else(|| panic!("no Allow header: {:?}", r.headers))
        .to_str()
        .unwrap();
    assert!(allow.contains("POST"), "{allow}");
    assert!(r.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    gw.stop();
}

/// Sends `head` (a request head ending with its blank line) and the first bytes of a body of
/// `Content-Length: 100` on a raw connection to `gw`, then nothing more, and reads the answer:
/// its status, its head and its body (bounded by 15 s).
async fn stalled_body(gw: &Gateway, head: &str) -> (u16, String, serde_json::Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = gw.url.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(b"{\"id_").await.unwrap();
    let mut answer = Vec::new();
    let read = async {
        let mut buf = [0u8; 4096];
        loop {
            let n = stream.read(&mut buf).await.unwrap_or(0);
            answer.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&answer).into_owned();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length = head.lines().find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap())
                });
                if length.is_some_and(|l| body.len() >= l) || n == 0 {
                    return (head.to_owned(), body.to_owned());
                }
            }
            assert!(n > 0, "the connection closed without an answer: {text:?}");
        }
    };
    let (head, body) = tokio::time::timeout(Duration::from_secs(15), read)
        .await
        .expect("an answer while the body is still incomplete");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let json = serde_json::from_str(&body).unwrap_or_else(|_| panic!("not JSON: {body}"));
    (status, head, json)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_body_gets_408_saying_nothing_was_sent() {
    let (mock, _dir, gw) = mock_and_gateway(vec![
        ("--client-timeout-ms", "1000".into()),
        ("--request-timeout-ms", "30000".into()),
    ])
    .await;
    let started = std::time::Instant::now();
    let head = format!(
        "POST {ATENDIMENTO} HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n",
        token()
    );
    let (status, head, v) = stalled_body(&gw, &head).await;
    let elapsed = started.elapsed();
    // The body's own time limit (1 s), well before the request's (30 s).
    assert_eq!(status, 408, "{head}\n{v}");
    assert!(
        elapsed >= Duration::from_millis(900) && elapsed < Duration::from_secs(10),
        "{elapsed:?}"
    );
    assert_eq!(v["status"], "error");
    assert!(v["errors"].is_array());
    let msg = v["msg"].as_str().unwrap();
    assert!(msg.contains("nada foi enviado"), "{msg}");
    assert!(!msg.contains("pode já ter sido aberto"), "{msg}");
    assert!(
        head.to_ascii_lowercase().contains("connection: close"),
        "{head}"
    );
    assert!(mock.requests(ATENDIMENTO).await.is_empty());
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_without_a_token_never_waits_for_its_body() {
    let (mock, _dir, gw) = mock_and_gateway(vec![
        ("--client-timeout-ms", "20000".into()),
        ("--request-timeout-ms", "45000".into()),
    ])
    .await;
    let started = std::time::Instant::now();
    let head = format!(
        "POST {ATENDIMENTO} HTTP/1.1\r\nHost: gw\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
    );
    let (status, head, v) = stalled_body(&gw, &head).await;
    // Answered from the headers, long before the body's time limit (20 s).
    assert_eq!(status, 401, "{head}\n{v}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(v["status"], "error");
    assert!(mock.requests(ATENDIMENTO).await.is_empty());
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_between_the_answer_and_the_resend_loses_nothing() {
    let (mock, dir, gw) = mock_and_gateway(vec![]).await;
    let p = gw
        .open(&token(), Some("restart-1"), &body(11000, 1))
        .await
        .protocolo();
    gw.stop();
    let gw = gateway(embedded(&mock, dir.path()));
    assert_eq!(
        gw.open(&token(), Some("restart-1"), &body(11000, 1))
            .await
            .protocolo(),
        p
    );
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), 1);
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_out_of_time_says_the_ticket_may_be_open() {
    let (mock, _dir, gw) = mock_and_gateway(vec![
        ("--hubsoft-timeout-ms", "1000".into()),
        ("--request-timeout-ms", "1500".into()),
    ])
    .await;
    // Hubsoft opens the ticket and answers late; the lookup that follows is late too, so the
    // whole request runs out of time.
    mock.queue(json!([
        {"fault": "late", "delay_ms": 3000},
        {"path": "/api/v1/integracao/cliente/atendimento", "status": 200, "delay_ms": 3000,
         "body": {"status": "success", "atendimentos": []}}
    ]))
    .await;
    let v = gw
        .open(&token(), None, &body(11000, 1))
        .await
        .assert_error(504);
    let msg = v["msg"].as_str().unwrap();
    assert!(msg.contains("pode já ter sido aberto"), "{msg}");
    assert!(!msg.contains("Tente de novo em alguns minutos"), "{msg}");
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_while_hubsoft_works_is_reconciled_after_restart() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let short = || {
        let mut o = embedded(&mock, dir.path());
        o.extra = vec![
            ("--hubsoft-timeout-ms", "1000".into()),
            ("--request-timeout-ms", "1500".into()),
        ];
        o
    };
    let gw = gateway(short());
    // Hubsoft opens the ticket and answers late; the gateway dies before the answer.
    mock.queue(json!({"fault": "late", "delay_ms": 800})).await;
    let url = gw.url.clone();
    let pending = tokio::spawn(async move {
        reqwest::Client::new()
            .post(format!("{url}{ATENDIMENTO}"))
            .bearer_auth(token())
            .header("Idempotency-Key", "crash-1")
            .json(&body(11000, 1))
            .send()
            .await
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while mock.tickets(11000).await.is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the ticket was never opened"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    gw.kill();
    assert!(pending.await.unwrap().is_err());
    // A new process on the same data folder: the resend waits for the dead request's lease,
    // then reconciles and finds the ticket instead of opening a second one.
    let gw = gateway(embedded(&mock, dir.path()));
    let p = gw
        .open(&token(), Some("crash-1"), &body(11000, 1))
        .await
        .protocolo();
    assert_one_ticket(&mock, &p).await;
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), 1);
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_goes_away_mid_send_does_not_leave_its_key_pending() {
    a_client_goes_away(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigterm_finishes_and_stores_a_ticket_whose_client_went_away() {
    a_client_goes_away(true).await;
}

/// A client that gives up mid-send (a page reloaded: Hubsoft answers after 800 ms, the client
/// after 200 ms): the first send goes on without it, and the repeat gets its ticket at once, not
/// 409 until the lease ends (46 s later). With `sigterm`, the gateway is stopped right after the
/// client gave up and started again on the same data: the ticket was still sent to the end and
/// stored before the exit.
async fn a_client_goes_away(sigterm: bool) {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let mut gw = embedded_gateway(&mock, dir.path(), Vec::new());
    mock.queue(json!({"fault": "late", "delay_ms": 800})).await;
    let gone = reqwest::Client::new()
        .post(format!("{}{ATENDIMENTO}", gw.url))
        .bearer_auth(token())
        .header("Idempotency-Key", "reload-1")
        .json(&body(11000, 1))
        .timeout(Duration::from_millis(200))
        .send()
        .await;
    assert!(gone.is_err(), "the client gave up");
    if sigterm {
        tokio::task::spawn_blocking(move || gw.stop())
            .await
            .unwrap();
        assert_eq!(mock.tickets(11000).await.len(), 1, "sent before the exit");
        gw = embedded_gateway(&mock, dir.path(), Vec::new());
    }
    mock.wait_for_a_ticket(11000).await;
    let started = std::time::Instant::now();
    let p = gw
        .open(&token(), Some("reload-1"), &body(11000, 1))
        .await
        .protocolo();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_one_ticket(&mock, &p).await;
    assert_eq!(mock.requests(ATENDIMENTO).await.len(), 1);
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repeat_while_the_first_runs_waits_or_gets_409() {
    let (mock, _dir, gw) = mock_and_gateway(vec![("--in-flight-wait-ms", "200".into())]).await;
    mock.queue(json!({"fault": "late", "delay_ms": 1000})).await;
    let first = gw
        .open_while_hubsoft_works(&mock, 1, Some("busy-1"), body(11000, 1))
        .await;
    let r = gw.open(&token(), Some("busy-1"), &body(11000, 1)).await;
    r.assert_error(409);
    assert!(r.headers.contains_key("retry-after"));
    let p = first.await.unwrap().protocolo();
    assert_eq!(
        gw.open(&token(), Some("busy-1"), &body(11000, 1))
            .await
            .protocolo(),
        p
    );
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_readiness_metrics_and_graceful_shutdown() {
    let (mock, _dir, gw) = mock_and_gateway(vec![]).await;
    let r = reqwest::get(format!("{}/healthz", gw.url)).await.unwrap();
    assert_eq!(r.status(), 200);
    let r = reqwest::get(format!("{}/readyz", gw.url)).await.unwrap();
    assert_eq!(r.status(), 200);
    gw.open(&token(), None, &body(11000, 1)).await.protocolo();
    let m = reqwest::get(format!("{}/metrics", gw.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for name in [
        "gateway_requests_total",
        "gateway_hubsoft_latency_seconds_bucket",
        "gateway_hubsoft_token_refreshes_total",
    ] {
        assert!(m.contains(name), "{name} missing:\n{m}");
    }
    let r = reqwest::get(format!("{}/nada", gw.url)).await.unwrap();
    Reply::from(r).await.assert_error(404);
    // SIGTERM while a request is in flight: it still gets its answer.
    mock.queue(json!({"fault": "late", "delay_ms": 700})).await;
    let inflight = gw
        .open_while_hubsoft_works(&mock, 2, None, body(11000, 2))
        .await;
    let stopper = tokio::task::spawn_blocking(move || gw.stop());
    inflight.await.unwrap().protocolo();
    stopper.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metric_series_are_listed_at_zero_before_their_first_event() {
    let (_mock, _dir, gw) = mock_and_gateway(vec![]).await;
    let m = reqwest::get(format!("{}/metrics", gw.url))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for series in [
        r#"gateway_requests_total{outcome="created"} 0"#,
        r#"gateway_requests_total{outcome="unavailable"} 0"#,
        r#"gateway_rate_limited_total{kind="tickets"} 0"#,
        r#"gateway_reconciliations_total{result="not_found"} 0"#,
        "gateway_idempotent_replays_total 0",
        "gateway_second_sends_total 0",
        r#"gateway_reconciliations_total{result="ambiguous"} 0"#,
        "# HELP gateway_requests_total",
    ] {
        assert!(m.contains(series), "{series} missing:\n{m}");
    }
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_fails_cleanly_when_hubsoft_refuses_the_credentials() {
    let (_mock, _dir, gw) =
        mock_and_gateway(vec![("--hubsoft-username", "wrong@user".into())]).await;
    for _ in 0..3 {
        let r = reqwest::get(format!("{}/readyz", gw.url)).await.unwrap();
        Reply::from(r).await.assert_error(503);
    }
    gw.open(&token(), None, &body(11000, 1))
        .await
        .assert_error(502);
    let log = gw.stop();
    // The cause, once, at WARN; no probe's 503 at ERROR.
    let failed = log_lines(&log, "WARN", "readiness check failed");
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["what"], "Hubsoft token");
    assert!(
        failed[0]["cause"]
            .as_str()
            .unwrap()
            .contains("refused the password grant"),
        "{failed:?}"
    );
    let errors: Vec<_> = log_lines(&log, "ERROR", "response failed")
        .into_iter()
        .filter(|v| v["path"] == "/readyz")
        .collect();
    assert_eq!(errors, Vec::<serde_json::Value>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mint_token_and_the_demo_route() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_abrir-chamado-gateway"))
        .env_clear()
        .env("PORTAL_JWT_HS256_SECRET", SECRET)
        .args([
            "mint-token",
            "--sub",
            "1204",
            "--servicos",
            "11000,11001",
            "--ttl-secs",
            "300",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let minted = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("ed.pem");
    std::fs::write(&key, ED_PRIVATE).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_abrir-chamado-gateway"))
        .env_clear()
        .args(["mint-token", "--sub", "1204", "--servicos", "11000"])
        .arg("--ed25519-private-key")
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success());
    let ed_minted = String::from_utf8(out.stdout).unwrap().trim().to_owned();

    let mock = mock().await;
    let pubkey = dir.path().join("ed.pub.pem");
    std::fs::write(&pubkey, ED_PUBLIC).unwrap();
    let gw = embedded_gateway(
        &mock,
        dir.path(),
        vec![(
            "--portal-jwt-ed25519-public-key",
            pubkey.display().to_string(),
        )],
    );
    gw.open(&minted, None, &body(11001, 1)).await.protocolo();
    gw.open(&ed_minted, None, &body(11000, 2)).await.protocolo();
    gw.stop();
    // The demo gateway: no portal key configured (it makes its own).
    let demo_dir = tempfile::tempdir().unwrap();
    let mut opts = embedded(&mock, demo_dir.path());
    opts.extra = vec![("--demo", String::new())];
    opts.env = vec![("PORTAL_JWT_HS256_SECRET", String::new())];
    let gw = gateway(opts);
    let demo: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/demo/portal-token", gw.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let demo_token = demo["token"].as_str().unwrap();
    gw.open(demo_token, Some("demo-1"), &body(11000, 3))
        .await
        .protocolo();
    // The production secret never signs demo tokens.
    assert_eq!(gw.open(&minted, None, &body(11000, 4)).await.status, 401);
    gw.stop();
}

#[test]
fn demo_mode_refuses_to_start_with_a_portal_key_configured() {
    let dir = tempfile::tempdir().unwrap();
    let pubkey = dir.path().join("ed.pub.pem");
    std::fs::write(&pubkey, ED_PUBLIC).unwrap();
    let start = |env: Option<&str>, key: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_abrir-chamado-gateway"));
        cmd.env_clear()
            .args(["--demo", "--listen", "127.0.0.1:0"])
            .args(["--hubsoft-url", "http://127.0.0.1:9"])
            .args(["--hubsoft-client-id", "3", "--hubsoft-client-secret", "s"])
            .args(["--hubsoft-username", "u", "--hubsoft-password", "p"])
            .arg("--data-dir")
            .arg(dir.path());
        if let Some(secret) = env {
            cmd.env("PORTAL_JWT_HS256_SECRET", secret);
        }
        if key {
            cmd.arg("--portal-jwt-ed25519-public-key").arg(&pubkey);
        }
        cmd.output().unwrap()
    };
    for (env, key) in [(Some(SECRET), false), (None, true)] {
        let out = start(env, key);
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("--demo") && err.contains("PORTAL_JWT_HS256_SECRET"),
            "{err}"
        );
        assert!(!err.contains(SECRET), "{err}");
    }
}

#[test]
fn mint_token_refuses_secrets_the_gateway_refuses_and_takes_config_after_the_subcommand() {
    let mint = |secret: &str, args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_abrir-chamado-gateway"))
            .env_clear()
            .env("PORTAL_JWT_HS256_SECRET", secret)
            .args(["mint-token", "--sub", "1204", "--servicos", "11000"])
            .args(args)
            .output()
            .unwrap()
    };
    for secret in ["", "12345", "   \n"] {
        let out = mint(secret, &[]);
        assert_eq!(out.status.code(), Some(2), "{secret:?}: {out:?}");
        assert!(out.stdout.is_empty(), "{secret:?}: a token was printed");
    }
    // A secret file written with `echo` (a trailing newline): the same key as without it.
    let out = mint(&format!("{SECRET}\n"), &[]);
    assert!(out.status.success(), "{out:?}");
    let token = String::from_utf8(out.stdout).unwrap();
    let key = jsonwebtoken::DecodingKey::from_secret(SECRET.as_bytes());
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.set_audience(&["abrir-chamado"]);
    jsonwebtoken::decode::<serde_json::Value>(token.trim(), &key, &validation).unwrap();
    // `--config` after the subcommand.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("gateway.toml");
    std::fs::write(&file, "portal_jwt_max_lifetime_secs = 300\n").unwrap();
    let path = file.display().to_string();
    let out = mint(SECRET, &["--config", &path, "--ttl-secs", "600"]);
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("warning") && err.contains("300"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_with_a_trailing_newline_verifies_tokens_signed_without_it() {
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let mut opts = embedded(&mock, dir.path());
    opts.env = vec![("PORTAL_JWT_HS256_SECRET", format!("  {SECRET}\n"))];
    let gw = gateway(opts);
    gw.open(&token(), None, &body(11000, 1)).await.protocolo();
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sighup_is_logged_and_the_gateway_keeps_serving() {
    let (_mock, _dir, gw) = mock_and_gateway(vec![]).await;
    // Once it answers, its signal handlers are set.
    reqwest::get(format!("{}/healthz", gw.url)).await.unwrap();
    let pid = gw.pid().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-HUP", &pid])
        .status()
        .unwrap()
        .success());
    let r = reqwest::get(format!("{}/healthz", gw.url)).await.unwrap();
    assert_eq!(r.status(), 200);
    gw.open(&token(), None, &body(11000, 1)).await.protocolo();
    let log = tokio::task::spawn_blocking(move || gw.stop())
        .await
        .unwrap();
    assert!(log.contains("SIGHUP: no reload"), "{log}");
}

#[test]
fn text_logs_have_no_colour_codes_off_a_terminal() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_abrir-chamado-gateway"))
        .env_clear()
        .env("PORTAL_JWT_HS256_SECRET", SECRET)
        .args(["--log-format", "text", "--listen", "127.0.0.1:0"])
        .args(["--hubsoft-url", "http://127.0.0.1:9"])
        .args(["--hubsoft-client-id", "3", "--hubsoft-client-secret", "s"])
        .args(["--hubsoft-username", "u", "--hubsoft-password", "p"])
        // Nothing listens there: the start fails after a few log lines.
        .args([
            "--redis-url",
            &format!("redis://127.0.0.1:{}/", free_port()),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("start-up failed"), "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
}

#[test]
fn mint_token_warns_when_the_lifetime_is_over_the_gateway_maximum() {
    let mint = |ttl: &str, max: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_abrir-chamado-gateway"));
        cmd.env_clear().env("PORTAL_JWT_HS256_SECRET", SECRET);
        if let Some(m) = max {
            cmd.env("PORTAL_JWT_MAX_LIFETIME_SECS", m);
        }
        let out = cmd
            .args(["mint-token", "--sub", "1204", "--servicos", "11000"])
            .args(["--ttl-secs", ttl])
            .output()
            .unwrap();
        assert!(out.status.success());
        let token = String::from_utf8(out.stdout).unwrap();
        assert!(token.starts_with("eyJ"), "{token}");
        String::from_utf8(out.stderr).unwrap()
    };
    let err = mint("7200", None);
    assert!(
        err.contains("warning") && err.contains("7200") && err.contains("3600"),
        "{err}"
    );
    assert_eq!(mint("3600", None), "");
    // A gateway configured for longer tokens: no warning.
    assert_eq!(mint("7200", Some("7200")), "");
    assert!(mint("7201", Some("7200")).contains("warning"));
}

#[test]
fn mint_token_refuses_a_config_file_the_gateway_would_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let unknown = dir.path().join("unknown.toml");
    std::fs::write(
        &unknown,
        "portal_jwt_max_lifetime_secs = 300\nno_such_setting = 1\n",
    )
    .unwrap();
    let missing = dir.path().join("missing.toml");
    for file in [&unknown, &missing] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_abrir-chamado-gateway"))
            .env_clear()
            .env("PORTAL_JWT_HS256_SECRET", SECRET)
            .arg("--config")
            .arg(file)
            .args([
                "mint-token",
                "--sub",
                "1204",
                "--servicos",
                "11000",
                "--ttl-secs",
                "600",
            ])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{}", file.display());
        assert!(out.stdout.is_empty(), "no token printed");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("config file"), "{err}");
    }
}

#[test]
fn help_lists_every_setting() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_abrir-chamado-gateway"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for var in [
        "GATEWAY_CONFIG",
        "GATEWAY_LISTEN",
        "HUBSOFT_URL",
        "HUBSOFT_CLIENT_ID",
        "HUBSOFT_CLIENT_SECRET",
        "HUBSOFT_USERNAME",
        "HUBSOFT_PASSWORD",
        "HUBSOFT_TIMEOUT_MS",
        "HUBSOFT_TOKEN_MARGIN_SECS",
        "HUBSOFT_UTC_OFFSET_MINUTES",
        "PORTAL_JWT_HS256_SECRET",
        "PORTAL_JWT_ED25519_PUBLIC_KEY",
        "PORTAL_JWT_HS256_PREVIOUS_SECRET",
        "PORTAL_JWT_ED25519_PREVIOUS_PUBLIC_KEY",
        "PORTAL_JWT_ALGORITHMS",
        "PORTAL_JWT_MAX_LIFETIME_SECS",
        "PORTAL_JWT_LEEWAY_SECS",
        "GATEWAY_CORS_ORIGINS",
        "GATEWAY_MAX_BODY_BYTES",
        "GATEWAY_REQUEST_TIMEOUT_MS",
        "GATEWAY_RATE_LIMIT_PER_HOUR",
        "GATEWAY_MAX_CONNECTIONS",
        "GATEWAY_AUTH_FAILURES_PER_MINUTE",
        "GATEWAY_IDEMPOTENCY_TTL_SECS",
        "GATEWAY_IN_FLIGHT_WAIT_MS",
        "GATEWAY_DATA_DIR",
        "REDIS_URL",
        "GATEWAY_LOG_FORMAT",
        "GATEWAY_DEMO",
        "mint-token",
    ] {
        assert!(help.contains(var), "--help does not mention {var}:\n{help}");
    }
}

#[test]
fn the_example_config_file_is_valid() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/gateway.example.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let parsed: Result<abrir_chamado_gateway::config::SettingsArgs, _> = toml::from_str(&text);
    assert!(parsed.is_ok(), "{parsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_trickles_its_headers_is_cut_off_and_holds_no_shutdown() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (mock, _dir, gw) = mock_and_gateway(vec![("--client-timeout-ms", "1000".into())]).await;
    let addr = gw.url.trim_start_matches("http://").to_owned();
    // Half a request, then nothing (slowloris): the gateway closes the connection once the
    // header time is up.
    let started = std::time::Instant::now();
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"POST /api/v1/integracao/atendimento HTTP/1.1\r\nHost: gw\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), slow.read_to_end(&mut answer))
        .await
        .expect("the gateway cut the slow client off")
        .ok();
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    // Nothing of the half request reached Hubsoft, and the gateway serves the next client.
    assert!(mock.requests(ATENDIMENTO).await.is_empty());
    let reply = reqwest::get(format!("{}/healthz", gw.url)).await.unwrap();
    assert_eq!(reply.status(), 200);
    // A request head larger than the read buffer gets 431, and the gateway goes on.
    let big = reqwest::Client::new()
        .get(format!("{}/healthz", gw.url))
        .header("x-big", "a".repeat(40 * 1024))
        .send()
        .await
        .unwrap();
    assert_eq!(big.status(), 431);
    let reply = reqwest::get(format!("{}/healthz", gw.url)).await.unwrap();
    assert_eq!(reply.status(), 200);
    gw.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigterm_lets_a_ticket_in_flight_answer_and_holds_for_no_slow_client() {
    use tokio::io::AsyncWriteExt;
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    // The default header time limit (30 s): the shutdown must not wait for it.
    let gw = embedded_gateway(&mock, dir.path(), Vec::new());
    let addr = gw.url.trim_start_matches("http://").to_owned();
    // A client trickling its headers, and an idle keep-alive connection.
    let mut slow = tokio::net::TcpStream::connect(&addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\n").await.unwrap();
    let keep_alive = reqwest::Client::new();
    assert_eq!(
        keep_alive
            .get(format!("{}/healthz", gw.url))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // A ticket that Hubsoft answers after 1.5 s, in flight when the SIGTERM comes.
    mock.queue(json!({"fault": "late", "delay_ms": 1500})).await;
    let ticket = gw
        .open_while_hubsoft_works(&mock, 1, Some("term-1"), body(11000, 1))
        .await;
    let stopping = std::time::Instant::now();
    let log = tokio::task::spawn_blocking(move || gw.stop())
        .await
        .unwrap();
    let elapsed = stopping.elapsed();
    // The ticket got its answer; the slow client did not hold the exit (30 s limit).
    let p = ticket.await.unwrap().protocolo();
    assert_one_ticket(&mock, &p).await;
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}\n{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_reads_no_answer_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (_mock, _dir, gw) = mock_and_gateway(vec![("--client-timeout-ms", "1000".into())]).await;
    let addr: std::net::SocketAddr = gw.url.trim_start_matches("http://").parse().unwrap();
    // A small receive window, and far more pipelined requests than the answers that fit in
    // the buffers on both sides: the gateway's writes block while the client reads nothing.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let stream = socket.connect(addr).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    const REQUESTS: usize = 80_000;
    let sender = tokio::spawn(async move {
        let request = b"GET /healthz HTTP/1.1\r\nHost: gw\r\n\r\n".repeat(1000);
        for _ in 0..REQUESTS / 1000 {
            if writer.write_all(&request).await.is_err() {
                break;
            }
        }
    });
    // Time for the gateway to fill its send buffer (4 MB at most here: about 13,000 answers) and
    // then wait more than the limit on the blocked write.
    tokio::time::sleep(Duration::from_secs(8)).await;
    // Past the limit the gateway has closed the connection: what the client reads now ends
    // well before the last answer.
    let mut answers = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), reader.read_to_end(&mut answers))
        .await
        .expect("the connection was closed")
        .ok();
    let count = answers
        .windows(15)
        .filter(|w| w == b"HTTP/1.1 200 OK")
        .count();
    assert!(count < REQUESTS / 2, "{count} answers");
    sender.abort();
    // The gateway serves the next client.
    let reply = reqwest::get(format!("{}/healthz", gw.url)).await.unwrap();
    assert_eq!(reply.status(), 200);
    gw.stop();
}

/// `n` connections to `gw` that each send half a request head and then nothing, as a slow or
/// hostile client does: each is held until the header time limit.
async fn half_open(gw: &Gateway, n: usize) -> Vec<tokio::net::TcpStream> {
    use tokio::io::AsyncWriteExt;
    let addr = gw.url.trim_start_matches("http://").to_owned();
    let mut held = Vec::with_capacity(n);
    for _ in 0..n {
        let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
        stream
            .write_all(b"POST /api/v1/integracao/atendimento HTTP/1.1\r\nHost: gw\r\n")
            .await
            .unwrap();
        held.push(stream);
    }
    held
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_open_file_soft_limit_is_raised_to_the_hard_limit() {
    // This test holds a few hundred connections itself.
    rlimit::increase_nofile_limit(u64::MAX).unwrap();
    let (_, hard) = rlimit::Resource::NOFILE.get().unwrap();
    let mock = mock().await;
    let dir = tempfile::tempdir().unwrap();
    let mut opts = embedded(&mock, dir.path());
    // A soft limit of 256 files, under a hard limit of thousands (systemd and Docker start
    // services with 1024): with it as is, 300 held connections exhaust it, accept() fails with
    // EMFILE and /healthz is never answered.
    opts.soft_file_limit = Some(256);
    let gw = gateway(opts);
    let held = half_open(&gw, 300).await;
    let reply = tokio::time::timeout(
        Duration::from_secs(10),
        reqwest::get(format!("{}/healthz", gw.url)),
    )
    .await
    .expect("/healthz answered while 300 connections are held")
    .unwrap();
    assert_eq!(reply.status(), 200);
    drop(held);
    let log = gw.stop();
    let line = log
        .lines()
        .find(|l| l.contains("open-file limit"))
        .unwrap_or_else(|| panic!("the open-file limit is not logged: {log}"));
    assert!(line.contains(&format!(r#""open_files":{hard}"#)), "{line}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beyond_max_connections_new_connections_wait_in_the_backlog() {
    let (_mock, _dir, gw) = mock_and_gateway(vec![("--max-connections", "2".into())]).await;
    let mut held = half_open(&gw, 2).await;
    // Both slots are held: a third connection is not served (nor refused) while they last.
    let client = reqwest::Client::new();
    let url = format!("{}/healthz", gw.url);
    let mut waiting = tokio::spawn(async move { client.get(url).send().await });
    assert!(
        tokio::time::timeout(Duration::from_millis(500), &mut waiting)
            .await
            .is_err(),
        "a connection beyond max_connections was served"
    );
    // One held connection closes: the waiting one is accepted and answered.
    drop(held.pop());
    let reply = tokio::time::timeout(Duration::from_secs(10), waiting)
        .await
        .expect("the waiting connection was served once a slot was free")
        .unwrap()
        .unwrap();
    assert_eq!(reply.status(), 200);
    drop(held);
    gw.stop();
}

#[test]
fn max_connections_0_stops_the_start() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_abrir-chamado-gateway"))
        .env_clear()
        .env(
            "PORTAL_JWT_HS256_SECRET",
            "0123456789abcdef0123456789abcdef",
        )
        .env("GATEWAY_MAX_CONNECTIONS", "0")
        .args([
            "--hubsoft-url",
            "http://127.0.0.1:1",
            "--hubsoft-client-id",
            "1",
            "--hubsoft-client-secret",
            "s",
            "--hubsoft-username",
            "u",
            "--hubsoft-password",
            "p",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("max_connections must be at least 1"), "{err}");
}
