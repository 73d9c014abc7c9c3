//! JavaScript values read into the core's [`Json`], with `js-sys` only.
//!
//! Both things the widget reads from JavaScript pass through here: the host's `mount` options
//! (one key at a time, [`field`]) and a response body after the browser's `JSON.parse`
//! ([`from_js`]). Doing it with a few `js-sys` calls instead of serde + serde-wasm-bindgen keeps
//! about 13 KB gzip (a tenth of the bundle) out of the widget; see the README's size section.
//!
//! The mapping follows what serde-wasm-bindgen gave before it: `null`/`undefined` → `null`;
//! a number that is a safe integer (|n| ≤ 2^53 − 1, ECMA-262 `Number.isSafeInteger`) → an
//! integer; any other finite number → a float; `NaN`/`±Infinity` → `null` (as `JSON.stringify`
//! writes them); arrays by index; other objects by their own enumerable string keys
//! (`Object.keys`, ECMA-262 §20.1.2.18). Functions, symbols and BigInts are not JSON.

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

use crate::core::json::{Json, JsonNumber, NotJson, MAX_DEPTH};

/// The most values (of any kind, nested ones included) read from one JavaScript value: far
/// beyond any options object or Hubsoft answer, and a bound on the work a hostile value can cause
/// (a huge sparse array, or an object graph that shares children at every level).
pub const MAX_VALUES: usize = 100_000;

#[wasm_bindgen]
extern "C" {
    /// `Object.keys`, with a throwing Proxy trap caught instead of propagated.
    #[wasm_bindgen(js_namespace = Object, js_name = keys, catch)]
    fn object_keys(object: &JsValue) -> Result<js_sys::Array, JsValue>;
}

/// Converts `value`. `None` when it is, or contains, a function, a symbol or a BigInt; when
/// reading it throws (a getter, a Proxy trap); when arrays/objects nest deeper than
/// [`MAX_DEPTH`] (so a cyclic object ends at the limit instead of exhausting the stack); or when
/// it holds more than [`MAX_VALUES`] values.
pub fn from_js(value: &JsValue) -> Option<Json> {
    let mut budget = MAX_VALUES;
    convert(value, 0, &mut budget)
}

/// Reads `object[name]`: `Ok(None)` when absent (`undefined`), `Ok(Some(json))`, or
/// `Err(NotJson)` when the value is not JSON (see [`from_js`]) or reading it throws.
pub fn field(object: &JsValue, name: &str) -> Result<Option<Json>, NotJson> {
    let value = js_sys::Reflect::get(object, &JsValue::from_str(name)).map_err(|_| NotJson)?;
    if value.is_undefined() {
        Ok(None)
    } else {
        from_js(&value).map(Some).ok_or(NotJson)
    }
}

fn convert(value: &JsValue, depth: usize, budget: &mut usize) -> Option<Json> {
    *budget = budget.checked_sub(1)?;
    if value.is_null() || value.is_undefined() {
        return Some(Json::Null);
    }
    if let Some(b) = value.as_bool() {
        return Some(Json::Bool(b));
    }
    if let Some(x) = value.as_f64() {
        return Some(number(x));
    }
    if let Some(s) = value.as_string() {
        return Some(Json::String(s));
    }
    // Functions, symbols, BigInts; and no container deeper than serde_json would accept.
    if value.is_function() || !value.is_object() || depth >= MAX_DEPTH {
        return None;
    }
    // Every read goes through `Reflect` or a catching binding: a Proxy may throw anywhere.
    let get = |key: &JsValue| js_sys::Reflect::get(value, key).ok();
    if value.is_instance_of::<js_sys::Array>() {
        let length = get(&JsValue::from_str("length"))?.as_f64()?;
        if length > *budget as f64 {
            return None;
        }
        let mut items = Vec::with_capacity((length as usize).min(4096));
        for i in 0..length as u32 {
            items.push(convert(&get(&JsValue::from(i))?, depth + 1, budget)?);
        }
        return Some(Json::Array(items));
    }
    let keys = object_keys(value).ok()?;
    let mut members = Vec::with_capacity((keys.length() as usize).min(4096));
    for key in keys.iter() {
        let item = get(&key)?;
        members.push((key.as_string()?, convert(&item, depth + 1, budget)?));
    }
    // Object keys are unique already: no duplicate handling needed.
    Some(Json::Object(members))
}

