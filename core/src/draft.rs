//! Drafts: what the customer typed, saved in the browser so a reload, a crash or a closed tab
//! loses nothing.
//!
//! Pure encoding, decoding and merging; the widget does the `localStorage` calls. The token is
//! not part of [`FormValues`] and so can never be saved. Format (version 3): `v3` followed by
//! one `key=value` entry per field ([`Field::key`], so every choice the customer made, the
//! service and the ticket type included, is named), each entry preceded by U+001F (INFORMATION
//! SEPARATOR ONE); that control character is dropped from values when saving, nothing else is
//! changed. Entries with keys this version does not know are ignored and a missing entry is an
//! empty value, so a future field (another choice) needs no new version. Version 2 drafts (`v2`
//! and the six values in [`Field::ALL`] order) are still read.

use super::form::{Field, FormValues};
use super::phone;

const SEP: char = '\u{1F}';
/// The version of the value format written by [`encode`].
const VERSION: &str = "v3";
/// The previous, positional format, still read by [`decode`].
const VERSION_2: &str = "v2";
/// The version in [`storage_key`]: unchanged by the value format, so older drafts are found.
const KEY_VERSION: &str = "v2";

/// The `localStorage` key of a draft: one per endpoint, service and (optional) customer key the
/// host gives, e.g. `abrir-chamado:rascunho:v2|https://api.isp.com.br|11000|cliente-1204`.
/// `service` is `None` when the customer types the service id (it is then part of the draft).
pub fn storage_key(endpoint: &str, service: Option<u64>, customer: Option<&str>) -> String {
    let service = service.map_or_else(|| "-".to_owned(), |s| s.to_string());
    format!(
        "abrir-chamado:rascunho:{KEY_VERSION}|{endpoint}|{service}|{}",
        customer.unwrap_or("-")
    )
}

/// The `localStorage` key of the mark of a send in flight for the draft under `draft_key`
/// (see [`storage_key`]): the same tail under `abrir-chamado:envio:`, so that drafts and marks
/// never mix.
pub fn in_flight_key(draft_key: &str) -> String {
    match draft_key.strip_prefix("abrir-chamado:rascunho:") {
        Some(tail) => format!("abrir-chamado:envio:{tail}"),
        None => format!("abrir-chamado:envio:{draft_key}"),
    }
}

/// The `localStorage` key of the intent id of the draft under `draft_key` (see [`storage_key`]):
/// the same tail under `abrir-chamado:intencao:`. The id (a random UUID, no personal data) is
/// written when the draft is first saved and read by every tab that restores the draft, so that
/// their sends of the same body carry the same `Idempotency-Key`
/// ([`crate::idempotency::key_for`]); it is removed when a send settles that intent.
pub fn intent_key(draft_key: &str) -> String {
    match draft_key.strip_prefix("abrir-chamado:rascunho:") {
        Some(tail) => format!("abrir-chamado:intencao:{tail}"),
        None => format!("abrir-chamado:intencao:{draft_key}"),
    }
}

/// How long the mark of a send in flight counts, in milliseconds: 24 h, the gateway's default
/// `Idempotency-Key` record lifetime; past it a resend under the same key is no longer
/// recognised, and the outcome of that send is too old to ask about.
pub const IN_FLIGHT_MAX_AGE_MS: u64 = 24 * 60 * 60 * 1000;

/// The mark of a send in flight, written when a ticket is sent and removed when its outcome is
/// known, so that a page closed or reloaded meanwhile (or left after an answer that did not say
/// whether the ticket was opened) can tell at the next load
/// ([`crate::error::SubmitError::Interrupted`]) and send again under the same
/// `Idempotency-Key`: `v2`, when it was written (`saved_at_ms`, Unix milliseconds), the key
/// (empty without the `idempotency_key` option) and the request body's JSON, separated by
/// U+001F. Neither holds a secret (no token).
pub fn encode_in_flight(saved_at_ms: u64, key: &str, body_json: &str) -> String {
    format!(
        "v2{SEP}{saved_at_ms}{SEP}{}{SEP}{body_json}",
        key.replace(SEP, "")
    )
}

/// Reads [`encode_in_flight`]'s text at `now_ms`: `(key, body JSON)`, or `None` for anything
/// else and for a mark older than [`IN_FLIGHT_MAX_AGE_MS`] (or written in the future).
pub fn decode_in_flight(text: &str, now_ms: u64) -> Option<(String, String)> {
    let rest = text.strip_prefix("v2")?.strip_prefix(SEP)?;
    let (saved_at, rest) = rest.split_once(SEP)?;
    let saved_at: u64 = saved_at.parse().ok()?;
    if saved_at > now_ms.saturating_add(60_000)
        || now_ms.saturating_sub(saved_at) > IN_FLIGHT_MAX_AGE_MS
    {
        return None;
    }
    let (key, body) = rest.split_once(SEP)?;
    Some((key.to_owned(), body.to_owned()))
}

