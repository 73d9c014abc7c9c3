//! Portal tokens: short-lived JWTs (RFC 7519) that the ISP's portal backend signs for the
//! logged-in customer, verified with `jsonwebtoken`.
//!
//! Only the algorithms configured are accepted (HS256 with a shared secret, EdDSA with an Ed25519
//! public key). The header's `alg` picks the key, and the key's family must match it, so `alg:
//! none`, unknown algorithms and algorithm confusion (an HS256 token "signed" with the Ed25519
//! public key) are refused. Required claims: `sub`, `servicos`, `aud` = [`AUDIENCE`], `exp`,
//! `iat`; `nbf` is honoured when present; `exp` must be after `iat` and `exp − iat` may not
//! exceed the configured lifetime. A header with `crit` is refused (RFC 7515 §4.1.11: no
//! extension is understood here).
//! A mistyped claim is logged by name and the type expected, never with its value.

use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::config::{Settings, AUDIENCE};

/// The claims of a portal token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The customer code (Hubsoft's `codigo_cliente`, or the portal's own id); a JSON number is
    /// read as its digits.
    #[serde(deserialize_with = "string_or_number")]
    pub sub: String,
    /// The `id_cliente_servico` values this customer may open tickets on: JSON integers, or
    /// strings of digits (what PHP's PDO gives a portal that reads them from its database).
    #[serde(deserialize_with = "service_ids")]
    pub servicos: Vec<u64>,
    /// Must be [`AUDIENCE`]; RFC 7519 §4.1.3 allows an array of audiences, which must then
    /// hold it (read as [`AUDIENCE`]).
    #[serde(deserialize_with = "audience")]
    pub aud: String,
    /// Expiry, seconds since the Unix epoch.
    pub exp: u64,
    /// Issued at, seconds since the Unix epoch.
    pub iat: u64,
    /// Not before, seconds since the Unix epoch (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    /// Optional customer name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nome: Option<String>,
    /// Optional customer phone; a JSON integer (a portal that stores phones as numbers) is read
    /// as its digits.
    #[serde(
        default,
        deserialize_with = "optional_string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub telefone: Option<String>,
    /// Optional customer e-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// Why a token was refused (only for logs and metrics; the client always gets a 401, or a 429
/// past the per-IP limit of [`AuthError::Invalid`] tokens).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// No `Authorization: Bearer …` header.
    Missing,
    /// A token whose structure or signature is not valid: not a JWT, an algorithm not accepted,
    /// a bad signature (forged, or signed with another key). Only these count toward the
    /// per-IP limit. The text is `jsonwebtoken`'s error kind.
    Invalid(String),
    /// A token with a valid signature (so issued by the portal) whose claims are refused:
    /// expired, not yet valid, wrong audience, missing or mistyped claims, lifetime too long.
    /// The text says which check failed and, for a mistyped claim, its name and the type
    /// expected, never its value.
    Refused(String),
}

impl AuthError {
    /// The text for the log: `missing`, or the reason.
    pub fn reason(&self) -> &str {
        match self {
            AuthError::Missing => "missing",
            AuthError::Invalid(r) | AuthError::Refused(r) => r,
        }
    }
}

/// Verifies portal tokens with the configured keys.
pub struct Verifier {
    /// The HS256 keys: the current one, then the previous one during a rotation.
    hs256: Vec<DecodingKey>,
    /// The EdDSA keys, in the same order.
    eddsa: Vec<DecodingKey>,
    max_lifetime: u64,
    leeway: u64,
}

