//! Brazilian phone numbers: parsing, validation and display (`docs/hubsoft-api.md` §5).
//!
//! People type numbers in many shapes: `(37) 99911-2233`, `37 9 9911-2233`, `+55 37 99911-2233`,
//! `5537999112233`, `037 99911-2233` (trunk `0`), `0 15 37 99911-2233` (carrier code), with
//! non-breaking spaces, dots or full-width digits. [`normalize`] turns all of them into the
//! national number Hubsoft expects (`DDNNNNNNNNN`, digits only) or explains, in plain
//! Portuguese, what is wrong ([`PhoneError::message_pt`]).
//!
//! Decisions beyond the letter of `docs/hubsoft-api.md` §5, all in the direction of "ask, don't guess":
//! - An explicit international marker (`+` or `00` before the digits) followed by `55` is always a
//!   country code, so `+55 99911-2233` asks for the DDD instead of reading area code 55. Without the
//!   marker the length rule of `docs/hubsoft-api.md` §5 applies (`55999112233` is DDD 55).
//! - The legacy `0xx37` notation (trunk `0`, `xx` standing for any carrier) is accepted.
//! - Invisible formatting characters that copy-paste inserts (bidi marks, zero-width spaces) are
//!   separators.
//! - A number whose digits are all the same, or whose subscriber part is all one digit
//!   (`(11) 3333-3333`, `(11) 90000-0000`), is refused as a placeholder.
//!
//! Std only: no DOM, no web dependencies; everything iterates by `char` and never slices a
//! string at a byte offset that could fall inside a UTF-8 sequence.

use std::fmt;

use super::i18n::I18n;

mod edit;

pub use edit::{format_as_you_type, reformat_with_caret, retype, retype_selection, PhoneEdit};

/// Why a typed phone number was refused (`docs/hubsoft-api.md` §5).
///
/// Each variant has one customer-facing Portuguese sentence, see [`PhoneError::message_pt`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneError {
    /// Nothing but separators (or nothing at all) was typed (`docs/hubsoft-api.md` §5: a phone is required).
    Empty,
    /// Letters or symbols other than spaces, NBSP, `. - ( ) / +` and digits (full-width digits
    /// `０-９` count as digits), `docs/hubsoft-api.md` §5 "normalise to digits".
    InvalidCharacters,
    /// 8 or 9 digits: a local number without area code (`docs/hubsoft-api.md` §5: "No DDD: ask for it").
    MissingDdd,
    /// Fewer than 8 digits, or too few to be a number with DDD (`docs/hubsoft-api.md` §5: 10 or 11 digits).
    TooShort,
    /// More than 11 digits after removing country, trunk and carrier prefixes (`docs/hubsoft-api.md` §5).
    TooLong,
    /// The two leading digits are not one of the 67 valid DDDs of `docs/hubsoft-api.md` §5.
    InvalidDdd(String),
    /// 10 digits whose third digit is 6–9: an old mobile missing its leading 9
    /// (`docs/hubsoft-api.md` §5: "ask, don't guess").
    MissingNinthDigit,
    /// 11 digits whose third digit is not 9 (`docs/hubsoft-api.md` §5: mobiles start with 9).
    InvalidMobile,
    /// 10 digits whose third digit is 0 or 1 (`docs/hubsoft-api.md` §5: landlines start with 2–5).
    InvalidLandline,
    /// A `+` followed by another country code than Brazil's `55` (`+1 415 555 0100`): Hubsoft
    /// takes Brazilian numbers only (`docs/hubsoft-api.md` §5).
    Foreign,
    /// All one digit (`11111111111`, `00000000000`) or a subscriber part that is all one digit
    /// (`(11) 3333-3333`, `(11) 90000-0000`): an obvious fake, not a reachable number.
    Placeholder,
}

impl PhoneError {
    /// One clear Brazilian Portuguese sentence for the customer, explaining how to fix the number
    /// (`docs/hubsoft-api.md` §5 rules, worded without jargon).
    #[must_use]
    pub fn message_pt(&self) -> String {
        self.message(&I18n::pt())
    }

