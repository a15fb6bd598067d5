use crate::format::{iso_utc, utc_clock, utc_date};
#[cfg(feature = "hydrate")]
use crate::i18n::Locale;
use crate::i18n::use_i18n;
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

/// A `js_sys::Date` of an instant, in the viewer's time zone.
#[cfg(feature = "hydrate")]
fn local(ms: i64) -> js_sys::Date {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64))
}

/// The date of an instant in the viewer's time zone, in the language's
/// style, e.g. `2026-11-22`.
#[cfg(feature = "hydrate")]
fn local_date(locale: Locale, ms: i64) -> String {
    let date = local(ms);
    crate::format::date(
        locale,
        i64::from(date.get_full_year()),
        i64::from(date.get_month()) + 1,
        i64::from(date.get_date()),
    )
}

/// The time of day of an instant in the viewer's time zone, with the zone,
/// e.g. `16:00 UTC+8`.
#[cfg(feature = "hydrate")]
fn local_clock(ms: i64) -> String {
    let date = local(ms);
    // getTimezoneOffset is minutes *behind* UTC.
    let offset = -(date.get_timezone_offset() as i64);
    let zone = match (offset / 60, (offset % 60).abs()) {
        (0, 0) => "UTC".to_owned(),
        (h, 0) => format!("UTC{h:+}"),
        (h, m) => format!("UTC{h:+}:{m:02}"),
    };
    format!("{:02}:{:02} {zone}", date.get_hours(), date.get_minutes())
}

/// An instant as date over time: UTC in the server-rendered page, the
/// viewer's local time once the page is interactive. Each part is its own
/// closure, so each computes only its own text.
#[cfg(feature = "hydrate")]
#[component]
pub fn Moment(ms: i64) -> impl IntoView {
    let hydrated = use_context::<Hydrated>().map(|h| h.0);
    let local = move || hydrated.is_some_and(|h| h.get());
    let i18n = use_i18n();
    let date = move || {
        let locale = i18n.get_locale();
        if local() {
            local_date(locale, ms)
        } else {
            utc_date(locale, ms)
        }
    };
    let clock = move || {
        if local() {
            local_clock(ms)
        } else {
            utc_clock(ms)
        }
    };
    view! {
        <time datetime=iso_utc(ms)>
            <span class="date">{date}</span>
            " "
            <span class="clock">{clock}</span>
        </time>
    }
}

/// The server's rendering of [`Moment`]: the same HTML as plain text. The
/// server renders a page once, in UTC, so it needs no closures (which it
/// would run twice inside a `Suspense`: once to find resources, once to
/// render); tables draw hundreds of these.
#[cfg(not(feature = "hydrate"))]
#[component]
pub fn Moment(ms: i64) -> impl IntoView {
    let locale = use_i18n().get_locale_untracked();
    view! {
        <time datetime=iso_utc(ms)>
            <span class="date">{utc_date(locale, ms)}</span>
            " "
            <span class="clock">{utc_clock(ms)}</span>
        </time>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn utc_date_and_clock_in_the_language() {
        // 2026-11-22T08:00:05Z
        let ms = 1_795_334_405_000;
        assert_eq!(utc_date(Locale::en, ms), "2026-11-22");
        assert_eq!(utc_clock(ms), "08:00 UTC");
        assert_eq!(utc_date(Locale::zh, ms), "2026年11月22日");
    }
}
