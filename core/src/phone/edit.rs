//! The phone field as the customer types: the national mask applied while typing and pasting,
//! with the caret kept where the customer is typing. The rules of a valid number are in the
//! parent module ([`super::normalize`]).

use super::{digits_of, is_plus, is_separator, mask, normalize};

/// Formats a partial input while the customer types, from its digits only (`docs/hubsoft-api.md` §5 display
/// `(DD) 9XXXX-XXXX` / `(DD) XXXX-XXXX`).
///
/// `"3"` → `"(3"`, `"37"` → `"(37"`, `"379"` → `"(37) 9"`, `"3799911"` → `"(37) 9991-1"`,
/// `"3732211234"` → `"(37) 3221-1234"`, `"37999112233"` → `"(37) 99911-2233"`.
/// When the digits look like they carry a country code or trunk prefix (more than 11 digits, or a
/// leading `0`), the digits are returned unformatted so the mask does not fight the user; a
/// leading `+` is kept in that case (`"+55 37"` → `"+5537"`). Never panics.
#[must_use]
pub fn format_as_you_type(input: &str) -> String {
    let digits = digits_of(input);
    let starts_with_plus = input
        .chars()
        .find(|&c| !is_separator(c))
        .is_some_and(is_plus);
    if starts_with_plus {
        return format!("+{digits}");
    }
    if digits.starts_with('0') || digits.chars().count() > 11 {
        return digits;
    }
    mask(&digits)
}

/// What kind of edit an `input` event on the phone field was (from `InputEvent.inputType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneEdit {
    /// Typing or deleting forward (`insertText`, `deleteContentForward`, …).
    Typing,
    /// Backspace (`deleteContentBackward`).
    DeletingBackward,
    /// The whole value replaced at once: paste, drop, autofill, or a script's plain `input`
    /// event. Shown formatted only when it is a valid number; otherwise kept exactly as given, so
    /// the error message speaks about what the customer pasted.
    Replacing,
}

impl PhoneEdit {
    /// Classifies an `InputEvent.inputType` (`None` for a plain `Event`).
    pub fn from_input_type(input_type: Option<&str>) -> PhoneEdit {
        match input_type {
            Some("deleteContentBackward") => PhoneEdit::DeletingBackward,
            Some("insertFromPaste" | "insertFromDrop" | "insertReplacementText" | "") | None => {
                PhoneEdit::Replacing
            }
            Some(_) => PhoneEdit::Typing,
        }
    }
}

/// One `input` event on the phone field, formatted as the customer types without moving the
/// caret away from where they are typing.
///
/// `previous` is the field's value before the event, `input` its value now, `caret` the caret
/// position in `input` in UTF-16 code units (the DOM's `selectionStart`), `edit` the kind of
/// edit. Returns the value to
/// show and the caret position in it (UTF-16 units; the result is ASCII, so also chars).
///
/// Rules: the caret stays after the same number of digits as in `input`; a Backspace that only
/// removed mask punctuation (`)`, `-`, space, when the field showed exactly the mask's text)
/// removes the digit before it instead, so deleting is never "stuck"; a Backspace over a
/// character the customer typed or pasted (a letter, a symbol, their own space) removes only
/// that character; a pasted or autofilled value is formatted only if it is a valid number, so
/// `+55 37 99911-2233` becomes `(37) 99911-2233` at once and anything else stays as pasted.
/// Never panics.
pub fn reformat_with_caret(
    previous: &str,
    input: &str,
    caret: usize,
    edit: PhoneEdit,
) -> (String, usize) {
    if edit == PhoneEdit::Replacing {
        return match normalize(input) {
            Ok(p) => {
                let shown = p.formatted();
                let len = shown.len();
                (shown, len)
            }
            Err(_) => (input.to_owned(), caret),
        };
    }
    // Letters or other scripts' digits: not a number we can mask. Leave the text exactly as
    // typed; leaving the field then explains what is wrong.
    if input.chars().any(|c| {
        !(c.is_ascii_digit() || ('０'..='９').contains(&c) || is_separator(c) || is_plus(c))
    }) {
        return (input.to_owned(), caret);
    }
    let deleting_backward = edit == PhoneEdit::DeletingBackward;
    let mut digits: Vec<char> = digits_of(input).chars().collect();
    let (mut digits_before, units) = count_before(input, caret, |c| {
        c.is_ascii_digit() || ('０'..='９').contains(&c)
    });
    let caret_at_end = units >= caret && input.encode_utf16().count() <= caret;
    let mut source = input.to_owned();
    if deleting_backward && digits_of(previous) == digits_of(input) {
        // Only punctuation the mask added may be skipped. When the field did not show the mask's
        // own text, what went was something the customer typed or pasted (a symbol, a space):
        // only that character goes, and the rest stays as it was.
        if format_as_you_type(previous) != previous {
            return (input.to_owned(), caret.min(input.encode_utf16().count()));
        }
    }
    if deleting_backward && digits_of(previous) == digits_of(input) && digits_before > 0 {
        digits.remove(digits_before - 1);
        digits_before -= 1;
        source = digits.iter().collect();
    }
    if caret_at_end && digits.len() > 11 {
        if let Ok(p) = normalize(&source) {
            let shown = p.formatted();
            let len = shown.len();
            return (shown, len);
        }
    }
    let shown = format_as_you_type(&source);
    let mut position = after_nth(&shown, digits_before, |c| c.is_ascii_digit()).unwrap_or(0);
    if caret_at_end {
        position = shown.len();
    }
    (shown, position)
}

