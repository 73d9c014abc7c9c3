//! The browser side of drafts: `localStorage` reads and writes, every failure swallowed.
//!
//! Storage may be missing (disabled cookies, sandboxed iframes), throw on access, or be full;
//! the widget then works the same, only without drafts. Encoding and keys are pure
//! ([`crate::core::draft`]). Only form values are stored, and the mark of a send in flight (its
//! `Idempotency-Key` and request body), never the token.

use std::cell::RefCell;
use std::rc::Rc;

use crate::core::draft;
use crate::core::form::FormValues;

/// A draft save waiting for its debounce: `(storage key, values)`; and the draft key this form
/// is under with its intent id ([`draft::intent_key`]), if it has one. Clones share one slot: the
/// widget's draft hook ([`crate::hooks::use_draft`]) fills it, and its debounce timer, unmount,
/// `pagehide`, `visibilitychange` and the host's `destroy()`/`saveDraft()` write it. The last two
/// do so at once, so a host that clears storage right after (a logout) leaves nothing behind.
#[derive(Clone, Default)]
pub struct PendingSave(
    Rc<RefCell<Option<(String, FormValues)>>>,
    Rc<RefCell<FormIntent>>,
);

/// The draft key a form is under and its intent id, if it has one; `None` before the form has
/// taken its draft key ([`PendingSave::adopt_intent`]).
type FormIntent = Option<(String, Option<String>)>;

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

    /// The intent id the sends of the form under `draft_key` derive their `Idempotency-Key`
    /// from ([`crate::core::idempotency::key_for`]), if it has one.
    pub fn intent(&self, draft_key: &str) -> Option<String> {
        match &*self.1.borrow() {
            Some((key, id)) if key == draft_key => id.clone(),
            _ => None,
        }
    }

    /// The form is now under `draft_key` (at mount, or another customer), and sends with an
    /// `Idempotency-Key` (`keyed`): it takes the intent id stored beside that draft, if any,
    /// which every tab that restored the draft shares. Without keys it has none, and its drafts
    /// get none.
    pub fn adopt_intent(&self, draft_key: &str, keyed: bool) {
        *self.1.borrow_mut() = keyed.then(|| (draft_key.to_owned(), stored_intent(draft_key)));
    }

    /// Ends the intent of the draft under `draft_key`, whoever holds it: its id leaves storage
    /// and this form ("Descartar rascunho", `reset()`, a form emptied), so that what is typed
    /// next is a new intent.
    pub fn forget_intent(&self, draft_key: &str) {
        remove(&draft::intent_key(draft_key));
        if let Some((form_key, id)) = &mut *self.1.borrow_mut() {
            if form_key == draft_key {
                *id = None;
            }
        }
    }

    /// Ends the intent `intent` of the draft under `draft_key` (its send opened a ticket, or was
    /// refused): its id leaves storage and this form, where they still hold it, so that the
    /// next draft gets a new one.
    pub fn settle_intent(&self, draft_key: &str, intent: &str) {
        let stored = draft::intent_key(draft_key);
        if get(&stored).as_deref() == Some(intent) {
            remove(&stored);
        }
        if let Some((key, id)) = &mut *self.1.borrow_mut() {
            if key == draft_key && id.as_deref() == Some(intent) {
                *id = None;
            }
        }
    }

    /// Forgets what is waiting, unwritten, and deletes the draft saved under `key` with the
    /// mark of a send in flight for it and its intent id: "Descartar rascunho" and the host's
    /// `reset()` (that intent is given up). Returns the mark's text, for "Desfazer" to put back.
    pub fn discard(&self, key: &str) -> Option<String> {
        self.cancel();
        remove(key);
        self.forget_intent(key);
        let mark = load_in_flight_raw(key);
        remove_in_flight(key);
        mark
    }

    /// Writes what is waiting, if anything, and forgets it. The form under that draft key, if
    /// it sends with keys and has no intent id, takes the one stored beside the draft, or stores
    /// a new one. (A form that holds an id whose entry is gone, because another tab's send
    /// settled it, keeps it to itself: its send of the same body then gets that send's ticket.)
    pub fn flush(&self) {
        let waiting = self.0.borrow_mut().take();
        if let Some((key, values)) = waiting {
            save(&key, &values);
            let mut held = self.1.borrow_mut();
            if matches!(&*held, Some((form_key, None)) if *form_key == key) {
                let id = stored_intent(&key).unwrap_or_else(|| {
                    let id = crate::http::new_idempotency_key();
                    set(&draft::intent_key(&key), &id);
                    id
                });
                *held = Some((key, Some(id)));
            }
        }
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The intent id stored beside the draft under `draft_key`, if it is one this widget writes (a
/// UUID's 36 characters of hex digits and `-`): storage is shared with any script of the page,
/// and a key with other characters could not be sent as a header.
fn stored_intent(draft_key: &str) -> Option<String> {
    get(&draft::intent_key(draft_key))
        .filter(|id| id.len() == 36 && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'))
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

/// Deletes the draft under `key`, if storage is available.
pub fn remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}