/// A finite number as an integer when it is a safe integer, else as a float; non-finite → null.
fn number(x: f64) -> Json {
    /// `Number.MAX_SAFE_INTEGER`, 2^53 − 1.
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    if !x.is_finite() {
        Json::Null
    } else if x.fract() == 0.0 && x.abs() <= MAX_SAFE {
        if x >= 0.0 {
            Json::Number(JsonNumber::UInt(x as u64))
        } else {
            Json::Number(JsonNumber::Int(x as i64))
        }
    } else {
        Json::Number(JsonNumber::Float(x))
    }
}

/// In the browser: values built by JavaScript, including the ones that are not JSON.
#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    /// The value of the JavaScript expression `source`.
    fn js(source: &str) -> JsValue {
        js_sys::Function::new_no_args(&format!("return ({source});"))
            .call0(&JsValue::NULL)
            .expect("test expression runs")
    }

    fn json(text: &str) -> Json {
        serde_json::from_str(text).unwrap()
    }

    #[wasm_bindgen_test]
    fn plain_values_read_like_serde_json() {
        let cases = [
            ("null", "null"),
            ("undefined", "null"),
            ("true", "true"),
            ("286", "286"),
            ("-3", "-3"),
            ("-0", "0"),
            ("1.5", "1.5"),
            ("9007199254740991", "9007199254740991"),
            ("NaN", "null"),
            ("-Infinity", "null"),
            ("'Olá 😢'", r#""Olá 😢""#),
            ("[1, 'a', [null, {}]]", r#"[1, "a", [null, {}]]"#),
            ("{b: 1, a: {c: [true]}}", r#"{"b": 1, "a": {"c": [true]}}"#),
        ];
        for (source, want) in cases {
            assert_eq!(from_js(&js(source)), Some(json(want)), "{source}");
        }
        // Beyond 2^53 a number is no longer a safe integer: a float, never a wrong integer.
        assert!(!from_js(&js("9007199254740993")).unwrap().is_integer());
        // Symbol-keyed and non-enumerable members are not part of the object.
        assert_eq!(
            from_js(&js(
                "Object.defineProperty({[Symbol('s')]: 1, a: 2}, 'h', {value: 3})"
            )),
            Some(json(r#"{"a": 2}"#))
        );
    }

    #[wasm_bindgen_test]
    fn values_that_are_not_json_are_refused_wherever_they_are() {
        for source in [
            "() => 1",
            "Symbol('x')",
            "10n",
            "[1, () => 2]",
            "{a: {b: 10n}}",
            "(() => { const o = {}; o.self = o; return o; })()",
            "{get boom() { throw new Error('getter'); }}",
            // Proxies whose traps throw, wherever they sit; a revoked Proxy.
            "{labels: new Proxy({}, {ownKeys() { throw new Error('trap'); }})}",
            "[new Proxy([], {get(t, k) { if (k === 'length') throw 1; return t[k]; }})]",
            "new Proxy({a: 1}, {get() { throw new Error('trap'); }})",
            "(() => { const r = Proxy.revocable({}, {}); r.revoke(); return {x: r.proxy}; })()",
            // Too much to read: a huge sparse array; children shared at every level (2^40 paths).
            "(() => { const a = []; a.length = 2 ** 32 - 1; return {services: a}; })()",
            "(() => { let x = {}; for (let i = 0; i < 40; i++) x = {a: x, b: x}; return x; })()",
        ] {
            assert_eq!(from_js(&js(source)), None, "{source}");
        }
    }

    #[wasm_bindgen_test]
    fn nesting_is_limited_like_serde_json() {
        let nested = |depth: usize| js(&format!("{}1{}", "[".repeat(depth), "]".repeat(depth)));
        assert!(from_js(&nested(MAX_DEPTH)).is_some());
        assert_eq!(from_js(&nested(MAX_DEPTH + 1)), None);
    }

    #[wasm_bindgen_test]
    fn fields_tell_absent_from_unreadable() {
        let options = js(
            "{endpoint: 'https://a.com.br', nada: undefined, token: () => 't', \
                          get id_cliente_servico() { throw new Error('x'); }, nome: null}",
        );
        assert_eq!(
            field(&options, "endpoint"),
            Ok(Some(Json::String("https://a.com.br".into())))
        );
        assert_eq!(field(&options, "nada"), Ok(None));
        assert_eq!(field(&options, "ausente"), Ok(None));
        assert_eq!(field(&options, "nome"), Ok(Some(Json::Null)));
        assert_eq!(field(&options, "token"), Err(NotJson));
        assert_eq!(field(&options, "id_cliente_servico"), Err(NotJson));
    }
}
