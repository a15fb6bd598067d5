//! PostgreSQL notifications between replicas: [`follow`] listens on a
//! channel for as long as the process runs, making the connection again
//! when it drops; each (re)connection is reported, since notifications
//! sent while no listener was up are lost.

use std::time::Duration;

/// What [`follow`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard<'a> {
    /// A listener is up (again): something may have been missed.
    Connected,
    /// A notification's payload.
    Message(&'a str),
}

/// Listens on `channel` at `url`, calling `on` for every notification and
/// every (re)connection. While PostgreSQL is away it tries again less and
/// less often (up to every 5 s). `what` names the channel in the log.
pub fn follow(
    url: String,
    channel: &'static str,
    what: &'static str,
    on: impl Fn(Heard<'_>) + Send + Sync + 'static,
) {
    tokio::spawn(async move {
        let mut wait = Duration::from_millis(500);
        loop {
            let started = tokio::time::Instant::now();
            let Err(err) = listen(&url, channel, what, &on).await;
            if started.elapsed() > Duration::from_secs(30) {
                wait = Duration::from_millis(500);
            }
            tracing::warn!(error = %err, retry_in = ?wait, "{what} listener: reconnecting");
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(Duration::from_secs(5));
        }
    });
}

/// Listens until the connection fails for good.
async fn listen(
    url: &str,
    channel: &'static str,
    what: &'static str,
    on: &(impl Fn(Heard<'_>) + Send + Sync),
) -> Result<std::convert::Infallible, sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect(url).await?;
    listener.listen(channel).await?;
    tracing::info!("following other replicas' {what} (PostgreSQL LISTEN {channel})");
    on(Heard::Connected);
    loop {
        // `None`: the connection dropped and the listener made it again;
        // a notification may have come in between.
        match listener.try_recv().await? {
            Some(notification) => on(Heard::Message(notification.payload())),
            None => on(Heard::Connected),
        }
    }
}

/// Sends `payload` on `channel` to every replica listening (delivered when
/// the statement commits).
pub async fn send(db: &crate::Db, channel: &str, payload: &str) -> Result<(), crate::PortalError> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(channel)
        .bind(payload)
        .execute(db.pool())
        .await?;
    Ok(())
}