    /// The customer's message in the active locale (keys `phone.*` of [`I18n`]).
    pub fn message(&self, i18n: &I18n) -> String {
        match self {
            PhoneError::Empty => i18n.text("phone.empty"),
            PhoneError::InvalidCharacters => i18n.text("phone.invalid_characters"),
            PhoneError::MissingDdd => i18n.text("phone.missing_ddd"),
            PhoneError::TooShort => i18n.text("phone.too_short"),
            PhoneError::TooLong => i18n.text("phone.too_long"),
            PhoneError::InvalidDdd(ddd) => i18n.fill("phone.invalid_ddd", &[("ddd", ddd)]),
            PhoneError::MissingNinthDigit => i18n.text("phone.missing_ninth_digit"),
            PhoneError::InvalidMobile => i18n.text("phone.invalid_mobile"),
            PhoneError::InvalidLandline => i18n.text("phone.invalid_landline"),
            PhoneError::Placeholder => i18n.text("phone.placeholder"),
            PhoneError::Foreign => i18n.text("phone.foreign"),
        }
    }
}

/// Displays [`PhoneError::message_pt`] (`docs/hubsoft-api.md` §5).
impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_pt())
    }
}

impl std::error::Error for PhoneError {}

/// A valid Brazilian national number (`docs/hubsoft-api.md` §5): DDD + subscriber, digits only,
/// 10 digits (landline, subscriber starting 2–5) or 11 digits (mobile, subscriber starting 9).
///
/// Only [`normalize`] builds one, so every `Phone` satisfies the §5 rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    /// ASCII digits only, length 10 or 11, valid DDD.
    digits: String,
}

impl Phone {
    /// The national number as sent to Hubsoft in `telefone` (`docs/hubsoft-api.md` §2, §5): `"37999112233"`.
    #[must_use]
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// The two-digit area code (DDD, `docs/hubsoft-api.md` §5): `"37"`.
    #[must_use]
    pub fn ddd(&self) -> &str {
        // `digits` is ASCII, so byte offset 2 is always a char boundary; `get` never panics.
        self.digits.get(..2).unwrap_or("")
    }

    /// `true` for an 11-digit mobile number, `false` for a 10-digit landline (`docs/hubsoft-api.md` §5).
    #[must_use]
    pub fn is_mobile(&self) -> bool {
        self.digits.chars().count() == 11
    }

    /// The number as shown to people (`docs/hubsoft-api.md` §5): `"(37) 99911-2233"` or `"(37) 3221-1234"`.
    #[must_use]
    pub fn formatted(&self) -> String {
        mask(&self.digits)
    }
}

/// Parses a phone number as typed into a valid [`Phone`], or says why it cannot (`docs/hubsoft-api.md` §5).
///
/// Steps, in the order that gives the most helpful error:
/// 1. keep digits (ASCII or full-width), skip separators (spaces, NBSP, narrow NBSP, `.`, `-`,
///    dashes, `(`, `)`, `/`, invisible formatting marks), accept a leading `+` and the legacy
///    `0xx`; anything else is [`PhoneError::InvalidCharacters`]; no digits is [`PhoneError::Empty`];
/// 2. fewer than 8 digits is [`PhoneError::TooShort`]; all one digit is [`PhoneError::Placeholder`];
/// 3. after a `+`, another country code than `55` is [`PhoneError::Foreign`]; drop the country
///    code `55` (after `+`/`00` always; bare only when 12–13 digits remain with it, or when a
///    trunk `0` follows it), then the trunk `0` and a two-digit carrier code;
/// 4. 8–9 digits that look like a local number ask for the DDD ([`PhoneError::MissingDdd`]);
///    other counts below 10 are [`PhoneError::TooShort`], above 11 [`PhoneError::TooLong`];
/// 5. subscriber part all one digit is [`PhoneError::Placeholder`]; then the DDD must be one of
///    the 67 of §5; 11 digits need a third digit 9; 10 digits need a third digit 2–5
///    (6–9 is [`PhoneError::MissingNinthDigit`], 0–1 is [`PhoneError::InvalidLandline`]).
///
/// # Errors
/// The [`PhoneError`] of the first §5 rule the input breaks, in the order above.
pub fn normalize(input: &str) -> Result<Phone, PhoneError> {
    let scanned = scan(input)?;
    let raw: Vec<char> = scanned.digits.chars().collect();

    if raw.is_empty() {
        return Err(PhoneError::Empty);
    }
    if raw.len() < 8 {
        return Err(PhoneError::TooShort);
    }
    if all_same(&raw) {
        return Err(PhoneError::Placeholder);
    }

    if scanned.international && !raw.starts_with(&['5', '5']) {
        return Err(PhoneError::Foreign);
    }
    let national = strip_prefixes(&raw, scanned.international);
    classify(national)
}

