//! A minimal owned JSON value and the two JSON helpers the widget needs, without `serde_json`
//! (kept out of the WebAssembly bundle for size).
//!
//! - [`Json`]: a JSON value (RFC 8259 §3). In the browser it is read from JavaScript values by
//!   the widget's `js_json` module (after `JSON.parse`, or from the host's options object); natively it
//!   implements `serde::Deserialize` for `serde_json` (the native classifier and the tests).
//! - [`encode_string`]: RFC 8259 §7 string escaping, used to write the request body by hand.
//! - [`nesting_exceeds`]: a scan that refuses pathologically nested text before it is parsed.
//!
//! The shapes follow `serde_json::Value` (without its `preserve_order` feature) so that the
//! classification of Hubsoft's answer stays what it was: non-finite floats become `null`,
//! duplicate object keys keep the last value, and nesting deeper than [`MAX_DEPTH`] is an error.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// The deepest nesting of arrays and objects accepted: 127 levels, exactly what `serde_json`
/// accepts (its recursion limit of 128 refuses the 128th level). Deeper bodies are treated as
/// "not JSON", both by [`Json`]'s deserializer and, before any parsing, by [`nesting_exceeds`], so
/// that a hostile body can never exhaust the WebAssembly stack (with `panic = "abort"` a stack
/// overflow would kill the widget). 127 levels cost a few tens of KiB of stack, well inside the
/// 1 MiB default.
pub const MAX_DEPTH: usize = 127;

/// A JSON number (RFC 8259 §6), kept the way `serde_json` keeps it so that integers never lose
/// precision: a non-negative integer is always [`JsonNumber::UInt`], a negative one
/// [`JsonNumber::Int`], anything else (fraction, exponent, out of the 64-bit ranges)
/// [`JsonNumber::Float`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum JsonNumber {
    /// An integer from 0 to `u64::MAX`.
    UInt(u64),
    /// A negative integer from `i64::MIN` to -1.
    Int(i64),
    /// Any other number; always finite (non-finite values become [`Json::Null`]).
    Float(f64),
}

impl JsonNumber {
    /// Whether the number is an integer (`UInt` or `Int`); a float with no fraction is not.
    pub fn is_integer(&self) -> bool {
        !matches!(self, JsonNumber::Float(_))
    }

    /// The value as `u64` when it is a non-negative integer.
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            JsonNumber::UInt(u) => Some(u),
            _ => None,
        }
    }

    /// The value as `i64` when it is an integer in `i64`'s range.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            JsonNumber::UInt(u) => i64::try_from(u).ok(),
            JsonNumber::Int(i) => Some(i),
            JsonNumber::Float(_) => None,
        }
    }

    /// The value as `f64` (integers beyond 2^53 are rounded).
    pub fn as_f64(&self) -> f64 {
        match *self {
            JsonNumber::UInt(u) => u as f64,
            JsonNumber::Int(i) => i as f64,
            JsonNumber::Float(f) => f,
        }
    }
}

/// A value read from outside that has no JSON form (in the browser: a function, a symbol, a
/// BigInt, a throwing getter, or nesting deeper than [`MAX_DEPTH`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotJson;

