//! The browser side of drafts: `localStorage` reads and writes, every failure swallowed.
//!
//! Storage may be missing (disabled cookies, sandboxed iframes), throw on access, or be full;
//! the widget then works exactly as before, only without drafts. Encoding and keys are pure
//! ([`crate::core::draft`]). Only form values are stored, never the token.

use crate::core::draft;
use crate::core::form::FormValues;

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The draft saved under `key`, if any and readable.
pub fn load(key: &str) -> Option<FormValues> {
    let text = local_storage()?.get_item(key).ok().flatten()?;
    draft::decode(&text)
}

/// Saves `values` under `key`; a full or unavailable storage is ignored.
pub fn save(key: &str, values: &FormValues) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, &draft::encode(values));
    }
}

/// Deletes the draft under `key`, if storage is available.
pub fn remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}