/// The digits of the input as typed, full-width digits `０-９` mapped to ASCII, everything else
/// dropped (`docs/hubsoft-api.md` §5 "normalise to digits"). Pure helper; never fails.
#[must_use]
pub fn digits_of(input: &str) -> String {
    input.chars().filter_map(digit_value).collect()
}

/// The 67 valid DDDs of `docs/hubsoft-api.md` §5.
const VALID_DDDS: [u8; 67] = [
    11, 12, 13, 14, 15, 16, 17, 18, 19, //
    21, 22, 24, 27, 28, //
    31, 32, 33, 34, 35, 37, 38, //
    41, 42, 43, 44, 45, 46, 47, 48, 49, //
    51, 53, 54, 55, //
    61, 62, 63, 64, 65, 66, 67, 68, 69, //
    71, 73, 74, 75, 77, 79, //
    81, 82, 83, 84, 85, 86, 87, 88, 89, //
    91, 92, 93, 94, 95, 96, 97, 98, 99,
];

/// Result of the character scan: the digits and whether a leading `+` marked them international.
struct Scanned {
    digits: String,
    international: bool,
}

/// Where the `x` of a legacy `0xx` prefix may appear.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Nothing,
    Plus,
    Digit(char),
    X,
}

/// Step 1 of [`normalize`]: keeps digits, skips separators, validates everything else.
fn scan(input: &str) -> Result<Scanned, PhoneError> {
    let mut digits = String::new();
    let mut international = false;
    let mut last = Last::Nothing;
    let mut x_run = 0usize;

    for c in input.chars() {
        if let Some(d) = digit_value(c) {
            digits.push(d);
            last = Last::Digit(d);
            x_run = 0;
        } else if is_separator(c) {
            // Skipped: spaces, dots, dashes, parentheses, invisible marks.
        } else if is_plus(c) {
            if !digits.is_empty() || x_run > 0 {
                return Err(PhoneError::InvalidCharacters);
            }
            international = true;
            last = Last::Plus;
        } else if c == 'x' || c == 'X' {
            // Legacy "0xx37": the x's stand for a carrier code right after the trunk 0.
            let after_trunk = last == Last::Digit('0') && (digits == "0" || digits == "550");
            let ok = (after_trunk && x_run == 0) || (last == Last::X && x_run == 1);
            if !ok {
                return Err(PhoneError::InvalidCharacters);
            }
            x_run += 1;
            last = Last::X;
        } else {
            return Err(PhoneError::InvalidCharacters);
        }
    }
    Ok(Scanned {
        digits,
        international,
    })
}

/// Step 3 of [`normalize`]: drops country code, trunk `0` and carrier code (`docs/hubsoft-api.md` §5).
fn strip_prefixes(raw: &[char], plus: bool) -> &[char] {
    let mut s = raw;

    // Explicit international form: "+55 …" or "00 55 …" (dialled from abroad).
    if plus {
        if let Some(rest) = s.strip_prefix(&['5', '5'][..]) {
            s = rest;
        }
    } else if let Some(rest) = s.strip_prefix(&['0', '0', '5', '5'][..]) {
        s = rest;
    }

    // Bare country code: only when 12–13 digits remain with it (an 11-digit number starting 55
    // is area code 55), or when a trunk 0 follows it (a DDD 55 number never continues with 0).
    if s.starts_with(&['5', '5']) {
        let trunk_follows = s.get(2) == Some(&'0');
        if matches!(s.len(), 12 | 13) || (trunk_follows && s.len() >= 12) {
            s = s.get(2..).unwrap_or(s);
        }
    }

    // Trunk prefix 0 (typed once, sometimes twice), then maybe a two-digit carrier code.
    if s.first() == Some(&'0') {
        while let Some(rest) = s.strip_prefix(&['0'][..]) {
            s = rest;
        }
        if matches!(s.len(), 12 | 13) {
            s = s.get(2..).unwrap_or(s);
        }
    }
    s
}

