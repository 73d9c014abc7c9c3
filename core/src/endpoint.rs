//! The endpoint and the bearer token: the two values every request needs, checked once.
//!
//! [`Endpoint::parse`] accepts only URLs a browser can `fetch` without sending the token in
//! clear text; [`Token::new`] accepts only what an `Authorization` header can carry
//! (`docs/hubsoft-api.md` §1).

/// A checked endpoint: absolute `https://` URL, or `http://` on a loopback host; no credentials,
/// query or fragment; stored without a trailing `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint(String);

/// Why an endpoint was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointError {
    /// Not an absolute `http(s)://host[:port][/path]` URL.
    Malformed,
    /// Plain `http://` to a host that is not loopback: the token would travel in clear text.
    Insecure,
}

impl Endpoint {
    /// Parses and checks `text`. Errors: [`EndpointError::Malformed`] for anything that is not
    /// `http(s)://host[:port][/path]` (user info, `?`, `#`, spaces or an empty host are refused),
    /// [`EndpointError::Insecure`] for `http://` unless the host is `localhost`, `*.localhost`,
    /// `127.0.0.0/8` or `[::1]` (loopback, RFC 6761 / RFC 1122).
    pub fn parse(text: &str) -> Result<Endpoint, EndpointError> {
        let text = text.trim();
        let lower = text.to_ascii_lowercase();
        let (secure, rest) = if lower.starts_with("https://") {
            (true, &text[8..])
        } else if lower.starts_with("http://") {
            (false, &text[7..])
        } else {
            return Err(EndpointError::Malformed);
        };
        if rest
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '\\'))
        {
            return Err(EndpointError::Malformed);
        }
        let (authority, path) = match rest.find('/') {
            Some(i) => rest.split_at(i),
            None => (rest, ""),
        };
        if authority.contains('@') {
            return Err(EndpointError::Malformed);
        }
        let host = split_host(authority).ok_or(EndpointError::Malformed)?;
        if !secure && !is_loopback(host) {
            return Err(EndpointError::Insecure);
        }
        let scheme = if secure { "https://" } else { "http://" };
        let path = path.trim_end_matches('/');
        Ok(Endpoint(format!("{scheme}{authority}{path}")))
    }

    /// The endpoint without a trailing `/`, e.g. `https://api.isp.hubsoft.com.br`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `host` can be a URL host: an IPv6 literal `[…]` of hex digits, `:` and `.`; or a
/// domain (or IPv4 address) of non-empty dot-separated labels, optionally ending with a dot,
/// free of the WHATWG URL Standard's forbidden domain code points (controls, space, `#`,
/// `%`, `/`, `:`, `<`, `>`, `?`, `@`, `[`, `\`, `]`, `^`, `|`, DEL). Browsers would refuse
/// such a URL at the first `fetch`, long after the customer typed a ticket. Empty labels
/// (`a..b`) are refused too, although the URL Standard parses them: no DNS name has one.
fn valid_host(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return inner.contains(':')
            && inner
                .chars()
                .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
    }
    let name = host.strip_suffix('.').unwrap_or(host);
    !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty()
                && !label
                    .chars()
                    .any(|c| c.is_control() || " #%/:<>?@[\\]^|".contains(c))
        })
}
/// Returns the host of `host[:port]` / `[v6][:port]` when well formed.
fn split_host(authority: &str) -> Option<&str> {
    let (host, port) = if let Some(stripped) = authority.strip_prefix('[') {
        let end = stripped.find(']')?;
        let host = &authority[..end + 2];
        let after = &stripped[end + 1..];
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => return None,
        };
        (host, port)
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    if !valid_host(host) {
        return None;
    }
    if let Some(p) = port {
        match p.parse::<u32>() {
            Ok(n) if (1..=65535).contains(&n) && p.bytes().all(|b| b.is_ascii_digit()) => {}
            _ => return None,
        }
    }
    Some(host)
}

