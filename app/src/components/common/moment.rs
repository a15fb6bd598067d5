use crate::format::{iso_utc, utc_minutes};
use leptos::prelude::*;

/// Whether the page has hydrated: before that, server and browser must
/// render the same text, so times show in UTC; after it, in the viewer's
/// own time zone.
#[derive(Debug, Clone, Copy)]
pub struct Hydrated(pub ReadSignal<bool>);

/// Provides [`Hydrated`]; call once, at the top of the app.
pub fn provide_hydrated() {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    provide_context(Hydrated(hydrated));
}

/// `(date, time)` of an instant in the viewer's time zone, e.g.
/// `("2026-11-22", "16:00 UTC+8")`.
#[cfg(feature = "hydrate")]
fn local_parts(ms: i64) -> (String, String) {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    // getTimezoneOffset is minutes *behind* UTC.
    let offset = -(date.get_timezone_offset() as i64);
    let zone = match (offset / 60, (offset % 60).abs()) {
        (0, 0) => "UTC".to_owned(),
        (h, 0) => format!("UTC{h:+}"),
        (h, m) => format!("UTC{h:+}:{m:02}"),
    };
    (
        format!(
            "{:04}-{:02}-{:02}",
            date.get_full_year(),
            date.get_month() + 1,
            date.get_date()
        ),
        format!("{:02}:{:02} {zone}", date.get_hours(), date.get_minutes()),
    )
}

#[cfg(not(feature = "hydrate"))]
fn local_parts(ms: i64) -> (String, String) {
    utc_parts(ms)
}

fn utc_parts(ms: i64) -> (String, String) {
    let text = utc_minutes(ms);
    let (date, clock) = text.split_once(' ').unwrap_or((text.as_str(), ""));
    (date.to_owned(), clock.to_owned())
}

/// An instant as date over time: UTC in the server-rendered page, the
/// viewer's local time once the page is interactive.
#[component]
pub fn Moment(ms: i64) -> impl IntoView {
    let hydrated = use_context::<Hydrated>().map(|h| h.0);
    let parts = move || {
        if hydrated.is_some_and(|h| h.get()) {
            local_parts(ms)
        } else {
            utc_parts(ms)
        }
    };
    view! {
        <time datetime=iso_utc(ms)>
            <span class="date">{move || parts().0}</span>
            " "
            <span class="clock">{move || parts().1}</span>
        </time>
    }
}