/// Steps 4–5 of [`normalize`]: length, placeholder, DDD and first-digit rules (`docs/hubsoft-api.md` §5).
fn classify(s: &[char]) -> Result<Phone, PhoneError> {
    let first = s.first().copied();
    match s.len() {
        // A 9-digit local number is a mobile (starts with 9); 8 digits is a landline or an old
        // mobile. Anything else that short is a number with DDD that lost digits.
        9 if first == Some('9') => return Err(PhoneError::MissingDdd),
        8 if matches!(first, Some('2'..='9')) => return Err(PhoneError::MissingDdd),
        0..=9 => return Err(PhoneError::TooShort),
        10 | 11 => {}
        _ => return Err(PhoneError::TooLong),
    }

    let (ddd, subscriber) = s.split_at(2);
    let third = subscriber.first().copied().unwrap_or('0');

    // The part after the DDD (after the leading 9 of a mobile) all one digit: a fake.
    let significant = if s.len() == 11 {
        subscriber.get(1..).unwrap_or(subscriber)
    } else {
        subscriber
    };
    if all_same(significant) {
        return Err(PhoneError::Placeholder);
    }

    let ddd_text: String = ddd.iter().collect();
    let ddd_ok = ddd_text
        .parse::<u8>()
        .is_ok_and(|n| VALID_DDDS.contains(&n));
    if !ddd_ok {
        return Err(PhoneError::InvalidDdd(ddd_text));
    }

    match (s.len(), third) {
        (11, '9') => {}
        (11, _) => return Err(PhoneError::InvalidMobile),
        (_, '2'..='5') => {}
        (_, '6'..='9') => return Err(PhoneError::MissingNinthDigit),
        _ => return Err(PhoneError::InvalidLandline),
    }

    Ok(Phone {
        digits: s.iter().collect(),
    })
}

/// Masks up to 11 digits as `(DD) XXXX-XXXX` / `(DD) XXXXX-XXXX`, partially while typing.
/// More than 11 digits are returned as they are.
fn mask(digits: &str) -> String {
    let d: Vec<char> = digits.chars().collect();
    let n = d.len();
    if n == 0 || n > 11 {
        return d.iter().collect();
    }
    let mut out = String::with_capacity(n + 5);
    out.push('(');
    out.extend(d.iter().take(2));
    if n <= 2 {
        return out;
    }
    out.push_str(") ");
    // Mobile (11 digits) splits 5-4, everything shorter 4-rest.
    let head = if n == 11 { 5 } else { 4 };
    let rest = d.get(2..).unwrap_or(&[]);
    out.extend(rest.iter().take(head));
    if rest.len() > head {
        out.push('-');
        out.extend(rest.iter().skip(head));
    }
    out
}

/// ASCII digit, or full-width digit `０-９` mapped to ASCII.
fn digit_value(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '\u{FF10}'..='\u{FF19}' => char::from_digit(u32::from(c) - 0xFF10, 10),
        _ => None,
    }
}

/// Separators people and copy-paste put inside phone numbers (`docs/hubsoft-api.md` §5).
fn is_separator(c: char) -> bool {
    // `is_whitespace` covers space, tab, newlines, NBSP U+00A0, narrow NBSP U+202F,
    // figure space U+2007 and the ideographic space U+3000.
    c.is_whitespace()
        || matches!(
            c,
            '.' | '-'
                | '('
                | ')'
                | '/'
                | '\u{00AD}' // soft hyphen
                | '\u{2010}'..='\u{2015}' // hyphen, non-breaking hyphen, figure/en/em dash, bar
                | '\u{2212}' // minus sign
                | '\u{FE63}' // small hyphen-minus
                | '\u{FF08}' // full-width (
                | '\u{FF09}' // full-width )
                | '\u{FF0D}' // full-width -
                | '\u{FF0E}' // full-width .
                | '\u{FF0F}' // full-width /
                | '\u{200B}'..='\u{200F}' // zero-width space/joiners, LRM, RLM
                | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides (WhatsApp copy-paste)
                | '\u{2060}'..='\u{2064}' // word joiner and invisible operators
                | '\u{2066}'..='\u{2069}' // bidi isolates
                | '\u{FEFF}' // byte order mark
        )
}

/// `+` or full-width `＋`.
fn is_plus(c: char) -> bool {
    c == '+' || c == '\u{FF0B}'
}

