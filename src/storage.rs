//! The browser side of drafts: `localStorage` reads and writes, every failure swallowed.
//!
//! Storage may be missing (disabled cookies, sandboxed iframes), throw on access, or be full;
//! the widget then works the same, only without drafts. Encoding and keys are pure
//! ([`crate::core::draft`]). Only form values are stored, the mark of a send in flight (its
//! `Idempotency-Key` and request body) and the record of the last ticket a draft opened (the
//! same), never the token.

use std::cell::RefCell;
use std::rc::Rc;

use crate::core::draft;
use crate::core::form::FormValues;

/// A draft save waiting for its debounce: `(storage key, values)`. Clones share one slot: the
/// widget's draft hook ([`crate::hooks::use_draft`]) fills it, and its debounce timer, unmount,
/// `pagehide` and the host's `destroy()`/`saveDraft()` write it. The last two do so at once, so a host that clears storage
/// right after (a logout) leaves nothing behind.
#[derive(Clone, Default)]
pub struct PendingSave(Rc<RefCell<Option<(String, FormValues)>>>);

impl PartialEq for PendingSave {
    /// The same slot.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl PendingSave {
    /// Replaces what is waiting with `values` under `key`.
    pub fn set(&self, key: String, values: FormValues) {
        *self.0.borrow_mut() = Some((key, values));
    }

    /// Forgets what is waiting, unwritten.
    pub fn cancel(&self) {
        *self.0.borrow_mut() = None;
    }

    /// Forgets what is waiting, unwritten, and deletes the draft saved under `key` with the
    /// mark of a send in flight for it and the record of its last ticket ([`save_sent`]): "Descartar rascunho" and the host's `reset()` (that
    /// intent is given up). Returns the mark's text, for "Desfazer" to put back.
    pub fn discard(&self, key: &str) -> Option<String> {
        self.cancel();
        remove(key);
        remove(&draft::sent_key(key));
        let mark = load_in_flight_raw(key);
        remove_in_flight(key);
        mark
    }

    /// Writes what is waiting, if anything, and forgets it.
    pub fn flush(&self) {
        let waiting = self.0.borrow_mut().take();
        if let Some((key, values)) = waiting {
            save(&key, &values);
        }
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The text stored under `key`, if any and readable.
fn get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Stores `value` under `key`; a full or unavailable storage is ignored.
fn set(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}

/// The draft saved under `key`, if any and readable.
pub fn load(key: &str) -> Option<FormValues> {
    draft::decode(&get(key)?)
}

/// Saves `values` under `key`; a full or unavailable storage is ignored.
pub fn save(key: &str, values: &FormValues) {
    set(key, &draft::encode(values));
}

/// The mark of a send in flight for the draft under `draft_key` ([`draft::decode_in_flight`]):
/// `(Idempotency-Key or "", request body JSON)`; a mark too old to count is deleted.
pub fn load_in_flight(draft_key: &str) -> Option<(String, String)> {
    let text = load_in_flight_raw(draft_key)?;
    let mark = draft::decode_in_flight(&text, js_sys::Date::now() as u64);
    if mark.is_none() {
        remove_in_flight(draft_key);
    }
    mark
}

/// Marks a send in flight for the draft under `draft_key` (until [`remove_in_flight`]) and
/// returns the mark's text as it was before (for [`put_in_flight_raw`] to put back). A mark of
/// the same key and body is kept as it is: it is dated by the first send of that intent, which
/// is what the gateway's key lifetime counts from.
pub fn save_in_flight(draft_key: &str, key: &str, body_json: &str) -> Option<String> {
    let previous = load_in_flight_raw(draft_key);
    let now = js_sys::Date::now() as u64;
    let same = previous
        .as_deref()
        .and_then(|text| draft::decode_in_flight(text, now))
        .is_some_and(|(k, b)| k == key && b == body_json);
    if !same {
        set(
            &draft::in_flight_key(draft_key),
            &draft::encode_in_flight(now, key, body_json),
        );
    }
    previous
}

/// The stored text of the mark of a send in flight for the draft under `draft_key`, as it is
/// (to put it back unchanged with [`put_in_flight_raw`]).
pub fn load_in_flight_raw(draft_key: &str) -> Option<String> {
    get(&draft::in_flight_key(draft_key))
}

/// Puts back a mark read by [`load_in_flight_raw`], date included.
pub fn put_in_flight_raw(draft_key: &str, raw: &str) {
    set(&draft::in_flight_key(draft_key), raw);
}

/// Removes the mark of a send in flight for the draft under `draft_key`.
pub fn remove_in_flight(draft_key: &str) {
    remove(&draft::in_flight_key(draft_key));
}

/// Records that the request body `body_json`, sent under the `Idempotency-Key` `key` for the
/// draft under `draft_key`, opened a ticket ([`draft::sent_key`], in the mark's format): another
/// tab that restored that draft before it was sent finds it with [`load_sent`].
pub fn save_sent(draft_key: &str, key: &str, body_json: &str) {
    set(
        &draft::sent_key(draft_key),
        &draft::encode_in_flight(js_sys::Date::now() as u64, key, body_json),
    );
}

/// The record of [`save_sent`] for the draft under `draft_key`: `(Idempotency-Key, request body
/// JSON)`, or `None` when there is none or it is older than the key's lifetime (24 h).
pub fn load_sent(draft_key: &str) -> Option<(String, String)> {
    draft::decode_in_flight(
        &get(&draft::sent_key(draft_key))?,
        js_sys::Date::now() as u64,
    )
}

/// Deletes the draft under `key`, if storage is available.
pub fn remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}
