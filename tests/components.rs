//! Component tests in a real headless Chromium (`wasm-bindgen-test`): the widget mounted through
//! the public `mount` API, driven with real DOM events.
#![cfg(target_arch = "wasm32")]

use abrir_chamado::embed::mount;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{
    Element, Event, EventInit, HtmlElement, HtmlInputElement, HtmlTextAreaElement, ShadowRoot,
};

wasm_bindgen_test_configure!(run_in_browser);

/// The value the JavaScript function body `source` returns (values Rust cannot build).
fn js_value(source: &str) -> JsValue {
    js_sys::Function::new_no_args(source)
        .call0(&JsValue::NULL)
        .expect("test script runs")
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Builds a JS options object from pairs; numbers are given as `JsValue`s.
fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let obj = js_sys::Object::new();
    for (k, v) in pairs {
        js_sys::Reflect::set(&obj, &(*k).into(), v).unwrap();
    }
    obj.into()
}

fn base_options() -> Vec<(&'static str, JsValue)> {
    // Each test's widgets keep living (their handles are forgotten) and save drafts 400 ms after
    // typing: a draft key of its own keeps one test's draft out of the next test's form.
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let key = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    vec![
        // Port 9 (discard) on loopback: nothing listens, so fetch fails fast with a network error.
        ("endpoint", "http://127.0.0.1:9".into()),
        ("token", "test-token".into()),
        ("draft_key", format!("test-{key}").into()),
    ]
}

async fn mounted(opts: JsValue) -> (Element, ShadowRoot) {
    // Every test starts as a first visit: no draft, and no mark of a send left by another test
    // (the tests share one page and its storage).
    if let Some(storage) = web_sys::window().unwrap().local_storage().ok().flatten() {
        storage.clear().unwrap();
    }
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    let _handle = mount(host.clone(), opts);
    std::mem::forget(_handle);
    yew::scheduler::flush().await;
    let shadow = host.shadow_root().expect("open shadow root");
    (host, shadow)
}

fn q(root: &ShadowRoot, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

fn text(root: &ShadowRoot) -> String {
    root.text_content().unwrap_or_default()
}

fn label_texts(root: &ShadowRoot) -> Vec<String> {
    let list = root.query_selector_all("label").unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().text_content().unwrap())
        .collect()
}

async fn type_into(root: &ShadowRoot, name: &str, value: &str) {
    let el = q(root, &format!("[name={name}]")).expect(name);
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        input.set_value(value);
    } else {
        el.dyn_ref::<HtmlTextAreaElement>()
            .unwrap()
            .set_value(value);
    }
    let init = EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    yew::scheduler::flush().await;
}

async fn blur(root: &ShadowRoot, name: &str) {
    let el = q(root, &format!("[name={name}]")).unwrap();
    el.dispatch_event(&Event::new("blur").unwrap()).unwrap();
    yew::scheduler::flush().await;
}

async fn click_submit(root: &ShadowRoot) {
    let button: HtmlElement = q(root, "button[type=submit]").unwrap().dyn_into().unwrap();
    button.click();
    yew::scheduler::flush().await;
}

fn attr(root: &ShadowRoot, name: &str, attr: &str) -> Option<String> {
    q(root, &format!("[name={name}]"))
        .unwrap()
        .get_attribute(attr)
}

