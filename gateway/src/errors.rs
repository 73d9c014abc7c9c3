//! The gateway's own error answers, all in the contract's JSON error shape
//! `{"status":"error","msg":"…","errors":["…"]}` (`docs/hubsoft-api.md` §2 "Failures"), with a Portuguese
//! `msg` and a status that says what happened (401, 403, 409, 413, 422, 429, 502, 504, …).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// One error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// `msg`, Portuguese, for the customer.
    pub msg: String,
    /// `errors`, Portuguese sentences (field sentences start with `O campo …`).
    pub errors: Vec<String>,
    /// `Retry-After`, in seconds (429, 503).
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with `status` and `msg` and no sentences.
    pub fn new(status: StatusCode, msg: &str) -> ApiError {
        ApiError {
            status,
            msg: msg.to_owned(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    /// 401: the portal token is missing or not valid.
    pub fn unauthorized() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "Sua sessão expirou ou não é válida. Entre de novo no portal e tente outra vez.",
        )
    }

    /// 403: the service is not the customer's.
    pub fn forbidden() -> ApiError {
        ApiError {
            // Names the field as Hubsoft's sentences do ("O campo …"), so the widget shows it
            // under Serviço; in the customer's words rather than the API's key.
            errors: vec!["O campo serviço deve ser um dos serviços da sua conta.".into()],
            ..ApiError::new(
                StatusCode::FORBIDDEN,
                "Este serviço não pertence à sua conta.",
            )
        }
    }

    /// 429 with `Retry-After`.
    pub fn too_many(retry_after: u64, msg: &str) -> ApiError {
        ApiError {
            retry_after: Some(retry_after),
            ..ApiError::new(StatusCode::TOO_MANY_REQUESTS, msg)
        }
    }

    /// The JSON body text.
    pub fn body(&self) -> String {
        serde_json::json!({ "status": "error", "msg": self.msg, "errors": self.errors }).to_string()
    }
}

/// A response with JSON `body` text and `Content-Type: application/json`; a `status` that is not
/// a valid HTTP status code becomes 200.
pub fn json_response(status: u16, body: String) -> Response {
    let mut res = (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = json_response(self.status.as_u16(), self.body());
        if let Some(s) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&s.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        res
    }
}

/// `msg` of 413.
pub const MSG_TOO_LARGE: &str = "O pedido é grande demais. Encurte a descrição e tente de novo.";
/// `msg` when Hubsoft cannot be reached or answers with a failure page.
pub const MSG_UNAVAILABLE: &str =
    "O sistema de atendimento está indisponível agora. Tente de novo em alguns minutos.";
/// `msg` when the gateway could not confirm whether the ticket was opened, for a request with an
/// `Idempotency-Key` (a repeat with the same key reconciles, and never opens a second ticket).
pub const MSG_UNCONFIRMED: &str = "Não foi possível confirmar se o chamado foi aberto. Tente de novo em alguns minutos: o mesmo pedido não abre um chamado repetido.";
/// `msg` when the gateway could not confirm whether the ticket was opened, for a request without
/// an `Idempotency-Key`: sending it again may open a second ticket.
pub const MSG_UNCONFIRMED_WITHOUT_KEY: &str = "Não foi possível confirmar se o chamado foi aberto: ele pode já ter sido aberto. Confira seus chamados antes de enviar de novo, para não abrir um chamado repetido.";
/// `msg` of a 422 when Hubsoft refused the ticket without a sentence that can be shown (none, or
/// only sentences with server internals) and without naming a field.
pub const MSG_REFUSED: &str = "O sistema de atendimento não aceitou o chamado e não disse o motivo. Confira os dados e tente de novo; se continuar, fale com o provedor por outro canal.";
/// `msg` of a timeout of the whole request.
pub const MSG_TIMEOUT: &str =
    "O sistema de atendimento demorou demais para responder, e o chamado pode já ter sido aberto. Confira seus chamados antes de enviar de novo.";
/// `msg` of a 408: the request's body did not arrive whole within `client_timeout`, so nothing
/// was sent to Hubsoft.
pub const MSG_INCOMPLETE: &str = "O pedido não chegou inteiro ao servidor, e nada foi enviado ao sistema de atendimento. Verifique sua conexão e tente de novo.";