/// Seconds since the Unix epoch.
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Verifier {
    /// Builds the verifier from the settings. Errors when the Ed25519 PEM is not a public key.
    pub fn new(settings: &Settings) -> Result<Verifier, String> {
        let mut eddsa = Vec::new();
        for (pem, name) in [
            (
                &settings.portal_ed25519_public_pem,
                "portal_jwt_ed25519_public_key",
            ),
            (
                &settings.portal_ed25519_previous_public_pem,
                "portal_jwt_ed25519_previous_public_key",
            ),
        ] {
            if let Some(pem) = pem {
                eddsa.push(DecodingKey::from_ed_pem(pem).map_err(|e| format!("{name}: {e}"))?);
            }
        }
        Ok(Verifier {
            hs256: [
                &settings.portal_hs256_secret,
                &settings.portal_hs256_previous_secret,
            ]
            .into_iter()
            .flatten()
            .map(|s| DecodingKey::from_secret(s))
            .collect(),
            eddsa,
            max_lifetime: settings.portal_max_lifetime.as_secs(),
            leeway: settings.portal_leeway_secs,
        })
    }

    /// Verifies `token` and returns its claims: [`AuthError::Invalid`] when its structure or
    /// signature fails, [`AuthError::Refused`] when the signature is valid but a claim is not.
    pub fn verify(&self, token: &str) -> Result<Claims, AuthError> {
        let invalid = |e: &str| AuthError::Invalid(e.to_owned());
        let refused = |e: &str| AuthError::Refused(e.to_owned());
        let header = jsonwebtoken::decode_header(token).map_err(|e| invalid(&kind(&e)))?;
        let keys: &[DecodingKey] = match header.alg {
            Algorithm::HS256 => &self.hs256,
            Algorithm::EdDSA => &self.eddsa,
            _ => &[],
        };
        // The key the token is signed with (during a rotation, the current or the previous
        // one); with none, the current one, to report the failure. A failure of a token whose
        // signature holds (issued by the portal) is `Refused`, of any other `Invalid`.
        let signed_with = keys.iter().find(|k| signature_holds(token, k, header.alg));
        let key = signed_with
            .or(keys.first())
            .ok_or_else(|| invalid("algorithm not accepted"))?;
        let failed = |why: &str| match signed_with {
            Some(_) => refused(why),
            None => invalid(why),
        };
        // RFC 7515 §4.1.11: a JWS whose `crit` header lists extensions the recipient does not
        // understand is invalid; this gateway understands none.
        if header_has_crit(token) {
            return Err(failed(
                "crit header parameter not understood (RFC 7515 §4.1.11)",
            ));
        }
        let mut validation = Validation::new(header.alg);
        validation.set_audience(&[AUDIENCE]);
        // `sub` is required by [`Claims`] itself, which also reads a numeric one
        // (jsonwebtoken's own check only accepts a string).
        validation.set_required_spec_claims(&["exp", "iat", "aud"]);
        validation.validate_nbf = true;
        validation.leeway = self.leeway;
        // The claims are read into `Claims` here rather than by jsonwebtoken, so that a mistyped
        // claim is reported by name without serde's message (which quotes the value).
        let data = jsonwebtoken::decode::<serde_json::Value>(token, key, &validation)
            .map_err(|e| failed(&kind(&e)))?;
        let claims: Claims = serde_path_to_error::deserialize(data.claims)
            .map_err(|e| refused(&mistyped_claim(&e)))?;
        let now = now_secs();
        if claims.iat > now + self.leeway {
            return Err(refused("iat in the future"));
        }
        if claims.exp <= claims.iat {
            return Err(refused("exp not after iat"));
        }
        if claims.exp.saturating_sub(claims.iat) > self.max_lifetime {
            return Err(refused("lifetime too long"));
        }
        if claims.sub.trim().is_empty() || claims.servicos.is_empty() {
            return Err(refused("empty sub or servicos"));
        }
        Ok(claims)
    }
}

/// Whether `token`'s JOSE header (its first part, base64url JSON) has a `crit` member. A header
/// that cannot be read counts as without: `jsonwebtoken::decode_header` has already read it.
fn header_has_crit(token: &str) -> bool {
    use base64::Engine as _;
    let first = token.split('.').next().unwrap_or("");
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(first)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
        .is_some_and(|header| header.get("crit").is_some())
}

/// Whether `token`'s signature (its last part, over the first two) is valid for `key` and `alg`:
/// the token then comes from the portal, whatever its claims say.
fn signature_holds(token: &str, key: &DecodingKey, alg: Algorithm) -> bool {
    token.rsplit_once('.').is_some_and(|(message, signature)| {
        jsonwebtoken::crypto::verify(signature, message.as_bytes(), key, alg).unwrap_or(false)
    })
}

/// Which claim was not as documented and what was expected, without its value: serde's own
/// message quotes the value (`invalid type: integer `37988776655`, expected a string`), so only
/// the part after its last `, expected ` (the type, from the code) is kept.
fn mistyped_claim(e: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let message = e.inner().to_string();
    let expected = if let Some(field) = message.strip_prefix("missing field ") {
        format!("missing {field}")
    } else {
        match message.rsplit_once(", expected ") {
            Some((_, what)) => format!("expected {what}"),
            None => "not as documented".to_owned(),
        }
    };
    // The path's first segment is the claim's name (`servicos[2]` → `servicos`); names come
    // from the token, so only a short name made of identifier characters is repeated.
    let path = e.path().to_string();
    let claim = path.split(['.', '[']).next().unwrap_or("");
    if claim.is_empty()
        || claim == "?"
        || claim.len() > 32
        || !claim
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        format!("claims not as documented: {expected}")
    } else {
        format!("claims not as documented: claim {claim}: {expected}")
    }
}

/// `sub` as a string, or a JSON integer as its digits.
fn string_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    use serde::de::Error;
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Ok(s),
        serde_json::Value::Number(n) if n.is_u64() || n.is_i64() => Ok(n.to_string()),
        _ => Err(D::Error::custom(
            "invalid type, expected a string or an integer",
        )),
    }
}

/// An optional claim as a string, or a JSON integer (not negative) as its digits; `null` is
/// absent.
fn optional_string_or_number<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<String>, D::Error> {
    use serde::de::Error;
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(s) => Ok(Some(s)),
        serde_json::Value::Number(n) if n.is_u64() => Ok(Some(n.to_string())),
        _ => Err(D::Error::custom(
            "invalid type, expected a string or a non-negative integer",
        )),
    }
}