/// An owned JSON value (RFC 8259 §3).
///
/// Objects keep their members in the order received (for a JavaScript object: its property
/// order); a key appears once, at its first position, with the value of its last occurrence (like
/// `JSON.parse`; `serde_json` also keeps the last value). Equality compares members in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Json {
    /// `null` (also JavaScript `undefined`, and non-finite numbers).
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number.
    Number(JsonNumber),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object: its members as `(key, value)` pairs, keys unique.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The members of an object value, in order.
    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The items of an array value.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The number of a number value.
    pub fn as_number(&self) -> Option<&JsonNumber> {
        match self {
            Json::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The member `key` of an object value; `None` when absent or when `self` is not an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_object()?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// The value as `u64` when it is a non-negative integer.
    pub fn as_u64(&self) -> Option<u64> {
        self.as_number()?.as_u64()
    }

    /// The value as `i64` when it is an integer in `i64`'s range.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number()?.as_i64()
    }

    /// Whether the value is an integer number (see [`JsonNumber::is_integer`]).
    pub fn is_integer(&self) -> bool {
        self.as_number().is_some_and(JsonNumber::is_integer)
    }

    /// The members of an object value in the byte order of their keys (the order in which
    /// `serde_json`'s `Map` iterates); empty for any other value.
    pub fn members_by_key(&self) -> Vec<&(String, Json)> {
        let members = self.as_object().unwrap_or(&[]);
        key_order(members)
            .into_iter()
            .map(|i| &members[i])
            .collect()
    }

    /// Whether the value is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }
}

impl<'de> Deserialize<'de> for Json {
    /// Reads any self-describing value. Errors: nesting deeper than [`MAX_DEPTH`], object keys
    /// that are not strings, and whatever the deserializer itself refuses.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        JsonSeed { depth: 0 }.deserialize(deserializer)
    }
}

/// Deserializes one value found inside `depth` arrays/objects.
#[derive(Clone, Copy)]
struct JsonSeed {
    depth: usize,
}

impl JsonSeed {
    /// The seed for the items of a container opened at this level, or an error past [`MAX_DEPTH`].
    fn inner<E: de::Error>(self) -> Result<JsonSeed, E> {
        let depth = self.depth + 1;
        if depth > MAX_DEPTH {
            Err(E::custom("JSON nested too deeply"))
        } else {
            Ok(JsonSeed { depth })
        }
    }
}

impl<'de> DeserializeSeed<'de> for JsonSeed {
    type Value = Json;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for JsonSeed {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json::Number(match u64::try_from(v) {
            Ok(u) => JsonNumber::UInt(u),
            Err(_) => JsonNumber::Int(v),
        }))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
        Ok(Json::Number(JsonNumber::UInt(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(if v.is_finite() {
            Json::Number(JsonNumber::Float(v))
        } else {
            Json::Null
        })
    }

    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let inner = self.inner()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let inner = self.inner()?;
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(inner)?;
            members.push((key, value));
        }
        Ok(Json::Object(last_wins(members)))
    }
}

/// Removes duplicate keys: each key stays at its first position with the value of its last
/// occurrence. O(n log n), so a hostile object with many keys stays cheap.
fn last_wins(mut members: Vec<(String, Json)>) -> Vec<(String, Json)> {
    let order = key_order(&members);
    // Runs of equal keys in `order` are in position order: (first, last) of each run.
    let mut moves = Vec::new();
    let mut drop = vec![false; members.len()];
    for run in order.chunk_by(|&a, &b| members[a].0 == members[b].0) {
        if let [first, .., last] = run {
            moves.push((*first, *last));
            for &i in &run[1..] {
                drop[i] = true;
            }
        }
    }
    if moves.is_empty() {
        return members;
    }
    for (first, last) in moves {
        members[first].1 = std::mem::take(&mut members[last].1);
    }
    let mut i = 0;
    members.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
    members
}

/// The positions of `members` ordered by key (byte order), then by position. A heapsort: O(n log
/// n) without recursion, and much less code in the bundle than a monomorphised `slice::sort`.
fn key_order(members: &[(String, Json)]) -> Vec<usize> {
    let less = |a: usize, b: usize| (members[a].0.as_str(), a) < (members[b].0.as_str(), b);
    let sift = |v: &mut [usize], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && less(v[child], v[child + 1]) {
            child += 1;
        }
        if !less(v[root], v[child]) {
            break;
        }
        v.swap(root, child);
        root = child;
    };
    let mut v: Vec<usize> = (0..members.len()).collect();
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift(&mut v, i, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift(&mut v, 0, end);
    }
    v
}

