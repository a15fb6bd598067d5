//! What replicas of one deployment share through PostgreSQL so that,
//! together, they behave as one caller of each cloud: the spacing of every
//! account's calls ([`DatabaseSlots`]) and its live feeds, refreshed by one
//! replica at a time and shown by all ([`DatabaseFeeds`]). On SQLite there
//! is one process and nothing to share.

use scanport_app::state::Account;
use scanport_cloud::budget::{RateBudget, SharedSlots};
use scanport_cloud::hub::{Pending, SharedFeeds, Turn};
use scanport_portal::notify::{self, Heard};
use scanport_portal::{Db, call_slots, live_feeds};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

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

/// One account's live feeds in the shared database.
#[derive(Debug)]
pub struct DatabaseFeeds {
    db: Db,
    account: String,
    /// This process, as the holder of a feed's turn.
    holder: Arc<str>,
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

    fn publish(
        &self,
        feed: &'static str,
        json: String,
        next_in: Duration,
    ) -> Pending<'_, Option<i64>> {
        Box::pin(async move {
            live_feeds::publish(&self.db, &self.account, feed, &self.holder, &json, next_in)
                .await
                .map_err(|e| e.to_string())
        })
    }

    fn want_refresh(&self, feed: &'static str) -> Pending<'_, ()> {
        Box::pin(async move {
            live_feeds::want_refresh(&self.db, &self.account, feed)
                .await
                .map_err(|e| e.to_string())
        })
    }
}

/// The notification channel of read-cache clears; the payload is
/// `HOLDER ACCOUNT`.
const READS_CHANNEL: &str = "scanport_reads";

/// A process's name among the replicas: unique across hosts and restarts,
/// readable in the tables.
fn holder() -> Arc<str> {
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

/// What an account's hub shares with the other replicas: its feeds, when
/// `db` is one they all use and the account is a real one (each replica's
/// embedded sandbox is its own).
pub fn feeds_for(db: &Db) -> impl Fn(&Account) -> Option<Arc<dyn SharedFeeds>> {
    let db = call_slots::supported(db).then(|| db.clone());
    let holder = holder();
    move |account: &Account| {
        let db = db.as_ref().filter(|_| !account.info.sandbox)?;
        Some(Arc::new(DatabaseFeeds {
            db: db.clone(),
            account: account.info.id.clone(),
            holder: Arc::clone(&holder),
        }) as Arc<dyn SharedFeeds>)
    }
}
