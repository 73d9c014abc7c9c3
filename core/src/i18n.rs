//! Every text the widget shows, in one message table: Brazilian Portuguese (the default),
//! English and Spanish, with per-key overrides from the host (`labels`).
//!
//! Keys are stable strings such as `"submit"` or `"phone.missing_ddd"` ([`TABLE`] lists them all);
//! a text may hold `{name}` placeholders filled by [`I18n::fill`]. Unknown locales fall back to
//! `pt-BR`, and `pt` is accepted (BCP 47 tags, case-insensitive, region ignored for `en`/`es`).
//!
//! The Portuguese texts are always compiled in ([`PT_TABLE`]). The English and Spanish ones are
//! compiled in with the `builtin-locales` feature (on by default: the gateway, the mock, the
//! build-time prerender and the tests); the widget's WebAssembly leaves them out (2.4 KB gzip)
//! and is handed the customer's catalog at run time ([`I18n::catalog`], the text of
//! [`catalog_text`], which the build writes to `abrir-chamado.en.txt` and `abrir-chamado.es.txt`).

use std::rc::Rc;

/// A supported language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    /// Brazilian Portuguese, the default.
    #[default]
    PtBr,
    /// English.
    En,
    /// Spanish.
    Es,
}

impl Locale {
    /// Reads a BCP 47 tag: `pt`, `pt-BR` → [`Locale::PtBr`]; `en`, `en-*` → [`Locale::En`];
    /// `es`, `es-*` → [`Locale::Es`]; anything else → [`Locale::PtBr`].
    pub fn parse(tag: &str) -> Locale {
        let lower = tag.trim().to_ascii_lowercase();
        let primary = lower.split(['-', '_']).next().unwrap_or("");
        match primary {
            "en" => Locale::En,
            "es" => Locale::Es,
            _ => Locale::PtBr,
        }
    }

    /// The tag used in the widget's `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::PtBr => "pt-BR",
            Locale::En => "en",
            Locale::Es => "es",
        }
    }
}

/// The active locale plus the host's overrides.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct I18n {
    /// The active locale.
    pub locale: Locale,
    /// `(key, text)` pairs from the host's `labels`, which win over the table.
    pub overrides: Vec<(String, String)>,
    /// The texts of [`I18n::locale`] given at run time, in the format of [`catalog_text`]
    /// (`key` U+001F `text` U+001E, repeated): how the widget's WebAssembly, built without
    /// `builtin-locales`, speaks English or Spanish. Looked up before the built-in table.
    pub catalog: Option<Rc<str>>,
}

impl I18n {
    /// `pt-BR` without overrides.
    pub fn pt() -> I18n {
        I18n::default()
    }

    /// The text of `key`: the host's override, else the locale's text (from [`I18n::catalog`],
    /// else the built-in table), else the Portuguese text (a locale whose texts are not there),
    /// else the key itself (never panics).
    pub fn text(&self, key: &str) -> String {
        if let Some((_, v)) = self.overrides.iter().find(|(k, _)| k == key) {
            return v.clone();
        }
        if self.locale != Locale::PtBr {
            if let Some(text) = self.catalog.as_deref().and_then(|c| lookup(c, key)) {
                return text.to_owned();
            }
            #[cfg(feature = "builtin-locales")]
            if let Some(texts) = table(key) {
                return texts[self.locale as usize].to_owned();
            }
        }
        lookup(PT_TABLE, key).unwrap_or(key).to_owned()
    }

    /// [`I18n::text`] with each `{name}` replaced by its value.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.text(key);
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }
}

