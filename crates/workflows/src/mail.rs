//! Sending e-mail through lettre: SMTP in production, a file outbox (`data/outbox/`, one `.eml`
//! file per message) as the default so a local run works offline and every mail can be read.
//!
//! Every message goes out as plain text plus HTML. Which mails are sent, in which language, and
//! the durable queue in front of this (a mail server that is down must delay mail, not lose it)
//! belong to the workflows that cause them and to the job system; this module only delivers.

use async_trait::async_trait;
use domain::EmailAddress;
use lettre::{
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart},
    transport::smtp::authentication::Credentials,
};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::{path::PathBuf, sync::Arc};

/// One message, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: EmailAddress,
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the message could not be built: {0}")]
    Build(String),
    #[error("the mail transport failed: {0}")]
    Transport(String),
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
