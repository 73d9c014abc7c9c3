//! Prints the prerendered first paint of every variant as one JSON object, `{"<key>": "<html>"}`
//! (keys: [`VARIANTS`]), rendered by Yew's server-side renderer without hydration markers.
//! `scripts/post-build.mjs` runs it at build time: `cargo run -q -p abrir-chamado --features ssr
//! --bin prerender`.
//!
//! With the argument `catalogs` it prints instead the English and Spanish catalogs, which the
//! widget's WebAssembly does not carry, as `{"en": "<text>", "es": "<text>"}` (the format of
//! `i18n::catalog_text`); post-build writes them to `abrir-chamado.en.txt` and `.es.txt`.

use abrir_chamado::components::first_paint::{
    variant_options, FirstPaint, FirstPaintProps, VARIANTS,
};
use abrir_chamado::core::i18n::{catalog_text, Locale};
use abrir_chamado::core::json::encode_string;
use yew::LocalServerRenderer;

fn main() {
    if std::env::args().nth(1).as_deref() == Some("catalogs") {
        let mut out = String::from("{");
        for (i, locale) in [Locale::En, Locale::Es].into_iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            encode_string(locale.tag(), &mut out);
            out.push(':');
            encode_string(&catalog_text(locale), &mut out);
        }
        out.push('}');
        println!("{out}");
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio runtime");
    let local = tokio::task::LocalSet::new();
    let out = local.block_on(&runtime, async {
        let mut out = String::from("{");
        for (i, (key, locale, fixed, modal)) in VARIANTS.into_iter().enumerate() {
            let props = FirstPaintProps {
                options: variant_options(locale, fixed, modal),
            };
            let html = LocalServerRenderer::<FirstPaint>::with_props(props)
                .hydratable(false)
                .render()
                .await;
            if i > 0 {
                out.push(',');
            }
            out.push('\n');
            encode_string(key, &mut out);
            out.push(':');
            encode_string(&html, &mut out);
        }
        out.push_str("\n}");
        out
    });
    println!("{out}");
}
