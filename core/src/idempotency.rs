//! The pure rules of the `Idempotency-Key` request header (IETF httpapi draft "The
//! Idempotency-Key HTTP Header Field"), used when the host turns the `idempotency_key` option on:
//! the key's format, and when and how soon the widget sends the same request again by itself.
//!
//! A key names one submit intent. A server that honours it (the project's gateway) opens at most
//! one ticket per key and answers a repeated key with the first answer, so sending the same
//! request again under the same key is safe. Hubsoft itself knows no such header: with the option
//! off the widget sends exactly one POST per submit and never retries.

use super::error::SubmitError;

/// The request header that carries the key (the draft's spelling).
pub const HEADER: &str = "Idempotency-Key";

/// Most automatic retries of one submit after the first attempt.
pub const MAX_RETRIES: u32 = 2;

/// Upper bound of the first retry's wait, in milliseconds; it doubles for each further retry
/// (250 ms, then 500 ms).
pub const BACKOFF_BASE_MS: u32 = 250;

/// Least time, in milliseconds, that must remain of the time limit after the wait for a retry
/// to be worth sending.
pub const MIN_ATTEMPT_MS: u32 = 500;

/// Whether a failure may be retried automatically under the same key: the request may not have
/// reached the server, or its answer was lost (a network failure, the time limit). An answer
/// from the server (any status) is never retried automatically.
pub fn retryable(error: &SubmitError) -> bool {
    matches!(error, SubmitError::Network | SubmitError::Timeout)
}

/// The time limit of one attempt, in milliseconds, when `remaining_ms` is left of the whole
/// submit's limit and `retries_left` retries may still follow: an equal share of what is left
/// (`remaining_ms / (retries_left + 1)`), so that a retry after an attempt that ran out of time
/// still fits within the limit. The last attempt gets everything that is left.
pub fn attempt_limit_ms(remaining_ms: u32, retries_left: u32) -> u32 {
    remaining_ms / retries_left.saturating_add(1)
}

/// How long to wait before retry number `retry` (0 for the first retry), in milliseconds:
/// "equal jitter" backoff, a random point in the upper half of `BACKOFF_BASE_MS × 2^retry`,
/// with `jitter` in `[0, 1)` (values outside are clamped). `None` when no retry should be sent:
/// `retry` is [`MAX_RETRIES`] or more, or fewer than [`MIN_ATTEMPT_MS`] would remain of
/// `remaining_ms` after the wait.
pub fn backoff_ms(retry: u32, jitter: f64, remaining_ms: u32) -> Option<u32> {
    if retry >= MAX_RETRIES {
        return None;
    }
    let ceiling = BACKOFF_BASE_MS << retry;
    let jitter = if jitter.is_nan() {
        0.0
    } else {
        jitter.clamp(0.0, 1.0)
    };
    let wait = ceiling / 2 + ((f64::from(ceiling / 2)) * jitter) as u32;
    (remaining_ms.saturating_sub(wait) >= MIN_ATTEMPT_MS).then_some(wait)
}

/// A version 4 (random) UUID in its canonical text form (RFC 9562 §5.4), e.g.
/// `"0f8fad5b-d9cb-469f-a165-70867728950e"`, from 16 random bytes: the version and variant bits
/// are set, the other 122 bits are the input's. Used only where the browser has no
/// `crypto.randomUUID()` (pages that are not a secure context).
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 0x0f)] as char);
    }
    out
}

