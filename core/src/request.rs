//! The request that opens a ticket: `POST {endpoint}/api/v1/integracao/atendimento` (`docs/hubsoft-api.md` §2).

use super::endpoint::{Endpoint, Token};
use super::json::encode_string;

/// The path of Hubsoft's "Atendimento > Novo" route, appended to the endpoint (`docs/hubsoft-api.md` §2).
pub const ATENDIMENTO_PATH: &str = "/api/v1/integracao/atendimento";

/// The JSON body of a new ticket (`docs/hubsoft-api.md` §2). Built by [`crate::ticket::build`],
/// so every value here is already checked and trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NovoAtendimento {
    /// The customer's service id, sent as a JSON integer (Hubsoft's example shows
    /// a string, its rule says "um número inteiro": `docs/hubsoft-api.md` §2).
    pub id_cliente_servico: u64,
    /// The problem, trimmed. Hubsoft appends ` | ATENDIMENTO ABERTO VIA API`.
    pub descricao: String,
    /// The person asking, trimmed.
    pub nome: String,
    /// DDD + number, digits only, 10 or 11 digits (`docs/hubsoft-api.md` §5).
    pub telefone: String,
    /// Optional e-mail, trimmed; the key is omitted when `None` (`docs/hubsoft-api.md` §2: "omit the key when
    /// blank").
    pub email: Option<String>,
    /// Optional ticket type (`docs/hubsoft-api.md` §2 `id_tipo_atendimento`, a JSON integer); omitted when
    /// `None` so Hubsoft uses the ISP's default ("SAC").
    pub id_tipo_atendimento: Option<u64>,
    /// Optional `abrir_os` (`docs/hubsoft-api.md` §2: a JSON boolean, never the string "false"), from the host.
    pub abrir_os: Option<bool>,
    /// Optional `parametros` (2025 docs: a free JSON object), from the host, as JSON text of an
    /// object, passed through untouched.
    pub parametros: Option<String>,
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
/// application/json`, `Content-Type: application/json`, `Authorization: Bearer {token}`
/// (`docs/hubsoft-api.md` §1), body serialised by [`NovoAtendimento::to_json`].
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
        body: atendimento.to_json(),
    }
}

impl NovoAtendimento {
    /// The JSON body, written by hand (no JSON library in the bundle), compact and in this key
    /// order: `{"id_cliente_servico":<integer>,"descricao":"…","nome":"…","telefone":"…"`, then
    /// each optional key that is set: `"email":"…"`, `"id_tipo_atendimento":<integer>`,
    /// `"abrir_os":<boolean>`, `"parametros":<the host's object>`. Strings are escaped by
    /// [`encode_string`] (RFC 8259 §7); the text is byte for byte what `serde_json` writes for the
    /// same values (a test checks it).
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(96 + self.descricao.len() + self.nome.len());
        out.push_str("{\"id_cliente_servico\":");
        out.push_str(&self.id_cliente_servico.to_string());
        for (key, value) in [
            ("descricao", Some(&self.descricao)),
            ("nome", Some(&self.nome)),
            ("telefone", Some(&self.telefone)),
            ("email", self.email.as_ref()),
        ] {
            if let Some(value) = value {
                out.push_str(",\"");
                out.push_str(key);
                out.push_str("\":");
                encode_string(value, &mut out);
            }
        }
        if let Some(id) = self.id_tipo_atendimento {
            out.push_str(",\"id_tipo_atendimento\":");
            out.push_str(&id.to_string());
        }
        if let Some(abrir_os) = self.abrir_os {
            out.push_str(if abrir_os {
                ",\"abrir_os\":true"
            } else {
                ",\"abrir_os\":false"
            });
        }
        if let Some(parametros) = &self.parametros {
            out.push_str(",\"parametros\":");
            out.push_str(parametros);
        }
        out.push('}');
        out
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
            id_tipo_atendimento: None,
            abrir_os: None,
            parametros: None,
        }
    }

    #[test]
    fn optional_type_abrir_os_and_parametros() {
        let mut body = sample(None);
        body.id_tipo_atendimento = Some(109);
        body.abrir_os = Some(false);
        body.parametros = Some(r#"{"origem":"portal","x":[1,2.5,null]}"#.into());
        let v: Value = serde_json::from_str(&body.to_json()).unwrap();
        assert_eq!(v["id_tipo_atendimento"], 109);
        assert_eq!(v["abrir_os"], false);
        assert!(v["abrir_os"].is_boolean());
        assert_eq!(
            v["parametros"],
            json!({"origem": "portal", "x": [1, 2.5, null]})
        );
        assert!(!sample(None).to_json().contains("abrir_os"));
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
    fn exact_body_text_with_every_kind_of_character() {
        let mut descricao: String = (0u8..0x20).map(char::from).collect();
        descricao.push_str("\"aspas\" \\barra\\ / \u{7f} é 😢 \u{2028}\u{2029} \u{feff} <b>&amp;");
        let body = NovoAtendimento {
            id_cliente_servico: crate::form::ID_MAX,
            descricao: descricao.clone(),
            nome: "José \"Zé\" d'Ávila".into(),
            telefone: "37999112233".into(),
            email: Some("m\\@x.com.br".into()),
            id_tipo_atendimento: None,
            abrir_os: None,
            parametros: None,
        };
        let text = body.to_json();
        assert!(!text.chars().any(|c| (c as u32) < 0x20), "{text}");
        assert!(
            text.starts_with(r#"{"id_cliente_servico":9007199254740991,"descricao":"\u0000\u0001"#)
        );
        assert!(text.ends_with(r#","telefone":"37999112233","email":"m\\@x.com.br"}"#));
        let parsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            parsed,
            json!({
                "id_cliente_servico": crate::form::ID_MAX,
                "descricao": descricao,
                "nome": "José \"Zé\" d'Ávila",
                "telefone": "37999112233",
                "email": "m\\@x.com.br"
            })
        );
        assert_eq!(
            NovoAtendimento {
                email: None,
                ..body
            }
            .to_json(),
            text.replace(r#","email":"m\\@x.com.br""#, "")
        );
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