/// Encodes the raw values for storage.
pub fn encode(values: &FormValues) -> String {
    let mut out = String::from(VERSION);
    for field in Field::ALL {
        out.push(SEP);
        out.push_str(field.key());
        out.push('=');
        out.extend(values.get(field).chars().filter(|&c| c != SEP));
    }
    out
}

/// Decodes a stored draft, version 3 or 2; `None` for anything else (another version, a
/// foreign value under our key, a version-2 draft with a missing or extra value, a version-3
/// entry without `=`).
pub fn decode(text: &str) -> Option<FormValues> {
    let mut parts = text.split(SEP);
    let mut values = FormValues::default();
    match parts.next()? {
        VERSION => {
            for entry in parts {
                let (key, value) = entry.split_once('=')?;
                if let Some(&field) = Field::ALL.iter().find(|f| f.key() == key) {
                    values.set(field, value.to_owned());
                }
            }
            Some(values)
        }
        VERSION_2 => {
            for field in Field::ALL {
                values.set(field, parts.next()?.to_owned());
            }
            parts.next().is_none().then_some(values)
        }
        _ => None,
    }
}

/// Whether `field` holds the host's value: trimmed text alike; for the phone the same digits
/// (the same number reformatted, as leaving the field formats it, is not a change).
fn unchanged(field: Field, values: &FormValues, prefill: &FormValues) -> bool {
    let (value, host) = (values.get(field), prefill.get(field));
    match field {
        Field::Telefone => {
            phone::digits_of(value) == phone::digits_of(host)
                && value.trim().is_empty() == host.trim().is_empty()
        }
        _ => value.trim() == host.trim(),
    }
}

/// Whether there is nothing worth saving: every value equals what the host prefilled.
pub fn is_pristine(values: &FormValues, prefill: &FormValues) -> bool {
    Field::ALL.iter().all(|&f| unchanged(f, values, prefill))
}

/// What to save as the draft: the customer's own values, with every field that still holds the
/// host's value left blank, so that [`merge`] at the next load takes the host's value of then
/// (a phone or e-mail the portal has updated since) instead of an old copy of it.
pub fn changes(values: &FormValues, prefill: &FormValues) -> FormValues {
    let mut out = values.clone();
    for field in Field::ALL {
        if unchanged(field, values, prefill) {
            out.set(field, String::new());
        }
    }
    out
}