/// The `Idempotency-Key` of the request body `body_json` sent for the draft intent `intent` (a
/// random id kept beside a draft, [`crate::draft::intent_key`], which every tab that holds the
/// draft shares): `{intent}.{h}`, `h` the body's 64-bit FNV-1a hash in 16 hex digits. Every tab
/// that sends the same body for the same intent sends the same key (a server that honours it
/// answers the second with the first's ticket), and another body another key. With a UUID
/// `intent`, 53 visible ASCII characters (the gateway takes up to 255).
pub fn key_for(intent: &str, body_json: &str) -> String {
    let hash = body_json.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{intent}.{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_intents_key_is_the_same_for_the_same_body_only() {
        let intent = "0f8fad5b-d9cb-469f-a165-70867728950e";
        let body = r#"{"id_cliente_servico":11000,"descricao":"Sem internet"}"#;
        let key = key_for(intent, body);
        assert_eq!(key, key_for(intent, body), "every tab, every time");
        assert!(key.starts_with(intent) && key.len() == 53, "{key}");
        assert!(key.bytes().all(|b| b.is_ascii_graphic()));
        assert_ne!(key, key_for(intent, &body.replace("internet", "internet.")));
        assert_ne!(key, key_for("another-intent", body));
        // FNV-1a 64 of the empty text is its offset basis.
        assert_eq!(key_for("i", ""), "i.cbf29ce484222325");
    }

    #[test]
    fn only_failures_without_an_answer_are_retried() {
        assert!(retryable(&SubmitError::Network));
        assert!(retryable(&SubmitError::Timeout));
        for answered in [
            SubmitError::ServerUnavailable { status: 502 },
            SubmitError::ServerUnavailable { status: 500 },
            SubmitError::InvalidResponse { status: 200 },
            SubmitError::Unauthorized,
            SubmitError::RateLimited { retry_after: None },
            SubmitError::Offline,
            SubmitError::TokenUnavailable,
        ] {
            assert!(!retryable(&answered), "{answered:?}");
        }
    }

    #[test]
    fn backoff_stays_in_the_upper_half_of_a_doubling_ceiling() {
        for (retry, low, high) in [(0, 125, 250), (1, 250, 500)] {
            for step in 0..=100 {
                let jitter = f64::from(step) / 100.0;
                let wait = backoff_ms(retry, jitter, 30_000).unwrap();
                assert!((low..=high).contains(&wait), "retry {retry}: {wait}");
            }
            assert_eq!(backoff_ms(retry, 0.0, 30_000), Some(low));
            assert_eq!(backoff_ms(retry, 0.999_999, 30_000), Some(high - 1));
        }
        assert_eq!(backoff_ms(0, -3.0, 30_000), Some(125), "clamped");
        assert_eq!(backoff_ms(0, 7.0, 30_000), Some(250), "clamped");
        assert_eq!(backoff_ms(0, f64::NAN, 30_000), Some(125));
    }

    #[test]
    fn at_most_two_retries_and_never_past_the_time_limit() {
        assert_eq!(backoff_ms(MAX_RETRIES, 0.5, 300_000), None);
        assert_eq!(backoff_ms(7, 0.5, 300_000), None);
        // The wait plus the least useful attempt must fit in what is left.
        assert_eq!(backoff_ms(0, 0.0, 625), Some(125));
        assert_eq!(backoff_ms(0, 0.0, 624), None);
        assert_eq!(backoff_ms(1, 1.0, 999), None);
        assert_eq!(backoff_ms(0, 0.5, 0), None);
        // Whatever the jitter, a whole submit (attempts + waits) stays within the limit.
        for limit in [1_000u32, 1_500, 5_000, 30_000, 300_000] {
            for jitter in [0.0, 0.3, 0.99] {
                let mut spent = 0u32;
                let mut retry = 0;
                loop {
                    let remaining = limit - spent;
                    spent += attempt_limit_ms(remaining, MAX_RETRIES - retry);
                    match backoff_ms(retry, jitter, limit - spent) {
                        Some(wait) => {
                            spent += wait;
                            retry += 1;
                        }
                        None => break,
                    }
                }
                assert!(spent <= limit, "{limit} ms, jitter {jitter}: {spent}");
                assert!(retry <= MAX_RETRIES);
            }
        }
    }

    #[test]
    fn attempts_share_what_is_left() {
        assert_eq!(attempt_limit_ms(30_000, 2), 10_000);
        assert_eq!(attempt_limit_ms(29_700, 1), 14_850);
        assert_eq!(attempt_limit_ms(14_000, 0), 14_000, "the last gets it all");
        assert_eq!(attempt_limit_ms(0, 2), 0);
        assert_eq!(attempt_limit_ms(1_000, u32::MAX), 0);
    }

    #[test]
    fn uuids_are_version_4_in_canonical_form() {
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
        assert_eq!(uuid_v4([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
        let id = uuid_v4([
            0x0f, 0x8f, 0xad, 0x5b, 0xd9, 0xcb, 0x46, 0x9f, 0xa1, 0x65, 0x70, 0x86, 0x77, 0x28,
            0x95, 0x0e,
        ]);
        assert_eq!(id, "0f8fad5b-d9cb-469f-a165-70867728950e");
        assert_eq!(id.len(), 36);
    }
}
