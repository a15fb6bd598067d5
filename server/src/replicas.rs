//! What replicas of one deployment share through PostgreSQL so that,
//! together, they behave as one caller of each cloud: the spacing of every
//! account's calls ([`DatabaseSlots`]), its live feeds, refreshed by one
//! replica at a time and shown by all ([`DatabaseFeeds`]), its read caches
//! and its key refusals. On SQLite there is one process and nothing to
//! share.

use scanport_app::state::Account;
use scanport_cloud::budget::{RateBudget, SharedSlots};
use scanport_cloud::hub::{Pending, SharedFeeds, Turn};
use scanport_cloud::pause::{Done, Outcome, PauseReason, REFUSALS_BEFORE_PAUSE};
use scanport_portal::notify::{self, Heard};
use scanport_portal::{Db, call_slots, key_guards, live_feeds};
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::Notify;

/// How long a call is held back when the database cannot say whether it
/// fits: long enough not to hammer a struggling database.
const UNSURE_RETRY: Duration = Duration::from_secs(5);

/// One account's call slots in the shared database.
#[derive(Debug)]
pub struct DatabaseSlots {
    db: Db,
    account: String,
}

impl SharedSlots for DatabaseSlots {
    fn reserve(
        &self,
        api: &'static str,
        interval: Duration,
        max_wait: Duration,
    ) -> Pin<Box<dyn Future<Output = Result<Duration, Duration>> + Send + '_>> {
        Box::pin(async move {
            call_slots::reserve(&self.db, &self.account, api, interval, max_wait)
                .await
                .unwrap_or_else(|err| {
                    tracing::warn!(
                        account = %self.account,
                        api,
                        error = %err,
                        "cannot reserve a call slot in the database; holding the call back"
                    );
                    Err(UNSURE_RETRY)
                })
        })
    }
}

/// The budget, sharing its spacing with the other replicas of `account`
/// when `db` is one they all use.
pub fn share(budget: RateBudget, db: &Db, account: &str) -> RateBudget {
    if !call_slots::supported(db) {
        return budget;
    }
    budget.shared_with(Arc::new(DatabaseSlots {
        db: db.clone(),
        account: account.to_owned(),
    }))
}

/// The notification channel of live-feed publications; the payload is
/// `HOLDER ACCOUNT`.
const FEEDS_CHANNEL: &str = "scanport_feeds";

/// One account's live feeds in the shared database.
#[derive(Debug)]
pub struct DatabaseFeeds {
    db: Db,
    account: String,
    /// This process, as the holder of a feed's turn.
    holder: Arc<str>,
    /// Told when another replica publishes one of the account's feeds.
    announced: Arc<Notify>,
}

