//! The task filters as the URL holds them, and the form that sets them (a
//! GET form: shared links and reloads keep the view, and it works without
//! JavaScript).

use crate::dates::DAY_MS;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::params::ParamsMap;
use scanport_wire::hss::{
    GlobalImageType, ListTasksRequest, SCAN_SCOPE_PARTS, TaskListType, TaskStatusFilter, TaskType,
};

/// Tasks per page unless the URL says otherwise.
pub const DEFAULT_PER_PAGE: i64 = 50;
/// The page sizes offered (the service takes 10..=200).
pub const PER_PAGE_CHOICES: [i64; 4] = [20, 50, 100, 200];

/// What the Tasks page shows, parsed from its URL:
/// `/tasks?type=&account=&task_type=&status=&name=&id=&from=&to=&scope=…&image=&page=&per_page=`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TaskFilters {
    pub list: TaskListType,
    pub account: Option<String>,
    pub task_type: Option<TaskType>,
    pub status: Option<TaskStatusFilter>,
    pub name: String,
    pub id: String,
    /// `YYYY-MM-DD`, a UTC day: tasks that started on or after it.
    pub from: String,
    /// `YYYY-MM-DD`, a UTC day: tasks that ended on or before it.
    pub to: String,
    /// Names from `SCAN_SCOPE_PARTS` (spaces as `-` in the URL).
    pub scope: Vec<&'static str>,
    pub image: Option<GlobalImageType>,
    /// 1-based.
    pub page: i64,
    pub per_page: i64,
    /// Values in the URL that were not understood, in English words (as
    /// the CSV export names them); the page shows [`Self::not_understood`].
    pub ignored: Vec<String>,
    /// The same values, to name in the page's language.
    pub not_understood: Vec<Ignored>,
}

/// A value in the URL that was not understood, so not applied.
#[derive(Debug, Clone, PartialEq)]
pub enum Ignored {
    TaskType(String),
    Status(String),
    ImageType(String),
    From(String),
    To(String),
    RiskType(String),
    Page,
    PerPage,
    /// A task type of the other list.
    TaskTypeOnList(String),
}

impl Ignored {
    /// In words, in `locale`: `task type “weekly”`.
    pub fn text(&self, locale: Locale) -> String {
        match self {
            Self::TaskType(v) => td_string!(locale, ignored_task_type, value = v).to_string(),
            Self::Status(v) => td_string!(locale, ignored_status, value = v).to_string(),
            Self::ImageType(v) => td_string!(locale, ignored_image_type, value = v).to_string(),
            Self::From(v) => td_string!(locale, ignored_from, value = v).to_string(),
            Self::To(v) => td_string!(locale, ignored_to, value = v).to_string(),
            Self::RiskType(v) => td_string!(locale, ignored_risk_type, value = v).to_string(),
            Self::Page => td_string!(locale, ignored_page).to_owned(),
            Self::PerPage => td_string!(locale, ignored_per_page).to_owned(),
            Self::TaskTypeOnList(v) => {
                td_string!(locale, ignored_task_type_on_list, value = v).to_string()
            }
        }
    }
}

fn text(q: &ParamsMap, key: &str) -> String {
    q.get(key).map(|v| v.trim().to_owned()).unwrap_or_default()
}

/// Free text from a GET form: the browser sends spaces as `+`, which the
/// router's decoding keeps (our own links encode spaces as `%20`).
fn form_text(q: &ParamsMap, key: &str) -> String {
    text(q, key).replace('+', " ")
}

/// A scope name as the URL spells it ("malicious files" → "malicious-files").
fn scope_slug(name: &str) -> String {
    name.replace(' ', "-")
}

/// Midnight UTC of a `YYYY-MM-DD` day, within the range HSS takes for task
/// times (`0..=4070880000000` ms: 1970 to 2098).
pub fn day_start_ms(day: &str) -> Option<i64> {
    crate::dates::day_start_ms(day).filter(|ms| (0..=4_070_880_000_000 - DAY_MS).contains(ms))
}

