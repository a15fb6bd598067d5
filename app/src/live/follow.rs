//! The browser half: an `EventSource` per feed URL, reconnecting by
//! itself (the browser retries; we show it, and reopen a stream the
//! browser gave up on).

use super::{Connection, Live};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// The browser retries a dropped stream by itself, but gives up for good
/// when an attempt gets an HTTP error (a console restarting behind a proxy
/// answers 502, a signed-out session 401). Then a new stream is opened
/// after a pause that doubles up to this.
const MAX_REOPEN_MS: u32 = 30_000;
const FIRST_REOPEN_MS: u32 = 1_000;

/// Follows `url`'s `event` events into `live`, keeping the snapshots
/// `accept` takes (a late event of a feed left behind is dropped).
pub(super) fn follow<T: DeserializeOwned + Send + Sync + 'static>(
    url: Memo<String>,
    event: &'static str,
    accept: impl Fn(&T) -> bool + Copy + 'static,
    live: Live<T>,
) {
    // Bumped to open a new stream after the browser gave up on one.
    let reopen = RwSignal::new(0u32);
    let pause_ms = StoredValue::new(FIRST_REOPEN_MS);
    Effect::new(move |followed: Option<String>| {
        reopen.track();
        let key = url.get();
        // Another feed: the old one's rows must not show. The same feed
        // reopened: its last rows stay until the new stream speaks.
        if followed.as_ref() != Some(&key) {
            live.snapshot.set(None);
            live.connection.set(Connection::Connecting);
            pause_ms.set_value(FIRST_REOPEN_MS);
        }
        let Ok(source) = web_sys::EventSource::new(&key) else {
            live.connection.set(Connection::Reconnecting);
            return key;
        };
        let on_event =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |message: web_sys::MessageEvent| {
                let Some(text) = message.data().as_string() else {
                    return;
                };
                if let Ok(snapshot) = serde_json::from_str::<T>(&text)
                    && accept(&snapshot)
                {
                    live.snapshot.set(Some(snapshot));
                    live.connection.set(Connection::Live);
                    pause_ms.set_value(FIRST_REOPEN_MS);
                }
            });
        let on_open =
            Closure::<dyn Fn(web_sys::Event)>::new(move |_| live.connection.set(Connection::Live));
        let watched = source.clone();
        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
            live.connection.set(Connection::Reconnecting);
            if watched.ready_state() == web_sys::EventSource::CLOSED {
                let pause = pause_ms.get_value();
                pause_ms.set_value((pause * 2).min(MAX_REOPEN_MS));
                set_timeout(
                    move || {
                        // None once the page is gone.
                        let _ = reopen.try_update(|n| *n = n.wrapping_add(1));
                    },
                    std::time::Duration::from_millis(pause.into()),
                );
            }
        });
        let _ = source.add_event_listener_with_callback(event, on_event.as_ref().unchecked_ref());
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let held = SendWrapper::new((source, on_event, on_open, on_error));
        on_cleanup(move || held.0.close());
        key
    });
}

pub(super) fn tick(set_now: WriteSignal<Option<i64>>) {
    Effect::new(move |_| {
        set_now.set(Some(js_sys::Date::now() as i64));
        let handle = set_interval_with_handle(
            move || set_now.set(Some(js_sys::Date::now() as i64)),
            std::time::Duration::from_secs(1),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    });
}
