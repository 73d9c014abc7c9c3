//! Shown instead of the form when the host's `mount` options are wrong.

use web_sys::Element;

use crate::core::i18n::I18n;
use crate::core::options::ConfigError;

/// Puts in `container` (replacing what it holds) a clear list of configuration problems
/// (`errors`, in a stable order), for the ISP's developer, and an honest message for a customer
/// who meets a broken page: `<div class="ac-config-error" role="alert" part="config-error">`
/// with the headline and one `<li>` per problem, in Portuguese (`lang="pt-BR"`). Plain DOM rather than a yew component: a list
/// of sentences needs no component machinery in the bundle. Texts are set as text, never as
/// HTML.
pub fn show_config_error(container: &Element, errors: &[ConfigError]) {
    let Some(document) = container.owner_document() else {
        return;
    };
    let element = |tag: &str, text: Option<&str>| {
        let el = document.create_element(tag).ok()?;
        el.set_text_content(text);
        Some(el)
    };
    let (Some(root), Some(p), Some(strong), Some(list)) = (
        element("div", None),
        element("p", None),
        element("strong", Some(&I18n::pt().text("config_error"))),
        element("ul", None),
    ) else {
        return;
    };
    let _ = root.set_attribute("class", "ac-config-error");
    let _ = root.set_attribute("role", "alert");
    let _ = root.set_attribute("part", "config-error");
    // Portuguese whatever the page's language: screen readers read it as such.
    let _ = root.set_attribute("lang", "pt-BR");
    let _ = p.append_child(&strong);
    let _ = root.append_child(&p);
    for error in errors {
        if let Some(item) = element("li", Some(&error.message_pt())) {
            let _ = list.append_child(&item);
        }
    }
    let _ = root.append_child(&list);
    container.replace_children_with_node_1(&root);
}