/// Joins the message table into texts at compile time: [`TABLE`], where each entry is its key
/// and its three texts separated by U+001F (unit separator) and ends with U+001E (record
/// separator), and [`PT_TABLE`], the same with the Portuguese text only.
macro_rules! catalog {
    ($(($key:literal, [$pt:literal, $en:literal, $es:literal $(,)?])),* $(,)?) => {
        /// Every message: its key and its `[pt-BR, en, es]` texts (indexed by [`Locale`]),
        /// read with [`entries`]. Kept as data (searched by key) rather than a `match`, which
        /// compiles to far more code, and as one text rather than a slice of string slices,
        /// whose table of pointers and lengths (16 bytes a text) compresses poorly.
        #[cfg(feature = "builtin-locales")]
        pub static TABLE: &str =
            concat!($($key, "\u{1f}", $pt, "\u{1f}", $en, "\u{1f}", $es, "\u{1e}"),*);
        /// Every message's key and Portuguese text, in the format of [`catalog_text`]: the
        /// texts every build of the widget carries.
        pub static PT_TABLE: &str = concat!($($key, "\u{1f}", $pt, "\u{1e}"),*);
    };
}

catalog![
    ("submit", ["Abrir chamado", "Open ticket", "Abrir solicitud"]),
    ("required_note", [
        "Todos os campos são obrigatórios, exceto os marcados como opcionais.",
        "All fields are required except those marked optional.",
        "Todos los campos son obligatorios, excepto los marcados como opcionales.",
    ]),
    ("summary.one", [
        "Corrija o campo destacado para continuar.",
        "Fix the highlighted field to continue.",
        "Corrija el campo destacado para continuar.",
    ]),
    ("summary.many", [
        "Corrija os {n} campos destacados para continuar.",
        "Fix the {n} highlighted fields to continue.",
        "Corrija los {n} campos destacados para continuar.",
    ]),
    ("kept_note", [
        "Tudo o que você escreveu continua no formulário.",
        "Everything you typed is still in the form.",
        "Todo lo que escribió sigue en el formulario.",
    ]),
    ("resend.question", [
        "O chamado anterior pode já ter sido aberto. Enviar de novo mesmo assim?",
        "The previous ticket may already be open. Send again anyway?",
        "La solicitud anterior puede ya estar abierta. ¿Enviar de nuevo de todos modos?",
    ]),
    ("resend.yes", ["Sim, enviar de novo", "Yes, send again", "Sí, enviar de nuevo"]),
    ("resend.no", ["Não, vou verificar antes", "No, I will check first", "No, voy a verificar antes"]),
    ("resend.question_safe", [
        "Enviar de novo? Se o chamado já foi aberto, ele não será duplicado.",
        "Send again? If the ticket was already opened, it will not be duplicated.",
        "¿Enviar de nuevo? Si la solicitud ya fue abierta, no se duplicará.",
    ]),
    ("resend.no_safe", ["Agora não", "Not now", "Ahora no"]),
    ("offline_note", [
        "Você está sem conexão com a internet. Pode continuar escrevendo: nada se perde, e o envio volta a funcionar quando a conexão voltar.",
        "You are offline. You can keep typing: nothing is lost, and sending works again when the connection is back.",
        "Está sin conexión a internet. Puede seguir escribiendo: nada se pierde, y el envío vuelve a funcionar cuando vuelva la conexión.",
    ]),
    // Shown instead of `offline_note` while a send is under way (the fields are read-only).
    ("offline_note.sending", [
        "Você está sem conexão com a internet. Seus dados continuam aqui; se o envio não se completar, você poderá enviar de novo.",
        "You are offline. Your data stays here; if sending does not complete, you can send again.",
        "Está sin conexión a internet. Sus datos siguen aquí; si el envío no se completa, podrá enviar de nuevo.",
    ]),
    ("draft.restored", [
        "Recuperamos o que você tinha escrito antes.",
        "We restored what you had typed before.",
        "Recuperamos lo que había escrito antes.",
    ]),
    ("draft.discard", ["Descartar rascunho", "Discard draft", "Descartar borrador"]),
    ("draft.discarded", ["Rascunho descartado.", "Draft discarded.", "Borrador descartado."]),
    ("draft.undo", ["Desfazer", "Undo", "Deshacer"]),
    ("service.named", ["Serviço: ", "Service: ", "Servicio: "]),
    ("service.legend", ["Serviço", "Service", "Servicio"]),
    ("counter", [
        "{n} de {max} caracteres",
        "{n} of {max} characters",
        "{n} de {max} caracteres",
    ]),
    ("sending", ["Enviando o chamado…", "Sending the ticket…", "Enviando la solicitud…"]),
    ("sent", [
        "Chamado aberto. Protocolo {protocolo}.",
        "Ticket opened. Number {protocolo}.",
        "Solicitud abierta. Protocolo {protocolo}.",
    ]),
    ("not_sent", [
        "O chamado não foi aberto.",
        "The ticket was not opened.",
        "La solicitud no fue abierta.",
    ]),
    ("maybe_sent", [
        "Não foi possível confirmar se o chamado foi aberto.",
        "We could not confirm whether the ticket was opened.",
        "No fue posible confirmar si la solicitud fue abierta.",
    ]),
    ("config_error", [
        "O formulário de chamados não pôde ser carregado (erro de configuração).",
        "The ticket form could not be loaded (configuration error).",
        "El formulario de solicitudes no pudo cargarse (error de configuración).",
    ]),
    ("field.id_cliente_servico.label", [
        "Serviço (número do contrato)",
        "Service (contract number)",
        "Servicio (número de contrato)",
    ]),
    ("field.id_tipo_atendimento.label", ["Tipo do problema", "Type of problem", "Tipo de problema"]),
    ("field.nome.label", ["Nome", "Name", "Nombre"]),
    ("field.telefone.label", ["Telefone", "Phone", "Teléfono"]),
    ("field.email.label", ["E-mail (opcional)", "E-mail (optional)", "E-mail (opcional)"]),
    ("field.descricao.label", [
        "Descrição do problema",
        "Description of the problem",
        "Descripción del problema",
    ]),
    ("field.id_cliente_servico.hint", [
        "O número do contrato aparece na sua fatura.",
        "The contract number is on your bill.",
        "El número de contrato aparece en su factura.",
    ]),
    ("field.telefone.hint", [
        "Com DDD, por exemplo (37) 99911-2233.",
        "With area code (DDD), for example (37) 99911-2233.",
        "Con código de área (DDD), por ejemplo (37) 99911-2233.",
    ]),
    ("field.telefone.hint_valid", [
        "Com DDD. Número: {numero}",
        "With area code. Number: {numero}",
        "Con código de área. Número: {numero}",
    ]),
    ("field.email.hint", [
        "Para receber novidades sobre o chamado.",
        "To get news about the ticket.",
        "Para recibir novedades sobre la solicitud.",
    ]),
    ("field.descricao.hint", [
        "Conte o que acontece, desde quando e o que você já tentou.",
        "Tell us what happens, since when, and what you have tried.",
        "Cuéntenos qué pasa, desde cuándo y qué ya intentó.",
    ]),
    ("required.id_cliente_servico", [
        "Informe o serviço.",
        "Choose or enter the service.",
        "Indique el servicio.",
    ]),
    ("required.id_tipo_atendimento", [
        "Escolha o tipo do problema.",
        "Choose the type of problem.",
        "Elija el tipo de problema.",
    ]),
    ("required.nome", ["Informe o seu nome.", "Enter your name.", "Indique su nombre."]),
    ("required.telefone", [
        "Informe um telefone com DDD.",
        "Enter a phone number with area code.",
        "Indique un teléfono con código de área.",
    ]),
    ("required.email", ["Informe o e-mail.", "Enter the e-mail.", "Indique el e-mail."]),
    ("required.descricao", ["Descreva o problema.", "Describe the problem.", "Describa el problema."]),
    ("error.withdrawn.id_cliente_servico", [
        "O serviço que você escolheu não está mais disponível. Escolha de novo.",
        "The service you chose is no longer available. Please choose again.",
        "El servicio que eligió ya no está disponible. Elija de nuevo.",
    ]),
    ("error.withdrawn.id_tipo_atendimento", [
        "O tipo que você escolheu não está mais disponível. Escolha de novo.",
        "The type you chose is no longer available. Please choose again.",
        "El tipo que eligió ya no está disponible. Elija de nuevo.",
    ]),
    ("error.not_integer", [
        "O número do serviço deve conter apenas algarismos (por exemplo, 11000).",
        "The service number must contain digits only (for example, 11000).",
        "El número de servicio debe contener solo dígitos (por ejemplo, 11000).",
    ]),
    ("error.not_integer.tipo", [
        "O tipo de atendimento deve ser um número inteiro positivo (por exemplo, 109).",
        "The ticket type must be a positive whole number (for example, 109).",
        "El tipo de solicitud debe ser un número entero positivo (por ejemplo, 109).",
    ]),
    ("error.too_long", [
        "Use no máximo {max} caracteres: o texto tem {len}, apague {over} para enviar.",
        "Use at most {max} characters: the text has {len}; delete {over} to send.",
        "Use como máximo {max} caracteres: el texto tiene {len}; borre {over} para enviar.",
    ]),
    ("error.email", [
        "Confira o e-mail: ele deve ter o formato nome@provedor.com.br.",
        "Check the e-mail: it should look like name@provider.com.",
        "Revise el e-mail: debe tener el formato nombre@proveedor.com.",
    ]),
    ("phone.empty", [
        "Informe um telefone com DDD para podermos falar com você.",
        "Enter a phone number with area code so we can reach you.",
        "Indique un teléfono con código de área para poder hablar con usted.",
    ]),
    ("phone.invalid_characters", [
        "Digite apenas números no telefone; espaços, pontos, traços e parênteses são aceitos.",
        "Type only digits in the phone; spaces, dots, dashes and parentheses are accepted.",
        "Escriba solo números en el teléfono; se aceptan espacios, puntos, guiones y paréntesis.",
    ]),
    ("phone.missing_ddd", [
        "Inclua o DDD (código de área com 2 dígitos) antes do número.",
        "Include the area code (DDD, 2 digits) before the number.",
        "Incluya el código de área (DDD, 2 dígitos) antes del número.",
    ]),
    ("phone.too_short", [
        "O número está incompleto. Informe o DDD e o número completo, por exemplo (37) 99911-2233.",
        "The number is incomplete. Enter the area code and the full number, for example (37) 99911-2233.",
        "El número está incompleto. Indique el código de área y el número completo, por ejemplo (37) 99911-2233.",
    ]),
    ("phone.too_long", [
        "O número tem dígitos demais. Informe só o DDD e o número, por exemplo (37) 99911-2233.",
        "The number has too many digits. Enter only the area code and number, for example (37) 99911-2233.",
        "El número tiene demasiados dígitos. Indique solo el código de área y el número, por ejemplo (37) 99911-2233.",
    ]),
    ("phone.invalid_ddd", [
        "O DDD {ddd} não existe. Confira o código de área.",
        "Area code {ddd} does not exist. Check the area code.",
        "El código de área {ddd} no existe. Revíselo.",
    ]),
    ("phone.missing_ninth_digit", [
        "Celulares têm 9 dígitos depois do DDD, começando por 9. Confira se falta o 9.",
        "Mobile numbers have 9 digits after the area code, starting with 9. Check whether the 9 is missing.",
        "Los celulares tienen 9 dígitos después del código de área, empezando por 9. Revise si falta el 9.",
    ]),
    ("phone.foreign", [
        "Informe um telefone do Brasil, com DDD, por exemplo (37) 99911-2233.",
        "Enter a phone number from Brazil, with the area code, for example (37) 99911-2233.",
        "Indique un teléfono de Brasil, con el código de área, por ejemplo (37) 99911-2233.",
    ]),
    ("phone.invalid_mobile", [
        "Números com 9 dígitos depois do DDD são de celular e começam por 9. Confira o número.",
        "Numbers with 9 digits after the area code are mobiles and start with 9. Check the number.",
        "Los números con 9 dígitos después del código de área son celulares y empiezan por 9. Revise el número.",
    ]),
    ("phone.invalid_landline", [
        "Telefones fixos começam por 2, 3, 4 ou 5 depois do DDD. Confira o número.",
        "Landlines start with 2, 3, 4 or 5 after the area code. Check the number.",
        "Los fijos empiezan por 2, 3, 4 o 5 después del código de área. Revise el número.",
    ]),
    ("phone.placeholder", [
        "Este número não parece real. Informe um telefone em que possamos falar com você.",
        "This number does not look real. Enter a phone where we can reach you.",
        "Este número no parece real. Indique un teléfono donde podamos hablar con usted.",
    ]),
    ("submit_error.rejected_msg", [
        "Não foi possível abrir o chamado: {msg}",
        "The ticket could not be opened: {msg}",
        "No fue posible abrir la solicitud: {msg}",
    ]),
    ("submit_error.rejected", [
        "Não foi possível abrir o chamado. Confira os dados e tente de novo.",
        "The ticket could not be opened. Check the details and try again.",
        "No fue posible abrir la solicitud. Revise los datos e intente de nuevo.",
    ]),
    ("submit_error.unprocessable", [
        "Não foi possível abrir o chamado. Confira os dados destacados e tente de novo.",
        "The ticket could not be opened. Check the highlighted details and try again.",
        "No fue posible abrir la solicitud. Revise los datos destacados e intente de nuevo.",
    ]),
    ("submit_error.unauthorized", [
        "Sua sessão expirou ou não foi autorizada. Atualize a página, entre de novo no portal e tente outra vez.",
        "Your session expired or was not authorised. Reload the page, sign in to the portal again and retry.",
        "Su sesión expiró o no fue autorizada. Actualice la página, vuelva a entrar al portal e intente otra vez.",
    ]),
    ("submit_error.forbidden", [
        "Este portal não tem permissão para abrir chamados. Fale com o seu provedor por outro canal.",
        "This portal is not allowed to open tickets. Contact your provider another way.",
        "Este portal no tiene permiso para abrir solicitudes. Contacte a su proveedor por otro canal.",
    ]),
    ("submit_error.not_found", [
        "O serviço de chamados não foi encontrado. Avise o seu provedor; seus dados continuam aqui.",
        "The ticket service was not found. Tell your provider; what you typed is still here.",
        "El servicio de solicitudes no fue encontrado. Avise a su proveedor; sus datos siguen aquí.",
    ]),
    ("submit_error.rate_limited", [
        "Muitas tentativas em pouco tempo. Aguarde alguns minutos e tente de novo.",
        "Too many attempts in a short time. Wait a few minutes and try again.",
        "Demasiados intentos en poco tiempo. Espere unos minutos e intente de nuevo.",
    ]),
    ("submit_error.rate_limited_for", [
        "Muitas tentativas em pouco tempo. Tente de novo em cerca de {minutos} minutos.",
        "Too many attempts in a short time. Try again in about {minutos} minutes.",
        "Demasiados intentos en poco tiempo. Intente de nuevo en unos {minutos} minutos.",
    ]),
    ("submit_error.server_unavailable", [
        "O sistema do provedor está indisponível no momento (erro {status}). Tente de novo em alguns minutos.",
        "The provider's system is unavailable right now (error {status}). Try again in a few minutes.",
        "El sistema del proveedor no está disponible en este momento (error {status}). Intente de nuevo en unos minutos.",
    ]),
    ("submit_error.http_status", [
        "O sistema do provedor respondeu com um erro inesperado (erro {status}). Tente de novo mais tarde.",
        "The provider's system answered with an unexpected error (error {status}). Try again later.",
        "El sistema del proveedor respondió con un error inesperado (error {status}). Intente más tarde.",
    ]),
    ("submit_error.invalid_response", [
        "O sistema do provedor deu uma resposta que não entendemos.",
        "The provider's system gave an answer we could not understand.",
        "El sistema del proveedor dio una respuesta que no entendemos.",
    ]),
    ("submit_error.network", [
        "Não foi possível falar com o sistema do provedor. Verifique sua conexão com a internet e tente de novo.",
        "We could not reach the provider's system. Check your internet connection and try again.",
        "No fue posible comunicarse con el sistema del proveedor. Revise su conexión a internet e intente de nuevo.",
    ]),
    ("submit_error.interrupted", [
        "O último envio deste formulário ficou sem resposta.",
        "The last sending of this form got no answer.",
        "El último envío de este formulario quedó sin respuesta.",
    ]),
    ("submit_error.in_progress", [
        "O envio anterior ainda está em andamento. Aguarde um instante e envie de novo.",
        "The previous sending is still in progress. Wait a moment and send again.",
        "El envío anterior todavía está en curso. Espere un momento y envíe de nuevo.",
    ]),
    ("submit_error.timeout", [
        "O sistema do provedor demorou demais para responder.",
        "The provider's system took too long to answer.",
        "El sistema del proveedor tardó demasiado en responder.",
    ]),
    ("submit_error.offline", [
        "Você está sem conexão com a internet. Nada foi enviado; tente de novo quando a conexão voltar.",
        "You are offline. Nothing was sent; try again when the connection is back.",
        "Está sin conexión a internet. No se envió nada; intente de nuevo cuando vuelva la conexión.",
    ]),
    ("submit_error.token_unavailable", [
        "Não foi possível confirmar o seu acesso ao portal. Verifique sua conexão e tente de novo; se continuar, atualize a página e entre de novo.",
        "We could not confirm your access to the portal. Check your connection and try again; if it persists, reload the page and sign in again.",
        "No fue posible confirmar su acceso al portal. Verifique su conexión e intente de nuevo; si continúa, actualice la página y vuelva a entrar.",
    ]),
    ("submit_error.maybe_created", [
        "O chamado pode ter sido aberto mesmo assim. Antes de enviar de novo, confira com o provedor se ele já existe.",
        "The ticket may have been opened anyway. Before sending again, check with your provider whether it exists.",
        "La solicitud puede haberse abierto de todos modos. Antes de enviar de nuevo, confirme con su proveedor si ya existe.",
    ]),
    ("submit_error.maybe_created_safe", [
        "Pode enviar de novo com segurança: o chamado não será duplicado.",
        "You can safely send again: the ticket will not be duplicated.",
        "Puede enviar de nuevo con seguridad: la solicitud no se duplicará.",
    ]),
    ("done.title", ["Chamado aberto!", "Ticket opened!", "¡Solicitud abierta!"]),
    ("done.keep", [
        "Anote o número do protocolo para acompanhar o atendimento:",
        "Keep this ticket number to follow up:",
        "Anote el número de protocolo para dar seguimiento:",
    ]),
    ("done.protocolo", ["Protocolo ", "Ticket number ", "Protocolo "]),
    ("done.status", ["Situação", "Status", "Situación"]),
    ("done.date", ["Aberto em", "Opened on", "Abierta el"]),
    ("done.copy", ["Copiar protocolo", "Copy number", "Copiar protocolo"]),
    ("done.new", ["Abrir outro chamado", "Open another ticket", "Abrir otra solicitud"]),
    ("done.copied", ["Protocolo copiado.", "Number copied.", "Protocolo copiado."]),
    ("done.copy_failed", [
        "Não foi possível copiar. Selecione o número e copie manualmente.",
        "Could not copy. Select the number and copy it by hand.",
        "No fue posible copiar. Seleccione el número y cópielo manualmente.",
    ]),
    ("launcher", ["Abrir um chamado", "Open a ticket", "Abrir una solicitud"]),
    ("dialog.title", ["Abrir chamado", "Open a ticket", "Abrir solicitud"]),
    ("dialog.close", ["Fechar", "Close", "Cerrar"]),
];

