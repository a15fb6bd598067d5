//! Server-side services handed to server functions through context.

use crate::accounts::{AccountInfo, Provider};
use crate::error::AppError;
use scanport_cloud::hss::HssClient;
use scanport_cloud::hub::{HssTasks, Pace, SharedFeeds, TaskHub, TcssScanHub, TcssScans};
use scanport_cloud::pause::KeyGuard;
use scanport_cloud::read_cache::ReadCache;
use scanport_cloud::tcss::TcssClient;
use scanport_portal::Db;
use std::collections::HashMap;
use std::sync::Arc;

/// A configured cloud account and its client.
#[derive(Debug, Clone)]
pub struct Account {
    pub info: AccountInfo,
    pub client: AccountClient,
}

#[derive(Debug, Clone)]
pub enum AccountClient {
    Huawei(HssClient),
    Tencent(TcssClient),
}

impl AccountClient {
    /// The account's key guard: paused after the cloud refused the key.
    pub fn guard(&self) -> &KeyGuard {
        match self {
            Self::Huawei(client) => client.guard(),
            Self::Tencent(client) => client.guard(),
        }
    }

    pub fn read_cache(&self) -> &ReadCache {
        match self {
            Self::Huawei(client) => client.read_cache(),
            Self::Tencent(client) => client.read_cache(),
        }
    }
}

impl Account {
    /// What the browser may know, with whether calls are paused now.
    pub fn current_info(&self) -> AccountInfo {
        AccountInfo {
            paused: self.client.guard().paused().is_some(),
            ..self.info.clone()
        }
    }
}

/// Every account's live hub, by account id.
#[derive(Debug, Default)]
pub struct Hubs {
    /// HSS accounts' task lists.
    pub hss: HashMap<String, Arc<TaskHub>>,
    /// TCSS accounts' current registry scans.
    pub tcss: HashMap<String, Arc<TcssScanHub>>,
}

impl Hubs {
    /// Starts a hub per account (each idle until someone reads it).
    pub fn start(accounts: &[Account], pace: Pace) -> Self {
        Self::start_shared(accounts, pace, |_| None)
    }

    /// Like [`Hubs::start`]; an account for which `shared` gives feeds
    /// shares them with the other replicas.
    pub fn start_shared(
        accounts: &[Account],
        pace: Pace,
        shared: impl Fn(&Account) -> Option<Arc<dyn SharedFeeds>>,
    ) -> Self {
        let mut hubs = Self::default();
        for account in accounts {
            let id = account.info.id.clone();
            let feeds = shared(account);
            match &account.client {
                AccountClient::Huawei(client) => {
                    let hub = TaskHub::start_shared(HssTasks(client.clone()), pace, feeds);
                    hubs.hss.insert(id, hub);
                }
                AccountClient::Tencent(client) => {
                    let hub = TcssScanHub::start_shared(TcssScans(client.clone()), pace, feeds);
                    hubs.tcss.insert(id, hub);
                }
            }
        }
        hubs
    }
}

/// Everything a server function may use. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState {
    pub accounts: Arc<Vec<Account>>,
    /// The live snapshots of each account.
    pub hubs: Arc<Hubs>,
    pub portal: Portal,
}

/// The team portal as server functions use it: its database, the
/// revocations that open streams watch, and the token lifetime. Sign-in
/// itself (cookie, throttle, setup token, who each credential is) is the
/// server's alone (`scanport::auth`).
#[derive(Debug, Clone)]
pub struct Portal {
    pub db: Db,
    /// Sign-outs, disabled users, revoked tokens, new passwords and changed
    /// roles in this process:
    /// open live streams check their caller again at once when it moves.
    pub revocations: scanport_portal::revocations::Revocations,
    /// Days a new API token lives unless its creator says otherwise.
    pub token_expiry_days: u32,
}

impl Portal {
    /// Someone may have lost access: open streams check again.
    pub fn note_revocation(&self) {
        self.revocations.note();
    }
}

impl AppState {
    /// The accounts the caller may see (a token may be limited to some),
    /// in the configuration's order.
    pub fn visible_accounts(&self) -> impl Iterator<Item = &Account> {
        self.accounts
            .iter()
            .filter(|a| crate::auth::sees_account(&a.info.id))
    }

