#![cfg(not(target_arch = "wasm32"))]
//! Property-based robustness tests of the pure core (native only; `proptest` is a native
//! dev-dependency).
//!
//! - [`phone`]: `normalize`, `digits_of` and `format_as_you_type` never panic on any input
//!   (arbitrary Unicode, huge strings) and `normalize` is idempotent on its own output.
//! - [`response`]: `classify` never panics on any status and body (arbitrary Unicode, lossy bytes,
//!   multi-megabyte and 10 000-deep bodies, generated JSON envelopes) and keeps the `docs/hubsoft-api.md` §2
//!   success rule; its messages stay bounded and never carry `file`/`trace` internals.
//! - [`form`], [`state`], [`options`]: validation, the reducer and the host options never panic and
//!   keep their documented invariants.
//!
//! Failure persistence is off so a failing run writes no `proptest-regressions/` file into the
//! repository; proptest prints the minimal failing input instead.

use abrir_chamado_core::endpoint::Endpoint;
use abrir_chamado_core::error::SubmitError;
use abrir_chamado_core::form::{self, Field, FieldError, FormValues};
use abrir_chamado_core::json::{self, Json, JsonNumber};
use abrir_chamado_core::options::{self, Options, RawOptions};
use abrir_chamado_core::phone::{self, PhoneError};
use abrir_chamado_core::request::NovoAtendimento;
use abrir_chamado_core::response;
use abrir_chamado_core::response::{MAX_SERVER_LINES, MAX_SERVER_LINE_CHARS};
use abrir_chamado_core::state::{Action, Phase, WidgetState};
use abrir_chamado_core::ticket::{self, TicketRules};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde_json::{json, Map, Value};

/// A proptest configuration with `cases` cases and no regression file.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Shared strategies
// ---------------------------------------------------------------------------------------------

/// Any sequence of Unicode scalar values, control characters and unassigned code points included.
fn any_chars(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..max).prop_map(String::from_iter)
}

/// The strings a person may type into a phone field: digits, full-width digits and separators.
const PHONEISH: &str = "[0-9０-９ +().\\-\u{a0}/]{0,40}";

/// Arbitrary text of several shapes: proptest's `String`, printable Unicode, raw scalar values and
/// phone-ish text.
fn arb_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC*",
        any_chars(48),
        PHONEISH,
        "\\s*\\PC{0,12}\\s*",
    ]
}

/// The 67 valid DDDs of `docs/hubsoft-api.md` §5.
const DDDS: [&str; 67] = [
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "22", "24", "27", "28", "31", "32",
    "33", "34", "35", "37", "38", "41", "42", "43", "44", "45", "46", "47", "48", "49", "51", "53",
    "54", "55", "61", "62", "63", "64", "65", "66", "67", "68", "69", "71", "73", "74", "75", "77",
    "79", "81", "82", "83", "84", "85", "86", "87", "88", "89", "91", "92", "93", "94", "95", "96",
    "97", "98", "99",
];

/// A valid national number (`docs/hubsoft-api.md` §5) in one of the shapes people type, with the digits
/// `normalize` must return, or `None` when the subscriber part is all one digit (a placeholder).
fn typed_valid_phone() -> impl Strategy<Value = (String, Option<String>)> {
    (
        prop::sample::select(DDDS.to_vec()),
        any::<bool>(),
        "[2-5]",
        "[0-9]{8}",
        0..11usize,
    )
        .prop_map(|(ddd, mobile, landline_first, rest, shape)| {
            let subscriber = if mobile {
                format!("9{rest}")
            } else {
                format!("{landline_first}{}", &rest[..7])
            };
            let national = format!("{ddd}{subscriber}");
            let split = subscriber.len() - 4;
            let (head, tail) = subscriber.split_at(split);
            let pretty = format!("({ddd}) {head}-{tail}");
            let input = match shape {
                0 => national.clone(),
                1 => pretty.clone(),
                2 => format!("+55 {pretty}"),
                3 => format!("55{national}"),
                4 => format!("0{national}"),
                5 => format!("0 15 {ddd} {head}-{tail}"),
                6 => format!("(0xx{ddd}) {head}-{tail}"),
                7 => pretty
                    .chars()
                    .map(|c| match c.to_digit(10) {
                        Some(d) => char::from_u32(0xFF10 + d).unwrap_or(c),
                        None => c,
                    })
                    .collect(),
                8 => format!("00 55 {ddd} {subscriber}"),
                9 => format!("{ddd}\u{a0}{head}\u{a0}{tail}"),
                _ => format!("\u{202A}+55 {ddd} {head}.{tail}\u{202C}"),
            };
            let significant = &national[national.len() - 8..];
            let placeholder = significant.chars().all(|c| significant.starts_with(c));
            (input, (!placeholder).then_some(national))
        })
}

/// Arbitrary JSON trees (recursive strategy), biased towards the values Hubsoft sends.
fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        arb_text().prop_map(Value::String),
        "[0-9]{1,22}".prop_map(Value::String),
        prop::sample::select(vec!["success", "suscess", "error", " ", ""]).prop_map(Value::from),
    ];
    leaf.prop_recursive(6, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((arb_key(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Object keys: the ones the classifier reads, internals, and arbitrary text.
fn arb_key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "status",
            "msg",
            "message",
            "errors",
            "atendimento",
            "id_atendimento",
            "protocolo",
            "telefone",
            "file",
            "line",
            "trace",
        ])
        .prop_map(String::from),
        "\\PC{0,8}",
    ]
}

/// HTTP statuses: any `u16`, weighted towards the ones the classifier distinguishes.
fn arb_status() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => any::<u16>(),
        4 => 200..=299u16,
        2 => prop::sample::select(vec![200u16, 201, 400, 401, 403, 404, 418, 422, 429, 500, 502, 504]),
        1 => 500..=599u16,
    ]
}