#[wasm_bindgen_test]
async fn renders_every_field_with_labels_and_the_submit_button() {
    let (_host, root) = mounted(options(&base_options())).await;
    let labels = label_texts(&root).join(" | ").to_lowercase();
    for word in ["serviço", "nome", "telefone", "e-mail", "descrição"] {
        assert!(labels.contains(word), "{word} in {labels}");
    }
    assert!(
        labels.contains("opcional"),
        "e-mail marked optional: {labels}"
    );
    let button = q(&root, "button[type=submit]").unwrap();
    assert_eq!(button.text_content().unwrap().trim(), "Abrir chamado");
    // Every input is labelled by its <label for=…>.
    let inputs = root.query_selector_all("input, textarea").unwrap();
    assert_eq!(inputs.length(), 5);
    for i in 0..inputs.length() {
        let el: Element = inputs.item(i).unwrap().dyn_into().unwrap();
        let id = el.id();
        assert!(
            q(&root, &format!("label[for='{id}']")).is_some(),
            "label for {id}"
        );
    }
    assert_eq!(
        attr(&root, "telefone", "autocomplete").as_deref(),
        Some("tel-national")
    );
    assert_eq!(attr(&root, "telefone", "inputmode").as_deref(), Some("tel"));
    assert_eq!(attr(&root, "nome", "autocomplete").as_deref(), Some("name"));
    assert_eq!(attr(&root, "email", "type").as_deref(), Some("email"));
}

#[wasm_bindgen_test]
async fn host_supplied_service_hides_the_field_and_prefills() {
    let mut opts = base_options();
    opts.push(("id_cliente_servico", JsValue::from_f64(11000.0)));
    opts.push(("nome", "Maria da Silva".into()));
    opts.push(("telefone", "37999112233".into()));
    let (_host, root) = mounted(options(&opts)).await;
    assert!(q(&root, "[name=id_cliente_servico]").is_none());
    assert!(!label_texts(&root).join(" ").contains("Serviço"));
    let nome: HtmlInputElement = q(&root, "[name=nome]").unwrap().dyn_into().unwrap();
    assert_eq!(nome.value(), "Maria da Silva");
    // A valid host phone is shown formatted, also after the widget re-reads the host's values.
    let telefone: HtmlInputElement = q(&root, "[name=telefone]").unwrap().dyn_into().unwrap();
    assert_eq!(telefone.value(), "(37) 99911-2233");
}