/// Appends `s` to `out` as a JSON string literal (RFC 8259 §7), quotes included: `"` and `\` are
/// escaped, control characters U+0000 to U+001F become `\b`, `\t`, `\n`, `\f`, `\r` or `\u00XX`
/// (lower-case hex), everything else (U+2028, emoji, DEL…) is copied as UTF-8. The output is
/// byte for byte what `serde_json` writes for the same string.
pub fn encode_string(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => '"',
            b'\\' => '\\',
            0x08 => 'b',
            0x09 => 't',
            0x0A => 'n',
            0x0C => 'f',
            0x0D => 'r',
            0x00..=0x1F => 'u',
            _ => continue,
        };
        // `i` is at an ASCII byte, so both slices end on character boundaries.
        out.push_str(&s[start..i]);
        out.push('\\');
        out.push(short);
        if short == 'u' {
            out.push_str("00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Follows JSON text byte by byte and tells which bytes belong to a string literal (its quotes
/// and escapes included), so the scanners below ([`nesting_exceeds`], [`quote_unsafe_integers`])
/// skip brackets and digits inside strings the same way.
#[derive(Default)]
struct StringScan {
    inside: bool,
    escaped: bool,
}

impl StringScan {
    /// Takes the next byte; `true` when it is part of a string literal.
    fn feed(&mut self, b: u8) -> bool {
        if self.inside {
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.inside = false;
            }
            true
        } else if b == b'"' {
            self.inside = true;
            true
        } else {
            false
        }
    }
}

/// Whether JSON `text` nests arrays and objects more than `max` levels deep. Brackets inside
/// strings (escapes included) are not counted. For valid JSON the answer is exact; for invalid
/// text it is a cheap over-approximation (such text fails to parse anyway). Linear time, constant
/// memory, no recursion: safe to run on any body before handing it to a parser.
pub fn nesting_exceeds(text: &str, max: usize) -> bool {
    let mut depth = 0usize;
    let mut strings = StringScan::default();
    for b in text.bytes() {
        if strings.feed(b) {
            continue;
        }
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// The largest integer a JavaScript number holds exactly, 2^53 − 1 (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// JSON `text` with every bare integer whose magnitude exceeds [`MAX_SAFE_INTEGER`] written as a
/// string of the same digits (`{"protocolo":20250926160819577001}` →
/// `{"protocolo":"20250926160819577001"}`), so that a parser storing numbers as doubles
/// (`JSON.parse`) keeps every digit. Numbers inside strings, fractions and exponents are left
/// as they are, and so is anything RFC 8259 does not call an integer (a leading zero, say), so
/// text that was not JSON does not become JSON. Borrowed when nothing changes. Linear time.
pub fn quote_unsafe_integers(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut strings = StringScan::default();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if strings.feed(b) {
            i += 1;
            continue;
        }
        if b != b'-' && !b.is_ascii_digit() {
            i += 1;
            continue;
        }
        // A number token: [-] digits [. digits] [e [+-] digits].
        let start = i;
        let digits_start = if b == b'-' { i + 1 } else { i };
        let mut end = digits_start;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
        }
        let digits = &text[digits_start..end];
        let mut token_end = end;
        while token_end < bytes.len()
            && matches!(
                bytes[token_end],
                b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-'
            )
        {
            token_end += 1;
        }
        let integer = token_end == end && !digits.is_empty() && !digits.starts_with('0');
        let unsafe_magnitude = digits.len() > 16
            || (digits.len() == 16 && digits.parse::<u64>().is_ok_and(|n| n > MAX_SAFE_INTEGER));
        if integer && unsafe_magnitude {
            out.push_str(&text[copied..start]);
            out.push('"');
            out.push_str(&text[start..end]);
            out.push('"');
            copied = end;
        }
        i = token_end.max(start + 1);
    }
    if copied == 0 {
        std::borrow::Cow::Borrowed(text)
    } else {
        out.push_str(&text[copied..]);
        std::borrow::Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_beyond_2_pow_53_are_quoted_and_nothing_else() {
        let q = |t: &str| quote_unsafe_integers(t).into_owned();
        assert_eq!(
            q(r#"{"protocolo":20250926160819577001,"id_atendimento":9007199254740993}"#),
            r#"{"protocolo":"20250926160819577001","id_atendimento":"9007199254740993"}"#
        );
        assert_eq!(q("[-9007199254740993]"), r#"["-9007199254740993"]"#);
        assert_eq!(
            q("123456789012345678901234567890"),
            r#""123456789012345678901234567890""#
        );
        for same in [
            r#"{"a":9007199254740991,"b":-9007199254740991,"c":286}"#,
            r#"{"s":"20250926160819577001","t":"x\"20250926160819577001"}"#,
            r#"{"f":20250926160819577001.5,"e":20250926160819577001e3,"g":1E400}"#,
            r#"{"lead":020250926160819577001}"#,
            "",
            "<html>OK</html>",
        ] {
            assert!(
                matches!(quote_unsafe_integers(same), std::borrow::Cow::Borrowed(_)),
                "{same}"
            );
        }
    }

    fn encoded(s: &str) -> String {
        let mut out = String::new();
        encode_string(s, &mut out);
        out
    }

    #[test]
    fn strings_are_escaped_as_rfc_8259_says() {
        assert_eq!(encoded(""), r#""""#);
        assert_eq!(encoded(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(
            encoded("\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1f} \u{7f}"),
            r#""\u0000\u0001\b\t\n\u000b\f\r\u001f "#.to_owned() + "\u{7f}\""
        );
        assert_eq!(
            encoded("é 😢 \u{2028}\u{2029} <b>/"),
            "\"é 😢 \u{2028}\u{2029} <b>/\""
        );
    }

    #[test]
    fn every_control_char_quote_backslash_and_unicode_round_trips() {
        let mut s: String = (0u8..0x20).map(char::from).collect();
        s.push_str("\"\\/ \u{7f}\u{80}\u{ff}é😢\u{2028}\u{2029}\u{feff}\u{10ffff}");
        let text = encoded(&s);
        assert!(
            !text[1..text.len() - 1].chars().any(|c| (c as u32) < 0x20),
            "{text}"
        );
        let back: String = serde_json::from_str(&text).unwrap();
        assert_eq!(back, s);
        assert_eq!(text, serde_json::to_string(&s).unwrap());
    }

    #[test]
    fn nesting_is_counted_outside_strings_only() {
        assert!(!nesting_exceeds("", 0));
        assert!(!nesting_exceeds("1", 0));
        assert!(nesting_exceeds("[]", 0));
        assert!(!nesting_exceeds("[[1]]", 2));
        assert!(nesting_exceeds("[[[1]]]", 2));
        assert!(!nesting_exceeds("[{\"a\":[1]},{\"b\":[2]}]", 3));
        assert!(nesting_exceeds("[{\"a\":[1]},{\"b\":[[2]]}]", 3));
        assert!(!nesting_exceeds(r#"["[[[[", "\"[[[", "\\", "{{{"]"#, 1));
        assert!(nesting_exceeds(r#"["\\"[[]"#, 2));
        assert!(nesting_exceeds(&"[".repeat(100_000), MAX_DEPTH));
    }

    #[test]
    fn deserialises_every_shape_with_serde_json() {
        let j: Json = serde_json::from_str(
            r#"{"n":null,"t":true,"u":18446744073709551615,"i":-9223372036854775808,
                "f":1.5,"big":18446744073709551616,"one":1.0,"neg0":-0,"s":"é\n",
                "a":[1,[2]],"o":{"k":"v"},"dup":1,"z":0,"dup":2}"#,
        )
        .unwrap();
        let keys: Vec<&str> = j.as_object().unwrap().iter().map(|(k, _)| &**k).collect();
        assert_eq!(
            keys,
            ["n", "t", "u", "i", "f", "big", "one", "neg0", "s", "a", "o", "dup", "z"]
        );
        assert!(j.get("n").unwrap().is_null());
        assert_eq!(j.get("t"), Some(&Json::Bool(true)));
        assert_eq!(j.get("u").and_then(Json::as_u64), Some(u64::MAX));
        assert_eq!(j.get("i").and_then(Json::as_i64), Some(i64::MIN));
        assert_eq!(j.get("f"), Some(&Json::Number(JsonNumber::Float(1.5))));
        assert!(!j.get("big").unwrap().is_integer());
        assert!(!j.get("one").unwrap().is_integer());
        assert!(j.get("z").unwrap().is_integer());
        assert_eq!(j.get("s").and_then(Json::as_str), Some("é\n"));
        assert_eq!(j.get("a").and_then(Json::as_array).map(<[_]>::len), Some(2));
        assert_eq!(
            j.get("o").and_then(|o| o.get("k")).and_then(Json::as_str),
            Some("v")
        );
        assert_eq!(j.get("dup").and_then(Json::as_u64), Some(2), "last wins");
        assert_eq!(j.get("missing"), None);
        assert_eq!(Json::String("x".into()).get("x"), None);
    }

    #[test]
    fn duplicate_keys_keep_first_position_and_last_value() {
        let j: Json = serde_json::from_str(r#"{"b":1,"a":2,"b":3,"c":4,"a":5,"b":6}"#).unwrap();
        let want = Json::Object(vec![
            ("b".into(), Json::Number(JsonNumber::UInt(6))),
            ("a".into(), Json::Number(JsonNumber::UInt(5))),
            ("c".into(), Json::Number(JsonNumber::UInt(4))),
        ]);
        assert_eq!(j, want);
    }

    #[test]
    fn members_by_key_is_byte_order() {
        let keys = [
            "telefone", "10", "9", "", "nome", "é", "Z", "a", "ab", "aa", "0", "zz", "~", "b",
        ];
        for n in 0..=keys.len() {
            let members: Vec<(String, Json)> = keys[..n]
                .iter()
                .map(|k| (k.to_string(), Json::Null))
                .collect();
            let object = Json::Object(members);
            let got: Vec<&str> = object
                .members_by_key()
                .iter()
                .map(|(k, _)| k.as_str())
                .collect();
            let mut want = keys[..n].to_vec();
            want.sort_unstable();
            assert_eq!(got, want);
        }
        assert!(Json::Null.members_by_key().is_empty());
    }

    #[test]
    fn nesting_limit_matches_serde_json() {
        let nested = |d: usize| format!("{}1{}", "[".repeat(d), "]".repeat(d));
        assert!(serde_json::from_str::<Json>(&nested(MAX_DEPTH)).is_ok());
        assert!(serde_json::from_str::<Json>(&nested(MAX_DEPTH + 1)).is_err());
        assert!(!nesting_exceeds(&nested(MAX_DEPTH), MAX_DEPTH));
        assert!(nesting_exceeds(&nested(MAX_DEPTH + 1), MAX_DEPTH));
        // The deserializer's own limit holds for a deserializer without one (a `Value` tree).
        let mut deep = serde_json::Value::Null;
        for _ in 0..MAX_DEPTH + 1 {
            deep = serde_json::Value::Array(vec![deep]);
        }
        assert!(serde_json::from_value::<Json>(deep.clone()).is_err());
        let serde_json::Value::Array(mut inner) = deep else {
            unreachable!()
        };
        assert!(serde_json::from_value::<Json>(inner.remove(0)).is_ok());
    }

    #[test]
    fn non_finite_floats_are_null() {
        use serde::de::value::{Error, F64Deserializer};
        use serde::de::IntoDeserializer;
        for f in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let d: F64Deserializer<Error> = f.into_deserializer();
            assert_eq!(Json::deserialize(d), Ok(Json::Null));
        }
    }
}
