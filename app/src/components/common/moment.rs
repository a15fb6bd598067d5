use crate::format::{iso_utc, utc_date, utc_time};
use crate::i18n::{Locale, use_i18n};
use leptos::prelude::*;

/// Whether the page has hydrated: before that, server and browser must
/// render the same text, so times show in UTC; after it, in the viewer's
/// own time zone.
#[derive(Debug, Clone, Copy)]
pub struct Hydrated(pub Signal<bool>);

thread_local! {
    // Outside the app's owner: the browser entry point sets it once the
    // whole page, lazy routes included, has hydrated.
    static HYDRATED: ArcRwSignal<bool> = ArcRwSignal::new(false);
}

/// Provides [`Hydrated`]; call once, at the top of the app. On the server
/// it stays false.
pub fn provide_hydrated() {
    let hydrated = HYDRATED.with(|h| Signal::from(h.read_only()));
    provide_context(Hydrated(hydrated));
}

/// Called by the browser entry point when hydration has finished: flips
/// [`Hydrated`] and marks `<html data-hydrated>` (end-to-end tests wait for
/// it). Not an effect in the app: with lazy routes hydration awaits the
/// page's chunk, and an effect would run during that wait, drawing the
/// interactive branch of a `Show` while its server HTML is still being
/// hydrated.
pub fn mark_hydrated() {
    HYDRATED.with(|h| h.set(true));
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-hydrated", "");
    }
}

/// `(date, time)` of an instant in the viewer's time zone, e.g.
/// `("2026-11-22", "16:00 UTC+8")`, the date in the language's style.
#[cfg(feature = "hydrate")]
fn local_parts(locale: Locale, ms: i64) -> (String, String) {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    // getTimezoneOffset is minutes *behind* UTC.
    let offset = -(date.get_timezone_offset() as i64);
    let zone = match (offset / 60, (offset % 60).abs()) {
        (0, 0) => "UTC".to_owned(),
        (h, 0) => format!("UTC{h:+}"),
        (h, m) => format!("UTC{h:+}:{m:02}"),
    };
    (
        crate::format::date(
            locale,
            i64::from(date.get_full_year()),
            i64::from(date.get_month()) + 1,
            i64::from(date.get_date()),
        ),
        format!("{:02}:{:02} {zone}", date.get_hours(), date.get_minutes()),
    )
}

#[cfg(not(feature = "hydrate"))]
fn local_parts(locale: Locale, ms: i64) -> (String, String) {
    utc_parts(locale, ms)
}

fn utc_parts(locale: Locale, ms: i64) -> (String, String) {
    // `08:00:05 UTC` without the seconds.
    let clock = utc_time(ms);
    let clock = format!("{}{}", &clock[..5], &clock[8..]);
    (utc_date(locale, ms), clock)
}

/// An instant as date over time: UTC in the server-rendered page, the
/// viewer's local time once the page is interactive.
#[component]
pub fn Moment(ms: i64) -> impl IntoView {
    let hydrated = use_context::<Hydrated>().map(|h| h.0);
    let i18n = use_i18n();
    let parts = move || {
        let locale = i18n.get_locale();
        if hydrated.is_some_and(|h| h.get()) {
            local_parts(locale, ms)
        } else {
            utc_parts(locale, ms)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_parts_split_date_and_clock_in_the_language() {
        // 2026-11-22T08:00:05Z
        let ms = 1_795_334_405_000;
        assert_eq!(
            utc_parts(Locale::en, ms),
            ("2026-11-22".into(), "08:00 UTC".into())
        );
        assert_eq!(utc_parts(Locale::zh, ms).0, "2026年11月22日");
    }
}