/// A value typed into a plain field (the prerendered first paint, before the widget's mask was
/// there), shown as the mask would have shown it had the customer typed it into the widget's
/// field from left to right: each character goes through [`reformat_with_caret`] as a keystroke
/// at the end. So `"3799x"` becomes `"(37) 99x"`, exactly what typing it in the widget shows.
///
/// `caret` is the caret in `typed` in UTF-16 code units; the returned caret (UTF-16 units) sits
/// after the same number of characters that are not separators (digits, letters, symbols), or at
/// the end when it was at the end. Never panics.
#[must_use]
pub fn retype(typed: &str, caret: usize) -> (String, usize) {
    let shown = retyped(typed);
    let at = caret_in_retyped(typed, &shown, caret);
    (shown, at)
}

/// `typed` as the mask shows it when typed into the widget character by character ([`retype`]).
fn retyped(typed: &str) -> String {
    let mut shown = String::new();
    for c in typed.chars() {
        let mut input = shown.clone();
        input.push(c);
        let end = input.encode_utf16().count();
        shown = reformat_with_caret(&shown, &input, end, PhoneEdit::Typing).0;
    }
    shown
}

/// The caret in `shown` (the [`retyped`] `typed`) after as many characters that are not
/// separators as precede `caret` in `typed`; the end of `shown` for a caret at the end.
fn caret_in_retyped(typed: &str, shown: &str, caret: usize) -> usize {
    let end = shown.encode_utf16().count();
    if caret >= typed.encode_utf16().count() {
        return end;
    }
    let (significant, _) = count_before(typed, caret, |c| !is_separator(c));
    after_nth(shown, significant, |c| !is_separator(c)).unwrap_or(end)
}

/// [`retype`] for a selection from `start` to `end` (UTF-16 code units in `typed`, `start` ≤
/// `end`): returns the shown value and the selection around the same characters there. A
/// selection's start moves past the mask's separators to the first selected character (so
/// `"99911"` selected in `"37 99911 2233"` is `"99911"` in `"(37) 99911-2233"`, not `") 99911"`);
/// a selection from the beginning keeps the mask's opening parenthesis; a caret (`start` =
/// `end`) is [`retype`]'s. Never panics.
#[must_use]
pub fn retype_selection(typed: &str, start: usize, end: usize) -> (String, usize, usize) {
    let shown = retyped(typed);
    let end_at = caret_in_retyped(typed, &shown, end);
    let start_at = caret_in_retyped(typed, &shown, start.min(end));
    if start >= end {
        return (shown, end_at, end_at);
    }
    if start == 0 {
        // From the beginning: the whole shown start, mask included.
        return (shown, 0, end_at);
    }
    let mut at = 0usize;
    for c in shown.chars() {
        if at >= start_at && (at >= end_at || !is_separator(c)) {
            break;
        }
        at += c.len_utf16();
    }
    (shown, at.min(end_at), end_at)
}