fn is_loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    if host == "localhost" || host.ends_with(".localhost") || host == "[::1]" {
        return true;
    }
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4
        && parts[0] == "127"
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
}

/// A bearer token. Kept in memory only; its `Debug` is redacted so it can never reach a log.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Accepts a non-blank token of visible ASCII characters (`!` to `~`): RFC 6750's `b64token`
    /// and JWTs are ASCII, and a header value outside ISO-8859-1 makes `fetch` throw. Surrounding
    /// whitespace is trimmed.
    pub fn new(text: &str) -> Option<Token> {
        let t = text.trim();
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic())).then(|| Token(t.to_owned()))
    }

    /// The secret itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        let ok = [
            (
                "https://api.isp.hubsoft.com.br",
                "https://api.isp.hubsoft.com.br",
            ),
            ("HTTPS://api.isp.com.br/", "https://api.isp.com.br"),
            (
                "https://gw.isp.com.br:8443/hub/",
                "https://gw.isp.com.br:8443/hub",
            ),
            ("http://localhost:8787", "http://localhost:8787"),
            ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
            ("http://[::1]:9000", "http://[::1]:9000"),
            ("http://demo.localhost", "http://demo.localhost"),
            ("https://[2001:db8::1]", "https://[2001:db8::1]"),
            ("https://[::ffff:127.0.0.1]", "https://[::ffff:127.0.0.1]"),
            ("https://api.isp.com.br.", "https://api.isp.com.br."),
            (
                "https://provedor-são-joão.com.br",
                "https://provedor-são-joão.com.br",
            ),
            ("https://gw_1.isp.com.br", "https://gw_1.isp.com.br"),
        ];
        for (input, want) in ok {
            assert_eq!(Endpoint::parse(input).unwrap().as_str(), want, "{input}");
        }
        let bad = [
            ("", EndpointError::Malformed),
            ("api.isp.com.br", EndpointError::Malformed),
            ("/api", EndpointError::Malformed),
            ("ftp://x.com", EndpointError::Malformed),
            ("javascript:alert(1)", EndpointError::Malformed),
            ("https://", EndpointError::Malformed),
            ("https://user:pw@x.com", EndpointError::Malformed),
            ("https://x.com/?a=1", EndpointError::Malformed),
            ("https://x.com/#f", EndpointError::Malformed),
            ("https://x .com", EndpointError::Malformed),
            ("https://x.com:0", EndpointError::Malformed),
            ("https://x.com:99999", EndpointError::Malformed),
            ("https://x.com:abc", EndpointError::Malformed),
            ("https://[::1", EndpointError::Malformed),
            ("https://a<b>.com", EndpointError::Malformed),
            ("https://[zz]", EndpointError::Malformed),
            ("https://[]", EndpointError::Malformed),
            ("https://a..b", EndpointError::Malformed),
            ("https://.com", EndpointError::Malformed),
            ("https://x|y.com", EndpointError::Malformed),
            ("https://x%41.com", EndpointError::Malformed),
            ("https://x^.com", EndpointError::Malformed),
            ("http://api.isp.com.br", EndpointError::Insecure),
            ("http://127.0.0.1.evil.com", EndpointError::Insecure),
            ("http://10.0.0.1", EndpointError::Insecure),
            ("http://localhost.evil.com", EndpointError::Insecure),
        ];
        for (input, want) in bad {
            assert_eq!(Endpoint::parse(input), Err(want), "{input}");
        }
    }

    #[test]
    fn tokens_are_visible_ascii_only() {
        assert!(Token::new(" eyJhbGciOi.J9-_~+/= ").is_some());
        for bad in [
            "",
            "a b",
            "demo-token\u{200b}",
            "tokén",
            "x€",
            "a\nb",
            "\u{7f}",
        ] {
            assert!(Token::new(bad).is_none(), "{bad:?}");
        }
    }
}