/// `servicos` as an array of integers or of strings of digits.
fn service_ids<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<u64>, D::Error> {
    use serde::de::Error;
    let items = Vec::<serde_json::Value>::deserialize(d)?;
    items
        .iter()
        .map(|v| match v {
            serde_json::Value::Number(n) => n.as_u64(),
            serde_json::Value::String(s) => {
                let s = s.trim();
                (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| s.parse().ok())
                    .flatten()
            }
            _ => None,
        })
        .collect::<Option<Vec<u64>>>()
        .ok_or_else(|| D::Error::custom("invalid value, expected integers (or strings of digits)"))
}

/// `aud` as a string, or an array of strings holding [`AUDIENCE`] (RFC 7519 §4.1.3).
fn audience<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    use serde::de::Error;
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Ok(s),
        serde_json::Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str())
            .find(|a| *a == AUDIENCE)
            .map(str::to_owned)
            .ok_or_else(|| D::Error::custom("invalid value, expected the gateway's audience")),
        _ => Err(D::Error::custom(
            "invalid type, expected a string or an array of strings",
        )),
    }
}

/// The kind of a `jsonwebtoken` error, without any token text or claim value (serde's message
/// of a `Json` error quotes the value, so it is left out).
fn kind(e: &jsonwebtoken::errors::Error) -> String {
    if let jsonwebtoken::errors::ErrorKind::Json(_) = e.kind() {
        return "token header or claims not the JSON documented".to_owned();
    }
    format!("{:?}", e.kind())
        .split('(')
        .next()
        .unwrap_or("")
        .to_owned()
}

/// The key a token is signed with by [`mint`].
pub enum SigningKey {
    /// HS256 with this shared secret.
    Hs256(Vec<u8>),
    /// EdDSA with this Ed25519 private key (PKCS#8 PEM).
    Ed25519Pem(Vec<u8>),
}

/// Signs `claims` (for `mint-token`, the demo route and tests).
pub fn mint(claims: &Claims, key: &SigningKey) -> Result<String, String> {
    let (alg, key) = match key {
        SigningKey::Hs256(s) => (Algorithm::HS256, EncodingKey::from_secret(s)),
        SigningKey::Ed25519Pem(pem) => (
            Algorithm::EdDSA,
            EncodingKey::from_ed_pem(pem).map_err(|e| format!("Ed25519 private key: {e}"))?,
        ),
    };
    jsonwebtoken::encode(&Header::new(alg), claims, &key).map_err(|e| e.to_string())
}

/// Claims for `sub` and `servicos`, issued now, valid for `ttl_secs`.
pub fn claims_for(sub: &str, servicos: Vec<u64>, ttl_secs: u64) -> Claims {
    let now = now_secs();
    Claims {
        sub: sub.to_owned(),
        servicos,
        aud: AUDIENCE.to_owned(),
        exp: now + ttl_secs,
        iat: now,
        nbf: None,
        nome: None,
        telefone: None,
        email: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The log text for `claims`, which [`Claims`] refuses.
    fn why(claims: serde_json::Value) -> String {
        match serde_path_to_error::deserialize::<_, Claims>(claims) {
            Ok(_) => panic!("accepted"),
            Err(e) => mistyped_claim(&e),
        }
    }

    #[test]
    fn a_mistyped_claim_is_named_without_its_value() {
        let base = serde_json::json!({"sub": "1204", "servicos": [11000], "aud": AUDIENCE, "exp": 2, "iat": 1});
        let with = |k: &str, v: serde_json::Value| {
            let mut c = base.clone();
            c[k] = v;
            c
        };
        for (claims, said) in [
            (
                with("telefone", serde_json::json!(-37988776655i64)),
                "claim telefone: expected a string or a non-negative integer",
            ),
            (
                with("email", serde_json::json!({"e": "segredo@example.com"})),
                "claim email: expected a string",
            ),
            (
                with("nome", serde_json::json!(37988776655u64)),
                "claim nome: expected a string",
            ),
            (
                with("servicos", serde_json::json!(["segredo"])),
                "claim servicos: expected integers (or strings of digits)",
            ),
            (
                with("exp", serde_json::json!("segredo")),
                "claim exp: expected u64",
            ),
        ] {
            let text = why(claims);
            assert_eq!(text, format!("claims not as documented: {said}"));
        }
        let mut missing = base.clone();
        missing.as_object_mut().unwrap().remove("servicos");
        assert_eq!(why(missing), "claims not as documented: missing `servicos`");
        // A numeric phone is read as its digits.
        let c: Claims =
            serde_json::from_value(with("telefone", serde_json::json!(37988776655u64))).unwrap();
        assert_eq!(c.telefone.as_deref(), Some("37988776655"));
    }
}