/// The values to start with: the draft's non-blank values over the host's prefill, except for
/// `locked` fields, where the host's value always wins.
pub fn merge(prefill: &FormValues, draft: &FormValues, locked: &[Field]) -> FormValues {
    let mut out = prefill.clone();
    for field in Field::ALL {
        let typed = draft.get(field);
        if !locked.contains(&field) && !typed.trim().is_empty() {
            out.set(field, typed.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_keeps_only_what_the_customer_changed() {
        let old_host = FormValues {
            nome: "Ana".into(),
            telefone: "37999112233".into(),
            email: "ana@velho.com".into(),
            ..FormValues::default()
        };
        let typed = FormValues {
            telefone: "(37) 99911-2233".into(),
            descricao: "Sem internet".into(),
            nome: "Ana Souza".into(),
            ..old_host.clone()
        };
        let saved = changes(&typed, &old_host);
        assert_eq!(saved.telefone, "", "the same number, reformatted");
        assert_eq!(saved.email, "");
        assert_eq!(saved.nome, "Ana Souza");
        // The portal's new contact details win at the next load; the customer's text stays.
        let new_host = FormValues {
            nome: "Ana".into(),
            telefone: "31988776655".into(),
            email: "ana@novo.com".into(),
            ..FormValues::default()
        };
        let restored = merge(&new_host, &saved, &[]);
        assert_eq!(restored.telefone, "31988776655");
        assert_eq!(restored.email, "ana@novo.com");
        assert_eq!(restored.nome, "Ana Souza");
        assert_eq!(restored.descricao, "Sem internet");
    }

    fn typed() -> FormValues {
        FormValues {
            id_cliente_servico: "11000".into(),
            nome: "Maria \"Mary\" d'Ávila".into(),
            telefone: "(37) 99911-2233".into(),
            email: String::new(),
            descricao: "Linha 1\nLinha 2 😢 <b>\t|\u{1F}fim".into(),
            id_tipo_atendimento: "109".into(),
        }
    }

    #[test]
    fn round_trip_keeps_everything_but_the_separator() {
        let v = typed();
        let back = decode(&encode(&v)).unwrap();
        assert_eq!(back.nome, v.nome);
        assert_eq!(back.email, "");
        assert_eq!(back.descricao, "Linha 1\nLinha 2 😢 <b>\t|fim");
        assert_eq!(decode(&encode(&back)).unwrap(), back);
    }

    #[test]
    fn foreign_or_broken_values_are_ignored() {
        for bad in [
            "",
            "v1",
            "v3\u{1F}nome",
            "v4\u{1F}nome=a",
            "v2\u{1F}a\u{1F}b\u{1F}c\u{1F}d\u{1F}e",
            "{\"nome\":1}",
            "v1\u{1F}a",
            "v1\u{1F}a\u{1F}b\u{1F}c\u{1F}d\u{1F}e\u{1F}f",
        ] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
        let mut extra = encode(&typed());
        extra.push(SEP);
        assert_eq!(decode(&extra), None);
    }

    #[test]
    fn version_3_names_every_value_and_version_2_is_still_read() {
        let v = typed();
        let text = encode(&v);
        assert!(text.starts_with("v3\u{1F}id_cliente_servico=11000\u{1F}"));
        assert!(text.contains("\u{1F}id_tipo_atendimento=109"));
        // A future field is ignored by this version; a missing one is empty.
        let future = format!("{text}\u{1F}id_futuro=5");
        assert_eq!(decode(&future), decode(&text));
        let partial = decode("v3\u{1F}nome=Maria\u{1F}id_cliente_servico=11001").unwrap();
        assert_eq!(partial.id_cliente_servico, "11001");
        assert_eq!(partial.descricao, "");
        // The previous format, as drafts saved before this version hold it.
        let old: String = std::iter::once("v2".to_owned())
            .chain(
                Field::ALL
                    .iter()
                    .map(|&f| format!("\u{1F}{}", v.get(f).replace(SEP, ""))),
            )
            .collect();
        let back = decode(&old).unwrap();
        assert_eq!(back.id_cliente_servico, "11000");
        assert_eq!(back.id_tipo_atendimento, "109");
        assert_eq!(back.nome, v.nome);
    }

    #[test]
    fn keys_separate_endpoints_services_and_customers() {
        let a = storage_key("https://a.com.br", Some(11000), None);
        assert_eq!(a, "abrir-chamado:rascunho:v2|https://a.com.br|11000|-");
        assert_ne!(a, storage_key("https://a.com.br", Some(11001), None));
        assert_ne!(a, storage_key("https://b.com.br", Some(11000), None));
        assert_ne!(a, storage_key("https://a.com.br", Some(11000), Some("c1")));
        assert_ne!(a, storage_key("https://a.com.br", None, None));
    }

    #[test]
    fn draft_wins_over_prefill_but_not_over_locked_values() {
        let prefill = FormValues {
            nome: "Maria".into(),
            telefone: "37999112233".into(),
            ..Default::default()
        };
        let draft = FormValues {
            nome: "Maria Souza".into(),
            telefone: "  ".into(),
            descricao: "Sem sinal".into(),
            ..Default::default()
        };
        let merged = merge(&prefill, &draft, &[]);
        assert_eq!(merged.nome, "Maria Souza");
        assert_eq!(
            merged.telefone, "37999112233",
            "a blank draft value does not erase the prefill"
        );
        assert_eq!(merged.descricao, "Sem sinal");
        let locked = merge(&prefill, &draft, &[Field::Nome]);
        assert_eq!(locked.nome, "Maria");
    }

    #[test]
    fn pristine_means_nothing_typed_beyond_the_prefill() {
        let prefill = FormValues {
            nome: "Maria".into(),
            ..Default::default()
        };
        assert!(is_pristine(&prefill, &prefill));
        let mut v = prefill.clone();
        v.descricao = "x".into();
        assert!(!is_pristine(&v, &prefill));
        let host = FormValues {
            telefone: "37999112233".into(),
            ..Default::default()
        };
        let shown = FormValues {
            telefone: "(37) 99911-2233".into(),
            ..Default::default()
        };
        assert!(is_pristine(&shown, &host), "reformatting is not typing");
    }

    #[test]
    fn the_mark_of_a_send_in_flight_round_trips_beside_the_draft() {
        let draft = storage_key("https://gw.isp.com.br", Some(11000), Some("cliente-1"));
        assert_eq!(
            in_flight_key(&draft),
            "abrir-chamado:envio:v2|https://gw.isp.com.br|11000|cliente-1"
        );
        assert_eq!(
            intent_key(&draft),
            "abrir-chamado:intencao:v2|https://gw.isp.com.br|11000|cliente-1"
        );
        let body = r#"{"id_cliente_servico":11000,"descricao":"a"}"#;
        let at = 1_764_500_000_000;
        let text = encode_in_flight(at, "k-1", body);
        assert_eq!(
            decode_in_flight(&text, at + 5_000),
            Some(("k-1".into(), body.into()))
        );
        assert_eq!(
            decode_in_flight(&encode_in_flight(at, "", "{}"), at),
            Some(("".into(), "{}".into()))
        );
        // Too old (past the gateway's key lifetime) or from the future: not a mark any more.
        assert_eq!(decode_in_flight(&text, at + IN_FLIGHT_MAX_AGE_MS + 1), None);
        assert_eq!(decode_in_flight(&text, at - 3_600_000), None);
        for bad in [
            "",
            "v2",
            "v1\u{1F}k\u{1F}{}",
            "v2\u{1F}x\u{1F}k\u{1F}{}",
            "k\u{1F}{}",
        ] {
            assert_eq!(decode_in_flight(bad, at), None, "{bad}");
        }
    }
}