/// The caret position in `text` (UTF-16 code units) just after its `n`th character that
/// satisfies `counts`: 0 for `n` = 0, `None` when `text` has fewer such characters.
fn after_nth(text: &str, n: usize, counts: impl Fn(char) -> bool) -> Option<usize> {
    if n == 0 {
        return Some(0);
    }
    let mut seen = 0usize;
    let mut units = 0usize;
    for c in text.chars() {
        units += c.len_utf16();
        if counts(c) {
            seen += 1;
            if seen == n {
                return Some(units);
            }
        }
    }
    None
}

/// How many characters of `text` before the caret (`caret` in UTF-16 code units) satisfy
/// `counts`, and how many UTF-16 units were walked (up to the caret, or all of a shorter text).
fn count_before(text: &str, caret: usize, counts: impl Fn(char) -> bool) -> (usize, usize) {
    let mut units = 0usize;
    let mut counted = 0usize;
    for c in text.chars() {
        if units >= caret {
            break;
        }
        units += c.len_utf16();
        if counts(c) {
            counted += 1;
        }
    }
    (counted, units)
}

#[cfg(test)]
mod tests {
    use super::{PhoneEdit, PhoneEdit::*};

    fn r(previous: &str, input: &str, caret: usize, deleting: bool) -> (String, usize) {
        let edit = if deleting { DeletingBackward } else { Typing };
        super::reformat_with_caret(previous, input, caret, edit)
    }

    #[test]
    fn a_retyped_selection_covers_the_same_characters() {
        use super::retype_selection;
        let shown = "(37) 99911-2233".to_string();
        assert_eq!(
            retype_selection("37 99911 2233", 3, 8),
            (shown.clone(), 5, 10)
        );
        assert_eq!(
            retype_selection("37999112233", 0, 11),
            (shown.clone(), 0, 15)
        );
        assert_eq!(
            retype_selection("37999112233", 7, 11),
            (shown.clone(), 11, 15)
        );
        // A caret is retype's caret.
        assert_eq!(retype_selection("37999112233", 4, 4), (shown.clone(), 7, 7));
        assert_eq!(retype_selection("", 0, 0), (String::new(), 0, 0));
        // A selection of separators only collapses at its end.
        assert_eq!(
            retype_selection("37 9", 2, 3).1,
            retype_selection("37 9", 2, 3).2
        );
    }

    #[test]
    fn retyped_values_match_typing_them_into_the_widget() {
        use super::retype;
        assert_eq!(retype("37999112233", 11), ("(37) 99911-2233".into(), 15));
        assert_eq!(retype("3799x", 5), ("(37) 99x".into(), 8));
        assert_eq!(retype("37999*", 6), ("(37) 999*".into(), 9));
        assert_eq!(retype("", 0), (String::new(), 0));
        // The caret after the fourth digit of "37999112233" is after "(37) 99".
        assert_eq!(retype("37999112233", 4), ("(37) 99911-2233".into(), 7));
        assert_eq!(retype("37999112233", 0).1, 0);
        // Letters and accents are kept; the caret counts UTF-16 units.
        assert_eq!(retype("3é", 2), ("(3é".into(), 3));
        assert_eq!(retype("+55 37 99911-2233", 17).0, "(37) 99911-2233");
        // Typing each character into the widget gives the same text.
        for typed in [
            "3799x",
            "37 9 9",
            "(37) 99911-2233",
            "abc",
            "0800",
            "37999*1",
        ] {
            let mut shown = String::new();
            for c in typed.chars() {
                let mut input = shown.clone();
                input.push(c);
                let end = input.encode_utf16().count();
                shown = r(&shown, &input, end, false).0;
            }
            assert_eq!(retype(typed, typed.len()).0, shown, "{typed}");
        }
    }

    #[test]
    fn pasted_or_autofilled_values_are_formatted_only_when_valid() {
        let paste = |s: &str| super::reformat_with_caret("", s, s.len(), Replacing);
        assert_eq!(paste("+55 37 99911-2233"), ("(37) 99911-2233".into(), 15));
        assert_eq!(paste("37999112233"), ("(37) 99911-2233".into(), 15));
        assert_eq!(
            paste("99911-2233"),
            ("99911-2233".into(), 10),
            "kept as pasted"
        );
        assert_eq!(PhoneEdit::from_input_type(None), Replacing);
        assert_eq!(
            PhoneEdit::from_input_type(Some("insertFromPaste")),
            Replacing
        );
        assert_eq!(PhoneEdit::from_input_type(Some("insertText")), Typing);
        assert_eq!(
            PhoneEdit::from_input_type(Some("deleteContentBackward")),
            DeletingBackward
        );
    }