/// `true` when the slice is non-empty and every element equals the first.
fn all_same(s: &[char]) -> bool {
    match s.split_first() {
        Some((first, rest)) => rest.iter().all(|c| c == first),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `docs/hubsoft-api.md` §5 inputs that must normalise, with the digits sent to Hubsoft.
    const OK_ROWS: &[(&str, &str)] = &[
        ("(37) 99911-2233", "37999112233"),
        ("37 9 9911-2233", "37999112233"),
        ("+55 37 99911-2233", "37999112233"),
        ("5537999112233", "37999112233"),
        ("037 99911-2233", "37999112233"),
        ("0 15 37 99911-2233", "37999112233"),
        ("37\u{00A0}99911\u{00A0}2233", "37999112233"),
        ("37\u{202F}99911\u{202F}2233", "37999112233"),
        ("37.99911.2233", "37999112233"),
        ("３７９９９１１２２３３", "37999112233"),
        ("（３７）９９９１１－２２３３", "37999112233"),
        ("55999112233", "55999112233"),
        ("(31) 3221-1234", "3132211234"),
        // Extra edge cases.
        ("+55 55 99911-2233", "55999112233"),
        ("5555999112233", "55999112233"),
        ("55 3221-1234", "5532211234"),
        ("+55 0 37 99911-2233", "37999112233"),
        ("+55 0 15 37 99911-2233", "37999112233"),
        ("55 0 37 99911-2233", "37999112233"),
        ("55 0 15 37 99911-2233", "37999112233"),
        ("0 21 11 3221-1234", "1132211234"),
        ("0 31 3221-1234", "3132211234"),
        ("00 37 99911-2233", "37999112233"),
        ("0055 37 99911-2233", "37999112233"),
        ("+55 (37) 3221-1234", "3732211234"),
        ("(0xx37) 99911-2233", "37999112233"),
        ("0XX37 3221-1234", "3732211234"),
        ("+55 0xx 37 99911-2233", "37999112233"),
        ("37/99911-2233", "37999112233"),
        ("37 99911\u{2013}2233", "37999112233"),
        ("\u{202A}+55 37 99911-2233\u{202C}", "37999112233"),
        ("\u{FEFF}37\u{200B}999112233\n", "37999112233"),
        ("\t (11) 2345-6789 ", "1123456789"),
        ("＋５５ ３７ ９９９１１ ２２３３", "37999112233"),
        ("99 99911-2233", "99999112233"),
        ("11 91234-5678", "11912345678"),
        ("(11) 99999-9998", "11999999998"),
    ];

    /// Inputs that must be refused, with the expected error.
    fn err_rows() -> Vec<(String, PhoneError)> {
        use PhoneError::*;
        let rows: Vec<(&str, PhoneError)> = vec![
            ("99911-2233", MissingDdd),
            ("3221-1234", MissingDdd),
            ("9911-2233", MissingDdd),
            ("+55 99911-2233", MissingDdd),
            ("+1 415 555 0100", Foreign),
            ("+351 912 345 678", Foreign),
            ("+55 3221-1234", MissingDdd),
            ("0055 99911-2233", MissingDdd),
            ("(37) 9911-2233", MissingNinthDigit),
            ("5599112233", MissingNinthDigit),
            ("0 15 37 9911-2233", MissingNinthDigit),
            ("(20) 99911-2233", InvalidDdd("20".into())),
            ("(10) 3221-1234", InvalidDdd("10".into())),
            ("(00) 3221-1234", MissingDdd),
            ("(37) 89911-2233", InvalidMobile),
            ("(37) 39911-2233", InvalidMobile),
            ("(37) 1221-1234", InvalidLandline),
            ("(37) 0221-1234", InvalidLandline),
            ("11111111111", Placeholder),
            ("00000000000", Placeholder),
            ("(55) 55555-5555", Placeholder),
            ("(11) 99999-9999", Placeholder),
            ("(11) 90000-0000", Placeholder),
            ("(11) 3333-3333", Placeholder),
            ("(20) 99999-9999", Placeholder),
            ("abc", InvalidCharacters),
            ("37 99911-2233 ramal 4", InvalidCharacters),
            ("37 99911-2233+", InvalidCharacters),
            ("37x99911-2233", InvalidCharacters),
            ("0xxx37 99911-2233", InvalidCharacters),
            ("٣٧٩٩٩١١٢٢٣٣", InvalidCharacters),
            ("37 99911-2233 😀", InvalidCharacters),
            ("3\u{0301}7 99911-2233", InvalidCharacters),
            ("", Empty),
            ("   ", Empty),
            ("( ) - . /", Empty),
            ("+", Empty),
            ("123", TooShort),
            ("1234567", TooShort),
            ("(37) 3221-123", TooShort),
            ("1234-5678", TooShort),
            ("37 99911-22334", TooLong),
            ("+55 37 99911-2233 44", TooLong),
            ("12345678901234567890", TooLong),
        ];
        rows.into_iter().map(|(i, e)| (i.to_string(), e)).collect()
    }

    #[test]
    fn documented_inputs_normalise() {
        for (input, expected) in OK_ROWS {
            let phone = normalize(input).unwrap_or_else(|e| panic!("{input:?} refused: {e:?}"));
            assert_eq!(phone.digits(), *expected, "input {input:?}");
        }
    }

    #[test]
    fn documented_inputs_refused_with_the_right_error() {
        for (input, expected) in err_rows() {
            assert_eq!(normalize(&input), Err(expected), "input {input:?}");
        }
    }

    #[test]
    fn normalisation_is_idempotent() {
        for (input, _) in OK_ROWS {
            let phone = normalize(input).unwrap();
            assert_eq!(
                normalize(&phone.formatted()),
                Ok(phone.clone()),
                "{input:?}"
            );
            assert_eq!(normalize(phone.digits()), Ok(phone.clone()), "{input:?}");
            assert_eq!(format_as_you_type(&phone.formatted()), phone.formatted());
            assert_eq!(format_as_you_type(phone.digits()), phone.formatted());
        }
    }

    #[test]
    fn accessors_and_formatting() {
        let mobile = normalize("+55 37 99911-2233").unwrap();
        assert_eq!(mobile.digits(), "37999112233");
        assert_eq!(mobile.ddd(), "37");
        assert!(mobile.is_mobile());
        assert_eq!(mobile.formatted(), "(37) 99911-2233");

        let landline = normalize("(31) 3221-1234").unwrap();
        assert_eq!(landline.ddd(), "31");
        assert!(!landline.is_mobile());
        assert_eq!(landline.formatted(), "(31) 3221-1234");

        let ddd55 = normalize("55999112233").unwrap();
        assert_eq!(ddd55.ddd(), "55");
        assert_eq!(ddd55.formatted(), "(55) 99911-2233");
    }

    #[test]
    fn exactly_67_valid_ddds() {
        let mut valid = 0;
        for ddd in 0..100u32 {
            let dd = format!("{ddd:02}");
            let mobile = normalize(&format!("{dd}999112233"));
            let landline = normalize(&format!("{dd}32211234"));
            if VALID_DDDS.contains(&u8::try_from(ddd).unwrap()) {
                valid += 1;
                assert_eq!(mobile.unwrap().ddd(), dd);
                assert_eq!(landline.unwrap().ddd(), dd);
            } else if dd.starts_with('0') {
                // A leading 0 is a trunk prefix: what is left has no DDD.
                assert!(mobile.is_err() && landline.is_err(), "{dd}");
            } else {
                assert_eq!(mobile, Err(PhoneError::InvalidDdd(dd.clone())));
                assert_eq!(landline, Err(PhoneError::InvalidDdd(dd)));
            }
        }
        assert_eq!(valid, 67);
    }

    #[test]
    fn digits_of_keeps_digits_only() {
        assert_eq!(digits_of("(37) 99911-2233"), "37999112233");
        assert_eq!(digits_of("３７ ９９"), "3799");
        assert_eq!(digits_of("abc"), "");
        assert_eq!(digits_of("+55 😀 37"), "5537");
        assert_eq!(digits_of("٣٧"), "");
    }

    #[test]
    fn format_as_you_type_builds_the_mask() {
        let rows = [
            ("", ""),
            ("(", ""),
            ("3", "(3"),
            ("37", "(37"),
            ("(37", "(37"),
            ("379", "(37) 9"),
            ("(37) 9", "(37) 9"),
            ("379991", "(37) 9991"),
            ("3799911", "(37) 9991-1"),
            ("379991122", "(37) 9991-122"),
            ("3732211234", "(37) 3221-1234"),
            ("37999112233", "(37) 99911-2233"),
            ("(37) 9991-12233", "(37) 99911-2233"),
            ("３７９", "(37) 9"),
            ("abc37", "(37"),
            // Country code or trunk prefix: digits only, no mask.
            ("0", "0"),
            ("037 9991", "0379991"),
            ("0 15 37", "01537"),
            ("5537999112233", "5537999112233"),
            ("+", "+"),
            ("+55 37", "+5537"),
            ("\u{202A}+55 37 99911-2233", "+5537999112233"),
        ];
        for (input, expected) in rows {
            assert_eq!(format_as_you_type(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn messages_are_portuguese_sentences() {
        let all = [
            PhoneError::Empty,
            PhoneError::InvalidCharacters,
            PhoneError::MissingDdd,
            PhoneError::TooShort,
            PhoneError::TooLong,
            PhoneError::InvalidDdd("20".into()),
            PhoneError::MissingNinthDigit,
            PhoneError::InvalidMobile,
            PhoneError::InvalidLandline,
            PhoneError::Placeholder,
        ];
        for e in &all {
            let m = e.message_pt();
            assert!(m.ends_with('.'), "{m}");
            assert_eq!(e.to_string(), m);
        }
        assert_eq!(
            PhoneError::MissingDdd.message_pt(),
            "Inclua o DDD (código de área com 2 dígitos) antes do número."
        );
        assert_eq!(
            PhoneError::InvalidDdd("20".into()).message_pt(),
            "O DDD 20 não existe. Confira o código de área."
        );
        assert_eq!(
            PhoneError::MissingNinthDigit.message_pt(),
            "Celulares têm 9 dígitos depois do DDD, começando por 9. Confira se falta o 9."
        );
    }

    #[test]
    fn never_panics_on_tricky_unicode() {
        let long_digits = "9".repeat(10_000);
        let long_mixed = "3\u{0301}😀".repeat(3_400);
        let long_seps = " -.()/\u{00A0}".repeat(1_500);
        let long_fw = "３".repeat(10_000);
        let long_valid_then_junk = format!("37999112233{}", "\u{202E}".repeat(10_000));
        let inputs: Vec<String> = vec![
            "\u{0301}".into(),
            "3\u{0301}7\u{0301}".into(),
            "\u{202E}37999112233\u{202C}".into(),
            "\u{200F}(37)\u{200F} 99911-2233".into(),
            "مرحبا ٣٧".into(),
            "שלום 37 99911-2233".into(),
            "😀".into(),
            "👨‍👩‍👧‍👦 37".into(),
            "🇧🇷 +55 37 99911-2233".into(),
            "\u{0000}".into(),
            "\u{FFFF}\u{10FFFF}".into(),
            "x".into(),
            "0x".into(),
            "0xx".into(),
            "+55 0xx".into(),
            "+0".into(),
            "++55".into(),
            "5".into(),
            "55".into(),
            "550".into(),
            "5500000000000".into(),
            "0000000000001".into(),
            "00".into(),
            "0055".into(),
            long_digits,
            long_mixed,
            long_seps,
            long_fw,
            long_valid_then_junk,
        ];
        for input in &inputs {
            let _ = normalize(input);
            let _ = digits_of(input);
            let formatted = format_as_you_type(input);
            assert!(formatted.chars().count() <= digits_of(input).chars().count() + 5);
            if let Ok(p) = normalize(input) {
                assert!(matches!(p.digits().len(), 10 | 11));
            }
        }
        assert_eq!(normalize(&"9".repeat(10_000)), Err(PhoneError::Placeholder));
        assert_eq!(normalize(&"12".repeat(5_000)), Err(PhoneError::TooLong));
        assert_eq!(
            normalize(&"3\u{0301}".repeat(5_000)),
            Err(PhoneError::InvalidCharacters)
        );
    }

    #[test]
    fn every_prefix_of_a_typed_number_is_safe() {
        // Simulates typing character by character, including the mask's own output.
        let typed = "+55 (0xx37) 99911-2233";
        let chars: Vec<char> = typed.chars().collect();
        for n in 0..=chars.len() {
            let prefix: String = chars[..n].iter().collect();
            let _ = normalize(&prefix);
            let shown = format_as_you_type(&prefix);
            let _ = format_as_you_type(&shown);
        }
        let mut field = String::new();
        for c in "37999112233".chars() {
            field.push(c);
            field = format_as_you_type(&field);
        }
        assert_eq!(field, "(37) 99911-2233");
    }
}