/// A Hubsoft-like envelope `{"status":…,"msg":…,"errors":…,"atendimento":…}` with arbitrary
/// contents; every key may be missing and arbitrary extra keys may be present.
fn arb_envelope() -> impl Strategy<Value = Value> {
    let status = prop_oneof![
        3 => prop::sample::select(vec!["success", "suscess", "error", "Success", "sucesso", "SUCCESS", "ERROR", " Error "])
            .prop_map(Value::from),
        1 => arb_json(),
    ];
    let scalar_id = prop_oneof![
        any::<u32>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[0-9]{1,22}".prop_map(Value::from),
        "\\s*[0-9]{15,20}\\s*".prop_map(Value::from),
        arb_json(),
    ];
    let atendimento = prop_oneof![
        3 => (
            scalar_id.clone(),
            scalar_id,
            prop::collection::vec((arb_key(), arb_json()), 0..4),
        )
            .prop_map(|(id, protocolo, extra)| {
                let mut at: Map<String, Value> = extra.into_iter().collect();
                at.insert("id_atendimento".into(), id);
                at.insert("protocolo".into(), protocolo);
                Value::Object(at)
            }),
        1 => arb_json(),
    ];
    let errors = prop_oneof![
        prop::collection::vec(arb_text().prop_map(Value::String), 0..12).prop_map(Value::Array),
        prop::collection::btree_map(
            arb_key(),
            prop::collection::vec(arb_text().prop_map(Value::String), 0..4).prop_map(Value::Array),
            0..6,
        )
        .prop_map(|m| Value::Object(m.into_iter().collect())),
        arb_json(),
    ];
    (
        prop::option::weighted(0.9, status),
        prop::option::of(arb_json()),
        prop::option::of(errors),
        prop::option::weighted(0.8, atendimento),
        prop::option::weighted(0.2, arb_text()),
        prop::collection::vec((arb_key(), arb_json()), 0..3),
    )
        .prop_map(|(status, msg, errors, atendimento, message, extra)| {
            let mut obj: Map<String, Value> = extra.into_iter().collect();
            let mut put = |k: &str, v: Option<Value>| {
                if let Some(v) = v {
                    obj.insert(k.into(), v);
                }
            };
            put("status", status);
            put("msg", msg);
            put("errors", errors);
            put("atendimento", atendimento);
            put("message", message.map(Value::String));
            Value::Object(obj)
        })
}

/// The `serde_json::Value` of a [`Json`], to compare the widget's own JSON value with
/// `serde_json`'s reading of the same text.
fn to_value(j: &Json) -> Value {
    match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(JsonNumber::UInt(u)) => Value::from(*u),
        Json::Number(JsonNumber::Int(i)) => Value::from(*i),
        Json::Number(JsonNumber::Float(f)) => Value::from(*f),
        Json::String(s) => Value::String(s.clone()),
        Json::Array(items) => Value::Array(items.iter().map(to_value).collect()),
        Json::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), to_value(v)))
                .collect(),
        ),
    }
}

/// A host option given as a `serde_json::Value`, read into the widget's [`Json`] the way the
/// options object is read (through `serde::Deserialize`).
fn to_json(v: Option<Value>) -> Option<Json> {
    v.map(|v| serde_json::from_value(v).expect("any Value is a Json"))
}

// ---------------------------------------------------------------------------------------------
// Phone
// ---------------------------------------------------------------------------------------------

