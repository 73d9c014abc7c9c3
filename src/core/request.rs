//! The request that opens a ticket: `POST {endpoint}/api/v1/integracao/atendimento` (contract §2).

use serde::Serialize;

use super::options::{Endpoint, Token};

/// The path of Hubsoft's "Atendimento > Novo" route, appended to the endpoint (contract §2).
pub const ATENDIMENTO_PATH: &str = "/api/v1/integracao/atendimento";

/// The JSON body of a new ticket (contract §2). Built only by [`super::form::validate`], so every
/// value here is already checked and trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NovoAtendimento {
    /// The customer's service id, sent as a JSON integer (the docs show a string; the contract says
    /// send an integer).
    pub id_cliente_servico: u64,
    /// The problem, trimmed. Hubsoft appends ` | ATENDIMENTO ABERTO VIA API`.
    pub descricao: String,
    /// The person asking, trimmed.
    pub nome: String,
    /// DDD + number, digits only, 10 or 11 digits (contract §5).
    pub telefone: String,
    /// Optional e-mail, trimmed; the key is omitted when `None` (contract §2: "omit the key when
    /// blank").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// A fully prepared HTTP request, independent of any HTTP library: the HTTP module sends exactly
/// this.
#[derive(Clone, PartialEq, Eq)]
pub struct PreparedRequest {
    /// Absolute URL, `{endpoint}/api/v1/integracao/atendimento`.
    pub url: String,
    /// Header names and values, in order: `Accept`, `Content-Type`, `Authorization`.
    pub headers: Vec<(&'static str, String)>,
    /// The serialised JSON body.
    pub body: String,
}

impl std::fmt::Debug for PreparedRequest {
    /// Never prints the bearer token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("url", &self.url)
            .field("headers", &"[redacted]")
            .field("body", &self.body)
            .finish()
    }
}

/// Builds the request for `atendimento`: method POST (implied), headers `Accept:
/// application/json`, `Content-Type: application/json`, `Authorization: Bearer {token}` (contract
/// §1), body serialised with serde_json.
pub fn build_request(
    endpoint: &Endpoint,
    token: &Token,
    atendimento: &NovoAtendimento,
) -> PreparedRequest {
    PreparedRequest {
        url: format!("{}{}", endpoint.as_str(), ATENDIMENTO_PATH),
        headers: vec![
            ("Accept", "application/json".to_owned()),
            ("Content-Type", "application/json".to_owned()),
            ("Authorization", format!("Bearer {}", token.expose())),
        ],
        // Serialising a struct of integers and strings cannot fail.
        body: serde_json::to_string(atendimento).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn sample(email: Option<&str>) -> NovoAtendimento {
        NovoAtendimento {
            id_cliente_servico: 11000,
            descricao: "Sem sinal \"desde\" ontem\né 😢 <b>".into(),
            nome: "Maria".into(),
            telefone: "37999112233".into(),
            email: email.map(str::to_owned),
        }
    }

    #[test]
    fn url_headers_and_body() {
        let endpoint = Endpoint::parse("https://api.provedor.hubsoft.com.br/").unwrap();
        let token = Token::new("abc.def").unwrap();
        let req = build_request(&endpoint, &token, &sample(None));
        assert_eq!(
            req.url,
            "https://api.provedor.hubsoft.com.br/api/v1/integracao/atendimento"
        );
        assert_eq!(
            req.headers,
            vec![
                ("Accept", "application/json".to_owned()),
                ("Content-Type", "application/json".to_owned()),
                ("Authorization", "Bearer abc.def".to_owned()),
            ]
        );
        let body: Value = serde_json::from_str(&req.body).unwrap();
        assert_eq!(
            body,
            json!({
                "id_cliente_servico": 11000,
                "descricao": "Sem sinal \"desde\" ontem\né 😢 <b>",
                "nome": "Maria",
                "telefone": "37999112233"
            })
        );
        assert!(body["id_cliente_servico"].is_u64());
        assert!(body.get("email").is_none());
    }

    #[test]
    fn email_present_when_given_and_gateway_path_kept() {
        let endpoint = Endpoint::parse("https://gw.isp.com.br/hubsoft").unwrap();
        let token = Token::new("t").unwrap();
        let req = build_request(&endpoint, &token, &sample(Some("m@x.com.br")));
        assert_eq!(
            req.url,
            "https://gw.isp.com.br/hubsoft/api/v1/integracao/atendimento"
        );
        let body: Value = serde_json::from_str(&req.body).unwrap();
        assert_eq!(body["email"], "m@x.com.br");
    }

    #[test]
    fn debug_never_shows_the_token() {
        let endpoint = Endpoint::parse("https://a.com.br").unwrap();
        let token = Token::new("segredo-123").unwrap();
        let req = build_request(&endpoint, &token, &sample(None));
        assert!(!format!("{req:?}").contains("segredo-123"));
        assert!(!format!("{token:?}").contains("segredo-123"));
    }
}