impl SharedFeeds for DatabaseFeeds {
    fn take_turn(&self, feed: &'static str, seen: i64, hold: Duration) -> Pending<'_, Turn> {
        Box::pin(async move {
            let turn =
                live_feeds::take_turn(&self.db, &self.account, feed, &self.holder, seen, hold)
                    .await
                    .map_err(|e| e.to_string())?;
            Ok(match turn {
                live_feeds::Turn::Mine => Turn::Mine,
                live_feeds::Turn::Theirs(newer, due_in) => Turn::Theirs(newer, due_in),
            })
        })
    }

    fn renew(&self, feed: &'static str, hold: Duration) -> Pending<'_, bool> {
        Box::pin(async move {
            live_feeds::renew(&self.db, &self.account, feed, &self.holder, hold)
                .await
                .map_err(|e| e.to_string())
        })
    }

    fn publish(
        &self,
        feed: &'static str,
        json: String,
        next_in: Duration,
    ) -> Pending<'_, Option<i64>> {
        Box::pin(async move {
            let seq =
                live_feeds::publish(&self.db, &self.account, feed, &self.holder, &json, next_in)
                    .await
                    .map_err(|e| e.to_string())?;
            if seq.is_some() {
                // The others would see it within their `follow` anyway.
                let payload = format!("{} {}", self.holder, self.account);
                if let Err(err) = notify::send(&self.db, FEEDS_CHANNEL, &payload).await {
                    tracing::warn!(feed, error = %err, "cannot announce the live snapshot to the other replicas");
                }
            }
            Ok(seq)
        })
    }

    fn want_refresh(&self, feed: &'static str) -> Pending<'_, ()> {
        Box::pin(async move {
            live_feeds::want_refresh(&self.db, &self.account, feed)
                .await
                .map_err(|e| e.to_string())
        })
    }

    fn announced(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(self.announced.notified())
    }
}

/// The notification channel of read-cache clears; the payload is
/// `HOLDER ACCOUNT`.
const READS_CHANNEL: &str = "scanport_reads";

/// A process's name among the replicas: unique across hosts and restarts,
/// readable in the tables.
pub(crate) fn holder() -> Arc<str> {
    format!("{}/{:016x}", std::process::id(), rand::random::<u64>()).into()
}

/// Every replica empties an account's read cache when another's change
/// emptied its own (a launch, a policy edit, a live read that moved), so no
/// replica shows a list the console has just changed; and all of them
/// when it (re)connects, since word may have been lost meanwhile.
pub fn share_read_caches(db: &Db, url: &str, accounts: &Arc<Vec<Account>>) {
    if !call_slots::supported(db) {
        return;
    }
    let me = holder();
    let (tell, mut told) = tokio::sync::mpsc::unbounded_channel::<String>();
    for account in accounts.iter().filter(|a| !a.info.sandbox) {
        let (tell, id) = (tell.clone(), account.info.id.clone());
        account.client.read_cache().on_change(Box::new(move || {
            let _ = tell.send(id.clone());
        }));
    }
    let sender = db.clone();
    let from = Arc::clone(&me);
    tokio::spawn(async move {
        while let Some(account) = told.recv().await {
            let payload = format!("{from} {account}");
            if let Err(err) = notify::send(&sender, READS_CHANNEL, &payload).await {
                tracing::warn!(account, error = %err, "cannot tell the other replicas of a change");
            }
        }
    });
    let accounts = Arc::clone(accounts);
    notify::follow(url.to_owned(), READS_CHANNEL, "changes", move |heard| {
        let account = match heard {
            Heard::Connected => None,
            Heard::Message(payload) => match payload.split_once(' ') {
                Some((from, _)) if *from == *me => return,
                Some((_, account)) => Some(account),
                None => return,
            },
        };
        for each in accounts.iter() {
            if account.is_none_or(|id| id == each.info.id) {
                each.client.read_cache().clear();
            }
        }
    });
}

/// The notification channel of key-guard changes; the payload is
/// `HOLDER ACCOUNT`.
const KEYS_CHANNEL: &str = "scanport_keys";

/// Every replica counts an account's key refusals together and pauses
/// with the others: each refusal, acceptance after refusals and retry is
/// recorded in `key_guards` (one statement), applied here and announced;
/// the others read the account's row and apply it. On (re)connecting,
/// including at start, every account's row is applied, so a pause outlives
/// a restart until someone retries.
pub fn share_key_guards(db: &Db, url: &str, accounts: &Arc<Vec<Account>>) {
    if !call_slots::supported(db) {
        return;
    }
    let me = holder();
    let (tell, mut told) =
        tokio::sync::mpsc::unbounded_channel::<(String, Outcome, Option<Done>)>();
    for account in accounts.iter().filter(|a| !a.info.sandbox) {
        let (tell, id) = (tell.clone(), account.info.id.clone());
        account.client.guard().share(move |outcome, done| {
            let _ = tell.send((id.clone(), outcome, done));
        });
    }
    let (recorder, from, mine) = (db.clone(), Arc::clone(&me), Arc::clone(accounts));
    // One at a time and in order, as they happened here.
    tokio::spawn(async move {
        while let Some((account, outcome, done)) = told.recv().await {
            let shared = match &outcome {
                Outcome::Refused(reason) => key_guards::refused(
                    &recorder,
                    &account,
                    &reason.code,
                    &reason.message,
                    REFUSALS_BEFORE_PAUSE,
                )
                .await
                .map(Some),
                Outcome::Accepted => key_guards::accepted(&recorder, &account).await,
                Outcome::Resumed => {
                    key_guards::resumed(&recorder, &account, REFUSALS_BEFORE_PAUSE).await
                }
            };
            match shared {
                Ok(Some(guard)) => {
                    apply_guard(&mine, &account, guard);
                    let payload = format!("{from} {account}");
                    if let Err(err) = notify::send(&recorder, KEYS_CHANNEL, &payload).await {
                        tracing::warn!(account, error = %err, "cannot tell the other replicas of a key refusal");
                    }
                    if let Some(done) = done {
                        let _ = done.send(());
                    }
                }
                Ok(None) => {}
                Err(err) => {
                    tracing::warn!(account, error = %err, "cannot record a key refusal for the other replicas");
                }
            }
        }
    });
    let (reader, accounts) = (db.clone(), Arc::clone(accounts));
    notify::follow(url.to_owned(), KEYS_CHANNEL, "key refusals", move |heard| {
        let ids: Vec<String> = match heard {
            Heard::Connected => accounts
                .iter()
                .filter(|a| !a.info.sandbox)
                .map(|a| a.info.id.clone())
                .collect(),
            Heard::Message(payload) => match payload.split_once(' ') {
                Some((from, account)) if *from != *me => vec![account.to_owned()],
                _ => return,
            },
        };
        let (reader, accounts) = (reader.clone(), Arc::clone(&accounts));
        tokio::spawn(async move {
            for id in ids {
                match key_guards::get(&reader, &id).await {
                    Ok(Some(guard)) => apply_guard(&accounts, &id, guard),
                    Ok(None) => {}
                    Err(err) => {
                        tracing::warn!(account = id, error = %err, "cannot read another replica's key refusals");
                    }
                }
            }
        });
    });
}

/// Makes the shared count and pause `account`'s own on this replica.
fn apply_guard(accounts: &[Account], account: &str, guard: key_guards::SharedGuard) {
    if let Some(found) = accounts.iter().find(|a| a.info.id == account) {
        let paused = guard
            .paused
            .map(|(code, message)| PauseReason { code, message });
        found.client.guard().apply(guard.refusals, paused);
    }
}

/// What an account's hub shares with the other replicas: its feeds, when
/// `db` is one they all use and the account is a real one (each replica's
/// embedded sandbox is its own). Publications are announced on `url`'s
/// notifications, so the other replicas' viewers see them at once.
pub fn feeds_for(
    db: &Db,
    url: Option<&str>,
) -> impl Fn(&Account) -> Option<Arc<dyn SharedFeeds>> + use<> {
    let db = call_slots::supported(db).then(|| db.clone());
    let holder = holder();
    let listeners: Arc<Mutex<HashMap<String, Arc<Notify>>>> = Arc::default();
    if let (Some(_), Some(url)) = (&db, url) {
        let (me, listeners) = (Arc::clone(&holder), Arc::clone(&listeners));
        notify::follow(
            url.to_owned(),
            FEEDS_CHANNEL,
            "live snapshots",
            move |heard| {
                let listeners = listeners.lock().unwrap_or_else(PoisonError::into_inner);
                match heard {
                    Heard::Connected => listeners.values().for_each(|n| n.notify_one()),
                    Heard::Message(payload) => match payload.split_once(' ') {
                        Some((from, account)) if *from != *me => {
                            if let Some(announced) = listeners.get(account) {
                                announced.notify_one();
                            }
                        }
                        _ => {}
                    },
                }
            },
        );
    }
    move |account: &Account| {
        let db = db.as_ref().filter(|_| !account.info.sandbox)?;
        let announced = Arc::clone(
            listeners
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .entry(account.info.id.clone())
                .or_default(),
        );
        Some(Arc::new(DatabaseFeeds {
            db: db.clone(),
            account: account.info.id.clone(),
            holder: Arc::clone(&holder),
            announced,
        }) as Arc<dyn SharedFeeds>)
    }
}