impl TaskFilters {
    pub fn from_query(q: &ParamsMap) -> Self {
        let mut ignored = Vec::new();
        let mut pick = |key: &str, what: fn(String) -> Ignored, parse: &dyn Fn(&str) -> bool| {
            let value = text(q, key);
            if value.is_empty() || parse(&value) {
                value
            } else {
                ignored.push(what(value));
                String::new()
            }
        };
        let list = q
            .get("type")
            .and_then(|t| TaskListType::parse(&t))
            .unwrap_or_default();
        let task_type = pick("task_type", Ignored::TaskType, &|v| {
            TaskType::parse(v).is_some()
        });
        let status = pick("status", Ignored::Status, &|v| {
            TaskStatusFilter::parse(v).is_some()
        });
        let image = pick("image", Ignored::ImageType, &|v| {
            GlobalImageType::parse(v).is_some()
        });
        let from = pick("from", Ignored::From, &|v| day_start_ms(v).is_some());
        let to = pick("to", Ignored::To, &|v| day_start_ms(v).is_some());
        let name = form_text(q, "name");
        let id = text(q, "id");
        let mut scope = Vec::new();
        for value in q.get_all("scope").unwrap_or_default() {
            for slug in value.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                match SCAN_SCOPE_PARTS
                    .iter()
                    .find(|(_, name)| scope_slug(name) == slug)
                {
                    Some((_, name)) if !scope.contains(name) => scope.push(*name),
                    Some(_) => {}
                    None => ignored.push(Ignored::RiskType(slug.to_owned())),
                }
            }
        }
        let page = match q.get("page").map(|p| p.parse::<i64>()) {
            None => 1,
            Some(Ok(p)) if (1..=100_000).contains(&p) => p,
            Some(_) => {
                ignored.push(Ignored::Page);
                1
            }
        };
        let per_page = match q.get("per_page").map(|p| p.parse::<i64>()) {
            None => DEFAULT_PER_PAGE,
            Some(Ok(p)) if (10..=200).contains(&p) => p,
            Some(_) => {
                ignored.push(Ignored::PerPage);
                DEFAULT_PER_PAGE
            }
        };
        // A task type from the other list would match nothing.
        let task_type = TaskType::parse(&task_type).filter(|t| {
            let fits = task_types(list).contains(t);
            if !fits {
                ignored.push(Ignored::TaskTypeOnList(t.as_str().to_owned()));
            }
            fits
        });
        Self {
            list,
            account: q.get("account").filter(|a| !a.is_empty()),
            task_type,
            status: TaskStatusFilter::parse(&status),
            name: name.chars().take(256).collect(),
            id: id.chars().take(256).collect(),
            from,
            to,
            scope,
            image: GlobalImageType::parse(&image),
            page,
            per_page,
            ignored: ignored.iter().map(|i| i.text(Locale::en)).collect(),
            not_understood: ignored,
        }
    }

    /// Whether anything narrows the list.
    pub fn is_filtered(&self) -> bool {
        self.task_type.is_some()
            || self.status.is_some()
            || !self.name.is_empty()
            || !self.id.is_empty()
            || !self.from.is_empty()
            || !self.to.is_empty()
            || !self.scope.is_empty()
            || self.image.is_some()
    }

    /// The service's query for the current page.
    pub fn to_request(&self) -> ListTasksRequest {
        let mut req = ListTasksRequest::new(self.list);
        req.task_type = self.task_type;
        req.task_status = self.status;
        req.task_name = (!self.name.is_empty()).then(|| self.name.clone());
        req.task_id = (!self.id.is_empty()).then(|| self.id.clone());
        req.create_time = day_start_ms(&self.from);
        // Through the end of the chosen day.
        req.end_time = day_start_ms(&self.to).map(|ms| ms + DAY_MS - 1);
        let bits = SCAN_SCOPE_PARTS
            .iter()
            .filter(|(_, name)| self.scope.contains(name))
            .fold(0, |acc, (bits, _)| acc | bits);
        req.scan_scope = (bits != 0).then_some(bits);
        req.global_image_type = self.image;
        req.offset = Some((self.page - 1) * self.per_page);
        req.limit = Some(self.per_page);
        req
    }

    /// The query string (without `?`) for these filters on `page`; the
    /// page and page size are left out when they are the defaults.
    pub fn query_string(&self, page: i64) -> String {
        let mut pairs: Vec<(&str, String)> = vec![("type", self.list.as_str().to_owned())];
        if let Some(a) = &self.account {
            pairs.push(("account", a.clone()));
        }
        if let Some(t) = self.task_type {
            pairs.push(("task_type", t.as_str().to_owned()));
        }
        if let Some(s) = self.status {
            pairs.push(("status", s.as_str().to_owned()));
        }
        for (key, value) in [
            ("name", &self.name),
            ("id", &self.id),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if !value.is_empty() {
                pairs.push((key, value.clone()));
            }
        }
        for name in &self.scope {
            pairs.push(("scope", scope_slug(name)));
        }
        if let Some(i) = self.image {
            pairs.push(("image", i.as_str().to_owned()));
        }
        if self.per_page != DEFAULT_PER_PAGE {
            pairs.push(("per_page", self.per_page.to_string()));
        }
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", crate::format::url_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The Tasks page for these filters on `page`.
    pub fn href(&self, page: i64) -> String {
        format!("/tasks?{}", self.query_string(page))
    }
}