#[wasm_bindgen_test]
async fn submit_with_errors_marks_fields_and_focuses_the_first() {
    let (_host, root) = mounted(options(&base_options())).await;
    type_into(&root, "telefone", "99911-2233").await;
    click_submit(&root).await;
    yew::scheduler::flush().await;
    assert_eq!(
        attr(&root, "id_cliente_servico", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(attr(&root, "nome", "aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        attr(&root, "email", "aria-invalid").as_deref(),
        Some("false")
    );
    let described = attr(&root, "telefone", "aria-describedby").unwrap();
    let error_id = described
        .split(' ')
        .find(|id| id.ends_with("-erro"))
        .unwrap();
    let error = root
        .get_element_by_id(error_id)
        .unwrap()
        .text_content()
        .unwrap();
    assert!(error.contains("DDD"), "{error}");
    let active = root.active_element().expect("focus moved into the widget");
    assert_eq!(
        active.get_attribute("name").as_deref(),
        Some("id_cliente_servico")
    );
    let telefone: HtmlInputElement = q(&root, "[name=telefone]").unwrap().dyn_into().unwrap();
    assert_eq!(telefone.value(), "99911-2233", "typed value kept");
}

#[wasm_bindgen_test]
async fn an_invalid_radio_group_describes_each_radio_with_its_error() {
    let mut opts = base_options();
    opts.push((
        "services",
        js_value(
            "return [{id_cliente_servico: 11000, label: 'Fibra'}, \
             {id_cliente_servico: 11001, label: 'Telefone fixo'}]",
        ),
    ));
    let (_host, root) = mounted(options(&opts)).await;
    let radios = root
        .query_selector_all("input[type=radio][name=id_cliente_servico]")
        .unwrap();
    assert_eq!(radios.length(), 2);
    let radio = |i| -> Element { radios.item(i).unwrap().dyn_into().unwrap() };
    assert_eq!(radio(0).get_attribute("aria-describedby"), None);
    click_submit(&root).await;
    yew::scheduler::flush().await;
    // Focus lands on a radio: the radio itself names the error text (a screen reader reads a
    // focused control's own description), and the fieldset does not (no second reading).
    let active = root.active_element().expect("focus moved into the widget");
    assert_eq!(active.get_attribute("type").as_deref(), Some("radio"));
    assert_eq!(
        active.get_attribute("aria-invalid").as_deref(),
        Some("true")
    );
    for i in 0..2 {
        let id = radio(i)
            .get_attribute("aria-describedby")
            .expect("described");
        let error = root
            .get_element_by_id(&id)
            .expect("error text")
            .text_content()
            .unwrap();
        assert!(error.contains("serviço"), "{error}");
    }
    assert_eq!(
        q(&root, "fieldset")
            .unwrap()
            .get_attribute("aria-describedby"),
        None
    );
}

#[wasm_bindgen_test]
async fn blur_validates_and_formats_the_phone() {
    let (_host, root) = mounted(options(&base_options())).await;
    type_into(&root, "telefone", "(37) 9911-2233").await;
    assert_eq!(
        attr(&root, "telefone", "aria-invalid").as_deref(),
        Some("false"),
        "no error while typing"
    );
    blur(&root, "telefone").await;
    assert_eq!(
        attr(&root, "telefone", "aria-invalid").as_deref(),
        Some("true")
    );
    assert!(
        text(&root).contains("Confira se falta o 9") || text(&root).contains("9 dígitos"),
        "{}",
        text(&root)
    );
    type_into(&root, "telefone", "+55 37 99911 2233").await;
    assert_eq!(
        attr(&root, "telefone", "aria-invalid").as_deref(),
        Some("false")
    );
    blur(&root, "telefone").await;
    let telefone: HtmlInputElement = q(&root, "[name=telefone]").unwrap().dyn_into().unwrap();
    assert_eq!(telefone.value(), "(37) 99911-2233");
}

#[wasm_bindgen_test]
async fn network_failure_keeps_the_form_filled() {
    let (_host, root) = mounted(options(&base_options())).await;
    type_into(&root, "id_cliente_servico", "11000").await;
    type_into(&root, "nome", "Maria").await;
    type_into(&root, "telefone", "37999112233").await;
    type_into(&root, "descricao", "Sem internet <b>desde</b> ontem").await;
    click_submit(&root).await;
    let button: HtmlElement = q(&root, "button[type=submit]").unwrap().dyn_into().unwrap();
    // Locked while sending without dropping the focus: the button `aria-disabled`, the fields
    // read-only (a `disabled` control would lose the focus to the page).
    assert_eq!(
        button.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    assert!(!button.has_attribute("disabled"));
    let nome_field: HtmlInputElement = q(&root, "[name=nome]").unwrap().dyn_into().unwrap();
    assert!(nome_field.read_only() && !nome_field.disabled());
    // Wait (bounded) for the failed fetch to come back.
    let alert = alert_within(&root, 100).await;
    assert!(alert.contains("Verifique sua conexão"), "{alert}");
    assert!(!button.has_attribute("aria-disabled"));
    assert!(!nome_field.read_only());
    let desc: HtmlTextAreaElement = q(&root, "[name=descricao]").unwrap().dyn_into().unwrap();
    assert_eq!(desc.value(), "Sem internet <b>desde</b> ontem");
    let nome: HtmlInputElement = q(&root, "[name=nome]").unwrap().dyn_into().unwrap();
    assert_eq!(nome.value(), "Maria");
}

/// With `idempotency_key` on, a network failure is retried (nothing listens, so every attempt
/// fails) and the banner says that sending again is safe instead of warning about a duplicate;
/// the "send again?" question says so too. Off, the warning stays.
#[wasm_bindgen_test]
async fn with_the_idempotency_key_sending_again_is_said_to_be_safe() {
    for (on, says, question, no) in [
        (
            true,
            "Pode enviar de novo com segurança",
            "não será duplicado",
            "Agora não",
        ),
        (
            false,
            "confira com o provedor",
            "pode já ter sido aberto",
            "Não, vou verificar antes",
        ),
    ] {
        let mut opts = base_options();
        opts.push(("idempotency_key", on.into()));
        // A draft key of its own: the draft saved here must not prefill other tests' widgets.
        opts.push(("draft_key", "teste-idempotency".into()));
        let (_host, root) = mounted(options(&opts)).await;
        type_into(&root, "id_cliente_servico", "11000").await;
        type_into(&root, "nome", "Maria").await;
        type_into(&root, "telefone", "37999112233").await;
        type_into(&root, "descricao", "Sem internet").await;
        click_submit(&root).await;
        // Wait (bounded) for the failed attempts (with their backoff) to come back.
        let alert = alert_within(&root, 200).await;
        assert!(alert.contains("Verifique sua conexão"), "{alert}");
        assert!(alert.contains(says), "key {on}: {alert}");
        click_submit(&root).await;
        let asked = q(&root, "[part=resend]")
            .expect("question")
            .text_content()
            .unwrap();
        assert!(
            asked.contains(question) && asked.contains(no),
            "key {on}: {asked}"
        );
        let nome: HtmlInputElement = q(&root, "[name=nome]").unwrap().dyn_into().unwrap();
        assert_eq!(nome.value(), "Maria");
    }
}

#[wasm_bindgen_test]
async fn bad_options_render_a_configuration_error_not_a_panic() {
    let (_host, root) = mounted(options(&[(
        "endpoint",
        "http://hubsoft.example.com".into(),
    )]))
    .await;
    let alert = q(&root, "[role=alert]").expect("config error");
    // Portuguese whatever the page's language, and marked so.
    assert_eq!(alert.get_attribute("lang").as_deref(), Some("pt-BR"));
    let alert = alert.text_content().unwrap();
    assert!(alert.contains("http://"), "{alert}");
    // A missing token is judged at submit, not here (hosts often set it a moment later).
    assert!(!alert.contains("token"), "{alert}");
    assert!(q(&root, "form").is_none());

    let (_host, root) = mounted(JsValue::from_str("não é objeto")).await;
    assert!(text(&root).contains("devem ser um objeto"));

    let mut opts = base_options();
    opts.push(("id_cliente_servico", "abc".into()));
    let (_host, root) = mounted(options(&opts)).await;
    assert!(text(&root).contains("id_cliente_servico"));

    // Values that are not JSON, a throwing getter and a throwing Proxy: a configuration error
    // naming the option, never an exception out of mount().
    let hostile = js_value(
        "return { endpoint: 'https://hubsoft.example.com', token: 't', \
                  nome: () => 'x', email: Symbol('e'), id_cliente_servico: 10n, \
                  get telefone() { throw new Error('getter'); } };",
    );
    let (_host, root) = mounted(hostile).await;
    let alert = q(&root, "[role=alert]")
        .expect("config error")
        .text_content()
        .unwrap();
    for name in ["nome", "email", "id_cliente_servico", "telefone"] {
        assert!(
            alert.contains(&format!("\"{name}\" deve ser um valor JSON")),
            "{alert}"
        );
    }
    let proxy = js_value(
        "return new Proxy({}, { get() { throw new Error('trap'); }, \
                               ownKeys() { throw new Error('trap'); } });",
    );
    let (_host, root) = mounted(proxy).await;
    assert!(
        text(&root).contains("\"endpoint\" deve ser um valor JSON"),
        "{}",
        text(&root)
    );
    // A throwing Proxy inside an option, and a revoked Proxy as the whole options object.
    let inner = js_value(
        "return { endpoint: 'https://hubsoft.example.com', token: 't', \
                  labels: new Proxy({}, { ownKeys() { throw new Error('trap'); } }) };",
    );
    let (_host, root) = mounted(inner).await;
    assert!(
        text(&root).contains("\"labels\" deve ser um valor JSON"),
        "{}",
        text(&root)
    );
    // Endpoints the browser's URL parser refuses, though they look plausible; a `parametros`
    // getter that throws.
    for endpoint in [
        "https://[1:2]",
        "https://api.provedor.123",
        "http://127.0.0.08",
    ] {
        let (_host, root) = mounted(options(&[
            ("endpoint", endpoint.into()),
            ("token", "t".into()),
        ]))
        .await;
        assert!(
            text(&root).contains("\"endpoint\""),
            "{endpoint}: {}",
            text(&root)
        );
        assert!(q(&root, "form").is_none(), "{endpoint}");
    }
    let getter = js_value(
        "return { endpoint: 'https://hubsoft.example.com', token: 't', \
                  get parametros() { throw new Error('getter'); } };",
    );
    let (_host, root) = mounted(getter).await;
    assert!(text(&root).contains("\"parametros\""), "{}", text(&root));
    let revoked = js_value("const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy;");
    let (_host, root) = mounted(revoked).await;
    assert!(q(&root, "[role=alert]").is_some(), "{}", text(&root));
}

#[wasm_bindgen_test]
async fn the_token_never_reaches_the_dom() {
    let mut opts = base_options();
    opts[1] = ("token", "segredo-super-secreto".into());
    let (host, root) = mounted(options(&opts)).await;
    let html = format!("{}{}", host.outer_html(), root.inner_html());
    assert!(!html.contains("segredo-super-secreto"));
}

/// The error banner's text, waiting for it (bounded: `tries` polls 50 ms apart) while the failed
/// requests come back.
async fn alert_within(root: &ShadowRoot, tries: u32) -> String {
    for _ in 0..tries {
        if q(root, "[role=alert]").is_some() {
            break;
        }
        gloo_timeout(50).await;
        yew::scheduler::flush().await;
    }
    q(root, "[role=alert]")
        .expect("error banner")
        .text_content()
        .unwrap()
}

async fn gloo_timeout(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn mount_takes_over_a_prerendered_form_with_what_was_typed_focus_and_caret() {
    // A shadow root as the entry script leaves it: the first paint, the customer's typing marked.
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    let root = host
        .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
        .unwrap();
    root.set_inner_html(
        r#"<div class="ac-root" data-first-paint><form method="dialog">
            <input name="nome" value="">
            <input name="telefone" data-typed>
            <textarea name="descricao" data-typed></textarea>
            <button type="submit">Abrir chamado</button></form></div>"#,
    );
    // Typed but not marked (the host's prefill): the host's value wins.
    let nome: HtmlInputElement = q(&root, "[name=nome]").unwrap().dyn_into().unwrap();
    nome.set_value("Prefill antigo");
    let telefone: HtmlInputElement = q(&root, "[name=telefone]").unwrap().dyn_into().unwrap();
    telefone.set_value("3799");
    let descricao: HtmlTextAreaElement = q(&root, "[name=descricao]").unwrap().dyn_into().unwrap();
    descricao.set_value("Sem internet desde ontem.");
    descricao.focus().unwrap();
    descricao.set_selection_range(4, 12).unwrap();

    let mut pairs = base_options();
    pairs.push(("id_cliente_servico", JsValue::from(11000)));
    pairs.push(("nome", "Maria".into()));
    let handle = mount(host.clone(), options(&pairs));
    std::mem::forget(handle);
    yew::scheduler::flush().await;

    assert!(
        q(&root, "[data-first-paint]").is_none(),
        "the first paint is replaced"
    );
    let value = |name: &str| field_value(&root, name);
    assert_eq!(value("nome"), "Maria");
    assert_eq!(value("telefone"), "(37) 99", "the widget's mask");
    assert_eq!(value("descricao"), "Sem internet desde ontem.");
    let focused: HtmlTextAreaElement = root.active_element().unwrap().dyn_into().unwrap();
    assert_eq!(focused.name(), "descricao");
    assert_eq!(
        (
            focused.selection_start().unwrap(),
            focused.selection_end().unwrap()
        ),
        (Some(4), Some(12))
    );
    assert!(
        !text(&root).contains("Recuperamos"),
        "what never left the screen is not announced as a restored draft"
    );
}

/// The value of the (first) field named `name` in `root`.
fn field_value(root: &ShadowRoot, name: &str) -> String {
    js_sys::Reflect::get(
        &q(root, &format!("[name={name}]")).unwrap(),
        &"value".into(),
    )
    .unwrap()
    .as_string()
    .unwrap()
}

/// Sets the first paint's input `name` to `value` and marks it typed, as the element shim does
/// for what the customer types there.
fn type_into_first_paint(root: &ShadowRoot, name: &str, value: &str) {
    let input: HtmlInputElement = q(root, &format!("[data-first-paint] [name={name}]"))
        .unwrap()
        .dyn_into()
        .unwrap();
    input.set_value(value);
    input.set_attribute("data-typed", "").unwrap();
}

/// A shadow root holding a first paint (`markup` inside the prerendered container), in a host
/// element added to the page.
fn painted_host(markup: &str) -> (Element, ShadowRoot) {
    let host = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&host).unwrap();
    let root = host
        .attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))
        .unwrap();
    root.set_inner_html(&format!(
        r#"<div class="ac-root" data-first-paint><form method="dialog">{markup}</form></div>"#
    ));
    (host, root)
}

#[wasm_bindgen_test]
async fn keys_typed_into_the_first_paint_while_the_widget_renders_are_kept() {
    let (host, root) = painted_host(
        r#"<input name="nome"><input name="email" value="maria@example.com">
            <textarea name="descricao" data-typed></textarea>
            <button type="submit">Abrir chamado</button>"#,
    );
    let descricao: HtmlTextAreaElement = q(&root, "[name=descricao]").unwrap().dyn_into().unwrap();
    descricao.set_value("Sem internet");
    descricao.focus().unwrap();
    let mut pairs = base_options();
    pairs.push(("id_cliente_servico", JsValue::from(11000)));
    pairs.push(("email", JsValue::from("maria@example.com")));
    let handle = mount(host.clone(), options(&pairs));
    std::mem::forget(handle);
    // The widget has not rendered yet (its scheduler runs later): the first paint is still on
    // screen and the customer goes on typing there, in the field and in another one.
    assert!(q(&root, "[data-first-paint]").is_some());
    descricao.set_value("Sem internet desde ontem");
    descricao.set_selection_range(24, 24).unwrap();
    type_into_first_paint(&root, "nome", "Maria");
    // The host's e-mail, emptied by the customer: it stays empty.
    type_into_first_paint(&root, "email", "");
    descricao.focus().unwrap();
    yew::scheduler::flush().await;

    assert!(
        q(&root, "[data-first-paint]").is_none(),
        "the first paint is gone"
    );
    let live = |name: &str| field_value(&root, name);
    assert_eq!(live("descricao"), "Sem internet desde ontem");
    assert_eq!(live("nome"), "Maria");
    assert_eq!(live("email"), "");
    let focused: HtmlTextAreaElement = root.active_element().unwrap().dyn_into().unwrap();
    assert_eq!(focused.name(), "descricao");
    assert_eq!(focused.selection_start().unwrap(), Some(24));
}

#[wasm_bindgen_test]
async fn a_focused_button_of_the_first_paint_keeps_the_focus_in_the_widget() {
    let (host, root) = painted_host(
        r#"<input name="nome"><button type="submit" id="early">Abrir chamado</button>"#,
    );
    let button: web_sys::HtmlElement = q(&root, "#early").unwrap().dyn_into().unwrap();
    button.focus().unwrap();
    let mut pairs = base_options();
    pairs.push(("id_cliente_servico", JsValue::from(11000)));
    let handle = mount(host.clone(), options(&pairs));
    std::mem::forget(handle);
    yew::scheduler::flush().await;

    assert!(q(&root, "#early").is_none(), "the first paint is gone");
    let focused = root
        .active_element()
        .expect("a focused element in the widget");
    assert_eq!(focused.get_attribute("type").as_deref(), Some("submit"));
    assert!(focused.closest(".ac-root").unwrap().is_some());
}