/// Everything that must hold for any input of the phone field.
fn check_phone(input: &str) -> Result<(), TestCaseError> {
    let digits = phone::digits_of(input);
    prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{digits:?}");

    let typed = phone::format_as_you_type(input);
    prop_assert!(typed.chars().count() <= digits.chars().count() + 5);
    prop_assert_eq!(
        phone::digits_of(&typed),
        digits.clone(),
        "mask keeps the digits"
    );
    prop_assert_eq!(
        phone::format_as_you_type(&typed),
        typed.clone(),
        "re-applying the mask while typing changes nothing"
    );

    match phone::normalize(input) {
        Ok(p) => {
            let d = p.digits();
            prop_assert!(matches!(d.len(), 10 | 11), "{d:?}");
            prop_assert!(d.bytes().all(|b| b.is_ascii_digit()), "{d:?}");
            prop_assert_eq!(p.ddd(), &d[..2]);
            prop_assert_eq!(p.is_mobile(), d.len() == 11);
            prop_assert_eq!(phone::normalize(d), Ok(p.clone()), "normalize(digits)");
            let shown = p.formatted();
            prop_assert_eq!(
                phone::normalize(&shown),
                Ok(p.clone()),
                "normalize(formatted)"
            );
            // Documented in phone.rs: the mask of a complete number is the display format.
            prop_assert_eq!(phone::format_as_you_type(d), shown.clone());
            prop_assert_eq!(phone::format_as_you_type(&shown), shown.clone());
            // What the field shows while typing still normalises to the same number.
            prop_assert_eq!(phone::normalize(&typed), Ok(p.clone()), "typed {:?}", typed);
        }
        Err(e) => {
            let m = e.message_pt();
            prop_assert!(!m.is_empty() && m.ends_with('.'), "{m}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn phone_any_string(input in any::<String>()) {
        check_phone(&input)?;
    }

    #[test]
    fn phone_printable_unicode(input in "\\PC*") {
        check_phone(&input)?;
    }

    #[test]
    fn phone_any_scalar_values(input in any_chars(64)) {
        check_phone(&input)?;
    }

    #[test]
    fn phone_phoneish(input in PHONEISH) {
        check_phone(&input)?;
    }

    #[test]
    fn phone_valid_numbers_in_every_shape((input, expected) in typed_valid_phone()) {
        check_phone(&input)?;
        match expected {
            Some(digits) => {
                let p = phone::normalize(&input);
                prop_assert_eq!(p.as_ref().map(phone::Phone::digits), Ok(digits.as_str()), "{}", input);
            }
            None => prop_assert_eq!(phone::normalize(&input), Err(PhoneError::Placeholder)),
        }
    }
}

/// A valid number in a typed shape, then edited: characters deleted, or phone-ish characters
/// (including `x`, `+`, `0`, `5`) inserted, the way a customer fixes or breaks a number.
fn near_valid_phone() -> impl Strategy<Value = String> {
    let edit = (
        any::<bool>(),
        any::<prop::sample::Index>(),
        prop::sample::select(
            "0123456789５ +()-.x/\u{a0}\u{202f}\u{200b}"
                .chars()
                .collect::<Vec<_>>(),
        ),
    );
    (typed_valid_phone(), prop::collection::vec(edit, 0..4)).prop_map(|((input, _), edits)| {
        let mut chars: Vec<char> = input.chars().collect();
        for (delete, at, c) in edits {
            if delete && !chars.is_empty() {
                chars.remove(at.index(chars.len()));
            } else {
                chars.insert(at.index(chars.len() + 1), c);
            }
        }
        chars.into_iter().collect()
    })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn phone_near_valid(input in near_valid_phone()) {
        check_phone(&input)?;
    }
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn phone_huge_repeated(seed in prop_oneof![PHONEISH, any_chars(16)], len in 0..=100_000usize) {
        let chars: Vec<char> = seed.chars().collect();
        let input: String = if chars.is_empty() {
            String::new()
        } else {
            chars.iter().cycle().take(len).collect()
        };
        check_phone(&input)?;
    }

    #[test]
    fn phone_huge_any(input in any_chars(100_000)) {
        check_phone(&input)?;
    }
}

// ---------------------------------------------------------------------------------------------
// Response
// ---------------------------------------------------------------------------------------------

/// The `docs/hubsoft-api.md` §2 success rule read independently from the classifier: JSON
/// object, `status` ∈ {success, suscess}, `atendimento.id_atendimento` present and not null; or,
/// the ticket being certainly there, any `status` but `error` (any case) with an `atendimento`
/// carrying an id and a protocolo.
fn documented_success(body: &str) -> bool {
    let Ok(v) = serde_json::from_str::<Value>(body.trim()) else {
        return false;
    };
    let said = v.get("status").and_then(Value::as_str);
    let at = v.get("atendimento");
    let present = |k: &str| at.and_then(|a| a.get(k)).is_some_and(|x| !x.is_null());
    let documented = matches!(said, Some("success" | "suscess")) && present("id_atendimento");
    let certain = !said.is_some_and(|s| s.trim().eq_ignore_ascii_case("error"))
        && present("id_atendimento")
        && present("protocolo");
    documented || certain
}

/// Longest fixed headline of `SubmitError::message_pt`, in chars, with margin.
const HEADLINE_MAX: usize = 200;

/// Everything that must hold for any answer: the success rule, and bounded plain-text messages.
fn check_classify(status: u16, body: &str) -> Result<Option<response::Success>, TestCaseError> {
    match response::classify(status, body) {
        Ok(s) => {
            prop_assert!((200..=299).contains(&status), "Ok for HTTP {status}");
            prop_assert!(
                documented_success(body),
                "Ok without the documented success rule"
            );
            let at = &s.atendimento;
            for text in [&at.id_atendimento, &at.protocolo] {
                prop_assert!(!text.is_empty());
                prop_assert_eq!(text.trim(), text.as_str());
                prop_assert!(text.chars().count() <= MAX_SERVER_LINE_CHARS);
            }
            if let Some(m) = &s.msg {
                prop_assert!(!m.is_empty() && m.chars().count() <= MAX_SERVER_LINE_CHARS);
            }
            Ok(Some(s))
        }
        Err(e) => {
            prop_assert_eq!(e.http_status(), Some(status), "{:?}", e);
            prop_assert!(!e.kind().is_empty());
            let m = e.message_pt();
            prop_assert!(!m.trim().is_empty());
            prop_assert!(
                m.chars().count() <= MAX_SERVER_LINE_CHARS + HEADLINE_MAX,
                "headline of {} chars",
                m.chars().count()
            );
            prop_assert!(!m.chars().any(char::is_control), "{m:?}");
            let details = e.details_pt();
            prop_assert!(
                details.len() <= MAX_SERVER_LINES + 1,
                "{} lines",
                details.len()
            );
            for line in &details {
                prop_assert!(!line.is_empty());
                prop_assert!(line.chars().count() <= MAX_SERVER_LINE_CHARS, "{line:?}");
                prop_assert!(!line.chars().any(char::is_control), "{line:?}");
            }
            Ok(None)
        }
    }
}

/// `clean_server_text`-style text of a scalar, as the classifier reads ids and protocols.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => response::clean_server_text(s),
        Value::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
        _ => None,
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn classify_any_text(status in arb_status(), body in arb_text()) {
        check_classify(status, &body)?;
    }

    #[test]
    fn classify_any_bytes(status in arb_status(), bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check_classify(status, &String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn classify_json_shaped_bytes(
        status in arb_status(),
        bytes in prop::collection::vec(
            prop::sample::select(b"{}[]\":,0123456789.eE-+ \\unltrfasuce\xff\xc3\xa9".to_vec()),
            0..256,
        ),
    ) {
        check_classify(status, &String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn classify_any_json(status in arb_status(), v in arb_json()) {
        check_classify(status, &v.to_string())?;
    }

    #[test]
    fn classify_envelopes(status in arb_status(), env in arb_envelope(), pretty in any::<bool>()) {
        let body = if pretty {
            format!("\n  {}  \n", serde_json::to_string_pretty(&env).unwrap())
        } else {
            env.to_string()
        };
        let got = check_classify(status, &body)?;

        // The converse of the success rule: a 2xx answer carrying a ticket (id and protocolo)
        // with any `status` but `error` is accepted, with the fields as sent (ids and protocols
        // as text, never parsed out of `msg`); an undocumented `status` is marked unusual.
        let said = env.get("status").and_then(Value::as_str);
        let spelled_ok = matches!(said, Some("success" | "suscess"));
        let error = said.is_some_and(|s| s.trim().eq_ignore_ascii_case("error"));
        let at = env.get("atendimento").and_then(Value::as_object);
        let id = at.and_then(|a| a.get("id_atendimento")).and_then(scalar_text);
        let protocolo = at.and_then(|a| a.get("protocolo")).and_then(scalar_text);
        match (&got, (200..=299).contains(&status) && !error, id, protocolo) {
            (Some(s), true, Some(id), Some(protocolo)) => {
                prop_assert_eq!(s.unusual, !spelled_ok);
                prop_assert_eq!(&s.atendimento.id_atendimento, &id);
                prop_assert_eq!(&s.atendimento.protocolo, &protocolo);
                // Compared with the body as parsed (floats may not round-trip bit-exactly).
                // Integers beyond 2^53 are read as strings of their digits.
                let parsed: Value =
                    serde_json::from_str(&json::quote_unsafe_integers(&body)).unwrap();
                prop_assert_eq!(Some(&to_value(&s.atendimento.raw)), parsed.get("atendimento"));
            }
            (None, true, Some(_), Some(_)) => {
                prop_assert!(false, "well-formed success refused: {body}");
            }
            (Some(_), _, _, _) => prop_assert!(false, "success without id and protocolo: {body}"),
            (None, _, _, _) => {}
        }
    }

    #[test]
    fn classify_never_shows_internals(
        status in arb_status(),
        env in arb_envelope(),
        n in any::<u32>(),
    ) {
        let marker = format!("INTERNO{n}X");
        let mut env = env;
        if let Value::Object(obj) = &mut env {
            obj.insert("file".into(), json!(format!("/var/www/{marker}/app/Http/X.php")));
            obj.insert("line".into(), json!(n));
            obj.insert("exception".into(), json!(format!("Query{marker}Exception")));
            obj.insert("trace".into(), json!([{ "file": format!("/vendor/{marker}.php"), "line": n }]));
        }
        let shown_fields = ["msg", "message", "errors"]
            .iter()
            .filter_map(|k| env.get(*k))
            .map(Value::to_string)
            .collect::<String>();
        if let Err(e) = response::classify(status, &env.to_string()) {
            let shown = format!("{} {}", e.message_pt(), e.details_pt().join(" "));
            if !shown_fields.contains(&marker) {
                prop_assert!(!shown.contains(&marker), "{shown}");
            }
            if !shown_fields.contains("/var/www") {
                prop_assert!(!shown.contains("/var/www"), "{shown}");
            }
        }
    }
}

/// A body nested `depth` levels deep: serde_json stops at 128 levels with an error, so the
/// classifier must answer instead of overflowing the stack.
fn nested(open: &str, close: &str, depth: usize) -> String {
    format!("{}1{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn classify_survives_deep_nesting() {
    let bodies = [
        "[".repeat(10_000),
        nested("[", "]", 10_000),
        nested("{\"a\":", "}", 10_000),
        format!(
            "{{\"status\":\"error\",\"msg\":\"x\",\"errors\":{}}}",
            nested("[", "]", 10_000)
        ),
        format!(
            "{{\"status\":\"success\",\"atendimento\":{{\"id_atendimento\":1,\"protocolo\":\"2\",\"x\":{}}}}}",
            nested("{\"a\":", "}", 10_000)
        ),
    ];
    for body in &bodies {
        assert!(
            serde_json::from_str::<Value>(body).is_err(),
            "serde_json's recursion limit must refuse {} bytes of nesting",
            body.len()
        );
        assert_eq!(
            response::classify(200, body),
            Err(SubmitError::InvalidResponse { status: 200 })
        );
        assert_eq!(
            response::classify(422, body),
            Err(SubmitError::Unprocessable {
                msg: None,
                errors: vec![],
                keyed: vec![]
            })
        );
        for status in [0, 201, 400, 401, 500, u16::MAX] {
            check_classify(status, body).unwrap();
        }
    }
    // Nesting just inside the limit parses, and `errors` is flattened only a few levels deep.
    let ok_depth = format!(
        "{{\"status\":\"error\",\"msg\":\"x\",\"errors\":{}}}",
        nested("[", "]", 100).replace('1', "\"fundo\"")
    );
    let e = response::classify(200, &ok_depth).unwrap_err();
    assert!(matches!(e, SubmitError::Rejected { ref errors, .. } if errors.is_empty()));
}

#[test]
fn classify_survives_huge_bodies() {
    const MB: usize = 1024 * 1024;
    let ticket = r#"{"id_atendimento":286,"protocolo":"201811061730517","cliente":{"nome_razaosocial":"BIANCA COUTO"}}"#;
    let many: Vec<&str> = std::iter::repeat_n(ticket, 5 * MB / ticket.len()).collect();

    // 5 MB of repeated JSON inside a valid success: accepted, fields intact.
    let success = format!(
        r#"{{"status":"success","msg":"ok","atendimento":{{"id_atendimento":7,"protocolo":"20250926160819577001","ordens_servico":[{}]}}}}"#,
        many.join(",")
    );
    assert!(success.len() >= 5 * MB);
    let s = check_classify(200, &success).unwrap().expect("success");
    assert_eq!(s.atendimento.protocolo, "20250926160819577001");

    // A 2 MB msg and 100 000 errors: bounded.
    let long_msg = format!(
        r#"{{"status":"error","msg":"{}","errors":[{}]}}"#,
        "ã".repeat(MB),
        (0..100_000)
            .map(|i| format!("\"erro {i} {}\"", "x".repeat(i % 50)))
            .collect::<Vec<_>>()
            .join(",")
    );
    assert!(long_msg.len() >= 2 * MB);
    let e = response::classify(200, &long_msg).unwrap_err();
    let SubmitError::Rejected { msg, errors, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        msg.as_ref().map(|m| m.chars().count()),
        Some(MAX_SERVER_LINE_CHARS)
    );
    assert_eq!(errors.len(), MAX_SERVER_LINES);
    check_classify(200, &long_msg).unwrap();

    // Repeated JSON that is not one document, a 1 MB number, whitespace, HTML.
    let others = [
        many.join(""),
        "1".repeat(MB),
        format!("-{}e99999999999", "9".repeat(MB)),
        " \n\t".repeat(MB / 3),
        format!("<html><body>{}</body></html>", "<p>502</p>".repeat(MB / 10)),
        format!("\"{}\"", "\\u00e9".repeat(MB / 6)),
        format!("[{}]", many.join(",")),
    ];
    for body in &others {
        for status in [200, 422, 999] {
            check_classify(status, body).unwrap();
        }
    }
}

proptest! {
    #![proptest_config(config(6))]

    #[test]
    fn classify_huge_arbitrary_bytes(
        status in arb_status(),
        seed in prop::collection::vec(any::<u8>(), 1..4096),
        mb in 1..=3usize,
    ) {
        let bytes: Vec<u8> = seed.iter().copied().cycle().take(mb * 1024 * 1024).collect();
        check_classify(status, &String::from_utf8_lossy(&bytes))?;
    }
}

// ---------------------------------------------------------------------------------------------
// Form
// ---------------------------------------------------------------------------------------------

/// Form values: arbitrary text, or values shaped like real ones so that `Ok` is reached often.
fn arb_values() -> impl Strategy<Value = FormValues> {
    (
        prop_oneof![arb_text(), "\\s*[0-9]{1,17}\\s*"],
        prop_oneof![arb_text(), "\\s*\\PC{1,20}\\s*"],
        prop_oneof![arb_text(), typed_valid_phone().prop_map(|(input, _)| input)],
        prop_oneof![
            arb_text(),
            Just(String::new()),
            "\\s*[a-zà-ú.+]{1,10}@[a-z0-9-]{1,10}\\.com(\\.br)?\\s*"
        ],
        prop_oneof![arb_text(), "\\s*\\PC{1,60}\\s*"],
    )
        .prop_map(|(id, nome, telefone, email, descricao)| FormValues {
            id_cliente_servico: id,
            nome,
            telefone,
            email,
            descricao,
            id_tipo_atendimento: String::new(),
        })
}

/// Form values that are valid most of the time (so the reducer reaches `Submitting` often).
fn valid_values() -> impl Strategy<Value = FormValues> {
    (
        "\\s?[1-9][0-9]{0,6}\\s?",
        "\\s?[A-Za-zÀ-ú]{1,10}( [A-Za-zÀ-ú]{1,10})?\\s?",
        typed_valid_phone().prop_map(|(input, _)| input),
        prop_oneof![Just(String::new()), "[a-z]{1,8}@[a-z]{1,8}\\.com\\.br"],
        "\\s?\\PC{0,30}[a-z]\\s?",
    )
        .prop_map(|(id, nome, telefone, email, descricao)| FormValues {
            id_cliente_servico: id,
            nome,
            telefone,
            email,
            descricao,
            id_tipo_atendimento: String::new(),
        })
}

/// Rules with only the service fixed (or not).
fn service(fixed_service: Option<u64>) -> TicketRules {
    TicketRules {
        fixed_service,
        ..TicketRules::default()
    }
}

fn arb_fixed_service() -> impl Strategy<Value = Option<u64>> {
    prop_oneof![
        Just(None),
        (1..=form::ID_MAX).prop_map(Some),
        any::<u64>().prop_map(Some)
    ]
}

fn is_trimmed_nonempty(s: &str) -> bool {
    !s.is_empty() && s.trim() == s
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn validate_never_panics(values in arb_values(), fixed in arb_fixed_service()) {
        let per_field: Vec<(Field, FieldError)> = Field::ALL
            .iter()
            .filter_map(|&f| form::validate_field(f, &values, fixed).err().map(|e| (f, e)))
            .collect();
        match ticket::build(&values, &service(fixed)) {
            Ok(body) => {
                prop_assert!(per_field.is_empty(), "{per_field:?}");
                prop_assert!(matches!(body.telefone.len(), 10 | 11), "{:?}", body.telefone);
                prop_assert!(body.telefone.bytes().all(|b| b.is_ascii_digit()));
                prop_assert_eq!(
                    phone::normalize(&values.telefone).map(|p| p.digits().to_owned()),
                    Ok(body.telefone.clone())
                );
                prop_assert!(is_trimmed_nonempty(&body.nome), "{:?}", body.nome);
                prop_assert!(is_trimmed_nonempty(&body.descricao), "{:?}", body.descricao);
                prop_assert!(body.nome.chars().count() <= form::NOME_MAX);
                prop_assert!(body.descricao.chars().count() <= form::DESCRICAO_MAX);
                match &body.email {
                    None => prop_assert!(values.email.trim().is_empty()),
                    Some(e) => {
                        prop_assert!(is_trimmed_nonempty(e), "{e:?}");
                        prop_assert!(form::is_plausible_email(e));
                    }
                }
                match fixed {
                    Some(id) => prop_assert_eq!(body.id_cliente_servico, id),
                    None => {
                        prop_assert!((1..=form::ID_MAX).contains(&body.id_cliente_servico));
                        prop_assert_eq!(
                            form::parse_id(values.id_cliente_servico.trim()),
                            Some(body.id_cliente_servico)
                        );
                    }
                }
                let json: Value = serde_json::from_str(&body.to_json()).unwrap();
                prop_assert_eq!(json.get("email").is_some(), body.email.is_some());
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                prop_assert_eq!(&errors, &per_field, "validate agrees with validate_field");
                prop_assert!(errors.windows(2).all(|w| w[0].0 < w[1].0), "form order, once each");
                for (f, e) in &errors {
                    prop_assert!(!e.message_pt(*f).is_empty());
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

/// Which request a generated `Finished` answers, relative to the state it is applied to.
#[derive(Debug, Clone)]
enum Which {
    Current,
    Previous,
    Next,
    Any(u32),
}

/// A generated action; `Finished` ids are resolved against the current state.
#[derive(Debug, Clone)]
enum Step {
    Input(Field, String),
    Blur(Field),
    Submit,
    Finished(Which, Result<response::Success, SubmitError>),
    NewTicket,
}

fn arb_outcome() -> impl Strategy<Value = Result<response::Success, SubmitError>> {
    let ok = response::classify(
        200,
        r#"{"status":"success","atendimento":{"id_atendimento":7,"protocolo":"20250926160819577001"}}"#,
    )
    .expect("seed success");
    prop_oneof![
        4 => Just(Ok(ok)),
        1 => Just(Err(SubmitError::Network)),
        1 => Just(Err(SubmitError::Timeout)),
        1 => Just(Err(SubmitError::ServerUnavailable { status: 502 })),
        1 => Just(Err(SubmitError::InvalidResponse { status: 200 })),
        2 => prop::collection::vec(
            prop_oneof![
                prop::sample::select(vec![
                    "O campo telefone é obrigatório.",
                    "O campo nome é obrigatório.",
                    "O valor selecionado para o campo id cliente servico é inválido.",
                    "O campo e-mail deve ser um endereço válido.",
                    "O campo descrição é obrigatório.",
                ])
                .prop_map(String::from),
                arb_text(),
            ],
            0..4,
        )
        .prop_map(|errors| Err(SubmitError::Rejected {
            status: 200,
            msg: Some("Favor preencher".into()),
            errors,
            keyed: vec![],
        })),
        2 => (arb_status(), arb_envelope())
            .prop_map(|(s, env)| response::classify(s, &env.to_string())),
    ]
}

fn arb_step() -> impl Strategy<Value = Step> {
    let field = prop::sample::select(Field::ALL.to_vec());
    let which = prop_oneof![
        4 => Just(Which::Current),
        1 => Just(Which::Previous),
        1 => Just(Which::Next),
        1 => any::<u32>().prop_map(Which::Any),
    ];
    prop_oneof![
        2 => (field.clone(), prop_oneof![arb_text(), typed_valid_phone().prop_map(|(i, _)| i)])
            .prop_map(|(f, v)| Step::Input(f, v)),
        3 => (field.clone(), valid_values())
            .prop_map(|(f, v)| Step::Input(f, v.get(f).to_owned())),
        2 => field.prop_map(Step::Blur),
        3 => Just(Step::Submit),
        3 => (which, arb_outcome()).prop_map(|(w, r)| Step::Finished(w, r)),
        1 => Just(Step::NewTicket),
    ]
}

fn resolve(step: Step, s: &WidgetState) -> Action {
    match step {
        Step::Input(f, v) => Action::Input { field: f, value: v },
        Step::Blur(f) => Action::Blur(f),
        Step::Submit => Action::Submit,
        Step::NewTicket => Action::NewTicket,
        Step::Finished(which, r) => {
            let id = match which {
                Which::Current => s.submission,
                Which::Previous => s.submission.wrapping_sub(1),
                Which::Next => s.submission.wrapping_add(1),
                Which::Any(n) => n,
            };
            Action::Finished {
                submission: id,
                result: r,
            }
        }
    }
}

/// One transition's invariants.
fn check_transition(
    prev: &WidgetState,
    action: &Action,
    next: &WidgetState,
) -> Result<(), TestCaseError> {
    let was = prev.is_submitting();
    let now = next.is_submitting();
    if !was && now {
        prop_assert_eq!(
            next.submission,
            prev.submission.wrapping_add(1),
            "{:?}",
            action
        );
        prop_assert!(matches!(action, Action::Submit));
    } else {
        prop_assert_eq!(next.submission, prev.submission, "{:?}", action);
    }
    if was {
        prop_assert_eq!(
            &next.values,
            &prev.values,
            "values change while submitting: {:?}",
            action
        );
        if now {
            prop_assert_eq!(&next.phase, &prev.phase, "{:?}", action);
        } else {
            prop_assert!(
                matches!(action, Action::Finished { submission, .. } if *submission == prev.submission),
                "left Submitting on {:?}",
                action
            );
        }
    }
    if let Phase::Submitting(body) = &next.phase {
        // The body in flight is exactly what the form validates to.
        let expected = ticket::build(&next.values, &next.rules);
        prop_assert_eq!(expected.as_ref().ok(), Some(body));
    }
    if matches!(prev.phase, Phase::Succeeded(_)) && !matches!(action, Action::NewTicket) {
        prop_assert_eq!(
            next,
            prev,
            "confirmation is final until NewTicket: {:?}",
            action
        );
    }
    if matches!(next.phase, Phase::Succeeded(_)) && !matches!(prev.phase, Phase::Succeeded(_)) {
        let finished_ok = matches!(action, Action::Finished { result: Ok(_), .. });
        prop_assert!(was && finished_ok);
    }
    prop_assert_eq!(&next.rules, &prev.rules);
    prop_assert!(
        next.errors.windows(2).all(|w| w[0].0 < w[1].0),
        "errors once per field, in form order: {:?}",
        next.errors
    );
    let mut touched = next.touched.clone();
    touched.sort();
    touched.dedup();
    prop_assert_eq!(touched.len(), next.touched.len(), "touched has duplicates");
    Ok(())
}

proptest! {
    #![proptest_config(config(192))]

    #[test]
    fn reducer_never_panics_and_keeps_invariants(
        prefill in prop_oneof![3 => valid_values(), 1 => arb_values()],
        fixed in arb_fixed_service(),
        steps in prop::collection::vec(arb_step(), 0..40),
    ) {
        let mut s = WidgetState::new(prefill, service(fixed));
        for step in steps {
            let action = resolve(step, &s);
            let next = s.reduce(action.clone());
            check_transition(&s, &action, &next)?;
            s = next;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

fn arb_endpoint_text() -> impl Strategy<Value = String> {
    let scheme = prop::sample::select(vec![
        "https://",
        "http://",
        "HTTPS://",
        "hTtP://",
        "https:/",
        "ftp://",
        "",
        " https://",
    ]);
    let tail = prop_oneof![
        "[a-z0-9.\\-\\[\\]:@/?#%\\\\ ]{0,30}",
        "(localhost|127\\.0\\.0\\.1|\\[::1\\]|api\\.isp\\.com\\.br|x\\.localhost)(:[0-9]{0,6})?(/[a-z]{0,5}){0,3}/{0,2}\\s*",
        arb_text(),
    ];
    prop_oneof![
        1 => arb_text(),
        3 => (scheme, tail).prop_map(|(s, t)| format!("{s}{t}")),
    ]
}

fn check_endpoint(text: &str) -> Result<(), TestCaseError> {
    if let Ok(ep) = Endpoint::parse(text) {
        let s = ep.as_str();
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"));
        prop_assert!(rest.is_some_and(|r| !r.is_empty()), "{s:?}");
        prop_assert!(!s.ends_with('/'), "{s:?}");
        prop_assert!(!s.contains(['?', '#', '\\']), "{s:?}");
        // No credentials: `@` is refused in the authority (it is legal in a path).
        let authority = rest.unwrap_or("").split('/').next().unwrap_or("");
        prop_assert!(!authority.is_empty() && !authority.contains('@'), "{s:?}");
        prop_assert!(
            !s.chars().any(|c| c.is_whitespace() || c.is_control()),
            "{s:?}"
        );
        prop_assert_eq!(Endpoint::parse(s), Ok(ep.clone()), "parse is idempotent");
    }
    Ok(())
}

fn arb_option_value() -> impl Strategy<Value = Option<Value>> {
    prop::option::of(prop_oneof![
        arb_json(),
        arb_endpoint_text().prop_map(Value::String),
        "\\s*tok_[A-Za-z0-9]{12,24}\\s*".prop_map(Value::String),
        any::<f64>().prop_map(Value::from),
    ])
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn endpoint_parse_never_panics(text in arb_endpoint_text()) {
        check_endpoint(&text)?;
    }

    #[test]
    fn options_from_raw_never_panics(
        endpoint in prop_oneof![
            3 => arb_endpoint_text().prop_map(|t| Some(Value::String(t))),
            1 => arb_option_value(),
        ],
        token in prop_oneof![
            3 => "\\s*tok_[A-Za-z0-9]{12,24}\\s*".prop_map(|t| Some(Value::String(t))),
            1 => arb_option_value(),
        ],
        id in prop_oneof![Just(None), "[1-9][0-9]{0,8}".prop_map(|t| Some(Value::String(t))), arb_option_value()],
        nome in prop_oneof![Just(None), arb_text().prop_map(|t| Some(Value::String(t))), arb_option_value()],
        telefone in prop_oneof![Just(None), arb_text().prop_map(|t| Some(Value::String(t))), arb_option_value()],
        email in prop_oneof![Just(None), arb_text().prop_map(|t| Some(Value::String(t))), arb_option_value()],
        timeout in prop_oneof![Just(None), (0u64..400_000).prop_map(|n| Some(Value::from(n))), arb_option_value()],
        draft_key in prop_oneof![Just(None), arb_text().prop_map(|t| Some(Value::String(t))), arb_option_value()],
    ) {
        let raw = RawOptions {
            endpoint: to_json(endpoint),
            token: to_json(token.clone()),
            id_cliente_servico: to_json(id),
            nome: to_json(nome),
            telefone: to_json(telefone),
            email: to_json(email),
            timeout_ms: to_json(timeout),
            draft_key: to_json(draft_key),
            locked: None,
            services: None,
            tipos: None,
            abrir_os: None,
            locale: None,
            labels: None,
            mode: None,
            idempotency_key: None,
            loading: None,
            bad_attributes: Vec::new(),
            parametros_json: None,
            unreadable: Vec::new(),
        };
        match Options::from_raw(raw) {
            Ok(o) => {
                check_endpoint(o.endpoint.as_str())?;
                prop_assert!((1_000..=300_000).contains(&o.timeout_ms));
                // A missing token is judged at submit, so it may be absent here.
                if let Some(t) = o.token.as_ref().map(|t| t.expose()) {
                    prop_assert!(!t.is_empty() && !t.chars().any(|c| c.is_whitespace() || c.is_control()));
                    if t.starts_with("tok_") {
                        prop_assert!(!format!("{o:?}").contains(t), "token in Debug output");
                    }
                }
                if let Some(id) = o.id_cliente_servico {
                    prop_assert!((1..=form::ID_MAX).contains(&id));
                }
                for v in [&o.prefill.nome, &o.prefill.telefone, &o.prefill.email] {
                    prop_assert_eq!(v.trim(), v.as_str());
                }
                prop_assert!(o.prefill.id_cliente_servico.is_empty());
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in &errors {
                    let m = e.message_pt();
                    prop_assert!(!m.is_empty());
                    if let Some(Value::String(t)) = &token {
                        if t.trim().starts_with("tok_") {
                            prop_assert!(!m.contains(t.trim()), "token in a message");
                        }
                    }
                }
            }
        }
    }
}

/// `options::RawOptions` also reads arbitrary JSON without panicking.
#[test]
fn raw_options_from_odd_json() {
    for v in [
        json!(null),
        json!([]),
        json!({"endpoint": {"a": 1}, "token": [1]}),
        json!(1),
    ] {
        let j: Json = serde_json::from_value(v).unwrap();
        assert!(Options::from_raw(options::RawOptions::from_json(&j)).is_err());
    }
}

// ---------------------------------------------------------------------------------------------
// JSON (core::json): the widget's own JSON value, encoder and nesting guard, against serde_json
// ---------------------------------------------------------------------------------------------

/// The nesting depth of a value: 0 for a scalar, 1 for `[]`.
fn depth_of(v: &Value) -> usize {
    match v {
        Value::Array(items) => 1 + items.iter().map(depth_of).max().unwrap_or(0),
        Value::Object(map) => 1 + map.values().map(depth_of).max().unwrap_or(0),
        _ => 0,
    }
}

/// The same value with every object's members in reverse order (a JavaScript object may list
/// members in another order than the text: integer-like keys first).
fn reversed_members(j: &Json) -> Json {
    match j {
        Json::Array(items) => Json::Array(items.iter().map(reversed_members).collect()),
        Json::Object(members) => Json::Object(
            members
                .iter()
                .rev()
                .map(|(k, v)| (k.clone(), reversed_members(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The body `serde_json` wrote with the former `#[derive(Serialize)] NovoAtendimento`.
#[derive(serde::Serialize)]
struct SerdeNovoAtendimento<'a> {
    id_cliente_servico: u64,
    descricao: &'a str,
    nome: &'a str,
    telefone: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn json_reads_what_serde_json_reads(v in arb_json(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { v.to_string() };
        let j: Json = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(to_value(&j), serde_json::from_str::<Value>(&text).unwrap());
        // From a value tree (as the options object is read): exactly the tree. (serde_json's text
        // parser may round the last digit of a float, so the two readings are compared apart.)
        let from_tree: Json = serde_json::from_value(v.clone()).unwrap();
        prop_assert_eq!(to_value(&from_tree), v.clone());
        let d = depth_of(&v);
        prop_assert!(!json::nesting_exceeds(&text, d), "depth {} of {}", d, text);
        if d > 0 {
            prop_assert!(json::nesting_exceeds(&text, d - 1), "depth {} of {}", d, text);
        }
    }

    #[test]
    fn json_duplicate_keys_like_serde_json(
        members in prop::collection::vec(
            (prop::sample::select(vec!["a", "b", "status", "\u{e9}", "10"]), arb_json()),
            0..10,
        ),
    ) {
        let text = format!(
            "{{{}}}",
            members
                .iter()
                .map(|(k, v)| format!("{}:{}", Value::from(*k), v))
                .collect::<Vec<_>>()
                .join(",")
        );
        let j: Json = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(to_value(&j), serde_json::from_str::<Value>(&text).unwrap());
        let mut first_seen: Vec<&str> = Vec::new();
        for (k, _) in &members {
            if !first_seen.contains(k) {
                first_seen.push(k);
            }
        }
        let keys: Vec<&str> = j.as_object().unwrap().iter().map(|(k, _)| k.as_str()).collect();
        prop_assert_eq!(keys, first_seen);
        // In key order, as serde_json's map iterates.
        let by_key: Vec<&str> = j.members_by_key().iter().map(|(k, _)| k.as_str()).collect();
        let value: Value = serde_json::from_str(&text).unwrap();
        let serde_order: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        prop_assert_eq!(by_key, serde_order);
    }

    #[test]
    fn json_numbers_read_like_serde_json(
        bits in any::<u64>(),
        f in any::<f64>(),
        i in any::<i64>(),
        u in any::<u64>(),
        quarters in (1u64 << 50)..(1u64 << 55),
    ) {
        for x in [f64::from_bits(bits), f, quarters as f64 / 4.0] {
            if let Some(n) = serde_json::Number::from_f64(x) {
                let back: Json = serde_json::from_str(&n.to_string()).unwrap();
                prop_assert_eq!(
                    to_value(&back),
                    serde_json::from_str::<Value>(&n.to_string()).unwrap()
                );
            }
        }
        let j: Json = serde_json::from_value(Value::from(i)).unwrap();
        prop_assert_eq!(j.as_i64(), Some(i));
        let j: Json = serde_json::from_value(Value::from(u)).unwrap();
        prop_assert_eq!(j.as_u64(), Some(u));
    }

    #[test]
    fn encode_string_writes_what_serde_json_writes(s in arb_text()) {
        let mut out = String::new();
        json::encode_string(&s, &mut out);
        prop_assert_eq!(&out, &serde_json::to_string(&s).unwrap());
        prop_assert_eq!(serde_json::from_str::<String>(&out).unwrap(), s);
    }

    #[test]
    fn request_body_is_byte_for_byte_the_former_serde_json_body(
        id in any::<u64>(),
        descricao in arb_text(),
        nome in arb_text(),
        telefone in arb_text(),
        email in prop::option::of(arb_text()),
    ) {
        let body = NovoAtendimento {
            id_cliente_servico: id,
            descricao: descricao.clone(),
            nome: nome.clone(),
            telefone: telefone.clone(),
            email: email.clone(),
            id_tipo_atendimento: None,
            abrir_os: None,
            parametros: None,
        };
        let former = serde_json::to_string(&SerdeNovoAtendimento {
            id_cliente_servico: id,
            descricao: &descricao,
            nome: &nome,
            telefone: &telefone,
            email: email.as_deref(),
        })
        .unwrap();
        prop_assert_eq!(body.to_json(), former);
    }

    #[test]
    fn classify_ignores_member_order(status in arb_status(), env in arb_envelope()) {
        // In the browser the members come in JavaScript property order, not text order.
        let j: Json = serde_json::from_str(&env.to_string()).unwrap();
        let plain = response::classify_parsed(status, Some(&j));
        let reordered = response::classify_parsed(status, Some(&reversed_members(&j)));
        match (plain, reordered) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(to_value(&a.atendimento.raw), to_value(&b.atendimento.raw));
                prop_assert_eq!(
                    (a.atendimento.id_atendimento, a.atendimento.protocolo, a.atendimento.status, a.msg),
                    (b.atendimento.id_atendimento, b.atendimento.protocolo, b.atendimento.status, b.msg)
                );
            }
            (a, b) => prop_assert_eq!(a, b),
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn nesting_guard_agrees_with_serde_json(
        depth in (json::MAX_DEPTH - 3)..=(json::MAX_DEPTH + 3),
        layers in prop::collection::vec(
            (any::<bool>(), prop::sample::select(vec!["", "[", "]}", "\\\"[{", "\\\\", "{\\\"a\\\":["])),
            1..4,
        ),
    ) {
        // Valid JSON `depth` levels deep, with brackets, quotes and backslashes inside strings.
        let mut text = "1".to_owned();
        for i in 0..depth {
            let (object, noise) = &layers[i % layers.len()];
            text = if *object {
                format!("{{\"{noise}\":\"{noise}\",\"k\":{text}}}")
            } else {
                format!("[\"{noise}\",{text},\"{noise}\"]")
            };
        }
        let too_deep = depth > json::MAX_DEPTH;
        prop_assert_eq!(json::nesting_exceeds(&text, json::MAX_DEPTH), too_deep);
        prop_assert_eq!(serde_json::from_str::<Value>(&text).is_err(), too_deep);
        prop_assert_eq!(serde_json::from_str::<Json>(&text).is_err(), too_deep);
    }
}
