//! Mail leaves through lettre: to a real SMTP listener on loopback, and to the file outbox.

use domain::EmailAddress;
use mailin_embedded::{Handler, Response, Server, SslConfig, response};
use std::{
    net::TcpListener,
    sync::{Arc, Mutex},
};
use workflows::mail::{MailSettings, OutgoingMail, SmtpTls, mailer};

fn confirmation() -> OutgoingMail {
    OutgoingMail {
        to: EmailAddress::parse("jan.jansen@example.nl").expect("address"),
        subject: "Bevestig je e-mailadres".into(),
        text: "Open deze link om je adres te bevestigen: https://privacy.example.nl/nl/bevestig"
            .into(),
        html: "<p>Open <a href=\"https://privacy.example.nl/nl/bevestig\">deze link</a>.</p>"
            .into(),
        message_id: Some("<mail-1@privacy.example.nl>".into()),
    }
}

/// One received message: its envelope recipients and its bytes.
type Received = (Vec<String>, Vec<u8>);

/// An SMTP server that keeps what it receives.
#[derive(Clone, Default)]
struct Inbox {
    received: Arc<Mutex<Vec<Received>>>,
    current: Vec<u8>,
    to: Vec<String>,
}

impl Handler for Inbox {
    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.current.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let message = std::mem::take(&mut self.current);
        if let Ok(mut received) = self.received.lock() {
            received.push((std::mem::take(&mut self.to), message));
        }
        response::OK
    }
}

#[tokio::test]
async fn a_message_reaches_a_real_smtp_server_as_plain_text_and_html() {
    let inbox = Inbox::default();
    let received = Arc::clone(&inbox.received);
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("address").port();
    let mut server = Server::new(inbox);
    server
        .with_name("smtp.test")
        .with_ssl(SslConfig::None)
        .expect("no TLS on loopback")
        .with_tcp_listener(listener);
    std::thread::spawn(move || server.serve().is_ok());

    let settings = MailSettings::Smtp {
        from: "Cloud4Companies Privacy <privacy@Cloud4Companies.nl>".into(),
        host: "127.0.0.1".into(),
        port,
        tls: SmtpTls::None,
        username: None,
        password: None,
    };
    mailer(&settings)
        .expect("mailer")
        .send(&confirmation())
        .await
        .expect("sent");

    let received = received.lock().expect("inbox").clone();
    assert_eq!(received.len(), 1);
    let (to, bytes) = &received[0];
    assert_eq!(to, &["jan.jansen@example.nl".to_owned()]);
    let text = String::from_utf8_lossy(bytes);
    assert!(
        text.contains("From: \"Cloud4Companies Privacy\" <privacy@Cloud4Companies.nl>"),
        "{text}"
    );
    assert!(
        text.contains("Content-Type: multipart/alternative"),
        "{text}"
    );
    assert!(
        text.contains("Content-Type: text/plain; charset=utf-8"),
        "{text}"
    );
    assert!(
        text.contains("Content-Type: text/html; charset=utf-8"),
        "{text}"
    );
    assert!(text.contains("Bevestig je e-mailadres"), "{text}");
}

#[tokio::test]
async fn without_a_mail_server_messages_land_in_the_file_outbox() {
    let dir = tempfile::tempdir().expect("tempdir");
    let outbox = dir.path().join("outbox");
    let settings = MailSettings::File {
        from: "privacy@Cloud4Companies.nl".into(),
        outbox: outbox.clone(),
    };
    mailer(&settings)
        .expect("mailer")
        .send(&confirmation())
        .await
        .expect("written");

    let files: Vec<_> = std::fs::read_dir(&outbox)
        .expect("outbox")
        .flatten()
        .collect();
    assert_eq!(files.len(), 1, "one file per message");
    let path = files[0].path();
    assert_eq!(path.extension().and_then(|e| e.to_str()), Some("eml"));
    let message = std::fs::read_to_string(&path).expect("readable");
    assert!(message.contains("To: jan.jansen@example.nl"), "{message}");
    assert!(
        message.contains("text/plain") && message.contains("text/html"),
        "{message}"
    );
}

#[test]
fn an_smtp_password_never_shows_in_debug_output() {
    let settings: MailSettings = serde_json::from_str(
        r#"{"transport":"smtp","from":"a@b.nl","host":"smtp.b.nl","port":587,"tls":"starttls","username":"u","password":"hunter2hunter2"}"#,
    )
    .expect("settings");
    assert!(!format!("{settings:?}").contains("hunter2"));
}

/// Starts the keeping SMTP server on `listener`; returns what it receives.
fn serve(listener: TcpListener) -> Arc<Mutex<Vec<Received>>> {
    let inbox = Inbox::default();
    let received = Arc::clone(&inbox.received);
    let mut server = Server::new(inbox);
    server
        .with_name("smtp.test")
        .with_ssl(SslConfig::None)
        .expect("no TLS on loopback")
        .with_tcp_listener(listener);
    std::thread::spawn(move || server.serve().is_ok());
    received
}

#[tokio::test]
async fn queued_mail_survives_a_mail_server_outage_and_is_sent_once_when_it_is_back() {
    use chrono::{TimeZone, Utc};
    use domain::{Clock, ManualClock};
    use store::{outbox::NewMail, testing::TestDatabase};
    use workflows::mail::MailQueue;

    let db = TestDatabase::sqlite();
    let store = store::connect(db.url()).await.expect("connect");
    let clock = Arc::new(ManualClock::at(
        Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0)
            .single()
            .expect("t"),
    ));
    let mut tx = store.begin().await.expect("begin");
    tx.enqueue_mail(&NewMail {
        recipient: "jan.jansen@example.nl".into(),
        subject: "Bevestig je e-mailadres".into(),
        body_text: "tekst".into(),
        body_html: "<p>tekst</p>".into(),
        created_at: clock.now(),
    })
    .await
    .expect("queued");
    tx.commit().await.expect("commit");

    // The mail server is down: nothing listens on its port.
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .expect("address")
        .port();
    let settings = MailSettings::Smtp {
        from: "privacy@Cloud4Companies.nl".into(),
        host: "127.0.0.1".into(),
        port,
        tls: SmtpTls::None,
        username: None,
        password: None,
    };
    let queue = MailQueue::new(
        Arc::clone(&store),
        mailer(&settings).expect("mailer"),
        Arc::clone(&clock) as Arc<dyn Clock>,
        "privacy.example.nl",
    );
    assert_eq!(queue.drain().await.expect("drain"), 0);
    assert_eq!(
        store.mail_waiting().await.expect("count"),
        1,
        "kept, not lost"
    );

    // Back up; the retry waits for its backoff, then goes out once.
    let received = serve(TcpListener::bind(("127.0.0.1", port)).expect("the same port"));
    assert_eq!(
        queue.drain().await.expect("drain"),
        0,
        "not before the retry time"
    );
    clock.advance(MailQueue::backoff(1));
    assert_eq!(queue.drain().await.expect("drain"), 1);
    assert_eq!(queue.drain().await.expect("drain"), 0, "and only once");
    assert_eq!(store.mail_waiting().await.expect("count"), 0);
    let received = received.lock().expect("inbox").clone();
    assert_eq!(received.len(), 1);
    let text = String::from_utf8_lossy(&received[0].1);
    assert!(
        text.contains("Message-ID: <mail-1@privacy.example.nl>"),
        "{text}"
    );
}