    #[test]
    fn typing_at_the_end_formats_and_keeps_the_caret_at_the_end() {
        assert_eq!(r("", "3", 1, false), ("(3".into(), 2));
        assert_eq!(r("(3", "(37", 3, false), ("(37".into(), 3));
        assert_eq!(r("(37", "(379", 4, false), ("(37) 9".into(), 6));
        assert_eq!(
            r("(37) 99911-223", "(37) 99911-2233", 15, false),
            ("(37) 99911-2233".into(), 15)
        );
    }

    #[test]
    fn typing_in_the_middle_keeps_the_caret_after_the_typed_digit() {
        // "(37) 9911-2233" with a 9 typed after "(37) 9" (caret 7 after insertion).
        let (shown, caret) = r("(37) 9911-2233", "(37) 99911-2233", 7, false);
        assert_eq!(shown, "(37) 99911-2233");
        assert_eq!(&shown[..caret], "(37) 99");
    }

    #[test]
    fn backspace_over_punctuation_deletes_the_digit_before_it() {
        // Caret after "-" in "(37) 99911-2233"; Backspace removed the "-" only.
        let (shown, caret) = r("(37) 99911-2233", "(37) 999112233", 10, true);
        assert_eq!(shown, "(37) 9991-2233");
        assert_eq!(&shown[..caret], "(37) 9991");
        // Deleting a digit in the middle.
        let (shown, caret) = r("(37) 99911-2233", "(37) 9911-2233", 6, true);
        assert_eq!(shown, "(37) 9911-2233");
        assert_eq!(&shown[..caret], "(37) 9");
    }

    #[test]
    fn backspace_over_a_character_the_customer_typed_deletes_only_it() {
        // (previous, after Backspace removed one character, caret there)
        let rows = [
            // A letter or symbol typed among the digits (kept as typed by the mask).
            ("(37) 99x", "(37) 99", 7),
            ("(37a", "(37", 3),
            ("37#9991", "379991", 2),
            ("(37) 9*9", "(37) 99", 6),
            // A pasted number the mask left alone: its own spaces and signs are the customer's.
            ("+1 555 1234", "+1555 1234", 2),
            ("37 9 9911-2233x", "37 9 9911-2233", 14),
            ("37 9 9911-2233", "37 99911-2233", 4),
        ];
        for (previous, input, caret) in rows {
            assert_eq!(
                r(previous, input, caret, true),
                (input.to_string(), caret),
                "{previous:?} -> {input:?}"
            );
        }
        // The mask's own punctuation is still skipped to the digit before it.
        assert_eq!(r("(37) 9991", "(37)9991", 4, true), ("(39) 991".into(), 2));
    }

    #[test]
    fn typing_past_eleven_digits_with_country_code_gives_the_national_format() {
        assert_eq!(
            r("", "+55 37 99911-2233", 17, false),
            ("(37) 99911-2233".into(), 15)
        );
        assert_eq!(
            r("", "+55\u{a0}(37)\u{a0}99911\u{2013}2233", 19, false).0,
            "(37) 99911-2233"
        );
    }

    #[test]
    fn letters_are_left_as_typed_for_validation_to_explain() {
        assert_eq!(
            r("", "37999112233 ramal 12", 20, false),
            ("37999112233 ramal 12".into(), 20)
        );
        assert_eq!(r("", "٣٧٩", 3, false), ("٣٧٩".into(), 3));
    }

    #[test]
    fn odd_inputs_never_panic_and_keep_the_caret_in_range() {
        for (prev, input, caret) in [
            ("", "", 0),
            ("", "😀😀", 4),
            ("x", "", 99),
            ("", "abc", 2),
            ("", "0 15 37 99911-2233", 5),
            ("", "３７９９９", 5),
        ] {
            for del in [false, true] {
                let (shown, c) = r(prev, input, caret, del);
                assert!(c <= shown.len(), "{input:?} -> {shown:?} {c}");
            }
        }
    }
}
