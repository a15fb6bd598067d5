//! The browser half: an `EventSource` per (account, list), reconnecting by
//! itself (the browser retries; we show it).

use super::{Connection, LiveTasks};
use leptos::prelude::*;
use scanport_wire::hss::TaskListType;
use scanport_wire::live::TaskSnapshot;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

pub(super) fn follow(account: Memo<Option<String>>, list: Memo<TaskListType>, live: LiveTasks) {
    Effect::new(move |_| {
        let list = list.get();
        let url = match account.get() {
            Some(id) => format!(
                "/api/v1/events/tasks?type={}&account={}",
                list.as_str(),
                js_sys::encode_uri_component(&id)
            ),
            None => format!("/api/v1/events/tasks?type={}", list.as_str()),
        };
        live.snapshot.set(None);
        live.connection.set(Connection::Connecting);
        let Ok(source) = web_sys::EventSource::new(&url) else {
            live.connection.set(Connection::Reconnecting);
            return;
        };
        let on_tasks =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let Some(text) = event.data().as_string() else {
                    return;
                };
                if let Ok(snapshot) = serde_json::from_str::<TaskSnapshot>(&text)
                    && snapshot.list == list
                {
                    live.snapshot.set(Some(snapshot));
                    live.connection.set(Connection::Live);
                }
            });
        let on_open =
            Closure::<dyn Fn(web_sys::Event)>::new(move |_| live.connection.set(Connection::Live));
        let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
            live.connection.set(Connection::Reconnecting)
        });
        let _ = source.add_event_listener_with_callback("tasks", on_tasks.as_ref().unchecked_ref());
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let held = SendWrapper::new((source, on_tasks, on_open, on_error));
        on_cleanup(move || held.0.close());
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