/// Every message of [`TABLE`] in order: its key and its `[pt-BR, en, es]` texts.
#[cfg(feature = "builtin-locales")]
pub fn entries() -> impl Iterator<Item = (&'static str, [&'static str; 3])> {
    TABLE.split_terminator('\u{1e}').map(|entry| {
        let mut parts = entry.split('\u{1f}');
        let mut next = || parts.next().unwrap_or("");
        (next(), [next(), next(), next()])
    })
}

/// The `[pt-BR, en, es]` texts of `key`, if it is in [`TABLE`].
#[cfg(feature = "builtin-locales")]
fn table(key: &str) -> Option<[&'static str; 3]> {
    entries().find(|(k, _)| *k == key).map(|(_, texts)| texts)
}

/// The text of `key` in `catalog` (the format of [`catalog_text`]), if it is there.
fn lookup<'a>(catalog: &'a str, key: &str) -> Option<&'a str> {
    catalog
        .split_terminator('\u{1e}')
        .find_map(|entry| entry.strip_prefix(key)?.strip_prefix('\u{1f}'))
}

/// The catalog of `locale` as one text: first the entry `locale` U+001F its tag U+001E (so a
/// reader can tell a file of another language, or a page served in its place), then each
/// message's key, U+001F, its text in `locale`, and U+001E, in [`TABLE`]'s order, and last the
/// entry `end` U+001F its tag U+001E (so a reader can tell a cut file). What the widget is
/// handed as [`I18n::catalog`]: the build writes the English and Spanish ones beside the widget
/// (`abrir-chamado.en.txt`, `.es.txt`), and the element shim checks the first and the last
/// entries before handing one over.
#[cfg(feature = "builtin-locales")]
pub fn catalog_text(locale: Locale) -> String {
    let tag = locale.tag();
    let head = format!("locale\u{1f}{tag}\u{1e}");
    let body = entries().map(|(key, texts)| format!("{key}\u{1f}{}\u{1e}", texts[locale as usize]));
    let tail = format!("end\u{1f}{tag}\u{1e}");
    std::iter::once(head).chain(body).chain([tail]).collect()
}