    /// The account named `id`, or the first of `provider` the caller may
    /// use when `id` is absent. A token limited to other accounts is
    /// refused (403) whether or not the account exists.
    pub fn account(&self, id: Option<&str>, provider: Provider) -> Result<&Account, AppError> {
        if let Some(id) = id {
            crate::auth::may_use_account(id)?;
        }
        let found = match id {
            Some(id) => self.accounts.iter().find(|a| a.info.id == id),
            None => self
                .accounts
                .iter()
                .find(|a| a.info.provider == provider && crate::auth::sees_account(&a.info.id)),
        };
        let account = found.ok_or_else(|| AppError::NotFound {
            what: id.map_or_else(
                || format!("A {} account", provider.label()),
                // An unknown id is the caller's text: quoted, and short.
                |id| format!("Account {:?}", shorten(id)),
            ),
        })?;
        if account.info.provider != provider {
            return Err(AppError::InvalidInput {
                field: "account".to_owned(),
                message: format!("{} is not a {} account", account.info.id, provider.label()),
            });
        }
        Ok(account)
    }

    /// The account named `id`, if the caller may use it.
    pub fn named(&self, id: &str) -> Result<&Account, AppError> {
        crate::auth::may_use_account(id)?;
        self.accounts
            .iter()
            .find(|a| a.info.id == id)
            .ok_or_else(|| AppError::NotFound {
                what: format!("Account {:?}", shorten(id)),
            })
    }

    /// The cloud of the account named `id`.
    pub fn provider_of(&self, id: &str) -> Result<Provider, AppError> {
        Ok(self.named(id)?.info.provider)
    }

    /// The HSS client of an account.
    pub fn hss(&self, id: Option<&str>) -> Result<&HssClient, AppError> {
        match &self.account(id, Provider::Huawei)?.client {
            AccountClient::Huawei(client) => Ok(client),
            AccountClient::Tencent(_) => Err(not_provider(Provider::Huawei)),
        }
    }

    /// The task hub of an HSS account.
    pub fn hub(&self, id: Option<&str>) -> Result<&Arc<TaskHub>, AppError> {
        let account = self.account(id, Provider::Huawei)?;
        self.hubs
            .hss
            .get(&account.info.id)
            .ok_or_else(|| AppError::NotFound {
                what: format!("The task monitor of {}", account.info.id),
            })
    }

    /// Asks the account's live hub to refresh `feed` as soon as the
    /// budget allows after a launch, sync or stop that may have changed it:
    /// one that went through, or failed at or on the way to the cloud. One
    /// refused here or by the cloud's limits changed nothing there.
    pub fn refresh_after<T>(
        &self,
        account: &str,
        feed: crate::endpoints::Feed,
        answer: &Result<T, AppError>,
    ) {
        use crate::endpoints::Feed;
        let unchanged = matches!(
            answer,
            Err(AppError::Unauthenticated
                | AppError::Forbidden
                | AppError::OutOfScope { .. }
                | AppError::InvalidInput { .. }
                | AppError::NotFound { .. }
                | AppError::Conflict { .. }
                | AppError::TooLarge { .. }
                | AppError::TooManyAttempts { .. }
                | AppError::RateLimited { .. }
                | AppError::AccountPaused { .. })
        );
        if unchanged {
            return;
        }
        match feed {
            Feed::HssTasks(list) => {
                if let Some(hub) = self.hubs.hss.get(account) {
                    hub.refresh_soon(list);
                }
            }
            Feed::TcssScan => {
                if let Some(hub) = self.hubs.tcss.get(account) {
                    hub.refresh_soon(());
                }
            }
        }
    }

    /// The registry-scan hub of a TCSS account.
    pub fn tcss_hub(&self, id: Option<&str>) -> Result<&Arc<TcssScanHub>, AppError> {
        let account = self.account(id, Provider::Tencent)?;
        self.hubs
            .tcss
            .get(&account.info.id)
            .ok_or_else(|| AppError::NotFound {
                what: format!("The scan monitor of {}", account.info.id),
            })
    }

    /// The TCSS client of an account.
    pub fn tcss(&self, id: Option<&str>) -> Result<&TcssClient, AppError> {
        match &self.account(id, Provider::Tencent)?.client {
            AccountClient::Tencent(client) => Ok(client),
            AccountClient::Huawei(_) => Err(not_provider(Provider::Tencent)),
        }
    }
}

fn not_provider(provider: Provider) -> AppError {
    AppError::InvalidInput {
        field: "account".to_owned(),
        message: format!("not a {} account", provider.label()),
    }
}

/// The app state from the server function's context.
pub fn app_state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Transport {
            message: "the server is misconfigured; see its log".to_owned(),
        }
    })
}

/// At most 64 characters of `text`, marked when cut.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(64) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}
