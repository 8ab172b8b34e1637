//! A minimal browser for black-box tests: one cookie jar (the session cookie), server-function
//! calls as the hydrated page makes them (fetch, JSON answers) or as a form without JavaScript
//! posts them, and the mail the portal wrote to its file outbox.
#![allow(dead_code)]

use super::TestApp;
use std::path::{Path, PathBuf};

pub const SESSION: &str = "session";

#[derive(Clone, Default)]
pub struct Browser {
    /// The session cookie's value.
    pub cookie: Option<String>,
    /// Every other cookie the portal set and did not expire, by name.
    pub jar: std::collections::BTreeMap<String, String>,
    /// Sends `Sec-GPC: 1` (Global Privacy Control) with every request.
    pub gpc: bool,
}

/// How a form reaches the server.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The hydrated page's fetch: the answer is the status and a JSON body.
    Script,
    /// A plain form post: the answer is a redirect (back to the page on an error).
    Form,
}

pub struct Answer {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

pub fn encode(fields: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

impl Browser {
    fn keep_cookie(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all("set-cookie") {
            let Ok(value) = value.to_str() else { continue };
            let Some((name, rest)) = value.split_once('=') else {
                continue;
            };
            let kept = rest.split(';').next().unwrap_or_default();
            let expired = value.contains("Max-Age=0") || kept.is_empty();
            let kept = (!expired).then(|| kept.to_owned());
            if name == SESSION {
                self.cookie = kept;
            } else if let Some(kept) = kept {
                self.jar.insert(name.to_owned(), kept);
            } else {
                self.jar.remove(name);
            }
        }
    }

    fn with_cookie(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        let cookies: Vec<String> = self
            .cookie
            .iter()
            .map(|id| format!("{SESSION}={id}"))
            .chain(
                self.jar
                    .iter()
                    .map(|(name, value)| format!("{name}={value}")),
            )
            .collect();
        let request = if self.gpc {
            request.header("sec-gpc", "1")
        } else {
            request
        };
        if cookies.is_empty() {
            request
        } else {
            request.header("cookie", cookies.join("; "))
        }
    }

    /// The names of the cookies the browser holds, the session's included.
    pub fn cookie_names(&self) -> Vec<String> {
        self.cookie
            .iter()
            .map(|_| SESSION.to_owned())
            .chain(self.jar.keys().cloned())
            .collect()
    }

    /// Calls a server function (`/api/{endpoint}`) with form fields, from `page`.
    pub async fn call(
        &mut self,
        app: &TestApp,
        endpoint: &str,
        fields: &[(&str, &str)],
        via: Via,
        page: &str,
    ) -> Answer {
        let accept = match via {
            Via::Script => "application/json",
            Via::Form => "text/html,application/xhtml+xml",
        };
        let request = app
            .form_post(&format!("/api/{endpoint}"))
            .header("sec-fetch-site", "same-origin")
            .header("accept", accept)
            .header("referer", format!("{}{page}", app.address))
            .header(
                "user-agent",
                "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0",
            )
            .body(encode(fields));
        let response = self.with_cookie(request).send().await.expect("answered");
        self.keep_cookie(&response);
        Answer {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            body: response.text().await.unwrap_or_default(),
        }
    }

    /// GETs a page (as a browser: `Accept: text/html`) or a server function's endpoint, with
    /// the session cookie.
    pub async fn get(&mut self, app: &TestApp, path: &str) -> Answer {
        let accept = if path.starts_with("/api/") {
            "application/json"
        } else {
            "text/html,application/xhtml+xml"
        };
        let request = app
            .client
            .get(format!("{}{path}", app.address))
            .header("accept", accept);
        let response = self.with_cookie(request).send().await.expect("answered");
        self.keep_cookie(&response);
        Answer {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            body: response.text().await.unwrap_or_default(),
        }
    }

    /// GETs a file: the status, the headers and the bytes.
    pub async fn download(
        &mut self,
        app: &TestApp,
        path: &str,
    ) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let request = app.client.get(format!("{}{path}", app.address));
        let response = self.with_cookie(request).send().await.expect("answered");
        self.keep_cookie(&response);
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("a body").to_vec();
        (status, headers, bytes)
    }

    /// Reloads `path` until its page holds every one of `wanted`, or fails after 20 s; the page
    /// is never an error page meanwhile.
    pub async fn reload_until(&mut self, app: &TestApp, path: &str, wanted: &[&str]) -> String {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let page = self.get(app, path).await;
            assert_eq!(page.status, 200, "never an error page");
            if wanted.iter().all(|w| page.body.contains(w)) {
                return page.body;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{path} never showed {wanted:?}: {}",
                page.body
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    /// The account the session is signed in as (its address), via the `me` server function.
    pub async fn me(&mut self, app: &TestApp) -> Option<String> {
        let answer = self.get(app, "/api/account/me").await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        let value: serde_json::Value = serde_json::from_str(&answer.body).expect("JSON");
        value
            .get("email")
            .and_then(|e| e.as_str())
            .map(str::to_owned)
    }
}

/// One message from the outbox: recipient, subject, plain text.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub file: PathBuf,
}

impl Mail {
    /// The token of the link in the message.
    pub fn token(&self) -> String {
        let start = self.text.find("token=").expect("a link") + "token=".len();
        self.text[start..start + 64].to_owned()
    }

    /// The link's path and query (without the public URL).
    pub fn link_path(&self) -> String {
        let start = self.text.find("http").expect("a link");
        let end = self.text[start..]
            .find(char::is_whitespace)
            .map_or(self.text.len(), |e| start + e);
        let url = url::Url::parse(&self.text[start..end]).expect("a URL");
        format!("{}?{}", url.path(), url.query().unwrap_or_default())
    }
}

fn read_outbox(outbox: &Path) -> Vec<Mail> {
    let Ok(entries) = std::fs::read_dir(outbox) else {
        return Vec::new();
    };
    let mut mails: Vec<Mail> = entries
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .map(|entry| {
            let bytes = std::fs::read(entry.path()).expect("readable");
            let parsed = mailparse::parse_mail(&bytes).expect("a message");
            let header = |name: &str| {
                parsed
                    .headers
                    .iter()
                    .find(|h| h.get_key().eq_ignore_ascii_case(name))
                    .map(|h| h.get_value())
                    .unwrap_or_default()
            };
            let text = parsed
                .subparts
                .iter()
                .find(|p| p.ctype.mimetype == "text/plain")
                .map(|p| p.get_body().expect("a body"))
                .unwrap_or_default();
            Mail {
                to: header("To"),
                subject: header("Subject"),
                text,
                file: entry.path(),
            }
        })
        .collect();
    mails.sort_by_key(|m| {
        std::fs::metadata(&m.file)
            .and_then(|meta| meta.modified())
            .ok()
    });
    mails
}

/// Every message to `to` in the outbox now, without waiting or taking them.
pub fn mails_to(outbox: &Path, to: &str) -> Vec<Mail> {
    read_outbox(outbox)
        .into_iter()
        .filter(|m| m.to.to_lowercase().contains(&to.to_lowercase()))
        .collect()
}

/// Waits (up to 10 s) for a message to `to` and takes it out of the outbox.
pub async fn mail_to(outbox: &Path, to: &str) -> Mail {
    for _ in 0..200 {
        if let Some(mail) = read_outbox(outbox)
            .into_iter()
            .find(|m| m.to.to_lowercase().contains(&to.to_lowercase()))
        {
            std::fs::remove_file(&mail.file).expect("taken");
            return mail;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no mail to {to} arrived in {}", outbox.display());
}

pub const PASSWORD: &str = "Zeilboot-Lantaarn-Heide-93";

/// Registers through the API, confirms through the mailed link, and signs in.
pub async fn signed_in_customer(app: &TestApp, email: &str) -> Browser {
    let mut browser = Browser::default();
    let answer = browser
        .call(
            app,
            "account/register",
            &[("lang", "nl"), ("email", email), ("password", PASSWORD)],
            Via::Script,
            "/nl/register",
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let mail = mail_to(&app.outbox, email).await;
    assert_eq!(mail.subject, "Bevestig je e-mailadres");
    let landing = browser.get(app, &mail.link_path()).await;
    assert_eq!(
        landing.location.as_deref(),
        Some("/nl/sign-in?notice=confirmed")
    );
    sign_in(app, &mut browser, email, PASSWORD).await;
    browser
}

pub async fn sign_in(app: &TestApp, browser: &mut Browser, email: &str, password: &str) {
    let answer = browser
        .call(
            app,
            "account/sign_in",
            &[("lang", "nl"), ("email", email), ("password", password)],
            Via::Script,
            "/nl/sign-in",
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(browser.me(app).await.as_deref(), Some(email));
}

/// Creates an admin account as `portal create-staff` does (two-step sign-in still to set up).
pub async fn create_admin(app: &TestApp, email: &str) {
    create_staff(app, email, domain::Role::Admin).await;
}

/// Creates a staff account with `role` as `portal create-staff` does.
pub async fn create_staff(app: &TestApp, email: &str, role: domain::Role) {
    let store = store::connect(app.db.url()).await.expect("store");
    workflows::accounts::create_staff(
        store.as_ref(),
        &workflows::accounts::PasswordHasher::new().expect("hasher"),
        &domain::SystemClock,
        workflows::accounts::NewStaff {
            email: domain::EmailAddress::parse(email).expect("address"),
            role,
            password: domain::Password::parse(PASSWORD).expect("password"),
            language: domain::Lang::Nl,
            created_by: store::Actor::System,
        },
    )
    .await
    .expect("admin");
    store.close().await;
}

/// An admin, signed in with two-step sign-in set up.
pub async fn signed_in_admin(app: &TestApp, email: &str) -> Browser {
    signed_in_staff(app, email, domain::Role::Admin).await
}

/// A staff member with `role`, signed in with two-step sign-in set up.
pub async fn signed_in_staff(app: &TestApp, email: &str, role: domain::Role) -> Browser {
    create_staff(app, email, role).await;
    let mut admin = Browser::default();
    let fields = [("lang", "nl"), ("email", email), ("password", PASSWORD)];
    admin
        .call(app, "account/sign_in", &fields, Via::Form, "/nl/sign-in")
        .await;
    let setup = admin
        .call(
            app,
            "account/two_step_setup",
            &[],
            Via::Script,
            "/nl/account/two-step",
        )
        .await;
    let setup: serde_json::Value = serde_json::from_str(&setup.body).expect("JSON");
    let secret = setup["secret"].as_str().expect("a secret");
    let code = totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(secret).expect("base32"))
        .build()
        .expect("an authenticator")
        .generate_current()
        .to_string();
    let fields = [("lang", "nl"), ("code", code.as_str())];
    let enabled = admin
        .call(
            app,
            "account/enable_two_step",
            &fields,
            Via::Script,
            "/nl/account/two-step",
        )
        .await;
    assert_eq!(enabled.status, 200, "{}", enabled.body);
    admin
}