/// Whether this build carries the English and Spanish texts (feature `builtin-locales`). Without
/// them an [`I18n`] whose [`I18n::catalog`] is missing speaks Portuguese, and should say so
/// (`Locale::PtBr`, for the `lang` attribute).
pub const BUILTIN_LOCALES: bool = cfg!(feature = "builtin-locales");

#[cfg(all(test, feature = "builtin-locales"))]
mod tests {
    use super::*;

    #[test]
    fn locales_parse_with_fallback() {
        for (tag, want) in [
            ("pt-BR", Locale::PtBr),
            ("pt", Locale::PtBr),
            ("PT_br", Locale::PtBr),
            ("en", Locale::En),
            ("en-US", Locale::En),
            ("es", Locale::Es),
            ("es-AR", Locale::Es),
            ("fr", Locale::PtBr),
            ("", Locale::PtBr),
            ("😀", Locale::PtBr),
        ] {
            assert_eq!(Locale::parse(tag), want, "{tag}");
        }
    }

    #[test]
    fn every_key_is_translated_nonblank_and_with_the_same_placeholders() {
        // Words Portuguese and Spanish write alike; every other text differs between languages.
        const SAME_IN_PT_AND_ES: [&str; 5] = [
            "counter",
            "field.email.label",
            "done.protocolo",
            "done.copy",
            "done.copied",
        ];
        for (key, texts) in entries() {
            let [pt, en, es] = texts;
            let holes = |t: &str| {
                let mut v: Vec<String> = t
                    .split('{')
                    .skip(1)
                    .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned()))
                    .collect();
                v.sort();
                v
            };
            for t in [pt, en, es] {
                assert!(!t.trim().is_empty(), "{key}");
                assert_eq!(holes(t), holes(pt), "{key}: placeholders differ");
            }
            assert_ne!(en, pt, "{key}: English is a copy of Portuguese");
            assert_ne!(en, es, "{key}: Spanish is a copy of English");
            assert_eq!(
                es == pt,
                SAME_IN_PT_AND_ES.contains(&key),
                "{key}: Spanish {} Portuguese",
                if es == pt { "copies" } else { "differs from" }
            );
        }
        // No text holds a separator: every entry is a key and exactly three texts.
        for entry in TABLE.split_terminator('\u{1e}') {
            assert_eq!(entry.split('\u{1f}').count(), 4, "{entry}");
        }
        let mut sorted: Vec<&str> = entries().map(|(k, _)| k).collect();
        let count = sorted.len();
        assert!(count > 80, "{count} entries");
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), count, "no duplicate keys");
    }

    #[test]
    fn overrides_and_placeholders() {
        let i = I18n {
            locale: Locale::En,
            overrides: vec![("submit".into(), "Enviar".into())],
            catalog: None,
        };
        assert_eq!(i.text("submit"), "Enviar");
        assert_eq!(i.text("done.title"), "Ticket opened!");
        assert_eq!(i.text("no.such.key"), "no.such.key");
        assert_eq!(
            I18n::pt().fill("counter", &[("n", "12"), ("max", "2000")]),
            "12 de 2000 caracteres"
        );
    }

    #[test]
    fn a_catalog_given_at_run_time_speaks_its_locale_and_falls_back_to_portuguese() {
        let en = catalog_text(Locale::En);
        // Every key of the table is in the catalog with its English text.
        for (key, [_, text, _]) in entries() {
            assert_eq!(lookup(&en, key), Some(text), "{key}");
        }
        assert_eq!(lookup(&en, "no.such.key"), None);
        // A key that is a prefix of another finds its own entry, not the longer key's.
        assert_eq!(
            lookup("submitted\u{1f}A\u{1e}submit\u{1f}B\u{1e}", "submit"),
            Some("B")
        );
        let given = |catalog: &str| I18n {
            locale: Locale::Es,
            overrides: vec![],
            catalog: Some(Rc::from(catalog)),
        };
        // The catalog wins over the built-in table (the widget's wasm has no built-in en/es).
        assert_eq!(given("submit\u{1f}Mandar\u{1e}").text("submit"), "Mandar");
        // A key the catalog lacks: the built-in text here; Portuguese in the wasm.
        assert_eq!(given("").text("submit"), "Abrir solicitud");
        assert_eq!(lookup(PT_TABLE, "submit"), Some("Abrir chamado"));
        // Portuguese never reads the catalog.
        let pt = I18n {
            catalog: Some(Rc::from("submit\u{1f}Mandar\u{1e}")),
            ..I18n::pt()
        };
        assert_eq!(pt.text("submit"), "Abrir chamado");
        assert_eq!(pt.text("no.such.key"), "no.such.key");
        // The Portuguese table holds exactly the Portuguese texts; a catalog says its language
        // first.
        assert_eq!(
            format!("locale\u{1f}pt-BR\u{1e}{PT_TABLE}end\u{1f}pt-BR\u{1e}"),
            catalog_text(Locale::PtBr)
        );
        // Neither framing key is a message's.
        assert!(entries().all(|(key, _)| key != "locale" && key != "end"));
        assert!(en.starts_with("locale\u{1f}en\u{1e}submit\u{1f}Open ticket\u{1e}"));
    }
}
