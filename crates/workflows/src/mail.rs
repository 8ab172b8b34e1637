//! Sending e-mail through lettre: SMTP in production, a file outbox (`data/outbox/`, one `.eml`
//! file per message) as the default so a local run works offline and every mail can be read.
//!
//! Every message goes out as plain text plus HTML. Workflows never send directly: they queue a
//! message in the same transaction as its cause ([`store::Transaction::enqueue_mail`]), and
//! [`MailQueue`] delivers the queue, so a mail server that is down delays mail and loses none.

use async_trait::async_trait;
use chrono::Duration;
use domain::Clock;
use domain::EmailAddress;
use lettre::{
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart},
    transport::smtp::authentication::Credentials,
};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::{path::PathBuf, sync::Arc};
use store::{Store, StoreError, outbox::QueuedMail};

/// One message, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: EmailAddress,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// A stable `Message-ID` (`<id@host>`): a message sent twice after a crash between
    /// sending and recording it is recognisable as one by mail clients.
    pub message_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the message could not be built: {0}")]
    Build(String),
    #[error("the mail transport failed: {0}")]
    Transport(String),
}

impl MailError {
    /// What kind of failure, without the details (which may quote addresses).
    pub fn kind(&self) -> &'static str {
        match self {
            MailError::Build(_) => "the message could not be built",
            MailError::Transport(_) => "the mail transport failed",
        }
    }
}

/// Delivers messages. One implementation per transport.
#[async_trait]
pub trait Mailer: Send + Sync + 'static {
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError>;
}

/// How mail leaves the portal (configuration).
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "transport", rename_all = "lowercase", deny_unknown_fields)]
pub enum MailSettings {
    /// Write each message as an `.eml` file into `outbox`.
    File { from: String, outbox: PathBuf },
    /// Send through an SMTP server.
    Smtp {
        from: String,
        host: String,
        port: u16,
        tls: SmtpTls,
        username: Option<String>,
        password: Option<SecretString>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpTls {
    /// No encryption: only for a relay on the same machine.
    None,
    /// Plain connection upgraded with STARTTLS (required, not opportunistic).
    Starttls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

/// Builds the configured mailer.
pub fn mailer(settings: &MailSettings) -> Result<Arc<dyn Mailer>, MailError> {
    Ok(match settings {
        MailSettings::File { from, outbox } => {
            std::fs::create_dir_all(outbox).map_err(|e| MailError::Transport(e.to_string()))?;
            Arc::new(LettreMailer {
                from: mailbox(from)?,
                transport: AsyncFileTransport::<Tokio1Executor>::new(outbox),
            })
        }
        MailSettings::Smtp {
            from,
            host,
            port,
            tls,
            username,
            password,
        } => {
            let builder = match tls {
                SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
                SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)
                    .map_err(|e| MailError::Transport(e.to_string()))?,
                SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)
                    .map_err(|e| MailError::Transport(e.to_string()))?,
            };
            let mut builder = builder.port(*port);
            if let (Some(user), Some(password)) = (username, password) {
                builder = builder.credentials(Credentials::new(
                    user.clone(),
                    password.expose_secret().to_owned(),
                ));
            }
            Arc::new(LettreMailer {
                from: mailbox(from)?,
                transport: builder.build(),
            })
        }
    })
}

fn mailbox(text: &str) -> Result<Mailbox, MailError> {
    text.parse()
        .map_err(|e: lettre::address::AddressError| MailError::Build(e.to_string()))
}

struct LettreMailer<T> {
    from: Mailbox,
    transport: T,
}

#[async_trait]
impl<T> Mailer for LettreMailer<T>
where
    T: AsyncTransport + Send + Sync + 'static,
    T::Error: std::fmt::Display,
{
    #[tracing::instrument(name = "mail.send", skip_all)]
    async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let message = Message::builder()
            .message_id(mail.message_id.clone())
            .from(self.from.clone())
            .to(mailbox(mail.to.as_str())?)
            .subject(&mail.subject)
            .multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                mail.html.clone(),
            ))
            .map_err(|e| MailError::Build(e.to_string()))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| MailError::Transport(e.to_string()))
    }
}

/// Delivers the queued mail. Several instances may drain one queue: each message is claimed
/// with a lease, and a claim whose sender crashed runs out and is taken up again.
#[derive(Clone)]
pub struct MailQueue {
    store: Arc<dyn Store>,
    mailer: Arc<dyn Mailer>,
    clock: Arc<dyn Clock>,
    /// The host part of Message-IDs.
    host: String,
}

impl MailQueue {
    /// How long a claimed message is left to its sender.
    pub const LEASE: Duration = Duration::minutes(5);
    const BATCH: u32 = 10;

    pub fn new(
        store: Arc<dyn Store>,
        mailer: Arc<dyn Mailer>,
        clock: Arc<dyn Clock>,
        host: impl Into<String>,
    ) -> Self {
        Self {
            store,
            mailer,
            clock,
            host: host.into(),
        }
    }

    /// The wait before attempt `attempts + 1`: 30 s, 2 min, 4.5 min, … at most an hour.
    pub fn backoff(attempts: i64) -> Duration {
        let attempts = attempts.clamp(1, 20);
        Duration::seconds(30 * attempts * attempts).min(Duration::hours(1))
    }

    /// Sends every message that is due; returns how many were sent. Failures are retried
    /// later (see [`MailQueue::backoff`]) and do not stop the rest.
    #[tracing::instrument(name = "mail.drain", skip_all)]
    pub async fn drain(&self) -> Result<usize, StoreError> {
        let mut sent = 0;
        loop {
            let now = self.clock.now();
            let batch = self
                .store
                .claim_mail(now, now + Self::LEASE, Self::BATCH)
                .await?;
            if batch.is_empty() {
                return Ok(sent);
            }
            for queued in batch {
                if self.deliver(&queued).await? {
                    sent += 1;
                }
            }
        }
    }

    async fn deliver(&self, queued: &QueuedMail) -> Result<bool, StoreError> {
        let Ok(to) = EmailAddress::parse(&queued.recipient) else {
            tracing::error!(
                mail = queued.id,
                "a queued message has an unusable address; dropped"
            );
            self.store.mail_dropped(queued.id).await?;
            return Ok(false);
        };
        let mail = OutgoingMail {
            to,
            subject: queued.subject.clone(),
            text: queued.body_text.clone(),
            html: queued.body_html.clone(),
            message_id: Some(format!("<mail-{}@{}>", queued.id, self.host)),
        };
        match self.mailer.send(&mail).await {
            Ok(()) => {
                self.store.mail_sent(queued.id, self.clock.now()).await?;
                tracing::info!(mail = queued.id, to = %mail.to.redacted(), "mail sent");
                Ok(true)
            }
            Err(error) => {
                let retry_at = self.clock.now() + Self::backoff(queued.attempts);
                self.store.mail_failed(queued.id, retry_at).await?;
                // The transport's message may quote the recipient: only its kind is logged.
                tracing::warn!(mail = queued.id, attempts = queued.attempts, %retry_at, error = error.kind(), "mail not sent; will retry");
                Ok(false)
            }
        }
    }
}