/// The task types that occur on a list.
pub fn task_types(list: TaskListType) -> &'static [TaskType] {
    match list {
        TaskListType::ImageScan => &[TaskType::Manual, TaskType::Cycle],
        TaskListType::ImageSync => &[TaskType::ManualSync, TaskType::AutoSync],
    }
}

pub fn task_type_label(locale: Locale, t: TaskType) -> &'static str {
    match t {
        TaskType::Cycle => td_string!(locale, task_type_cycle),
        TaskType::Manual => td_string!(locale, task_type_manual),
        TaskType::AutoSync => td_string!(locale, task_type_auto_sync),
        TaskType::ManualSync => td_string!(locale, task_type_manual_sync),
    }
}

/// A risk type of `SCAN_SCOPE_PARTS` in `locale`.
fn scope_label(locale: Locale, name: &'static str) -> &'static str {
    match name {
        "vulnerabilities" => td_string!(locale, scope_vulnerabilities),
        "baseline" => td_string!(locale, scope_baseline),
        "malicious files" => td_string!(locale, scope_malicious_files),
        "sensitive information" => td_string!(locale, scope_sensitive_information),
        "software compliance" => td_string!(locale, scope_software_compliance),
        other => other,
    }
}

#[component]
pub fn TaskFilterForm(filters: TaskFilters) -> impl IntoView {
    let i18n = use_i18n();
    // Option labels are plain text in the language the form is rendered
    // in, as in the image filters.
    let locale = i18n.get_locale_untracked();
    let option = |value: &'static str, label: &'static str, current: &str| {
        let selected = value == current;
        view! { <option value=value selected=selected>{label}</option> }
    };
    let task_type = filters.task_type.map(|t| t.as_str()).unwrap_or("");
    let status = filters.status.map(|s| s.as_str()).unwrap_or("");
    let image = filters.image.map(|i| i.as_str()).unwrap_or("");
    let per_page = filters.per_page;
    let scan_list = filters.list == TaskListType::ImageScan;
    let clear = TaskFilters {
        list: filters.list,
        account: filters.account.clone(),
        ..TaskFilters::default()
    };
    let clear = TaskFilters {
        per_page: DEFAULT_PER_PAGE,
        ..clear
    }
    .href(1);
    view! {
        <form method="get" action="/tasks" class="filters" aria-label=move || t_string!(i18n, tasks_filters_label)>
            <input type="hidden" name="type" value=filters.list.as_str() />
            {filters.account.clone().map(|a| view! { <input type="hidden" name="account" value=a /> })}
            <div class="field">
                <label for="t-name">{t!(i18n, tasks_filter_name)}</label>
                <input id="t-name" name="name" maxlength="256" value=filters.name.clone() />
            </div>
            <div class="field">
                <label for="t-id">{t!(i18n, tasks_filter_id)}</label>
                <input id="t-id" name="id" maxlength="256" value=filters.id.clone() />
            </div>
            <div class="field">
                <label for="t-type">{t!(i18n, col_type)}</label>
                <select id="t-type" name="task_type">
                    {option("", td_string!(locale, filters_any), task_type)}
                    {task_types(filters.list)
                        .iter()
                        .map(|t| option(t.as_str(), task_type_label(locale, *t), task_type))
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="t-status">{t!(i18n, col_status)}</label>
                <select id="t-status" name="status">
                    {option("", td_string!(locale, filters_any), status)}
                    {option("scanning", td_string!(locale, tasks_status_running), status)}
                    {option("finished", td_string!(locale, tasks_status_ended), status)}
                </select>
            </div>
            <div class="field">
                <label for="t-from">{t!(i18n, tasks_filter_from)}</label>
                <input id="t-from" name="from" type="date" value=filters.from.clone() />
            </div>
            <div class="field">
                <label for="t-to">{t!(i18n, tasks_filter_to)}</label>
                <input id="t-to" name="to" type="date" value=filters.to.clone() />
            </div>
            <div class="field">
                <label for="t-image">{t!(i18n, tasks_filter_images)}</label>
                <select id="t-image" name="image">
                    {option("", td_string!(locale, filters_any), image)}
                    {option("local", td_string!(locale, tasks_images_local), image)}
                    {option("registry", td_string!(locale, tasks_images_registry), image)}
                </select>
            </div>
            {scan_list
                .then(|| {
                    view! {
                        <fieldset class="checks">
                            <legend>{t!(i18n, tasks_filter_scope)}</legend>
                            {SCAN_SCOPE_PARTS
                                .iter()
                                .map(|&(_, name)| {
                                    let checked = filters.scope.contains(&name);
                                    view! {
                                        <label>
                                            <input type="checkbox" name="scope" value=scope_slug(name) checked=checked />
                                            {move || scope_label(i18n.get_locale(), name)}
                                        </label>
                                    }
                                })
                                .collect_view()}
                        </fieldset>
                    }
                })}
            <div class="field">
                <label for="t-per-page">{t!(i18n, tasks_filter_per_page)}</label>
                <select id="t-per-page" name="per_page">
                    {PER_PAGE_CHOICES
                        .iter()
                        .map(|n| {
                            let selected = *n == per_page;
                            view! { <option value=n.to_string() selected=selected>{n.to_string()}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="filter-actions">
                <button type="submit" class="primary">{t!(i18n, filters_apply)}</button>
                <a href=clear>{t!(i18n, filters_clear)}</a>
            </div>
        </form>
    }
}

// ParamsMap unescapes through the browser's URL API in the hydrate build.
#[cfg(all(test, not(feature = "hydrate")))]
mod tests {
    use super::*;

    fn parse(query: &str) -> TaskFilters {
        let mut map = ParamsMap::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            map.insert(k.to_owned(), v.to_owned());
        }
        TaskFilters::from_query(&map)
    }

    #[test]
    fn days_are_utc_midnights_and_impossible_days_are_refused() {
        assert_eq!(day_start_ms("1970-01-01"), Some(0));
        assert_eq!(day_start_ms("2026-11-23"), Some(1_795_392_000_000));
        assert_eq!(day_start_ms("2024-02-29"), Some(1_709_164_800_000));
        assert_eq!(day_start_ms("2026-02-30"), None);
        assert_eq!(day_start_ms("2026-13-01"), None);
        assert_eq!(day_start_ms("yesterday"), None);
    }

    #[test]
    fn the_url_round_trips_and_becomes_the_service_query() {
        let f = parse(
            "type=image_scan&account=hw&task_type=manual&status=scanning&name=nightly&from=2026-11-01&to=2026-11-02&scope=vulnerabilities&scope=malicious-files&image=registry&per_page=100&page=3",
        );
        assert!(f.ignored.is_empty(), "{:?}", f.ignored);
        assert_eq!(
            parse(&f.query_string(3)),
            TaskFilters {
                list: f.list,
                ..f.clone()
            }
        );
        let req = f.to_request();
        assert_eq!(req.scan_scope, Some(0x000f_0f00));
        assert_eq!(req.offset, Some(200));
        assert_eq!(req.limit, Some(100));
        assert_eq!(req.create_time, day_start_ms("2026-11-01"));
        assert_eq!(req.end_time, day_start_ms("2026-11-03").map(|ms| ms - 1));
        assert!(req.validate().is_ok());
        assert!(f.is_filtered());
    }

    #[test]
    fn values_not_understood_are_named_and_left_out() {
        let f = parse(
            "type=image_sync&task_type=manual&status=soon&from=2026-02-30&scope=cats&per_page=5&page=-1",
        );
        assert_eq!(f.task_type, None, "a scan task type on the sync list");
        assert_eq!(f.status, None);
        assert!(f.from.is_empty());
        assert_eq!((f.page, f.per_page), (1, DEFAULT_PER_PAGE));
        assert_eq!(f.ignored.len(), 6, "{:?}", f.ignored);
        assert_eq!(f.ignored[0], "status “soon”");
        assert_eq!(f.not_understood[0].text(Locale::es), "estado «soon»");
        assert!(!f.is_filtered());
        assert_eq!(f.href(1), "/tasks?type=image_sync");
    }
}
