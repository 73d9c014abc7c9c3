//! Redaction of the bearer token from anything a server sends back.
//!
//! A server may echo the token (in an error text, a success body, a URL it quotes). The HTTP
//! module calls [`Json::redact`] on the whole parsed answer before anything is classified,
//! shortened, shown or dispatched to the host, so no such echo reaches the customer, the page or
//! the console.

use super::json::Json;

impl Json {
    /// Replaces `secret` (the bearer token) in every string and object key, at any depth, by
    /// `[token]` ([`redact_text`]), so no text of a server that echoes the token can
    /// show it.
    pub fn redact(&mut self, secret: &str) {
        match self {
            Json::String(s) => *s = redact_text(s, secret),
            Json::Array(items) => items.iter_mut().for_each(|i| i.redact(secret)),
            Json::Object(members) => members.iter_mut().for_each(|(k, v)| {
                *k = redact_text(k, secret);
                v.redact(secret);
            }),
            _ => {}
        }
    }
}

/// `text` with every occurrence of `secret` (the bearer token) replaced by `[token]`: as is, in
/// any ASCII letter case, and percent-encoded (RFC 3986 §2.1, as a server may echo a URL or a
/// form field). An empty or non-ASCII `secret` changes nothing (tokens are visible ASCII).
pub fn redact_text(text: &str, secret: &str) -> String {
    replace_ascii_ci(&replace_ascii_ci(text, secret), &percent_encoded(secret))
}

/// `text` with every ASCII-case-insensitive occurrence of the ASCII `needle` replaced by
/// `[token]`. (Lowering ASCII keeps byte offsets, and an ASCII needle only matches ASCII bytes, so
/// the ranges found in the lowered copy are valid in `text`.)
fn replace_ascii_ci(text: &str, needle: &str) -> String {
    if needle.is_empty() || !needle.is_ascii() {
        return text.to_owned();
    }
    let haystack = text.to_ascii_lowercase();
    let needle = needle.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    while let Some(at) = haystack[from..].find(&needle) {
        out.push_str(&text[from..from + at]);
        out.push_str("[token]");
        from += at + needle.len();
    }
    out.push_str(&text[from..]);
    out
}

/// `secret` with every byte outside RFC 3986's unreserved set (`A–Z a–z 0–9 - . _ ~`) written
/// as `%XX`, as `encodeURIComponent` does for ASCII.
fn percent_encoded(secret: &str) -> String {
    let mut out = String::with_capacity(secret.len() * 3);
    for b in secret.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_reaches_every_string_and_key() {
        let token = "Tk.AbC+d/e=XyZ_123";
        let long = format!("{}{token} fim", "x".repeat(283));
        let mut j: Json = serde_json::from_value(serde_json::json!({
            "msg": long,
            "errors": [["aberto TK.ABC+D/E=XYZ_123"], {"k": "Tk.AbC%2Bd%2Fe%3DXyZ_123"}],
            token: 1,
            "n": 5
        }))
        .unwrap();
        j.redact(token);
        let text = format!("{j:?}");
        assert!(!text.to_ascii_lowercase().contains("tk.abc"), "{text}");
        assert_eq!(
            j.get("msg").and_then(Json::as_str),
            Some(&*format!("{}[token] fim", "x".repeat(283)))
        );
        assert!(j.get("[token]").is_some());
    }

    #[test]
    fn an_echoed_token_is_hidden_in_any_case_and_percent_encoded() {
        let token = "eyJ0eX.Ab+c/d=";
        let msg = redact_text(&format!("Token {token} inválido"), token);
        let errors: Vec<String> = [
            "Bearer EYJ0EX.AB+C/D= recusado",
            "url?t=eyJ0eX.Ab%2Bc%2Fd%3D e ação",
            "sem token aqui",
        ]
        .iter()
        .map(|t| redact_text(t, token))
        .collect();
        assert_eq!(msg, "Token [token] inválido");
        assert_eq!(
            errors,
            [
                "Bearer [token] recusado",
                "url?t=[token] e ação",
                "sem token aqui"
            ]
        );
    }
}
